"""Basic information: the employer is chosen from approved employers by a 4+ character keyword."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from zhicheng.orgs.models import Organisation
from zhicheng.reference.models import Series

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(reference_data):
    return factories.ApplicantFactory()


def _form(employer, **overrides):
    data = {
        "gender": "male",
        "ethnicity": "汉族",
        "birth_date": "1990-01-01",
        "political_status": "masses",
        "work_start": "2012-07-01",
        "series": Series.objects.first().pk,
        "employer": employer.pk,
        "employer_address": "瑞安市安阳街道",
        "department": "研发部",
        "position": "设计工程师",
    }
    data.update(overrides)
    return data


def test_search_needs_four_characters_and_lists_only_approved(client, person):
    approved = factories.EmployerFactory(name="瑞安市华东机械有限公司")
    factories.EmployerFactory(name="瑞安市华东机械配件厂", status=Organisation.Status.PENDING)
    client.force_login(person)
    url = reverse("orgs:employer_search")
    short = client.get(url, {"employer_keyword": "华东机"})
    assert "至少输入 4 个字" in short.content.decode()
    html = client.get(url, {"employer_keyword": "华东机械"}).content.decode()
    assert approved.name in html and "配件厂" not in html


def test_profile_saved_with_approved_employer(client, person):
    employer = factories.EmployerFactory()
    client.force_login(person)
    response = client.post(reverse("accounts:profile"), _form(employer))
    assert response.status_code == 302
    person.profile.refresh_from_db()
    assert person.profile.employer == employer
    assert person.profile.work_start == date(2012, 7, 1)
    assert person.profile.is_complete


def test_unapproved_employer_cannot_be_chosen(client, person):
    pending = factories.EmployerFactory(status=Organisation.Status.PENDING)
    client.force_login(person)
    response = client.post(reverse("accounts:profile"), _form(pending))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field-error="employer"' in html and "已通过审核的单位" in html
    assert 'value="研发部"' in html  # what was typed is kept
    person.profile.refresh_from_db()
    assert person.profile.employer is None


def test_work_start_after_birth(client, person):
    client.force_login(person)
    response = client.post(reverse("accounts:profile"), _form(factories.EmployerFactory(), work_start="1980-01-01"))
    assert "参加工作时间应晚于出生日期" in response.content.decode()


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_birth_date_and_gender_must_match_the_id_number(client, person):
    client.force_login(person)
    data = _form(factories.EmployerFactory(), birth_date="1991-02-03", gender="female")
    html = client.post(reverse("accounts:profile"), data).content.decode()
    assert "出生日期应与证件号码一致（1990-01-01）" in html
    assert "性别应与证件号码一致" in html
