"""The registry of e-mail streams: what kind of mail a message is, and what unsubscribing from
it means.

    from outbox import streams
    streams.register("notifications.digest", label=_("Digest of changes"),
                     reason=_("You follow procedures in %(workspace)s."),
                     unsubscribe=lambda person_id, schema_name: ...)

A stream registered with `unsubscribe=` is *bulk*: its messages carry RFC 8058's
List-Unsubscribe (an https URL and a mailto) and List-Unsubscribe-Post headers, and the
one-click POST calls `unsubscribe(person_id, schema_name)` (in the public schema; the callable
switches to the tenant if it needs to). A stream without it is *work* or *transactional*
(invitations, suggestion outcomes, must-read assignments): no List-Unsubscribe, the footer
links to the person's e-mail settings instead. Every stream has a List-Id.

outbox imports none of the apps that register streams: they register in their
`AppConfig.ready()`. `outbox.preferences.stop_updates` is a ready-made `unsubscribe` for
streams governed by the "changes to what you follow" preference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

Unsubscribe = Callable[[int, str], None]


@dataclass(frozen=True)
class Stream:
    name: str
    label: str
    reason: str = ""  # "why you get this", with %(workspace)s
    unsubscribe: Unsubscribe | None = None

    @property
    def can_unsubscribe(self) -> bool:
        return self.unsubscribe is not None


_REGISTRY: dict[str, Stream] = {}


class UnknownStream(LookupError):
    pass


def register(name: str, *, label, reason="", unsubscribe: Unsubscribe | None = None) -> Stream:
    """Declare a stream (idempotent: registering the same name again replaces it)."""
    if not name or len(name) > 64 or not all(c.isalnum() or c in ".-_" for c in name):
        raise ValueError(f"invalid stream name {name!r}")
    stream = Stream(name=name, label=label, reason=reason, unsubscribe=unsubscribe)
    _REGISTRY[name] = stream
    return stream


def get(name: str) -> Stream:
    try:
        return _REGISTRY[name]
    except KeyError as exc:
        raise UnknownStream(f"e-mail stream {name!r} is not registered (outbox.streams.register)") from exc


def all_streams() -> list[Stream]:
    return sorted(_REGISTRY.values(), key=lambda stream: stream.name)


INVITATIONS = "invitations"
SUGGESTIONS = "suggestions"


def register_builtin() -> None:
    """The streams of the mail that existed before the outbox: transactional, not unsubscribable."""
    register(INVITATIONS, label=_("Invitations"),
             reason=_("Someone invited this address to a workspace on %(product)s."))
    register(SUGGESTIONS, label=_("Your suggestions"),
             reason=_("You proposed a change in %(workspace)s and the editors reviewed it."))
