"""The archive format: front matter, section markers, and reading and writing one file.

See the package docstring for the layout of the archive."""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Article, Collection, Kind, Language, Revision
from ..services import Content

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
