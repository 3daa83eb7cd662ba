from django.contrib import admin

from zhicheng.portal.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "document_number", "published_at", "is_published"]
    search_fields = ["title", "body"]
