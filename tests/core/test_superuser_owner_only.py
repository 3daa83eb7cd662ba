"""Superusers pass the administrative checks, never the ones that belong to the owner alone
(the applicant's own draft, the owner's own archive records)."""

from __future__ import annotations

import pytest

from tests import factories
from tests.archive.conftest import create_record
from zhicheng.core.permissions import can, registered_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_staff=True, is_superuser=True, real_name="超级管理员")


def test_owner_only_codes_are_registered_rules():
    from zhicheng.core.permissions import owner_only_codes

    assert set(owner_only_codes()) <= set(registered_codes())
    assert {"application.edit", "archive.edit_record"} <= set(owner_only_codes())


def test_superuser_does_not_edit_someone_elses_record(superuser, applicant):
    record = create_record(applicant, "education")
    assert can(applicant, "archive.edit_record", record)
    assert not can(superuser, "archive.edit_record", record)
    assert can(superuser, "archive.view_record", record)  # seeing stays an administrator's right


def test_superuser_keeps_the_administrative_bypass(superuser, employer):
    assert can(superuser, "employer.review_registration", employer)
    assert can(superuser, "organisation.manage", employer)
    assert can(superuser, "evaluation.manage", None)


def test_superuser_edits_their_own_record(reference_data):
    owner = factories.ApplicantFactory(is_staff=True, is_superuser=True)
    record = create_record(owner, "education")
    assert can(owner, "archive.edit_record", record)
