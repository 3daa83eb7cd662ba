"""Model fields for personal identifiers kept encrypted at rest (see ``zhicheng.core.crypto``).

A ``SealedCharField`` holds the plain value in Python and its ciphertext in the database; it
cannot be queried (every lookup but ``isnull`` is refused, so a forgotten ``filter(id_number=…)``
fails loudly instead of silently matching nothing). Its ``BlindIndexField`` keeps the keyed
hash in step on every save; search and uniqueness go through the index::

    id_number = SealedCharField("证件号码", max_length=18, null=True, blank=True)
    id_number_index = BlindIndexField(source="id_number", unique=True, null=True)

    User.objects.filter(id_number_index__in=blind_indexes(number))  # every key during a rotation
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import class_prepared
from django.dispatch import receiver

from zhicheng.core.crypto import blind_index, seal, unseal


class SealedCharField(models.CharField):
    """A short text validated as a ``CharField`` (``max_length`` counts plain characters) and
    stored sealed in a ``text`` column."""

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return unseal(value) if value else value

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        return seal(value) if value else value

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None


class _IndexedAttribute(DeferredAttribute):
    """The source field's attribute: assigning a value also assigns its blind index, so the
    index is right before the row is validated (``full_clean`` checks unique constraints)."""

    def __init__(self, field: models.Field, index: BlindIndexField) -> None:
        super().__init__(field)
        self.index = index

    def __set__(self, instance: models.Model, value: str | None) -> None:
        instance.__dict__[self.field.attname] = value
        instance.__dict__[self.index.attname] = self.index.digest(value)


class BlindIndexField(models.CharField):
    """The blind index of the field named ``source``, kept in step when the
    source is assigned and again when the row is saved (include it in ``update_fields`` together
    with its source)."""

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs["editable"] = False
        if not kwargs.get("null"):
            kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def digest(self, value: str | None) -> str | None:
        if value:
            return blind_index(value)
        return None if self.null else ""

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        digest = self.digest(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, digest)
        return digest


@receiver(class_prepared)
def _keep_indexes_in_step(sender: type[models.Model], **kwargs: Any) -> None:
    """Once a model has all its fields, make each indexed source keep its index in step."""
    for field in sender._meta.local_fields:
        if isinstance(field, BlindIndexField):
            setattr(sender, field.source, _IndexedAttribute(sender._meta.get_field(field.source), field))
