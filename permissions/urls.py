"""Access pages of a tenant site, included at `access/`: grants, the access review and the
audit log (tenant admins), and the teams page (provider leads)."""

from django.urls import path, re_path

from . import views, views_settings

app_name = "access"

KIND = r"(?P<prefix>articles|guides|faqs)"
SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"
GRANT = r"(?P<kind>collection-team|collection-person|article-team|article-person)/(?P<pk>[0-9]+)"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("collections/<slug:slug>/", views.collection_grants, name="collection"),
    re_path(rf"^{KIND}/{SLUG}/$", views.article_grants, name="article"),
    re_path(rf"^grants/{GRANT}/change/$", views.grant_change, name="grant-change"),
    re_path(rf"^grants/{GRANT}/revoke/$", views.grant_revoke, name="grant-revoke"),
    path("review/collections/<slug:slug>/", views.review_collection, name="review-collection"),
    re_path(rf"^review/{KIND}/{SLUG}/$", views.review_article, name="review-article"),
    path("review/people/", views.review_people, name="review-people"),
    path("review/people/<int:pk>/", views.review_person, name="review-person"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export/", views.audit_export, name="audit-export"),
    path("teams/", views.lead_teams, name="teams"),
    path("images/", views_settings.image_sources, name="image-sources"),
    path("two-factor/", views_settings.two_factor, name="two-factor"),
]
