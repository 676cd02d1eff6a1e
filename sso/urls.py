from django.urls import path

from . import views, views_saml

app_name = "sso"

urlpatterns = [
    path("", views.start, name="start"),
    path("callback/", views.callback, name="callback"),
    path("saml/acs/", views_saml.acs, name="saml-acs"),
    path("saml/metadata/", views_saml.metadata, name="saml-metadata"),
]
