"""What changed between two revisions, as escaped HTML with <del>/<ins> marks.

Pure Python on `Revision.content()` dicts: no database, no models. Every piece of source
text is HTML-escaped before any markup is added, so `{{ section.html }}` renders as is.
Labels are plain (unsafe) strings that hold user text: the template escapes them.

Guide steps and FAQ entries are paired by their stable `id`, so a reorder shows as "moved"
rather than as a removal plus an addition.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .text import normalise_newlines

UNCHANGED = "unchanged"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"
MOVED = "moved"
STATUSES = (UNCHANGED, CHANGED, ADDED, REMOVED, MOVED)

# Words, whitespace runs, and single punctuation/symbol characters. `str` patterns are
# unicode aware, so "Énergie" is one word. Together the alternatives cover every character,
# so joining the tokens gives back the text exactly.
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Section:
    """One row of a revision comparison. `html` is escaped; `label` is plain text."""

    label: str
    status: str
    html: SafeString
    anchor: str = ""

    # Side by side: the old text (what was removed marked) and the new (what was inserted).
    # `html` holds no <ins>/<del> but ours (every source token is escaped), so dropping the
    # other side's marks leaves each version whole.
    @property
    def old_html(self) -> SafeString:
        return mark_safe(_INSERTED.sub("", self.html))  # noqa: S308 - markup removed from safe HTML

    @property
    def new_html(self) -> SafeString:
        return mark_safe(_REMOVED.sub("", self.html))  # noqa: S308 - markup removed from safe HTML


_INSERTED = re.compile(r"<ins>.*?</ins>", re.S)
_REMOVED = re.compile(r"<del>.*?</del>", re.S)
# Unchanged text longer than this many lines, inside a changed part, is folded away but for
# CONTEXT_LINES lines on each side of the change.
CONTEXT_LINES = 2


def tokenise(text: str) -> list[str]:
    """Split text into word, whitespace and punctuation tokens ("".join gives it back)."""
    return _TOKEN.findall(text)


def _escaped(tokens: Iterable[str]) -> str:
    return "".join(escape(token) for token in tokens)


def diff_text(old: str, new: str) -> SafeString:
    """Word-level diff of two texts: removed runs in <del>, inserted runs in <ins>.

    Whitespace (without a line break) that sits between two changes is folded into them,
    so "a b" -> "c d" reads `<del>a b</del><ins>c d</ins>` rather than four fragments.
    """
    a, b = tokenise(old or ""), tokenise(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()

    # (changed, old tokens, new tokens), merging adjacent changes.
    chunks: list[tuple[bool, list[str], list[str]]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        changed = tag != "equal"
        if (
            not changed
            and 0 < index < len(opcodes) - 1
            and all(token.isspace() and "\n" not in token for token in a[i1:i2])
        ):
            changed = True  # neighbours are changes: opcodes never put two "equal" side by side
        if changed and chunks and chunks[-1][0]:
            _, prev_old, prev_new = chunks.pop()
            chunks.append((True, prev_old + a[i1:i2], prev_new + b[j1:j2]))
        else:
            chunks.append((changed, a[i1:i2], b[j1:j2]))

    parts: list[str] = []
    for position, (changed, old_tokens, new_tokens) in enumerate(chunks):
        if not changed:
            parts.append(_folded(old_tokens, first=position == 0, last=position == len(chunks) - 1))
            continue
        if old_tokens:
            parts.append(f"<del>{_escaped(old_tokens)}</del>")
        if new_tokens:
            parts.append(f"<ins>{_escaped(new_tokens)}</ins>")
    # Safe: every token went through escape(); the only markup added is <del>/<ins>.
    return mark_safe("".join(parts))  # noqa: S308


def _folded(tokens: list[str], *, first: bool, last: bool) -> str:
    """Unchanged tokens, escaped; a long run keeps CONTEXT_LINES lines next to each change and
    folds the rest into a <details> that opens to show it."""
    text = "".join(tokens)
    lines = text.split("\n")
    keep_before = 0 if first else CONTEXT_LINES  # lines after the previous change
    keep_after = 0 if last else CONTEXT_LINES  # lines before the next change
    hidden = len(lines) - keep_before - keep_after
    if first and last or hidden <= CONTEXT_LINES:
        return escape(text)
    head, middle = lines[:keep_before], lines[keep_before:len(lines) - keep_after]
    tail = lines[len(lines) - keep_after:]
    summary = ngettext("%(n)s unchanged line", "%(n)s unchanged lines", len(middle)) % {"n": len(middle)}
    folded = format_html('<details class="diff-fold"><summary>{}</summary>{}</details>', summary, "\n".join(middle))
    return "\n".join([*(escape(line) for line in head), folded, *(escape(line) for line in tail)])


def _all_removed(old: str, _new: str) -> SafeString:
    """All of `old`, escaped, inside one <del>."""
    return format_html("<del>{}</del>", old) if old else SafeString("")


def _all_inserted(_old: str, new: str) -> SafeString:
    """All of `new`, escaped, inside one <ins>."""
    return format_html("<ins>{}</ins>", new) if new else SafeString("")


def _unchanged(_old: str, new: str) -> SafeString:
    return escape(new)


def _join(parts: Sequence[tuple[str, str]], render: Callable[[str, str], str]) -> SafeString:
    """Render (old, new) text pairs, skipping pairs empty on both sides; blank line between."""
    return format_html_join("\n\n", "{}", ((render(old, new),) for old, new in parts if old or new))


def _field(label: str, old: str, new: str) -> Section:
    return Section(label, UNCHANGED if old == new else CHANGED, diff_text(old, new))


def _text(value: Any) -> str:
    """Text to compare: line endings as LF, so that a revision stored with CRLF (typed in a
    browser before issue 10) shows no phantom change against the same text in LF."""
    return "" if value is None else normalise_newlines(str(value))


def _keyed(items: Sequence[dict] | None) -> list[tuple[Hashable, dict]]:
    """(key, item) pairs: the item's id, or its position when it has none or a duplicate."""
    keyed: list[tuple[Hashable, dict]] = []
    seen: set[Hashable] = set()
    for position, item in enumerate(items or []):
        key: Hashable = item.get("id")
        if key is None or not isinstance(key, Hashable) or key in seen:
            key = ("#position", position)
        seen.add(key)
        keyed.append((key, item))
    return keyed


def _moved_keys(old_order: list[Hashable], new_order: list[Hashable]) -> set[Hashable]:
    """Keys of paired items whose order relative to the other paired items changed.

    The longest run of items kept in the same relative order counts as not moved; so
    inserting or deleting an item does not mark everything after it as moved.
    """
    common = set(old_order) & set(new_order)
    old_common = [key for key in old_order if key in common]
    new_common = [key for key in new_order if key in common]
    matcher = difflib.SequenceMatcher(None, old_common, new_common, autojunk=False)
    in_order = {
        key for block in matcher.get_matching_blocks() for key in old_common[block.a : block.a + block.size]
    }
    return common - in_order


def _paired_sections(
    old_items: Sequence[dict] | None,
    new_items: Sequence[dict] | None,
    parts: Callable[[dict], tuple[str, ...]],
    label: Callable[[int, dict], str],
    anchor_prefix: str,
) -> list[Section]:
    """Sections for lists of steps or FAQs, paired by id, in the new order.

    Removed items are placed after the item that preceded them in the old list.
    `parts(item)` gives the item's (texts...) to compare; `label(n, item)` its label.
    """
    old_keyed, new_keyed = _keyed(old_items), _keyed(new_items)
    old_by_key = dict(old_keyed)
    new_keys = {key for key, _item in new_keyed}
    moved = _moved_keys([key for key, _ in old_keyed], [key for key, _ in new_keyed])

    removed_after: dict[Hashable, list[Section]] = {}  # None: before every kept item
    previous: Hashable = None
    for position, (key, item) in enumerate(old_keyed, 1):
        if key in new_keys:
            previous = key
            continue
        html = _join([(text, "") for text in parts(item)], _all_removed)
        removed_after.setdefault(previous, []).append(
            Section(label(position, item), REMOVED, html, f"{anchor_prefix}-{position}-removed")
        )

    sections = list(removed_after.get(None, []))
    for position, (key, item) in enumerate(new_keyed, 1):
        anchor = f"{anchor_prefix}-{position}"
        if key not in old_by_key:
            html = _join([("", text) for text in parts(item)], _all_inserted)
            sections.append(Section(label(position, item), ADDED, html, anchor))
        else:
            old_texts, new_texts = parts(old_by_key[key]), parts(item)
            if old_texts != new_texts:
                status, html = CHANGED, _join(list(zip(old_texts, new_texts, strict=True)), diff_text)
            else:
                status = MOVED if key in moved else UNCHANGED
                html = _join([(text, text) for text in new_texts], _unchanged)
            sections.append(Section(label(position, item), status, html, anchor))
        sections.extend(removed_after.get(key, []))
    return sections


def _step_parts(step: dict) -> tuple[str, str]:
    return _text(step.get("title")), _text(step.get("body"))


def _faq_parts(faq: dict) -> tuple[str, str, str]:
    alternatives = "\n".join(_text(alternative) for alternative in faq.get("alternatives") or [])
    return _text(faq.get("question")), alternatives, _text(faq.get("answer"))


def _step_label(n: int, step: dict) -> str:
    return _("Step %(n)s: %(title)s") % {"n": n, "title": _text(step.get("title"))}


def _faq_label(n: int, faq: dict) -> str:
    return _("Question %(n)s: %(question)s") % {"n": n, "question": _text(faq.get("question"))}


def diff_revisions(old: dict, new: dict, kind: str) -> list[Section]:
    """Compare two `Revision.content()` dicts of an article of `kind` (article, guide, faq)."""
    sections = [
        _field(_("Title"), _text(old.get("title")), _text(new.get("title"))),
        _field(
            _("Tags"),
            ", ".join(_text(tag) for tag in old.get("tags") or []),
            ", ".join(_text(tag) for tag in new.get("tags") or []),
        ),
        _field(_("Language"), _text(old.get("language")), _text(new.get("language"))),
    ]
    old_body, new_body = _text(old.get("body")), _text(new.get("body"))
    if old_body or new_body:
        sections.append(_field(_("Body"), old_body, new_body))
    if kind == "guide":
        sections += _paired_sections(old.get("steps"), new.get("steps"), _step_parts, _step_label, "step")
    elif kind == "faq":
        sections += _paired_sections(old.get("faqs"), new.get("faqs"), _faq_parts, _faq_label, "faq")
    return sections


def has_changes(sections: Iterable[Section]) -> bool:
    """Whether any section differs (a move counts as a change)."""
    return any(section.status != UNCHANGED for section in sections)
