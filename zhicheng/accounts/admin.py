from typing import Any

from django.contrib import admin

from zhicheng.accounts.models import ApplicantProfile, User
from zhicheng.core.crypto import blind_indexes


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["real_name", "mobile", "id_type", "is_active", "is_staff", "locked_until", "date_joined"]
    list_filter = ["is_active", "is_staff", "id_type"]
    search_fields = ["real_name", "mobile"]
    search_help_text = "姓名、手机号码，或完整的证件号码"
    exclude = ["password", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined", "failed_logins"]

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> tuple[Any, bool]:
        """ID numbers are sealed: a whole number is found by its blind index, never by a part."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= queryset.filter(id_number_index__in=blind_indexes(search_term))
        return results, may_have_duplicates


@admin.register(ApplicantProfile)
class ApplicantProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "employer", "series", "work_start"]
    search_fields = ["user__real_name", "employer__name"]
    autocomplete_fields = ["user", "employer"]
