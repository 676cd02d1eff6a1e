"""Issue 14: the dark-mode switch, the phone menu and the collection tree, a printed guide, and
the audit itself (it fails when a violation appears, in the scheme where it appears). Every page
of every role at every width, under axe, is in test_layout_{client,provider}_{en,fr}.py.

`make screenshots` runs `test_screenshots` (skipped otherwise) into screenshots/ (gitignored)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import sign_in
from .layout_pages import OVERFLOW, WIDTHS, axe_violations, role_pages, shelf, visit_every_page  # noqa: F401 (shelf: a fixture)

pytestmark = pytest.mark.browser


def test_the_audit_fails_when_a_violation_appears_in_either_scheme(browser, site, shelf):  # noqa: F811
    """A page with a nameless button fails light and dark; grey text that reads on white but
    not on the dark background fails dark only (the scheme really changes under axe); a line
    too wide for a phone is caught by the width check."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, site, "viewer@acme.test")
        page.goto(site("acme", shelf["guide"].get_absolute_url()))
        page.wait_for_load_state("load")
        assert axe_violations(page, "light") == [] and axe_violations(page, "dark") == []
        page.evaluate("""() => {
          const main = document.querySelector("#main");
          main.insertAdjacentHTML("beforeend", '<button type="button" id="nameless"></button>'
            + '<p id="grey" style="color: #555">Only light</p><p id="wide" style="white-space: nowrap">'
            + "wide ".repeat(120) + '<a href="#">a link off the screen</a></p>');
        }""")
        light, dark = axe_violations(page, "light"), axe_violations(page, "dark")
        assert any(v.startswith("button-name (critical)") and "#nameless" in v for v in light), light
        assert not any("#grey" in v for v in light), light
        assert any(v.startswith("color-contrast (serious)") and "#grey" in v for v in dark), dark
        page.set_viewport_size({"width": 390, "height": 900})
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] > 390 and any("a link off the screen" in out for out in found["out"]), found
    finally:
        context.close()


def test_the_dark_mode_switch_is_remembered(page, site, shelf):  # noqa: F811
    sign_in(page, site, "viewer@acme.test")
    page.goto(site("acme", shelf["guide"].get_absolute_url()))
    page.wait_for_load_state("load")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator("[data-theme-toggle]").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    expect(page.locator("[data-theme-toggle]")).to_have_attribute("aria-pressed", "true")


def test_the_phone_menu_and_the_collection_tree(page, site, shelf):  # noqa: F811
    sign_in(page, site, "admin@acme.test")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site("acme", shelf["guide"].get_absolute_url()))
    page.wait_for_load_state("load")
    people = page.get_by_role("link", name="People")
    expect(people).to_be_hidden()
    toggle = page.get_by_role("button", name="Menu")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(people).to_be_visible()
    # The tree: the guide's collection open, its parent marked as the path; the collection page
    # marks itself as the current one; the branch folds with its button and the keyboard.
    page.set_viewport_size({"width": 1366, "height": 800})
    tree = page.get_by_role("navigation", name="Collections")
    expect(tree.get_by_role("link", name="Refunds for parcels that never arrived")).to_be_visible()
    page.goto(site("acme", shelf["refunds"].get_absolute_url()))
    current = page.get_by_role("navigation", name="Collections").locator("[aria-current=page]")
    expect(current).to_have_text("Refunds for parcels that never arrived")
    branch = page.get_by_role("navigation", name="Collections").get_by_role("button", name="Show or hide what Billing and refunds holds")
    expect(branch).to_have_attribute("aria-expanded", "true")
    branch.click()
    expect(current).to_be_hidden()
    page.get_by_role("navigation", name="Collections").get_by_role("link", name="Billing and refunds").focus()
    page.keyboard.press("ArrowRight")
    expect(current).to_be_visible()


def test_a_guide_prints_as_a_clean_procedure(page, site, shelf):  # noqa: F811
    from pypdf import PdfReader

    sign_in(page, site, "agent.acme@helios.test")
    page.goto(site("acme", shelf["guide"].get_absolute_url()))
    page.wait_for_load_state("load")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    flat = " ".join(text.split())
    for wanted in ("Refund a lost parcel", "Step 1", "Check the tracking", "Step 3", "Issue the refund", "Revision 1 of",
                   "check the knowledge base for the current version"):
        assert wanted in flat, (wanted, flat)
    for unwanted in ("Was this helpful", "Sign out", "Search procedures", "Copy", "Workspaces", "Collections", "Menu"):
        assert unwanted not in flat, (unwanted, flat)


@pytest.mark.skipif(not os.environ.get("KB_SCREENSHOTS"), reason="make screenshots")
def test_screenshots(browser, site, shelf):  # noqa: F811
    """`make screenshots`: the main pages of each role at three widths, light and dark."""
    folder = Path(os.environ["KB_SCREENSHOTS"])
    folder.mkdir(parents=True, exist_ok=True)
    chosen = {"client admin": 3, "agent": 4, "platform admin": 1, "visitor": 1}
    for role, count in chosen.items():
        who, pages = role_pages(shelf)[role]

        def shoot(page, language, schema, path, role=role):
            where = f"{schema or 'public'}{path}"
            name = f"{role.replace(' ', '-')}_{where.strip('/').replace('/', '_').replace('?', '_').replace('=', '-') or 'home'}"
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.screenshot(path=str(folder / f"{name}_{width}_{scheme}.png"))

        visit_every_page(browser, site, who, pages[:count], check=shoot)
