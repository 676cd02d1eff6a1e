"""The lookup page's memory of one person: pinned procedures and recently opened ones.

Reads go through the permission layer every time (`visible_articles`), so a shortcut never
outlives the access that made it.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from articles.models import Article
from permissions.selectors import visible_articles
from tenants.selectors import WorkspaceAccess

from .models import PersonalShortcut

RECENT_KEPT = 20
SHOWN = 9  # one keystroke each: Alt+1 … Alt+9

Kind = PersonalShortcut.Kind


def _upsert(*, user_id: int, kind: str, article: Article) -> None:
    PersonalShortcut.objects.bulk_create(
        [PersonalShortcut(user_id=user_id, kind=kind, article=article, at=timezone.now())],
        update_conflicts=True, unique_fields=["user_id", "kind", "article"], update_fields=["at"],
    )


def opened(*, access: WorkspaceAccess, article: Article) -> None:
    """Remember that this person opened `article` (the reading page calls it). Two queries:
    the upsert, and trimming what is past the RECENT_KEPT most recent."""
    _upsert(user_id=access.user_id, kind=Kind.RECENT, article=article)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""DELETE FROM {PersonalShortcut._meta.db_table} WHERE user_id = %s AND kind = %s AND id NOT IN (
                  SELECT id FROM {PersonalShortcut._meta.db_table} WHERE user_id = %s AND kind = %s
                  ORDER BY at DESC LIMIT %s)""",
            [access.user_id, Kind.RECENT, access.user_id, Kind.RECENT, RECENT_KEPT],
        )


def pin(*, access: WorkspaceAccess, article: Article) -> None:
    _upsert(user_id=access.user_id, kind=Kind.PINNED, article=article)


def unpin(*, access: WorkspaceAccess, article: Article) -> None:
    PersonalShortcut.objects.filter(user_id=access.user_id, kind=Kind.PINNED, article=article).delete()


def is_pinned(*, access: WorkspaceAccess, article: Article) -> bool:
    return PersonalShortcut.objects.filter(user_id=access.user_id, kind=Kind.PINNED, article=article).exists()


def shortcuts(access: WorkspaceAccess) -> dict[str, list[Article]]:
    """{"pinned": [...], "recent": [...]}, each at most SHOWN, readable now, published, not
    archived; an article pinned is not repeated among the recent ones. One query."""
    rows = (
        PersonalShortcut.objects.filter(user_id=access.user_id)
        .filter(article__in=visible_articles(access).active().filter(live_revision__isnull=False))
        .select_related("article", "article__collection")
        .order_by("kind", "-at")
    )
    pinned: list[Article] = []
    recent: list[Article] = []
    for row in rows:
        (pinned if row.kind == Kind.PINNED else recent).append(row.article)
    pinned_ids = {a.pk for a in pinned}
    recent = [a for a in recent if a.pk not in pinned_ids]
    return {"pinned": pinned[:SHOWN], "recent": recent[: max(0, SHOWN - len(pinned[:SHOWN]))]}
