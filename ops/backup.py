"""Back up and restore Zhicheng: the PostgreSQL database and the files (private evidence,
letters, exports; public media), with a manifest that the restore checks against.

    # back up (the database as one consistent snapshot, then the files)
    DATABASE_URL=postgres://zhicheng@db/zhicheng ZHICHENG_VAR_DIR=/srv/zhicheng/var \\
        .venv/bin/python ops/backup.py backup /backups/zhicheng-2026-11-23

    # restore into a NEW, empty database and a new files folder, then verify
    .venv/bin/python ops/backup.py restore /backups/zhicheng-2026-11-23 \\
        --database-url postgres://zhicheng@db/zhicheng_restored --var-dir /srv/zhicheng/var-restored

A backup folder holds ``database.dump`` (``pg_dump --format=custom``), ``files.tar`` (the
``private/`` and ``media/`` folders of ``ZHICHENG_VAR_DIR``) and ``manifest.json``: the row
count of every table and the audit chain's head, read in the same snapshot as the dump
(``pg_dump --snapshot``), and the SHA-256 of every file.

``restore`` creates the database (refusing one that has tables), runs ``pg_restore``,
unpacks the files, and verifies: every table's row count equals the manifest's, every file's
checksum matches, every file a row refers to exists, the audit chain verifies
(``manage.py verify_audit_chain``) and ends at the manifest's head. It exits 1 naming what
differs. With object storage (``ZHICHENG_STORAGE_BACKEND=s3``) the files are not in the
folder: back up the bucket with its own versioning or replication (docs/deployment.md).

Files and the database cannot be read in one instant: a file deleted between the dump and
the archive (a draft's attachment replaced) would be missing; the restore's check names it.
Run backups at a quiet hour or from the replica (docs/deployment.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("private", "media")


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"{name} not found: install the PostgreSQL client programs (Debian: postgresql-client)")
    return path


def _tables(conn: Any) -> list[str]:
    rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()
    return [r[0] for r in rows]


def row_counts(conn: Any) -> dict[str, int]:
    from psycopg import sql

    return {
        table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
        for table in _tables(conn)
    }


def audit_head(conn: Any) -> str | None:
    row = conn.execute("SELECT last_hash FROM core_audithead WHERE id = 1").fetchone()
    return row[0] if row else None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_sums(var: Path) -> dict[str, str]:
    sums = {}
    for folder in FOLDERS:
        base = var / folder
        if base.is_dir():
            for path in sorted(p for p in base.rglob("*") if p.is_file()):
                sums[str(path.relative_to(var))] = sha256(path)
    return sums


def backup(dest: Path, database_url: str, var: Path) -> dict[str, Any]:
    import psycopg

    dest.mkdir(parents=True, exist_ok=True)
    started = time.time()
    # One snapshot for the dump and the manifest: counts and the audit head match the dump.
    with psycopg.connect(database_url) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        subprocess.run(  # noqa: S603
            [
                _program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={dest / 'database.dump'}",
                f"--dbname={database_url}",
            ],
            check=True,
        )
        counts, head = row_counts(conn), audit_head(conn)
        conn.execute("COMMIT")
    sums = file_sums(var)
    with tarfile.open(dest / "files.tar", "w") as tar:
        for name in sums:
            tar.add(var / name, arcname=name)
    manifest = {
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(time.time() - started, 1),
        "tables": counts,
        "audit_head": head,
        "files": sums,
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def _create_empty(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(database_url) as conn:
        if _tables(conn):
            raise SystemExit(f"refusing to restore into {name!r}: it already has tables")


def _referenced_files(env: dict[str, str]) -> list[str]:
    """Names of files that rows refer to and that are missing from the restored storage."""
    code = (
        "import json, django\n"
        "django.setup()\n"
        "from django.apps import apps\n"
        "from django.db import models\n"
        "missing = []\n"
        "for model in apps.get_models():\n"
        "    for field in model._meta.concrete_fields:\n"
        "        if isinstance(field, models.FileField):\n"
        "            names = model._base_manager.exclude(**{field.name: ''}).values_list(field.name, flat=True)\n"
        "            for name in names.iterator():\n"
        "                if name and not field.storage.exists(name):\n"
        "                    missing.append(f'{model._meta.label}.{field.name}: {name}')\n"
        "print(json.dumps(missing))\n"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def restore(source: Path, database_url: str, var: Path) -> list[str]:
    """Restore and verify; returns the differences found (empty: the restore is faithful)."""
    import psycopg

    manifest = json.loads((source / "manifest.json").read_text())
    _create_empty(database_url)
    subprocess.run(  # noqa: S603
        [
            _program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={database_url}",
            str(source / "database.dump"),
        ],
        check=True,
    )
    var.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "files.tar") as tar:
        tar.extractall(var, filter="data")

    problems = []
    with psycopg.connect(database_url) as conn:
        counts, head = row_counts(conn), audit_head(conn)
    for table in sorted(set(counts) | set(manifest["tables"])):
        if counts.get(table) != manifest["tables"].get(table):
            problems.append(
                f"table {table}: {manifest['tables'].get(table)} rows backed up, {counts.get(table)} restored"
            )
    if head != manifest["audit_head"]:
        problems.append("audit chain head differs from the backup's")
    restored = file_sums(var)
    for name, digest in manifest["files"].items():
        if restored.get(name) != digest:
            problems.append(f"file {name}: {'missing' if name not in restored else 'checksum differs'}")

    env = {**os.environ, "DATABASE_URL": database_url, "ZHICHENG_VAR_DIR": str(var)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
    chain = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "verify_audit_chain"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if chain.returncode != 0:
        problems.append(f"audit chain: {(chain.stderr or chain.stdout).strip()}")
    problems += [f"file referenced but missing: {m}" for m in _referenced_files(env)]
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description="Back up or restore Zhicheng (PostgreSQL and files).")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("backup", help="dump the database and the files into DEST")
    b.add_argument("dest", type=Path)
    r = sub.add_parser("restore", help="restore SOURCE into a new database and files folder, then verify")
    r.add_argument("source", type=Path)
    r.add_argument("--database-url", required=True, help="a new (empty) PostgreSQL database")
    r.add_argument("--var-dir", required=True, type=Path, help="the new ZHICHENG_VAR_DIR")
    args = parser.parse_args()
    if args.command == "backup":
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("DATABASE_URL must name the PostgreSQL database to back up")
        var = Path(os.environ.get("ZHICHENG_VAR_DIR", ROOT / "var"))
        manifest = backup(args.dest, url, var)
        rows = sum(manifest["tables"].values())
        print(
            f"backed up {len(manifest['tables'])} tables ({rows} rows), {len(manifest['files'])} files to {args.dest}"
        )
    else:
        problems = restore(args.source, args.database_url, args.var_dir)
        for problem in problems:
            print(f"DIFFERS: {problem}", file=sys.stderr)
        if problems:
            raise SystemExit(1)
        print("restored and verified: row counts, files, file references and the audit chain match the backup")


if __name__ == "__main__":
    main()
