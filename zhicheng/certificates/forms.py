from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import validate_email

from zhicheng.certificates import numbers
from zhicheng.certificates.models import PublicityEntry
from zhicheng.core.forms import StyledFormMixin

_PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")


class OpenPublicityForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="公示说明（可选）",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：公示期间对名单有异议的，请实名反映；受理电话、地址。",
    )


class ObjectionForm(StyledFormMixin, forms.Form):
    """An objection from anyone on the portal. ``website`` is a trap field hidden from people."""

    entry = forms.TypedChoiceField(label="所涉人员", coerce=int, empty_value=None, required=False)
    name = forms.CharField(label="您的姓名", max_length=40, help_text="异议须实名反映。")
    contact = forms.CharField(label="联系电话或电子邮箱", max_length=80)
    text = forms.CharField(
        label="异议内容",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="请写明具体事实和线索（10–2000 字）。",
    )
    website = forms.CharField(label="网址（请勿填写）", required=False, max_length=200)

    def __init__(self, *args: Any, entries: list[PublicityEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = {entry.pk: entry for entry in entries}
        self.fields["entry"].choices = [
            ("", "对公示整体或多人提出异议"),
            *((e.pk, f"{e.position}. {e.name}（{e.employer}）") for e in entries),
        ]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise forms.ValidationError("请填写真实姓名。")
        return name

    def clean_contact(self) -> str:
        contact = "".join(self.cleaned_data["contact"].split())
        if _PHONE_RE.match(contact):
            return contact
        try:
            validate_email(contact)
        except forms.ValidationError:
            raise forms.ValidationError("请填写有效的手机号、固定电话或电子邮箱。") from None
        return contact

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("请勿填写此项。")
        return ""

    def chosen_entry(self) -> PublicityEntry | None:
        return self.entries.get(self.cleaned_data.get("entry"))


class HandleObjectionForm(StyledFormMixin, forms.Form):
    handling = forms.CharField(label="处理情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(StyledFormMixin, forms.Form):
    document_number = forms.CharField(label="公布文号", max_length=60, help_text="如：温职改〔2024〕12号")
    confirm = forms.BooleanField(label="我已核对公示名单与异议处理情况，确认公布评审结果并签发电子证书")


class VerifyForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label="证书编号", max_length=40, help_text="15 位，最后一位为校验码（可能为 X）")
    name = forms.CharField(label="持证人姓名", max_length=50)

    def clean_number(self) -> str:
        number = numbers.normalise(self.cleaned_data["number"])
        if len(number) != numbers.NUMBER_LENGTH:
            raise forms.ValidationError("证书编号应为 15 位。")
        return number
