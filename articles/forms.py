"""Editor forms. Steps and FAQ pairs are parsed from indexed rows (`steps-<key>-title`, ...),
so that rows can be added (htmx), reordered and removed without losing anything typed."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rendering
from .models import Collection, Kind, Language
from .services import Content

ROW_KEY = re.compile(r"^(steps|faqs)-([A-Za-z0-9]{1,16})-(id|title|body|question|alternatives|answer|order|delete)$")


def tree_choices(collections, *, empty_label: str | None = "---------") -> list[tuple]:
    """Collections as the nested, ordered tree they are, for a select: each under its parent,
    in the collections' own order, indented by depth ("Refunds", "· Marketplace")."""
    rows = list(collections.order_by("position", "name")) if hasattr(collections, "order_by") else list(collections)
    ids = {c.pk for c in rows}
    children: dict = {}
    for collection in rows:
        children.setdefault(collection.parent_id if collection.parent_id in ids else None, []).append(collection)
    choices: list[tuple] = [("", empty_label)] if empty_label is not None else []
    seen: set[int] = set()

    def walk(parent, depth):
        for collection in children.get(parent, []):
            if collection.pk in seen:  # a cycle would be a defect elsewhere; never loop here
                continue
            seen.add(collection.pk)
            choices.append((collection.pk, "\u00b7\u00a0" * depth + collection.name))
            walk(collection.pk, depth + 1)

    walk(None, 0)
    return choices


class ArticleForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    collection = forms.ModelChoiceField(label=_("Collection"), queryset=Collection.objects.none())
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=1000,
        help_text=_("Separated by commas, e.g. refund, delivery"),
    )
    review_by = forms.DateField(
        label=_("Review by"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this date the content is flagged as stale until someone verifies it."),
        error_messages={"invalid": _("Enter a valid date, e.g. 2027-03-31.")},
    )
    confidential = forms.BooleanField(
        label=_("Confidential"), required=False,
        help_text=_("Hidden from provider people unless a grant names this article directly."),
    )
    summary = forms.CharField(
        label=_("Change summary"), required=False, max_length=300,
        help_text=_("What changed and why, in a few words."),
    )
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 16}),
        max_length=rendering.MAX_SOURCE_BYTES * 2,
        error_messages={
            "max_length": _("This text is too long: the limit is %(limit)s KB.")
            % {"limit": rendering.MAX_SOURCE_BYTES // 1000}
        },
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kind: str, collections, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["collection"].queryset = collections
        self.fields["collection"].choices = tree_choices(collections)
        if kind != Kind.ARTICLE:
            self.fields["body"].label = _("Introduction")
        self.steps: list[dict] = []
        self.faqs: list[dict] = []
        if self.is_bound:
            self.steps, self.faqs = parse_rows(self.data)

    def clean_review_by(self):
        value = self.cleaned_data.get("review_by")
        if value and value < timezone.localdate() - datetime.timedelta(days=3650):
            raise ValidationError(_("Pick a review date in the future."))
        if value and value > timezone.localdate() + datetime.timedelta(days=3650):
            raise ValidationError(_("Pick a review date within ten years."))
        return value

    def content(self) -> Content:
        data = self.cleaned_data
        return Content(
            title=data.get("title") or "",
            language=data.get("language") or Language.EN,
            tags=data.get("tags") or "",
            body=data.get("body") or "",
            steps=self.steps,
            faqs=self.faqs,
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the form, keyed by field where it has one."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in error.messages:
                self.add_error(None, message)

    def service_error(self, field: str) -> list[str]:
        return [str(e) for e in self.errors.get(field, [])]


def parse_rows(data) -> tuple[list[dict], list[dict]]:
    """Rows posted by the step and FAQ editors, in their `order`, without deleted ones."""
    rows: dict[tuple[str, str], dict] = {}
    for name in data:
        match = ROW_KEY.match(name)
        if match:
            group, key, field = match.groups()
            rows.setdefault((group, key), {"key": key})[field] = data.get(name, "")
    steps, faqs = [], []
    for (group, _key), row in rows.items():
        if row.get("delete"):
            continue
        try:
            row["order"] = float(row.get("order") or 0)
        except ValueError:
            row["order"] = 0.0
        if group == "steps":
            steps.append(row)
        else:
            row["alternatives"] = [line.strip() for line in str(row.get("alternatives", "")).splitlines() if line.strip()]
            faqs.append(row)
    steps.sort(key=lambda r: r["order"])
    faqs.sort(key=lambda r: r["order"])
    return steps, faqs


def rows_from_revision(revision) -> tuple[list[dict], list[dict]]:
    """Editor rows from a saved revision (keys are the stable ids)."""
    steps = [dict(step, key=step["id"], order=i) for i, step in enumerate(revision.steps, start=1)]
    faqs = [dict(pair, key=pair["id"], order=i) for i, pair in enumerate(revision.faqs, start=1)]
    return steps, faqs


class CollectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.ModelChoiceField(
        label=_("Inside collection"), queryset=Collection.objects.none(), required=False,
        empty_label=_("(top level)"),
    )
    review_interval_days = forms.IntegerField(
        label=_("Review interval (days)"), min_value=7, max_value=3650, initial=180,
        help_text=_("'Mark as verified' moves an article's review date forward by this much."),
    )
    confidential = forms.BooleanField(
        label=_("Confidential"), required=False,
        help_text=_("Hidden from provider people unless a grant names this collection directly."),
    )

    def __init__(self, *args, collections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = collections
        self.fields["parent"].choices = tree_choices(collections, empty_label=str(self.fields["parent"].empty_label))


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes"
    )
    reason = forms.CharField(label=_("What was missing or wrong?"), required=False, max_length=500)


class SuggestionForm(ArticleForm):
    """The editor, for provider people proposing a change: the same content fields, plus why.
    Collection, review date and confidentiality stay the editors' decision."""

    reason = forms.CharField(
        label=_("Why this change?"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the editors, e.g. “customers keep asking about the Saturday slots”."),
    )

    def __init__(self, *args, new_article: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        names = ("review_by", "confidential", "summary") + (() if new_article else ("collection",))
        for name in names:
            del self.fields[name]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not accepted?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The contributor reads this."),
        error_messages={"required": _("Tell the contributor why this suggestion is not accepted.")},
    )


class AcceptForm(ArticleForm):
    """The editor, for accepting a suggestion with changes: its content and a change summary.
    Where the article lives and who may see it are left as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("collection", "review_by", "confidential"):
            del self.fields[name]
