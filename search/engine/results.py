"""What a search returns: `Hit` (one article, its highlights) and `SearchResults`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import KIND_URL_PREFIX, Kind

from ..text import MARK_START, MARK_STOP
from .limits import COUNT_CAP


@dataclass(frozen=True)
class Hit:
    article_id: int
    title: str
    slug: str
    kind: str
    collection_id: int
    collection_name: str
    language: str
    stale: bool
    best_bet: bool
    score: float
    title_marked: str  # with highlight markers; use title_html
    part_anchor: str  # "step-3", "faq-2", or "" when the match is not in one part
    part_title_marked: str
    snippet_marked: str
    missing: tuple[str, ...] = ()  # a partial match: the words typed that it does not hold

    @property
    def url(self) -> str:
        """The reading page, at the matching step or question."""
        url = reverse("articles:read", args=[KIND_URL_PREFIX[Kind(self.kind)], self.slug])
        return f"{url}#{self.part_anchor}" if self.part_anchor else url

    def url_from(self, log_id: int | None) -> str:
        """The reading page, saying which logged query it was opened from."""
        if not log_id:
            return self.url
        url = reverse("articles:read", args=[KIND_URL_PREFIX[Kind(self.kind)], self.slug]) + f"?from={int(log_id)}"
        return f"{url}#{self.part_anchor}" if self.part_anchor else url

    @property
    def title_html(self) -> SafeString:
        return _marked_html(self.title_marked)

    @property
    def part_title_html(self) -> SafeString:
        return _marked_html(self.part_title_marked)

    @property
    def snippet_html(self) -> SafeString:
        return _marked_html(self.snippet_marked)

    @property
    def snippet(self) -> str:
        return _unmarked(self.snippet_marked)


@dataclass
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # capped at COUNT_CAP + 1: see total_label
    corrected_query: str = ""  # set when typos were corrected to find these hits
    suggestions: list[str] = field(default_factory=list)  # "did you mean", when nothing was found
    partial: bool = False  # no hit holds every word: these hold most of them (Hit.missing)
    log_id: int | None = None
    sql: str = ""  # the final statement and its parameters (benchmarks, EXPLAIN)
    params: dict = field(default_factory=dict)

    @property
    def total_label(self) -> str:
        return f"{COUNT_CAP}+" if self.total > COUNT_CAP else str(self.total)

    @property
    def total_is_capped(self) -> bool:
        return self.total > COUNT_CAP


def _marked_html(text: str) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped first, then only our markers become <mark>
        escape(text or "").replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    )


def _unmarked(text: str) -> str:
    return (text or "").replace(MARK_START, "").replace(MARK_STOP, "")
