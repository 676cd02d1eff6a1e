"""Every size the product documents (README: 1 MB of Markdown, 100 steps, 200 questions) can be
saved and edited through the editor's form; past the limits the author gets the product's
message and keeps their text, never Django's bare 400."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client as HttpClient

from articles import limits, services
from articles.models import Article, Kind

from .conftest import host


@pytest.fixture
def refunds(acme):
    return services.collection_create(name="Refunds", acting_user=acme.acme_editor)


def editor(world):
    http = HttpClient()
    http.force_login(world.acme_editor)
    return http


def faq_rows(n: int, *, start: int = 0, ids=None) -> dict:
    """The fields the FAQ editor posts for `n` questions (templates/articles/_faq_row.html)."""
    data = {}
    for i in range(start, start + n):
        key = ids[i] if ids else f"n{i}"
        data.update({
            f"faqs-{key}-id": ids[i] if ids else "",
            f"faqs-{key}-delete": "",
            f"faqs-{key}-question": f"Question numéro {i} sur la facture ?",
            f"faqs-{key}-order": str(i + 1),
            f"faqs-{key}-alternatives": f"Autre façon {i}\nEncore une {i}",
            f"faqs-{key}-answer": f"La réponse **{i}** : vérifier le prélèvement.",
        })
    return data


def form(refunds, **extra) -> dict:
    return {"title": "Questions sur la facture", "collection": refunds.pk, "language": "fr", "tags": "",
            "review_by": "", "summary": "", "body": "", "action": "publish", **extra}


def test_the_limits_are_computed_from_the_documented_sizes():
    fields_of_the_largest_faq = limits.FORM_FIELDS + limits.ROW_FIELDS * limits.MAX_FAQS
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 2 * fields_of_the_largest_faq > 1000
    # 1 MB of accented Markdown, percent-encoded, twice over.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 2 * 3 * limits.MAX_SOURCE_BYTES


def test_a_200_question_faq_is_created_and_then_edited_through_the_form(acme, refunds):
    http = editor(acme)
    data = form(refunds, **faq_rows(200))
    assert len(data) > 1000  # Django's default limit refused this with a bare 400
    response = http.post("/new/faq/", data, HTTP_HOST=host(acme.acme))
    assert response.status_code == 302, response.content.decode()[:500]
    faq = Article.objects.get(kind=Kind.FAQ)
    assert len(faq.live_revision.faqs) == 200
    # Edit it: the editor page holds all 200 rows, and posting them back saves a revision.
    edit_url = f"{faq.get_absolute_url()}edit/"
    page = http.get(edit_url, HTTP_HOST=host(acme.acme))
    assert page.status_code == 200
    assert page.content.decode().count('name="faqs-') == 200 * limits.ROW_FIELDS
    ids = [pair["id"] for pair in faq.live_revision.faqs]
    rows = faq_rows(200, ids=ids)
    rows[f"faqs-{ids[199]}-answer"] = "Réponse corrigée pour la dernière question."
    response = http.post(edit_url, form(refunds, base_revision=faq.latest_revision_id, **rows),
                         HTTP_HOST=host(acme.acme))
    assert response.status_code == 302, response.content.decode()[:500]
    faq.refresh_from_db()
    assert faq.live_revision.number == 2
    assert faq.live_revision.faqs[199]["answer"] == "Réponse corrigée pour la dernière question."


def test_a_100_step_guide_is_saved_through_the_form(acme, refunds):
    steps = {}
    for i in range(100):
        steps.update({f"steps-s{i}-id": "", f"steps-s{i}-delete": "", f"steps-s{i}-title": f"Étape {i}",
                      f"steps-s{i}-order": str(i + 1), f"steps-s{i}-body": f"Faire **{i}**."})
    response = editor(acme).post("/new/guide/", form(refunds, title="Cent étapes", **steps), HTTP_HOST=host(acme.acme))
    assert response.status_code == 302
    assert len(Article.objects.get(kind=Kind.GUIDE).live_revision.steps) == 100


def test_a_megabyte_of_markdown_posted_as_nearly_3_mb_is_saved_through_the_form(acme, refunds):
    # A quoted customer letter in Greek: every byte but the spaces is percent-encoded (3 bytes each).
    sentence = "Ο πελάτης ακυρώνει τη συνδρομή του στη λήξη της.\n\n"
    body = sentence * (limits.MAX_SOURCE_BYTES // len(sentence.encode()))
    assert 990_000 < len(body.encode()) <= limits.MAX_SOURCE_BYTES
    data = form(refunds, title="Un mégaoctet de grec", body=body)
    assert len(urlencode(data)) > 2.7 * limits.MAX_SOURCE_BYTES > 2_621_440  # Django's default DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
    response = editor(acme).post("/new/article/", urlencode(data), content_type="application/x-www-form-urlencoded",
                                 HTTP_HOST=host(acme.acme))
    assert response.status_code == 302, response.content.decode()[:500]
    assert Article.objects.get(title="Un mégaoctet de grec").live_revision.body == body.strip()


def test_201_questions_get_the_editor_back_with_its_message_and_the_text(acme, refunds):
    response = editor(acme).post("/new/faq/", form(refunds, **faq_rows(201)), HTTP_HOST=host(acme.acme))
    page = response.content.decode()
    assert response.status_code == 400
    assert "A FAQ has at most 200 questions." in page
    assert "Question numéro 200 sur la facture ?" in page  # the text is kept
    assert not Article.objects.exists()


def test_far_past_the_limits_the_author_gets_the_products_page_not_a_bare_400(acme, refunds):
    data = form(refunds, **faq_rows(500))
    assert len(data) > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = editor(acme).post("/new/faq/", data, HTTP_HOST=host(acme.acme))
    page = response.content.decode()
    assert response.status_code == 413
    assert "Too much for one save" in page and "a FAQ at most 200 questions" in page
    assert "your text is still in the editor" in page
    too_big = form(refunds, body="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    response = editor(acme).post("/new/article/", too_big, HTTP_HOST=host(acme.acme))
    assert response.status_code == 413 and "Too much for one save" in response.content.decode()
    assert not Article.objects.exists()


def test_the_editor_carries_the_limits_for_its_check_before_posting(acme, refunds):
    page = editor(acme).get("/new/faq/", HTTP_HOST=host(acme.acme)).content.decode()
    assert f'data-max-fields="{limits.MAX_FORM_FIELDS}"' in page
    assert f'data-max-bytes="{limits.MAX_FORM_BYTES}"' in page
    assert "data-form-too-large hidden" in page
