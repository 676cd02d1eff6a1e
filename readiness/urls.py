"""Must-reads and readiness, included at the tenant root: what a person must read and the
acknowledgement page (everyone), readiness (client editors and admins; a provider lead for
their own people), and the reminder settings (tenant admins)."""

from django.urls import path, re_path

from . import views

app_name = "readiness"

KIND = r"(?P<prefix>articles|guides|faqs)"
SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"

urlpatterns = [
    path("must-read/", views.mine, name="mine"),
    re_path(rf"^must-read/{KIND}/{SLUG}/$", views.acknowledge, name="acknowledge"),
    path("readiness/", views.overview, name="overview"),
    path("readiness/<int:pk>/", views.detail, name="detail"),
    path("readiness/settings/", views.settings, name="settings"),
    path("readiness/my-people/", views.provider_overview, name="provider"),
    path("readiness/my-people/<int:pk>/", views.provider_detail, name="provider-detail"),
]
