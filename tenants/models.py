"""Who: client tenants and their domains, people, provider organisations, engagements and
memberships. Everything here lives in the public schema."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from .addresses import SiteAddress, public_url, site_url  # noqa: F401 - where callers import them from
from .image_sources import validate_image_sources


class ClientStatus(models.TextChoices):
    """A client's place in its life cycle (tenants.lifecycle): read-only, then suspended, then deleted."""

    ACTIVE = "active", _("Active")
    READ_ONLY = "read-only", _("Read-only")
    SUSPENDED = "suspended", _("Suspended")


class Client(TenantMixin):
    """A client company: one PostgreSQL schema, addressed by `<schema>.<base domain>`."""

    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Shown to provider people instead of client authors' names when true.
    hide_author_names_from_providers = models.BooleanField(
        _("hide client author names from providers"), default=True
    )
    # Besides our own origin (and KB_IMG_SRC_ALLOW), where this tenant's articles may show
    # images from: the Content-Security-Policy of its pages allows exactly these (kbportal/csp.py).
    image_sources = models.TextField(
        _("image sources"), blank=True, validators=[validate_image_sources],
        help_text=_("Other sites the articles may show images from, one https origin per line (such as "
                    "https://images.example.com). Images from anywhere else are not shown, so that no "
                    "one can learn who read what from a remote image."),
    )

    # What this tenant may keep in images and files (articles/attachments); empty: the site's
    # KB_STORAGE_QUOTA_MB.
    storage_quota_mb = models.PositiveIntegerField(
        _("storage quota (MB)"), null=True, blank=True,
        help_text=_("Images and files this workspace may store. Leave empty for the site's default."),
    )
    # Read-only: people read, nobody writes; suspended: nobody gets in (tenants.lifecycle).
    status = models.CharField(_("status"), max_length=16, choices=ClientStatus.choices, default=ClientStatus.ACTIVE)
    # Nobody opens the workspace without a second factor verified in this session (twofactor/).
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"), default=False,
        help_text=_("Everyone who opens this workspace, provider agents included, must have signed in "
                    "with a second factor."),
    )

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("client tenant")
        verbose_name_plural = _("client tenants")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Clone the template through the owner's `kb_create_tenant_schema` (tenants.db_roles),
        so that the application's restricted database role can create tenants without owning,
        and so being able to alter, their tables. Without that function (a database `kb_setup`
        has not prepared yet) django-tenants clones as usual."""
        from django.core.management import call_command
        from django.db import connection
        from django_tenants.utils import schema_exists

        from tenants import db_roles

        if not (sync_schema and db_roles.function_installed()):
            try:
                return super().create_schema(check_if_exists=check_if_exists, sync_schema=sync_schema, verbosity=verbosity)
            finally:
                _forget_search_path(connection)  # the clone sets the search path of its own
        if check_if_exists and schema_exists(self.schema_name):
            return False
        db_roles.create_tenant_schema(self.schema_name)
        _forget_search_path(connection)
        # The clone carries the template's migration records: when they are complete, faking them
        # again only costs a full `migrate` run (~2 s under load, bench_platform); skip it then.
        from .migration_executor import schemas_with_pending_migrations

        if schemas_with_pending_migrations([self.schema_name]):
            call_command("migrate_schemas", tenant=True, fake=True, schema_name=self.schema_name,
                         interactive=False, verbosity=verbosity)
        connection.set_schema_to_public()
        return True

    @property
    def is_public(self) -> bool:
        from django_tenants.utils import get_public_schema_name

        return self.schema_name == get_public_schema_name()

    def url(self, request, path: str = "/") -> str:
        """Absolute URL of `path` on this tenant's primary domain, same scheme and port as
        the current request."""
        return SiteAddress.from_request(request).tenant(self, path)

    @property
    def host(self) -> str:
        primary = [d for d in self.domains.all() if d.is_primary]  # uses prefetched domains
        return primary[0].domain if primary else f"{self.schema_name}.{settings.KB_BASE_DOMAIN}"


def _forget_search_path(connection) -> None:
    """After SQL that may set the search path itself (tenants.postgresql_backend)."""
    forget = getattr(connection, "forget_search_path", None)
    if forget is not None:
        forget()


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an e-mail address; belongs to tenants through memberships and
    to provider organisations through provider memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    # An IANA name (Europe/Paris); blank: the workspace's or the site's (TIME_ZONE).
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    is_staff = models.BooleanField(
        _("platform admin"), default=False, help_text=_("Can manage tenants and providers.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        _("demo account"), default=False, help_text=_("Can only sign in when KB_DEMO_ACCOUNTS is on (never in production).")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


class Role(models.TextChoices):
    ADMIN = "admin", _("Tenant admin")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A client-side person in a tenant, with a role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "client"], name="one_membership_per_tenant")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.client} ({self.get_role_display()})"


class ProviderOrganisation(models.Model):
    """An outsourcing provider (a call centre) that clients engage. First-class party: one
    provider serves several clients, and its people switch between them."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provider organisation")
        verbose_name_plural = _("provider organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProviderRole(models.TextChoices):
    LEAD = "lead", _("Provider lead")
    AGENT = "agent", _("Provider agent")


class ProviderMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="provider_memberships")
    provider = models.ForeignKey(
        ProviderOrganisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=ProviderRole.choices, default=ProviderRole.AGENT
    )
    # The clients this agent works for (among those engaging the provider). Leads reach every
    # client that engages their provider.
    clients = models.ManyToManyField(
        Client, blank=True, related_name="provider_people", verbose_name=_("serves clients")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provider membership")
        verbose_name_plural = _("provider memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="one_provider_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider} ({self.get_role_display()})"


class ProviderTeam(models.Model):
    """A named group of a provider's agents; grants in tenants are given to teams. Backed by an
    auth group so that guardian's group object permissions can name it."""

    provider = models.ForeignKey(ProviderOrganisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="provider_team")
    members = models.ManyToManyField(User, related_name="provider_teams", blank=True)
    # The clients this team works for, chosen by the provider's lead: only their admins see the
    # team (to grant it access), so no client learns the name of a team serving another.
    clients = models.ManyToManyField("Client", related_name="provider_teams", blank=True, verbose_name=_("works for"))

    class Meta:
        verbose_name = _("provider team")
        verbose_name_plural = _("provider teams")
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="unique_team_name")]

    def __str__(self) -> str:
        return f"{self.provider} / {self.name}"


class EngagementQuerySet(models.QuerySet["Engagement"]):
    def active(self, at=None) -> EngagementQuerySet:
        at = at or timezone.now()
        return self.filter(started_at__lte=at).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))


class Engagement(models.Model):
    """A provider organisation working for a client tenant. Ending it revokes all of the
    provider's access to that tenant at once (access is computed from active engagements)."""

    provider = models.ForeignKey(
        ProviderOrganisation, on_delete=models.CASCADE, related_name="engagements"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="engagements")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "client"],
                condition=Q(ended_at__isnull=True),
                name="one_open_engagement_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} → {self.client}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.started_at <= now and (self.ended_at is None or self.ended_at > now)


INVITATION_LIFETIME = timedelta(days=7)


def invitation_default_expiry():
    return timezone.now() + INVITATION_LIFETIME


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        """Neither accepted nor revoked (expired ones included: they can be sent again)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class InvitationBase(models.Model):
    """What a client's and a provider's invitations share: an e-mailed link of which only the
    SHA-256 of the token is stored (a database read never yields a working link), who sent it,
    and its life (expiry, acceptance, withdrawal)."""

    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), default=invitation_default_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accepted by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Invitation(InvitationBase):
    """An invitation to join a client tenant with a role."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.client} ({self.get_role_display()})"


# Models of this app kept in modules of their own (the platform's log among them).
from .models_credentials import ApiToken, ApiTokenQuerySet, SignInLockout  # noqa: E402, F401
from .models_people import PersonSession, ProviderInvitation  # noqa: E402, F401
from .platform_log import PlatformEvent, PlatformEventQuerySet  # noqa: E402, F401
