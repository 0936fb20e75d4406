"""findings.xlsx: the review worksheet the finance head fills in and signs (layout: worksheet.py).

Every value from the inputs goes through `safe_cells.set_cell`, so no cell can become a formula
and illegal XML characters never crash the save; national IDs are masked before anything else,
except in usernames: a ThaiD login is an ID, and the finance head must find the account to act on
it (the national ID column and IDs in any text stay masked).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from laas_audit.model import (
    CATEGORY_TH,
    METHOD_TH,
    SEVERITY_TH,
    ExceptionState,
    Finding,
    MatchInfo,
    ReviewResult,
)
from laas_audit.render_common import (
    date_text,
    decision_name,
    evidence_text,
    iso_date_text,
    order_text,
    place_text,
)
from laas_audit.safe_cells import masked, set_cell
from laas_audit.worksheet import (
    ABOUT_KEY_COLUMN,
    ABOUT_KEYS,
    ABOUT_LABEL_COLUMN,
    ABOUT_VALUE_COLUMN,
    ACCOUNT_COLUMNS,
    DECISION_EN,
    DECISIONS,
    EXCEPTION_COLUMNS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INDEX_COLUMNS,
    INDEX_HEADER_ROW,
    PREVIOUS_COLUMNS,
    RESOLVED_COLUMNS,
    SHEET_ABOUT,
    SHEET_ACCOUNTS,
    SHEET_EXCEPTIONS,
    SHEET_FINDINGS,
    SHEET_INDEX,
    SHEET_RESOLVED,
    STATUS_LABELS,
    WORKSHEET_SCHEMA,
    Column,
    column_number,
    finding_columns,
)

FONT_NAME = "TH Sarabun New"  # the Thai government's standard font; Excel falls back if absent
FONT = Font(name=FONT_NAME, size=14)
FONT_BOLD = Font(name=FONT_NAME, size=14, bold=True)
FONT_TITLE = Font(name=FONT_NAME, size=18, bold=True)
FONT_WAIVED = Font(name=FONT_NAME, size=14, italic=True, color="666666")
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
REVIEWER_FILL = PatternFill("solid", fgColor="FFF2CC")  # where the reviewer writes
WAIVED_FILL = PatternFill("solid", fgColor="EDEDED")
PREVIOUS_FILL = PatternFill("solid", fgColor="E7E6E6")  # last cycle's decision: read-only
FLAG_FILL = PatternFill("solid", fgColor="FCE4D6")  # fuzzy / unmatched accounts
SEVERITY_FILL = {
    "high": PatternFill("solid", fgColor="F4B6B6"),
    "medium": PatternFill("solid", fgColor="FFD8A8"),
    "low": PatternFill("solid", fgColor="FFF3B0"),
}
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
EXCEL_EPOCH_2000 = 36526  # serial of 2000-01-01: decision dates before it are typos
EXCEL_MAX_DATE = 2958465  # serial of 9999-12-31 (BE years typed as 25xx still pass; record fixes)
STATE_TH = {"active": "ใช้อยู่", "expired": "หมดอายุแล้ว", "unused": "ไม่ได้ใช้"}


def write_worksheet(result: ReviewResult, path: Path) -> Path:
    """Write the review worksheet (findings, accounts, resolved, exceptions, about) to `path`."""
    build_workbook(result).save(path)
    return path


def build_workbook(result: ReviewResult) -> Workbook:
    """Build the worksheet as an openpyxl Workbook (national IDs masked, no formulas anywhere)."""
    # Sorted as findings.json is; usernames kept whole (safe_cells.ACCOUNT_KEYS).
    result = masked(
        dataclasses.replace(result, findings=result.sorted_findings()), keep_usernames=True
    )
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new Workbook always has one sheet
    ws.title = SHEET_FINDINGS
    _findings_sheet(ws, result)
    _accounts_sheet(wb.create_sheet(SHEET_ACCOUNTS), result)
    if result.resolved:
        _resolved_sheet(wb.create_sheet(SHEET_RESOLVED), result)
    if result.exceptions:
        _exceptions_sheet(wb.create_sheet(SHEET_EXCEPTIONS), result)
    _about_sheet(wb.create_sheet(SHEET_ABOUT), result)
    _index_sheet(wb.create_sheet(SHEET_INDEX), result)
    return wb


def _title_block(
    ws: Worksheet, result: ReviewResult, title: str, note: str, width: int
) -> None:
    body = result.body.get("name") or "(ไม่พบชื่อหน่วยงานในไฟล์)"
    place = place_text(result.body)
    line = f"{body} {place}".strip() + f"  ข้อมูล ณ วันที่ {date_text(result.as_of)}"
    # Title rows span the table (merged) so they read as one line above it on screen and paper.
    last = get_column_letter(max(width, 1))
    for row, text, font in ((1, title, FONT_TITLE), (2, line, FONT_BOLD), (3, note, FONT)):
        cell = set_cell(ws.cell(row, 1), text or None)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.merge_cells(f"A{row}:{last}{row}")
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 24
    if note:
        ws.row_dimensions[3].height = 24 * (1 + len(note) // 160)


def _header(ws: Worksheet, columns: Sequence[Column]) -> None:
    for i, col in enumerate(columns, start=1):
        cell = set_cell(ws.cell(HEADER_ROW, i), col.label)
        cell.font = FONT_BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = REVIEWER_FILL if col.reviewer else HEADER_FILL
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.row_dimensions[HEADER_ROW].height = 40
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _rows(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Mapping[str, object]]) -> int:
    """Write data rows under the header; return the last row written (HEADER_ROW if none)."""
    r = HEADER_ROW
    for r, values in enumerate(rows, start=FIRST_DATA_ROW):
        for i, col in enumerate(columns, start=1):
            cell = set_cell(ws.cell(r, i), values.get(col.key))
            cell.font = FONT
            cell.alignment = WRAP
            cell.border = BORDER
            if col.reviewer:
                cell.fill = REVIEWER_FILL
    last_col = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(r, FIRST_DATA_ROW)}"
    return r


def _finding_values(result: ReviewResult, f: Finding, names: dict[str, str]) -> dict[str, object]:
    rule = result.rules.get(f.rule)
    waiver = ""
    if f.waiver is not None:
        w = f.waiver
        waiver = f"{w.reason} (อนุมัติโดย {w.approved_by}; หมดอายุ {iso_date_text(w.expires)}"
        waiver += f"; {order_text(w.order, 'คำสั่ง')})" if w.order else ")"
    values: dict[str, object] = {
        "finding_id": f.id,
        "rule": f.rule,
        "rule_title": rule.title_th if rule else "",
        "category": CATEGORY_TH.get(f.category, f.category),
        "severity": SEVERITY_TH.get(f.severity, f.severity),
        "status": STATUS_LABELS.get(f.status, f.status),
        "username": f.username,
        "full_name": names.get(f.username, ""),
        "groups": "\n".join(f.groups),
        "message": f.message + (
            f"\n(เดิม {f.previous_rule} ในการตรวจครั้งก่อน: ปัญหาเดิมของบัญชีนี้ ยังไม่ได้แก้ไข)"
            if f.previous_rule else ""),
        "action": rule.action_th if rule else "",
        "evidence": evidence_text(f.evidence),
        "source": _source_text(f),
        "waiver": waiver,
    }
    if f.previous_decision is not None:
        d = f.previous_decision
        when = ", ".join(x for x in (iso_date_text(d.date, short=True), d.reviewer or "") if x)
        values["previous_decision"] = decision_name(d) + (f" ({when})" if when else "")
        values["previous_note"] = d.note or ""
    return values


def _source_text(f: Finding) -> str:
    parts = [f.source.file]
    if f.source.sheet:
        parts.append(f"ชีต {f.source.sheet}")
    if f.source.rows:
        parts.append("แถว " + ", ".join(str(r) for r in f.source.rows))
    return ", ".join(parts)


def _findings_sheet(ws: Worksheet, result: ReviewResult) -> None:
    choices = " / ".join(f"{d} ({DECISION_EN[d]})" for d in DECISIONS)
    findings = result.findings  # already in sorted_findings() order (see build_workbook)
    with_previous = any(f.previous_decision is not None for f in findings)
    columns = finding_columns(with_previous)
    note = f"ให้หัวหน้าหน่วยงานคลังเลือกการตัดสินใจทุกแถว: {choices} แล้วกรอกหมายเหตุ ชื่อ และวันที่"
    if with_previous:
        note += " (คอลัมน์ 'ครั้งก่อน' คือการตัดสินใจของรอบก่อน ให้ดูประกอบ ไม่ต้องแก้ไข)"
    _title_block(ws, result, "แบบตรวจสอบผู้ใช้งานและกลุ่มผู้ใช้งานระบบ New e-LAAS", note,
                 len(columns))
    _header(ws, columns)
    names = {a.username: a.full_name for a in result.accounts}
    last = _rows(ws, columns, (_finding_values(result, f, names) for f in findings))
    sev_col = column_number(columns, "severity")
    for r, f in enumerate(findings, start=FIRST_DATA_ROW):
        ws.cell(r, sev_col).fill = SEVERITY_FILL[f.severity]
        if f.status == "waived":
            for i, col in enumerate(columns, start=1):
                ws.cell(r, i).font = FONT_WAIVED
                if not col.reviewer and i != sev_col:
                    ws.cell(r, i).fill = WAIVED_FILL
    if not findings:
        set_cell(ws.cell(FIRST_DATA_ROW, 1), "ไม่มีข้อค้นพบ / No findings").font = FONT_BOLD
        return
    _decision_validation(ws, last, columns)
    if with_previous:
        _previous_columns(ws, findings, last, columns)


def _previous_columns(
    ws: Worksheet, findings: Sequence[Finding], last: int, columns: Sequence[Column]
) -> None:
    """Mark last cycle's decision read-only: grey, and Excel refuses a value typed into it.

    A cancellation decided last cycle is on an account still here (it has a finding): red.
    """
    first = column_number(columns, PREVIOUS_COLUMNS[0].key)
    for r, f in enumerate(findings, start=FIRST_DATA_ROW):
        for i in range(first, first + len(PREVIOUS_COLUMNS)):
            ws.cell(r, i).fill = PREVIOUS_FILL
        if f.previous_decision is not None and f.previous_decision.decision == "cancel":
            ws.cell(r, first).fill = SEVERITY_FILL["high"]
            ws.cell(r, first).font = FONT_BOLD
    # No text has a negative length: every value typed is refused (pasting is not checked).
    read_only = DataValidation(
        type="textLength", operator="lessThan", formula1="0", allow_blank=True,
        showErrorMessage=True, errorTitle="ข้อมูลของรอบก่อน",
        error="คอลัมน์นี้เป็นการตัดสินใจของรอบก่อน แก้ไขไม่ได้ ให้กรอกการตัดสินใจของรอบนี้ในคอลัมน์ "
              "'การตัดสินใจ' / last cycle's decision: enter this cycle's in the Decision column",
    )
    start, end = get_column_letter(first), get_column_letter(first + len(PREVIOUS_COLUMNS) - 1)
    read_only.add(f"{start}{FIRST_DATA_ROW}:{end}{last}")
    ws.add_data_validation(read_only)


def _decision_validation(ws: Worksheet, last: int, columns: Sequence[Column]) -> None:
    dec = get_column_letter(column_number(columns, "decision"))
    # Inline list (no helper sheet, no formula): exactly the four values, blank allowed.
    decision = DataValidation(
        type="list",
        formula1='"' + ",".join(DECISIONS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="การตัดสินใจไม่ถูกต้อง",
        error="เลือกจากรายการเท่านั้น: " + " / ".join(DECISIONS),
        promptTitle="การตัดสินใจ",
        prompt="เลือก: " + " / ".join(DECISIONS),
    )
    decision.add(f"{dec}{FIRST_DATA_ROW}:{dec}{last}")
    ws.add_data_validation(decision)
    day = get_column_letter(column_number(columns, "decision_date"))
    when = DataValidation(
        type="date",
        operator="between",
        formula1=str(EXCEL_EPOCH_2000),
        formula2=str(EXCEL_MAX_DATE),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="วันที่ไม่ถูกต้อง",
        error="กรอกวันที่ เช่น 15/10/2569 / enter a date",
    )
    when.add(f"{day}{FIRST_DATA_ROW}:{day}{last}")
    ws.add_data_validation(when)
    for r in range(FIRST_DATA_ROW, last + 1):
        ws[f"{day}{r}"].number_format = "dd/mm/yyyy"


def _accounts_sheet(ws: Worksheet, result: ReviewResult) -> None:
    _title_block(ws, result, "บัญชีผู้ใช้งานทั้งหมดและการจับคู่กับทะเบียนบุคลากร",
                 "แถวสีส้ม: จับคู่ด้วยชื่อใกล้เคียงหรือไม่พบในทะเบียน ควรตรวจยืนยัน",
                 len(ACCOUNT_COLUMNS))
    _header(ws, ACCOUNT_COLUMNS)
    per_user = Counter(f.username for f in result.findings if f.status != "waived")
    rows = []
    for a in result.accounts:
        rows.append({
            "username": a.username,
            "full_name": a.full_name,
            "national_id": a.national_id or "",
            "position": a.position or "",
            "unit": a.unit or "",
            "status": a.status or "",
            "roster_status": a.roster_status or "",
            "groups": "\n".join(a.groups),
            "match_method": _method_text(a.match),
            "match_score": a.match.score,
            "roster_row": a.match.roster_row,
            "candidates": "\n".join(
                f"{c.full_name} (แถว {c.roster_row}, {c.score:g})" for c in a.match.candidates
            ),
            "last_login": iso_date_text(a.last_login, short=True),
            "password_changed": iso_date_text(a.password_changed, short=True),
            "source_rows": ", ".join(str(r) for r in a.source_rows),
            "findings": per_user.get(a.username, 0),
        })
    _rows(ws, ACCOUNT_COLUMNS, rows)
    method_col = column_number(ACCOUNT_COLUMNS, "match_method")
    for r, a in enumerate(result.accounts, start=FIRST_DATA_ROW):
        if a.match.counted_as in ("fuzzy", "none"):
            for i in range(1, len(ACCOUNT_COLUMNS) + 1):
                ws.cell(r, i).fill = FLAG_FILL
            ws.cell(r, method_col).font = FONT_BOLD


def _method_text(match: MatchInfo) -> str:
    """How it was matched; a reviewer's "no one" also says so (as the summary counts it)."""
    text = METHOD_TH.get(match.method, match.method)
    if match.counted_as != match.method:
        text += ": " + METHOD_TH[match.counted_as]
    return text


def _resolved_sheet(ws: Worksheet, result: ReviewResult) -> None:
    columns = RESOLVED_COLUMNS
    if any(f.previous_decision is not None for f in result.resolved):
        columns += PREVIOUS_COLUMNS  # e.g. a cancellation that was carried out
    _title_block(ws, result, "ข้อค้นพบที่แก้ไขแล้วนับจากการตรวจครั้งก่อน",
                 f"เทียบกับ: {result.previous or '-'}", len(columns))
    _header(ws, columns)
    names = {a.username: a.full_name for a in result.accounts}
    rows = []
    for f in result.resolved:
        values = _finding_values(result, f, names)
        values["status"] = STATUS_LABELS["resolved"]
        values["full_name"] = values["full_name"] or _evidence_name(f.evidence)
        rows.append(values)
    _rows(ws, columns, rows)


def _evidence_name(evidence: Mapping[str, object]) -> str:
    """Return the name a previous finding recorded (its account is often gone from the export)."""
    for part in (evidence.get("export"), evidence.get("roster"), evidence):
        if isinstance(part, Mapping) and isinstance(part.get("full_name"), str):
            return str(part["full_name"])
    return ""


def _exception_values(e: ExceptionState) -> dict[str, object]:
    state = STATE_TH.get(e.state, e.state)
    if e.expiring_soon and e.state == "active":
        state += " (ใกล้หมดอายุ)"
    return {
        "username": e.username,
        "rule": e.rule or "",
        "category": CATEGORY_TH.get(e.category or "", e.category or ""),
        "state": state,
        "expires": iso_date_text(e.expires),
        "reason": e.reason,
        "approved_by": e.approved_by,
        "order": e.order or "",
    }


def _exceptions_sheet(ws: Worksheet, result: ReviewResult) -> None:
    _title_block(ws, result, "ข้อยกเว้น (การยอมรับความเสี่ยงที่ได้รับอนุมัติ)", "",
                 len(EXCEPTION_COLUMNS))
    _header(ws, EXCEPTION_COLUMNS)
    _rows(ws, EXCEPTION_COLUMNS, (_exception_values(e) for e in result.exceptions))
    state_col = column_number(EXCEPTION_COLUMNS, "state")
    for r, e in enumerate(result.exceptions, start=FIRST_DATA_ROW):
        if e.state == "expired" or e.expiring_soon:
            ws.cell(r, state_col).fill = SEVERITY_FILL["high" if e.state == "expired" else "low"]
            ws.cell(r, state_col).font = FONT_BOLD


def _about_sheet(ws: Worksheet, result: ReviewResult) -> None:
    values: dict[str, object] = {
        "schema": WORKSHEET_SCHEMA,
        "body": result.body.get("name") or "",
        "district": result.body.get("district") or "",
        "province": result.body.get("province") or "",
        "as_of": result.as_of.isoformat(),
        "as_of_be": date_text(result.as_of),
        "generated_at": result.generated_at,
        "tool_version": result.tool_version,
        "policy_version": result.policy_version,
        "citation": result.citation,
        "previous": result.previous or "",
        "findings": len(result.findings),
        "accounts": len(result.accounts),
    }
    set_cell(ws.cell(1, 1), "เกี่ยวกับแบบตรวจสอบนี้ / About this worksheet").font = FONT_TITLE
    r = 2
    for key, th, en in ABOUT_KEYS:
        r += 1
        set_cell(ws.cell(r, ABOUT_LABEL_COLUMN), f"{th} / {en}").font = FONT_BOLD
        set_cell(ws.cell(r, ABOUT_VALUE_COLUMN), values[key]).font = FONT
        set_cell(ws.cell(r, ABOUT_KEY_COLUMN), key).font = Font(name=FONT_NAME, size=10,
                                                                color="808080")
    for inp in result.inputs:
        r += 1
        role = "ไฟล์รายงานผู้ใช้งาน / export" if inp.role == "export" else "ทะเบียนบุคลากร / roster"
        set_cell(ws.cell(r, ABOUT_LABEL_COLUMN), role).font = FONT_BOLD
        set_cell(ws.cell(r, ABOUT_VALUE_COLUMN), inp.file).font = FONT
        set_cell(ws.cell(r, ABOUT_KEY_COLUMN), f"input:{inp.role}").font = FONT
        detail = f"sha256={inp.sha256} rows={inp.rows} sheet={inp.sheet or ''}"
        detail += f" header_row={inp.header_row if inp.header_row is not None else ''}"
        set_cell(ws.cell(r, ABOUT_KEY_COLUMN + 1), detail).font = FONT
    for i, width in enumerate((38, 70, 16, 100), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=3, max_row=r):
        for cell in row:
            cell.alignment = WRAP


def _index_sheet(ws: Worksheet, result: ReviewResult) -> None:
    """List the findings as written, hidden and protected: `record` names a deleted row."""
    for i, col in enumerate(INDEX_COLUMNS, start=1):
        set_cell(ws.cell(INDEX_HEADER_ROW, i), col.label)
    # The same order as the findings sheet (see build_workbook), so `row` is where each one is.
    for r, f in enumerate(result.findings, start=FIRST_DATA_ROW):
        values = (f.id, f.rule, f.username, f.severity, f.status, r)
        for i, value in enumerate(values, start=1):
            set_cell(ws.cell(INDEX_HEADER_ROW + r - HEADER_ROW, i), value)
    # Excel's menus cannot unhide a "veryHidden" sheet; protection stops casual edits if it is.
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
