"""Search indexing tasks. Thin: ids and the tenant in, `search.indexing` does the work."""

from __future__ import annotations

from tenants.tasking import enqueue, every_tenant, tenant_task

from . import indexing

# How many stale articles one reconciliation task indexes before it sends itself for the rest:
# a task must end well within the broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT, 30 s),
# or the broker hands it to a second worker meanwhile (README, "When Redis or a worker fails").
# 2,000 articles take about 4 s at the measured ~480 articles/s of one indexing process
# (`bench_search`), so a machine five times slower still fits.
RECONCILE_SHARE = 2000


@tenant_task(name="search.index_article")
def index_article_task(schema_name: str, article_id: int) -> None:
    """Enqueued after commit when an article is published; idempotent, retried on failure."""
    indexing.index_article(article_id)


@tenant_task(name="search.index_articles")
def index_articles_task(schema_name: str, article_ids: list[int]) -> int:
    """Bulk indexing (set-based, batches of 500): the benchmark, which calls it in-process."""
    return indexing.index_articles(article_ids)


@tenant_task(name="search.reconcile_tenant")
def reconcile_tenant_task(schema_name: str, after: int = 0) -> int:
    """Index the stale articles of the tenant whose id is greater than `after`, at most
    RECONCILE_SHARE of them, and send the task again for the next share if more are stale."""
    stale = [pk for pk in indexing.stale_article_ids() if pk > after]
    share = stale[:RECONCILE_SHARE]
    count = indexing.reconcile(share)
    if len(stale) > len(share):
        enqueue(reconcile_tenant_task, schema_name, share[-1])
    return count


# Beat, every 5 minutes, and each worker on (re)connecting to the broker (RECONCILE_ON_CONNECT):
# one reconciliation per client tenant.
reconcile_search_index = every_tenant(reconcile_tenant_task, name="search.reconcile_search_index")
