"""Decisions recorded: read the filled review worksheet back and write the review record.

`laas-audit record findings.xlsx` reads what the finance head decided for each finding (as saved
by Excel or LibreOffice: stray spaces, the English gloss, real date cells or Thai text dates, BE
years, blank rows), and writes `record.json`, `record.html` and, for every account decided
ยกเลิกผู้ใช้, `cancel_forms.html`: part ๒ of the DLA request form, one A4 page per account.

A decision that is not one of `worksheet.DECISIONS` (nor a word `rules/decision_words.yaml`
reads as one) is listed as invalid with its Excel row and column; an empty decision is
"undecided" (a waived finding needs none). Neither stops the record.
A finding whose row was deleted is "missing", and undecided unless waived: the worksheet's hidden
list (`worksheet.SHEET_INDEX`) names it; a worksheet without that list (an older version) only
counts the findings against its about sheet, and says that it cannot name them.
What would misattribute a decision is refused (`record_checks`): rows whose finding ID the list
gives to another account (a sort that left the ID column out), one finding on two rows that
disagree, a worksheet in another review's folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2

from laas_audit import __version__
from laas_audit.dates import parse_date
from laas_audit.errors import InputError, InputWarning, Location, column_letter
from laas_audit.grid import Cell, Sheet, load_grid
from laas_audit.model import CATEGORY_TH, SEVERITY_TH
from laas_audit.record_checks import (
    Place,
    check_against_list,
    date_warnings,
    decision_from_words,
    iso_date,
    merge_copies,
)
from laas_audit.render_common import date_text, iso_date_text, place_text, timestamp_text
from laas_audit.shipped import template_environment
from laas_audit.thai import cell_text, fold
from laas_audit.worksheet import (
    ABOUT_KEY_COLUMN,
    ABOUT_VALUE_COLUMN,
    ACCOUNT_COLUMNS,
    DECISION_CODES,
    DECISION_EN,
    DECISIONS,
    FINDING_COLUMNS,
    HEADER_ROW,
    INDEX_COLUMNS,
    SHEET_ABOUT,
    SHEET_ACCOUNTS,
    SHEET_FINDINGS,
    SHEET_INDEX,
    STATUS_LABELS,
    WORKSHEET_SCHEMA,
    Column,
    column_number,
    decision_code,
    find_columns,
    finding_columns,
)

RECORD_SCHEMA = "laas-audit/record/1"
RECORD_JSON = "record.json"
RECORD_HTML = "record.html"
CANCEL_FORMS_HTML = "cancel_forms.html"
CANCEL = "cancel"
RESAVE_HINT_TH = "เปิดแบบตรวจสอบที่กรอกแล้วใน Excel/LibreOffice แล้วบันทึกเป็น .xlsx อีกครั้ง"
RESAVE_HINT_EN = "open the filled worksheet in Excel/LibreOffice and save it again as .xlsx"
HEADER_SCAN_ROWS = 30  # users insert rows above the header; look this far for it
DECISION_TH = {code: th for th, code in DECISION_CODES.items()}
_STATUS_BY_LABEL = {fold(label): code for code, label in STATUS_LABELS.items()}
# The worksheet shows category and severity in Thai; record.json carries the codes.
_CATEGORY_BY_LABEL = {fold(label): code for code, label in CATEGORY_TH.items()}
_SEVERITY_BY_LABEL = {fold(label): code for code, label in SEVERITY_TH.items()}
_INVISIBLE = re.compile("[\u200b-\u200d\ufeff\u00ad]")
_SHA256_DETAIL = re.compile(r"\bsha256=([0-9A-Fa-f]{64})\b")  # an about sheet's input details
_MASKED_LOGIN = re.compile(r"x-xxxx-xxxxx-\d\d-\d")  # national_id.mask_id's form
# Roster statuses that tick the form's "ย้าย/ลาออก" box; any other status ticks "อื่นๆ".
MOVED_OR_RESIGNED = ("ย้าย", "โอน", "ลาออก")
NORMAL_STATUSES = ("ปกติ", "ปฏิบัติราชการ", "ปฏิบัติงาน")
# The signatory line of part ๒, as the DLA form prints it.
FINANCE_HEAD_TITLES = "ผอ.สำนักการคลัง/ผอ.กองคลัง/หัวหน้าหน่วยงานคลัง"

ReasonKind = Literal["moved_or_resigned", "other"]


# --------------------------------------------------------------------------- reading


@dataclass
class FilledRow:
    """One finding row of the filled worksheet, with the reviewer's columns read back."""

    row: int  # Excel row
    finding_id: str
    rule: str
    rule_title: str
    category: str
    severity: str
    status: str  # new / persisting / waived (code), or the label as written when unknown
    username: str
    full_name: str
    groups: list[str]
    message: str
    decision: str | None  # code: keep / cancel / adjust_groups / accept_risk
    note: str
    reviewer: str
    decided_on: date | None
    decision_raw: str = ""  # the cell as written, for invalid ones
    date_raw: str = ""
    # A field taken from a copy of this row (one finding on two rows): field -> its Excel row.
    typed_on: dict[str, int] = field(default_factory=dict)


@dataclass
class InvalidDecision:
    """A decision cell that is not one of the four values, or on a row that is no finding."""

    row: int
    column: str
    finding_id: str
    value: str
    problem: str


@dataclass
class AccountInfo:
    """What the accounts sheet says about one account (for the cancellation form)."""

    username: str
    full_name: str = ""
    position: str = ""
    unit: str = ""
    roster_status: str = ""
    groups: list[str] = field(default_factory=list)


@dataclass
class ListedFinding:
    """A finding as the worksheet's hidden list has it (the ones missing from the sheet)."""

    finding_id: str
    rule: str
    username: str
    severity: str
    status: str  # new / persisting / waived: a waived one needs no decision
    row: int | None  # the Excel row it was written on


@dataclass
class FilledWorksheet:
    """Everything read from a filled worksheet."""

    file: str  # file name as shown to users
    sha256: str
    about: dict[str, str]  # the about sheet: key -> value
    rows: list[FilledRow]
    invalid: list[InvalidDecision]
    accounts: dict[str, AccountInfo]  # user_key(username) -> info
    warnings: list[InputWarning] = field(default_factory=list)
    missing: list[ListedFinding] = field(default_factory=list)  # rows deleted, by the list
    missing_unnamed: int = 0  # rows deleted, counted against the about sheet only
    # The review's inputs as the about sheet records them: role -> (file name, SHA-256).
    inputs: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def body(self) -> dict[str, str | None]:
        """The body's name, district and province as the worksheet says."""
        return {
            "name": self.about.get("body") or None,
            "district": self.about.get("district") or None,
            "province": self.about.get("province") or None,
        }


def read_worksheet(path: Path, *, today: date | None = None) -> FilledWorksheet:
    """Read a filled `findings.xlsx`; raise `InputError` when it is not our worksheet.

    Also raised when what it says would be recorded against the wrong findings (see
    `record_checks`): rows sorted without their IDs, copied rows that disagree. Invalid
    decisions are collected in `invalid` (with Excel row and column), odd dates and ignored rows
    become warnings; nothing is dropped silently. `today` (default: the system's) bounds the
    decision dates.
    """
    try:
        grid = load_grid(path)
    except InputError as exc:
        if "e-LAAS" in exc.hint_en:  # grid's advice is about exports; this is our worksheet
            exc.hint_th = RESAVE_HINT_TH
            exc.hint_en = RESAVE_HINT_EN
        raise
    name = path.name
    sheets = {fold(s.name or ""): s for s in grid.sheets}
    about_sheet = sheets.get(fold(SHEET_ABOUT))
    about = _read_about(about_sheet) if about_sheet else {}
    schema = about.get("schema", "")
    if schema and schema != WORKSHEET_SCHEMA:
        raise InputError(
            Location(name, SHEET_ABOUT),
            f"แบบตรวจสอบรุ่นอื่น ({schema}) โปรแกรมนี้อ่าน {WORKSHEET_SCHEMA}",
            f"a worksheet of another format ({schema}); this version reads {WORKSHEET_SCHEMA}",
            "ใช้ findings.xlsx ที่ laas-audit รุ่นเดียวกันสร้าง",
            "use a findings.xlsx written by the same laas-audit version",
        )
    findings_sheet = sheets.get(fold(SHEET_FINDINGS))
    if findings_sheet is None:
        raise InputError(
            Location(name),
            f"ไม่พบชีต '{SHEET_FINDINGS}' ในไฟล์ ไม่ใช่แบบตรวจสอบของ laas-audit",
            f"no sheet '{SHEET_FINDINGS}' (findings): not a laas-audit review worksheet",
            "ใช้ไฟล์ findings.xlsx ที่ laas-audit review สร้าง และอย่าเปลี่ยนชื่อชีต",
            "use the findings.xlsx written by laas-audit review, with its sheet names unchanged",
        )
    warnings: list[InputWarning] = []
    if not about:
        warnings.append(InputWarning(
            Location(name), f"ไม่พบชีต '{SHEET_ABOUT}': ไม่ทราบชื่อหน่วยงาน",
            f"no '{SHEET_ABOUT}' (about) sheet: the body's name is unknown",
        ))
    index_sheet = sheets.get(fold(SHEET_INDEX))
    if index_sheet is None:
        written = None
        _no_index(name, warnings)
    else:
        written = _read_index(index_sheet, name, warnings)
    rows, invalid, place = _read_findings(findings_sheet, name, warnings)
    # Before anything is counted: every row is the finding its ID says, one row a finding.
    warnings += check_against_list(rows, written, place)
    rows, copied = merge_copies(rows, place)
    warnings += copied
    invalid = sorted(invalid + _invalid_decisions(rows, place), key=lambda i: i.row)
    warnings += date_warnings(
        rows, iso_date(about.get("as_of", "")), today or date.today(), place
    )
    accounts_sheet = sheets.get(fold(SHEET_ACCOUNTS))
    accounts = _read_accounts(accounts_sheet, name, warnings) if accounts_sheet else {}
    missing, unnamed = _missing_findings(rows, written, about, name, warnings)
    inputs = _read_inputs(about_sheet) if about_sheet else {}
    return FilledWorksheet(
        name, grid.sha256, about, rows, invalid, accounts, warnings, missing, unnamed, inputs
    )


def _read_about(sheet: Sheet) -> dict[str, str]:
    about: dict[str, str] = {}
    for cells in sheet.rows:
        key = _cell(cells, ABOUT_KEY_COLUMN - 1)
        if key and key not in about:
            about[key] = _cell(cells, ABOUT_VALUE_COLUMN - 1)
    return about


def _read_inputs(sheet: Sheet) -> dict[str, tuple[str, str]]:
    """Read the review's inputs off the about sheet: role -> (file, SHA-256).

    They are the rows keyed "input:<role>", with their details in the column after the key:
    "sha256=<hex> rows=<n> sheet=...".
    """
    inputs: dict[str, tuple[str, str]] = {}
    for cells in sheet.rows:
        key = _cell(cells, ABOUT_KEY_COLUMN - 1)
        if not key.startswith("input:"):
            continue
        found = _SHA256_DETAIL.search(_cell(cells, ABOUT_KEY_COLUMN))
        if found:
            inputs.setdefault(key.removeprefix("input:"), (
                _cell(cells, ABOUT_VALUE_COLUMN - 1), found.group(1).lower()))
    return inputs


def _find_header(
    sheet: Sheet, columns: Sequence[Column], required: Sequence[str]
) -> tuple[int, dict[str, int]] | None:
    """Find the header by its labels: 0-based row index and column positions."""
    for index, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        found = find_columns(cells, columns)
        if all(key in found for key in required):
            return index, found
    return None


def _has_previous_columns(sheet: Sheet) -> bool:
    """Tell a cycle-2 findings sheet (last cycle's decision and note first) by its cells.

    Only asked when the labels were overwritten: then a row wider than a first cycle's, or a
    last-cycle decision ("ยกเลิกผู้ใช้ (15 เม.ย. 2569, ...)") where a first cycle has its own
    decision, gives it away.
    """
    plain = len(FINDING_COLUMNS)
    at = column_number(FINDING_COLUMNS, "decision") - 1
    for row in sheet.rows[HEADER_ROW - 1:]:
        if any(v not in (None, "") for v in row[plain:]):
            return True
        cell = row[at] if len(row) > at else None
        if isinstance(cell, str) and _CARRIED_DECISION.match(cell):
            return True
    return False


# How the worksheet writes last cycle's decision: the decision, then "(date, reviewer)".
_CARRIED_DECISION = re.compile(r"\S.* \(\d{1,2} \S+ \d{4}")


def _read_findings(
    sheet: Sheet, name: str, warnings: list[InputWarning]
) -> tuple[list[FilledRow], list[InvalidDecision], Place]:
    """Read every finding row as written (copies too), and decisions on rows that are none."""
    header = _find_header(sheet, FINDING_COLUMNS, ("finding_id", "decision"))
    if header is None:
        if len(sheet.rows) < HEADER_ROW:
            raise InputError(
                Location(name, sheet.name),
                "ไม่พบหัวตาราง (รหัสข้อค้นพบ, การตัดสินใจ) ในชีตข้อค้นพบ",
                "no header row (Finding ID, Decision) on the findings sheet",
                "ใช้ไฟล์ findings.xlsx ที่ laas-audit review สร้าง",
                "use the findings.xlsx written by laas-audit review",
            )
        # Labels were overwritten: fall back to the fixed layout, but say so.
        layout = finding_columns(_has_previous_columns(sheet))
        header = HEADER_ROW - 1, {c.key: i for i, c in enumerate(layout)}
        warnings.append(InputWarning(
            Location(name, sheet.name, HEADER_ROW),
            "ไม่พบชื่อคอลัมน์ อ่านตามตำแหน่งคอลัมน์มาตรฐาน",
            "column labels not found: read by the standard column positions",
        ))
    header_index, cols = header

    def letter(key: str) -> str | None:
        return column_letter(cols[key]) if key in cols else None

    place = Place(
        name, sheet.name or SHEET_FINDINGS, column_letter(cols["finding_id"]),
        letter("status"), letter("decision_date"), letter("decision"),
    )
    rows: list[FilledRow] = []
    invalid: list[InvalidDecision] = []
    words: dict[tuple[str, str], list[int]] = {}  # (as typed, code) -> rows: read as a decision

    def get(cells: list[Cell], key: str) -> Cell:
        pos = cols.get(key)
        return cells[pos] if pos is not None and pos < len(cells) else None

    for index in range(header_index + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        excel_row = index + 1
        if all(cell_text(c) == "" for c in cells):
            continue  # blank rows: Excel users leave them between sections
        finding_id = cell_text(get(cells, "finding_id"))
        raw_decision = get(cells, "decision")
        decision_text = cell_text(raw_decision)
        rule, username = cell_text(get(cells, "rule")), cell_text(get(cells, "username"))
        if not finding_id or not (rule or username):
            if "no findings" in finding_id.casefold():
                continue  # the writer's "ไม่มีข้อค้นพบ / No findings" line
            th, en, hint_th, hint_en = _not_a_finding(finding_id, rule, username)
            if decision_text:
                invalid.append(InvalidDecision(
                    excel_row, place.decision_column or "", finding_id, decision_text,
                    f"{th} การตัดสินใจจึงไม่ได้บันทึก{hint_th} / {en}: the decision is not "
                    f"recorded{hint_en}",
                ))
            else:
                warnings.append(InputWarning(
                    Location(name, sheet.name, excel_row), f"{th} ไม่ได้อ่าน{hint_th}",
                    f"{en}: ignored{hint_en}",
                ))
            continue
        try:
            decision = decision_code(raw_decision)
        except ValueError:
            decision = decision_from_words(decision_text)  # None: invalid, said after merging
            if decision is not None:
                words.setdefault((decision_text, decision), []).append(excel_row)
        raw_date = get(cells, "decision_date")
        parsed = parse_date(raw_date)
        if parsed.problem:
            warnings.append(InputWarning(
                Location(name, sheet.name, excel_row, place.date_column),
                f"วันที่ตัดสินใจอ่านไม่ได้: {parsed.problem_th}",
                f"decision date not readable: {parsed.problem}",
            ))
        rows.append(FilledRow(
            row=excel_row,
            finding_id=finding_id,
            rule=cell_text(get(cells, "rule")).upper(),
            rule_title=_free_text(get(cells, "rule_title")),
            category=_code(get(cells, "category"), _CATEGORY_BY_LABEL),
            severity=_code(get(cells, "severity"), _SEVERITY_BY_LABEL),
            status=_code(get(cells, "status"), _STATUS_BY_LABEL),
            username=cell_text(get(cells, "username")),
            full_name=_free_text(get(cells, "full_name")),
            groups=_split_groups(get(cells, "groups")),
            message=_free_text(get(cells, "message")),
            decision=decision,
            note=_free_text(get(cells, "note")),
            reviewer=_free_text(get(cells, "reviewer")),
            decided_on=parsed.value,
            decision_raw=decision_text,
            date_raw=_free_text(raw_date),  # as typed (Thai digits kept), for messages
        ))
    warnings += [_word_warning(typed, code, at, place) for (typed, code), at in words.items()]
    return rows, invalid, place


def _not_a_finding(finding_id: str, rule: str, username: str) -> tuple[str, str, str, str]:
    """Say what a row that is not read as a finding lacks (Thai, English) and what to do."""
    if finding_id:
        return ("แถวนี้ไม่ใช่ข้อค้นพบ (มีรหัสข้อค้นพบแต่ไม่มีกฎและชื่อผู้ใช้)",
                "not a finding row (a finding ID but no rule and no username)", "", "")
    has_th = " ".join(t for t in (rule and f"กฎ {rule}", username and f"ชื่อผู้ใช้ {username}") if t)
    has_en = ", ".join(t for t in (rule and f"rule {rule}", username and f"username {username}")
                       if t)
    if not has_th:
        return ("แถวนี้ไม่ใช่ข้อค้นพบ (ไม่มีรหัสข้อค้นพบ กฎ และชื่อผู้ใช้)",
                "not a finding row (no finding ID, rule or username)", "", "")
    return (
        f"แถวนี้ไม่มีรหัสข้อค้นพบ (มี{has_th}) จึงบอกไม่ได้ว่าเป็นข้อค้นพบใด",
        f"the row has no finding ID ({has_en}), so which finding it is cannot be told",
        ": คัดลอกรหัสข้อค้นพบของแถวนี้จาก findings.xlsx ต้นฉบับมาใส่ แล้วรัน laas-audit record อีกครั้ง",
        "; copy its finding ID back from the original findings.xlsx and run laas-audit record "
        "again",
    )


def _word_warning(typed: str, code: str, rows: list[int], place: Place) -> InputWarning:
    """Say which rows' decision was read from a word that is not the drop-down's value."""
    shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if len(rows) > 10 else "")
    th = DECISION_TH[code]
    return InputWarning(
        Location(place.file, place.sheet, None, place.decision_column),
        f"อ่าน '{typed}' เป็น '{th}' (แถว {shown}): ครั้งต่อไปให้เลือกจากรายการในคอลัมน์",
        f"'{typed}' read as '{th}' ({DECISION_EN[th]}) (rows {shown}): next time choose from "
        "the column's drop-down",
    )


def _invalid_decisions(rows: list[FilledRow], place: Place) -> list[InvalidDecision]:
    """List the decisions that are neither a drop-down value nor a word read as one."""
    allowed = " / ".join(DECISIONS)
    return [
        InvalidDecision(
            r.typed_on.get("decision", r.row), place.decision_column or "", r.finding_id,
            r.decision_raw,
            f"ไม่ใช่ค่าที่เลือกได้ ให้เลือกจากรายการ: {allowed} / not one of the allowed values "
            f"({', '.join(f'{d} = {DECISION_EN[d]}' for d in DECISIONS)}): choose one from the "
            "drop-down",
        )
        for r in rows if r.decision is None and r.decision_raw
    ]


def _read_accounts(
    sheet: Sheet, name: str, warnings: list[InputWarning]
) -> dict[str, AccountInfo]:
    header = _find_header(sheet, ACCOUNT_COLUMNS, ("username",))
    if header is None:
        warnings.append(InputWarning(
            Location(name, sheet.name),
            "ไม่พบหัวตารางในชีตบัญชีผู้ใช้: ตำแหน่งและสังกัดในแบบยกเลิกจะว่างไว้",
            "no header on the accounts sheet: position and unit left blank on the forms",
        ))
        return {}
    header_index, cols = header
    accounts: dict[str, AccountInfo] = {}
    for cells in sheet.rows[header_index + 1:]:
        def get(key: str, cells: list[Cell] = cells) -> Cell:
            pos = cols.get(key)
            return cells[pos] if pos is not None and pos < len(cells) else None

        username = cell_text(get("username"))
        if not username:
            continue
        accounts.setdefault(user_key(username), AccountInfo(
            username=username,
            full_name=_free_text(get("full_name")),
            position=_free_text(get("position")),
            unit=_free_text(get("unit")),
            roster_status=cell_text(get("roster_status")),
            groups=_split_groups(get("groups")),
        ))
    return accounts


def _no_index(name: str, warnings: list[InputWarning]) -> None:
    warnings.append(InputWarning(
        Location(name),
        f"แบบตรวจสอบนี้ไม่มีชีตซ่อน '{SHEET_INDEX}' (สร้างด้วย laas-audit รุ่นก่อน): "
        "บอกไม่ได้ว่าแถวข้อค้นพบใดถูกลบ นับได้จากจำนวนในชีตเกี่ยวกับเท่านั้น",
        f"this worksheet has no hidden '{SHEET_INDEX}' sheet (an older laas-audit wrote it): "
        "a deleted finding row cannot be named, only counted against the about sheet",
    ))


def _read_index(
    sheet: Sheet, name: str, warnings: list[InputWarning]
) -> list[ListedFinding] | None:
    """Read the hidden list of the findings the worksheet was written with (None: unreadable)."""
    header = _find_header(sheet, INDEX_COLUMNS, ("finding_id",))
    if header is None:
        warnings.append(InputWarning(
            Location(name, SHEET_INDEX),
            f"ชีตซ่อน '{SHEET_INDEX}' ถูกแก้ไข: บอกไม่ได้ว่าแถวข้อค้นพบใดถูกลบ "
            "นับได้จากจำนวนในชีตเกี่ยวกับเท่านั้น",
            f"the hidden sheet '{SHEET_INDEX}' was changed: a deleted finding row cannot be "
            "named, only counted against the about sheet",
        ))
        return None
    header_index, cols = header
    written: list[ListedFinding] = []
    for cells in sheet.rows[header_index + 1:]:
        def get(key: str, cells: list[Cell] = cells) -> str:
            pos = cols.get(key)
            return cell_text(cells[pos]) if pos is not None and pos < len(cells) else ""

        finding_id = get("finding_id")
        if finding_id:
            row = _whole_number(get("row"))
            written.append(ListedFinding(
                finding_id, get("rule"), get("username"), get("severity"), get("status"), row,
            ))
    return written


def _whole_number(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 0 else None


def _missing_findings(
    rows: list[FilledRow],
    written: list[ListedFinding] | None,
    about: dict[str, str],
    name: str,
    warnings: list[InputWarning],
) -> tuple[list[ListedFinding], int]:
    """Find the findings the worksheet was written with but no longer holds (and count unnamed).

    `written` is the hidden list (None for a worksheet without a readable one). What the list
    cannot name is counted against the about sheet's number of findings.
    """
    present = {r.finding_id for r in rows}
    missing = [w for w in written or [] if w.finding_id not in present]
    warnings.extend(_missing_warning(m, name) for m in missing)
    known = {w.finding_id for w in written or []}
    if written is not None:
        for r in rows:
            if r.finding_id not in known:
                warnings.append(InputWarning(
                    Location(name, SHEET_FINDINGS, r.row),
                    f"ข้อค้นพบ {r.finding_id} ไม่ใช่ข้อค้นพบของการตรวจครั้งนี้ "
                    "(รหัสถูกแก้ หรือคัดลอกแถวมาจากแบบตรวจสอบอื่น)",
                    f"finding {r.finding_id} is not one of this review's findings "
                    "(its ID was changed, or the row was copied from another worksheet)",
                ))
    expected = _whole_number(about.get("findings", ""))
    unnamed = max(0, expected - len(present | known)) if expected is not None else 0
    if unnamed:
        warnings.append(InputWarning(
            Location(name, SHEET_FINDINGS),
            f"ชีตเกี่ยวกับระบุข้อค้นพบ {expected} รายการ แต่ไม่พบ {unnamed} รายการ (แถวถูกลบ?) "
            "ถือว่ายังไม่ได้ตัดสินใจ: ใช้ findings.xlsx ต้นฉบับกรอกใหม่",
            f"the about sheet says {expected} findings, {unnamed} of them cannot be found "
            "(rows deleted?) and count as undecided: fill in the original findings.xlsx again",
        ))
    return missing, unnamed


def _missing_warning(m: ListedFinding, name: str) -> InputWarning:
    where_th = f" เดิมอยู่แถว {m.row}" if m.row else ""
    where_en = f", was on row {m.row}" if m.row else ""
    waived = m.status == "waived"
    return InputWarning(
        Location(name, SHEET_FINDINGS),
        f"ไม่พบข้อค้นพบ {m.finding_id} ({m.rule}, {m.username}){where_th} ในชีตข้อค้นพบ "
        + ("(ยกเว้นแล้ว ไม่ต้องตัดสินใจ)" if waived else "ถือว่ายังไม่ได้ตัดสินใจ")
        + ": คัดลอกแถวจาก findings.xlsx ต้นฉบับกลับมา แล้วตัดสินใจ",
        f"finding {m.finding_id} ({m.rule}, {m.username}{where_en}) is missing from the "
        "findings sheet (row deleted?) and "
        + ("was waived (no decision needed)" if waived else "counts as undecided")
        + ": copy its row back from the original findings.xlsx and decide it",
    )


def user_key(username: str) -> str:
    """Username for comparison: case and whitespace do not matter (dots do)."""
    return "".join(username.split()).casefold()


def _code(value: Cell, by_label: dict[str, str]) -> str:
    """Read a Thai label back as its code (a code stays; unknown text is kept)."""
    text = cell_text(value)
    folded = fold(text)
    if folded in by_label.values():
        return folded
    return by_label.get(folded, text)


def _cell(cells: list[Cell], index: int) -> str:
    return cell_text(cells[index]) if index < len(cells) else ""


def _free_text(value: Cell) -> str:
    """Text a person wrote, as written (Thai digits kept), minus invisible characters."""
    if isinstance(value, str):
        lines = (" ".join(line.split()) for line in _INVISIBLE.sub("", value).splitlines())
        return "\n".join(line for line in lines if line)
    return cell_text(value)


def _split_groups(value: Cell) -> list[str]:
    text = cell_text(value)
    parts = text.split("\n") if "\n" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


# --------------------------------------------------------------------------- the record


@dataclass
class CancelForm:
    """One cancellation (part ๒ of the DLA form) for an account decided ยกเลิกผู้ใช้."""

    username: str
    full_name: str
    position: str
    unit: str
    groups: list[str]
    roster_status: str
    reason: ReasonKind
    reason_text: str  # the status (ย้าย, โอน, ...) or what "อื่นๆ" means
    findings: list[str]  # finding ids decided ยกเลิกผู้ใช้
    rules: list[str]


@dataclass
class RecordResult:
    """The review record: each finding with its decision, and what is still open."""

    worksheet: str
    worksheet_sha256: str
    body: dict[str, str | None]
    about: dict[str, str]
    findings: list[FilledRow]
    undecided: list[FilledRow]
    invalid: list[InvalidDecision]
    cancel_forms: list[CancelForm]
    warnings: list[str]
    recorded_at: str
    tool_version: str = __version__
    missing: list[ListedFinding] = field(default_factory=list)  # rows deleted from the sheet
    missing_unnamed: int = 0  # deleted rows the worksheet can count but not name

    @property
    def missing_undecided(self) -> list[ListedFinding]:
        """The missing findings that needed a decision (all but the waived ones)."""
        return [m for m in self.missing if m.status != "waived"]

    def counts(self) -> dict[str, Any]:
        """Count findings, decided, undecided, missing, invalid, waived without decision, ...

        A finding missing from the sheet counts among the findings, and as undecided unless it
        was waived: the record never says all is decided when a row was deleted.
        """
        per = {code: 0 for code in DECISION_CODES.values()}
        for row in self.findings:
            if row.decision:
                per[row.decision] += 1
        invalid_ids = {i.finding_id for i in self.invalid}
        missing = len(self.missing) + self.missing_unnamed
        return {
            "findings": len(self.findings) + missing,
            "decided": sum(per.values()),
            "undecided": (
                len(self.undecided) + len(self.missing_undecided) + self.missing_unnamed
            ),
            "missing": missing,
            "missing_unnamed": self.missing_unnamed,
            "invalid": len(self.invalid),
            "waived_without_decision": sum(
                1 for r in self.findings
                if r.decision is None and r.status == "waived" and r.finding_id not in invalid_ids
            ),
            "by_decision": per,
            "cancel_forms": len(self.cancel_forms),
        }

    def to_dict(self) -> dict[str, Any]:
        """Build the record.json document."""
        return {
            "schema": RECORD_SCHEMA,
            "tool_version": self.tool_version,
            "recorded_at": self.recorded_at,
            "worksheet": {
                "file": self.worksheet,
                "sha256": self.worksheet_sha256,
                "schema": self.about.get("schema") or None,
            },
            "review": {
                "as_of": self.about.get("as_of") or None,
                "generated_at": self.about.get("generated_at") or None,
                "tool_version": self.about.get("tool_version") or None,
                "policy_version": self.about.get("policy_version") or None,
                "previous": self.about.get("previous") or None,
            },
            "body": dict(self.body),
            "counts": self.counts(),
            "findings": [_finding_dict(r) for r in self.findings],
            "undecided": [
                {"id": r.finding_id, "rule": r.rule, "username": r.username, "row": r.row,
                 "missing": False}
                for r in self.undecided
            ] + [
                {"id": m.finding_id, "rule": m.rule, "username": m.username, "row": m.row,
                 "missing": True}
                for m in self.missing_undecided
            ],
            "missing": [_missing_dict(m) for m in self.missing],
            "invalid": [asdict(i) for i in self.invalid],
            "cancellations": [asdict(c) for c in self.cancel_forms],
            "warnings": list(self.warnings),
        }

    def summary(self) -> str:
        """Summarise the record in a few Thai lines for the CLI."""
        c = self.counts()
        lines = [
            f"{self.body.get('name') or self.worksheet}: ข้อค้นพบ {c['findings']} รายการ "
            f"ตัดสินใจแล้ว {c['decided']} ยังไม่ตัดสินใจ {c['undecided']} ค่าไม่ถูกต้อง {c['invalid']}",
            f"แบบยกเลิกผู้ใช้ที่ต้องลงนาม {c['cancel_forms']} ฉบับ",
        ]
        lines += [
            f"  {Location(self.worksheet, SHEET_FINDINGS, i.row, i.column).describe_th()}: "
            f"'{i.value}' {i.problem}"
            for i in self.invalid
        ]
        if c["missing"]:
            lines.append(
                f"ไม่พบในแบบตรวจสอบ (แถวถูกลบ?) {c['missing']} รายการ / "
                f"{c['missing']} finding(s) missing from the worksheet (rows deleted?)"
            )
        for m in self.missing:
            row = f" แถวเดิม {m.row} / was row {m.row}" if m.row else ""
            waived = " (ยกเว้นแล้ว / waived)" if m.status == "waived" else ""
            lines.append(f"  {m.finding_id} {m.rule} {m.username}{row}{waived}")
        return "\n".join(lines)


def _missing_dict(m: ListedFinding) -> dict[str, Any]:
    return {
        "id": m.finding_id,
        "rule": m.rule,
        "severity": m.severity,
        "status": m.status,
        "username": m.username,
        "row": m.row,
    }


def _finding_dict(row: FilledRow) -> dict[str, Any]:
    return {
        "id": row.finding_id,
        "rule": row.rule,
        "category": row.category,
        "severity": row.severity,
        "status": row.status,
        "username": row.username,
        "full_name": row.full_name,
        "groups": row.groups,
        "decision": row.decision,
        "decision_th": DECISION_TH.get(row.decision or ""),
        "note": row.note or None,
        "reviewer": row.reviewer or None,
        "date": row.decided_on.isoformat() if row.decided_on else None,
        "row": row.row,
    }


def build_record(filled: FilledWorksheet) -> RecordResult:
    """Turn a read worksheet into the record: undecided ones, and one form per cancelled account."""
    invalid_ids = {i.finding_id for i in filled.invalid}
    undecided = [
        r for r in filled.rows
        if r.decision is None and r.status != "waived" and r.finding_id not in invalid_ids
    ]
    cancelled: dict[str, list[FilledRow]] = {}
    for row in filled.rows:
        if row.decision == CANCEL:
            cancelled.setdefault(user_key(row.username), []).append(row)
    forms = [_cancel_form(rows, filled.accounts.get(key)) for key, rows in cancelled.items()]
    warnings = [str(w) for w in filled.warnings]
    without = [r for r in filled.rows if r.decision and not (r.reviewer and r.decided_on)]
    if without:
        rows = f"{', '.join(str(r.row) for r in without[:10])}{' ...' if len(without) > 10 else ''}"
        warnings.append(
            f"มี {len(without)} การตัดสินใจที่ไม่มีชื่อผู้ตรวจหรือวันที่ (แถว {rows}) / "
            f"{len(without)} decisions have no reviewer name or date (rows {rows})"
        )
    missing = [f.username for f in forms if user_key(f.username) not in filled.accounts]
    if missing:
        warnings.append(
            f"ไม่พบในชีตบัญชีผู้ใช้ แบบยกเลิกจึงไม่มีตำแหน่งและหน่วยงาน: {', '.join(missing)} / "
            f"accounts not on the accounts sheet, forms lack position and unit: "
            f"{', '.join(missing)}"
        )
    hidden = [f.username for f in forms if _MASKED_LOGIN.fullmatch(f.username)]
    if hidden:
        # Worksheets before ACCOUNT_KEYS masked a ThaiD login: the form cannot name the account.
        warnings.append(
            f"ชื่อผู้ใช้ในแบบยกเลิกถูกปิดบัง ({', '.join(hidden)}) เพราะแบบตรวจสอบมาจาก "
            f"laas-audit รุ่นก่อน ค้นบัญชีจากชื่อ-สกุล หรือตรวจใหม่แล้วกรอกแบบตรวจสอบใหม่ / "
            f"the username on the cancellation form is masked ({', '.join(hidden)}): the "
            f"worksheet was written by an older laas-audit; find the account by its name, or "
            f"review again and fill the new worksheet"
        )
    return RecordResult(
        worksheet=filled.file,
        worksheet_sha256=filled.sha256,
        body=filled.body,
        about=dict(filled.about),
        findings=list(filled.rows),
        undecided=undecided,
        invalid=list(filled.invalid),
        cancel_forms=forms,
        warnings=warnings,
        recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        missing=list(filled.missing),
        missing_unnamed=filled.missing_unnamed,
    )


def cancel_reason(roster_status: str, fallback: str) -> tuple[ReasonKind, str]:
    """Which box of the form to tick, and its text, from the roster status.

    ย้าย, โอน and ลาออก tick "ย้าย/ลาออก"; any other status leaving the body (เกษียณอายุราชการ,
    ให้ออก, เสียชีวิต, ...) ticks "อื่นๆ" with the status; without one, "อื่นๆ" with `fallback`.
    """
    status = roster_status.strip()
    folded = fold(status)
    if any(fold(word) in folded for word in MOVED_OR_RESIGNED):
        return "moved_or_resigned", status
    if status and folded not in {fold(s) for s in NORMAL_STATUSES}:
        return "other", status
    return "other", fallback


def _rule_reason(rows: list[FilledRow]) -> str | None:
    """Give the form's reason that the first of these findings' rules has, if one has one."""
    from laas_audit.checks import load_cancel_reasons  # the rule catalogue, only for a form

    reasons = load_cancel_reasons()
    return next((reasons[r.rule] for r in rows if r.rule in reasons), None)


def _cancel_form(rows: list[FilledRow], account: AccountInfo | None) -> CancelForm:
    first = rows[0]
    info = account or AccountInfo(username=first.username)
    notes = [r.note for r in rows if r.note]
    by_rule = _rule_reason(rows)
    # "อื่นๆ" needs words: the rule's reason for the form (LA105: เกษียณอายุราชการ), else the
    # reviewer's note, else what the finding says.
    if by_rule:
        fallback = by_rule
    elif notes:
        fallback = notes[0]
    elif first.rule_title:
        fallback = f"{first.rule_title} ({first.rule})"
    else:
        fallback = first.message
    kind, text = cancel_reason(info.roster_status, fallback)
    return CancelForm(
        username=info.username or first.username,
        full_name=info.full_name or first.full_name,
        position=info.position,
        unit=info.unit,
        groups=info.groups or first.groups,
        roster_status=info.roster_status,
        reason=kind,
        reason_text=text,
        findings=[r.finding_id for r in rows],
        rules=sorted({r.rule for r in rows if r.rule}),
    )


# --------------------------------------------------------------------------- writing


def write_record(
    filled_or_record: FilledWorksheet | RecordResult,
    out_dir: Path,
    *,
    worksheet: Path | None = None,
    previous_manifest: Path | None = None,
) -> list[Path]:
    """Write record.json, record.html and (when any account is cancelled) cancel_forms.html.

    With `worksheet`, a manifest.json hashes it and the outputs, chained to the review's
    `previous_manifest`. All files appear together or not at all (`output.write_all`).
    """
    from laas_audit.manifest import write_manifest
    from laas_audit.output import write_all

    record = (
        filled_or_record
        if isinstance(filled_or_record, RecordResult)
        else build_record(filled_or_record)
    )
    writers: dict[str, Any] = {
        RECORD_JSON: lambda p: write_record_json(record, p),
        RECORD_HTML: lambda p: write_record_html(record, p),
    }
    if record.cancel_forms:
        writers[CANCEL_FORMS_HTML] = lambda p: write_cancel_forms(record, p)
    if worksheet is not None:
        outputs = list(writers)
        writers["manifest.json"] = lambda p: write_manifest(
            p.parent, [("worksheet", worksheet)], [p.parent / n for n in outputs],
            previous_manifest, final_dir=out_dir,
        )
    return write_all(out_dir, writers)


def write_record_json(record: RecordResult, path: Path) -> None:
    """Write record.json (UTF-8, Thai as written)."""
    text = json.dumps(record.to_dict(), ensure_ascii=False, indent=2, default=str)
    path.write_text(text + "\n", encoding="utf-8")


def write_record_html(record: RecordResult, path: Path) -> None:
    """Write record.html: self-contained, Thai, every decision and what is still open."""
    path.write_text(render_template("record.html.j2", record), encoding="utf-8")


def write_cancel_forms(record: RecordResult, path: Path) -> None:
    """Write cancel_forms.html: one printable A4 page per account decided ยกเลิกผู้ใช้."""
    path.write_text(render_template("cancel_forms.html.j2", record), encoding="utf-8")


def render_template(name: str, record: RecordResult) -> str:
    """Render one of the record templates with the record and its display helpers."""
    return _environment().get_template(name).render(
        record=record,
        counts=record.counts(),
        body_name=record.body.get("name") or "",
        place=place_text(record.body),
        as_of=iso_date_text(record.about.get("as_of")),
        recorded_at=timestamp_text(record.recorded_at),
        decision_th=DECISION_TH,
        decisions=DECISIONS,
        decision_code_of=DECISION_CODES,
        status_th=STATUS_LABELS,
        category_th=CATEGORY_TH,
        severity_th=SEVERITY_TH,
        invalid_ids={i.finding_id for i in record.invalid},
        finance_head_titles=FINANCE_HEAD_TITLES,
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = template_environment()
    env.filters["be_date"] = lambda d: date_text(d) if d else ""
    env.filters["be_date_short"] = lambda d: date_text(d, short=True) if d else ""
    return env
