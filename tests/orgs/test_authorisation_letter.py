"""The employer's authorisation letter is a private file: served inline and never cached to
those allowed, and a clean 404 page (not a server error) when the stored file has gone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from zhicheng.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(reference_data):
    return factories.EmployerFactory(status=Organisation.Status.PENDING)


@pytest.fixture
def holder(employer):
    return factories.employer_admin_of(employer, mobile="13900005678")


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_letter_is_served_as_a_private_file(employer, holder):
    response = _client(holder).get(reverse("orgs:authorisation_letter", args=[employer.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert f"authorisation-{employer.pk}.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("viewer", ["holder", "platform_admin"])
def test_missing_letter_file_is_a_404_not_a_server_error(request, employer, viewer):
    user = request.getfixturevalue(viewer)
    employer.authorisation_letter.storage.delete(employer.authorisation_letter.name)
    response = _client(user).get(reverse("orgs:authorisation_letter", args=[employer.pk]))
    assert response.status_code == 404


def test_missing_letter_file_is_still_refused_to_others(employer):
    employer.authorisation_letter.storage.delete(employer.authorisation_letter.name)
    response = _client(factories.UserFactory()).get(reverse("orgs:authorisation_letter", args=[employer.pk]))
    assert response.status_code == 403
