"""The platform admin configures each organisation's identity provider (Django admin)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .forms import IdentityProviderAdminForm
from .models import IdentityProvider, SsoDomain


class SsoDomainInline(admin.TabularInline):
    model = SsoDomain
    extra = 1


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = IdentityProviderAdminForm
    inlines = [SsoDomainInline]
    list_display = ["__str__", "protocol", "issuer", "saml_entity_id", "domain_list", "require_sso", "enabled"]
    list_filter = ["protocol", "enabled", "require_sso"]
    search_fields = ["client__name", "provider__name", "domains__domain", "issuer", "saml_entity_id"]
    fieldsets = [
        (_("Organisation"), {"fields": ["client", "provider"]}),
        (_("Identity provider"), {"fields": ["protocol", "enabled"]}),
        (_("OpenID Connect"), {"fields": ["issuer", "discovery_url", "oidc_client_id", "oidc_client_secret"]}),
        (_("SAML 2.0"), {"fields": ["saml_entity_id", "saml_sso_url", "saml_x509_cert"]}),
        (_("People"), {"fields": ["default_role", "require_sso"]}),
    ]

    @admin.display(description=_("e-mail domains"))
    def domain_list(self, obj: IdentityProvider) -> str:
        return ", ".join(domain.domain for domain in obj.domains.all())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("client", "provider").prefetch_related("domains")
