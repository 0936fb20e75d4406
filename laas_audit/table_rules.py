"""What every row of a normalised table must hold, as plain Python (no pandas).

`schemas` runs these predicates inside pandera as its fast gate, and says rule by rule what
failed only when one fails. A batch asks them directly over the tables of many bodies: pandas
and pandera are then imported (about 0.65 s a process) and a DataFrame is built only for a
body whose tables fail, to report its errors as `review` would.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from laas_audit.tables import Account, Person

ID_PATTERN = r"[0-9]{13}"
_ID_RE = re.compile(ID_PATTERN)
_SPACE_RE = re.compile(r"\s")
NO_GROUP = "(none)"  # an account without groups is a warning, not an invalid row


def missing(value: object) -> bool:
    """Tell whether a value is missing: None or NaN.

    pandas stores a missing text as either, depending on the column's other values.
    """
    return value is None or (isinstance(value, float) and value != value)


def export_row_ok(row: object, username: object, group: object, pid: object) -> bool:
    """Tell whether one membership row keeps the export's rules.

    Excel row >= 1; a username of 1-100 characters without spaces; a group of 1-500
    characters; a national ID that is absent or 13 ASCII digits.
    """
    return (
        isinstance(row, int) and row >= 1
        and isinstance(username, str) and 1 <= len(username) <= 100
        and not _SPACE_RE.search(username)
        and isinstance(group, str) and 1 <= len(group) <= 500
        and (missing(pid) or (isinstance(pid, str) and _ID_RE.fullmatch(pid) is not None))
    )


def roster_row_ok(row: object, name: object, pid: object) -> bool:
    """Tell whether one roster row keeps the rules.

    Excel row >= 1; a name of 1-500 characters; a national ID as in `export_row_ok`.
    """
    return (
        isinstance(row, int) and row >= 1
        and isinstance(name, str) and 1 <= len(name) <= 500
        and (missing(pid) or (isinstance(pid, str) and _ID_RE.fullmatch(pid) is not None))
    )


def export_records(accounts: Sequence[Account]) -> list[tuple[object, object, object, object]]:
    """List one (row, username, group, national ID) per membership.

    An account without groups (or an empty group name) gives a row with `NO_GROUP`.
    """
    return [
        (a.rows[0] if a.rows else 0, a.username, group if group != "" else NO_GROUP,
         a.national_id)
        for a in accounts
        for group in (a.groups or [""])
    ]


def roster_records(people: Sequence[Person]) -> list[tuple[object, object, object]]:
    """List one (row, full name, national ID) per person."""
    return [(p.row, p.full_name, p.national_id) for p in people]


def exports_pass(tables: Iterable[Sequence[Account]]) -> bool:
    """Tell whether every row of every export table keeps the rules."""
    return all(export_row_ok(*r) for accounts in tables for r in export_records(accounts))


def rosters_pass(tables: Iterable[Sequence[Person]]) -> bool:
    """Tell whether every row of every roster table keeps the rules."""
    return all(roster_row_ok(*r) for people in tables for r in roster_records(people))
