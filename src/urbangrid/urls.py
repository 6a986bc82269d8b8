from django.contrib import admin
from django.urls import include, path

from urbangrid.api.v1 import api
from urbangrid.web import views

admin.site.site_header = "UrbanGrid 数字城管"
admin.site.site_title = "UrbanGrid"

urlpatterns = [
    path("", views.home, name="home"),
    path("locate/", views.locate_point, name="locate"),
    path("map/", include("urbangrid.maps.urls")),
    path("work/", include("urbangrid.workbench.urls")),
    path("command/", include("urbangrid.command.urls")),
    path("accounts/", include("urbangrid.workbench.account_urls")),
    path("accounts/", include("urbangrid.accounts.urls")),
    path("evaluation/", include("urbangrid.evaluation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("urbangrid.open311.urls")),
    path("field/", include("urbangrid.field.urls")),
    path("hotline/", include("urbangrid.hotline.urls")),
    path("public/", include("urbangrid.citizens.urls")),
    path("province/", include("urbangrid.province.urls")),
    path("", include("urbangrid.ops.urls")),  # /healthz, /readyz, /metrics
]
