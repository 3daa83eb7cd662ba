"""manage.py evaluate_profile: files, several files, stdin, batch arrays, exit 2 on bad input."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

EXAMPLES = Path(__file__).resolve().parent.parent / "rules" / "examples"


def _profile_file(tmp_path: Path, name: str, profile) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    return path


def _example_profile(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))["profile"]


def _run(*args, stdin: str | None = None):
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    try:
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        call_command("evaluate_profile", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def test_one_file_prints_one_result(tmp_path):
    path = _profile_file(tmp_path, "a.json", _example_profile("01-wz-engineer-normal.json"))
    code, out, _ = _run(str(path))
    result = json.loads(out)
    assert code == 0 and result["policy"] == "wz-jidian-2020" and result["eligible"] is True


def test_several_files_print_an_array(tmp_path):
    names = sorted(p.name for p in EXAMPLES.glob("*.json"))
    paths = [_profile_file(tmp_path, n, _example_profile(n)) for n in names]
    code, out, _ = _run(*map(str, paths))
    results = json.loads(out)
    assert code == 0 and [r["policy"] for r in results] == [_example_profile(n)["policy"] for n in names]


def test_stdin(tmp_path):
    code, out, _ = _run("-", stdin=json.dumps(_example_profile("02-wz-engineer-assessment-fail.json")))
    assert code == 0 and json.loads(out)["eligible"] is False


def test_file_with_an_array_is_a_batch(tmp_path):
    batch = [_example_profile("01-wz-engineer-normal.json")] * 3
    code, out, _ = _run(str(_profile_file(tmp_path, "batch.json", batch)))
    assert code == 0 and len(json.loads(out)) == 3


def test_invalid_input_exits_2_naming_the_field_and_prints_nothing(tmp_path):
    profile = _example_profile("01-wz-engineer-normal.json")
    profile["continuing_education"][0]["hours"] = -1
    good = _profile_file(tmp_path, "good.json", _example_profile("01-wz-engineer-normal.json"))
    bad = _profile_file(tmp_path, "bad.json", profile)
    code, out, err = _run(str(good), str(bad))
    assert code == 2 and out == ""
    assert "bad.json: continuing_education[0].hours" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("content", ["{oops", "[1, 2]", '"x"'])
def test_malformed_json_exits_2(tmp_path, content):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = _run(str(path))
    assert code == 2 and out == "" and "broken.json" in err


def test_missing_file_exits_2(tmp_path):
    code, _, err = _run(str(tmp_path / "absent.json"))
    assert code == 2 and "无法读取" in err


def test_command_line_exit_status(tmp_path):
    """The real process: exit status 2 and the field on stderr, no traceback."""
    import subprocess

    manage = Path(__file__).resolve().parents[2] / "manage.py"
    profile = _example_profile("01-wz-engineer-normal.json")
    profile["bogus"] = True
    path = _profile_file(tmp_path, "bogus.json", profile)
    completed = subprocess.run(  # noqa: S603 - our own manage.py with a temp file
        [sys.executable, str(manage), "evaluate_profile", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "bogus" in completed.stderr and "Traceback" not in completed.stderr


def test_a_batch_among_several_files_nests_its_array(tmp_path):
    single = _profile_file(tmp_path, "one.json", _example_profile("01-wz-engineer-normal.json"))
    batch = _profile_file(tmp_path, "many.json", [_example_profile("05-wz-technician-skill.json")] * 2)
    code, out, _ = _run(str(single), str(batch))
    results = json.loads(out)
    assert code == 0 and isinstance(results[0], dict) and [r["level"] for r in results[1]] == ["technician"] * 2


def test_pretty_output_is_the_same_document(tmp_path):
    path = _profile_file(tmp_path, "a.json", _example_profile("01-wz-engineer-normal.json"))
    _, compact, _ = _run(str(path))
    _, pretty, _ = _run(str(path), "--pretty")
    assert "\n  " in pretty and json.loads(pretty) == json.loads(compact)


def test_an_invalid_profile_inside_a_batch_is_named_by_index(tmp_path):
    broken = _example_profile("01-wz-engineer-normal.json")
    broken["level"] = "astronaut"
    path = _profile_file(tmp_path, "batch.json", [_example_profile("01-wz-engineer-normal.json"), broken])
    code, out, err = _run(str(path))
    assert code == 2 and out == "" and "batch.json[1]: level" in err


def test_command_line_writes_utf8_json_to_stdout(tmp_path):
    """The real process writes bytes straight to stdout: valid UTF-8 JSON with Chinese text."""
    import subprocess

    manage = Path(__file__).resolve().parents[2] / "manage.py"
    path = _profile_file(tmp_path, "batch.json", [_example_profile("01-wz-engineer-normal.json")] * 2)
    completed = subprocess.run(  # noqa: S603 - our own manage.py with a temp file
        [sys.executable, str(manage), "evaluate_profile", str(path)], capture_output=True, check=False
    )
    assert completed.returncode == 0
    results = json.loads(completed.stdout.decode("utf-8"))
    assert len(results) == 2 and "温职改办" in results[0]["routes"][0]["clause"]
