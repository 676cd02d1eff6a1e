"""Export to a zip of Markdown files and import it back (articles.transfer)."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from articles import transfer
from articles.models import Article, Collection, Kind
from articles.services import (
    Content,
    article_create,
    article_publish,
    collection_create,
    revision_create,
)

# Bodies that a naive format would mangle.
TRICKY_BODIES = [
    "",
    "plain",
    "ends with a newline\n",
    "ends with two newlines\n\n",
    "\n\nstarts with blank lines",
    "trailing spaces  \nhard break   \n",
    "---\ntitle: \"not front matter\"\n---\n\nText after a fake front matter.",
    "a line\n---\nlooks like a closing delimiter",
    '<!-- kb:step {"title": "Injected"} -->\nnot a step',
    '\\<!-- kb:faq {"question": "q"} -->\nalready escaped once',
    '\\\\<!-- kb:step {} -->',
    "<!-- kb:",
    "  <!-- kb:step indented -->",
    "<!-- a normal comment -->",
    "Unicode: Rembourser un colis — ça coûte 5 € 🚚 ﬁ 𝔘 Ω \u200b zero width, \u2028 line sep, \u0085 nel",
    "Windows\r\nline endings\r\n",
    "tabs\tand\x0bvertical tab\x0cform feed",
    "```\n---\n<!-- kb:step {\"title\": \"in code\"} -->\n```\n",
]


@pytest.mark.parametrize("body", TRICKY_BODIES)
def test_sections_round_trip_exactly(body):
    items = [("step", {"title": "Ça --> marche ?"}, body), ("step", {"title": "Two"}, body + "x")]
    text = transfer._sections(body, items)
    parsed_body, parsed_items = transfer.parse_sections(text)
    assert parsed_body == body
    assert [(name, attrs, section) for name, attrs, section, _line in parsed_items] == items
    assert sum(line.startswith("<!-- kb:") for line in text.split("\n")) == len(items)


def test_front_matter_is_json_per_key_and_valid_yaml():
    yaml = pytest.importorskip("yaml")
    values = {
        "title": "Rembourser un colis: « vite » — \"quoted\" #not-a-comment",
        "tags": ["refund", "delivery"],
        "confidential": True,
        "position": 3,
        "summary": "line\u2028sep \u0085 nel \ufeff bom \x7f del \t tab 🚚",
        "review_by": "2030-01-31",
    }
    text = transfer._front_matter(values)
    assert 'tags: ["refund", "delivery"]' in text
    parsed, rest, _line = transfer.parse_front_matter(text + "body")
    assert parsed == values
    assert rest == "body"
    assert yaml.safe_load(text.split("---\n")[1]) == values


@pytest.fixture
def acme_content(world, in_tenant):
    """Collections and articles of every kind in acme, built through the services."""
    in_tenant(world.acme)
    editor = world.acme_editor
    refunds = collection_create(
        name="Refunds", acting_user=editor, description="Money back.\nTwo lines — ç", review_interval_days=90
    )
    market = collection_create(
        name="Marketplace refunds", acting_user=editor, parent=refunds, confidential=True, review_interval_days=30
    )
    collection_create(name="Empty shelf", acting_user=editor, description="Nothing yet")
    body = "\n".join(TRICKY_BODIES)
    article = article_create(
        kind=Kind.ARTICLE,
        collection=refunds,
        content=Content(title="Rembourser un colis", language="fr", tags=["Refund", "delivery"], body=body),
        acting_user=editor,
        publish=True,
        confidential=True,
        review_by=datetime.date(2031, 5, 17),
    )
    guide = article_create(
        kind=Kind.GUIDE,
        collection=market,
        content=Content(
            title="Refund a marketplace order",
            language="en",
            tags=["refund", "marketplace"],
            body="Intro with a fake marker:\n<!-- kb:step {\"title\": \"no\"} -->\n",
            steps=[
                {"title": "Find the order", "body": "Search by number.  \n---\n"},
                {"title": "Check the seller <b>status</b> -->", "body": ""},
                {"title": "Refund", "body": TRICKY_BODIES[8] + "\n" + TRICKY_BODIES[9]},
            ],
        ),
        acting_user=editor,
        publish=True,
        summary="Guide written for the launch",
    )
    faq = article_create(
        kind=Kind.FAQ,
        collection=market,
        content=Content(
            title="Marketplace FAQ",
            language="en",
            tags=["faq"],
            body="",
            faqs=[
                {"question": "Who pays the return?", "alternatives": ["Return fees?", "Qui paie le retour ?"],
                 "answer": "The seller.\n\n---\n<!-- kb:faq {} -->"},
                {"question": "How long?", "alternatives": [], "answer": "Five days  "},
            ],
        ),
        acting_user=editor,
        publish=True,
    )
    draft = article_create(
        kind=Kind.ARTICLE,
        collection=refunds,
        content=Content(title="Unpublished draft", language="en", tags=[], body="Draft body"),
        acting_user=editor,
    )
    # A published guide with a newer draft: the live revision is what gets exported.
    revision_create(
        article=guide,
        expected_revision_id=guide.latest_revision_id,
        content=Content(title="Draft title, not exported", language="en", tags=[], body="draft",
                        steps=[{"title": "Draft step", "body": ""}]),
        summary="work in progress",
        acting_user=editor,
    )
    articles = [Article.objects.get(pk=a.pk) for a in (article, guide, faq, draft)]
    return {"collections": list(Collection.objects.all()), "articles": articles}


def _names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def _exported(article: Article):
    return article.live_revision if article.live_revision_id else article.latest_revision


def test_export_layout_and_manifest(acme_content):
    data = transfer.export_zip(acme_content["collections"], Article.objects.all())
    names = _names(data)
    assert names[0] == "kbportal-export.json"
    assert "refunds/_collection.md" in names
    assert "refunds/marketplace-refunds/_collection.md" in names
    assert "refunds/marketplace-refunds/refund-a-marketplace-order.md" in names
    assert "refunds/marketplace-refunds/marketplace-faq.md" in names
    assert "refunds/rembourser-un-colis.md" in names
    assert "empty-shelf/_collection.md" in names
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("kbportal-export.json"))
    assert manifest["format"] == 1 and manifest["articles"] == 4 and manifest["collections"] == 3
    datetime.datetime.fromisoformat(manifest["exported_at"])
    guide_file = zipfile.ZipFile(io.BytesIO(data)).read("refunds/marketplace-refunds/refund-a-marketplace-order.md")
    text = guide_file.decode()
    assert text.startswith('---\nkind: "guide"\ntitle: "Refund a marketplace order"\n')
    assert "Draft title" not in text and 'summary: "Guide written for the launch"' in text
    assert '<!-- kb:step {"title": "Find the order"} -->' in text


def test_export_includes_the_collections_and_ancestors_of_articles(acme_content):
    guide = next(a for a in acme_content["articles"] if a.kind == Kind.GUIDE)
    names = _names(transfer.export_zip([], [guide]))
    assert set(names) == {
        "kbportal-export.json",
        "refunds/_collection.md",
        "refunds/marketplace-refunds/_collection.md",
        "refunds/marketplace-refunds/refund-a-marketplace-order.md",
    }


def _snapshot() -> dict:
    """Everything the round trip must keep, keyed by slug."""
    collections = {
        c.slug: (c.name, c.description, c.confidential, c.review_interval_days, c.position,
                 c.parent.slug if c.parent else None)
        for c in Collection.objects.select_related("parent")
    }
    articles = {}
    for article in Article.objects.select_related("collection", "live_revision", "latest_revision"):
        revision = _exported(article)
        articles[article.slug] = {
            "kind": article.kind,
            "collection": article.collection.slug,
            "confidential": article.confidential,
            "review_by": article.review_by,
            "title": revision.title,
            "language": revision.language,
            "tags": revision.tags,
            "body": revision.body,
            "steps": [(s["title"], s["body"]) for s in revision.steps],
            "faqs": [(p["question"], p["alternatives"], p["answer"]) for p in revision.faqs],
            "summary": revision.summary,
        }
    return {"collections": collections, "articles": articles}


def test_round_trip_into_another_tenant_is_lossless(world, in_tenant, acme_content):
    data = transfer.export_zip(acme_content["collections"], Article.objects.all())
    before = _snapshot()
    assert before["articles"]["refund-a-marketplace-order"]["title"] == "Refund a marketplace order"

    in_tenant(world.lumiere)
    assert not Article.objects.exists()
    report = transfer.import_zip(data, acting_user=world.lumiere_editor)
    assert report.errors == []
    assert sorted(report.created_collections) == ["empty-shelf", "marketplace-refunds", "refunds"]
    assert len(report.created_articles) == 4 and report.updated_articles == []
    after = _snapshot()
    assert after["collections"] == before["collections"]
    for slug, expected in before["articles"].items():
        got = after["articles"][slug]
        for key, value in expected.items():
            assert got[key] == value, (slug, key)
    for article in Article.objects.all():
        assert article.is_published and not article.has_unpublished_changes
        assert article.revisions.count() == 1
        assert article.owner_id == world.lumiere_editor.pk

    # And the import exports back to the very same files (apart from the manifest's timestamp).
    again = transfer.export_zip(Collection.objects.all(), Article.objects.all())
    first, second = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(again))
    assert sorted(first.namelist()) == sorted(second.namelist())
    for name in first.namelist():
        if name != "kbportal-export.json":
            assert first.read(name) == second.read(name), name


def test_importing_again_publishes_without_duplicates(world, in_tenant, acme_content):
    data = transfer.export_zip(acme_content["collections"], Article.objects.all())
    in_tenant(world.lumiere)
    transfer.import_zip(data, acting_user=world.lumiere_editor, publish=False)
    assert not Article.objects.published().exists()
    collections, articles = Collection.objects.count(), Article.objects.count()

    report = transfer.import_zip(data, acting_user=world.lumiere_editor)
    assert report.errors == [] and report.created_articles == [] and report.created_collections == []
    assert len(report.updated_articles) == 4  # published: the content was the same, no new revision
    assert Collection.objects.count() == collections and Article.objects.count() == articles
    for article in Article.objects.all():
        assert article.revisions.count() == 1
        assert article.live_revision_id == article.latest_revision_id
    guide = Article.objects.get(slug="refund-a-marketplace-order")
    assert [s["title"] for s in guide.latest_revision.steps] == [
        "Find the order", "Check the seller <b>status</b> -->", "Refund"
    ]


def test_import_under_a_given_collection(world, in_tenant, acme_content):
    data = transfer.export_zip(acme_content["collections"], Article.objects.all())
    in_tenant(world.lumiere)
    imported = collection_create(name="Imported", acting_user=world.lumiere_editor)
    report = transfer.import_zip(data, acting_user=world.lumiere_editor, into=imported)
    assert report.errors == []
    assert Collection.objects.get(slug="refunds").parent == imported
    assert Collection.objects.get(slug="empty-shelf").parent == imported
    assert Collection.objects.get(slug="marketplace-refunds").parent.slug == "refunds"


def _zip(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


GOOD = '---\nkind: "article"\ntitle: "Good one"\nslug: "good-one"\n---\nHello.\n'


def test_not_a_zip_is_refused(world, in_tenant):
    in_tenant(world.lumiere)
    for data in (b"", b"hello, I am a text file", b"PK\x03\x04broken"):
        with pytest.raises(ValidationError) as caught:
            transfer.import_zip(data, acting_user=world.lumiere_editor)
        assert caught.value.messages == ["This file is not a zip archive."]


def test_bad_files_give_error_entries_and_the_rest_imports(world, in_tenant):
    in_tenant(world.lumiere)
    data = _zip(
        {
            "../evil.md": GOOD,
            "/absolute.md": GOOD,
            "docs/../../evil2.md": GOOD,
            "docs/_collection.md": '---\nname: "Docs"\nconfidential: true\n---\n',
            "docs/good.md": GOOD,
            "docs/no-front-matter.md": "Just text\n",
            "docs/unclosed.md": '---\nkind: "article"\ntitle: "x"\n',
            "docs/bad-json.md": "---\nkind: article\ntitle: \"x\"\n---\nbody\n",
            "docs/bad-kind.md": '---\nkind: "poem"\ntitle: "x"\n---\nbody\n',
            "docs/bad-tags.md": '---\nkind: "article"\ntitle: "x"\ntags: "a,b"\n---\nbody\n',
            "docs/bad-marker.md": '---\nkind: "guide"\ntitle: "x"\n---\n<!-- kb:step {title} -->\n',
            "docs/faq-in-guide.md": '---\nkind: "guide"\ntitle: "x"\n---\n<!-- kb:faq {"question": "q"} -->\na\n',
            "docs/guide-without-steps.md": '---\nkind: "guide"\ntitle: "Lonely guide"\n---\nOnly an intro.\n',
            "docs/empty-article.md": '---\nkind: "article"\ntitle: "Empty"\n---\n',
            "docs/latin1.md": "---\nkind: \"article\"\ntitle: \"caf\xe9\"\n---\n".encode("latin-1"),
            "docs/zz-duplicate.md": '---\nkind: "article"\ntitle: "Dup"\nslug: "good-one"\n---\nagain\n',
            "docs/picture.png": b"\x89PNG",
            "root.md": GOOD.replace("good-one", "root"),
            "__MACOSX/docs/._good.md": b"\x00\x05",
            "docs/.DS_Store": b"\x00",
        }
    )
    report = transfer.import_zip(data, acting_user=world.lumiere_editor)
    assert report.created_articles == ["good-one"]
    assert report.created_collections == ["docs"]
    assert Collection.objects.get(slug="docs").confidential
    article = Article.objects.get(slug="good-one")
    assert article.latest_revision.body == "Hello." and article.is_published
    assert Article.objects.count() == 1

    def error_for(name: str) -> str:
        found = [e for e in report.errors if e.startswith(f"{name}: ")]
        assert len(found) == 1, (name, report.errors)
        return found[0]

    assert "leaves the archive" in error_for("../evil.md")
    assert "leaves the archive" in error_for("/absolute.md")
    assert "leaves the archive" in error_for("docs/../../evil2.md")
    assert "“---”" in error_for("docs/no-front-matter.md")
    assert "not closed" in error_for("docs/unclosed.md")
    assert "line 2 of the front matter" in error_for("docs/bad-json.md")
    assert "article, guide, faq" in error_for("docs/bad-kind.md")
    assert "“tags” must be a list of texts" in error_for("docs/bad-tags.md")
    assert "line 5 is a “<!-- kb:” marker" in error_for("docs/bad-marker.md")
    assert "cannot hold a “faq” marker" in error_for("docs/faq-in-guide.md")
    assert "A guide needs at least one step." in error_for("docs/guide-without-steps.md")
    assert "Write the article's text." in error_for("docs/empty-article.md")
    assert "UTF-8" in error_for("docs/latin1.md")
    assert "docs/good.md" in error_for("docs/zz-duplicate.md")
    assert "not a Markdown file" in error_for("docs/picture.png")
    assert "collection folder" in error_for("root.md")
    assert len(report.errors) == 16


def test_root_files_go_into_the_given_collection(world, in_tenant):
    in_tenant(world.lumiere)
    inbox = collection_create(name="Inbox", acting_user=world.lumiere_editor)
    report = transfer.import_zip(_zip({"good.md": GOOD}), acting_user=world.lumiere_editor, into=inbox)
    assert report.errors == [] and Article.objects.get(slug="good-one").collection == inbox


def test_a_kind_clash_with_an_existing_article_is_reported(world, in_tenant):
    in_tenant(world.lumiere)
    docs = collection_create(name="Docs", acting_user=world.lumiere_editor)
    existing = article_create(
        kind=Kind.GUIDE, collection=docs, slug="good-one", acting_user=world.lumiere_editor,
        content=Content(title="A guide", language="en", tags=[], steps=[{"title": "One", "body": ""}]),
    )
    report = transfer.import_zip(_zip({"docs/good.md": GOOD}), acting_user=world.lumiere_editor)
    assert len(report.errors) == 1 and "already exists as a Guide" in report.errors[0]
    assert existing.revisions.count() == 1


def test_an_import_never_lowers_confidentiality(world, in_tenant):
    in_tenant(world.lumiere)
    docs = collection_create(name="Docs", acting_user=world.lumiere_editor)
    existing = article_create(
        kind=Kind.ARTICLE, collection=docs, slug="good-one", acting_user=world.lumiere_editor, confidential=True,
        content=Content(title="Secret", language="en", tags=[], body="Secret"),
    )
    article_publish(article=existing, revision=existing.latest_revision, acting_user=world.lumiere_editor)
    report = transfer.import_zip(_zip({"docs/good.md": GOOD}), acting_user=world.lumiere_editor)
    assert report.updated_articles == ["good-one"]
    existing.refresh_from_db()
    assert existing.confidential and existing.latest_revision.title == "Good one"


def test_a_collection_file_that_cannot_be_read_holds_back_its_articles(world, in_tenant):
    in_tenant(world.lumiere)
    report = transfer.import_zip(
        _zip({"secret/_collection.md": '---\nconfidential: yes\n---\n', "secret/good.md": GOOD}),
        acting_user=world.lumiere_editor,
    )
    assert not Collection.objects.filter(slug="secret").exists() and not Article.objects.exists()
    assert [e.split(":")[0] for e in report.errors] == ["secret/_collection.md", "secret/good.md"]


def test_zip_bomb_guards(world, in_tenant):
    in_tenant(world.lumiere)
    too_big = io.BytesIO()
    with zipfile.ZipFile(too_big, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("docs/huge.md", b"\0" * (transfer.MAX_TOTAL_BYTES + 1))
    assert len(too_big.getvalue()) < 200_000
    with pytest.raises(ValidationError, match="MB"):
        transfer.import_zip(too_big.getvalue(), acting_user=world.lumiere_editor)

    too_many = _zip({f"docs/{n}.md": "" for n in range(transfer.MAX_FILES + 1)})
    with pytest.raises(ValidationError, match="5001 files"):
        transfer.import_zip(too_many, acting_user=world.lumiere_editor)
    assert not Collection.objects.exists()


def test_a_newer_format_is_refused(world, in_tenant):
    in_tenant(world.lumiere)
    data = _zip({"kbportal-export.json": json.dumps({"format": 2}), "docs/good.md": GOOD})
    with pytest.raises(ValidationError, match="newer version"):
        transfer.import_zip(data, acting_user=world.lumiere_editor)


# Importing again (issue 10): idempotent, attributed, and honest about options ----------------


def _rewrite(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    files = {member: source.read(member).decode() for member in source.namelist()}
    files[name] = change(files[name])
    return _zip(files)


GUIDE_FILE = "refunds/marketplace-refunds/refund-a-marketplace-order.md"


def test_reimporting_an_unchanged_export_makes_no_revision(world, in_tenant, acme_content):
    data = transfer.export_zip(acme_content["collections"], Article.objects.all())
    in_tenant(world.lumiere)
    transfer.import_zip(data, acting_user=world.lumiere_editor)
    before = {a.slug: (a.latest_revision_id, a.revisions.count()) for a in Article.objects.all()}

    report = transfer.import_zip(data, acting_user=world.lumiere_admin)
    assert report.errors == [] and report.updated_articles == [] and report.created_articles == []
    assert sorted(report.unchanged_articles) == sorted(before)
    assert {a.slug: (a.latest_revision_id, a.revisions.count()) for a in Article.objects.all()} == before

    # The same archive edited on Windows (CRLF) is still the same content.
    crlf = _rewrite(data, GUIDE_FILE, lambda text: text.replace("\n", "\r\n"))
    report = transfer.import_zip(crlf, acting_user=world.lumiere_admin)
    assert report.errors == [] and report.updated_articles == []
    assert Article.objects.get(slug="refund-a-marketplace-order").revisions.count() == 1


def test_a_changed_step_is_one_change_attributed_to_the_importer(world, in_tenant, acme_content):
    from articles.diff import diff_revisions

    data = transfer.export_zip(acme_content["collections"], Article.objects.all())
    in_tenant(world.lumiere)
    transfer.import_zip(data, acting_user=world.lumiere_editor, source_name="acme.zip")
    guide = Article.objects.get(slug="refund-a-marketplace-order")
    first = guide.latest_revision
    assert first.imported_from == "acme.zip" and first.author_id == world.lumiere_editor.pk

    edited = _rewrite(data, GUIDE_FILE, lambda text: text.replace('kb:step {"title": "Refund"} -->\n',
                                                                  'kb:step {"title": "Refund"} -->\nRefund at once.\n'))
    assert edited != data
    report = transfer.import_zip(edited, acting_user=world.lumiere_admin, source_name="acme-v2.zip")
    assert report.updated_articles == ["refund-a-marketplace-order"] and len(report.unchanged_articles) == 3
    guide.refresh_from_db()
    second = guide.latest_revision
    assert second.number == 2 and second.imported_from == "acme-v2.zip" and second.author_id == world.lumiere_admin.pk
    assert [s["id"] for s in second.steps] == [s["id"] for s in first.steps]  # paired, not removed and re-added
    sections = diff_revisions(first.content(), second.content(), guide.kind)
    from articles.diff import UNCHANGED

    changed = [section for section in sections if section.status != UNCHANGED]
    assert len(changed) == 1, changed

    from django.test import Client as HttpClient

    from .conftest import host

    http = HttpClient()
    http.force_login(world.lumiere_editor)
    history = http.get(guide.url("history"), HTTP_HOST=host(world.lumiere)).content.decode()
    assert "imported from acme-v2.zip by" in history and world.lumiere_admin.get_full_name() in history


def test_into_says_when_it_cannot_apply(world, in_tenant, acme_content):
    data = transfer.export_zip(acme_content["collections"], Article.objects.all())
    in_tenant(world.lumiere)
    transfer.import_zip(data, acting_user=world.lumiere_editor)
    inbox = collection_create(name="Inbox", acting_user=world.lumiere_editor)
    report = transfer.import_zip(data, acting_user=world.lumiere_editor, into=inbox)
    assert Collection.objects.get(slug="refunds").parent_id is None
    assert any("already exists" in notice and "Inbox" in notice and "refunds/" in notice for notice in report.notices)
    assert report.errors == []
