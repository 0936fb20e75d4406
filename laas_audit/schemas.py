"""pandera schemas for the folded tables: the last gate before anything downstream sees them.

The readers build these frames only for validation (the tables themselves are dataclasses), and
validate lazily so one `InputError` lists every problem of a file with its Excel rows. The row
rules themselves are `table_rules` (no pandas), which a batch asks directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from laas_audit.errors import InputError, Location
from laas_audit.table_rules import (
    ID_PATTERN,
    export_records,
    export_row_ok,
    roster_records,
    roster_row_ok,
)
from laas_audit.tables import Account, Person


@dataclass(frozen=True)
class _Rule:
    th: str
    en: str
    column: str  # the column whose value the message shows


# Check name -> what it means for a person reading the error.
_RULES = {
    "username_text": _Rule(
        "ชื่อผู้ใช้ว่างหรือยาวเกิน 100 ตัวอักษร", "username empty or over 100 chars", "username"
    ),
    "username_no_space": _Rule(
        "ชื่อผู้ใช้มีช่องว่าง (คอลัมน์ชื่อผู้ใช้อาจผิด)",
        "username contains a space (is the username column right?)",
        "username",
    ),
    "group_text": _Rule(
        "ชื่อกลุ่มว่างหรือยาวเกิน 500 ตัวอักษร", "group name empty or over 500 chars", "group"
    ),
    "national_id_digits": _Rule(
        "เลขประจำตัวประชาชนไม่ใช่ตัวเลข 13 หลัก", "national ID is not 13 digits", "national_id"
    ),
    "row_positive": _Rule("เลขแถวไม่ถูกต้อง", "invalid row number", "row"),
    "name_text": _Rule("ชื่อ-สกุลว่างหรือยาวเกิน 500 ตัวอักษร", "name empty or over 500 chars",
                       "full_name"),
}


def _rule(name: str, test: Callable[[pd.DataFrame], pd.Series]) -> pa.Check:
    # DataFrame-level checks on columns we built ourselves: pandera's per-column dtype checks
    # cost milliseconds each, and batch runs validate thousands of tables.
    return pa.Check(test, name=name)


def _id_ok(ids: pd.Series) -> pd.Series:
    return ids.isna() | ids.fillna("").astype(str).str.fullmatch(ID_PATTERN)

# One row per membership (account x group), account attributes repeated.
EXPORT = pa.DataFrameSchema(
    checks=[
        _rule("username_text", lambda d: d["username"].str.len().between(1, 100)),
        _rule("username_no_space", lambda d: ~d["username"].str.contains(r"\s", regex=True)),
        _rule("group_text", lambda d: d["group"].str.len().between(1, 500)),
        _rule("national_id_digits", lambda d: _id_ok(d["national_id"])),
        _rule("row_positive", lambda d: d["row"] >= 1),
    ],
)

ROSTER = pa.DataFrameSchema(
    checks=[
        _rule("name_text", lambda d: d["full_name"].str.len().between(1, 500)),
        _rule("national_id_digits", lambda d: _id_ok(d["national_id"])),
        _rule("row_positive", lambda d: d["row"] >= 1),
    ],
)


def _export_fast(frame: pd.DataFrame) -> pd.Series:
    cols = (frame["row"].tolist(), frame["username"].tolist(), frame["group"].tolist(),
            frame["national_id"].tolist())
    return pd.Series([export_row_ok(*t) for t in zip(*cols, strict=True)], index=frame.index)


def _roster_fast(frame: pd.DataFrame) -> pd.Series:
    cols = (frame["row"].tolist(), frame["full_name"].tolist(), frame["national_id"].tolist())
    return pd.Series([roster_row_ok(*t) for t in zip(*cols, strict=True)], index=frame.index)


# The fast gate: every rule above in one check, row by row in Python (tables are small, and each
# vectorised pandas operation has a fixed cost that dominates at this size). Only a failing table
# is validated again rule by rule, to say what failed where.
EXPORT_FAST = pa.DataFrameSchema(checks=[pa.Check(_export_fast, name="all_rules")])
ROSTER_FAST = pa.DataFrameSchema(checks=[pa.Check(_roster_fast, name="all_rules")])


def _export_frame(accounts: Sequence[Account]) -> pd.DataFrame:
    return pd.DataFrame(export_records(accounts), columns=["row", "username", "group",
                                                           "national_id"])


def _roster_frame(people: Sequence[Person]) -> pd.DataFrame:
    return pd.DataFrame(roster_records(people), columns=["row", "full_name", "national_id"])


def validate_export(accounts: Sequence[Account], file: str, sheet: str | None) -> None:
    """Validate folded accounts and their memberships; raise one `InputError` listing all."""
    _raise(_run(EXPORT_FAST, EXPORT, _export_frame(accounts)), file, sheet, "export")


def validate_roster(people: Sequence[Person], file: str, sheet: str | None) -> None:
    """Validate roster people; raise one `InputError` listing every problem with its row."""
    _raise(_run(ROSTER_FAST, ROSTER, _roster_frame(people)), file, sheet, "roster")


def _run(
    fast: pa.DataFrameSchema, schema: pa.DataFrameSchema, frame: pd.DataFrame
) -> list[tuple[int, str, str]]:
    """List (Excel row, Thai, English) for every failure; empty when the frame is valid."""
    try:
        fast.validate(frame, lazy=True)
        return []
    except SchemaErrors:
        pass
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        out: list[tuple[int, str, str]] = []
        for case in exc.failure_cases.itertuples(index=False):
            rule = _RULES.get(str(case.check), _Rule(str(case.check), str(case.check), ""))
            if rule.column and case.column != rule.column:
                continue  # a frame-level check lists every column of a failing row
            index = case.index
            row = int(frame["row"].iloc[int(index)]) if _is_int(index) else 0
            value = "" if case.failure_case is None else f" '{case.failure_case}'"
            out.append((row, f"{rule.th}{value}", f"{rule.en}{value}"))
        return sorted(set(out))
    return []


def _is_int(value: object) -> bool:
    try:
        int(str(value))
    except ValueError:
        return False
    return True


def _raise(problems: list[tuple[int, str, str]], file: str, sheet: str | None, kind: str) -> None:
    if not problems:
        return
    what_th = "รายงานผู้ใช้งาน" if kind == "export" else "ทะเบียนบุคลากร"
    what_en = "user report" if kind == "export" else "HR roster"
    first_row = problems[0][0] or None
    raise InputError(
        Location(file=file, sheet=sheet, row=first_row),
        f"ข้อมูลใน{what_th}ไม่ผ่านการตรวจสอบ {len(problems)} รายการ",
        f"{len(problems)} problem(s) in the {what_en} data",
        "แก้ไขแถวที่ระบุในไฟล์ หรือระบุคอลัมน์ให้ถูกด้วย --mapping แล้วลองใหม่",
        "Fix the rows listed in the file, or name the right columns with --mapping, then retry.",
        problems=[f"row {row} / แถว {row}: {en} / {th}" for row, th, en in problems],
    )
