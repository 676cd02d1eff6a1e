"""Reads about content that the caller has already resolved through the access layer
(permissions.selectors): what accepting a suggestion would publish, and whether it is stale."""

from __future__ import annotations

from .models import Article, Revision, Suggestion

CONTENT_FIELDS = ("title", "language", "tags", "body")


def revision_item_ids(revision: Revision | None) -> set[str]:
    if revision is None:
        return set()
    return {s["id"] for s in revision.steps} | {p["id"] for p in revision.faqs}


def merge_items(base: list[dict], current: list[dict], proposed: list[dict]) -> list[dict]:
    """Steps (or questions) of `current` with the contributor's edits, additions and removals
    (relative to `base`) applied; items the contributor left alone keep their current text."""
    base_by_id = {item.get("id"): item for item in base}
    proposed_ids = {item.get("id") for item in proposed}
    removed = {pk for pk in base_by_id if pk not in proposed_ids}
    result = [dict(item) for item in current if item.get("id") not in removed]
    previous = None
    for item in proposed:
        pk = item.get("id")
        if pk in base_by_id and item == base_by_id[pk]:
            previous = pk
            continue
        ids = [row.get("id") for row in result]
        if pk in ids:
            result[ids.index(pk)] = dict(item)
        elif previous is None:
            result.insert(0, dict(item))
        elif previous in ids:
            result.insert(ids.index(previous) + 1, dict(item))
        else:
            result.append(dict(item))
        previous = pk
    return result


def proposed_content(suggestion: Suggestion, article: Article | None = None) -> dict:
    """What accepting `suggestion` as it is would publish (a `Revision.content()` dict)."""
    proposed = suggestion.content()
    article = article or suggestion.article
    if article is None:
        return proposed
    current = article.live_revision or article.latest_revision
    base = suggestion.base_revision
    if current is None or base is None or base.pk == current.pk:
        return proposed
    old, now = base.content(), current.content()
    merged = {field: proposed[field] if proposed[field] != old[field] else now[field] for field in CONTENT_FIELDS}
    merged["steps"] = merge_items(old["steps"], now["steps"], proposed["steps"])
    merged["faqs"] = merge_items(old["faqs"], now["faqs"], proposed["faqs"])
    return merged


def is_stale(suggestion: Suggestion) -> bool:
    """Whether the article was published again since the contributor made the suggestion."""
    article = suggestion.article
    return article is not None and suggestion.base_revision_id != article.live_revision_id
