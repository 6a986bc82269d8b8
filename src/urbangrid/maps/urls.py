from django.urls import path

from urbangrid.maps import views

app_name = "maps"

urlpatterns = [
    path("", views.city_map, name="city"),
    path("areas.geojson", views.areas_geojson, name="areas"),
    path("components.geojson", views.components_geojson, name="components"),
    path("areas/<str:code>.json", views.area_json, name="area"),
    path("cases.geojson", views.cases_geojson, name="cases"),
    path("heat.json", views.heat_json, name="heat"),
]
