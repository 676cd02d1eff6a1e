"""A client company signs its people in with SAML 2.0 in Chromium: the e-mail step sends the
browser to a small identity provider on loopback (another site), whose page posts a Response
signed with a key of the run back to our assertion consumer service. That cross-site POST comes
without our SameSite=Lax session cookie, so the ACS posts it again from its own page: this is the
test that the browser really signs in that way.

The data is committed (the live server cannot see a test transaction) and deleted afterwards."""

from __future__ import annotations

import re
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from playwright.sync_api import expect

from sso.models import IdentityProvider, Protocol, SsoDomain
from tenants.models import Client, Membership, User
from tests.saml_helpers import SamlIdentityProvider, authn_request, key_pair

pytestmark = pytest.mark.browser

PERSON = "sam.saml@acme-saml.test"


def _serve(idp: SamlIdentityProvider, audience: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            request = authn_request(f"http://127.0.0.1{self.path}")
            acs = request.get("AssertionConsumerServiceURL")
            response = idp.response(in_response_to=request.get("ID"), acs_url=acs, audience=audience, email=PERSON,
                                    name="Sam Saml")
            body = (f'<!doctype html><title>Test SAML identity provider</title><form method="post" '
                    f'action="{escape(acs)}"><input type="hidden" name="SAMLResponse" value="{response}">'
                    '<button>Send</button></form><script>document.forms[0].submit()</script>').encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def acme_saml(committed, site):
    idp = SamlIdentityProvider(entity_id="https://idp.acme-saml.test/", keys=key_pair())
    server = _serve(idp, site(None, "/accounts/sso/saml/metadata/"))
    acme = Client.objects.get(schema_name="acme")
    IdentityProvider.objects.filter(client=acme).delete()
    identity_provider = IdentityProvider(client=acme, protocol=Protocol.SAML, saml_entity_id=idp.entity_id,
                                         saml_sso_url=f"http://127.0.0.1:{server.server_port}/sso",
                                         saml_x509_cert=idp.keys.cert_pem)
    identity_provider.full_clean()
    identity_provider.save()
    SsoDomain.objects.create(identity_provider=identity_provider, domain="acme-saml.test")
    yield acme
    server.shutdown()
    connection.set_tenant(acme)
    User.objects.filter(email=PERSON).delete()
    connection.set_schema_to_public()
    IdentityProvider.objects.filter(client=acme).delete()


def test_a_new_person_signs_in_with_saml_across_sites(page, site, acme_saml):
    page.goto(site(None, "/accounts/sso/"))
    page.get_by_label("Work e-mail address").fill(PERSON)
    page.get_by_role("button", name="Continue").click()
    # Signed in, a member of one workspace only: the sign-in opens it.
    expect(page).to_have_url(re.compile(r"^http://acme\.kb\.localhost:\d+/$"))
    person = User.objects.get(email=PERSON)
    assert Membership.objects.get(user=person).client_id == acme_saml.pk
    assert page.console_errors == []
