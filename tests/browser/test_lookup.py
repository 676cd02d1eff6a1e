"""The lookup page in a browser: an agent with a customer on the line types a misspelled query
and reaches the matching guide step with the keyboard alone; flags a failed search; keeps a
procedure pinned one keystroke away.

Signing in to a tenant writes its append-only audit log, so the data lives in a tenant of its
own, dropped afterwards.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind
from permissions import services as permissions
from search import engine, indexing
from search.models import QueryLog
from tenants.models import Client

from ..conftest import throwaway_workspace
from .conftest import drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "vega"
EDITOR = "lookup.editor@vega.test"
AGENT = "lookup.agent@helios.test"


@pytest.fixture
def vega(committed):
    workspace = throwaway_workspace(schema=SCHEMA, name="Vega Mobile", editor=(EDITOR, "Vera Editor"),
                                    agent=(AGENT, "Lina Agent"), team="Vega desk")
    client, editor, team = workspace.client, workspace.editor, workspace.team
    billing = articles.collection_create(name="Facturation", acting_user=editor)
    guide = articles.article_create(
        kind=Kind.GUIDE, collection=billing, acting_user=editor, publish=True,
        content=articles.Content(title="Résiliation de l'abonnement", language="fr", tags=["contrat"], steps=[
            {"title": "Vérifier l'identité", "body": "Demander le numéro client et la date de naissance."},
            {"title": "Calculer le remboursement", "body": "Le remboursement est proportionnel aux jours restants."},
            {"title": "Confirmer par écrit", "body": "Envoyer l'e-mail de confirmation."},
        ]),
    )
    faq = articles.article_create(
        kind=Kind.FAQ, collection=billing, acting_user=editor, publish=True,
        content=articles.Content(title="Questions sur la facture", language="fr", tags=[], faqs=[
            {"question": "Comment payer par prélèvement ?", "alternatives": [], "answer": "Avec le mandat SEPA."},
        ]),
    )
    for article in (guide, faq):
        indexing.index_article(article.pk)
    permissions.grant_give(target=billing, level="read", team=team, acting_user=editor)
    connection.set_schema_to_public()
    engine.clear_caches()
    yield guide
    drop_throwaway_tenant(client, teams=[team], emails=[EDITOR, AGENT])
    cache.clear()
    engine.clear_caches()


def test_a_misspelled_query_reaches_the_guide_step_with_the_keyboard_alone(page, site, vega):
    sign_in(page, site, AGENT)
    page.goto(site(SCHEMA, "/"))
    page.wait_for_load_state("load")
    box = page.get_by_role("combobox", name="Look up a procedure in Vega Mobile")
    expect(box).to_be_focused()

    page.keyboard.type("rembursement", delay=30)
    hit = page.locator("#lookup-hits [data-hit]").first
    expect(hit).to_contain_text("Résiliation de l'abonnement")
    expect(hit.locator(".hit-part-title")).to_contain_text("Étape 2")  # French content: its own language (issue 14)
    expect(hit.locator(".hit-part mark").first).to_have_text(re.compile("remboursement", re.I))
    expect(page.locator("#lookup-results")).to_contain_text("Showing results for remboursement")
    expect(page).to_have_url(re.compile(r"/search/\?q=rembursement$"))

    page.keyboard.press("ArrowDown")
    expect(hit).to_have_class(re.compile(r"\bactive\b"))
    expect(box).to_have_attribute("aria-activedescendant", "hit-1")  # the option itself, not the link inside it
    expect(page.get_by_role("heading", level=1, name="Look up a procedure in Vega Mobile")).to_be_visible()
    page.keyboard.press("Enter")

    # The link names the logged query it was found by (the dashboard counts the search a success).
    expect(page).to_have_url(re.compile(rf"/guides/{vega.slug}/\?from=[0-9]+#step-2$"))
    expect(page.locator("#step-2")).to_be_focused()
    expect(page.locator("#step-2")).to_have_class(re.compile(r"\blanded\b"))
    assert page.console_errors == []

    # "/" brings the agent back to a search box; Esc clears the lookup box.
    page.keyboard.press("/")
    expect(page.locator("#global-search")).to_be_focused()
    page.keyboard.type("prélèvement")
    page.keyboard.press("Enter")
    lookup_box = page.locator("#lookup-q")
    expect(page.locator("#lookup-hits [data-hit]").first).to_contain_text("Questions sur la facture")
    page.wait_for_load_state("load")
    expect(lookup_box).to_be_focused()
    page.keyboard.press("Escape")
    expect(lookup_box).to_have_value("")
    expect(page.locator("#lookup-results")).to_contain_text("Recently opened")


def test_a_failed_search_is_flagged_and_a_pinned_procedure_is_one_keystroke_away(page, site, vega):
    sign_in(page, site, AGENT)
    page.goto(site(SCHEMA, vega.url("read")))
    page.get_by_role("button", name="Pin").click()
    expect(page.get_by_role("button", name="Pinned")).to_be_visible()

    page.goto(site(SCHEMA, "/"))
    page.wait_for_load_state("load")
    page.keyboard.type("chatons volants", delay=20)
    # Under load the debounce can fire mid-word: wait for the answer to the whole query.
    expect(page.locator("#lookup-results")).to_contain_text("Nothing you can read matches “chatons volants”")
    flag = page.get_by_role("button", name="I could not find it: tell the editors")
    # An action that tells the editors looks like a button, not like a link.
    assert flag.evaluate("b => getComputedStyle(b).borderTopWidth") != "0px"
    flag.click()
    expect(page.locator("#lookup-results")).to_contain_text("the editors will see this search")
    connection.set_tenant(Client.objects.get(schema_name=SCHEMA))
    assert QueryLog.objects.get(query="chatons volants").flagged_not_found
    connection.set_schema_to_public()

    page.locator("#lookup-q").focus()
    page.keyboard.press("Escape")
    expect(page.locator("[data-shortcut='1']")).to_contain_text("Résiliation de l'abonnement")
    page.keyboard.press("Alt+1")
    expect(page).to_have_url(re.compile(rf"/guides/{vega.slug}/$"))

    # On AZERTY, Alt and the key marked 1 types "&": the physical key counts (event.code).
    page.goto(site(SCHEMA, "/"))
    page.wait_for_load_state("load")
    expect(page.locator("[data-shortcut='1']")).to_be_visible()
    page.locator("#lookup-q").evaluate(
        "box => box.dispatchEvent(new KeyboardEvent('keydown', {key: '&', code: 'Digit1', altKey: true, bubbles: true}))")
    expect(page).to_have_url(re.compile(rf"/guides/{vega.slug}/$"))


def test_a_sentence_as_the_caller_says_it_finds_the_step_as_a_partial_match(page, site, vega):
    sign_in(page, site, AGENT)
    page.goto(site(SCHEMA, "/"))
    page.wait_for_load_state("load")
    page.keyboard.type("le client veut calculer son remboursement zeppelin ", delay=10)
    results = page.locator("#lookup-results")
    expect(results).to_contain_text("No result holds every word: the closest ones.")
    hit = page.locator("#lookup-hits [data-hit]").first
    expect(hit).to_contain_text("Résiliation de l'abonnement")
    expect(hit.locator(".hit-part-title")).to_contain_text("Étape 2")  # French content: its own language (issue 14)
    expect(hit.locator("[data-partial-hit]")).to_contain_text("partial match, without:")
    expect(hit.locator("[data-partial-hit]")).to_contain_text("zeppelin")
    expect(hit.locator(".hit-part mark").first).to_have_text(re.compile("calculer|remboursement", re.I))
    assert page.console_errors == []
