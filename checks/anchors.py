"""What a question is anchored to, as stable keys of a revision's content, and whether a newer
revision changed or removed it. Pure functions on `Revision.content()` dicts.

- `step:<id>`: a guide step, by the id a revision keeps for it across revisions (a reorder is
  not a change; a reworded title or body is);
- `faq:<id>`: a FAQ entry, by its id (question, alternatives and answer);
- `section:<slug>`: an article section, by its heading's slug (the reading page's anchor, from
  the same slugify as the table of contents); renaming a heading removes the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from markdown.extensions.toc import slugify_unicode

from articles.text import normalise_newlines

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Anchored:
    key: str
    label: str
    text: str  # what is compared between revisions
    fragment: str  # the reading page's #anchor


def sections(body: str) -> list[tuple[str, str, str]]:
    """(slug, heading, text) of each section of an article body (text before the first heading
    is not a section)."""
    found: list[tuple[str, str, list[str]]] = []
    in_code = False
    for line in normalise_newlines(body or "").split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match:
            heading = match.group(2).strip()
            found.append((slugify_unicode(heading, "-"), heading, []))
        elif found:
            found[-1][2].append(line)
    seen: set[str] = set()
    out = []
    for slug, heading, lines in found:
        if slug in seen:
            continue
        seen.add(slug)
        out.append((slug, heading, "\n".join(lines).strip()))
    return out


def anchorable(content: dict) -> list[Anchored]:
    """Everything of a revision a question may be anchored to, in reading order."""
    items = []
    for n, step in enumerate(content.get("steps") or [], start=1):
        items.append(Anchored(f"step:{step.get('id')}", _("Step %(n)s: %(title)s") % {"n": n, "title": step.get("title")},
                              f"{step.get('title', '')}\n{step.get('body', '')}", f"step-{n}"))
    for n, faq in enumerate(content.get("faqs") or [], start=1):
        text = "\n".join([faq.get("question", ""), *faq.get("alternatives", []), faq.get("answer", "")])
        items.append(Anchored(f"faq:{faq.get('id')}", _("FAQ: %(question)s") % {"question": faq.get("question")},
                              text, f"faq-{n}"))
    for slug, heading, text in sections(content.get("body") or ""):
        items.append(Anchored(f"section:{slug}", _("Section: %(heading)s") % {"heading": heading},
                              f"{heading}\n{text}", slug))
    return items


def by_key(content: dict) -> dict[str, Anchored]:
    return {item.key: item for item in anchorable(content)}


def _same(old: str, new: str) -> bool:
    return " ".join(old.split()) == " ".join(new.split())


def compare(old: dict, new: dict, keys) -> tuple[set[str], set[str]]:
    """Of `keys`, those whose content `new` changed and those it removed, since `old`."""
    before, after = by_key(old), by_key(new)
    changed, removed = set(), set()
    for key in keys:
        if key not in after:
            removed.add(key)
        elif key in before and not _same(before[key].text, after[key].text):
            changed.add(key)
    return changed, removed
