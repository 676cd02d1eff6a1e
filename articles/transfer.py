"""Export collections and articles to a zip of Markdown files, and import such a zip.

The archive::

    kbportal-export.json                    {"format": 1, "exported_at": ..., "articles": N, "collections": N}
    refunds/_collection.md                  a collection: its folder path is its slug nesting
    refunds/marketplace-refunds/_collection.md
    refunds/marketplace-refunds/<article-slug>.md

Every ``.md`` file opens with front matter between two ``---`` lines, one ``key: <JSON value>``
per line (``title: "Rembourser un colis"``, ``tags: ["refund", "delivery"]``). JSON values are
valid YAML, so any YAML tool reads them, but nothing here needs a YAML library.

After the front matter of an article file comes its content. For an article, the Markdown body.
For a guide, the intro body, then each step as a marker line ``<!-- kb:step {"title": "..."} -->``
followed by the step's body. For a FAQ, the intro body, then each pair as
``<!-- kb:faq {"question": "...", "alternatives": [...]} -->`` followed by the answer. Every
section (body, step, answer) is written followed by exactly one newline, which the reader takes
off again. A content line that itself starts with ``<!-- kb:`` (after any backslashes) gets one
more leading backslash on export, removed on import, so that every body round-trips exactly.

Import never trusts the archive: it refuses non-zips and zip bombs outright, and skips, with a
translated error entry naming the file, any path leaving the archive, any unreadable front
matter and any content `clean_content` refuses. Each article is written in its own transaction,
so that one bad file does not lose the others.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Article, Collection, Kind, Language, Revision
from .services import (
    Content,
    EditConflict,
    article_create,
    article_save,
    collection_create,
)
from .text import clean_line, normalise_newlines

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST_NAME = "kbportal-export.json"
COLLECTION_FILE = "_collection.md"
MARKER_PREFIX = "<!-- kb:"
MAX_TOTAL_BYTES = 50 * 1024 * 1024  # uncompressed, the whole archive
MAX_FILES = 5000
MAX_FILE_BYTES = 5 * 1024 * 1024  # one uncompressed member
SLUG_LENGTH = 180  # what services.unique_slug keeps

_MARKER_LINE = re.compile(r"<!-- kb:([a-z]+) (.*) -->")
_NEEDS_ESCAPE = re.compile(r"\\*<!-- kb:")
_ESCAPED = re.compile(r"\\+<!-- kb:")
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class FormatError(Exception):
    """A file of the archive cannot be read; the message is translated, for people."""


@dataclass
class ImportReport:
    """What an import did: slugs created, updated or left as they were (the archive held the
    same content), one translated line per problem, and one per option that could not apply."""

    created_collections: list[str] = field(default_factory=list)
    created_articles: list[str] = field(default_factory=list)
    updated_articles: list[str] = field(default_factory=list)
    unchanged_articles: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- the format


def _json(value: Any, *, in_marker: bool = False) -> str:
    """One JSON value on one line, readable (non-ASCII kept) yet safe: characters a YAML
    reader or a line splitter could trip on are escaped, and so is `>` inside markers so
    that a title never closes the HTML comment early."""
    text = json.dumps(value, ensure_ascii=False)
    out: list[str] = []
    for char in text:
        code = ord(char)
        if (in_marker and char == ">") or (code <= 0xFFFF and unicodedata.category(char) in _UNSAFE_CATEGORIES):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _front_matter(fields: dict[str, Any]) -> str:
    lines = ["---", *(f"{key}: {_json(value)}" for key, value in fields.items()), "---"]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return "\n".join("\\" + line if _NEEDS_ESCAPE.match(line) else line for line in text.split("\n"))


def _unescape(line: str) -> str:
    return line[1:] if _ESCAPED.match(line) else line


def _sections(body: str, items: Iterable[tuple[str, dict[str, Any], str]]) -> str:
    parts = [_escape(body) + "\n"]
    for name, attributes, text in items:
        parts.append(f"{MARKER_PREFIX}{name} {_json(attributes, in_marker=True)} -->\n")
        parts.append(_escape(text) + "\n")
    return "".join(parts)


def render_article(article: Article, revision: Revision) -> str:
    """The `.md` file of one article, from one of its revisions."""
    header = _front_matter(
        {
            "kind": article.kind,
            "title": revision.title,
            "slug": article.slug,
            "language": revision.language,
            "tags": list(revision.tags),
            "review_by": article.review_by.isoformat(),
            "confidential": article.confidential,
            "summary": revision.summary,
        }
    )
    items: list[tuple[str, dict[str, Any], str]] = []
    if article.kind == Kind.GUIDE:
        items = [("step", {"title": step["title"]}, step["body"]) for step in revision.steps]
    elif article.kind == Kind.FAQ:
        items = [
            ("faq", {"question": pair["question"], "alternatives": list(pair["alternatives"])}, pair["answer"])
            for pair in revision.faqs
        ]
    return header + _sections(revision.body, items)


def render_collection(collection: Collection) -> str:
    return _front_matter(
        {
            "name": collection.name,
            "slug": collection.slug,
            "description": collection.description,
            "confidential": collection.confidential,
            "review_interval_days": collection.review_interval_days,
            "position": collection.position,
        }
    )


def parse_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Split a file into its front matter, the rest, and the line number the rest starts at."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines[0].rstrip("\r") != "---":
        raise FormatError(_("the file must start with a “---” line opening the front matter."))
    values: dict[str, Any] = {}
    for index in range(1, len(lines)):
        line = lines[index].rstrip("\r")
        if line == "---":
            return values, "\n".join(lines[index + 1 :]), index + 2
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, raw = line.partition(":")
        key = key.strip()
        try:
            if not sep or not key:
                raise ValueError(line)
            value = json.loads(raw)
        except ValueError:
            raise FormatError(
                _("line %(n)s of the front matter is not “key: value” with a JSON value.") % {"n": index + 1}
            ) from None
        if key in values:
            raise FormatError(_("“%(key)s” appears twice in the front matter.") % {"key": key})
        values[key] = value
    raise FormatError(_("the front matter is not closed by a “---” line."))


def parse_sections(text: str, *, first_line: int = 1) -> tuple[str, list[tuple[str, dict[str, Any], str, int]]]:
    """The intro body, then (marker name, marker attributes, text, line number) per marker."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that closes the last section
    body: str | None = None
    items: list[tuple[str, dict[str, Any], str, int]] = []
    current: list[str] = []
    pending: tuple[str, dict[str, Any], int] | None = None

    def close() -> None:
        nonlocal body
        section = "\n".join(current)
        if pending is None:
            body = section
        else:
            items.append((pending[0], pending[1], section, pending[2]))

    for offset, line in enumerate(lines):
        if not line.startswith(MARKER_PREFIX):
            current.append(_unescape(line))
            continue
        number = first_line + offset
        match = _MARKER_LINE.fullmatch(line.rstrip("\r"))
        attributes: Any = None
        if match:
            try:
                attributes = json.loads(match.group(2))
            except ValueError:
                attributes = None
        if match is None or not isinstance(attributes, dict):
            raise FormatError(_("line %(n)s is a “<!-- kb:” marker that cannot be read.") % {"n": number})
        close()
        current = []
        pending = (match.group(1), attributes, number)
    close()
    return body or "", items


@dataclass
class ArticleFile:
    """One article file, read and checked for shape (not yet for content)."""

    kind: str
    slug: str
    content: Content
    review_by: datetime.date | None
    confidential: bool
    summary: str


def _expect(values: dict[str, Any], key: str, kind: type | tuple[type, ...], expected: str, default: Any) -> Any:
    if key not in values or values[key] is None:
        return default
    value = values[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise FormatError(_("“%(key)s” must be %(expected)s.") % {"key": key, "expected": expected})
    return value


def _text_list(values: dict[str, Any], key: str) -> list[str]:
    items = _expect(values, key, list, _("a list of texts"), [])
    if not all(isinstance(item, str) for item in items):
        raise FormatError(_("“%(key)s” must be %(expected)s.") % {"key": key, "expected": _("a list of texts")})
    return list(items)


def parse_article(text: str, *, default_slug: str) -> ArticleFile:
    values, rest, first_line = parse_front_matter(text)
    kind = _expect(values, "kind", str, _("text"), "")
    if kind not in Kind.values:
        raise FormatError(_("the kind must be one of: %(kinds)s.") % {"kinds": ", ".join(Kind.values)})
    language = _expect(values, "language", str, _("text"), Language.EN)
    if language not in Language.values:
        raise FormatError(_("the language must be one of: %(languages)s.") % {"languages": ", ".join(Language.values)})
    title = _expect(values, "title", str, _("text"), "")
    slug = slugify(_expect(values, "slug", str, _("text"), "") or default_slug)[:SLUG_LENGTH]
    if not slug:
        raise FormatError(_("the file gives no usable slug."))
    raw_date = _expect(values, "review_by", str, _("a date (YYYY-MM-DD)"), "")
    try:
        review_by = datetime.date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise FormatError(
            _("“%(key)s” must be %(expected)s.") % {"key": "review_by", "expected": _("a date (YYYY-MM-DD)")}
        ) from None
    confidential = _expect(values, "confidential", bool, _("true or false"), False)
    summary = _expect(values, "summary", str, _("text"), "")
    tags = _text_list(values, "tags")

    body, items = parse_sections(rest, first_line=first_line)
    steps: list[dict[str, Any]] = []
    faqs: list[dict[str, Any]] = []
    for name, attributes, section, number in items:
        if name == "step" and kind == Kind.GUIDE:
            step_title = _expect(attributes, "title", str, _("text"), "")
            steps.append({"title": step_title, "body": section})
        elif name == "faq" and kind == Kind.FAQ:
            question = _expect(attributes, "question", str, _("text"), "")
            faqs.append({"question": question, "alternatives": _text_list(attributes, "alternatives"), "answer": section})
        elif name in ("step", "faq"):
            raise FormatError(
                _("line %(n)s: a %(kind)s cannot hold a “%(marker)s” marker.")
                % {"n": number, "kind": Kind(kind).label, "marker": name}
            )
        else:
            raise FormatError(_("line %(n)s is a “<!-- kb:” marker that cannot be read.") % {"n": number})
    content = Content(title=title, language=language, tags=tags, body=body, steps=steps, faqs=faqs)
    return ArticleFile(kind, slug, content, review_by, confidential, summary)


@dataclass
class CollectionFile:
    name: str
    description: str
    confidential: bool
    review_interval_days: int
    position: int | None


def parse_collection(text: str) -> CollectionFile:
    values, _rest, _line = parse_front_matter(text)
    interval = _expect(values, "review_interval_days", int, _("a whole number"), 180)
    position = _expect(values, "position", int, _("a whole number"), None)
    if not 1 <= interval <= 3650:
        raise FormatError(_("“%(key)s” is out of range.") % {"key": "review_interval_days"})
    if position is not None and position < 0:
        raise FormatError(_("“%(key)s” is out of range.") % {"key": "position"})
    return CollectionFile(
        name=_expect(values, "name", str, _("text"), ""),
        description=_expect(values, "description", str, _("text"), ""),
        confidential=_expect(values, "confidential", bool, _("true or false"), False),
        review_interval_days=interval,
        position=position,
    )


# --------------------------------------------------------------------------- export


def _paths(collections: dict[int, Collection]) -> dict[int, tuple[str, ...]]:
    paths: dict[int, tuple[str, ...]] = {}
    for pk, collection in collections.items():
        chain: list[str] = []
        node: Collection | None = collection
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node.slug)
            node = collections.get(node.parent_id) if node.parent_id else None
        paths[pk] = tuple(reversed(chain))
    return paths


def _zip_write(archive: zipfile.ZipFile, name: str, text: str, stamp: datetime.datetime) -> None:
    info = zipfile.ZipInfo(name, date_time=(stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, text.encode("utf-8"))


def export_zip(collections: Iterable[Collection], articles: QuerySet[Article] | Iterable[Article]) -> bytes:
    """A zip of the given collections (with their ancestors, so that paths are whole) and
    articles (with their collections). Each article is exported at its live revision if it
    is published, else at its latest revision."""
    if isinstance(articles, QuerySet):
        articles = articles.select_related("collection", "live_revision", "latest_revision")
    chosen = [a for a in articles if (a.live_revision_id or a.latest_revision_id)]
    everything = {c.pk: c for c in Collection.objects.all()}
    wanted: dict[int, Collection] = {}

    def include(collection: Collection | None) -> None:
        while collection is not None and collection.pk not in wanted:
            wanted[collection.pk] = everything.get(collection.pk, collection)
            collection = everything.get(collection.parent_id) if collection.parent_id else None

    for collection in collections:
        include(collection)
    for article in chosen:
        include(article.collection)
    paths = _paths({**everything, **wanted})

    now = timezone.now()
    stamp = timezone.localtime(now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        manifest = {
            "format": FORMAT_VERSION,
            "exported_at": now.isoformat(),
            "articles": len(chosen),
            "collections": len(wanted),
        }
        _zip_write(archive, MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n", stamp)
        for pk in sorted(wanted, key=lambda pk: paths[pk]):
            _zip_write(archive, "/".join((*paths[pk], COLLECTION_FILE)), render_collection(wanted[pk]), stamp)
        for article in sorted(chosen, key=lambda a: (paths.get(a.collection_id, ()), a.slug)):
            revision = article.live_revision if article.live_revision_id else article.latest_revision
            assert revision is not None
            filename = f"{article.slug}.md" if f"{article.slug}.md" != COLLECTION_FILE else f"{article.slug}.article.md"
            folder = paths.get(article.collection_id) or (article.collection.slug,)
            _zip_write(archive, "/".join((*folder, filename)), render_article(article, revision), stamp)
    return buffer.getvalue()


# --------------------------------------------------------------------------- import


def _open_archive(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ValidationError(_("This file is not a zip archive.")) from None
    members = archive.infolist()
    if len(members) > MAX_FILES:
        raise ValidationError(
            _("This archive holds %(n)s files; the limit is %(limit)s.") % {"n": len(members), "limit": MAX_FILES}
        )
    if sum(member.file_size for member in members) > MAX_TOTAL_BYTES:
        raise ValidationError(
            _("This archive unpacks to more than %(limit)s MB; split it into smaller exports.")
            % {"limit": MAX_TOTAL_BYTES // (1024 * 1024)}
        )
    return archive


def _problem(name: str, problem: str) -> str:
    return _("%(file)s: %(problem)s") % {"file": name, "problem": problem}


def _unsafe(name: str) -> bool:
    return (
        name.startswith("/")
        or bool(re.match(r"[A-Za-z]:", name))
        or any(part == ".." for part in name.split("/"))
        or "\x00" in name
    )


def _junk(parts: list[str]) -> bool:
    """Files that archivers add on their own (macOS resource forks, hidden files)."""
    return any(part.startswith("__MACOSX") for part in parts) or parts[-1].startswith(".")


@dataclass
class _Member:
    name: str
    folder: tuple[str, ...]
    text: str


def _read_members(archive: zipfile.ZipFile, report: ImportReport) -> tuple[dict[str, Any] | None, list[_Member]]:
    manifest: dict[str, Any] | None = None
    members: list[_Member] = []
    budget = MAX_TOTAL_BYTES
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = info.filename.replace("\\", "/")
        if _unsafe(name):
            report.errors.append(_problem(name, _("the path leaves the archive; skipped.")))
            continue
        parts = [part for part in name.split("/") if part not in ("", ".")]
        if not parts or _junk(parts):
            continue
        if parts != [MANIFEST_NAME] and not parts[-1].lower().endswith(".md"):
            report.errors.append(_problem(name, _("not a Markdown file; skipped.")))
            continue
        if info.file_size > MAX_FILE_BYTES:
            report.errors.append(
                _problem(name, _("the file is larger than %(limit)s MB; skipped.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)})
            )
            continue
        try:
            with archive.open(info) as handle:
                raw = handle.read(min(budget, MAX_FILE_BYTES) + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError):
            report.errors.append(_problem(name, _("the file could not be read from the archive; skipped.")))
            continue
        budget -= len(raw)
        if budget < 0:
            raise ValidationError(
                _("This archive unpacks to more than %(limit)s MB; split it into smaller exports.")
                % {"limit": MAX_TOTAL_BYTES // (1024 * 1024)}
            )
        try:
            text = normalise_newlines(raw.decode("utf-8"))  # files edited on Windows: CRLF
        except UnicodeDecodeError:
            report.errors.append(_problem(name, _("the file is not UTF-8 text; skipped.")))
            continue
        if parts == [MANIFEST_NAME]:
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            if not isinstance(loaded, dict):
                report.errors.append(_problem(name, _("the manifest is not valid JSON; it was ignored.")))
            else:
                manifest = loaded
            continue
        members.append(_Member(name, tuple(parts[:-1]), text))
    return manifest, members


def _folder_slugs(folder: tuple[str, ...]) -> tuple[str, ...] | None:
    slugs = tuple(slugify(part)[:SLUG_LENGTH] for part in folder)
    return slugs if all(slugs) else None


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _import_collections(
    members: list[_Member], *, acting_user: AbstractBaseUser | None, into: Collection | None, report: ImportReport
) -> dict[tuple[str, ...], Collection | None]:
    """Find or create the collection of every folder; None marks a folder that failed."""
    metadata: dict[tuple[str, ...], _Member] = {}
    folders: set[tuple[str, ...]] = set()
    for member in members:
        slugs = _folder_slugs(member.folder)
        if slugs is None:
            continue
        for depth in range(1, len(slugs) + 1):
            folders.add(slugs[:depth])
        if member.name.rsplit("/", 1)[-1] == COLLECTION_FILE and slugs:
            metadata[slugs] = member

    resolved: dict[tuple[str, ...], Collection | None] = {}
    for folder in sorted(folders, key=lambda f: (len(f), f)):
        parent = resolved.get(folder[:-1]) if len(folder) > 1 else into
        if len(folder) > 1 and parent is None:
            resolved[folder] = None  # the parent already failed and said why
            continue
        slug = folder[-1]
        existing = Collection.objects.filter(slug=slug).first()
        source = metadata.get(folder)
        where = source.name if source else "/".join(folder) + "/"
        if existing is not None:
            resolved[folder] = existing
            if len(folder) == 1 and into is not None and existing.parent_id != into.pk:
                report.notices.append(_problem(where, _(
                    "the collection “%(name)s” already exists in this workspace, so its content was imported "
                    "there, where it is, and not inside “%(into)s”. Move it afterwards if you want it there."
                ) % {"name": existing.name, "into": into.name}))
            continue
        try:
            meta = parse_collection(source.text) if source else None
            with transaction.atomic():
                collection = collection_create(
                    name=(meta.name if meta and meta.name.strip() else slug.replace("-", " ").capitalize()),
                    acting_user=acting_user,
                    parent=parent,
                    description=meta.description if meta else "",
                    confidential=meta.confidential if meta else False,
                    review_interval_days=meta.review_interval_days if meta else 180,
                    slug=slug,
                )
                if meta and meta.position is not None:
                    Collection.objects.filter(pk=collection.pk).update(position=meta.position)
                    collection.position = meta.position
        except FormatError as exc:
            report.errors.append(_problem(where, str(exc)))
            resolved[folder] = None
            continue
        except ValidationError as exc:
            report.errors.append(_problem(where, _error_text(exc)))
            resolved[folder] = None
            continue
        except DatabaseError:
            logger.exception("import: collection %s could not be saved", slug)
            report.errors.append(_problem(where, _("the collection could not be saved.")))
            resolved[folder] = None
            continue
        resolved[folder] = collection
        report.created_collections.append(collection.slug)
    return resolved


def _pair_ids(items: list[dict[str, Any]], current: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The archive does not carry step (question) ids: give the imported ones the ids of the
    article's current steps, the same title (question) first, then the same position, so that an
    unchanged guide compares equal and a diff pairs what changed instead of showing every step
    removed and added again."""
    result = [dict(item) for item in items]
    used: set[str] = set()
    by_key: dict[str, list[str]] = {}
    for item in current:
        by_key.setdefault(item[key], []).append(item["id"])
    for item in result:
        free = [pk for pk in by_key.get(clean_line(item.get(key)), []) if pk not in used]
        if free:
            item["id"] = free[0]
            used.add(free[0])
    for position, item in enumerate(result):
        if "id" not in item and position < len(current) and current[position]["id"] not in used:
            item["id"] = current[position]["id"]
            used.add(item["id"])
    return result


def _import_article(
    member: _Member,
    parsed: ArticleFile,
    collection: Collection,
    *,
    acting_user: AbstractBaseUser | None,
    publish: bool,
    report: ImportReport,
    source_name: str,
) -> None:
    with transaction.atomic():
        existing = Article.objects.filter(slug=parsed.slug).first()
        if existing is None:
            article = article_create(
                kind=parsed.kind,
                collection=collection,
                content=parsed.content,
                review_by=parsed.review_by,
                summary=parsed.summary,
                acting_user=acting_user,
                publish=publish,
                slug=parsed.slug,
                confidential=parsed.confidential,
                imported_from=source_name,
            )
            report.created_articles.append(article.slug)
            return
        if existing.kind != parsed.kind:
            report.errors.append(
                _problem(
                    member.name,
                    _("an article with the slug “%(slug)s” already exists as a %(kind)s; it was left unchanged.")
                    % {"slug": parsed.slug, "kind": Kind(existing.kind).label},
                )
            )
            return
        latest = existing.latest_revision
        content = parsed.content
        if latest is not None:
            content.steps = _pair_ids(content.steps or [], latest.steps, "title")
            content.faqs = _pair_ids(content.faqs or [], latest.faqs, "question")
        saved = article_save(
            article=existing,
            expected_revision_id=existing.latest_revision_id,
            content=content,
            summary=parsed.summary or _("Imported"),
            acting_user=acting_user,
            publish=publish,
            # Settings stay as they are, except that an import never makes content less confidential.
            confidential=True if parsed.confidential else None,
            imported_from=source_name,
        )
        (report.updated_articles if saved.changed else report.unchanged_articles).append(existing.slug)


def import_zip(
    data: bytes,
    *,
    acting_user: AbstractBaseUser | None,
    into: Collection | None = None,
    publish: bool = True,
    source_name: str = "",
) -> ImportReport:
    """Import an archive made by `export_zip` (or by hand in the same format).

    Folders become collections, found by slug or created (top-level folders under `into` if
    given; a top-level folder whose collection exists elsewhere is imported where it is, and the
    report's notices say so). An article whose slug exists gets a new revision when the archive
    changes its content (none when it holds the same), otherwise it is created with that slug.
    Revisions written here record `source_name` and `acting_user` (who imported). Raises ValidationError if the file is not a zip or is too big to unpack;
    everything else is reported per file in `ImportReport.errors`.
    """
    archive = _open_archive(data)
    report = ImportReport()
    with archive:
        manifest, members = _read_members(archive, report)
    if manifest is not None:
        version = manifest.get("format")
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise ValidationError(
                _("This export was made by a newer version of the portal (format %(n)s); it cannot be imported here.")
                % {"n": version}
            )

    resolved = _import_collections(members, acting_user=acting_user, into=into, report=report)
    seen: dict[str, str] = {}
    for member in members:
        filename = member.name.rsplit("/", 1)[-1]
        if filename == COLLECTION_FILE:
            if not member.folder:
                report.errors.append(_problem(member.name, _("a collection file must sit in a collection folder; skipped.")))
            continue
        slugs = _folder_slugs(member.folder)
        if slugs is None:
            report.errors.append(_problem(member.name, _("a folder name gives no usable collection slug; skipped.")))
            continue
        collection = resolved.get(slugs) if slugs else into
        if collection is None:
            if slugs:
                problem = _("its collection folder “%(folder)s” could not be imported.") % {"folder": "/".join(slugs)}
            else:
                problem = _("articles must sit in a collection folder.")
            report.errors.append(_problem(member.name, problem))
            continue
        try:
            parsed = parse_article(member.text, default_slug=filename[: -len(".md")])
        except FormatError as exc:
            report.errors.append(_problem(member.name, str(exc)))
            continue
        if parsed.slug in seen:
            report.errors.append(
                _problem(
                    member.name,
                    _("the slug “%(slug)s” is also used by %(other)s; only the first file was imported.")
                    % {"slug": parsed.slug, "other": seen[parsed.slug]},
                )
            )
            continue
        seen[parsed.slug] = member.name
        try:
            _import_article(
                member, parsed, collection, acting_user=acting_user, publish=publish, report=report,
                source_name=source_name or "archive.zip",
            )
        except ValidationError as exc:
            report.errors.append(_problem(member.name, _error_text(exc)))
        except EditConflict:
            report.errors.append(
                _problem(member.name, _("someone saved this article while it was being imported; import it again."))
            )
        except DatabaseError:
            logger.exception("import: article %s could not be saved", parsed.slug)
            report.errors.append(_problem(member.name, _("the article could not be saved.")))
    return report
