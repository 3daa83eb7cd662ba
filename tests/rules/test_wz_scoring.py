"""The Wenzhou quantitative scoring standard (温职改办〔2020〕5号 附件; DOMAIN §9): every
table row at every printed rank, every cap, every flag, the mountain-county bonus."""

from __future__ import annotations

import pytest

from zhicheng.rules import evaluate

from .helpers import AS_OF, DAY, ce_years, edu, item, skill, title, work, wz, years_before_cutoff

B = years_before_cutoff
WHEN = "2023-05-01"  # inside the achievement window of the profiles below


def _with(kind: str, records: list[dict], **kw) -> dict:
    """Evaluate an engineer holding an assistant-engineer title since 2018-01-01 with ``records``."""
    return evaluate(wz(**{"titles": [title("assistant_engineer", "2018-01-01")], kind: records, **kw}))


def _ranked(values: list[float], first: int = 1) -> list[tuple[int, float]]:
    return [(first + i, v) for i, v in enumerate(values)]


# (record kind, record fields, [(rank, points), …]) — the printed table read by hand
RANKED_ROWS = [
    ("awards", {"level": "city", "grade": 2}, _ranked([14, 12, 10, 8, 6], first=4)),
    ("awards", {"level": "city", "grade": 3}, _ranked([14, 12, 10, 8, 6, 4, 2])),
    ("awards", {"level": "county", "grade": 1}, _ranked([12, 10, 8, 6, 4, 2])),
    ("awards", {"level": "county", "grade": 2}, _ranked([10, 8, 6, 4, 2])),
    ("awards", {"level": "county", "grade": 3}, _ranked([8, 6, 4, 2])),
    ("projects", {"level": "provincial"}, _ranked([14, 12.5, 11, 9.5, 8, 6.5, 5])),
    ("projects", {"level": "city"}, _ranked([10, 8.5, 7, 5.5, 4, 2.5, 1])),
    ("projects", {"level": "county"}, _ranked([7, 5.5, 4, 2.5, 1])),
    ("papers", {"kind": "monograph"}, _ranked([14, 12, 10, 8, 6, 4, 2])),
    ("papers", {"kind": "core"}, _ranked([10, 8, 6, 4, 2])),
    ("papers", {"kind": "other"}, _ranked([6, 4, 2])),
    ("papers", {"kind": "provincial"}, _ranked([6, 4, 2])),  # scores as "other journal"
    ("papers", {"kind": "unpublished"}, _ranked([3, 1])),
    ("patents", {"kind": "invention"}, _ranked([12, 10, 8, 7, 5.5, 4, 2.5, 1])),
    ("patents", {"kind": "utility"}, _ranked([6, 4, 3, 2, 1])),
    ("patents", {"kind": "software"}, _ranked([7, 5, 4, 3, 2, 1])),
    ("standards", {"kind": "national"}, _ranked([16, 14, 12, 10, 8, 6, 4])),
    ("standards", {"kind": "industry"}, _ranked([15, 13, 11, 9, 7, 5, 3])),
    ("standards", {"kind": "provincial_local"}, _ranked([14, 12, 10, 8, 6, 4, 2])),
    ("standards", {"kind": "enterprise"}, _ranked([6, 4, 3, 2, 1])),
    ("new_products", {"level": "national"}, _ranked([11, 10, 9, 8, 7, 6, 5, 4, 3])),
    ("new_products", {"level": "provincial"}, _ranked([9, 8, 7, 6, 5, 4, 3, 2, 1])),
]
RANKED_CASES = [(kind, fields, rank, points) for kind, fields, pairs in RANKED_ROWS for rank, points in pairs]


@pytest.mark.parametrize(
    ("kind", "fields", "rank", "points"),
    RANKED_CASES,
    ids=[f"{k}-{'-'.join(map(str, f.values()))}-rank{r}" for k, f, r, _ in RANKED_CASES],
)
def test_ranked_row(kind, fields, rank, points):
    result = _with(kind, [{**fields, "rank": rank, "date": WHEN}])
    assert item(result, f"{kind}[0]")["points"] == points
    assert result["score"]["achievements"] == points
    assert result["score"]["flagged"] == []


FIXED_CASES = [
    ("honors", {"kind": "model_worker", "level": "city", "year": 2023}, 8),
    ("honors", {"kind": "model_worker", "level": "county", "year": 2023}, 5),
    ("honors", {"kind": "advanced_worker", "level": "city", "year": 2023}, 5),
    ("honors", {"kind": "advanced_worker", "level": "county", "year": 2023}, 3),
    ("honors", {"kind": "advanced_worker", "level": "section", "year": 2023}, 1),
    ("honors", {"kind": "party_member", "level": "city", "year": 2023}, 3),
    ("honors", {"kind": "party_member", "level": "county", "year": 2023}, 2),
    ("honors", {"kind": "party_member", "level": "section", "year": 2023}, 1),
    ("skill_titles", {"kind": "provincial_chief_technician", "date": WHEN}, 10),
    ("skill_titles", {"kind": "national_technical_expert", "date": WHEN}, 10),
    ("skill_titles", {"kind": "city_chief_technician", "date": WHEN}, 8),
    ("skill_titles", {"kind": "city_master", "date": WHEN}, 6),
    ("skill_titles", {"kind": "provincial_technical_expert", "date": WHEN}, 6),
    ("skill_titles", {"kind": "county_technical_expert", "date": WHEN}, 4),
    ("competitions", {"level": "national", "place": 1, "year": 2023}, 12),
    ("competitions", {"level": "national", "place": 2, "year": 2023}, 10),
    ("competitions", {"level": "national", "place": 3, "year": 2023}, 8),
    ("competitions", {"level": "provincial", "place": 1, "year": 2023}, 9),
    ("competitions", {"level": "provincial", "place": 2, "year": 2023}, 7),
    ("competitions", {"level": "provincial", "place": 3, "year": 2023}, 5),
    ("competitions", {"level": "city", "place": 1, "year": 2023}, 7),
    ("competitions", {"level": "city", "place": 2, "year": 2023}, 5),
    ("competitions", {"level": "city", "place": 3, "year": 2023}, 3),
    ("competitions", {"level": "county", "place": 1, "year": 2023}, 5),
    ("competitions", {"level": "county", "place": 2, "year": 2023}, 3),
    ("competitions", {"level": "county", "place": 3, "year": 2023}, 1),
]


@pytest.mark.parametrize(
    ("kind", "record", "points"), FIXED_CASES, ids=[f"{k}-{'-'.join(map(str, r.values()))}" for k, r, _ in FIXED_CASES]
)
def test_fixed_row(kind, record, points):
    result = _with(kind, [record])
    assert item(result, f"{kind}[0]")["points"] == points
    assert result["score"]["flagged"] == []


# ---- records the table does not print: 0 points, flagged for the panel

FLAG_CASES = [
    ("awards", {"level": "provincial", "grade": 1, "rank": 1}, "量化标准未列"),
    ("awards", {"level": "provincial", "grade": 3, "rank": 5}, "量化标准未列"),
    ("awards", {"level": "national", "grade": 2, "rank": 1}, "量化标准未列"),
    ("awards", {"level": "city", "grade": 1, "rank": 1}, "量化标准未列"),
    ("awards", {"level": "city", "grade": 1, "rank": 9}, "量化标准未列"),
    ("awards", {"level": "city", "grade": 2, "rank": 1}, "仅列第 4—8 名"),
    ("awards", {"level": "city", "grade": 2, "rank": 2}, "仅列第 4—8 名"),
    ("awards", {"level": "city", "grade": 2, "rank": 3}, "仅列第 4—8 名"),
    ("awards", {"level": "city", "grade": 2, "rank": 9}, "仅列第 4—8 名"),
    ("awards", {"level": "city", "grade": 3, "rank": 8}, "仅列第 1—7 名"),
    ("awards", {"level": "county", "grade": 1, "rank": 7}, "仅列第 1—6 名"),
    ("awards", {"level": "county", "grade": 3, "rank": 5}, "仅列第 1—4 名"),
    ("projects", {"level": "provincial", "rank": 8}, "仅列第 1—7 名"),
    ("projects", {"level": "county", "rank": 6}, "仅列第 1—5 名"),
    ("papers", {"kind": "monograph", "rank": 8}, "仅列第 1—7 名"),
    ("papers", {"kind": "core", "rank": 6}, "仅列第 1—5 名"),
    ("papers", {"kind": "other", "rank": 4}, "仅列第 1—3 名"),
    ("papers", {"kind": "unpublished", "rank": 3}, "仅列第 1—2 名"),
    ("patents", {"kind": "invention", "rank": 9}, "第 1—3 名、第 4—8 名"),
    ("patents", {"kind": "utility", "rank": 6}, "第 1 名、第 2—5 名"),
    ("patents", {"kind": "software", "rank": 7}, "第 1 名、第 2—6 名"),
    ("standards", {"kind": "national", "rank": 8}, "仅列第 1—7 名"),
    ("standards", {"kind": "enterprise", "rank": 6}, "第 1—2 名、第 3—5 名"),
    ("new_products", {"level": "provincial", "rank": 10}, "仅列第 1—9 名"),
]


@pytest.mark.parametrize(
    ("kind", "fields", "why"), FLAG_CASES, ids=[f"{k}-{'-'.join(map(str, f.values()))}" for k, f, _ in FLAG_CASES]
)
def test_unprinted_rank_or_level_is_flagged(kind, fields, why):
    result = _with(kind, [{**fields, "date": WHEN}])
    assert item(result, f"{kind}[0]")["points"] == 0
    [flag] = result["score"]["flagged"]
    assert flag["item"] == f"{kind}[0]"
    assert why in flag["reason"]
    assert "评议专家酌情量分" in flag["reason"]


def test_unprinted_honour_level_is_flagged():
    result = _with("honors", [{"kind": "model_worker", "level": "section", "year": 2023}])
    assert item(result, "honors[0]")["points"] == 0
    assert [f["item"] for f in result["score"]["flagged"]] == ["honors[0]"]


# ---- caps and "counts once" rules


def _sum(result: dict, prefix: str) -> float:
    return sum(i["points"] for i in result["score"]["items"] if i["id"].startswith(prefix))


def test_papers_and_books_at_most_20():
    result = _with("papers", [{"kind": "monograph", "rank": 1, "date": WHEN}] * 3)
    assert item(result, "papers:cap")["points"] == -22
    assert _sum(result, "papers") == 20
    assert result["score"]["achievements"] == 20


def test_patents_at_most_20():
    result = _with("patents", [{"kind": "invention", "rank": 1, "date": WHEN}] * 2)
    assert _sum(result, "patents") == 20


def test_unpublished_papers_at_most_two_count():
    result = _with("papers", [{"kind": "unpublished", "rank": r, "date": WHEN} for r in (2, 1, 1)])
    assert [item(result, f"papers[{i}]")["points"] for i in range(3)] == [0, 3, 3]
    assert "限 2 篇" in item(result, "papers[0]")["note"]
    assert result["score"]["achievements"] == 6


def test_enterprise_standards_at_most_three_count():
    records = [{"kind": "enterprise", "rank": r, "date": WHEN} for r in (1, 5, 1, 2)]
    result = _with("standards", records + [{"kind": "industry", "rank": 1, "date": WHEN}])
    assert [item(result, f"standards[{i}]")["points"] for i in range(5)] == [6, 0, 6, 4, 15]
    assert result["score"]["achievements"] == 31


def test_achievements_at_most_35():
    result = _with(
        "standards",
        [{"kind": "national", "rank": 1, "date": WHEN}] * 3,
        projects=[{"level": "provincial", "rank": 1, "date": WHEN}],
    )
    assert result["score"]["achievements"] == 35
    assert item(result, "achievements:cap")["points"] == 35 - (16 * 3 + 14)


def test_one_honour_per_year_the_highest():
    honours = [
        {"kind": "advanced_worker", "level": "county", "year": 2022},
        {"kind": "model_worker", "level": "city", "year": 2022},
        {"kind": "party_member", "level": "county", "year": 2023},
    ]
    result = _with("honors", honours)
    assert [item(result, f"honors[{i}]")["points"] for i in range(3)] == [0, 8, 2]
    assert "同一年度" in item(result, "honors[0]")["note"] or "2022 年度" in item(result, "honors[0]")["note"]
    assert result["score"]["achievements"] == 10


def test_one_competition_per_year_the_highest():
    records = [
        {"level": "city", "place": 1, "year": 2021},
        {"level": "provincial", "place": 3, "year": 2021},
        {"level": "county", "place": 1, "year": 2022},
    ]
    result = _with("competitions", records, titles=[])
    assert [item(result, f"competitions[{i}]")["points"] for i in range(3)] == [7, 0, 5]
    assert result["score"]["achievements"] == 12


def test_same_achievement_counts_once_at_its_highest_award():
    awards = [
        {"level": "county", "grade": 1, "rank": 1, "date": WHEN, "achievement": "A1"},
        {"level": "city", "grade": 3, "rank": 1, "date": WHEN, "achievement": "A1"},
        {"level": "county", "grade": 3, "rank": 1, "date": WHEN, "achievement": "A2"},
        {"level": "county", "grade": 3, "rank": 1, "date": WHEN},
        {"level": "county", "grade": 3, "rank": 1, "date": WHEN},
    ]
    result = _with("awards", awards)
    assert [item(result, f"awards[{i}]")["points"] for i in range(5)] == [0, 14, 8, 8, 8]
    assert "就高" in item(result, "awards[0]")["note"]


def test_skill_titles_the_highest_once():
    result = _with(
        "skill_titles",
        [{"kind": "city_chief_technician", "year": 2023}, {"kind": "national_technical_expert", "year": 2022}],
    )
    assert [item(result, f"skill_titles[{i}]")["points"] for i in range(2)] == [0, 10]


def test_other_evidence_up_to_five():
    assert item(_with("papers", [], other_points=5), "other_points")["points"] == 5
    assert item(_with("papers", [], other_points=2.5), "other_points")["points"] == 2.5


# ---- basic conditions


@pytest.mark.parametrize(
    ("education", "points"),
    [
        ([edu("doctorate", True, True)], 6),
        ([edu("master", True, False)], 5),
        ([edu("master", False, True)], 5),
        ([edu("master", False, False)], 4),
        ([edu("second_bachelor", True, True)], 5),
        ([edu("bachelor", True, True)], 5),
        ([edu("bachelor", False, False)], 3),
        ([edu("technical_preparatory", True)], 4),  # = 本科
        ([edu("college", True)], 3),
        ([edu("college", False, True)], 3),
        ([edu("technical_senior", False)], 2),  # = 大专
        ([edu("secondary", True)], 2),
        ([edu("technical_intermediate", False)], 1),  # = 中专
        ([edu("high_school", False)], 0),
        ([], 0),
        ([edu("college", True), edu("bachelor", False, True)], 4),  # the best entry counts
    ],
)
def test_education_points(education, points):
    assert item(evaluate(wz(education=education)), "education")["points"] == points


@pytest.mark.parametrize(
    ("skills", "points"),
    [
        ([skill(1, "2020-01-01")], 4),
        ([skill(2, "2020-01-01")], 3),
        ([skill(3, "2020-01-01")], 2),
        ([skill(4, "2020-01-01")], 1),
        ([skill(5, "2020-01-01")], 0),
        ([skill(1, "2020-01-01", relevant=False)], 0),  # 工种须与机电（机械）专业相关相近
        ([skill(4, "2010-01-01"), skill(2, "2020-01-01")], 3),  # the highest only
    ],
)
def test_skill_grade_points(skills, points):
    assert item(evaluate(wz(skills=skills)), "skill_grade")["points"] == points


@pytest.mark.parametrize(("language", "points"), [("cet6", 2), ("title_exam", 2), ("cet4", 1), ("none", 0)])
def test_language_points(language, points):
    assert item(evaluate(wz(language=language)), "language")["points"] == points


@pytest.mark.parametrize(("modules", "points"), [(0, 0), (2, 0), (3, 1), (4, 2), (9, 2)])
def test_computer_points(modules, points):
    assert item(evaluate(wz(computer_modules=modules)), "computer")["points"] == points


@pytest.mark.parametrize(
    ("education", "start", "points"),
    [
        # engineer, relevant bachelor: 5 years required (Decision, DOMAIN §9)
        ([edu("bachelor")], B(5), 2),
        ([edu("bachelor")], B(5) + DAY, 0),
        ([edu("bachelor")], B(6), 2.5),
        ([edu("bachelor")], B(8), 3.5),
        ([edu("bachelor")], B(9), 4),
        ([edu("bachelor")], B(20), 4),
        # relevant postgraduate: 2 years
        ([edu("master")], B(2), 2),
        ([edu("master")], B(3), 2.5),
        # college or below (or a non-relevant major): 7 years
        ([edu("college")], B(7), 2),
        ([edu("college")], B(7) + DAY, 0),
        ([edu("bachelor", False)], B(6), 0),
    ],
)
def test_work_years_points_engineer(education, start, points):
    assert item(evaluate(wz(education=education, work=[work(start)])), "work_years")["points"] == points


@pytest.mark.parametrize(
    ("level", "education", "start", "points"),
    [
        ("assistant_engineer", [edu("bachelor")], B(1), 2),
        ("assistant_engineer", [edu("college")], B(3), 2),
        ("assistant_engineer", [edu("college")], B(3) + DAY, 0),
        ("assistant_engineer", [], B(5), 2),
        ("technician", [edu("secondary")], B(1), 2),
        ("technician", [edu("college", False)], B(2), 2),
        ("technician", [edu("college", False)], B(2) + DAY, 0),
        ("technician", [], B(6), 2),
        ("technician", [], B(7), 2.5),
    ],
)
def test_work_years_points_junior_levels(level, education, start, points):
    assert item(evaluate(wz(level, education=education, work=[work(start)])), "work_years")["points"] == points


@pytest.mark.parametrize(
    ("level", "education", "titles", "points"),
    [
        ("engineer", [edu("bachelor")], [title("assistant_engineer", B(4))], 2),
        ("engineer", [edu("bachelor")], [title("assistant_engineer", B(4) + DAY)], 0),
        ("engineer", [edu("bachelor")], [title("assistant_engineer", B(5))], 2.5),
        ("engineer", [edu("bachelor")], [title("assistant_engineer", B(15))], 4),
        ("engineer", [edu("master")], [title("assistant_engineer", B(2))], 2),
        ("engineer", [edu("bachelor")], [], 0),
        ("assistant_engineer", [edu("college")], [title("technician", B(1))], 2),
        ("assistant_engineer", [edu("secondary")], [title("technician", B(4))], 2),
        ("assistant_engineer", [edu("secondary")], [title("technician", B(3))], 0),
        ("technician", [edu("secondary")], [], 0),
    ],
)
def test_title_years_points(level, education, titles, points):
    assert item(evaluate(wz(level, education=education, titles=titles)), "title_years")["points"] == points


@pytest.mark.parametrize(
    ("posts", "size", "points"),
    [
        ([("unit_tech_lead", "2020-01-01", None)], "large", 4),
        ([("unit_tech_lead", "2020-01-01", None)], "small", 2),
        ([("dept_tech_lead", "2020-01-01", None)], "large", 2),
        ([("dept_tech_lead", "2020-01-01", None)], "small", 1),
        ([("dept_tech_lead", "2020-01-01", None), ("unit_tech_lead", "2023-01-01", None)], "large", 4),
        ([("unit_tech_lead", "2020-01-01", None)], None, 2),  # size unknown: small
        # ended before the current title (2018-01-01): not after 任现职
        ([("unit_tech_lead", "2015-01-01", "2017-12-31")], "large", 0),
        ([("unit_tech_lead", "2015-01-01", "2018-01-01")], "large", 4),
    ],
)
def test_post_points(posts, size, points):
    profile = wz(
        titles=[title("assistant_engineer", "2018-01-01")],
        posts=[{"kind": k, "start": s, "end": e} for k, s, e in posts],
    )
    profile["person"]["employer_size"] = size
    assert item(evaluate(profile), "post")["points"] == points


def test_assessment_points_one_per_excellent_year_at_most_three():
    results = ["excellent", "excellent", "pass", "excellent", "excellent"]
    assessments = [{"year": 2019 + i, "result": r} for i, r in enumerate(results)]
    assert item(evaluate(wz(assessments=assessments)), "assessment")["points"] == 3
    assessments = [
        {"year": 2021, "result": "excellent"},
        {"year": 2022, "result": "pass"},
        {"year": 2023, "result": "good"},
    ]
    assert item(evaluate(wz(assessments=assessments)), "assessment")["points"] == 1


def test_income_points():
    assert item(evaluate(wz(income_over_120k=True)), "income")["points"] == 2
    assert item(evaluate(wz()), "income")["points"] == 0


@pytest.mark.parametrize(
    ("ce", "points"),
    [
        (ce_years(2022, 2023, 2024), 0),  # 90 is the standard, not 10 above it
        (ce_years(2024, professional=70), 1),  # 100 ≥ 90 + 10
        (ce_years(2024, professional=69.5), 0),
        (ce_years(2021, 2022, 2023, 2024, professional=70), 3),  # at most 3
        ([{"year": 2016, "category": "professional", "hours": 42}], 1),  # before 2017 the standard is 32
        ([{"year": 2016, "category": "professional", "hours": 41}], 0),
        (ce_years(2025, professional=80), 0),  # after the plan year
    ],
)
def test_continuing_education_points(ce, points):
    assert item(evaluate(wz(continuing_education=ce)), "continuing_education")["points"] == points


def test_basic_conditions_at_most_20():
    profile = wz(
        education=[edu("doctorate", True, True)],
        skills=[skill(1, "2010-01-01")],
        language="cet6",
        computer_modules=4,
        work=[work("2000-01-01")],
        titles=[title("assistant_engineer", "2010-01-01")],
        posts=[{"kind": "unit_tech_lead", "start": "2015-01-01", "end": None}],
        assessments=[{"year": y, "result": "excellent"} for y in (2021, 2022, 2023)],
        income_over_120k=True,
        continuing_education=ce_years(2022, 2023, 2024, professional=80),
    )
    profile["person"]["employer_size"] = "large"
    result = evaluate(profile)
    raw = 6 + 4 + 2 + 2 + 4 + 4 + 4 + 3 + 2 + 3
    assert result["score"]["basic"] == 20
    assert item(result, "basic:cap")["points"] == 20 - raw


# ---- the mountain-county bonus (温职改办〔2022〕14号)


@pytest.mark.parametrize(
    ("start", "points"),
    [
        (B(1), 0.5),
        (B(1) + DAY, 0),
        (B(5), 2.5),
        (B(6), 3),
        (B(12), 3),  # at most 3
    ],
)
def test_mountain_bonus(start, points):
    result = evaluate(wz(work=[work(start, mountain_county=True)]))
    assert result["score"]["bonus"] == points
    assert item(result, "mountain")["points"] == points


def test_mountain_bonus_needs_relevant_work_and_merges_periods():
    periods = [
        work("2015-01-01", "2016-12-31", mountain_county=True),
        work("2017-01-01", "2018-12-31", mountain_county=False),
        work("2019-01-01", "2019-12-31", mountain_county=True),
        work("2020-01-01", mountain_county=True, relevant=False),
    ]
    assert evaluate(wz(work=periods))["score"]["bonus"] == 1.5


def test_self_score_is_basic_plus_achievements_plus_bonus():
    result = evaluate(
        wz(
            education=[edu("bachelor", True, True)],
            titles=[title("assistant_engineer", "2018-01-01")],
            work=[work("2010-01-01", mountain_county=True)],
            papers=[{"kind": "core", "rank": 1, "date": WHEN}],
        )
    )
    s = result["score"]
    assert s["self_score"] == s["basic"] + s["achievements"] + s["bonus"]
    assert s["bonus"] == 3
    for part in ("basic", "achievements", "bonus"):
        assert sum(i["points"] for i in s["items"] if i["part"] == part) == s[part]


# ---- the achievement window (第十七条) and the achievements cut-off


def test_achievements_before_the_current_title_are_excluded():
    result = _with(
        "papers",
        [
            {"kind": "core", "rank": 1, "date": "2017-12-31"},
            {"kind": "core", "rank": 1, "date": "2018-01-01"},
            {"kind": "core", "rank": 1, "date": "2024-08-31"},
            {"kind": "core", "rank": 1, "date": "2024-09-01"},
        ],
    )
    excluded = {e["item"]: e for e in result["excluded"]}
    assert set(excluded) == {"papers[0]", "papers[3]"}
    assert "早于任现职" in excluded["papers[0]"]["reason"]
    assert "晚于业绩截止日 2024-08-31" in excluded["papers[3]"]["reason"]
    assert result["score"]["achievements"] == 20
    assert [i["id"] for i in result["score"]["items"] if i["id"].startswith("papers[")] == ["papers[1]", "papers[2]"]


def test_year_dated_records_use_the_year():
    result = _with(
        "honors",
        [
            {"kind": "party_member", "level": "county", "year": 2017},
            {"kind": "party_member", "level": "county", "year": 2018},
            {"kind": "party_member", "level": "county", "year": 2024},
            {"kind": "party_member", "level": "county", "year": 2025},
        ],
    )
    assert {e["item"] for e in result["excluded"]} == {"honors[0]", "honors[3]"}
    assert result["score"]["achievements"] == 4


def test_without_a_title_there_is_no_lower_bound():
    result = evaluate(wz(papers=[{"kind": "core", "rank": 1, "date": "1999-01-01"}]))
    assert result["excluded"] == []
    assert result["score"]["achievements"] == 10


def test_the_current_title_is_the_highest_one():
    result = evaluate(
        wz(
            titles=[title("technician", "2010-01-01"), title("assistant_engineer", "2019-01-01")],
            papers=[{"kind": "core", "rank": 1, "date": "2015-01-01"}],
        )
    )
    assert [e["item"] for e in result["excluded"]] == ["papers[0]"]
    assert "2019-01-01 取得助理工程师" in result["excluded"][0]["reason"]


def test_achievements_until_defaults_to_the_cutoff_with_a_message():
    profile = wz(papers=[{"kind": "core", "rank": 1, "date": "2024-12-31"}])
    del profile["achievements_until"]
    result = evaluate(profile)
    assert result["excluded"] == []
    assert any("achievements_until" in m for m in result["messages"])
    assert AS_OF.isoformat() in " ".join(result["messages"])
