from __future__ import annotations

from typing import Any

from django import forms

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application
from zhicheng.core.forms import StyledFormMixin
from zhicheng.integrity.models import IntegrityRecord
from zhicheng.integrity.services import RecordData
from zhicheng.lib.idnumbers import InvalidIdNumber, parse_id_number


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class FilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="姓名、完整证件号码、手机号或文号", required=False, max_length=60)
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("active", "限制申报中或尚未开始"), ("ended", "限制期已满"), ("annulled", "已撤销")],
    )


class RecordForm(StyledFormMixin, forms.Form):
    """The facts and the ban. Empty ban dates take the default: 3 years from the next year."""

    kind = forms.ChoiceField(label="失信类型", choices=IntegrityRecord.Kind.choices)
    description = forms.CharField(label="事实与处理", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    found_on = forms.DateField(label="认定日期", widget=DateInput())
    banned_from = forms.DateField(
        label="限制申报开始日", required=False, widget=DateInput(), help_text="留空：认定次年 1 月 1 日"
    )
    banned_until = forms.DateField(
        label="限制申报截止日",
        required=False,
        widget=DateInput(),
        help_text="留空：自次年起满 3 年（第 3 年 12 月 31 日）",
    )
    document_number = forms.CharField(label="处理文号", max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("banned_from"), data.get("banned_until")
        if start and end and end < start:
            self.add_error("banned_until", "限制申报截止日不能早于开始日。")
        return data

    def record_data(self) -> RecordData:
        data = self.cleaned_data
        return RecordData(
            kind=data["kind"],
            description=data["description"],
            found_on=data["found_on"],
            banned_from=data.get("banned_from"),
            banned_until=data.get("banned_until"),
            document_number=data.get("document_number", ""),
        )


class NewRecordForm(RecordForm):
    """A new record: the person by ID number, optionally the application concerned."""

    id_number = forms.CharField(label="当事人证件号码", max_length=20)
    application_number = forms.CharField(
        label="涉及的申报编号（可选）", max_length=60, required=False, help_text="已评审通过的申报可同时撤销职称"
    )
    revoke_title = forms.BooleanField(
        label="撤销该申报取得的职称并收回电子证书",
        required=False,
        help_text="证书验证页面将显示“已撤销”及撤销时间和概括原因",
    )

    field_order = ["id_number", "application_number", "revoke_title", "kind", "description", "found_on"]

    def clean_id_number(self) -> User:
        try:
            number = parse_id_number(self.cleaned_data["id_number"]).number
        except InvalidIdNumber as error:
            raise forms.ValidationError(str(error)) from None
        person = User.objects.with_id_number(number).first()
        if person is None:
            raise forms.ValidationError("平台上没有该证件号码的用户。")
        return person

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        person, number = data.get("id_number"), (data.get("application_number") or "").strip()
        if number and person is not None:
            application = Application.objects.select_related("plan__committee__region").filter(number=number).first()
            if application is None or application.applicant_id != person.pk:
                self.add_error("application_number", "该当事人没有这个申报编号的申报。")
            else:
                data["application"] = application
        if data.get("revoke_title") and not data.get("application"):
            self.add_error("revoke_title", "撤销职称须填写评审通过的申报编号。")
        return data
