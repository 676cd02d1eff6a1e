"""Single sign-on per organisation, against a real OpenID provider on loopback
(django-oauth-toolkit in a process of its own: tests/idp) and, for the tokens that must be
refused, a hand-made provider whose tokens the test writes (tests/sso_helpers.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client as HttpClient
from joserfc.jwk import RSAKey

from sso.models import IdentityProvider
from sso.services import identity_provider_configure
from tenants.models import Membership, ProviderMembership, ProviderRole, Role, User

from .idp.server import Person, start
from .sso_helpers import HandMadeProvider, query_of, sign_in_at_idp

PUBLIC = "kb.localhost"
CALLBACK = f"http://{PUBLIC}/accounts/sso/callback/"
IDP_PASSWORD = "idp-pass-2026"


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    running = start(tmp_path_factory.mktemp("idp"), redirect_uris=[CALLBACK], people=[
        Person("newcomer", "newcomer@acme-sso.test", IDP_PASSWORD, "Nina Newcomer"),
        Person("agent", "new.agent@helios-sso.test", IDP_PASSWORD, "Arjun Agent", mfa=True),
        Person("lead", "lead@helios.test", IDP_PASSWORD, "Lead"),
        Person("liar", "someone@lumiere.test", IDP_PASSWORD, "Not Ours"),
    ])
    yield running
    running.stop()


@pytest.fixture
def hand_made():
    provider = HandMadeProvider()
    yield provider
    provider.stop()


def configure(idp, *, client=None, provider=None, domains, **extra) -> IdentityProvider:
    return identity_provider_configure(client=client, provider=provider, issuer=idp.issuer, client_id=idp.client_id,
                                       client_secret=idp.client_secret, domains=domains, **extra)


def start_sso(http: HttpClient, email: str, next_url: str = ""):
    return http.post("/accounts/sso/", {"email": email, "next": next_url}, HTTP_HOST=PUBLIC)


def authorize_url(answer) -> str:
    """The page that takes the person to their identity provider (a Refresh header and a link)."""
    assert answer.status_code == 200, answer.status_code
    url = answer.context["authorize_url"]
    assert answer["Refresh"] == f"0; url={url}"
    return url


def come_back(http: HttpClient, location: str):
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return http.get(parts.path, query_of(location), HTTP_HOST=PUBLIC)


def signed_in_id(http: HttpClient):
    return http.session.get("_auth_user_id")


def test_a_new_person_of_a_client_is_created_there_with_the_default_role(world, idp):
    configure(idp, client=world.acme, domains=["acme-sso.test"], default_role=Role.EDITOR)
    http = HttpClient()
    authorize = authorize_url(start_sso(http, "Newcomer@Acme-SSO.test"))
    assert authorize.startswith(f"{idp.issuer}/authorize/")
    params = query_of(authorize)
    assert params["client_id"] == idp.client_id and params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256" and params["code_challenge"]
    assert params["state"] and params["nonce"] and "openid" in params["scope"].split()

    answer = come_back(http, sign_in_at_idp(authorize, "newcomer", IDP_PASSWORD))

    assert answer.status_code == 302
    person = User.objects.get(email="newcomer@acme-sso.test")
    assert person.full_name == "Nina Newcomer" and not person.has_usable_password()
    assert Membership.objects.get(user=person).client == world.acme
    assert Membership.objects.get(user=person).role == Role.EDITOR
    assert int(signed_in_id(http)) == person.pk
    assert http.session["kb_auth_method"] == "sso"
    assert "kb_second_factor" not in http.session  # amr said only "pwd"
    # One sign-in serves the workspace.
    assert http.get("/", HTTP_HOST=f"acme.{PUBLIC}").status_code == 200


def test_a_new_person_of_a_provider_becomes_an_agent_and_their_second_factor_is_told(world, idp):
    configure(idp, provider=world.helios, domains=["helios-sso.test"])
    http = HttpClient()
    authorize = authorize_url(start_sso(http, "new.agent@helios-sso.test"))
    answer = come_back(http, sign_in_at_idp(authorize, "agent", IDP_PASSWORD))
    assert answer.status_code == 302
    person = User.objects.get(email="new.agent@helios-sso.test")
    membership = ProviderMembership.objects.get(user=person)
    assert (membership.provider, membership.role) == (world.helios, ProviderRole.AGENT)
    assert not Membership.objects.filter(user=person).exists()
    assert http.session["kb_second_factor"] == "sso"  # amr said "otp"


def test_an_existing_person_is_found_by_email_and_keeps_their_roles(world, idp):
    configure(idp, provider=world.helios, domains=["helios.test"])
    http = HttpClient()
    authorize = authorize_url(start_sso(http, "lead@helios.test", "/provider/"))
    answer = come_back(http, sign_in_at_idp(authorize, "lead", IDP_PASSWORD))
    assert answer.status_code == 302 and answer["Location"] == "/provider/"
    assert int(signed_in_id(http)) == world.lead.pk
    assert list(ProviderMembership.objects.filter(user=world.lead).values_list("role", flat=True)) == [ProviderRole.LEAD]
    assert User.objects.filter(email="lead@helios.test").count() == 1


def test_a_callback_with_another_state_signs_nobody_in(world, idp):
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    authorize = authorize_url(start_sso(http, "newcomer@acme-sso.test"))
    location = sign_in_at_idp(authorize, "newcomer", IDP_PASSWORD)
    params = query_of(location)
    answer = http.get("/accounts/sso/callback/", {**params, "state": "forged"}, HTTP_HOST=PUBLIC)
    assert answer.status_code == 400
    assert "Single sign-on did not complete" in answer.content.decode()
    assert signed_in_id(http) is None
    assert not User.objects.filter(email="newcomer@acme-sso.test").exists()


def test_a_callback_without_a_pending_sign_in_is_a_clear_page(db):
    answer = HttpClient().get("/accounts/sso/callback/", {"code": "x", "state": "y"}, HTTP_HOST=PUBLIC)
    assert answer.status_code == 400
    assert "Single sign-on did not complete" in answer.content.decode()


def test_the_identity_provider_may_not_vouch_for_an_address_of_another_domain(world, idp):
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    authorize = authorize_url(start_sso(http, "newcomer@acme-sso.test"))
    # The person signs in at the identity provider as someone whose address is lumiere's.
    answer = come_back(http, sign_in_at_idp(authorize, "liar", IDP_PASSWORD))
    assert answer.status_code == 403
    assert "does not own here" in answer.content.decode()
    assert signed_in_id(http) is None


def _hand_made_flow(world, hand_made, token_for):
    IdentityProvider.objects.filter(client=world.acme).delete()
    identity_provider_configure(client=world.acme, issuer=hand_made.issuer, client_id="ours", client_secret="s",
                                domains=["acme-sso.test"])
    http = HttpClient()
    authorize = authorize_url(start_sso(http, "someone@acme-sso.test"))
    params = query_of(authorize)
    hand_made.id_token = token_for(params["nonce"])
    return http, http.get("/accounts/sso/callback/", {"code": "c", "state": params["state"]}, HTTP_HOST=PUBLIC)


def test_a_well_made_token_from_the_hand_made_provider_signs_in(world, hand_made):
    """The control: the refusals below differ from this only by what they name."""
    http, answer = _hand_made_flow(world, hand_made, lambda nonce: hand_made.token(
        nonce=nonce, aud="ours", email="someone@acme-sso.test"))
    assert answer.status_code == 302
    assert User.objects.get(pk=signed_in_id(http)).email == "someone@acme-sso.test"


@pytest.mark.parametrize("case", ["wrong_key", "other_audience", "other_issuer", "expired", "other_nonce"])
def test_a_token_that_is_not_ours_is_refused(world, hand_made, case):
    wrong_key = RSAKey.generate_key(2048, parameters={"kid": "published"})  # same kid, not the published key
    tokens = {
        "wrong_key": lambda nonce: hand_made.token(nonce=nonce, aud="ours", email="someone@acme-sso.test",
                                                   key=wrong_key),
        "other_audience": lambda nonce: hand_made.token(nonce=nonce, aud="another-app", email="someone@acme-sso.test"),
        "other_issuer": lambda nonce: hand_made.token(nonce=nonce, aud="ours", email="someone@acme-sso.test",
                                                      iss="http://127.0.0.1:1/elsewhere"),
        "expired": lambda nonce: hand_made.token(nonce=nonce, aud="ours", email="someone@acme-sso.test",
                                                 iat=1_700_000_000, exp=1_700_000_300),
        "other_nonce": lambda nonce: hand_made.token(nonce="replayed", aud="ours", email="someone@acme-sso.test"),
    }
    http, answer = _hand_made_flow(world, hand_made, tokens[case])
    assert answer.status_code == 400
    assert "Single sign-on did not complete" in answer.content.decode()
    assert signed_in_id(http) is None
    assert not User.objects.filter(email="someone@acme-sso.test").exists()


def test_a_domain_without_single_sign_on_gets_the_password_sign_in(world, idp):
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    answer = start_sso(http, "editor@lumiere.test")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/sign-in/"
    page = http.get(answer["Location"], HTTP_HOST=PUBLIC).content.decode()
    assert "lumiere.test does not use single sign-on here" in page
    answer = http.post("/accounts/sign-in/", {"username": "editor@lumiere.test", "password": world.password},
                       HTTP_HOST=PUBLIC)
    assert answer.status_code == 302 and int(signed_in_id(http)) == world.lumiere_editor.pk


def test_an_organisation_that_requires_single_sign_on_refuses_the_password(world, idp):
    configure(idp, client=world.acme, domains=["acme.test"], require_sso=True)
    http = HttpClient()
    answer = http.post("/accounts/sign-in/", {"username": "Editor@acme.test", "password": world.password},
                       HTTP_HOST=PUBLIC)
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/sso/?")
    assert signed_in_id(http) is None
    page = http.get(answer["Location"], HTTP_HOST=PUBLIC).content.decode()
    assert "passwords are not accepted for your address" in page
    assert 'value="Editor@acme.test"' in page
    # Without the requirement, the same password signs in.
    IdentityProvider.objects.filter(client=world.acme).update(require_sso=False)
    answer = http.post("/accounts/sign-in/", {"username": "editor@acme.test", "password": world.password},
                       HTTP_HOST=PUBLIC)
    assert answer.status_code == 302 and int(signed_in_id(http)) == world.acme_editor.pk


def test_a_disabled_identity_provider_is_not_used(world, idp):
    configure(idp, client=world.acme, domains=["acme.test"], require_sso=True)
    IdentityProvider.objects.filter(client=world.acme).update(enabled=False)
    http = HttpClient()
    assert start_sso(http, "editor@acme.test")["Location"] == "/accounts/sign-in/"
    answer = http.post("/accounts/sign-in/", {"username": "editor@acme.test", "password": world.password},
                       HTTP_HOST=PUBLIC)
    assert answer.status_code == 302 and int(signed_in_id(http)) == world.acme_editor.pk


def test_an_identity_provider_that_does_not_answer_is_a_page_not_a_500(world):
    from .idp.server import free_port

    identity_provider_configure(client=world.acme, issuer=f"http://127.0.0.1:{free_port()}/gone", client_id="x",
                                client_secret="", domains=["acme-sso.test"])
    answer = start_sso(HttpClient(), "newcomer@acme-sso.test")
    assert answer.status_code == 502
    assert "Single sign-on did not complete" in answer.content.decode()


def test_the_email_step_checks_its_input(db):
    answer = HttpClient().post("/accounts/sso/", {"email": "not an address"}, HTTP_HOST=PUBLIC)
    assert answer.status_code == 200
    assert "field-error" in answer.content.decode()


def test_the_platform_admin_never_sees_the_client_secret_again(world, idp):
    identity_provider = configure(idp, client=world.acme, domains=["acme-sso.test"])
    admin = User.objects.create_superuser("root@kb.test", "root-pass-2026")
    http = HttpClient()
    http.force_login(admin)
    url = f"/admin/sso/identityprovider/{identity_provider.pk}/change/"
    page = http.get(url, HTTP_HOST=PUBLIC)
    assert page.status_code == 200
    assert idp.client_secret not in page.content.decode()
    form = {"client": world.acme.pk, "provider": "", "protocol": "oidc", "enabled": "on", "issuer": idp.issuer,
            "discovery_url": "", "oidc_client_id": idp.client_id, "oidc_client_secret": "", "default_role": "viewer",
            "domains-TOTAL_FORMS": "1", "domains-INITIAL_FORMS": "1", "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000", "domains-0-id": identity_provider.domains.get().pk,
            "domains-0-identity_provider": identity_provider.pk, "domains-0-domain": "acme-sso.test"}
    answer = http.post(url, form, HTTP_HOST=PUBLIC)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    identity_provider.refresh_from_db()
    assert identity_provider.oidc_client_secret == idp.client_secret  # empty kept it


def test_the_admin_refuses_two_organisations_or_none(world, idp):
    admin = User.objects.create_superuser("root@kb.test", "root-pass-2026")
    http = HttpClient()
    http.force_login(admin)
    form = {"client": world.acme.pk, "provider": world.helios.pk, "protocol": "oidc", "enabled": "on",
            "issuer": idp.issuer, "oidc_client_id": "x", "default_role": "viewer",
            "domains-TOTAL_FORMS": "0", "domains-INITIAL_FORMS": "0", "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000"}
    answer = http.post("/admin/sso/identityprovider/add/", form, HTTP_HOST=PUBLIC)
    assert answer.status_code == 200
    assert "Choose either a client company or a provider organisation" in answer.content.decode()
    assert not IdentityProvider.objects.exists()


def test_the_configure_command_sets_a_providers_identity_provider_and_its_domains(world, idp):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("sso_configure", "--provider", world.helios.name, "--issuer", idp.issuer, "--client-id", "kb",
                 "--domain", "Helios-SSO.test", "--domain", "@helios2-sso.test", "--require-sso", stdout=None)
    identity_provider = IdentityProvider.objects.get(provider=world.helios)
    assert identity_provider.require_sso and identity_provider.client is None
    assert sorted(identity_provider.domains.values_list("domain", flat=True)) == ["helios-sso.test", "helios2-sso.test"]
    call_command("sso_configure", "--provider", world.helios.name, "--issuer", idp.issuer, "--client-id", "kb",
                 "--domain", "helios-sso.test")
    assert list(identity_provider.domains.values_list("domain", flat=True)) == ["helios-sso.test"]
    with pytest.raises(CommandError, match="domain such as"):
        call_command("sso_configure", "--client", "acme", "--issuer", idp.issuer, "--client-id", "kb",
                     "--domain", "not a domain")


def test_a_tenant_admin_sets_their_workspaces_single_sign_on_but_not_its_domains(world, idp, in_tenant):
    from audit.models import Action, AuditEvent

    from .factories import host, http_as

    http = http_as(world.acme_admin)
    page = http.get("/access/sso/", HTTP_HOST=host(world.acme))
    assert page.status_code == 200
    assert "No e-mail domain yet" in page.content.decode()
    form = {"issuer": idp.issuer, "discovery_url": "", "oidc_client_id": idp.client_id,
            "oidc_client_secret": idp.client_secret, "default_role": "editor", "require_sso": "on", "enabled": "on"}
    assert http.post("/access/sso/", form, HTTP_HOST=host(world.acme)).status_code == 302
    identity_provider = IdentityProvider.objects.get(client=world.acme)
    assert (identity_provider.oidc_client_secret, identity_provider.default_role) == (idp.client_secret, "editor")
    assert not identity_provider.domains.exists()
    assert sso_required_for_editor() is None  # no domain: nobody is sent anywhere
    # Saved again without a secret: the stored one is kept, and never shown.
    answer = http.post("/access/sso/", {**form, "oidc_client_secret": "", "require_sso": ""},
                       HTTP_HOST=host(world.acme))
    assert answer.status_code == 302
    identity_provider.refresh_from_db()
    assert identity_provider.oidc_client_secret == idp.client_secret and not identity_provider.require_sso
    page = http.get("/access/sso/", HTTP_HOST=host(world.acme)).content.decode()
    assert idp.client_secret not in page and "A client secret is stored" in page
    in_tenant(world.acme)
    events = list(AuditEvent.objects.filter(action=Action.SETTINGS_CHANGED, object_label="Single sign-on")
                  .order_by("at", "pk"))
    assert [event.detail["secret_changed"] for event in events] == [True, False]
    assert all(idp.client_secret not in str(event.detail) for event in events)


def test_a_tenant_admins_bad_issuer_is_a_clear_error(world):
    from .factories import host, http_as

    answer = http_as(world.acme_admin).post("/access/sso/", {"issuer": "not a url", "oidc_client_id": "x",
                                                               "default_role": "viewer"}, HTTP_HOST=host(world.acme))
    assert answer.status_code == 200 and "field-error" in answer.content.decode()
    assert not IdentityProvider.objects.filter(client=world.acme).exists()


def sso_required_for_editor():
    from sso.discovery import sso_required_for

    return sso_required_for("editor@acme.test")


def test_a_provider_lead_sets_their_providers_single_sign_on(world, idp):
    from .factories import http_as

    url = f"/provider/{world.helios.pk}/sso/"
    http = http_as(world.lead)
    page = http.get(url, HTTP_HOST=PUBLIC)
    assert page.status_code == 200 and "default_role" not in page.content.decode()
    form = {"issuer": idp.issuer, "oidc_client_id": idp.client_id, "oidc_client_secret": "s3cret", "enabled": "on"}
    assert http.post(url, form, HTTP_HOST=PUBLIC).status_code == 302
    identity_provider = IdentityProvider.objects.get(provider=world.helios)
    assert identity_provider.oidc_client_secret == "s3cret" and identity_provider.client is None
    # An agent of the same provider, and another provider's id, get nothing.
    assert http_as(world.agent_both).get(url, HTTP_HOST=PUBLIC).status_code == 404
    assert http_as(world.agent_both).post(url, {**form, "oidc_client_secret": "mine"}, HTTP_HOST=PUBLIC).status_code == 404
    identity_provider.refresh_from_db()
    assert identity_provider.oidc_client_secret == "s3cret"
    assert http.get(f"/provider/{world.helios.pk + 999}/sso/", HTTP_HOST=PUBLIC).status_code == 404


def test_an_organisations_identity_provider_never_signs_in_a_platform_admin(world, hand_made):
    User.objects.create_superuser("someone@acme-sso.test", "root-pass-2026")
    http, answer = _hand_made_flow(world, hand_made, lambda nonce: hand_made.token(
        nonce=nonce, aud="ours", email="someone@acme-sso.test"))
    assert answer.status_code == 403
    assert "Platform admins sign in with their password" in answer.content.decode()
    assert signed_in_id(http) is None
