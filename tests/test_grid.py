"""grid.read_grid: format sniffed by content, Excel numbering kept, bad/hostile input refused."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laas_audit import grid
from laas_audit.errors import InputError, shown_path
from laas_audit.grid import FileError, load_grid, read_grid
from tests.readers_fixtures import convert_with_soffice, soffice, write_csv, write_html, write_xlsx

THAI_ROWS = [
    ["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"],
    ["1", "somchai.j", "นายสมชาย ใจดี", "เจ้าหน้าที่การเงิน"],
    ["2", "malee.s", "นางมาลี ศรีสุข", "เจ้าหน้าที่บัญชี"],
]


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_grid(path)
    err = info.value
    assert path.name in err.message(), "every message names the file"
    assert err.th and err.en and err.hint_th and err.hint_en, "Thai + English + what to do"
    return err


# --------------------------------------------------------------------------- formats


def test_xlsx_keeps_excel_numbering_when_data_starts_at_b3(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "รายงาน"
    ws["B3"] = "ชื่อผู้ใช้"
    ws["C3"] = "กลุ่ม"
    ws["B4"] = "somchai.j"
    ws["C4"] = "เจ้าหน้าที่การเงิน"
    ws["D5"] = datetime(2569, 7, 15)  # a date cell typed with a BE year
    wb.save(tmp_path / "b3.xlsx")
    (sheet,) = read_grid(tmp_path / "b3.xlsx")
    assert sheet.name == "รายงาน"
    assert sheet.rows[2][1] == "ชื่อผู้ใช้"  # Excel row 3, column B
    assert sheet.rows[3][2] == "เจ้าหน้าที่การเงิน"
    assert sheet.rows[0] == [None, None, None, None]
    assert sheet.rows[4][3] in (date(2569, 7, 15), datetime(2569, 7, 15))
    assert all(len(r) == 4 for r in sheet.rows)


def test_xlsx_sheets_in_order_with_merged_areas(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", [["รายงานผู้ใช้งาน"], *THAI_ROWS],
                      [(0, 0, 0, 3)], summary_first=True)
    sheets = read_grid(path)
    assert [s.name for s in sheets] == ["สรุป", "รายงาน"]
    assert sheets[1].merged == [(0, 0, 0, 3)]
    assert sheets[1].rows[0][:2] == ["รายงานผู้ใช้งาน", None]
    assert sheets[1].rows[2][2] == "นายสมชาย ใจดี"


def test_format_is_sniffed_by_content_not_name(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "real.xlsx", THAI_ROWS)
    disguised = tmp_path / "report.csv"
    disguised.write_bytes(xlsx.read_bytes())
    html_as_xls = write_html(tmp_path / "report.xls", THAI_ROWS)
    assert load_grid(disguised).format == "xlsx"
    assert load_grid(html_as_xls).format == "html"
    assert read_grid(disguised)[0].rows[1][1] == "somchai.j"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "x.csv", THAI_ROWS, encoding=encoding, delimiter=delimiter)
    (sheet,) = read_grid(path)
    assert sheet.name is None
    assert sheet.rows[0] == THAI_ROWS[0]
    assert sheet.rows[2] == THAI_ROWS[2]


def test_csv_quoted_cells_keep_newlines_and_delimiters(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        'ชื่อผู้ใช้,กลุ่ม\r\nsomchai.j,"การเงิน\nบัญชี"\r\nmalee.s,"พัสดุ, ทะเบียน"\r\n',
        encoding="utf-8",
    )
    rows = read_grid(path)[0].rows
    assert rows[1] == ["somchai.j", "การเงิน\nบัญชี"]
    assert rows[2][1] == "พัสดุ, ทะเบียน"
    assert len(rows) == 3  # a quoted newline does not start an Excel row


def test_html_table_with_spans_and_title_outside(tmp_path: Path) -> None:
    rows = [
        ["องค์การบริหารส่วนตำบลหนองบัวแดง"],
        ["ข้อมูล ณ วันที่ 1 ก.ค. 2569"],
        ["ลำดับ", "ชื่อ-สกุล", None, "กลุ่ม"],
        [None, "ชื่อ", "นามสกุล", None],
        ["1", "สมชาย", "ใจดี", "การเงิน\nบัญชี"],
    ]
    merged = [(2, 0, 3, 0), (2, 1, 2, 2), (2, 3, 3, 3)]
    path = write_html(tmp_path / "t.xls", rows, merged, title_outside=2)
    (sheet,) = read_grid(path)
    assert sheet.rows[0][0] == "องค์การบริหารส่วนตำบลหนองบัวแดง"
    assert sheet.rows[2] == ["ลำดับ", "ชื่อ-สกุล", None, "กลุ่ม"]
    assert sheet.rows[3] == [None, "ชื่อ", "นามสกุล", None]  # covered cells stay empty
    assert sheet.rows[4] == ["1", "สมชาย", "ใจดี", "การเงิน\nบัญชี"]  # <br> is a newline
    assert (2, 1, 2, 2) in sheet.merged and (2, 0, 3, 0) in sheet.merged


def test_html_in_windows_874_with_meta_charset(tmp_path: Path) -> None:
    path = write_html(tmp_path / "t.xls", THAI_ROWS, charset="windows-874")
    assert read_grid(path)[0].rows[1][2] == "นายสมชาย ใจดี"


def test_html_several_tables_stack_like_excel(tmp_path: Path) -> None:
    path = tmp_path / "two.xls"
    path.write_text(
        "<html><body><h3>กลุ่มผู้ใช้งาน : เจ้าหน้าที่การเงิน</h3>"
        "<table><tr><td>ชื่อผู้ใช้</td><td>ชื่อ</td></tr><tr><td>a.b</td><td>ก ข</td></tr></table>"
        "<h3>กลุ่มผู้ใช้งาน : เจ้าหน้าที่พัสดุ</h3>"
        "<table><tr><td>c.d</td><td>ค ง</td></tr></table></body></html>",
        encoding="utf-8",
    )
    rows = read_grid(path)[0].rows
    assert [r[0] for r in rows] == [
        "กลุ่มผู้ใช้งาน : เจ้าหน้าที่การเงิน", "ชื่อผู้ใช้", "a.b",
        "กลุ่มผู้ใช้งาน : เจ้าหน้าที่พัสดุ", "c.d",
    ]


def test_html_colspan_is_clamped(tmp_path: Path) -> None:
    path = tmp_path / "span.xls"
    path.write_text('<table><tr><td colspan="99999999">x</td></tr></table>', encoding="utf-8")
    (sheet,) = read_grid(path)
    assert len(sheet.rows[0]) == grid.MAX_HTML_SPAN


def test_spreadsheetml_2003_is_decoded_as_its_declaration_says(tmp_path: Path) -> None:
    # Windows-1252 bytes that Windows-874 (the fallback) would read as Thai marks.
    path = tmp_path / "x2003.xls"
    path.write_bytes(
        '<?xml version="1.0" encoding="windows-1252"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="Users"><Table><Row><Cell><Data ss:Type="String">'
        "José Müller</Data></Cell></Row></Table></Worksheet></Workbook>".encode("cp1252")
    )
    (sheet,) = read_grid(path)
    assert (sheet.name, sheet.rows[0][0]) == ("Users", "José Müller")


def test_csv_text_with_brackets_but_no_declaration_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes("ชื่อ-สกุล,หมายเหตุ\nนายสมชาย ใจดี,<ย้าย> 1 < 2\n".encode("cp874"))
    (sheet,) = read_grid(path)
    assert sheet.rows == [["ชื่อ-สกุล", "หมายเหตุ"], ["นายสมชาย ใจดี", "<ย้าย> 1 < 2"]]


def test_spreadsheetml_2003(tmp_path: Path) -> None:
    path = tmp_path / "x2003.xls"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="รายงาน"><Table>'
        '<Row ss:Index="2"><Cell ss:Index="2" ss:MergeAcross="1"><Data ss:Type="String">'
        "ชื่อผู้ใช้</Data></Cell></Row>"
        '<Row><Cell ss:Index="2"><Data ss:Type="Number">3104500012340</Data></Cell>'
        '<Cell><Data ss:Type="DateTime">2026-07-01T00:00:00.000</Data></Cell></Row>'
        "</Table></Worksheet></Workbook>",
        encoding="utf-8",
    )
    (sheet,) = read_grid(path)
    assert sheet.name == "รายงาน"
    assert sheet.rows[1][1] == "ชื่อผู้ใช้"
    assert sheet.rows[2][1] == 3104500012340
    assert sheet.rows[2][2] == datetime(2026, 7, 1)
    assert sheet.merged == [(1, 1, 1, 2)]


@pytest.fixture(scope="session")
def legacy_xls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("xls")
    source = write_xlsx(folder / "legacy.xlsx", [[None], [None, *THAI_ROWS[0]],
                                                 [None, *THAI_ROWS[1]]], [(0, 0, 0, 2)])
    return convert_with_soffice(source, "xls", folder)


def test_legacy_xls(legacy_xls: Path) -> None:
    assert legacy_xls.read_bytes()[:8] == grid.OLE_MAGIC
    g = load_grid(legacy_xls)
    assert g.format == "xls"
    rows = g.sheets[0].rows
    assert rows[1][1] == "ลำดับ"  # Excel row 2, column B
    assert rows[2][2] == "somchai.j"
    assert g.sheets[0].merged == [(0, 0, 0, 2)]  # merged areas are read from BIFF too


def test_legacy_xls_user_merged_over_two_groups_keeps_both(tmp_path: Path) -> None:
    # Report engines merge a user's cells down over the rows of each of their groups. Without
    # the merged areas the second row has no username, and its group (here the admin group)
    # would be dropped from the review.
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from laas_audit.read_export import read_export

    rows = [["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง", "กลุ่มผู้ใช้งาน", "สถานะ"],
            [1, "somsri.p", "นางสมศรี ภูวงศ์", "นักวิชาการเงินและบัญชี", "เจ้าหน้าที่การเงิน",
             "ใช้งาน"],
            [None, None, None, None, "ผู้ดูแลระบบ", "ใช้งาน"],
            [2, "sombat.s", "นายสมบัติ แสงธรรมา", "นักวิชาการพัสดุ", "เจ้าหน้าที่พัสดุ", "ใช้งาน"]]
    merged = [(1, c, 2, c) for c in range(4)]
    xls = convert_with_soffice(write_xlsx(tmp_path / "merged.xlsx", rows, merged), "xls", tmp_path)
    table = read_export(xls, validate=False)
    groups = {a.username: a.groups for a in table.accounts}
    assert groups["somsri.p"] == ["เจ้าหน้าที่การเงิน", "ผู้ดูแลระบบ"]


def _with_hidden_sheets(path: Path) -> Path:
    """A report sheet, last cycle's copy hidden, and a very hidden list sheet."""
    wb = openpyxl.Workbook()
    wb.active.title = "รายงาน"
    for row in THAI_ROWS:
        wb.active.append(row)
    old = wb.create_sheet("รอบก่อน")
    old.append(THAI_ROWS[0])
    old.sheet_state = "hidden"
    lists = wb.create_sheet("รายการ")
    lists.append(["ใช้งาน", "ระงับ"])
    lists.sheet_state = "veryHidden"
    wb.save(path)
    return path


def test_hidden_sheets_are_read_and_marked(tmp_path: Path) -> None:
    path = _with_hidden_sheets(tmp_path / "hidden.xlsx")
    sheets = load_grid(path).sheets
    assert [(s.name, s.hidden) for s in sheets] == [
        ("รายงาน", False), ("รอบก่อน", True), ("รายการ", True)]
    assert sheets[1].rows[0][1] == "ชื่อผู้ใช้"  # read all the same
    fallback = grid._read_with_openpyxl(path, path.read_bytes(), RuntimeError("calamine"))
    assert [s.hidden for s in fallback] == [False, True, True]


def test_hidden_sheets_of_a_legacy_xls(tmp_path: Path) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    xls = convert_with_soffice(_with_hidden_sheets(tmp_path / "hidden.xlsx"), "xls", tmp_path)
    sheets = load_grid(xls).sheets
    assert [(s.name, s.hidden) for s in sheets] == [
        ("รายงาน", False), ("รอบก่อน", True), ("รายการ", True)]


def test_ods(tmp_path: Path) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = write_xlsx(tmp_path / "o.xlsx", THAI_ROWS)
    ods = convert_with_soffice(source, "ods", tmp_path)
    g = load_grid(ods)
    assert g.format == "ods"
    assert g.sheets[0].rows[1][1] == "somchai.j"


def test_sha256_is_of_the_file_bytes(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", THAI_ROWS)
    assert load_grid(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- bad input


def test_missing_path(tmp_path: Path) -> None:
    err = _error(tmp_path / "ไม่มี.xlsx")
    assert "no such file" in err.en


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "export.xlsx"
    folder.mkdir()
    assert "folder" in _error(folder).en


@pytest.mark.parametrize("content", [b"", b"  \r\n\t "])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert "empty" in _error(path).en


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.xlsx"
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    err = _error(path)
    assert "not" in err.en and "spreadsheet" in err.en


@pytest.mark.parametrize("advice", sorted(grid._ADVICE))
def test_every_unreadable_advice_has_each_role(advice: str) -> None:
    """Export, roster and unknown advice for each kind of failure; a roster's never says e-LAAS."""
    by_role = grid._ADVICE[advice]
    assert set(by_role) == {"export", "roster", None}
    assert all(th and en for th, en in by_role.values())
    assert "New e-LAAS" in by_role["export"][1]
    assert "e-LAAS" not in "".join(by_role["roster"]) and "HR roster" in by_role["roster"][1]
    assert "e-LAAS" in by_role[None][1] and "HR roster" in by_role[None][1]


def test_pdf_roster_is_told_to_give_the_hr_excel_file(tmp_path: Path) -> None:
    path = tmp_path / "ทะเบียนบุคลากร.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(InputError) as info:
        load_grid(path, "roster")
    err = info.value
    assert "PDF" in err.en and "HR roster as an Excel file" in err.hint_en
    assert "ทะเบียนบุคลากร" in err.hint_th and "e-LAAS" not in err.hint_th + err.hint_en


def test_pdf_under_a_spreadsheet_name(tmp_path: Path) -> None:
    path = tmp_path / "report.xls"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    err = _error(path)
    assert "PDF" in err.en
    assert "Export to Excel from New e-LAAS instead" in err.hint_en
    assert "PDF" in err.th


@pytest.mark.parametrize("magic", [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a"])
def test_image_under_a_spreadsheet_name(tmp_path: Path, magic: bytes) -> None:
    path = tmp_path / "scan.xlsx"
    path.write_bytes(magic + b"\x00" * 64)
    assert "image" in _error(path).en


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "ไม่ใช่สมุดงาน")
    err = _error(path)
    assert "not an Excel workbook" in err.en and "Unzip" in err.hint_en


@pytest.mark.parametrize(("name", "magic"), [("อบต.หนองแวง.rar", b"Rar!\x1a\x07\x01\x00"),
                                           ("export.7z", b"7z\xbc\xaf\x27\x1c")])
def test_an_archive_is_told_to_be_extracted(tmp_path: Path, name: str, magic: bytes) -> None:
    # A body's files sent zipped (RAR, 7-Zip): the file is inside, not to be exported again.
    path = tmp_path / name
    path.write_bytes(magic + b"\x00" * 64)
    for role in ("export", "roster", None):
        with pytest.raises(FileError) as info:
            load_grid(path, role)
        err = info.value
        assert err.advice == "archive" and "archive" in err.en
        assert "Unzip (extract) it first" in err.hint_en and "แตกไฟล์" in err.hint_th


def test_word_document_in_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert "document" in _error(path).en


@pytest.mark.parametrize("keep", [0.3, 0.9])
def test_truncated_xlsx(tmp_path: Path, keep: float) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", THAI_ROWS).read_bytes()
    path = tmp_path / "half.xlsx"
    path.write_bytes(good[: int(len(good) * keep)])
    assert "damaged or incompletely downloaded" in _error(path).en


def test_corrupt_member_in_xlsx(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", THAI_ROWS)
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # cut XML
            dst.writestr(info, data)
    assert "damaged" in _error(path).en


def test_nul_bytes_in_text(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes("ชื่อผู้ใช้,กลุ่ม\nsomchai\x00,การเงิน\n".encode())
    assert "NUL" in _error(path).en


def test_unreadable_encoding(tmp_path: Path) -> None:
    path = tmp_path / "enc.csv"
    # bytes that are neither UTF-8 nor Windows-874 (0xFC-0xFF are undefined in cp874)
    path.write_bytes(b"username,group\r\nab\xfc\xfd\xfe,\xff\xfb\r\n")
    assert "encoding" in _error(path).en


def test_encrypted_workbook(tmp_path: Path) -> None:
    # An encrypted xlsx is a Compound File holding EncryptionInfo/EncryptedPackage streams.
    path = tmp_path / "locked.xlsx"
    body = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 32
    body += "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(grid.OLE_MAGIC + b"\x00" * 504 + body + b"\x00" * 1024)
    err = _error(path)
    assert "password" in err.en and "remove the password" in err.hint_en


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid, "MAX_FILE_BYTES", 1000)
    path = write_csv(tmp_path / "big.csv", THAI_ROWS * 20)
    assert "beyond what this tool accepts" in _error(path).en


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (grid.RATIO_CHECK_MIN_BYTES + 1024))
    assert path.stat().st_size < 100_000
    assert "compression ratio" in _error(path).en


def test_zip_with_huge_declared_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid, "MAX_UNCOMPRESSED_BYTES", 50_000)
    path = write_xlsx(tmp_path / "x.xlsx", [["ก" * 100] * 20] * 60)
    assert "uncompressed" in _error(path).en


def test_sparse_cells_far_apart_refused_before_calamine(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "ชื่อผู้ใช้"
    wb.active["XFD1048576"] = "x"
    wb.save(tmp_path / "sparse.xlsx")
    assert "16384 columns" in _error(tmp_path / "sparse.xlsx").en


def test_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid, "MAX_ROWS", 50)
    assert "rows" in _error(write_csv(tmp_path / "long.csv", THAI_ROWS * 30)).en
    assert "rows" in _error(write_xlsx(tmp_path / "long.xlsx", THAI_ROWS * 30)).en


def test_cell_longer_than_excel_allows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "long.csv", [["ชื่อผู้ใช้", "กลุ่ม"], ["a", "ก" * 40_000]])
    err = _error(path)
    assert "too long" in err.en or "longer than" in err.en


def test_entity_bomb_in_spreadsheetml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xls"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row>'
        "<Cell><Data>&lol3;</Data></Cell></Row></Table></Worksheet></Workbook>",
        encoding="utf-8",
    )
    assert "refused for safety" in _error(path).en


def test_html_external_entity_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("LEAKED", encoding="utf-8")
    path = tmp_path / "xxe.xls"
    path.write_text(
        f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<html><body><table><tr><td>ชื่อผู้ใช้</td><td>&x;</td></tr></table></body></html>",
        encoding="utf-8",
    )
    rows = read_grid(path)[0].rows
    assert all("LEAKED" not in str(v) for row in rows for v in row)


# --------------------------------------------------------------------------- fuzzing


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@fuzz(60)
@given(data=st.binary(min_size=0, max_size=2048))
def test_random_bytes_end_in_a_grid_or_a_clean_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(data)
    try:
        g = load_grid(path)
    except InputError as err:
        assert "fuzz.xlsx" in err.message()
    else:
        assert all(isinstance(s.rows, list) for s in g.sheets)


THAI_ALPHABET = "กขคงจ ๐๑๒,;|\t\"\n\r\u0e33\u0e4d\u0e32\u200b\ufeffab1"


@fuzz(40)
@given(text=st.text(alphabet=st.sampled_from(THAI_ALPHABET), max_size=300),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp874", "utf-16"]))
def test_random_thai_text_files(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "fuzz.csv"
    try:
        path.write_bytes(codecs.encode(text, encoding))
    except UnicodeEncodeError:
        return
    try:
        sheets = read_grid(path)
    except InputError as err:
        assert "fuzz.csv" in err.message()
    else:
        widths = {len(r) for s in sheets for r in s.rows}
        assert len(widths) <= 1, "rows of a sheet are padded to one width"


def test_zip_bytes_of_a_real_workbook_read_from_memory(tmp_path: Path) -> None:
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["ชื่อผู้ใช้", "กลุ่ม"])
    wb.save(buf)
    path = tmp_path / "noext"
    path.write_bytes(buf.getvalue())
    assert read_grid(path)[0].rows[0] == ["ชื่อผู้ใช้", "กลุ่ม"]


def test_truncated_legacy_xls(legacy_xls: Path, tmp_path: Path) -> None:
    path = tmp_path / "half.xls"
    path.write_bytes(legacy_xls.read_bytes()[:1500])
    err = _error(path)
    assert "damaged or incompletely downloaded" in err.en


# --------------------------------------------------------------------------- sheet areas


def _sheet_with_cells(path: Path, refs: list[str], quote: str = '"') -> Path:
    from tests.bad_corpus import SHEET_CLOSE, SHEET_OPEN, write_zip, xlsx_members

    cells = "".join(
        f"<row r={quote}{ref.lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}{quote}>"
        f"<c r={quote}{ref}{quote} t={quote}inlineStr{quote}><is><t>ชื่อผู้ใช้ {ref}</t></is></c></row>"
        for ref in refs
    )
    write_zip(path, xlsx_members(SHEET_OPEN + cells.encode() + SHEET_CLOSE))
    return path


def test_small_sheets_need_no_cell_by_cell_area_check() -> None:
    # Without a reference past row 999 or column ZZ, the area is within every limit.
    rows, cols = grid.SMALL_SHEET
    assert rows * cols <= grid.MAX_CELLS and rows <= grid.MAX_ROWS and cols <= grid.MAX_COLUMNS


def test_sheet_up_to_zz999_is_read(tmp_path: Path) -> None:
    sheet = read_grid(_sheet_with_cells(tmp_path / "ok.xlsx", ["A1", "ZZ999"]))[0]
    assert (len(sheet.rows), len(sheet.rows[0])) == (999, 702)
    assert sheet.rows[998][701] == "ชื่อผู้ใช้ ZZ999"


@pytest.mark.parametrize(
    ("refs", "quote"),
    [
        (["A1", "ZZ9999"], '"'),  # 702 x 9,999 cells: four-digit rows take the full check
        (["A1", "XFD400"], '"'),  # 16,384 x 400: a three-letter column does too
        (["A1", "XFD400"], "'"),  # references in single quotes count the same
        (["A1", "A200001"], '"'),  # more rows than any export
    ],
)
def test_sheet_spanning_too_many_cells_is_refused(
    tmp_path: Path, refs: list[str], quote: str
) -> None:
    err = _error(_sheet_with_cells(tmp_path / "wide.xlsx", refs, quote))
    assert "spans" in err.en


@pytest.mark.parametrize(
    ("length", "stat_size", "limit"),
    [(0, 0, 10), (5, 5, 10), (5, 0, 10), (12, 5, 10), (100_000, 3, 200_001),
     (100_000, 100_000, 50)],
)
def test_reading_takes_what_the_file_holds_whatever_stat_said(
    length: int, stat_size: int, limit: int
) -> None:
    # stat's size is only where reading starts: a file that grew (or shrank) since is still
    # read whole, up to the limit (one byte over it says "too big").
    import io
    import os

    from laas_audit.grid import _read_up_to

    data = os.urandom(length)
    assert _read_up_to(io.BytesIO(data), stat_size, limit) == data[:limit]


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    err = _error(fifo)
    assert "not a regular file" in err.en and "pipe" in err.th


def test_a_file_that_cannot_be_opened_is_named_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.csv"
    path.write_text("username,group\nsomchai,admin\n", encoding="utf-8")

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(grid, "open", denied, raising=False)  # the reader's open() only
    err = _error(path)
    assert "cannot open the file (Permission denied)" in err.en
    assert "เปิดไฟล์ไม่ได้" in err.th


def test_a_file_that_grew_past_the_limit_while_read_is_too_big(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    path = tmp_path / "export.csv"
    path.write_text("username,group\nsomchai,admin\n", encoding="utf-8")  # 29 bytes at stat
    monkeypatch.setattr(grid, "MAX_FILE_BYTES", 100)
    grown = b"username,group\n" + b"somchai,admin\n" * 20  # 300 bytes when read
    monkeypatch.setattr(grid, "open", lambda *a, **k: io.BytesIO(grown), raising=False)
    err = _error(path)
    assert "file size" in err.en


def _sniff_trying_every_delimiter(lines: list[str]) -> str:
    # The sniffer before it skipped delimiters absent from the sample: the reference.
    best, best_score = ",", (0, 0)
    for delim in grid.DELIMITERS:
        counts: dict[int, int] = {}
        for fields in csv.reader(lines, delimiter=delim):
            if len(fields) > 1:
                counts[len(fields)] = counts.get(len(fields), 0) + 1
        if counts:
            width, lines_with = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if (lines_with, width) > best_score:
                best, best_score = delim, (lines_with, width)
    return best


@fuzz(200)
@given(lines=st.lists(st.text(alphabet=st.sampled_from(THAI_ALPHABET.replace("\n", "")
                                                       .replace("\r", "")), max_size=40),
                      max_size=12))
def test_skipping_absent_delimiters_picks_what_trying_all_picks(lines: list[str]) -> None:
    # The sample holds lines as `splitlines` gives them: no CR or LF inside.
    assert grid._sniff_delimiter(lines) == _sniff_trying_every_delimiter(lines)


def _bytes_name(folder: Path, raw: bytes) -> Path:
    """A path whose last part is `raw` as the file system stores it (skip where it cannot)."""
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), raw)))
    try:
        path.write_bytes(b"")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    return path


def test_a_name_that_is_not_utf8_is_refused_and_shown_decoded(tmp_path: Path) -> None:
    # A Thai name unzipped from a Windows archive arrives as Windows-874 bytes.
    path = _bytes_name(tmp_path, "ข้อมูลผู้ใช้.xlsx".encode("cp874"))
    write_xlsx(path, [["ชื่อผู้ใช้", "กลุ่มผู้ใช้งาน"], ["somchai_j", "เจ้าหน้าที่การเงิน"]])
    with pytest.raises(InputError) as info:
        read_grid(path)
    err = info.value
    message = err.message()
    message.encode("utf-8")  # printable: no surrogate escapes left
    assert "ข้อมูลผู้ใช้.xlsx" in message and "not UTF-8" in err.en and "ไม่ใช่ UTF-8" in err.th
    assert "Rename" in err.hint_en and "เปลี่ยนชื่อ" in err.hint_th


def test_shown_path_decodes_only_the_parts_that_need_it(tmp_path: Path) -> None:
    plain = str(tmp_path / "รายงาน ผู้ใช้.xlsx")
    assert shown_path(plain) is plain
    thai = os.fsdecode("ทะเบียน".encode("cp874"))
    assert shown_path(f"/งาน/{thai}/a.csv") == "/งาน/ทะเบียน/a.csv"
    # Bytes that are neither UTF-8 nor Windows-874 become U+FFFD, the rest is kept.
    assert shown_path("x" + os.fsdecode(b"\xff") + ".csv") == "x\ufffd.csv"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.sampled_from(['=', '"', ' ', '\u00a0', '\u3000', 'ก', 'ข', '1']),
                    max_size=6),
            min_size=2, max_size=5,
        ),
        min_size=1, max_size=6,
    )
)
def test_csv_cells_are_what_csv_value_makes_of_each_field(rows: list[list[str]]) -> None:
    # Blank and whitespace-only fields are empty cells; ="..." keeps what is inside the quotes.
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    sheet = grid._parse_csv(Path("บุคลากร.csv"), buffer.getvalue())
    width = max(len(r) for r in rows)
    expected = [[grid._csv_value(f) for f in r] + [None] * (width - len(r)) for r in rows]
    assert sheet.rows == expected


# --------------------------------------------------------------------------- Excel's lock file

# Excel's owner file ("~$name.xlsx" while name.xlsx is open): a length byte, the user's name
# padded with spaces, the name again in UTF-16, NULs.
EXCEL_LOCK = b"\x07kanjana" + b" " * 47 + "\x07kanjana".encode("utf-16-le") + b"\x00" * 40


def test_excel_lock_file_is_named_as_such(tmp_path: Path) -> None:
    lock = tmp_path / "~$รายงานผู้ใช้งาน อบต.หนองบัวทอง.xlsx"
    lock.write_bytes(EXCEL_LOCK)
    assert grid.is_lock_file(lock)
    err = _error(lock)
    assert err.th.startswith("นี่คือไฟล์ล็อกของ Excel ไม่ใช่สมุดงาน")
    assert err.hint_th == (
        "ปิด Excel แล้วเลือกไฟล์ที่ไม่มี ~$ นำหน้า (รายงานผู้ใช้งาน อบต.หนองบัวทอง.xlsx)")
    assert "Excel's lock file" in err.en and "without ~$" in err.hint_en
    for role in ("roster", None):  # the same words whatever the file should have been
        with pytest.raises(InputError) as info:
            load_grid(lock, role)  # type: ignore[arg-type]
        assert info.value.hint_th == err.hint_th


def test_a_workbook_named_like_a_lock_file_is_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "~$รายงาน.xlsx", THAI_ROWS)
    assert not grid.is_lock_file(path)
    assert read_grid(path)[0].rows[1][1] == "somchai.j"
    assert not grid.is_lock_file(tmp_path / "~$ไม่มีไฟล์นี้.xlsx")  # gone: not a lock to skip
