"""Who is told of a change: the followers of the article (directly, through a collection that
holds it at any depth, or through a provider team that follows such a collection), plus the
extra recipients other apps register (`notifications.recipients`), kept to those who may read
the article now.

`readers_among` answers "which of these people may read this article" for thousands of people
in a bounded number of queries (about ten, whatever their number), by the same rules as the
per-request access layer (`tenants.selectors.workspace_access` then
`permissions.selectors.visible_articles`): client staff of the tenant see every published
article, confidential included; provider people only while their provider's engagement is
active and (agents) they serve this client, through an active grant to them or to one of their
teams, on the article, or on a collection whose grant reaches it (inheritance stops at a
confidential collection or article: `permissions.grants.expand`). tests/test_notifications.py
checks the two agree on a matrix of grants, expiries, confidentiality, ended engagements and
team changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, Collection
from permissions.models import (
    ArticlePersonGrant,
    ArticleTeamGrant,
    CollectionPersonGrant,
    CollectionTeamGrant,
)
from tenants.models import (
    Client,
    Engagement,
    Membership,
    ProviderMembership,
    ProviderRole,
    ProviderTeam,
    User,
)

from .models import Follow


def collection_chain(collection_id: int) -> list[tuple[int, bool]]:
    """(id, confidential) from the collection up to its root."""
    tree = {pk: (parent, confidential) for pk, parent, confidential in
            Collection.objects.values_list("pk", "parent_id", "confidential")}
    chain, node, seen = [], collection_id, set()
    while node is not None and node in tree and node not in seen:
        seen.add(node)
        chain.append((node, tree[node][1]))
        node = tree[node][0]
    return chain


def opening_collections(article: Article, chain: list[tuple[int, bool]] | None = None) -> list[int]:
    """The collections a grant on which opens `article`: none for a confidential article (only
    a grant naming it opens it); else its collection, then up through its parents until and
    including the first confidential one (a grant above it does not reach below it)."""
    if article.confidential:
        return []
    opening = []
    for pk, confidential in chain if chain is not None else collection_chain(article.collection_id):
        opening.append(pk)
        if confidential:
            break
    return opening


def followers(article: Article, *, followed_by: datetime.datetime | None = None) -> set[int]:
    """Person ids following the article, one of the collections above it, or in a team that
    follows one of those collections (team membership as it is now); with `followed_by`, only
    the follows made by then (a fan-out run late tells who followed when the change was made).
    A team's follow counts from when the team followed: someone who joined the team since is
    told too, as a newcomer should learn of the team's recent changes."""
    collections = [pk for pk, _confidential in collection_chain(article.collection_id)]
    follows = Follow.objects.filter(Q(article_id=article.pk) | Q(collection_id__in=collections))
    if followed_by is not None:
        follows = follows.filter(created_at__lte=followed_by)
    people = set(follows.filter(person__isnull=False).values_list("person_id", flat=True))
    team_ids = list(follows.filter(team__isnull=False).values_list("team_id", flat=True))
    if team_ids:
        people.update(ProviderTeam.members.through.objects.filter(providerteam_id__in=team_ids)
                      .values_list("user_id", flat=True))
    return people


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def readers_among(article: Article, candidates: Iterable[int], *, client: Client | None = None) -> set[int]:
    """Those of `candidates` (person ids) who may read the published `article` now.

    The people are passed as one array parameter (`= ANY(%s)`), not as an IN list: ten
    thousand bound parameters cost PostgreSQL seconds to parse and plan."""
    ids = sorted({int(pk) for pk in candidates})
    if not ids or article.live_revision_id is None:
        return set()
    client = client or Client.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]
    user, membership = _table(User), _table(Membership)
    staff = {row[0] for row in _rows(
        f"SELECT m.user_id FROM {membership} m JOIN {user} u ON u.id = m.user_id"
        " WHERE m.client_id = %s AND u.is_active AND m.user_id = ANY(%s)", [client.pk, ids])}
    others = [pk for pk in ids if pk not in staff]
    if not others:
        return staff
    now = timezone.now()
    provider_membership, engagement = _table(ProviderMembership), _table(Engagement)
    serves = _table(ProviderMembership.clients.through)
    provider_of: dict[int, int] = {}
    for user_id, provider_id in _rows(
        f"SELECT pm.user_id, pm.provider_id FROM {provider_membership} pm JOIN {user} u ON u.id = pm.user_id"
        " WHERE pm.user_id = ANY(%s) AND u.is_active"
        f" AND EXISTS (SELECT 1 FROM {engagement} e WHERE e.provider_id = pm.provider_id AND e.client_id = %s"
        "              AND e.started_at <= %s AND (e.ended_at IS NULL OR e.ended_at > %s))"
        f" AND (pm.role = %s OR EXISTS (SELECT 1 FROM {serves} s WHERE s.providermembership_id = pm.id AND s.client_id = %s))"
        " ORDER BY pm.id",
        [others, client.pk, now, now, ProviderRole.LEAD, client.pk],
    ):
        provider_of.setdefault(user_id, provider_id)
    if not provider_of:
        return staff
    members, team = _table(ProviderTeam.members.through), _table(ProviderTeam)
    groups_of: dict[int, set[int]] = {}
    for user_id, group_id, provider_id in _rows(
        f"SELECT m.user_id, t.group_id, t.provider_id FROM {members} m JOIN {team} t ON t.id = m.providerteam_id"
        " WHERE m.user_id = ANY(%s)", [list(provider_of)],
    ):
        if provider_of.get(user_id) == provider_id:
            groups_of.setdefault(user_id, set()).add(group_id)
    opening = opening_collections(article)
    # Grants on the article and the collections that open it: few rows, read whole.
    person_grants = set(ArticlePersonGrant.objects.active(now).filter(content_object_id=article.pk)
                        .values_list("user_id", flat=True))
    team_grants = set(ArticleTeamGrant.objects.active(now).filter(content_object_id=article.pk).values_list("group_id", flat=True))
    if opening:
        person_grants.update(CollectionPersonGrant.objects.active(now).filter(content_object_id__in=opening)
                             .values_list("user_id", flat=True))
        team_grants.update(CollectionTeamGrant.objects.active(now).filter(content_object_id__in=opening)
                           .values_list("group_id", flat=True))
    providers = {user_id for user_id in provider_of
                 if user_id in person_grants or groups_of.get(user_id, set()) & team_grants}
    return staff | providers


# The bell's count in one statement: unread notifications of the person whose article they may
# still read, by the rules above (client staff: the article is published; provider people: an
# active grant on the article, or on a collection from its own up to the first confidential
# one, the article not being confidential). `workspace_access` (the tenant middleware) has
# already checked the engagement and computed the person's teams (`groups`).
UNREAD_FOR_PROVIDER_SQL = """
WITH RECURSIVE unread AS (
    SELECT n.id, a.id AS article_id, a.collection_id, a.confidential
    FROM notifications_notification n
    JOIN notifications_changeevent e ON e.id = n.event_id
    JOIN articles_article a ON a.id = e.article_id
    WHERE n.recipient_id = %(person)s AND n.read_at IS NULL AND a.live_revision_id IS NOT NULL
), opening AS (
    SELECT u.id AS nid, c.id AS cid, c.parent_id, c.confidential, 0 AS depth
    FROM unread u JOIN articles_collection c ON c.id = u.collection_id
    WHERE NOT u.confidential
    UNION ALL
    SELECT o.nid, p.id, p.parent_id, p.confidential, o.depth + 1
    FROM opening o JOIN articles_collection p ON p.id = o.parent_id
    WHERE NOT o.confidential AND o.depth < 100
)
SELECT count(*) FROM unread u WHERE
    EXISTS (SELECT 1 FROM permissions_articlepersongrant g WHERE g.content_object_id = u.article_id
            AND g.user_id = %(person)s AND (g.expires_at IS NULL OR g.expires_at > now()))
    OR EXISTS (SELECT 1 FROM permissions_articleteamgrant g WHERE g.content_object_id = u.article_id
            AND g.group_id = ANY(%(groups)s) AND (g.expires_at IS NULL OR g.expires_at > now()))
    OR EXISTS (SELECT 1 FROM opening o JOIN permissions_collectionpersongrant g ON g.content_object_id = o.cid
            WHERE o.nid = u.id AND g.user_id = %(person)s AND (g.expires_at IS NULL OR g.expires_at > now()))
    OR EXISTS (SELECT 1 FROM opening o JOIN permissions_collectionteamgrant g ON g.content_object_id = o.cid
            WHERE o.nid = u.id AND g.group_id = ANY(%(groups)s) AND (g.expires_at IS NULL OR g.expires_at > now()))
"""

UNREAD_FOR_STAFF_SQL = """
SELECT count(*) FROM notifications_notification n
JOIN notifications_changeevent e ON e.id = n.event_id
JOIN articles_article a ON a.id = e.article_id
WHERE n.recipient_id = %(person)s AND n.read_at IS NULL AND a.live_revision_id IS NOT NULL
"""


def unread_count(access) -> int:
    """Unread notifications `access` (a WorkspaceAccess) may still read: one statement."""
    sql = UNREAD_FOR_STAFF_SQL if access.is_client_staff else UNREAD_FOR_PROVIDER_SQL
    with connection.cursor() as cursor:
        cursor.execute(sql, {"person": access.user_id, "groups": list(access.team_group_ids)})
        return int(cursor.fetchone()[0])


def unread_count_correcting(access, counter_table: str) -> int:
    """`unread_count`, and the person's public counter for this workspace brought to it when it
    differs (a grant revoked, a team left), in one statement (one round trip): the count as a
    CTE, the correction as a data-modifying CTE beside it. An UPDATE that matches no row
    writes nothing."""
    count_sql = UNREAD_FOR_STAFF_SQL if access.is_client_staff else UNREAD_FOR_PROVIDER_SQL
    head, _, tail = count_sql.strip().rpartition("SELECT count(*) FROM unread u WHERE")
    if head:  # the provider query: its WITH RECURSIVE list takes the count and the correction
        sql = (f"{head.rstrip()}, counted AS (SELECT count(*) AS n FROM unread u WHERE {tail}),"
               f" corrected AS (UPDATE {counter_table} SET unread = (SELECT n FROM counted), updated_at = now()"
               " WHERE person_id = %(person)s AND client_id = %(client)s AND unread <> (SELECT n FROM counted)"
               " RETURNING 1) SELECT n FROM counted")
    else:
        sql = (f"WITH counted AS ({count_sql.strip().replace('SELECT count(*)', 'SELECT count(*) AS n', 1)}),"
               f" corrected AS (UPDATE {counter_table} SET unread = (SELECT n FROM counted), updated_at = now()"
               " WHERE person_id = %(person)s AND client_id = %(client)s AND unread <> (SELECT n FROM counted)"
               " RETURNING 1) SELECT n FROM counted")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"person": access.user_id, "groups": list(access.team_group_ids), "client": access.client.pk})
        return int(cursor.fetchone()[0])
