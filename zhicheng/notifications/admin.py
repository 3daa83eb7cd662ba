from django.contrib import admin
from django.http import HttpRequest

from zhicheng.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by ``services`` and audited there."""

    list_display = ["created_at", "channel", "recipient", "masked", "template", "subject", "status", "attempts"]
    list_filter = ["channel", "status", "template"]
    search_fields = ["address", "subject", "recipient__real_name", "recipient__mobile"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]

    @admin.display(description="接收地址")
    def masked(self, message: Message) -> str:
        return message.masked_address

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False
