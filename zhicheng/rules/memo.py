"""A bounded memo: what the same inputs always give, computed once per process."""

from __future__ import annotations


class Memo(dict):
    """A bounded memo (of explanations, parsed dates, validated entries): the same inputs give
    the same value, so each is computed once per process. Once ``limit`` entries are held, new
    values are computed but no longer kept, so memory stays bounded whatever the input."""

    def __init__(self, limit: int = 20000):
        super().__init__()
        self.limit = limit

    def put(self, key, value):
        if len(self) < self.limit:
            self[key] = value
        return value
