from django.urls import path

from urbangrid.command import views

app_name = "command"

urlpatterns = [
    path("", views.screen, name="screen"),
    path("panels/", views.panels, name="panels"),
]
