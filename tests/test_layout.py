"""layout: label families, header scoring, title block, footer rows, group sections, kinds."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laas_audit import layout
from laas_audit.grid import Sheet
from laas_audit.layout import (
    AMBIGUOUS_USER,
    detect_kind,
    find_header,
    footer_kind,
    label_in,
    label_key,
    match_label,
    read_title,
    section_group,
    split_groups,
)


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("ลำดับ", "seq"), ("ที่", "seq"), ("No.", "seq"),
        ("รหัสผู้ใช้", "username"), ("ชื่อผู้ใช้งานระบบ", "username"), ("Username", "username"),
        ("User Name", "username"), ("ชื่อผู้ใช้\nUsername", "username"),
        ("ชื่อผู้ใช้งาน", AMBIGUOUS_USER), ("ผู้ใช้งาน", AMBIGUOUS_USER),
        ("ชื่อ-สกุล", "full_name"), ("ชื่อ - นามสกุล", "full_name"), ("Full Name", "full_name"),
        ("ชื่อ – สกุล", "full_name"), ("ชื่อ-สกุล\n(ผู้ใช้งาน)", "full_name"),
        ("คำนำหน้า", "prefix"), ("คำนำหน้าชื่อ", "prefix"),
        ("ชื่อ", "first_name"), ("นามสกุล", "last_name"),
        ("เลขประจำตัวประชาชน", "national_id"), ("เลขบัตรประจำตัวประชาชน 13 หลัก", "national_id"),
        ("ตำแหน่ง", "position"), ("Position", "position"), ("เลขที่ตำแหน่ง", None),
        ("หน่วยงาน", "unit"), ("สังกัด", "unit"), ("กอง/ส่วน", "unit"), ("Department", "unit"),
        ("กลุ่มผู้ใช้งาน", "group"), ("สิทธิ์", "group"), ("User Group", "group"),
        ("กลุ่มงาน", None),
        ("สถานะ", "status"), ("สถานะการใช้งาน", "status"), ("Status", "status"),
        ("วันที่สร้าง", "created"), ("วันที่สร้างบัญชี", "created"),
        ("วันที่เข้าใช้งานล่าสุด", "last_login"), ("เข้าสู่ระบบล่าสุด", "last_login"),
        ("Last Login", "last_login"),
        ("วันที่เปลี่ยนรหัสผ่าน", "password_changed"), ("Password Changed", "password_changed"),
        ("อีเมล", "email"), ("E-mail", "email"), ("โทรศัพท์", "phone"), ("เบอร์โทรศัพท์มือถือ", "phone"),
        ("ประเภทบุคลากร", "employment_type"), ("วันที่มีผล", "status_date"),
        ("วันที่", "status_date"),
        ("วันเกิด", "birth_date"), ("วัน เดือน ปีเกิด", "birth_date"),
        ("วัน/เดือน/ปี เกิด", "birth_date"), ("ว/ด/ป เกิด", "birth_date"),
        ("วันเดือนปีเกิด", "birth_date"), ("วันเกิด (พ.ศ.)", "birth_date"),
        ("Birth Date", "birth_date"), ("Date of Birth", "birth_date"), ("DOB", "birth_date"),
        ("อายุ", None), ("อายุ (ปี)", None), ("ปีเกิด", None),  # no day: no retirement date
        ("สถานที่เกิด", None), ("Place of Birth", None),
        # a workforce plan's position number is not the position
        ("ตำแหน่งเลขที่", None), ("เลขที่ตำแหน่ง", None), ("เลขตำแหน่ง", None),
        ("รหัสตำแหน่ง", None), ("Position No.", None), ("ตำแหน่ง", "position"),
        ("ชื่อตำแหน่ง", "position"), ("ตำแหน่งในสายงาน", "position"), ("Position", "position"),
        ("หมายเหตุ", "note"),
        ("รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน", None),  # a title, not a label
        ("xyz", None),
    ],
)
def test_label_families(label: str, field: str | None) -> None:
    assert match_label(label) == field


def test_label_key_ignores_spaces_dots_case_and_punctuation() -> None:
    assert label_key(" ชื่อ - นามสกุล ") == label_key("ชื่อนามสกุล")
    assert label_key("USER-NAME:") == label_key("username")
    assert label_key("ชื่อ\u00a0สกุล\u200b") == label_key("ชื่อสกุล")
    # Every punctuation mark labels carry is dropped; other symbols are kept.
    assert label_key("-–—_/\\()[]{}:;*#'\"`,|+.?!ชื่อ") == label_key("ชื่อ")
    assert label_key("no&") != label_key("no")


def _sheet(rows: list[list[object]], name: str | None = "รายงาน") -> Sheet:
    width = max(len(r) for r in rows)
    return Sheet(name, [r + [None] * (width - len(r)) for r in rows])


def test_header_found_on_the_report_sheet_not_the_summary() -> None:
    summary = _sheet([["สรุป"], ["กลุ่มผู้ใช้งาน", "จำนวน"], ["เจ้าหน้าที่การเงิน", 3]], "สรุป")
    report = _sheet([
        ["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
        [],
        ["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"],
        [1, "somchai.j", "นายสมชาย ใจดี", "เจ้าหน้าที่การเงิน"],
    ])
    header = find_header([summary, report])
    assert header is not None
    assert (header.sheet_index, header.excel_row) == (1, 3)
    assert header.fields == {"seq": 0, "username": 1, "full_name": 2, "group": 3}


def test_two_row_header_with_merged_parent() -> None:
    sheet = _sheet([
        ["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", None, "กลุ่ม"],
        [None, None, "ชื่อ", "นามสกุล", None],
        [1, "a.b", "สมชาย", "ใจดี", "การเงิน"],
    ])
    sheet.merged = [(0, 2, 0, 3), (0, 0, 1, 0), (0, 1, 1, 1), (0, 4, 1, 4)]
    header = find_header([sheet])
    assert header is not None
    assert (header.first_row, header.last_row) == (0, 1)
    assert header.fields["first_name"] == 2 and header.fields["last_name"] == 3
    assert header.labels[3] == "ชื่อ-สกุล / นามสกุล"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["somchai.j", "malee.s", "3104500012340"], "username"),
        (["นายสมชาย ใจดี", "นางมาลี ศรีสุข", "น.ส.พิมพ์ใจ รักษ์ไทย"], "full_name"),
    ],
)
def test_ambiguous_user_column_decided_by_values(values: list[str], expected: str) -> None:
    rows: list[list[object]] = [["ลำดับ", "ชื่อผู้ใช้งาน", "ตำแหน่ง", "กลุ่มผู้ใช้งาน"]]
    rows += [[i, v, "นักวิชาการ", "การเงิน"] for i, v in enumerate(values, 1)]
    header = find_header([_sheet(rows)])
    assert header is not None
    assert header.fields[expected] == 1
    assert not header.ambiguous


def test_ambiguous_beside_a_username_column_is_the_name() -> None:
    rows: list[list[object]] = [["Username", "ชื่อผู้ใช้งาน", "กลุ่ม"], ["a.b", "", "การเงิน"]]
    header = find_header([_sheet(rows)])
    assert header is not None
    assert header.fields == {"username": 0, "full_name": 1, "group": 2}


def test_first_name_alone_means_the_whole_name() -> None:
    header = find_header([_sheet([["ชื่อผู้ใช้", "ชื่อ", "กลุ่ม"], ["a", "สมชาย ใจดี", "ก"]])])
    assert header is not None and header.fields["full_name"] == 1


def test_mapping_override_wins() -> None:
    rows: list[list[object]] = [["รหัสเข้าระบบ XYZ", "ชื่อผู้ใช้", "กลุ่ม"], ["a", "b", "c"]]
    header = find_header([_sheet(rows)], overrides={label_key("รหัสเข้าระบบ XYZ"): "username"})
    assert header is not None
    assert header.fields["username"] == 0
    assert "username" not in header.duplicates  # the family match gave way to the mapping


@pytest.mark.parametrize(
    ("lines", "name", "district", "province", "as_of"),
    [
        (["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน",
          "องค์การบริหารส่วนตำบลหนองบัวแดง อำเภอภูเขียว จังหวัดชัยภูมิ",
          "ข้อมูล ณ วันที่ ๑๕ ก.ค. ๒๕๖๙"],
         "องค์การบริหารส่วนตำบลหนองบัวแดง", "ภูเขียว", "ชัยภูมิ", date(2026, 7, 15)),
        (["อบต.โนนสูง อ.เมือง จ.นครราชสีมา", "วันที่พิมพ์ 03/07/2569 เวลา 10:15 น."],
         "องค์การบริหารส่วนตำบลโนนสูง", "เมืองนครราชสีมา", "นครราชสีมา", date(2026, 7, 3)),
        # the capital district written in full: the same อำเภอ as "อ.เมือง จ.นครราชสีมา"
        (["องค์การบริหารส่วนตำบลโนนสูง อำเภอเมืองนครราชสีมา จังหวัดนครราชสีมา"],
         "องค์การบริหารส่วนตำบลโนนสูง", "เมืองนครราชสีมา", "นครราชสีมา", None),
        # no province to complete it: kept as written
        (["องค์การบริหารส่วนตำบลโนนสูง อำเภอเมือง"], "องค์การบริหารส่วนตำบลโนนสูง", "เมือง", None, None),
        (["วันที่พิมพ์ 10 กรกฎาคม 2569 เวลา 09:00 น.", "เทศบาลเมืองชัยภูมิ",
          "ข้อมูล ณ วันที่ 30 มิถุนายน 2569"],
         "เทศบาลเมืองชัยภูมิ", None, None, date(2026, 6, 30)),
        (["หน่วยงาน : ทต.บ้านแท่น", "องค์การบริหารส่วนจังหวัดชัยภูมิ"],
         "เทศบาลตำบลบ้านแท่น", None, None, None),
        (["หน่วยงาน : โรงเรียนบ้านหนองบัว"], "โรงเรียนบ้านหนองบัว", None, None, None),
        ([], None, None, None, None),
    ],
)
def test_title_block(lines: list[str], name: str | None, district: str | None,
                     province: str | None, as_of: date | None) -> None:
    title = read_title(lines)
    assert (title.body.name, title.body.district, title.body.province) == (name, district, province)
    assert title.as_of == as_of


def test_print_date_is_flagged_as_such() -> None:
    title = read_title(["วันที่พิมพ์ 03/07/2569 เวลา 10:15 น."])
    assert title.as_of == date(2026, 7, 3) and title.as_of_is_print_date


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (["หน้า 1/3"], "page"), (["Page 2 of 5"], "page"), (["หน้าที่ ๒"], "page"),
        (["- 3 -"], "page"),
        (["รวม 12 ราย"], "total"), (["รวมทั้งสิ้น", "15", "คน"], "total"),
        (["ลงชื่อ....................ผู้พิมพ์รายงาน"], "signature"),
        (["(.................................)"], "signature"), (["(นางมาลี ศรีสุข)"], "signature"),
        (["ตำแหน่ง ...................."], "signature"),
        (["วันที่พิมพ์ 03/07/2569 เวลา 10:15 น."], "stamp"), (["พิมพ์โดย somchai"], "stamp"),
        (["1", "somchai.j", "นายสมชาย ใจดี"], None),
        (["เจ้าหน้าที่การเงิน"], None),
        (["ผู้ตรวจสอบภายใน"], None),  # a group name, not a signature
    ],
)
def test_footer_rows(texts: list[str], kind: str | None) -> None:
    assert footer_kind(texts) == kind
    assert footer_kind(tuple(texts)) == kind  # asked again (remembered), as a tuple


# The signature pattern as one alternation, as it was written before it was split for speed.
_ONE_SIGNATURE_RE = re.compile(
    r"ลงชื่อ|ลายมือชื่อ|ผู้พิมพ์รายงาน|ผู้จัดทำรายงาน|ผู้ออกรายงาน|signature|signed\b"
    r"|[.…_]{3,}|^\(\s*[^()]{2,60}\)$|^ตำแหน่ง\s*[.…_]{2,}",
    re.I,
)


def _footer_kind_as_written_before(texts: list[str]) -> str | None:
    first, joined = texts[0], " ".join(texts)
    if len(texts) <= 2 and (layout._PAGE_RE.match(first) or layout._PAGE_RE.match(texts[-1])):
        return "page"
    if layout._STAMP_RE.match(first):
        return "stamp"
    if _ONE_SIGNATURE_RE.search(joined) and len(texts) <= 4:
        return "signature"
    if layout._TOTAL_RE.match(first) and len(texts) <= 4 and re.search(r"\d|ราย|คน", joined):
        return "total"
    return None


_FOOTER_BITS = st.sampled_from([
    "ลงชื่อ", "ลายมือชื่อ", "ผู้พิมพ์รายงาน", "ผู้จัดทำรายงาน", "ผู้ออกรายงาน", "Signature",
    "SIGNED", "signedx", "ſigned", ".", "..", "…_", "(", ")", "(นายสมชาย)", "ตำแหน่ง",
    "ตำแหน่ง ..", "หน้า", "หน้า 2", "1", "2/3", " ", "\n", "นายสมชาย", "รวม", "ราย", "Page",
    "พิมพ์โดย",
])


@settings(max_examples=400)
@given(st.lists(st.lists(_FOOTER_BITS, max_size=4).map("".join), min_size=1, max_size=5))
def test_footer_kind_reads_signatures_as_the_one_pattern_did(texts: list[str]) -> None:
    # The signature pattern is split in four searches for speed: the same rows must come out.
    assert footer_kind(texts) == _footer_kind_as_written_before(texts)


@pytest.mark.parametrize(
    "texts",
    [["(นายสมชาย ใจดี)"], ["ตำแหน่ง .."], ["ก...ข"], ["Signed", "x"], ["ſigned"],
     ["1", "2/3"], ["หน้า 2", "x"], ["x", "หน้า 2"], ["x", "x", "หน้า 2"], ["x ( y )"]],
)
def test_footer_kind_as_before_on_each_kind_of_line(texts: list[str]) -> None:
    assert footer_kind(texts) == _footer_kind_as_written_before(texts)


@pytest.mark.parametrize(
    ("texts", "group"),
    [
        (["กลุ่มผู้ใช้งาน : เจ้าหน้าที่การเงิน"], "เจ้าหน้าที่การเงิน"),
        (["กลุ่มผู้ใช้งาน: เจ้าหน้าที่การเงิน (5 คน)"], "เจ้าหน้าที่การเงิน"),
        (["กลุ่ม : ผู้ดูแลระบบ"], "ผู้ดูแลระบบ"),
        (["กลุ่มผู้ใช้งาน :", "เจ้าหน้าที่พัสดุ"], "เจ้าหน้าที่พัสดุ"),
        (["กลุ่มผู้ใช้งาน หัวหน้าหน่วยงานคลัง จำนวน 1 ราย"], "หัวหน้าหน่วยงานคลัง"),
        (["User Group: Finance Officer"], "Finance Officer"),
        (["กลุ่มงานการเงิน"], None),  # a work unit, not a group section
        (["1", "a.b", "นายก ข", "การเงิน"], None),
    ],
)
def test_section_rows(texts: list[str], group: str | None) -> None:
    assert section_group(texts) == group
    assert section_group(tuple(texts)) == group  # asked again (remembered), as a tuple


@pytest.mark.parametrize(
    ("cell", "groups"),
    [
        ("การเงิน\nบัญชี", ["การเงิน", "บัญชี"]),
        ("การเงิน, บัญชี,พัสดุ", ["การเงิน", "บัญชี", "พัสดุ"]),
        ("การเงิน; บัญชี", ["การเงิน", "บัญชี"]),
        ("• การเงิน\n• บัญชี", ["การเงิน", "บัญชี"]),
        ("1. การเงิน\n2. บัญชี", ["การเงิน", "บัญชี"]),
        ("ผู้ตรวจสอบรายงาน/บัญชี", ["ผู้ตรวจสอบรายงาน/บัญชี"]),  # "/" is part of names
        ("การเงิน\nการเงิน", ["การเงิน"]),
        ("  ", []),
    ],
)
def test_split_groups(cell: str, groups: list[str]) -> None:
    assert split_groups(cell) == groups


def test_detect_kind() -> None:
    export = _sheet([["ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"], ["a", "นายก ข", "การเงิน"]])
    sections = _sheet([["Username", "ชื่อ-สกุล", "ตำแหน่ง"], ["เจ้าหน้าที่การเงิน"],
                       ["a.b", "นายก ข", "นักวิชาการ"]])
    roster = _sheet([["ลำดับ", "ชื่อ - สกุล", "ตำแหน่ง", "ประเภทบุคลากร", "สถานะ"],
                     [1, "นายก ข", "ปลัด", "พนักงานส่วนตำบล", "ปกติ"]])
    letter = _sheet([["บันทึกข้อความ"], ["เรื่อง ขอส่งรายงาน"]])
    assert detect_kind([export]) == "export"
    assert detect_kind([sections]) == "export"
    assert detect_kind([roster]) == "roster"
    assert detect_kind([letter]) is None


def test_one_group_table_under_its_heading_is_an_export() -> None:
    # A report printed for one group: its heading above the header, no group column, no date
    # column. It looks like a staff list, but its usernames under a group heading make it an
    # export; a roster with a unit heading above stays a roster.
    rows = [["ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง", "สถานะ"],
            ["somsri.j", "นางสมศรี ใจดี", "นักวิชาการเงินและบัญชี", "ใช้งาน"],
            ["wichai.s", "นายวิชัย สุขใจ", "เจ้าพนักงานการเงินและบัญชี", "ใช้งาน"]]
    assert detect_kind([_sheet([["กลุ่มผู้ใช้งาน : เจ้าหน้าที่การเงิน"], *rows])]) == "export"
    roster = [["กองคลัง"], ["ลำดับ", "ชื่อ - สกุล", "ตำแหน่ง", "สถานะ"],
              [1, "นางสมศรี ใจดี", "ผู้อำนวยการกองคลัง", "ปกติ"]]
    assert detect_kind([_sheet(roster)]) == "roster"


# Pieces that make label-like and name-like text: every exact label the matcher knows, words
# from its patterns, Thai names and usernames, and the punctuation and line breaks labels carry.
_LABEL_WORDS = sorted({k for keys in layout._EXACT.values() for k in keys} | {
    "ชื่อ", "สกุล", "นามสกุล", "ผู้ใช้", "ใช้งาน", "ล่าสุด", "กอง", "กลุ่ม", "งาน", "สำนัก",
    "รหัสผ่าน", "Username", "Full Name", "last login", "นาย", "นางสาว", "ประภาพร", "แสงรุ่งเรือง",
    "somchai_j", "pra_s1", "เลข", "ตำแหน่ง", "สถานะ", "ประเภท", "หมายเหตุ", "สร้าง", "มีผล",
})
_GLUE = [" ", "", "-", " / ", "\n", " (", ")", ".", ":"]
_FIELD_SETS = [
    frozenset(("full_name", "first_name", "last_name")), frozenset(("username", AMBIGUOUS_USER)),
    frozenset(("prefix", "full_name", "first_name", "last_name")),  # the roster's name fields
    *(frozenset([f]) for f in (*layout.ALL_FIELDS, AMBIGUOUS_USER)),
]


@given(st.lists(st.tuples(st.sampled_from(_LABEL_WORDS), st.sampled_from(_GLUE)), max_size=4),
       st.sampled_from(_FIELD_SETS))
def test_label_in_answers_what_match_label_answers(
    pieces: list[tuple[str, str]], fields: frozenset[str]
) -> None:
    text = "".join(word + glue for word, glue in pieces)
    assert label_in(text, fields) == (match_label(text) in fields)


@pytest.mark.parametrize("fields", _FIELD_SETS)
def test_label_in_on_every_known_label(fields: frozenset[str]) -> None:
    for label in _LABEL_WORDS:
        assert label_in(label, fields) == (match_label(label) in fields), label
