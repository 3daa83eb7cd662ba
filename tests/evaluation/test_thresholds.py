"""The committee's arithmetic at its edges: 50 % of the full marks, the 25 / 20 scaling, 2/3 of
the votes cast, the 75 % pass rate."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhicheng.evaluation import thresholds as t

D = Decimal


@pytest.mark.parametrize(
    ("raw", "full", "passes"),
    [
        (D(50), D(100), True),  # exactly half passes
        (D("49.99"), D(100), False),  # just below fails
        (D(30), D(60), True),
        (D("29.99"), D(60), False),
        (D("37.5"), D(75), True),
        (D("37.49"), D(75), False),
        (D(0), D(100), False),
        (D(100), D(100), True),
    ],
)
def test_half_of_the_full_marks_passes_and_just_below_fails(raw, full, passes):
    assert t.reaches_half(raw, full) is passes


@pytest.mark.parametrize(
    ("raw", "full", "points", "scaled"),
    [
        (D(100), D(100), t.EXAM_POINTS, D("25.00")),
        (D(50), D(100), t.EXAM_POINTS, D("12.50")),
        (D(80), D(100), t.EXAM_POINTS, D("20.00")),
        (D(150), D(150), t.INTERVIEW_POINTS, D("20.00")),
        (D(75), D(150), t.INTERVIEW_POINTS, D("10.00")),
        (D(1), D(3), t.INTERVIEW_POINTS, D("6.67")),  # to the cent, half up
        (D(0), D(60), t.EXAM_POINTS, D("0.00")),
    ],
)
def test_raw_scores_scale_to_25_and_20_by_the_full_marks(raw, full, points, scaled):
    assert t.scaled(raw, full, points) == scaled


@given(
    raw=st.decimals(min_value=0, max_value=1000, places=2),
    full=st.decimals(min_value=1, max_value=1000, places=2),
)
def test_scaling_stays_within_the_points_and_agrees_with_the_half(raw, full):
    raw = min(raw, full)
    exam = t.scaled(raw, full, t.EXAM_POINTS)
    assert D(0) <= exam <= t.EXAM_POINTS
    if t.reaches_half(raw, full):
        assert exam >= D("12.5")
    assert t.reaches_half(raw, full) == (Fraction(raw) / Fraction(full) >= Fraction(1, 2))


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "approved"),
    [
        (14, 4, 3, True),  # 14 of 21 cast: exactly 2/3
        (14, 7, 0, True),
        (13, 4, 3, False),  # 13 of 20 cast: 65 %
        (13, 7, 0, False),
        (2, 1, 0, True),
        (2, 0, 1, True),  # an abstention counts as cast
        (1, 0, 1, False),
        (0, 0, 0, False),  # nothing cast approves nothing
    ],
)
def test_two_thirds_of_the_votes_cast(yes, no, abstain, approved):
    assert t.approved_by_vote(yes, no, abstain) is approved


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60))
def test_two_thirds_is_exact(yes, no, abstain):
    cast = yes + no + abstain
    assert t.approved_by_vote(yes, no, abstain) == (cast > 0 and Fraction(yes, cast) >= Fraction(2, 3))


@pytest.mark.parametrize(
    ("passed", "total", "exceeds"),
    [(3, 4, False), (4, 4, True), (75, 100, False), (76, 100, True), (7, 9, True), (6, 8, False), (0, 0, False)],
)
def test_the_75_percent_limit(passed, total, exceeds):
    assert t.pass_rate_exceeds_limit(passed, total) is exceeds


def test_mean_and_plain_numbers():
    assert t.mean([D(3), D(4)]) == D("3.50")
    assert t.mean([D(1), D(1), D(2)]) == D("1.33")
    assert t.mean([]) == D(0)
    assert [t.plain(D(x)) for x in ("100.00", "78.50", "0", "12.25")] == ["100", "78.5", "0", "12.25"]
