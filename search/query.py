"""From what an agent typed to a PostgreSQL tsquery expression.

Websearch syntax (`"exact phrase"`, `-exclude`, `or`), French elisions, the word being typed
matched as a prefix, synonyms OR-ed in, both languages' stemming (see the SQL helpers
`public.kb_words` and `kb_phrase` created by the first migration; its `kb_prefix`, a true
`stem:*` prefix match, proved too slow for short prefixes at 100k articles and is unused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .text import WORD_RE, strip_elisions, unaccent

TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MIN_PREFIX = 3
MAX_TERMS = 12
COMPLETIONS = 8
DERIVE_MIN = 5  # letters: shorter words get no derivations
DERIVE_SCAN = 200  # vocabulary words sharing the first DERIVE_MIN letters looked at
DERIVATIONS = 6


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # normalised: lower case, unaccented
    phrase: bool = False
    negated: bool = False
    prefix: bool = False
    or_before: bool = False
    alternatives: tuple[str, ...] = field(default=())  # synonyms, corrections

    @property
    def text(self) -> str:
        return " ".join(self.words)


def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD_RE.findall(unaccent(text).lower()))


def parse(query: str) -> list[Term]:
    text = strip_elisions(query or "")[:500]
    terms: list[Term] = []
    pending_or = False
    for match in TOKEN_RE.finditer(text):
        minus, quoted, token = match.groups()
        negated = bool(minus)
        if token is not None:
            negated = token.startswith("-") and len(token) > 1
            token = token[1:] if negated else token
            if token.lower() == "or" and not negated:
                pending_or = bool(terms)
                continue
            words = _words(token)
            phrase = len(words) > 1  # e-mail, a/b: the words side by side
        else:
            words, phrase = _words(quoted), True
        if not words:
            continue
        terms.append(Term(words=words, phrase=phrase, negated=negated, or_before=pending_or))
        pending_or = False
    terms = terms[:MAX_TERMS]
    if terms and not query[-1:].isspace() and not query.rstrip().endswith('"'):
        last = terms[-1]
        if not (last.phrase or last.negated):
            if len(last.words[0]) >= MIN_PREFIX:
                terms[-1] = replace(last, prefix=True)
            elif len(terms) > 1 and not last.or_before:
                terms.pop()  # one or two letters typed after other words: wait for more
    return terms


def prefix_range(prefix: str, params: dict, key: str) -> str:
    """` AND word ~>=~ … AND word ~<~ …`: the words starting with `prefix` as a range of the
    `search_term_prefix` index (varchar_pattern_ops: byte order, which UTF-8 keeps in code point
    order). The statement runs with a generic plan (search.engine.prepared),
    and a plan made without the value of `word LIKE $1` cannot use the index: it read the whole
    vocabulary (70–100 ms at 100k articles, when every workspace was tried prepared). The LIKE
    stays as the rule; the range only lets the index serve."""
    if not prefix or ord(prefix[-1]) >= 0x10FFFF:
        return ""
    following = ord(prefix[-1]) + 1
    following = 0xE000 if 0xD800 <= following < 0xE000 else following  # no surrogates in UTF-8
    params[key + "lo"], params[key + "hi"] = prefix, prefix[:-1] + chr(following)
    return f" AND word ~>=~ %({key}lo)s AND word ~<~ %({key}hi)s"


def _group(words: list[str]) -> str:
    """A websearch-syntax OR group: `word or other or two words`."""
    return " or ".join(dict.fromkeys(w for w in words if w))


def term_sql(term: Term, params: dict, key: str, *, corrected: int | None = None) -> str:
    """SQL for one term. `corrected=n`: also OR in the typo corrections that the statement's
    `corrections` CTE holds for term n."""
    alternatives = [" ".join(_words(a)) for a in term.alternatives]
    if term.phrase:
        params[key] = term.text
        sql = f"public.kb_phrase(%({key})s)"
        if alternatives:
            params[key + "a"] = _group(alternatives)
            sql = f"({sql} || public.kb_words(%({key}a)s))"
        return f"!!{sql}" if term.negated else sql
    params[key] = _group([term.text, *alternatives])
    words = f"%({key})s"
    if term.prefix:
        # The word being typed: itself, or one of its most frequent completions in the tenant's
        # vocabulary. A bounded list of words, never a `pre:*` scan over every lexeme of the
        # index (which costs hundreds of milliseconds for a 3-letter prefix at 100k articles).
        params[key + "p"] = term.text + "%"
        words += (
            " || coalesce((SELECT string_agg(' or ' || c.word, '') FROM ("
            f"SELECT word FROM search_searchterm WHERE word LIKE %({key}p)s{prefix_range(term.text, params, key + 'p')} "
            f"ORDER BY ndoc DESC LIMIT {COMPLETIONS}) AS c), '')"
        )
    # Its derivations in the tenant's vocabulary (fragile → fragilite, delivery → delivered):
    # a bounded scan of the words sharing its first letters, kept by `kb_derives`. Written for
    # every word, run for those of DERIVE_MIN letters or more (a parameter the plan gates on):
    # the statement's text depends on how many words there are, not on their lengths, so a
    # prepared statement serves every query of that many words (a pasted title was a new
    # statement to plan, as long to plan as to run on a small workspace).
    params[key + "do"] = len(term.words) == 1 and len(term.text) >= DERIVE_MIN and term.text.isalpha()
    params[key + "d"], params[key + "s"] = term.text[:DERIVE_MIN] + "%", term.text
    words += (
        " || coalesce((SELECT string_agg(' or ' || v.word, '') FROM (SELECT word FROM ("
        f"SELECT word, ndoc FROM search_searchterm WHERE %({key}do)s AND word LIKE %({key}d)s"
        f"{prefix_range(term.text[:DERIVE_MIN], params, key + 'd')} LIMIT {DERIVE_SCAN}) AS s "
        f"WHERE word <> %({key}s)s AND public.kb_derives(%({key}s)s, word) "
        f"ORDER BY ndoc DESC LIMIT {DERIVATIONS}) AS v), '')"
    )
    if corrected is not None:
        # The best correction only, with its derivations: the query searched is the query
        # shown ("Showing results for").
        words += (" || coalesce((SELECT string_agg(' or ' || c.word, '') FROM corrections c "
                  f"WHERE c.n = {int(corrected)} AND c.rank = 1), '')")
        words += (
            " || coalesce((SELECT string_agg(' or ' || v.word, '') FROM corrections c CROSS JOIN LATERAL ("
            "SELECT word FROM (SELECT word, ndoc FROM search_searchterm "
            f"WHERE word LIKE left(c.word, {DERIVE_MIN}) || '%%' LIMIT {DERIVE_SCAN}) AS s "
            "WHERE word <> c.word AND public.kb_derives(c.word, word) "
            f"ORDER BY ndoc DESC LIMIT {DERIVATIONS}) AS v WHERE c.n = {int(corrected)} AND c.rank = 1 "
            f"AND length(c.word) >= {DERIVE_MIN}), '')"
            # and its synonyms, as if it had been typed
            " || coalesce((SELECT string_agg(' or ' || o.word, '') FROM corrections c "
            "JOIN search_synonym s ON s.term = c.word OR c.word = ANY(s.synonyms) "
            "CROSS JOIN LATERAL unnest(ARRAY[s.term]::text[] || s.synonyms::text[]) AS o(word) "
            f"WHERE c.n = {int(corrected)} AND c.rank = 1 AND o.word <> c.word), '')"
        )
    sql = f"public.kb_words({words})"
    if term.prefix:
        # A stop word as typed ("some", "les") stays a stop word: completing it would require
        # "someone" of every document.
        params[key + "w"] = term.text
        sql = f"(CASE WHEN numnode(public.kb_words(%({key}w)s)) = 0 THEN ''::tsquery ELSE {sql} END)"
    return f"!!{sql}" if term.negated else sql


def typo_candidates(terms: list[Term], min_length: int) -> list[int]:
    """Indexes of the terms a typo correction may apply to. A term with synonyms is never
    corrected: the editors said what it means, and that wins over a guess."""
    return [
        n for n, t in enumerate(terms)
        if not (t.negated or t.phrase or t.alternatives) and len(t.text) >= min_length and t.text.isalpha()
    ]


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def edits(word: str, *, insertions_only: bool = False) -> set[str]:
    """Every word one edit away (deletion, transposition, substitution, insertion); with
    `insertions_only`, only the words with one more letter (a letter the typist missed)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    if insertions_only:
        return {a + c + b for a, b in splits for c in LETTERS}
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    out |= {a + c + b for a, b in splits for c in LETTERS}
    return out


def positive_terms_sql(terms: list[Term], params: dict) -> tuple[list[tuple[int, str]], list[str]]:
    """([(n, sql)] of the positive terms, [sql] of the excluded ones): the pieces a partial
    match scores one by one."""
    positive, negated = [], []
    for n, term in enumerate(terms):
        if term.negated:
            negated.append(term_sql(replace(term, negated=False), params, f"t{n}"))
        else:
            positive.append((n, term_sql(term, params, f"t{n}")))
    return positive, negated


def tsquery_sql(terms: list[Term], params: dict, *, corrected: tuple[int, ...] = ()) -> tuple[str, str, str]:
    """(match, any, columns): the query the documents must match (AND, with `or` groups and
    exclusions), the OR of every positive term (for ranking and picking the part), both over
    the one-row `tq` whose `columns` compute each term's tsquery once (its completions and
    derivations are subqueries: written into both, they ran twice)."""
    groups: list[list[str]] = [[]]
    positive: list[str] = []
    columns: list[str] = []
    for n, term in enumerate(terms):
        sql = term_sql(replace(term, negated=False), params, f"t{n}", corrected=n if n in corrected else None)
        columns.append(f"{sql} AS t{n}")
        if term.or_before:
            groups.append([])
        groups[-1].append(f"!!tq.t{n}" if term.negated else f"tq.t{n}")
        if not term.negated:
            positive.append(f"tq.t{n}")
    match = " || ".join("(" + " && ".join(g) + ")" for g in groups if g)
    return match, " || ".join(positive), ", ".join(columns)


def exact_words(terms: list[Term]) -> list[str]:
    """The positive words as typed (unaccented): documents holding them exactly rank higher."""
    return list(dict.fromkeys(w for t in terms if not t.negated for w in t.words if w.isalnum()))


def has_positive(terms: list[Term]) -> bool:
    return any(not t.negated for t in terms)
