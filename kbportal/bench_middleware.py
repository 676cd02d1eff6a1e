"""Only in `kbportal.settings.bench`: counts the SQL statements each request runs (every one
through Django's connection, django-tenants' `SET search_path` and the session's included)."""

from __future__ import annotations

import os
import sys

from django.db import connection

# KB_BENCH_LOG_OVER=N: write the statements of any request that ran more than N to stderr.
LOG_OVER = int(os.environ.get("KB_BENCH_LOG_OVER", "0") or 0)


class StatementCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0
        seen: list[str] = []

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            if LOG_OVER:
                seen.append(" ".join(sql.split())[:160])
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-KB-Statements"] = str(count)
        if LOG_OVER and count > LOG_OVER:
            sys.stderr.write(f"{count} statements for {request.path}:\n  " + "\n  ".join(seen) + "\n")
        return response
