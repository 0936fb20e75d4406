"""Build a ReviewContext from the plain rows of a rule case (tests/rule_cases/*.yml).

A case gives export rows (one per account, `groups` a list) and roster rows as the readers
would produce them; this module fills in what the readers would (names split and normalised,
Excel row numbers, the columns the file had) and matches accounts with the real matcher.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from laas_audit.checks.base import ReviewContext
from laas_audit.errors import column_letter
from laas_audit.matching import match_accounts
from laas_audit.names import split_name
from laas_audit.policy import Policy, load_policy
from laas_audit.tables import Account, BodyInfo, ExportTable, Person, RosterTable, SourceFile
from laas_audit.thai import normalise_text

DEFAULT_AS_OF = date(2026, 6, 30)
EXPORT_HEADER_ROW = 4  # a short title block above the header, as real reports have
ROSTER_HEADER_ROW = 2

_ACCOUNT_FIELDS = {
    "username",
    "full_name",
    "national_id",
    "position",
    "unit",
    "status",
    "created",
    "last_login",
    "password_changed",
    "email",
    "phone",
    "groups",
    "row",
}
_PERSON_FIELDS = {
    "full_name",
    "national_id",
    "position",
    "unit",
    "employment_type",
    "status",
    "status_date",
    "birth_date",
    "note",
    "username",
    "row",
}
_DATES = {"created", "last_login", "password_changed", "status_date", "birth_date"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = normalise_text(str(value))
    return text or None


def _date(value: Any, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{field}: {value!r} is not an ISO date") from None


def _check(row: dict[str, Any], allowed: set[str], what: str) -> None:
    unknown = set(row) - allowed
    if unknown:
        raise ValueError(f"unknown {what} field(s) {sorted(unknown)} in {row}")


def build_account(row: dict[str, Any], excel_row: int) -> Account:
    """One export row of a case as the export reader would fold it into an Account."""
    _check(row, _ACCOUNT_FIELDS, "export")
    full = _text(row.get("full_name"))
    parts = split_name(full) if full else None
    groups = row.get("groups") or []
    if isinstance(groups, str):
        groups = [groups]
    return Account(
        username=str(row["username"]),
        full_name=full,
        prefix=parts.prefix if parts else None,
        first_name=parts.first if parts else None,
        last_name=parts.last if parts else None,
        national_id=_text(row.get("national_id")),
        position=_text(row.get("position")),
        unit=_text(row.get("unit")),
        status=_text(row.get("status")),
        created=_date(row.get("created"), "created"),
        last_login=_date(row.get("last_login"), "last_login"),
        password_changed=_date(row.get("password_changed"), "password_changed"),
        email=_text(row.get("email")),
        phone=_text(row.get("phone")),
        groups=[normalise_text(str(g)) for g in groups],
        rows=[int(row.get("row", excel_row))],
        full_name_raw=row.get("full_name"),
    )


def build_person(row: dict[str, Any], excel_row: int) -> Person:
    """One roster row of a case as the roster reader would produce it."""
    _check(row, _PERSON_FIELDS, "roster")
    full = _text(row.get("full_name")) or ""
    parts = split_name(full)
    return Person(
        row=int(row.get("row", excel_row)),
        full_name=full,
        prefix=parts.prefix,
        first_name=parts.first or None,
        last_name=parts.last or None,
        national_id=_text(row.get("national_id")),
        position=_text(row.get("position")),
        unit=_text(row.get("unit")),
        employment_type=_text(row.get("employment_type")),
        status=_text(row.get("status")),
        status_date=_date(row.get("status_date"), "status_date"),
        birth_date=_date(row.get("birth_date"), "birth_date"),
        note=_text(row.get("note")),
        username=_text(row.get("username")),
        full_name_raw=row.get("full_name"),
    )


def _columns(rows: list[dict[str, Any]]) -> dict[str, str]:
    """The fields the file "had": every key any row gives (a key on no row = no such column)."""
    fields: dict[str, str] = {}
    for row in rows:
        for key in row:
            if key != "row":
                fields.setdefault(key, key)
    return fields


def _letters(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Excel letters of the fields, in the order they first appear, after column A (ลำดับ)."""
    return {f: column_letter(i + 1) for i, f in enumerate(_columns(rows))}


def build_tables(case: dict[str, Any]) -> tuple[ExportTable, RosterTable]:
    """The export and roster tables of a case."""
    export_rows = case.get("export") or []
    roster_rows = case.get("roster") or []
    accounts = [build_account(r, EXPORT_HEADER_ROW + 1 + i) for i, r in enumerate(export_rows)]
    people = [build_person(r, ROSTER_HEADER_ROW + 1 + i) for i, r in enumerate(roster_rows)]
    body = BodyInfo("องค์การบริหารส่วนตำบลหนองบัวทอง", "เมืองทดสอบ", "ชัยภูมิ")
    export = ExportTable(
        source=SourceFile(
            path="export.xlsx",
            name="export.xlsx",
            sha256="0" * 64,
            sheet="รายงาน",
            header_row=EXPORT_HEADER_ROW,
            columns=_columns(export_rows),
            rows=len(export_rows),
            letters=_letters(export_rows),
        ),
        body=body,
        as_of=None,
        accounts=accounts,
    )
    roster = RosterTable(
        source=SourceFile(
            path="roster.xlsx",
            name="roster.xlsx",
            sha256="1" * 64,
            sheet="บุคลากร",
            header_row=ROSTER_HEADER_ROW,
            columns=_columns(roster_rows),
            rows=len(roster_rows),
        ),
        body=body,
        people=people,
    )
    return export, roster


def policy_for(case: dict[str, Any], tmp_dir: Path | None = None) -> Policy:
    """The default policy, or the default merged with the case's `policy:` overrides."""
    overrides = case.get("policy")
    if not overrides:
        return load_policy()
    if tmp_dir is None:
        raise ValueError("a case with policy overrides needs a temporary folder")
    path = tmp_dir / "case-policy.yaml"
    path.write_text(yaml.safe_dump(overrides, allow_unicode=True), encoding="utf-8")
    return load_policy(path)


def build_context(
    case: dict[str, Any], policy: Policy | None = None, tmp_dir: Path | None = None
) -> ReviewContext:
    """A ReviewContext for a case: tables, policy, as-of date and the real matching."""
    policy = policy or policy_for(case, tmp_dir)
    export, roster = build_tables(case)
    as_of = _date(case.get("as_of"), "as_of") or DEFAULT_AS_OF
    matches = match_accounts(export.accounts, roster.people, policy, as_of=as_of)
    return ReviewContext(as_of=as_of, policy=policy, export=export, roster=roster, matches=matches)
