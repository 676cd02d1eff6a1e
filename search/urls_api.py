"""The JSON API of a tenant site, included at `api/v1/` (see search/api.py and the README's
"JSON API" section; the OpenAPI description is served at `schema`)."""

from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("search", api.search, name="search"),
    path("articles/<int:pk>", api.article, name="article"),
    path("files/<uuid:file_id>", api.file, name="file"),
    path("schema", api.schema, name="schema"),
]
