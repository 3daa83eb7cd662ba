"""Read-only admin views of the archive (changes go through the pages and their services)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from zhicheng.archive.models import Evidence, Record


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ("id", "owner", "record_type", "summary", "status", "submitted_at", "withdrawn_at")
    list_filter = ("status", "record_type", "imported")
    search_fields = ("owner__real_name", "summary")
    list_select_related = ("owner",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "record", "kind", "size", "uploaded_at", "removed_at")
    exclude = ("file",)
    list_select_related = ("record",)
