"""Platform admin on the public site: client tenants, domains, people, providers, engagements."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.admin import TenantAdminMixin

from audit.models import Action
from audit.services import Actor, Channel

from .admin_lifecycle import LifecycleActionsMixin, PlatformEventAdmin  # noqa: F401 - registers the platform log
from .models import (
    ApiToken,
    Client,
    Domain,
    Engagement,
    Membership,
    ProviderMembership,
    ProviderOrganisation,
    ProviderTeam,
    User,
)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 1


class ReadOnlyInline(admin.TabularInline):
    """Shown for context only: changes go through their own admin page, whose saves are
    audited in the tenant's log (an inline formset would bypass that)."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role"]


class EngagementInline(ReadOnlyInline):
    model = Engagement
    fields = ["provider", "client", "started_at", "ended_at"]


@admin.register(Client)
class ClientAdmin(LifecycleActionsMixin, TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "schema_name", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "schema_name", "domains__domain"]
    readonly_fields = ["status"]  # changed through the logged life-cycle actions
    inlines = [DomainInline, MembershipInline, EngagementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(schema_name="public")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # dropping a client's schema is a deliberate operation, not a click (see the delete action)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    list_filter = ["is_primary"]
    search_fields = ["domain", "tenant__name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "is_demo", "date_joined"]
    list_filter = ["is_staff", "is_active", "is_demo"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "language")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "is_demo")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    filter_horizontal = ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # people own tenant content and audit entries: deactivate instead


class ProviderMembershipInline(admin.TabularInline):
    model = ProviderMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(ProviderOrganisation)
class ProviderOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "created_at"]
    search_fields = ["name", "country"]
    inlines = [ProviderMembershipInline, EngagementInline]


@admin.register(ProviderTeam)
class ProviderTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "provider"]
    list_filter = ["provider"]
    search_fields = ["name", "provider__name"]
    exclude = ["group"]
    filter_horizontal = ["members"]

    def save_model(self, request, obj, form, change):
        from .services import ensure_team_group

        ensure_team_group(obj)
        super().save_model(request, obj, form, change)


class ActiveFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("ended", _("Ended"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "ended":
            return queryset.filter(ended_at__lte=timezone.now())
        return queryset


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["provider", "client", "started_at", "ended_at", "is_active"]
    list_filter = [ActiveFilter, "provider", "client"]
    search_fields = ["provider__name", "client__name"]
    actions = ["end_now"]

    @admin.display(boolean=True, description=_("active"))
    def is_active(self, obj: Engagement) -> bool:
        return obj.is_active

    def get_readonly_fields(self, request, obj=None):
        # Started through engagement_start (audited), ended with the "End now" action (audited).
        return ["provider", "client", "started_at", "ended_at"] if obj else ["started_at", "ended_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an engagement is ended, never erased: the audit log refers to it

    def save_model(self, request, obj, form, change):
        from .services import engagement_start

        if not change:
            started = engagement_start(provider=obj.provider, client=obj.client,
                                       actor=Actor.from_request(request, channel=Channel.ADMIN))
            obj.pk, obj.started_at = started.pk, started.started_at

    @admin.action(description=_("End the selected engagements now"))
    def end_now(self, request, queryset):
        from .services import engagement_end

        for engagement in queryset.filter(ended_at__isnull=True):
            engagement_end(engagement=engagement, actor=Actor.from_request(request, channel=Channel.ADMIN))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Platform staff may add people and change roles here (tenant admins do it on the tenant's
    People page); every save and deletion is written to the tenant's audit log."""

    list_display = ["user", "client", "role", "created_at"]
    list_filter = ["role", "client"]
    search_fields = ["user__email", "user__full_name", "client__name"]
    autocomplete_fields = ["user"]
    actions = None  # no bulk delete: each removal is audited one by one

    def get_readonly_fields(self, request, obj=None):
        return ["user", "client"] if obj else []

    def save_model(self, request, obj, form, change):
        from .services import audit_in_tenant

        before = Membership.objects.filter(pk=obj.pk).values_list("role", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if not change:
            audit_in_tenant(obj.client, Action.PERSON_JOINED, actor=Actor.from_request(request, channel=Channel.ADMIN), obj=obj.user, label=obj.user.email,
                   detail={"role": obj.role, "by": "platform admin"})
        elif before != obj.role:
            audit_in_tenant(obj.client, Action.ROLE_CHANGED, actor=Actor.from_request(request, channel=Channel.ADMIN), obj=obj.user, label=obj.user.email,
                   detail={"before": before, "after": obj.role, "by": "platform admin"})

    def delete_model(self, request, obj):
        from .services import audit_in_tenant

        client, user, role = obj.client, obj.user, obj.role
        super().delete_model(request, obj)
        audit_in_tenant(client, Action.PERSON_REMOVED, actor=Actor.from_request(request, channel=Channel.ADMIN), obj=user, label=user.email,
               detail={"role": role, "by": "platform admin"})


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Platform staff see who holds API tokens and can revoke one (a lost laptop, a leaver);
    the secret itself is never stored, so there is nothing to show or edit."""

    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # people create their own, on their profile page

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser  # platform staff only: the revoke action acts for anyone

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked, never erased

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        from .services import token_revoke

        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token, acting_user=request.user)
