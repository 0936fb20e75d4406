"""Bounded memos: the hot functions remember their answers in a plain dict, emptied when full.

Values repeat within a body and across a batch (group names, positions, dates, IDs, names), so
normalising, parsing and checking remember what they worked out. A dict `get` is the cheapest
look-up Python has, so callers keep their own dict and read it themselves; only storing goes
through `remember`, which empties a full memo instead of evicting piece by piece: a long batch
stays bounded in memory at the cost of one cold start.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

LIMIT = 20_000  # entries per memo


def remember(memo: dict[K, V], key: K, value: V, limit: int = LIMIT) -> V:
    """Store `value` under `key` (emptying `memo` first when it is full) and return it."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value
