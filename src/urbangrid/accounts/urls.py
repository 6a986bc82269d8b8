from django.urls import path

from urbangrid.accounts import twofactor, views

urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDone.as_view(), name="password_change_done"),
    path("two-factor/", twofactor.setup, name="otp_setup"),
    path("two-factor/verify/", twofactor.verify, name="otp_verify"),
]
