from __future__ import annotations

from typing import Any

from django import forms

from zhicheng.core.forms import StyledFormMixin
from zhicheng.documents.models import ExportJob


class ExportForm(StyledFormMixin, forms.Form):
    """What to export from a plan: the roster or the review forms, of one stage or all, with
    full ID numbers only when the user may see them (the field is absent otherwise)."""

    kind = forms.ChoiceField(label="导出内容", choices=ExportJob.Kind.choices, initial=ExportJob.Kind.ROSTER)
    stage = forms.TypedChoiceField(label="审核环节", coerce=int, empty_value=None, required=False)
    full_ids = forms.BooleanField(
        label="显示完整身份证号（用于盖章核对，导出将记入日志）", required=False, initial=False
    )

    def __init__(self, *args: Any, stages: list[tuple[int, str]], allow_full_ids: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "全部环节"), *stages]
        if not allow_full_ids:
            del self.fields["full_ids"]
