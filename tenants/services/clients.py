"""Client tenants, their memberships and settings, and the engagements of providers."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import Actor, Channel

from ..image_sources import parse_image_sources
from ..models import (
    Client,
    Domain,
    Engagement,
    Membership,
    ProviderMembership,
    ProviderOrganisation,
    User,
)
from .common import audit_in_tenant, require_admin


@transaction.atomic
def client_create(*, schema_name: str, name: str, domain: str | None = None) -> Client:
    """Create a client tenant (its schema is cloned from the template) and its primary domain."""
    client = Client(schema_name=schema_name, name=name)
    client.save()
    Domain.objects.create(
        tenant=client, domain=domain or f"{schema_name}.{settings.KB_BASE_DOMAIN}", is_primary=True
    )
    return client


def membership_set(*, user: User, client: Client, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(user=user, client=client, defaults={"role": role})
    return membership


def provider_member_add(*, user: User, provider: ProviderOrganisation, role: str) -> ProviderMembership:
    membership, _ = ProviderMembership.objects.update_or_create(
        user=user, provider=provider, defaults={"role": role}
    )
    return membership


@transaction.atomic
def engagement_start(*, provider: ProviderOrganisation, client: Client, actor: Actor | None = None) -> Engagement:
    existing = Engagement.objects.active().filter(provider=provider, client=client).first()
    if existing is not None:
        return existing
    engagement = Engagement.objects.create(provider=provider, client=client)
    audit_in_tenant(client, Action.ENGAGEMENT_STARTED, actor=actor or Actor.system(Channel.ADMIN), obj=engagement,
           label=str(provider), detail={"provider": provider.name})
    return engagement


@transaction.atomic
def engagement_end(*, engagement: Engagement, actor: Actor | None = None) -> Engagement:
    """End an engagement: from the next request on, the provider reaches nothing of the client."""
    ended = Engagement.objects.filter(pk=engagement.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    engagement.refresh_from_db()
    if ended:
        audit_in_tenant(engagement.client, Action.ENGAGEMENT_ENDED, actor=actor or Actor.system(Channel.ADMIN),
               obj=engagement, label=str(engagement.provider), detail={"provider": engagement.provider.name})
    return engagement


@transaction.atomic
def client_image_sources_set(*, client: Client, text: str, acting_user: User,
                             actor: Actor | None = None) -> list[str]:
    """The other sites the tenant's articles may show images from (its pages' CSP allows them,
    kbportal/csp.py). Checked (https origins only: nothing can widen the policy), saved one per
    line, and written to the tenant's audit log with what it replaced."""
    require_admin(acting_user, client)
    origins = parse_image_sources(text)
    before = client.image_sources.split()
    if origins != before:
        client.image_sources = "\n".join(origins)
        client.save(update_fields=["image_sources"])
        audit_in_tenant(client, Action.SETTINGS_CHANGED, actor=actor or Actor.of(acting_user), label=_("Image sources"),
               detail={"image_sources": origins, "before": before})
    return origins


def client_require_two_factor_set(*, client: Client, required: bool, acting_user: User,
                                  actor: Actor | None = None) -> bool:
    """Whether everyone who opens the workspace (provider agents included) must have verified a
    second factor in their session (twofactor.middleware). Written to the tenant's audit log;
    the access cache reads the tenant's row afresh on the next request after it changes."""
    require_admin(acting_user, client)
    if client.require_two_factor != required:
        client.require_two_factor = required
        client.save(update_fields=["require_two_factor"])
        audit_in_tenant(client, Action.SETTINGS_CHANGED, actor=actor or Actor.of(acting_user),
                        label=_("Two-factor authentication"),
                        detail={"require_two_factor": required, "before": not required})
    return required
