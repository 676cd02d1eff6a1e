"""The engine's bounds and ranking constants (one place: the statement, the bench, the callers)."""

from __future__ import annotations

import os

from ..text import MARK_START, MARK_STOP

TITLE_POOL = 250  # permitted title matches considered (unordered bound)
CANDIDATES = 100  # best title matches that reach the full ranking
BODY_CANDIDATES = 50  # body-only matches that reach it (unranked before)
MATCH_POOL = 200  # permitted matches counted (bounded count) and drawn from for body-only hits
COUNT_CAP = 50
TYPO_MIN_LENGTH = 4  # as typed: a five-letter word missing a letter has four
TYPO_ANY_EDIT = 5  # shorter words only get a missing letter back (`chfs`), never another letter (`veut`, `came`)
TYPO_ALTERNATIVES = 3
TYPO_POOL = 5  # candidates checked against permitted documents, per word
TYPO_EDIT_MAX = 8  # words up to this length: one-edit candidates only; longer ones: trigrams too
TYPO_LENGTH_DELTA = 2  # a trigram candidate is at most this many edits (and letters) away
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"  # D, C, B, A
STALE_FACTOR = 0.7
HEADLINE = (
    f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxWords=28, MinWords=10, ShortWord=2, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)
HEADLINE_ALL = f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", HighlightAll=true'
CACHE_SECONDS = 60
# Search statements run prepared with a generic plan (search.engine.prepared): unset, in every
# workspace; N, in workspaces of up to N search documents (larger ones have them planned for
# their values); 0, in none (e.g. behind a pooler that cannot keep a prepared statement).
_PREPARE = os.environ.get("KB_SEARCH_PREPARE_UP_TO", "").strip()
PREPARE_UP_TO: int | None = int(_PREPARE) if _PREPARE else None
# What a caller (the lookup page, the API) accepts as input.
MAX_QUERY = 200
MAX_TAG = 60  # articles.Article.tags items
