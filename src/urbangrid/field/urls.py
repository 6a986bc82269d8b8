from django.urls import path

from urbangrid.field import views

app_name = "field"
urlpatterns = [
    path("", views.app, name="app"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("api/device", views.register_device, name="register_device"),
    path("api/bootstrap", views.bootstrap, name="bootstrap"),
    path("api/place", views.place, name="place"),
    path("api/reports", views.report, name="report"),
    path("api/tasks/<int:case_id>", views.task, name="task"),
    path("api/track", views.track, name="track"),
    path("api/alert", views.alert, name="alert"),
    path("tracks/", views.track_page, name="tracks"),
    path("tracks/data", views.track_data, name="track_data"),
    path("photos/<int:case_id>/<int:attachment_id>/thumbnail", views.thumbnail, name="thumbnail"),
]
