"""Which organisation signs a person in, found from the domain of their e-mail address.

`sso_required_for(email)` is the one call the password sign-in makes (tenants.views.SignInView):
an organisation that requires single sign-on refuses passwords for its domains."""

from __future__ import annotations

from .models import IdentityProvider, normalise_domain


def domain_of(email: str) -> str:
    _, at, domain = (email or "").strip().rpartition("@")
    return normalise_domain(domain) if at else ""


def identity_provider_for(email: str) -> IdentityProvider | None:
    """The enabled identity provider of the organisation owning the address's domain, if any."""
    domain = domain_of(email)
    if not domain:
        return None
    return (
        IdentityProvider.objects.select_related("client", "provider")
        .filter(enabled=True, domains__domain=domain)
        .first()
    )


def sso_required_for(email: str) -> IdentityProvider | None:
    """The identity provider that must sign this address in (passwords refused), or None."""
    identity_provider = identity_provider_for(email)
    return identity_provider if identity_provider is not None and identity_provider.require_sso else None
