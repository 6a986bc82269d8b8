from django.contrib import admin

from urbangrid.province.models import CityAggregate, MemberCity


@admin.register(MemberCity)
class MemberCityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "url", "export_path")
    search_fields = ("code", "name")


@admin.register(CityAggregate)
class CityAggregateAdmin(admin.ModelAdmin):
    list_display = ("city", "month", "published_at", "pulled_at")
    list_filter = ("city",)
    readonly_fields = ("city", "month", "published_at", "pulled_at", "data")
