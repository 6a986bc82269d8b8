"""The component inventory in the admin, built for hundreds of thousands of rows."""

from django import forms
from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urbangrid.catalog.models import CatalogClass
from urbangrid.components import exporting
from urbangrid.components.models import Component
from urbangrid.components.validation import code_message
from urbangrid.core import codes
from urbangrid.grid import locating


class LargeClassFilter(admin.SimpleListFilter):
    title = _("large class")
    parameter_name = "large_class"

    def lookups(self, request, model_admin):
        classes = CatalogClass.objects.filter(kind="component").order_by("large_class_code")
        pairs = classes.values_list("large_class_code", "large_class_name").distinct()
        return [(code, f"{code} {name}") for code, name in pairs]

    def queryset(self, request, queryset):
        return queryset.filter(klass__large_class_code=self.value()) if self.value() else queryset


class ComponentForm(forms.ModelForm):
    class Meta:
        model = Component
        fields = [
            "identifier", "name", "klass", "status", "competent_department", "owner_unit", "maintenance_unit",
            "lon", "lat", "initial_date", "change_date", "data_source", "remark",
        ]

    def clean(self):
        data = super().clean()
        self._check_identifier(data.get("identifier"), data.get("klass"))
        self._locate(data.get("lon"), data.get("lat"))
        return data

    def _check_identifier(self, identifier: str | None, klass: CatalogClass | None) -> None:
        if not identifier:
            return
        try:
            parsed = codes.parse_component_id(identifier, "identifier")
        except codes.CodeError as error:
            self.add_error("identifier", code_message(error))
            return
        if klass is not None and klass.code != parsed.class_code:
            message = _("Digits 7–11 of the identifier say class {expected}, but class {given} was chosen.")
            self.add_error("klass", message.format(expected=parsed.class_code, given=klass.code))

    def _locate(self, lon: float | None, lat: float | None) -> None:
        # The grid code is never typed in: it follows from the location, like in an import.
        if lon is None or lat is None:
            return
        code = locating.get_locator().locate_code(lon, lat)
        if code is None:
            self.add_error("lon", _("This point lies outside every unit grid of the city."))
        else:
            self.instance.grid_code = code


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    form = ComponentForm
    list_display = [
        "identifier", "name", "klass", "status", "grid_code", "competent_department", "change_date",
    ]
    list_filter = ["status", LargeClassFilter, "data_source"]
    search_fields = ["^identifier", "name"]
    list_select_related = ["klass", "competent_department"]
    autocomplete_fields = ["klass", "competent_department", "owner_unit", "maintenance_unit"]
    readonly_fields = ["grid_code", "updated_at"]
    show_full_result_count = False  # a second COUNT(*) over the whole inventory on every page is wasted
    list_per_page = 50
    actions = ["export_csv"]
    fieldsets = [
        (None, {"fields": ["identifier", "name", "klass", "status"]}),
        (_("Responsible units"), {"fields": ["competent_department", "owner_unit", "maintenance_unit"]}),
        (_("Location"), {"fields": ["lon", "lat", "grid_code"]}),
        (_("Record"), {"fields": ["initial_date", "change_date", "data_source", "remark", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        # GB/T 47678.5: the change date records when the component's state last changed.
        if change and "status" in form.changed_data and "change_date" not in form.changed_data:
            obj.change_date = timezone.localdate()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Export selected components as CSV"))
    def export_csv(self, request, queryset):
        response = StreamingHttpResponse(exporting.stream_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="components.csv"'
        return response
