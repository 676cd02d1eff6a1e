"""The people pages of a tenant site (tenant admins only), included at `people/`."""

from django.urls import path

from . import views_people

app_name = "people"

urlpatterns = [
    path("", views_people.people, name="list"),
    path("invite/", views_people.invite, name="invite"),
    path("invitations/<int:pk>/resend/", views_people.invitation_resend, name="invitation-resend"),
    path("invitations/<int:pk>/revoke/", views_people.invitation_revoke, name="invitation-revoke"),
    path("<int:pk>/role/", views_people.role_change, name="role"),
    path("<int:pk>/remove/", views_people.remove, name="remove"),
]
