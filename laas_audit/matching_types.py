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
    # Roster rows that carry the person's one national ID (a repeated row, or an old row beside
    # the current one): `person` is the row used. With `person` None the rows differ and which
    # is current could not be told: the person IS on the roster, the row waits for a human.
    same_id_rows: tuple[int, ...] = ()
    # Why a human should confirm this match (a line of matches-to-confirm.csv); "" when not.
    confirm_reason: str = ""
