"""`manage.py bench_search`: reusable bench tenants, indexing speed, query latency, relevance.

One tenant per size (`bench_50`, `bench_1000`, …: most real tenants are small, and a small
tenant's plans are not the large one's). The corpus follows real French and English word
frequencies (wordfreq). Each is built once with bulk inserts (not one service call per article)
and reused: run again with a larger size to grow it.
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
import unicodedata
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, Collection, Kind, Revision

SIZES = (50, 1000, 10_000, 100_000)
COLLECTIONS = 60
SEED = 20261127
CONTENT_RANKS = (40, 20000)  # skip the most frequent (mostly stop words)
SYNONYM_RANKS = (24000, 26000)  # rare words the corpus never uses: configured as synonyms
N_SYNONYMS = 300


def _weighted_words(language: str, ranks: tuple[int, int]) -> tuple[list[str], list[float]]:
    from wordfreq import top_n_list, word_frequency

    words = [w for w in top_n_list(language, ranks[1])[ranks[0]:] if w.isalpha() and len(w) > 1]
    cumulative = list(itertools.accumulate(word_frequency(w, language) for w in words))
    return words, cumulative


@dataclass
class Vocabulary:
    words: list[str]
    cumulative: list[float]
    stop: list[str]

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)

    def sentence(self, rng: random.Random, low: int, high: int) -> str:
        words = self.sample(rng, rng.randint(low, high))
        # Sprinkle the stop words real sentences carry.
        for _ in range(len(words) // 4):
            words.insert(rng.randrange(len(words) + 1), rng.choice(self.stop))
        text = " ".join(words)
        return text[:1].upper() + text[1:]


def vocabularies() -> dict[str, Vocabulary]:
    from wordfreq import top_n_list

    out = {}
    for language in ("fr", "en"):
        words, cumulative = _weighted_words(language, CONTENT_RANKS)
        stop = [w for w in top_n_list(language, 40) if w.isalpha()]
        out[language] = Vocabulary(words, cumulative, stop)
    return out


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _article(rng: random.Random, vocab: Vocabulary, kind: str) -> dict:
    title = vocab.sentence(rng, 3, 7)
    steps, faqs, body, rendered = [], [], "", {"body": "", "steps": [], "faqs": []}
    if kind == Kind.ARTICLE:
        paragraphs = [vocab.sentence(rng, 30, 60) + "." for _ in range(rng.randint(3, 5))]
        body = "\n\n".join(paragraphs)
        rendered["body"] = _html(paragraphs)
    elif kind == Kind.GUIDE:
        intro = vocab.sentence(rng, 15, 30) + "."
        body, rendered["body"] = intro, _html([intro])
        for n in range(rng.randint(3, 7)):
            text = vocab.sentence(rng, 15, 40) + "."
            steps.append({"id": f"s{n}", "title": vocab.sentence(rng, 3, 6), "body": text})
            rendered["steps"].append(_html([text]))
    else:
        for n in range(rng.randint(3, 6)):
            answer = vocab.sentence(rng, 15, 40) + "."
            faqs.append({
                "id": f"q{n}", "question": vocab.sentence(rng, 4, 9) + " ?",
                "alternatives": [vocab.sentence(rng, 4, 8) + " ?" for _ in range(rng.randint(0, 2))],
                "answer": answer,
            })
            rendered["faqs"].append(_html([answer]))
    tags = list(dict.fromkeys(w.lower() for w in vocab.sample(rng, rng.randint(0, 3))))
    return {"title": title[:200], "body": body, "steps": steps, "faqs": faqs, "rendered": rendered, "tags": tags}


def schema_for(articles: int) -> str:
    """The bench tenant of one size: `bench_1000` (its host: `bench-1000.<base domain>`)."""
    return f"bench_{articles}"


def host_for(schema: str) -> str:
    from django.conf import settings

    return f"{schema.replace('_', '-')}.{settings.KB_BASE_DOMAIN}"  # no "_" in a host name


def ensure_tenant(schema: str):
    from tenants import services
    from tenants.models import Client

    client = Client.objects.filter(schema_name=schema).first()
    if client is None:
        client = services.client_create(schema_name=schema, name=f"Bench Corp {schema.removeprefix('bench_')}",
                                        domain=host_for(schema))
    return client


def ensure_collections(rng: random.Random, vocab: dict[str, Vocabulary]) -> list[Collection]:
    existing = list(Collection.objects.order_by("pk"))
    if len(existing) >= COLLECTIONS:
        return existing
    made = []
    for n in range(len(existing), COLLECTIONS):
        name = vocab["fr" if n % 2 else "en"].sentence(rng, 1, 3)
        made.append(Collection(
            name=name[:200], slug=f"c{n}", position=n, confidential=(n % 10 == 9),
            review_interval_days=180,
        ))
    Collection.objects.bulk_create(made)
    return list(Collection.objects.order_by("pk"))


def build_corpus(target: int, *, out=print) -> int:
    """Grow the current (bench) tenant to `target` published articles. Returns how many were added."""
    have = Article.objects.count()
    if have >= target:
        return 0
    rng = random.Random(SEED + have)
    vocab = vocabularies()
    collections = ensure_collections(rng, vocab)
    today = timezone.localdate()
    now = timezone.now()
    kinds = [Kind.ARTICLE] * 4 + [Kind.GUIDE] * 3 + [Kind.FAQ] * 3
    started = time.perf_counter()
    batch = 2000
    for start in range(have, target, batch):
        count = min(batch, target - start)
        contents, articles = [], []
        for n in range(start, start + count):
            language = "fr" if n % 2 else "en"
            kind = kinds[n % len(kinds)]
            content = _article(rng, vocab[language], kind)
            content["language"] = language
            contents.append(content)
            articles.append(Article(
                kind=kind, collection=collections[rng.randrange(len(collections))], slug=f"a{n}",
                title=content["title"], language=language, tags=content["tags"],
                confidential=(rng.random() < 0.01),
                review_by=today + datetime.timedelta(days=rng.randint(-60, 300)),
                has_unpublished_changes=False, first_published_at=now, last_published_at=now,
            ))
        with transaction.atomic():
            Article.objects.bulk_create(articles)
            Revision.objects.bulk_create([
                Revision(
                    article=article, number=1, title=c["title"], language=c["language"], tags=c["tags"],
                    body=c["body"], steps=c["steps"], faqs=c["faqs"], rendered=c["rendered"],
                    sanitiser_version="bench", summary="bench",
                )
                for article, c in zip(articles, contents, strict=True)
            ])
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE articles_article a SET live_revision_id = r.id, latest_revision_id = r.id "
                    "FROM articles_revision r WHERE r.article_id = a.id AND a.id = ANY(%s)",
                    [[a.pk for a in articles]],
                )
        done = start + count
        rate = (done - have) / (time.perf_counter() - started)
        out(f"\rbuilding corpus {done}/{target} ({rate:.0f} articles/s)", end="")
    out("")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article; ANALYZE articles_revision")
    return target - have


def index_complete() -> bool:
    """Every published article of the current (bench) tenant has its search document."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM articles_article WHERE live_revision_id IS NOT NULL), "
                       "(SELECT count(*) FROM search_searchdocument)")
        published, indexed = cursor.fetchone()
    return published == indexed


def ensure_synonyms() -> list[tuple[str, str]]:
    """(corpus word, its configured synonym that the corpus never uses)."""
    from .models import Synonym
    from .text import normalise

    pairs = []
    for language in ("fr", "en"):
        common, _ = _weighted_words(language, (300, 3000))
        rare, _ = _weighted_words(language, SYNONYM_RANKS)
        rng = random.Random(SEED + len(language))
        picked = rng.sample([w for w in common if len(w) >= 4], N_SYNONYMS // 2)
        rare = [w for w in rare if len(w) >= 4]
        for word, synonym in zip(picked, rng.sample(rare, len(picked)), strict=True):
            pairs.append((normalise(word), normalise(synonym)))
    existing = set(Synonym.objects.values_list("term", flat=True))
    Synonym.objects.bulk_create([Synonym(term=w, synonyms=[s]) for w, s in pairs if w not in existing],
                                ignore_conflicts=True)
    return pairs


# --- the person searching --------------------------------------------------------------------

def bench_access(client):
    """The provider agent the queries run as: a team granted read on ~60% of the collections
    (confidential collections excluded by the grant rules). Switch here to measure another role."""
    from permissions.models import Level
    from permissions.services import grant_give
    from tenants import services
    from tenants.models import ProviderOrganisation, ProviderRole, ProviderTeam, Role, User
    from tenants.selectors import workspace_access

    def person(email):
        user = User.objects.filter(email=email).first()
        return user or User.objects.create_user(email, None, full_name=email.split("@")[0])

    connection.set_schema_to_public()
    admin = person("admin@bench.test")
    services.membership_set(user=admin, client=client, role=Role.ADMIN)
    provider, _ = ProviderOrganisation.objects.get_or_create(name="Bench Contact", defaults={"country": "France"})
    services.engagement_start(provider=provider, client=client)
    agent = person("agent@bench.test")
    services.provider_member_add(user=agent, provider=provider, role=ProviderRole.AGENT).clients.add(client)
    team = ProviderTeam.objects.filter(provider=provider, name="Level 1").first() or services.team_create(
        provider=provider, name="Level 1")
    team.members.add(agent)
    connection.set_tenant(client)
    from permissions.grants import provider_collections

    granted_before = set(provider_collections(workspace_access(agent, client)).values_list("pk", flat=True))
    for n, collection in enumerate(Collection.objects.order_by("pk")):
        if n % 5 < 3 and collection.pk not in granted_before:
            grant_give(target=collection, level=Level.READ, acting_user=admin, team=team)
    connection.set_schema_to_public()
    access = workspace_access(agent, client)
    connection.set_tenant(client)
    return access


# --- queries ---------------------------------------------------------------------------------

def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + word[i + 1:]  # deletion
    if op == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # transposition
    return word[:i] + rng.choice("aeioulnrst") + word[i + 1:]  # substitution


def sample_texts(access, n: int, rng: random.Random) -> list[dict]:
    """Titles, step titles and questions of articles the agent may see, with their article."""
    from permissions.selectors import visible_articles

    ids = list(visible_articles(access).order_by().values_list("pk", flat=True))
    picked = rng.sample(ids, min(n, len(ids)))
    out = []
    for article in Article.objects.filter(pk__in=picked).select_related("live_revision").order_by("pk"):
        revision = article.live_revision
        texts = [revision.title]
        texts += [s["title"] for s in revision.steps] + [p["question"] for p in revision.faqs]
        out.append({"id": article.pk, "title": revision.title, "texts": texts, "language": revision.language})
    rng.shuffle(out)
    return out


def query_mix(access, rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(class, query): the mix an agent types. Typos are their own class (`typo`), measured apart."""
    vocab = vocabularies()
    samples = sample_texts(access, count, rng)
    queries = []
    for n in range(count):
        language = "fr" if n % 2 else "en"
        v = vocab[language]
        sample = samples[n % len(samples)]
        words = [w for w in sample["title"].lower().split() if w.isalpha() and w not in v.stop]
        words = words or v.sample(rng, 2)
        kind = n % 10
        if kind in (0, 1):  # one common word: matches a large part of the corpus
            queries.append(("common", rng.choice(v.words[:150])))
        elif kind == 2:  # a rare word
            queries.append(("rare", rng.choice(v.words[8000:])))
        elif kind in (3, 4):  # two words of a title
            queries.append(("two_words", " ".join(rng.sample(words, min(2, len(words))))))
        elif kind == 5:  # three words, two common and one of a title
            queries.append(("three_words", " ".join([*rng.sample(v.words[:400], 2), rng.choice(words)])))
        elif kind == 6:  # as typed: the last word cut short
            head = words[: rng.randint(1, max(1, len(words) - 1))]
            last = head[-1]
            queries.append(("prefix", " ".join([*head[:-1], last[: max(3, len(last) - rng.randint(1, 3))]])))
        elif kind == 7:  # a typo in a word of five letters or more
            long = [w for w in words if len(w) >= 5] or [w for w in v.words[:2000] if len(w) >= 6][:50]
            queries.append(("typo", typo(rng, rng.choice(long))))
        elif kind == 8:  # accent-less form
            accented = [w for w in v.words[:3000] if strip_accents(w) != w]
            queries.append(("accents", strip_accents(rng.choice(accented or words))))
        else:  # a whole title, as an agent pastes it
            queries.append(("title", sample["title"]))
    return queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def labelled_set(access, rng: random.Random, count: int, pairs: list[tuple[str, str]]) -> list[tuple[str, int, str]]:
    """(query, expected article id, perturbation) from titles / steps / questions."""
    from .text import normalise

    synonyms = dict(pairs)
    samples = sample_texts(access, count * 3, rng)
    out: list[tuple[str, int, str]] = []
    perturbations = ["accents", "typo", "synonym", "order"]
    for n, sample in enumerate(samples):
        if len(out) >= count:
            break
        how = perturbations[n % 4]
        text = rng.choice(sample["texts"]).rstrip(" ?.")
        words = text.split()
        if how == "accents":
            query = strip_accents(text)
        elif how == "typo":
            long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
            if not long:
                continue
            i = rng.choice(long)
            words[i] = typo(rng, words[i])
            query = " ".join(words)
        elif how == "synonym":
            hits = [i for i, w in enumerate(words) if normalise(w) in synonyms]
            if not hits:
                # Few texts hold a configured word: fall back to another sample's title.
                continue
            i = rng.choice(hits)
            words[i] = synonyms[normalise(words[i])]
            query = " ".join(words)
        else:
            rng.shuffle(words)
            query = " ".join(words)
        out.append((query, sample["id"], how))
    return out


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, (time.perf_counter() - started) * 1000
