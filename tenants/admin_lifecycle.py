"""The platform admin's life-cycle actions on clients (tenants.lifecycle) and the platform log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import Channel

from . import lifecycle
from .models import ClientStatus, PlatformEvent


class LifecycleActionsMixin:
    """Read-only, suspend, reactivate, export (one client at a time: one archive) and delete
    (suspended clients only, after typing each schema name on a confirmation page)."""

    actions = ["make_read_only", "suspend", "reactivate", "export_archive", "delete_clients"]
    # Every action needs the change permission on clients: a platform admin who may only view
    # them must not be able to suspend, export (all of a client's data) or delete one.

    def _set(self, request, queryset, status):
        for client in queryset:
            lifecycle.client_status_set(client=client, status=status, actor=request.user, channel=Channel.ADMIN)
        self.message_user(request, _("%(count)d client(s): %(status)s.") % {
            "count": queryset.count(), "status": ClientStatus(status).label})

    @admin.action(permissions=["change"], description=gettext_lazy("Make the selected clients read-only"))
    def make_read_only(self, request, queryset):
        self._set(request, queryset, ClientStatus.READ_ONLY)

    @admin.action(permissions=["change"], description=gettext_lazy("Suspend the selected clients (nobody gets in)"))
    def suspend(self, request, queryset):
        self._set(request, queryset, ClientStatus.SUSPENDED)

    @admin.action(permissions=["change"], description=gettext_lazy("Reactivate the selected clients"))
    def reactivate(self, request, queryset):
        self._set(request, queryset, ClientStatus.ACTIVE)

    @admin.action(permissions=["change"], description=gettext_lazy("Export the selected client as one archive"))
    def export_archive(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Export one client at a time."), messages.ERROR)
            return None
        client = queryset.get()
        data, _summary = lifecycle.client_export(client=client, actor=request.user, channel=Channel.ADMIN)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{client.schema_name}-export.zip"'
        return response

    @admin.action(permissions=["change"], description=gettext_lazy("Delete the selected suspended clients for good"))
    def delete_clients(self, request, queryset):
        active = [c for c in queryset if c.status != ClientStatus.SUSPENDED]
        if active:
            self.message_user(request, _("Only suspended clients can be deleted: suspend %(names)s first.") % {
                "names": ", ".join(c.schema_name for c in active)}, messages.ERROR)
            return None
        if request.POST.get("confirmed") == "yes":
            deleted, refused = [], []
            for client in queryset:
                try:
                    lifecycle.client_delete(client=client, confirm=request.POST.get(f"confirm_{client.pk}", ""),
                                            actor=request.user, channel=Channel.ADMIN)
                    deleted.append(client.schema_name)
                except lifecycle.LifecycleError as exc:
                    refused.append(f"{client.schema_name}: {exc}")
            if deleted:
                self.message_user(request, _("Deleted: %(names)s.") % {"names": ", ".join(deleted)})
            for line in refused:
                self.message_user(request, line, messages.ERROR)
            return None
        return TemplateResponse(request, "admin/tenants/client/delete_for_good.html", {
            **self.admin_site.each_context(request), "title": _("Delete clients for good"),
            "clients": list(queryset), "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(PlatformEvent)
class PlatformEventAdmin(admin.ModelAdmin):
    """The platform log: read, never written or erased here."""

    list_display = ["at", "action", "schema_name", "client_name", "actor_label", "channel"]
    list_filter = ["action", "channel"]
    search_fields = ["schema_name", "client_name", "actor_label"]
    readonly_fields = [f.name for f in PlatformEvent._meta.fields]
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
