"""Django's password validators with our own wording, so every message has a Chinese translation.

(Django's own Chinese catalogue lags behind its English: "too short" shows in English under zh-hans.)
"""

from django.contrib.auth import password_validation as django
from django.utils.translation import gettext as _


class MinimumLength(django.MinimumLengthValidator):
    def get_error_message(self):
        return _("This password is too short: it needs at least {n} characters.").format(n=self.min_length)

    def get_help_text(self):
        return _("Your password needs at least {n} characters.").format(n=self.min_length)


class NotSimilar(django.UserAttributeSimilarityValidator):
    def __init__(self, user_attributes=("username", "display_name", "email", "phone"), max_similarity=0.7):
        super().__init__(user_attributes, max_similarity)

    def get_error_message(self):
        return _("This password is too similar to your %(verbose_name)s.")

    def get_help_text(self):
        return _("Your password can’t be like your user name, name, e-mail or phone number.")


class NotCommon(django.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is one of the most common passwords.")

    def get_help_text(self):
        return _("Your password can’t be a commonly used one.")


class NotNumeric(django.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password has only digits.")

    def get_help_text(self):
        return _("Your password can’t be digits only.")
