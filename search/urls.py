"""Search pages of a tenant site: the lookup page and what it posts. The JSON API is in
search/urls_api.py, the editors' tuning pages in search/urls_editor.py."""

from django.urls import path, re_path

from . import views

app_name = "search"

KIND = r"(?P<prefix>articles|guides|faqs)"
SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"

urlpatterns = [
    path("search/", views.lookup, name="lookup"),
    path("search/not-found/", views.not_found, name="not-found"),
    re_path(rf"^{KIND}/{SLUG}/pin/$", views.pin, name="pin"),
]
