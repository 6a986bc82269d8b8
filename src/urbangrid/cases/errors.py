"""Errors of the case app. Each carries an English msgid with {placeholders}, translated when shown."""

from django.utils.translation import gettext, gettext_noop

from urbangrid.accounts.labels import POST_LABELS
from urbangrid.cases.labels import NEED_LABELS, action_label, state_label
from urbangrid.core.posts import Post


class CaseError(Exception):
    code = "case_error"

    def __init__(self, message: str, field: str | None = None, **params: object):
        self.msgid, self.field, self.params = message, field, params
        super().__init__(message.format(**params))

    @property
    def message(self) -> str:
        return gettext(self.msgid).format(**_translated(self.params))


class CaseNotFound(CaseError):
    """The same error for "there is no such case" and "you may not see it" (Zulip's access_* rule)."""

    code = "not_found"

    def __init__(self):
        super().__init__(gettext_noop("No such case."))


class NotAllowed(CaseError):
    code = "forbidden"


class StaleCase(CaseError):
    code = "stale_case"

    def __init__(self, version: int):
        message = gettext_noop("The case has changed since you loaded it (now version {version}); reload it.")
        super().__init__(message, version=version)


class NotPossible(CaseError):
    code = "not_possible"


class InvalidInput(CaseError):
    code = "invalid_input"


def _translated(params: dict) -> dict:
    out = dict(params)
    if "action" in out:
        out["action"] = action_label(out["action"])
    if "state" in out:
        out["state"] = state_label(out["state"])
    if "posts" in out:
        out["posts"] = ", ".join(str(POST_LABELS[Post(post.strip())]) for post in str(out["posts"]).split(","))
    if "missing" in out:
        out["missing"] = ", ".join(str(NEED_LABELS.get(need.strip(), need)) for need in str(out["missing"]).split(","))
    return out
