"""What every check receives and returns.

A check is a small function `(ctx: ReviewContext) -> Iterable[Hit]`. It does not know its own code,
severity or words: those are data in `rules/catalogue.yaml`, joined to the function by the explicit
registry in `laas_audit/checks/__init__.py`. The review engine turns hits into `Finding`s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from laas_audit.matching_types import Match
from laas_audit.model import Severity
from laas_audit.policy import Policy
from laas_audit.tables import Account, ExportTable, Person, RosterTable


@dataclass
class ReviewContext:
    """One body's normalised inputs, matches and policy, as of one date."""

    as_of: date
    policy: Policy
    export: ExportTable
    roster: RosterTable
    matches: dict[str, Match]  # Account.key -> Match
    # The checks ask for an account's match ~400 times a body; finding the export's accounts by
    # identity spares folding the username (`Account.key`) each time.
    _by_id: dict[int, Match] = field(default_factory=dict, init=False, repr=False)
    # What the shared helpers (checks/_common.py) work out once per review and every rule
    # asks again: the active accounts, each account's seat.
    memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for account in self.export.accounts:
            found = self.matches.get(account.key)
            if found is not None:
                self._by_id[id(account)] = found

    def match(self, account: Account) -> Match:
        """Return the match of an account (method "none" when matching skipped it)."""
        found = self._by_id.get(id(account))
        if found is None:
            found = self.matches.get(account.key)
        return found or Match(method="none")

    def person(self, account: Account) -> Person | None:
        """Return the roster person behind an account, if matched."""
        return self.match(account).person


@dataclass
class Hit:
    """One thing a check found about one account."""

    account: Account
    message_th: str
    message_en: str
    evidence: dict[str, Any] = field(default_factory=dict)
    detail: str = ""  # tells apart several hits of one rule on one account (part of the id)
    groups: list[str] | None = None  # the groups concerned; None means all the account's groups
    severity: Severity | None = None  # overrides the catalogue's (e.g. a conflict pair's own)


CheckFn = Callable[[ReviewContext], Iterable[Hit]]
