"""The panel draw (专家随机抽取): reproducible from its recorded seed.

Each candidate expert gets a rank key ``sha256("<seed>:<expert id>")``; the draw takes the
candidates in the order of their keys (ties, which need a hash collision, by id). The result
depends only on the seed and the *set* of candidate ids — not on the order the database
returns them, the Python version or any process state — so anyone holding the recorded seed
and candidate list can recompute the panel. Seeds come from ``secrets``: nobody picks them,
because with a known pool, choosing the seed would be choosing the panel.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

SEED_BYTES = 16


def new_seed() -> str:
    return secrets.token_hex(SEED_BYTES)


def rank_key(seed: str, candidate: int) -> str:
    return hashlib.sha256(f"{seed}:{candidate}".encode()).hexdigest()


def draw(seed: str, candidates: Iterable[int], size: int) -> list[int]:
    """The first ``size`` of ``candidates`` in the seed's order (all of them when fewer)."""
    ordered = sorted(set(candidates), key=lambda c: (rank_key(seed, c), c))
    return ordered[:size]
