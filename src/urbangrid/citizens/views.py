"""The citizens' pages (/public/): report a problem without an account, and look a report up by its code.

No login, so nothing here reads a case through cases.access: the report is entered by the channel's own user
(channel.py) and the look-up shows only stages.status, which holds no personal data, staff name or reason.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from urbangrid.cases import actions
from urbangrid.cases.errors import CaseError
from urbangrid.citizens import channel, stages, throttle
from urbangrid.citizens.forms import ReportForm
from urbangrid.workbench.views import small_map_basemap

FIELD_OF = {"lat": "lon", "reporter_phone": "phone", "file": "photos"}  # intake's field names → the form's


@require_http_methods(["GET", "POST"])
def report(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _form(request, form)
    if not form.is_valid():
        return _form(request, form, status=400)
    if wait := throttle.report_wait(request, form.cleaned_data["phone"]):
        form.add_error(None, _("Too many reports from here. Please try again in {seconds} seconds.").format(
            seconds=wait))
        response = _form(request, form, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        case = _take(form)
    except CaseError as error:
        field = FIELD_OF.get(error.field, error.field)
        form.add_error(field if field in form.fields else None, error.message)
        return _form(request, form, status=400)
    except channel.NoCentre:
        form.add_error(None, _("Reports cannot be taken at the moment. Please call 12319."))
        return _form(request, form, status=503)
    return redirect(reverse("citizens:received", args=[case.number]))


def _take(form: ReportForm):
    reporter = channel.reporter()
    case, created = actions.report(reporter, idempotency_key=f"public:{form.cleaned_data['key']}",
                                   **form.report_fields())
    if created:
        for photo in form.cleaned_data["photos"]:
            actions.add_attachment(case.pk, reporter, photo, "evidence")
    return case


def _form(request, form: ReportForm, status: int = 200):
    return render(request, "citizens/report.html", {"form": form, "basemap": small_map_basemap()}, status=status)


@require_GET
def received(request, number: str):
    if wait := throttle.lookup_wait(request):  # a look-up by another door: counted alike
        response = render(request, "citizens/status.html", {"error": _too_many_lookups(wait)}, status=429)
        response["Retry-After"] = str(wait)
        return response
    found = stages.status(number)
    if found is None:
        raise Http404
    return render(request, "citizens/received.html", {"status": found})


@require_GET
def status(request, number: str | None = None):
    number = (number or request.GET.get("code", "")).strip()
    context = {"code": number, "stages": stages.STAGES}
    if not number:
        return render(request, "citizens/status.html", context)
    if wait := throttle.lookup_wait(request):
        context["error"] = _too_many_lookups(wait)
        response = render(request, "citizens/status.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    context["status"] = found = stages.status(number)
    if found is None:
        context["error"] = _("No report has the code {code}. Check the code and try again.").format(code=number)
    return render(request, "citizens/status.html", context, status=200 if found else 404)




def _too_many_lookups(wait: int) -> str:
    return _("Too many look-ups from here. Please try again in {seconds} seconds.").format(seconds=wait)
