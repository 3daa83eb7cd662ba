"""Facts derived from one profile for one policy, computed lazily and at most once.

Predicates, general checks and the scoring standard read these instead of walking the
profile again; everything here is plain Python on already validated data.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from . import dates
from .vocab import (
    EDUCATION_EQUIVALENT,
    EDUCATION_NAMES,
    EDUCATION_RANK,
    LEVEL_NAMES,
    SKILL_GRADE_NAMES,
    TITLE_RANK,
    YEAR_DATED_KINDS,
)

if TYPE_CHECKING:
    from .loader import CompiledPolicy
    from .profile import Profile


class cached_property:  # noqa: N801 - like functools.cached_property, without its lock
    """Computed on first access, then stored on the instance (a non-data descriptor)."""

    def __init__(self, fn):
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


RECORD_KIND_NAMES = (
    "awards",
    "projects",
    "papers",
    "patents",
    "standards",
    "new_products",
    "honors",
    "skill_titles",
    "competitions",
)


class Facts:
    def __init__(self, profile: Profile, policy: CompiledPolicy):
        p = profile
        self.p = p
        self.policy = policy
        self.as_of: date = p.as_of
        self.plan_year: int = p.plan_year
        self.deadline: date = p.deadline or p.as_of
        self.achievements_until: date = p.achievements_until or p.as_of
        self.claims = frozenset(p.claims)
        self.edus = [(EDUCATION_RANK[EDUCATION_EQUIVALENT.get(e.level, e.level)], e.level, e) for e in p.education]
        self.cache: dict = {}

    # ---- education, titles, skills

    @cached_property
    def education_summary(self) -> str:
        if not self.edus:
            return "未填写学历"
        rank, _level, e = max(self.edus, key=lambda t: (t[0], t[2].relevant))
        rel = "相关专业" if e.relevant else "非相关专业，视为不具备规定学历"
        return f"最高学历：{EDUCATION_NAMES[e.level]}（{rel}）"

    def title_obtained(self, level: str, relevant) -> date | None:
        """Earliest date a title of ``level`` (with the given relevance) was obtained."""
        if not self.p.titles:
            return None
        best = None
        for t in self.p.titles:
            if (
                t.level == level
                and (relevant == "any" or t.relevant is relevant)
                and (best is None or t.obtained < best)
            ):
                best = t.obtained
        return best

    def skill_obtained(self, max_grade: int, relevant) -> tuple[int, date] | None:
        """The skill grade at ``max_grade`` or better held longest: (grade, obtained)."""
        best = None
        for s in self.p.skills:
            if (
                s.grade <= max_grade
                and (relevant == "any" or s.relevant is relevant)
                and (best is None or s.obtained < best[1])
            ):
                best = (s.grade, s.obtained)
        return best

    @cached_property
    def skill_summary(self) -> str:
        if not self.p.skills:
            return "未取得职业技能等级"
        s = min(self.p.skills, key=lambda s: (s.grade, s.obtained))
        rel = "相关工种" if s.relevant else "非相关工种"
        return f"{s.obtained.isoformat()} 取得{SKILL_GRADE_NAMES[s.grade]}（{rel}）"

    @cached_property
    def current_title(self):
        """The title held now (任现职): the highest level, the earliest of equals; or None."""
        best = None
        for t in self.p.titles:
            key = (-TITLE_RANK[t.level], t.obtained)
            if best is None or key < best[0]:
                best = (key, t)
        return best[1] if best else None

    # ---- work

    @cached_property
    def relevant_work_periods(self) -> list[tuple[date, date | None]]:
        gov = self.policy.government_work_counts
        return [(w.start, w.end) for w in self.p.work if w.relevant or (gov and w.government)]

    @cached_property
    def _relevant_work_merged(self) -> list[dates.Period]:
        """The relevant work periods clipped to ``as_of`` and merged, once for all uses."""
        return dates.merge_periods(dates.clip_periods(self.relevant_work_periods, self.as_of))

    @cached_property
    def relevant_work_years(self) -> int:
        return dates.full_years_of_merged(self._relevant_work_merged)

    def work_completion_day(self, years: int) -> date | None:
        return dates.completion_day_of_merged(self._relevant_work_merged, self.as_of, years)

    def relevant_work_years_since(self, graduated: date) -> int:
        key = ("since", graduated)
        years = self.cache.get(key)
        if years is None:
            first = graduated + dates.ONE_DAY
            periods = [(max(s, first), e) for s, e in self.relevant_work_periods if e is None or e >= first]
            years = self.cache[key] = dates.merged_full_years(periods, self.as_of)
        return years

    @cached_property
    def mountain_years(self) -> int:
        gov = self.policy.government_work_counts
        periods = [
            (w.start, w.end) for w in self.p.work if w.mountain_county and (w.relevant or (gov and w.government))
        ]
        return dates.merged_full_years(periods, self.as_of)

    # ---- continuing education

    @cached_property
    def ce_by_year(self) -> dict[int, list[float]]:
        """year → [total, professional, public] hours."""
        out: dict[int, list[float]] = {}
        for c in self.p.continuing_education:
            year, hours = c.year, c.hours
            row = out.get(year)
            if row is None:
                row = out[year] = [0.0, 0.0, 0.0]
            row[0] += hours
            row[1 if c.category == "professional" else 2] += hours
        return out

    # ---- achievements and their window

    @cached_property
    def window(self) -> tuple[date | None, date, str]:
        """(first day or None, last day, why the first day) of the achievement window."""
        spec = self.policy.window
        title = self.current_title if spec.since_current_title else None
        last_years = dates.years_before(self.as_of, spec.or_last_years) if spec.or_last_years else None
        if spec.since_current_title and title is None:
            return None, self.achievements_until, ""
        title_text = f"任现职（{title.obtained.isoformat()} 取得{LEVEL_NAMES[title.level]}）" if title else ""
        if title and last_years:
            if last_years < title.obtained:
                return last_years, self.achievements_until, f"近 {spec.or_last_years} 年（{last_years.isoformat()} 起）"
            return title.obtained, self.achievements_until, title_text
        if title:
            return title.obtained, self.achievements_until, title_text
        if last_years:
            return last_years, self.achievements_until, f"近 {spec.or_last_years} 年（{last_years.isoformat()} 起）"
        return None, self.achievements_until, ""

    @staticmethod
    def record_date(kind: str, r) -> date:
        if kind in YEAR_DATED_KINDS:
            return date(r.year, 1, 1)
        if kind == "skill_titles":
            return r.date or date(r.year, 1, 1)
        return r.date

    def _in_window(self, kind: str, r, window: tuple | None = None) -> str | None:
        """None when the record counts, else why not (``window``: :attr:`window`, if at hand)."""
        first, last, why = window or self.window
        by_year = kind in YEAR_DATED_KINDS or (kind == "skill_titles" and r.date is None)
        if by_year:
            year = r.year
            if year > last.year:
                return f"晚于业绩截止日 {last.isoformat()}（{year} 年）"
            if first is not None and year < first.year:
                return f"早于{why}，不计入（{year} 年）"
            return None
        day = r.date
        if day > last:
            return f"晚于业绩截止日 {last.isoformat()}（{day.isoformat()}）"
        if first is not None and day < first:
            return f"早于{why}，不计入（{day.isoformat()}）"
        return None

    @cached_property
    def _records_and_excluded(self):
        records: dict[str, list] = {}
        excluded: list[dict] = []
        p = self.p
        window = None  # computed only if there is a record to place in it
        for kind in RECORD_KIND_NAMES:
            given = getattr(p, kind)
            if not given:
                records[kind] = given  # the empty list
                continue
            if window is None:
                window = self.window
            kept = []
            for i, r in enumerate(given):
                why = self._in_window(kind, r, window)
                if why is None:
                    kept.append((i, r))
                else:
                    entry = {"item": f"{kind}[{i}]", "kind": kind, "reason": why}
                    if kind in YEAR_DATED_KINDS or (kind == "skill_titles" and r.date is None):
                        entry["year"] = r.year
                    else:
                        entry["date"] = r.date.isoformat()
                    excluded.append(entry)
            records[kind] = kept
        return records, excluded

    @cached_property
    def records(self) -> dict[str, list]:
        """kind → the [(index, record)] inside the achievement window."""
        return self._records_and_excluded[0]

    @cached_property
    def excluded(self) -> list[dict]:
        return self._records_and_excluded[1]

    # ---- the score

    @cached_property
    def score(self) -> dict | None:
        scoring = self.policy.scoring
        return scoring.compute(self) if scoring is not None else None
