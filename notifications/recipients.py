"""Extra recipients of a change, beside its followers.

Another app (readiness: the people who must read a must-read revision) registers a provider:
`notifications.recipients.register(fn)`, where `fn(event)` receives the
`articles.events.ContentEvent` of the change and returns person ids. The fan-out unions them
with the followers, then keeps only those who may read the article (the permission layer
decides, at fan-out time and again when a notification is shown or mailed).

A provider that fails is logged and skipped: the followers are still told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from articles.events import ContentEvent

log = logging.getLogger(__name__)

Provider = Callable[[ContentEvent], Iterable[int]]

_providers: list[Provider] = []


def register(fn: Provider) -> Provider:
    """Add `fn` to the providers of extra recipients (idempotent; usable as a decorator)."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def unregister(fn: Provider) -> None:
    if fn in _providers:
        _providers.remove(fn)


def extra_recipients(event: ContentEvent) -> set[int]:
    ids: set[int] = set()
    for fn in list(_providers):
        try:
            ids.update(int(pk) for pk in fn(event) or ())
        except Exception:  # one provider never stops the fan-out
            log.exception("recipient provider %r failed for %r", fn, event)
    return ids
