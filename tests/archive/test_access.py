"""Who sees what: own records, the employer's reviewers for its staff, 404 for everyone else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.archive.conftest import create_record, form_data, login
from tests.factories import MINIMAL_PDF
from zhicheng.archive import selectors
from zhicheng.archive.models import Evidence, Record
from zhicheng.core.permissions import can, registered_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(applicant):
    return create_record(applicant, "education")


@pytest.fixture
def evidence(record):
    return Evidence.objects.get(record=record)


def _urls(record, evidence):
    return {
        "detail": reverse("archive:record_detail", args=[record.pk]),
        "edit": reverse("archive:record_edit", args=[record.pk]),
        "delete": reverse("archive:record_delete", args=[record.pk]),
        "file": reverse("archive:evidence_file", args=[evidence.public_id]),
    }


def test_rules_are_registered():
    assert {
        "archive.keep_archive",
        "archive.view_record",
        "archive.edit_record",
        "archive.review_record",
        "archive.review_queue",
        "archive.view_evidence",
    } <= set(registered_codes())


@pytest.mark.parametrize("who", ["colleague", "other_admin", "outsider", "platform_admin"])
def test_others_get_404_for_pages_and_the_file(request, record, evidence, who):
    client = login(request.getfixturevalue(who))
    for name, url in _urls(record, evidence).items():
        response = client.get(url)
        assert response.status_code == 404, name
        assert MINIMAL_PDF not in b"".join(getattr(response, "streaming_content", [response.content]))
    assert client.post(reverse("archive:evidence_add", args=[record.pk])).status_code == 404
    assert client.post(reverse("archive:evidence_remove", args=[evidence.public_id])).status_code == 404
    assert client.post(reverse("archive:record_review", args=[record.pk]), {"decision": "approve"}).status_code == 404
    record.refresh_from_db()
    assert record.status == Record.Status.PENDING


def test_anonymous_is_sent_to_login_and_never_gets_the_file(record, evidence):
    client = Client()
    for url in _urls(record, evidence).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
        assert MINIMAL_PDF not in response.content


def test_owner_opens_the_file_inline_with_its_type(applicant_client, evidence):
    response = applicant_client.get(reverse("archive:evidence_file", args=[evidence.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_the_employer_admin_sees_but_cannot_edit_staff_records(employer_admin, record, evidence):
    client = login(employer_admin)
    urls = _urls(record, evidence)
    detail = client.get(urls["detail"])
    assert detail.status_code == 200
    assert "审核通过" in detail.content.decode()  # the review buttons
    assert client.get(urls["file"]).status_code == 200
    assert client.get(urls["edit"]).status_code == 404
    assert client.post(urls["edit"], form_data("education", school="改掉")).status_code == 404
    assert client.post(urls["delete"]).status_code == 404


def test_staff_of_another_employer_and_former_staff_are_out_of_scope(applicant, employer_admin, other_employer, record):
    assert selectors.records_visible_to(employer_admin).filter(pk=record.pk).exists()
    applicant.profile.employer = other_employer
    applicant.profile.save()
    assert not selectors.records_visible_to(employer_admin).filter(pk=record.pk).exists()
    assert not can(employer_admin, "archive.view_record", record)


def test_an_inactive_membership_grants_nothing(employer_admin, record):
    employer_admin.memberships.update(is_active=False)
    assert not selectors.records_visible_to(employer_admin).exists()
    assert login(employer_admin).get(reverse("archive:review_queue")).status_code == 403


def test_a_reviewer_never_reviews_their_own_records(employer):
    boss = factories.employer_admin_of(employer, id_number="330381199001010011")
    boss.profile = factories.ProfileFactory(user=boss, employer=employer)
    own = create_record(boss, "education")
    assert can(boss, "archive.view_record", own)
    assert not can(boss, "archive.review_record", own)
    assert not selectors.review_queue(boss).exists()


def test_applicant_pages_need_an_applicant(employer_admin):
    client = login(employer_admin)
    assert client.get(reverse("archive:overview")).status_code == 403
    assert client.get(reverse("archive:record_add", args=["education"])).status_code == 403


def test_the_review_queue_is_for_reviewers_only(applicant_client, outsider):
    assert applicant_client.get(reverse("archive:review_queue")).status_code == 403
    assert applicant_client.post(reverse("archive:bulk_review"), {"records": ["1"]}).status_code == 403
    assert Client().get(reverse("archive:review_queue")).status_code == 302


def test_navigation_links_per_role(applicant_client, employer_admin):
    assert reverse("archive:overview") in applicant_client.get(reverse("portal:dashboard")).content.decode()
    html = login(employer_admin).get(reverse("portal:dashboard")).content.decode()
    assert "业绩档案审核" in html and reverse("archive:review_queue") in html
