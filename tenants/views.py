"""Public-site views (sign-in, workspaces) and the views every host shares (language, sign-out)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from permissions.policy import requires
from sso.discovery import sso_required_for
from twofactor import services as twofactor

from . import auth
from .forms import LanguageForm, SignInForm
from .models import public_url
from .redirects import safe_next
from .selectors import workspaces_for_user


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "tenants/sign_in.html"
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        """`next` when it is a page of ours (tenants.redirects), else "" (the default page)."""
        target = self.request.POST.get(self.redirect_field_name, self.request.GET.get(self.redirect_field_name))
        return safe_next(self.request, target, default="")

    def post(self, request, *args, **kwargs):
        email = request.POST.get("username", "")
        if sso_required_for(email):  # the organisation refuses passwords: its identity provider signs in
            return HttpResponseRedirect(f"{reverse('sso:start')}?{urlencode({'email': email, 'required': 1, 'next': request.POST.get('next', '')})}")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)  # logs in, cycling the session key
        now = int(time.time())
        self.request.session["kb_signed_in_at"] = now
        self.request.session["kb_seen_at"] = now
        # The password was right: this browser is trusted for the account (tenants.auth).
        auth.remember_device(self.request, response, form.get_user().email)
        if twofactor.start_second_step(self.request, form.get_user()):
            # Signed in, but nothing opens before the second factor (twofactor.middleware).
            response["Location"] = f"{reverse('two-factor-verify')}?{urlencode({'next': self.get_success_url()})}"
        return response


@requires("open")
@require_POST
def sign_out(request):
    logout(request)
    return HttpResponseRedirect(public_url(request, settings.LOGIN_URL))


def workspaces(request):
    """The public home: sign in, then every workspace the person belongs to. Right after signing
    in, a person with exactly one workspace lands in it (later visits show the list)."""
    clients = list(workspaces_for_user(request.user)) if request.user.is_authenticated else []
    items = [(client, client.url(request)) for client in clients]
    signed_in_at = request.session.pop(JUST_SIGNED_IN, None) if request.user.is_authenticated else None
    if signed_in_at and time.time() - signed_in_at < 60 and len(items) == 1:
        return HttpResponseRedirect(items[0][1])
    return render(request, "tenants/workspaces.html", {"items": items})


JUST_SIGNED_IN = "kb_just_signed_in"


def mark_just_signed_in(sender, request, user, **kwargs):
    """`user_logged_in`: the next visit of the workspaces page is the one after signing in."""
    if request is not None and hasattr(request, "session"):
        request.session[JUST_SIGNED_IN] = time.time()


@requires("open")
@require_POST
def set_language(request):
    """Switch the interface language; saved on the person so it follows them everywhere."""
    form = LanguageForm(request.POST)
    response = HttpResponseRedirect(safe_next(request, request.POST.get("next")))
    if form.is_valid() and check_for_language(form.cleaned_data["language"]):
        language = form.cleaned_data["language"]
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        )
    return response
