"""The search engine: `search(access, query, ...)`.

Shape of one search, in one SQL statement:
1. the person's permitted articles, `permissions.selectors.visible_articles(access)`, as a
   subquery every other step is filtered by (counts, best bets, suggestions included);
2. candidates, bounded: documents whose compact `title_vector` (title, step titles, questions,
   tags) matches, ranked on that small inline vector, at most CANDIDATES; plus at most
   CANDIDATES body-only matches, unranked. A common word matching half the corpus therefore
   never ranks half the corpus;
3. the full ranking on those candidates only (full vector, exact forms over stems, stale
   content lowered), best bets first;
4. per hit, the best matching guide step or FAQ answer and its highlight, computed on that
   small text only; a bounded count ("50+"); the query logged for the content-gap report.
A query without hit is retried once, in one more statement, with typo corrections (words of the
tenant vocabulary one edit away or close by trigrams) kept only when they occur in a document
the person may see, for the words typed that are no words of this workspace (the first
statement says which: sql.KNOWN_SQL; when every word is one, there is no retry); if that finds nothing either, the corrected query is offered as "did you
mean".
"""

from .caches import clear_caches, synonyms, team_label
from .core import explain, search
from .limits import (
    BODY_CANDIDATES,
    CACHE_SECONDS,
    CANDIDATES,
    COUNT_CAP,
    MATCH_POOL,
    MAX_QUERY,
    MAX_TAG,
    TITLE_POOL,
    TYPO_MIN_LENGTH,
)
from .results import Hit, SearchResults

__all__ = [
    "BODY_CANDIDATES", "CACHE_SECONDS", "CANDIDATES", "COUNT_CAP", "MATCH_POOL", "MAX_QUERY", "MAX_TAG",
    "TITLE_POOL", "TYPO_MIN_LENGTH", "Hit", "SearchResults", "clear_caches", "explain", "search",
    "synonyms", "team_label",
]
