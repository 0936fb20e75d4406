"""read_export: every account with exactly its groups and Excel rows, in every layout and format."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from laas_audit.cli import cli
from laas_audit.errors import InputError
from laas_audit.grid import Grid, Sheet
from laas_audit.mapping import load_mapping
from laas_audit.national_id import make_id
from laas_audit.read_export import export_from_grid, read_export, sniff_kind
from laas_audit.tables import ExportTable
from tests.readers_fixtures import (
    LABELS_AMBIGUOUS,
    LABELS_EN,
    TH_DIGITS,
    Acct,
    Built,
    Layout,
    SheetRows,
    build_export,
    build_roster,
    convert_with_soffice,
    export_pages_on_sheets,
    export_sheet_per_group,
    sample_accounts,
    sample_staff,
    soffice,
    write_csv,
    write_html,
    write_sheets,
    write_xlsx,
)

SHAPES: dict[str, Layout] = {
    "column": Layout(),
    "column-pages": Layout(page_size=4),
    "sections": Layout(groups="sections"),
    "sections-pages": Layout(groups="sections", page_size=3, thai_digits=True),
    "sections-plain-en": Layout(groups="sections_plain", labels=dict(LABELS_EN)),
    "cell-newline": Layout(groups="cell"),
    "cell-comma-ambiguous": Layout(groups="cell", cell_sep=", ", labels=dict(LABELS_AMBIGUOUS)),
    "leading-merged": Layout(groups="leading_merged"),
    "two-row-name-at-b3": Layout(two_row_name=True, start_row=2, start_col=1),
    "no-title-no-footer": Layout(title=False, footer=False),
    "date-cells-ids": Layout(dates_as_text=False, fields=(
        "seq", "username", "full_name", "national_id", "position", "group", "status",
        "last_login")),
}

Writer = Callable[[Path, Built], Path]
WRITERS: dict[str, Writer] = {
    "xlsx": lambda p, b: write_xlsx(p.with_suffix(".xlsx"), b.rows, b.merged),
    "xlsx-summary-first": lambda p, b: write_xlsx(p.with_suffix(".xlsx"), b.rows, b.merged,
                                                  summary_first=True),
    "csv-utf8": lambda p, b: write_csv(p.with_suffix(".csv"), b.rows),
    "csv-bom-semicolon": lambda p, b: write_csv(p.with_suffix(".csv"), b.rows,
                                                encoding="utf-8-sig", delimiter=";"),
    "csv-cp874-tab": lambda p, b: write_csv(p.with_suffix(".txt"), b.rows, encoding="cp874",
                                            delimiter="\t"),
    "html-as-xls": lambda p, b: write_html(p.with_suffix(".xls"), b.rows, b.merged),
}


def _check(table: ExportTable, built: Built, accounts: list[Acct], lay: Layout) -> None:
    got = {a.username: (a.groups, a.rows) for a in table.accounts}
    assert got == built.expected
    assert [a.username for a in table.accounts] == list(built.expected)  # first-appearance order
    by_name = {a.username: a for a in accounts}
    for account in table.accounts:
        source = by_name[account.username]
        assert account.full_name == source.full_name
        if "last_login" in lay.fields:
            assert account.last_login == source.last_login
        if "national_id" in lay.fields:
            assert account.national_id == source.national_id
        assert account.position == source.position
    assert table.source.header_row == built.header_row
    if lay.title:
        assert table.body.name == "องค์การบริหารส่วนตำบลหนองบัวแดง"
        assert (table.body.district, table.body.province) == ("ภูเขียว", "ชัยภูมิ")
        assert table.as_of == lay.as_of  # "ข้อมูล ณ วันที่" wins over the print date
    else:
        assert table.as_of is None and table.body.name is None
    assert not [w for w in table.warnings if "no username" in w.en], table.warnings


@pytest.mark.parametrize("writer", list(WRITERS))
@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_shape_in_every_format(tmp_path: Path, shape: str, writer: str) -> None:
    lay = SHAPES[shape]
    if writer.startswith("csv") and lay.dates_as_text is False:
        pytest.skip("CSV has no date cells")
    accounts = sample_accounts()
    built = build_export(accounts, lay)
    path = WRITERS[writer](tmp_path / "export", built)
    table = read_export(path)
    _check(table, built, accounts, lay)
    assert sniff_kind(path) == "export"


@pytest.fixture(scope="session")
def legacy_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Built]]:
    """A few shapes saved as real BIFF .xls by LibreOffice (one soffice call per shape)."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("legacy")
    out: dict[str, tuple[Path, Built]] = {}
    for shape in ("sections-pages", "two-row-name-at-b3", "leading-merged"):
        built = build_export(sample_accounts(), SHAPES[shape])
        source = write_xlsx(folder / f"{shape}.xlsx", built.rows, built.merged)
        out[shape] = (convert_with_soffice(source, "xls", folder), built)
    return out


@pytest.mark.parametrize("shape", ["sections-pages", "two-row-name-at-b3", "leading-merged"])
def test_legacy_xls(legacy_exports: dict[str, tuple[Path, Built]], shape: str) -> None:
    path, built = legacy_exports[shape]
    assert path.suffix == ".xls"
    _check(read_export(path), built, sample_accounts(), SHAPES[shape])


def test_html_with_title_outside_the_table(tmp_path: Path) -> None:
    built = build_export(sample_accounts(), Layout(printed=None))
    # four title rows (the blank one is dropped by the HTML walker) become headings
    title = [r for r in built.rows[:4] if any(v is not None for v in r)]
    rows = title + built.rows[4:]
    path = write_html(tmp_path / "e.xls", rows, [], title_outside=len(title))
    table = read_export(path)
    shift = 4 - len(title)
    expected = {u: (g, [r - shift for r in rows_]) for u, (g, rows_) in built.expected.items()}
    assert {a.username: (a.groups, a.rows) for a in table.accounts} == expected
    assert table.as_of == date(2026, 7, 1)
    assert table.body.province == "ชัยภูมิ"


def test_print_date_when_no_as_of(tmp_path: Path) -> None:
    built = build_export(sample_accounts(), Layout())
    rows = [r for r in built.rows if not (r and str(r[0]).startswith("ข้อมูล ณ"))]
    table = read_export(write_csv(tmp_path / "e.csv", rows))
    assert table.as_of == date(2026, 7, 3)  # "วันที่พิมพ์ …" in the footer


def test_source_file_provenance(tmp_path: Path) -> None:
    built = build_export(sample_accounts(), Layout())
    path = write_xlsx(tmp_path / "export.xlsx", built.rows, built.merged, summary_first=True)
    src = read_export(path).source
    assert src.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (src.name, src.sheet, src.header_row) == ("export.xlsx", "รายงาน", built.header_row)
    assert src.columns["username"] == "ชื่อผู้ใช้" and src.columns["group"] == "กลุ่มผู้ใช้งาน"
    assert src.rows == sum(len(rows) for _, rows in built.expected.values())


def test_thaid_username_stored_as_a_number(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"])
    ws.append([1, 3104500012340, "นายสมชาย ใจดี", "เจ้าหน้าที่การเงิน"])
    ws.append([2, 3104500012340, "นายสมชาย ใจดี", "เจ้าหน้าที่บัญชี"])
    wb.save(tmp_path / "n.xlsx")
    (account,) = read_export(tmp_path / "n.xlsx").accounts
    assert account.username == "3104500012340"
    assert account.groups == ["เจ้าหน้าที่การเงิน", "เจ้าหน้าที่บัญชี"] and account.rows == [2, 3]


def test_citizen_id_logins_are_kept_as_their_13_digits(tmp_path: Path) -> None:
    pid = make_id("310450001234")  # fictitious, valid check digit
    grouped = f"{pid[0]}-{pid[1:5]}-{pid[5:10]}-{pid[10:12]}-{pid[12]}"
    other = make_id("171020030405")
    rows: list[list[object]] = [
        ["ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"],
        [grouped, "นายสมชาย ใจดี", "การเงิน"],
        [grouped.replace("-", " "), "นายสมชาย ใจดี", "บัญชี"],
        [pid.translate(TH_DIGITS), "นายสมชาย ใจดี", "พัสดุ"],
        ["\u200b" + other, "นางมาลี ศรีสุข", "การเงิน"],
        [f"{other[:4]}-{other[4:]}", "นางมาลี ศรีสุข", "บัญชี"],  # not how an ID is printed
    ]
    table = read_export(write_xlsx(tmp_path / "thaid.xlsx", rows))
    accounts = {a.username: (a.groups, a.rows) for a in table.accounts}
    assert accounts == {
        pid: (["การเงิน", "บัญชี", "พัสดุ"], [2, 3, 4]),
        other: (["การเงิน"], [5]),
        f"{other[:4]}-{other[4:]}": (["บัญชี"], [6]),  # kept as written, not guessed
    }


def test_usernames_fold_case_and_space(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"],
                                ["SomChai.J", "นายสมชาย ใจดี", "การเงิน"],
                                [" somchai.j ", "นายสมชาย ใจดี", "บัญชี"]]
    (account,) = read_export(write_csv(tmp_path / "e.csv", rows)).accounts
    assert account.username == "SomChai.J" and account.groups == ["การเงิน", "บัญชี"]


def test_suppressed_repeats_and_continuation_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"],
        ["a.one", "นายหนึ่ง ใจดี", "การเงิน"],
        [None, None, "บัญชี"],  # a second group of the user above
        ["b.two", "นางสอง ศรีสุข", "พัสดุ"],
    ]
    table = read_export(write_csv(tmp_path / "e.csv", rows))
    assert {a.username: (a.groups, a.rows) for a in table.accounts} == {
        "a.one": (["การเงิน", "บัญชี"], [2, 3]), "b.two": (["พัสดุ"], [4])}


def test_username_column_first_with_plain_group_headings(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Username", "ชื่อ-สกุล", "ตำแหน่ง"],
        ["เจ้าหน้าที่การเงิน"],
        ["a.one", "นายหนึ่ง ใจดี", "นักวิชาการเงินและบัญชี"],
        ["ผู้ดูแลระบบ"],
        ["a.one", "นายหนึ่ง ใจดี", "นักวิชาการเงินและบัญชี"],
        ["b.two", "นางสอง ศรีสุข", "ผู้อำนวยการกองคลัง"],
    ]
    table = read_export(write_xlsx(tmp_path / "e.xlsx", rows))
    assert {a.username: (a.groups, a.rows) for a in table.accounts} == {
        "a.one": (["เจ้าหน้าที่การเงิน", "ผู้ดูแลระบบ"], [3, 5]), "b.two": (["ผู้ดูแลระบบ"], [6])}


# --------------------------------------------------------------------------- warnings


def _rows_with(extra: list[list[object]]) -> list[list[object]]:
    return [["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "เลขประจำตัวประชาชน", "ตำแหน่ง", "กลุ่มผู้ใช้งาน",
             "วันที่เข้าใช้งานล่าสุด", "xyz"], *extra]


def test_odd_values_are_warnings_and_rows_are_kept(tmp_path: Path) -> None:
    rows = _rows_with([
        [1, "a.one", "นายหนึ่ง ใจดี", "1234567890123", "นักวิชาการ", "การเงิน", "31/02/2569", ""],
        [2, "b.two", "นางสอง ศรีสุข", "12345", "จนท.", "พัสดุ", "15/07/2569", ""],
        [3, None, "นางสาวสาม ไม่มีบัญชี", None, "ผช.", "บัญชี", None, ""],
        [4, "a.one", "นายหนึ่ง ใจดี", "1234567890123", "นักวิชาการชำนาญการ", "บัญชี", None, ""],
    ])
    table = read_export(write_csv(tmp_path / "odd.csv", rows))
    accounts = {a.username: a for a in table.accounts}
    assert accounts["a.one"].last_login is None and accounts["a.one"].rows == [2, 5]
    assert accounts["a.one"].national_id == "1234567890123"  # kept, checksum warned
    assert accounts["a.one"].position == "นักวิชาการ"  # the first value is kept
    assert accounts["b.two"].national_id is None
    text = "\n".join(str(w) for w in table.warnings)
    assert "row 2, column G" in text and "31/02/2569" in text
    assert "row 2, column D" in text and "check digit" in text
    assert "row 3, column D" in text and "'12345'" in text
    assert "row 4" in text and "no username" in text and "นางสาวสาม" in text
    assert "row 5, column E" in text and "differs from row 2" in text
    assert "column(s) ignored: H 'xyz'" in text


def test_date_warning_gives_its_reason_in_each_language(tmp_path: Path) -> None:
    rows = _rows_with([
        [1, "kanya.t", "นางกัญญา ทองดี", None, "นักวิชาการเงินและบัญชี", "การเงิน", "31/02/2569", ""],
        [2, "wichai.s", "นายวิชัย สุขใจ", None, "เจ้าพนักงานพัสดุ", "พัสดุ", "๑๕ ฟักทอง ๒๕๖๙", ""],
    ])
    table = read_export(write_xlsx(tmp_path / "วันที่ผิด.xlsx", rows))
    dated = [w for w in table.warnings if w.location.column == "G"]
    assert [w.location.row for w in dated] == [2, 3]
    assert dated[0].th == (
        "วันที่ในคอลัมน์ 'วันที่เข้าใช้งานล่าสุด' ใช้ไม่ได้: "
        "วันที่ '31/02/2569' เป็นไปไม่ได้: เดือนกุมภาพันธ์ พ.ศ. 2569 ไม่มีวันที่ 31"
    )
    assert dated[0].en == (
        "date in column 'วันที่เข้าใช้งานล่าสุด' unusable: "
        "impossible date '31/02/2569': February 2569 BE has no day 31"
    )
    assert dated[1].th.endswith("อ่านเป็นวันที่ไม่ได้: '15 ฟักทอง 2569'")
    assert dated[1].en.endswith("not a recognised date: '15 ฟักทอง 2569'")


def test_a_date_filled_from_a_later_row_remembers_that_row(tmp_path: Path) -> None:
    """A check warning about the date (after the export's date) must name the cell it is in."""
    rows = _rows_with([
        [1, "kanya.t", "นางกัญญา ทองดี", None, "นักวิชาการเงินและบัญชี", "การเงิน", None, ""],
        [2, "kanya.t", "นางกัญญา ทองดี", None, "นักวิชาการเงินและบัญชี", "บัญชี", "15/08/2570", ""],
        [3, "wichai.s", "นายวิชัย สุขใจ", None, "เจ้าพนักงานพัสดุ", "พัสดุ", "15/07/2569", ""],
    ])
    table = read_export(write_xlsx(tmp_path / "export.xlsx", rows))
    accounts = {a.username: a for a in table.accounts}
    assert accounts["kanya.t"].last_login == date(2027, 8, 15)
    assert accounts["kanya.t"].date_rows == {"last_login": 3}
    assert accounts["wichai.s"].date_rows is None  # read from its first row: nothing kept
    assert table.source.letters["last_login"] == "G" and table.source.letters["username"] == "B"


def test_duplicate_label_keeps_the_first(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ชื่อผู้ใช้", "ตำแหน่ง", "กลุ่ม", "ตำแหน่ง"],
                                ["a.one", "นักวิชาการ", "การเงิน", "อื่น"]]
    table = read_export(write_csv(tmp_path / "d.csv", rows))
    assert table.accounts[0].position == "นักวิชาการ"
    assert any("repeats column B" in w.en for w in table.warnings)


def test_account_without_any_group_is_warned(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"],
                                ["a.one", "นายหนึ่ง ใจดี", "การเงิน"],
                                ["b.two", "นางสอง ศรีสุข", None]]
    table = read_export(write_csv(tmp_path / "g.csv", rows))
    assert table.accounts[1].groups == []
    assert any("has no group" in w.en and w.location.row == 3 for w in table.warnings)


# --------------------------------------------------------------------------- errors


def _error(path: Path, **kwargs: object) -> InputError:
    with pytest.raises(InputError) as info:
        read_export(path, **kwargs)  # type: ignore[arg-type]
    err = info.value
    assert path.name in err.message()
    assert err.th and err.en and err.hint_en
    return err


def test_no_username_column(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ลำดับ", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"], [1, "นายหนึ่ง ใจดี", "การเงิน"]]
    err = _error(write_xlsx(tmp_path / "nouser.xlsx", rows))
    assert "no username column" in err.en
    assert "sheet 'รายงาน', row 1" in err.message()
    assert "--mapping" in err.hint_en
    assert any("ลำดับ | ชื่อ-สกุล | กลุ่มผู้ใช้งาน" in p for p in err.problems)


def test_no_groups_anywhere(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ชื่อผู้ใช้", "ชื่อ-สกุล", "วันที่เข้าใช้งานล่าสุด"],
                                ["a.one", "นายหนึ่ง ใจดี", "1/7/2569"]]
    assert "no user groups" in _error(write_csv(tmp_path / "nogroups.csv", rows)).en


def test_header_only(tmp_path: Path) -> None:
    rows: list[list[object]] = [["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
                                ["ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"]]
    assert "no user rows" in _error(write_csv(tmp_path / "header.csv", rows)).en


def test_title_but_no_table(tmp_path: Path) -> None:
    rows: list[list[object]] = [["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
                                ["องค์การบริหารส่วนตำบลหนองบัวแดง"], ["ไม่พบข้อมูล"]]
    err = _error(write_xlsx(tmp_path / "title.xlsx", rows))
    assert "no New e-LAAS user report table" in err.en
    assert any("องค์การบริหารส่วนตำบลหนองบัวแดง" in p for p in err.problems)


def test_roster_given_as_the_export(tmp_path: Path) -> None:
    rows, _ = build_roster(sample_staff())
    err = _error(write_xlsx(tmp_path / "roster.xlsx", rows))
    assert "looks like an HR roster" in err.en and "Swap" in err.hint_en


def test_two_username_columns_are_ambiguous(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Username", "รหัสผู้ใช้", "กลุ่ม"], ["a", "b", "การเงิน"]]
    err = _error(write_csv(tmp_path / "two.csv", rows))
    assert "several columns could be 'username'" in err.en and "column B" in err.message()


def test_username_with_spaces_fails_validation_listing_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Username", "กลุ่ม"], ["a.one", "การเงิน"],
                                ["นาย หนึ่ง", "บัญชี"], ["ข สอง", "พัสดุ"]]
    err = _error(write_csv(tmp_path / "space.csv", rows))
    assert "2 problem(s)" in err.en
    assert [p.split(" /")[0] for p in err.problems] == ["row 3", "row 4"]


# --------------------------------------------------------------------------- other sheets

# The tool reads one sheet per file: a report that continues on other sheets is refused, at
# the other sheet's header, rather than read in part.


def _continued(path: Path) -> InputError:
    err = _error(path)
    message = err.message()
    assert message.index("ข้อผิดพลาด") < message.index("Error:"), "Thai first"
    assert "continues on sheet(s)" in err.en and "มีต่อในชีต" in err.th
    assert "reads one sheet" in err.en and "ชีตเดียว" in err.th
    assert "Put all rows on one sheet" in err.hint_en and "without the header rows" in err.hint_en
    assert "older copy, delete it" in err.hint_en and "ลบชีตนั้น" in err.hint_th
    return err


def test_a_sheet_per_group_is_refused_at_the_second_sheet(tmp_path: Path) -> None:
    sheets, _ = export_sheet_per_group(sample_accounts())
    err = _continued(write_sheets(tmp_path / "per-group.xlsx", sheets))
    first, second = sheets[0][0], sheets[1][0]
    assert (err.location.sheet, err.location.row) == (second, 5)  # the other sheet's header
    assert f"the user report on sheet '{first}' (header row 5)" in err.en
    for name, _rows in sheets[1:]:  # every other sheet, with its header row
        assert f"'{name}' (header row 5)" in err.en and f"ชีต '{name}' (หัวตารางแถว 5)" in err.th
    # The group is named by the row above each table: it has to be copied with the data.
    assert "group row ('กลุ่มผู้ใช้งาน : …')" in err.hint_en and "แถวกลุ่มผู้ใช้งาน" in err.hint_th
    assert f"below the data rows of sheet '{first}'" in err.hint_en


def test_a_sheet_per_group_put_on_one_sheet_as_advised_reads_every_group(tmp_path: Path) -> None:
    sheets, expected = export_sheet_per_group(sample_accounts())
    rows = list(sheets[0][1])
    for _name, other in sheets[1:]:  # each group row and its data rows, not the header
        rows += [other[3], *other[5:]]
    table = read_export(write_xlsx(tmp_path / "one-sheet.xlsx", rows))
    assert {a.username: sorted(a.groups) for a in table.accounts} == {
        user: sorted(groups) for user, groups in expected.items()}


def test_pages_on_sheets_are_refused(tmp_path: Path) -> None:
    built = build_export(sample_accounts(), Layout(footer=False))
    sheets = export_pages_on_sheets(built, per_sheet=8)
    assert [name for name, _ in sheets] == ["หน้า 1", "หน้า 2", "หน้า 3"]
    err = _continued(write_sheets(tmp_path / "pages.xlsx", sheets))
    assert (err.location.sheet, err.location.row) == ("หน้า 2", 1)
    assert "continues on sheet(s) 'หน้า 2' (header row 1), 'หน้า 3' (header row 1)" in err.en
    assert f"sheet 'หน้า 1' (header row {built.header_row})" in err.en
    assert "group row" not in err.hint_en  # the group is a column: data rows are enough


def test_pages_on_sheets_of_a_legacy_xls_are_refused(tmp_path: Path) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    built = build_export(sample_accounts(), Layout(footer=False))
    source = write_sheets(tmp_path / "pages.xlsx", export_pages_on_sheets(built, per_sheet=10))
    err = _continued(convert_with_soffice(source, "xls", tmp_path))
    assert (err.location.sheet, err.location.row) == ("หน้า 2", 1)


@pytest.mark.parametrize("header", [True, False], ids=["headed", "headerless"])
def test_cli_review_and_inspect_refuse_a_continued_table(tmp_path: Path, header: bool) -> None:
    sheets, _ = export_sheet_per_group(sample_accounts(), header=header)
    row = 5 if header else 2  # the other sheet's header row, or its first data row
    export = write_sheets(tmp_path / "per-group.xlsx", sheets)
    roster, _ = build_roster(sample_staff())
    roster_path = write_xlsx(tmp_path / "roster.xlsx", roster)
    out = tmp_path / "out"
    for args in (["review", str(export), "--roster", str(roster_path), "--out", str(out)],
                 ["inspect", str(export)], ["inspect", "--json", str(export)]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert f"ชีต '{sheets[1][0]}' แถว {row}" in result.stderr
        assert "continues on" in result.stderr
        assert "Traceback" not in result.stderr and not result.stdout
    assert not out.exists()


def _two_sheet_export(tmp_path: Path, second: list[list[object]], *, hidden: bool = False,
                      second_first: bool = False) -> tuple[Path, Built]:
    built = build_export(sample_accounts(), Layout())
    sheets: list[SheetRows] = [("รายงาน", built.rows), ("อื่น", second)]
    if second_first:
        sheets.reverse()
    path = write_sheets(tmp_path / "export.xlsx", sheets, hidden=("อื่น",) if hidden else ())
    return path, built


# Other sheets that are not the rest of the table: the file reads as before.
NOT_CONTINUED: dict[str, list[list[object]]] = {
    "summary-after": [["สรุปจำนวนผู้ใช้งานตามกลุ่ม"], ["ลำดับ", "กลุ่มผู้ใช้งาน", "จำนวน"],
                      [1, "เจ้าหน้าที่การเงิน", 3], [2, "ผู้ดูแลระบบ", 2]],
    "empty-template": [["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"], [None, None, None, None]],
    "roster-beside": build_roster(sample_staff())[0],
    "users-without-groups": [["ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง"],
                             ["somchai.j", "นายสมชาย ใจดี", "ผู้อำนวยการกองคลัง"]],
}


@pytest.mark.parametrize("other", list(NOT_CONTINUED))
def test_other_sheets_that_are_not_the_table_are_left_alone(tmp_path: Path, other: str) -> None:
    path, built = _two_sheet_export(tmp_path, NOT_CONTINUED[other])
    table = read_export(path)
    assert table.source.sheet == "รายงาน"
    assert {a.username: (a.groups, a.rows) for a in table.accounts} == built.expected


def test_a_hidden_leftover_copy_of_the_table_is_left_alone(tmp_path: Path) -> None:
    # Last cycle's report, hidden (Excel does not show it): not the rest of this one.
    old = build_export(sample_accounts()[:4], Layout(as_of=date(2026, 1, 1))).rows
    path, built = _two_sheet_export(tmp_path, old, hidden=True)
    table = read_export(path)
    assert table.source.sheet == "รายงาน"
    assert {a.username: (a.groups, a.rows) for a in table.accounts} == built.expected
    # Shown, the same copy is refused: which sheet is the report is for the user to say.
    shown, _ = _two_sheet_export(tmp_path, old)
    assert _continued(shown).location.sheet == "อื่น"


# Without its header row: the other sheet's rows simply carry on. They are judged by their
# cells in the read header's columns, and refused at the sheet's first data row.


def _headerless(err: InputError, sheet: str, row: int) -> None:
    assert (err.location.sheet, err.location.row) == (sheet, row)
    assert f"'{sheet}' (continued without a header row, from row {row})" in err.en
    assert f"ชีต '{sheet}' (ต่อโดยไม่มีแถวหัวตาราง เริ่มที่แถว {row})" in err.th
    assert "not part of the user report: move it to another file" in err.hint_en
    assert "ย้ายไปไว้ในไฟล์อื่น" in err.hint_th


def test_pages_on_sheets_without_repeated_headers_are_refused(tmp_path: Path) -> None:
    built = build_export(sample_accounts(), Layout(footer=False))
    sheets = export_pages_on_sheets(built, per_sheet=8, header=False)
    assert sheets[1][1][0][1] == "wanida.p"  # page 2 starts with a data row
    err = _continued(write_sheets(tmp_path / "pages.xlsx", sheets))
    _headerless(err, "หน้า 2", 1)
    assert "'หน้า 3' (continued without a header row, from row 1)" in err.en
    assert f"sheet 'หน้า 1' (header row {built.header_row})" in err.en


def test_a_sheet_per_group_without_headers_is_refused_at_its_first_data_row(
    tmp_path: Path,
) -> None:
    # Later sheets: "กลุ่มผู้ใช้งาน : X", its members, "รวม n ราย"; a group of one member
    # (เจ้าหน้าที่งบประมาณ) is caught too: its group row heads it.
    sheets, _ = export_sheet_per_group(sample_accounts(), header=False)
    assert sheets[1][1][0] == ["กลุ่มผู้ใช้งาน : หัวหน้าหน่วยงานคลัง"]
    err = _continued(write_sheets(tmp_path / "per-group.xlsx", sheets))
    _headerless(err, sheets[1][0], 2)
    for name, _rows in sheets[1:]:
        assert f"'{name}' (continued without a header row, from row 2)" in err.en, name
    assert any(len(rows) == 3 for _name, rows in sheets[1:])  # group row, 1 member, total
    assert "group row ('กลุ่มผู้ใช้งาน : …')" in err.hint_en


def test_an_export_cut_in_two_at_a_group_row_is_refused(tmp_path: Path) -> None:
    # The section layout pasted onto two sheets: the second starts at a group row (Thai digits).
    built = build_export(sample_accounts(), Layout(groups="sections", thai_digits=True))
    cut = next(i for i, r in enumerate(built.rows)
               if r[0] == "กลุ่มผู้ใช้งาน : เจ้าหน้าที่งบประมาณ")
    sheets: list[SheetRows] = [("รายละเอียด", built.rows[:cut]), ("ต่อ", built.rows[cut:])]
    err = _continued(write_sheets(tmp_path / "cut.xlsx", sheets))
    _headerless(err, "ต่อ", 2)
    assert "group row" in err.hint_en


def test_rows_with_label_like_cells_still_read_as_continued(tmp_path: Path) -> None:
    # An e-mail ("…@gmail.com") and a unit ("สำนักปลัด") in one data row look like two labels:
    # the sheet's "header" is that row, and it is a data row all the same.
    header = ["ที่", "ชื่อผู้ใช้", "ชื่อ-สกุล", "เลขประจำตัวประชาชน", "ตำแหน่ง", "สังกัด",
              "กลุ่มผู้ใช้งาน", "สถานะ", "อีเมล"]
    first: list[list[object]] = [
        ["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
        ["องค์การบริหารส่วนตำบลโคกสะอาด อำเภอจัตุรัส จังหวัดชัยภูมิ"], [], header,
        [1, "kittiya.b", "นางกิตติยา บุญมา", make_id("310450011111"), "ผู้อำนวยการกองคลัง",
         "กองคลัง", "ผู้ดูแลระบบ", "ใช้งาน", None],
        [2, "kittiya.b", "นางกิตติยา บุญมา", make_id("310450011111"), "ผู้อำนวยการกองคลัง",
         "กองคลัง", "หัวหน้าหน่วยงานคลัง", "ใช้งาน", None],
    ]
    second: list[list[object]] = [
        [3, "rattikan.s", "นางสาวรัตติกาล สายทอง", float(make_id("110450022222")),
         "ปลัด อบต.", "สำนักปลัด", "ผู้บริหาร", "ใช้งาน", "rattikan.s@gmail.com"],
        [4, "finance01", "เจ้าหน้าที่การเงิน", None, None, "กองคลัง", "การเงิน", "ใช้งาน", None],
        [5, "thawat.k", "นายธวัช แก้วใส", make_id("310450033333"), "นักวิชาการพัสดุปฏิบัติการ",
         "กองคลัง", "พัสดุ", "ใช้งาน", "thawat.k@hotmail.com"],
    ]
    path = write_sheets(tmp_path / "สองหน้า.xlsx", [("หน้า1", first), ("หน้า2", second)])
    _headerless(_continued(path), "หน้า2", 1)


# Other sheets without a header that are not more of the table: the file reads as before.
NOT_CONTINUED_HEADERLESS: dict[str, list[list[object]]] = {
    "cover": [["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
              ["องค์การบริหารส่วนตำบลหนองบัวแดง อำเภอภูเขียว จังหวัดชัยภูมิ"],
              ["ผู้จัดทำ", "นางมาลี ศรีสุข", "นักวิชาการเงินและบัญชีชำนาญการ"],
              ["ผู้ตรวจสอบ", "นายสมชาย ใจดี", "ผู้อำนวยการกองคลัง"]],
    "notes-on-accounts": [["หมายเหตุการตรวจสอบ"],
                          [1, "finance01", "บัญชีกลางของกองคลัง ใช้ร่วมกัน"],
                          [2, "admin.elaas", "บัญชีผู้ดูแลระบบของผู้รับจ้าง"],
                          [3, "temp.user", "พนักงานจ้าง ขอยกเลิกแล้ว"]],
    "accounts-to-cancel-no-groups": [
        ["บัญชีที่ขอยกเลิก (ส่งผู้ดูแลระบบแล้ว)"],
        [1, "temp.user", "นายสมศักดิ์ ขยันงาน", "คนงานทั่วไป", "กองช่าง", None, "1 ก.ค. 2569"],
        [2, "nok.r", "นางสาวนกน้อย ร่มเย็น", "ผู้ช่วยนักวิชาการพัสดุ", "กองคลัง", None,
         "1 ก.ค. 2569"]],
    "one-account-noted": [["หมายเหตุ: บัญชีนี้ขอยกเลิกแล้ว รอผู้ดูแลระบบดำเนินการ"],
                          [1, "temp.user", "นายสมศักดิ์ ขยันงาน", "คนงานทั่วไป", "กองช่าง",
                           "เจ้าหน้าที่ทะเบียนทรัพย์สิน"]],
    "signatures": [[None, "ลงชื่อ.......................................ผู้จัดทำ"],
                   [None, "(นางมาลี ศรีสุข)", "นักวิชาการเงินและบัญชีชำนาญการ"],
                   [None, "ลงชื่อ.......................................ผู้ตรวจสอบ"],
                   [None, "(นายสมชาย ใจดี)", "ผู้อำนวยการกองคลัง"]],
    "pivot-per-group": [["เจ้าหน้าที่การเงิน", 3], ["เจ้าหน้าที่พัสดุ", 3],
                        ["ผู้ดูแลระบบ", 2], ["ผู้บริหาร", 2], ["รวมทั้งสิ้น", 10]],
    "pivot-with-section-rows": [["กลุ่มผู้ใช้งาน : เจ้าหน้าที่การเงิน", None, 3],
                                ["กลุ่มผู้ใช้งาน : ผู้ดูแลระบบ", None, 2]],
    "empty-template": [[n, None, None, None, None, None, None] for n in range(1, 21)],
    "executives-only": [["รายชื่อผู้บริหารท้องถิ่น"],
                        [1, "นายประเสริฐ มั่นคง", "นายกองค์การบริหารส่วนตำบล", "081-234-5678"],
                        [2, "นางบุญตา ศรีงาม", "รองนายกองค์การบริหารส่วนตำบล", "089-765-4321"],
                        [3, "ว่าที่ร้อยตรีชัยชาญ วงศ์ใหญ่", "ปลัดองค์การบริหารส่วนตำบล", None]],
}


@pytest.mark.parametrize("other", list(NOT_CONTINUED_HEADERLESS))
@pytest.mark.parametrize("first", [False, True], ids=["after", "before"])
def test_other_sheets_without_a_header_that_are_not_the_table_are_left_alone(
    tmp_path: Path, other: str, first: bool
) -> None:
    path, built = _two_sheet_export(tmp_path, NOT_CONTINUED_HEADERLESS[other],
                                     second_first=first)
    table = read_export(path)
    assert table.source.sheet == "รายงาน"
    assert {a.username: (a.groups, a.rows) for a in table.accounts} == built.expected


def test_notes_on_logins_beside_a_section_report_are_left_alone(tmp_path: Path) -> None:
    # No group column to ask: logins with words beside them, none a person's name, are notes.
    built = build_export(sample_accounts(), Layout(groups="sections"))
    notes = NOT_CONTINUED_HEADERLESS["notes-on-accounts"]
    path = write_sheets(tmp_path / "export.xlsx", [("รายงาน", built.rows), ("หมายเหตุ", notes)])
    assert {a.username: (a.groups, a.rows) for a in read_export(path).accounts} == built.expected


def test_a_hidden_leftover_without_a_header_is_left_alone(tmp_path: Path) -> None:
    built = build_export(sample_accounts(), Layout(footer=False))
    leftover = export_pages_on_sheets(built, per_sheet=6, header=False)[1][1]
    path, ours = _two_sheet_export(tmp_path, leftover, hidden=True)
    assert {a.username: (a.groups, a.rows) for a in read_export(path).accounts} == ours.expected
    shown, _ = _two_sheet_export(tmp_path, leftover)
    _headerless(_continued(shown), "อื่น", 1)


# --------------------------------------------------------------------------- footer totals

# "รวมทั้งสิ้น n ราย" counts the accounts: a footer that disagrees with what was read says
# rows are elsewhere (a hidden sheet, deleted rows). A warning at the footer's row, not a refusal.


def _with_footer(tmp_path: Path, footer: str, *, hidden_rest: bool = False) -> ExportTable:
    built = build_export(sample_accounts(), Layout(footer=False))
    rows = [*built.rows, [footer]]
    if not hidden_rest:
        return read_export(write_xlsx(tmp_path / "export.xlsx", rows))
    more = [[None, "jirapa.k", "นางสาวจิราพร คงดี", "เจ้าพนักงานการเงินและบัญชีปฏิบัติงาน",
             "กองคลัง", "เจ้าหน้าที่การเงิน", None]]
    sheets: list[SheetRows] = [("รายงาน", rows), ("ต่อ", more)]
    return read_export(write_sheets(tmp_path / "export.xlsx", sheets, hidden=("ต่อ",)))


def _total_warnings(table: ExportTable) -> list[str]:
    return [str(w) for w in table.warnings if "total says" in w.en]


def test_a_grand_total_that_disagrees_with_the_accounts_read_is_a_warning(tmp_path: Path) -> None:
    table = _with_footer(tmp_path, "รวมทั้งสิ้น ๑๓ ราย ๑๘ รายการ", hidden_rest=True)
    assert len(table.accounts) == 12  # the hidden sheet is not read, by design
    [warning] = _total_warnings(table)
    footer_row = len(build_export(sample_accounts(), Layout(footer=False)).rows) + 1
    th = f"export.xlsx ชีต 'รายงาน' แถว {footer_row}: ยอดรวมท้ายรายงานระบุ 13 ราย แต่อ่านได้ 12 บัญชี"
    en = f"row {footer_row}: the report's total says 13 but 12 accounts were read"
    assert th in warning and en in warning and warning.index(th) < warning.index(en)
    assert "ชีตที่ซ่อน" in warning and "hidden" in warning


@pytest.mark.parametrize("footer", [
    "รวมทั้งสิ้น 12 ราย 18 รายการ",  # accounts, and rows
    "จำนวนผู้ใช้งานทั้งหมด 12 คน",
    "รวม 18 ราย",  # the rows (one per membership) are counted by some engines
    "รวมทั้งสิ้น 18 รายการ",  # rows, not accounts: not compared
])
def test_a_total_that_agrees_is_not_a_warning(tmp_path: Path, footer: str) -> None:
    assert sum(len(a.groups) for a in sample_accounts()) == 18
    assert _total_warnings(_with_footer(tmp_path, footer)) == []


def test_totals_per_group_are_not_compared(tmp_path: Path) -> None:
    # A section layout with "รวม n ราย" under each group: none counts the whole report.
    built = build_export(sample_accounts(), Layout(groups="sections", footer=False))
    rows: list[list[object]] = []
    for row in built.rows:
        if rows and isinstance(row[0], str) and row[0].startswith("กลุ่มผู้ใช้งาน") and (
                rows[-1][0] != "ลำดับ"):
            rows.append(["รวม 1 ราย"])
        rows.append(row)
    table = read_export(write_xlsx(tmp_path / "sections.xlsx", rows))
    assert len(table.accounts) == 12 and _total_warnings(table) == []


# --------------------------------------------------------------------------- mapping


def test_mapping_reads_unknown_labels(tmp_path: Path) -> None:
    rows: list[list[object]] = [["รหัสเข้าระบบ XYZ", "ผู้ถือบัญชี", "ชุดสิทธิ์ใช้งาน"],
                                ["a.one", "นายหนึ่ง ใจดี", "การเงิน"]]
    path = write_csv(tmp_path / "odd.csv", rows)
    assert "table found" in _error(path).en or "username" in _error(path).en
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(
        'username: "รหัสเข้าระบบ XYZ"\nexport:\n  full_name: ["ผู้ถือบัญชี"]\n'
        '  group: "ชุดสิทธิ์ใช้งาน"\n', encoding="utf-8")
    table = read_export(path, load_mapping(mapping_file))
    assert [(a.username, a.full_name, a.groups) for a in table.accounts] == [
        ("a.one", "นายหนึ่ง ใจดี", ["การเงิน"])]


def test_mapping_label_not_found_is_a_warning(tmp_path: Path) -> None:
    built = build_export(sample_accounts(), Layout())
    mapping_file = tmp_path / "m.yaml"
    mapping_file.write_text('email: "อีเมลส่วนตัว"\n', encoding="utf-8")
    table = read_export(write_csv(tmp_path / "e.csv", built.rows), load_mapping(mapping_file))
    assert any("'email' not found" in w.en for w in table.warnings)


def test_a_mapped_label_missing_from_the_file_leaves_the_usual_column_in_use(
    tmp_path: Path,
) -> None:
    # A mapping written for another body's export names labels this file does not have: the
    # columns the reader knows by their usual labels must not be switched off by it (a
    # dormant account would then go unreported), and the miss is said.
    rows: list[list[object]] = [
        ["ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน", "สถานะ", "เข้าสู่ระบบล่าสุด"],
        ["somsri.p", "นางสมศรี ภูวงศ์", "เจ้าหน้าที่การเงิน", "ใช้งาน", "01/01/2567"],
    ]
    mapping_file = tmp_path / "m.yaml"
    mapping_file.write_text(
        'status: "สถานะการใช้งานX"\nlast_login: "Last Access"\n', encoding="utf-8")
    table = read_export(write_csv(tmp_path / "e.csv", rows), load_mapping(mapping_file))
    [account] = table.accounts
    assert account.status == "ใช้งาน" and account.last_login == date(2024, 1, 1)
    said = [w.en for w in table.warnings if "mapping label" in w.en]
    assert len(said) == 2
    assert "column E 'เข้าสู่ระบบล่าสุด' is used, by its usual label" in said[1]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("usernam: Login\n", "unknown field 'usernam'"),
        ("export:\n  employment_type: x\n", "key 'export.employment_type'"),
        ("export:\n  employment_type: x\n", "a field of the roster only: move it under roster:"),
        ("roster:\n  group: กลุ่ม\n", "a field of the export only: move it under export:"),
        ('username: "ชื่อผู้ใช้"\nfull_name: "ชื่อผู้ใช้"\n',
         "the label 'ชื่อผู้ใช้' is given for both 'username' and 'full_name'"),
        ("username: [1, {a: b}]\n", "key 'username'"),
        ("username: [unclosed\n", "not valid YAML"),
        ("- a\n- b\n", "must be a mapping"),
    ],
)
def test_bad_mapping_files(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_mapping(path)
    assert needle in info.value.en and "mapping.yaml" in info.value.message()


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_mapping(tmp_path / "none.yaml")
    assert "no such file" in info.value.en


def test_performance_shape_reads_once(tmp_path: Path) -> None:
    """A big body (150 accounts, several groups each) reads with every membership."""
    accounts = [replace(a, username=f"{a.username}{i}") for i in range(13)
                for a in sample_accounts()]
    built = build_export(accounts, Layout(groups="sections", page_size=40))
    table = read_export(write_xlsx(tmp_path / "big.xlsx", built.rows, built.merged))
    assert len(table.accounts) == len(accounts)
    assert {a.username: (a.groups, a.rows) for a in table.accounts} == built.expected


def test_bilingual_header_and_repeated_english_header(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"],
        ["No.", "Username", "Full Name", "User Group"],
        [1, "user", "นายหนึ่ง ใจดี", "การเงิน"],  # a generic account called "user" is data
        ["No.", "Username", "Full Name", "User Group"],  # the next page's header, in English
        [2, "b.two", "นางสอง ศรีสุข", "พัสดุ"],
    ]
    table = read_export(write_xlsx(tmp_path / "bi.xlsx", rows))
    assert table.source.header_row == 1
    assert {a.username: a.rows for a in table.accounts} == {"user": [3], "b.two": [5]}


def test_each_group_printed_as_its_own_table(tmp_path: Path) -> None:
    path = tmp_path / "groups.xls"
    tables = []
    for group, users in (("ผู้ดูแลระบบ", ["a.one"]), ("เจ้าหน้าที่การเงิน", ["a.one", "b.two"])):
        body = "".join(f"<tr><td>{i}</td><td>{u}</td><td>ชื่อ {u}</td></tr>"
                       for i, u in enumerate(users, 1))
        tables.append(f"<p>กลุ่มผู้ใช้งาน : {group}</p><table><tr><th>ลำดับ</th>"
                      f"<th>ชื่อผู้ใช้</th><th>ชื่อ-สกุล</th></tr>{body}</table>")
    path.write_text("<html><body><h2>เทศบาลตำบลบ้านแท่น</h2>" + "".join(tables)
                    + "</body></html>", encoding="utf-8")
    table = read_export(path)
    # rows: 1 title, 2 heading, 3 header, 4 a.one, 5 heading, 6 header, 7 a.one, 8 b.two
    assert {a.username: (a.groups, a.rows) for a in table.accounts} == {
        "a.one": (["ผู้ดูแลระบบ", "เจ้าหน้าที่การเงิน"], [4, 7]),
        "b.two": (["เจ้าหน้าที่การเงิน"], [8])}
    assert table.body.name == "เทศบาลตำบลบ้านแท่น"


def test_report_parameter_above_the_table_is_not_a_group(tmp_path: Path) -> None:
    rows: list[list[object]] = [["กลุ่มผู้ใช้งาน : ทั้งหมด"],
                                ["ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง"],
                                ["เจ้าหน้าที่พัสดุ", None, None],
                                ["a.one", "นายหนึ่ง ใจดี", "นักวิชาการพัสดุ"]]
    (account,) = read_export(write_csv(tmp_path / "p.csv", rows)).accounts
    assert account.groups == ["เจ้าหน้าที่พัสดุ"]


def test_plain_heading_with_member_count(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง"],
                                ["เจ้าหน้าที่การเงิน", "2 คน", None],
                                ["a.one", "นายหนึ่ง ใจดี", "นักวิชาการเงินและบัญชี"],
                                ["b.two", "นางสอง ศรีสุข", "เจ้าพนักงานการเงินและบัญชี"],
                                ["ผู้ดูแลระบบ (1 คน)", None, None],
                                ["a.one", "นายหนึ่ง ใจดี", "นักวิชาการเงินและบัญชี"]]
    table = read_export(write_csv(tmp_path / "c.csv", rows))
    assert {a.username: a.groups for a in table.accounts} == {
        "a.one": ["เจ้าหน้าที่การเงิน", "ผู้ดูแลระบบ"], "b.two": ["เจ้าหน้าที่การเงิน"]}


def test_csv_excel_text_guard(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text('ชื่อผู้ใช้,เลขประจำตัวประชาชน,กลุ่ม\r\n="3104500012340",="3104500012340",การเงิน\r\n',
                    encoding="utf-8")
    (account,) = read_export(path).accounts
    assert (account.username, account.national_id) == ("3104500012340", "3104500012340")


# --------------------------------------------------------------------------- fuzzing

CELLS = st.one_of(
    st.none(),
    st.sampled_from(["ชื่อผู้ใช้", "กลุ่มผู้ใช้งาน", "ชื่อ-สกุล", "ตำแหน่ง", "ลำดับ", "หน้า 1/2",
                     "รวม 3 ราย", "กลุ่มผู้ใช้งาน : การเงิน", "ลงชื่อ.......", "ข้อมูล ณ วันที่ 1/7/69",
                     "a.one", "b.two", "นาย ก ข", "31/02/2569", "การเงิน\nบัญชี", "ประเภทบุคลากร"]),
    st.text(alphabet="กขคง ำ\u0e4d\u0e32๑๒abc.,;\n", max_size=12),
    st.integers(-5, 3_200_000_000_000), st.floats(allow_nan=True), st.booleans(),
    st.dates(),
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=0, max_size=12))
def test_random_grids_end_in_a_table_or_a_clean_error(rows: list[list[object]]) -> None:
    width = max((len(r) for r in rows), default=0)
    sheet = Sheet("fuzz", [r + [None] * (width - len(r)) for r in rows])
    grid = Grid(Path("fuzz.xlsx"), "xlsx", "0" * 64, [sheet])
    try:
        table = export_from_grid(grid)
    except InputError as err:
        assert "fuzz.xlsx" in err.message()
    else:
        assert table.accounts and all(a.rows for a in table.accounts)
        assert all(1 <= r <= len(rows) for a in table.accounts for r in a.rows)


def test_sniff_kind_of_something_else(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "letter.xlsx", [["บันทึกข้อความ"], ["เรื่อง ขอส่งรายงาน"]])
    assert sniff_kind(path) is None


class _Warnings:
    """What id_value needs of a Located: somewhere to put warnings."""

    def __init__(self) -> None:
        self.seen: list[tuple[int | None, int | None, str]] = []

    def warn(self, row: int | None, col: int | None, th: str, en: str) -> None:
        self.seen.append((row, col, en))


_GOOD_ID = make_id("310450003456")
_BAD_ID = _GOOD_ID[:12] + str((int(_GOOD_ID[12]) + 1) % 10)  # its check digit is wrong


@pytest.mark.parametrize(
    ("raw", "expected", "warned"),
    [
        (None, None, ""), ("", None, ""), ("   ", None, ""), ("\u200b", None, ""),
        ("-", None, ""), ("–", None, ""), (float("nan"), None, ""),
        (_GOOD_ID, _GOOD_ID, ""),
        (f"{_GOOD_ID[0]}-{_GOOD_ID[1:5]}-{_GOOD_ID[5:10]}-{_GOOD_ID[10:12]}-{_GOOD_ID[12]}",
         _GOOD_ID, ""),
        (_GOOD_ID.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")), _GOOD_ID, ""),
        (float(_GOOD_ID), _GOOD_ID, ""),
        (_BAD_ID, _BAD_ID, "check digit"),
        ("12345", None, "not a 13-digit national ID: '12345'"),
        ("3.10450E+12", None, "scientific notation"),
    ],
)
def test_id_cells_read_as_ids_blanks_and_warnings(
    raw: object, expected: str | None, warned: str
) -> None:
    from laas_audit.read_export import id_value

    found = _Warnings()
    assert id_value(found, raw, 7, 3) == expected  # type: ignore[arg-type]
    assert [w for _, _, w in found.seen if warned and warned in w] or not warned
    assert len(found.seen) == (1 if warned else 0)
