"""Single sign-on per organisation (public schema): which identity provider signs in the people
of a client company or of a provider organisation, for which e-mail domains.

The protocol work is Authlib's (OpenID Connect, sso/oidc.py) and python3-saml's (SAML 2.0,
sso/saml.py); these rows are only the per-organisation wiring."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import Client, ProviderOrganisation, Role


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class IdentityProvider(models.Model):
    """One organisation's identity provider. Exactly one of `client` and `provider` is set."""

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, null=True, blank=True, related_name="identity_provider",
        verbose_name=_("client company"),
    )
    provider = models.OneToOneField(
        ProviderOrganisation, on_delete=models.CASCADE, null=True, blank=True, related_name="identity_provider",
        verbose_name=_("provider organisation"),
    )
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices, default=Protocol.OIDC)
    enabled = models.BooleanField(_("enabled"), default=True)
    issuer = models.URLField(
        _("issuer"), max_length=500, blank=True,
        help_text=_("OpenID Connect: the identity provider's issuer URL, exactly as its ID tokens name it."),
    )
    discovery_url = models.URLField(
        _("discovery URL"), max_length=500, blank=True,
        help_text=_("Leave empty for the issuer followed by /.well-known/openid-configuration."),
    )
    oidc_client_id = models.CharField(_("client ID"), max_length=255, blank=True)
    oidc_client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    saml_entity_id = models.CharField(
        _("identity provider entity ID"), max_length=500, blank=True,
        help_text=_("SAML 2.0: the identity provider's entity ID, exactly as its responses name their issuer."),
    )
    saml_sso_url = models.URLField(
        _("single sign-on URL"), max_length=500, blank=True,
        help_text=_("SAML 2.0: where the identity provider receives sign-in requests (HTTP-Redirect binding)."),
    )
    saml_x509_cert = models.TextField(
        _("identity provider certificate"), blank=True,
        help_text=_("SAML 2.0: the X.509 certificate the identity provider signs with (PEM)."),
    )
    default_role = models.CharField(
        _("role of new people"), max_length=16, choices=Role.choices, default=Role.VIEWER,
        help_text=_("Client companies: the role of a person whose account single sign-on creates. "
                    "Provider organisations: new people are always agents."),
    )
    require_sso = models.BooleanField(
        _("require single sign-on"), default=False,
        help_text=_("People of these e-mail domains cannot sign in with a password."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("single sign-on")
        verbose_name_plural = _("single sign-on")
        constraints = [
            models.CheckConstraint(
                condition=(Q(client__isnull=False) & Q(provider__isnull=True))
                | (Q(client__isnull=True) & Q(provider__isnull=False)),
                name="sso_one_organisation",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def organisation(self) -> Client | ProviderOrganisation | None:
        return self.client if self.client_id is not None else self.provider

    def clean(self) -> None:
        if (self.client_id is None) == (self.provider_id is None):
            raise ValidationError(_("Choose either a client company or a provider organisation."))
        required = OIDC_REQUIRED if self.protocol == Protocol.OIDC else SAML_REQUIRED
        missing = {name: _("Required for %(protocol)s.") % {"protocol": self.get_protocol_display()}
                   for name in required if not str(getattr(self, name) or "").strip()}
        if missing:
            raise ValidationError(missing)
        if self.protocol == Protocol.SAML:
            self.saml_x509_cert = normalise_certificate(self.saml_x509_cert)

    @property
    def metadata_url(self) -> str:
        return self.discovery_url or self.issuer.rstrip("/") + "/.well-known/openid-configuration"


class SsoDomain(models.Model):
    """An e-mail domain an organisation owns: sign-in sends its addresses to that organisation's
    identity provider. A domain belongs to one organisation at most."""

    identity_provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("e-mail domain"), max_length=253, unique=True,
                              help_text=_("For example example.com (lower case, without @)."))

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs) -> None:
        self.domain = normalise_domain(self.domain)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.domain = normalise_domain(self.domain)
        if not DOMAIN.fullmatch(self.domain):
            raise ValidationError({"domain": _("Enter a domain such as example.com.")})


OIDC_REQUIRED = ("issuer", "oidc_client_id")
SAML_REQUIRED = ("saml_entity_id", "saml_sso_url", "saml_x509_cert")


def normalise_certificate(value: str) -> str:
    """The certificate as PEM (identity providers' metadata often gives the bare base64), or a
    ValidationError when it is not one."""
    from cryptography import x509

    body = re.sub(r"-----(BEGIN|END) CERTIFICATE-----|\s", "", value or "")
    pem = "-----BEGIN CERTIFICATE-----\n" + "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    pem += "\n-----END CERTIFICATE-----\n"
    try:
        x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise ValidationError({"saml_x509_cert": _("Paste the identity provider's X.509 certificate "
                                                   "(PEM, from its metadata).")}) from error
    return pem


DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")


def normalise_domain(value: str) -> str:
    return value.strip().lstrip("@").rstrip(".").lower()
