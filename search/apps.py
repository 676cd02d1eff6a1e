from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Tenant schemas are cloned from the template (django-tenants' clone copies column storage but
# not table options): restore what migration 0002 set, so that each new tenant's search rows
# stay compact too.
COMPACT_ROWS_SQL = 'ALTER TABLE "{schema}".search_searchdocument SET (toast_tuple_target = 128)'


def keep_search_rows_compact(sender, tenant, **kwargs) -> None:
    from django.db import connection

    schema = getattr(tenant, "schema_name", None) or tenant.get("schema_name")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = 'search_searchdocument'",
            [schema],
        )
        if not cursor.fetchone():
            return
        # Already set when the owner's clone copied the template's table options
        # (tenants.db_roles): the application's role, which owns no table, must not ALTER.
        cursor.execute(
            "SELECT c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relname = 'search_searchdocument'",
            [schema],
        )
        if "toast_tuple_target=128" not in (cursor.fetchone()[0] or []):
            cursor.execute(COMPACT_ROWS_SQL.format(schema=schema.replace('"', '""')))


def seed_starter_synonyms(sender, tenant, **kwargs) -> None:
    """A new workspace starts with the starter synonyms (editors change them like their own)."""
    from django.conf import settings
    from django.db import connection

    schema = getattr(tenant, "schema_name", None) or tenant.get("schema_name")
    if not settings.KB_STARTER_SYNONYMS or not schema or schema == "public":
        return
    try:
        connection.set_schema(schema, include_public=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('search_synonym') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return
            cursor.execute("SELECT EXISTS (SELECT 1 FROM search_synonym)")
            if cursor.fetchone()[0]:  # a clone of a template that has them, or a restored workspace
                return
        from .services import starter_synonyms_seed

        starter_synonyms_seed()
    finally:
        connection.set_schema_to_public()


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django_tenants.signals import post_schema_sync

        from articles import events

        from . import subscribers

        post_schema_sync.connect(keep_search_rows_compact, dispatch_uid="search-compact-rows")
        post_schema_sync.connect(seed_starter_synonyms, dispatch_uid="search-starter-synonyms")
        events.content_changed.connect(subscribers.reindex_changed_article, dispatch_uid="search-reindex")
        events.article_opened.connect(subscribers.remember_opened, dispatch_uid="search-remember-opened")
