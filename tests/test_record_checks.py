"""`record` never misattributes, drops or mis-explains a decision: the worksheet's rows against its
hidden list (a sort that left column A out, rows pasted from last cycle), copied rows, the review
folder it lies in, impossible decision dates, and the messages a finance head reads (words typed
instead of the drop-down, Excel's lock file, where the warnings are)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from laas_audit.api import record_worksheet
from laas_audit.cli import cli
from laas_audit.errors import InputError
from laas_audit.manifest import sha256_file, write_manifest
from laas_audit.model import InputRecord, ReviewResult
from laas_audit.national_id import make_id, mask_id
from laas_audit.record import RECORD_JSON, build_record, read_worksheet, write_record
from laas_audit.record_checks import decision_words, same_account
from laas_audit.render_xlsx import write_worksheet
from laas_audit.summary import warnings_block
from laas_audit.worksheet import FINDING_COLUMNS, HEADER_ROW, SHEET_FINDINGS, find_columns
from tests.test_record import ALL_KEPT, FINDINGS, REVIEWER, THAID, fill, make_result

OTHER_ID = make_id("110170020899")
TODAY = date(2026, 11, 20)
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_exports" / "abt-nongbuathong"
# Excel's owner file: a length byte, the user's name padded, then NULs and the name in UTF-16.
LOCK_BYTES = (
    b"\x07kanjana" + b" " * 47 + "\x07kanjana".encode("utf-16-le") + b"\x00" * 40
)


@pytest.fixture(scope="module")
def worksheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_worksheet(make_result(), tmp_path_factory.mktemp("checks") / "findings.xlsx")


def _columns(ws: Any) -> dict[str, int]:
    """1-based column numbers of the findings sheet by key."""
    header = find_columns([c.value for c in ws[HEADER_ROW]], FINDING_COLUMNS)
    return {key: pos + 1 for key, pos in header.items()}


def _row_of(ws: Any, finding_id: str) -> int:
    cols = _columns(ws)
    return next(r for r in range(HEADER_ROW + 1, ws.max_row + 1)
                if ws.cell(r, cols["finding_id"]).value == finding_id)


def _edit(path: Path, out: Path, change: Any) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb[SHEET_FINDINGS])
    wb.save(out)
    return out


def _run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


# --------------------------------------------------------------------------- the hidden list


def _sort_without_column_a(ws: Any) -> None:
    """Sort B:R by username and leave column A where it was (what a partial selection does)."""
    first, last = HEADER_ROW + 1, ws.max_row
    rows = [[ws.cell(r, c).value for c in range(2, ws.max_column + 1)]
            for r in range(first, last + 1)]
    user = _columns(ws)["username"] - 2
    for r, values in zip(range(first, last + 1), sorted(rows, key=lambda v: str(v[user])),
                         strict=True):
        for c, value in enumerate(values, start=2):
            ws.cell(r, c).value = value


def test_rows_sorted_without_the_id_column_are_refused(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, ALL_KEPT, tmp_path / "filled.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_FINDINGS]
    before = {ws.cell(r, 1).value: (ws.cell(r, 2).value, ws.cell(r, 7).value)
              for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    _sort_without_column_a(ws)
    moved = [r for r in range(HEADER_ROW + 1, ws.max_row + 1)
             if before[ws.cell(r, 1).value] != (ws.cell(r, 2).value, ws.cell(r, 7).value)]
    wb.save(path)
    assert len(moved) >= 2

    with pytest.raises(InputError) as info:
        read_worksheet(path, today=TODAY)
    error = info.value
    assert (error.location.file, error.location.sheet) == ("filled.xlsx", SHEET_FINDINGS)
    assert f"{len(moved)} แถว" in error.th and "ไม่รวมคอลัมน์ A" in error.th
    assert "wrong accounts" in error.en and "undo the sort" in error.hint_en
    assert "findings.xlsx" in error.hint_th and "เรียง" in error.hint_th
    assert len(error.problems) == len(moved)
    # Each row names the account its ID belongs to and the one the row now shows.
    row = moved[0]
    ws = openpyxl.load_workbook(path)[SHEET_FINDINGS]
    fid = ws.cell(row, 1).value
    owner = " ".join(before[fid])
    shown = f"{ws.cell(row, 2).value} {ws.cell(row, 7).value}"
    assert error.problems[0].startswith(f"แถว {row}: รหัส {fid} เป็นของ {owner} แต่แถวนี้คือ {shown}")


def test_sorted_worksheet_writes_nothing_and_exits_2(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, ALL_KEPT, tmp_path / "sorted.xlsx")
    _edit(path, path, _sort_without_column_a)
    code, out = _run("record", path, "--out", tmp_path / "rec")
    assert code == 2, out
    assert out.startswith("ข้อผิดพลาด: sorted.xlsx ชีต 'ข้อค้นพบ': รหัสข้อค้นพบ (คอลัมน์ A)")
    assert "Traceback" not in out
    assert not (tmp_path / "rec").exists()


def test_a_row_retyped_to_another_account_is_refused(worksheet: Path, tmp_path: Path) -> None:
    def retype(ws: Any) -> None:
        ws.cell(_row_of(ws, "somsak-201"), _columns(ws)["username"]).value = "prasert.w"

    path = _edit(fill(worksheet, ALL_KEPT, tmp_path / "a.xlsx"), tmp_path / "a.xlsx", retype)
    with pytest.raises(InputError) as info:
        read_worksheet(path, today=TODAY)
    (line,) = info.value.problems
    assert "somsak-201 เป็นของ LA201 somsak.p แต่แถวนี้คือ LA201 prasert.w" in line


def test_a_row_pasted_from_last_cycle_takes_this_reviews_status(
    worksheet: Path, tmp_path: Path
) -> None:
    """Last cycle's row (same ID) pasted over a waived one: the list's status is used."""
    def paste_old_row(ws: Any) -> None:
        row = _row_of(ws, "kanjana-401")
        ws.cell(row, _columns(ws)["status"]).value = "ใหม่"

    path = _edit(worksheet, tmp_path / "pasted.xlsx", paste_old_row)
    sheet = read_worksheet(path, today=TODAY)
    row = next(r for r in sheet.rows if r.finding_id == "kanjana-401")
    assert row.status == "waived"
    (warning,) = [w for w in sheet.warnings if "kanjana-401" in w.th]
    assert (warning.location.row, warning.location.column) == (row.row, "F")
    assert warning.th.startswith("สถานะของข้อค้นพบ kanjana-401 ในแถวนี้คือ 'ใหม่'")
    assert "'ยกเว้น'" in warning.th and "'waived' is used" in warning.en
    # Waived: it needs no decision, as this review says.
    assert "kanjana-401" not in [r.finding_id for r in build_record(sheet).undecided]


@pytest.mark.parametrize(
    ("shown", "listed", "same"),
    [
        ("somsak.p", " Somsak.P ", True),
        (THAID, THAID, True),
        (THAID.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")), THAID, True),
        (f"{THAID[0]}-{THAID[1:5]}-{THAID[5:10]}-{THAID[10:12]}-{THAID[12]}", THAID, True),
        (mask_id(THAID), THAID, True),  # a worksheet from before logins were shown whole
        (THAID, mask_id(THAID), True),
        (mask_id(THAID), OTHER_ID, False),
        ("somsak.p", "somsak.pp", False),
    ],
)
def test_same_account_reads_usernames_as_the_export_does(
    shown: str, listed: str, same: bool
) -> None:
    assert same_account(shown, listed) is same


# --------------------------------------------------------------------------- copied rows


def _copy_row_below(ws: Any, finding_id: str, typed: dict[str, Any]) -> tuple[int, int]:
    """Insert a copy of a finding's row below it and type `typed` on the copy."""
    cols = _columns(ws)
    row = _row_of(ws, finding_id)
    ws.insert_rows(row + 1)
    for c in range(1, ws.max_column + 1):
        ws.cell(row + 1, c).value = ws.cell(row, c).value
    for key, value in typed.items():
        ws.cell(row + 1, cols[key]).value = value
    return row, row + 1


NOTE = "บัญชีกลางของกองคลัง ใช้ร่วม ๓ คน: ยกเลิกแล้วสร้างบัญชีรายบุคคล"


def test_a_copied_row_keeps_what_was_typed_on_it(worksheet: Path, tmp_path: Path) -> None:
    rows: list[int] = []

    def copy(ws: Any) -> None:
        rows.extend(_copy_row_below(ws, "test01-402", {
            "decision": "ยกเลิกผู้ใช้", "note": NOTE, "reviewer": REVIEWER,
            "decision_date": "๕ พ.ย. ๒๕๖๙"}))

    path = _edit(worksheet, tmp_path / "copied.xlsx", copy)
    original, copied = rows
    sheet = read_worksheet(path, today=TODAY)
    merged = [r for r in sheet.rows if r.finding_id == "test01-402"]
    assert len(merged) == 1 and len(sheet.rows) == len(FINDINGS)
    row = merged[0]
    assert (row.row, row.decision, row.note, row.reviewer, row.decided_on) == (
        original, "cancel", NOTE, REVIEWER, date(2026, 11, 5))
    (warning,) = [w for w in sheet.warnings if "test01-402" in w.th]
    assert warning.location.row == copied
    assert f"แถว {copied} เป็นสำเนาของแถว {original}" in warning.th
    assert f"row {copied} is a copy of row {original}" in warning.en
    record = build_record(sheet)
    assert not [w for w in record.warnings if "no reviewer name or date" in w]
    assert [f.findings for f in record.cancel_forms] == [["test01-402"]]
    assert record.cancel_forms[0].reason_text == NOTE
    write_record(record, tmp_path / "rec")
    data = json.loads((tmp_path / "rec" / RECORD_JSON).read_text(encoding="utf-8"))
    (found,) = [f for f in data["findings"] if f["id"] == "test01-402"]
    assert (found["note"], found["reviewer"], found["date"]) == (NOTE, REVIEWER, "2026-11-05")


def test_copied_rows_saying_the_same_are_one_finding(worksheet: Path, tmp_path: Path) -> None:
    same = {"decision": "คงไว้", "reviewer": REVIEWER, "decision_date": "2026-11-05"}
    path = fill(worksheet, {"somsak-201": same}, tmp_path / "same.xlsx")
    _edit(path, path, lambda ws: _copy_row_below(ws, "somsak-201", {"decision": " คงไว้ "}))
    sheet = read_worksheet(path, today=TODAY)
    assert [r.decision for r in sheet.rows if r.finding_id == "somsak-201"] == ["keep"]
    assert build_record(sheet).counts()["decided"] == 1


def test_a_copied_invalid_decision_is_listed_once(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, {"somsak-301": {"decision": "ลบทิ้ง"}}, tmp_path / "inv.xlsx")
    _edit(path, path, lambda ws: _copy_row_below(ws, "somsak-301", {}))
    sheet = read_worksheet(path, today=TODAY)
    assert [(i.finding_id, i.value) for i in sheet.invalid] == [("somsak-301", "ลบทิ้ง")]


@pytest.mark.parametrize(
    ("original", "copy", "field_th"),
    [
        ({"decision": "คงไว้"}, {"decision": "ยกเลิกผู้ใช้"}, "การตัดสินใจ 'คงไว้' กับ 'ยกเลิกผู้ใช้'"),
        ({"note": "ย้ายไปกองช่างแล้ว"}, {"note": NOTE}, "หมายเหตุ 'ย้ายไปกองช่างแล้ว' กับ"),
    ],
)
def test_copied_rows_that_disagree_are_refused(
    worksheet: Path, tmp_path: Path, original: dict[str, Any], copy: dict[str, Any],
    field_th: str,
) -> None:
    path = fill(worksheet, {"somsak-201": original}, tmp_path / "two.xlsx")
    rows: list[int] = []
    _edit(path, path, lambda ws: rows.extend(_copy_row_below(ws, "somsak-201", copy)))
    with pytest.raises(InputError) as info:
        read_worksheet(path, today=TODAY)
    (line,) = info.value.problems
    assert line.startswith(f"ข้อค้นพบ somsak-201 แถว {rows[0]} และแถว {rows[1]}: {field_th}")
    assert info.value.location.sheet == SHEET_FINDINGS
    assert "ลบแถวที่ไม่ใช้" in info.value.hint_th and "one row per finding" in info.value.hint_en


# --------------------------------------------------------------------------- decision dates


def test_impossible_decision_dates_are_warned_and_kept(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, {
        "wanida-101": {"decision": "ยกเลิกผู้ใช้", "decision_date": "๑๕ ต.ค. ๖๘"},  # 2568: a year early
        "wanida-401": {"decision": "ยกเลิกผู้ใช้", "decision_date": "15/04/2596"},  # 2053
        "thongbai-101": {"decision": "ยกเลิกผู้ใช้", "decision_date": "21/11/2569"},  # today + 1
        "test01-402": {"decision": "ยกเลิกผู้ใช้", "decision_date": "22/11/2569"},  # +2 days
        "somsak-201": {"decision": "คงไว้", "decision_date": "31/10/2569"},  # the as-of day
    }, tmp_path / "dates.xlsx")
    sheet = read_worksheet(path, today=TODAY)
    rows = {r.finding_id: r for r in sheet.rows}
    warned = {w.location.row: w for w in sheet.warnings if "decision date" in w.en}
    assert sorted(warned) == sorted(rows[f].row for f in ("wanida-101", "wanida-401",
                                                           "test01-402"))
    early = warned[rows["wanida-101"].row]
    assert early.location.column == "R" and early.location.sheet == SHEET_FINDINGS
    assert early.th.startswith("วันที่ตัดสินใจ '๑๕ ต.ค. ๖๘'")
    assert "ก่อนวันที่ข้อมูลของการตรวจนี้ (31 ตุลาคม 2569)" in early.th
    assert "พ.ศ. กับ ค.ศ." not in early.th  # a year off is a typo, not an era mix-up
    far = warned[rows["wanida-401"].row]
    assert "เลยวันนี้ (20 พฤศจิกายน 2569)" in far.th and "สลับ พ.ศ. กับ ค.ศ." in far.th
    assert "BE and CE" in far.en
    # Kept as read: the record shows what was written.
    assert rows["wanida-401"].decided_on == date(2053, 4, 15)
    assert rows["wanida-101"].decided_on == date(2025, 10, 15)


# --------------------------------------------------------------------------- the review folder


def _review_folder(folder: Path, export: bytes, roster: bytes) -> Path:
    """A review folder as `review` leaves it: inputs beside it, manifest.json listing them."""
    folder.mkdir(parents=True)
    (folder.parent / f"{folder.name}-export.xlsx").write_bytes(export)
    (folder.parent / f"{folder.name}-roster.xlsx").write_bytes(roster)
    (folder / "findings.json").write_text(json.dumps(
        {"as_of": "2027-04-30", "body": {"name": "องค์การบริหารส่วนตำบลหนองบัวทอง"}},
        ensure_ascii=False), encoding="utf-8")
    write_manifest(folder, [("export", folder.parent / f"{folder.name}-export.xlsx"),
                            ("roster", folder.parent / f"{folder.name}-roster.xlsx")],
                   [folder / "findings.json"], None)
    return folder


def _result_of(export: Path, roster: Path) -> ReviewResult:
    result = make_result()
    result.inputs = [
        InputRecord("export", "รายงานผู้ใช้งาน เม.ย.69.xlsx", sha256_file(export), 12, "รายงาน", 5),
        InputRecord("roster", "บุคลากร.xlsx", sha256_file(roster), 9, "บุคลากร", 2),
    ]
    return result


def test_a_worksheet_in_another_reviews_folder_is_refused(tmp_path: Path) -> None:
    """October 2569's filled worksheet saved into April 2570's review folder."""
    later = _review_folder(tmp_path / "review-2570-04", b"export of April 2570",
                           b"the roster")
    own = _review_folder(tmp_path / "review-2569-10", b"export of October 2569",
                         b"the roster")  # the same roster: only the export differs
    result = _result_of(tmp_path / "review-2569-10-export.xlsx",
                        tmp_path / "review-2569-10-roster.xlsx")
    worksheet = write_worksheet(result, later / "findings-กรอกแล้ว.xlsx")
    fill(worksheet, ALL_KEPT)

    with pytest.raises(InputError) as info:
        record_worksheet(worksheet)
    error = info.value
    assert error.location.file == "findings-กรอกแล้ว.xlsx"
    assert error.th.startswith(
        "แบบตรวจสอบนี้เป็นของการตรวจ องค์การบริหารส่วนตำบลหนองบัวทอง ข้อมูล ณ 31 ตุลาคม 2569 "
        "(รายงาน รายงานผู้ใช้งาน เม.ย.69.xlsx) แต่วางอยู่ในโฟลเดอร์ของการตรวจ "
        "องค์การบริหารส่วนตำบลหนองบัวทอง ข้อมูล ณ 30 เมษายน 2570 (รายงาน review-2570-04-export.xlsx)"
    )
    assert "ไฟล์ที่ตรวจไม่ตรงกัน (รายงานผู้ใช้งาน)" in error.th
    assert "--out" in error.hint_th and "its own review folder" in error.hint_en
    assert not (later / "record").exists()

    # In its own folder it is recorded, chained to that review's manifest.
    moved = worksheet.rename(own / worksheet.name)
    _, written = record_worksheet(moved)
    manifest = json.loads((own / "record" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["previous"]["file"] == "../manifest.json"
    assert own / "record" / RECORD_JSON in written


def test_a_worksheet_without_input_hashes_is_not_compared(tmp_path: Path) -> None:
    """An older worksheet, or one made without inputs: nothing to compare, nothing refused."""
    folder = _review_folder(tmp_path / "review", b"export", b"roster")
    worksheet = write_worksheet(make_result(), folder / "filled.xlsx")  # no inputs recorded
    summary, _ = record_worksheet(worksheet)
    assert "ข้อค้นพบ" in summary


@pytest.mark.slow
def test_cli_refuses_last_cycles_worksheet_in_this_cycles_folder(tmp_path: Path) -> None:
    roster = tmp_path / "roster-2569-10.xlsx"
    openpyxl.load_workbook(SAMPLE / "roster.xlsx").save(roster)  # saved again: other bytes
    assert sha256_file(roster) != sha256_file(SAMPLE / "roster.xlsx")
    assert _run("review", SAMPLE / "export.xlsx", "--roster", SAMPLE / "roster.xlsx",
                "--out", tmp_path / "r1")[0] == 0
    assert _run("review", SAMPLE / "export.xlsx", "--roster", roster,
                "--out", tmp_path / "r2")[0] == 0
    wb = openpyxl.load_workbook(tmp_path / "r1" / "findings.xlsx")
    wb[SHEET_FINDINGS].cell(HEADER_ROW + 1, _columns(wb[SHEET_FINDINGS])["decision"]).value = (
        "คงไว้")
    wb.save(tmp_path / "r2" / "findings-เมษายน.xlsx")
    code, out = _run("record", tmp_path / "r2" / "findings-เมษายน.xlsx")
    assert code == 2, out
    assert out.startswith("ข้อผิดพลาด: findings-เมษายน.xlsx: แบบตรวจสอบนี้เป็นของการตรวจ")
    assert "(ทะเบียนบุคลากร)" in out and "Traceback" not in out
    assert not (tmp_path / "r2" / "record").exists()


# --------------------------------------------------------------------------- messages


def test_record_says_its_warnings_are_in_record_html(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, {"somsak-201": {"decision": "คงไว้"}}, tmp_path / "w.xlsx")
    code, out = _run("record", path, "--out", tmp_path / "rec")
    assert code == 0, out
    assert "ทั้งหมดอยู่ใน record.html" in out and "all in record.html" in out
    assert "report.html" not in out
    assert "all in report.html" in warnings_block(["คำเตือน / a warning"])


def test_an_invalid_decision_is_explained_in_thai_first(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, {"somsak-301": {"decision": "ลบทิ้ง"}}, tmp_path / "ผลการพิจารณา.xlsx")
    code, out = _run("record", path, "--out", tmp_path / "rec")
    assert code == 0, out
    row = read_worksheet(path, today=TODAY).invalid[0].row
    line = next(line for line in out.splitlines() if "ลบทิ้ง" in line)
    assert line.strip().startswith(
        f"ผลการพิจารณา.xlsx ชีต 'ข้อค้นพบ' แถว {row} คอลัมน์ O: 'ลบทิ้ง' ไม่ใช่ค่าที่เลือกได้ "
        "ให้เลือกจากรายการ: คงไว้ / ยกเลิกผู้ใช้ / ปรับกลุ่มผู้ใช้งาน / ยอมรับความเสี่ยง / not one of")


@pytest.mark.parametrize(
    ("typed", "code"),
    [("ยกเลิกผู้ใช้งาน", "cancel"), ("ยกเลิก", "cancel"), ("ยกเลิก บัญชีผู้ใช้", "cancel"),
     ("ปรับกลุ่ม", "adjust_groups"), ("คงเดิม", "keep"), ("ยอมรับ", "accept_risk")],
)
def test_plain_words_are_read_as_the_decision_they_mean(
    worksheet: Path, tmp_path: Path, typed: str, code: str
) -> None:
    path = fill(worksheet, {"somsak-201": {"decision": typed, "reviewer": REVIEWER,
                                           "decision_date": "2026-11-05"}}, tmp_path / "w.xlsx")
    sheet = read_worksheet(path, today=TODAY)
    assert [r.decision for r in sheet.rows if r.finding_id == "somsak-201"] == [code]
    assert sheet.invalid == []
    (said,) = [w for w in sheet.warnings if "read as" in w.en]
    assert said.th.startswith(f"อ่าน '{typed}' เป็น") and said.location.column == "O"


def test_decision_words_mean_one_decision_each() -> None:
    words = decision_words()
    assert words["ยกเลิกผู้ใช้งาน"] == "cancel" and "ลบทิ้ง" not in words
    assert "ยกเลิกสิทธิ์" not in words  # the account, or one group? the reviewer must choose


def test_a_bad_decision_words_file_names_itself(tmp_path: Path) -> None:
    bad = tmp_path / "decision_words.yaml"
    bad.write_text("cancel: [ยกเลิก]\nkeep: [ยกเลิก]\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        decision_words.__wrapped__(bad)
    assert info.value.location.file == "decision_words.yaml" and "two decisions" in info.value.en
    bad.write_text("remove: [ลบ]\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        decision_words.__wrapped__(bad)
    assert "decision codes" in info.value.en


def test_excel_lock_file_is_named_as_such(worksheet: Path, tmp_path: Path) -> None:
    filled = fill(worksheet, ALL_KEPT, tmp_path / "แบบตรวจ เม.ย.69.xlsx")
    lock = tmp_path / f"~${filled.name}"
    lock.write_bytes(LOCK_BYTES)
    code, out = _run("record", lock, "--out", tmp_path / "rec")
    assert code == 2
    assert out.startswith(
        f"ข้อผิดพลาด: {lock}: นี่คือไฟล์ล็อกของ Excel ไม่ใช่สมุดงาน")
    assert f"วิธีแก้: ปิด Excel แล้วเลือกไฟล์ที่ไม่มี ~$ นำหน้า ({filled.name})" in out
    assert "Excel's lock file" in out and "Traceback" not in out
    assert not (tmp_path / "rec").exists()
    # The same for review's inputs.
    code, out = _run("review", lock, "--roster", SAMPLE / "roster.xlsx", "--out", tmp_path / "r")
    assert code == 2 and "ไฟล์ล็อกของ Excel" in out
