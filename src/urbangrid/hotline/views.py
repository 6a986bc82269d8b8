"""The 12319 hotline console (/hotline/): take a call, find the place, answer or report; the 回访 queue.

Only 受理员 open it (calls.may_answer); the rest get 403, the signed-out the sign-in page. Every case change
goes through cases.actions (calls.py); errors of the intake come back next to the field they are about.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from urbangrid.cases import access, clock, queries
from urbangrid.cases.errors import CaseError, CaseNotFound
from urbangrid.cases.labels import SOURCE_LABELS
from urbangrid.hotline import calls, places
from urbangrid.hotline.forms import CallForm, FollowUpForm
from urbangrid.hotline.models import Call
from urbangrid.workbench.views import small_map_basemap

RECENT = 10
FOLLOW_UP_PAGE = 20
FIELD_OF = {"lon": "address", "lat": "address", "description": "said", "reporter_phone": "phone",
            "reporter_name": "caller_name"}  # intake's field names → the console's


def operator_only(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not calls.may_answer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


@operator_only
@require_http_methods(["GET", "POST"])
def console(request):
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _take(request, form)
        if done is not None:
            return done
    return _console(request, form, status=400 if form.is_bound else 200)


def _take(request, form: CallForm):
    data = form.cleaned_data
    if data["call_kind"] == "enquiry":
        calls.enquiry(request.user, data["phone"], data["said"], data["answer"])
        messages.success(request, _("Enquiry recorded and closed."))
        return redirect("hotline:console")
    try:
        case = calls.complaint(request.user, data["key"], form.report_fields())[0]
    except CaseError as error:
        field = FIELD_OF.get(error.field, error.field)
        form.add_error(field if field in form.fields else None, error.message)
        return None
    return redirect(f"{reverse('hotline:console')}?created={case.pk}")


def _console(request, form: CallForm, status: int = 200):
    context = {
        "form": form, "tallies": calls.today(clock.now()), "basemap": small_map_basemap(),
        "recent": Call.objects.filter(operator=request.user).select_related("case")[:RECENT],
        "waiting": calls.waiting_badge(clock.now()), "created": _created_case(request),
    }
    return render(request, "hotline/console.html", context, status=status)


def _created_case(request) -> dict | None:
    case_id = request.GET.get("created", "")
    number = queries.number_of(request.user, int(case_id)) if case_id.isdigit() else None
    return {"id": int(case_id), "number": number} if number else None


@operator_only
@require_GET
def place_search(request):
    found = places.search(request.GET.get("q", ""))
    return render(request, "hotline/_places.html", {"places": found, "q": request.GET.get("q", "")})


@operator_only
@require_GET
def follow_ups(request):
    # The oldest FOLLOW_UP_PAGE: a call-back takes minutes, and each row (its form's widgets) costs ≈1 ms to write.
    waiting = list(calls.awaiting_follow_up(clock.now())[: FOLLOW_UP_PAGE + 1])
    for case in waiting[:FOLLOW_UP_PAGE]:
        case.source_label = SOURCE_LABELS[case.source]
    forms = [(case, FollowUpForm(initial={"version": case.version}, prefix=f"c{case.pk}"))
             for case in waiting[:FOLLOW_UP_PAGE]]
    context = {"rows": forms, "days": calls.follow_up_days(), "more": len(waiting) > FOLLOW_UP_PAGE}
    return render(request, "hotline/follow_ups.html", context)


@operator_only
@require_POST
def follow_up(request, case_id: int):
    try:
        case = access.access_case(request.user, case_id, "follow_up")
    except CaseNotFound:
        raise Http404 from None
    form = FollowUpForm(request.POST, prefix=f"c{case.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            calls.follow_up(request.user, case.pk, data["version"], data["satisfied"], data["said"])
        except CaseError as error:
            form.add_error("said" if error.field == "reason" else None, error.message)
        else:
            done = (
                _("Follow-up of {number} recorded.") if data["satisfied"]
                else _("{number} reopened: back to the supervision centre.")
            )
            messages.success(request, done.format(number=case.number))
            return redirect("hotline:follow_ups")
    case.source_label = SOURCE_LABELS[case.source]
    context = {"rows": [(case, form)], "days": calls.follow_up_days()}
    return render(request, "hotline/follow_ups.html", context, status=400)
