"""The policy reader (政策条文): offices and administrators read each policy as text."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import PASSWORD
from zhicheng import rules
from zhicheng.orgs.models import Organisation, Role

pytestmark = pytest.mark.django_db

LIST_URL = "/eligibility/policies/"
WZ_URL = "/eligibility/policies/wz-jidian-2020/"
WZ_ENGINEER_ROUTES = ("10.1a", "10.1b", "10.2", "10.3", "10.4", "10.5", "12.1", "12.2", "11.3")


def login(client, user):
    assert client.login(username=user.mobile, password=PASSWORD)
    return client


def text(response) -> str:
    body = re.sub(r"\s*<[^>]+>\s*", "", response.content.decode())
    return re.sub(r"\s+", " ", unescape(body))


@pytest.fixture
def committee_secretary(reference_data):
    committee = factories.OfficeFactory(kind=Organisation.Kind.ASSOCIATION, name="温州市机电技术协会")
    return factories.member_of(committee, Role.COMMITTEE_SECRETARY, real_name="陈秘书")


def test_url_names():
    assert reverse("eligibility:policy_list") == LIST_URL
    assert reverse("eligibility:policy_detail", args=["wz-jidian-2020"]) == WZ_URL


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (LIST_URL, WZ_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_applicants_and_employers_get_403(client, applicant, employer_admin):
    for user in (applicant, employer_admin):
        login(client, user)
        assert client.get(LIST_URL).status_code == 403
        assert client.get(WZ_URL).status_code == 403
        client.logout()


@pytest.mark.parametrize("who", ["platform_admin", "committee_secretary"])
def test_staff_and_committee_read_the_list(request, client, who):
    login(client, request.getfixturevalue(who))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    page = text(response)
    for policy in rules.available_policies():
        assert policy["title"] in page
        assert policy["document"] in page
    assert reverse("eligibility:policy_detail", args=["wz-jidian-2020"]) in response.content.decode()
    assert ("政策条文", LIST_URL) in response.context["nav_items"]


@pytest.mark.parametrize("who", ["platform_admin", "committee_secretary"])
def test_wenzhou_policy_reads_route_by_route(request, client, who):
    login(client, request.getfixturevalue(who))
    response = client.get(WZ_URL)
    assert response.status_code == 200
    body = response.content.decode()
    page = text(response)
    for route in WZ_ENGINEER_ROUTES:
        assert f'data-route="wz-jidian-2020/engineer/{route}"' in body, route
    description = rules.describe_policy("wz-jidian-2020")
    for level in description["levels"]:
        assert f"申报{level['label']}" in page
        for route in level["routes"]:
            assert route["clause"] in page
            assert unescape(route["label"]) in page
    # Conditions read as a tree: "one of" the skill honours of 10.3, each claim named.
    assert "满足其一即可：" in page and "省级技能大师工作室领办人声明项wz-jidian-2020/engineer/10.3/1" in page
    assert "<li data-condition" in body and "项中具备 项" not in page
    # Clauses, general checks, the achievements window and the scoring tables.
    assert "温职改办〔2020〕5号 第十条（一）" in page
    assert "本专业或相近专业助理工程师任职满 4 年" in page
    for check in description["checks"]:
        assert check["text"] in page
    assert description["achievement_window"]["text"] in page
    assert "量化评价标准" in page
    assert "市级 二等奖" in page and "第 4—8 名" in page and "14、12、10、8、6" in page  # awards, city 2nd prize
    assert "省部级" in page and "14、12.5、11、9.5、8、6.5、5" in page  # provincial projects
    assert "大学本科" in page and "对口 4 分 / 不对口 3 分" in page


def test_unknown_policy_is_404(client, platform_admin):
    login(client, platform_admin)
    assert client.get("/eligibility/policies/no-such-policy/").status_code == 404


def test_reader_query_count_is_constant(client, platform_admin, committee_secretary, django_assert_max_num_queries):
    for user in (platform_admin, committee_secretary):
        login(client, user)
        with django_assert_max_num_queries(6):
            assert client.get(LIST_URL).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get(WZ_URL).status_code == 200
        client.logout()
