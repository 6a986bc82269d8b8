from django.urls import path

from urbangrid.citizens import views

app_name = "citizens"
urlpatterns = [
    path("", views.report, name="report"),
    path("received/<str:number>/", views.received, name="received"),
    path("status/", views.status, name="lookup"),
    path("status/<str:number>/", views.status, name="status"),
]
