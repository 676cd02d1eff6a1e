"""A provider lead's pages on the public site, included at `provider/`."""

from django.urls import path

from . import views_provider

app_name = "provider"

urlpatterns = [
    path("", views_provider.home, name="home"),
    path("<int:provider>/", views_provider.overview, name="overview"),
    path("<int:provider>/teams/new/", views_provider.team_create, name="team-create"),
    path("<int:provider>/teams/<int:team>/", views_provider.team_detail, name="team"),
    path("<int:provider>/teams/<int:team>/rename/", views_provider.team_rename, name="team-rename"),
    path("<int:provider>/teams/<int:team>/clients/", views_provider.team_clients, name="team-clients"),
    path("<int:provider>/teams/<int:team>/members/add/", views_provider.team_member_add, name="team-member-add"),
    path("<int:provider>/teams/<int:team>/members/<int:user>/remove/", views_provider.team_member_remove,
         name="team-member-remove"),
    path("<int:provider>/people/<int:person>/", views_provider.person_clients, name="person"),
]
urlpatterns += [
    path("<int:provider>/invite/", views_provider.invite, name="invite"),
    path("<int:provider>/invite/one/", views_provider.invite_one, name="invite-one"),
    path("<int:provider>/invite/csv/", views_provider.invite_csv, name="invite-csv"),
    path("<int:provider>/invite/csv/confirm/", views_provider.invite_csv_confirm, name="invite-csv-confirm"),
    path("<int:provider>/invitations/<int:pk>/revoke/", views_provider.invitation_revoke, name="invitation-revoke"),
    path("<int:provider>/people/<int:person>/deactivate/", views_provider.person_deactivate, name="person-deactivate"),
    path("join/<str:token>/", views_provider.join, name="join"),
]
