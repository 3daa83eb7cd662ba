"""Evaluate POLICY_API profiles from files (or stdin) and print the results as JSON.

    manage.py evaluate_profile a.json              → one result object
    manage.py evaluate_profile a.json b.json       → an array, one result per file
    manage.py evaluate_profile - < a.json          → reads stdin
    manage.py evaluate_profile batch.json          → a file holding an array of profiles
                                                      gives an array of results (batch use)

Exit status 0 when every profile was evaluated, whatever the verdicts; 2 when any input is
invalid, with each offending field named on stderr and nothing on stdout.

Every profile is validated before the first result is written; results are then streamed,
one at a time. A batch's parsed input is released entry by entry as it is validated, and
each validated profile as soon as its result is written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from django.core.management.base import BaseCommand, CommandParser

from zhicheng import rules
from zhicheng.eligibility.services import validate_profile


class InvalidInput(Exception):
    pass


@dataclass
class Source:
    """One input: a single profile, or a batch (a JSON array of profiles)."""

    profiles: list[Any]
    is_batch: bool


class Command(BaseCommand):
    help = "按政策评估申报档案（POLICY_API 格式），输出 JSON 结果。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="档案 JSON 文件；- 表示标准输入")
        parser.add_argument("--pretty", action="store_true", help="缩进输出（默认紧凑输出）")

    def handle(self, *args: Any, files: list[str], pretty: bool, **options: Any) -> None:
        with rules.batch_mode():  # many objects are kept alive: spare the garbage collector
            problems: list[str] = []
            sources: list[Source] = []
            for name in files:
                try:
                    sources.append(_validated(name, _parsed(name)))
                except InvalidInput as error:
                    problems.append(str(error))
            if problems:
                for line in problems:
                    self.stderr.write(line)
                sys.exit(2)
            option = orjson.OPT_INDENT_2 if pretty else 0
            write = self._writer()
            for chunk in _json_chunks(sources, several=len(files) > 1, option=option):
                write(chunk)
            write(b"\n")

    def _writer(self) -> Callable[[bytes], Any]:
        """Write UTF-8 bytes straight to a real stdout; decode only for text streams (tests)."""
        stream = getattr(self.stdout, "_out", self.stdout)
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            return buffer.write
        return lambda chunk: stream.write(chunk.decode())


def _parsed(name: str) -> Any:
    """The JSON document in file ``name`` (``-``: standard input).

    A file's bytes go straight to the parser: no decoded copy of a large batch is made. Only
    when that fails is the file read again as text, so that every refusal — unreadable, not
    UTF-8, not JSON — is reported exactly as :func:`_read` and :func:`_loads` word it.
    """
    if name != "-":
        try:
            with open(name, "rb") as handle:
                return orjson.loads(handle.read())
        except (OSError, orjson.JSONDecodeError):
            pass
    return _loads(name, _read(name))


def _loads(name: str, text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        where = f"第 {error.lineno} 行第 {error.colno} 列"
        raise InvalidInput(f"{name}: 不是有效的 JSON（{where}）：{error.msg}") from None


def _validated(name: str, data: Any) -> Source:
    items = data if isinstance(data, list) else [data]
    profiles, lines = [], []
    for index, item in enumerate(_released(items)):
        profile, errors = validate_profile(item)
        if errors:
            label = f"{name}[{index}]" if isinstance(data, list) else name
            lines += [f"{label}: {error['loc'] or '（根）'}: {error['msg']}" for error in errors]
        profiles.append(profile)
    if lines:
        raise InvalidInput("\n".join(lines))
    return Source(profiles, is_batch=isinstance(data, list))


def _json_chunks(sources: list[Source], *, several: bool, option: int) -> Iterator[bytes]:
    """The output document as UTF-8 pieces: each result is serialised as soon as it exists."""

    def array(values: Iterator[bytes]) -> Iterator[bytes]:
        yield b"["
        for index, value in enumerate(values):
            yield (b"," if index else b"") + value
        yield b"]"

    def results(source: Source) -> Iterator[bytes]:
        for profile in _released(source.profiles):
            yield orjson.dumps(rules.evaluate(profile), option=option)

    def document(source: Source) -> Iterator[bytes]:
        if source.is_batch:
            yield from array(results(source))
        else:
            yield from results(source)

    if several:
        yield from array(b"".join(document(source)) for source in sources)
    else:
        yield from document(sources[0])


def _released(items: list) -> Iterator[Any]:
    """Each item of ``items`` in turn, dropping the list's reference to it: a batch's input
    and its validated profiles are freed (and their memory reused) as it is processed."""
    for index, item in enumerate(items):
        items[index] = None
        yield item


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        with open(name, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise InvalidInput(f"{name}: 无法读取文件：{error.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{name}: 文件不是 UTF-8 编码") from None
