"""The committee's arithmetic (DOMAIN §9–§10, seed 003 第十五—十六条), pure and exact.

Every comparison is done on integers or ``Decimal`` so that the edges hold exactly: an exam of
exactly half its full marks passes, 14 yes of 21 votes cast approve, a pass rate of exactly
75 % needs no reason.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

EXAM_POINTS = Decimal(25)  # 理论考试 ≤ 25 of the 100 points
INTERVIEW_POINTS = Decimal(20)  # 面试答辩 ≤ 20
BASIC_CAP = Decimal(20)  # 基本条件 ≤ 20
ACHIEVEMENTS_CAP = Decimal(35)  # 成果业绩 ≤ 35, the panel's points for flagged items included
CENT = Decimal("0.01")


def scaled(raw: Decimal, full_marks: Decimal, points: Decimal) -> Decimal:
    """A raw score out of ``full_marks`` on the standard's scale of ``points``, to the cent."""
    return (raw * points / full_marks).quantize(CENT, rounding=ROUND_HALF_UP)


def reaches_half(raw: Decimal, full_marks: Decimal) -> bool:
    """Below 50 % of the maximum fails the applicant; exactly 50 % passes."""
    return raw * 2 >= full_marks


def approved_by_vote(yes: int, no: int, abstain: int) -> bool:
    """Yes votes ≥ 2/3 of the votes cast (yes + no + abstain); nothing cast approves nothing."""
    cast = yes + no + abstain
    return cast > 0 and 3 * yes >= 2 * cast


def pass_rate_exceeds_limit(passed: int, total: int) -> bool:
    """More than 75 % of the applicants pass: allowed only with a recorded reason."""
    return total > 0 and 4 * passed > 3 * total


def mean(values: list[Decimal]) -> Decimal:
    """The mean to the cent (0 for no values)."""
    if not values:
        return Decimal(0)
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """100.00 → "100", 78.50 → "78.5" (for messages and sheets)."""
    text = f"{value.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
