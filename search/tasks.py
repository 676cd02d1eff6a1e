"""Search indexing tasks. Thin: ids and the tenant in, `search.indexing` does the work."""

from __future__ import annotations

from celery import shared_task

from kbportal.tasking import RETRY_OPTIONS, tenant_task

from . import indexing


@tenant_task(name="search.index_article")
def index_article_task(schema_name: str, article_id: int) -> None:
    """Enqueued after commit when an article is published; idempotent, retried on failure."""
    indexing.index_article(article_id)


@tenant_task(name="search.index_articles")
def index_articles_task(schema_name: str, article_ids: list[int]) -> int:
    """Bulk indexing (set-based, batches of 500): `manage.py reindex` and the benchmark."""
    return indexing.index_articles(article_ids)


@tenant_task(name="search.reconcile_tenant")
def reconcile_tenant_task(schema_name: str) -> int:
    return indexing.reconcile()


@shared_task(name="search.reconcile_search_index", **{k: v for k, v in RETRY_OPTIONS.items() if k != "throws"})
def reconcile_search_index() -> list[str]:
    """Beat, every 5 minutes: one reconciliation task per tenant, each with its schema named."""
    from django_tenants.utils import get_public_schema_name, get_tenant_model

    schemas = list(
        get_tenant_model().objects.exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True)
    )
    for schema_name in schemas:
        reconcile_tenant_task.delay(schema_name)
    return schemas
