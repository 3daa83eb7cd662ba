"""Policy files are validated at load: a bad file fails naming the file, the path inside it,
the line and the reason; loading is cached."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from zhicheng.rules import PolicyError, available_policies, clear_cache, load_policy, load_policy_file
from zhicheng.rules.conditions import PREDICATES

POLICIES = Path(__file__).resolve().parents[2] / "policies"
WZ = yaml.safe_load((POLICIES / "wz-jidian-2020.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _fail(tmp_path: Path, mutate) -> PolicyError:
    data = copy.deepcopy(WZ)
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(PolicyError) as exc:
        load_policy_file(path)
    err = exc.value
    assert err.file == str(path)
    assert str(path) in str(err)
    return err


def _engineer_route(data: dict, route_id: str) -> dict:
    return next(r for r in data["levels"]["engineer"]["routes"] if r["id"] == route_id)


@pytest.mark.parametrize("policy_id", ["wz-jidian-2020", "sy-jidian-2023", "nb-quality-2024"])
def test_shipped_policies_load(policy_id):
    policy = load_policy_file(POLICIES / f"{policy_id}.yaml", expected_id=policy_id)
    assert policy.id == policy_id
    for level in policy.levels.values():
        for route in level.routes:
            assert route.clause and route.label and route.checks


def test_wrong_type_deep_in_a_condition(tmp_path):
    def mutate(d):
        d["levels"]["engineer"]["routes"][2]["condition"] = {
            "all_of": [{"education_at_least": "college"}, {"title_held": "assistant_engineer", "years": "four"}]
        }

    err = _fail(tmp_path, mutate)
    assert err.path == "levels.engineer.routes[2].condition.all_of[1].years"
    assert err.reason == "应为整数"
    assert err.errors[0]["line"] is not None
    assert "levels.engineer.routes[2].condition.all_of[1].years" in str(err)


def test_line_numbers_point_into_the_file(tmp_path):
    text = (POLICIES / "wz-jidian-2020.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "{skill_grade_held: 2, relevant: true, years: 3}", "{skill_grade_held: 2, relevant: true, yeers: 3}"
    )
    path = tmp_path / "wz.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        load_policy_file(path)
    e = exc.value.errors[0]
    assert e["path"].endswith("condition.all_of[0].yeers")
    assert e["msg"].startswith("未知字段")
    line = text.splitlines()[e["line"] - 1]
    assert "yeers" in line


def test_unknown_predicate(tmp_path):
    def mutate(d):
        _engineer_route(d, "10.1b")["condition"]["all_of"][1] = {"title_hold": "assistant_engineer", "years": 4}

    err = _fail(tmp_path, mutate)
    assert err.path == "levels.engineer.routes[1].condition.all_of[1]"
    assert "未知谓词" in err.reason and "title_hold" in err.reason
    assert "title_held" in err.reason  # lists what exists


def test_two_predicates_in_one_condition(tmp_path):
    def mutate(d):
        _engineer_route(d, "10.1b")["condition"]["all_of"][1] = {
            "title_held": "engineer",
            "education_at_least": "college",
        }

    err = _fail(tmp_path, mutate)
    assert "只能使用一个谓词" in err.reason


def test_condition_must_be_a_mapping(tmp_path):
    err = _fail(tmp_path, lambda d: _engineer_route(d, "10.1b")["condition"]["all_of"].append("title_held"))
    assert err.path == "levels.engineer.routes[1].condition.all_of[2]"
    assert "条件应为对象" in err.reason


@pytest.mark.parametrize(
    ("mutate", "path", "reason"),
    [
        (lambda d: _engineer_route(d, "10.1b").pop("clause"), "levels.engineer.routes[1].clause", "缺少必填字段"),
        (lambda d: _engineer_route(d, "10.1b").update(clase="x"), "levels.engineer.routes[1].clase", "未知字段"),
        (
            lambda d: _engineer_route(d, "10.1b").update(application_type="fast"),
            "levels.engineer.routes[1].application_type",
            "取值无效",
        ),
        (lambda d: _engineer_route(d, "10.1b").update(id=10.1), "levels.engineer.routes[1].id", "应为字符串"),
        (lambda d: d["levels"].update(senior=d["levels"]["engineer"]), "levels.senior", "取值无效"),
        (
            lambda d: _engineer_route(d, "10.2")["condition"]["all_of"][0].update(skill_grade_held=7),
            "levels.engineer.routes[2].condition.all_of[0].skill_grade_held",
            "不能大于 5",
        ),
        (
            lambda d: _engineer_route(d, "10.1b")["condition"]["all_of"][0].update(relevant="yes"),
            "levels.engineer.routes[1].condition.all_of[0].relevant",
            "",
        ),
        (
            lambda d: _engineer_route(d, "12.2")["condition"]["all_of"][0].update(count_of=5),
            "levels.engineer.routes[7].condition.all_of[0]",
            "只有 4 项",
        ),
        (
            lambda d: _engineer_route(d, "12.2")["condition"]["all_of"][0]["items"][0].update(level=["province"]),
            "levels.engineer.routes[7].condition.all_of[0].items[0]",
            "取值",
        ),
        (
            lambda d: _engineer_route(d, "12.2")["condition"]["all_of"][0]["items"][0].update(grade=[1]),
            "levels.engineer.routes[7].condition.all_of[0].items[0]",
            "没有字段 grade",
        ),
        (
            lambda d: _engineer_route(d, "10.1b")["condition"]["all_of"][1].update(below_years=4),
            "levels.engineer.routes[1].condition.all_of[1]",
            "below_years",
        ),
        (lambda d: d["checks"]["assessment"].update(years=0), "checks.assessment.years", "不能小于 1"),
        (lambda d: d["checks"]["continuing_education"].update(years=3), "checks.continuing_education", "只须给出其一"),
        (
            lambda d: d["scoring"]["achievements"]["groups"][0]["rows"][0].update(ranks=[8, 4]),
            "scoring.achievements.groups[0].rows[0]",
            "ranks",
        ),
        (
            lambda d: d["scoring"]["achievements"]["groups"][0]["rows"][0].update(step=5),
            "scoring.achievements.groups[0].rows[0]",
            "负数",
        ),
        (
            lambda d: d["scoring"]["achievements"]["groups"][0]["rows"][0].update(level="province"),
            "scoring.achievements.groups[0]",
            "取值",
        ),
        (
            lambda d: d["scoring"]["basic"]["work_years"]["requirement"]["engineer"].pop(),
            "scoring.basic.work_years",
            "默认年限",
        ),
        (lambda d: d.pop("achievement_window"), "achievement_window", "缺少必填字段"),
        (lambda d: d.update(id="WZ 2020"), "id", "格式"),
    ],
)
def test_schema_errors_name_path_and_reason(tmp_path, mutate, path, reason):
    err = _fail(tmp_path, mutate)
    paths = [e["path"] for e in err.errors]
    assert path in paths, err.errors
    assert reason in err.errors[paths.index(path)]["msg"]


def test_continuing_education_years_needed_for_every_application_type(tmp_path):
    err = _fail(tmp_path, lambda d: d["checks"]["continuing_education"]["years_by_type"]["engineer"].pop("direct"))
    assert err.path == "checks.continuing_education.years_by_type.engineer"
    assert "direct" in err.reason and "12.1" in err.reason


def test_self_score_needs_a_scoring_standard(tmp_path):
    err = _fail(tmp_path, lambda d: d.pop("scoring"))
    assert err.path == "levels.engineer.routes[4].condition"
    assert "scoring" in err.reason


def test_duplicate_route_ids_and_claims(tmp_path):
    def dup_route(d):
        _engineer_route(d, "10.2")["id"] = "10.1b"

    assert "路径编号重复" in _fail(tmp_path, dup_route).reason

    def dup_claim(d):
        items = _engineer_route(d, "10.3")["condition"]["all_of"][0]["any_of"]
        items[3]["claim"] = "1"

    assert "声明编号重复" in _fail(tmp_path, dup_claim).reason


def test_duplicate_check_ids_in_a_route(tmp_path):
    def mutate(d):
        _engineer_route(d, "10.1b")["condition"]["all_of"][1]["id"] = "education"

    err = _fail(tmp_path, mutate)
    assert "检查编号重复" in err.reason and "education" in err.reason


def test_claims_are_not_allowed_in_scoring_requirements(tmp_path):
    def mutate(d):
        d["scoring"]["basic"]["work_years"]["requirement"]["engineer"][0]["when"] = {"claim": "x", "label": "y"}

    err = _fail(tmp_path, mutate)
    assert err.path == "scoring"
    assert "claim" in err.reason


def test_duplicate_yaml_keys_are_errors(tmp_path):
    text = (POLICIES / "wz-jidian-2020.yaml").read_text(encoding="utf-8")
    text = text.replace("version: ", "title: again\nversion: ", 1)
    path = tmp_path / "dup.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        load_policy_file(path)
    e = exc.value.errors[0]
    assert e["path"] == "title" and "重复的键" in e["msg"]
    assert text.splitlines()[e["line"] - 1].startswith("title: 温州市")


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nlevels: [a, b\nversion: 1\n", encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        load_policy_file(path)
    assert "YAML 语法错误" in exc.value.reason
    assert exc.value.errors[0]["line"] is not None


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n"])
def test_not_a_mapping(tmp_path, text):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError):
        load_policy_file(path)


def test_yaml_1_1_booleans_are_plain_strings(tmp_path):
    """``on``/``yes`` would silently become booleans in YAML 1.1; here they stay strings."""
    text = (POLICIES / "wz-jidian-2020.yaml").read_text(encoding="utf-8").replace("day: deadline", "on: deadline")
    path = tmp_path / "on.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        load_policy_file(path)
    assert exc.value.path == "checks.integrity.on"


def test_missing_file():
    with pytest.raises(PolicyError) as exc:
        load_policy_file("/nonexistent/policy.yaml")
    assert "无法读取" in exc.value.reason


def test_every_predicate_is_documented_and_registered():
    assert set(PREDICATES) == {
        "all_of",
        "any_of",
        "count_of",
        "not",
        "claim",
        "education_at_least",
        "title_held",
        "skill_grade_held",
        "relevant_work_years",
        "post_held",
        "employer_kind",
        "records",
        "expert_recommendations",
        "self_score_at_least",
    }
    for cls in PREDICATES.values():
        assert cls.__doc__


# ---- the policy folder and the cache


@pytest.fixture
def policy_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHICHENG_POLICY_DIR", str(tmp_path))
    clear_cache()
    yield tmp_path
    clear_cache()


def test_policies_are_loaded_once_and_cached():
    clear_cache()
    first = load_policy("wz-jidian-2020")
    assert load_policy("wz-jidian-2020") is first
    clear_cache()
    assert load_policy("wz-jidian-2020") is not first


def test_policy_dir_from_the_environment(policy_dir):
    data = copy.deepcopy(WZ)
    data["id"] = "wz-test-2099"
    _write(policy_dir, data, "wz-test-2099.yaml")
    assert [p["id"] for p in available_policies()] == ["wz-test-2099"]
    assert load_policy("wz-test-2099").id == "wz-test-2099"


def test_id_must_match_the_file_name(policy_dir):
    _write(policy_dir, copy.deepcopy(WZ), "other-id.yaml")
    with pytest.raises(PolicyError) as exc:
        load_policy("other-id")
    assert exc.value.path == "id"


@pytest.mark.parametrize("bad", ["../policies/wz-jidian-2020", "WZ", "", "a/b"])
def test_invalid_or_unknown_policy_ids(bad):
    with pytest.raises(PolicyError):
        load_policy(bad)


def test_unknown_policy_id():
    with pytest.raises(PolicyError) as exc:
        load_policy("zz-unknown-2000")
    assert "未知政策" in exc.value.reason
