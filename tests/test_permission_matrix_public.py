"""The public site's pages of people (tests/permission_matrix.py, PUBLIC_EXPECTED): every URL
of the public URLconf is in the oracle or named as covered elsewhere, and each answers each
kind of person as the oracle says."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse
from django.utils import translation

from tenants import services
from tenants.models import ProviderInvitation

from . import permission_matrix as pm
from .factories import http_as

PUBLIC = "kb.localhost"
ROUTES = pm.walk(get_resolver(pm.PUBLIC_URLCONF))


def test_every_public_url_is_in_the_oracle_or_covered_elsewhere():
    names = {route.name for route in ROUTES if not (route.name or "").startswith("admin:")}
    unknown = names - set(pm.PUBLIC_EXPECTED) - pm.PUBLIC_COVERED_ELSEWHERE
    assert not unknown, f"teach tests/permission_matrix.py PUBLIC_EXPECTED: {sorted(unknown)}"
    assert set(pm.PUBLIC_EXPECTED) <= names  # no stale entry


@pytest.fixture
def objects(world):
    team = services.team_create(provider=world.helios, name="Matrix desk", clients=[world.acme])
    team.members.add(world.agent_acme)
    invitation = ProviderInvitation.objects.create(provider=world.helios, email="matrix@helios.test",
                                                   token_hash="0" * 64, invited_by=world.lead)
    return {"provider": world.helios.pk, "team": team.pk, "user": world.agent_acme.pk,
            "person": world.agent_acme.pk, "pk": invitation.pk, "token": "not-a-real-token",
            "uidb64": "MQ", "who": {"anonymous": None, "person": world.agent_both, "lead": world.lead}}


def _url(name: str, objects: dict) -> str:
    route = next(r for r in ROUTES if r.name == name)
    kwargs = {key: objects[key] for key in route.kwargs}
    if name == "profile-session-end":
        kwargs["pk"] = 999_999
    if name == "provider:team-member-add":
        kwargs = {"provider": objects["provider"], "team": objects["team"]}
    return reverse(name, urlconf=pm.PUBLIC_URLCONF, kwargs=kwargs)


@pytest.mark.parametrize("name", sorted(pm.PUBLIC_EXPECTED))
def test_public_permission_matrix(objects, name):
    method, expected = pm.PUBLIC_EXPECTED[name]
    url = _url(name, objects)
    got = {}
    with translation.override("en"):
        for who, user in objects["who"].items():
            http = http_as(user)
            data = {"user": objects["user"]} if name == "provider:team-member-add" else {}
            response = http.get(url, HTTP_HOST=PUBLIC) if method == "GET" else http.post(url, data, HTTP_HOST=PUBLIC)
            got[who] = response.status_code
    assert got == expected, f"{method} {url}"
