"""Sign in and out with our own pages (zh-Hans first), not the admin's."""

from django.contrib.auth import views as auth
from django.urls import path

urlpatterns = [
    path("login/", auth.LoginView.as_view(template_name="workbench/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth.LogoutView.as_view(next_page="home"), name="logout"),
]
