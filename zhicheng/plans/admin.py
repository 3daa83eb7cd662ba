from django.contrib import admin

from zhicheng.plans.models import Plan, PlanStage


class PlanStageInline(admin.TabularInline):
    model = PlanStage
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "committee", "individual_start", "individual_end", "is_published")
    list_filter = ("year", "is_published", "policy_id")
    search_fields = ("number", "name")
    inlines = [PlanStageInline]
    filter_horizontal = ("levels", "subspecialties", "acceptance_points")
