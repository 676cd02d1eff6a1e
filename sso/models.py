"""Single sign-on per organisation (public schema): which identity provider signs in the people
of a client company or of a provider organisation, for which e-mail domains.

The protocol work is Authlib's (sso/oidc.py); these rows are only the per-organisation wiring."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import Client, ProviderOrganisation, Role


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    # SAML 2.0 is the seam: python3-saml (with xmlsec) installs here, the flow is not built yet.
    SAML = "saml", _("SAML 2.0 (not available yet)")


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
        _("issuer"), max_length=500,
        help_text=_("The identity provider's issuer URL, exactly as its ID tokens name it."),
    )
    discovery_url = models.URLField(
        _("discovery URL"), max_length=500, blank=True,
        help_text=_("Leave empty for the issuer followed by /.well-known/openid-configuration."),
    )
    oidc_client_id = models.CharField(_("client ID"), max_length=255)
    oidc_client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
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
        if self.protocol != Protocol.OIDC:
            raise ValidationError({"protocol": _("Only OpenID Connect is available for now.")})

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


DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")


def normalise_domain(value: str) -> str:
    return value.strip().lstrip("@").rstrip(".").lower()
