"""The two ways the engine refuses: a bad profile (the caller's fault) and a bad policy file."""

from __future__ import annotations

from collections.abc import Iterable


class ProfileError(ValueError):
    """The profile does not follow POLICY_API.md.

    ``errors`` lists every problem as ``{"loc": "continuing_education[2].hours", "msg": "…"}``.
    """

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{e['loc'] or '（根）'}: {e['msg']}" for e in errors) or "invalid profile")


class PolicyError(Exception):
    """A policy file is missing or does not follow the policy schema.

    ``errors`` lists ``{"file": …, "path": "levels.engineer.routes[2].condition.all_of[1].years",
    "line": 57 or None, "msg": …}``; the message names the file, each path (and line) and reason.
    """

    def __init__(self, file: str, errors: Iterable[dict]):
        self.file = file
        self.errors = list(errors)
        lines = []
        for e in self.errors:
            where = e.get("path") or "（根）"
            if e.get("line"):
                where += f"（第 {e['line']} 行）"
            lines.append(f"{where}: {e['msg']}")
        super().__init__(f"{file}: " + "; ".join(lines))

    @property
    def path(self) -> str | None:
        return self.errors[0].get("path") if self.errors else None

    @property
    def reason(self) -> str | None:
        return self.errors[0].get("msg") if self.errors else None


def format_loc(loc: Iterable) -> str:
    """('levels', 'engineer', 'routes', 2, 'years') → 'levels.engineer.routes[2].years'.

    Elements starting with "@" are union tags added by the schema and are left out.
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.startswith("@"):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


_TYPE_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（请检查拼写）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为字符串",
    "list_type": "应为数组（列表）",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "date_type": "应为 YYYY-MM-DD 格式的日期",
    "date_from_datetime_parsing": "应为 YYYY-MM-DD 格式的日期",
    "string_pattern_mismatch": "格式不正确",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
    "invalid_key": "键应为字符串",
    "union_tag_invalid": "条件类型无效",
}


def zh_message(err: dict) -> str:
    """A Chinese message for one pydantic error (``ValidationError.errors()`` item)."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error") or err.get("msg", "")).removeprefix("Value error, ")
    if err.get("input", ...) is None and kind != "missing":
        return "不能为空（null）"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"取值无效（{err.get('input')!r}），应为以下之一：{expected.replace(', ', '、')}"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "greater_than":
        return f"应大于 {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"应小于 {ctx.get('lt')}"
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind]
    return str(err.get("msg", kind))
