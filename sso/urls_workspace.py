from django.urls import path

from . import views_workspace

app_name = "sso_settings"

urlpatterns = [
    path("", views_workspace.settings_page, name="edit"),
]
