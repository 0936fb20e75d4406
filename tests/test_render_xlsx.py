"""findings.xlsx read back cell by cell: layout per worksheet.py, no formula, drop-down, masking."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from laas_audit.model import ReviewResult
from laas_audit.render_xlsx import write_worksheet
from laas_audit.safe_cells import (
    EXCEL_MAX_CELL,
    csv_safe,
    excel_safe,
    is_formula_like,
    strip_illegal_xml,
)
from laas_audit.worksheet import (
    ABOUT_KEY_COLUMN,
    ABOUT_VALUE_COLUMN,
    ACCOUNT_COLUMNS,
    DECISIONS,
    FINDING_COLUMNS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INDEX_COLUMNS,
    INDEX_HEADER_ROW,
    SHEET_ABOUT,
    SHEET_ACCOUNTS,
    SHEET_EXCEPTIONS,
    SHEET_FINDINGS,
    SHEET_INDEX,
    SHEET_RESOLVED,
    WORKSHEET_SCHEMA,
    column_number,
    decision_code,
    find_columns,
)
from tests.result_factory import (
    AT_SUM,
    CONTROL,
    CR_LEAD,
    FORMULA_PAYLOADS,
    HYPERLINK,
    IMG,
    MINUS,
    PLUS_CMD,
    SCRIPT,
    SPACE_EQ,
    TAB_LEAD,
    make_result,
)


@pytest.fixture(scope="module")
def result() -> ReviewResult:
    return make_result()


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory: pytest.TempPathFactory, result: ReviewResult) -> Path:
    return write_worksheet(result, tmp_path_factory.mktemp("ws") / "findings.xlsx")


@pytest.fixture(scope="module")
def wb(xlsx: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(xlsx)


def column_values(ws: Worksheet, col: int) -> list[object]:
    return [ws.cell(r, col).value for r in range(FIRST_DATA_ROW, ws.max_row + 1)]


def test_sheets_in_order(wb: openpyxl.Workbook) -> None:
    assert wb.sheetnames == [
        SHEET_FINDINGS, SHEET_ACCOUNTS, SHEET_RESOLVED, SHEET_EXCEPTIONS, SHEET_ABOUT, SHEET_INDEX
    ]


def test_hidden_list_of_findings_as_written(wb: openpyxl.Workbook, result: ReviewResult) -> None:
    """What `record` compares the filled sheet with: every finding, its row, out of reach."""
    index = wb[SHEET_INDEX]
    assert index.sheet_state == "veryHidden" and index.protection.sheet
    assert [wb[name].sheet_state for name in wb.sheetnames if name != SHEET_INDEX] == [
        "visible"] * (len(wb.sheetnames) - 1)
    header = [c.value for c in index[INDEX_HEADER_ROW]]
    cols = find_columns(header, INDEX_COLUMNS)
    assert list(cols) == [c.key for c in INDEX_COLUMNS]
    listed = [
        tuple(index.cell(r, cols[k] + 1).value for k in ("finding_id", "rule", "username", "row"))
        for r in range(INDEX_HEADER_ROW + 1, index.max_row + 1)
    ]
    findings = wb[SHEET_FINDINGS]
    shown = [
        (*(findings.cell(r, column_number(FINDING_COLUMNS, k)).value
           for k in ("finding_id", "rule", "username")), r)
        for r in range(FIRST_DATA_ROW, findings.max_row + 1)
    ]
    assert len(listed) == len(result.findings) and listed == shown
    statuses = {index.cell(r, cols["status"] + 1).value for r in range(2, index.max_row + 1)}
    assert statuses <= {"new", "persisting", "waived"} and "waived" in statuses


def test_header_row_is_the_contract(wb: openpyxl.Workbook) -> None:
    for name, columns in ((SHEET_FINDINGS, FINDING_COLUMNS), (SHEET_ACCOUNTS, ACCOUNT_COLUMNS)):
        ws = wb[name]
        header = [c.value for c in ws[HEADER_ROW]]
        assert header == [c.label for c in columns]
        assert find_columns(header, columns) == {c.key: i for i, c in enumerate(columns)}
        assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
        assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
        assert ws.column_dimensions["A"].width == columns[0].width
        last = openpyxl.utils.get_column_letter(len(columns))
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert {f"A{r}:{last}{r}" for r in range(1, HEADER_ROW)} == merged  # title rows only


def test_one_row_per_finding_in_json_order(wb: openpyxl.Workbook, result: ReviewResult) -> None:
    ws = wb[SHEET_FINDINGS]
    ids = column_values(ws, column_number(FINDING_COLUMNS, "finding_id"))
    assert ids == [f.id for f in result.sorted_findings()]
    statuses = column_values(ws, column_number(FINDING_COLUMNS, "status"))
    waivers = column_values(ws, column_number(FINDING_COLUMNS, "waiver"))
    for f, status, waiver in zip(result.sorted_findings(), statuses, waivers, strict=True):
        assert status == {"new": "ใหม่", "persisting": "ยังคงอยู่", "waived": "ยกเว้น"}[f.status]
        if f.status == "waived":
            assert isinstance(waiver, str)
            assert "รักษาราชการแทน" in waiver and "31 ธันวาคม 2569" in waiver
        else:
            assert waiver is None or waiver == ""
    # The reviewer's columns are left for the reviewer.
    for key in ("decision", "note", "reviewer", "decision_date"):
        assert set(column_values(ws, column_number(FINDING_COLUMNS, key))) == {None}


def test_finding_row_content(wb: openpyxl.Workbook, result: ReviewResult) -> None:
    ws = wb[SHEET_FINDINGS]
    f = next(f for f in result.sorted_findings() if f.rule == "LA101")
    r = FIRST_DATA_ROW + result.sorted_findings().index(f)
    cell = {c.key: ws.cell(r, i).value for i, c in enumerate(FINDING_COLUMNS, start=1)}
    assert cell["rule"] == "LA101" and cell["severity"] == "สูง" and cell["category"] == "ค้างในระบบ"
    assert cell["rule_title"] == result.rules["LA101"].title_th
    assert cell["action"] == result.rules["LA101"].action_th
    assert cell["groups"] == "\n".join(f.groups)
    evidence = str(cell["evidence"])
    assert "ไฟล์รายงานผู้ใช้งาน (e-LAAS) (" in evidence and "ชีต รายงาน" in evidence
    assert "ทะเบียนบุคลากร (" in evidence and "1 มีนาคม 2569" in evidence
    assert cell["source"] == f"{f.source.file}, ชีต {f.source.sheet}, แถว " + ", ".join(
        str(x) for x in f.source.rows
    )


def test_payloads_stay_literal_text(wb: openpyxl.Workbook) -> None:
    ws = wb[SHEET_ACCOUNTS]
    cells = {
        ws.cell(r, c).value: ws.cell(r, c)
        for r in range(FIRST_DATA_ROW, ws.max_row + 1)
        for c in range(1, ws.max_column + 1)
    }
    for payload in (HYPERLINK, PLUS_CMD, MINUS, AT_SUM, TAB_LEAD, SPACE_EQ + " {{ 7*7 }}{% raw %}"):
        cell = cells[payload]
        assert cell.data_type == "s", payload
        assert cell.quotePrefix, payload
    # XML turns a bare CR into a line break; it must still be text, not "=3+4" as a formula.
    cr = next(c for v, c in cells.items() if isinstance(v, str) and v.strip() == CR_LEAD.strip())
    assert cr.data_type == "s" and cr.quotePrefix
    assert f"นางสาว{SCRIPT}สมศรี ศรีสุข" in cells
    groups = [v for v in cells if isinstance(v, str) and IMG in v]
    assert groups == [f"{IMG}\nเจ้าหน้าที่การเงิน\nกลุ่มทดสอบ"]  # control characters dropped


def test_no_formula_anywhere_in_the_xml(xlsx: Path) -> None:
    with zipfile.ZipFile(xlsx) as z:
        parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}
    sheets = [n for n in parts if n.startswith("xl/worksheets/")]
    assert len(sheets) == 6  # five visible sheets and the hidden list
    for name in sheets:
        assert not re.search(r"<f[\s>]", parts[name]), name
    assert "HYPERLINK" in "".join(parts.values())  # the payload is there, as text


def test_decision_drop_down_has_exactly_the_four_values(
    wb: openpyxl.Workbook, result: ReviewResult
) -> None:
    ws = wb[SHEET_FINDINGS]
    last = FIRST_DATA_ROW + len(result.findings) - 1
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    dv = lists[0]
    assert dv.formula1.startswith('"') and dv.formula1.endswith('"')
    assert tuple(dv.formula1.strip('"').split(",")) == DECISIONS
    assert not dv.showDropDown  # in OOXML, showDropDown=1 *hides* the arrow
    col = openpyxl.utils.get_column_letter(column_number(FINDING_COLUMNS, "decision"))
    assert str(dv.sqref) == f"{col}{FIRST_DATA_ROW}:{col}{last}"
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    day = openpyxl.utils.get_column_letter(column_number(FINDING_COLUMNS, "decision_date"))
    assert len(dates) == 1 and str(dates[0].sqref) == f"{day}{FIRST_DATA_ROW}:{day}{last}"


def test_decision_values_read_back() -> None:
    assert [decision_code(d) for d in DECISIONS] == ["keep", "cancel", "adjust_groups",
                                                     "accept_risk"]
    assert decision_code("  ยกเลิกผู้ใช้ ") == "cancel" and decision_code("") is None
    with pytest.raises(ValueError):
        decision_code("ลบ")


def test_thai_font_and_wrapping(wb: openpyxl.Workbook) -> None:
    cell = wb[SHEET_FINDINGS].cell(FIRST_DATA_ROW, column_number(FINDING_COLUMNS, "message"))
    assert cell.font.name == "TH Sarabun New" and cell.alignment.wrap_text


def test_accounts_sheet_flags_fuzzy_and_unmatched(
    wb: openpyxl.Workbook, result: ReviewResult
) -> None:
    ws = wb[SHEET_ACCOUNTS]
    assert ws.max_row == FIRST_DATA_ROW + len(result.accounts) - 1
    method_col = column_number(ACCOUNT_COLUMNS, "match_method")
    for r, a in enumerate(result.accounts, start=FIRST_DATA_ROW):
        fill = ws.cell(r, 1).fill.fgColor.rgb
        assert (fill == "00FCE4D6") is (a.match.method in ("fuzzy", "none"))
        assert ws.cell(r, method_col).value
    candidates = ws.cell(FIRST_DATA_ROW + 5, column_number(ACCOUNT_COLUMNS, "candidates")).value
    assert candidates and "(แถว 40, 78)" in str(candidates)


def test_no_full_national_id_in_any_part(xlsx: Path, result: ReviewResult) -> None:
    # IDs that are not also a username appear nowhere in the file, masked or not.
    logins = {a.username for a in result.accounts}
    ids = [a.national_id for a in result.accounts if a.national_id not in logins]
    with zipfile.ZipFile(xlsx) as z:
        blob = "".join(z.read(n).decode("utf-8") for n in z.namelist())
    assert ids and not [i for i in ids if i in blob]
    assert "x-xxxx-xxxxx-" in blob


USERNAME_CELLS = {
    SHEET_FINDINGS: column_number(FINDING_COLUMNS, "username"),
    SHEET_ACCOUNTS: column_number(ACCOUNT_COLUMNS, "username"),
    SHEET_INDEX: column_number(INDEX_COLUMNS, "username"),
}


def test_thaid_username_shown_in_full_but_its_id_column_masked(
    wb: openpyxl.Workbook, result: ReviewResult
) -> None:
    """A ThaiD login is the account key the finance head needs: only username cells show it."""
    thaid = result.accounts[0]
    assert thaid.national_id and thaid.username == thaid.national_id  # the factory's ThaiD login
    masked_id = f"x-xxxx-xxxxx-{thaid.national_id[10:12]}-{thaid.national_id[12]}"
    accounts = wb[SHEET_ACCOUNTS]
    assert accounts.cell(FIRST_DATA_ROW, USERNAME_CELLS[SHEET_ACCOUNTS]).value == thaid.username
    id_col = column_number(ACCOUNT_COLUMNS, "national_id")
    assert accounts.cell(FIRST_DATA_ROW, id_col).value == masked_id
    findings = wb[SHEET_FINDINGS]
    user_col = USERNAME_CELLS[SHEET_FINDINGS]
    rows = [r for r in range(FIRST_DATA_ROW, findings.max_row + 1)
            if findings.cell(r, user_col).value == thaid.username]
    assert rows, "the ThaiD account's findings are listed under its full username"
    message = findings.cell(rows[0], column_number(FINDING_COLUMNS, "message")).value
    assert masked_id in str(message)  # the same digits inside text stay masked
    # Evidence names the username among other facts: text, so masked too (README).
    evidence = findings.cell(rows[0], column_number(FINDING_COLUMNS, "evidence")).value
    assert f"ชื่อผู้ใช้: {masked_id}" in str(evidence)
    # The full ID is in no other cell of any sheet.
    leaks = [
        (ws.title, cell.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if thaid.national_id in str(cell.value or "")
        and not (cell.column == USERNAME_CELLS.get(ws.title) and cell.value == thaid.username)
    ]
    assert leaks == []


def test_about_sheet(wb: openpyxl.Workbook, result: ReviewResult) -> None:
    ws = wb[SHEET_ABOUT]
    by_key = {
        ws.cell(r, ABOUT_KEY_COLUMN).value: ws.cell(r, ABOUT_VALUE_COLUMN).value
        for r in range(1, ws.max_row + 1)
    }
    assert by_key["schema"] == WORKSHEET_SCHEMA
    assert by_key["as_of"] == "2026-10-01" and by_key["as_of_be"] == "1 ตุลาคม 2569"
    assert by_key["policy_version"] == "2569.1" and by_key["tool_version"] == "0.1.0"
    assert by_key["input:export"] == result.inputs[0].file
    details = [ws.cell(r, ABOUT_KEY_COLUMN + 1).value for r in range(1, ws.max_row + 1)]
    assert any(isinstance(d, str) and result.inputs[1].sha256 in d for d in details)


def test_waiver_order_prefix_printed_once(tmp_path: Path) -> None:
    """`คำสั่ง` goes before a bare order number, not before one that already says คำสั่ง."""
    res = make_result()
    waived = [f for f in res.findings if f.waiver is not None]
    assert len(waived) >= 2
    assert waived[0].waiver and waived[1].waiver
    waived[0].waiver.order = "คำสั่งที่ 45/2569"  # README's example
    waived[1].waiver.order = "46/2569"
    ws = openpyxl.load_workbook(write_worksheet(res, tmp_path / "f.xlsx"))[SHEET_FINDINGS]
    ids = column_values(ws, column_number(FINDING_COLUMNS, "finding_id"))
    texts = column_values(ws, column_number(FINDING_COLUMNS, "waiver"))
    by_id = dict(zip(ids, texts, strict=True))
    assert str(by_id[waived[0].id]).endswith("; คำสั่งที่ 45/2569)")
    assert str(by_id[waived[1].id]).endswith("; คำสั่ง 46/2569)")


def test_resolved_and_exceptions_sheets(wb: openpyxl.Workbook) -> None:
    resolved = wb[SHEET_RESOLVED]
    assert resolved.cell(FIRST_DATA_ROW, 7).value == "finance01"
    exc = wb[SHEET_EXCEPTIONS]
    states = [exc.cell(r, 4).value for r in range(FIRST_DATA_ROW, exc.max_row + 1)]
    assert states == ["ใช้อยู่", "ใช้อยู่ (ใกล้หมดอายุ)", "หมดอายุแล้ว", "ไม่ได้ใช้"]


def test_empty_review(tmp_path: Path) -> None:
    empty = ReviewResult(
        tool_version="0.1.0", policy_version="1", as_of=date(2026, 4, 1),
        body={"name": None, "district": None, "province": None},
        inputs=[], accounts=[], findings=[], rules={},
    )
    wb = openpyxl.load_workbook(write_worksheet(empty, tmp_path / "f.xlsx"))
    assert wb.sheetnames == [SHEET_FINDINGS, SHEET_ACCOUNTS, SHEET_ABOUT, SHEET_INDEX]
    assert wb[SHEET_FINDINGS].cell(FIRST_DATA_ROW, 1).value == "ไม่มีข้อค้นพบ / No findings"
    assert wb[SHEET_INDEX].max_row == INDEX_HEADER_ROW  # the header, no finding


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_formula_payloads_are_detected(payload: str) -> None:
    assert is_formula_like(payload)
    assert csv_safe(payload).startswith("'")


@pytest.mark.parametrize("text", ["สมชาย", "a=b", "1-2", "user@x.go.th", ""])
def test_ordinary_text_is_not_formula_like(text: str) -> None:
    assert not is_formula_like(text)
    assert csv_safe(text) == text


def test_excel_safe_cleans_and_limits() -> None:
    assert excel_safe("ก\x00ข\x1fค\ufffe") == "กขค"
    assert strip_illegal_xml("a\tb\nc") == "a\tb\nc"
    long = excel_safe("ก" * (EXCEL_MAX_CELL + 10))
    assert isinstance(long, str) and len(long) == EXCEL_MAX_CELL and long.endswith("…")
    assert excel_safe(3) == 3 and excel_safe(None) is None
    assert excel_safe(date(2026, 1, 2)) == date(2026, 1, 2)


@pytest.mark.slow
def test_libreoffice_reads_payloads_as_text(xlsx: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(xlsx)],
        check=True, capture_output=True, timeout=120,
    )
    rows = list(csv.reader((tmp_path / "findings.csv").open(encoding="utf-8")))
    cells = {c for row in rows for c in row}
    assert "-1+1" in cells  # as the username of finding rows: not computed to 0
    assert not any(c == "0" for c in cells)
    full_names = {row[column_number(FINDING_COLUMNS, "full_name") - 1] for row in rows}
    assert HYPERLINK in full_names  # the link formula was not evaluated to "คลิกที่นี่"
    assert "คลิกที่นี่" not in full_names
    assert CONTROL.replace("\x01", "").replace("\x0b", "") in "".join(cells)
