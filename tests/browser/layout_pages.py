"""Issue 14's proof, shared by the test_layout_*.py files: every main page of every role
(`role_pages`), at 390, 768 and 1366 px, never scrolls sideways and clips nothing important;
axe-core (vendored in tests/browser/vendor, from the npm registry) finds no serious or critical
violation on any of them, in English and French, light and dark.

The work is split into files of similar run time (the suite spreads files over its workers,
`--dist loadfile`): one file per group of roles (client, provider) and language. Each role
signs in once per file, in one browser context; each page is loaded once, its widths checked
on the loaded page, and axe run on it in light, then dark (`page.emulate_media`, no reload)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from articles import services as articles
from articles.models import Article, Collection, Kind
from checks import services as checks
from checks.models import Question
from checks.services import ChoiceInput
from permissions import services as grants
from permissions.models import Level
from tenants import services as tenant_services
from tenants.models import Client, ProviderOrganisation, ProviderTeam, User

from .conftest import PASSWORD, sign_in

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WIDTHS = (390, 768, 1366)
PLATFORM = "platform.layout@kb.test"


@pytest.fixture
def shelf(committed):
    """A small knowledge base in Acme: Billing > Refunds with a guide, granted to a team of
    Helios holding both agents; a platform admin."""
    acme = Client.objects.get(schema_name="acme")
    editor = User.objects.get(email="editor@acme.test")
    if not User.objects.filter(email=PLATFORM).exists():  # kept: a person's rows span every tenant
        User.objects.create_superuser(PLATFORM, PASSWORD)
    connection.set_tenant(acme)
    billing = articles.collection_create(name="Billing and refunds", acting_user=editor)
    refunds = articles.collection_create(name="Refunds for parcels that never arrived", parent=billing, acting_user=editor)
    guide = articles.article_create(
        kind=Kind.GUIDE, collection=refunds, acting_user=editor, publish=True,
        content=articles.Content(title="Refund a lost parcel", language="en", tags=["refund", "lost"], body="When a parcel is lost.", steps=[
            {"title": "Check the tracking", "body": "Open the **tracking** page and read the last scan."},
            {"title": "Confirm the address", "body": "Ask the customer to confirm the delivery address."},
            {"title": "Issue the refund", "body": "Refund the full amount, shipping included."},
        ]),
    )
    note = articles.article_create(
        kind=Kind.ARTICLE, collection=billing, acting_user=editor, publish=True,
        content=articles.Content(title="Who may approve a refund", language="en", tags=[], body="Team leads approve refunds over 100 GBP."),
    )
    step = guide.latest_revision.steps[0]["id"]
    checks.question_save(article=guide, kind="single", text="What do you read on the tracking page?",
                         explanation="The last scan says where the parcel was seen.", anchors=[f"step:{step}"],
                         choices=[ChoiceInput("The last scan", True), ChoiceInput("The sender's name", False)],
                         acting_user=editor)
    connection.set_schema_to_public()
    helios = ProviderOrganisation.objects.get(name="Helios Contact")
    team = tenant_services.team_create(provider=helios, name="Layout desk")
    team.members.add(*User.objects.filter(email__in=["agent.acme@helios.test", "agent.both@helios.test"]))
    connection.set_tenant(acme)
    grants.grant_give(target=billing, level=Level.READ, acting_user=User.objects.get(email="admin@acme.test"), team=team)
    connection.set_schema_to_public()
    yield {"guide": guide, "note": note, "billing": billing, "refunds": refunds, "helios": helios}
    connection.set_tenant(acme)
    Question.objects.filter(article__collection__in=[billing, refunds]).delete()
    Article.objects.filter(collection__in=[billing, refunds]).delete()
    Collection.objects.filter(pk=refunds.pk).delete()
    Collection.objects.filter(pk=billing.pk).delete()
    from django.contrib.auth.models import Group

    group_id = team.group_id  # its grant rows live in Acme: deleted from inside it
    ProviderTeam.objects.filter(pk=team.pk).delete()
    Group.objects.filter(pk=group_id).delete()
    connection.set_schema_to_public()


def role_pages(shelf) -> dict[str, tuple[str | None, list[tuple[str | None, str]]]]:
    """Every role's main pages: (person, or None for a visitor who is not signed in; [(tenant
    schema or None for the public site, path)])."""
    guide, billing = shelf["guide"].get_absolute_url(), shelf["billing"].get_absolute_url()
    provider = f"/provider/{shelf['helios'].pk}/"
    reading = [("acme", "/"), ("acme", billing), ("acme", guide), ("acme", f"/check{guide}"), ("acme", "/search/?q=refund"),
               ("acme", "/notifications/"), ("acme", "/following/"), ("acme", "/must-read/"), ("acme", "/practice/"),
               ("acme", "/settings/email/"), (None, "/"), (None, "/profile/"), (None, "/profile/sessions/"),
               (None, "/profile/password/"), (None, "/accounts/two-factor/")]
    editing = [("acme", f"{guide}edit/"), ("acme", f"{guide}history/"), ("acme", f"/questions{guide}"),
               ("acme", "/questions/to-review/"), ("acme", "/suggestions/"), ("acme", "/review/"), ("acme", "/archive/"),
               ("acme", "/collections/new/"), ("acme", "/search/manage/"), ("acme", "/readiness/"), ("acme", "/dashboard/"),
               ("acme", "/import/")]
    admin = [("acme", "/people/"), ("acme", "/access/"), ("acme", "/access/audit/"), ("acme", "/access/review/people/"),
             ("acme", "/access/images/"), ("acme", "/access/two-factor/"), ("acme", "/access/sso/")]
    return {
        "client admin": ("admin@acme.test", reading + editing + admin),
        "editor": ("editor@acme.test", reading + editing),
        "viewer": ("viewer@acme.test", reading),
        "provider lead": ("lead@helios.test", [p for p in reading if p[1] not in (guide, billing, f"/check{guide}")]
                          + [("acme", "/readiness/my-people/"), ("acme", "/access/teams/"), ("acme", "/dashboard/"),
                             ("acme", "/practice/assign/"), (None, "/provider/"), (None, provider),
                             (None, f"{provider}invite/")]),
        "agent": ("agent.acme@helios.test", reading),
        "platform admin": (PLATFORM, [(None, "/"), (None, "/profile/"), (None, "/admin/"), (None, "/admin/tenants/client/")]),
        "visitor": (None, [(None, "/accounts/sign-in/"), (None, "/accounts/password/reset/"), (None, "/accounts/sso/")]),
    }


# Anything wider than the screen, and the important things (headings, links, buttons, fields)
# that stick out of it or of a box that clips them, except inside a box meant to scroll (the
# page's own scroll width still counts such a box).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  const scrolls = el => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(box).overflowX)) return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll("h1, h2, a, button, input, select, textarea, summary, th, td")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest("[hidden], .visually-hidden, .skip-link, pre, .table-wrap, dialog") || scrolls(el)) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.position === "absolute" && box.width <= 1) continue;
    if (box.right > width + 1 || box.left < -1) out.push(el.tagName + " " + (el.textContent || el.name || "").trim().slice(0, 40) + " " + Math.round(box.left) + "→" + Math.round(box.right));
  }
  return {scroll: document.documentElement.scrollWidth, width: width, out: out.slice(0, 5)};
}"""

# The top bar at 1366 px: its own items on one line, and the workspace's sections on one line.
BAR_ROWS = """() => {
  const centres = [];
  for (const el of document.querySelectorAll(".topbar > .brand, .topbar > .search, .topbar > .menu > *:not(.sep)")) {
    const box = el.getBoundingClientRect();
    if (box.height) centres.push((box.top + box.bottom) / 2);
  }
  const barRows = centres.some(c => Math.abs(c - centres[0]) > 14) ? 2 : 1;
  const sections = document.querySelector(".sections-links");
  const sectionRows = sections && sections.offsetParent ? new Set(Array.from(sections.children).map(li => Math.round(li.getBoundingClientRect().top))).size : 1;
  return Math.max(barRows, sectionRows);
}"""

# axe-core's rules, all of them, in one colour scheme.
AXE_RUN = """async () => {
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));  // colours mid-transition
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""

# What axe audits, to keep the run short (axe is most of its time): a page that several roles
# see is audited with the first role of this order that sees it (the agent first: their pages
# are the product's busiest), and each role's first page always (its own top bar and menus);
# its widths are checked for every role. Each audited page, in each language, in both schemes.
SCHEMES = ("light", "dark")
AXE_ORDER = ("agent", "client admin", "provider lead", "platform admin", "visitor", "editor", "viewer")
CLIENT_ROLES = ("client admin", "editor", "viewer")
PROVIDER_ROLES = ("agent", "provider lead", "platform admin", "visitor")


def audited_pages(shelf, role: str) -> set[tuple[str | None, str]]:
    every = role_pages(shelf)
    seen = {page for earlier in AXE_ORDER[:AXE_ORDER.index(role)] for page in every[earlier][1]}
    pages = every[role][1]
    return {pages[0]} | {page for page in pages if page not in seen}


def axe_violations(page, scheme: str) -> list[str]:
    """axe's serious and critical violations on the loaded page in one colour scheme (axe is
    injected once per page load)."""
    page.emulate_media(color_scheme=scheme)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SCRIPT)
    return page.evaluate(AXE_RUN)


AXE_SCRIPT = AXE.read_text()


def visit_every_page(browser, site, who, pages, *, check, languages=("en",)):
    """Sign `who` in once (None: a visitor) and call check(page, language, schema, path) on each
    page loaded in each language. A signed-in person's language is their saved one; a
    visitor's, the one the language switch stores in its cookie."""
    # bypass_csp: axe is injected as an inline script, which the product's policy refuses.
    context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        if who is not None:
            sign_in(page, site, who)
        for language in languages:
            if who is None:
                context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site(None, "/")}])
            else:
                User.objects.filter(email=who).update(language=language)
            for schema, path in pages:
                page.emulate_media(color_scheme="light")
                response = page.goto(site(schema, path))
                assert response.status == 200, (who, schema, path, response.status)
                page.wait_for_load_state("load")
                assert page.locator("html").get_attribute("lang") == language, (who, language, schema, path)
                check(page, language, schema, path)
    finally:
        context.close()
        if who is not None:
            User.objects.filter(email=who).update(language="")


# French elision in the phrases that put a name after "de", "le", "la" or "que" (tenants.phrases:
# "d'Acme Parcels", never "de Acme Parcels"), looked for in every French page's text.
UNELIDED = re.compile(r"(?<![\w'’])(?:[dD]e|[lL]e|[lL]a|[qQ]ue)[ \u00a0][AEIOUYHÀÂÉÈÊÎÏÔŒÙÛ]\w*")


def fits_and_passes_axe(browser, site, shelf, role: str, language: str) -> None:
    """Every page of `role` in `language`: nothing sideways or clipped at any width, the top
    bar on one line at 1366 px, no serious or critical axe violation, light or dark, and (in
    French) no name left unelided after "de", "le", "la" or "que"."""
    who, pages = role_pages(shelf)[role]
    audited = audited_pages(shelf, role)
    problems: list[str] = []

    def check(page, language, schema, path):
        where = f"{schema or 'public'}{path}"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            found = page.evaluate(OVERFLOW)
            if found["scroll"] > width or found["out"]:
                problems.append(f"{language} {width}px {where}: scroll width {found['scroll']}, clipped {found['out']}")
        page.set_viewport_size({"width": 1366, "height": 900})
        if page.evaluate(BAR_ROWS) > 1:
            problems.append(f"{language} 1366px {where}: the top bar wraps")
        if language == "fr":
            problems.extend(f"fr {where}: not elided: {phrase!r}" for phrase in UNELIDED.findall(page.inner_text("body")))
        if (schema, path) in audited:
            for scheme in SCHEMES:
                problems.extend(f"{language} {scheme} {where}: {violation}" for violation in axe_violations(page, scheme))

    visit_every_page(browser, site, who, pages, check=check, languages=(language,))
    assert problems == [], "\n".join(problems)

