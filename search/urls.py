"""Search pages of a tenant site. The engine is `search.engine.search`; the lookup page and the
JSON API hang off here."""

app_name = "search"

urlpatterns: list = []
