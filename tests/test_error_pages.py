"""The product's own error pages (kbportal/errors.py): 404 and 403 in the shell, saying who to
ask (to members only) and the way back; 400 and 500 static, with no database; CSRF failures;
translated. The demo's settings serving them are in tests/test_demo_settings.py."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.utils import translation

from kbportal import errors
from tenants import services
from tenants.models import Role, User

from .conftest import PASSWORD, host

ADMIN_NAME = "Zelda Acmeadmin"


def _http(user=None, language="en", **extra) -> HttpClient:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False, **extra)
    if user is not None:
        http.force_login(user)
    return http


@pytest.fixture
def named_admin(world):
    admin = User.objects.create_user("zelda@acme.test", PASSWORD, full_name=ADMIN_NAME)
    services.membership_set(user=admin, client=world.acme, role=Role.ADMIN)
    return admin


def _missing(http, world, path="/articles/nope/nothing-here/"):
    return http.get(path, HTTP_HOST=host(world.acme))


def test_the_404_of_a_provider_agent_names_the_admins_and_leads_back_to_the_lookup(world, named_admin):
    response = _missing(_http(world.agent_acme), world)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-error-page="404"' in html
    assert "This page does not exist, or you no longer have access to it." in html
    assert ADMIN_NAME in html
    assert 'href="/search/"' in html and "Back to the lookup" in html
    assert "Acme Parcels" in html  # in the shell: the workspace's header


def test_the_404_of_client_staff_leads_back_home(world, named_admin):
    html = _missing(_http(world.acme_viewer), world).content.decode()
    assert ADMIN_NAME in html
    assert "Back to the home page" in html and "Back to the lookup" not in html


@pytest.mark.parametrize("who", ["outsider", "lumiere_admin", None])
def test_the_404_names_nobody_to_someone_without_access_to_the_workspace(world, named_admin, who):
    http = _http(getattr(world, who) if who else None)
    response = _missing(http, world) if who else http.get("/nope/", HTTP_HOST=settings.KB_BASE_DOMAIN)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-error-page="404"' in html
    assert ADMIN_NAME not in html and "Acme Parcels" not in html
    assert "Your workspaces" in html


def test_a_host_of_no_workspace_is_a_404_product_page(world):
    response = _http().get("/", HTTP_HOST=f"nowhere.{settings.KB_BASE_DOMAIN}")
    assert response.status_code == 404
    assert b'data-error-page="404"' in response.content


def test_the_404_speaks_french(world, named_admin):
    html = _missing(_http(world.agent_acme, language="fr"), world).content.decode()
    assert "Page introuvable" in html
    assert "Retour à la recherche" in html


def test_a_host_outside_the_allowed_ones_is_a_static_400_page(world):
    response = _http().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b'data-error-page="400"' in response.content
    assert b"DisallowedHost" not in response.content and b"evil.example" not in response.content


def test_too_many_fields_is_a_400_product_page(world):
    query = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = _http().get(f"/accounts/sign-in/?{query}", HTTP_HOST=settings.KB_BASE_DOMAIN)
    assert response.status_code == 400
    assert b'data-error-page="400"' in response.content


def test_the_500_page_renders_without_the_database():
    """No database for this test: a query would raise."""
    request = RequestFactory().get("/", HTTP_HOST=settings.KB_BASE_DOMAIN)
    with translation.override("fr"):
        response = errors.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert 'data-error-page="500"' in html and "Une erreur est survenue" in html
    assert 'lang="fr"' in html and "/static/css/app.css" in html


def test_a_form_without_its_csrf_token_is_a_403_product_page(world):
    http = _http(enforce_csrf_checks=True)
    response = http.post("/accounts/sign-in/", {"username": "a@b.test", "password": "x"},
                         HTTP_HOST=settings.KB_BASE_DOMAIN)
    assert response.status_code == 403
    assert b"The form has expired" in response.content


def test_a_404_page_whose_shell_breaks_falls_back_to_the_static_shell(world, monkeypatch):
    """Whatever breaks the shell (here the workspace switcher), the page still answers."""
    def broken(user):
        raise RuntimeError("the switcher broke")

    monkeypatch.setattr("tenants.context_processors.workspaces_for_user", broken)
    response = _missing(_http(world.acme_viewer), world)
    assert response.status_code == 404
    assert b'data-error-page="404"' in response.content


def test_the_500_page_answers_even_when_its_template_cannot_render(monkeypatch):
    def broken(name, *args, **kwargs):
        raise ValueError(f"Missing staticfiles manifest entry for {name}")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
