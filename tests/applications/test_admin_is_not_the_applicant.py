"""A platform administrator (superuser) sees an application but never acts as its applicant:
refreshing the draft from the archive, editing, submitting and withdrawing stay the applicant's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.applications.conftest import complete_draft
from zhicheng.applications.models import Application
from zhicheng.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_staff=True, is_superuser=True, real_name="超级管理员")


def test_superuser_cannot_refresh_or_edit_someone_elses_draft(client, superuser, zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    client.force_login(superuser)
    before = AuditEntry.objects.count()

    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    assert client.post(reverse("applications:refresh", args=[application.pk])).status_code == 404
    response = client.post(reverse("applications:step", args=[application.pk, "pledge"]), {"agree": "on"})
    assert response.status_code == 403
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response.status_code == 403

    assert AuditEntry.objects.count() == before
    assert Application.objects.get(pk=application.pk).status == Application.Status.DRAFT


def test_the_applicant_still_refreshes_their_draft(client, zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    client.force_login(zhang)
    response = client.post(reverse("applications:refresh", args=[application.pk]))
    assert response.status_code == 302
