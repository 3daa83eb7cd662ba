"""Forms of the evaluation pages: they validate input; services write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application
from zhicheng.core.forms import StyledFormMixin
from zhicheng.eligibility.selectors import item_name
from zhicheng.evaluation import thresholds
from zhicheng.evaluation.models import Expert, ExpertRelation, PanelScore, ScoreScale
from zhicheng.evaluation.services.panel import MAX_SIZE, MIN_SIZE
from zhicheng.evaluation.services.vote import CHOICES
from zhicheng.lib.idnumbers import InvalidIdNumber, parse_id_number
from zhicheng.orgs.models import Organisation


def _score_field(label: str, full_marks: Decimal, initial: Decimal | None = None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=full_marks,
        max_digits=6,
        decimal_places=2,
        initial=initial,
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "form-control form-control-sm"}),
    )


class ExpertForm(StyledFormMixin, forms.ModelForm):
    mobile = forms.CharField(
        label="登录账号（手机号）",
        required=False,
        max_length=20,
        help_text="专家已在平台注册时填写，专家可凭此账号登录评分和投票；留空则不关联账号。",
    )

    class Meta:
        model = Expert
        fields = ["committee", "name", "title_level", "specialty", "region", "employer", "is_active"]

    def __init__(self, *args: Any, committees: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["employer"].queryset = Organisation.objects.filter(status=Organisation.Status.APPROVED)
        if self.instance.pk and self.instance.user_id:
            self.fields["mobile"].initial = self.instance.user.mobile

    def clean_mobile(self) -> User | None:
        mobile = self.cleaned_data["mobile"].strip()
        if not mobile:
            return None
        user = User.objects.filter(mobile=mobile, is_active=True).first()
        if user is None:
            raise forms.ValidationError("没有找到使用该手机号的注册用户。")
        return user

    def expert_data(self) -> dict[str, Any]:
        return {**{name: self.cleaned_data[name] for name in self.Meta.fields}, "user": self.cleaned_data["mobile"]}


class RelationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ExpertRelation
        fields = ["person_name", "id_number", "kind", "note"]

    def clean_id_number(self) -> str:
        try:
            return parse_id_number(self.cleaned_data["id_number"]).number
        except InvalidIdNumber as error:
            raise forms.ValidationError(f"身份证件号码有误：{error}") from None


class DrawForm(StyledFormMixin, forms.Form):
    size = forms.IntegerField(label="抽取人数", min_value=MIN_SIZE, max_value=MAX_SIZE, initial=7)


class ReplaceForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="谢绝原因", max_length=200)


class ScaleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ScoreScale
        fields = ["exam_full_marks", "interview_full_marks"]


class ExamEntryForm(StyledFormMixin, forms.Form):
    """One exam and one interview field per applicant (blank: not entered)."""

    def __init__(self, *args: Any, rows: list[tuple[Application, Any]], scale: ScoreScale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for application, outcome in rows:
            name = application.applicant.real_name
            self.fields[f"exam_{application.pk}"] = _score_field(
                f"{name} 理论考试成绩", scale.exam_full_marks, outcome.exam_raw
            )
            self.fields[f"interview_{application.pk}"] = _score_field(
                f"{name} 面试答辩成绩", scale.interview_full_marks, outcome.interview_raw
            )

    def entries(self) -> dict[int, dict[str, Decimal | None]]:
        return {
            a.pk: {
                "exam_raw": self.cleaned_data[f"exam_{a.pk}"],
                "interview_raw": self.cleaned_data[f"interview_{a.pk}"],
            }
            for a, _outcome in self.rows
        }

    def table(self) -> list[tuple[Application, Any, forms.BoundField, forms.BoundField]]:
        return [(a, o, self[f"exam_{a.pk}"], self[f"interview_{a.pk}"]) for a, o in self.rows]


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="成绩文件",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        help_text="用下载的模板填写的 .xlsx 文件。",
    )


class PanelScoreForm(StyledFormMixin, forms.Form):
    recommendation = forms.ChoiceField(
        label="推荐意见", choices=PanelScore.Recommendation.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label="评审意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, flagged: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flagged = flagged
        for index, flag in enumerate(flagged):
            self.fields[f"flag_{index}"] = forms.DecimalField(
                label=f"{item_name(flag['item'])}（酌情量分）",
                help_text=flag.get("reason", ""),
                min_value=0,
                max_value=thresholds.ACHIEVEMENTS_CAP,
                max_digits=4,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control"}),
            )

    @classmethod
    def initial_for(cls, score: PanelScore | None, flagged: list[dict[str, str]]) -> dict[str, Any]:
        if score is None:
            return {}
        points = score.points()
        return {
            "recommendation": score.recommendation,
            "comment": score.comment,
            **{f"flag_{i}": points.get(f["item"]) for i, f in enumerate(flagged)},
        }

    def flagged_points(self) -> dict[str, Decimal]:
        return {flag["item"]: self.cleaned_data[f"flag_{i}"] for i, flag in enumerate(self.flagged)}


class BallotForm(forms.Form):
    """One required choice (同意 / 不同意 / 弃权) per applicant on the member's ballot."""

    def __init__(self, *args: Any, applications: list[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applications = applications
        for application in applications:
            self.fields[f"vote_{application.pk}"] = forms.ChoiceField(
                label=f"{application.number} {application.applicant.real_name}",
                choices=list(CHOICES.items()),
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": "请选择同意、不同意或弃权。"},
            )

    def choices(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data[f"vote_{a.pk}"] for a in self.applications}

    def rows(self) -> list[tuple[Application, forms.BoundField]]:
        return [(a, self[f"vote_{a.pk}"]) for a in self.applications]


class ConfirmForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="通过率超过 75% 的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="原则上通过率不高于申报总人数的 75%；超过时须记录理由。",
    )
