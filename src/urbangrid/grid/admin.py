"""Admin for areas: browse 100,000+ grids by district, level and validity; see each boundary on a small map.

Boundaries come from imports and generation, never from a form: the WKB is not editable here, and the
code, level and parent (which the code implies) are read-only once an area exists.
"""

import json
import math

import shapely
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping

from urbangrid.adminbase import ReadOnlyAdmin
from urbangrid.grid.models import Area, DataVersion

MAP_SIZE = 1000.0  # SVG user units of the longer side
MAP_DETAIL = 600.0  # boundaries are simplified to about 1/MAP_DETAIL of the map's extent


class DistrictFilter(admin.SimpleListFilter):
    title = _("district")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        districts = Area.objects.filter(level="district").values_list("code", "name")
        return [(code, f"{code} {name}") for code, name in districts]

    def queryset(self, request, queryset):
        return queryset.within_code(self.value()) if self.value() else queryset


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("retired", _("Retired"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "retired":
            return queryset.filter(valid_to__lte=timezone.localdate())
        return queryset


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "area_display", "valid_from", "valid_to")
    list_filter = ("level", DistrictFilter, ValidityFilter)
    search_fields = ("^code", "name")  # ^ = code prefix: "410105001" finds a street and everything in it
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    show_full_result_count = False  # a COUNT(*) over every grid on each page is wasted time
    list_per_page = 100
    ordering = ("code",)
    fields = ("code", "level", "name", "parent", "valid_from", "valid_to", "source", "area_display", "map",
              "geojson", "updated_at")
    readonly_fields = ("area_display", "map", "geojson", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        fixed = ("code", "level", "parent", "source") if obj is not None else ()
        return (*fixed, *self.readonly_fields)

    def has_add_permission(self, request):
        return False  # areas need a boundary: `urbangrid grids import` or `grids generate` makes them

    @admin.display(description=_("surface area"), ordering="area_m2")
    def area_display(self, obj: Area) -> str:
        return area_text(obj.area_m2)

    @admin.display(description=_("map"))
    def map(self, obj: Area):
        parent = obj.parent.shape if obj.parent_id else None
        return area_svg(obj.shape, parent)

    @admin.display(description=_("boundary (GeoJSON, WGS84)"))
    def geojson(self, obj: Area):
        text = json.dumps(mapping(obj.shape), ensure_ascii=False)
        return format_html("<details><summary>{}</summary><pre>{}</pre></details>", _("Show GeoJSON"), text)


@admin.register(DataVersion)
class DataVersionAdmin(ReadOnlyAdmin):
    list_display = ("name", "version")
    readonly_fields = ("name", "version")


def area_text(area_m2: float | None) -> str:
    if area_m2 is None:
        return "—"
    if area_m2 >= 1_000_000:
        return f"{area_m2 / 1_000_000:,.2f} km²"
    return f"{area_m2:,.0f} m²"


def area_svg(shape, parent=None):
    """An inline SVG of the area (filled) and its parent's outline, north up, east right."""
    min_x, min_y, max_x, max_y = _frame(shape, parent)
    # Degrees of longitude are shorter than degrees of latitude by cos(latitude).
    x_scale = math.cos(math.radians((min_y + max_y) / 2))
    width, height = max((max_x - min_x) * x_scale, 1e-12), max(max_y - min_y, 1e-12)
    unit = MAP_SIZE / max(width, height)

    def path(geom) -> str:
        simple = shapely.simplify(geom, max(width / x_scale, height) / MAP_DETAIL, preserve_topology=True)
        return " ".join(_ring_path(ring, min_x, max_y, x_scale, unit) for ring in _rings(simple))

    view = f"0 0 {width * unit:.1f} {height * unit:.1f}"
    parent_path = format_html('<path class="parent" d="{}" fill="none" stroke="#888" stroke-dasharray="8 6" '
                              'stroke-width="3" vector-effect="non-scaling-stroke"/>', path(parent)) if parent else ""
    return format_html(
        '<svg class="area-map" xmlns="http://www.w3.org/2000/svg" viewBox="{}" width="320" height="{}" '
        'role="img" aria-label="{}">{}<path class="area" d="{}" fill="#2b7bb9" fill-opacity="0.35" '
        'fill-rule="evenodd" stroke="#1b5e8f" stroke-width="2" vector-effect="non-scaling-stroke"/></svg>',
        view, min(max(round(320 * height / width), 40), 480), _("map of the area"), parent_path, path(shape),
    )


def _frame(shape, parent) -> tuple[float, float, float, float]:
    # The area with about its own size of surroundings, so that a 100 m grid is not a dot in its community;
    # the parent's outline shows as far as it reaches into that frame (the SVG viewport clips the rest).
    min_x, min_y, max_x, max_y = shape.bounds
    margin = max(max_x - min_x, max_y - min_y)
    context = shapely.box(min_x - margin, min_y - margin, max_x + margin, max_y + margin)
    around = shapely.union_all([g for g in (shape, parent) if g is not None]).envelope
    min_x, min_y, max_x, max_y = shapely.intersection(context, around).bounds
    pad = 0.02 * max(max_x - min_x, max_y - min_y)  # room for the strokes at the edge
    return min_x - pad, min_y - pad, max_x + pad, max_y + pad


def _rings(geom):
    for polygon in shapely.get_parts(geom):
        if polygon.geom_type == "Polygon" and not polygon.is_empty:
            yield polygon.exterior
            yield from polygon.interiors


def _ring_path(ring, min_x: float, max_y: float, x_scale: float, unit: float) -> str:
    points = format_html_join(
        " L ", "{} {}",
        (((f"{(x - min_x) * x_scale * unit:.1f}"), f"{(max_y - y) * unit:.1f}") for x, y in ring.coords[:-1]),
    )
    return f"M {points} Z"
