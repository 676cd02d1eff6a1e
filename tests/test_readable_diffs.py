"""Readable comparisons (issue 14): unchanged steps and questions folded one by one, long
unchanged text inside a change folded but for a few lines of context, inline or side by side
with the choice remembered."""

from __future__ import annotations

import pytest
from django.utils import translation

from articles import services
from articles.diff import CONTEXT_LINES, Section, diff_revisions, diff_text
from articles.models import Kind

from .factories import host, http_as


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_long_unchanged_text_inside_a_change_is_folded_with_context():
    old = "\n".join(f"line {n}" for n in range(30))
    new = old.replace("line 15", "line fifteen")
    html = str(diff_text(old, new))
    assert "<del>15</del><ins>fifteen</ins>" in html
    assert html.count('<details class="diff-fold">') == 2
    assert "<summary>13 unchanged lines</summary>" in html  # lines 0-12 before the context
    after = html.split("</ins>")[1]
    for n in range(16, 16 + CONTEXT_LINES - 1):
        assert after.index(f"line {n}") < after.index("<details")  # context kept visible
    # Nothing is lost: without the fold markup the text is whole.
    flat = html.replace('<details class="diff-fold">', "").replace("</details>", "")
    for n in range(30):
        assert f"line {n}" in flat or n == 15


def test_short_unchanged_text_is_not_folded():
    assert "<details" not in str(diff_text("a\nb\nc\nd", "a\nB\nc\nd"))


def test_the_fold_escapes_what_it_hides():
    old = "\n".join(["<script>x</script>"] * 10 + ["end"])
    html = str(diff_text(old, old.replace("end", "fin")))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_side_by_side_columns_keep_each_version_whole():
    section = Section("Body", "changed", diff_text("Ask two questions.", "Ask three questions."))
    assert str(section.old_html) == "Ask <del>two</del> questions."
    assert str(section.new_html) == "Ask <ins>three</ins> questions."


@pytest.fixture
def guide(acme):
    collection = services.collection_create(name="Refunds", acting_user=acme.acme_editor)
    guide = services.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=acme.acme_editor, publish=True,
        content=services.Content(title="Refund", language="en", tags=[], steps=[
            {"title": "Check tracking", "body": "Open tracking."}, {"title": "Confirm", "body": "Ask two questions."}]),
    )
    base = guide.latest_revision
    steps = [dict(s) for s in base.steps]
    steps[1]["body"] = "Ask three questions."
    services.revision_create(article=guide, expected_revision_id=base.pk, summary="three", acting_user=acme.acme_editor,
                             content=services.Content(title="Refund", language="en", tags=[], steps=steps))
    return guide


def test_an_unchanged_step_is_one_folded_line(acme, guide):
    sections = diff_revisions(guide.revisions.get(number=1).content(), guide.revisions.get(number=2).content(), "guide")
    assert [(s.label, s.status) for s in sections if s.anchor] == [
        ("Step 1: Check tracking", "unchanged"), ("Step 2: Confirm", "changed")]
    body = http_as(acme.acme_editor).get(guide.url("compare"), HTTP_HOST=host(acme.acme)).content.decode()
    assert '<details class="diff-section diff-unchanged">\n    <summary>Step 1: Check tracking' in body
    assert 'id="diff-step-2"' in body and "<del>two</del>" in body


def test_side_by_side_is_chosen_remembered_and_inline_again(acme, guide):
    http = http_as(acme.acme_editor)
    inline = http.get(guide.url("compare"), HTTP_HOST=host(acme.acme)).content.decode()
    assert 'class="diff diff-inline"' in inline and "diff-columns" not in inline
    assert 'name="view" value="side" aria-pressed="false"' in inline

    side = http.get(guide.url("compare"), {"view": "side", "a": 1, "b": 2}, HTTP_HOST=host(acme.acme))
    assert side.cookies["kb_diff_view"].value == "side"
    html = side.content.decode()
    assert 'class="diff diff-side"' in html
    old = html.split('<div class="diff-text diff-old"><span class="visually-hidden">Before: </span>')[1].split("</div>")[0]
    new = html.split('<div class="diff-text diff-new"><span class="visually-hidden">After: </span>')[1].split("</div>")[0]
    assert old == "Confirm\n\nAsk <del>two</del> questions." and new == "Confirm\n\nAsk <ins>three</ins> questions."

    again = http.get(guide.url("compare"), HTTP_HOST=host(acme.acme)).content.decode()  # the cookie remembers
    assert 'class="diff diff-side"' in again
    http.get(guide.url("compare"), {"view": "inline"}, HTTP_HOST=host(acme.acme))
    assert 'class="diff diff-inline"' in http.get(guide.url("compare"), HTTP_HOST=host(acme.acme)).content.decode()


def test_a_strange_view_value_is_inline(acme, guide):
    response = http_as(acme.acme_editor).get(guide.url("compare"), {"view": "<x>"}, HTTP_HOST=host(acme.acme))
    assert response.status_code == 200 and 'class="diff diff-inline"' in response.content.decode()
    assert "kb_diff_view" not in response.cookies
