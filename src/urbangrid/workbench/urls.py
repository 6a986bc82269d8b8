from django.urls import path

from urbangrid.workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("queue/<str:post>/", views.queue, name="queue"),
    path("queue/<str:post>/bulk/", views.bulk, name="bulk"),
    path("cases/<int:case_id>/", views.case_file, name="case"),
    path("cases/<int:case_id>/act/<str:action>/", views.act, name="act"),
    path("conditions/", views.conditions, name="conditions"),
]
