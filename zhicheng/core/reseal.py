"""Re-seal every sealed value with the current key (after a key rotation)."""

from __future__ import annotations

from django.apps import apps

from zhicheng.core.fields import BlindIndexField, SealedCharField


def reseal_fields() -> dict[str, int]:
    """For each model with sealed fields: rows rewritten. Each value is opened with whichever key
    opens it and written back sealed with the current key; blind indexes are recomputed."""
    counts = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, SealedCharField | BlindIndexField)]
        if not any(isinstance(f, SealedCharField) for f in fields):
            continue
        rewritten = 0
        rows = model._base_manager.only("pk", *[f.name for f in fields]).order_by("pk")
        for row in rows.iterator(chunk_size=1000):
            values = {
                f.attname: f.digest(getattr(row, f.source))
                if isinstance(f, BlindIndexField)
                else getattr(row, f.attname)
                for f in fields
            }
            model._base_manager.filter(pk=row.pk).update(**values)
            rewritten += 1
        counts[model._meta.label] = rewritten
    return counts
