"""What other apps tell notifications (readiness fills these; empty until it does).

- `register_acknowledged(fn)`: `fn(person_id, article_id)` returns the number of the revision
  the person last acknowledged, or None. A notification's diff starts at the later of that
  and the revision the person last read; a must-read notification of a revision the person
  has acknowledged (or a later one) is read, and is not mailed.
- `register_acknowledged_among(fn)`: `fn(article_id, number, person_ids)` returns those of
  `person_ids` who acknowledged revision `number` of the article or a later one (many at once:
  a fan-out batch delivers their must-read notification already read).
- `register_open_must_reads(fn)`: `fn(person_id)` returns the person's open must-reads in the
  current tenant, as dicts {"article_id", "revision_id", "deadline" (date or None)}: the
  digest puts them on top, the bell counts them as work waiting.

A hook that fails is logged and treated as empty.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

_acknowledged: list[Callable[[int, int], int | None]] = []
_open_must_reads: list[Callable[[int], list[dict]]] = []
_acknowledged_among: list[Callable[[int, int, list[int]], set[int]]] = []


def register_acknowledged(fn: Callable[[int, int], int | None]) -> Callable[[int, int], int | None]:
    if fn not in _acknowledged:
        _acknowledged.append(fn)
    return fn


def register_acknowledged_among(
        fn: Callable[[int, int, list[int]], set[int]]) -> Callable[[int, int, list[int]], set[int]]:
    if fn not in _acknowledged_among:
        _acknowledged_among.append(fn)
    return fn


def register_open_must_reads(fn: Callable[[int], list[dict]]) -> Callable[[int], list[dict]]:
    if fn not in _open_must_reads:
        _open_must_reads.append(fn)
    return fn


def last_acknowledged(person_id: int, article_id: int) -> int | None:
    numbers = []
    for fn in list(_acknowledged):
        try:
            number = fn(person_id, article_id)
        except Exception:
            log.exception("acknowledgement hook %r failed", fn)
            continue
        if number is not None:
            numbers.append(int(number))
    return max(numbers) if numbers else None


def open_must_reads(person_id: int) -> list[dict]:
    found: list[dict] = []
    for fn in list(_open_must_reads):
        try:
            found.extend(fn(person_id) or [])
        except Exception:
            log.exception("must-read hook %r failed", fn)
    return found


def acknowledged_among(article_id: int, number: int, person_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for fn in list(_acknowledged_among):
        try:
            found.update(int(pk) for pk in fn(article_id, number, list(person_ids)) or ())
        except Exception:
            log.exception("acknowledgement hook %r failed", fn)
    return found
