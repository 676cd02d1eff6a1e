"""The weekly summary of the dashboard, by e-mail through the outbox, to the tenant admins who
opted in (a bulk stream: one click unsubscribes)."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outbox import compose, streams
from outbox import services as outbox
from tenants.models import Client, User

STREAM = "dashboard.summary"


def _unsubscribe(person_id: int, schema_name: str) -> None:
    from django_tenants.utils import schema_context

    from .models import SummarySubscription

    with schema_context(schema_name):
        SummarySubscription.objects.filter(person_id=person_id).delete()


def register_stream() -> None:
    streams.register(
        STREAM, label=gettext_lazy("Weekly summary of the dashboard"),
        reason=gettext_lazy("You asked for the weekly summary of the collaboration dashboard of %(workspace)s."),
        unsubscribe=_unsubscribe,
    )


def queue_summary(*, client: Client, person: User, context: dict) -> None:
    language = compose.language_or_default(person.language)
    url = outbox.tenant_url(client.schema_name, reverse("dashboard:page"))
    with translation.override(language):
        subject = _("Weekly summary: %(workspace)s") % {"workspace": client.name}
    outbox.queue_template(
        to=person.email, template="dashboard/email/summary", subject=subject, stream=STREAM, language=language,
        schema_name=connection.schema_name, person_id=person.pk,
        context={**context, "person": person, "workspace": client.name, "url": url},
    )
