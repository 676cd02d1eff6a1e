from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import auth


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _("That e-mail address and password do not match. Check both and try again."),
        "inactive": _("This account is inactive."),
        "locked": _(
            "Too many failed attempts for this account from this browser. Wait %(minutes)s minutes "
            "and try again, or sign in from a browser you have signed in with before."
        ),
    }

    def clean(self):
        email = (self.cleaned_data.get("username") or "").lower()
        password = self.cleaned_data.get("password")
        if email and password:
            key = auth.attempt_key(self.request, email)  # this browser's device, or the untrusted ones
            attempt = auth.take_attempt(key)  # counted before the password is checked: see tenants.auth
            if not attempt.allowed:
                raise ValidationError(
                    self.error_messages["locked"], code="locked", params={"minutes": attempt.minutes}
                )
            self.user_cache = authenticate(self.request, username=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
            auth.clear_failures(key)
        return self.cleaned_data


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)
