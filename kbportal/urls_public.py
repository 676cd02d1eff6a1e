"""URLs of the public site (`KB_BASE_DOMAIN`): sign-in, workspaces, platform admin."""

from django.contrib import admin
from django.urls import include, path

from outbox import views as outbox_views
from tenants import views, views_people, views_profile

admin.site.site_header = "kbportal platform admin"

urlpatterns = [
    path("", views.workspaces, name="workspaces"),
    path("accounts/sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("accounts/sso/", include("sso.urls")),
    path("accounts/sign-out/", views.sign_out, name="sign-out"),
    path("accounts/two-factor/", include("twofactor.urls")),
    path("i18n/setlang/", views.set_language, name="set-language"),
    path("profile/", views_profile.profile, name="profile"),
    path("", include("tenants.urls_account")),  # forgotten password, profile: password, sessions
    path("invitations/<str:token>/", views_people.invitation, name="invitation"),
    path("provider/<int:provider>/sso/", include("sso.urls_provider")),
    path("provider/", include("tenants.urls_provider")),
    path("mail/unsubscribe/<str:token>/", outbox_views.unsubscribe, name="mail-unsubscribe"),
    path("admin/", admin.site.urls),
]

# The product's own error pages (kbportal/errors.py), never Django's technical ones.
handler400 = "kbportal.errors.bad_request"
handler403 = "kbportal.errors.permission_denied"
handler404 = "kbportal.errors.page_not_found"
handler500 = "kbportal.errors.server_error"
