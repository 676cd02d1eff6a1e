"""Settings of the served benchmarks (`make bench-keystroke`, `make bench-load`): the demo's
(`local`: DEBUG off, every middleware of production), plus, outermost, a header that says
how many SQL statements the request ran (`X-KB-Statements`, kbportal.bench_middleware)."""

from .local import *  # noqa: F403
from .local import MIDDLEWARE

MIDDLEWARE = ["kbportal.bench_middleware.StatementCountMiddleware", *MIDDLEWARE]
