"""Forms of the six steps. Each names its fields in Chinese; errors show beside the field and
what the applicant entered stays in the form."""

from __future__ import annotations

from typing import Any

from django import forms

from zhicheng.applications import steps
from zhicheng.applications.models import Application, Attachment, ExpertRecommendation
from zhicheng.applications.photo import validate_photo
from zhicheng.applications.selectors import INFO_TYPES, approved_records
from zhicheng.archive import registry
from zhicheng.archive.forms import EVIDENCE_ACCEPT, EVIDENCE_KINDS, EVIDENCE_MAX_BYTES
from zhicheng.archive.models import Record
from zhicheng.core.forms import StyledFormMixin
from zhicheng.core.uploads import PDF, validate_upload
from zhicheng.lib.idnumbers import InvalidIdNumber, normalise_id_number, parse_id_number


class PhotoForm(StyledFormMixin, forms.Form):
    photo = forms.FileField(
        label="照片",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,image/jpeg"}),
        help_text=(
            "标准证件照（1 寸或 2 寸白底）：JPG/JPEG，大于 30 KB 且小于 1 MB，不小于 215×300 像素，宽高比 0.65–0.8。"
        ),
    )

    def clean_photo(self) -> Any:
        upload = self.cleaned_data["photo"]
        self.cleaned_data["size"] = validate_photo(upload)
        return upload


class PledgeForm(StyledFormMixin, forms.Form):
    agree = forms.BooleanField(
        label="本人已认真阅读上述保证书，承诺所填报信息和材料真实、准确、完整",
        error_messages={"required": "请勾选“本人已认真阅读上述保证书”后再签署。"},
    )


class RecordChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Record) -> str:
        return obj.summary or str(obj)


class InfoForm(StyledFormMixin, forms.Form):
    level = forms.ModelChoiceField(label="申报级别", queryset=None, empty_label=None)
    application_type = forms.ChoiceField(label="申报方式")
    subspecialty = forms.ModelChoiceField(label="子专业", queryset=None, required=False)
    qualification_type = forms.ChoiceField(
        label="现有资格类型", choices=Application.QualificationType.choices, widget=forms.RadioSelect
    )
    titles = RecordChoiceField(
        label="专业技术职务任职资格", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    skill_grades = RecordChoiceField(
        label="职业资格", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    has_appointment = forms.TypedChoiceField(
        label="专业技术职务聘任情况",
        choices=[("0", "无"), ("1", "有")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    appointments = RecordChoiceField(
        label="现聘专业技术职务", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = RecordChoiceField(label="职称外语", queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    computers = RecordChoiceField(
        label="职称计算机", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    acceptance_point = forms.ModelChoiceField(label="受理点", queryset=None)
    claims = forms.MultipleChoiceField(
        label="申报人声明的条件（须评审核实）", required=False, widget=forms.CheckboxSelectMultiple
    )

    RECORD_FIELDS = {
        "titles": "title",
        "skill_grades": "skill_grade",
        "appointments": "appointment",
        "languages": "language",
        "computers": "computer",
    }

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        from zhicheng.eligibility.selectors import claim_options
        from zhicheng.rules import vocab

        super().__init__(*args, **kwargs)
        plan = application.plan
        self.application = application
        self.fields["level"].queryset = plan.levels.order_by("rank")
        self.fields["application_type"].choices = [
            ("", "请选择"),
            *[(t, vocab.APPLICATION_TYPE_NAMES.get(t, t)) for t in plan.application_types],
        ]
        self.fields["subspecialty"].queryset = plan.subspecialties.all()
        self.fields["subspecialty"].required = plan.subspecialties.exists()
        self.fields["acceptance_point"].queryset = plan.acceptance_points.all()
        records = approved_records(application.applicant).filter(record_type__in=INFO_TYPES)
        for name, code in self.RECORD_FIELDS.items():
            self.fields[name].queryset = records.filter(record_type=code)
            if not self.fields[name].queryset.exists():
                self.fields[name].help_text = f"档案中没有已审核通过的{registry.get_type(code).label}记录。"
        # Claims of the level applied for; after a change of level they are chosen anew.
        self.claim_level = application.level.code
        self.fields["claims"].choices = [
            (cid, f"{label}（{heading.split('：')[0]}）")
            for heading, items in claim_options(plan.policy_id, self.claim_level)
            for cid, label in items
        ]

    @classmethod
    def initial_for(cls, application: Application) -> dict[str, Any]:
        chosen = application.selected_records.select_related("record")
        by_type: dict[str, list[int]] = {}
        for choice in chosen:
            by_type.setdefault(choice.record.record_type, []).append(choice.record_id)
        initial: dict[str, Any] = {
            "level": application.level_id,
            "application_type": application.application_type,
            "subspecialty": application.subspecialty_id,
            "qualification_type": application.qualification_type,
            "has_appointment": "1" if application.has_appointment else "0",
            "acceptance_point": application.acceptance_point_id,
            "claims": application.claims,
        }
        for name, code in cls.RECORD_FIELDS.items():
            initial[name] = by_type.get(code, [])
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        level = data.get("level")
        kind = data.get("qualification_type")
        if level is None:
            return data
        code = level.code
        if kind == Application.QualificationType.TITLE:
            titles = data.get("titles") or []
            if not titles:
                self.add_error(
                    "titles",
                    "资格类型为“专业技术职务任职资格”时，请选择档案中的现有职称（没有的请先在业绩档案中添加）。",
                )
            for title in titles:
                problem = steps.title_problem(code, title.specific.level.code)
                if problem:
                    self.add_error("titles", problem)
        elif kind == Application.QualificationType.VOCATIONAL:
            grades = [r.specific.grade for r in data.get("skill_grades") or []]
            if not grades:
                self.add_error("skill_grades", "资格类型为“职业资格”时，请选择档案中的职业技能等级证书。")
            elif all(steps.vocational_problem(code, g) for g in grades):
                self.add_error("skill_grades", steps.vocational_problem(code, min(grades)))
        title_levels = [t.specific.level.code for t in data.get("titles") or []] if kind == "title" else []
        needed = steps.appointment_needed(code, data.get("application_type", ""), title_levels)
        if (needed or data.get("has_appointment")) and not data.get("appointments"):
            self.add_error(
                "appointments",
                "以助理工程师职称申报工程师（或转评）须有专业技术职务聘任：请选择档案中的聘任情况。"
                if needed
                else "选择“有”聘任时，请选择档案中的聘任情况。",
            )
        if code != self.claim_level:
            data["claims"] = []  # another level's conditions: chosen again on the next visit
        return data

    def info_records(self) -> list[Record]:
        data = self.cleaned_data
        chosen: list[Record] = []
        for name in self.RECORD_FIELDS:
            if name == "titles" and data["qualification_type"] != "title":
                continue
            if name == "skill_grades" and data["qualification_type"] != "vocational":
                continue
            if name == "appointments" and not (data["has_appointment"] or data.get("appointments")):
                continue
            chosen += list(data.get(name) or [])
        return chosen


class RecordsForm(forms.Form):
    records = forms.MultipleChoiceField(label="提取的档案记录", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["records"].choices = choices

    def record_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data["records"]]


class AttachmentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="附件类型", choices=Attachment.Kind.choices)
    file = forms.FileField(
        label="文件",
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        help_text="PDF、JPG 或 PNG，不超过 10 MB。",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.cleaned_data["file_kind"] = validate_upload(upload, kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
        return upload


class RecommendationForm(StyledFormMixin, forms.ModelForm):
    letter_file = forms.FileField(
        label="专家推荐信（署名）",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text="PDF，不超过 10 MB，须有专家亲笔签名。",
    )

    class Meta:
        model = ExpertRecommendation
        fields = [
            "expert_name",
            "expert_id_number",
            "title_level",
            "specialty",
            "employer_name",
            "province",
            "is_relevant",
        ]

    def clean_expert_id_number(self) -> str:
        raw = self.cleaned_data["expert_id_number"]
        try:
            parse_id_number(raw)
        except InvalidIdNumber as error:
            raise forms.ValidationError(f"专家身份证件号码有误：{error}") from None
        return normalise_id_number(raw)

    def clean_letter_file(self) -> Any:
        upload = self.cleaned_data["letter_file"]
        self.cleaned_data["letter_kind"] = validate_upload(upload, kinds=(PDF,), max_bytes=EVIDENCE_MAX_BYTES)
        return upload

    def recommendation_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RemarksForm(StyledFormMixin, forms.Form):
    """One remark per score item of the engine's sheet (the 破格 self-score form's 备注)."""

    def __init__(self, *args: Any, items: list[dict[str, Any]], remarks: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[item["id"]] = forms.CharField(
                label=item.get("label") or item["id"],
                required=False,
                max_length=200,
                initial=remarks.get(item["id"], ""),
                help_text=f"自评 {item.get('points', 0)} 分",
            )


# --- Offices -------------------------------------------------------------------------------


class QueueFilterForm(StyledFormMixin, forms.Form):
    """The office queue's filters (GET)."""

    scope = forms.ChoiceField(
        label="范围", required=False, choices=[("waiting", "待本单位审核"), ("all", "本单位经手的全部申报")]
    )
    plan = forms.ModelChoiceField(label="评审计划", queryset=None, required=False, empty_label="全部计划")
    stage = forms.TypedChoiceField(
        label="审核环节", required=False, coerce=int, empty_value=None, choices=[("", "全部环节")]
    )
    status = forms.ChoiceField(label="状态", required=False)
    district = forms.ModelChoiceField(label="所在地区", queryset=None, required=False, empty_label="全部地区")
    level = forms.ModelChoiceField(label="申报级别", queryset=None, required=False, empty_label="全部级别")
    application_type = forms.ChoiceField(label="申报方式", required=False)
    flag = forms.ChoiceField(
        label="标记",
        required=False,
        choices=[
            ("", "不限"),
            ("ineligible", "政策引擎判定不符合"),
            ("claims", "须核实声明条件"),
            ("overdue", "已超期"),
        ],
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("deadline", "按截止日"),
            ("submitted", "按提交时间"),
            ("number", "按申报编号"),
            ("arrived", "按到达本单位时间（最新在前）"),
        ],
    )

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        from zhicheng.reference.models import Region, TitleLevel
        from zhicheng.rules import vocab

        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["district"].queryset = (
            Region.objects.filter(parent__isnull=False).select_related("parent").order_by("code")
        )
        self.fields["level"].queryset = TitleLevel.objects.filter(rank__lte=3)
        self.fields["status"].choices = [("", "全部状态"), *Application.Status.choices[1:]]
        self.fields["application_type"].choices = [("", "全部方式"), *vocab.APPLICATION_TYPE_NAMES.items()]
        self.fields["stage"].choices = [("", "全部环节"), *[(n, f"第 {n} 环节") for n in range(1, 7)]]


class ReviewActionForm(StyledFormMixin, forms.Form):
    action = forms.ChoiceField(
        label="审核结果",
        choices=[("approve", "审核通过"), ("return", "退回修改"), ("reject", "审核不通过")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审核结果。"},
    )
    reason = forms.CharField(
        label="审核意见或退回原因",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写审核意见；退回或不通过的须写明原因。"},
    )
    publicity_outcome = forms.ChoiceField(
        label="公示结果（单位审核时填写）",
        required=False,
        choices=[("", "—"), *Application.PublicityOutcome.choices],
    )
    publicity_handling = forms.CharField(
        label="异议处理情况", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkActionForm(StyledFormMixin, forms.Form):
    ids = forms.TypedMultipleChoiceField(label="所选申报", coerce=int, widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(label="批量操作", choices=[("approve", "批量审核通过"), ("return", "批量退回修改")])
    reason = forms.CharField(label="审核意见或退回原因（对所选申报统一适用）", max_length=1000, required=False)
    publicity_outcome = forms.ChoiceField(
        label="公示结果（单位审核时填写）",
        required=False,
        choices=[("", "—"), *Application.PublicityOutcome.choices],
    )

    def __init__(self, *args: Any, choices: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in choices]
        self.fields["ids"].error_messages["required"] = "请先勾选要批量处理的申报。"


class ExtensionForm(StyledFormMixin, forms.Form):
    deadline = forms.DateField(label="延长至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="延期原因", max_length=500)
