"""Session limits, the forced password change and the second factor, for every request of a signed-in user."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device

LOGIN_AT = "urbangrid_login_at"  # set in the session at login (signals.py)


def session_lifetime(get_response):
    """Ends a session SESSION_MAX_HOURS after its login, however busy it is (the idle limit is the cookie's age)."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            if started is not None and time.time() - started > settings.SESSION_MAX_SECONDS:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Your session has expired. Please sign in again.")}, status=401)
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware


def _free_paths() -> tuple[str, ...]:
    # Pages a user who must change the password may still reach: the change itself, signing out, languages.
    return (
        reverse("password_change"), reverse("password_change_done"), reverse("logout"), reverse("admin:logout"),
        reverse("set_language"), settings.STATIC_URL,
    )


def password_change_required(get_response):
    """A user whose password was set by someone else (user.must_change_password) sets their own first."""

    def middleware(request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(_free_paths())
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("You must change your password before you continue.")}, status=403)
            return redirect(f"{reverse('password_change')}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware


def second_factor_required(get_response):
    """Whoever set up a TOTP device (accounts/twofactor.py) enters its code after the password, once a session."""

    def middleware(request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith((reverse("otp_verify"), *_free_paths()))
            and user_has_device(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Enter the code of your authenticator app first.")}, status=403)
            return redirect(f"{reverse('otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware
