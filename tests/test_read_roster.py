"""read_roster: HR rosters in the shapes clerks keep, each person with the Excel row they are on."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laas_audit.errors import InputError
from laas_audit.grid import Grid, Sheet
from laas_audit.national_id import make_id
from laas_audit.read_export import sniff_kind
from laas_audit.read_roster import read_roster, roster_from_grid
from laas_audit.thai import normalise_text
from tests.readers_fixtures import (
    Layout,
    build_export,
    build_roster,
    roster_sheet_per_unit,
    sample_accounts,
    sample_staff,
    write_csv,
    write_html,
    write_sheets,
    write_xlsx,
)

WRITERS = {
    "xlsx": lambda p, rows: write_xlsx(p.with_suffix(".xlsx"), rows),
    "csv-cp874": lambda p, rows: write_csv(p.with_suffix(".csv"), rows, encoding="cp874"),
    "csv-bom": lambda p, rows: write_csv(p.with_suffix(".csv"), rows, encoding="utf-8-sig"),
    "html": lambda p, rows: write_html(p.with_suffix(".xls"), rows),
}


@pytest.mark.parametrize("writer", list(WRITERS))
@pytest.mark.parametrize("shape", ["plain", "unit-sections", "split-name", "no-title"])
def test_roster_shapes(tmp_path: Path, shape: str, writer: str) -> None:
    staff = sample_staff()
    rows, where = build_roster(
        staff, sections=shape == "unit-sections", split_name=shape == "split-name",
        title=shape != "no-title",
    )
    path = WRITERS[writer](tmp_path / "roster", rows)
    assert sniff_kind(path) == "roster"
    table = read_roster(path)
    assert [p.row for p in table.people] == sorted(where.values())
    by_row = {p.row: p for p in table.people}
    for s in staff:
        person = by_row[where[s.full_name]]
        assert person.position == s.position
        assert person.unit == s.unit  # from the column, or from the unit heading above
        assert person.employment_type == s.employment
        assert person.status == s.status
        assert person.status_date == s.status_date
        assert person.note == s.note
        assert person.national_id == s.national_id
    malee = by_row[where["นางมาลี ศรีสุข"]]
    assert (malee.prefix, malee.first_name, malee.last_name) == ("นาง", "มาลี", "ศรีสุข")
    pim = by_row[where["นส.พิมพ์ใจ รักษ์ไทย"]]
    assert (pim.prefix, pim.first_name) == ("นางสาว", "พิมพ์ใจ")  # "นส." is นางสาว
    wanida = by_row[where["นางสาววนิดา  พูลสวัสดิ์"]]
    assert wanida.full_name == "นางสาววนิดา พูลสวัสดิ์"  # double space normalised
    if shape != "no-title":
        assert table.body.name == "องค์การบริหารส่วนตำบลหนองบัวแดง"
        assert table.body.district == "ภูเขียว"
    assert not table.warnings, [str(w) for w in table.warnings]


def test_vacancies_and_rows_without_a_name(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["ลำดับ", "ชื่อ - สกุล", "ตำแหน่ง", "สังกัด", "สถานะ"],
        [1, "นายสมชาย ใจดี", "ผู้อำนวยการกองคลัง", "กองคลัง", "ปกติ"],
        [2, "ว่าง", "นักวิชาการพัสดุ", "กองคลัง", None],
        [3, None, "เจ้าพนักงานธุรการ", "กองช่าง", None],
        [4, None, None, "กองช่าง", "ย้าย"],
        [5, "นางมาลี ศรีสุข", "นักวิชาการเงินและบัญชี", "กองคลัง", "โอน"],
    ]
    table = read_roster(write_csv(tmp_path / "r.csv", rows))
    assert [(p.row, p.full_name) for p in table.people] == [(2, "นายสมชาย ใจดี"),
                                                            (6, "นางมาลี ศรีสุข")]
    text = "\n".join(str(w) for w in table.warnings)
    assert "2 vacant position row(s) skipped (rows 3, 4)" in text
    assert "row 5" in text and "no person's name" in text


def test_status_date_problems_are_warnings(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["ชื่อ-สกุล", "ตำแหน่ง", "สถานะ", "วันที่มีผล", "เลขประจำตัวประชาชน"],
        ["นายสมชาย ใจดี", "ปลัด", "ย้าย", "31/02/2569", "1104500012341"],
        ["นางมาลี ศรีสุข", "นักวิชาการ", "ลาออก", "๑ ต.ค. ๒๕๖๘", "1-1045-00012-34-0"],
    ]
    table = read_roster(write_csv(tmp_path / "r.csv", rows))
    assert table.people[0].status_date is None
    assert table.people[1].status_date == date(2025, 10, 1)
    assert table.people[1].national_id == "1104500012340"
    text = "\n".join(str(w) for w in table.warnings)
    assert "row 2, column D" in text and "31/02/2569" in text
    assert "row 2, column E" in text and "check digit" in text
    dated = next(w for w in table.warnings if w.location.column == "D")
    assert dated.th.endswith("เดือนกุมภาพันธ์ พ.ศ. 2569 ไม่มีวันที่ 31")
    assert dated.en.endswith("February 2569 BE has no day 31")


BIRTH_LABELS = ["วันเกิด", "วัน เดือน ปีเกิด", "วัน/เดือน/ปี เกิด", "ว/ด/ป เกิด", "วันเดือนปีเกิด",
                "Birth Date", "Date of Birth", "DOB"]


@pytest.mark.parametrize("label", BIRTH_LABELS)
def test_birth_dates_are_read_in_every_form_beside_an_age_and_a_status_date(
    tmp_path: Path, label: str
) -> None:
    rows: list[list[object]] = [
        ["ที่", "ชื่อ-สกุล", "ตำแหน่ง", "สถานะ", "วันที่", label, "อายุ (ปี)"],
        [1, "นายสมชาย ใจดี", "ปลัด", "ย้าย", "1 มี.ค. 2569", "1 ต.ค. 2509", 59],
        [2, "นางมาลี ศรีสุข", "นักวิชาการเงินและบัญชี", "ปกติ", None, "๒ ต.ค. ๒๕๐๙", 59],
        [3, "นายอนันต์ กล้าหาญ", "นักวิชาการพัสดุ", "ปกติ", None, datetime(2509, 9, 30), 60],
        [4, "นางวนิดา พูลสวัสดิ์", "เจ้าพนักงานธุรการ", "ปกติ", None, 24378, 60],  # a serial
        [5, "นายสมศักดิ์ ขยันงาน", "คนงานทั่วไป", "ปกติ", None, None, 30],
    ]
    table = read_roster(write_xlsx(tmp_path / "r.xlsx", rows))
    assert [p.birth_date for p in table.people] == [
        date(1966, 10, 1), date(1966, 10, 2), date(1966, 9, 30), date(1966, 9, 28), None,
    ]
    # "วันที่" alone stays the status date; the age column is known and never a birth date
    assert table.people[0].status_date == date(2026, 3, 1)
    assert table.source.columns["birth_date"] == label
    assert table.source.columns["status_date"] == "วันที่"
    assert "created" not in table.source.columns
    (ignored,) = table.warnings  # listed once as not used, like every known-unused label
    assert ignored.en == "column(s) ignored: G 'อายุ (ปี)'" and ignored.location.row == 1


def test_an_age_column_alone_gives_no_birth_date(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ชื่อ-สกุล", "ตำแหน่ง", "อายุ", "ปีเกิด"],
                                ["นายสมชาย ใจดี", "ปลัด", 60, 2509]]
    table = read_roster(write_csv(tmp_path / "r.csv", rows))
    assert table.people[0].birth_date is None and "birth_date" not in table.source.columns


def test_unreadable_birth_dates_are_warnings_naming_the_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("laas_audit.read_roster._today", lambda: date(2026, 10, 1))
    rows: list[list[object]] = [
        ["ชื่อ-สกุล", "ตำแหน่ง", "สถานะ", "ว/ด/ป เกิด"],
        ["นายสมชาย ใจดี", "ปลัด", "ปกติ", "31/02/2509"],
        ["นางมาลี ศรีสุข", "นักวิชาการเงินและบัญชี", "ปกติ", "1/10/09"],
        ["นายอนันต์ กล้าหาญ", "นักวิชาการพัสดุ", "ปกติ", "1 ต.ค. พ.ศ. 09"],  # the era says BE
        ["นางวนิดา พูลสวัสดิ์", "เจ้าพนักงานธุรการ", "ปกติ", "ไม่ทราบ"],
    ]
    table = read_roster(write_csv(tmp_path / "r.csv", rows))
    # nobody is dropped for a bad birth date: the person stays, without one
    assert [p.full_name for p in table.people][:2] == ["นายสมชาย ใจดี", "นางมาลี ศรีสุข"]
    assert [p.birth_date for p in table.people] == [None, None, date(1966, 10, 1), None]
    by_row = {w.location.row: w for w in table.warnings}
    assert sorted(by_row) == [2, 3, 5] and {w.location.column for w in table.warnings} == {"D"}
    assert by_row[2].en.endswith("February 2509 BE has no day 31")
    # 2009 CE would make her 17: only the reading a member of staff can have is offered
    assert "two-digit year ('1/10/09'), so it was not used: which may be 2509 BE (1966 CE," \
        " aged 60): write the year in four digits (e.g. '1/10/2509')" in by_row[3].en
    assert "2009" not in by_row[3].en and "2009" not in by_row[3].th
    assert by_row[3].th.startswith("วันเกิดในคอลัมน์ 'ว/ด/ป เกิด' มีปีเพียงสองหลัก")
    assert "ไม่ทราบ" in by_row[5].th and "not a recognised date" in by_row[5].en


# (the column's other cells, the two-digit cell, the full years offered (CE), the example)
TWO_DIGIT_CASES: list[tuple[list[str], str, list[int], str | None]] = [
    (["1 ต.ค. 2509"], "1/10/09", [1966], "1/10/2509"),  # not 2009 CE: a child
    (["1 ต.ค. 2509"], "5/3/70", [1970], "5/3/2513"),  # a CE year in a BE column, written BE
    (["1966-10-01"], "5/3/70", [1970], "5/3/1970"),  # a CE column: not 2470 or 2570 BE
    (["1966-10-01"], "1 ต.ค. 45", [2002], "1 ต.ค. 2002"),
    ([], "5/3/99", [1956, 1999], "5/3/2499"),  # no era shown: both readings, BE first
    ([], "1/1/53", [], None),  # 18-70 in neither era: only asked for the four digits
]


@pytest.mark.parametrize(("others", "cell", "years", "example"), TWO_DIGIT_CASES)
def test_a_two_digit_birth_year_is_advised_only_years_staff_can_have(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    others: list[str], cell: str, years: list[int], example: str | None,
) -> None:
    monkeypatch.setattr("laas_audit.read_roster._today", lambda: date(2026, 10, 1))
    rows: list[list[object]] = [["ชื่อ-สกุล", "ตำแหน่ง", "สถานะ", "วันเกิด"],
                                ["นางบัวผัน ศรีงาม", "เจ้าพนักงานธุรการ", "ปกติ", cell]]
    rows += [["นายไพโรจน์ ศรีงาม", "นักวิชาการพัสดุ", "ปกติ", other] for other in others]
    table = read_roster(write_csv(tmp_path / "r.csv", rows))
    assert table.people[0].birth_date is None
    (warning,) = [w for w in table.warnings if w.location.row == 2]
    offered = [int(y) for y in re.findall(r"(\d{4}) CE", warning.en)]
    assert offered == years
    assert all(18 <= 2026 - y <= 70 for y in offered)
    if example is None:
        assert "four digits as the personnel record has it" in warning.en
        assert "e.g." not in warning.en and "ครบสี่หลักตามทะเบียนประวัติ" in warning.th
    else:
        assert f"(e.g. '{example}')" in warning.en and f"(เช่น '{example}')" in warning.th


def test_every_two_digit_birth_year_is_advised_only_plausible_years(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("laas_audit.read_roster._today", lambda: date(2026, 10, 1))
    rows: list[list[object]] = [["ชื่อ-สกุล", "ตำแหน่ง", "วันเกิด"]]
    rows += [[f"นายสายชล ศรีงาม{i:02d}", "ปลัด", f"1/1/{i:02d}"] for i in range(100)]
    table = read_roster(write_csv(tmp_path / "r.csv", rows))
    births = [w for w in table.warnings if w.location.column == "C"]
    assert len(births) == 100 and all(p.birth_date is None for p in table.people)
    for warning in births:
        offered = [int(y) for y in re.findall(r"(\d{4}) CE", warning.en)]
        assert all(18 <= 2026 - y <= 70 for y in offered), warning.en
        assert offered or "four digits as the personnel record has it" in warning.en


def test_a_birth_date_that_makes_staff_a_child_is_a_warning_not_a_date(tmp_path: Path) -> None:
    # 2609 and 2569 typed for 2509, and the date cell Excel makes of "1/10/09" (2009 CE)
    rows: list[list[object]] = [
        ["ชื่อ-สกุล", "ตำแหน่ง", "สถานะ", "วันเกิด"],
        ["นายสมชาย ใจดี", "ปลัด", "ปกติ", "1 ต.ค. 2609"],
        ["นางมาลี ศรีสุข", "นักวิชาการเงินและบัญชี", "ปกติ", "๑ ต.ค. ๒๕๖๙"],
        ["นายอนันต์ กล้าหาญ", "นักวิชาการพัสดุ", "ปกติ", date(2009, 10, 1)],
        ["นางวนิดา พูลสวัสดิ์", "เจ้าพนักงานธุรการ", "ปกติ", "1 ต.ค. 2509"],
    ]
    table = read_roster(write_xlsx(tmp_path / "r.xlsx", rows))
    assert [p.birth_date for p in table.people] == [None, None, None, date(1966, 10, 1)]
    by_row = {w.location.row: w for w in table.warnings}
    assert sorted(by_row) == [2, 3, 4] and {w.location.column for w in table.warnings} == {"D"}
    assert all("อายุไม่ถึง 18 ปี" in w.th and "younger than 18" in w.en for w in by_row.values())


def test_username_column_in_roster(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ชื่อ-สกุล", "ตำแหน่ง", "ประเภทบุคลากร", "Username"],
                                ["นายสมชาย ใจดี", "ปลัด", "พนักงานส่วนตำบล", "somchai.j"]]
    (person,) = read_roster(write_xlsx(tmp_path / "r.xlsx", rows)).people
    assert person.username == "somchai.j"


def test_citizen_id_username_in_roster_is_read_as_the_export_reads_it(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ชื่อ-สกุล", "ตำแหน่ง", "ชื่อผู้ใช้ e-LAAS"],
                                ["นางมาลี ศรีสุข", "นักวิชาการเงินและบัญชี", "1-1045-00012-34-3"],
                                ["นายสมชาย ใจดี", "ปลัด", "๓๑๐๔๕๐๐๐๑๒๓๔๐"]]
    people = read_roster(write_xlsx(tmp_path / "r.xlsx", rows)).people
    assert [p.username for p in people] == ["1104500012343", "3104500012340"]


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_roster(path)
    assert path.name in info.value.message() and info.value.hint_en
    return info.value


def test_export_given_as_the_roster(tmp_path: Path) -> None:
    built = build_export(sample_accounts(), Layout(groups="sections"))
    err = _error(write_xlsx(tmp_path / "export.xlsx", built.rows, built.merged))
    assert "looks like the New e-LAAS user export, not an HR roster" in err.en


def test_no_name_column(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ลำดับ", "ตำแหน่ง", "สังกัด"], [1, "ปลัด", "สำนักปลัด"]]
    err = _error(write_csv(tmp_path / "r.csv", rows))
    assert "no name column" in err.en and "--mapping" in err.hint_en


def test_header_only_roster(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ชื่อ-สกุล", "ตำแหน่ง", "สังกัด"]]
    assert "no people" in _error(write_csv(tmp_path / "r.csv", rows)).en


def test_a_sheet_per_unit_is_refused_at_the_second_sheet(tmp_path: Path) -> None:
    # Staff on later sheets would be taken for "not on the roster": refused, not read in part.
    sheets, _ = roster_sheet_per_unit(sample_staff())
    assert [name for name, _ in sheets] == ["กองคลัง", "สำนักปลัด", "กองช่าง"]
    err = _error(write_sheets(tmp_path / "บุคลากรแยกกอง.xlsx", sheets))
    assert (err.location.sheet, err.location.row) == ("สำนักปลัด", 1)  # no title there
    assert "the HR roster on sheet 'กองคลัง' (header row 4)" in err.en
    assert "continues on sheet(s) 'สำนักปลัด' (header row 1), 'กองช่าง' (header row 1)" in err.en
    assert "ทะเบียนบุคลากรในชีต 'กองคลัง'" in err.th and "ชีต 'กองช่าง' (หัวตารางแถว 1)" in err.th
    message = err.message()
    assert message.index("ข้อผิดพลาด") < message.index("Error:")
    assert "copy the data rows of the other sheets below the data rows of sheet 'กองคลัง'" in (
        err.hint_en) and "e-LAAS" not in err.hint_en


def test_a_sheet_per_unit_put_on_one_sheet_reads_everyone(tmp_path: Path) -> None:
    sheets, where = roster_sheet_per_unit(sample_staff())
    rows = list(sheets[0][1])
    for _name, other in sheets[1:]:
        rows += other[1:]  # the data rows, not the header (their signature lines are skipped)
    table = read_roster(write_xlsx(tmp_path / "บุคลากร.xlsx", rows))
    assert sorted(p.full_name_raw for p in table.people) == sorted(where)


OTHER_ROSTER_SHEETS: dict[str, list[list[object]]] = {
    "workforce-summary": [["สรุปอัตรากำลัง"], ["ส่วนราชการ", "ตำแหน่ง", "จำนวน"],
                          ["กองคลัง", "นักวิชาการเงินและบัญชี", 2]],
    "other-name-columns": [["คำนำหน้า", "ชื่อ", "นามสกุล", "ตำแหน่ง"],
                           ["นาย", "ประเสริฐ", "มั่นคง", "นายกองค์การบริหารส่วนตำบล"]],
    "header-only": [["ลำดับที่", "ชื่อ - สกุล", "ตำแหน่ง", "สังกัด"]],
    # Elected executives are never on HR rosters: their list is not more staff.
    "executives": [["คณะผู้บริหารองค์การบริหารส่วนตำบลหนองบัวแดง"],
                   ["ลำดับ", "ชื่อ - สกุล", "ตำแหน่ง"],
                   [1, "นายประเสริฐ มั่นคง", "นายกองค์การบริหารส่วนตำบล"],
                   [2, "นางบุญตา ศรีงาม", "รองนายกองค์การบริหารส่วนตำบล"],
                   [3, "นางสาวอรุณี แสงทอง", "เลขานุการนายกองค์การบริหารส่วนตำบล"]],
}


@pytest.mark.parametrize("other", list(OTHER_ROSTER_SHEETS))
@pytest.mark.parametrize("hidden", [False, True], ids=["shown", "hidden"])
def test_other_sheets_that_are_not_more_people_are_left_alone(
    tmp_path: Path, other: str, hidden: bool
) -> None:
    rows, where = build_roster(sample_staff())
    sheets = [("บุคลากร", rows), ("อื่น", OTHER_ROSTER_SHEETS[other])]
    table = read_roster(write_sheets(tmp_path / "r.xlsx", sheets,
                                     hidden=("อื่น",) if hidden else ()))
    assert table.source.sheet == "บุคลากร"
    assert [p.row for p in table.people] == sorted(where.values())


def test_a_hidden_older_roster_is_left_alone(tmp_path: Path) -> None:
    rows, where = build_roster(sample_staff())
    older, _ = build_roster(sample_staff()[:3])
    sheets = [("ปัจจุบัน", rows), ("ปี 2568", older)]
    table = read_roster(write_sheets(tmp_path / "r.xlsx", sheets, hidden=("ปี 2568",)))
    assert [p.row for p in table.people] == sorted(where.values())
    shown = _error(write_sheets(tmp_path / "r2.xlsx", sheets))
    assert shown.location.sheet == "ปี 2568" and "older copy" in shown.hint_en


# Without its header row: the later sheets' rows carry on in the read header's columns.


def _headerless(err: InputError, sheet: str, row: int) -> None:
    assert (err.location.sheet, err.location.row) == (sheet, row)
    assert f"'{sheet}' (continued without a header row, from row {row})" in err.en
    assert f"ชีต '{sheet}' (ต่อโดยไม่มีแถวหัวตาราง เริ่มที่แถว {row})" in err.th
    assert "not part of the HR roster: move it to another file" in err.hint_en
    assert err.message().index("ข้อผิดพลาด") < err.message().index("Error:")


def test_a_sheet_per_unit_without_headers_is_refused(tmp_path: Path) -> None:
    sheets, _ = roster_sheet_per_unit(sample_staff(), header=False)
    assert sheets[1][1][0][2] == "นายอนันต์ กล้าหาญ"  # สำนักปลัด starts with a person
    err = _error(write_sheets(tmp_path / "บุคลากรแยกกอง.xlsx", sheets))
    _headerless(err, "สำนักปลัด", 1)
    assert "'กองช่าง' (continued without a header row, from row 1)" in err.en
    assert "the HR roster on sheet 'กองคลัง' (header row 4)" in err.en


def test_a_roster_with_split_names_cut_in_two_is_refused(tmp_path: Path) -> None:
    # คำนำหน้า | ชื่อ | นามสกุล, the rest of the people pasted onto a second sheet.
    rows, where = build_roster(sample_staff(), split_name=True)
    cut = where["นายอนันต์ กล้าหาญ"] - 1
    sheets = [("กองคลัง", rows[:cut]), ("สำนักปลัด", rows[cut:])]
    _headerless(_error(write_sheets(tmp_path / "r.xlsx", sheets)), "สำนักปลัด", 1)


def test_executives_among_staff_are_still_more_people(tmp_path: Path) -> None:
    # Only a list of elected office holders alone is the executives' list.
    rows, _ = build_roster(sample_staff())
    more: list[list[object]] = [
        [8, None, "นายประเสริฐ มั่นคง", "นายกองค์การบริหารส่วนตำบล", None, "ผู้บริหารท้องถิ่น"],
        [9, make_id("310450077777"), "นางสาวอรุณี แสงทอง", "ปลัดองค์การบริหารส่วนตำบล",
         "สำนักปลัด", "พนักงานส่วนตำบล"],
    ]
    err = _error(write_sheets(tmp_path / "r.xlsx", [("บุคลากร", rows), ("ต่อ", more)]))
    _headerless(err, "ต่อ", 1)


# Other sheets without a header that are not more people (laid out as the roster's columns:
# ลำดับที่ | เลขประจำตัวประชาชน | ชื่อ - สกุล | ตำแหน่ง | สังกัด | ประเภทบุคลากร ...).
OTHER_ROSTER_SHEETS_HEADERLESS: dict[str, list[list[object]]] = {
    "cover": [["บัญชีรายชื่อพนักงานส่วนตำบลและพนักงานจ้าง"],
              ["องค์การบริหารส่วนตำบลหนองบัวแดง อำเภอภูเขียว จังหวัดชัยภูมิ"],
              [None, "จัดทำโดย", "นางมาลี ศรีสุข", "หัวหน้าสำนักปลัด"],
              [None, "ตรวจสอบโดย", "นายสมชาย ใจดี", "ผู้อำนวยการกองคลัง"]],
    "signatures": [["ผู้จัดทำ", None, "นางมาลี ศรีสุข", "หัวหน้าสำนักปลัด"],
                   ["ผู้ตรวจสอบ", None, "นายสมชาย ใจดี", "ผู้อำนวยการกองคลัง"],
                   ["ผู้อนุมัติ", None, "นายอนันต์ กล้าหาญ", "ปลัดองค์การบริหารส่วนตำบล"]],
    "executives-only": [
        [1, None, "นายประเสริฐ มั่นคง", "นายกองค์การบริหารส่วนตำบล", None, "ผู้บริหารท้องถิ่น"],
        [2, None, "นางบุญตา ศรีงาม", "รองนายกองค์การบริหารส่วนตำบล", None, "ผู้บริหารท้องถิ่น"],
        [3, None, "นายวิชัย ทองมา", "รองนายก อบต.", None, "ผู้บริหารท้องถิ่น"],
        [4, None, "นางสาวอรุณี แสงทอง", "เลขานุการนายกองค์การบริหารส่วนตำบล", None, None]],
    "workforce-pivot": [["กองคลัง", "นักวิชาการเงินและบัญชี", 2],
                        ["สำนักปลัด", "นักวิเคราะห์นโยบายและแผน", 1],
                        ["กองช่าง", "คนงานทั่วไป", 1]],
    "empty-template": [[n, None, None, None, None, None, None, None, None] for n in range(1, 31)],
    "one-person-noted": [["หมายเหตุ: ย้ายไปสังกัดใหม่แล้ว รอคำสั่ง"],
                         [1, make_id("310450066666"), "นางสาวพิมพ์ใจ รักษ์ไทย",
                          "เจ้าพนักงานพัสดุปฏิบัติงาน", "กองคลัง"]],
}


@pytest.mark.parametrize("other", list(OTHER_ROSTER_SHEETS_HEADERLESS))
@pytest.mark.parametrize("first", [False, True], ids=["after", "before"])
def test_other_sheets_without_a_header_that_are_not_more_people_are_left_alone(
    tmp_path: Path, other: str, first: bool
) -> None:
    rows, where = build_roster(sample_staff())
    sheets = [("บุคลากร", rows), ("อื่น", OTHER_ROSTER_SHEETS_HEADERLESS[other])]
    table = read_roster(write_sheets(tmp_path / "r.xlsx", sheets[::-1] if first else sheets))
    assert table.source.sheet == "บุคลากร"
    assert [p.row for p in table.people] == sorted(where.values())


def test_a_hidden_older_roster_without_a_header_is_left_alone(tmp_path: Path) -> None:
    rows, where = build_roster(sample_staff())
    older, _ = build_roster(sample_staff()[:4], title=False)
    sheets = [("ปัจจุบัน", rows), ("ปี 2568", older[1:])]
    table = read_roster(write_sheets(tmp_path / "r.xlsx", sheets, hidden=("ปี 2568",)))
    assert [p.row for p in table.people] == sorted(where.values())
    _headerless(_error(write_sheets(tmp_path / "r2.xlsx", sheets)), "ปี 2568", 1)


@pytest.mark.parametrize(("footer", "warned"), [
    ("รวมทั้งสิ้น 9 คน", True), ("รวมทั้งสิ้น ๗ คน", False), ("รวม 7 ราย", False),
])
def test_a_total_that_disagrees_with_the_people_read_is_a_warning(
    tmp_path: Path, footer: str, warned: bool
) -> None:
    rows, _ = build_roster(sample_staff())
    rows.insert(-2, [footer])
    table = read_roster(write_xlsx(tmp_path / "r.xlsx", rows))
    got = [str(w) for w in table.warnings if "total says" in w.en]
    assert len(table.people) == 7
    if warned:
        [warning] = got
        assert f"แถว {len(rows) - 2}: ยอดรวมท้ายทะเบียนระบุ 9 ราย แต่อ่านได้ 7 คน" in warning
        assert "the roster's total says 9 but 7 people were read" in warning
    else:
        assert got == []


ROSTER_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["ชื่อ-สกุล", "ตำแหน่ง", "สังกัด", "ประเภทบุคลากร", "สถานะ", "วันที่มีผล",
                     "ว่าง", "กองคลัง", "นายสมชาย ใจดี", "นส.มาลี ศรีสุข", "ย้าย", "1/10/2568",
                     "ลงชื่อ....", "หน้า 2", "พนักงานจ้างทั่วไป", "3104500012340"]),
    st.text(alphabet="กขคง ำ๑๒ab.\n", max_size=10),
    st.integers(-3, 10**13), st.floats(allow_nan=True), st.dates(),
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(ROSTER_CELLS, min_size=1, max_size=6), max_size=12))
def test_random_grids_end_in_a_roster_or_a_clean_error(rows: list[list[object]]) -> None:
    width = max((len(r) for r in rows), default=0)
    grid = Grid(Path("fuzz.csv"), "csv", "0" * 64,
                [Sheet(None, [r + [None] * (width - len(r)) for r in rows])])
    try:
        table = roster_from_grid(grid)
    except InputError as err:
        assert "fuzz.csv" in err.message()
    else:
        assert table.people and all(p.full_name for p in table.people)


def test_a_repeated_national_id_keeps_both_rows(tmp_path: Path) -> None:
    # Matching decides which row stands for the person; the reader drops nothing.
    pid = make_id("110070056781")
    path = write_xlsx(tmp_path / "r.xlsx", [
        ["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-สกุล", "ตำแหน่ง", "สถานะ", "วันที่มีผล"],
        [1, pid, "นางวันดี กลับมา", "เจ้าพนักงานพัสดุ", "ย้าย", "01/06/2567"],
        [2, pid, "นางวันดี กลับมา", "เจ้าพนักงานพัสดุ", "ปกติ", None],
    ], sheet="บุคลากร")
    table = read_roster(path)
    assert [(p.row, p.national_id, p.status) for p in table.people] == [
        (2, pid, "ย้าย"), (3, pid, "ปกติ"),
    ]
    assert table.people[0].status_date == date(2024, 6, 1) and table.people[1].status_date is None


# --------------------------------------------------------------------------- leaving in a note

# A hand-made roster often has no สถานะ column: the leaving is written in หมายเหตุ.
# (note, the status read from it, its effective date)
NOTE_LEAVINGS: list[tuple[str, str, date | None]] = [
    ("โอนไป อบต.บ้านเป้า ตั้งแต่ 1 ส.ค. 2569", "โอนไป อบต.บ้านเป้า", date(2026, 8, 1)),
    ("ลาออก มีผล 15 ก.ย. 2569", "ลาออก", date(2026, 9, 15)),
    ("เกษียณ", "เกษียณ", None),
    ("ย้ายไป ทต.หนองบัวแดง", "ย้ายไป ทต.หนองบัวแดง", None),
    ("พ้นจากตำแหน่ง เนื่องจากครบวาระ", "พ้นจากตำแหน่ง เนื่องจากครบวาระ", None),
    ("ให้ออก ตามคำสั่งที่ 12/2569", "ให้ออก ตามคำสั่งที่ 12/2569", None),  # an order number
    ("ถึงแก่กรรม เมื่อ ๓ ก.ย. ๒๕๖๙", "ถึงแก่กรรม", date(2026, 9, 3)),
    # a record, oldest first: the leaving after the history, or the history of where they went
    ("บรรจุ 1 ต.ค. 2562 / ลาออก 1 ส.ค. 2569", "บรรจุ 1 ต.ค. 2562 / ลาออก", date(2026, 8, 1)),
    ("ลาออกเมื่อ 1 ก.ย. 2569 เพื่อไปบรรจุเป็นข้าราชการครู",
     "ลาออกเมื่อ 1 ก.ย. 2569 เพื่อไปบรรจุเป็นข้าราชการครู", date(2026, 9, 1)),
    ("โอนไปดำรงตำแหน่ง นักวิชาการเงินและบัญชี อบต.หนองแวง แทนตำแหน่งที่ว่าง ตั้งแต่ 1 ก.ค. 2569",
     "โอนไปดำรงตำแหน่ง นักวิชาการเงินและบัญชี อบต.หนองแวง แทนตำแหน่งที่ว่าง", date(2026, 7, 1)),
    # the order's date is not the leaving's: the latest date is
    ("คำสั่งที่ 45/2569 ลว. 1 ก.ย. 2569 ลาออก 31 ต.ค. 2569",
     "คำสั่งที่ 45/2569 ลว. 1 ก.ย. 2569 ลาออก", date(2026, 10, 31)),
]
# Notes that are no leaving, by the status column's own words: a negation, a request, an
# arrival, an acting order.
NOTES_NOT_LEAVING = [
    "ไม่ได้ลาออก (ยกเลิกคำสั่ง)",
    "ขอโอนไป อบต.โนนสูง",
    "ย้ายมาจาก อบต.โนนสูง 1 ก.ค. 2568",
    "ย้ายจากสำนักการคลังไปกองช่าง คำสั่งที่ 88/2569",  # a move inside the body
    "โอนจาก ทต.หนองบัว ตั้งแต่ 1 มิ.ย. 2568",
    "รักษาราชการแทนผู้อำนวยการกองคลัง ตามคำสั่งที่ 12/2569",
    # history: how the person came, or someone else's leaving
    "โอน (ย้าย) มาจาก อบต.หนองไผ่ เมื่อ 1 ธ.ค. 2566",
    "โอนย้ายมาจาก อบต.บ้านค่าย เมื่อ 1 พ.ย. 2566",
    "ย้าย/โอนมาจาก ทต.หนองบัวแดง 1 ต.ค. 2565",
    "ย้ายตามคำสั่ง ก.ท.จ.ชัยภูมิ มาดำรงตำแหน่ง ตั้งแต่ 1 ก.พ. 2567",
    "ลาออกจากพนักงานจ้าง และบรรจุเป็นพนักงานส่วนตำบล เมื่อ 1 ก.ค. 2566",
    "ได้รับมอบหมายให้ปฏิบัติหน้าที่แทนเจ้าหน้าที่ที่ลาออก",
    "เคยย้ายไปช่วยราชการ อบต.บ้านเป้า (สิ้นสุดแล้ว)",
    # not yet: HR notes a leaving to come, often without a date
    "จะเกษียณปี 2570",
    "เตรียมโอนไป อบต.โนนสูง",
    "อยู่ระหว่างลาออก",
    "รอคำสั่งย้าย",
]
_FIRST_NAMES = ["นายพิชิต", "นางอุษา", "นายวีรพงษ์", "นางสาวจันทร์เพ็ญ", "นายบุญมา", "นางลำดวน",
                "นายสายชล", "นางสาวกนกพร", "นายประยูร", "นางบัวผัน", "นายไพโรจน์", "นางสาวรัตนา",
                "นายสมบัติ", "นางสาวอรอุมา", "นายอำนาจ", "นางมยุรี", "นายธวัชชัย", "นางสาวสุภาพร",
                "นางรัชนี", "นายธีระ", "นายปิยะ", "นางอรทัย", "นางกัลยา", "นายวัชระ", "นางพนิดา",
                "นายอนุชา", "นางสาวพิมพ์ชนก", "นายสุรชัย", "นางเพ็ญศรี", "นายณรงค์"]


def _note_roster(notes: list[str | None], statuses: list[str | None] | None = None) -> list[
    list[object]
]:
    header: list[object] = ["ที่", "ชื่อ-สกุล", "ตำแหน่ง", "กอง", "หมายเหตุ"]
    if statuses is not None:
        header.insert(4, "สถานะ")
    rows: list[list[object]] = [["รายชื่อพนักงาน เทศบาลตำบลหนองบัวแดง"], header]
    for i, note in enumerate(notes):
        row: list[object] = [i + 1, f"{_FIRST_NAMES[i]} ทองมา", "เจ้าพนักงานการเงินและบัญชี",
                             "กองคลัง", note]
        if statuses is not None:
            row.insert(4, statuses[i])
        rows.append(row)
    return rows


def test_a_leaving_written_only_in_the_note_is_read_as_the_status(tmp_path: Path) -> None:
    notes = [n for n, _, _ in NOTE_LEAVINGS] + NOTES_NOT_LEAVING
    table = read_roster(write_xlsx(tmp_path / "r.xlsx", _note_roster(notes)))
    got = [(p.status, p.status_date) for p in table.people]
    assert got == [(s, d) for _, s, d in NOTE_LEAVINGS] + [(None, None)] * len(NOTES_NOT_LEAVING)
    assert [p.note for p in table.people] == [normalise_text(n) for n in notes]  # note kept
    # Said once, at the first row read so, naming every row: nothing inferred silently.
    (warning,) = table.warnings
    assert (warning.location.row, warning.location.column) == (3, "E")
    assert "(rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)" in warning.en
    assert "because the roster has no status" in warning.en
    assert warning.th.startswith("อ่านการพ้นจากหน้าที่") and "ทะเบียนไม่มีคอลัมน์สถานะ 11 คน" in (
        warning.th)


def test_a_blank_status_cell_reads_the_note_but_a_written_status_wins(tmp_path: Path) -> None:
    rows = _note_roster(
        ["ลาออก มีผล 15 ก.ย. 2569", "ลาออก มีผล 15 ก.ย. 2569", "โอนไป อบต.บ้านเป้า", None],
        statuses=[None, "ปกติ", None, "ย้าย"],
    )
    rows[1].insert(5, "วันที่มีผล")
    for row, effective in zip(rows[2:], [None, None, "1 ส.ค. 2569", "1 ก.ค. 2569"], strict=True):
        row.insert(5, effective)
    table = read_roster(write_xlsx(tmp_path / "r.xlsx", rows))
    assert [(p.status, p.status_date) for p in table.people] == [
        ("ลาออก", date(2026, 9, 15)),
        ("ปกติ", None),  # HR's status is the fact; its note is not second-guessed
        ("โอนไป อบต.บ้านเป้า", date(2026, 8, 1)),  # the date column's value
        ("ย้าย", date(2026, 7, 1)),
    ]
    (warning,) = table.warnings
    assert "because the status is empty, for 2 people (rows 3, 5)" in warning.en
    assert "เพราะช่องสถานะว่าง 2 คน" in warning.th


@pytest.mark.parametrize("with_notes", [True, False])
def test_a_roster_that_cannot_tell_who_left_says_la101_judged_nobody(
    tmp_path: Path, with_notes: bool
) -> None:
    rows = _note_roster(NOTES_NOT_LEAVING)
    if not with_notes:
        rows = [row[:4] for row in rows]
    table = read_roster(write_xlsx(tmp_path / "r.xlsx", rows))
    assert all(p.status is None for p in table.people)
    (warning,) = table.warnings
    assert (warning.location.row, warning.location.column) == (2, None)  # the header row
    assert warning.th.startswith("ทะเบียนบุคลากรไม่มีคอลัมน์สถานะ")
    assert "จึงตรวจกฎ LA101" in warning.th and "--mapping" in warning.th
    assert "LA101" in warning.en and "could not judge anyone" in warning.en
    assert ("no note says anyone left" in warning.en) is with_notes
    assert ("หมายเหตุไม่ได้ระบุ" in warning.th) is with_notes


def test_a_status_column_stays_silent_about_coverage(tmp_path: Path) -> None:
    rows = _note_roster([None, "รักษาราชการแทนผู้อำนวยการกองคลัง"], statuses=[None, "ปกติ"])
    assert read_roster(write_xlsx(tmp_path / "r.xlsx", rows)).warnings == []


def test_notes_are_read_with_the_review_policy_words(tmp_path: Path) -> None:
    from laas_audit.policy import load_policy

    extra = tmp_path / "policy.yaml"
    extra.write_text("leaver_statuses: {extend: [พักราชการ]}\n", encoding="utf-8")
    path = write_xlsx(tmp_path / "r.xlsx", _note_roster(["พักราชการ ตั้งแต่ 1 ก.ย. 2569"]))
    assert read_roster(path).people[0].status is None  # not a leaving by the shipped words
    (person,) = read_roster(path, policy=load_policy(extra)).people
    assert (person.status, person.status_date) == ("พักราชการ", date(2026, 9, 1))


def test_a_leaver_only_in_the_note_gets_la101_in_the_review(tmp_path: Path) -> None:
    from laas_audit.review import ReviewOptions, run_review

    def account(i: int, user: str, name: str, group: str) -> list[object]:
        return [i, user, name, "เจ้าพนักงานการเงินและบัญชี", group, "ใช้งาน", "01/10/2567",
                "20/09/2569", "01/08/2569"]

    export = write_xlsx(tmp_path / "export.xlsx", [
        ["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
        ["เทศบาลตำบลหนองบัวแดง อำเภอภูเขียว จังหวัดชัยภูมิ"],
        ["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง", "กลุ่มผู้ใช้งาน", "สถานะ", "วันที่สร้าง",
         "วันที่เข้าใช้งานล่าสุด", "วันที่เปลี่ยนรหัสผ่าน"],
        account(1, "phichit.t", "นายพิชิต ทองมา", "เจ้าหน้าที่การเงิน"),
        account(2, "usa.t", "นางอุษา ทองมา", "เจ้าหน้าที่บัญชี"),
        account(3, "weeraphong.t", "นายวีรพงษ์ ทองมา", "เจ้าหน้าที่การเงิน"),
        account(4, "chanphen.t", "นางสาวจันทร์เพ็ญ ทองมา", "เจ้าหน้าที่บัญชี"),
    ])
    notes = ["โอนไป อบต.บ้านเป้า ตั้งแต่ 1 ส.ค. 2569", "ลาออก มีผล 15 ก.ย. 2569",
             None, "ลาออก มีผล 1 ธ.ค. 2569"]  # the last one is still to come
    roster = write_xlsx(tmp_path / "roster.xlsx", _note_roster(notes))
    result = run_review(export, roster, ReviewOptions(as_of=date(2026, 10, 1))).result
    leavers = {f.username: f for f in result.findings if f.rule == "LA101"}
    assert sorted(leavers) == ["phichit.t", "usa.t"]
    assert "โอนไป อบต.บ้านเป้า เมื่อ 1 ส.ค. 2569 (ทะเบียนบุคลากร แถว 3)" in leavers[
        "phichit.t"].message
    assert leavers["usa.t"].evidence["effective"] == "2026-09-15"
    assert any("rows 3, 4, 6" in w and "หมายเหตุ" in w for w in result.warnings)

    # Without the notes, nobody can be judged: the review says so instead of passing everyone.
    bare = write_xlsx(tmp_path / "bare.xlsx", [row[:4] for row in _note_roster(notes)])
    result = run_review(export, bare, ReviewOptions(as_of=date(2026, 10, 1))).result
    assert not [f for f in result.findings if f.rule == "LA101"]
    assert [w for w in result.warnings if "LA101" in w and "could not judge anyone" in w]


# A retirement written with its year alone leaves on that fiscal year's end (30 Sep): a later
# year is still to come. Other leavings by a year alone get no invented day.
YEAR_ONLY: list[tuple[str | None, str | None, date | None]] = [
    (None, "เกษียณ ปี 2570", date(2027, 9, 30)),  # the note, a fiscal year still to come
    (None, "ครบเกษียณอายุราชการ ๒๕๖๘", date(2025, 9, 30)),  # Thai digits, a year gone by
    ("เกษียณอายุราชการ 2570", None, date(2027, 9, 30)),  # the status column
    ("ลาออก 2568", None, None),  # not a retirement: no day made up
    ("เกษียณ (30 ก.ย. 2569)", None, date(2026, 9, 30)),  # a full date still wins
]


@pytest.mark.parametrize(("status", "note", "expected"), YEAR_ONLY)
def test_a_retirement_dated_by_its_year_leaves_on_the_fiscal_year_end(
    tmp_path: Path, status: str | None, note: str | None, expected: date | None
) -> None:
    rows = _note_roster([note], statuses=[status])
    (person,) = read_roster(write_xlsx(tmp_path / "r.xlsx", rows)).people
    assert person.status_date == expected


def test_the_retirement_year_follows_the_policy_fiscal_year_end(tmp_path: Path) -> None:
    from dataclasses import replace

    from laas_audit.policy import load_policy

    shipped = load_policy()
    policy = replace(shipped, retirement=replace(shipped.retirement, fiscal_year_end=(12, 31)))
    rows = _note_roster(["เกษียณ ปี 2570"])
    (person,) = read_roster(write_xlsx(tmp_path / "r.xlsx", rows), policy=policy).people
    assert person.status_date == date(2027, 12, 31)
