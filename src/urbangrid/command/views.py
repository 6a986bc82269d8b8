"""The command screen (大屏幕监督指挥): one full-screen page; its panels refresh by htmx, its map by command.js.

Deny by default: a signed-in user holding a post of the supervision or command centre (or 领导) sees the whole
city; a district command centre's operator sees their district; everyone else gets 403.
"""

import json

from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from urbangrid.cases import access, clock
from urbangrid.command import figures
from urbangrid.core.posts import Post
from urbangrid.grid.models import Area

REFRESH_SECONDS = 30
LIGHT_LABELS = {
    "green": _lazy("green"), "yellow": _lazy("yellow"), "red": _lazy("red (overdue)"),
    "none": _lazy("no running clock"),
}


def scope_of(user, held: list | None = None) -> figures.Scope | None:
    """The part of the city the user's screen shows; `held`: the user's appointments, when already read."""
    held = access.appointments(user) if held is None else held
    if any(Post(a.post) in access.CITY_WIDE for a in held):
        return figures.Scope(_("Whole city"))
    areas = {
        a.organisation.area.code: a.organisation.area.name
        for a in held
        if a.post == Post.DISTRICT_OPERATOR and a.organisation.area is not None
    }
    if areas:
        return figures.Scope("、".join(areas[c] for c in sorted(areas)), tuple(sorted(areas)))
    return None


def _scoped(view):
    @login_required
    @require_GET
    def wrapper(request):
        scope = scope_of(request.user)
        if scope is None:
            return render(request, "command/denied.html", status=403)
        return view(request, scope)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


@_scoped
def screen(request, scope: figures.Scope):
    context = {
        **figures.screen(scope, clock.now()), "scope": scope, "refresh": REFRESH_SECONDS,
        "cases_url": reverse("maps:cases"), "areas_url": reverse("maps:areas"), "extent": extent(scope),
        "light_labels": json.dumps({k: str(v) for k, v in LIGHT_LABELS.items()}, ensure_ascii=False),
    }
    return render(request, "command/screen.html", context)


@_scoped
def panels(request, scope: figures.Scope):
    """The panels alone, for htmx to swap in every REFRESH_SECONDS."""
    context = {**figures.screen(scope, clock.now()), "scope": scope}
    return render(request, "command/panels.html", context)


def extent(scope: figures.Scope) -> str:
    """west,south,east,north of the scope's districts (every district for the city), for the map."""
    districts = Area.objects.current().filter(level="district")
    if scope.districts:
        districts = districts.filter(code__in=scope.districts)
    box = districts.aggregate(w=Min("min_lon"), s=Min("min_lat"), e=Max("max_lon"), n=Max("max_lat"))
    if box["w"] is None:
        return ""
    return ",".join(f"{box[k]:.5f}" for k in "wsen")
