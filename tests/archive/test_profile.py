"""The POLICY_API profile built from a person's approved archive."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.archive.conftest import create_record
from zhicheng import rules
from zhicheng.archive import choices, services
from zhicheng.archive.models import Record
from zhicheng.archive.profile import EXTRA_VALUES, TOP_LEVEL_KEYS, build_profile
from zhicheng.archive.selectors import records_as_types

pytestmark = pytest.mark.django_db

PLAN = {
    "policy": "wz-jidian-2020",
    "level": "engineer",
    "plan_year": 2024,
    "as_of": date(2024, 12, 31),
    "deadline": date(2024, 10, 31),
    "achievements_until": date(2024, 8, 31),
}

# The Wenzhou engineer of example 01 (shared/spec/examples), as records: (type, form overrides).
CORE_RECORDS: list[tuple[str, dict[str, str]]] = [
    (
        "education",
        {"level": "bachelor", "major": "电气工程及其自动化", "graduated_on": "2012-07-01", "start_date": "2008-09-01"},
    ),
    ("title", {"obtained_on": "2018-06-30"}),
    ("work", {"start_date": "2012-07-01", "end_date": ""}),
    ("social_insurance", {"start_month": "2010-07", "region_code": "330302"}),
    *[
        ("continuing_education", {"year": str(year), "category": category, "hours": hours})
        for year in (2024, 2023, 2022)  # entered newest first: the profile orders them
        for category, hours in (("industry_public", "12"), ("general_public", "18"), ("professional", "60"))
    ],
    ("assessment", {"year": "2023", "result": "good"}),
    ("assessment", {"year": "2021", "result": "pass"}),
    ("assessment", {"year": "2022", "result": "excellent"}),
    ("language", {"kind": "cet6", "obtained_on": "2011-06-01"}),
    ("computer", {"modules": "4", "obtained_on": "2013-01-01"}),
    ("income", {"year": "2023", "over_120k": "on"}),
    (
        "research_project",
        {"level": "provincial", "rank": "2", "approved_on": "2020-03-01", "completed_on": "2022-03-01"},
    ),
    ("paper", {"kind": "other", "rank": "2", "published_on": "2021-11-01"}),
    ("patent", {"kind": "software", "rank": "3", "granted_on": "2023-02-01"}),
]

EXPECTED_CORE = {
    "policy": "wz-jidian-2020",
    "level": "engineer",
    "application_type": None,
    "plan_year": 2024,
    "as_of": "2024-12-31",
    "deadline": "2024-10-31",
    "achievements_until": "2024-08-31",
    "person": {
        "birth_date": "1990-01-01",
        "gender": "male",
        "employer_kind": "private_enterprise",
        "employer_size": "large",
    },
    "education": [
        {
            "level": "bachelor",
            "major": "电气工程及其自动化",
            "relevant": True,
            "degree": True,
            "graduated": "2012-07-01",
        }
    ],
    "titles": [{"level": "assistant_engineer", "relevant": True, "obtained": "2018-06-30"}],
    "skills": [],
    "work": [{"start": "2012-07-01", "end": None, "relevant": True, "mountain_county": False, "government": False}],
    "social_insurance": [{"start": "2010-07", "end": None, "region": "330302", "current_employer": True}],
    "continuing_education": [
        {"year": year, "category": category, "hours": hours}
        for year in (2022, 2023, 2024)
        for category, hours in (("professional", 60), ("general_public", 18), ("industry_public", 12))
    ],
    "assessments": [
        {"year": 2021, "result": "pass"},
        {"year": 2022, "result": "excellent"},
        {"year": 2023, "result": "good"},
    ],
    "language": "cet6",
    "computer_modules": 4,
    "posts": [],
    "income_over_120k": True,
    "awards": [],
    "projects": [{"level": "provincial", "rank": 2, "date": "2022-03-01"}],
    "papers": [{"kind": "other", "rank": 2, "date": "2021-11-01"}],
    "patents": [{"kind": "software", "rank": 3, "date": "2023-02-01"}],
    "standards": [],
    "new_products": [],
    "honors": [],
    "skill_titles": [],
    "competitions": [],
    "other_points": 0,
    "expert_recommendations": [],
    "claims": [],
    "integrity": [],
}

# Everything else the archive can hold, including values the engine does not score.
EXTRA_RECORDS: list[tuple[str, dict[str, str]]] = [
    ("skill_grade", {"grade": "3", "obtained_on": "2015-06-30"}),
    ("tech_post", {"kind": "dept_tech_lead", "start_date": "2020-01-01", "end_date": ""}),
    ("language", {"kind": "cet4", "obtained_on": "2009-06-01"}),
    ("computer", {"modules": "2", "obtained_on": "2014-01-01"}),
    ("income", {"year": "2025", "over_120k": ""}),  # after the plan year: not read
    ("award", {"level": "county", "grade": "1", "rank": "2", "awarded_on": "2022-05-01", "achievement_id": "A1"}),
    ("award", {"level": "city", "grade": "3", "rank": "1", "awarded_on": "2023-05-01", "achievement_id": ""}),
    ("engineering_project", {"level": "city", "rank": "1", "start_date": "2023-01-01", "end_date": "2023-03-01"}),
    ("engineering_project", {"level": "enterprise", "rank": "1", "start_date": "2021-01-01", "end_date": ""}),
    ("research_project", {"level": "national", "rank": "9", "approved_on": "2023-05-01", "completed_on": ""}),
    ("book", {"rank": "3", "published_on": "2019-03-01"}),
    ("patent", {"kind": "utility", "rank": "1", "granted_on": "2022-09-01"}),
    ("patent", {"kind": "design", "rank": "1", "granted_on": "2022-10-01"}),
    ("standard", {"kind": "enterprise", "rank": "1", "published_on": "2023-01-01"}),
    ("standard", {"kind": "group", "rank": "2", "published_on": "2023-02-01"}),
    ("new_product", {"level": "provincial", "rank": "2", "certified_on": "2022-01-01"}),
    ("honour", {"kind": "advanced_worker", "level": "county", "year": "2022"}),
    ("honour", {"kind": "model_worker", "level": "provincial", "year": "2023"}),
    ("honour", {"kind": "other", "level": "city", "year": "2021"}),
    ("skill_title", {"kind": "city_chief_technician", "year": "2023"}),
    ("competition", {"level": "city", "place": "2", "year": "2021"}),
    ("competition", {"level": "provincial", "place": "5", "year": "2022"}),
    ("continuing_education", {"year": "2021", "category": "professional", "hours": "30.5", "result": "failed"}),
    ("assessment", {"year": "2023", "result": "excellent"}),  # a second 2023: the lower result counts
    # Types the profile does not read.
    ("academic_post", {}),
    ("adoption", {}),
    ("qualification", {}),
    ("reward_punishment", {}),
    ("appointment", {}),
]


def expected_full() -> dict:
    expected = copy.deepcopy(EXPECTED_CORE)
    expected["skills"] = [{"grade": 3, "relevant": True, "obtained": "2015-06-30"}]
    expected["posts"] = [{"kind": "dept_tech_lead", "start": "2020-01-01", "end": None}]
    expected["computer_modules"] = 6
    expected["awards"] = [
        {"level": "county", "grade": 1, "rank": 2, "date": "2022-05-01", "achievement": "A1"},
        {"level": "city", "grade": 3, "rank": 1, "date": "2023-05-01", "achievement": None},
    ]
    expected["projects"] = [
        {"level": "provincial", "rank": 2, "date": "2022-03-01"},
        {"level": "city", "rank": 1, "date": "2023-03-01"},
    ]
    expected["papers"] = [
        {"kind": "monograph", "rank": 3, "date": "2019-03-01"},
        {"kind": "other", "rank": 2, "date": "2021-11-01"},
    ]
    expected["patents"] = [
        {"kind": "utility", "rank": 1, "date": "2022-09-01"},
        {"kind": "software", "rank": 3, "date": "2023-02-01"},
    ]
    expected["standards"] = [{"kind": "enterprise", "rank": 1, "date": "2023-01-01"}]
    expected["new_products"] = [{"level": "provincial", "rank": 2, "date": "2022-01-01"}]
    expected["honors"] = [{"kind": "advanced_worker", "level": "county", "year": 2022}]
    expected["skill_titles"] = [{"kind": "city_chief_technician", "year": 2023}]
    expected["competitions"] = [{"level": "city", "place": 2, "year": 2021}]
    return expected


def approved_records(owner, admin, specs) -> dict[int, Record]:
    records = [create_record(owner, type_code, **overrides) for type_code, overrides in specs]
    services.records_bulk_review(actor=admin, record_ids=[r.pk for r in records], decision="approve")
    return {r.pk: r for r in records}


@pytest.fixture
def person(applicant):
    applicant.profile.gender = "male"
    applicant.profile.save()
    return applicant


def test_the_engineer_of_example_01_gives_exactly_the_hand_written_profile(person, employer_admin):
    approved_records(person, employer_admin, CORE_RECORDS)

    build = build_profile(person, **PLAN)

    assert build.profile == EXPECTED_CORE
    assert tuple(build.profile) == TOP_LEVEL_KEYS
    assert build.skipped == []


def test_a_full_archive_maps_every_type_and_says_what_it_left_out(person, employer_admin):
    records = approved_records(person, employer_admin, CORE_RECORDS + EXTRA_RECORDS)

    build = build_profile(person, **PLAN)

    assert build.profile == expected_full()
    skipped = {(records[s.record_id].record_type, s.reason) for s in build.skipped}
    reasons = {s.reason for s in build.skipped}
    assert len(build.skipped) == 9
    assert any(t == "assessment" and "结果较低" in r for t, r in skipped)
    assert EXTRA_VALUES[("project", "level", "enterprise")] in reasons
    assert EXTRA_VALUES[("project", "level", "national")] in reasons
    assert EXTRA_VALUES[("patent", "kind", "design")] in reasons
    assert EXTRA_VALUES[("standard", "kind", "group")] in reasons
    assert EXTRA_VALUES[("honour", "level", "provincial")] in reasons
    assert EXTRA_VALUES[("honour", "kind", "other")] in reasons
    assert ("continuing_education", "学习情况为不合格，学时不计") in skipped
    assert any(t == "competition" and "前三名以外" in r for t, r in skipped)
    assert {s.type_label for s in build.skipped} >= {"专利（著作权）", "荣誉称号"}


def test_sources_name_the_record_behind_each_path(person, employer_admin):
    records = approved_records(person, employer_admin, CORE_RECORDS + EXTRA_RECORDS)

    build = build_profile(person, **PLAN)

    def source(path):
        return records[build.sources[path]]

    assert source("education[0]").record_type == "education"
    assert source("titles[0]").summary.startswith("助理工程师")
    ce0 = source("continuing_education[0]").specific
    assert (ce0.year, ce0.category) == (2022, "professional")
    assert source("papers[0]").record_type == "book"
    assert source("language").specific.kind == "cet6"
    assert source("income_over_120k").specific.year == 2023
    assert sorted(records[pk].specific.modules for pk in build.sources["computer_modules"]) == [2, 4]
    for key in ("education", "titles", "work", "social_insurance", "continuing_education", "assessments", "posts"):
        for index in range(len(build.profile[key])):
            assert f"{key}[{index}]" in build.sources
    assert len(build.records_for("continuing_education")) == 9
    used = {pk for value in build.sources.values() for pk in (value if isinstance(value, list) else [value])}
    assert not used & {s.record_id for s in build.skipped}


def test_only_approved_current_records_count(person, employer_admin, colleague):
    approved_records(person, employer_admin, CORE_RECORDS)
    create_record(person, "patent", kind="invention")  # pending
    rejected = create_record(person, "award")
    services.record_reject(actor=employer_admin, record=rejected, reason="证书不清晰")
    withdrawn = next(iter(approved_records(person, employer_admin, [("standard", {})]).values()))
    services.record_delete(actor=person, record=withdrawn)
    edited = next(iter(approved_records(person, employer_admin, [("honour", {})]).values()))
    services.record_update(actor=person, record=edited, data={"name": "改过的荣誉"})  # back to pending
    approved_records(colleague, employer_admin, [("new_product", {})])  # someone else's

    build = build_profile(person, **PLAN)

    assert build.profile == EXPECTED_CORE


def test_the_employer_sets_kind_and_size_and_no_profile_gives_nulls(person, employer):
    employer.nature = "state_owned"
    employer.annual_revenue_wan = 900
    employer.save()
    assert build_profile(person, **PLAN).profile["person"] == {
        "birth_date": "1990-01-01",
        "gender": "male",
        "employer_kind": "state_enterprise",
        "employer_size": "small",
    }
    person.profile.delete()
    person.refresh_from_db()
    assert set(build_profile(person, **PLAN).profile["person"].values()) == {None}


def test_application_type_and_dates_are_passed_through(person):
    profile = build_profile(person, **{**PLAN, "application_type": "normal"}).profile
    assert (profile["application_type"], profile["deadline"]) == ("normal", "2024-10-31")
    assert profile["language"] == "none" and profile["computer_modules"] == 0 and not profile["income_over_120k"]


def test_the_number_of_queries_does_not_grow_with_the_archive(person, employer_admin):
    approved_records(person, employer_admin, CORE_RECORDS)
    with CaptureQueriesContext(connection) as small:
        build_profile(person, **PLAN)
    approved_records(person, employer_admin, CORE_RECORDS + EXTRA_RECORDS + CORE_RECORDS[4:13])
    with CaptureQueriesContext(connection) as large:
        build_profile(person, **PLAN)

    assert len(small) == len(large) <= 25


def test_every_choice_outside_the_engine_vocabulary_is_marked_extra():
    # POLICY_API vocabularies, written out from the contract.
    engine = {
        ("project", "level"): {"provincial", "city", "county"},
        ("patent", "kind"): {"invention", "utility", "software"},
        ("standard", "kind"): {"national", "industry", "provincial_local", "enterprise"},
        ("honour", "kind"): {"model_worker", "advanced_worker", "party_member"},
        ("honour", "level"): {"city", "county", "section"},
    }
    archive = {
        ("project", "level"): choices.ProjectLevel.values,
        ("patent", "kind"): choices.PatentKind.values,
        ("standard", "kind"): choices.StandardKind.values,
        ("honour", "kind"): choices.HonourKind.values,
        ("honour", "level"): choices.HonourLevel.values,
    }
    extra = {(kind, attr, value) for (kind, attr), values in archive.items() for value in values} - {
        (kind, attr, value) for (kind, attr), values in engine.items() for value in values
    }
    assert extra == set(EXTRA_VALUES)
    assert set(choices.PaperKind.values) | {"monograph"} == {"monograph", "core", "provincial", "other", "unpublished"}
    assert set(choices.AwardLevel.values) == {"national", "provincial", "city", "county"}
    assert set(choices.EducationLevel.values) == {
        "doctorate",
        "master",
        "second_bachelor",
        "bachelor",
        "college",
        "secondary",
        "high_school",
        "below",
        "technical_intermediate",
        "technical_senior",
        "technical_preparatory",
    }


# --- With the policy engine ----------------------------------------------------------------


def _verdict(result: dict) -> tuple:
    routes = sorted((r["id"], r["met"]) for r in result["routes"])
    checks = sorted((c["id"], c["met"]) for c in result["checks"])
    score = result.get("score")
    return result["eligible"], routes, checks, score and {k: score[k] for k in ("basic", "achievements", "bonus")}


def test_the_built_profile_validates_and_gets_the_hand_written_profiles_verdict(person, employer_admin):
    approved_records(person, employer_admin, CORE_RECORDS)
    built = build_profile(person, **PLAN).profile
    hand_written = copy.deepcopy(EXPECTED_CORE)

    rules.validate_profile(built)
    result = rules.evaluate(built)

    assert _verdict(result) == _verdict(rules.evaluate(hand_written))
    assert result["eligible"] is True
    assert ("wz-jidian-2020/engineer/10.1b", True) in _verdict(result)[1]


def _loaded(*owners):
    """Every record of ``owners`` (any status), loaded as its own type."""
    return records_as_types(Record.objects.filter(owner__in=owners).values_list("pk", "record_type"))


def test_records_already_loaded_give_the_same_profile_as_the_archive_read(person, employer_admin, colleague):
    """The submission path hands the chosen records in (no query); the order, the filter and
    every skipped record must be the same as when the builder reads the archive itself."""
    approved_records(person, employer_admin, CORE_RECORDS + EXTRA_RECORDS + CORE_RECORDS[4:13])
    # Created after the rest but dated earlier, and a same-day tie: pk order is not date order.
    approved_records(
        person,
        employer_admin,
        [
            ("title", {"obtained_on": "2014-06-30"}),
            ("title", {"obtained_on": "2018-06-30"}),
            ("paper", {"kind": "other", "rank": "1", "published_on": "2016-01-01"}),
            ("award", {"level": "city", "grade": "2", "rank": "1", "awarded_on": "2020-05-01", "achievement_id": ""}),
        ],
    )
    create_record(person, "patent", kind="invention")  # pending
    withdrawn = next(iter(approved_records(person, employer_admin, [("standard", {})]).values()))
    services.record_delete(actor=person, record=withdrawn)
    approved_records(colleague, employer_admin, [("new_product", {})])  # someone else's
    loaded = _loaded(person, colleague)
    assert {r.record_type for r in loaded} >= {"patent", "standard", "new_product", "title"}

    read = build_profile(person, **PLAN)
    with CaptureQueriesContext(connection) as queries:
        given = build_profile(person, **PLAN, records=loaded)

    assert given.profile == read.profile
    assert given.sources == read.sources
    assert given.skipped == read.skipped
    assert len(queries) == 1  # the person's profile and employer; no record is read again


def test_loaded_records_name_their_related_rows_without_a_query_each(person, employer_admin):
    approved_records(person, employer_admin, CORE_RECORDS)
    with CaptureQueriesContext(connection) as queries:
        loaded = _loaded(person)
        levels = [r.level.code for r in loaded if r.record_type == "title"]
    assert levels and len(queries) == 1 + len({r.record_type for r in loaded})
