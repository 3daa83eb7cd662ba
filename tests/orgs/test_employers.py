"""Employer registration, the administrator's approval or rejection, SMS to the holder."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from zhicheng.core.models import AuditEntry
from zhicheng.lib.uscc import make_uscc
from zhicheng.notifications.models import Message
from zhicheng.orgs.models import Membership, Organisation, Role
from zhicheng.reference.models import Region

pytestmark = pytest.mark.django_db
GOOD_USCC = make_uscc("91330381MA2HD0001")


def _registration(pdf: bytes, **overrides):
    data = {
        "name": "瑞安市华东机械有限公司",
        "uscc": GOOD_USCC.lower(),
        "county": Region.objects.get(code="330381").pk,
        "nature": "private",
        "annual_revenue_wan": "36000",
        "staff_count": "420",
        "address": "瑞安市经济开发区",
        "phone": "0577-65800000",
        "holder_name": "李晓燕",
        "holder_mobile": "13900001234",
        "password": "Huadong-HR-2024",
        "password_confirm": "Huadong-HR-2024",
        "authorisation_letter": SimpleUploadedFile("委托证明.pdf", pdf, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


def test_employer_registers_pending_with_private_letter(client, reference_data, pdf_bytes):
    response = client.post(reverse("orgs:employer_register"), _registration(pdf_bytes))
    assert response.status_code == 302 and response.url == reverse("orgs:my_employer")
    employer = Organisation.objects.get(name="瑞安市华东机械有限公司")
    assert employer.status == Organisation.Status.PENDING
    assert employer.uscc == GOOD_USCC
    assert employer.size == Organisation.Size.LARGE_MEDIUM
    assert "委托证明" not in employer.authorisation_letter.name  # stored name never from the user
    holder = Membership.objects.get(organisation=employer, role=Role.EMPLOYER_ADMIN).user
    assert holder.mobile == "13900001234"
    assert AuditEntry.objects.filter(action="employer.registered", object_id=str(employer.pk)).exists()
    page = client.get(reverse("orgs:my_employer")).content.decode()
    assert "待审核" in page


@pytest.mark.parametrize(
    ("field", "override", "message"),
    [
        ("uscc", {"uscc": GOOD_USCC[:-1] + ("0" if GOOD_USCC[-1] != "0" else "1")}, "校验位"),
        ("uscc", {"uscc": "91330381MA2HD000"}, "18位"),
        (
            "authorisation_letter",
            {"authorisation_letter": SimpleUploadedFile("a.pdf", b"\x89PNG\r\n\x1a\n....")},
            "PDF",
        ),
        ("holder_mobile", {"holder_mobile": "12345"}, "手机号码"),
    ],
)
def test_registration_errors_name_the_field_and_keep_input(client, reference_data, pdf_bytes, field, override, message):
    response = client.post(reverse("orgs:employer_register"), _registration(pdf_bytes, **override))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-field-error="{field}"' in html and message in html
    assert 'value="瑞安市华东机械有限公司"' in html
    assert not Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER).exists()


def test_letter_over_ten_megabytes_is_refused(client, reference_data, pdf_bytes):
    big = pdf_bytes + b"0" * (10 * 1024 * 1024)
    response = client.post(reverse("orgs:employer_register"), _registration(big))
    assert "文件过大" in response.content.decode()


def test_logged_in_person_registers_employer_as_holder(client, reference_data, pdf_bytes):
    person = factories.ApplicantFactory()
    client.force_login(person)
    data = _registration(pdf_bytes)
    for key in ("holder_name", "holder_mobile", "password", "password_confirm"):
        data.pop(key)
    assert client.post(reverse("orgs:employer_register"), data).status_code == 302
    assert Membership.objects.get(role=Role.EMPLOYER_ADMIN).user == person


@pytest.fixture
def pending(reference_data):
    employer = factories.EmployerFactory(status=Organisation.Status.PENDING)
    holder = factories.employer_admin_of(employer, mobile="13900005678")
    return employer, holder


def test_admin_approves_and_holder_gets_sms(
    client, platform_admin, pending, sms_outbox, django_capture_on_commit_callbacks
):
    employer, holder = pending
    client.force_login(platform_admin)
    assert employer.name in client.get(reverse("orgs:employer_queue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orgs:employer_decide", args=[employer.pk]), {"decision": "approve"})
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.status == Organisation.Status.APPROVED and employer.reviewed_by == platform_admin
    assert sms_outbox[-1]["mobile"] == "13900005678" and "通过" in sms_outbox[-1]["content"]
    assert Message.objects.filter(recipient=holder, channel="sms", status="sent").exists()
    assert AuditEntry.objects.filter(action="employer.approved", actor=platform_admin).exists()


def test_admin_rejects_with_reason_and_holder_resubmits(
    client, platform_admin, pending, sms_outbox, pdf_bytes, django_capture_on_commit_callbacks
):
    employer, holder = pending
    client.force_login(platform_admin)
    url = reverse("orgs:employer_decide", args=[employer.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400 and 'data-field-error="reason"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "委托证明未加盖单位公章"})
    employer.refresh_from_db()
    assert employer.status == Organisation.Status.REJECTED
    assert "委托证明未加盖单位公章" in sms_outbox[-1]["content"]

    client.force_login(holder)
    page = client.get(reverse("orgs:my_employer")).content.decode()
    assert "委托证明未加盖单位公章" in page
    letter = SimpleUploadedFile("new.pdf", pdf_bytes, content_type="application/pdf")
    client.post(reverse("orgs:my_employer"), {"authorisation_letter": letter})
    employer.refresh_from_db()
    assert employer.status == Organisation.Status.PENDING


def test_decided_employer_cannot_be_decided_again(client, platform_admin, pending):
    employer, _ = pending
    client.force_login(platform_admin)
    url = reverse("orgs:employer_decide", args=[employer.pk])
    client.post(url, {"decision": "approve"})
    client.post(url, {"decision": "reject", "reason": "重复操作测试"})
    employer.refresh_from_db()
    assert employer.status == Organisation.Status.APPROVED


def test_non_staff_cannot_review(client, pending):
    employer, holder = pending
    client.force_login(holder)
    assert client.get(reverse("orgs:employer_queue")).status_code == 403
    assert client.post(reverse("orgs:employer_decide", args=[employer.pk]), {"decision": "approve"}).status_code == 403


def test_letter_served_only_to_holder_and_staff(client, platform_admin, pending):
    employer, holder = pending
    url = reverse("orgs:authorisation_letter", args=[employer.pk])
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403
    for viewer in (holder, platform_admin):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_queue_query_count_is_constant(client, platform_admin, reference_data, django_assert_max_num_queries):
    for _ in range(15):
        factories.EmployerFactory(status=Organisation.Status.PENDING)
    client.force_login(platform_admin)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("orgs:employer_queue")).status_code == 200


def test_letter_is_stored_in_the_configured_private_storage(client, reference_data, pdf_bytes, settings):
    client.post(reverse("orgs:employer_register"), _registration(pdf_bytes))
    employer = Organisation.objects.get(name="瑞安市华东机械有限公司")
    location = settings.STORAGES["private"]["OPTIONS"]["location"]
    assert employer.authorisation_letter.path.startswith(str(location))
