"""People's e-mail preferences, per person and per workspace.

Two choices per workspace (the page: `outbox:preferences`, "E-mail settings" in the top bar):

- `updates`, the changes to what the person follows: immediate, daily digest, weekly digest or
  none. Default: daily digest (a changed procedure is worth knowing the same day; an e-mail per
  save is noise).
- `must_read`, must-read assignments: immediate, daily or weekly digest, never none (they are
  work, not marketing). Default: immediate (the deadline runs from the assignment).

    frequency_for(person_id, schema_name)               -> "immediate" | "daily" | "weekly" | "none"
    frequency_for(person_id, schema_name, "must_read")  -> "immediate" | "daily" | "weekly"

The rows live in the public schema (outbox.models.EmailPreference); reading one never reads the
workspace's schema.
"""

from __future__ import annotations

from django.utils import timezone

from .models import EmailPreference, Frequency

UPDATES = "updates"
MUST_READ = "must_read"
KINDS = (UPDATES, MUST_READ)
DEFAULTS = {UPDATES: Frequency.DAILY.value, MUST_READ: Frequency.IMMEDIATE.value}
CHOICES: dict[str, list[str]] = {
    UPDATES: [choice.value for choice in Frequency],
    MUST_READ: [choice.value for choice in Frequency if choice != Frequency.NONE],
}


def frequency_for(person_id: int, schema_name: str, kind: str = UPDATES) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    value = EmailPreference.objects.filter(person_id=person_id, schema_name=schema_name).values_list(
        kind, flat=True).first()
    return value or DEFAULTS[kind]


def frequencies_for(person_ids, schema_name: str, kind: str = UPDATES) -> dict[int, str]:
    """Everyone's frequency in one query (for a digest or a fan-out of thousands)."""
    if kind not in KINDS:
        raise ValueError(kind)
    ids = list(person_ids)
    stored = dict(EmailPreference.objects.filter(person_id__in=ids, schema_name=schema_name).values_list(
        "person_id", kind))
    return {pk: stored.get(pk) or DEFAULTS[kind] for pk in ids}


def preference_for(person_id: int, schema_name: str) -> dict[str, str]:
    row = EmailPreference.objects.filter(person_id=person_id, schema_name=schema_name).first()
    return {kind: getattr(row, kind) if row else DEFAULTS[kind] for kind in KINDS}


def preference_set(*, person_id: int, schema_name: str, **values: str) -> EmailPreference:
    """Set one or both choices (`updates=`, `must_read=`); refuses values not offered."""
    for kind, value in values.items():
        if kind not in KINDS or value not in CHOICES[kind]:
            raise ValueError(f"{kind}={value!r}")
    defaults = {**values, "updated_at": timezone.now()}
    row, _ = EmailPreference.objects.update_or_create(
        person_id=person_id, schema_name=schema_name, defaults=defaults,
        create_defaults={**DEFAULTS, **defaults})
    return row


def stop_updates(person_id: int, schema_name: str) -> None:
    """An `unsubscribe` callable for outbox.streams.register: no more e-mail about the changes
    to what the person follows in that workspace (in-app notifications go on)."""
    preference_set(person_id=person_id, schema_name=schema_name, updates=Frequency.NONE)
