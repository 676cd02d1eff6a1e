"""django-tenants' PostgreSQL backend, without a `SET search_path` the connection does not need.

django-tenants forgets the connection's search path on every `set_tenant()`, and its tenant
middleware calls `set_schema_to_public()` then `set_tenant()` on every request: so every
request issues `SET search_path` even when the connection (persistent, `DB_CONN_MAX_AGE`)
already has that tenant's path from its previous request. This backend remembers the path the
*server* has, and skips the statement when the wanted path is that one.

What the server has is known for sure only after a `SET` that succeeded, so it is forgotten
whenever that may no longer hold: a new connection, `close()`, `rollback()` and
`savepoint_rollback()` (a `SET` inside a transaction that rolls back is undone), and
`forget_search_path()` after SQL that may change it on its own (the template clone).

It also gives every connection (web, workers, commands) its PostgreSQL settings,
`SESSION_OPTIONS`: a generic plan for prepared statements (only the search statements of small
workspaces are prepared, `search.engine.prepared`, and PL/pgSQL's cached ones: the project's
functions and triggers are single-row lookups or dynamic SQL) and no JIT compilation: a search
over a large workspace passes `jit_above_cost` and compiling cost more than it saved (at 100,000
articles, the p50 of a one-word search 21 → 18 ms with it off, the p95 of a seven-word one 154 →
125 ms). `KB_PG_SESSION_OPTIONS` replaces them.
"""

from __future__ import annotations

import os

from django_tenants.postgresql_backend import base
from django_tenants.utils import get_limit_set_calls

SESSION_OPTIONS = os.environ.get("KB_PG_SESSION_OPTIONS", "-c plan_cache_mode=force_generic_plan -c jit=off")


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        self.server_search_path = None
        super().__init__(*args, **kwargs)

    def forget_search_path(self) -> None:
        self.server_search_path = None
        self.search_path_set_schemas = None

    def _handle_search_path(self, cursor=None):
        if (not self._setting_search_path and not self.search_path_set_schemas and self.schema_name
                and self.server_search_path is not None and get_limit_set_calls()
                and self._get_cursor_search_paths() == self.server_search_path):
            self.search_path_set_schemas = self.server_search_path
            return
        super()._handle_search_path(cursor)
        self.server_search_path = self.search_path_set_schemas

    def get_connection_params(self):
        params = super().get_connection_params()
        params["options"] = f"{params.get('options', '')} {SESSION_OPTIONS}".strip()
        return params

    def connect(self):
        self.forget_search_path()
        super().connect()

    def close(self):
        self.server_search_path = None
        super().close()

    def rollback(self):
        self.server_search_path = None
        super().rollback()

    def savepoint_rollback(self, sid):
        try:
            super().savepoint_rollback(sid)
        finally:
            self.server_search_path = None
