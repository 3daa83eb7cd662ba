"""Template context shared by every page: the role-aware navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

NavItem = tuple[str, str]

PUBLIC_NAV: list[tuple[str, str]] = [
    ("首页", "portal:home"),
    ("年度评审计划安排", "reference:calendar"),
]

ROLE_NAV: dict[str, list[tuple[str, str]]] = {
    "applicant": [("个人中心", "portal:dashboard"), ("个人基本信息", "accounts:profile")],
    "employer_admin": [("单位工作台", "portal:dashboard"), ("本单位信息", "orgs:my_employer")],
    "office_reviewer": [("审核工作台", "portal:dashboard")],
    "committee_secretary": [("评委会工作台", "portal:dashboard")],
    "city_title_officer": [("职改办工作台", "portal:dashboard")],
    "expert": [("专家工作台", "portal:dashboard")],
    "platform_admin": [("平台管理", "portal:dashboard"), ("单位注册审核", "orgs:employer_queue")],
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    from zhicheng.orgs.selectors import user_roles

    items: list[NavItem] = [(label, reverse(name)) for label, name in PUBLIC_NAV]
    roles = user_roles(request.user)
    seen = {url for _, url in items}
    for role in sorted(roles):
        for label, name in ROLE_NAV.get(role, []):
            url = reverse(name)
            if url not in seen:
                items.append((label, url))
                seen.add(url)
    return {"nav_items": items, "user_roles": roles}
