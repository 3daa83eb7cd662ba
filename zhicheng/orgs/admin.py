from django.contrib import admin

from zhicheng.orgs.models import AcceptancePoint, Committee, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ["user", "committee"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Offices and committees' bodies are managed here; employers are approved on their own page."""

    list_display = ["name", "kind", "region", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "uscc"]
    readonly_fields = ["status", "rejection_reason", "reviewed_at", "reviewed_by", "authorisation_letter"]
    inlines = [MembershipInline]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "organising_body", "specialty", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["organising_body"]


@admin.register(AcceptancePoint)
class AcceptancePointAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "region"]
    autocomplete_fields = ["office"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "committee", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__real_name", "user__mobile", "organisation__name"]
    autocomplete_fields = ["user", "organisation", "committee"]
