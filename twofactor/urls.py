"""The person's two-factor pages, on the public site under /accounts/two-factor/."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.overview, name="two-factor"),
    path("app/", views.app_setup, name="two-factor-app"),
    path("recovery-codes/", views.recovery_codes, name="two-factor-recovery-codes"),
    path("off/", views.turn_off, name="two-factor-off"),
    path("verify/", views.verify, name="two-factor-verify"),
    # django_otp_webauthn's ceremonies (its views, its JSON); the second step's completion is ours.
    path("webauthn/authentication/complete/", views.PasskeyVerifyView.as_view(), name="two-factor-passkey-verify"),
    path("webauthn/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
]
