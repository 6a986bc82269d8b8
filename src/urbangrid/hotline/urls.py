from django.urls import path

from urbangrid.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.console, name="console"),
    path("places/", views.place_search, name="places"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:case_id>/", views.follow_up, name="follow_up"),
]
