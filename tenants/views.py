"""Public-site views (sign-in, workspaces) and the views every host shares (language, sign-out)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from permissions.policy import requires

from .forms import LanguageForm, SignInForm
from .models import public_url
from .selectors import workspaces_for_user


def site_hosts(url: str) -> set[str]:
    """The host of `url` when it is the public site or one of its subdomains."""
    netloc = urlsplit(url).netloc
    host = netloc.rsplit(":", 1)[0].lower()
    base = settings.KB_BASE_DOMAIN
    return {netloc} if host == base or host.endswith("." + base) else set()


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "tenants/sign_in.html"
    redirect_authenticated_user = True

    def get_success_url_allowed_hosts(self) -> set[str]:
        hosts = super().get_success_url_allowed_hosts()
        return hosts | site_hosts(self.request.POST.get("next") or self.request.GET.get("next", ""))

    def form_valid(self, form):
        response = super().form_valid(form)  # logs in, cycling the session key
        now = int(time.time())
        self.request.session["kb_signed_in_at"] = now
        self.request.session["kb_seen_at"] = now
        return response


@requires("open")
@require_POST
def sign_out(request):
    logout(request)
    return HttpResponseRedirect(public_url(request, settings.LOGIN_URL))


def workspaces(request):
    """The public home: sign in, then every workspace the person belongs to."""
    clients = list(workspaces_for_user(request.user)) if request.user.is_authenticated else []
    items = [(client, client.url(request)) for client in clients]
    return render(request, "tenants/workspaces.html", {"items": items})


@requires("open")
@require_POST
def set_language(request):
    """Switch the interface language; saved on the person so it follows them everywhere."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or "/"
    allowed = {request.get_host()} | site_hosts(target)
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=allowed, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
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
