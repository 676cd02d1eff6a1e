"""Composing e-mail: the content of a message (a text and HTML template pair, or a text alone),
put in the product's layout (its name on top; a footer that says why the person gets this, with
their e-mail settings and, for bulk streams, the unsubscribe link), in the recipient's language,
with the HTML's CSS inlined by css-inline (Rust, maintained; premailer is not) so that mail
clients that drop <style> still show it.

    text, html = render_content("tenants/people/invitation_email", context, language="fr")

renders `<name>.txt` and `<name>.html` (the HTML one is optional: without it the HTML part is
the text, escaped, with its links made clickable). `outbox.services.queue` calls `render_message`
to add the layout.
"""

from __future__ import annotations

from dataclasses import dataclass

import css_inline
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

PRODUCT = "kbportal"

_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def language_or_default(language: str | None) -> str:
    codes = {code for code, _ in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def render_content(template: str, context: dict, *, language: str | None) -> tuple[str, str]:
    """The text and HTML content (no layout) of `template` (.txt and optional .html)."""
    with translation.override(language_or_default(language)):
        text = str(render_to_string(f"{template}.txt", context))
        html = ""
        try:
            html = str(render_to_string(f"{template}.html", context))
        except TemplateDoesNotExist:
            html = ""
    return text.strip(), html.strip()


@dataclass(frozen=True)
class Footer:
    reason: str  # why the person gets this
    settings_url: str
    unsubscribe_url: str = ""
    stream_label: str = ""


def render_message(*, text: str, html: str, subject: str, footer: Footer, language: str | None) -> tuple[str, str]:
    """The whole message, text and HTML, in the layout, CSS inlined."""
    context = {"product": PRODUCT, "content_text": text, "content_html": mark_safe(html),  # noqa: S308 - our templates, autoescaped
               "subject": subject, "footer": footer}
    with translation.override(language_or_default(language)):
        full_text = render_to_string("outbox/email/layout.txt", context)
        full_html = render_to_string("outbox/email/layout.html", context)
    return full_text.strip() + "\n", _inliner.inline(full_html)
