"""The public API: available policies, the policy reader, the batch path, and purity
(the engine imports nothing from Django or the rest of the project)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import zhicheng.rules as rules
from zhicheng.rules import available_policies, describe_policy, evaluate, evaluate_many

from .helpers import edu, title, wz

RULES_DIR = Path(rules.__file__).parent
EXAMPLES = Path(__file__).parent / "examples"


def test_public_api():
    for name in (
        "evaluate",
        "evaluate_many",
        "validate_profile",
        "ProfileError",
        "PolicyError",
        "load_policy",
        "available_policies",
        "describe_policy",
    ):
        assert name in rules.__all__
        assert getattr(rules, name)


def test_available_policies():
    assert available_policies() == [
        {
            "id": "nb-quality-2024",
            "title": "2024年度宁波市质量技术基础专业中级专业技术职务任职资格评审",
            "document": "甬市监组人〔2024〕187号",
            "version": "2024",
            "levels": ["engineer"],
        },
        {
            "id": "sy-jidian-2023",
            "title": "2023年度全区民营工业企业机电制造中级专业技术职务任职资格评审",
            "document": "虞人社职〔2023〕3号",
            "version": "2023",
            "levels": ["engineer"],
        },
        {
            "id": "wz-jidian-2020",
            "title": "温州市企业人员机电（机械）专业中、初级专业技术资格评价条件（试行）",
            "document": "温职改办〔2020〕5号",
            "version": "2020.5-2024.12",
            "levels": ["technician", "assistant_engineer", "engineer"],
        },
    ]


@pytest.mark.parametrize("policy_id", ["wz-jidian-2020", "sy-jidian-2023", "nb-quality-2024"])
def test_describe_policy_is_readable_json(policy_id):
    d = describe_policy(policy_id)
    json.dumps(d, ensure_ascii=False)
    assert d["id"] == policy_id and d["title"] and d["document"]
    assert d["achievement_window"]["clause"] and d["achievement_window"]["text"]
    for c in d["checks"]:
        assert c["clause"] and c["text"] and c["label"]
    for level in d["levels"]:
        assert level["label"]
        for r in level["routes"]:
            assert r["id"].startswith(f"{policy_id}/{level['level']}/")
            assert r["clause"] and r["label"] and r["application_type_label"]
            assert r["conditions"]
            for cond in r["conditions"]:
                assert cond["text"]


def test_describe_wenzhou_in_detail():
    d = describe_policy("wz-jidian-2020")
    engineer = next(level for level in d["levels"] if level["level"] == "engineer")
    r = next(r for r in engineer["routes"] if r["route"] == "10.1b")
    assert r["clause"] == "温职改办〔2020〕5号 第十条（一）"
    assert [c["text"] for c in r["conditions"]] == [
        "本专业或相近专业大学专科及以上学历",
        "本专业或相近专业助理工程师任职满 4 年",
    ]
    assert r["checks"][0]["id"] == "continuing_education"
    assert "3 年" in r["checks"][0]["text"]
    r103 = next(r for r in engineer["routes"] if r["route"] == "10.3")
    claims = [c["claim"] for c in r103["conditions"][0]["any_of"] if "claim" in c]
    assert claims[0] == "wz-jidian-2020/engineer/10.3/1"
    assert {"id": "wz-jidian-2020/engineer/10.3/1", "label": "省级技能大师工作室领办人"} in d["claims"]
    s = d["scoring"]
    assert s["basic"]["cap"] == 20 and s["achievements"]["cap"] == 35
    papers = next(g for g in s["achievements"]["groups"] if g["id"] == "papers")
    assert papers["cap"] == 20 and papers["limits"] == ["未公开发表的限 2 篇"]
    assert "核心期刊论文：第 1—5 名 10 分起，每名减 2 分" in papers["rows"]
    assert s["bonus"][0]["clause"] == "温职改办〔2022〕14号 二.2"


def test_evaluate_many_is_the_batch_path():
    profiles = [wz(education=[edu("bachelor")], titles=[title("assistant_engineer", "2018-01-01")]), wz("technician")]
    results = evaluate_many(profiles)
    assert [r["eligible"] for r in results] == [True, False]
    assert results[0] == evaluate(profiles[0])


def test_results_are_json_and_independent():
    profile = wz(education=[edu("bachelor")], titles=[title("assistant_engineer", "2018-01-01")])
    a, b = evaluate(profile), evaluate(profile)
    assert a == b
    a["routes"][0]["checks"][-1]["met"] = "changed"
    assert evaluate(profile) == b
    json.loads(json.dumps(a, ensure_ascii=False))


def test_the_engine_imports_nothing_from_django_or_the_project():
    code = (
        "import sys, zhicheng.rules as r; r.evaluate; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'django' "
        "or (m.startswith('zhicheng.') and not m.startswith('zhicheng.rules'))]; print(bad)"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=RULES_DIR.parents[1]
    )
    assert out.stdout.strip() == "[]"


def test_no_source_file_mentions_the_shared_folder_or_django():
    for path in RULES_DIR.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "/work/shared" not in text, path
        assert "import django" not in text and "from django" not in text, path
        assert "eval(" not in text.replace(".evaluate(", "").replace("def evaluate(", ""), path


def test_an_evaluation_leaves_no_reference_cycles():
    """What batch_mode relies on: everything an evaluation allocates is freed by refcounting."""
    import gc

    profiles = [json.loads(p.read_text(encoding="utf-8"))["profile"] for p in sorted(EXAMPLES.glob("*.json"))]
    profiles.append(wz(education=[edu("bachelor")], titles=[title("assistant_engineer", "2018-01-01")]))
    for p in profiles:
        evaluate(p)  # warm caches
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        for p in profiles:
            evaluate(p)
            rules.validate_profile(p)
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()


def test_batch_mode_restores_the_collector():
    import gc

    assert gc.isenabled()
    with rules.batch_mode():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with rules.batch_mode():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
