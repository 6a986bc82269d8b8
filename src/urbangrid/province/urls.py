from django.urls import path

from urbangrid.province import views

app_name = "province"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("published.json", views.published, name="published"),
]
