"""The operators' workbench: my queues, one queue per post, the case file with the actions I may take.

Views parse the request, call cases.queries (reads) or cases.actions (writes) and render. Who may see and do
what is decided there (cases.access and the workflow table); errors of the case app come back translated,
next to the field they are about, with everything typed kept.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from urbangrid.accounts.labels import POST_LABELS
from urbangrid.cases import access, actions, clock, queries
from urbangrid.cases.errors import CaseError, CaseNotFound, InvalidInput, StaleCase
from urbangrid.cases.labels import SOURCE_LABELS, action_label, state_label
from urbangrid.core.deadlines import Light
from urbangrid.core.posts import Post
from urbangrid.core.workflow import State
from urbangrid.workbench import actionforms, bulking, choices
from urbangrid.workbench.context import queues_of

LIGHTS = [
    (str(Light.GREEN), gettext_lazy("green")), (str(Light.YELLOW), gettext_lazy("yellow")),
    (str(Light.RED), gettext_lazy("red (overdue)")),
]
STALE = gettext_noop("The case was changed by someone else; reload it.")


@login_required
def home(request):
    return render(request, "workbench/home.html", {"queues": queues_of(request)})


@login_required
def queue(request, post: str):
    held = _held(request, post)
    filters = _filters(request.GET)
    context = {
        "post": post, "post_label": POST_LABELS[Post(post)], "held": held, "filters": filters,
        "bulk": bulking.offered(post), "error": None,
    }
    try:
        items, cursor = queries.queue(request.user, post, clock.now(), filters, request.GET.get("after") or None)
    except InvalidInput as error:
        items, cursor, context["error"] = [], None, error
    context.update(items=items, cursor=cursor, choices=_filter_choices(post), query=_query(request.GET))
    template = "workbench/_queue_table.html" if request.headers.get("HX-Request") else "workbench/queue.html"
    return render(request, template, context)


@login_required
@require_POST
def bulk(request, post: str):
    _held(request, post)
    picked = request.POST.getlist("case")
    done, failed = bulking.run(request.user, post, request.POST.get("action", ""), picked, request.POST)
    if done:
        messages.success(request, _("{n} cases done.").format(n=done))
    for number, message in failed:
        messages.error(request, f"{number}: {message}")
    if not picked:
        messages.error(request, _("Select at least one case."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("workbench:queue", args=[post])
    return redirect(back)


@login_required
def case_file(request, case_id: int):
    return _case_page(request, case_id)


@login_required
@require_POST
def act(request, case_id: int, action: str):
    typed = actionforms.typed(request.POST)
    failure = actionforms.Failure(action, typed, kept=_kept(request.POST))
    try:
        _upload(request, case_id, failure)
        version = _version(request.POST)
        given = _inputs(typed, failure.kept)
        if "duplicate_of" in given:
            given["duplicate_of"] = _case_id(request.user, given["duplicate_of"])
        actions.act(case_id, request.user, action, version, **given)
    except CaseNotFound:
        raise Http404 from None
    except StaleCase:
        failure.stale, failure.message = True, _(STALE)
    except InvalidInput as error:
        failure.errors[error.field or ""] = error.message
    except CaseError as error:
        failure.message = error.message
    else:
        messages.success(request, _("Done: {action}.").format(action=_label(action)))
        return _after_action(request, case_id)
    return _case_page(request, case_id, failure, status=409 if failure.stale else 422)


@login_required
@require_GET
def conditions(request):
    """The 立案条件 options of a class, for the classification form (htmx swaps the select's options)."""
    code = request.GET.get("class_code", "")
    return render(request, "workbench/_conditions.html", {"choices": choices.conditions(code) if code else []})


def _case_page(request, case_id: int, failure=None, status: int = 200):
    try:
        case = queries.case_file(request.user, case_id, clock.now())
    except CaseNotFound:
        raise Http404 from None
    forms = actionforms.build(case, failure)
    # A failure of an action no longer offered (the case moved on) is shown above the forms, typed text and all.
    unplaced = failure if failure and failure.action not in {f.action for f in forms} else None
    if case["probable_duplicate"]:
        case["probable_duplicate_pair"] = [case, case["probable_duplicate"]]
    if case["limit"]:
        case["limit_text"] = choices.limit(Decimal(case["limit"]["value"]), case["limit"]["unit"])
    context = {
        "case": case, "forms": forms, "unplaced": unplaced, "photos": _photos(case), "map_messages": _map_messages(),
        "basemap": small_map_basemap(),
    }
    return render(request, "workbench/case.html", context, status=status)


def _after_action(request, case_id: int):
    # After 回退 or a dispatch elsewhere the case may have left this user's sight: back to the workbench then.
    try:
        access.access_case(request.user, case_id)
    except CaseNotFound:
        return redirect("workbench:home")
    return redirect("workbench:case", case_id=case_id)


def _held(request, post: str) -> list:
    """The user's appointments in `post`; 404 for a post they do not hold (or that has no queue)."""
    try:
        waiting = queries.QUEUE_STATES[Post(post)]
    except ValueError:
        raise Http404 from None
    if not waiting:
        raise Http404
    held = [a for a in access.appointments(request.user) if a.post == post]
    if not held:
        raise Http404
    return held


def _filters(get) -> dict:
    found = {name: get.get(name, "").strip() for name in ("area", "class_code", "source", "light", "since", "until")}
    found = {name: value for name, value in found.items() if value}
    if states := [s for s in get.getlist("state") if s]:
        found["states"] = states
    return found


def _filter_choices(post: str) -> dict:
    states = sorted(queries.QUEUE_STATES[Post(post)], key=list(State).index)
    return {
        "states": [(str(s), state_label(s)) for s in states],
        "sources": [(k, str(v)) for k, v in SOURCE_LABELS.items()],
        "lights": LIGHTS,
    }


def _query(get) -> str:
    """The filters as a query string, without the page cursor: for the next-page and refresh links."""
    query = get.copy()
    query.pop("after", None)
    return query.urlencode()


def _kept(post) -> list[int]:
    return [int(value) for value in post.getlist("attachments") if value.isdigit()]


def _upload(request, case_id: int, failure: actionforms.Failure) -> None:
    """Store the form's photos first (each its own transaction): a failed action keeps them for the retry."""
    for name, kind in actionforms.PHOTO_INPUTS.items():
        for upload in request.FILES.getlist(name):
            try:
                failure.kept.append(actions.add_attachment(case_id, request.user, upload, kind).pk)
            except InvalidInput as error:
                raise InvalidInput(error.msgid, name, **error.params) from error


def _case_id(user, typed: str) -> str:
    """A case named by its number (2026-1130-000123), as people know it, or by its id."""
    if typed.isdigit():
        return typed
    found = queries.id_of(user, typed)
    if found is None:
        raise InvalidInput(gettext_noop("There is no case numbered {value}."), "duplicate_of", value=typed)
    return str(found)


def _version(post) -> int:
    try:
        return int(post.get("version", ""))
    except ValueError:
        raise StaleCase(0) from None


def _inputs(typed: dict, attachments: list[int]) -> dict:
    given = {name: value for name, value in typed.items() if name != "non_routine"}
    if "non_routine" in typed:
        given["non_routine"] = True
    return {**given, "attachments": attachments} if attachments else given


def _photos(case: dict) -> dict:
    by_kind = {"before": [], "after": [], "evidence": []}
    for item in case["attachments"]:
        by_kind[item["kind"]].append(item)
    return by_kind


def small_map_basemap() -> dict:
    """The basemap of the small maps (case file, hotline console, citizens' form): the city map's setting, for tiles in
    WGS84; GCJ-02 tiles would need our layers shifted: none then."""
    if getattr(settings, "MAP_BASEMAP_CRS", "wgs84") not in ("wgs84", "cgcs2000"):
        return {}
    return {
        "url": getattr(settings, "MAP_BASEMAP_URL", ""), "subdomains": getattr(settings, "MAP_BASEMAP_SUBDOMAINS", ""),
        "max_zoom": getattr(settings, "MAP_BASEMAP_MAX_ZOOM", 18),
    }


def _map_messages() -> dict:
    return {"report": _("Reported here"), "grid": _("Unit grid"), "failed": _("The map could not be loaded.")}


def _label(action: str) -> str:
    try:
        return action_label(action)
    except ValueError:
        return action
