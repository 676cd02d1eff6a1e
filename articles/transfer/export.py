"""Export: collections and articles to a zip in the archive format."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Article, Collection
from .files import export_files
from .format import COLLECTION_FILE, FORMAT_VERSION, MANIFEST_NAME, render_article, render_collection


def _paths(collections: dict[int, Collection]) -> dict[int, tuple[str, ...]]:
    paths: dict[int, tuple[str, ...]] = {}
    for pk, collection in collections.items():
        chain: list[str] = []
        node: Collection | None = collection
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node.slug)
            node = collections.get(node.parent_id) if node.parent_id else None
        paths[pk] = tuple(reversed(chain))
    return paths


def _zip_write(archive: zipfile.ZipFile, name: str, text: str, stamp: datetime.datetime) -> None:
    info = zipfile.ZipInfo(name, date_time=(stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, text.encode("utf-8"))


def export_zip(collections: Iterable[Collection], articles: QuerySet[Article] | Iterable[Article]) -> bytes:
    """A zip of the given collections (with their ancestors, so that paths are whole) and
    articles (with their collections). Each article is exported at its live revision if it
    is published, else at its latest revision."""
    if isinstance(articles, QuerySet):
        articles = articles.select_related("collection", "live_revision", "latest_revision")
    chosen = [a for a in articles if (a.live_revision_id or a.latest_revision_id)]
    everything = {c.pk: c for c in Collection.objects.all()}
    wanted: dict[int, Collection] = {}

    def include(collection: Collection | None) -> None:
        while collection is not None and collection.pk not in wanted:
            wanted[collection.pk] = everything.get(collection.pk, collection)
            collection = everything.get(collection.parent_id) if collection.parent_id else None

    for collection in collections:
        include(collection)
    for article in chosen:
        include(article.collection)
    paths = _paths({**everything, **wanted})

    now = timezone.now()
    stamp = timezone.localtime(now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        manifest = {
            "format": FORMAT_VERSION,
            "exported_at": now.isoformat(),
            "articles": len(chosen),
            "collections": len(wanted),
        }
        revisions = [a.live_revision_id if a.live_revision_id else a.latest_revision_id for a in chosen]
        manifest["files"] = export_files(archive, [pk for pk in revisions if pk], stamp)
        _zip_write(archive, MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n", stamp)
        for pk in sorted(wanted, key=lambda pk: paths[pk]):
            _zip_write(archive, "/".join((*paths[pk], COLLECTION_FILE)), render_collection(wanted[pk]), stamp)
        for article in sorted(chosen, key=lambda a: (paths.get(a.collection_id, ()), a.slug)):
            revision = article.live_revision if article.live_revision_id else article.latest_revision
            assert revision is not None
            filename = f"{article.slug}.md" if f"{article.slug}.md" != COLLECTION_FILE else f"{article.slug}.article.md"
            folder = paths.get(article.collection_id) or (article.collection.slug,)
            _zip_write(archive, "/".join((*folder, filename)), render_article(article, revision), stamp)
    return buffer.getvalue()
