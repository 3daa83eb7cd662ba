"""Read-only view of export jobs for platform staff (results are downloaded through the job
page, which checks permission; the admin shows no file link)."""

from django.contrib import admin

from zhicheng.documents.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("public_id", "kind", "status", "progress", "total", "created_by", "created_at", "finished_at")
    list_filter = ("kind", "status")
    exclude = ("result",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
