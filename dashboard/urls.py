"""The collaboration dashboard, under /dashboard/: the page, one table as CSV, and the weekly
summary opt-in (tenant admins)."""

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.page, name="page"),
    path("export/", views.export, name="export"),
    path("summary/", views.summary, name="summary"),
]
