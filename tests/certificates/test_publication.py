"""The result publicity on the portal, objections, and the city office's publication."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests import factories
from tests.applications.test_workflow import qualified
from tests.certificates.conftest import (
    COUNTY_REVIEWER,
    DOCUMENT,
    at,
    decide,
    open_publicity,
    publish,
    user,
)
from zhicheng.applications.models import Application
from zhicheng.certificates import services
from zhicheng.certificates.models import Certificate, Objection
from zhicheng.core.models import AuditEntry
from zhicheng.orgs.models import Organisation, Role
from zhicheng.reference.models import Region
from zhicheng.reference.selectors import add_working_days

pytestmark = pytest.mark.django_db


# --- Opening the publicity ------------------------------------------------------------------------


def test_publicity_ends_on_the_fifth_working_day_across_national_day(decided, secretary):
    # Friday 27 September 2024; 1–7 October are holidays, Sunday 29 September is worked.
    publicity = open_publicity(secretary, decided.plan, now=at("2024-09-27"))
    assert decided.plan.publicity_working_days == 5
    assert publicity.starts_on == date(2024, 9, 27)
    assert publicity.ends_on == date(2024, 10, 10) == add_working_days(date(2024, 9, 27), 5)
    assert publicity.is_open_on(date(2024, 10, 10)) and not publicity.is_open_on(date(2024, 10, 11))


def test_the_plans_number_of_working_days_counts(decided, secretary):
    decided.plan.publicity_working_days = 7
    decided.plan.save()
    publicity = open_publicity(secretary, decided.plan, now=at("2024-09-27"))
    assert publicity.ends_on == date(2024, 10, 12)  # Saturday 12 October 2024 is a working day


def test_only_the_plans_committee_office_opens_the_publicity(decided, city_officer):
    with pytest.raises(PermissionDenied):
        services.publicity_open(actor=city_officer, plan=decided.plan)
    other = factories.member_of(factories.OfficeFactory(), Role.COMMITTEE_SECRETARY)
    with pytest.raises(PermissionDenied):
        services.publicity_open(actor=other, plan=decided.plan)


def test_nothing_to_publicise_without_a_confirmed_decision(zhang, open_plan, secretary):
    application = qualified(zhang, open_plan)
    decision = decide(application)
    decision.confirmed_at = None
    decision.save()
    with pytest.raises(services.ResultError, match="没有待公示"):
        open_publicity(secretary, open_plan)


def test_an_application_is_publicised_once(decided, secretary):
    open_publicity(secretary, decided.plan)
    with pytest.raises(services.ResultError, match="没有待公示"):
        open_publicity(secretary, decided.plan)


def test_the_committee_office_opens_it_from_the_results_page(client, decided, secretary):
    client.force_login(secretary)
    page = client.get(reverse("certificates:plan", args=[decided.plan.pk])).content.decode()
    assert decided.number in page and "在门户网站发布评审结果公示" in page
    response = client.post(reverse("certificates:publicity_open", args=[decided.plan.pk]), {"note": "电话 88888888"})
    publicity = decided.plan.result_publicities.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "certificates:publicity", args=[publicity.pk]
    )
    assert AuditEntry.objects.filter(action="results.publicity_opened", object_id=str(publicity.pk)).exists()


# --- The public list ----------------------------------------------------------------------------------


def test_the_public_list_shows_results_and_never_id_numbers_or_phones(client, decided, secretary, zhang):
    publicity = open_publicity(secretary, decided.plan)
    html = client.get(reverse("portal:publicity", args=[publicity.pk])).content.decode()
    person = decided.snapshot["person"]
    for shown in (person["name"], person["employer"], "工程师", "通过", publicity.ends_on.strftime("%Y年%-m月%-d日")):
        assert shown in html
    assert zhang.id_number not in html and zhang.id_number[-4:] not in html
    assert zhang.mobile not in html
    assert publicity.title in client.get(reverse("portal:publicities")).content.decode()


# --- Objections ----------------------------------------------------------------------------------------


def objection(entry_pk="", **overrides):
    data = {
        "objection-entry": entry_pk,
        "objection-name": "王五",
        "objection-contact": "13812345678",
        "objection-text": "该申报人所列专利与本人无关，请核实。",
        "objection-website": "",
    }
    return {**data, **{f"objection-{k}": v for k, v in overrides.items()}}


def test_anyone_may_object_while_it_is_open(client, decided, secretary):
    publicity = open_publicity(secretary, decided.plan)
    entry = publicity.entries.get()
    response = client.post(reverse("portal:publicity", args=[publicity.pk]), objection(entry.pk))
    assert response.status_code == 302
    lodged = Objection.objects.get()
    assert lodged.entry == entry and lodged.name == "王五" and lodged.ip == "127.0.0.1" and not lodged.is_handled


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"contact": "call me"},
        {"text": "太短"},
        {"text": "长" * 5000},
        {"entry": "999999"},
        {"entry": "abc"},
        {"website": "http://spam.example"},
    ],
)
def test_bad_objections_are_refused_with_a_message_never_a_500(client, decided, secretary, overrides):
    publicity = open_publicity(secretary, decided.plan)
    response = client.post(reverse("portal:publicity", args=[publicity.pk]), objection(**overrides))
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_objections_are_rate_limited_by_address(client, decided, secretary, settings):
    settings.ZHICHENG_OBJECTION_RATE = (2, 3600)
    publicity = open_publicity(secretary, decided.plan)
    url = reverse("portal:publicity", args=[publicity.pk])
    assert [client.post(url, objection()).status_code for _ in range(2)] == [302, 302]
    response = client.post(url, objection())
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Objection.objects.count() == 2
    other = client.post(url, objection(), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_no_objection_after_the_period(client, decided, secretary):
    publicity = open_publicity(secretary, decided.plan, now=at("2024-09-27"))
    response = client.post(reverse("portal:publicity", args=[publicity.pk]), objection(), follow=True)
    assert "不再受理异议" in response.content.decode() and not Objection.objects.exists()
    with pytest.raises(services.ResultError, match="不在公示期内"):
        services.objection_lodge(publicity=publicity, name="王五", contact="13812345678", text="x" * 20)


def test_unhandled_objections_hold_back_publication(client, decided, secretary, city_officer):
    publicity = open_publicity(secretary, decided.plan)
    lodged = services.objection_lodge(
        publicity=publicity, name="王五", contact="13812345678", text="请核实其专利。" * 3
    )
    with pytest.raises(services.ResultError, match="1 条公示异议未处理"):
        publish(city_officer, publicity)
    client.force_login(secretary)
    response = client.post(
        reverse("certificates:objection_handle", args=[lodged.pk]),
        {f"o{lodged.pk}-handling": "经核实，专利为申报人本人所有，异议不成立。"},
    )
    assert response.status_code == 302
    lodged.refresh_from_db()
    assert lodged.is_handled and lodged.handled_by == secretary
    assert len(publish(city_officer, publicity)) == 1


# --- Publication ----------------------------------------------------------------------------------------


def test_publication_is_refused_before_the_last_working_day(decided, secretary, city_officer):
    publicity = open_publicity(secretary, decided.plan, now=at("2024-09-27"))
    with pytest.raises(services.ResultError, match=r"公示期未满：公示至 2024-10-10（第 5 个工作日），当天起方可公布"):
        services.publicity_publish(
            actor=city_officer, publicity=publicity, document_number=DOCUMENT, now=at("2024-10-09", 17)
        )
    decided.refresh_from_db()
    assert decided.status == "qualified" and not Certificate.objects.exists()
    issued = services.publicity_publish(
        actor=city_officer, publicity=publicity, document_number=DOCUMENT, now=at("2024-10-10", 9)
    )
    assert len(issued) == 1 and issued[0].issued_on == date(2024, 10, 10)


def test_the_page_says_why_publication_is_refused(client, decided, secretary, city_officer):
    publicity = open_publicity(secretary, decided.plan)
    client.force_login(city_officer)
    url = reverse("certificates:publicity", args=[publicity.pk])
    assert "当天起方可公布" in client.get(url).content.decode()
    response = client.post(
        reverse("certificates:publish", args=[publicity.pk]), {"document_number": DOCUMENT, "confirm": "on"}
    )
    assert response.status_code == 400 and "公示期未满" in response.content.decode()


def test_only_the_city_office_of_the_plans_city_publishes(decided, secretary, city_officer):
    publicity = open_publicity(secretary, decided.plan)
    ningbo = factories.member_of(
        factories.OfficeFactory(kind=Organisation.Kind.TITLE_OFFICE, region=Region.objects.get(code="330200")),
        Role.CITY_TITLE_OFFICER,
    )
    for outsider in (ningbo, secretary, user(COUNTY_REVIEWER)):
        with pytest.raises(PermissionDenied):
            publish(outsider, publicity)
    assert not Certificate.objects.exists()
    assert len(publish(city_officer, publicity)) == 1


def test_other_cities_do_not_see_the_results_pages(client, decided, secretary):
    publicity = open_publicity(secretary, decided.plan)
    ningbo = factories.member_of(
        factories.OfficeFactory(kind=Organisation.Kind.TITLE_OFFICE, region=Region.objects.get(code="330200")),
        Role.CITY_TITLE_OFFICER,
    )
    client.force_login(ningbo)
    assert client.get(reverse("certificates:publicity", args=[publicity.pk])).status_code == 404
    assert client.get(reverse("certificates:plan", args=[decided.plan.pk])).status_code == 404
    assert decided.plan.number not in client.get(reverse("certificates:manage")).content.decode()


def test_publication_approves_and_certifies_a_passed_decision(client, decided, zhang, secretary, city_officer):
    publicity = open_publicity(secretary, decided.plan)
    client.force_login(city_officer)
    response = client.post(
        reverse("certificates:publish", args=[publicity.pk]),
        {"document_number": DOCUMENT, "confirm": "on"},
    )
    assert response.status_code == 400  # still in the publicity period (opened today)
    (certificate,) = publish(city_officer, publicity)
    decided.refresh_from_db()
    assert decided.status == Application.Status.APPROVED
    assert decided.status_changes.get(action="publish_pass").reason == DOCUMENT
    assert certificate.application == decided and certificate.holder == zhang
    assert certificate.holder_name == zhang.real_name and certificate.document_number == DOCUMENT
    assert certificate.id_number == zhang.id_number and certificate.masked_id_number != zhang.id_number
    assert certificate.title == "工程师" and certificate.grade == "中级"
    assert certificate.committee == decided.plan.committee.name
    assert certificate.issuer.startswith("温州市人力资源和社会保障局")
    publicity.refresh_from_db()
    assert publicity.published_at and publicity.document_number == DOCUMENT
    with pytest.raises(services.ResultError, match="已于"):
        publish(city_officer, publicity)
    assert AuditEntry.objects.filter(action="certificates.issued").count() == 1
    page = client.get(reverse("certificates:publicity", args=[publicity.pk])).content.decode()
    assert certificate.number in page and "已公布" in page


def test_a_failed_decision_is_published_as_not_approved_without_a_certificate(
    zhang, open_plan, secretary, city_officer
):
    application = qualified(zhang, open_plan)
    decide(application, passed=False)
    publicity = open_publicity(secretary, open_plan)
    assert [e.result_label for e in publicity.entries.all()] == ["未通过"]
    assert publish(city_officer, publicity) == []
    application.refresh_from_db()
    assert application.status == Application.Status.NOT_APPROVED
    assert not Certificate.objects.exists()
