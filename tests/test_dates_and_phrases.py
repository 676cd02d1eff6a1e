"""Dates, times and generated phrases as the reader expects them (issue 14): one date format by
language, recent times relative with the exact time on hover, in the person's time zone, and
French elision in the phrases that put a name after "de", "le", "la"."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import formats, timezone, translation

from tenants.middleware import UserTimeZoneMiddleware
from tenants.phrases import elide, when

DAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _english():
    """A French page request activates French in this thread: put English back after each test."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("language", "shown"), [("en", "1 Dec 2026"), ("fr", "1 déc. 2026")])
def test_one_date_format_by_language_whatever_name_a_template_asks_for(language, shown):
    with translation.override(language):
        for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
            assert formats.date_format(DAY, name) == shown
        moment = datetime.datetime(2026, 12, 1, 9, 5, tzinfo=datetime.UTC)
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == f"{shown}, 09:05"
        assert "12/01/2026" not in Template('{{ d|date:"SHORT_DATE_FORMAT" }}').render(Context({"d": DAY}))


def test_a_recent_time_is_relative_with_the_exact_time_on_hover():
    now = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    with translation.override("en"), timezone.override("UTC"):
        shown = when(now - datetime.timedelta(hours=3), now=now)
        assert shown.startswith('<time datetime="2026-12-01T09:00:00+00:00" title="1 Dec 2026, 09:00">')
        assert ">3\xa0hours ago</time>" in shown
        assert ">just now<" in when(now - datetime.timedelta(seconds=5), now=now)
        assert ">20 Nov 2026, 12:00</time>" in when(now - datetime.timedelta(days=11), now=now)
    with translation.override("fr"), timezone.override("UTC"):
        assert ">il y a 3\xa0heures</time>" in when(now - datetime.timedelta(hours=3), now=now)
        assert 'title="1 déc. 2026, 09:00"' in when(now - datetime.timedelta(hours=3), now=now)


def test_the_time_tag_shows_the_time_in_the_active_time_zone():
    now = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Indian/Mauritius")):
        assert 'title="1 Dec 2026, 13:00"' in when(now - datetime.timedelta(hours=3), now=now)  # UTC+4
        html = Template("{% load kb_format %}{% when t %}").render(Context({"t": now - datetime.timedelta(hours=3)}))
        assert "13:00" in html and "<time" in html


class _Person:
    is_authenticated = True

    def __init__(self, zone):
        self.time_zone = zone


@pytest.mark.parametrize(("zone", "expected"), [
    ("Indian/Mauritius", "Indian/Mauritius"), ("", "UTC"), (None, "UTC"), ("Not/AZone", "UTC"),
])
def test_the_middleware_activates_the_persons_time_zone_else_the_sites(zone, expected):
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return "response"

    request = RequestFactory().get("/")
    request.user = _Person(zone)
    assert UserTimeZoneMiddleware(view)(request) == "response"
    assert seen["zone"] == expected
    assert timezone.get_current_timezone_name() == "UTC"  # nothing left behind for the next request


def test_a_person_without_the_field_gets_the_site_zone():
    request = RequestFactory().get("/")
    request.user = object()
    seen = {}
    UserTimeZoneMiddleware(lambda r: seen.setdefault("zone", timezone.get_current_timezone_name()))(request)
    assert seen["zone"] == "UTC"


@pytest.mark.parametrize(("phrase", "right"), [
    ("Accès de Acme Parcels révoqué.", "Accès d'Acme Parcels révoqué."),
    ("Équipes et personnes de Helios Contact", "Équipes et personnes d'Helios Contact"),
    ("Niveau de Élise", "Niveau d'Élise"),
    ("Rôle de <em>Anaïs</em>", "Rôle d'<em>Anaïs</em>"),
    ("De Acme", "D'Acme"),
    ("le Orange et la Accueil", "l'Orange et l'Accueil"),
    ("Niveau de Ravi", "Niveau de Ravi"),
    ("la limite est de 8 Ko", "la limite est de 8 Ko"),
    ("de haut en bas", "de haut en bas"),  # h aspiré, lower case: left alone
    ("aide Anne, mode Eco", "aide Anne, mode Eco"),  # not the article "de"
])
def test_french_elision_in_generated_phrases(phrase, right):
    assert elide(phrase, "fr") == right


def test_elision_is_french_only():
    assert elide("de Acme", "en") == "de Acme"


def test_a_template_phrase_elides_the_name_it_interpolates_and_stays_escaped():
    template = Template(
        "{% load i18n kb_format %}{% blocktranslate with provider=name asvar teams_of %}Teams and people of "
        "{{ provider }}{% endblocktranslate %}{{ teams_of|elide }}"
    )
    with translation.override("fr"):
        assert template.render(Context({"name": "Acme <Parcels>"})) == "Équipes et personnes d'Acme &lt;Parcels&gt;"
    with translation.override("en"):
        assert template.render(Context({"name": "Acme"})) == "Teams and people of Acme"


@pytest.mark.parametrize("name", ["tenants/people/invitation_email.txt", "tenants/people/invitation_email.html"])
def test_the_invitation_e_mail_elides_the_client_and_the_role(name):
    """Found walking the product in French: "de Acme Parcels … en tant que Administrateur"."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    context = {"inviter": SimpleNamespace(get_full_name="Alice Admin"), "client": SimpleNamespace(name="Acme Parcels"),
               "role": "Administrateur de l'espace", "link": "http://acme.kb.test/join/x/", "expires_at": None}
    with translation.override("fr"):
        text = render_to_string(name, context)
    assert "de connaissances d'Acme Parcels" in text and "en tant qu'Administrateur" in text, text


def test_the_suggestion_labels_elide_the_client_name(world):
    from tenants.selectors import person_labels, workspace_access

    world.acme.hide_author_names_from_providers = True
    world.acme.save(update_fields=["hide_author_names_from_providers"])
    access = workspace_access(world.agent_both, world.acme)
    with translation.override("fr"):
        labels = person_labels([world.acme_admin.pk, world.acme_editor.pk], access)
    assert set(labels.values()) == {"Administrateur d'Acme Parcels", "Rédacteur d'Acme Parcels"}


def test_a_french_page_reads_dates_the_french_way(acme):
    from articles import services

    from .factories import host, http_as

    collection = services.collection_create(name="Livraison", acting_user=acme.acme_editor)
    article = services.article_create(
        kind="article", collection=collection, acting_user=acme.acme_editor, publish=True,
        content=services.Content(title="Colis perdu", language="fr", tags=[], body="Texte."),
    )
    article.refresh_from_db()
    with translation.override("fr"):
        published = formats.date_format(article.last_published_at, "SHORT_DATE_FORMAT")
    assert published.split()[1] in {"janv.", "févr.", "mars", "avril", "mai", "juin", "juil.", "août", "sept.",
                                     "oct.", "nov.", "déc."}
    html = http_as(acme.acme_editor, language="fr").get(article.get_absolute_url(), HTTP_HOST=host(acme.acme)).content.decode()
    assert f"Publié le {published}" in html


@pytest.mark.parametrize(("language", "sentence"), [
    ("en", "You are signed in as tenant admin."),
    ("fr", "Vous êtes connecté en tant qu'administrateur de l'espace."),
])
def test_the_role_is_lower_case_mid_sentence(acme, language, sentence):
    """Found walking the product: "You are signed in as Tenant admin."."""
    from .factories import host, http_as

    html = http_as(acme.acme_admin, language=language).get("/", HTTP_HOST=host(acme.acme)).content.decode()
    assert sentence in html.replace("&#x27;", "'"), html[html.find('class="muted"'):][:300]
