"""Writes of single sign-on: the account an identity provider vouches for, found by its e-mail
address or created just in time in the organisation; the platform's configuration of an
organisation's identity provider."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import Actor
from tenants import services as tenant_services
from tenants.auth import AccountBackend
from tenants.models import Client, ProviderOrganisation, ProviderRole, User
from tenants.text import clean_line

from .discovery import domain_of
from .models import IdentityProvider, SsoDomain

log = logging.getLogger(__name__)


class SsoRefused(Exception):
    """The identity provider vouched for someone this organisation may not sign in; `message`
    is shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _email_from(claims: dict[str, Any], identity_provider: IdentityProvider) -> str:
    email = str(claims.get("email") or "").strip().lower()
    if not email or "@" not in email:
        raise SsoRefused(_("Your identity provider did not tell us your e-mail address."))
    verified = claims.get("email_verified")
    if verified is False or (isinstance(verified, str) and verified.strip().lower() == "false"):  # some send a string
        raise SsoRefused(_("Your identity provider says your e-mail address is not verified."))
    # An identity provider speaks only for its own organisation's domains: never for another's.
    if not identity_provider.domains.filter(domain=domain_of(email)).exists():
        raise SsoRefused(_("Your identity provider signed you in as %(email)s, an address your organisation "
                           "does not own here.") % {"email": email})
    return email


def _join(user: User, identity_provider: IdentityProvider) -> None:
    if identity_provider.client_id is not None:
        client: Client = identity_provider.client  # type: ignore[assignment]
        membership = tenant_services.membership_set(user=user, client=client, role=identity_provider.default_role)
        tenant_services.audit_in_tenant(
            client, Action.PERSON_JOINED, actor=Actor.of(user), obj=user,
            label=user.email, detail={"role": membership.role, "via": "single sign-on"},
        )
    else:
        provider: ProviderOrganisation = identity_provider.provider  # type: ignore[assignment]
        tenant_services.provider_member_add(user=user, provider=provider, role=ProviderRole.AGENT)


def account_for_claims(*, identity_provider: IdentityProvider, claims: dict[str, Any]) -> User:
    """The person the validated ID token names: the account with that e-mail address, or a new
    one in the identity provider's organisation (client membership with its default role, or
    provider agent). New accounts have no usable password."""
    email = _email_from(claims, identity_provider)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        name = clean_line(str(claims.get("name") or ""))[:200]
        try:
            with transaction.atomic():
                user = User.objects.create_user(email, password=None, full_name=name)
                _join(user, identity_provider)
        except IntegrityError:  # the same person's second tab created it a moment ago
            user = User.objects.get(email__iexact=email)
        log.info("single sign-on created %s in %s", email, identity_provider)
    if not AccountBackend().user_can_authenticate(user):  # inactive, or a demo account with demos off
        raise SsoRefused(_("This account is inactive."))
    if user.is_staff or user.is_superuser:  # an organisation's identity provider never opens the platform admin
        raise SsoRefused(_("Platform admins sign in with their password, not through an organisation."))
    return user


@transaction.atomic
def identity_provider_configure(*, client: Client | None = None, provider: ProviderOrganisation | None = None,
                                issuer: str, client_id: str, client_secret: str, domains: list[str],
                                default_role: str = "viewer", require_sso: bool = False,
                                discovery_url: str = "") -> IdentityProvider:
    """Create or update an organisation's OpenID Connect identity provider and its domains
    (the `sso_configure` command; the platform admin uses the Django admin)."""
    if (client is None) == (provider is None):
        raise ValueError("name either a client or a provider organisation")
    identity_provider, _created = IdentityProvider.objects.update_or_create(
        client=client, provider=provider,
        defaults={"issuer": issuer, "oidc_client_id": client_id, "oidc_client_secret": client_secret,
                  "default_role": default_role, "require_sso": require_sso, "discovery_url": discovery_url,
                  "enabled": True},
    )
    identity_provider.full_clean()
    wanted = []
    for value in domains:
        domain = SsoDomain(identity_provider=identity_provider, domain=value)
        domain.clean()
        wanted.append(domain.domain)
    identity_provider.domains.exclude(domain__in=wanted).delete()
    for domain_name in wanted:
        SsoDomain.objects.update_or_create(domain=domain_name, defaults={"identity_provider": identity_provider})
    return identity_provider


AUDITED = ("protocol", "issuer", "discovery_url", "oidc_client_id", "saml_entity_id", "saml_sso_url", "default_role",
           "require_sso", "enabled")


@transaction.atomic
def organisation_sso_save(*, client: Client | None = None, provider: ProviderOrganisation | None = None,
                          identity_provider: IdentityProvider, acting_user: User, actor: Actor | None = None,
                          secret_changed: bool = False) -> IdentityProvider:
    """Save the single sign-on settings of the organisation the tenant admin or the provider
    lead acts for (a client's are audited in its workspace; the secret is never written to the
    log, only that it changed)."""
    if client is not None:
        tenant_services.require_admin(acting_user, client)
    elif provider is not None:
        tenant_services.require_lead(acting_user, provider)
    if (client is None) == (provider is None) or (identity_provider.client_id, identity_provider.provider_id) != (
            getattr(client, "pk", None), getattr(provider, "pk", None)):
        raise PermissionDenied
    identity_provider.full_clean()
    identity_provider.save()
    detail: dict[str, Any] = {name: getattr(identity_provider, name) for name in AUDITED}
    detail.update(setting="single sign-on", secret_changed=secret_changed)
    if client is not None:
        tenant_services.audit_in_tenant(client, Action.SETTINGS_CHANGED, actor=actor or Actor.of(acting_user),
                                        obj=None, label=_("Single sign-on"), detail=detail)
    else:
        log.info("single sign-on of %s changed by %s: %s", provider, acting_user.email, detail)
    return identity_provider
