"""``POST /api/v1/policy/evaluate``: the policy engine over HTTP (contract: POLICY_API.md)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from zhicheng.core import ratelimit
from zhicheng.eligibility.services import evaluate_profile

router = Router(tags=["policy"])


class FieldError(Schema):
    loc: str
    msg: str


class InvalidProfile(Schema):
    detail: list[FieldError]


PROFILE_EXAMPLE: dict[str, Any] = {
    "policy": "wz-jidian-2020",
    "level": "engineer",
    "plan_year": 2024,
    "as_of": "2024-12-31",
    "deadline": "2024-10-31",
    "achievements_until": "2024-08-31",
    "education": [
        {
            "level": "bachelor",
            "major": "机械设计制造及其自动化",
            "relevant": True,
            "degree": True,
            "graduated": "2010-07-01",
        }
    ],
    "titles": [{"level": "assistant_engineer", "relevant": True, "obtained": "2019-12-01"}],
}


@router.post(
    "/evaluate",
    response={200: dict[str, Any], 422: InvalidProfile, 429: InvalidProfile},
    summary="评估一份申报档案（申报条件与量化评分）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}, "example": PROFILE_EXAMPLE}},
        }
    },
)
def evaluate(request: HttpRequest):
    """The profile is the JSON body, exactly as POLICY_API.md describes; unknown keys are errors.

    200 with the explained result; 422 with every offending field path otherwise; 429 when
    this client has called too often (``Retry-After`` says when to try again).
    """
    if retry_after := ratelimit.hit("policy_api", request):
        return ratelimit.too_many(request, retry_after, json=True)
    try:
        data = json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return Status(422, {"detail": [{"loc": "", "msg": f"请求体不是有效的 JSON：{error}"}]})
    except RecursionError:  # nesting deeper than the parser's stack: never a 500
        return Status(422, {"detail": [{"loc": "", "msg": "请求体嵌套层级过深，不是有效的申报档案。"}]})
    outcome = evaluate_profile(data)
    if not outcome.ok:
        return Status(422, {"detail": outcome.errors})
    return Status(200, outcome.result)
