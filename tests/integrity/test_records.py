"""The integrity archive: the default ban and its boundaries, the city office's pages (record,
amend, annul), revoking a title with its certificate, and the ban flag for review pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from tests import factories
from zhicheng.certificates.models import Certificate
from zhicheng.core.models import AuditEntry
from zhicheng.integrity import selectors, services
from zhicheng.integrity.models import IntegrityRecord, default_ban
from zhicheng.orgs.models import Organisation, Role
from zhicheng.reference.models import Region

pytestmark = pytest.mark.django_db


# --- The default ban --------------------------------------------------------------------------------


@pytest.mark.parametrize("found", [date(2023, 1, 1), date(2023, 6, 1), date(2023, 12, 31)])
def test_a_finding_in_2023_bans_2024_to_2026(found):
    assert default_ban(found) == (date(2024, 1, 1), date(2026, 12, 31))


def test_a_finding_on_new_years_day_still_waits_for_the_next_year():
    assert default_ban(date(2024, 1, 1)) == (date(2025, 1, 1), date(2027, 12, 31))


def record_for(person, found_on=date(2023, 6, 1), **fields) -> IntegrityRecord:
    start, end = default_ban(found_on)
    return IntegrityRecord.objects.create(
        person=person,
        kind=fields.pop("kind", IntegrityRecord.Kind.FALSIFIED),
        description=fields.pop("description", "伪造继续教育证书"),
        found_on=found_on,
        banned_from=fields.pop("banned_from", start),
        banned_until=fields.pop("banned_until", end),
        **fields,
    )


@pytest.mark.parametrize(
    ("day", "banned"),
    [
        (date(2023, 6, 1), False),
        (date(2023, 12, 31), False),
        (date(2024, 1, 1), True),
        (date(2025, 7, 1), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
    ],
)
def test_the_ban_boundaries(zhang, day, banned):
    record = record_for(zhang)
    assert record.is_active_on(day) is banned
    assert (selectors.active_ban(zhang, day) == record) is banned


def test_an_annulled_record_bans_no_more(zhang, city_officer):
    record = services.record_create(
        actor=city_officer,
        person=zhang,
        data=services.RecordData(kind="falsified", description="伪造学历", found_on=date(2023, 6, 1)),
    )
    assert selectors.active_ban(zhang, date(2025, 1, 1)) == record
    services.record_annul(actor=city_officer, record=record, reason="经复查，学历证书真实。")
    assert selectors.active_ban(zhang, date(2025, 1, 1)) is None
    entry = AuditEntry.objects.get(action="integrity.record_annulled")
    assert entry.data["reason"] == "经复查，学历证书真实。"


# --- The city office's pages --------------------------------------------------------------------------


def new_record(**overrides) -> dict:
    data = {
        "id_number": "",
        "application_number": "",
        "kind": "falsified",
        "description": "提交伪造的专利证书，经查实。",
        "found_on": "2023-06-01",
        "banned_from": "",
        "banned_until": "",
        "document_number": "温职改〔2023〕8号",
    }
    return {**data, **overrides}


def test_the_city_office_records_a_case_with_the_default_ban(client, city_officer, zhang):
    client.force_login(city_officer)
    assert client.get(reverse("integrity:new")).status_code == 200
    response = client.post(reverse("integrity:new"), new_record(id_number=zhang.id_number))
    record = IntegrityRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("integrity:detail", args=[record.pk])
    assert (record.person, record.banned_from, record.banned_until) == (zhang, date(2024, 1, 1), date(2026, 12, 31))
    assert record.recorded_by == city_officer
    html = client.get(reverse("integrity:list")).content.decode()
    assert zhang.real_name in html and zhang.id_number not in html and "2026-12-31" in html


def test_the_ban_can_be_set_by_the_decision(client, city_officer, zhang):
    client.force_login(city_officer)
    client.post(
        reverse("integrity:new"),
        new_record(id_number=zhang.id_number, banned_from="2023-07-01", banned_until="2025-06-30"),
    )
    record = IntegrityRecord.objects.get()
    assert (record.banned_from, record.banned_until) == (date(2023, 7, 1), date(2025, 6, 30))
    response = client.post(
        reverse("integrity:edit", args=[record.pk]),
        {**new_record(), "banned_from": "2024-01-01", "banned_until": "2023-01-01"},
    )
    assert response.status_code == 400 and "不能早于开始日" in response.content.decode()
    client.post(reverse("integrity:edit", args=[record.pk]), new_record(kind="plagiarism"))
    record.refresh_from_db()
    assert record.kind == "plagiarism" and record.banned_until == date(2026, 12, 31)  # back to the default
    assert AuditEntry.objects.filter(action="integrity.record_changed", object_id=str(record.pk)).exists()


def test_unknown_or_invalid_id_numbers_are_refused(client, city_officer):
    client.force_login(city_officer)
    for id_number in ("123", "330302199001011234"):
        response = client.post(reverse("integrity:new"), new_record(id_number=id_number))
        assert response.status_code == 400
    assert not IntegrityRecord.objects.exists()


def test_others_get_404(client, zhang, secretary):
    record = record_for(zhang)
    for outsider in (zhang, secretary, factories.ApplicantFactory()):
        client.force_login(outsider)
        for url in (
            reverse("integrity:list"),
            reverse("integrity:new"),
            reverse("integrity:detail", args=[record.pk]),
            reverse("integrity:edit", args=[record.pk]),
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("integrity:annul", args=[record.pk]), {"reason": "x"}).status_code == 404


def test_another_citys_office_reads_but_cannot_annul_or_revoke(client, zhang, city_officer, certificate):
    record = services.record_create(
        actor=city_officer,
        person=zhang,
        data=services.RecordData(kind="falsified", description="伪造学历", found_on=date(2023, 6, 1)),
    )
    ningbo = factories.member_of(
        factories.OfficeFactory(kind=Organisation.Kind.TITLE_OFFICE, region=Region.objects.get(code="330200")),
        Role.CITY_TITLE_OFFICER,
    )
    client.force_login(ningbo)
    assert client.get(reverse("integrity:detail", args=[record.pk])).status_code == 200
    assert client.post(reverse("integrity:annul", args=[record.pk]), {"reason": "x"}).status_code == 404
    response = client.post(
        reverse("integrity:new"),
        new_record(id_number=zhang.id_number, application_number=certificate.application.number, revoke_title="on"),
    )
    assert response.status_code == 400 and "不属于您单位管理的范围" in response.content.decode()
    assert Certificate.objects.get().is_valid


def test_annulling_from_the_page(client, zhang, city_officer):
    client.force_login(city_officer)
    client.post(reverse("integrity:new"), new_record(id_number=zhang.id_number))
    record = IntegrityRecord.objects.get()
    assert client.post(reverse("integrity:annul", args=[record.pk]), {"reason": ""}).status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is None  # a reason is required
    client.post(reverse("integrity:annul", args=[record.pk]), {"reason": "经复查不属实"})
    record.refresh_from_db()
    assert record.revoked_at is not None
    html = client.get(reverse("integrity:detail", args=[record.pk])).content.decode()
    assert 'data-testid="annulled"' in html and "经复查不属实" in html


# --- Revoking the title -------------------------------------------------------------------------------


def test_a_falsification_revokes_the_title_and_withdraws_the_certificate(client, certificate, zhang, city_officer):
    application = certificate.application
    client.force_login(city_officer)
    form = client.get(reverse("integrity:new") + f"?application={application.number}").content.decode()
    assert application.number in form and zhang.id_number in form
    response = client.post(
        reverse("integrity:new"),
        new_record(id_number=zhang.id_number, application_number=application.number, revoke_title="on"),
    )
    assert response.status_code == 302
    record = IntegrityRecord.objects.get()
    application.refresh_from_db()
    certificate.refresh_from_db()
    assert application.status == "revoked"
    assert (
        application.status_changes.get(action="revoke").reason
        == "诚信档案记录：伪造、变造证书或申报材料（温职改〔2023〕8号）"
    )
    assert certificate.revoked_at is not None and certificate.integrity_record == record
    assert certificate.revocation_reason == "违反职称评审纪律（申报材料弄虚作假），依规撤销评审结果并收回证书"
    client.logout()
    html = client.get(reverse("verify:token", args=[certificate.token])).content.decode()
    assert "证书已撤销" in html and timezone.localdate().strftime("%Y年%-m月%-d日") in html
    assert "伪造的专利证书" not in html


def test_revoking_needs_an_approved_application(client, decided, zhang, city_officer):
    client.force_login(city_officer)
    response = client.post(
        reverse("integrity:new"),
        new_record(id_number=zhang.id_number, application_number=decided.number, revoke_title="on"),
    )
    assert response.status_code == 400 and "只有评审通过" in response.content.decode()
    assert not IntegrityRecord.objects.exists()
    response = client.post(reverse("integrity:new"), new_record(id_number=zhang.id_number, revoke_title="on"))
    assert response.status_code == 400 and "须填写评审通过的申报编号" in response.content.decode()


def test_an_application_of_someone_else_is_refused(client, decided, city_officer):
    other = factories.ApplicantFactory()
    client.force_login(city_officer)
    response = client.post(
        reverse("integrity:new"), new_record(id_number=other.id_number, application_number=decided.number)
    )
    assert response.status_code == 400 and "没有这个申报编号" in response.content.decode()


# --- The flag for review pages ------------------------------------------------------------------------


def test_the_ban_flag_shows_a_ban_in_force(zhang):
    template = Template('{% include "integrity/_ban_flag.html" with person=person %}')
    assert template.render(Context({"person": zhang})).strip() == ""
    today = timezone.localdate()
    record_for(zhang, found_on=date(today.year - 1, 3, 1))
    html = template.render(Context({"person": zhang}))
    assert 'data-testid="integrity-ban"' in html and f"{today.year + 2}-12-31" in html
    assert template.render(Context({"person": None})).strip() == ""


def test_a_ban_that_has_not_started_is_not_flagged(zhang):
    record_for(zhang, found_on=timezone.localdate())
    html = Template('{% include "integrity/_ban_flag.html" with person=person %}').render(Context({"person": zhang}))
    assert "integrity-ban" not in html
