"""Search: every matching rule, permission filtering of hits, counts and suggestions, and the
indexing path (idempotent, after commit, reconciliation of a lost task)."""

from __future__ import annotations

import pytest
from django.db import connection

from articles import services
from articles.models import Kind
from permissions.models import Level
from permissions.services import grant_give
from search import engine, indexing
from search import services as search_services
from search.models import QueryLog, SearchDocument, SearchPart
from search.tasks import index_article_task, reconcile_tenant_task
from tenants import services as tenant_services
from tenants.selectors import workspace_access
from tenants.tasking import TenantRequired

from .factories import publish


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
def billing(acme):
    return services.collection_create(name="Billing", acting_user=acme.acme_editor)


@pytest.fixture
def corpus(acme, billing):
    cancel = publish(acme, billing, kind=Kind.GUIDE, title="Résiliation de l'abonnement", steps=[
        ("Vérifier l'identité", "Demander le numéro client et la date de naissance."),
        ("Calculer le remboursement", "Le remboursement est proportionnel aux jours restants."),
        ("Confirmer par écrit", "Envoyer l'e-mail de confirmation au client."),
    ], tags="contrat, départ")
    faq = publish(acme, billing, kind=Kind.FAQ, title="Questions sur la facture", faqs=[
        ("Pourquoi ma facture est-elle plus élevée ?", ["Facture trop chère", "Montant anormal"],
         "Une régularisation annuelle peut s'ajouter au montant mensuel."),
        ("Comment payer par prélèvement ?", [], "Le client remplit le mandat SEPA dans son espace."),
    ])
    parcel = publish(acme, billing, title="Lost parcel investigation", language="en",
                     body="Open an investigation with the carrier when the tracking shows no scan for five days.")
    damaged = publish(acme, billing, title="Damaged parcel refund", language="en",
                      body="Refund the customer once photos of the damaged parcel are received.")
    return {"cancel": cancel, "faq": faq, "parcel": parcel, "damaged": damaged}


def ids(results):
    return [hit.article_id for hit in results.hits]


# --- matching ---------------------------------------------------------------------------

def test_accents_are_ignored(viewer, corpus):
    assert ids(engine.search(viewer, "resiliation "))[0] == corpus["cancel"].pk
    assert corpus["cancel"].pk in ids(engine.search(viewer, "RÉSILIATION "))


def test_french_elisions(viewer, corpus):
    assert ids(engine.search(viewer, "l'abonnement "))[0] == corpus["cancel"].pk
    assert ids(engine.search(viewer, "l’abonnement "))[0] == corpus["cancel"].pk
    assert ids(engine.search(viewer, "abonnement "))[0] == corpus["cancel"].pk


def test_the_word_being_typed_matches_as_a_prefix(viewer, corpus):
    assert ids(engine.search(viewer, "investig")) == [corpus["parcel"].pk]
    assert ids(engine.search(viewer, "lost parc")) == [corpus["parcel"].pk]
    # A finished word (followed by a space) is not a prefix any more. "parc" is two letters
    # short of "parcel": not a typo one edit away (and a word of its own), so it is not
    # corrected; the article holding "lost" comes as a partial match without it.
    results = engine.search(viewer, "lost parc ")
    assert results.corrected_query == "" and results.partial
    assert ids(results) == [corpus["parcel"].pk] and results.hits[0].missing == ("parc",)


def test_one_typo_in_a_long_word_is_forgiven(viewer, corpus):
    results = engine.search(viewer, "rembursement")
    assert ids(results) == [corpus["cancel"].pk]
    assert results.corrected_query == "remboursement"
    assert ids(engine.search(viewer, "investigatoin "))[0] == corpus["parcel"].pk
    assert ids(engine.search(viewer, "damgaed parcel"))[0] == corpus["damaged"].pk


def test_faq_alternative_phrasings_and_tags_match(viewer, corpus):
    assert ids(engine.search(viewer, "facture trop chère")) == [corpus["faq"].pk]
    assert ids(engine.search(viewer, "montant anormal")) == [corpus["faq"].pk]
    assert ids(engine.search(viewer, "départ ")) == [corpus["cancel"].pk]


def test_websearch_syntax(viewer, corpus):
    assert set(ids(engine.search(viewer, "parcel "))) == {corpus["parcel"].pk, corpus["damaged"].pk}
    assert ids(engine.search(viewer, "parcel -refund ")) == [corpus["parcel"].pk]
    # a word excluded that only the text holds excludes a title match too ("photos" is in the body)
    assert ids(engine.search(viewer, "parcel -photos ")) == [corpus["parcel"].pk]
    assert corpus["damaged"].pk not in ids(engine.search(viewer, "damaged parcel -photos "))
    assert ids(engine.search(viewer, '"damaged parcel"')) == [corpus["damaged"].pk]
    assert ids(engine.search(viewer, '"parcel damaged"')) == []
    assert set(ids(engine.search(viewer, "investigation or prélèvement "))) == {corpus["parcel"].pk, corpus["faq"].pk}


def test_synonyms_find_each_other(viewer, corpus):
    assert engine.search(viewer, "fermeture ").hits == []
    search_services.synonym_set(term="résiliation", synonyms=["désabonnement", "Fermeture"])
    for query in ("fermeture ", "desabonnement ", "fermeture abonnement"):
        results = engine.search(viewer, query)
        assert ids(results) == [corpus["cancel"].pk] and results.corrected_query == ""


def test_a_word_with_synonyms_is_never_corrected_into_another_word(viewer, corpus):
    """`chargeback` became "charge" even after an editor said it means "dispute": the
    editors' synonyms win over the corrector's guess."""
    assert engine.search(viewer, "remboursemant ").corrected_query == "remboursement"
    search_services.synonym_set(term="remboursemant", synonyms=["avoir"])
    results = engine.search(viewer, "remboursemant ")
    assert results.corrected_query == "" and results.suggestions == []


def test_a_corrected_search_can_be_run_for_exactly_what_was_typed(viewer, corpus):
    assert engine.search(viewer, "rembursement").corrected_query == "remboursement"
    as_typed = engine.search(viewer, "rembursement", correct=False)
    assert as_typed.hits == [] and as_typed.corrected_query == "" and as_typed.suggestions == []


def test_title_matches_rank_above_body_matches(acme, viewer, billing):
    body = publish(acme, billing, title="Carrier contacts", language="en", body="Say the word tracking once.")
    title = publish(acme, billing, title="Tracking a parcel", language="en", body="Open the carrier page.")
    assert ids(engine.search(viewer, "tracking ")) == [title.pk, body.pk]


def test_more_titles_than_the_count_and_the_page_show_leave_the_texts_unread(acme, viewer, billing, monkeypatch):
    """When more permitted titles hold the words than the count shows (COUNT_CAP) and the page
    holds (the limit), the texts' postings are not read (16 of the 29 ms of a common word at
    100,000 articles): the page is titles either way and the count past the cap. Up to there, a
    match in a text alone is found and counted as before."""
    from search.engine import sql

    monkeypatch.setattr(sql, "COUNT_CAP", 2)
    body = publish(acme, billing, title="Depot note", language="en", body="The lantern is kept in the hall.")
    titled = [publish(acme, billing, title=f"Lantern {n}", language="en", body="In the hall.") for n in range(2)]
    results = engine.search(viewer, "lantern ", limit=3)
    assert set(ids(results)[:2]) == {a.pk for a in titled} and ids(results)[2] == body.pk
    assert results.total == 3
    titled += [publish(acme, billing, title=f"Lantern {n}", language="en", body="In the hall.") for n in (2, 3)]
    results = engine.search(viewer, "lantern ", limit=3)
    assert len(results.hits) == 3 and set(ids(results)) < {a.pk for a in titled}
    assert results.total == 4  # the titles counted; the text holding the word was not read


def test_best_bets_come_first(acme, viewer, corpus):
    search_services.best_bet_add(query="Parcel", article=corpus["damaged"], position=1, acting_user=acme.acme_editor)
    results = engine.search(viewer, "parcel ")
    assert ids(results)[0] == corpus["damaged"].pk and results.hits[0].best_bet
    # Pinned even when its text does not match the query.
    search_services.best_bet_add(query="parcel", article=corpus["faq"], position=0, acting_user=acme.acme_editor)
    assert ids(engine.search(viewer, "parcel "))[0] == corpus["faq"].pk


def test_the_matching_step_is_shown_highlighted_with_its_anchor(viewer, corpus):
    hit = engine.search(viewer, "remboursement ").hits[0]
    assert hit.part_anchor == "step-2"
    assert hit.url.endswith("#step-2") and "/guides/" in hit.url
    assert "<mark>remboursement</mark>" in hit.snippet_html.lower()
    assert "<mark>" in hit.part_title_html
    answer = engine.search(viewer, "prélèvement ").hits[0]
    assert answer.part_anchor == "faq-2" and "<mark>" in answer.part_title_html


def test_highlights_escape_what_authors_wrote(acme, viewer, billing):
    publish(acme, billing, title="Escaping check", language="en", body="Type `<b onmouseover=alert(1)>x</b>` here & carefully.")
    hit = engine.search(viewer, "carefully ").hits[0]
    assert "<b" not in hit.snippet_html and "&lt;b onmouseover" in hit.snippet_html
    assert "&amp; <mark>carefully</mark>" in hit.snippet_html


def test_filters(viewer, corpus):
    assert ids(engine.search(viewer, "parcel ", kind=Kind.GUIDE)) == []
    assert set(ids(engine.search(viewer, "parcel ", language="en"))) == {corpus["parcel"].pk, corpus["damaged"].pk}
    assert ids(engine.search(viewer, "abonnement ", tag="contrat")) == [corpus["cancel"].pk]
    assert ids(engine.search(viewer, "abonnement ", tag="autre")) == []


# --- permissions ------------------------------------------------------------------------

@pytest.fixture
def agent(acme, billing):
    """The acme-only agent, whose team may read the Billing collection."""
    from tenants.models import ProviderTeam

    schema = connection.tenant
    connection.set_schema_to_public()
    team = ProviderTeam.objects.filter(provider=acme.helios, name="Search team").first() or tenant_services.team_create(
        provider=acme.helios, name="Search team")
    team.members.add(acme.agent_acme)
    connection.set_tenant(schema)
    grant_give(target=billing, level=Level.READ, acting_user=acme.acme_admin, team=team)
    return access_of(acme, acme.agent_acme)


def test_hits_counts_and_suggestions_respect_the_permission_layer(acme, agent, viewer, billing, corpus):
    secret = services.collection_create(name="Margins", acting_user=acme.acme_editor)
    hidden = publish(acme, secret, title="Marges confidentielles", language="fr",
                     body="Le coefficient zorbanitude reste interne.")
    confidential = publish(acme, billing, title="Remise exceptionnelle", language="fr", confidential=True,
                           body="La quintessivité du tarif reste interne.")
    draft = services.article_create(
        kind=Kind.ARTICLE, collection=billing, acting_user=acme.acme_editor,
        content=services.Content(title="Brouillon", language="fr", tags="", body="Le mot flambardise."),
    )
    indexing.index_article(draft.pk)
    assert not SearchDocument.objects.filter(article=draft).exists()

    for word in ("zorbanitude ", "quintessivité ", "flambardise "):
        results = engine.search(agent, word)
        assert results.hits == [] and results.total == 0
    # The staff viewer sees the confidential and the other collection; nobody sees the draft.
    assert ids(engine.search(viewer, "zorbanitude ")) == [hidden.pk]
    assert ids(engine.search(viewer, "quintessivite ")) == [confidential.pk]
    assert engine.search(viewer, "flambardise ").hits == []

    # "Did you mean": a hidden document's word never surfaces, nor finds anything.
    for typo in ("zorbonitude", "quintesivité", "flambardize"):
        results = engine.search(agent, typo + " ")
        assert results.hits == [] and results.suggestions == [] and results.corrected_query == ""
    assert engine.search(viewer, "zorbonitude ").corrected_query == "zorbanitude"
    assert engine.search(viewer, "flambardize ").corrected_query == ""
    # The agent still finds what the grant opens, counts included.
    results = engine.search(agent, "parcel ")
    assert set(ids(results)) == {corpus["parcel"].pk, corpus["damaged"].pk} and results.total == 2


def test_did_you_mean_when_the_corrected_query_finds_nothing_either(viewer, corpus):
    results = engine.search(viewer, "remboursemant zzzqqq ")
    assert results.suggestions == ["remboursement zzzqqq"]
    # ... and what holds the corrected word comes as a partial match, without "zzzqqq".
    assert results.partial and ids(results) == [corpus["cancel"].pk]
    assert results.hits[0].missing == ("zzzqqq",)


def test_archived_and_unpublished_articles_leave_the_index(acme, viewer, corpus):
    services.article_archive(article=corpus["parcel"])
    indexing.index_article(corpus["parcel"].pk)
    assert engine.search(viewer, "investigation ").hits == []
    assert not SearchPart.objects.filter(article=corpus["parcel"]).exists()


# --- logging ----------------------------------------------------------------------------

def test_every_query_is_logged_and_zero_results_feed_the_gap_report(acme, viewer, corpus):
    from search.selectors import content_gaps

    found = engine.search(viewer, "parcel ")
    missing = engine.search(viewer, "colis perdu en Corse ")
    assert QueryLog.objects.get(pk=found.log_id).results == 2
    log = QueryLog.objects.get(pk=missing.log_id)
    assert log.results == 0 and log.user_id == acme.acme_viewer.pk and log.normalised == "colis perdu en corse"
    assert search_services.query_flag_not_found(access=viewer, log_id=missing.log_id)
    gaps = content_gaps()
    assert gaps[0]["normalised"] == "colis perdu en corse" and gaps[0]["flagged"] == 1
    assert all(g["normalised"] != "parcel" for g in gaps)


def test_a_corrected_query_is_logged_with_its_correction(viewer, corpus):
    results = engine.search(viewer, "rembursement ")
    log = QueryLog.objects.get(pk=results.log_id)
    assert log.corrected == "remboursement" and log.results == 1


# --- indexing -----------------------------------------------------------------------------

def test_indexing_is_idempotent(acme, corpus):
    before = list(SearchDocument.objects.order_by("pk").values_list("pk", "indexed_revision_id", "vector"))
    parts = SearchPart.objects.count()
    for _ in range(2):
        indexing.index_articles([a.pk for a in corpus.values()])
    assert list(SearchDocument.objects.order_by("pk").values_list("pk", "indexed_revision_id", "vector")) == before
    assert SearchPart.objects.count() == parts == 5


def test_publishing_indexes_after_commit(acme, billing, viewer, monkeypatch, django_capture_on_commit_callbacks):
    sent = []

    def run_now(schema_name, *args):
        sent.append(schema_name)
        index_article_task(schema_name, *args)  # what the worker does with the message
        connection.set_tenant(acme.acme)

    monkeypatch.setattr(index_article_task, "delay", run_now)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = publish(acme, billing, title="Colis bloqué en douane", language="fr", body="Attendre.", index=False)
    assert not SearchDocument.objects.filter(article=article).exists()  # nothing before commit
    for callback in callbacks:
        callback()
    assert sent == ["acme"]
    assert ids(engine.search(viewer, "douane ")) == [article.pk]
    # A new revision, published: indexed again.
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_create(
            article=article, expected_revision_id=article.latest_revision_id, summary="", publish=True,
            acting_user=acme.acme_editor,
            content=services.Content(title="Colis retenu par la douane", language="fr", tags="", body="Attendre."),
        )
    assert engine.search(viewer, "retenu ").hits[0].title == "Colis retenu par la douane"


def test_reconciliation_picks_up_a_lost_task(acme, billing, viewer, corpus):
    lost = publish(acme, billing, title="Retour en point relais", language="fr", body="Déposer.", index=False)
    services.revision_create(
        article=corpus["parcel"], expected_revision_id=corpus["parcel"].latest_revision_id, summary="",
        acting_user=acme.acme_editor, publish=True,
        content=services.Content(title="Lost parcel claim", language="en", tags="", body="File the claim."),
    )  # its indexing task is "lost" too: on_commit never runs in this test
    assert set(indexing.stale_article_ids()) == {lost.pk, corpus["parcel"].pk}
    assert reconcile_tenant_task("acme") == 2
    connection.set_tenant(acme.acme)
    assert indexing.stale_article_ids() == []
    assert ids(engine.search(viewer, "relais ")) == [lost.pk]
    assert ids(engine.search(viewer, "claim ")) == [corpus["parcel"].pk]


def test_reconciliation_does_a_bounded_share_and_sends_itself_for_the_rest(acme, billing, viewer, monkeypatch):
    from search import tasks

    monkeypatch.setattr(tasks, "RECONCILE_SHARE", 2)
    lost = [publish(acme, billing, title=f"Relais perdu {n}", language="fr", body="Déposer.", index=False)
            for n in range(3)]
    sent = []
    monkeypatch.setattr(tasks.reconcile_tenant_task, "delay", lambda *args: sent.append(args))
    assert reconcile_tenant_task("acme") == 2
    assert sent == [("acme", lost[1].pk)]  # the rest: the stale articles after the last one done
    assert reconcile_tenant_task(*sent.pop()) == 1
    assert sent == []  # nothing more
    connection.set_tenant(acme.acme)
    assert indexing.stale_article_ids() == []


def test_reconciliation_is_dispatched_per_tenant_with_explicit_schemas(monkeypatch, world):
    from search import tasks

    sent = []
    monkeypatch.setattr(tasks.reconcile_tenant_task, "delay", sent.append)
    tasks.reconcile_search_index()
    assert "acme" in sent and "lumiere" in sent and "public" not in sent


@pytest.mark.parametrize("bad", ["public", "nosuchtenant", ""])
def test_indexing_task_refuses_a_missing_or_public_schema(world, bad):
    with pytest.raises(TenantRequired):
        index_article_task(bad, 1)


def test_tenants_do_not_see_each_other(acme, viewer, corpus, in_tenant):
    in_tenant(acme.lumiere)
    lumiere_viewer = workspace_access(acme.lumiere_viewer, acme.lumiere)
    in_tenant(acme.lumiere)
    assert engine.search(lumiere_viewer, "parcel ").hits == []
    assert engine.search(lumiere_viewer, "parcl ").suggestions == []


def test_cloned_tenants_keep_search_rows_compact(acme):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE oid = 'search_searchdocument'::regclass")
        assert "toast_tuple_target=128" in cursor.fetchone()[0]


def _plan_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _plan_nodes(child)


def test_the_typo_path_on_a_small_workspace_never_probes_the_vocabulary_once_per_spelling(viewer, corpus):
    """Every one-edit spelling of a typed word (hundreds) is looked up in the vocabulary in one
    join, not by one index probe each (the demo's 34-article workspaces took 0.4-1 s a typo when
    each spelling probed the trigram index for equality, ~2.5 ms a probe)."""
    results = engine.search(viewer, "facure ", log=False)
    assert results.corrected_query == "facture"
    assert len(results.params["edit_words"]) > 300  # the case that was slow
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + results.sql, results.params)
        (plan,) = cursor.fetchone()[0]
    vocabulary = [node for node in _plan_nodes(plan["Plan"]) if node.get("Relation Name") == "search_searchterm"]
    assert vocabulary, "the correction statement reads the vocabulary"
    for node in vocabulary:
        assert node["Actual Loops"] <= 2 * len(results.params["typo_words"]), (
            f"{node['Node Type']} on the vocabulary ran {node['Actual Loops']} times")


def test_snippets_show_the_text_exactly_as_written(acme, viewer, billing):
    """French elisions were dropped from snippets ("le client a pas besoin écrire" for "le
    client n'a pas besoin d'écrire"): the text the agent skims mid-call must be the source's."""
    sentence = "Vérifiez d’abord si l'index est estimé : le client n'a pas besoin d'écrire."
    publish(acme, billing, kind=Kind.GUIDE, title="Index estimé", steps=[("Vérifier", sentence)])
    hit = engine.search(viewer, "besoin ecrire").hits[0]
    assert hit.snippet in sentence and "Vérifiez d’abord si l'index est estimé : le client n'a pas" in hit.snippet
    assert "n&#x27;a pas <mark>besoin</mark> d&#x27;<mark>écrire</mark>" in hit.snippet_html
    # Found as before, elided or not.
    assert engine.search(viewer, "l'index estime").hits[0].part_anchor == "step-1"
