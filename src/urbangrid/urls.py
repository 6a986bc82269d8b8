from django.contrib import admin
from django.urls import path

from urbangrid.api.v1 import api
from urbangrid.web import views

admin.site.site_header = "UrbanGrid 数字城管"
admin.site.site_title = "UrbanGrid"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
