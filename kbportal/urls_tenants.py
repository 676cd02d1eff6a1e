"""URLs of a tenant site (`<tenant>.KB_BASE_DOMAIN`). Every view here is reached only through
tenants.middleware.TenantAccessMiddleware, which lets members (and engaged providers) in."""

from django.urls import include, path

from tenants import views as tenant_views

urlpatterns = [
    path("people/", include("tenants.urls_people")),
    path("access/sso/", include("sso.urls_workspace")),
    path("access/", include("permissions.urls")),
    path("api/v1/", include("search.urls_api")),
    path("search/manage/", include("search.urls_editor")),
    path("settings/email/", include("outbox.urls")),
    path("", include("search.urls")),
    path("", include("notifications.urls")),
    path("", include("readiness.urls")),
    path("", include("checks.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("articles.urls")),
    path("accounts/sign-out/", tenant_views.sign_out, name="sign-out"),
    path("i18n/setlang/", tenant_views.set_language, name="set-language"),
]

# The product's own error pages (kbportal/errors.py), never Django's technical ones.
handler400 = "kbportal.errors.bad_request"
handler403 = "kbportal.errors.permission_denied"
handler404 = "kbportal.errors.page_not_found"
handler500 = "kbportal.errors.server_error"
