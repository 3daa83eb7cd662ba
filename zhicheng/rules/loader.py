"""Loading policy files: YAML → schema validation → compiled plain-Python policy, cached.

A policy file is validated against :class:`PolicySpec` (pydantic, ``extra="forbid"``
everywhere); any mistake raises :class:`PolicyError` naming the file, the path inside it
(``levels.engineer.routes[2].condition.all_of[1].years``), the line and the reason. Duplicate
keys, unknown predicates, references that do not fit (a continuing-education rule without
years for one of the routes' application types, a ``self_score_at_least`` without a scoring
standard, repeated route or check ids) are errors too.

Policies are read from ``$ZHICHENG_POLICY_DIR`` or the repository's ``policies/`` folder,
one ``<id>.yaml`` per policy, and compiled once per process (:func:`clear_cache` forgets them).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .checks import (
    AssessmentCheck,
    CECheck,
    ChecksSpec,
    IntegrityCheck,
    RetirementCheck,
    SocialInsuranceCheck,
)
from .conditions import AllOf, CompileContext, Condition, Node
from .errors import PolicyError, zh_message
from .scoring import CompiledScoring, ScoringSpec, compile_scoring
from .vocab import LEVEL_NAMES, ApplicationType, Level

POLICY_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SourceSpec(_Spec):
    document: str
    title: str
    date: dt.date | None = None
    note: str | None = None


class Conventions(_Spec):
    government_work_counts: bool = False
    notes: list[str] = []


class WindowSpec(_Spec):
    """Achievements count from the current title (任现职后) — or from the start of the last
    ``or_last_years`` years if that admits more — up to the achievements cut-off."""

    clause: str
    label: str = "业绩取得时间"
    since_current_title: bool = True
    or_last_years: Annotated[int, Field(ge=1, le=50)] | None = None


class RouteSpec(_Spec):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.]+$")]
    application_type: ApplicationType
    clause: str
    label: str
    condition: Condition
    notes: list[str] = []


class LevelSpec(_Spec):
    label: str | None = None
    routes: Annotated[list[RouteSpec], Field(min_length=1)]


class PolicySpec(_Spec):
    id: Annotated[str, Field(pattern=POLICY_ID_RE.pattern)]
    version: str
    title: str
    document: str
    region: str | None = None
    specialty: str | None = None
    summary: str | None = None
    sources: list[SourceSpec] = []
    conventions: Conventions = Conventions()
    achievement_window: WindowSpec
    checks: ChecksSpec
    levels: Annotated[dict[Level, LevelSpec], Field(min_length=1)]
    scoring: ScoringSpec | None = None
    notes: list[str] = []


# --------------------------------------------------------------------------------------
# Compiled form


class CompiledRoute:
    __slots__ = ("id", "full_id", "application_type", "clause", "label", "checks", "general", "notes", "spec")

    def __init__(self, spec: RouteSpec, full_id: str, checks: list[Node], general: list, notes: list[str]):
        self.spec = spec
        self.id = spec.id
        self.full_id = full_id
        self.application_type = spec.application_type
        self.clause = spec.clause
        self.label = spec.label
        self.checks = checks
        self.general = general
        self.notes = notes


class CompiledLevel:
    def __init__(self, level: str, label: str, routes: list[CompiledRoute]):
        self.level = level
        self.label = label
        self.routes = routes
        self.application_types = list(dict.fromkeys(r.application_type for r in routes))


class CompiledPolicy:
    """A policy ready to evaluate: plain objects, no pydantic on the hot path."""

    def __init__(self, spec: PolicySpec, file: str):
        self.spec = spec
        self.file = file
        self.id = spec.id
        self.version = spec.version
        self.title = spec.title
        self.document = spec.document
        self.window = spec.achievement_window
        self.government_work_counts = spec.conventions.government_work_counts
        self.levels: dict[str, CompiledLevel] = {}
        self.top_checks: list = []
        self.scoring: CompiledScoring | None = None
        self.claims: dict[str, str] = {}


# --------------------------------------------------------------------------------------
# YAML with line numbers


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false (not yes/no/on/off, which YAML 1.1 turns into
    booleans and would silently change the meaning of a policy)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _walk(node, path: tuple, lines: dict, errors: list) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                errors.append((path + (key,), key_node.start_mark.line + 1, f"重复的键 {key!r}"))
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines, errors)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, errors)


def _read_yaml(path: Path, name: str) -> tuple[object, dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(
            name, [{"path": "", "line": None, "msg": f"无法读取政策文件：{exc.strerror or exc}"}]
        ) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise PolicyError(name, [{"path": "", "line": None, "msg": "政策文件为空"}])
        lines: dict = {}
        dups: list = []
        _walk(node, (), lines, dups)
        if dups:
            raise PolicyError(name, [{"path": _fmt(p), "line": ln, "msg": msg} for p, ln, msg in dups])
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(
            name, [{"path": "", "line": mark.line + 1 if mark else None, "msg": f"YAML 语法错误：{problem}"}]
        ) from None
    finally:
        loader.dispose()
    return data, lines


def _clean(loc) -> tuple:
    return tuple(p for p in loc if not (isinstance(p, str) and (p.startswith("@") or p == "[key]")))


def _fmt(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _line(lines: dict, path: tuple) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


# --------------------------------------------------------------------------------------
# Compilation


class _Errors:
    def __init__(self, name: str, lines: dict):
        self.name, self.lines, self.items = name, lines, []

    def add(self, path: tuple, msg: str) -> None:
        self.items.append({"path": _fmt(path), "line": _line(self.lines, path), "msg": msg})

    def raise_if_any(self) -> None:
        if self.items:
            raise PolicyError(self.name, self.items)


def _compile(spec: PolicySpec, name: str, lines: dict) -> CompiledPolicy:
    policy = CompiledPolicy(spec, name)
    errors = _Errors(name, lines)
    checks = spec.checks
    ce = checks.continuing_education

    if spec.scoring is not None:
        try:
            policy.scoring = compile_scoring(spec.scoring, spec.id)
        except ValueError as exc:
            errors.add(("scoring",), str(exc))

    for level, level_spec in spec.levels.items():
        routes = []
        seen_routes: set[str] = set()
        for i, route in enumerate(level_spec.routes):
            path = ("levels", level, "routes", i)
            if route.id in seen_routes:
                errors.add(path + ("id",), f"路径编号重复：{route.id}")
            seen_routes.add(route.id)
            cx = CompileContext(spec.id, level, route.id, spec.scoring is not None, policy.claims)
            parts = route.condition.all_of if isinstance(route.condition, AllOf) and not route.condition.label else None
            try:
                nodes = [c.compile(cx) for c in parts] if parts is not None else [route.condition.compile(cx)]
            except ValueError as exc:
                errors.add(path + ("condition",), str(exc))
                continue
            general = []
            if ce is not None and ce.years_by_type is not None:
                years = ce.years_by_type.get(level, {}).get(route.application_type)
                if years is None:
                    errors.add(
                        ("checks", "continuing_education", "years_by_type", level),
                        f"缺少申报方式 {route.application_type} 的继续教育年数（{route.id} 需要）",
                    )
                else:
                    general.append(CECheck(ce, years))
            ids = [n.id for n in nodes] + [g.id for g in general]
            dup = sorted({x for x in ids if ids.count(x) > 1})
            if dup:
                errors.add(path + ("condition",), f"检查编号重复：{'、'.join(dup)}，请用 id 区分")
            routes.append(CompiledRoute(route, f"{spec.id}/{level}/{route.id}", nodes, general, route.notes))
        policy.levels[level] = CompiledLevel(level, level_spec.label or LEVEL_NAMES[level], routes)

    if checks.assessment:
        policy.top_checks.append(AssessmentCheck(checks.assessment))
    if ce is not None and ce.years is not None:
        policy.top_checks.append(CECheck(ce, ce.years))
    if checks.social_insurance:
        policy.top_checks.append(SocialInsuranceCheck(checks.social_insurance))
    if checks.retirement:
        policy.top_checks.append(RetirementCheck(checks.retirement))
    if checks.integrity:
        policy.top_checks.append(IntegrityCheck(checks.integrity))
    errors.raise_if_any()
    return policy


def load_policy_file(path: str | os.PathLike, expected_id: str | None = None) -> CompiledPolicy:
    """Read, validate and compile one policy file (not cached)."""
    path = Path(path)
    name = str(path)
    data, lines = _read_yaml(path, name)
    if not isinstance(data, dict):
        raise PolicyError(name, [{"path": "", "line": 1, "msg": "政策文件的顶层应为映射（键: 值）"}])
    try:
        spec = PolicySpec.model_validate(data)
    except ValidationError as exc:
        errors = _Errors(name, lines)
        for err in exc.errors():
            errors.add(_clean(err["loc"]), zh_message(err))
        errors.raise_if_any()
        raise  # pragma: no cover
    if expected_id is not None and spec.id != expected_id:
        raise PolicyError(
            name, [{"path": "id", "line": _line(lines, ("id",)), "msg": f"id 应与文件名一致：{expected_id}"}]
        )
    return _compile(spec, name, lines)


# --------------------------------------------------------------------------------------
# The cache


_lock = threading.Lock()
_cache: dict[str, CompiledPolicy] = {}
_ids: list[str] | None = None


def policy_dir() -> Path:
    env = os.environ.get("ZHICHENG_POLICY_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "policies"


def available_policy_ids() -> list[str]:
    global _ids
    ids = _ids
    if ids is None:
        folder = policy_dir()
        ids = sorted(p.stem for p in folder.glob("*.yaml") if POLICY_ID_RE.match(p.stem)) if folder.is_dir() else []
        _ids = ids
    return ids


def load_policy(policy_id: str) -> CompiledPolicy:
    """The compiled policy ``policy_id`` (loaded once per process)."""
    policy = _cache.get(policy_id)
    if policy is not None:
        return policy
    if not isinstance(policy_id, str) or not POLICY_ID_RE.match(policy_id):
        raise PolicyError(str(policy_id), [{"path": "", "line": None, "msg": "政策编号无效"}])
    with _lock:
        policy = _cache.get(policy_id)
        if policy is None:
            path = policy_dir() / f"{policy_id}.yaml"
            if not path.is_file():
                raise PolicyError(str(path), [{"path": "", "line": None, "msg": f"未知政策 {policy_id}"}])
            policy = load_policy_file(path, expected_id=policy_id)
            _cache[policy_id] = policy
    return policy


def clear_cache() -> None:
    """Forget loaded policies (after an administrator edited a file, or in tests)."""
    global _ids
    with _lock:
        _cache.clear()
        _ids = None
