"""A platform administrator (superuser) sees everyone's archive records but does not change
them: evidence is removed, added and records edited by their owner only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.archive.conftest import create_record, login, pdf_upload
from zhicheng.archive.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_staff=True, is_superuser=True, real_name="超级管理员")


def test_superuser_cannot_remove_someone_elses_evidence(superuser, applicant):
    record = create_record(applicant, "education", files=[pdf_upload("一.pdf"), pdf_upload("二.pdf")])
    evidence = Evidence.objects.filter(record=record).first()
    client = login(superuser)

    page = client.get(reverse("archive:record_detail", args=[record.pk]))
    assert page.status_code == 200
    assert page.context["may_edit"] is False and page.context["upload_form"] is None

    response = client.post(reverse("archive:evidence_remove", args=[evidence.public_id]))
    assert response.status_code == 403
    assert Evidence.objects.filter(record=record, removed_at__isnull=True).count() == 2


def test_owner_still_removes_their_evidence(applicant):
    record = create_record(applicant, "education", files=[pdf_upload("一.pdf"), pdf_upload("二.pdf")])
    evidence = Evidence.objects.filter(record=record).first()
    response = login(applicant).post(reverse("archive:evidence_remove", args=[evidence.public_id]))
    assert response.status_code == 302
    assert Evidence.objects.filter(record=record, removed_at__isnull=True).count() == 1
