"""Benchmark: the policy engine on 10,000 generated profiles across the three policies.

    .venv/bin/python benchmarks/policy_engine.py [--count 10000] [--seed 1] [--runs 1]

Measures, on one core:
1. the engine in process — validate + evaluate (eligibility, scoring, explanations) — and
2. the batch command ``manage.py evaluate_profile batch.json`` as a subprocess, counted beyond
   start-up: (time for N profiles − time for a warm-up batch of one profile per policy) divided
   by the difference in profiles, so interpreter, Django and policy loading are left out.
   The same figure by the command's CPU time (user + system) is printed beside it: elapsed
   time includes waiting for a core the machine's other work holds, CPU time does not.
With ``--runs N`` both are measured N times, each figure printed, then the lowest, the
median and the highest (the machine may be shared: one run says little).
Results go to stdout; docs/benchmarks.md records them with this command.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhicheng import rules  # noqa: E402  (pure Python: no Django set-up needed)

POLICIES = {
    # policy id: (levels, plan year, as_of, deadline, achievements_until, region prefix)
    "wz-jidian-2020": (
        ["technician", "assistant_engineer", "engineer"],
        2024,
        "2024-12-31",
        "2024-09-30",
        "2024-08-31",
        "3303",
    ),
    "sy-jidian-2023": (["engineer"], 2023, "2023-12-31", "2023-09-08", "2023-09-08", "3306"),
    "nb-quality-2024": (["engineer"], 2024, "2024-12-31", "2024-08-21", "2024-08-21", "3302"),
}
EDUCATION = ["doctorate", "master", "bachelor", "college", "secondary", "high_school", "technical_senior"]
TITLES = ["technician", "assistant_engineer", "engineer"]


def _day(rng: random.Random, start: int, end: int) -> str:
    first = date(start, 1, 1)
    return (first + timedelta(days=rng.randrange((date(end, 12, 31) - first).days))).isoformat()


def generate_profile(rng: random.Random) -> dict:
    policy = rng.choice(list(POLICIES))
    levels, year, as_of, deadline, until, region = POLICIES[policy]
    graduated = _day(rng, 1995, year - 1)
    profile = {
        "policy": policy,
        "level": rng.choice(levels),
        "application_type": None,
        "plan_year": year,
        "as_of": as_of,
        "deadline": deadline,
        "achievements_until": until,
        "person": {
            "birth_date": _day(rng, 1965, 1998),
            "gender": rng.choice(["male", "female"]),
            "employer_kind": rng.choice(["private_enterprise", "state_enterprise"]),
            "employer_size": rng.choice(["large", "small"]),
        },
        "education": [
            {
                "level": rng.choice(EDUCATION),
                "major": "机械设计制造及其自动化",
                "relevant": rng.random() < 0.8,
                "degree": rng.random() < 0.6,
                "graduated": graduated,
            }
        ],
        "titles": [
            {"level": rng.choice(TITLES), "relevant": rng.random() < 0.9, "obtained": _day(rng, 2010, year)}
            for _ in range(rng.randrange(0, 3))
        ],
        "skills": [{"grade": rng.randint(1, 5), "relevant": True, "obtained": _day(rng, 2005, year)}]
        if rng.random() < 0.3
        else [],
        "work": [
            {
                "start": graduated,
                "end": None,
                "relevant": rng.random() < 0.9,
                "mountain_county": rng.random() < 0.2,
                "government": False,
            }
        ],
        "social_insurance": [{"start": graduated[:7], "end": None, "region": f"{region}02", "current_employer": True}],
        "continuing_education": [
            {"year": y, "category": category, "hours": rng.choice([0, 12, 18, 30, 60, 72])}
            for y in range(year - 3, year + 1)
            for category in ("general_public", "industry_public", "professional")
        ],
        "assessments": [
            {"year": y, "result": rng.choice(["excellent", "good", "pass", "pass", "fail"])}
            for y in range(year - 3, year)
        ],
        "language": rng.choice(["none", "cet4", "cet6"]),
        "computer_modules": rng.randint(0, 5),
        "posts": [{"kind": "dept_tech_lead", "start": _day(rng, 2012, year - 1), "end": None}]
        if rng.random() < 0.3
        else [],
        "income_over_120k": rng.random() < 0.3,
        "awards": [
            {
                "level": rng.choice(["city", "county"]),
                "grade": rng.randint(1, 3),
                "rank": rng.randint(1, 9),
                "date": _day(rng, 2015, year - 1),
            }
            for _ in range(rng.randrange(0, 3))
        ],
        "projects": [
            {
                "level": rng.choice(["provincial", "city", "county"]),
                "rank": rng.randint(1, 8),
                "date": _day(rng, 2015, year - 1),
            }
            for _ in range(rng.randrange(0, 3))
        ],
        "papers": [
            {
                "kind": rng.choice(["core", "provincial", "other"]),
                "rank": rng.randint(1, 4),
                "date": _day(rng, 2015, year - 1),
            }
            for _ in range(rng.randrange(0, 3))
        ],
        "patents": [
            {
                "kind": rng.choice(["invention", "utility", "software"]),
                "rank": rng.randint(1, 6),
                "date": _day(rng, 2015, year - 1),
            }
            for _ in range(rng.randrange(0, 4))
        ],
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
    return profile


def bench_in_process(profiles: list[dict]) -> float:
    rules.evaluate(profiles[0])  # load and compile the policies outside the timing
    for policy in POLICIES:
        rules.load_policy(policy)
    started = time.perf_counter()
    for profile in profiles:
        rules.evaluate(rules.validate_profile(profile))
    return time.perf_counter() - started


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_command(profiles: list[dict], warm_up: list[dict]) -> list[tuple[float, float]]:
    """(elapsed, CPU) seconds of the command on ``warm_up``, then on ``profiles``."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhicheng.test_settings"}
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        for batch in (warm_up, profiles):
            path = Path(folder) / f"batch-{len(batch)}.json"
            path.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
            started, cpu = time.perf_counter(), _children_cpu()
            subprocess.run(  # noqa: S603 - our own manage.py on our own temp file
                [sys.executable, str(ROOT / "manage.py"), "evaluate_profile", str(path)],
                check=True,
                stdout=subprocess.DEVNULL,
                env=env,
            )
            timings.append((time.perf_counter() - started, _children_cpu() - cpu))
    return timings


def spread(label: str, rates: list[float]) -> None:
    """Print the lowest, median and highest of several runs' profiles/s."""
    ordered = sorted(rates)
    median = statistics.median(ordered)
    print(f"{label} over {len(rates)} runs: {ordered[0]:,.0f} / {median:,.0f} / {ordered[-1]:,.0f} profiles/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="measure each path this many times")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    profiles = [generate_profile(rng) for _ in range(args.count)]
    eligible = sum(rules.evaluate(p)["eligible"] for p in profiles[:1000])
    print(
        f"profiles: {len(profiles)} across {len(POLICIES)} policies (seed {args.seed}); "
        f"eligible in the first 1000: {eligible}"
    )
    warm_up = [next(p for p in profiles if p["policy"] == policy) for policy in POLICIES]
    in_process, command = [], []
    for _ in range(args.runs):
        seconds = bench_in_process(profiles)
        in_process.append(len(profiles) / seconds)
        print(f"in process: {seconds:.2f} s → {in_process[-1]:,.0f} profiles/s (validate + evaluate)")
        (few, few_cpu), (many, many_cpu) = bench_command(profiles, warm_up)
        beyond = len(profiles) - len(warm_up)
        command.append(beyond / (many - few))
        print(
            f"batch command: {len(warm_up)} profiles (start-up) {few:.2f} s, {len(profiles)} profiles {many:.2f} s"
            f" → {command[-1]:,.0f} profiles/s beyond start-up"
            f" (by CPU time, user + system: {beyond / (many_cpu - few_cpu):,.0f})"
        )
    if args.runs > 1:
        spread("in process (lowest / median / highest)", in_process)
        spread("batch command (lowest / median / highest)", command)


if __name__ == "__main__":
    main()
