"""Run inside the identity provider's settings: create its people and the relying party
(`python -m tests.idp.setup`, with KB_IDP_SETUP naming a JSON file)."""

import json
import os

import django


def main() -> None:
    django.setup()
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    spec = json.loads(open(os.environ["KB_IDP_SETUP"]).read())
    for person in spec["people"]:
        user, _ = User.objects.get_or_create(username=person["username"])
        user.email, user.first_name, user.is_staff = person["email"], person.get("name", ""), person.get("mfa", False)
        user.set_password(person["password"])
        user.save()
    Application.objects.filter(client_id=spec["client_id"]).delete()
    Application.objects.create(
        name="kbportal", client_id=spec["client_id"], client_secret=spec["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(spec["redirect_uris"]), algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main()
