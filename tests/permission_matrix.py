"""The permission matrix of the tenant site, written from the product rules (README, DESIGN).

Three parts, none of which asks the code under test what the answer should be:

- `walk` lists every URL of the tenant URLconf with its namespaced name, its pattern, its view
  and the capability the view declares with `@requires(...)` (permissions/policy.py).
- `family_of` / `FIXED` say how to fill each URL parameter: with an object of one *family*
  (collection, article, suggestion...) in each of its *kinds* (granted, not granted,
  confidential...), or with one fixed valid value. A parameter the matrix does not know fails
  loudly, so a new URL is covered as soon as it exists, or the test says what to teach it.
- `expected` is the oracle: a hand-written table of what each role may do (per capability) and
  see (per object family and kind), from which it derives the status code of each request.

tests/test_permission_matrix.py builds the people and objects and runs every combination.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import URLPattern, URLResolver

TENANT_URLCONF = "kbportal.urls_tenants"

# --- Walking the URLconf --------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced: "articles:read"
    pattern: str
    callback: object = field(compare=False)
    kwargs: frozenset[str] = frozenset()

    @property
    def capability(self) -> str | None:
        return getattr(self.callback, "kb_capability", None)

    @property
    def label(self) -> str:
        view = f"{getattr(self.callback, '__module__', '?')}.{getattr(self.callback, '__qualname__', self.callback)}"
        return f"{self.name or '(unnamed)'} [{self.pattern}] -> {view}"


def _groups(pattern) -> set[str]:
    return set(pattern.regex.groupindex)


def walk(resolver: URLResolver, namespaces: tuple[str, ...] = (), prefix: str = "",
         kwargs: frozenset[str] = frozenset()) -> list[Route]:
    """Every URL under `resolver`, depth first, with the parameters of the enclosing includes."""
    routes = []
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        names = kwargs | _groups(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespaces + ((entry.namespace,) if entry.namespace else ())
            routes += walk(entry, inner, pattern, frozenset(names))
        elif isinstance(entry, URLPattern):
            name = ":".join(namespaces + (entry.name,)) if entry.name else None
            routes.append(Route(name, pattern, entry.callback, frozenset(names)))
        else:  # pragma: no cover - Django has no third kind
            raise TypeError(entry)
    return routes


def undeclared(routes: list[Route]) -> list[str]:
    """The URLs the matrix cannot check: no name, or a view without `@requires(...)`."""
    problems = []
    for route in routes:
        if route.name is None:
            problems.append(f"{route.label}: give the URL a name")
        if route.capability is None:
            problems.append(f"{route.label}: the view does not declare @requires(...) (permissions/policy.py)")
    return problems


# --- Filling URL parameters -----------------------------------------------------------------

# Parameters that name no object: one valid value is enough.
FIXED = {"kind": "article", "group": "steps", "number": "1"}

BY_NAME = "by name"
FAMILY_BY_KWARGS: dict[frozenset[str], str | None] = {
    frozenset(): None,
    frozenset({"kind"}): None,  # new/<kind>: an article kind
    frozenset({"group"}): None,  # editor rows: steps or faqs
    frozenset({"slug"}): "collection",
    frozenset({"prefix", "slug"}): "article",
    frozenset({"prefix", "slug", "number"}): "article",  # a revision number of the article
    frozenset({"kind", "pk"}): "grant",  # grants/<grant kind>/<pk>
    frozenset({"pk"}): BY_NAME,
    frozenset({"file_id"}): "file",  # an image or file, by its uuid (articles/attachments)
}
PK_FAMILY = {
    "articles:suggestion": "suggestion",
    "articles:suggestion-accept": "suggestion",
    "articles:suggestion-accept-edit": "suggestion",
    "articles:suggestion-reject": "suggestion",
    "people:invitation-resend": "invitation",
    "people:invitation-revoke": "invitation",
    "people:role": "membership",
    "people:remove": "membership",
    "access:review-person": "person",
    "api:article": "article_id",
    "searchadmin:synonym-edit": "synonym",
    "searchadmin:synonym-delete": "synonym",
    "searchadmin:best-bet-move": "best_bet",
    "searchadmin:best-bet-delete": "best_bet",
    "notifications:open": "notification",
    "notifications:read": "notification",
    "readiness:detail": "must_read",
    "readiness:provider-detail": "must_read",
    "checks:question": "question",
    "checks:question-review": "question",
}


class UnknownParameter(Exception):
    pass


def family_of(route: Route) -> str | None:
    """The family of object the URL is about (None: no object), or UnknownParameter."""
    if route.kwargs not in FAMILY_BY_KWARGS:
        raise UnknownParameter(
            f"{route.label} takes {sorted(route.kwargs)}: the permission matrix does not know how to fill "
            "these; teach tests/permission_matrix.py (FAMILY_BY_KWARGS, FIXED) and the objects in "
            "tests/test_permission_matrix.py")
    family = FAMILY_BY_KWARGS[route.kwargs]
    if family == BY_NAME:
        if route.name not in PK_FAMILY:
            raise UnknownParameter(
                f"{route.label} takes a pk: say what it is the pk of in PK_FAMILY (tests/permission_matrix.py)")
        family = PK_FAMILY[route.name]
    return family


# --- The oracle -----------------------------------------------------------------------------

ROLES = (
    "admin", "editor", "viewer",  # acme's client staff
    "agent_read", "agent_contrib",  # provider agents whose teams hold read / contribute grants
    "agent_nogrant",  # an agent of the engaged provider, serving acme, with no grant at all
    "lead",  # the engaged provider's lead (no grant)
    "agent_ended",  # an agent whose provider's engagement with acme has ended (grants left behind)
    "other_tenant",  # the admin of the other tenant, and nothing in acme
    "anonymous",
)
STAFF = {"admin", "editor", "viewer"}
EDITORS = {"admin", "editor"}
PROVIDER_PEOPLE = {"agent_read", "agent_contrib", "agent_nogrant", "lead"}
MEMBERS = STAFF | PROVIDER_PEOPLE  # whom the workspace lets in

# What each capability lets in (permissions/policy.py, from the product rules).
ALLOWED = {
    "member": MEMBERS,
    "read": MEMBERS,
    "contribute": PROVIDER_PEOPLE,  # client staff edit directly, they never propose
    "edit": EDITORS,
    "admin": {"admin"},
    "lead": {"lead"},
    "insight": EDITORS | {"lead"},  # the collaboration dashboard (a lead sees their own people only)
    "open": set(ROLES),  # sign-out and the language switch, shared with the public site
}
# Who holds a contribute grant somewhere (pages of proposing that are about no one object).
CONTRIBUTORS = {"agent_contrib"}

# Paths a tenant host serves to anyone, signed in or not, member or not: the language switch.
OPEN_PATHS = ("/i18n/",)

KINDS = {
    "collection": ("granted", "not_granted", "confidential", "in_confidential", "confidential_granted",
                   "archived", "other_tenant"),
    "article": ("granted", "draft", "not_granted", "confidential", "in_confidential", "confidential_granted",
                "in_confidential_granted", "archived", "other_tenant"),
    "suggestion": ("own", "someone_else", "other_tenant"),
    "grant": ("collection_team", "collection_person", "article_team", "article_person", "other_tenant"),
    "membership": ("member", "other_tenant"),
    "invitation": ("pending", "other_tenant"),
    "person": ("staff", "provider", "ended_provider", "stranger", "other_tenant"),
    "synonym": ("existing", "other_tenant"),
    "best_bet": ("existing", "other_tenant"),
    # A notification belongs to its recipient, and only while they may read its article.
    "notification": ("viewer_granted", "agent_read_granted", "agent_read_not_granted", "other_tenant"),
    # A must-read on the granted article for the readers' team, one on the not-granted article for
    # everyone (only client staff may read it).
    "must_read": ("granted", "not_granted", "other_tenant"),
    # A knowledge-check question on the granted article and one on the not-granted article.
    "question": ("granted", "not_granted", "other_tenant"),
}
KINDS["article_id"] = KINDS["article"]  # the same articles, addressed by id (the JSON API)
# An image referenced by the published revision (the draft's only revision for "draft") of the
# article of each kind, and one uploaded that no revision references yet.
KINDS["file"] = (*KINDS["article"], "unreferenced")


def _all(family: str, *but: str) -> set[str]:
    return set(KINDS[family]) - {"other_tenant", *but}


# Provider people reach what their grants open: a grant on a collection covers what it nests,
# except confidential collections and articles, which only a grant naming them opens; never
# drafts. Archived content stays reachable by its link ("no longer listed, its links still
# work"). Client staff see the whole tenant, confidential included; viewers published only.
_AGENT_COLLECTIONS = {"granted", "confidential_granted", "archived"}
_AGENT_ARTICLES = {"granted", "confidential_granted", "in_confidential_granted", "archived"}
SEES: dict[str, dict[str, set[str]]] = {
    "collection": {
        "admin": _all("collection"), "editor": _all("collection"), "viewer": _all("collection"),
        "agent_read": _AGENT_COLLECTIONS, "agent_contrib": _AGENT_COLLECTIONS,
    },
    "article": {
        "admin": _all("article"), "editor": _all("article"), "viewer": _all("article", "draft"),
        "agent_read": _AGENT_ARTICLES, "agent_contrib": _AGENT_ARTICLES,
    },
    # Editors review every suggestion; a provider person sees their own only.
    "suggestion": {"admin": {"own", "someone_else"}, "editor": {"own", "someone_else"}, "agent_contrib": {"own"}},
    # Grants, people and invitations of the tenant are its admins' business only.
    "grant": {"admin": _all("grant")},
    "membership": {"admin": {"member"}},
    "invitation": {"admin": {"pending"}},
    # The access review covers the tenant's staff and the provider people serving it now.
    "person": {"admin": {"staff", "provider"}},
    # Search tuning is the client editors' business.
    "synonym": {"admin": {"existing"}, "editor": {"existing"}},
    "best_bet": {"admin": {"existing"}, "editor": {"existing"}},
    "notification": {"viewer": {"viewer_granted"}, "agent_read": {"agent_read_granted"}},
    # Readiness: client editors and admins see every must-read; a provider lead those that some
    # of their people are asked to read and may read (their own people only).
    "must_read": {"admin": {"granted", "not_granted"}, "editor": {"granted", "not_granted"}, "lead": {"granted"}},
    # Questions are their editors' business (readers take a check through its article).
    "question": {"admin": {"granted", "not_granted"}, "editor": {"granted", "not_granted"}},
}
SEES["article_id"] = SEES["article"]
# A file is readable exactly where the revision that references it is: client editors reach
# every file of their workspace (drafts and history included), everyone else the files of
# the published revisions they may read. The same 404 otherwise, like the article.
SEES["file"] = {role: set(kinds) for role, kinds in SEES["article"].items()}
for _editor in EDITORS:
    SEES["file"][_editor] = SEES["file"][_editor] | {"unreferenced"}
# Views about published content only, where even editors get a 404 for a draft.
PUBLISHED_ONLY = {
    "api:article",  # the API serves the published revision
    "search:pin",  # an agent pins published procedures for the lookup page
    "readiness:acknowledge",  # one acknowledges a published revision
    "checks:take",  # one takes the check of a published revision
}
# A provider lead holds no grant: on the teams page they see what their teams reach, and
# nowhere else anything.
LEAD_TEAMS = ("agent_read", "agent_contrib")
# ...and on the following page, the collections their teams reach, to make a team follow one.
LEAD_TEAMS_PAGES = ("access:teams", "notifications:following",
                    # ...and on the readiness of their people, which names the must-reads their teams may read.
                    "readiness:provider", "readiness:provider-detail",
                    # ...and on assigning practice to a team, the collections that team reaches.
                    "checks:practice-assign",
                    # ...and on the dashboard, which names the must-reads their teams may read.
                    "dashboard:page", "dashboard:export")


def shown(family: str, role: str, route_name: str | None = None) -> set[str]:
    """The kinds of `family` whose titles and names `role` may find on the page `route_name`."""
    kinds = set(SEES[family].get(role, set()))
    if role == "lead" and route_name in LEAD_TEAMS_PAGES:
        for agent in LEAD_TEAMS:
            kinds |= SEES[family].get(agent, set())
    return kinds


# Proposing: contribute grants, same inheritance rules; archived content takes no suggestions.
CONTRIBUTES = {"article": {"agent_contrib": {"granted", "confidential_granted", "in_confidential_granted"}}}

# Allowed GETs answer 200, except where a view answers otherwise by design.
GET_NOTES = {
    "dashboard:export": 400,  # without ?table=: "Say which table to download."
    "articles:compare": 302,  # the matrix's articles have one revision: "nothing to compare", to history
    "notifications:follow-collection": 302,  # a GET on the follow button's address: to the collection
    "notifications:follow-article": 302,  # ...to the article
}
# ...but the granted article has a newer, unpublished draft: two revisions to compare.
TWO_REVISIONS = {("articles:compare", "granted")}
GET_WITHOUT_QUERY_NOTES = {
    "api:search": 400,  # "Give the words to look for in the q parameter."
}
POST_OK = frozenset({200, 302, 400})  # an empty form: saved and redirected, or re-rendered with errors


@dataclass(frozen=True)
class Expect:
    statuses: frozenset[int]
    location: str | None = None  # the redirect target must start with this

    def check(self, response) -> str | None:
        if response.status_code not in self.statuses:
            return f"got {response.status_code}, expected {'/'.join(map(str, sorted(self.statuses)))}"
        if self.location is not None and not response.get("Location", "").startswith(self.location):
            return f"redirected to {response.get('Location')!r}, expected {self.location}..."
        return None

    def __str__(self) -> str:
        return "/".join(map(str, sorted(self.statuses))) + (f" -> {self.location}..." if self.location else "")


def sign_in_redirect() -> Expect:
    return Expect(frozenset({302}), f"http://{settings.KB_BASE_DOMAIN}/accounts/sign-in/?next=")


NOT_FOUND = Expect(frozenset({404}))


def may_use(route: Route, family: str | None, kind: str | None, role: str) -> bool:
    """Whether `role` gets the page (or action) itself, past the gate of the workspace."""
    capability = route.capability
    if role not in ALLOWED[capability]:
        return False
    if family is None:
        return capability != "contribute" or role in CONTRIBUTORS
    if kind == "draft" and route.name in PUBLISHED_ONLY:
        return False
    table = CONTRIBUTES if capability == "contribute" else SEES
    return kind in table.get(family, {}).get(role, set())


def expected(*, route: Route, path: str, family: str | None, kind: str | None, role: str, method: str,
             methods: frozenset[str]) -> Expect:
    """The answer to `role` sending `method` to `path` (a URL of `route`, about an object of
    `family` and `kind`), the view taking `methods`."""
    open_path = path.startswith(OPEN_PATHS)
    if role == "anonymous" and not open_path:
        return Expect(frozenset({401})) if path.startswith("/api/") else sign_in_redirect()
    if role not in MEMBERS and role != "anonymous" and not open_path:
        return NOT_FOUND  # ended engagement, member of another tenant only
    if role not in ALLOWED[route.capability]:
        return NOT_FOUND  # the role check runs first, whatever the method
    if method not in methods:
        return Expect(frozenset({405}))  # checked before any object is looked up
    if not may_use(route, family, kind, role):
        return NOT_FOUND
    if method == "POST":
        return Expect(POST_OK)
    if "?" not in path and route.name in GET_WITHOUT_QUERY_NOTES:
        return Expect(frozenset({GET_WITHOUT_QUERY_NOTES[route.name]}))
    if (route.name, kind) in TWO_REVISIONS:
        return Expect(frozenset({200}))
    return Expect(frozenset({GET_NOTES.get(route.name, 200)}))


# --- The public site's single sign-on steps ---------------------------------------------------

PUBLIC_URLCONF = "kbportal.urls_public"
# Single sign-on's pages (sso/urls.py) serve people who are not signed in yet, so every role,
# anonymous included, gets the same answer on the public host: the e-mail step's form, and a
# callback without a sign-in under way is refused with a page. The provider's single sign-on
# settings (sso/urls_provider.py, for the engaged provider) are its lead's only: anyone else
# signed in gets a 404, anonymous people the sign-in. None exists on a tenant host. SAML's
# assertion consumer service takes only the identity provider's POST (a GET is 405; the POSTs are
# tests/test_saml.py's), its service provider metadata is public.
PUBLIC_SSO = {"sso:start": 200, "sso:callback": 400, "sso:saml-acs": 405, "sso:saml-metadata": 200,
              "provider_sso:edit": None}


def public_sso_expected(name: str, role: str) -> int:
    if PUBLIC_SSO[name] is not None:
        return PUBLIC_SSO[name]
    return 200 if role == "lead" else 302 if role == "anonymous" else 404


# --- The public site's self-service and provider pages (issue 15) -------------------------------
#
# Who gets what on the public site's pages of people: anyone (the forgotten password), a signed-in
# person (their profile, password, sessions), a provider's lead (their floor) and the invited (a
# link). "person": signed in, leads no provider; "lead": the engaged provider's lead; each value
# is (method, {who: status}). tests/test_permission_matrix_public.py walks the public URLconf: a
# new public URL fails there until it is either here or named in PUBLIC_COVERED_ELSEWHERE.

_SIGN_IN = 302  # login_required sends an anonymous visitor to the sign-in page
_OPEN_PAGE = {"anonymous": 200, "person": 200, "lead": 200}
_OWN = {"anonymous": _SIGN_IN, "person": 200, "lead": 200}
_OWN_POST = {"anonymous": _SIGN_IN, "person": 302, "lead": 302}


def _lead_only(lead: int) -> dict[str, int]:
    return {"anonymous": _SIGN_IN, "person": 404, "lead": lead}


PUBLIC_EXPECTED: dict[str, tuple[str, dict[str, int]]] = {
    "password-reset": ("GET", _OPEN_PAGE),
    "password-reset-sent": ("GET", _OPEN_PAGE),
    "password-reset-confirm": ("GET", {"anonymous": 410, "person": 410, "lead": 410}),  # a forged link
    "profile": ("GET", _OWN),
    "profile-details": ("POST", _OWN_POST),
    "profile-password": ("GET", _OWN),
    "profile-sessions": ("GET", _OWN),
    "profile-sessions-end-others": ("POST", _OWN_POST),
    "profile-session-end": ("POST", {"anonymous": _SIGN_IN, "person": 404, "lead": 404}),  # not theirs
    "provider:home": ("GET", _lead_only(302)),
    "provider:overview": ("GET", _lead_only(200)),
    "provider:team-create": ("POST", _lead_only(400)),
    "provider:team": ("GET", _lead_only(200)),
    "provider:team-rename": ("POST", _lead_only(400)),
    "provider:team-clients": ("POST", _lead_only(302)),
    "provider:team-member-add": ("POST", _lead_only(302)),
    "provider:team-member-remove": ("POST", _lead_only(302)),
    "provider:person": ("GET", _lead_only(200)),
    "provider:person-deactivate": ("GET", _lead_only(200)),
    "provider:invite": ("GET", _lead_only(200)),
    "provider:invite-one": ("POST", _lead_only(400)),
    "provider:invite-csv": ("POST", _lead_only(400)),
    "provider:invite-csv-confirm": ("POST", _lead_only(302)),
    "provider:invitation-revoke": ("POST", _lead_only(302)),
    "provider:join": ("GET", {"anonymous": 404, "person": 404, "lead": 404}),  # a link that names nothing
    # Two-factor (twofactor/): a signed-in person's own pages.
    "two-factor": ("GET", _OWN),
    "two-factor-app": ("GET", _OWN),
    "two-factor-recovery-codes": ("POST", _OWN_POST),
    "two-factor-off": ("POST", _OWN_POST),
    "two-factor-verify": ("GET", _OWN),
}

# Public URLs whose access is proven by their own tests (sign-in, admin, mail, invitations).
PUBLIC_COVERED_ELSEWHERE = {
    "workspaces", "sign-in", "sign-out", "set-language", "invitation", "mail-unsubscribe", None,
    # Single sign-on: PUBLIC_SSO above (tests/test_permission_matrix.py).
    "sso:start", "sso:callback", "sso:saml-acs", "sso:saml-metadata", "provider_sso:edit",
    # Passkeys: django-otp-webauthn's JSON steps, which answer only inside a ceremony the
    # signed-in person started (tests/test_two_factor.py, tests/browser/test_two_factor.py).
    "two-factor-passkey-verify", "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete", "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete", "otp_webauthn:js-i18n-catalog",
}
