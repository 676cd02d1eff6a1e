"""Screenshots of fictional back offices for the demo guides, drawn with Pillow at seed time.

Nothing is downloaded nor committed as an image: each screen is drawn from the description
below (the client's back office, a table of orders or contracts, the button the step is
about, outlined in red with a callout), then uploaded like any editor's image, through
`articles.attachments.services.attachment_upload`, and added to the guide's steps in a new
published revision ("Added screenshots of the back office"). The fonts are Pillow's own
(`ImageFont.load_default(size=...)`), so the seed needs no system font.
"""

from __future__ import annotations

import functools
import io

from anyascii import anyascii
from PIL import Image, ImageDraw, ImageFont

from . import services
from .attachments import services as attachments
from .models import Article, AttachmentReference

WIDTH, HEIGHT = 1280, 800
INK, MUTED, LINE, PAPER = (33, 37, 41), (108, 117, 125), (222, 226, 230), (255, 255, 255)
HIGHLIGHT = (220, 38, 38)


@functools.cache
def _font(size: int, bold: bool = False):
    """DejaVu Sans where the system has it (Debian's fonts-dejavu-core), else Pillow's own font."""
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size - 2)
    except OSError:
        return ImageFont.load_default(size=size + (1 if bold else 0))


def _text(value: str, size: int, bold: bool = False) -> dict:
    """The text as the font can draw it: Pillow's own font has ASCII only (Énergie -> Energie)."""
    font = _font(size, bold)
    if not isinstance(font, ImageFont.FreeTypeFont) or "DejaVu" not in (font.getname()[0] or ""):
        value = anyascii(value)
    return {"text": value, "font": font}


def _screen(*, brand: str, colour: tuple[int, int, int], menu: list[str], active: int, title: str,
            columns: list[str], rows: list[list[str]], selected: int, buttons: list[str], target: str,
            callout: str, fields: list[tuple[str, str]]) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), (244, 246, 248))
    draw = ImageDraw.Draw(image)
    # Top bar and side menu.
    draw.rectangle((0, 0, WIDTH, 56), fill=colour)
    draw.text((24, 16), **_text(brand, 22, True), fill=PAPER)
    draw.text((WIDTH - 260, 20), **_text("agent: demo · 09:41", 15), fill=PAPER)
    draw.rectangle((0, 56, 220, HEIGHT), fill=(233, 236, 239))
    for index, item in enumerate(menu):
        top = 80 + index * 44
        if index == active:
            draw.rectangle((0, top - 8, 220, top + 30), fill=PAPER)
            draw.rectangle((0, top - 8, 5, top + 30), fill=colour)
        draw.text((28, top), **_text(item, 17, index == active), fill=INK if index == active else MUTED)
    # The page: a title, a search field, a table.
    draw.text((252, 80), **_text(title, 26, True), fill=INK)
    draw.rounded_rectangle((252, 128, 760, 166), radius=6, fill=PAPER, outline=LINE, width=2)
    draw.text((266, 137), **_text(fields[0][1] if fields else "", 17), fill=INK)
    widths = [round((WIDTH - 290) * share) for share in (0.16, 0.16, 0.16, 0.34, 0.18)[: len(columns)]]
    top = 196
    draw.rectangle((252, top, WIDTH - 36, top + 40), fill=(248, 249, 250), outline=LINE)
    x = 264
    for column, width in zip(columns, widths, strict=True):
        draw.text((x, top + 11), **_text(column, 15, True), fill=MUTED)
        x += width
    for number, row in enumerate(rows):
        y = top + 40 + number * 44
        draw.rectangle((252, y, WIDTH - 36, y + 44), fill=(255, 248, 225) if number == selected else PAPER, outline=LINE)
        x = 264
        for cell, width in zip(row, widths, strict=True):
            draw.text((x, y + 13), **_text(cell, 16), fill=INK)
            x += width
    # The detail panel of the selected row, with the buttons.
    panel = top + 40 + len(rows) * 44 + 28
    draw.rounded_rectangle((252, panel, WIDTH - 36, HEIGHT - 36), radius=8, fill=PAPER, outline=LINE, width=2)
    for index, (label, value) in enumerate(fields[1:]):
        draw.text((276, panel + 20 + index * 30), **_text(f"{label}:", 16, True), fill=MUTED)
        draw.text((470, panel + 20 + index * 30), **_text(value, 16), fill=INK)
    x = 276
    y = HEIGHT - 100
    for label in buttons:
        width = int(draw.textlength(**_text(label, 17, True))) + 36
        primary = label == target
        draw.rounded_rectangle((x, y, x + width, y + 42), radius=6, fill=colour if primary else (248, 249, 250),
                               outline=colour, width=2)
        draw.text((x + 18, y + 11), **_text(label, 17, True), fill=PAPER if primary else colour)
        if primary:
            draw.rounded_rectangle((x - 8, y - 8, x + width + 8, y + 50), radius=10, outline=HIGHLIGHT, width=4)
            box = (x + width + 40, y - 40, x + width + 40 + int(draw.textlength(**_text(callout, 18, True))) + 32, y + 2)
            draw.rounded_rectangle(box, radius=8, fill=HIGHLIGHT)
            draw.text((box[0] + 16, box[1] + 10), **_text(callout, 18, True), fill=PAPER)
            draw.line((box[0], box[3] - 6, x + width + 10, y + 18), fill=HIGHLIGHT, width=4)
        x += width + 16
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


ACME = dict(brand="Acme Parcels · Backoffice", colour=(13, 71, 161),
            menu=["Orders", "Customers", "Returns", "Refunds", "Carriers", "Reports"])
ORDERS = dict(columns=["Order", "Customer", "Status", "Last carrier event", "Amount"], rows=[
    ["AC-2291874", "J. Whitmore", "In transit", "Out for delivery · 4 days ago", "GBP 42.90"],
    ["AC-2291802", "P. Okafor", "Delivered", "Delivered to neighbour · 2 days", "GBP 18.50"],
    ["AC-2291777", "S. Lindqvist", "Returned", "Scanned at returns centre", "GBP 64.00"],
    ["AC-2291756", "M. Haddad", "In transit", "Parcel at depot · 1 day ago", "GBP 9.99"],
])
LUMIERE = dict(brand="Lumière Énergie · Back-office", colour=(0, 105, 92),
               menu=["Contrats", "Clients", "Relevés", "Factures", "Résiliations", "Rapports"])
CONTRACTS = dict(columns=["Contrat", "Client", "Énergie", "État", "Solde"], rows=[
    ["LE-0048213", "C. Martin", "Électricité", "Actif", "+12,40 €"],
    ["LE-0048190", "A. Benali", "Gaz", "Actif", "0,00 €"],
    ["LE-0048177", "L. Rousseau", "Élec. + gaz", "Résiliation demandée", "-38,15 €"],
    ["LE-0048152", "T. Nguyen", "Électricité", "Actif", "+4,02 €"],
])

# Guide slug -> [(step number, screen, alt text)]
SCREENS = {
    "acme": {
        "refund-a-parcel-that-never-arrived": [
            (1, dict(**ACME, **ORDERS, active=0, title="Orders", selected=0, target="Tracking",
                     buttons=["Tracking", "Refund", "Add a note"], callout="Read the last carrier event",
                     fields=[("Search", "AC-2291874"), ("Carrier", "ParcelGo · 4 days ago"),
                             ("Address", "14 Elm Road, Leeds LS6 2AB")]),
             "Orders screen of the back office: order AC-2291874 selected, the Tracking button outlined"),
            (4, dict(**ACME, **ORDERS, active=0, title="Orders", selected=0, target="Refund",
                     buttons=["Tracking", "Refund", "Add a note"], callout="Refund with reason NDR-LOST",
                     fields=[("Search", "AC-2291874"), ("Reason code", "NDR-LOST"), ("Amount", "GBP 42.90")]),
             "The Refund button of order AC-2291874, reason code NDR-LOST"),
        ],
        "refund-a-returned-item": [
            (1, dict(**ACME, **ORDERS, active=2, title="Returns", selected=2, target="Refund the return",
                     buttons=["Refund the return", "Reject"], callout="Only once scanned",
                     fields=[("Search", "AC-2291777"), ("Returns centre", "Scanned 09:12 today"),
                             ("Condition", "Unopened")]),
             "Returns screen: order AC-2291777 scanned at the returns centre, Refund the return outlined"),
        ],
    },
    "lumiere": {
        "traiter-une-demande-de-resiliation": [
            (1, dict(**LUMIERE, **CONTRACTS, active=4, title="Résiliations", selected=2,
                     target="Enregistrer la résiliation", buttons=["Enregistrer la résiliation", "Annuler"],
                     callout="Date d'effet choisie par le client",
                     fields=[("Recherche", "LE-0048177"), ("Date d'effet", "31/12"), ("Motif", "Déménagement")]),
             "Écran Résiliations du back-office : contrat LE-0048177, bouton Enregistrer la résiliation encadré"),
        ],
    },
}


def add_screenshots(schema: str, editor) -> int:
    """In the current tenant: give the demo guides of `schema` their screenshots (once)."""
    added = 0
    for slug, screens in SCREENS.get(schema, {}).items():
        article = Article.objects.filter(slug=slug).select_related("latest_revision").first()
        if article is None or article.latest_revision is None:
            continue
        if AttachmentReference.objects.filter(revision__article=article).exists():
            continue  # seeded before
        revision = article.latest_revision
        steps = [dict(step) for step in revision.steps]
        for number, spec, alt in screens:
            if number > len(steps):
                continue
            image = attachments.attachment_upload(data=_screen(**spec), name=f"{slug}-step-{number}.png",
                                                  acting_user=editor)
            steps[number - 1]["body"] = f"{steps[number - 1]['body']}\n\n![{alt}](attachment:{image.pk})"
        services.revision_create(
            article=article, expected_revision_id=revision.pk, acting_user=editor, publish=True,
            summary="Added screenshots of the back office" if schema == "acme" else "Ajout des captures du back-office",
            content=services.Content(title=revision.title, language=revision.language, tags=list(revision.tags),
                                     body=revision.body, steps=steps, faqs=revision.faqs),
        )
        added += 1
    return added
