from django.contrib import admin

from zhicheng.accounts.models import ApplicantProfile, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["real_name", "mobile", "id_type", "is_active", "is_staff", "locked_until", "date_joined"]
    list_filter = ["is_active", "is_staff", "id_type"]
    search_fields = ["real_name", "mobile", "id_number"]
    exclude = ["password", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined", "failed_logins"]


@admin.register(ApplicantProfile)
class ApplicantProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "employer", "series", "work_start"]
    search_fields = ["user__real_name", "employer__name"]
    autocomplete_fields = ["user", "employer"]
