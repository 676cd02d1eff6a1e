from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """The claims our relying party reads: e-mail, name, and `amr` (a person marked `is_staff`
    here stands for one who proved a second factor at their identity provider)."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "amr": "openid"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": user.first_name,
            "amr": ["pwd", "otp"] if user.is_staff else ["pwd"],
        }
