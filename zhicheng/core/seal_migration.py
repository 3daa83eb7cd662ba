"""Migration step that seals the plain values a column already holds (and fills its index).

Used between altering a ``CharField`` into a ``SealedCharField`` (both are text columns by
then) and making the index unique. It reads and writes the raw column, since the historical
model's field would try to open the plain values; reversing it opens them again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from zhicheng.core.crypto import blind_index, seal, unseal

BATCH = 1000


def seal_column(app_label: str, model_name: str, column: str, index: str | None = None) -> migrations.RunPython:
    def forward(apps: Any, schema_editor: Any) -> None:
        _rewrite(apps, schema_editor, lambda plain: (seal(plain), blind_index(plain)), with_index=bool(index))

    def backward(apps: Any, schema_editor: Any) -> None:
        # the index column is dropped right after: leave it as it is
        _rewrite(apps, schema_editor, lambda sealed: (unseal(sealed), None), with_index=False)

    def _rewrite(apps: Any, schema_editor: Any, convert: Any, *, with_index: bool) -> None:
        table = schema_editor.quote_name(apps.get_model(app_label, model_name)._meta.db_table)
        col = schema_editor.quote_name(column)
        targets = f"{col} = %s" + (f", {schema_editor.quote_name(index)} = %s" if with_index else "")
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {col} FROM {table} WHERE {col} IS NOT NULL AND {col} <> ''")  # noqa: S608
            rows = cursor.fetchall()
            for start in range(0, len(rows), BATCH):
                params = []
                for pk, value in rows[start : start + BATCH]:
                    new_value, digest = convert(value)
                    params.append((new_value, digest, pk) if with_index else (new_value, pk))
                cursor.executemany(f"UPDATE {table} SET {targets} WHERE id = %s", params)  # noqa: S608

    return migrations.RunPython(forward, backward, elidable=False)
