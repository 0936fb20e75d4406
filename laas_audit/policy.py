"""The review policy: group classes, position families, the matrix and thresholds, as data.

Loaded from `rules/policy.yaml` (shipped with the package) and optionally deep-merged with a
user's `--policy FILE`. Everything is validated and precomputed at load, because batch runs
consult it for tens of thousands of accounts. (Work in progress: full content lands next.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Policy:
    """A loaded, validated policy (placeholder shape; helpers land in the next commit)."""

    version: str = ""
    citation: str = ""
    thresholds: dict[str, float] = field(default_factory=dict)


def load_policy(extra: Path | None = None) -> Policy:
    """Load the default policy, deep-merged with `extra` when given."""
    return Policy()
