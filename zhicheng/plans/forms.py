"""The plan form and its review-chain formset; errors are shown beside their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory

from zhicheng.core.forms import StyledFormMixin
from zhicheng.orgs.models import AcceptancePoint, Committee, Organisation
from zhicheng.plans.models import Plan, PlanStage, end_of_day
from zhicheng.plans.validation import plan_errors, policy_choices
from zhicheng.reference.models import Series, Specialty, Subspecialty, TitleLevel
from zhicheng.rules import vocab


class PlanForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label="计划编号", max_length=40, help_text="如：2022-00533")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="计划名称", max_length=200)
    committee = forms.ModelChoiceField(label="评审委员会", queryset=Committee.objects.none())
    series = forms.ModelChoiceField(label="职称系列", queryset=Series.objects.all())
    specialty = forms.ModelChoiceField(label="专业", queryset=Specialty.objects.all(), required=False)
    subspecialties = forms.ModelMultipleChoiceField(
        label="子专业",
        queryset=Subspecialty.objects.select_related("specialty"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    policy_id = forms.ChoiceField(label="适用政策", choices=())
    levels = forms.ModelMultipleChoiceField(
        label="申报级别",
        queryset=TitleLevel.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个申报级别。"},
    )
    application_types = forms.MultipleChoiceField(
        label="申报类型",
        choices=list(vocab.APPLICATION_TYPE_NAMES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选：政策对所选级别允许的全部类型",
    )
    acceptance_points = forms.ModelMultipleChoiceField(
        label="受理点",
        queryset=AcceptancePoint.objects.select_related("region"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    individual_start = forms.DateTimeField(
        label="个人申报开始时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    individual_end = forms.DateField(
        label="个人申报截止日",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="含当日，至当日 23:59:59（北京时间）",
    )
    employer_deadline = forms.DateField(
        label="单位推荐截止日", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    seniority_cutoff = forms.DateField(
        label="资历计算截止日", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    achievements_cutoff = forms.DateField(
        label="业绩截止日", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    publicity_working_days = forms.IntegerField(label="单位公示工作日数", min_value=1, max_value=30, initial=5)
    remark = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_published = forms.BooleanField(label="发布（公众可查询）", required=False, initial=True)

    def __init__(self, *args: Any, committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["policy_id"].choices = [("", "—— 请选择 ——"), *policy_choices()]
        self.fields["policy_id"].error_messages["invalid_choice"] = "政策“%(value)s”不存在，请从列表中选择。"

    @classmethod
    def initial_for(cls, plan: Plan) -> dict[str, Any]:
        from django.utils import timezone

        return {
            **{name: getattr(plan, name) for name in ("number", "year", "name", "committee", "series", "specialty")},
            "policy_id": plan.policy_id,
            "subspecialties": list(plan.subspecialties.all()),
            "levels": list(plan.levels.all()),
            "application_types": plan.application_types,
            "acceptance_points": list(plan.acceptance_points.all()),
            "individual_start": timezone.localtime(plan.individual_start),
            "individual_end": plan.individual_last_day,
            **{
                name: getattr(plan, name)
                for name in (
                    "employer_deadline",
                    "seniority_cutoff",
                    "achievements_cutoff",
                    "publicity_working_days",
                    "remark",
                    "is_published",
                )
            },
        }

    def plan_data(self) -> dict[str, Any]:
        """Cleaned data in the services' shape (the end day becomes its inclusive end)."""
        data = dict(self.cleaned_data)
        if data.get("individual_end"):
            data["individual_end"] = end_of_day(data["individual_end"])
        data["subspecialties"] = list(data.get("subspecialties") or [])
        data["levels"] = list(data.get("levels") or [])
        data["acceptance_points"] = list(data.get("acceptance_points") or [])
        return data


class StageForm(StyledFormMixin, forms.Form):
    order = forms.IntegerField(label="顺序", min_value=1, max_value=20)
    office_kind = forms.ChoiceField(label="审核部门类型", choices=[("", "——"), *PlanStage.OfficeKind.choices])
    organisation = forms.ModelChoiceField(
        label="指定单位",
        queryset=Organisation.objects.exclude(kind=Organisation.Kind.EMPLOYER).filter(
            status=Organisation.Status.APPROVED
        ),
        required=False,
    )
    label = forms.CharField(label="环节名称", max_length=100)
    deadline = forms.DateField(
        label="截止日", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


StageFormSet = formset_factory(StageForm, extra=2, can_delete=True)


def stage_initial(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "order": s.order,
            "office_kind": s.office_kind,
            "organisation": s.organisation_id,
            "label": s.label,
            "deadline": s.deadline,
        }
        for s in plan.stages.all()
    ]


def validate_plan(form: PlanForm, formset: Any) -> bool:
    """Validate both, then the plan's invariants, putting each error beside its field."""
    form_ok, formset_ok = form.is_valid(), formset.is_valid()
    if not (form_ok and formset_ok):
        return False
    stage_forms = [f for f in formset.forms if f.has_changed() and not f.cleaned_data.get("DELETE")]
    stages = [f.cleaned_data for f in stage_forms]
    errors = plan_errors(form.plan_data(), stages)
    for key, messages in errors.items():
        for message in messages:
            if isinstance(key, tuple):
                stage_forms[key[1]].add_error(key[2], message)
            else:
                form.add_error(key if key in form.fields else None, message)
    form.stages = stages
    return not errors
