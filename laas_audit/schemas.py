"""pandera schemas for the folded tables: the last gate before anything downstream sees them.

The readers build these frames only for validation (the tables themselves are dataclasses), and
validate lazily so one `InputError` lists every problem of a file with its Excel rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from laas_audit.errors import InputError, Location
from laas_audit.tables import Account, Person


@dataclass(frozen=True)
class _Rule:
    th: str
    en: str


# Check name -> what it means for a person reading the error.
_RULES = {
    "username_text": _Rule("ชื่อผู้ใช้ว่างหรือยาวเกิน 100 ตัวอักษร", "username empty or over 100 chars"),
    "username_no_space": _Rule(
        "ชื่อผู้ใช้มีช่องว่าง (คอลัมน์ชื่อผู้ใช้อาจผิด)",
        "username contains a space (is the username column right?)",
    ),
    "username_unique": _Rule("ชื่อผู้ใช้ซ้ำ", "duplicate username"),
    "group_text": _Rule("ชื่อกลุ่มว่างหรือยาวเกิน 500 ตัวอักษร", "group name empty or over 500 chars"),
    "national_id_digits": _Rule(
        "เลขประจำตัวประชาชนไม่ใช่ตัวเลข 13 หลัก", "national ID is not 13 digits"
    ),
    "row_positive": _Rule("เลขแถวไม่ถูกต้อง", "invalid row number"),
    "name_text": _Rule("ชื่อ-สกุลว่าง", "empty name"),
}


def _check(rule: str, check: pa.Check) -> pa.Check:
    check.name = rule
    return check


_ROW = pa.Column(int, _check("row_positive", pa.Check.ge(1)))
_ID = pa.Column(
    str, _check("national_id_digits", pa.Check.str_matches(r"^[0-9]{13}$")), nullable=True
)

ACCOUNTS = pa.DataFrameSchema(
    {
        "row": _ROW,
        "username": pa.Column(
            str,
            [
                _check("username_text", pa.Check.str_length(1, 100)),
                _check("username_no_space", pa.Check.str_matches(r"^\S+$")),
            ],
        ),
        "key": pa.Column(str, _check("username_unique", pa.Check(lambda s: ~s.duplicated()))),
        "national_id": _ID,
    },
    strict=True,
)

MEMBERSHIPS = pa.DataFrameSchema(
    {
        "row": _ROW,
        "username": pa.Column(str),
        "group": pa.Column(str, _check("group_text", pa.Check.str_length(1, 500))),
    },
    strict=True,
)

PEOPLE = pa.DataFrameSchema(
    {
        "row": _ROW,
        "full_name": pa.Column(str, _check("name_text", pa.Check.str_length(1, 500))),
        "national_id": _ID,
    },
    strict=True,
)


def validate_export(
    accounts: Sequence[Account], file: str, sheet: str | None
) -> None:
    """Validate folded accounts and their memberships; raise one `InputError` listing all."""
    acc = pd.DataFrame(
        {
            "row": [a.rows[0] if a.rows else 0 for a in accounts],
            "username": [a.username for a in accounts],
            "key": [a.key for a in accounts],
            "national_id": [a.national_id for a in accounts],
        },
        dtype=object,
    ).astype({"row": "int64", "username": "str", "key": "str", "national_id": "str"})
    mem_rows = [(a.rows[0] if a.rows else 0, a.username, g) for a in accounts for g in a.groups]
    mem = pd.DataFrame(mem_rows, columns=["row", "username", "group"]).astype(
        {"row": "int64", "username": "str", "group": "str"}
    )
    problems = _run(ACCOUNTS, acc) + _run(MEMBERSHIPS, mem)
    _raise(problems, file, sheet, "export")


def validate_roster(people: Sequence[Person], file: str, sheet: str | None) -> None:
    """Validate roster people; raise one `InputError` listing every problem with its row."""
    frame = pd.DataFrame(
        {
            "row": [p.row for p in people],
            "full_name": [p.full_name for p in people],
            "national_id": [p.national_id for p in people],
        },
        dtype=object,
    ).astype({"row": "int64", "full_name": "str", "national_id": "str"})
    _raise(_run(PEOPLE, frame), file, sheet, "roster")


def _run(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(Excel row, Thai, English) for every failure; empty when the frame is valid."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        out: list[tuple[int, str, str]] = []
        for case in exc.failure_cases.itertuples(index=False):
            rule = _RULES.get(str(case.check), _Rule(str(case.check), str(case.check)))
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
