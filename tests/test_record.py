"""Decisions recorded: the worksheet written by render_xlsx, filled like a finance head would
(openpyxl, and re-saved by LibreOffice), read back into record.json, record.html and the
cancellation forms (part ๒ of the DLA form)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import uuid
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lxml import html as lxml_html

from laas_audit.errors import InputError
from laas_audit.model import (
    AccountResult,
    Finding,
    MatchInfo,
    ReviewResult,
    RuleInfo,
    Source,
    Waiver,
)
from laas_audit.national_id import make_id, mask_id
from laas_audit.record import (
    CANCEL_FORMS_HTML,
    RECORD_HTML,
    RECORD_JSON,
    build_record,
    cancel_reason,
    read_worksheet,
    write_record,
)
from laas_audit.render_xlsx import write_worksheet
from laas_audit.worksheet import (
    ACCOUNT_COLUMNS,
    FINDING_COLUMNS,
    HEADER_ROW,
    SHEET_ACCOUNTS,
    SHEET_FINDINGS,
    SHEET_INDEX,
    find_columns,
)

BODY = {"name": "องค์การบริหารส่วนตำบลหนองบัวทอง", "district": "ภักดีชุมพล", "province": "ชัยภูมิ"}
EXPORT = "รายงานผู้ใช้งาน_อบต.หนองบัวทอง.xlsx"
HOSTILE_NOTE = '<img src=x onerror="alert(1)"> ยกเลิกตามคำสั่ง <script>alert(2)</script>'
HOSTILE_UNIT = "กองคลัง</td><script>alert(3)</script>"

# username, full name, position, unit, roster status
PEOPLE = [
    ("wanida.s", "นางสาววนิดา ศรีนวล", "นักวิชาการเงินและบัญชีปฏิบัติการ", "กองคลัง", "ลาออก"),
    ("thongbai.k", "นายทองใบ คำภูแก้ว", "เจ้าพนักงานพัสดุชำนาญงาน", HOSTILE_UNIT,
     "เกษียณอายุราชการ"),
    ("test01", "ทดสอบ ระบบ", "", "", None),
    ("somsak.p", "นายสมศักดิ์ พรหมวงศ์", "เจ้าพนักงานธุรการปฏิบัติงาน", "กองช่าง", "ปกติ"),
    ("prasert.w", "นายประเสริฐ วงศ์ใหญ่", "นักวิเคราะห์นโยบายและแผนชำนาญการ", "สำนักปลัด", "ปกติ"),
    ("kanjana.t", "นางกาญจนา ทองคำ", "ผู้อำนวยการกองคลัง", "กองคลัง", "ปกติ"),
    ("boonmee.c", "นายบุญมี แก้วมณี", "เจ้าพนักงานจัดเก็บรายได้ชำนาญงาน", "กองคลัง", "โอน"),
]

# id, rule, category, username
FINDINGS = [
    ("wanida-101", "LA101", "stale", "wanida.s"),
    ("wanida-401", "LA401", "hygiene", "wanida.s"),
    ("thongbai-101", "LA101", "stale", "thongbai.k"),
    ("test01-402", "LA402", "hygiene", "test01"),
    ("somsak-201", "LA201", "mismatch", "somsak.p"),
    ("somsak-301", "LA301", "privilege", "somsak.p"),
    ("prasert-201", "LA201", "mismatch", "prasert.w"),
    ("kanjana-401", "LA401", "hygiene", "kanjana.t"),
    ("boonmee-101", "LA101", "stale", "boonmee.c"),
]

RULES = {
    code: RuleInfo(code, slug, cat, "high", th, en, "", "", "", "", "ข้อ ๔.๒")  # type: ignore[arg-type]
    for code, slug, cat, th, en in [
        ("LA101", "leaver", "stale", "ผู้ใช้พ้นจากหน้าที่แล้วแต่บัญชียังใช้งานได้", "Leaver active"),
        ("LA201", "mismatch", "mismatch", "กลุ่มผู้ใช้งานไม่ตรงกับตำแหน่ง", "Group mismatch"),
        ("LA301", "admin", "privilege", "สิทธิ์ผู้ดูแลระบบไม่ใช่หัวหน้าหน่วยงานคลัง", "Admin"),
        ("LA401", "password", "hygiene", "ไม่ได้เปลี่ยนรหัสผ่านเกิน ๖ เดือน", "Old password"),
        ("LA402", "generic", "hygiene", "บัญชีใช้ร่วมกันหรือไม่มีผู้ใช้จริง", "Generic account"),
    ]
}


def make_result() -> ReviewResult:
    accounts = [
        AccountResult(
            username=u, full_name=n, groups=["เจ้าหน้าที่การเงิน", "เจ้าหน้าที่พัสดุ"], status="ใช้งาน",
            match=MatchInfo("name" if s else "none", 100 if s else None, 7 + i if s else None),
            position=p or None, unit=unit or None, roster_status=s,
        )
        for i, (u, n, p, unit, s) in enumerate(PEOPLE)
    ]
    findings = []
    for fid, rule, cat, user in FINDINGS:
        findings.append(Finding(
            id=fid, rule=rule, category=cat, severity="high", username=user,  # type: ignore[arg-type]
            groups=["เจ้าหน้าที่การเงิน"], message=f"ข้อค้นพบ {rule} ของบัญชี {user}",
            evidence={"status": "ลาออก"} if rule == "LA101" else {},
            source=Source(EXPORT, "รายงาน", [8]),
        ))
    waived = next(f for f in findings if f.id == "kanjana-401")
    waived.status = "waived"
    waived.waiver = Waiver("รอระบบใหม่", "นางกาญจนา ทองคำ", "2027-03-31", "๑๒/๒๕๖๙")
    return ReviewResult(
        tool_version="0.1.0", policy_version="2569.1", as_of=date(2026, 10, 31), body=dict(BODY),
        inputs=[], accounts=accounts, findings=findings, rules=dict(RULES),
        generated_at="2026-10-31T03:00:00+00:00",
    )


def fill(path: Path, decisions: dict[str, dict[str, Any]], out: Path | None = None) -> Path:
    """Fill the reviewer columns of the findings sheet, keyed by finding ID (as Excel would)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_FINDINGS]
    header = [c.value for c in ws[HEADER_ROW]]
    cols = find_columns(header, FINDING_COLUMNS)
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        fid = ws.cell(row, cols["finding_id"] + 1).value
        for key, value in decisions.get(str(fid), {}).items():
            ws.cell(row, cols[key] + 1).value = value
    target = out or path
    wb.save(target)
    return target


REVIEWER = "นางกาญจนา ทองคำ"
FILLED: dict[str, dict[str, Any]] = {
    "wanida-101": {"decision": " ยกเลิกผู้ใช้ ", "reviewer": REVIEWER,
                     "decision_date": datetime(2026, 11, 5)},
    "wanida-401": {"decision": "cancel the user", "reviewer": REVIEWER,
                     "decision_date": "๕ พ.ย. ๒๕๖๙"},
    "thongbai-101": {"decision": "ยกเลิกผู้ใช้", "note": HOSTILE_NOTE, "reviewer": REVIEWER,
                       "decision_date": datetime(2569, 11, 5)},  # a BE year in a date cell
    "test01-402": {"decision": "ยกเลิกผู้ใช้", "note": "บัญชีทดสอบของผู้รับจ้างติดตั้งระบบ",
                     "reviewer": REVIEWER, "decision_date": "05/11/2569"},
    "somsak-201": {"decision": "ปรับกลุ่มผู้ใช้งาน", "note": "ถอดออกจากกลุ่มการเงิน",
                     "reviewer": REVIEWER, "decision_date": "2026-11-05"},
    "somsak-301": {"decision": "ลบทิ้ง", "reviewer": REVIEWER},  # not one of the four
    "boonmee-101": {"decision": "ยกเลิกผู้ใช้", "reviewer": REVIEWER,
                      "decision_date": "5 พฤศจิกายน 2569"},
    # f-prasert-201: left blank (undecided); f-kanjana-401: waived, no decision needed
}


@pytest.fixture(scope="module")
def worksheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("review")
    path = write_worksheet(make_result(), folder / "findings.xlsx") or folder / "findings.xlsx"
    return Path(path)


@pytest.fixture(scope="module")
def filled(worksheet: Path) -> Path:
    out = worksheet.parent / "findings-กรอกแล้ว.xlsx"
    fill(worksheet, FILLED, out)
    # Blank rows inserted by the reviewer between findings must not matter.
    wb = openpyxl.load_workbook(out)
    wb[SHEET_FINDINGS].insert_rows(HEADER_ROW + 3, 2)
    wb.save(out)
    return out


def _soffice_resave(src: Path, out_dir: Path) -> Path:
    """Open and save a workbook with LibreOffice (as if a reviewer used LibreOffice Calc)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("LAAS_AUDIT_REQUIRE_SOFFICE"):
            pytest.fail("soffice is required (LAAS_AUDIT_REQUIRE_SOFFICE=1)")
        pytest.skip("LibreOffice (soffice) not installed")
    profile = out_dir / f"lo-profile-{uuid.uuid4().hex}"  # our own profile: no lock clashes
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    result = out_dir / (src.stem + ".xlsx")
    assert result.is_file()
    return result


def _check_filled(path: Path) -> None:
    sheet = read_worksheet(path)
    rows = {r.finding_id: r for r in sheet.rows}
    assert set(rows) == {f[0] for f in FINDINGS}
    assert rows["wanida-101"].decision == "cancel"
    assert rows["wanida-401"].decision == "cancel"
    assert rows["somsak-201"].decision == "adjust_groups"
    assert rows["somsak-301"].decision is None
    assert rows["prasert-201"].decision is None
    assert {r.finding_id: r.decided_on for r in sheet.rows if r.decided_on} == {
        fid: date(2026, 11, 5) for fid in
        ("wanida-101", "wanida-401", "thongbai-101", "test01-402", "somsak-201",
         "boonmee-101")
    }
    assert rows["thongbai-101"].note == HOSTILE_NOTE
    assert rows["kanjana-401"].status == "waived"
    assert rows["wanida-101"].category == "stale" and rows["wanida-101"].severity == "high"
    assert [(i.finding_id, i.value, i.column) for i in sheet.invalid] == [
        ("somsak-301", "ลบทิ้ง", "O"),
    ]
    assert sheet.invalid[0].row == rows["somsak-301"].row
    assert sheet.body["name"] == BODY["name"]
    assert sheet.accounts["thongbai.k"].unit == HOSTILE_UNIT
    # The hidden list survived the save: nothing missing, and no "older worksheet" warning.
    assert (sheet.missing, sheet.missing_unnamed) == ([], 0)
    assert not [w for w in sheet.warnings if SHEET_INDEX in w.th]

    record = build_record(sheet)
    assert [r.finding_id for r in record.undecided] == ["prasert-201"]
    counts = record.counts()
    assert counts["decided"] == 6 and counts["undecided"] == 1 and counts["invalid"] == 1
    assert counts["waived_without_decision"] == 1
    assert counts["by_decision"] == {"keep": 0, "cancel": 5, "adjust_groups": 1, "accept_risk": 0}
    forms = {f.username: f for f in record.cancel_forms}
    assert sorted(forms) == ["boonmee.c", "test01", "thongbai.k", "wanida.s"]
    assert forms["wanida.s"].findings == ["wanida-101", "wanida-401"]
    assert (forms["wanida.s"].reason, forms["wanida.s"].reason_text) == (
        "moved_or_resigned", "ลาออก")
    assert (forms["boonmee.c"].reason, forms["boonmee.c"].reason_text) == (
        "moved_or_resigned", "โอน")
    assert (forms["thongbai.k"].reason, forms["thongbai.k"].reason_text) == (
        "other", "เกษียณอายุราชการ")
    assert (forms["test01"].reason, forms["test01"].reason_text) == (
        "other", "บัญชีทดสอบของผู้รับจ้างติดตั้งระบบ")
    assert forms["wanida.s"].position == "นักวิชาการเงินและบัญชีปฏิบัติการ"
    assert forms["wanida.s"].full_name == "นางสาววนิดา ศรีนวล"
    assert forms["wanida.s"].groups == ["เจ้าหน้าที่การเงิน", "เจ้าหน้าที่พัสดุ"]


def test_round_trip_filled_with_openpyxl(filled: Path) -> None:
    _check_filled(filled)


@pytest.mark.slow
def test_round_trip_resaved_by_libreoffice(filled: Path, tmp_path: Path) -> None:
    resaved = _soffice_resave(filled, tmp_path / "lo")
    with zipfile.ZipFile(resaved) as z:
        assert b"LibreOffice" in z.read("docProps/app.xml")  # really re-written by Calc
    _check_filled(resaved)


def test_record_files(filled: Path, tmp_path: Path) -> None:
    written = write_record(read_worksheet(filled), tmp_path / "บันทึกผล")
    assert sorted(p.name for p in written) == sorted([RECORD_JSON, RECORD_HTML, CANCEL_FORMS_HTML])
    data = json.loads((tmp_path / "บันทึกผล" / RECORD_JSON).read_text(encoding="utf-8"))
    assert data["schema"] == "laas-audit/record/1"
    assert data["worksheet"]["file"] == filled.name
    assert data["body"]["name"] == BODY["name"]
    by_id = {f["id"]: f for f in data["findings"]}
    assert by_id["somsak-201"] == {
        "id": "somsak-201", "rule": "LA201", "category": "mismatch", "severity": "high",
        "status": "new", "username": "somsak.p", "full_name": "นายสมศักดิ์ พรหมวงศ์",
        "groups": ["เจ้าหน้าที่การเงิน"], "decision": "adjust_groups",
        "decision_th": "ปรับกลุ่มผู้ใช้งาน", "note": "ถอดออกจากกลุ่มการเงิน", "reviewer": REVIEWER,
        "date": "2026-11-05", "row": by_id["somsak-201"]["row"],
    }
    assert [u["id"] for u in data["undecided"]] == ["prasert-201"]
    assert [(i["finding_id"], i["value"]) for i in data["invalid"]] == [("somsak-301", "ลบทิ้ง")]
    assert data["counts"]["cancel_forms"] == 4
    assert len(data["cancellations"]) == 4


def _parse(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return text, lxml_html.fromstring(text)


def _assert_self_contained(doc: Any) -> None:
    csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert csp and "default-src 'none'" in csp[0]
    assert doc.xpath("//script") == []
    assert doc.xpath("//img") == [] and doc.xpath("//link") == [] and doc.xpath("//iframe") == []
    for attr in doc.xpath("//@src | //@href"):
        assert not re.match(r"\s*(https?:|//|javascript:)", attr), attr


def test_cancel_forms_one_page_per_cancelled_account(filled: Path, tmp_path: Path) -> None:
    write_record(read_worksheet(filled), tmp_path)
    text, doc = _parse(tmp_path / CANCEL_FORMS_HTML)
    _assert_self_contained(doc)
    pages = {p.get("data-username"): p for p in doc.xpath('//section[contains(@class, "page")]')}
    assert len(pages) == len(doc.xpath('//section[contains(@class, "page")]'))
    assert sorted(pages) == ["boonmee.c", "test01", "thongbai.k", "wanida.s"]
    assert "page-break-after: always" in text and "size: A4" in text
    first = pages["wanida.s"]
    assert first.xpath('string(.//td[@class="body-name"])') == BODY["name"]
    assert first.xpath('string(.//td[@class="full-name"])') == "นางสาววนิดา ศรีนวล"
    assert first.xpath('string(.//td[@class="position"])') == "นักวิชาการเงินและบัญชีปฏิบัติการ"
    assert first.xpath('string(.//td[@class="unit"])') == "กองคลัง"
    assert first.xpath('.//td[contains(@class, "groups")]//li/text()') == [
        "เจ้าหน้าที่การเงิน", "เจ้าหน้าที่พัสดุ",
    ]
    assert first.xpath('string(.//p[@class="moved"]/span[@class="box"])') == "✓"
    assert first.xpath('string(.//p[@class="other"]/span[@class="box"])') == ""
    assert "ย้าย/ลาออก (ลาออก)" in first.text_content()
    assert "ผอ.สำนักการคลัง/ผอ.กองคลัง/หัวหน้าหน่วยงานคลัง" in first.text_content()
    assert "(......" in first.text_content() and "วันที่ ......" in first.text_content()
    retiree = pages["thongbai.k"]
    # The hostile unit is shown as text, not markup.
    assert retiree.xpath('string(.//td[@class="unit"])') == HOSTILE_UNIT
    assert retiree.xpath('string(.//p[@class="other"]/span[@class="box"])') == "✓"
    assert retiree.xpath('string(.//span[@class="other-text"])') == "เกษียณอายุราชการ"
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in text
    generic = pages["test01"]
    assert generic.xpath('string(.//td[@class="position"])').startswith("......")


def test_record_html_escapes_and_lists_everything(filled: Path, tmp_path: Path) -> None:
    write_record(read_worksheet(filled), tmp_path)
    text, doc = _parse(tmp_path / RECORD_HTML)
    _assert_self_contained(doc)
    assert doc.get("lang") == "th"
    assert doc.xpath("string(//h1)") == BODY["name"]
    assert HOSTILE_NOTE in doc.text_content()
    assert "&lt;img src=x" in text
    assert doc.xpath('//tr[@id="f-prasert-201"]/@class') == ["undecided"]
    assert doc.xpath('//tr[@id="f-somsak-301"]/@class') == ["invalid"]
    assert "ไม่ถูกต้อง: ลบทิ้ง" in doc.xpath('string(//tr[@id="f-somsak-301"])')
    assert doc.xpath('string(//tr[@id="f-somsak-201"]/td[@class="decision"])') == (
        "ปรับกลุ่มผู้ใช้งาน")
    assert len(doc.xpath('//section[@id="cancellations"]//tbody/tr')) == 4
    assert len(doc.xpath('//section[@id="undecided"]//tbody/tr')) == 1
    assert "5 พ.ย. 2569" in doc.xpath('string(//tr[@id="f-somsak-201"])')


def test_no_cancellation_no_forms_file(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, {"somsak-201": {"decision": "คงไว้"}}, tmp_path / "a.xlsx")
    written = write_record(read_worksheet(path), tmp_path / "out")
    assert sorted(p.name for p in written) == [RECORD_HTML, RECORD_JSON]
    record = build_record(read_worksheet(path))
    assert len(record.undecided) == len(FINDINGS) - 2  # one decided, one waived


def test_contradicting_duplicate_rows_are_refused(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, {"somsak-201": {"decision": "คงไว้"}}, tmp_path / "dup.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_FINDINGS]
    cols = find_columns([c.value for c in ws[HEADER_ROW]], FINDING_COLUMNS)
    src = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1)
               if ws.cell(r, cols["finding_id"] + 1).value == "somsak-201")
    new = ws.max_row + 1
    for c in range(1, ws.max_column + 1):
        ws.cell(new, c).value = ws.cell(src, c).value
    ws.cell(new, cols["decision"] + 1).value = "ยกเลิกผู้ใช้"
    wb.save(path)
    # Which of the two is the decision cannot be told: nothing is recorded (no cancel form).
    with pytest.raises(InputError) as info:
        read_worksheet(path)
    (line,) = info.value.problems
    assert line.startswith(f"ข้อค้นพบ somsak-201 แถว {src} และแถว {new}: การตัดสินใจ 'คงไว้' กับ")


def test_decision_on_a_row_without_finding_and_bad_date(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, {"somsak-201": {"decision": "คงไว้", "decision_date": "32/13/2569"}},
                tmp_path / "extra.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_FINDINGS]
    cols = find_columns([c.value for c in ws[HEADER_ROW]], FINDING_COLUMNS)
    extra = ws.max_row + 2
    ws.cell(extra, cols["decision"] + 1).value = "ยกเลิกผู้ใช้"
    wb.save(path)
    sheet = read_worksheet(path)
    assert [(i.row, i.finding_id, i.column) for i in sheet.invalid] == [(extra, "", "O")]
    date_warnings = [w for w in sheet.warnings if "decision date" in w.en]
    assert len(date_warnings) == 1 and date_warnings[0].location.column == "R"
    assert date_warnings[0].th == (
        "วันที่ตัดสินใจอ่านไม่ได้: วันที่ '32/13/2569' เป็นไปไม่ได้: ไม่มีเดือนที่ 13"
    )
    assert date_warnings[0].en.endswith("month 13 does not exist")
    row = next(r for r in sheet.rows if r.finding_id == "somsak-201")
    assert row.decision == "keep" and row.decided_on is None and row.date_raw == "32/13/2569"


def test_a_row_whose_finding_id_was_cleared_says_that_is_what_is_missing(
    worksheet: Path, tmp_path: Path
) -> None:
    path = fill(worksheet, {"prasert-201": {"decision": "คงไว้", "reviewer": REVIEWER}},
                tmp_path / "no-id.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_FINDINGS]
    cols = find_columns([c.value for c in ws[HEADER_ROW]], FINDING_COLUMNS)
    rows = {ws.cell(r, cols["finding_id"] + 1).value: r for r in range(HEADER_ROW + 1,
                                                                        ws.max_row + 1)}
    decided, undecided = rows["prasert-201"], rows["somsak-301"]
    for row in (decided, undecided):
        ws.cell(row, cols["finding_id"] + 1).value = None  # the ID cell cleared by mistake
    wb.save(path)
    sheet = read_worksheet(path)
    (invalid,) = [i for i in sheet.invalid if i.row == decided]
    assert invalid.problem.startswith(
        "แถวนี้ไม่มีรหัสข้อค้นพบ (มีกฎ LA201 ชื่อผู้ใช้ prasert.w) จึงบอกไม่ได้ว่าเป็นข้อค้นพบใด "
        "การตัดสินใจจึงไม่ได้บันทึก: คัดลอกรหัสข้อค้นพบของแถวนี้จาก findings.xlsx ต้นฉบับ")
    assert "the row has no finding ID (rule LA201, username prasert.w)" in invalid.problem
    (warning,) = [w for w in sheet.warnings if w.location.row == undecided]
    assert warning.th.startswith("แถวนี้ไม่มีรหัสข้อค้นพบ (มีกฎ LA301 ชื่อผู้ใช้ somsak.p)")
    assert "ไม่มีรหัส กฎ หรือชื่อผู้ใช้" not in invalid.problem + warning.th
    assert {m.finding_id for m in sheet.missing} == {"prasert-201", "somsak-301"}


def test_not_a_worksheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "รายงาน"
    wb.active["A1"] = "ชื่อผู้ใช้"
    path = tmp_path / "รายงานผู้ใช้งาน.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as info:
        read_worksheet(path)
    assert info.value.location.file == "รายงานผู้ใช้งาน.xlsx"
    assert SHEET_FINDINGS in info.value.th and "not a laas-audit review worksheet" in info.value.en


def test_other_worksheet_schema_is_refused(worksheet: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(worksheet)
    about = wb["เกี่ยวกับ"]
    for row in about.iter_rows():
        if len(row) >= 3 and row[2].value == "schema":
            row[1].value = "laas-audit/worksheet/9"
    path = tmp_path / "future.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as info:
        read_worksheet(path)
    assert "laas-audit/worksheet/9" in info.value.en
    assert info.value.location.sheet == "เกี่ยวกับ"


@pytest.mark.parametrize(
    ("status", "fallback", "expected"),
    [
        ("ย้าย", "", ("moved_or_resigned", "ย้าย")),
        ("โอน (ย้าย)", "", ("moved_or_resigned", "โอน (ย้าย)")),
        ("ลาออก", "", ("moved_or_resigned", "ลาออก")),
        ("ไล่ออก", "", ("other", "ไล่ออก")),
        ("เสียชีวิต", "", ("other", "เสียชีวิต")),
        ("ให้ออก", "", ("other", "ให้ออก")),
        ("ปกติ", "บัญชีใช้ร่วมกัน", ("other", "บัญชีใช้ร่วมกัน")),
        ("", "ไม่พบในทะเบียนบุคลากร", ("other", "ไม่พบในทะเบียนบุคลากร")),
    ],
)
def test_cancel_reason(status: str, fallback: str, expected: tuple[str, str]) -> None:
    assert cancel_reason(status, fallback) == expected


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("LAAS_AUDIT_REQUIRE_BROWSER"):
        pytest.fail("a Chromium browser is required (LAAS_AUDIT_REQUIRE_BROWSER=1)")
    pytest.skip("no Chromium browser installed")


@pytest.mark.browser
def test_cancel_forms_print_one_a4_page_each(filled: Path, tmp_path: Path) -> None:
    write_record(read_worksheet(filled), tmp_path)
    pdf = tmp_path / "forms.pdf"
    subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
         (tmp_path / CANCEL_FORMS_HTML).as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    data = pdf.read_bytes()
    pages = re.findall(rb"/Type\s*/Page\b", data)
    assert len(pages) == 4  # four accounts decided ยกเลิกผู้ใช้, one page each
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes and all(abs(float(w) - 595.28) < 1.5 and abs(float(h) - 841.89) < 1.5
                         for w, h in boxes)  # A4 is 595.28 x 841.89 points


def test_damaged_file_gets_worksheet_advice(tmp_path: Path) -> None:
    path = tmp_path / "findings.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated download")
    with pytest.raises(InputError) as info:
        read_worksheet(path)
    assert info.value.location.file.endswith("findings.xlsx")
    assert "save it again as .xlsx" in info.value.hint_en


def test_other_reason_falls_back_to_the_rule(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, {"somsak-201": {"decision": "ยกเลิกผู้ใช้"}}, tmp_path / "b.xlsx")
    (form,) = build_record(read_worksheet(path)).cancel_forms
    assert (form.username, form.roster_status) == ("somsak.p", "ปกติ")
    assert (form.reason, form.reason_text) == ("other", "กลุ่มผู้ใช้งานไม่ตรงกับตำแหน่ง (LA201)")


def test_a_retiree_by_age_is_cancelled_for_retirement_not_for_the_note(tmp_path: Path) -> None:
    """LA105: the roster still says ปกติ, so the form's reason is the rule's, not the note."""
    result = make_result()
    result.findings.append(Finding(
        id="prasert-105", rule="LA105", category="stale", severity="medium",
        username="prasert.w", groups=["เจ้าหน้าที่การเงิน"],
        message="นายประเสริฐ วงศ์ใหญ่ เกิดวันที่ 2 ก.พ. 2509 ครบ 60 ปี จึงเกษียณอายุราชการ",
        evidence={"birth_date": "1966-02-02", "retirement_date": "2026-09-30"},
        source=Source(EXPORT, "รายงาน", [12]),
    ))
    path = write_worksheet(result, tmp_path / "findings.xlsx") or tmp_path / "findings.xlsx"
    fill(Path(path), {"prasert-105": {
        "decision": "ยกเลิกผู้ใช้", "note": "ครบ ๖๐ ปี ยกเลิกภายใน ๗ วัน", "reviewer": REVIEWER,
        "decision_date": "2026-11-05"}})
    record = build_record(read_worksheet(Path(path)))
    (form,) = record.cancel_forms
    assert (form.username, form.roster_status) == ("prasert.w", "ปกติ")
    assert (form.reason, form.reason_text) == ("other", "เกษียณอายุราชการ")
    write_record(record, tmp_path / "record")
    page = lxml_html.parse(str(tmp_path / "record" / CANCEL_FORMS_HTML))
    assert page.xpath('string(//span[@class="other-text"])') == "เกษียณอายุราชการ"


# A ThaiD login: the username is the (fictitious) national ID of the person.
THAID = make_id("310170020871")


def _with_thaid_leaver() -> ReviewResult:
    result = make_result()
    result.accounts.append(AccountResult(
        username=THAID, full_name="นายชาญวิทย์ ทองสุข", groups=["เจ้าหน้าที่งบประมาณ"],
        status="ใช้งาน", match=MatchInfo("national_id", 100, 20), national_id=THAID,
        position="นักวิเคราะห์นโยบายและแผนชำนาญการ", unit="สำนักปลัด", roster_status="ย้าย",
    ))
    result.findings.append(Finding(
        id="thaid-101", rule="LA101", category="stale", severity="high", username=THAID,
        groups=["เจ้าหน้าที่งบประมาณ"],
        message=f"นายชาญวิทย์ ทองสุข ({THAID}) ย้าย แต่บัญชียังใช้งานได้",
        evidence={"roster": {"national_id": THAID, "status": "ย้าย"}},
        source=Source(EXPORT, "รายงาน", [19]),
    ))
    return result


def test_thaid_login_is_shown_in_full_where_the_account_is_cancelled(tmp_path: Path) -> None:
    """The form names the account to cancel; the worksheet's ID column and texts stay masked."""
    path = write_worksheet(_with_thaid_leaver(), tmp_path / "findings.xlsx")
    fill(path, {"thaid-101": {"decision": "ยกเลิกผู้ใช้", "reviewer": REVIEWER,
                              "decision_date": "2026-11-05"}})
    sheet = read_worksheet(path)
    row = next(r for r in sheet.rows if r.finding_id == "thaid-101")
    assert row.username == THAID
    assert THAID not in row.message and mask_id(THAID) in row.message
    record = build_record(sheet)
    (form,) = record.cancel_forms
    assert (form.username, form.position) == (THAID, "นักวิเคราะห์นโยบายและแผนชำนาญการ")
    assert not [w for w in record.warnings if "masked" in w]
    write_record(record, tmp_path / "rec")
    _, doc = _parse(tmp_path / "rec" / CANCEL_FORMS_HTML)
    (page,) = doc.xpath('//section[contains(@class, "page")]')
    assert page.get("data-username") == THAID
    assert page.xpath('string(.//td[contains(@class, "username")])') == THAID
    data = json.loads((tmp_path / "rec" / RECORD_JSON).read_text(encoding="utf-8"))
    assert data["cancellations"][0]["username"] == THAID
    # The national-ID column of the accounts sheet is still masked.
    wb = openpyxl.load_workbook(path)
    accounts = wb[SHEET_ACCOUNTS]
    header = find_columns([c.value for c in accounts[HEADER_ROW]], ACCOUNT_COLUMNS)
    ids = [accounts.cell(r, header["national_id"] + 1).value
           for r in range(HEADER_ROW + 1, accounts.max_row + 1)
           if accounts.cell(r, header["username"] + 1).value == THAID]
    assert ids == [mask_id(THAID)]


def test_a_masked_login_from_an_older_worksheet_is_warned(tmp_path: Path) -> None:
    path = write_worksheet(_with_thaid_leaver(), tmp_path / "findings.xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in (wb[SHEET_FINDINGS], wb[SHEET_ACCOUNTS]):  # as laas-audit wrote it before
        for cells in ws.iter_rows():
            for cell in cells:
                if cell.value == THAID:
                    cell.value = mask_id(THAID)
    wb.save(path)
    fill(path, {"thaid-101": {"decision": "ยกเลิกผู้ใช้", "reviewer": REVIEWER,
                              "decision_date": "2026-11-05"}})
    record = build_record(read_worksheet(path))
    assert [f.username for f in record.cancel_forms] == [mask_id(THAID)]
    (warning,) = [w for w in record.warnings if "masked" in w]
    assert mask_id(THAID) in warning and "ถูกปิดบัง" in warning


ALL_KEPT = {fid: {"decision": "คงไว้", "reviewer": REVIEWER, "decision_date": "2026-11-05"}
            for fid, *_ in FINDINGS}


def _delete_rows(path: Path, finding_ids: set[str], out: Path, *, drop_list: bool = False) -> dict[
        str, int]:
    """Delete the rows of `finding_ids` from the findings sheet (as a reviewer would in Excel).

    Returns the Excel row each deleted finding was on. `drop_list` removes the hidden list too,
    making the worksheet look like one written by an older laas-audit.
    """
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_FINDINGS]
    cols = find_columns([c.value for c in ws[HEADER_ROW]], FINDING_COLUMNS)
    rows = {str(ws.cell(r, cols["finding_id"] + 1).value): r
            for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    deleted = {fid: rows[fid] for fid in finding_ids}
    for row in sorted(deleted.values(), reverse=True):
        ws.delete_rows(row)
    if drop_list:
        del wb[SHEET_INDEX]
    wb.save(out)
    return deleted


def test_a_deleted_finding_row_is_missing_and_undecided(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, ALL_KEPT, tmp_path / "filled.xlsx")
    deleted = _delete_rows(path, {"wanida-101", "kanjana-401"}, path)  # a leaver; a waived one
    sheet = read_worksheet(path)
    assert {m.finding_id: (m.rule, m.username, m.status, m.row) for m in sheet.missing} == {
        "wanida-101": ("LA101", "wanida.s", "new", deleted["wanida-101"]),
        "kanjana-401": ("LA401", "kanjana.t", "waived", deleted["kanjana-401"]),
    }
    record = build_record(sheet)
    counts = record.counts()
    assert counts["findings"] == len(FINDINGS)  # the worksheet's findings, not the rows left
    assert (counts["decided"], counts["undecided"], counts["missing"]) == (7, 1, 2)
    assert [m.finding_id for m in record.missing_undecided] == ["wanida-101"]
    leaver = next(w for w in record.warnings if "wanida-101" in w)
    assert f"was on row {deleted['wanida-101']}" in leaver and "counts as undecided" in leaver
    assert f"เดิมอยู่แถว {deleted['wanida-101']}" in leaver and "wanida.s" in leaver
    assert "no decision needed" in next(w for w in record.warnings if "kanjana-401" in w)
    summary = record.summary()
    assert "ยังไม่ตัดสินใจ 1" in summary and "wanida-101 LA101 wanida.s" in summary
    assert "kanjana-401" in summary and "(ยกเว้นแล้ว / waived)" in summary

    write_record(record, tmp_path / "rec")
    data = json.loads((tmp_path / "rec" / RECORD_JSON).read_text(encoding="utf-8"))
    assert data["counts"]["undecided"] == 1 and data["counts"]["missing"] == 2
    assert data["undecided"] == [{"id": "wanida-101", "rule": "LA101", "username": "wanida.s",
                                  "row": deleted["wanida-101"], "missing": True}]
    assert {m["id"]: m["severity"] for m in data["missing"]} == {
        "wanida-101": "high", "kanjana-401": "high"}
    _, doc = _parse(tmp_path / "rec" / RECORD_HTML)
    assert "แถวถูกลบ" in doc.xpath('string(//section[@id="summary"])')
    missing = doc.xpath('//section[@id="missing"]//tr[@id="missing-wanida-101"]')
    assert len(missing) == 1 and "wanida.s" in missing[0].text_content()


def test_nothing_missing_when_every_row_is_there(worksheet: Path, tmp_path: Path) -> None:
    sheet = read_worksheet(fill(worksheet, ALL_KEPT, tmp_path / "all.xlsx"))
    assert (sheet.missing, sheet.missing_unnamed) == ([], 0)
    assert not [w for w in sheet.warnings if SHEET_INDEX in w.th or "missing" in w.en]
    counts = build_record(sheet).counts()
    assert (counts["findings"], counts["undecided"], counts["missing"]) == (len(FINDINGS), 0, 0)


def test_older_worksheet_without_the_list_counts_by_the_about_sheet(
    worksheet: Path, tmp_path: Path
) -> None:
    path = fill(worksheet, ALL_KEPT, tmp_path / "old.xlsx")
    _delete_rows(path, set(), path, drop_list=True)
    sheet = read_worksheet(path)
    assert (sheet.missing, sheet.missing_unnamed) == ([], 0)
    (older,) = [w for w in sheet.warnings if "older laas-audit" in w.en]
    assert "cannot" in older.en and "รุ่นก่อน" in older.th  # it is still read, with this said
    _delete_rows(path, {"somsak-201"}, path)
    record = build_record(read_worksheet(path))
    assert record.missing == [] and record.missing_unnamed == 1
    counts = record.counts()
    assert (counts["findings"], counts["undecided"], counts["missing_unnamed"]) == (
        len(FINDINGS), 1, 1)
    assert any(f"says {len(FINDINGS)} findings, 1 of them cannot be found" in w
               for w in record.warnings)
    write_record(record, tmp_path / "rec")
    _, doc = _parse(tmp_path / "rec" / RECORD_HTML)
    assert "อีก 1 รายการ" in doc.xpath('string(//section[@id="missing"]/p[@class="unnamed"])')


def test_a_finding_id_not_in_the_list_is_warned(worksheet: Path, tmp_path: Path) -> None:
    path = fill(worksheet, {"somsak-201": {"finding_id": "somsak-999", "decision": "คงไว้"}},
                tmp_path / "typo.xlsx")
    sheet = read_worksheet(path)
    assert [m.finding_id for m in sheet.missing] == ["somsak-201"]
    (typo,) = [w for w in sheet.warnings if "somsak-999" in w.en]
    assert "not one of this review's findings" in typo.en and typo.location.row


def test_a_damaged_list_falls_back_to_the_count(worksheet: Path, tmp_path: Path) -> None:
    """Someone unhid the list and overwrote its header: counted, not named, no false alarms."""
    path = fill(worksheet, ALL_KEPT, tmp_path / "damaged.xlsx")
    _delete_rows(path, {"boonmee-101"}, path)
    wb = openpyxl.load_workbook(path)
    wb[SHEET_INDEX]["A1"] = "แก้ไขแล้ว"
    wb.save(path)
    sheet = read_worksheet(path)
    assert (sheet.missing, sheet.missing_unnamed) == ([], 1)
    (damaged,) = [w for w in sheet.warnings if SHEET_INDEX in w.en]
    assert "was changed" in damaged.en and damaged.location.sheet == SHEET_INDEX
    assert not [w for w in sheet.warnings if "not one of this review's findings" in w.en]
    assert build_record(sheet).counts()["undecided"] == 1
