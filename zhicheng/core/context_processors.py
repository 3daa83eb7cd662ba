"""Template context shared by every page: the role-aware navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

NavItem = tuple[str, str]

PUBLIC_NAV: list[tuple[str, str]] = [
    (gettext_noop("首页"), "portal:home"),
    (gettext_noop("年度评审计划安排"), "reference:calendar"),
    (gettext_noop("评审申报计划"), "plans:search"),
    (gettext_noop("申报条件自测"), "eligibility:selfcheck"),
    (gettext_noop("评审结果公示"), "portal:publicities"),
    (gettext_noop("证书验证"), "verify:lookup"),
]

ROLE_NAV: dict[str, list[tuple[str, str]]] = {
    "applicant": [
        (gettext_noop("个人中心"), "portal:dashboard"),
        (gettext_noop("个人基本信息"), "accounts:profile"),
        (gettext_noop("我的业绩档案"), "archive:overview"),
        (gettext_noop("我的申报记录"), "applications:list"),
    ],
    "employer_admin": [
        (gettext_noop("单位工作台"), "portal:dashboard"),
        (gettext_noop("本单位信息"), "orgs:my_employer"),
        (gettext_noop("业绩档案审核"), "archive:review_queue"),
        (gettext_noop("职称申报审核"), "applications:review_queue"),
    ],
    "office_reviewer": [
        (gettext_noop("审核工作台"), "portal:dashboard"),
        (gettext_noop("职称申报审核"), "applications:review_queue"),
        (gettext_noop("政策条文"), "eligibility:policy_list"),
    ],
    "committee_secretary": [
        (gettext_noop("评委会工作台"), "portal:dashboard"),
        (gettext_noop("本评委会申报计划"), "plans:manage_list"),
        (gettext_noop("评审结果公示管理"), "certificates:manage"),
        (gettext_noop("职称申报审核"), "applications:review_queue"),
        (gettext_noop("评审组织"), "evaluation:index"),
        (gettext_noop("专家库"), "evaluation:pool"),
        (gettext_noop("政策条文"), "eligibility:policy_list"),
    ],
    "city_title_officer": [
        (gettext_noop("职改办工作台"), "portal:dashboard"),
        (gettext_noop("职称申报审核"), "applications:review_queue"),
        (gettext_noop("评审结果公布"), "certificates:manage"),
        (gettext_noop("诚信档案"), "integrity:list"),
        (gettext_noop("政策条文"), "eligibility:policy_list"),
    ],
    "expert": [
        (gettext_noop("专家工作台"), "portal:dashboard"),
        (gettext_noop("我的评审任务"), "evaluation:my_assignments"),
    ],
    "platform_admin": [
        (gettext_noop("平台管理"), "portal:dashboard"),
        (gettext_noop("单位注册审核"), "orgs:employer_queue"),
        (gettext_noop("申报计划管理"), "plans:manage_list"),
        (gettext_noop("发送记录"), "notifications:delivery_log"),
        (gettext_noop("政策条文"), "eligibility:policy_list"),
    ],
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    from zhicheng.orgs.selectors import user_roles

    items: list[NavItem] = [(_(label), reverse(name)) for label, name in PUBLIC_NAV]
    roles = user_roles(request.user)
    seen = {url for _label, url in items}
    for role in sorted(roles):
        for label, name in ROLE_NAV.get(role, []):
            url = reverse(name)
            if url not in seen:
                items.append((_(label), url))
                seen.add(url)
    return {"nav_items": items, "user_roles": roles}
