"""Read-only views for platform staff: results and certificates change only through the
services (publication, revocation), which keep the workflow and the audit log in step."""

from django.contrib import admin

from zhicheng.certificates.models import Certificate, Objection, ResultPublicity


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ResultPublicity)
class ResultPublicityAdmin(ReadOnlyAdmin):
    list_display = ("title", "plan", "starts_on", "ends_on", "published_at", "document_number")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("publicity", "name", "submitted_at", "handled_at")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "holder_name", "title", "committee", "issued_on", "revoked_at")
    search_fields = ("number", "holder_name")
    exclude = ("token", "id_number")
