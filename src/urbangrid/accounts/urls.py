from django.urls import path

from urbangrid.accounts import views

urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDone.as_view(), name="password_change_done"),
]
