"""The result of matching one account to the roster (produced by `matching`, read by checks)."""

from __future__ import annotations

from dataclasses import dataclass, field

from laas_audit.model import Candidate, MatchMethod
from laas_audit.tables import Person


@dataclass
class Match:
    """How one account was tied to a roster person, or why it was not."""

    method: MatchMethod
    score: float | None = None
    person: Person | None = None
    candidates: list[Candidate] = field(default_factory=list)
