"""An editor pastes, drops and picks images and a file into a guide, sees them in the live
preview, is told why a refused file was refused, publishes; the agent granted the guide sees
the pictures and the file on the published page, zooms into a screenshot (issue #16)."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from PIL import Image
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind
from permissions import services as permissions

from ..conftest import throwaway_workspace
from .conftest import drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "pixels"
EDITOR = "pixels.editor@pixels.test"
AGENT = "pixels.agent@helios.test"
TITLE = "Refund in the back office"


def _png(width: int, height: int, color) -> str:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def guide(committed, tmp_path, settings):
    workspace = throwaway_workspace(schema=SCHEMA, name="Pixels Retail", editor=(EDITOR, "Pia Editor"),
                                    agent=(AGENT, "Paco Agent"), team="Pixels desk")
    client, editor, team = workspace.client, workspace.editor, workspace.team
    refunds = articles.collection_create(name="Refunds", acting_user=editor)
    article = articles.article_create(
        kind=Kind.GUIDE, collection=refunds, acting_user=editor, publish=True,
        content=articles.Content(title=TITLE, language="en", tags=[], body="Open the back office.", steps=[
            {"title": "Find the order", "body": "Search the order number."},
            {"title": "Refund", "body": "Click Refund."},
        ]),
    )
    permissions.grant_give(target=refunds, level="read", team=team, acting_user=editor)
    connection.set_schema_to_public()
    yield article
    drop_throwaway_tenant(client, teams=[team], emails=[EDITOR, AGENT])
    cache.clear()


PASTE = """([selector, data, name]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: "image/png"}));
  const field = document.querySelector(selector);
  field.focus();
  field.setSelectionRange(field.value.length, field.value.length);
  field.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
}"""
DROP = """([selector, data, name]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: "image/png"}));
  const field = document.querySelector(selector);
  field.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
  field.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}"""
LOADED = ("() => { const images = [...document.querySelectorAll('%s img')];"
          " return images.length === %d && images.every(i => i.complete && i.naturalWidth > 0); }")


def _describe(page, alt: str) -> None:
    dialog = page.get_by_role("dialog", name="Describe the image")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Upload").click()  # empty: asked again, not skipped
    expect(dialog.get_by_text("Describe the image, or tick “decorative”.")).to_be_visible()
    dialog.get_by_label("What it shows, for people who cannot see it (alt text)").fill(alt)
    dialog.get_by_role("button", name="Upload").click()
    expect(dialog).to_be_hidden()


def test_paste_drop_and_pick_then_the_agent_sees_the_pictures(page, browser, site, guide):
    sign_in(page, site, EDITOR)
    page.goto(site(SCHEMA, guide.url("edit")))
    steps = page.locator("#steps textarea")
    first, second = (f"#{steps.nth(i).get_attribute('id')}" for i in (0, 1))

    page.evaluate(PASTE, [first, _png(1200, 700, (20, 90, 160)), "image.png"])
    _describe(page, "The order search screen")
    expect(page.locator(first)).to_have_value(
        re.compile(r"Search the order number\.\n\n!\[The order search screen\]\(attachment:[0-9a-f-]{36}\)"))
    preview = page.locator("#preview")
    expect(preview.get_by_role("img", name="The order search screen")).to_be_visible()

    page.evaluate(DROP, [second, _png(3000, 1600, (200, 40, 40)), "refund-button.png"])
    _describe(page, "The Refund button, top right")
    expect(page.locator(second)).to_have_value(re.compile(r"attachment:[0-9a-f-]{36}"))
    expect(preview.get_by_role("img", name="The Refund button, top right")).to_be_visible()
    page.wait_for_function(LOADED % ("#preview", 2))

    # A refused file: the reason is shown, the text stays as it was.
    body = page.get_by_label("Introduction")
    body.focus()
    before = body.input_value()
    page.locator("[data-upload-input]").set_input_files(
        files=[{"name": "logo.svg", "mimeType": "image/svg+xml",
                "buffer": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'}])
    _describe(page, "Our logo")  # the browser says image/svg+xml: the alt text is asked first
    expect(page.get_by_role("alert").filter(has_text="SVG images are refused")).to_be_visible()
    expect(body).to_have_value(before)

    # A picked PDF goes in as a link, without an alt text.
    body.focus()
    page.locator("[data-upload-input]").set_input_files(
        files=[{"name": "refund-form.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}])
    expect(body).to_have_value(re.compile(r"\[refund-form\.pdf\]\(attachment:[0-9a-f-]{36}\)"))
    expect(page.get_by_text("refund-form.pdf uploaded and inserted.")).to_be_visible()

    page.get_by_label("Change summary").fill("Screenshots of the back office")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    context = browser.new_context(locale="en-GB")
    try:
        agent = context.new_page()
        agent.set_default_timeout(10_000)
        csp_errors: list[str] = []
        agent.on("console", lambda msg: csp_errors.append(msg.text) if msg.type == "error" else None)
        sign_in(agent, site, AGENT)
        agent.goto(site(SCHEMA, guide.get_absolute_url()))
        expect(agent.get_by_role("img", name="The order search screen")).to_be_visible()
        expect(agent.get_by_role("img", name="The Refund button, top right")).to_be_visible()
        agent.wait_for_function(LOADED % (".steps", 2))
        # The wide screenshot is shown as its rendition; a click opens the original.
        widths = agent.evaluate("() => [...document.querySelectorAll('.steps img')].map(i => i.naturalWidth)")
        assert widths == [1200, 1600]
        agent.get_by_role("img", name="The Refund button, top right").click()
        zoomed = agent.locator("dialog.zoom img")
        expect(zoomed).to_be_visible()
        agent.wait_for_function("() => document.querySelector('dialog.zoom img').naturalWidth === 3000")
        agent.keyboard.press("Escape")
        expect(zoomed).to_be_hidden()
        files = agent.get_by_role("region", name="Attached files")
        expect(files.get_by_role("link", name="refund-form.pdf")).to_be_visible()
        expect(files).to_contain_text("PDF")
        assert csp_errors == []
    finally:
        context.close()
