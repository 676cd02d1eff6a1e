"""Self-service pages of the public site: the forgotten password and the profile's password
and sessions, included at the root."""

from django.urls import path

from . import views_password, views_profile

urlpatterns = [
    path("accounts/password/reset/", views_password.password_reset, name="password-reset"),
    path("accounts/password/reset/sent/", views_password.password_reset_sent, name="password-reset-sent"),
    path("accounts/password/reset/<str:uidb64>/<str:token>/", views_password.password_reset_confirm,
         name="password-reset-confirm"),
    path("profile/details/", views_profile.details, name="profile-details"),
    path("profile/password/", views_profile.password_change, name="profile-password"),
    path("profile/sessions/", views_profile.session_list, name="profile-sessions"),
    path("profile/sessions/sign-out-others/", views_profile.sessions_end_others, name="profile-sessions-end-others"),
    path("profile/sessions/<int:pk>/sign-out/", views_profile.session_end, name="profile-session-end"),
]
