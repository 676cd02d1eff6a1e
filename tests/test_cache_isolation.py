"""The cache is keyed by tenant: one tenant's cached value is never another's."""

from __future__ import annotations

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.test import RequestFactory
from django.utils.cache import get_cache_key, learn_cache_key


def test_same_key_in_two_tenants_holds_two_values(world, in_tenant):
    in_tenant(world.acme)
    cache.set("home-fragment", "acme secret", 60)
    in_tenant(world.lumiere)
    assert cache.get("home-fragment") is None
    cache.set("home-fragment", "lumiere", 60)
    in_tenant(world.acme)
    assert cache.get("home-fragment") == "acme secret"


def test_template_fragment_cache_is_tenant_keyed(world, in_tenant):
    key = make_template_fragment_key("collection-tree", ["same-args"])
    in_tenant(world.acme)
    cache.set(key, "<ul>acme tree</ul>", 60)
    in_tenant(world.lumiere)
    assert cache.get(key) is None


def test_per_view_cache_keys_carry_prefix_and_tenant(world, in_tenant, settings):
    assert settings.CACHES["default"]["KEY_FUNCTION"] == "django_tenants.cache.make_key"
    assert settings.CACHE_MIDDLEWARE_KEY_PREFIX
    request = RequestFactory().get("/", HTTP_HOST="acme.kb.localhost")
    from django.http import HttpResponse

    in_tenant(world.acme)
    learn_cache_key(request, HttpResponse("acme page"), 60, settings.CACHE_MIDDLEWARE_KEY_PREFIX)
    assert get_cache_key(request, settings.CACHE_MIDDLEWARE_KEY_PREFIX) is not None
    in_tenant(world.lumiere)
    # The header list learnt in acme is invisible from lumiere, so no cached page is found.
    assert get_cache_key(request, settings.CACHE_MIDDLEWARE_KEY_PREFIX) is None
