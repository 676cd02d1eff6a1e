"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against a live
server on the test database. Data a browser test needs is committed (the server thread cannot
see a test transaction), so these tests use `committed` instead of `db`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Playwright's sync API keeps an event loop in this thread; the ORM calls a test makes between
# browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def live_server_port(django_db_setup, django_db_blocker):
    thread = LiveServerThread("127.0.0.1", lambda app: app, port=0)  # WhiteNoise serves static
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield thread.port
    thread.terminate()


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Database access without a test transaction, for the test and the server thread."""
    with django_db_blocker.unblock():
        yield django_db_setup


@pytest.fixture
def site(live_server_port):
    """`site("acme", "/path")` is the URL of a path on a tenant host; `site(None, ...)` public."""

    def url(schema: str | None, path: str = "/") -> str:
        host = settings.KB_BASE_DOMAIN if schema is None else f"{schema}.{settings.KB_BASE_DOMAIN}"
        return f"http://{host}:{live_server_port}{path}"

    return url


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--host-resolver-rules=MAP {settings.KB_BASE_DOMAIN} 127.0.0.1, MAP *.{settings.KB_BASE_DOMAIN} 127.0.0.1",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


PASSWORD = "correct-horse-battery-staple"


def sign_in(page, site, email: str, password: str = PASSWORD) -> None:
    """Sign in on the public site and wait for the workspaces page, or for the one workspace a
    person with a single workspace lands in."""
    from django.core.cache import cache
    from playwright.sync_api import expect

    from tenants.models import SignInLockout

    cache.clear()
    SignInLockout.objects.all().delete()  # sign-in lockout counters of earlier tests
    page.goto(site(None, "/accounts/sign-in/"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/sign-in/" not in url)
    expect(page.locator("#main")).to_be_visible()


def drop_throwaway_tenant(client, *, teams=(), emails=()) -> None:
    """Drop a tenant a browser test made, with its teams and people. Their rows in the tenant's
    grant tables are deleted from inside the tenant, the only one where they hold anything."""
    from django.contrib.auth.models import Group
    from django.db import connection

    from tenants.models import Client, ProviderTeam, User

    connection.set_tenant(client)
    group_ids = [team.group_id for team in teams]
    ProviderTeam.objects.filter(pk__in=[team.pk for team in teams]).delete()
    Group.objects.filter(pk__in=group_ids).delete()
    User.objects.filter(email__in=list(emails)).delete()
    connection.set_schema_to_public()
    Client.objects.get(pk=client.pk).delete(force_drop=True)
