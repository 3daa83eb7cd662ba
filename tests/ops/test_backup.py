"""Backup and restore (``ops/backup.py``): dump the stack's database and files, restore them
into a fresh database and folder, and compare row counts, files and the audit chain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ops.conftest import ROOT, Stack, _drop_database

pytestmark = pytest.mark.ops


def backup_tool(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "ops" / "backup.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def counts(stack: Stack, database: str) -> dict[str, int]:
    import psycopg

    from ops.backup import row_counts

    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{database}") as conn:
        return row_counts(conn)


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for sub in ("private", "media")
        if (folder / sub).is_dir()
        for p in (folder / sub).rglob("*")
        if p.is_file()
    }


@pytest.fixture
def restored_name(stack: Stack):
    names = [f"{stack.name}_restored", f"{stack.name}_tampered"]
    yield names
    for name in names:
        _drop_database(name)


def test_backup_then_restore_into_a_fresh_database_gives_the_same_rows_files_and_audit_chain(
    stack: Stack, tmp_path: Path, restored_name: list[str]
):
    source_env = stack.direct_env  # the database itself, not through the proxy
    dest, new_var = tmp_path / "backup", tmp_path / "restored-var"

    made = backup_tool("backup", str(dest), env=source_env)
    assert made.returncode == 0, made.stderr
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["tables"]["applications_application"] > 0 and manifest["files"]
    assert manifest["audit_head"]

    restored_url = f"postgres://postgres@127.0.0.1:5432/{restored_name[0]}"
    back = backup_tool("restore", str(dest), "--database-url", restored_url, "--var-dir", str(new_var), env=source_env)
    assert back.returncode == 0, back.stdout + back.stderr
    assert "restored and verified" in back.stdout

    # Checked here too, independently of the tool's own report.
    assert counts(stack, restored_name[0]) == manifest["tables"]
    assert files(new_var) == {name: (stack.var / name).read_bytes() for name in manifest["files"]}
    chain = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "verify_audit_chain"],
        cwd=ROOT,
        env={**source_env, "DATABASE_URL": restored_url, "ZHICHENG_VAR_DIR": str(new_var)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert chain.returncode == 0 and "操作日志完好" in chain.stdout, chain.stderr
    assert stack.sql("SELECT last_hash FROM core_audithead")[0][0] == manifest["audit_head"]

    # A restore that does not match its backup is reported, not passed.
    manifest["tables"]["applications_application"] += 1
    (dest / "manifest.json").write_text(json.dumps(manifest))
    tampered_url = f"postgres://postgres@127.0.0.1:5432/{restored_name[1]}"
    bad = backup_tool(
        "restore", str(dest), "--database-url", tampered_url, "--var-dir", str(tmp_path / "v2"), env=source_env
    )
    assert bad.returncode == 1 and "DIFFERS: table applications_application" in bad.stderr

    # Restoring over a database that has tables is refused.
    again = backup_tool("restore", str(dest), "--database-url", restored_url, "--var-dir", str(new_var), env=source_env)
    assert again.returncode != 0 and "already has tables" in again.stderr
