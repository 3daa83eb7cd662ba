"""The engine's caches change nothing but speed: with them, validation and evaluation give
exactly what they give without them — the same profile, the same errors, byte for byte the
same result — and each cache holds a bounded amount of memory whatever the input."""

from __future__ import annotations

import tracemalloc
from contextlib import contextmanager
from datetime import date, timedelta

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhicheng.rules import ProfileError, evaluate, validate_profile
from zhicheng.rules import nodes as nodes_module
from zhicheng.rules import profile as profile_module
from zhicheng.rules.memo import Memo

from .helpers import wz
from .test_properties import profile

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def swapped(namespace: dict, name: str, value):
    """``namespace[name]`` is ``value`` inside the block (a module's globals, say)."""
    saved = namespace[name]
    namespace[name] = value
    try:
        yield
    finally:
        namespace[name] = saved


@contextmanager
def uncached():
    """Validation and evaluation as without the caches: nothing kept, no entry shared."""
    with (
        swapped(vars(profile_module), "_with_shared_entries", lambda data: data),
        swapped(vars(profile_module), "_dates", Memo(0)),
        swapped(vars(nodes_module), "_merged", Memo(0)),
    ):
        yield


def outcome(data) -> tuple:
    """What validation and evaluation make of ``data``, comparable exactly: the errors, or the
    profile and the result as JSON (which tells 12 from 12.0)."""
    try:
        p = validate_profile(data)
    except ProfileError as error:
        return "refused", error.errors
    return "evaluated", orjson.dumps(p.model_dump()), orjson.dumps(evaluate(p))


# Entries as applicants send them — and as they should not: wrong types, booleans and floats
# equal to integers, missing and unknown keys.
odd_value = st.one_of(
    st.integers(-5, 3000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.sampled_from(["professional", "general_public", "industry_public", "excellent", "good", "pass", "fail", "12"]),
    st.lists(st.integers(0, 3), max_size=1),
)
odd_keys = st.sampled_from(["year", "category", "hours", "result", "extra"])
# Values equal in Python but not alike to the validation; few of them, so that a batch repeats
# entries and an entry equal to one validated before comes up often.
alike = st.sampled_from([0, 1, 12, 0.0, -0.0, 1.0, 12.0, True, False])
ce_entry = st.one_of(
    st.fixed_dictionaries(
        {"year": st.sampled_from([2024, 2024.0]), "category": st.just("professional"), "hours": alike}
    ),
    st.dictionaries(odd_keys, odd_value, max_size=4),
)
assessment_entry = st.one_of(
    st.fixed_dictionaries({"year": st.sampled_from([2023, 2023.0, True]), "result": st.just("good")}),
    st.dictionaries(odd_keys, odd_value, max_size=3),
)


@SETTINGS
@given(profile(), st.lists(ce_entry, max_size=4), st.lists(assessment_entry, max_size=3))
def test_shared_entries_validate_and_evaluate_exactly_as_unshared(p, ce, assessments):
    p["continuing_education"] = p["continuing_education"] + ce
    p["assessments"] = p["assessments"] + assessments
    with uncached():
        expected = outcome(p)
    assert outcome(p) == expected  # entries maybe seen before
    assert outcome(p) == expected  # every valid entry seen before


@SETTINGS
@given(profile())
def test_cached_and_uncached_results_are_byte_identical(p):
    with uncached():
        expected = outcome(p)
    assert outcome(p) == expected
    assert outcome(p) == expected


def test_equal_entries_are_shared_and_frozen():
    a = validate_profile(wz())
    b = validate_profile(wz())
    assert all(x is y for x, y in zip(a.continuing_education, b.continuing_education, strict=True))
    assert all(x is y for x, y in zip(a.assessments, b.assessments, strict=True))
    with pytest.raises(ValueError, match="frozen"):
        a.continuing_education[0].hours = 1


@pytest.mark.parametrize("hours", [12.0, True, -0.0])
def test_entries_equal_in_python_but_not_alike_are_not_shared(hours):
    """``12.0 == 12``, ``True == 1``, ``-0.0 == 0``: such entries are validated on their own."""
    ints = {"year": 2024, "category": "professional", "hours": 1 if hours is True else int(hours)}
    other = dict(ints, hours=hours)
    with uncached():
        expected = outcome(wz(continuing_education=[other]))
    first = validate_profile(wz(continuing_education=[ints]))
    assert outcome(wz(continuing_education=[other])) == expected
    if expected[0] == "evaluated":
        again = validate_profile(wz(continuing_education=[other]))
        assert again.continuing_education[0] is not first.continuing_education[0]


def held_when_full(fresh: Memo, fill) -> int:
    """Bytes that ``fresh`` holds once ``fill`` has offered it more distinct entries than it
    keeps (the caller has put it in place of the memo under test)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        fill(fresh.limit + 100)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(fresh) == fresh.limit
    return held


def test_the_shared_entries_are_bounded():
    model, memo = profile_module._SHARED_ENTRIES["continuing_education"]
    fresh = Memo(memo.limit)

    def fill(n):
        for i in range(n):
            validate_profile(wz(continuing_education=[{"year": 2024, "category": "professional", "hours": i}]))

    with swapped(profile_module._SHARED_ENTRIES, "continuing_education", (model, fresh)):
        assert held_when_full(fresh, fill) < 4 * 1024 * 1024


def test_the_parsed_dates_are_bounded():
    fresh = Memo(profile_module._dates.limit)

    def fill(n):
        for i in range(n):
            profile_module._parse_date((date(1950, 1, 1) + timedelta(days=i)).isoformat())

    with swapped(vars(profile_module), "_dates", fresh):
        assert held_when_full(fresh, fill) < 4 * 1024 * 1024


def test_the_merged_sentences_are_bounded():
    fresh = Memo(nodes_module._merged.limit)

    def fill(n):
        for i in range(n):
            nodes_module._merge_actuals([f"大学本科（相关专业）；相关专业工作 {i} 年", f"未取得工程师资格；{i}"])

    with swapped(vars(nodes_module), "_merged", fresh):
        assert held_when_full(fresh, fill) < 4 * 1024 * 1024


@SETTINGS
@given(
    st.lists(st.lists(st.sampled_from(["A", "A（还差 1 年）", "B", "B；C", "C", "", "A；B"]), max_size=3), max_size=3)
)
def test_merged_sentences_are_those_merged_afresh(actuals):
    for branch in actuals:
        joined = ["；".join(branch)] if branch else []
        assert nodes_module._merge_actuals(joined) == nodes_module._merge(joined)
        assert nodes_module._merge_actuals(joined) == nodes_module._merge(joined)
