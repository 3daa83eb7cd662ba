from django.contrib import admin

from zhicheng.core.audit import log_action
from zhicheng.integrity.models import IntegrityRecord


@admin.register(IntegrityRecord)
class IntegrityRecordAdmin(admin.ModelAdmin):
    list_display = ("person", "kind", "found_on", "banned_from", "banned_until", "revoked_at")
    list_filter = ("kind",)
    search_fields = ("person__real_name", "person__mobile", "document_number")
    raw_id_fields = ("person",)
    exclude = ("recorded_by", "recorded_at")

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        """Records entered here are logged in the audit chain like every other change."""
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        log_action(
            actor=request.user,
            action="integrity.record_changed" if change else "integrity.record_added",
            obj=obj,
            data={"person": obj.person_id, "kind": obj.kind, "ban": [str(obj.banned_from), str(obj.banned_until)]},
        )
