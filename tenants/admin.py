"""Platform admin on the public site: client tenants, domains, people, providers, engagements."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.admin import TenantAdminMixin

from .models import (
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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class EngagementInline(admin.TabularInline):
    model = Engagement
    extra = 0
    fields = ["provider", "started_at", "ended_at"]


@admin.register(Client)
class ClientAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "schema_name", "created_at"]
    search_fields = ["name", "schema_name", "domains__domain"]
    inlines = [DomainInline, MembershipInline, EngagementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(schema_name="public")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # dropping a client's schema is a deliberate operation, not a click


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

    @admin.action(description=_("End the selected engagements now"))
    def end_now(self, request, queryset):
        from .services import engagement_end

        for engagement in queryset.filter(ended_at__isnull=True):
            engagement_end(engagement=engagement)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "client", "role", "created_at"]
    list_filter = ["role", "client"]
    search_fields = ["user__email", "user__full_name", "client__name"]
    autocomplete_fields = ["user"]
