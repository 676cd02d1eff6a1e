from django.urls import path, re_path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/bell/", views.bell, name="bell"),
    path("notifications/read-all/", views.mark_all_read, name="read-all"),
    path("notifications/<int:pk>/", views.notification_open, name="open"),
    path("notifications/<int:pk>/read/", views.mark_read, name="read"),
    path("following/", views.following, name="following"),
    path("following/teams/", views.team_follow_admin, name="team-follow-admin"),
    path("following/my-teams/", views.team_follow_lead, name="team-follow-lead"),
    path("following/collections/<slug:slug>/", views.follow_collection, name="follow-collection"),
    re_path(r"^following/(?P<prefix>articles|guides|faqs)/(?P<slug>[-a-zA-Z0-9_]+)/$", views.follow_article,
            name="follow-article"),
]
