"""The OpenAPI 3.1 description of the JSON API, served at `/api/v1/schema`.

Hand-written on purpose: two endpoints do not need a generator, and the description is the
contract the CTI and CRM integrations code against, so changes to it should be deliberate
(tests/test_api.py checks it names every route and parameter the views accept). Descriptions
are for developers and stay in English.
"""

from __future__ import annotations

from django.conf import settings

from articles.models import Kind, Language

from .api import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY, MAX_TAG

JSON = "application/json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict:
    return {"description": description, "content": {JSON: {"schema": _ref("Error")}}}


ERRORS = {
    "401": _error("Not authenticated: no session and no token, or the token is not valid (revoked, unknown). "
                  "The answer carries `WWW-Authenticate: Bearer`."),
    "404": _error("Not found, or not for you: the same answer for both. Also the answer when the person has "
                  "no access to this tenant."),
    "405": _error("Only GET is allowed."),
}

SEARCH_PARAMETERS = [
    {"name": "q", "in": "query", "required": True, "description": "The words to look for. Accents and capitals "
     "do not matter, typos are forgiven, the last word matches as a prefix, `\"exact phrase\"` and `-word` work.",
     "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY}},
    {"name": "kind", "in": "query", "required": False, "schema": {"type": "string", "enum": list(Kind.values)}},
    {"name": "collection", "in": "query", "required": False,
     "description": "Slug of a collection: only what it holds, nested collections included.",
     "schema": {"type": "string"}},
    {"name": "tag", "in": "query", "required": False, "schema": {"type": "string", "maxLength": MAX_TAG}},
    {"name": "language", "in": "query", "required": False, "schema": {"type": "string", "enum": list(Language.values)}},
    {"name": "limit", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
]

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Stable, for programs: `missing_query`, `invalid_limit`, "
                         "`invalid_kind`, `invalid_language`, `invalid_tag`, `unknown_collection`, `query_too_long`, "
                         "`token_in_query`, `not_authenticated`, `invalid_token`, `not_found`, `method_not_allowed`."},
                "message": {"type": "string", "description": "For people, in the person's language."},
            },
        }},
    },
    "CollectionRef": {
        "type": "object", "required": ["id", "slug", "name"],
        "properties": {"id": {"type": "integer"}, "slug": {"type": "string"}, "name": {"type": "string"}},
    },
    "SearchHit": {
        "type": "object",
        "required": ["id", "kind", "title", "title_html", "collection", "language", "stale", "best_bet", "url",
                     "api_url", "match", "snippet", "snippet_html"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": list(Kind.values)},
            "title": {"type": "string"},
            "title_html": {"type": "string", "description": "Escaped, the matching words in `<mark>`."},
            "collection": _ref("CollectionRef"),
            "language": {"type": "string"},
            "stale": {"type": "boolean", "description": "Past its review-by date."},
            "best_bet": {"type": "boolean", "description": "Pinned by an editor for this query."},
            "url": {"type": "string", "format": "uri", "description": "The reading page, at the matching step or question."},
            "api_url": {"type": "string", "format": "uri"},
            "match": {"oneOf": [{"type": "null"}, {
                "type": "object", "required": ["anchor", "title_html"],
                "properties": {"anchor": {"type": "string", "examples": ["step-3", "faq-2"]},
                               "title_html": {"type": "string"}},
            }], "description": "The guide step or FAQ question that matches best, if any."},
            "snippet": {"type": "string"},
            "snippet_html": {"type": "string", "description": "Escaped, the matching words in `<mark>`."},
        },
    },
    "SearchResults": {
        "type": "object",
        "required": ["query", "corrected_query", "suggestions", "total", "total_is_capped", "total_label", "results"],
        "properties": {
            "query": {"type": "string"},
            "corrected_query": {**NULLABLE_STRING, "description": "Set when typos were corrected to find these hits."},
            "suggestions": {"type": "array", "items": {"type": "string"},
                            "description": "\"Did you mean\", when nothing was found."},
            "total": {"type": "integer", "description": "Matches, counted up to 50."},
            "total_is_capped": {"type": "boolean", "description": "More than 50 matches."},
            "total_label": {"type": "string", "examples": ["7", "50+"]},
            "results": {"type": "array", "items": _ref("SearchHit")},
        },
    },
    "Step": {
        "type": "object", "required": ["n", "title", "html", "anchor", "url"],
        "properties": {"n": {"type": "integer"}, "title": {"type": "string"}, "html": {"type": "string"},
                       "anchor": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
    },
    "Faq": {
        "type": "object", "required": ["n", "question", "alternatives", "html", "anchor", "url"],
        "properties": {"n": {"type": "integer"}, "question": {"type": "string"},
                       "alternatives": {"type": "array", "items": {"type": "string"}},
                       "html": {"type": "string"}, "anchor": {"type": "string"},
                       "url": {"type": "string", "format": "uri"}},
    },
    "Article": {
        "type": "object",
        "required": ["id", "kind", "title", "collection", "language", "tags", "url", "revision", "published_at",
                     "first_published_at", "review", "confidential", "archived", "body_html", "steps", "faqs",
                     "attachments"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": list(Kind.values)},
            "title": {"type": "string"},
            "collection": _ref("CollectionRef"),
            "language": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "url": {"type": "string", "format": "uri", "description": "The reading page."},
            "revision": {"type": "integer", "description": "Number of the published revision shown."},
            "published_at": NULLABLE_DATETIME,
            "first_published_at": NULLABLE_DATETIME,
            "review": {
                "type": "object", "required": ["review_by", "stale", "verified_at"],
                "properties": {"review_by": {"type": "string", "format": "date"}, "stale": {"type": "boolean"},
                               "verified_at": NULLABLE_DATETIME},
            },
            "confidential": {"type": "boolean", "description": "The article or one of its collections is confidential "
                             "(reading it is written to the tenant's audit log)."},
            "archived": {"type": "boolean"},
            "body_html": {"type": "string", "description": "Sanitised HTML of the body (guides and FAQs may have none)."},
            "steps": {"type": "array", "items": _ref("Step")},
            "faqs": {"type": "array", "items": _ref("Faq")},
            "attachments": {"type": "array", "items": _ref("Attachment"),
                            "description": "The images and files this revision shows."},
        },
    },
    "Attachment": {
        "type": "object",
        "required": ["id", "kind", "name", "type", "size", "url", "page_url"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "kind": {"type": "string", "enum": ["image", "file"]},
            "name": {"type": "string"},
            "type": {"type": "string", "description": "The content type it is served with."},
            "size": {"type": "integer", "description": "Bytes."},
            "url": {"type": "string", "format": "uri", "description": "The file, through this API (/files/{id})."},
            "page_url": {"type": "string", "format": "uri", "description": "The same file, for a signed-in browser."},
        },
    },
}


def schema(*, server_url: str) -> dict:
    """The description, with `server_url` (this tenant's `/api/v1`) as the server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kbportal JSON API",
            "version": "1",
            "description": (
                "Search a tenant's knowledge base and read its articles, guides and FAQs with exactly the access "
                "of the person calling: the same permission layer as the pages. Authenticate with a personal API "
                "token (create and revoke it in your profile on the public site) in `Authorization: Bearer "
                "<token>`, or with the session of a signed-in browser (same-origin requests). Tokens in the "
                "query string are refused. Every error is JSON: `{\"error\": {\"code\", \"message\"}}`."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerToken": []}, {"sessionCookie": []}],
        "paths": {
            "/search": {"get": {
                "operationId": "search",
                "summary": "Search what you may read",
                "description": "Best bets first, then by relevance; stale content is ranked lower. Each query is "
                               "logged for the tenant's content-gap report, like a lookup in the app.",
                "parameters": SEARCH_PARAMETERS,
                "responses": {
                    "200": {"description": "The hits.", "content": {JSON: {"schema": _ref("SearchResults")}}},
                    "400": _error("A parameter is missing or not valid; the message says which."),
                    **ERRORS,
                },
            }},
            "/articles/{id}": {"get": {
                "operationId": "getArticle",
                "summary": "Read one article, guide or FAQ",
                "description": "The published revision. Reading confidential content is written to the tenant's "
                               "audit log.",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {"description": "The article.", "content": {JSON: {"schema": _ref("Article")}}},
                    **ERRORS,
                },
            }},
            "/files/{id}": {"get": {
                "operationId": "getFile",
                "summary": "Download an image or file of an article",
                "description": "Where you may read a revision that shows it (a published one, unless you edit the "
                               "workspace); images as re-encoded "
                               "when uploaded, other files as attachments (Content-Disposition: attachment).",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "string", "format": "uuid"}}],
                "responses": {"200": {"description": "The bytes.", "content": {"*/*": {}}}, **ERRORS},
            }},
            "/schema": {"get": {
                "operationId": "getSchema",
                "summary": "This description",
                "responses": {"200": {"description": "OpenAPI 3.1.", "content": {JSON: {"schema": {"type": "object"}}}},
                              **ERRORS},
            }},
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerToken": {
                    "type": "http", "scheme": "bearer", "bearerFormat": "kbp_<prefix>_<secret>",
                    "description": "A personal API token: acts as its person, with their access in each tenant.",
                },
                "sessionCookie": {
                    "type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                    "description": "The session of a signed-in browser (same-origin requests from the app).",
                },
            },
        },
    }
