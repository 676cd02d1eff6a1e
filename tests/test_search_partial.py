"""Search as agents type (issue #12): partial matches ranked by coverage, real words never
corrected, synonyms (one word or several) before corrections, derivations that meet, and
nothing outside the person's reach in a partial match, a correction or a suggestion."""

from __future__ import annotations

import pytest
from django.db import connection

from articles import services
from articles.models import Kind
from permissions.models import Level
from permissions.services import grant_give
from search import engine, indexing
from search import services as search_services
from tenants import services as tenant_services
from tenants.selectors import workspace_access


@pytest.fixture
def acme(world, in_tenant):
    engine.clear_caches()
    in_tenant(world.acme)
    yield world
    engine.clear_caches()


def access_of(world, user):
    schema = connection.tenant
    connection.set_schema_to_public()
    access = workspace_access(user, world.acme)
    connection.set_tenant(schema)
    return access


@pytest.fixture
def viewer(acme):
    return access_of(acme, acme.acme_viewer)


@pytest.fixture
def statements(monkeypatch):
    """The search statements a search builds, as the `corrected` terms of each (a spy that
    calls the real builder: the statements still run)."""
    from search.engine import core

    built: list[tuple[int, ...]] = []
    real = core._build

    def spy(*args, **kwargs):
        built.append(tuple(kwargs.get("corrected", ())))
        return real(*args, **kwargs)

    monkeypatch.setattr(core, "_build", spy)
    return built


@pytest.fixture
def desk(acme):
    return services.collection_create(name="Desk", acting_user=acme.acme_editor)


def publish(world, collection, *, title, body="Details follow.", kind=Kind.ARTICLE, steps=(), faqs=(), tags="", language="en"):
    article = services.article_create(
        kind=kind, collection=collection, acting_user=world.acme_editor, publish=True,
        content=services.Content(
            title=title, language=language, tags=tags, body=body,
            steps=[{"title": t, "body": b} for t, b in steps],
            faqs=[{"question": q, "alternatives": list(alts), "answer": a} for q, alts, a in faqs],
        ),
    )
    indexing.index_article(article.pk)
    return article


def ids(results):
    return [hit.article_id for hit in results.hits]


# --- partial matches ----------------------------------------------------------------------

def test_partial_matches_are_ranked_by_how_much_of_the_query_they_cover(viewer, acme, desk):
    three = publish(acme, desk, title="Parcel refund for a broken lamp")
    two = publish(acme, desk, title="Parcel refund rules")
    one = publish(acme, desk, title="Parcel sizes")
    for title in ("Opening hours", "Holidays", "Office keys", "Parking"):
        publish(acme, desk, title=title)
    results = engine.search(viewer, "parcel refund broken zeppelin ")
    assert results.partial and results.corrected_query == ""
    assert ids(results) == [three.pk, two.pk, one.pk]
    assert [hit.missing for hit in results.hits] == [
        ("zeppelin",), ("broken", "zeppelin"), ("refund", "broken", "zeppelin")]
    # The words a hit holds are marked in it.
    assert "\ue000Parcel\ue001 \ue000refund\ue001 for a \ue000broken\ue001 lamp" == results.hits[0].title_marked
    # One document's text holds every word of a sentence, by chance: it comes first,
    # complete; the closest ones follow it.
    chance = publish(acme, desk, title="Shop notes", body="A broken shelf; the parcel desk; refund forms.")
    body = engine.search(viewer, "parcel refund shelf ")
    assert not body.partial and ids(body) == [chance.pk, three.pk, two.pk, one.pk]
    assert [hit.missing for hit in body.hits] == [(), ("shelf",), ("shelf",), ("refund", "shelf")]
    # A title holds them all (a title pasted, or typed whole): that match is meant, and only
    # the complete matches come (the title first), none of the closest ones.
    titled = engine.search(viewer, "parcel refund broken ")
    assert not titled.partial and ids(titled) == [three.pk, chance.pk]
    # A stop word is never "missing".
    assert engine.search(viewer, "the parcel refund for zeppelin ").hits[0].missing == ("zeppelin",)


def test_the_least_useful_words_are_dropped_first(viewer, acme, desk):
    """A word every document holds weighs little; a rare one a lot: the document holding the
    rare word comes first although both hold one word of the query."""
    rare = publish(acme, desk, title="Chargeback handling", body="Customer service procedure.")
    common = [publish(acme, desk, title=f"Topic {n}", body="Customer service procedure.") for n in range(4)]
    assert common
    results = engine.search(viewer, "customer chargeback zeppelin ")
    assert results.partial and ids(results)[0] == rare.pk


def test_past_the_counted_documents_a_common_word_still_weighs_something(viewer, acme, desk, monkeypatch):
    """A step title typed with one word wrong that is itself a rare word of the workspace
    (`herd` for `heard`): the document holding the two other words in a step title comes
    first. With the workspace's size capped where the words' counts are, each word more
    documents hold than the cap weighed the floor, and the one document holding the rare word
    outweighed it (seen at 10,000 articles: the expected guide was not in the hits at all)."""
    from search.engine import partial

    monkeypatch.setattr(partial, "DF_CAP", 3)  # the counts' cap, as DF_CAP is at 10,000 articles
    guide = publish(acme, desk, kind=Kind.GUIDE, title="Greeting the caller", steps=[
        ("Missing courtesy heard", "Apologise and start again."), ("Close", "Thank the caller.")])
    publish(acme, desk, title="The herd of delivery vans", body="Vans park at the depot.")
    for n in range(4):
        publish(acme, desk, title=f"Callback note {n}", body="Missing courtesy is logged as a complaint.")
    for n in range(8):
        publish(acme, desk, title=f"Depot rota {n}", body="Vans park at the depot.")
    results = engine.search(viewer, "missing courtesy herd ")
    assert results.partial and results.corrected_query == ""
    assert ids(results)[0] == guide.pk


def test_common_words_never_found_together_still_give_the_texts_holding_one(viewer, acme, desk, monkeypatch):
    """The texts holding one word that DF_CAP documents hold are looked for only when no other
    query found a candidate; when none did (two common words, never together, in no title),
    they are the partial matches, not nothing."""
    from search.engine import partial

    monkeypatch.setattr(partial, "DF_CAP", 2)
    lamps = [publish(acme, desk, title=f"Note {n}", body="The lantern is kept in the hall.") for n in range(3)]
    vans = [publish(acme, desk, title=f"Memo {n}", body="The minibus leaves at noon.") for n in range(3)]
    results = engine.search(viewer, "lantern minibus ")
    assert results.partial
    assert {hit.article_id for hit in results.hits} == {a.pk for a in lamps + vans}
    # A title holding one of them is found by its own query, and comes first.
    titled = publish(acme, desk, title="Minibus timetable", body="Departures.")
    results = engine.search(viewer, "lantern minibus ")
    assert results.partial and ids(results)[0] == titled.pk


def test_a_correction_that_fits_a_title_comes_before_one_that_fits_a_text(viewer, acme, desk):
    """`casues enfants` is one edit from `cases` (more documents hold it, in their texts) and
    from `causes` (in a title with the other words): the title's spelling is the correction."""
    title = publish(acme, desk, title="Causes de retard des colis enfants", language="fr",
                    body="Transporteur, météo, adresse.")
    for n in range(3):
        publish(acme, desk, title=f"Note {n}", language="fr",
                body="Dans certains cases, les colis enfants arrivent séparément.")
    results = engine.search(viewer, "casues colis enfants ")
    assert results.corrected_query == "causes colis enfants"
    assert ids(results)[0] == title.pk


def test_a_sentence_as_the_caller_says_it_finds_the_procedure(viewer, acme, desk):
    guide = publish(acme, desk, kind=Kind.GUIDE, title="Refund a parcel that never arrived", steps=[
        ("Check the tracking status", "Read the latest carrier event."),
        ("Issue the refund", "Refund directly with reason code NDR-LOST."),
    ])
    publish(acme, desk, title="Delivery options", body="Next day delivery costs more.")
    search_services.synonym_set(term="refund", synonyms=["money back"])
    search_services.synonym_set(term="never arrived", synonyms=["not delivered"])
    results = engine.search(viewer, "customer says parcel not delivered wants money back ")
    assert results.partial and ids(results)[0] == guide.pk


# --- corrections --------------------------------------------------------------------------

@pytest.fixture
def shop(acme, desk):
    return {
        "dispatch": publish(acme, desk, title="Cancel an order before dispatch",
                            body="Any colour, any size: free of charge until it leaves."),
        "dispute": publish(acme, desk, title="Card payments", body="The bank may open a card dispute."),
    }


def test_real_words_are_never_corrected_into_other_words(viewer, acme, shop):
    """`dispute` became "dispatch", `colis` "colour", `chargeback` "charge": each is more than
    one edit away from the word it was turned into."""
    for typed in ("dispute ", "colis ", "chargeback "):
        results = engine.search(viewer, typed)
        assert results.corrected_query == "" and results.suggestions == [], typed
    assert ids(engine.search(viewer, "dispute ")) == [shop["dispute"].pk]
    # A word of the workspace's content is never corrected, even one edit from another.
    assert engine.search(viewer, "charge ").corrected_query == ""
    # A real typo still is.
    assert engine.search(viewer, "dispacth ").corrected_query == "dispatch"


def is_search(sql: str) -> bool:
    """A search statement (the permitted documents' count, once a minute, apart)."""
    return "WITH allowed" in sql and "SELECT greatest(count(*), 1) FROM (" not in sql


def test_words_of_the_workspace_that_no_document_holds_together_need_no_correction_statement(
        viewer, acme, desk, statements):
    """Every word typed is a word here, but no document holds them all: the first statement
    says so, and the partial matches come next, without a correction statement between."""
    from django.test.utils import CaptureQueriesContext

    parcel = publish(acme, desk, title="Parcel sizes")
    publish(acme, desk, title="Lamp warranty")
    publish(acme, desk, title="Opening hours", body="Shops close on holidays.")
    with CaptureQueriesContext(connection) as known:
        results = engine.search(viewer, "parcel lamp holidays ", log=False)
    assert results.partial and parcel.pk in ids(results) and results.corrected_query == ""
    searches = [q["sql"] for q in known.captured_queries if is_search(q["sql"])]
    assert len(searches) == 2 and not any("edit_hits" in sql for sql in searches)
    assert statements == [()]
    # A word that is not one here is still looked for a correction of, and only that word.
    del statements[:]
    with CaptureQueriesContext(connection) as typo:
        results = engine.search(viewer, "parcel lamp holidyas ", log=False)
    ran = [q for q in typo.captured_queries if is_search(q["sql"])]
    assert len(ran) == 3 and "edit_hits" in ran[1]["sql"]
    # the first statement: no correction; the retry: only term 2 ("holidyas") corrected
    assert statements == [(), (2,)]
    assert results.suggestions == ["parcel lamp holidays"] or results.corrected_query == "parcel lamp holidays"


def test_synonyms_come_before_corrections(viewer, acme, shop):
    search_services.synonym_set(term="chargeback", synonyms=["card dispute", "dispute"])
    results = engine.search(viewer, "chargeback ")
    assert results.corrected_query == "" and results.suggestions == []
    assert ids(results) == [shop["dispute"].pk]
    # A synonym of several words, typed: it finds its group too.
    assert ids(engine.search(viewer, "card dispute ")) == [shop["dispute"].pk]
    search_services.synonym_set(term="refund", synonyms=["money back"])
    refund = publish(acme, shop["dispatch"].collection, title="Refund rules")
    assert ids(engine.search(viewer, "money back ")) == [refund.pk]


def test_the_corrected_query_is_the_query_searched(viewer, acme, desk):
    """`demenagemnt` found 5 documents where `demenagement` found 4: the search ORed in every
    candidate correction while showing the best one."""
    publish(acme, desk, title="Gérer un déménagement", language="fr", body="Le déménagement du client.")
    publish(acme, desk, title="Déménagements d'entreprise", language="fr", body="Les déménagements.")
    publish(acme, desk, title="Aménagement du bureau", language="fr", body="Un aménagement.")
    publish(acme, desk, title="Arriver dans un nouveau logement", language="fr", body="Les clés.")
    publish(acme, desk, title="Déménager sans stress", language="fr", body="Les cartons.")
    # The correction's synonyms and derivations come with it, as if it had been typed.
    search_services.synonym_set(term="demenagement", synonyms=["nouveau logement"])
    corrected = engine.search(viewer, "demenagemnt ")
    spelt = engine.search(viewer, corrected.corrected_query + " ")
    assert corrected.corrected_query == "demenagement"
    assert len(ids(spelt)) == 4
    assert ids(corrected) == ids(spelt) and corrected.total == spelt.total


def test_did_you_mean_respects_the_filters(viewer, acme, desk):
    publish(acme, desk, title="Remboursement d'un trop-perçu", language="fr")
    publish(acme, desk, title="Refund rules", language="en", kind=Kind.GUIDE,
            steps=[("Check", "Check the amount.")])
    assert engine.search(viewer, "remboursemant ").corrected_query == "remboursement"
    # Among guides only, no document holds "remboursement": no correction toward it.
    results = engine.search(viewer, "remboursemant ", kind=Kind.GUIDE)
    assert results.corrected_query == "" and results.suggestions == [] and results.hits == []


# --- derivations -------------------------------------------------------------------------

def test_derivations_meet(viewer, acme, desk):
    fragile = publish(acme, desk, title="Clients en situation de fragilité", language="fr")
    cancel = publish(acme, desk, title="Résiliation du contrat", language="fr")
    refund = publish(acme, desk, title="Remboursement du solde", language="fr")
    delivery = publish(acme, desk, title="Delivery options", language="en")
    refunds = publish(acme, desk, title="Refunds policy", language="en")
    # Found as they are (not corrected into the other form, not partial matches).
    for query, article in (("client fragile ", fragile), ("fragile ", fragile), ("résilier ", cancel),
                           ("rembourser ", refund), ("delivered ", delivery), ("refunded ", refunds)):
        results = engine.search(viewer, query)
        assert ids(results) == [article.pk], query
        assert results.corrected_query == "" and not results.partial, query
    # A word one edit from another is a typo, not a derivation: corrected, and said so.
    assert engine.search(viewer, "remboursemant ").corrected_query == "remboursement"


# --- reach ------------------------------------------------------------------------------

@pytest.fixture
def agent(acme, desk):
    from tenants.models import ProviderTeam

    schema = connection.tenant
    connection.set_schema_to_public()
    team = ProviderTeam.objects.filter(provider=acme.helios, name="Partial team").first() or tenant_services.team_create(
        provider=acme.helios, name="Partial team")
    team.members.add(acme.agent_acme)
    connection.set_tenant(schema)
    grant_give(target=desk, level=Level.READ, acting_user=acme.acme_admin, team=team)
    return access_of(acme, acme.agent_acme)


def test_nothing_out_of_reach_in_a_partial_match_a_correction_or_a_suggestion(acme, agent, viewer, desk):
    secret = services.collection_create(name="Margins", acting_user=acme.acme_editor)
    hidden = publish(acme, secret, title="Parcel refund zorbanitude margins",
                     body="Parcel refund zorbanitude margins quintessivite.")
    visible = publish(acme, desk, title="Parcel refund rules")
    queries = ["parcel refund zorbanitude ", "parcel zorbonitude margins ", "refund quintessivité zeppelin ",
               "parcel refund margins zorbanitude quintessivite "]
    for query in queries:
        results = engine.search(agent, query)
        assert hidden.pk not in ids(results), query
        assert set(ids(results)) <= {visible.pk}, query
        assert results.corrected_query == "" and results.suggestions == [], query
        text = " ".join(h.title_marked + h.snippet_marked + h.part_title_marked for h in results.hits)
        assert "zorbanitude" not in text and "margins" not in text.lower(), query
    # The counterpart: the staff viewer, who may read it, gets it first.
    assert ids(engine.search(viewer, "parcel refund zorbanitude "))[0] == hidden.pk
    assert engine.search(viewer, "parcel zorbonitude margins ").corrected_query == "parcel zorbanitude margins"


def test_the_permitted_documents_are_counted_afresh_below_the_cap_and_once_a_minute_at_it(
        acme, agent, viewer, desk, monkeypatch):
    """The N of the partial matches' idf (the documents this person may see, up to SIZE_CAP)
    costs a scan of SIZE_CAP documents on a large workspace (12 of 45 ms at 100,000
    articles): whether a reach holds that many is checked once a minute per tenant, reach and
    filters, and then the partial statement counts none. Below the cap (a small workspace),
    each partial statement counts them afresh: an article just published weighs at once."""
    from django.test.utils import CaptureQueriesContext

    from search.engine import partial

    monkeypatch.setattr(partial, "SIZE_CAP", 5)
    hidden = services.collection_create(name="Hidden", acting_user=acme.acme_editor)
    for n in range(3):
        publish(acme, desk, title=f"Note {n}", body="The lantern is kept in the hall.")
        publish(acme, hidden, title=f"Memo {n}", body="The minibus leaves at noon.")

    def searched(access, **filters) -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as queries:
            results = engine.search(access, "lantern minibus depot ", **filters)
        assert results.partial
        return sum(not is_search(q["sql"]) and "WITH allowed" in q["sql"] for q in queries.captured_queries), results.params

    checks, params = searched(viewer)
    assert checks == 1 and params["size"] == 5  # six documents: the cap reached, given
    checks, params = searched(viewer)
    assert checks == 0 and params["size"] == 5  # within the minute: not checked again
    assert searched(viewer, language="en")[0] == 1  # other filters, checked again
    checks, params = searched(agent)
    assert checks == 1 and params["size"] is None  # another reach, the desk's three: counted in the statement
    assert searched(agent) == (0, params)
    # At the cap the statement's own count never runs (coalesce leaves it unevaluated); below, it does.
    assert not size_counted(engine.search(viewer, "lantern minibus depot "))
    assert size_counted(engine.search(agent, "lantern minibus depot "))
    engine.clear_caches()
    assert searched(viewer)[0] == 1


def size_counted(results) -> bool:
    """Whether the partial statement of `results` counted the permitted documents itself
    (its `size` CTE's count, in EXPLAIN ANALYZE of the plan the engine runs)."""
    from search.engine import prepared

    lines = prepared.explain_generic(results.sql, results.params).splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == "CTE size")
    count = next(line for line in lines[start + 1:] if "Aggregate" in line)
    return "never executed" not in count


def test_the_engine_caches_stay_bounded(monkeypatch):
    """A cache key can hold what a person typed (a tag filter): one entry per request must not
    grow a web process without end."""
    from search.engine import caches

    monkeypatch.setattr(caches, "CACHE_MAX", 3)
    caches.clear_caches()
    for n in range(10):
        assert caches.cached(("tag", n), lambda n=n: n) == n
    assert len(caches._cache) <= 3
    assert caches.cached(("tag", 9), lambda: "loaded again") == 9  # the newest are kept
    caches.clear_caches()


def test_a_word_only_out_of_reach_is_corrected_as_any_unknown_word(acme, agent, viewer, desk, statements):
    """The check of the words typed looks only at what the person may read: a word that occurs
    only where they may not is no word of theirs, and is corrected to one that is."""
    secret = services.collection_create(name="Margins", acting_user=acme.acme_editor)
    hidden = publish(acme, secret, title="Hanger rules")
    hangar = publish(acme, desk, title="Hangar doors")
    results = engine.search(agent, "hanger ", log=False)
    assert results.corrected_query == "hangar" and ids(results) == [hangar.pk]
    # The staff viewer may read it: for them it is a word, found as typed.
    results = engine.search(viewer, "hanger ", log=False)
    assert results.corrected_query == "" and ids(results) == [hidden.pk]
    # Two words no document holds together: for the agent "hanger" is no word of theirs and
    # is corrected; for the viewer both are words, and the partial matches come uncorrected.
    del statements[:]
    results = engine.search(agent, "hanger doors ", log=False)
    assert results.corrected_query == "hangar doors" and ids(results) == [hangar.pk]
    assert statements == [(), (0,)]
    del statements[:]
    results = engine.search(viewer, "hanger doors ", log=False)
    assert results.corrected_query == "" and results.partial and set(ids(results)) == {hidden.pk, hangar.pk}
    assert statements == [()]


# --- the synonym editor ------------------------------------------------------------------

def test_the_synonym_editor_shows_where_each_group_applies(acme, desk):
    from django.test import Client as HttpClient

    from .conftest import host

    secret = services.collection_create(name="Margins", acting_user=acme.acme_editor)
    publish(acme, secret, title="Refund margins", body="Internal.", )
    refund = publish(acme, desk, title="Refund rules", body="How to refund.")
    money = publish(acme, desk, title="Money back guarantee", body="Get your money back.")
    publish(acme, desk, title="Opening hours")
    search_services.synonym_set(term="refund", synonyms=["money back"])
    search_services.synonym_set(term="zeppelin", synonyms=["airship"])
    assert refund and money
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    http.force_login(acme.acme_editor)
    page = http.get("/search/manage/synonyms/", HTTP_HOST=host(acme.acme)).content.decode()
    rows = {row.split("</strong>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr>")[2:]}
    assert "Refund rules" in rows["refund"] and "Money back guarantee" in rows["refund"]
    assert "no article holds these words yet" in rows["zeppelin"]
    # The editor reads the Margins collection too: it counts, as for their own searches.
    assert "3 articles" in rows["refund"]
    # An agent's reach is not what the editor page shows: the selector takes the person.
    from search.models import Synonym
    from search.selectors import synonym_reach

    group = Synonym.objects.get(term="refund")
    assert synonym_reach(access_of(acme, acme.agent_acme), [group])[group.pk].count == 0
