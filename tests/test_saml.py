"""Single sign-on with SAML 2.0 (python3-saml): the AuthnRequest our service provider sends, and
real Responses signed with a key made for the run (tests/saml_helpers.py) posted to the assertion
consumer service. A good one signs the person in, in the right organisation; one signed with
another key, for another audience, replayed, answering no request of this browser, or expired is
refused with a page (400/403), and nobody is signed in."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from lxml import etree

from sso.models import IdentityProvider, Protocol, SsoDomain
from tenants.models import Membership, ProviderMembership, ProviderRole, Role, User

from .saml_helpers import SamlIdentityProvider, authn_request, key_pair

PUBLIC = "kb.localhost"
ACS = f"http://{PUBLIC}/accounts/sso/saml/acs/"
METADATA = f"http://{PUBLIC}/accounts/sso/saml/metadata/"
IDP_ENTITY = "https://idp.acme-sso.test/saml/metadata"
IDP_SSO = "https://idp.acme-sso.test/saml/sso"
NS = {"samlp": "urn:oasis:names:tc:SAML:2.0:protocol", "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
      "md": "urn:oasis:names:tc:SAML:2.0:metadata"}


@pytest.fixture(scope="module")
def keys():
    return key_pair("acme-idp"), key_pair("someone-else")


@pytest.fixture
def idp(keys):
    return SamlIdentityProvider(entity_id=IDP_ENTITY, keys=keys[0])


def configure(idp, *, client=None, provider=None, domains, **extra) -> IdentityProvider:
    identity_provider = IdentityProvider(client=client, provider=provider, protocol=Protocol.SAML,
                                         saml_entity_id=idp.entity_id, saml_sso_url=IDP_SSO,
                                         saml_x509_cert=idp.keys.cert_pem, **extra)
    identity_provider.full_clean()
    identity_provider.save()
    for domain in domains:
        SsoDomain.objects.create(identity_provider=identity_provider, domain=domain)
    return identity_provider


def start(http: HttpClient, email: str, next_url: str = "") -> str:
    """The e-mail step; the ID of the AuthnRequest the browser is sent to the identity provider with."""
    answer = http.post("/accounts/sso/", {"email": email, "next": next_url}, HTTP_HOST=PUBLIC)
    assert answer.status_code == 200, answer.status_code
    url = answer.context["authorize_url"]
    assert answer["Refresh"] == f"0; url={url}"
    assert url.startswith(IDP_SSO + "?")
    request = authn_request(url)
    assert request.get("AssertionConsumerServiceURL") == ACS and request.get("Destination") == IDP_SSO
    assert request.findtext("saml:Issuer", namespaces=NS) == METADATA
    return request.get("ID")


def post(http: HttpClient, saml_response: str, **extra):
    return http.post("/accounts/sso/saml/acs/", {"SAMLResponse": saml_response, "RelayState": ACS, **extra},
                     HTTP_HOST=PUBLIC)


def good(idp, request_id: str, email: str, **extra) -> str:
    return idp.response(in_response_to=request_id, acs_url=ACS, audience=METADATA, email=email, **extra)


def signed_in_id(http: HttpClient):
    return http.session.get("_auth_user_id")


def test_a_new_person_of_a_client_is_created_there_with_the_default_role(world, idp):
    configure(idp, client=world.acme, domains=["acme-sso.test"], default_role=Role.EDITOR)
    http = HttpClient()
    request_id = start(http, "Newcomer@Acme-SSO.test")
    answer = post(http, good(idp, request_id, "newcomer@acme-sso.test", name="Nina Newcomer"))
    assert answer.status_code == 302, answer.content.decode()[:500]
    person = User.objects.get(email="newcomer@acme-sso.test")
    assert person.full_name == "Nina Newcomer" and not person.has_usable_password()
    membership = Membership.objects.get(user=person)
    assert (membership.client, membership.role) == (world.acme, Role.EDITOR)
    assert int(signed_in_id(http)) == person.pk
    assert http.session["kb_auth_method"] == "sso" and "kb_second_factor" not in http.session
    assert http.get("/", HTTP_HOST=f"acme.{PUBLIC}").status_code == 200  # one sign-in serves the workspace


def test_a_new_person_of_a_provider_becomes_an_agent(world, idp):
    configure(idp, provider=world.helios, domains=["helios-sso.test"])
    http = HttpClient()
    answer = post(http, good(idp, start(http, "new.agent@helios-sso.test"), "new.agent@helios-sso.test"))
    assert answer.status_code == 302
    membership = ProviderMembership.objects.get(user__email="new.agent@helios-sso.test")
    assert (membership.provider, membership.role) == (world.helios, ProviderRole.AGENT)


def test_an_existing_person_is_found_by_email_and_goes_where_they_were_going(world, idp):
    configure(idp, provider=world.helios, domains=["helios.test"])
    http = HttpClient()
    answer = post(http, good(idp, start(http, "lead@helios.test", "/provider/"), "LEAD@helios.test"))
    assert answer.status_code == 302 and answer["Location"] == "/provider/"
    assert int(signed_in_id(http)) == world.lead.pk
    assert User.objects.filter(email__iexact="lead@helios.test").count() == 1


def _refused(http, answer, status=400):
    assert answer.status_code == status, answer.content.decode()[:500]
    assert "Single sign-on did not complete" in answer.content.decode()
    assert signed_in_id(http) is None


@pytest.mark.parametrize("case", ["wrong_key", "other_audience", "other_issuer", "other_destination", "expired",
                                  "unknown_request", "unsolicited", "unsigned"])
def test_a_response_that_is_not_for_us_is_refused(world, idp, keys, case):
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    request_id = start(http, "someone@acme-sso.test")
    email = "someone@acme-sso.test"
    hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    responses = {
        "wrong_key": lambda: good(idp, request_id, email, key=keys[1]),
        "other_audience": lambda: idp.response(in_response_to=request_id, acs_url=ACS, audience="https://other.sp/",
                                               email=email),
        "other_issuer": lambda: good(idp, request_id, email, issuer="https://idp.elsewhere.test/"),
        "other_destination": lambda: idp.response(in_response_to=request_id, acs_url="https://other.sp/acs",
                                                  audience=METADATA, email=email),
        "expired": lambda: good(idp, request_id, email, now=hour_ago),
        "unknown_request": lambda: good(idp, "_not-a-request-we-sent", email),
        "unsolicited": lambda: good(idp, None, email),  # type: ignore[arg-type]
        "unsigned": lambda: good(idp, request_id, email, signed=False),
    }
    _refused(http, post(http, responses[case]()))
    assert not User.objects.filter(email=email).exists()


def test_a_response_is_accepted_once_and_only_by_the_browser_that_asked(world, idp):
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    response = good(idp, start(http, "someone@acme-sso.test"), "someone@acme-sso.test")
    assert post(http, response).status_code == 302
    # Replayed in the same browser: its request was answered already.
    answer = post(http, response)
    assert answer.status_code == 400 and "Single sign-on did not complete" in answer.content.decode()
    # Replayed by another browser, which sent a request of its own: not the request it answers.
    other = HttpClient()
    start(other, "someone@acme-sso.test")
    _refused(other, post(other, response))


def test_an_assertion_is_accepted_once_even_inside_another_response(world, idp):
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    first, second = HttpClient(), HttpClient()
    assertion = f"_{uuid.uuid4().hex}"  # a name of the run: the cache outlives it
    answer = post(first, good(idp, start(first, "a@acme-sso.test"), "a@acme-sso.test", assertion_id=assertion))
    assert answer.status_code == 302
    _refused(second, post(second, good(idp, start(second, "a@acme-sso.test"), "a@acme-sso.test",
                                       assertion_id=assertion)))
    other = HttpClient()  # the control: the same, with an assertion of its own, signs in
    assert post(other, good(idp, start(other, "a@acme-sso.test"), "a@acme-sso.test")).status_code == 302


def test_a_refused_response_uses_up_the_request(world, idp, keys):
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    request_id = start(http, "someone@acme-sso.test")
    _refused(http, post(http, good(idp, request_id, "someone@acme-sso.test", key=keys[1])))
    _refused(http, post(http, good(idp, request_id, "someone@acme-sso.test")))  # a second try needs a new request


def test_the_identity_provider_may_not_vouch_for_an_address_of_another_domain(world, idp):
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    answer = post(http, good(idp, start(http, "newcomer@acme-sso.test"), "someone@lumiere.test"))
    _refused(http, answer, status=403)
    assert "does not own here" in answer.content.decode()


def test_a_platform_admin_is_never_signed_in_by_an_organisation(world, idp):
    User.objects.create_superuser("root@acme-sso.test", "root-pass-2026")
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    answer = post(http, good(idp, start(http, "root@acme-sso.test"), "root@acme-sso.test"))
    _refused(http, answer, status=403)
    assert "Platform admins sign in with their password" in answer.content.decode()


@pytest.mark.parametrize("body", ["", "not base64 <xml/>", "bm90IHhtbA==", "PHNhbWxwOlJlc3BvbnNlLz4="])
def test_a_garbled_response_is_a_page_not_a_500(world, idp, body):
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    start(http, "someone@acme-sso.test")
    _refused(http, post(http, body))


def test_a_response_posted_without_our_session_cookie_is_posted_again_from_our_page(world, idp):
    """The identity provider's page posts across sites: the browser keeps our SameSite=Lax cookie
    back, so the ACS posts the response again from its own page, and then the session is there."""
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    response = good(idp, start(http, "someone@acme-sso.test"), "someone@acme-sso.test")
    session_cookie = http.cookies.pop(settings.SESSION_COOKIE_NAME)
    page = post(http, response)
    assert page.status_code == 200 and signed_in_id(http) is None
    form = etree.fromstring(page.content, etree.HTMLParser()).find(".//form[@data-sso-repost]")
    assert form.get("action") == "/accounts/sso/saml/acs/"
    fields = {field.get("name"): field.get("value") for field in form.iter("input")}
    assert fields == {"SAMLResponse": response, "kb_repost": "1"}
    # The same post again, the session cookie sent this time: signed in.
    http.cookies[settings.SESSION_COOKIE_NAME] = session_cookie
    assert post(http, fields["SAMLResponse"], kb_repost="1").status_code == 302
    assert User.objects.get(pk=signed_in_id(http)).email == "someone@acme-sso.test"
    # Posted again without any session: refused, never a loop.
    _refused(HttpClient(), post(HttpClient(), response, kb_repost="1"))


def test_the_acs_accepts_only_posts_and_without_a_pending_sign_in_refuses(db):
    assert HttpClient().get("/accounts/sso/saml/acs/", HTTP_HOST=PUBLIC).status_code == 405
    http = HttpClient()
    http.get("/accounts/sso/", HTTP_HOST=PUBLIC)
    _refused(http, post(http, "PHNhbWxwOlJlc3BvbnNlLz4=", kb_repost="1"))


def test_the_service_provider_metadata_names_our_entity_id_and_acs(db):
    answer = HttpClient().get("/accounts/sso/saml/metadata/", HTTP_HOST=PUBLIC)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/samlmetadata+xml"
    root = etree.fromstring(answer.content)
    assert root.get("entityID") == METADATA
    acs = root.find(".//md:AssertionConsumerService", NS)
    assert acs.get("Location") == ACS and acs.get("Binding").endswith(":HTTP-POST")


def test_a_tenant_admin_switches_their_workspace_to_saml(world, idp):
    from .factories import host, http_as

    http = http_as(world.acme_admin)
    page = http.get("/access/sso/", HTTP_HOST=host(world.acme)).content.decode()
    assert METADATA in page and ACS in page
    form = {"protocol": "saml", "saml_entity_id": IDP_ENTITY, "saml_sso_url": IDP_SSO, "saml_x509_cert": "nonsense",
            "default_role": "viewer", "enabled": "on"}
    answer = http.post("/access/sso/", form, HTTP_HOST=host(world.acme))
    assert answer.status_code == 200 and "Paste the identity provider" in answer.content.decode()
    answer = http.post("/access/sso/", {**form, "saml_x509_cert": "", "saml_sso_url": ""}, HTTP_HOST=host(world.acme))
    assert answer.status_code == 200 and answer.content.decode().count("Required for SAML 2.0") == 2
    assert not IdentityProvider.objects.filter(client=world.acme).exists()
    # The bare base64 of the certificate, as identity providers' metadata gives it, is enough.
    bare = "".join(line for line in idp.keys.cert_pem.splitlines() if "CERTIFICATE" not in line)
    assert http.post("/access/sso/", {**form, "saml_x509_cert": bare}, HTTP_HOST=host(world.acme)).status_code == 302
    identity_provider = IdentityProvider.objects.get(client=world.acme)
    assert identity_provider.protocol == Protocol.SAML
    assert identity_provider.saml_x509_cert.strip() == idp.keys.cert_pem.strip()
    SsoDomain.objects.create(identity_provider=identity_provider, domain="acme-sso.test")
    visitor = HttpClient()
    assert post(visitor, good(idp, start(visitor, "x@acme-sso.test"), "x@acme-sso.test")).status_code == 302


def test_the_oidc_callback_does_not_answer_a_saml_sign_in(world, idp):
    configure(idp, client=world.acme, domains=["acme-sso.test"])
    http = HttpClient()
    start(http, "someone@acme-sso.test")
    answer = http.get("/accounts/sso/callback/", {"code": "c", "state": "s"}, HTTP_HOST=PUBLIC)
    _refused(http, answer)


def test_an_organisations_host_is_kept_out_of_the_acs(world):
    assert urlsplit(ACS).netloc == PUBLIC
    assert HttpClient().post("/accounts/sso/saml/acs/", {}, HTTP_HOST=f"acme.{PUBLIC}").status_code in {302, 404}
