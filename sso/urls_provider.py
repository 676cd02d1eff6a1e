from django.urls import path

from . import views_workspace

app_name = "provider_sso"

urlpatterns = [
    path("", views_workspace.provider_settings_page, name="edit"),
]
