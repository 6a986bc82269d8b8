"""Every API error is JSON: {"code": machine-readable, "message": translated, "field": optional}."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled, ValidationError

from urbangrid.core.codes import CodeError


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.extra = extra  # more keys of the body, e.g. every error of a row


def body(code: str, message: str, field: str | None = None) -> dict:
    return {"code": code, "message": message, **({"field": field} if field else {})}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return api.create_response(request, {**body(exc.code, exc.message, exc.field), **exc.extra},
                                   status=exc.status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        message = _("Sign in first: this needs a logged-in user.")
        return api.create_response(request, body("unauthenticated", message), status=401)

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        wait = int(exc.wait or 1)
        message = _("Too many requests: at most {limit} a minute. Try again in {seconds} s.").format(
            limit=getattr(request, "rate_limit", ""), seconds=wait
        )
        response = api.create_response(request, body("rate_limited", message), status=429)
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(CodeError)
    def code_error(request, exc: CodeError):
        message = _(exc.message).format(**exc.params)
        return api.create_response(request, body("invalid_code", message, exc.field), status=400)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        first = exc.errors[0] if exc.errors else {}
        field = ".".join(str(p) for p in first.get("loc", [])[1:]) or None
        message = _("Invalid value for %(field)s: %(reason)s") % {"field": field, "reason": first.get("msg", "")}
        return api.create_response(request, {**body("invalid_input", message, field), "errors": exc.errors}, status=422)

