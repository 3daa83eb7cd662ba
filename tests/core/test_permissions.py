"""The single permission helper: unknown codes raise, anonymous users never pass."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from tests import factories
from zhicheng.core.permissions import can, registered_codes, require


def test_unknown_code_is_a_programming_error(db):
    with pytest.raises(LookupError):
        can(factories.UserFactory(), "no.such.permission")


def test_anonymous_is_refused_everything():
    for code in registered_codes():
        assert not can(AnonymousUser(), code, None)


def test_require_raises_permission_denied(employer, db):
    outsider = factories.UserFactory()
    with pytest.raises(PermissionDenied):
        require(outsider, "organisation.view", employer)


def test_employer_admin_views_own_organisation_only(employer, employer_admin, reference_data):
    other = factories.EmployerFactory()
    assert can(employer_admin, "organisation.view", employer)
    assert can(employer_admin, "organisation.manage", employer)
    assert not can(employer_admin, "organisation.view", other)


def test_inactive_membership_grants_nothing(employer, employer_admin):
    employer_admin.memberships.update(is_active=False)
    assert not can(employer_admin, "organisation.manage", employer)


def test_only_staff_review_employer_registrations(employer, employer_admin, platform_admin):
    assert can(platform_admin, "employer.review_registration", employer)
    assert not can(employer_admin, "employer.review_registration", employer)
