"""Changing one's own password: Django's views with our pages; a forced change is done once it succeeds."""

from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.auth import views as auth
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


class PasswordChange(auth.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        form.user.must_change_password = False  # saved together with the new password by form.save()
        return super().form_valid(form)

    def get_success_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()}, self.request.is_secure()):
            return f"{reverse('password_change_done')}?{urlencode({'next': target})}"
        return reverse("password_change_done")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": self.request.GET.get("next", ""),
                "forced": self.request.user.must_change_password}


class PasswordChangeDone(auth.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"

    def get_context_data(self, **kwargs):
        target = self.request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, {self.request.get_host()}, self.request.is_secure())
        return {**super().get_context_data(**kwargs), "next": target if safe else ""}


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (settings.AXES_LOCKOUT_CALLABLE): our page, in the user's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"username": get_client_username(request, credentials) or "", "minutes": minutes,
               "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "accounts/locked.html", context, status=429)
