"""Admin for reference data. Rows come from ``manage.py load_reference``; corrections are made here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone

from zhicheng.reference import selectors
from zhicheng.reference.models import (
    DataVersion,
    HolidayOverride,
    HonourListEntry,
    MajorFamily,
    PlanCalendar,
    PlanCalendarEntry,
    Region,
    Series,
    Specialty,
    Subspecialty,
    TitleLevel,
    WorkFieldName,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_mountain_county"]
    list_filter = ["level", "is_mountain_county", "parent"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(TitleLevel)
class TitleLevelAdmin(admin.ModelAdmin):
    list_display = ["rank", "code", "name", "grade"]
    ordering = ["rank"]


class SpecialtyInline(admin.TabularInline):
    model = Specialty
    extra = 0
    fields = ["code", "name"]
    show_change_link = True


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [SpecialtyInline]


class SubspecialtyInline(admin.TabularInline):
    model = Subspecialty
    extra = 0
    fields = ["code", "name"]


class WorkFieldNameInline(admin.TabularInline):
    model = WorkFieldName
    extra = 0
    fields = ["position", "name"]


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "series"]
    list_filter = ["series"]
    search_fields = ["code", "name", "series__name"]
    list_select_related = ["series"]
    inlines = [SubspecialtyInline, WorkFieldNameInline]


@admin.register(Subspecialty)
class SubspecialtyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "specialty"]
    list_filter = ["specialty"]
    search_fields = ["code", "name"]
    list_select_related = ["specialty"]


@admin.register(WorkFieldName)
class WorkFieldNameAdmin(admin.ModelAdmin):
    list_display = ["name", "specialty", "position"]
    list_filter = ["specialty"]
    search_fields = ["name"]
    list_select_related = ["specialty"]


@admin.register(MajorFamily)
class MajorFamilyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "policy_ids"]
    search_fields = ["code", "name"]


@admin.register(PlanCalendar)
class PlanCalendarAdmin(admin.ModelAdmin):
    list_display = ["year", "city", "title", "document_number", "issued_on"]
    list_filter = ["year", "city"]
    list_select_related = ["city"]


@admin.register(PlanCalendarEntry)
class PlanCalendarEntryAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "city",
        "display_number",
        "series_name",
        "titles",
        "review_month",
        "material_month",
        "receiving_unit",
        "phone",
        "remark",
    ]
    list_display_links = ["display_number", "titles"]
    list_filter = ["year", "city", "series"]
    search_fields = ["series_name", "titles", "receiving_unit", "remark"]
    list_select_related = ["city"]
    ordering = ["-year", "city", "row_number", "sub_number"]

    @admin.display(description="序号", ordering="row_number")
    def display_number(self, obj: PlanCalendarEntry) -> str:
        return obj.display_number


@admin.register(HonourListEntry)
class HonourListEntryAdmin(admin.ModelAdmin):
    list_display = ["policy_id", "row_number", "name", "level", "max_applicants"]
    list_filter = ["policy_id", "level"]
    search_fields = ["name"]


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "name", "updated_at"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"
    search_fields = ["name"]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self.warn_missing_years(request)
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "GET":
            self.warn_missing_years(request)
        return super().add_view(request, form_url, extra_context)

    @staticmethod
    def warn_missing_years(request) -> None:
        """Warn when this year's or next year's holidays are known neither to the package nor here."""
        this_year = timezone.localdate().year
        for warning in selectors.calendar_warnings([this_year, this_year + 1]):
            messages.warning(request, warning)


@admin.register(DataVersion)
class DataVersionAdmin(admin.ModelAdmin):
    list_display = ["dataset", "version", "loaded_at"]
    readonly_fields = ["dataset", "version", "loaded_at"]

    def has_add_permission(self, request) -> bool:
        return False
