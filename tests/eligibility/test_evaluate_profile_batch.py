"""manage.py evaluate_profile on batches: the bytes written are the results serialised in
order; files are parsed as bytes, yet every refusal reads as it did when they were read as
text; a batch's memory is released as it is processed."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from django.core.management import call_command

from tests.rules.helpers import edu, nb, sy, title, wz
from zhicheng import rules
from zhicheng.eligibility.management.commands.evaluate_profile import _released

EXAMPLES = Path(__file__).resolve().parent.parent / "rules" / "examples"
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def _batch() -> list[dict]:
    examples = [json.loads(p.read_text(encoding="utf-8"))["profile"] for p in sorted(EXAMPLES.glob("*.json"))]
    varied = [
        wz(education=[edu("bachelor")], titles=[title("assistant_engineer", "2018-01-01")]),
        wz("technician", education=[edu("secondary")]),
        wz("assistant_engineer", deadline=None, claims=["unknown/claim"]),
        sy(education=[edu("master")], titles=[title("assistant_engineer", "2019-07-01")]),
        nb(application_type="exceptional", education=[edu("college", relevant=False)]),
    ]
    return (examples + varied) * 3


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("evaluate_profile", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_a_batch_is_written_as_its_results_serialised_in_order(tmp_path):
    batch = _batch()
    path = tmp_path / "batch.json"
    path.write_bytes(orjson.dumps(batch))
    completed = subprocess.run(  # noqa: S603 - our own manage.py with a temp file
        [sys.executable, str(MANAGE), "evaluate_profile", str(path)], capture_output=True, check=True
    )
    expected = b"[" + b",".join(orjson.dumps(rules.evaluate(p)) for p in batch) + b"]\n"
    assert completed.stdout == expected


def test_pretty_output_of_a_batch_is_the_same_document(tmp_path):
    batch = _batch()
    path = tmp_path / "batch.json"
    path.write_bytes(orjson.dumps(batch))
    _, pretty, _ = _run(str(path), "--pretty")
    assert json.loads(pretty) == [rules.evaluate(p) for p in batch]


def test_a_file_with_windows_line_ends_is_read_alike(tmp_path):
    text = json.dumps(_batch()[:3], ensure_ascii=False, indent=1)
    unix, windows = tmp_path / "unix.json", tmp_path / "windows.json"
    unix.write_bytes(text.encode("utf-8"))
    windows.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert _run(str(windows)) == _run(str(unix))


@pytest.mark.parametrize("raw", [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"])
def test_a_file_that_is_not_utf8_is_refused_as_before(tmp_path, raw):
    path = tmp_path / "latin.json"
    path.write_bytes(b'[{"policy": "' + raw + b'"}]')
    code, out, err = _run(str(path))
    assert (code, out) == (2, "")
    assert err.strip() == f"{path}: 文件不是 UTF-8 编码"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xef\xbb\xbf[]", "（第 1 行第 1 列）：UTF-8 byte order mark (BOM) is not supported"),
        (b'{"a":\r\n 1,\r\n', "（第 3 行第 1 列）：unexpected end of data"),
        (b"", "（第 1 行第 1 列）：Input is a zero-length, empty document"),
    ],
)
def test_broken_json_is_located_as_the_text_reader_locates_it(tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    code, out, err = _run(str(path))
    assert (code, out) == (2, "")
    assert err.strip() == f"{path}: 不是有效的 JSON{message}"


def test_every_invalid_profile_of_a_batch_is_named_and_nothing_is_written(tmp_path):
    batch = _batch()
    batch[1] = dict(batch[1], level="astronaut")
    batch[4] = dict(batch[4], continuing_education=[{"year": 2024, "category": "professional", "hours": True}])
    batch[7] = [1, 2]
    path = tmp_path / "batch.json"
    path.write_bytes(orjson.dumps(batch))
    code, out, err = _run(str(path), str(tmp_path / "absent.json"))
    assert (code, out) == (2, "")
    lines = err.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        f"{path}[1]",
        f"{path}[4]",
        f"{path}[7]",
        str(tmp_path / "absent.json"),
    ]
    assert "continuing_education[0].hours" in lines[1]


def test_released_items_are_dropped_from_their_list():
    items = ["a", "b", "c"]
    seen = []
    for item in _released(items):
        seen.append((item, items.count(None)))
    assert seen == [("a", 1), ("b", 2), ("c", 3)] and items == [None, None, None]
