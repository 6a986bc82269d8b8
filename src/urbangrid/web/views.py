from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from urbangrid.grid.locating import PointError, locate
from urbangrid.web.overview import city_overview

CRS_CHOICES = [
    ("wgs84", _("WGS84 / CGCS2000 (GPS)")),
    ("gcj02", _("GCJ-02 (Gaode, Tencent maps)")),
    ("bd09", _("BD-09 (Baidu maps)")),
]


def home(request, **extra):
    context = {"overview": city_overview(), "crs_choices": CRS_CHOICES, "form": {"crs": "wgs84"}, **extra}
    return render(request, "web/home.html", context, status=400 if extra.get("error") else 200)


def locate_point(request):
    """The home page's "where is this point?" form: the same answer as /api/v1/locate, as a page."""
    form = {key: request.GET.get(key, "").strip() for key in ("lon", "lat", "crs")}
    form["crs"] = form["crs"].lower() or "wgs84"
    try:
        lon, lat = _coordinate(form, "lon", _("Longitude")), _coordinate(form, "lat", _("Latitude"))
        result = locate(lon, lat, form["crs"])
    except PointError as e:
        return home(request, form=form, error=e.message)
    return home(request, form=form, result=result)


def _coordinate(form: dict, field: str, label) -> float:
    try:
        return float(form[field])
    except ValueError:
        message = _("{field}: “{value}” is not a number in degrees, e.g. 113.6654.")
        raise PointError(field, message.format(field=label, value=form[field])) from None
