"""A small SAML 2.0 identity provider for the tests: a key and certificate made at test time
(cryptography), a Response written here and signed by python3-saml's own utility
(OneLogin_Saml2_Utils.add_sign, xmlsec underneath), the AuthnRequest it answers read back from
the redirect URL our service provider sent the browser to."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants as Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils


@dataclass(frozen=True)
class KeyPair:
    key_pem: str
    cert_pem: str


def key_pair(common_name: str = "test-idp") -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256()))
    return KeyPair(
        key_pem=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()).decode(),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
    )


def _instant(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def authn_request(redirect_url: str) -> etree._Element:
    """The AuthnRequest our service provider put in the redirect to the identity provider."""
    query = parse_qs(urlsplit(redirect_url).query)
    xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(query["SAMLRequest"][0])
    return etree.fromstring(xml.encode() if isinstance(xml, str) else xml)


@dataclass
class SamlIdentityProvider:
    entity_id: str
    keys: KeyPair

    def response(self, *, in_response_to: str | None, acs_url: str, audience: str, email: str, name: str = "",
                 issuer: str | None = None, key: KeyPair | None = None, valid_for: dt.timedelta | None = None,
                 now: dt.datetime | None = None, signed: bool = True, assertion_id: str = "") -> str:
        """A base64 SAMLResponse as an identity provider posts it, signed with `key` (ours by default)."""
        now = now or dt.datetime.now(dt.UTC)
        until = now + (valid_for if valid_for is not None else dt.timedelta(minutes=5))
        issuer = escape(issuer or self.entity_id)
        irt = f" InResponseTo={quoteattr(in_response_to)}" if in_response_to else ""
        attributes = (f'<saml:Attribute Name="email"><saml:AttributeValue>{escape(email)}</saml:AttributeValue>'
                      "</saml:Attribute>")
        if name:
            attributes += (f'<saml:Attribute Name="displayName"><saml:AttributeValue>{escape(name)}'
                           "</saml:AttributeValue></saml:Attribute>")
        xml = (
            f'<samlp:Response xmlns:samlp="{Constants.NS_SAMLP}" xmlns:saml="{Constants.NS_SAML}" '
            f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(now)}" '
            f"Destination={quoteattr(acs_url)}{irt}>"
            f"<saml:Issuer>{issuer}</saml:Issuer>"
            '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
            f'<saml:Assertion ID="{assertion_id or "_" + uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(now)}">'
            f"<saml:Issuer>{issuer}</saml:Issuer>"
            f'<saml:Subject><saml:NameID Format="{Constants.NAMEID_EMAIL_ADDRESS}">{escape(email)}</saml:NameID>'
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{_instant(until)}" Recipient={quoteattr(acs_url)}{irt}/>'
            "</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{_instant(now - dt.timedelta(minutes=1))}" '
            f'NotOnOrAfter="{_instant(until)}">'
            f"<saml:AudienceRestriction><saml:Audience>{escape(audience)}</saml:Audience>"
            "</saml:AudienceRestriction></saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{_instant(now)}" SessionIndex="_{uuid.uuid4().hex}">'
            "<saml:AuthnContext><saml:AuthnContextClassRef>"
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{attributes}</saml:AttributeStatement>"
            "</saml:Assertion></samlp:Response>"
        )
        if signed:
            signing = key or self.keys
            xml = OneLogin_Saml2_Utils.add_sign(xml, signing.key_pem, signing.cert_pem,
                                                sign_algorithm=Constants.RSA_SHA256,
                                                digest_algorithm=Constants.SHA256)
        data = xml if isinstance(xml, bytes) else xml.encode()
        return base64.b64encode(data).decode()
