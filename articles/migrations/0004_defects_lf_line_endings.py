"""Text typed in the browser before issue 10 was stored with CRLF line endings (textareas send
CRLF): diffs showed phantom changes and exports mixed line endings. Store it with LF, like
everything saved from now on (`articles.text`). Only rows holding a CR are touched; the
rendered HTML is unchanged (Markdown reads CRLF and LF alike)."""

from django.db import migrations
from django.db.models import Q, TextField
from django.db.models.functions import Cast

CR = "\r"


def _lf(text):
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


def _items(items, keys):
    return [{key: _lf(value) if key in keys else value for key, value in item.items()} for item in items or []]


def _content_rows(model):
    # In the JSON text of steps and questions a CR is written `\r`.
    has_cr = Q(body__contains=CR) | Q(steps_text__contains="\\r") | Q(faqs_text__contains="\\r")
    rows = model.objects.annotate(steps_text=Cast("steps", TextField()), faqs_text=Cast("faqs", TextField()))
    for row in rows.filter(has_cr).iterator(chunk_size=500):
        row.body = _lf(row.body)
        row.steps = _items(row.steps, {"body"})
        row.faqs = _items(row.faqs, {"answer"})
        yield row


def forwards(apps, schema_editor):
    Revision = apps.get_model("articles", "Revision")
    Suggestion = apps.get_model("articles", "Suggestion")
    Collection = apps.get_model("articles", "Collection")
    for row in _content_rows(Revision):
        Revision.objects.filter(pk=row.pk).update(body=row.body, steps=row.steps, faqs=row.faqs)
    for row in _content_rows(Suggestion):
        Suggestion.objects.filter(pk=row.pk).update(body=row.body, steps=row.steps, faqs=row.faqs)
    for row in Suggestion.objects.filter(Q(reason__contains=CR) | Q(review_note__contains=CR)).iterator():
        Suggestion.objects.filter(pk=row.pk).update(reason=_lf(row.reason), review_note=_lf(row.review_note))
    for row in Collection.objects.filter(description__contains=CR).iterator():
        Collection.objects.filter(pk=row.pk).update(description=_lf(row.description))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_defects_revision_imported_from"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
