"""Pages of long sorted lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from django.db.models import Model, QuerySet


class KeysFirst(Sequence):
    """``queryset`` for a ``Paginator``, each page read in two steps: the page's primary keys in
    the queryset's order (the database sorts narrow rows, or walks an index), then those rows
    with every column and join the page shows.

    One office's waiting list (several thousand applications across two organisations, say)
    then sorts a few bytes per application instead of its whole joined row; the page costs
    one query more.
    """

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Model: ...

    @overload
    def __getitem__(self, index: slice) -> list[Model]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            return self[index : index + 1][0]
        keys = list(self.queryset.values_list("pk", flat=True)[index])
        rows = self.queryset.order_by().in_bulk(keys)
        # A row that left the queryset between the two reads (a colleague approved it) is
        # left out: the page is one shorter, as if it had been read a moment later.
        return [rows[key] for key in keys if key in rows]
