"""Tenant URLs of the outbox: the person's e-mail settings for this workspace."""

from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.preference_page, name="preferences"),
]
