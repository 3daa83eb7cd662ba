"""The public portal's results side: open plans, result publicities on the home page and their
own pages, the verification box; the offices' way in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.certificates.conftest import at, open_publicity
from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER

pytestmark = pytest.mark.django_db


def test_home_shows_open_plans_and_the_verification_box(client, open_plan):
    html = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="open-plans"' in html and open_plan.name in html
    assert reverse("plans:detail", args=[open_plan.pk]) in html
    assert 'data-testid="verify-box"' in html and f'action="{reverse("verify:lookup")}"' in html
    assert "当前没有正在公示的评审结果" in html


def test_home_lists_the_publicities_on_display(client, decided, secretary):
    publicity = open_publicity(secretary, decided.plan)
    html = client.get(reverse("portal:home")).content.decode()
    assert publicity.title in html and reverse("portal:publicity", args=[publicity.pk]) in html


def test_an_ended_publicity_moves_to_the_earlier_ones(client, decided, secretary):
    publicity = open_publicity(secretary, decided.plan, now=at("2024-09-27"))
    assert publicity.title not in client.get(reverse("portal:home")).content.decode()
    html = client.get(reverse("portal:publicities")).content.decode()
    earlier = html.split('data-testid="earlier-publicities"')[1]
    assert publicity.title in earlier
    page = client.get(reverse("portal:publicity", args=[publicity.pk])).content.decode()
    assert "提出异议" not in page and decided.snapshot["person"]["name"] in page


def test_unknown_publicity_is_404(client):
    assert client.get(reverse("portal:publicity", args=[999])).status_code == 404


def test_the_city_office_finds_results_and_the_integrity_archive(client, city_officer):
    client.force_login(city_officer)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("certificates:manage") in html and reverse("integrity:list") in html
    assert client.get(reverse("certificates:manage")).status_code == 200


def test_the_committee_office_finds_the_results_page(client, decided, secretary):
    client.force_login(secretary)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("certificates:manage") in html and reverse("integrity:list") not in html
    assert DEMO_OPEN_NUMBER in client.get(reverse("certificates:manage")).content.decode()


def test_applicants_have_no_results_pages(client, zhang):
    client.force_login(zhang)
    assert client.get(reverse("certificates:manage")).status_code == 404
    assert reverse("certificates:manage") not in client.get(reverse("portal:dashboard")).content.decode()
