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
