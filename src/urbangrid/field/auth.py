"""Who may use the field app, and how the phone's queue proves who it is.

Pages need a signed-in collector. The phone's JSON calls carry the device token (header X-Field-Device) that
the phone got at sign-in: it is what lets a queue made offline be sent after the session has timed out, and
what the centre revokes when the phone is lost. Calls with the token need no CSRF token: a page of another
site can make the browser send our cookies, but it cannot know the token to put in the header.
"""

from functools import wraps

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from urbangrid.accounts import devices, roster
from urbangrid.accounts.models import Device, User
from urbangrid.core.posts import Post

HEADER = "X-Field-Device"
WATCHERS = {Post.SHIFT_LEADER, Post.INTAKE_OPERATOR, Post.LEADER}


def is_collector(user: User) -> bool:
    return user.is_authenticated and user.is_active and any(
        post == Post.COLLECTOR for post, _organisation in roster.get().posts.get(user.pk, ())
    )


def may_watch(user: User) -> bool:
    """The supervision centre's posts watch collectors at work (tracks); so does a leader."""
    held = {post for post, _organisation in roster.get().posts.get(user.pk, ())} if user.is_authenticated else set()
    return bool(held & WATCHERS)


def refused(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def device_call(view):
    """A JSON call from the phone: the device token names the user (and must match the session's, if any)."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        device = _device(request)
        if device is None:
            message = _("This phone is not signed in to the field app, or it was signed out by the centre.")
            return refused(401, message, revoked=True)
        request.user, request.field_device = device.user, device
        if not is_collector(device.user):
            return refused(403, _("The field app is for collectors (信息采集员)."))
        return view(request, *args, **kwargs)

    return wrapper


def _device(request) -> Device | None:
    found = devices.find(request.headers.get(HEADER, ""))
    if found is None or (request.user.is_authenticated and found.user_id != request.user.pk):
        return None
    return found
