"""One article cannot poison a workspace's search: indexing bounds what it stores, an article
that still cannot be indexed is recorded, shown to its editors and skipped while the rest of
its batch is indexed, and `manage.py reindex` replaces the index in one transaction (a crash
midway leaves the old index and vocabulary as they were)."""

from __future__ import annotations

import functools
import io
import random
import string
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient

from articles import services
from articles.models import Kind
from search import engine, indexing
from search.models import IndexFailure, SearchDocument, SearchPart, SearchTerm
from search.tasks import reconcile_tenant_task
from tenants.selectors import workspace_access

from . import factories
from .conftest import host

EARLY_WORD, LATE_WORD = "zanzibarique", "quokkaterminal"

publish = functools.partial(factories.publish, body="Texte.", index=False)  # these tests index, or reconcile, themselves


@pytest.fixture
def billing(acme):
    return services.collection_create(name="Billing", acting_user=acme.acme_editor)


def viewer_access(world):
    connection.set_schema_to_public()
    access = workspace_access(world.acme_viewer, world.acme)
    connection.set_tenant(world.acme)
    return access


def distinct_words(size: int, seed: int = 11) -> str:
    """About `size` bytes of Markdown paragraphs of distinct made-up words (the poison: each is
    a lexeme of its own)."""
    rng = random.Random(seed)
    lines, total = [], 0
    while total < size:
        line = " ".join("".join(rng.choices(string.ascii_lowercase, k=7)) for _ in range(12))
        lines.append(line + ("\n\n" if len(lines) % 8 == 7 else "\n"))
        total += len(lines[-1])
    return "".join(lines)[:size]


@pytest.fixture
def huge(acme, billing):
    """A 900 KB guide: its title, its steps and the start of its text must stay findable."""
    body = f"{EARLY_WORD} ouvre le dossier.\n\n{distinct_words(900_000 - 2_000)}\n\n{LATE_WORD}\n"
    return publish(acme, billing, kind=Kind.GUIDE, title="Inventaire des références fournisseurs", body=body,
                   steps=[("Vérifier le bordereau", "Comparer avec le colis."), ("Signaler l'écart", "Au dépôt.")])


def ids(result):
    return [hit.article_id for hit in result.hits]


def vector_bytes(article_id: int) -> tuple[int, int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(vector), pg_column_size(title_vector), length(words)"
            " FROM search_searchdocument WHERE article_id = %s", [article_id])
        return cursor.fetchone()


def test_a_900_kb_article_is_indexed_by_its_title_steps_and_first_part(acme, huge, capsys):
    size = len(huge.live_revision.body.encode())
    assert size > 890_000
    started = time.perf_counter()
    indexing.index_article(huge.pk)
    elapsed = time.perf_counter() - started
    vector, title_vector, words = vector_bytes(huge.pk)
    with capsys.disabled():
        print(f"\n[index 900 KB] source={size} bytes index_seconds={elapsed:.2f} vector={vector} bytes "
              f"title_vector={title_vector} bytes words={words} chars terms={SearchTerm.objects.count()}")
    assert vector < indexing.TSVECTOR_MAX_BYTES
    assert not IndexFailure.objects.exists()
    assert SearchDocument.objects.get(pk=huge.pk).indexed_revision_id == huge.live_revision_id
    viewer = viewer_access(acme)
    assert ids(engine.search(viewer, "références fournisseurs")) == [huge.pk]  # the title
    assert ids(engine.search(viewer, "bordereau")) == [huge.pk]  # a step
    assert ids(engine.search(viewer, EARLY_WORD)) == [huge.pk]  # the first part of the text
    assert ids(engine.search(viewer, LATE_WORD)) == []  # past the budget: not stored
    # The vocabulary took the first words only, and the words column with it.
    assert SearchTerm.objects.count() <= indexing.VOCABULARY_MAX_WORDS + 10
    assert len(SearchDocument.objects.get(pk=huge.pk).words.split()) <= indexing.VOCABULARY_MAX_WORDS
    assert SearchTerm.objects.filter(word=EARLY_WORD).exists()
    assert not SearchTerm.objects.filter(word=LATE_WORD).exists()


def test_a_step_of_900_kb_is_bounded_too(acme, billing):
    guide = publish(acme, billing, kind=Kind.GUIDE, title="Grand inventaire", body="Intro.",
                    steps=[("Codes des dépôts", f"{EARLY_WORD}\n\n{distinct_words(880_000, seed=3)}")])
    indexing.index_article(guide.pk)
    part = SearchPart.objects.get(article=guide)
    assert len(part.text.encode()) <= indexing.PART_TEXT_MAX_BYTES
    assert ids(engine.search(viewer_access(acme), EARLY_WORD)) == [guide.pk]


def test_postgresql_refusing_the_text_shrinks_it_then_records_the_failure(acme, billing, huge, monkeypatch):
    """Without the bounds PostgreSQL itself refuses the article ("string is too long for
    tsvector"): indexed again with half the text, and when even that is refused, recorded as a
    failure while the other articles of the batch are indexed."""
    others = [publish(acme, billing, title=f"Colis perdu {n}", body=f"Relancer le transporteur {n}.")
              for n in range(3)]
    monkeypatch.setattr(indexing, "TEXT_BUDGET_BYTES", 4_000_000)
    monkeypatch.setattr(indexing, "PART_TEXT_MAX_BYTES", 4_000_000)
    monkeypatch.setattr(indexing, "HEADINGS_MAX_BYTES", 4_000_000)
    monkeypatch.setattr(indexing, "SHRINK_ATTEMPTS", 0)
    batch = [huge.pk, *(a.pk for a in others)]
    failures: list[indexing.Failure] = []
    indexing.index_articles(batch, failures=failures)
    assert [f.article_id for f in failures] == [huge.pk]
    assert "too long for tsvector" in failures[0].error
    assert set(SearchDocument.objects.values_list("pk", flat=True)) == {a.pk for a in others}
    failure = IndexFailure.objects.get()
    assert (failure.article_id, failure.revision_id) == (huge.pk, huge.live_revision_id)
    # With its shrinking attempts (4 MB, 2 MB, 1 MB, 0.5 MB of text) it is indexed in the end.
    monkeypatch.setattr(indexing, "SHRINK_ATTEMPTS", 3)
    indexing.index_article(huge.pk)
    assert SearchDocument.objects.filter(pk=huge.pk).exists()
    assert not IndexFailure.objects.exists()


def corrupt(article) -> None:
    """An injected bad row: a live revision whose rendered HTML is not what the code expects."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_revision SET rendered = '\"broken\"'::jsonb WHERE id = %s",
                       [article.live_revision_id])


def test_reconciliation_skips_a_poisoned_article_reports_it_and_indexes_the_rest(acme, billing, huge, caplog):
    poisoned = publish(acme, billing, title="Article abîmé", body="Texte.")
    corrupt(poisoned)
    stale = [publish(acme, billing, title=f"Retour en relais {n}", body=f"Déposer le colis {n}.")
             for n in range(4)]  # their indexing tasks were "lost": none ran
    assert set(indexing.stale_article_ids()) == {huge.pk, poisoned.pk, *(a.pk for a in stale)}
    with caplog.at_level("WARNING", logger="search.indexing"):
        assert reconcile_tenant_task("acme") == 6
    connection.set_tenant(acme.acme)
    indexed = set(SearchDocument.objects.values_list("pk", flat=True))
    assert indexed == {huge.pk, *(a.pk for a in stale)}
    failure = IndexFailure.objects.get()
    assert failure.article_id == poisoned.pk
    assert f"article {poisoned.pk}" in caplog.text and "could not be indexed" in caplog.text
    # Skipped from then on: the next reconciliation has nothing to do...
    assert indexing.stale_article_ids() == []
    assert [f.article_id for f in indexing.failed_articles()] == [poisoned.pk]
    # ...until a new revision is published: then it is tried again, and the failure goes.
    services.revision_create(
        article=poisoned, expected_revision_id=poisoned.latest_revision_id, summary="", publish=True,
        acting_user=acme.acme_editor,
        content=services.Content(title="Article réparé", language="fr", tags="", body="Texte."))
    assert indexing.stale_article_ids() == [poisoned.pk]
    indexing.reconcile()
    assert not IndexFailure.objects.exists()
    assert ids(engine.search(viewer_access(acme), "réparé")) == [poisoned.pk]


def test_the_failure_is_shown_to_editors_on_the_article_page_only(acme, huge, monkeypatch):
    monkeypatch.setattr(indexing, "TEXT_BUDGET_BYTES", 4_000_000)  # no bounds: PostgreSQL refuses it
    monkeypatch.setattr(indexing, "SHRINK_ATTEMPTS", 0)
    indexing.index_article(huge.pk)
    url = huge.get_absolute_url()
    editor, viewer = HttpClient(), HttpClient()
    editor.force_login(acme.acme_editor)
    viewer.force_login(acme.acme_viewer)
    page = editor.get(url, HTTP_HOST=host(acme.acme)).content.decode()
    assert "This article could not be indexed: string is too long for tsvector" in page
    assert "could not be indexed" not in viewer.get(url, HTTP_HOST=host(acme.acme)).content.decode()
    monkeypatch.undo()
    indexing.index_article(huge.pk)  # within the bounds: indexed, and the message goes
    assert "could not be indexed" not in editor.get(url, HTTP_HOST=host(acme.acme)).content.decode()


class BrokenPipe(io.StringIO):
    """The terminal of `manage.py reindex | head` going away after the first progress line."""

    def __init__(self):
        super().__init__()
        self.writes = 0

    def write(self, text):
        self.writes += 1
        if self.writes > 1:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


def index_state() -> tuple[list, list, list]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT article_id, indexed_revision_id, vector::text, words FROM search_searchdocument ORDER BY 1")
        documents = cursor.fetchall()
        cursor.execute("SELECT article_id, anchor, vector::text FROM search_searchpart ORDER BY 1, 2")
        parts = cursor.fetchall()
    return documents, parts, list(SearchTerm.objects.order_by("word").values_list("word", "ndoc"))


def test_reindex_crashing_midway_leaves_the_old_index_and_vocabulary(acme, billing, monkeypatch):
    articles = [publish(acme, billing, kind=Kind.GUIDE, title=f"Procédure de remboursement {n}",
                        steps=[("Vérifier l'identité", f"Demander le numéro client {n}.")]) for n in range(5)]
    indexing.index_articles([a.pk for a in articles])
    before = index_state()
    assert before[0] and before[2]
    # Make the rebuild's results differ from the old index, so a half-done rebuild would show.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_revision SET title = 'Changé' WHERE article_id = ANY(%s)",
                       [[a.pk for a in articles]])
    monkeypatch.setattr(indexing, "BATCH_SIZE", 2)
    with pytest.raises(BrokenPipeError):
        call_command("reindex", tenant="acme", stdout=BrokenPipe())
    connection.set_tenant(acme.acme)
    assert index_state() == before
    assert SearchTerm.objects.filter(word="remboursement").exists()  # "did you mean" still has it


def test_reindex_with_a_poisoned_article_replaces_the_index_and_reports_it(acme, billing, huge):
    fine = [publish(acme, billing, title=f"Colis perdu {n}", body="Relancer le transporteur.") for n in range(3)]
    poisoned = publish(acme, billing, title="Article abîmé", body="Texte.")
    indexing.index_articles([a.pk for a in [*fine, poisoned]])
    corrupt(poisoned)
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", tenant="acme", stdout=out, stderr=err)
    connection.set_tenant(acme.acme)
    assert "5 articles indexed" in out.getvalue()
    assert f"1 could not be indexed: {poisoned.pk}" in err.getvalue()
    assert set(SearchDocument.objects.values_list("pk", flat=True)) == {huge.pk, poisoned.pk, *(a.pk for a in fine)}
    assert IndexFailure.objects.get().article_id == poisoned.pk  # its old document stays meanwhile
    assert SearchTerm.objects.filter(word="abime", ndoc=1).exists()  # and its words still count
    assert SearchTerm.objects.filter(word="transporteur", ndoc=3).exists()
