from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import IdentityProvider, Protocol


class OrganisationEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Work e-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


def _url_field(name: str):
    return IdentityProvider._meta.get_field(name).formfield(assume_scheme="https")


class IdentityProviderAdminForm(forms.ModelForm):
    """The client secret is never shown back: left empty, the stored one is kept."""

    issuer = _url_field("issuer")
    discovery_url = _url_field("discovery_url")
    saml_sso_url = _url_field("saml_sso_url")

    oidc_client_secret = forms.CharField(
        label=_("client secret"), required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again once saved. Leave empty to keep the current secret."),
    )

    class Meta:
        model = IdentityProvider
        fields = ["client", "provider", "protocol", "enabled", "issuer", "discovery_url", "oidc_client_id",
                  "oidc_client_secret", "saml_entity_id", "saml_sso_url", "saml_x509_cert", "default_role",
                  "require_sso"]

    def clean_oidc_client_secret(self) -> str:
        value = self.cleaned_data.get("oidc_client_secret") or ""
        if not value and self.instance.pk:
            return self.instance.oidc_client_secret
        return value


class WorkspaceSsoForm(forms.ModelForm):
    """The tenant admin's single sign-on settings. The e-mail domains are the platform admin's
    (who checks that the company owns them), so they are not in this form."""

    oidc_client_secret = forms.CharField(
        label=_("client secret"), required=False, strip=True, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again once saved. Leave empty to keep the current secret."),
    )

    issuer = _url_field("issuer")
    discovery_url = _url_field("discovery_url")
    saml_sso_url = _url_field("saml_sso_url")

    class Meta:
        model = IdentityProvider
        fields = ["protocol", "issuer", "discovery_url", "oidc_client_id", "oidc_client_secret", "saml_entity_id",
                  "saml_sso_url", "saml_x509_cert", "default_role", "require_sso", "enabled"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["protocol"].required = False  # left out, the stored protocol (OpenID Connect at first) stays

    def clean_protocol(self) -> str:
        return self.cleaned_data.get("protocol") or self.instance.protocol or Protocol.OIDC

    def clean_oidc_client_secret(self) -> str:
        value = self.cleaned_data.get("oidc_client_secret") or ""
        if not value and self.instance.pk:
            return self.instance.oidc_client_secret
        return value


class ProviderSsoForm(WorkspaceSsoForm):
    """The provider lead's: new people are always agents, so there is no role to choose."""

    class Meta(WorkspaceSsoForm.Meta):
        fields = ["protocol", "issuer", "discovery_url", "oidc_client_id", "oidc_client_secret", "saml_entity_id",
                  "saml_sso_url", "saml_x509_cert", "require_sso", "enabled"]
