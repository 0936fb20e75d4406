"""`matches-to-confirm.csv` out, the human's answers back in (issue 5, item 3).

The review writes one row per fuzzy or unmatched account, and per account whose national ID the
roster repeats on rows that differ, with its candidates, the reason, and three empty columns
for the reviewer: a national ID, a roster row or a roster name (or "-" / "ไม่มี": this
account has nobody on the roster). `--matches FILE` reads the filled file back; its answers win
over automatic matching. The file is UTF-8 with a BOM so Excel shows Thai, and no cell can turn
into a formula when Excel opens it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from laas_audit.errors import InputError, Location, column_letter
from laas_audit.matching import NO_PERSON_ANSWERS, fold_username
from laas_audit.matching_types import Match
from laas_audit.national_id import clean_id
from laas_audit.safe_cells import csv_safe, is_formula_like
from laas_audit.tables import Account
from laas_audit.thai import normalise_text
from laas_audit.yaml_load import describe_error, safe_load

# (machine key, Thai label); the header cell is "key (label)" so both readers understand it.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("username", "ชื่อผู้ใช้"),
    ("full_name", "ชื่อ-สกุลในรายงาน"),
    ("method", "วิธีจับคู่"),
    ("score", "คะแนนความเหมือน"),
    ("proposed_roster_name", "ชื่อในทะเบียนที่ระบบเสนอ"),
    ("proposed_roster_row", "แถวในทะเบียนที่ระบบเสนอ"),
    ("candidates", "ผู้ที่อาจเป็นเจ้าของบัญชี (ชื่อ, แถว, คะแนน)"),
    ("reason", "เหตุที่ต้องยืนยัน"),
    ("confirm_national_id", "ยืนยัน: เลขประจำตัวประชาชน"),
    ("confirm_roster_row", "ยืนยัน: แถวในทะเบียน"),
    ("confirm_roster_name", "ยืนยัน: ชื่อในทะเบียน หรือ - ถ้าไม่มีตัวตน"),
)
METHOD_LABEL = {
    "fuzzy": "ชื่อใกล้เคียง (fuzzy)",
    "none": "ไม่พบ (none)",
    "national_id": "เลขประจำตัวประชาชน (national_id)",
    "username": "ชื่อผู้ใช้ (username)",
    "name": "ชื่อ-สกุล (name)",
}

# Header aliases accepted on reading: ours, and a hand-made file's simpler names.
_ALIASES: dict[str, str] = {
    "username": "username",
    "ชื่อผู้ใช้": "username",
    "confirm_national_id": "national_id",
    "national_id": "national_id",
    "เลขประจำตัวประชาชน": "national_id",
    "confirm_roster_row": "roster_row",
    "roster_row": "roster_row",
    "แถวในทะเบียน": "roster_row",
    "confirm_roster_name": "roster_name",
    "roster_name": "roster_name",
    "ชื่อในทะเบียน": "roster_name",
}
_ANSWER_FIELDS = ("national_id", "roster_row", "roster_name")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE]\+?\d+$")


@dataclass
class _Entry:
    """One answer as read: its Excel row (or YAML entry number), values and column letters."""

    number: int
    values: dict[str, str]
    columns: dict[str, str] = field(default_factory=dict)  # field -> Excel column letter


def _unquote(text: str) -> str:
    """Undo `csv_safe`: a leading ' before a formula character is ours, not the data's."""
    return text[1:] if text.startswith("'") and is_formula_like(text[1:]) else text


def _candidates_cell(match: Match) -> str:
    return "; ".join(
        f"{c.full_name} (แถว {c.roster_row}, {c.score:g})" for c in match.candidates
    )


def write_matches_to_confirm(
    accounts: list[Account], matches: dict[str, Match], path: Path
) -> int:
    """Write the accounts a human should confirm to `path`; return the rows.

    Fuzzy and unmatched accounts, and those matched on roster rows that repeat one national ID
    but differ (`Match.confirm_reason`). An account confirmed earlier (even as "no roster
    person") is not asked about again.
    """
    content, rows = matches_to_confirm(accounts, matches)
    path.write_bytes(content)
    return rows


def matches_to_confirm(accounts: list[Account], matches: dict[str, Match]) -> tuple[bytes, int]:
    """Return `matches-to-confirm.csv` as bytes (UTF-8 with BOM) and its number of rows."""
    rows: list[list[str]] = []
    seen: set[str] = set()
    for account in accounts:
        match = matches.get(account.key) or Match(method="none")
        ask = match.method in ("fuzzy", "none") or bool(match.confirm_reason)
        if not ask or account.key in seen:
            continue
        seen.add(account.key)
        person = match.person
        rows.append(
            [
                account.username,
                account.full_name_raw or account.full_name or "",
                METHOD_LABEL.get(match.method, match.method),
                "" if match.score is None else f"{match.score:g}",
                person.full_name if person else "",
                str(person.row) if person else "",
                _candidates_cell(match),
                match.confirm_reason,
                "",
                "",
                "",
            ]
        )
    handle = io.StringIO(newline="")
    writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
    writer.writerow([f"{key} ({label})" for key, label in COLUMNS])
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return handle.getvalue().encode("utf-8-sig"), len(rows)


# -- reading answers back ---------------------------------------------------------------------


_FIX_TH = (
    "แก้ไฟล์ยืนยันการจับคู่ (matches-to-confirm.csv) แล้วบันทึกเป็น CSV UTF-8 "
    "ใส่เลขประจำตัวประชาชน 13 หลัก แถวในทะเบียน หรือชื่อในทะเบียน อย่างใดอย่างหนึ่ง"
)
_FIX_EN = (
    "Fix the confirmed-matches file and save it as CSV UTF-8: give one of a "
    "13-digit national ID, a roster row or a roster name per account."
)
# What a matches file is, for a file that is not one (or has nothing in it to use).
_WHAT_TH = (
    "ใช้ไฟล์ matches-to-confirm.csv ที่ laas-audit review เขียนไว้ในโฟลเดอร์ผลการตรวจ กรอกคอลัมน์ "
    "confirm_national_id, confirm_roster_row หรือ confirm_roster_name (หรือ - ถ้าไม่มีตัวตน) "
    "ของบัญชีที่ทราบ แล้วส่งกลับด้วย --matches หรือ YAML: รายการของ {username, national_id "
    "หรือ roster_row หรือ roster_name} หรือไม่ต้องใช้ --matches ถ้าไม่มีคำยืนยัน"
)
_WHAT_EN = (
    "Use the matches-to-confirm.csv that laas-audit review wrote in its output folder: fill "
    "confirm_national_id, confirm_roster_row or confirm_roster_name (or - for nobody on the "
    "roster) for the accounts you know, and pass it back with --matches; or YAML: a list of "
    "{username, national_id or roster_row or roster_name}. Without answers, leave out --matches."
)


def _error(path: Path, th: str, en: str, row: int | None = None, column: str | None = None,
           problems: list[str] | None = None, *, not_matches: bool = False) -> InputError:
    """Build an error in a matches file; `not_matches`: say what a matches file is, not a fix."""
    return InputError(
        Location(file=path.name, row=row, column=column),
        th=th,
        en=en,
        hint_th=_WHAT_TH if not_matches else _FIX_TH,
        hint_en=_WHAT_EN if not_matches else _FIX_EN,
        problems=problems or [],
    )


def _header_field(cell: str) -> str | None:
    """Map a header cell ("confirm_national_id (ยืนยัน: ...)" or a bare alias) to a field."""
    text = normalise_text(cell).strip()
    head = text.split("(")[0].strip().casefold()
    return _ALIASES.get(head) or _ALIASES.get(text.casefold())


def _decode(path: Path, data: bytes) -> str:
    # Excel on Thai Windows saves "CSV (Comma delimited)" as Windows-874, not UTF-8.
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _error(path, "อ่านไฟล์ไม่ได้: ไม่ใช่ข้อความ UTF-8 หรือ TIS-620",
                 "cannot read the file: it is neither UTF-8 nor Windows-874 text")


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    text = _decode(path, path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    yield from enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or non-xlsx file
        raise _error(path, f"เปิดไฟล์ Excel ไม่ได้ ({type(exc).__name__})",
                     f"cannot open the Excel file ({type(exc).__name__}: {exc})") from exc
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_xlsx_text(v) for v in values]
    finally:
        book.close()


def _xlsx_text(value: Any) -> str:
    # Excel stores a typed-in ID as a number; 1.1e12 as float must come back as its digits.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _yaml_entries(path: Path) -> list[_Entry]:
    try:
        data = safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _error(path, f"อ่าน YAML ไม่ได้: {exc}", f"cannot parse the YAML: {exc}") from exc
    except yaml.YAMLError as exc:
        where_th, where_en = describe_error(exc)
        raise _error(path, f"อ่าน YAML ไม่ได้{where_th}", f"cannot parse the YAML{where_en}") from exc
    if isinstance(data, dict):  # {username: answer}
        items = [{"username": k, "roster_name": v} for k, v in data.items()]
    elif isinstance(data, list) and all(isinstance(e, dict) for e in data):
        items = [{_ALIASES.get(str(k).casefold(), str(k)): v for k, v in e.items()} for e in data]
    else:
        raise _error(path, "YAML ต้องเป็นรายการของ {username, national_id หรือ roster_name} "
                     "หรือแผนที่ username: คำตอบ",
                     "the YAML must be a list of {username, national_id or roster_name} "
                     "entries or a mapping username: answer", not_matches=True)
    _check_yaml_shape(path, items)
    return [
        _Entry(number, {k: "" if v is None else str(v) for k, v in item.items()})
        for number, item in enumerate(items, start=1)
    ]


def _check_yaml_shape(path: Path, items: list[dict[str, Any]]) -> None:
    """Refuse another tool's YAML (an exceptions or policy file): nested values, no answer keys."""
    nested = next((n for n, item in enumerate(items, start=1)
                   if any(isinstance(v, dict | list) for v in item.values())), None)
    if nested is not None:
        raise _error(path, f"ไม่ใช่ไฟล์ยืนยันการจับคู่: รายการที่ {nested} มีค่าซ้อนกัน",
                     f"not a confirmed-matches file: entry {nested} holds a nested value",
                     not_matches=True)
    if items and not any(set(_ANSWER_FIELDS) & set(item) for item in items):
        raise _error(
            path,
            "ไม่ใช่ไฟล์ยืนยันการจับคู่: ไม่มีรายการใดมีคำตอบ national_id, roster_row หรือ roster_name",
            "not a confirmed-matches file: no entry has a national_id, roster_row or "
            "roster_name answer",
            not_matches=True,
        )


def _tabular_entries(path: Path) -> list[_Entry]:
    rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    header: dict[int, str] = {}
    entries: list[_Entry] = []
    for number, cells in rows:
        if not header:
            header = {i: f for i, c in enumerate(cells) if (f := _header_field(c))}
            if "username" not in header.values() or not set(_ANSWER_FIELDS) & set(header.values()):
                raise _error(
                    path,
                    "แถวแรกต้องมีหัวคอลัมน์ username และ confirm_national_id, "
                    "confirm_roster_row หรือ confirm_roster_name",
                    "the first row must name the columns username and confirm_national_id, "
                    "confirm_roster_row or confirm_roster_name",
                    row=number,
                    not_matches=True,
                )
            continue
        values = {f: cells[i] for i, f in header.items() if i < len(cells)}
        columns = {f: column_letter(i) for i, f in header.items()}
        entries.append(_Entry(number, values, columns))
    if not header:
        raise _error(path, "ไฟล์ว่าง", "the file is empty", row=1)
    return entries


def _answer(entry: _Entry) -> tuple[str | None, str | None, str | None]:
    """(answer, problem_field, problem) for one entry: ID beats row beats name beats "-"."""
    values = {
        f: normalise_text(_unquote(entry.values.get(f, ""))).strip() for f in _ANSWER_FIELDS
    }
    no_person = False
    for name in _ANSWER_FIELDS:
        value = values[name]
        if not value:
            continue
        if value.casefold() in NO_PERSON_ANSWERS:
            no_person = True
            continue
        if name == "national_id":
            digits = clean_id(value)
            if digits is None and _SCIENTIFIC.match(value):
                return None, name, (
                    f"'{value}' ถูก Excel แปลงเป็นตัวเลขแบบวิทยาศาสตร์จนเลขหาย ให้จัดรูปแบบคอลัมน์"
                    "เป็นข้อความแล้วพิมพ์เลขใหม่ / Excel turned the ID into a number in scientific "
                    "notation and lost digits: format the column as Text and type the ID again"
                )
            if digits is None:
                return None, name, (
                    f"'{value}' ไม่ใช่เลขประจำตัวประชาชน 13 หลัก / is not a 13-digit national ID"
                )
            return digits, None, None
        if name == "roster_row":
            row = value[:-2] if value.endswith(".0") else value
            if not row.isascii() or not row.isdigit() or int(row) < 1:
                return None, name, (
                    f"'{value}' ไม่ใช่เลขแถว / is not a row number"
                )
            return f"row:{int(row)}", None, None
        return value, None, None
    return ("-" if no_person else None), None, None


def load_confirmed(path: Path) -> dict[str, str]:
    """Read confirmed answers: normalised username -> 13-digit ID, `row:N`, roster name or "-".

    Accepts the filled `matches-to-confirm.csv` (UTF-8 or Windows-874, or saved as .xlsx), a
    hand-made CSV with `username` and `national_id`/`roster_name`, or YAML (a list of such
    entries, or a mapping username: answer). Rows without an answer are skipped. Raises
    `InputError` listing every bad row (Excel row and column) at once, and for a file with no
    answer at all (another kind of file, or one not filled in): it would change nothing, silently.
    """
    if not path.is_file():
        raise _error(path, "ไม่พบไฟล์ยืนยันการจับคู่", "the confirmed-matches file does not exist")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        entries = _yaml_entries(path)
        yaml_file = True
    elif suffix in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm"):
        entries = _tabular_entries(path)
        yaml_file = False
    else:
        raise _error(path, f"ไม่รู้จักไฟล์ชนิด '{suffix}' ให้ใช้ .csv, .xlsx หรือ .yaml",
                     f"unknown file type '{suffix}': use .csv, .xlsx or .yaml")
    answers: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    problems: list[tuple[_Entry, str | None, str]] = []  # entry, field, message
    for entry in entries:
        username = fold_username(_unquote(entry.values.get("username", "")))
        answer, bad_field, problem = _answer(entry)
        if problem:
            problems.append((entry, bad_field, problem))
        elif answer is None:
            continue  # not answered yet: the account stays with automatic matching
        elif not username:
            problems.append((entry, "username", "มีคำตอบแต่ไม่มี username / answer without username"))
        elif username in answers and answers[username] != answer:
            before = first_seen[username]
            problems.append((entry, "username", f"{username} ตอบไม่ตรงกับที่ {before} / "
                             f"answers differently from {before}"))
        else:
            answers[username] = answer
            first_seen.setdefault(username, entry.number)
    if problems:
        entry, bad_field, message = problems[0]
        raise _error(
            path,
            f"คำยืนยันไม่ถูกต้อง {len(problems)} รายการ: {message}",
            f"{len(problems)} bad confirmed answer(s): {message}",
            row=None if yaml_file else entry.number,
            column=entry.columns.get(bad_field or ""),
            problems=[_describe(e, f, m, yaml_file) for e, f, m in problems],
        )
    if not answers:
        # Passed but nothing to use: every account would stay as matched, without a word.
        raise _error(
            path,
            f"ไม่มีคำยืนยันในไฟล์ ({len(entries)} รายการ ไม่มีรายการใดกรอกคำตอบ)",
            f"no confirmed answer in the file ({len(entries)} entries, none with an answer "
            "filled in)",
            not_matches=True,
        )
    return answers


def _describe(entry: _Entry, name: str | None, message: str, yaml_file: bool) -> str:
    """Where one problem is, in both languages: `แถว 5 คอลัมน์ H / row 5, column H: ...`."""
    column = entry.columns.get(name or "")
    if yaml_file:
        return f"รายการที่ {entry.number} / entry {entry.number}: {message}"
    th = f"แถว {entry.number}" + (f" คอลัมน์ {column}" if column else "")
    en = f"row {entry.number}" + (f", column {column}" if column else "")
    return f"{th} / {en}: {message}"
