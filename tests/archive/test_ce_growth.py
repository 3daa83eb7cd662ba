"""Continuing-education hours per year, my growth track, the reviewer's pending count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.archive.conftest import create_record
from zhicheng.archive import selectors, services
from zhicheng.archive.selectors import YearHours, ce_requirement

pytestmark = pytest.mark.django_db


def ce(owner, year: int, category: str, hours: str, **overrides: str):
    return create_record(
        owner,
        "continuing_education",
        year=str(year),
        category=category,
        hours=hours,
        course=f"{year}年课程",
        **overrides,
    )


def approve(admin, *records) -> None:
    services.records_bulk_review(actor=admin, record_ids=[r.pk for r in records], decision="approve")


def test_ce_by_year_sums_approved_passed_hours_per_category_newest_first(applicant, employer_admin):
    approve(
        employer_admin,
        ce(applicant, 2023, "professional", "30"),
        ce(applicant, 2023, "professional", "20.5"),
        ce(applicant, 2023, "general_public", "18"),
        ce(applicant, 2023, "industry_public", "12"),
        ce(applicant, 2022, "professional", "60"),
        ce(applicant, 2022, "professional", "40", result="failed"),
    )
    ce(applicant, 2022, "general_public", "18")  # pending: reported apart, not counted
    rejected = ce(applicant, 2022, "industry_public", "12")
    services.record_reject(actor=employer_admin, record=rejected, reason="学时证明不清晰")
    withdrawn = ce(applicant, 2021, "professional", "60")
    approve(employer_admin, withdrawn)
    services.record_delete(actor=applicant, record=withdrawn)

    rows = selectors.ce_by_year(applicant, years=[2024])

    assert [row.year for row in rows] == [2024, 2023, 2022]
    y2024, y2023, y2022 = rows
    assert y2024.total == 0
    assert (y2023.professional, y2023.general_public, y2023.industry_public) == (Decimal("50.5"), 18, 12)
    assert (y2023.public, y2023.total) == (30, Decimal("80.5"))
    assert (y2022.professional, y2022.public, y2022.pending) == (60, 0, 18)


def test_the_wenzhou_standard_says_what_each_year_lacks():
    requirement = ce_requirement("wz-jidian-2020")  # read from policies/wz-jidian-2020.yaml
    assert (requirement.total, requirement.professional, requirement.public, requirement.years) == (90, 60, 18, 3)
    assert ce_requirement("nb-quality-2024").total == 90
    assert ce_requirement("sy-jidian-2023") is None  # cumulative over three years: the engine's check

    short = YearHours(2023, general_public=Decimal(18), industry_public=Decimal(12), professional=Decimal(50))
    assert requirement.shortfalls(short) == ["2023 年专业科目学时还差 10 学时", "2023 年总学时还差 10 学时"]
    public = YearHours(2024, general_public=Decimal(6), professional=Decimal("84.5"))
    assert requirement.shortfalls(public) == ["2024 年公需科目（一般公需 + 行业公需）学时还差 12 学时"]
    full = YearHours(2022, general_public=Decimal(18), industry_public=Decimal(12), professional=Decimal(60))
    assert requirement.shortfalls(full) == []


def test_the_page_shows_each_year_and_the_gaps_of_the_last_three_years(applicant, employer_admin, applicant_client):
    records = []
    for year, professional in ((2022, "60"), (2023, "50"), (2024, "60")):
        records += [
            ce(applicant, year, "professional", professional),
            ce(applicant, year, "general_public", "18"),
            ce(applicant, year, "industry_public", "12"),
        ]
    approve(employer_admin, *records)

    overview = selectors.ce_overview(applicant, plan_year=2024)
    assert overview.window == (2022, 2023, 2024)
    assert overview.shortfalls == ["2023 年专业科目学时还差 10 学时", "2023 年总学时还差 10 学时"]

    page = applicant_client.get(reverse("archive:ce_years"), {"year": "2024"}).content.decode()
    assert "继续教育学时" in page and "一般公需科目" in page and "行业公需科目" in page and "专业科目" in page
    assert "按 2024 年申报计算" in page and "2022–2024 年" in page
    alert = page[page.index('data-testid="ce-shortfalls"') :]
    assert alert.index("2023 年专业科目学时还差 10 学时") < alert.index("</div>")
    assert 'data-year="2023"' in page
    assert "2023 年专业科目学时还差 10 学时" in page
    assert "每年不少于 90 学时，其中专业科目不少于 60 学时" in page
    assert "60.0" not in page  # hours print as 60, not 60.0


def test_the_ce_page_is_for_applicants(admin_client_):
    assert admin_client_.get(reverse("archive:ce_years")).status_code == 403


def test_growth_track_lists_key_records_newest_first_with_pending_marked(applicant, employer_admin, applicant_client):
    education = create_record(applicant, "education", graduated_on="2010-07-01")
    title = create_record(applicant, "title", obtained_on="2019-12-01")
    work = create_record(applicant, "work", start_date="2010-07-01")
    patent = create_record(applicant, "patent", granted_on="2022-09-01")
    honour = create_record(applicant, "honour", year="2023")
    project = create_record(applicant, "research_project", approved_on="2021-03-01", completed_on="2023-03-01")
    approve(employer_admin, education, title, work, patent)
    rejected = create_record(applicant, "award", awarded_on="2022-05-01")
    services.record_reject(actor=employer_admin, record=rejected, reason="证书不清晰")
    create_record(applicant, "paper")  # not part of the track
    create_record(applicant, "continuing_education")

    items = selectors.growth_track(applicant)

    assert [i.record_id for i in items] == [honour.pk, patent.pk, project.pk, title.pk, work.pk, education.pk]
    by_id = {i.record_id: i for i in items}
    assert by_id[honour.pk].year_only and by_id[honour.pk].is_pending
    assert not by_id[patent.pk].is_pending
    assert by_id[work.pk].ongoing and by_id[project.pk].end is not None
    assert {i.category for i in items} == {"education", "title", "work", "achievement"}

    page = applicant_client.get(reverse("archive:growth")).content.decode()
    assert "我的成长轨迹" in page and "待审核" in page
    assert (
        page.index(patent.summary)
        < page.index(title.summary)
        < page.index(work.summary)
        < page.index(education.summary)
    )
    assert rejected.summary not in page
    assert "2010-07 至今" in page


def test_pending_review_count_is_what_the_reviewer_still_has_to_decide(
    applicant, colleague, outsider, employer_admin, other_admin
):
    first = create_record(applicant, "education")
    create_record(colleague, "award")
    create_record(outsider, "education")
    assert selectors.pending_review_count(employer_admin) == 2
    approve(employer_admin, first)
    assert selectors.pending_review_count(employer_admin) == 1
    assert selectors.pending_review_count(other_admin) == 1
    assert selectors.pending_review_count(applicant) == 0


def test_the_ce_page_defaults_to_this_year_and_ignores_a_strange_year(applicant_client):
    this_year = timezone.localdate().year
    for query in ({}, {"year": "1900"}, {"year": "abc"}):
        page = applicant_client.get(reverse("archive:ce_years"), query).content.decode()
        assert f"按 {this_year} 年申报计算" in page
        assert f"{this_year} 年专业科目学时还差 60 学时" in page
