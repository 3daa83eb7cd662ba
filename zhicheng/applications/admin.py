"""Read-only views of applications for platform staff: every change goes through the services."""

from django.contrib import admin

from zhicheng.applications.models import Application, StatusChange


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "action", "actor", "reason", "at")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("number", "applicant", "plan", "level", "status", "submitted_at", "needs_claim_review")
    list_filter = ("status", "needs_claim_review", "plan__year")
    search_fields = ("number", "applicant__real_name", "applicant__mobile", "plan__number")
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
