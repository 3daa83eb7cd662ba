"""Account forms. Every error names its field in Chinese and bound input is kept."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import password_validation

from zhicheng.accounts.models import ApplicantProfile, User
from zhicheng.core.forms import StyledFormMixin
from zhicheng.lib.idnumbers import InvalidIdNumber, parse_id_number
from zhicheng.orgs.models import Organisation

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def clean_mobile_number(value: str) -> str:
    value = value.strip()
    if not MOBILE_RE.match(value):
        raise forms.ValidationError("请输入 11 位中国大陆手机号码，例如 13812345678。")
    return value


class PasswordPairMixin:
    """Two password fields that must match and pass the configured validators."""

    def clean_password_pair(self, user: User | None = None) -> None:
        cleaned = self.cleaned_data  # type: ignore[attr-defined]
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", "两次输入的密码不一致。")  # type: ignore[attr-defined]
        elif password:
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password", error)  # type: ignore[attr-defined]


class RegistrationForm(StyledFormMixin, PasswordPairMixin, forms.Form):
    real_name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="证件号码",
        max_length=18,
        help_text="居民身份证、港澳台居民居住证或外国人永久居留身份证号码",
    )
    mobile = forms.CharField(label="手机号码", max_length=11)
    password = forms.CharField(
        label="密码", widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}), strip=False
    )
    password_confirm = forms.CharField(
        label="确认密码",
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean_real_name(self) -> str:
        name = self.cleaned_data["real_name"].strip()
        if len(name) < 2:
            raise forms.ValidationError("请填写与证件一致的真实姓名。")
        return name

    def clean_id_number(self) -> str:
        try:
            number = parse_id_number(self.cleaned_data["id_number"]).number
        except InvalidIdNumber as error:
            raise forms.ValidationError(str(error)) from None
        if User.objects.with_id_number(number).exists():
            raise forms.ValidationError("该证件号码已注册，请直接登录或找回密码。")
        return number

    def clean_mobile(self) -> str:
        mobile = clean_mobile_number(self.cleaned_data["mobile"])
        if User.objects.filter(mobile=mobile).exists():
            raise forms.ValidationError("该手机号码已注册，请直接登录或找回密码。")
        return mobile

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        probe = User(real_name=cleaned.get("real_name", ""), mobile=cleaned.get("mobile", ""))
        self.clean_password_pair(probe)
        return cleaned


class LoginForm(StyledFormMixin, forms.Form):
    login = forms.CharField(
        label="手机号码或证件号码", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}), strip=False
    )


class PasswordResetRequestForm(StyledFormMixin, forms.Form):
    mobile = forms.CharField(label="注册手机号码", max_length=11)

    def clean_mobile(self) -> str:
        return clean_mobile_number(self.cleaned_data["mobile"])


class PasswordResetConfirmForm(StyledFormMixin, PasswordPairMixin, forms.Form):
    mobile = forms.CharField(label="注册手机号码", max_length=11)
    code = forms.CharField(label="短信验证码", max_length=6, min_length=6)
    password = forms.CharField(
        label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )
    password_confirm = forms.CharField(
        label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )

    def clean_mobile(self) -> str:
        return clean_mobile_number(self.cleaned_data["mobile"])

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("验证码为 6 位数字。")
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.clean_password_pair(User.objects.filter(mobile=cleaned.get("mobile", "")).first())
        return cleaned


class EmployerChoiceField(forms.ModelChoiceField):
    """An approved employer, picked by id after a keyword search of at least 4 characters."""

    default_error_messages = {"invalid_choice": "请从搜索结果中选择已通过审核的单位。"}

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name}（{obj.region}）"


class ProfileForm(StyledFormMixin, forms.ModelForm):
    employer = EmployerChoiceField(
        label="现工作单位",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER, status=Organisation.Status.APPROVED),
        widget=forms.HiddenInput,
        error_messages={"required": "请输入单位名称关键字（4 个字及以上）后从结果中选择。"},
    )

    class Meta:
        model = ApplicantProfile
        fields = [
            "gender",
            "ethnicity",
            "birth_date",
            "political_status",
            "work_start",
            "series",
            "employer",
            "employer_address",
            "department",
            "position",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "work_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"department": "按研发部、生产部等实际情况填写"}

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.id_facts = None
        if user is not None and user.id_number:
            try:
                self.id_facts = parse_id_number(user.id_number)
            except InvalidIdNumber:
                self.id_facts = None
        for name in self.Meta.fields:
            self.fields[name].required = True
        self.fields["series"].empty_label = "请选择"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        birth, start = cleaned.get("birth_date"), cleaned.get("work_start")
        if birth and start and start <= birth:
            self.add_error("work_start", "参加工作时间应晚于出生日期。")
        facts = self.id_facts
        if facts and birth and birth != facts.birth_date:
            self.add_error("birth_date", f"出生日期应与证件号码一致（{facts.birth_date:%Y-%m-%d}）。")
        gender = cleaned.get("gender")
        if facts and facts.gender and gender and gender != facts.gender:
            self.add_error("gender", "性别应与证件号码一致。")
        return cleaned
