"""Forms for employer registration and review."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from zhicheng.accounts.forms import PasswordPairMixin, clean_mobile_number
from zhicheng.accounts.models import User
from zhicheng.core.forms import StyledFormMixin
from zhicheng.core.uploads import MB, PDF, validate_upload
from zhicheng.lib.uscc import InvalidUscc, parse_uscc
from zhicheng.orgs.models import Organisation
from zhicheng.reference.models import Region

LETTER_MAX_BYTES = 10 * MB


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.parent.name if obj.parent else ''} {obj.name}".strip()


def clean_letter(upload: UploadedFile) -> UploadedFile:
    validate_upload(upload, kinds=(PDF,), max_bytes=LETTER_MAX_BYTES)
    return upload


class EmployerRegistrationForm(StyledFormMixin, PasswordPairMixin, forms.Form):
    """The employer's facts; the account holder's fields only when nobody is logged in."""

    name = forms.CharField(label="单位名称", max_length=100)
    uscc = forms.CharField(label="统一社会信用代码", max_length=18)
    county = CountyChoiceField(
        label="单位所在地（县、市、区）",
        queryset=Region.objects.filter(level=Region.Level.COUNTY).select_related("parent"),
        empty_label="请选择",
    )
    nature = forms.ChoiceField(label="单位性质", choices=[("", "请选择"), *Organisation.Nature.choices])
    annual_revenue_wan = forms.DecimalField(
        label="上年度营业收入（万元）", min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    staff_count = forms.IntegerField(label="从业人员数（人）", min_value=1)
    address = forms.CharField(label="单位地址", max_length=200)
    phone = forms.CharField(label="单位联系电话", max_length=40)
    authorisation_letter = forms.FileField(
        label="授权委托证明（加盖公章的 PDF 扫描件，不超过 10 MB）",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    holder_name = forms.CharField(label="经办人姓名", max_length=50)
    holder_mobile = forms.CharField(label="经办人手机号码", max_length=11, help_text="审核结果将以短信通知此号码")
    password = forms.CharField(
        label="登录密码",
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password_confirm = forms.CharField(
        label="确认密码",
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    HOLDER_FIELDS = ("holder_name", "holder_mobile", "password", "password_confirm")

    def __init__(self, *args: Any, holder: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holder = holder
        if holder is not None:
            for name in self.HOLDER_FIELDS:
                del self.fields[name]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER, name=name).exists():
            raise forms.ValidationError("该单位名称已注册。如需变更经办人，请联系平台管理员。")
        return name

    def clean_uscc(self) -> str:
        try:
            code = parse_uscc(self.cleaned_data["uscc"])
        except InvalidUscc as error:
            raise forms.ValidationError(str(error)) from None
        if Organisation.objects.filter(uscc=code).exists():
            raise forms.ValidationError("该统一社会信用代码已注册。")
        return code

    def clean_authorisation_letter(self) -> UploadedFile:
        return clean_letter(self.cleaned_data["authorisation_letter"])

    def clean_holder_mobile(self) -> str:
        mobile = clean_mobile_number(self.cleaned_data["holder_mobile"])
        if User.objects.filter(mobile=mobile).exists():
            raise forms.ValidationError("该手机号码已注册为平台账号，请先登录该账号再注册单位。")
        return mobile

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.holder is None:
            probe = User(real_name=cleaned.get("holder_name", ""), mobile=cleaned.get("holder_mobile", ""))
            self.clean_password_pair(probe)
        return cleaned


class LetterResubmitForm(StyledFormMixin, forms.Form):
    authorisation_letter = forms.FileField(label="新的授权委托证明（PDF，不超过 10 MB）")

    def clean_authorisation_letter(self) -> UploadedFile:
        return clean_letter(self.cleaned_data["authorisation_letter"])


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="未通过原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 4:
            raise forms.ValidationError("请写明未通过的具体原因，便于单位修改后重新提交。")
        return reason
