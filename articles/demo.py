"""Demo content for `make run`: realistic English (acme) and French (lumiere) collections,
articles, guides and FAQs, each with a history of several revisions."""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from tenants.models import Client, Membership, Role

from . import demo_screens, services
from .demo_content import acme_en, lumiere_fr
from .models import Article, Collection

CONTENT = {"acme": acme_en, "lumiere": lumiere_fr}


def _with_previous_ids(items: list[dict], previous: list[dict]) -> list[dict]:
    """Demo snapshots carry no ids: pair them by position with the previous revision's."""
    paired = []
    for index, item in enumerate(items):
        item = dict(item)
        if index < len(previous):
            item["id"] = previous[index]["id"]
        paired.append(item)
    return paired


def seed_tenant(client: Client, module) -> int:
    connection.set_tenant(client)
    try:
        editor_id = (
            Membership.objects.filter(client=client, role=Role.EDITOR).values_list("user_id", flat=True).first()
        )
        from tenants.models import User

        editor = User.objects.filter(pk=editor_id).first()
        collections: dict[str, Collection] = {}
        for spec in module.COLLECTIONS:
            collections[spec["slug"]] = Collection.objects.filter(slug=spec["slug"]).first() or services.collection_create(
                name=spec["name"],
                slug=spec["slug"],
                parent=collections.get(spec["parent"]) if spec["parent"] else None,
                description=spec["description"],
                confidential=spec["confidential"],
                review_interval_days=spec["review_interval_days"],
                acting_user=editor,
            )
        created = 0
        today = timezone.localdate()
        for item in module.ITEMS:
            if Article.objects.filter(slug=item["slug"]).exists():
                continue
            revisions = item["revisions"]
            first = revisions[0]
            article = services.article_create(
                kind=item["kind"],
                collection=collections[item["collection"]],
                slug=item["slug"],
                content=services.Content(
                    title=item["title"], language=item["language"], tags=item["tags"],
                    body=first["body"], steps=first["steps"], faqs=first["faqs"],
                ),
                review_by=today + datetime.timedelta(days=item["review_in_days"]),
                summary=first["summary"],
                acting_user=editor,
                publish=True,
            )
            for later in revisions[1:]:
                previous = article.latest_revision
                services.revision_create(
                    article=article,
                    expected_revision_id=previous.pk,
                    content=services.Content(
                        title=item["title"], language=item["language"], tags=item["tags"], body=later["body"],
                        steps=_with_previous_ids(later["steps"], previous.steps),
                        faqs=_with_previous_ids(later["faqs"], previous.faqs),
                    ),
                    summary=later["summary"],
                    acting_user=editor,
                    publish=True,
                )
                article.refresh_from_db()
            created += 1
        demo_screens.add_screenshots(client.schema_name, editor)  # drawn with Pillow, uploaded as an editor would
        return created
    finally:
        connection.set_schema_to_public()


def seed_content(stdout=None) -> None:
    for schema, module in CONTENT.items():
        client = Client.objects.filter(schema_name=schema).first()
        if client is None:
            continue
        created = seed_tenant(client, module)
        if stdout is not None:
            stdout.write(f"  {schema}: {created} articles, guides and FAQs with their revisions")
