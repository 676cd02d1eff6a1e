"""What an author edits, checked and normalised; its rendering; slugs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import rendering
from ..limits import MAX_FAQS, MAX_STEPS
from ..models import Article, Kind, Revision
from ..text import clean_line, clean_multiline, clean_tag, normalise_newlines, slug_base


class EditConflict(Exception):
    """Someone saved a newer revision since the editor opened the article."""

    def __init__(self, current: Revision):
        super().__init__(f"article {current.article_id} is at revision {current.number}")
        self.current = current


@dataclass
class Content:
    """What an author edits: validated and normalised by `clean_content`."""

    title: str
    language: str
    tags: list[str]
    body: str = ""
    steps: list[dict] | None = None
    faqs: list[dict] | None = None

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "language": self.language,
            "tags": self.tags,
            "body": self.body,
            "steps": self.steps or [],
            "faqs": self.faqs or [],
        }


def _new_id() -> str:
    return uuid.uuid4().hex[:10]


def normalise_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: list[str] = []
    for tag in tags:
        tag = clean_tag(tag)[:60]
        if tag and tag not in seen:
            seen.append(tag)
    return seen[:30]


def clean_content(kind: str, content: Content, *, known_ids: set[str] | None = None) -> Content:
    """Validate and normalise content. Raises ValidationError with translated messages keyed
    by field. `known_ids` are the step/question ids of the article's latest revision: an id
    not among them (another article's step, say) is refused."""
    errors: dict[str, list[str]] = {}
    content.title = clean_line(content.title)
    if not content.title:
        errors.setdefault("title", []).append(_("Give it a title."))
    elif len(content.title) > 200:
        errors.setdefault("title", []).append(_("Keep the title under 200 characters."))
    content.tags = normalise_tags(content.tags)
    content.body = clean_multiline(content.body)
    total = len((content.body or "").encode())
    steps = [dict(step) for step in (content.steps or [])]
    faqs = [dict(pair) for pair in (content.faqs or [])]
    for item in steps + faqs:
        for key in ("title", "body", "question", "answer"):
            total += len(str(item.get(key, "")).encode())
    if total > rendering.MAX_SOURCE_BYTES:
        errors.setdefault("body", []).append(
            _("This content is %(size)s KB; the limit is %(limit)s KB. Split it into several articles.")
            % {"size": total // 1000, "limit": rendering.MAX_SOURCE_BYTES // 1000}
        )
    known = known_ids or set()
    if kind == Kind.GUIDE:
        steps = [s for s in steps if (s.get("title") or "").strip() or (s.get("body") or "").strip()]
        if not steps:
            errors.setdefault("steps", []).append(_("A guide needs at least one step."))
        if len(steps) > MAX_STEPS:
            errors.setdefault("steps", []).append(_("A guide has at most %(n)s steps.") % {"n": MAX_STEPS})
        for position, step in enumerate(steps, start=1):
            step["title"] = clean_line(step.get("title"), limit=200)
            step["body"] = clean_multiline(step.get("body"))
            if not step["title"]:
                errors.setdefault("steps", []).append(_("Step %(n)s needs a short title.") % {"n": position})
            if step.get("id") and step["id"] not in known:
                errors.setdefault("steps", []).append(
                    _("Step %(n)s does not belong to this guide. Reload the page and try again.") % {"n": position}
                )
            step["id"] = step.get("id") or _new_id()
        content.steps = [{"id": s["id"], "title": s["title"], "body": s["body"]} for s in steps]
    else:
        content.steps = []
    if kind == Kind.FAQ:
        faqs = [p for p in faqs if (p.get("question") or "").strip() or (p.get("answer") or "").strip()]
        if not faqs:
            errors.setdefault("faqs", []).append(_("A FAQ needs at least one question and answer."))
        if len(faqs) > MAX_FAQS:
            errors.setdefault("faqs", []).append(_("A FAQ has at most %(n)s questions.") % {"n": MAX_FAQS})
        for position, pair in enumerate(faqs, start=1):
            pair["question"] = clean_line(pair.get("question"), limit=300)
            pair["answer"] = clean_multiline(pair.get("answer"))
            alternatives = pair.get("alternatives") or []
            if isinstance(alternatives, str):
                alternatives = normalise_newlines(alternatives).split("\n")
            alternatives = [clean_line(a, limit=300) for a in alternatives]
            pair["alternatives"] = [a for a in alternatives if a][:20]
            if not pair["question"] or not pair["answer"].strip():
                errors.setdefault("faqs", []).append(
                    _("Question %(n)s needs both a question and an answer.") % {"n": position}
                )
            if pair.get("id") and pair["id"] not in known:
                errors.setdefault("faqs", []).append(
                    _("Question %(n)s does not belong to this FAQ. Reload the page and try again.") % {"n": position}
                )
            pair["id"] = pair.get("id") or _new_id()
        content.faqs = [
            {"id": p["id"], "question": p["question"], "alternatives": p["alternatives"], "answer": p["answer"]}
            for p in faqs
        ]
    else:
        content.faqs = []
    if kind == Kind.ARTICLE and not (content.body or "").strip() and "body" not in errors:
        errors.setdefault("body", []).append(_("Write the article's text."))
    if errors:
        raise ValidationError(errors)
    return content


def render_content(content: dict) -> dict:
    """Sanitised HTML for a revision, rendered once at save time. Hostile or pathological
    Markdown that cannot be rendered within the deadline is refused with a clear message."""
    try:
        return {
            "body": rendering.render_markdown(content.get("body") or ""),
            "steps": [rendering.render_markdown(step["body"]) for step in content.get("steps") or []],
            "faqs": [rendering.render_markdown(pair["answer"]) for pair in content.get("faqs") or []],
        }
    except rendering.RenderError as error:
        raise ValidationError({"body": [_(
            "This text could not be formatted (it is too long or too convoluted, for example thousands of "
            "unclosed brackets). Simplify it or split it, then save again. Nothing was saved."
        )]}) from error


def _known_ids(article: Article | None) -> set[str]:
    if article is None or article.latest_revision is None:
        return set()
    revision = article.latest_revision
    return {s["id"] for s in revision.steps} | {p["id"] for p in revision.faqs}


def unique_slug(model, text: str, *, fallback: str = "item", exclude_pk=None) -> str:
    """A slug for `text` (transliterated: "📦 Retours" gives `package-retours`), unique among
    `model`'s rows; `fallback` (the kind, "collection") when nothing readable is left."""
    base = slug_base(text, fallback=fallback)
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
