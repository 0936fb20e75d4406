"""matches-to-confirm.csv out and confirmed answers back in (issue 5, item 3)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from laas_audit.confirm import COLUMNS, load_confirmed, write_matches_to_confirm
from laas_audit.errors import InputError
from laas_audit.matching import match_accounts
from laas_audit.national_id import make_id
from laas_audit.tables import Account, Person

ID_A = make_id("310170020345")
ID_B = make_id("142990011223")
HEADER = ",".join(f"{k} ({label})" for k, label in COLUMNS)


def _people() -> list[Person]:
    return [
        Person(row=5, full_name="นางสาวสมศรี ใจดี", national_id=ID_A),
        Person(row=6, full_name="นายธนพล อินทร์แก้ว"),
        Person(row=7, full_name="นายธนพร อินทร์แก้ว"),
        Person(row=8, full_name="นางสาวกนกวรรณ พรหมสุวรรณ", national_id=ID_B),
    ]


def _accounts() -> list[Account]:
    return [
        Account(username="somsri", full_name="นางสาวสมศรี ใจดี"),  # exact: not asked
        Account(username="kanok", full_name="นางสาวกนกวรรณ พรหมสุวรรน"),  # fuzzy
        Account(username="thanapon", full_name="นายธนพน อินทร์แก้ว"),  # ambiguous
        Account(username="=cmd|' /C calc'!A0", full_name="-ผู้ใช้ทั่วไป"),  # hostile, no one
    ]


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_writes_fuzzy_and_unmatched_rows_with_candidates(tmp_path: Path) -> None:
    accounts, people = _accounts(), _people()
    matches = match_accounts(accounts, people)
    path = tmp_path / "matches-to-confirm.csv"
    assert write_matches_to_confirm(accounts, matches, path) == 3
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel shows Thai
    header, *rows = _read(path)
    assert header[0].startswith("username") and header[-1].startswith("confirm_roster_name")
    by_user = {r[0]: dict(zip([h.split(" ")[0] for h in header], r, strict=True)) for r in rows}
    assert set(by_user) == {"kanok", "thanapon", "'=cmd|' /C calc'!A0"}
    kanok = by_user["kanok"]
    assert kanok["method"].endswith("(fuzzy)") and float(kanok["score"]) >= 88
    assert (kanok["proposed_roster_name"], kanok["proposed_roster_row"]) == (
        "นางสาวกนกวรรณ พรหมสุวรรณ",
        "8",
    )
    assert "นางสาวกนกวรรณ พรหมสุวรรณ (แถว 8," in kanok["candidates"]
    thanapon = by_user["thanapon"]
    assert thanapon["proposed_roster_row"] == "" and "(แถว 6," in thanapon["candidates"]
    assert "(แถว 7," in thanapon["candidates"]
    assert all(r[-3:] == ["", "", ""] for r in rows)


def test_a_swapped_or_married_name_is_asked_with_its_reason(tmp_path: Path) -> None:
    people = [
        Person(row=3, full_name="นางสาวศรีสุข วิไลวรรณ"),  # ชื่อ and นามสกุล swapped
        Person(row=4, full_name="นางสาวกาญจนา บุญมา"),  # married since
    ]
    accounts = [
        Account(username="wilaiwan.s", full_name="นางสาววิไลวรรณ ศรีสุข"),
        Account(username="kanchana.t", full_name="นางกาญจนา ทองมา"),
    ]
    path = tmp_path / "matches-to-confirm.csv"
    assert write_matches_to_confirm(accounts, match_accounts(accounts, people), path) == 2
    header, *rows = _read(path)
    fields = [h.split(" ")[0] for h in header]
    by_user = {r[0]: dict(zip(fields, r, strict=True)) for r in rows}
    swapped, married = by_user["wilaiwan.s"], by_user["kanchana.t"]
    assert swapped["proposed_roster_row"] == "" and "(แถว 3, 100)" in swapped["candidates"]
    assert swapped["reason"].startswith("ชื่อและนามสกุลสลับกัน")
    assert "(แถว 4," in married["candidates"] and "สมรส" in married["reason"]


def test_no_cell_can_become_a_formula(tmp_path: Path) -> None:
    accounts = _accounts()
    path = tmp_path / "m.csv"
    write_matches_to_confirm(accounts, match_accounts(accounts, _people()), path)
    cells = [cell for row in _read(path) for cell in row]
    assert "'-ผู้ใช้ทั่วไป" in cells
    assert not any(c[:1] in ("=", "+", "-", "@", "\t", "\r") for c in cells)


def test_confirmed_accounts_are_not_asked_again(tmp_path: Path) -> None:
    accounts, people = _accounts(), _people()
    matches = match_accounts(accounts, people, confirmed={"kanok": ID_B, "thanapon": "-"})
    assert write_matches_to_confirm(accounts, matches, tmp_path / "m.csv") == 1


def test_round_trip_through_the_written_file(tmp_path: Path) -> None:
    accounts, people = _accounts(), _people()
    path = tmp_path / "matches-to-confirm.csv"
    write_matches_to_confirm(accounts, match_accounts(accounts, people), path)
    header, *rows = _read(path)
    answers = {  # what a reviewer types: ID (Thai digits), row, name, "no one"
        "kanok": (ID_B.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")), "", ""),
        "thanapon": ("", "7", ""),
        "'=cmd|' /C calc'!A0": ("", "", "ไม่มี"),
    }
    for row in rows:
        row[-3:] = answers[row[0]]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    confirmed = load_confirmed(path)
    assert confirmed == {"kanok": ID_B, "thanapon": "row:7", "=cmd|' /c calc'!a0": "-"}
    matches = match_accounts(accounts, people, confirmed=confirmed)
    assert matches["kanok"].method == "confirmed" and matches["kanok"].person is not None
    assert matches["kanok"].person.row == 8
    assert matches["thanapon"].person is not None and matches["thanapon"].person.row == 7
    hostile = matches[accounts[3].key]
    assert (hostile.method, hostile.person) == ("confirmed", None)
    assert matches["somsri"].method == "name"  # untouched by the answers


def test_excel_saved_as_windows_874_with_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(
        "username;confirm_roster_name\r\nsomsri;นางสาว สมศรี\u00a0ใจดี\r\n".encode("cp874")
    )
    assert load_confirmed(path) == {"somsri": "นางสาว สมศรี ใจดี"}


def test_simple_csv_and_unanswered_rows(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        f"username,national_id,roster_name\nSomSri ,{ID_A},\nkanok,,\n,,\n", encoding="utf-8"
    )
    assert load_confirmed(path) == {"somsri": ID_A}


def test_xlsx_with_an_id_stored_as_a_number(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["username", "confirm_national_id", "confirm_roster_name"])
    sheet.append(["kanok", float(ID_B), None])
    sheet.append(["somsri", None, "นส.สมศรี ใจดี"])
    path = tmp_path / "m.xlsx"
    book.save(path)
    assert load_confirmed(path) == {"kanok": ID_B, "somsri": "นส.สมศรี ใจดี"}


@pytest.mark.parametrize(
    "text",
    [
        "somsri: นางสาวสมศรี ใจดี\nkanok: '-'\n",
        "- username: somsri\n  roster_name: นางสาวสมศรี ใจดี\n"
        "- username: kanok\n  roster_name: ไม่มี\n",
    ],
)
def test_yaml_mapping_or_list(tmp_path: Path, text: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_confirmed(path) == {"somsri": "นางสาวสมศรี ใจดี", "kanok": "-"}


def test_yaml_id_written_as_a_number(tmp_path: Path) -> None:
    path = tmp_path / "m.yml"
    path.write_text(f"- username: kanok\n  national_id: {ID_B}\n", encoding="utf-8")
    assert load_confirmed(path) == {"kanok": ID_B}


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_confirmed(path)
    return info.value


def test_bad_ids_are_reported_with_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "username,full_name,confirm_national_id\n"
        f"kanok,x,{ID_B}\n"
        "somsri,x,1.10101E+12\n"
        "thanapon,x,12345\n",
        encoding="utf-8",
    )
    err = _error(path)
    assert (err.location.file, err.location.row, err.location.column) == ("m.csv", 3, "C")
    assert "Text" in err.en and "ข้อความ" in err.th
    assert len(err.problems) == 2 and "row 4, column C" in err.problems[1]
    assert "แถว 4 คอลัมน์ C" in err.problems[1]
    assert err.hint_th and err.hint_en


def test_conflicting_answers_for_one_username(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        f"username,confirm_national_id\nkanok,{ID_B}\nKANOK,{ID_A}\n", encoding="utf-8"
    )
    err = _error(path)
    assert err.location.row == 3 and err.location.column == "A" and "row 2" not in err.en
    assert "2" in err.problems[0]


def test_answer_without_username(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("username,confirm_roster_row\n,12\nkanok,แถว\n", encoding="utf-8")
    err = _error(path)
    assert [p.split(":")[0] for p in err.problems] == [
        "แถว 2 คอลัมน์ A / row 2, column A",
        "แถว 3 คอลัมน์ B / row 3, column B",
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("m.csv", "ชื่อ,เลข\nkanok,1\n", "username"),
        ("m.csv", "", "empty"),
        ("m.csv", b"username,roster_name\n\xff\xfe\x00\x81\n", "Windows-874"),
        ("m.pdf", "x", "unknown file type"),
        ("m.yaml", "a: [1,\n", "YAML"),
        ("m.yaml", "- 1\n- 2\n", "list of"),
        ("m.xlsx", "not a workbook", "Excel"),
    ],
)
def test_unreadable_files_are_input_errors(
    tmp_path: Path, name: str, content: str | bytes, expected: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    err = _error(path)
    assert expected in err.en and err.th and err.location.file == name


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        # An exceptions file: a list of entries, none with an answer key.
        ("exceptions.yaml", "- username: wasana.s\n  rule: LA202\n  reason: รักษาการ\n"
         "  approved_by: ปลัด อบต.\n  expires: 2570-03-31\n", "no entry has"),
        # A policy file: a mapping whose values are not answers.
        ("policy.yaml", "version: '2569.1'\nthresholds:\n  dormant_days: 180\n",
         "entry 2 holds a nested value"),
        # A roster saved as CSV: no username and answer columns.
        ("roster.csv", "ลำดับ,ชื่อ-สกุล,ตำแหน่ง\n1,นางสาวสมศรี ใจดี,นักวิชาการเงินและบัญชี\n",
         "the first row must name"),
    ],
)
def test_another_kind_of_file_is_not_a_matches_file(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    err = _error(path)
    assert expected in err.en and err.th and err.location.file == name
    assert "matches-to-confirm.csv" in err.hint_en and "matches-to-confirm.csv" in err.hint_th
    assert "--matches" in err.hint_en


def test_a_file_with_no_answer_filled_in_is_refused(tmp_path: Path) -> None:
    """The file the review wrote, passed back unanswered, would confirm nothing, silently."""
    accounts = _accounts()
    path = tmp_path / "matches-to-confirm.csv"
    assert write_matches_to_confirm(accounts, match_accounts(accounts, _people()), path) == 3
    err = _error(path)
    assert "no confirmed answer" in err.en and "3 entries" in err.en
    assert "ไม่มีคำยืนยัน" in err.th and "confirm_national_id" in err.hint_en
    (tmp_path / "answers.yaml").write_text("kanok:\nthanapon: ''\n", encoding="utf-8")
    assert "no confirmed answer" in _error(tmp_path / "answers.yaml").en


def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.csv")
    assert "does not exist" in err.en and "ไม่พบ" in err.th


ID_W = make_id("110070056781")


def _wandee(row: int, status: str, position: str = "เจ้าพนักงานพัสดุ") -> Person:
    return Person(row=row, full_name="นางวันดี กลับมา", national_id=ID_W, position=position,
                  status=status)


@pytest.mark.parametrize(
    ("roster", "method", "proposed", "reason"),
    [
        ([_wandee(3, "ปกติ"), _wandee(4, "ปกติ")], None, None, None),  # a copy: nothing to ask
        ([_wandee(3, "ย้าย"), _wandee(4, "ปกติ")], "(national_id)", "4", "ใช้แถว 4"),
        (
            [_wandee(3, "ปกติ"), _wandee(4, "ปกติ", "เจ้าพนักงานการเงินและบัญชี")],
            "(national_id)", "", "ระบุแถวที่เป็นปัจจุบัน",
        ),
    ],
    ids=["copied-row", "old-and-current", "cannot-tell"],
)
def test_rows_repeating_an_id_that_differ_are_asked_about_with_the_reason(
    tmp_path: Path, roster: list[Person], method: str | None, proposed: str | None,
    reason: str | None,
) -> None:
    accounts = [Account(username="wandee.k", full_name="นางวันดี กลับมา", national_id=ID_W)]
    path = tmp_path / "m.csv"
    written = write_matches_to_confirm(accounts, match_accounts(accounts, roster), path)
    header, *rows = _read(path)
    assert written == len(rows) == (0 if method is None else 1)
    if method is None:
        return
    row = dict(zip([h.split(" ")[0] for h in header], rows[0], strict=True))
    assert row["method"].endswith(method) and row["proposed_roster_row"] == proposed
    assert reason in row["reason"] and "แถว 3 และ 4" in row["reason"]
    assert "rows 3 and 4" in row["reason"]  # Thai first, then English
    assert "(แถว 3," in row["candidates"] if proposed == "" else row["candidates"] == ""
