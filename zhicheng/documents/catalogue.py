"""The PDF forms of one application: how each is named, who may have it, what fills it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zhicheng.applications.models import Application
from zhicheng.documents import official, selectors
from zhicheng.documents.permissions import is_exceptional


@dataclass(frozen=True)
class FormDocument:
    slug: str
    title: str
    permission: str
    template: str
    context: Callable[[Application], dict[str, Any]]
    when: str  # when it becomes available, for the documents page
    applies: Callable[[Application], bool] = lambda application: True

    def filename(self, application: Application) -> str:
        name = (application.snapshot or {}).get("person", {}).get("name") or application.applicant.real_name
        return f"{application.number or '草稿'}-{name}-{self.title}.pdf"


DOCUMENTS = (
    FormDocument(
        "review-form",
        "专业技术职务任职资格评审表",
        "documents.review_form",
        "documents/pdf/review_form.html",
        official.review_form,
        "资格审查通过（各级审核完成）后由申报人下载打印，审核单位提交后即可查看。",
    ),
    FormDocument(
        "publicity-form",
        "申报人员公示表",
        "documents.publicity_form",
        "documents/pdf/publicity_form.html",
        official.publicity_form,
        "提交申报后由用人单位下载张贴，公示期为提交当日起的公示工作日。",
    ),
    FormDocument(
        "self-score-form",
        "破格申报自评赋分表",
        "documents.self_score_form",
        "documents/pdf/self_score_form.html",
        lambda application: official.self_score_form(application, selectors.self_score_source(application)),
        "破格申报人员在第 5 步下载，签字并经专家署名推荐后上传。",
        is_exceptional,
    ),
    FormDocument(
        "approval-form",
        "破格推荐专业技术职务任职资格审批表",
        "documents.approval_form",
        "documents/pdf/approval_form.html",
        official.approval_form,
        "破格申报提交后可下载，各级审核意见随审核进度填入。",
        is_exceptional,
    ),
)
BY_SLUG = {d.slug: d for d in DOCUMENTS}
