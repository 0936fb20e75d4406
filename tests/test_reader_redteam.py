"""Red team: exports and rosters built from the domain notes by a different hand.

`tests/redteam_build.py` lays reports out the way report engines and HR clerks do (independently
of `scripts/synth.py`), varying everything the notes allow in combination: title blocks, cover and
summary sheets, label families with noise, two-row headers, groups as a column / continuation
rows / merged blocks / one cell / section rows in many phrasings, page breaks, footers,
signatures, CSV dialects and encodings, HTML-as-xls, legacy xls. Every test asserts every account
with exactly its groups and Excel rows (or every person with name, position, status and date).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from laas_audit.inspect import inspect_file
from laas_audit.read_export import read_export
from laas_audit.read_roster import read_roster, split_status
from tests.readers_fixtures import convert_with_soffice, soffice
from tests.redteam_build import (
    Acct,
    BuiltExport,
    ExportSpec,
    accounts,
    build_export,
    build_roster,
    random_export,
    staff,
    write_csv,
    write_export,
    write_html,
    write_xlsx,
)


def _check_export(path: Path, built: BuiltExport, *, rows: bool = True) -> dict[str, object]:
    info = inspect_file(path)
    assert info["kind"] == "export"
    got = {a["username"]: a for a in info["accounts"]}
    assert sorted(got) == sorted(built.expected), "accounts read differ"
    for user, (groups, excel_rows) in built.expected.items():
        assert got[user]["groups"] == groups, user
        if rows:
            assert got[user]["source_rows"] == excel_rows, user
    body = info["body"]
    if built.body:
        assert body["name"] == built.body
    if built.district:
        assert (body["district"], body["province"]) == (built.district, built.province)
    if built.as_of:
        assert info["as_of"] == built.as_of.isoformat()
    return info


# --------------------------------------------------------------------------- combinations


@pytest.mark.parametrize("seed", range(48))
def test_random_combination_reads_every_account(seed: int, tmp_path: Path) -> None:
    spec, fmt, accts, rng = random_export(seed)
    built = build_export(rng, spec, accts)
    path = write_export(tmp_path / f"export{seed}", fmt, built, spec, rng)
    # HTML row numbers depend on how many title lines sit outside the table: checked below.
    _check_export(path, built, rows=not fmt.startswith("html"))


# --------------------------------------------------------------------------- named shapes

NAMED: dict[str, ExportSpec] = {
    # the last user's later groups on rows with an empty username (nothing below them)
    "continuation-last-user": ExportSpec(shape="continuation", footer=False, signature=False),
    # ... and a user's block right before a page number and a repeated header
    "continuation-page-breaks": ExportSpec(shape="continuation", repeat_every=2, page_style=2),
    "merged-username-block": ExportSpec(shape="merged", title_merged=True, repeat_every=3),
    "sorted-by-group-leading-column": ExportSpec(shape="group_first", repeat_every=4),
    "sections-กลุ่ม-space-merged": ExportSpec(shape="sections", section_style=1),
    "sections-count-in-heading": ExportSpec(shape="sections", section_style=2),
    "sections-lone-name": ExportSpec(shape="sections", section_style=3, repeat_every=3),
    "sections-seq-cell-then-label": ExportSpec(shape="sections", section_style=6),
    "sections-กลุ่มที่-n": ExportSpec(shape="sections", section_style=7),
    "sections-numbered-name": ExportSpec(shape="sections", section_style=8),
    "sections-label-then-cell": ExportSpec(shape="sections", section_style=9),
    "cell-inline-numbered": ExportSpec(shape="cell", sep="numbered"),
    "cell-numbered-lines": ExportSpec(shape="cell", sep="numbered-lines"),
    "cell-pipe": ExportSpec(shape="cell", sep="|"),
    "cell-spaced-comma": ExportSpec(shape="cell", sep=" , "),
    "person-name-is-ชื่อผู้ใช้งาน": ExportSpec(person_ambiguous=True, shape="continuation"),
    "two-row-name-header": ExportSpec(split_name=True, two_row=True, shape="merged"),
    "no-title-cover-and-summary-first": ExportSpec(title_rows=0, sheet_pos=2),
    "eight-title-rows-body-in-title-cell": ExportSpec(title_rows=8, title_style=1),
    "อ-จ-abbreviated-print-date": ExportSpec(title_rows=4, title_style=3),
    "label-noise-colons": ExportSpec(label_noise=1, thai_digits=True),
    "label-noise-translations": ExportSpec(label_noise=2, label_pick=3),
    "every-field": ExportSpec(fields=(
        "seq", "username", "full_name", "national_id", "position", "unit", "group", "status",
        "created", "last_login", "password_changed", "email", "phone"), label_pick=1),
}


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "html"])
@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_shape(name: str, fmt: str, tmp_path: Path) -> None:
    spec = NAMED[name]
    if fmt == "csv" and spec.shape == "merged":
        pytest.skip("CSV has no merged cells")
    rng = random.Random(name)
    built = build_export(rng, spec, accounts(rng, 9, numeric_ids=2))
    path = write_export(tmp_path / "export", fmt, built, spec, rng)
    _check_export(path, built, rows=fmt != "html")


def test_html_row_numbers_match_excel(tmp_path: Path) -> None:
    """Title lines as <p> outside the table still count as rows, as Excel shows them."""
    spec = ExportSpec(shape="continuation", title_rows=4)
    rng = random.Random(7)
    built = build_export(rng, spec, accounts(rng, 6))
    path = write_html(tmp_path / "r.xls", built.rows, built.merged, title_outside=4,
                      th_header=4, nbsp=True)
    _check_export(path, built, rows=True)


def test_rowspan_username_over_br_groups_windows_874(tmp_path: Path) -> None:
    """A <meta charset=windows-874> report: rowspan usernames, <br>-separated groups."""
    spec = ExportSpec(shape="merged", title_rows=3)
    rng = random.Random(11)
    built = build_export(rng, spec, accounts(rng, 7))
    path = write_html(tmp_path / "r.xls", built.rows, built.merged, charset="windows-874",
                      th_header=3, nested=True)
    assert b"charset=windows-874" in path.read_bytes()
    _check_export(path, built)
    spec = ExportSpec(shape="cell", sep="\n")  # written as <br> inside the cell
    built = build_export(rng, spec, accounts(rng, 7))
    path = write_html(tmp_path / "c.xls", built.rows, built.merged, charset="windows-874")
    assert b"<br>" in path.read_bytes()
    _check_export(path, built)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
def test_legacy_xls_by_libreoffice(tmp_path: Path) -> None:
    spec = ExportSpec(shape="merged", repeat_every=3, sheet_pos=1, title_rows=5)
    rng = random.Random(3)
    built = build_export(rng, spec, accounts(rng, 8, numeric_ids=2))
    xlsx = write_xlsx(tmp_path / "legacy.xlsx", built.rows, built.merged, built.extra_sheets)
    xls = convert_with_soffice(xlsx, "xls", tmp_path)
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    _check_export(xls, built)


# --------------------------------------------------------------------------- numbers as logins


def test_scientific_csv_login_keeps_digits_when_all_survive_and_warns_when_lost(
    tmp_path: Path,
) -> None:
    rng = random.Random(5)
    accts = accounts(rng, 3, numeric_ids=2)
    full, lost = accts[0], accts[1]
    assert isinstance(full.username, int) and isinstance(lost.username, int)
    rows: list[list[object]] = [["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"]]
    rows.append([1, f"{full.username / 1e12:.12f}E+12", full.full, full.groups[0]])
    lost_text = f"{lost.username:.11E}"  # Excel's CSV: 12 significant digits of 13
    rows.append([2, lost_text, lost.full, lost.groups[0]])
    rows.append([3, accts[2].username, accts[2].full, accts[2].groups[0]])
    path = write_csv(tmp_path / "sci.csv", rows)
    table = read_export(path)
    users = [a.username for a in table.accounts]
    assert users == [str(full.username), lost_text, str(accts[2].username)]
    lost_warnings = [w for w in table.warnings if "scientific notation" in str(w)]
    assert len(lost_warnings) == 1
    assert lost_warnings[0].location.row == 3 and lost_warnings[0].location.column == "B"
    assert "ตัวเลขบางหลักหายไป" in str(lost_warnings[0])


# --------------------------------------------------------------------------- rosters


def _check_roster(path: Path, expected: dict[int, dict[str, object]]) -> None:
    table = read_roster(path)
    got = {p.row: p for p in table.people}
    assert sorted(got) == sorted(expected), "people read differ"
    for row, facts in expected.items():
        person = got[row]
        for name, value in facts.items():
            assert getattr(person, name) == value, (row, name)
    info = inspect_file(path)
    assert info["kind"] == "roster" and len(info["people"]) == len(expected)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "html"])
@pytest.mark.parametrize("status_in_cell", [False, True])
@pytest.mark.parametrize("shape", ["lhr", "workforce", "handmade"])
def test_roster_shapes(shape: str, status_in_cell: bool, fmt: str, tmp_path: Path) -> None:
    rng = random.Random(f"{shape}{status_in_cell}{fmt}")
    built = build_roster(rng, shape, staff(rng, 12), status_in_cell=status_in_cell,
                         thai_digits=fmt == "csv", title_rows=3)
    if fmt == "xlsx":
        path = write_xlsx(tmp_path / "r.xlsx", built.rows, built.merged)
    elif fmt == "csv":
        path = write_csv(tmp_path / "r.csv", built.rows, encoding="cp874", delimiter="\t")
    else:
        path = write_html(tmp_path / "r.xls", built.rows, built.merged)
    _check_roster(path, built.expected)


def test_workforce_plan_vacancies_are_not_people(tmp_path: Path) -> None:
    rng = random.Random(99)
    people = staff(rng, 8)
    built = build_roster(rng, "workforce", people)
    path = write_xlsx(tmp_path / "plan.xlsx", built.rows, built.merged)
    table = read_roster(path)
    assert len(table.people) == len(people)
    assert all(p.full_name != "ว่าง" and p.unit for p in table.people)
    assert any("vacant" in str(w) for w in table.warnings)


@pytest.mark.parametrize(("text", "status", "when"), [
    ("ย้าย (1 ก.ค. 2569)", "ย้าย", date(2026, 7, 1)),
    ("ลาออก ตั้งแต่ 31/12/2568", "ลาออก", date(2025, 12, 31)),
    ("โอน 15 มีนาคม 2569", "โอน", date(2026, 3, 15)),
    ("เกษียณอายุราชการ (30 ก.ย. 68)", "เกษียณอายุราชการ", date(2025, 9, 30)),
    ("ปกติ", "ปกติ", None),
    ("ช่วยราชการ ณ อบต.โนนสะอาด", "ช่วยราชการ ณ อบต.โนนสะอาด", None),
    ("ย้าย (๑ ก.ค. ๒๕๖๙)", "ย้าย", date(2026, 7, 1)),  # Thai digits are digits too
    ("ลาออก ตั้งแต่ 31/12/68", "ลาออก", date(2025, 12, 31)),
    ("", "", None),
])
def test_split_status(text: str, status: str, when: date | None) -> None:
    assert split_status(text) == (status, when)


def test_builder_is_independent_and_fictitious() -> None:
    """The red-team accounts use made-up IDs with a valid check digit and Thai names."""
    from laas_audit.national_id import is_valid_id

    accts: list[Acct] = accounts(random.Random(1), 20, numeric_ids=3)
    assert all(is_valid_id(a.pid) for a in accts)
    assert all(any("\u0e01" <= ch <= "\u0e4f" for ch in a.full) for a in accts)
    assert len({a.key for a in accts}) == 20


# --------------------------------------------------------------------------- hand-made corners


def _accounts(path: Path) -> dict[str, tuple[list[str], list[int]]]:
    return {a.username: (a.groups, a.rows) for a in read_export(path).accounts}


def test_two_row_header_found_on_its_child_row(tmp_path: Path) -> None:
    """Labels under merged parents score best; the parent row above holds ที่ and the group."""
    rows: list[list[object]] = [
        ["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
        ["ที่", "ข้อมูลผู้ใช้งาน", None, "กลุ่มผู้ใช้งาน", "ข้อมูลการใช้งาน", None],
        [None, "ชื่อผู้ใช้", "ชื่อ-สกุล", None, "สถานะ", "เข้าสู่ระบบล่าสุด"],
        [1, "anan.k", "นายอนันต์ ทองดี", "เจ้าหน้าที่การเงิน", "ใช้งาน", "1 ก.ค. 2569"],
        [2, "wila.b", "นางวิไล บุญมา", "เจ้าหน้าที่พัสดุ,\nเจ้าหน้าที่บัญชี,", "ระงับการใช้งาน",
         "2 ก.ค. 2569"],
    ]
    merged = [(1, 1, 1, 2), (1, 4, 1, 5), (1, 0, 2, 0), (1, 3, 2, 3)]
    path = write_xlsx(tmp_path / "two.xlsx", rows, merged)
    table = read_export(path)
    assert table.source.header_row == 2
    assert _accounts(path) == {
        "anan.k": (["เจ้าหน้าที่การเงิน"], [4]),
        "wila.b": (["เจ้าหน้าที่พัสดุ", "เจ้าหน้าที่บัญชี"], [5]),
    }
    assert table.accounts[1].status == "ระงับการใช้งาน"
    assert table.accounts[0].last_login == date(2026, 7, 1)


def test_continuation_rows_repeating_the_seq_number(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง", "กลุ่มผู้ใช้งาน"],
        [1, "anan.k", "นายอนันต์ ทองดี", "นักวิชาการเงินและบัญชี", "เจ้าหน้าที่การเงิน"],
        [1, None, None, None, "เจ้าหน้าที่บัญชี"],
        [2, "wila.b", "นางวิไล บุญมา", "เจ้าพนักงานพัสดุ", "เจ้าหน้าที่พัสดุ"],
        [2, None, None, None, "ผู้ดูแลระบบ"],
    ]
    path = write_csv(tmp_path / "seq.csv", rows)
    assert _accounts(path) == {
        "anan.k": (["เจ้าหน้าที่การเงิน", "เจ้าหน้าที่บัญชี"], [2, 3]),
        "wila.b": (["เจ้าหน้าที่พัสดุ", "ผู้ดูแลระบบ"], [4, 5]),
    }


def test_apostrophe_and_email_logins(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "กลุ่มผู้ใช้งาน"],
        [1, "'3104500034567", "นายอนันต์ ทองดี", "เจ้าหน้าที่การเงิน"],
        [2, "wila.b@nongbua.go.th", "นางวิไล บุญมา", "เจ้าหน้าที่พัสดุ ; เจ้าหน้าที่บัญชี"],
        [3, " Somchai.J ", "นายสมชาย ใจดี", "ผู้บริหาร"],
        [4, "somchai.j", "นายสมชาย ใจดี", "เจ้าหน้าที่บัญชี"],
    ]
    path = write_csv(tmp_path / "logins.csv", rows)
    assert _accounts(path) == {
        "3104500034567": (["เจ้าหน้าที่การเงิน"], [2]),
        "wila.b@nongbua.go.th": (["เจ้าหน้าที่พัสดุ", "เจ้าหน้าที่บัญชี"], [3]),
        "Somchai.J": (["ผู้บริหาร", "เจ้าหน้าที่บัญชี"], [4, 5]),
    }


def test_group_headings_inside_the_group_column(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["ที่", "Username", "ชื่อ-สกุล", "User Group"],
        [None, None, None, "กลุ่มผู้ใช้งาน : ผู้ดูแลระบบ"],
        [1, "anan.k", "นายอนันต์ ทองดี", None],
        [2, "wila.b", "นางวิไล บุญมา", None],
        [None, None, None, "เจ้าหน้าที่การเงิน"],
        [1, "anan.k", "นายอนันต์ ทองดี", None],
    ]
    path = write_html(tmp_path / "g.xls", rows, [], th_header=0)
    assert _accounts(path) == {
        "anan.k": (["ผู้ดูแลระบบ", "เจ้าหน้าที่การเงิน"], [3, 6]),
        "wila.b": (["ผู้ดูแลระบบ"], [4]),
    }
