"""The dashboard's pluggable sections: an app above the dashboard (the knowledge checks)
registers what it computes, the dashboard lays it out.

    from dashboard import registry
    registry.register("weak_spots", title=_("Weak spots"), template="checks/_weak_spots.html",
                      compute=lambda period, scope: {"rows": weak_spots(...)}, order=60)

`compute(period, scope)` gets a `dashboard.scope.Period` and `dashboard.scope.Scope` (whose
`agent_ids` is None for everyone, or the frozenset of the people the reader may see) and
returns the template's context (a dict). It runs once per page, so it must take a constant
number of statements whatever the number of agents. A section registered again under the
same key replaces the one before (the placeholder of weak spots is replaced that way).
A compute that raises is shown as "could not be computed", never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Compute = Callable[[Any, Any], dict]


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # a lazy translation
    template: str
    compute: Compute
    order: int = 100
    placeholder: bool = False  # the built-in empty state, until an app registers the real one
    for_leads: bool = True  # False: about the client's content, not shown to provider leads


_SECTIONS: dict[str, Section] = {}


def register(key: str, *, title, template: str, compute: Compute, order: int = 100,
             placeholder: bool = False, for_leads: bool = True) -> Section:
    if not key or not key.replace("_", "").isalnum():
        raise ValueError(f"invalid section key {key!r}")
    current = _SECTIONS.get(key)
    if placeholder and current is not None and not current.placeholder:
        return current  # the real section was registered first: keep it
    section = Section(key=key, title=title, template=template, compute=compute, order=order, placeholder=placeholder,
                      for_leads=for_leads)
    _SECTIONS[key] = section
    return section


def unregister(key: str) -> None:
    _SECTIONS.pop(key, None)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def register_defaults(weak_spots: Section) -> None:
    register(weak_spots.key, title=weak_spots.title, template=weak_spots.template, compute=weak_spots.compute,
             order=weak_spots.order, placeholder=True)
