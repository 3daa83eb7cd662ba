"""Forms of the archive: one generic ModelForm per record type, evidence upload, review."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from zhicheng.core.forms import StyledFormMixin
from zhicheng.core.uploads import JPEG, MB, PDF, PNG, FileKind, validate_upload
from zhicheng.reference.models import Region, TitleLevel

if TYPE_CHECKING:
    from zhicheng.archive.registry import RecordType

EVIDENCE_KINDS = (PDF, JPEG, PNG)
EVIDENCE_MAX_BYTES = 10 * MB
EVIDENCE_MAX_FILES = 10
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
EVIDENCE_HELP = "PDF、JPG 或 PNG，每个文件不超过 10 MB，一次最多 10 个；同一记录的多份材料建议合并为一个 PDF。"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: the cleaned value is a list of uploads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT, "data-max-bytes": str(EVIDENCE_MAX_BYTES)}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def check_evidence_files(uploads: Sequence[UploadedFile]) -> list[tuple[UploadedFile, FileKind]]:
    """Check each file by content, size and (images) dimensions; messages name the file."""
    if len(uploads) > EVIDENCE_MAX_FILES:
        raise forms.ValidationError(f"一次最多上传 {EVIDENCE_MAX_FILES} 个文件。")
    checked, errors = [], []
    for upload in uploads:
        try:
            kind = validate_upload(upload, kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
        except forms.ValidationError as error:
            errors.extend(f"“{upload.name}”：{message}" for message in error.messages)
        else:
            checked.append((upload, kind))
    if errors:
        raise forms.ValidationError(errors)
    return checked


class MonthField(forms.DateField):
    """A month (YYYY-MM, ``<input type=month>``), cleaned to the month's first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d", "%Y/%m"]

    def to_python(self, value: Any) -> datetime.date | None:
        result = super().to_python(value)
        return result.replace(day=1) if result else None


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        mark = "（山区县）" if obj.is_mountain_county else ""
        return f"{obj.parent.name if obj.parent else ''} {obj.name}{mark}".strip()


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.DateField) and field.name in ("start_month", "end_month"):
        return MonthField(label=field.verbose_name, required=not field.blank, help_text=field.help_text)
    if isinstance(field, models.DateField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    elif isinstance(field, models.TextField):
        kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
    elif isinstance(field, models.ForeignKey) and field.related_model is Region:
        return CountyChoiceField(
            label=field.verbose_name,
            required=not field.blank,
            queryset=Region.objects.filter(level=Region.Level.COUNTY).select_related("parent"),
            empty_label="请选择（可不填）",
            help_text="选择山区26县时，将自动勾选“在山区26县工作”",
        )
    elif isinstance(field, models.ForeignKey) and field.related_model is TitleLevel:
        kwargs["empty_label"] = "请选择"
    return field.formfield(**kwargs)


class RecordForm(StyledFormMixin, forms.ModelForm):
    """Base of every type's form: the type's own fields plus evidence files.

    The form validates (field values, the model's ``clean`` for cross-field rules, the
    evidence files) but never saves: the view hands ``record_data()`` and
    ``evidence_files()`` to the services.
    """

    record_type: RecordType

    evidence = MultipleFileField(label="佐证材料", required=False, help_text=EVIDENCE_HELP)

    def __init__(
        self, *args: Any, existing_evidence: int = 0, locked_fields: Sequence[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.existing_evidence = existing_evidence
        # Fields a registry supplied (an imported record): shown, not editable, not required
        # to be proved by an upload — the registry is the proof.
        self.locked_fields = tuple(locked_fields)
        for name in self.locked_fields:
            self.fields[name].disabled = True
            self.fields[name].help_text = "由系统自动提取，不能修改"
        self.fields["evidence"].help_text = f"{self.record_type.evidence_hint}<br>{EVIDENCE_HELP}"
        if self.locked_fields:
            self.fields["evidence"].label = "佐证材料（系统自动提取的记录可不上传）"
        elif not self.record_type.evidence_required:
            self.fields["evidence"].label = "佐证材料（可不上传）"
        elif not existing_evidence:
            self.fields["evidence"].required = True  # marks the label; ``clean`` says what is missing
        else:
            self.fields["evidence"].label = f"补充佐证材料（已有 {existing_evidence} 个，可不再上传）"

    def clean_evidence(self) -> list[tuple[UploadedFile, FileKind]]:
        return check_evidence_files(self.cleaned_data.get("evidence") or [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        needs = self.record_type.evidence_required and not self.existing_evidence and not self.locked_fields
        if needs and "evidence" not in self.errors and not cleaned.get("evidence"):
            self.add_error("evidence", "请上传佐证材料（PDF、JPG 或 PNG）。")
        return cleaned

    def record_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.record_type.field_names}

    def evidence_files(self) -> list[tuple[UploadedFile, FileKind]]:
        return self.cleaned_data.get("evidence") or []


_FORMS: dict[str, type[RecordForm]] = {}


def record_form_for(record_type: RecordType) -> type[RecordForm]:
    """The ModelForm class of a record type (built once from the model's own fields)."""
    form = _FORMS.get(record_type.code)
    if form is None:
        form = forms.modelform_factory(
            record_type.model,
            form=RecordForm,
            fields=record_type.field_names,
            formfield_callback=_formfield,
        )
        form.record_type = record_type
        _FORMS[record_type.code] = form
    return form


class EvidenceUploadForm(StyledFormMixin, forms.Form):
    files = MultipleFileField(label="添加佐证材料", help_text=EVIDENCE_HELP)

    def clean_files(self) -> list[tuple[UploadedFile, FileKind]]:
        uploads = self.cleaned_data.get("files") or []
        if not uploads:
            raise forms.ValidationError("请选择要上传的文件。")
        return check_evidence_files(uploads)


def clean_reason(value: str) -> str:
    reason = value.strip()
    if len(reason) < 4:
        raise forms.ValidationError("请写明不通过的具体原因（至少 4 个字），便于申报人修改。")
    return reason


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="不通过原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self) -> str:
        return clean_reason(self.cleaned_data["reason"])


class BulkReviewForm(StyledFormMixin, forms.Form):
    """The bulk decision: approve or reject, with one reason for a rejection.

    The selected records travel as ``records`` values; the view keeps only those the
    reviewer may still review (see ``selectors.review_queue``).
    """

    DECISIONS = (("approve", "审核通过"), ("reject", "审核不通过"))

    decision = forms.ChoiceField(
        label="审核结果", choices=DECISIONS, widget=forms.RadioSelect, error_messages={"required": "请选择审核结果。"}
    )
    reason = forms.CharField(
        label="不通过原因（审核不通过时必填）",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "reject":
            try:
                cleaned["reason"] = clean_reason(cleaned.get("reason") or "")
            except forms.ValidationError as error:
                self.add_error("reason", error)
        else:
            cleaned["reason"] = ""
        return cleaned


def selected_ids(values: Sequence[str], limit: int = 1000) -> list[int]:
    """The record ids of a bulk selection (non-numbers dropped, at most ``limit``)."""
    ids = [int(v) for v in values if str(v).isdigit()]
    return list(dict.fromkeys(ids))[:limit]
