"""The provincial page (aggregates of every member city) and a city's published aggregates."""

import hmac
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from urbangrid.cases.labels import state_label
from urbangrid.province.models import CityAggregate, MemberCity
from urbangrid.province.publishing import aggregates

HEADLINE = ("reported", "opened", "closed", "overdue_unhandled")
HEADLINE_RATES = ("close_rate", "close_on_time_rate", "handle_on_time_rate")


def _month(value: str | None) -> date | None:
    if not value:
        return timezone.localdate().replace(day=1)
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        return None


@require_GET
def published(request):
    """This city's aggregates for ?month=YYYY-MM, for the province's puller (Authorization: Bearer <token>)."""
    token = settings.PROVINCE_PUBLISH_TOKEN
    if not token:
        raise Http404("this city publishes no aggregates")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"error": "invalid_token"}, status=401)
    month = _month(request.GET.get("month"))
    if month is None:
        return JsonResponse({"error": "invalid_input", "field": "month"}, status=422)
    return JsonResponse(aggregates(settings.CITY_CODE, settings.CITY_NAME, month),
                        json_dumps_params={"ensure_ascii": False})


@permission_required("province.view_cityaggregate")
def overview(request):
    month = _month(request.GET.get("month"))
    error = None
    if month is None:
        error, month = _("Give the month as YYYY-MM, e.g. 2026-11."), timezone.localdate().replace(day=1)
    found = {a.city_id: a for a in CityAggregate.objects.filter(month=month).select_related("city")}
    cities = []
    for city in MemberCity.objects.all():
        aggregate = found.get(city.pk)
        row = {"city": city, "aggregate": aggregate}
        if aggregate:
            data = aggregate.data
            totals = data["totals"]
            row["counts"] = [totals["counts"].get(n, 0) for n in HEADLINE]
            row["rates"] = [totals["rates"].get(n) for n in HEADLINE_RATES]
            row["districts"] = data["districts"]
            states: dict[str, int] = {}
            for r in data["open_by_state"]:
                states[r["state"]] = states.get(r["state"], 0) + r["count"]
            row["open"] = sum(states.values())
            row["states"] = sorted(((state_label(s), n) for s, n in states.items()), key=lambda x: -x[1])
        cities.append(row)
    return render(request, "province/overview.html", {
        "month": month, "cities": cities, "error": error,
        "headline": [_("Reported"), _("Opened"), _("Closed"), _("Overdue, not handled")],
        "headline_rates": [_("Closing rate"), _("On-time closing rate"), _("On-time handling rate")],
    })
