from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to", "subject", "stream", "schema_name", "status", "attempts", "sent_at")
    list_filter = ("status", "stream")
    search_fields = ("to", "subject")
    readonly_fields = [field.name for field in Message._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = services.send_again(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)s e-mails queued again.") % {"count": count}, messages.SUCCESS)
