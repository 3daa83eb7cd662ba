"""Re-seal every sealed value with the current key (after a key rotation)."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import Model

from zhicheng.core.fields import BlindIndexField, SealedCharField


def reseal_fields() -> dict[str, int]:
    """For each model with sealed fields: rows rewritten. Each value is opened with whichever key
    opens it and written back sealed with the current key; blind indexes are recomputed. One
    transaction per model, its rows locked, so a number changed meanwhile is not overwritten
    and a failure leaves the model as it was (searches meanwhile compare every key's index)."""
    counts = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, SealedCharField | BlindIndexField)]
        if not any(isinstance(f, SealedCharField) for f in fields):
            continue
        counts[model._meta.label] = _reseal_model(model, fields)
    return counts


@transaction.atomic
def _reseal_model(model: type[Model], fields: list[SealedCharField | BlindIndexField]) -> int:
    rewritten = 0
    rows = model._base_manager.select_for_update().only("pk", *[f.name for f in fields]).order_by("pk")
    for row in rows.iterator(chunk_size=1000):
        values = {
            f.attname: f.digest(getattr(row, f.source)) if isinstance(f, BlindIndexField) else getattr(row, f.attname)
            for f in fields
        }
        model._base_manager.filter(pk=row.pk).update(**values)
        rewritten += 1
    return rewritten
