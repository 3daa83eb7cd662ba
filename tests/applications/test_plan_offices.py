"""Which plans an office handles: recorded when an application reaches the office, so the queue's
plan filter and the roster permission are index lookups, and the same answer as before."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from tests import factories
from tests.applications.test_workflow import after_publicity, approve, reviewer_of, submitted
from zhicheng.accounts.models import User
from zhicheng.applications import office_selectors
from zhicheng.applications.models import Application, PlanOffice, Routing
from zhicheng.core.permissions import can
from zhicheng.documents.selectors import takes_part
from zhicheng.orgs.models import Organisation, Role

pytestmark = pytest.mark.django_db
COUNTY = "瑞安市人力资源和社会保障局"


def test_an_office_handles_a_plan_once_an_application_reaches_it(client, zhang, open_plan):
    county_reviewer = reviewer_of(Organisation.objects.get(name=COUNTY))
    employer_admin = User.objects.get(mobile="13900000001")
    application = submitted(zhang, open_plan)
    assert open_plan in office_selectors.routed_plans(employer_admin)
    assert open_plan not in office_selectors.routed_plans(county_reviewer)  # not there yet

    approve(application, now=after_publicity(application), publicity_outcome="no_objection")
    assert open_plan in office_selectors.routed_plans(county_reviewer)
    assert open_plan in office_selectors.routed_plans(employer_admin)  # it keeps what it handled
    client.force_login(county_reviewer)
    page = client.get(reverse("applications:review_queue"))
    assert open_plan in page.context["form"].fields["plan"].queryset


def test_roster_permission_follows_the_offices_reached(zhang, open_plan):
    application = submitted(zhang, open_plan)
    county = Organisation.objects.get(name=COUNTY)
    elsewhere = factories.OfficeFactory()
    approve(application, now=after_publicity(application), publicity_outcome="no_objection")
    assert takes_part({county.pk}, open_plan)
    assert not takes_part({elsewhere.pk}, open_plan)
    assert not can(factories.member_of(elsewhere, Role.OFFICE_REVIEWER), "roster.full_ids", open_plan)


def test_the_history_view_lists_newest_arrivals_first_and_only_what_reached_the_office(client, zhang, open_plan):
    county = Organisation.objects.get(name=COUNTY)
    application = submitted(zhang, open_plan)
    employer_admin = User.objects.get(mobile="13900000001")
    client.force_login(employer_admin)
    page = client.get(reverse("applications:review_queue"), {"scope": "all"})
    assert [a.pk for a, _label, _overdue in page.context["rows"]] == [application.pk]
    assert page.context["form"].cleaned_data["sort"] in ("", "arrived")

    client.force_login(reviewer_of(county))
    page = client.get(reverse("applications:review_queue"), {"scope": "all"})
    assert page.context["rows"] == []  # not there yet
    approve(application, now=after_publicity(application), publicity_outcome="no_objection")
    routing = Routing.objects.get(application=application, office=county)
    page = client.get(reverse("applications:review_queue"), {"scope": "all"})
    assert [a.pk for a, _label, _overdue in page.context["rows"]] == [application.pk]
    assert routing.arrived_at == after_publicity(application)


def test_the_history_view_stays_constant_in_queries(client, zhang, open_plan, django_assert_max_num_queries):
    application = submitted(zhang, open_plan)
    employer = application.current_office
    client.force_login(User.objects.get(mobile="13900000001"))
    with django_assert_max_num_queries(25) as captured:
        client.get(reverse("applications:review_queue"), {"scope": "all"})
    few = len(captured)
    for i in range(30):
        other = Application.objects.create(
            applicant=factories.ApplicantFactory(),
            plan=open_plan,
            level=application.level,
            status="in_review",
            number=f"HIST-{i:04d}",
            current_office=None,
        )
        Routing.objects.create(application=other, office=employer, arrived_at=application.submitted_at)
    with django_assert_max_num_queries(few):
        page = client.get(reverse("applications:review_queue"), {"scope": "all"})
    assert page.context["page"].paginator.count == 31


@pytest.mark.parametrize(
    ("model", "columns", "migration", "fill"),
    [
        (PlanOffice, ("office_id", "plan_id"), "0005_plan_office", "record_offices_reached"),
        (Routing, ("office_id", "application_id"), "0006_routing", "record_arrivals"),
    ],
    ids=["plan-offices", "routings"],
)
def test_the_migration_fills_what_history_and_current_stages_show(zhang, open_plan, model, columns, migration, fill):
    application = submitted(zhang, open_plan)
    approve(application, now=after_publicity(application), publicity_outcome="no_objection")
    expected = set(model.objects.values_list(*columns))
    model.objects.all().delete()
    module = importlib.import_module(f"zhicheng.applications.migrations.{migration}")
    getattr(module, fill)(apps, None)
    assert set(model.objects.values_list(*columns)) == expected
