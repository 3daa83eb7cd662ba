"""Compiled conditions: plain objects that evaluate a profile's facts and explain the verdict.

:mod:`conditions` validates a policy's conditions and compiles each into one of these nodes.
``evaluate(facts)`` returns ``(met, actual, missing, details)``: whether it holds, what the
profile shows and — when it does not hold — what is lacking, in Chinese; composites add the
``details`` of their children. ``expected`` (what the rule asks) is fixed at compile time.
``holds(facts)`` answers only met / not met, without sentences. Nothing here parses or
validates: the hot path is plain Python.
"""

from __future__ import annotations

from . import dates
from .memo import Memo
from .vocab import (
    EDUCATION_NAMES,
    EMPLOYER_KIND_NAMES,
    LEVEL_NAMES,
    SKILL_GRADE_NAMES,
    TITLE_RANK,
    YEAR_DATED_KINDS,
    Relevance,
    num,
)


def _rel_text(relevant: Relevance, yes: str = "本专业或相近专业", no: str = "非相关专业") -> str:
    if relevant is True:
        return yes
    if relevant is False:
        return no
    return ""


Result = tuple[bool, str, str | None, list | None]  # met, actual, missing, details


class Node:
    """A compiled condition. ``expected`` is what the rule asks, in Chinese."""

    __slots__ = ("id", "expected")

    def __init__(self, id: str, expected: str):
        self.id = id
        self.expected = expected

    def evaluate(self, f) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError

    def holds(self, f) -> bool:
        """Only whether the condition holds (no explanation), for scoring requirements."""
        return self.evaluate(f)[0]

    def describe(self) -> dict:
        return {"id": self.id, "text": self.expected}


def _detail(node: Node, r: Result) -> dict:
    d = {"id": node.id, "met": r[0], "expected": node.expected, "actual": r[1]}
    if not r[0] and r[2]:
        d["missing"] = r[2]
    if r[3]:
        d["details"] = r[3]
    return d


# Branches mostly find the same few things (no title, so many years of work): merged once.
_merged = Memo(limit=4096)


def _merge_actuals(actuals: list[str]) -> str:
    """Join what several branches found, each fact once ("A；B" and "A（还差 1 年）" → the longer)."""
    key = tuple(actuals)
    merged = _merged.get(key)
    if merged is None:
        merged = _merged.put(key, _merge(actuals))
    return merged


def _merge(actuals: list[str]) -> str:
    parts: list[str] = []
    for actual in actuals:
        for part in actual.split("；"):
            if _covered(part, parts):
                continue
            if _covers(part, parts):
                parts = [other for other in parts if not part.startswith(other)]
            parts.append(part)
    return "；".join(parts)


# _covered and _covers loop instead of any(<generator>): they run for every part of every
# merged sentence, and a generator per call costs more than the scan of a few short strings.


def _covered(part: str, parts: list[str]) -> bool:
    """Whether some kept part already says ``part`` (starts with it)."""
    for other in parts:  # noqa: SIM110 - see above
        if other.startswith(part):
            return True
    return False


def _covers(part: str, parts: list[str]) -> bool:
    """Whether ``part`` says more than some kept part (starts with it)."""
    for other in parts:  # noqa: SIM110 - see above
        if part.startswith(other):
            return True
    return False


def _rel_ok(relevant: Relevance, value: bool) -> bool:
    return relevant == "any" or relevant is value


def _short(have: int, need: int, unit: str = "年") -> str:
    return f"（还差 {need - have} {unit}）" if have < need else ""


class AllOfNode(Node):
    """Composite nodes explain their children in ``details`` — one level deep: a composite
    inside a composite (``nested``) gives no details of its own."""

    __slots__ = ("children", "nested")

    def __init__(self, id, expected, children):
        super().__init__(id, expected)
        self.children = children
        self.nested = False
        for child in children:
            if isinstance(child, AllOfNode):
                child.nested = True

    def _details(self, results) -> list | None:
        if self.nested:
            return None
        out = []
        for c, (met, actual, missing, details) in zip(self.children, results):  # noqa: B905 - same length
            d = {"id": c.id, "met": met, "expected": c.expected, "actual": actual}
            if not met and missing:
                d["missing"] = missing
            if details:
                d["details"] = details
            out.append(d)
        return out

    def holds(self, f) -> bool:
        return all(c.holds(f) for c in self.children)

    def evaluate(self, f) -> Result:
        results = [c.evaluate(f) for c in self.children]
        unmet = [r[2] or r[1] for r in results if not r[0]]
        actual = "；".join([r[1] for r in results])
        missing = "；".join(unmet) if unmet else None
        return not unmet, actual, missing, self._details(results)

    def describe(self) -> dict:
        return {"id": self.id, "text": self.expected, "all_of": [c.describe() for c in self.children]}


class AnyOfNode(AllOfNode):
    __slots__ = ("missing",)

    def __init__(self, id, expected, children):
        super().__init__(id, expected, children)
        self.missing = "需满足其一：" + " 或 ".join(c.expected for c in children)

    def evaluate(self, f) -> Result:
        if self.nested:  # no details: stop at the first branch that holds
            if len(self.children) > 3:
                for c in self.children:
                    if c.holds(f):
                        return True, c.evaluate(f)[1], None, None
                return False, "不具备其中任何一项", self.missing, None
            results = []
            for c in self.children:
                r = c.evaluate(f)
                if r[0]:
                    return True, r[1], None, None
                results.append(r[1])
            return False, _merge_actuals(results), self.missing, None
        results = [c.evaluate(f) for c in self.children]
        for r in results:
            if r[0]:
                return True, r[1], None, self._details(results)
        actual = _merge_actuals([r[1] for r in results]) if len(results) <= 3 else "不具备其中任何一项"
        return False, actual, self.missing, self._details(results)

    def holds(self, f) -> bool:
        return any(c.holds(f) for c in self.children)

    def describe(self) -> dict:
        return {"id": self.id, "text": self.expected, "any_of": [c.describe() for c in self.children]}


class CountOfNode(AllOfNode):
    __slots__ = ("n", "_numbers")

    def __init__(self, id, expected, children, n):
        super().__init__(id, expected, children)
        self.n = n
        self._numbers = [f"（{i + 1}）" for i in range(len(children))]  # the items' numbers

    def evaluate(self, f) -> Result:
        results = [c.evaluate(f) for c in self.children]
        held = [number for number, r in zip(self._numbers, results) if r[0]]  # noqa: B905 - same length
        k = len(held)
        actual = f"具备 {k} 项（需 {self.n} 项）" + (f"：第{'、'.join(held)}项" if held else "")
        missing = None if k >= self.n else f"还需具备 {self.n - k} 项"
        return k >= self.n, actual, missing, self._details(results)

    def holds(self, f) -> bool:
        return sum(1 for c in self.children if c.holds(f)) >= self.n

    def describe(self) -> dict:
        return {
            "id": self.id,
            "text": self.expected,
            "count_of": self.n,
            "items": [c.describe() for c in self.children],
        }


class NotNode(Node):
    __slots__ = ("child", "missing")

    def __init__(self, id, expected, child):
        super().__init__(id, expected)
        self.child = child
        self.missing = f"不应具备：{child.expected}"

    def evaluate(self, f) -> Result:
        r = self.child.evaluate(f)
        return (not r[0]), r[1], (self.missing if r[0] else None), None

    def holds(self, f) -> bool:
        return not self.child.holds(f)

    def describe(self) -> dict:
        return {"id": self.id, "text": self.expected, "not": self.child.describe()}


class ClaimNode(Node):
    __slots__ = ("claim_id", "_yes", "_no")

    def __init__(self, id, expected, claim_id):
        super().__init__(id, expected)
        self.claim_id = claim_id
        self._yes = (True, "申报人已声明，待评审核实", None, None)
        self._no = (False, f"未声明：{expected}", f"如具备，请声明 {claim_id}（需提供佐证材料）", None)

    def evaluate(self, f) -> Result:
        return self._yes if self.claim_id in f.claims else self._no

    def describe(self) -> dict:
        return {"id": self.id, "text": self.expected, "claim": self.claim_id}


_EDUCATION_ACTUAL = {
    (level, rel): f"{name}（{'相关专业' if rel else '非相关专业'}）"
    for level, name in EDUCATION_NAMES.items()
    for rel in (True, False)
}


class EducationNode(Node):
    __slots__ = ("lo", "hi", "relevant", "degree", "missing")

    def __init__(self, id, expected, lo, hi, relevant, degree):
        super().__init__(id, expected)
        self.lo, self.hi, self.relevant, self.degree = lo, hi, relevant, degree
        self.missing = f"不具备{expected}"

    def holds(self, f) -> bool:
        for rank, _norm, e in f.edus:
            if (
                self.lo <= rank <= self.hi
                and (self.relevant == "any" or e.relevant is self.relevant)
                and (not self.degree or e.degree)
            ):
                return True
        return False

    def evaluate(self, f) -> Result:
        best = None
        for rank, _norm, e in f.edus:
            if self.lo <= rank <= self.hi and _rel_ok(self.relevant, e.relevant):
                if self.degree and not e.degree:
                    continue
                if best is None or rank > best[0]:
                    best = (rank, e)
        if best is not None:
            e = best[1]
            return True, _EDUCATION_ACTUAL[e.level, e.relevant], None, None
        return False, f.education_summary, self.missing, None


class TitleNode(Node):
    __slots__ = ("level", "years", "below", "relevant", "name", "_none", "_key")

    def __init__(self, id, expected, level, years, below, relevant, name):
        super().__init__(id, expected)
        self.level, self.years, self.below, self.relevant, self.name = level, years, below, relevant, name
        self._none = (False, f"未取得{name}资格", f"未取得{name}资格", None)
        self._key = ("title", level, relevant)  # of the tenure shared in ``f.cache``

    def evaluate(self, f) -> Result:
        key = self._key
        held = f.cache.get(key)
        if held is None:  # shared by the title conditions of every route
            obtained = f.title_obtained(self.level, self.relevant)
            if obtained is None:
                held = f.cache[key] = (None, 0, "")
            else:
                have = dates.full_years(obtained, f.as_of) if obtained <= f.as_of else 0
                actual = f"{obtained.isoformat()} 取得{LEVEL_NAMES[self.level]}，任职 {have} 年"
                held = f.cache[key] = (obtained, have, actual)
        obtained, have, actual = held
        if obtained is None:
            return self._none
        if have < self.years:
            done = dates.completes_years_on(obtained, self.years)
            missing = (
                f"{LEVEL_NAMES[self.level]}任职还差 {self.years - have} 年（{done.isoformat()} 满 {self.years} 年）"
            )
            return False, actual + _short(have, self.years), missing, None
        if self.below is not None and have >= self.below:
            return (
                False,
                actual,
                f"任职已满 {self.below} 年，不属本条（本条适用任职满 {self.years} 年不满 {self.below} 年）",
                None,
            )
        return True, actual, None, None


class SkillNode(Node):
    __slots__ = ("max_grade", "years", "relevant")

    def __init__(self, id, expected, max_grade, years, relevant):
        super().__init__(id, expected)
        self.max_grade, self.years, self.relevant = max_grade, years, relevant

    def evaluate(self, f) -> Result:
        found = f.skill_obtained(self.max_grade, self.relevant)
        if found is None:
            need = f"{SKILL_GRADE_NAMES[self.max_grade]}及以上职业技能等级"
            return False, f.skill_summary, f"未取得{_rel_text(self.relevant, '相关工种', '')}{need}", None
        grade, obtained = found
        have = dates.full_years(obtained, f.as_of) if obtained <= f.as_of else 0
        actual = f"{obtained.isoformat()} 取得{SKILL_GRADE_NAMES[grade]}，已满 {have} 年"
        if have < self.years:
            done = dates.completes_years_on(obtained, self.years)
            missing = f"取得技能等级后还差 {self.years - have} 年（{done.isoformat()} 满 {self.years} 年）"
            return False, actual + _short(have, self.years), missing, None
        return True, actual, None, None


class WorkNode(Node):
    __slots__ = ("years", "since", "_key")

    def __init__(self, id, expected, years, since):
        super().__init__(id, expected)
        self.years, self.since = years, since
        self._key = ("work", since)  # of the years shared in ``f.cache``

    def _held(self, f) -> tuple:
        """(years, sentence, since) shared by the work conditions of every route, or a result
        tuple when the education it counts from is missing."""
        key = self._key
        held = f.cache.get(key)
        if held is not None:
            return held
        if self.since is None:
            have = f.relevant_work_years
            held = (have, f"相关专业工作 {have} 年", None)
        else:
            lo, relevant = self.since
            grads = [e.graduated for rank, _n, e in f.edus if rank >= lo and _rel_ok(relevant, e.relevant)]
            known = [g for g in grads if g is not None]
            if not grads:
                held = (False, f.education_summary, "不具备所需学历", None)
            elif not known:
                held = (False, "未提供毕业时间，无法计算毕业后工作年限", "请填写该学历的毕业时间", None)
            else:
                since = min(known)
                have = f.relevant_work_years_since(since)
                held = (have, f"{since.isoformat()} 毕业后相关专业工作 {have} 年", since)
        f.cache[key] = held
        return held

    def evaluate(self, f) -> Result:
        held = f.cache.get(self._key) or self._held(f)
        if len(held) == 4:
            return held
        have, actual, since = held
        done = f.work_completion_day(self.years) if since is None and have < self.years else None
        if have < self.years:
            missing = f"相关专业工作年限还差 {self.years - have} 年" + (
                f"（{done.isoformat()} 满 {self.years} 年）" if done else ""
            )
            return False, actual + _short(have, self.years), missing, None
        return True, actual, None, None


class PostNode(Node):
    __slots__ = ("kinds", "years")

    def __init__(self, id, expected, kinds, years):
        super().__init__(id, expected)
        self.kinds, self.years = kinds, years

    def evaluate(self, f) -> Result:
        periods = [(p.start, p.end) for p in f.p.posts if p.kind in self.kinds]
        have = dates.merged_full_years(periods, f.as_of)
        actual = f"担任相应职务 {have} 年" if periods else "无相应职务记录"
        if have < self.years:
            return False, actual + _short(have, self.years), f"任职还差 {self.years - have} 年", None
        return True, actual, None, None


class EmployerNode(Node):
    __slots__ = ("kinds",)

    def __init__(self, id, expected, kinds):
        super().__init__(id, expected)
        self.kinds = kinds

    def evaluate(self, f) -> Result:
        kind = f.p.person.employer_kind
        actual = f"用人单位：{EMPLOYER_KIND_NAMES[kind]}" if kind else "未填写用人单位性质"
        if kind in self.kinds:
            return True, actual, None, None
        return False, actual, f"用人单位应为{'或'.join(EMPLOYER_KIND_NAMES[k] for k in self.kinds)}", None


def _passes(record, filters: tuple) -> bool:
    """Whether each filtered field of ``record`` has one of the allowed values."""
    for name, allowed in filters:  # noqa: SIM110 - a loop: no generator per record
        if getattr(record, name) not in allowed:
            return False
    return True


class RecordsNode(Node):
    __slots__ = ("kind", "filters", "rank_max", "at_least", "within_years", "distinct", "_none")

    def __init__(self, id, expected, kind, filters, rank_max, at_least, within_years, distinct):
        super().__init__(id, expected)
        self.kind, self.filters, self.rank_max = kind, filters, rank_max
        self.at_least, self.within_years, self.distinct = at_least, within_years, distinct
        self._none = (False, f"无符合条件的记录：{expected}", f"还需 {at_least} 项：{expected}", None)

    def evaluate(self, f) -> Result:
        items = f.records[self.kind]
        if not items:
            return self._none
        if self.within_years is not None:
            first = dates.years_before(f.as_of, self.within_years)
            if self.kind in YEAR_DATED_KINDS:
                items = [(i, r) for i, r in items if r.year >= first.year]
            else:
                items = [(i, r) for i, r in items if f.record_date(self.kind, r) >= first]
        hits = []
        seen = set()
        for i, r in items:
            if not _passes(r, self.filters):
                continue
            if self.rank_max is not None and r.rank > self.rank_max:
                continue
            if self.distinct and r.achievement:
                if r.achievement in seen:
                    continue
                seen.add(r.achievement)
            hits.append(f"{self.kind}[{i}]")
        n = len(hits)
        if not n:
            return self._none
        actual = f"符合条件 {n} 项（{'、'.join(hits)}）"
        if n < self.at_least:
            return False, actual + _short(n, self.at_least, "项"), f"还需 {self.at_least - n} 项：{self.expected}", None
        return True, actual, None, None


class ExpertsNode(Node):
    __slots__ = ("n", "min_rank", "province", "relevant")

    def __init__(self, id, expected, n, min_rank, province, relevant):
        super().__init__(id, expected)
        self.n, self.min_rank, self.province, self.relevant = n, min_rank, province, relevant

    def evaluate(self, f) -> Result:
        experts = set()
        for r in f.p.expert_recommendations:
            if TITLE_RANK[r.title_level] < self.min_rank:
                continue
            if self.province and self.province not in r.province:
                continue
            if not _rel_ok(self.relevant, r.relevant):
                continue
            experts.add(r.expert)
        k = len(experts)
        actual = f"符合条件的专家推荐 {k} 名" + _short(k, self.n, "名")
        if k < self.n:
            return False, actual, f"还需 {self.n - k} 名符合条件的专家署名推荐", None
        return True, actual, None, None


class SelfScoreNode(Node):
    __slots__ = ("points",)

    def __init__(self, id, expected, points):
        super().__init__(id, expected)
        self.points = points

    def evaluate(self, f) -> Result:
        have = f.score["self_score"]
        actual = f"自评分 {num(have)} 分"
        if have < self.points:
            return (
                False,
                actual + f"（还差 {num(self.points - have)} 分）",
                f"自评分还差 {num(self.points - have)} 分",
                None,
            )
        return True, actual, None, None
