"""The lookup page: the provider agent's home, results as you type (htmx partial), filters, the
"I could not find it" flag, pinned and recently opened procedures — all through the permission
layer."""

from __future__ import annotations

import datetime
import html as html_module
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Kind
from permissions.models import Level
from permissions.services import grant_give, grant_revoke
from search.models import PersonalShortcut, QueryLog
from search.services import RECENT_KEPT
from tenants import services as tenant_services
from tenants.models import ProviderTeam

from .conftest import host
from .factories import get, http_as, publish


@pytest.fixture
def content(acme):
    billing = services.collection_create(name="Billing", acting_user=acme.acme_editor)
    margins = services.collection_create(name="Margins", acting_user=acme.acme_editor)
    schema = connection.tenant
    connection.set_schema_to_public()
    team = ProviderTeam.objects.filter(provider=acme.helios, name="Lookup team").first() or tenant_services.team_create(
        provider=acme.helios, name="Lookup team")
    team.members.add(acme.agent_acme)
    connection.set_tenant(schema)
    grant = grant_give(target=billing, level=Level.READ, acting_user=acme.acme_admin, team=team)
    return {
        "billing": billing,
        "grant": grant,
        "guide": publish(acme, billing, kind=Kind.GUIDE, title="Résiliation de l'abonnement", tags="contrat", steps=[
            ("Vérifier l'identité", "Demander le numéro client."),
            ("Calculer le remboursement", "Le remboursement est proportionnel aux jours restants."),
        ]),
        "parcel": publish(acme, billing, title="Lost parcel investigation", language="en", tags="colis",
                          body="Open an investigation with the carrier."),
        "secret": publish(acme, margins, title="Remboursement des marges", tags="secret-tag",
                          body="Le remboursement zorbanitude reste interne."),
        "confidential": publish(acme, billing, title="Remboursement exceptionnel", confidential=True,
                                body="Remboursement quintessivité."),
    }


def text(response) -> str:
    """The page as a person reads it: tags (highlights included) removed, entities decoded."""
    return html_module.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def test_the_agents_home_is_the_lookup_page_and_staff_keep_the_knowledge_base(acme, content):
    agent_home = get(acme.agent_acme, "/", acme.acme)
    assert agent_home.status_code == 200
    assert 'id="lookup-q"' in agent_home.content.decode()
    staff_home = get(acme.acme_viewer, "/", acme.acme)
    assert 'id="lookup-q"' not in staff_home.content.decode()
    # The header box of every other page searches on the lookup page.
    assert 'action="/search/"' in staff_home.content.decode()
    # An old link with a query lands on the results.
    assert "Lost parcel investigation" in text(get(acme.acme_viewer, "/", acme.acme, q="parcel"))


def test_hits_show_the_matching_step_highlighted_and_link_to_it(acme, content):
    response = get(acme.agent_acme, "/search/", acme.acme, q="rembursement")
    html = response.content.decode()
    assert "Résiliation de l'abonnement" in text(response)
    # The link says which logged query it was found by (the dashboard's search success).
    assert re.search(rf'href="/guides/{content["guide"].slug}/\?from=[0-9]+#step-2"', html)
    assert "<mark>remboursement</mark>" in html.lower()
    assert "Showing results for" in html  # the typo was corrected
    # ...and one click searches for exactly what was typed instead.
    assert 'href="/search/?q=rembursement&amp;as_typed=1"' in html
    as_typed = get(acme.agent_acme, "/search/", acme.acme, q="rembursement", as_typed="1")
    assert "Showing results for" not in as_typed.content.decode()
    assert "Résiliation de l'abonnement" not in text(as_typed)


def test_the_agent_never_sees_what_no_grant_opens(acme, content):
    html = text(get(acme.agent_acme, "/search/", acme.acme, q="remboursement"))
    assert "marges" not in html.lower() and "exceptionnel" not in html
    assert "zorbanitude" not in html and "quintessivit" not in html
    assert "1 result" in html
    # Nor through "did you mean", nor through the tag filter's choices.
    html = get(acme.agent_acme, "/search/", acme.acme, q="zorbonitude").content.decode()
    assert "zorbanitude" not in html and "Did you mean" not in html
    # ... while a typo of a word the agent may read is offered, with a link that searches it.
    response = get(acme.agent_acme, "/search/", acme.acme, q="remboursemant zzzqqq")
    assert "Did you mean: remboursement zzzqqq" in " ".join(text(response).split())
    assert 'href="/search/?q=remboursement+zzzqqq"' in response.content.decode()
    page = get(acme.agent_acme, "/search/", acme.acme).content.decode()
    assert "secret-tag" not in page and '<option value="contrat"' in page
    assert 'value="margins"' not in page and 'value="billing"' in page
    # The staff viewer gets all of it.
    html = text(get(acme.acme_viewer, "/search/", acme.acme, q="remboursement"))
    assert "Remboursement des marges" in html and "Remboursement exceptionnel" in html


def test_results_as_you_type_come_as_a_partial_never_cached(acme, content):
    response = get(acme.agent_acme, "/search/", acme.acme, htmx=True, q="parc")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="lookup-hits"' in html and "Lost parcel investigation" in text(response)
    assert "no-store" in response["Cache-Control"]
    assert "HX-Request" in response["Vary"]
    # An empty box shows the person's shortcuts (or what to do), not results.
    empty = get(acme.agent_acme, "/search/", acme.acme, htmx=True, q="").content.decode()
    assert "lookup-hits" not in empty and "Start typing" in empty


def test_filters_narrow_and_bad_values_are_explained_not_fatal(acme, content):
    html = get(acme.agent_acme, "/search/", acme.acme, q="remboursement", kind="faq").content.decode()
    assert "Nothing you can read matches" in html and "Search again without the filters" in html
    html = text(get(acme.agent_acme, "/search/", acme.acme, q="parcel", language="en", collection="billing", tag="colis"))
    assert "Lost parcel investigation" in html
    html = text(get(acme.agent_acme, "/search/", acme.acme, q="parcel", kind="nonsense", collection="margins",
                    language="xx", tag="x" * 61))
    assert "Lost parcel investigation" in html  # every bad filter dropped, the search still answers
    assert "Unknown kind" in html and "collection is not available" in html
    assert "Unknown language" in html and "at most 60 characters" in html
    html = get(acme.agent_acme, "/search/", acme.acme, q="parcel " + "x" * 300).content.decode()
    assert "shortened to its first 200 characters" in html


def test_the_agent_flags_a_failed_search_once_and_only_their_own(acme, content):
    response = get(acme.agent_acme, "/search/", acme.acme, htmx=True, q="chatons volants")
    log = QueryLog.objects.get(query="chatons volants")
    assert f'name="log" value="{log.pk}"' in response.content.decode()
    agent = http_as(acme.agent_acme)
    flagged = agent.post("/search/not-found/", {"log": log.pk}, HTTP_HOST=host(acme.acme), HTTP_HX_REQUEST="true")
    assert flagged.status_code == 200 and "content-gap report" in flagged.content.decode()
    log.refresh_from_db()
    assert log.flagged_not_found
    # Someone else's query, an old one, or garbage: refused with a message (shown by htmx, so
    # a 200), nothing changes.
    other = QueryLog.objects.create(query="x", normalised="x", results=0, user_id=acme.acme_viewer.pk)
    old = QueryLog.objects.create(query="y", normalised="y", results=0, user_id=acme.agent_acme.pk)
    QueryLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    for value in (other.pk, old.pk, "abc", "", "²"):
        response = agent.post("/search/not-found/", {"log": value}, HTTP_HOST=host(acme.acme), HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "could not be flagged" in response.content.decode()
    assert not QueryLog.objects.filter(pk__in=[other.pk, old.pk], flagged_not_found=True).exists()
    # Without JavaScript: back to the results with a message.
    response = agent.post("/search/not-found/", {"log": log.pk, "q": "chatons volants"}, HTTP_HOST=host(acme.acme))
    assert response.status_code == 302 and response["Location"] == "/search/?q=chatons+volants"
    assert agent.get("/search/not-found/", HTTP_HOST=host(acme.acme)).status_code == 405


def test_opened_and_pinned_procedures_wait_on_the_lookup_page(acme, content):
    guide, parcel = content["guide"], content["parcel"]
    agent = http_as(acme.agent_acme)
    assert agent.get(parcel.url("read"), HTTP_HOST=host(acme.acme)).status_code == 200
    response = agent.post(guide.url("read") + "pin/", {"pinned": "1"}, HTTP_HOST=host(acme.acme), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    html = agent.get("/search/", HTTP_HOST=host(acme.acme)).content.decode()
    pinned_at, recent_at = html.index("Pinned"), html.index("Recently opened")
    assert pinned_at < html.index(guide.title.replace("'", "&#x27;")) < recent_at < html.index(parcel.title)
    assert 'data-shortcut="1"' in html and 'data-shortcut="2"' in html
    # The reading page shows the state; unpinning removes it.
    assert 'aria-pressed="true"' in agent.get(guide.url("read"), HTTP_HOST=host(acme.acme)).content.decode()
    agent.post(guide.url("read") + "pin/", {"pinned": "0"}, HTTP_HOST=host(acme.acme))
    assert not PersonalShortcut.objects.filter(kind="pinned").exists()
    # A revoked grant takes the shortcuts with it, and nobody may pin what they cannot read.
    grant_revoke(grant=content["grant"], acting_user=acme.acme_admin)
    html = agent.get("/search/", HTTP_HOST=host(acme.acme)).content.decode()
    assert parcel.title not in html and guide.title not in html
    assert '<option value="contrat"' not in html  # the tag filter's choices, cached, follow too
    assert agent.post(guide.url("read") + "pin/", {"pinned": "1"}, HTTP_HOST=host(acme.acme)).status_code == 404
    assert agent.post(content["secret"].url("read") + "pin/", HTTP_HOST=host(acme.acme)).status_code == 404


def test_only_the_latest_opened_are_kept(acme, content):
    from search import selectors, services
    from tenants.selectors import workspace_access

    schema = connection.tenant
    connection.set_schema_to_public()
    access = workspace_access(acme.acme_viewer, acme.acme)
    connection.set_tenant(schema)
    for n in range(RECENT_KEPT + 5):
        article = publish(acme, content["billing"], title=f"Procédure {n}", body="Texte.")
        services.opened(access=access, article=article)
    kept = PersonalShortcut.objects.filter(user_id=acme.acme_viewer.pk, kind="recent")
    assert kept.count() == RECENT_KEPT
    assert not kept.filter(article__title="Procédure 0").exists()
    assert [a.title for a in selectors.shortcuts(access)["recent"]][:2] == [f"Procédure {RECENT_KEPT + 4}", f"Procédure {RECENT_KEPT + 3}"]


def test_a_keystroke_costs_a_bounded_number_of_queries(acme, content, settings):
    settings.KB_ACCESS_CACHE = True  # what these tests are about (KB_ACCESS_CACHE=0 turns it off)
    agent = http_as(acme.agent_acme)
    agent.get("/search/", {"q": "parc"}, HTTP_HOST=host(acme.acme))  # session and sign-in audit settled
    for q in ("parc", "remboursement", "rembursement", "zzzqqq volants"):
        with CaptureQueriesContext(connection) as queries:
            response = agent.get("/search/", {"q": q}, HTTP_HOST=host(acme.acme),
                                 HTTP_HX_REQUEST="true", HTTP_HX_TARGET="lookup-results")
        assert response.status_code == 200
        # The search path, the session and the access generations (permissions.access_cache:
        # the tenant, the person, their access and reach are reused), then the search: one
        # statement; with a typo, a second one and the log's update or a partial match.
        assert len(queries) <= 6, "\n".join(query["sql"][:150] for query in queries)


def test_a_provider_person_who_may_read_nothing_gets_an_empty_answer_not_an_error(acme, content):
    # The lead is in no team with a grant here: nothing to read, nothing to count or suggest.
    response = get(acme.lead, "/search/", acme.acme, q="remboursement")
    assert response.status_code == 200
    assert "Nothing you can read matches" in text(response)


def test_keystrokes_of_one_search_are_not_failed_searches(acme, content):
    from search.selectors import failed_queries, period_start

    agent = http_as(acme.agent_acme)
    for typed in ("zq", "zqx", "zqxw volants"):  # typed as one search, each failing
        agent.get("/search/", {"q": typed}, HTTP_HOST=host(acme.acme), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="lookup-results")
    agent.get("/search/", {"q": "zq"}, HTTP_HOST=host(acme.acme))  # a later, separate search
    assert QueryLog.objects.filter(query="zq").count() == 2
    assert QueryLog.objects.filter(normalised__startswith="zq").count() == 4
    failed = {row.normalised: row.times for row in failed_queries(acme.acme.pk, since=period_start("week"))}
    assert failed == {"zqxw volants": 1, "zq": 1}


def test_write_an_article_from_a_failed_query_prefills_the_title(acme):
    html = get(acme.acme_editor, "/new/article/", acme.acme, title="  Chatons   volants ").content.decode()
    assert 'value="Chatons volants"' in html


def test_the_gap_report_names_only_the_teams_that_work_in_this_tenant(acme, content):
    """An agent in a team for another client: that team's name never reaches this client."""
    schema = connection.tenant
    connection.set_schema_to_public()
    other = tenant_services.team_create(provider=acme.helios, name="Lumière night shift")
    other.members.add(acme.agent_both)
    team = ProviderTeam.objects.get(provider=acme.helios, name="Lookup team")
    team.members.add(acme.agent_both)
    connection.set_tenant(acme.lumiere)
    lumiere_billing = services.collection_create(name="Facturation", acting_user=acme.lumiere_editor)
    grant_give(target=lumiere_billing, level=Level.READ, acting_user=acme.lumiere_admin, team=other)
    connection.set_tenant(schema)
    get(acme.agent_both, "/search/", acme.acme, q="chatons volants")
    assert QueryLog.objects.get(query="chatons volants").team == "Lookup team"


def test_control_characters_and_odd_digits_are_bad_input_not_errors(acme, content):
    # A NUL is refused before the view, with the product's 400 page (kbportal/input_guard.py).
    for response in (get(acme.agent_acme, "/search/", acme.acme, q="parc\x00el"),
                     get(acme.agent_acme, "/search/", acme.acme, htmx=True, q="\x00", tag="a\x00b")):
        assert response.status_code == 400 and b'data-error-page="400"' in response.content
    assert get(acme.agent_acme, "/search/", acme.acme, q="parc\tel\x7f").status_code == 200
    agent = http_as(acme.agent_acme)
    for value in ("99999999999999999999999", "١٢"):
        response = agent.post("/search/not-found/", {"log": value}, HTTP_HOST=host(acme.acme), HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "could not be flagged" in response.content.decode()
