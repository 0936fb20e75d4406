"""Scoring a review against the planted problems of a generated body (expected.yaml).

A planted problem is found when a finding names its account (or a related one) in its category
or a tolerated one. A flag is right when it names a planted account in an accepted category;
a flag on a control or on an account with nothing planted is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Score:
    planted: int = 0
    found: int = 0
    flags: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.planted += other.planted
        self.found += other.found
        self.flags += other.flags
        self.right += other.right
        self.misses += other.misses
        self.wrong += other.wrong

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.flags if self.flags else 1.0


def _key(username: str) -> str:
    return username.strip().casefold()


def score(findings: dict[str, Any], expected: dict[str, Any]) -> Score:
    """Compare a findings.json object with an expected.yaml object."""
    accepted: dict[str, set[str]] = {}  # account -> categories a flag may rightly have
    for p in expected["planted"]:
        cats = {p["category"], *p.get("tolerated", [])}
        for name in [p["username"], *p.get("related", [])]:
            accepted.setdefault(_key(name), set()).update(cats)
    flagged = {(_key(f["username"]), f["category"]) for f in findings["findings"]}
    s = Score()
    for p in expected["planted"]:
        s.planted += 1
        names = [_key(n) for n in [p["username"], *p.get("related", [])]]
        if any((n, p["category"]) in flagged for n in names):
            s.found += 1
        else:
            s.misses.append(f"{p['username']} {p['category']}/{p['kind']}: {p['description']}")
    for f in findings["findings"]:
        s.flags += 1
        if f["category"] in accepted.get(_key(f["username"]), set()):
            s.right += 1
        else:
            s.wrong.append(f"{f['username']} {f['rule']} {f['category']}: {f['message']}")
    return s
