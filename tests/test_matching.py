"""Identity matching on Thai name variants (issue 3 item 1, issue 5 item 3).

Every name and ID here is made up; IDs get a valid checksum from `make_id`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from laas_audit import matching
from laas_audit.errors import InputWarning, Location
from laas_audit.matching import (
    DEFAULT_THRESHOLD,
    account_key,
    match_accounts,
    name_keys,
    person_key,
)
from laas_audit.names import name_key, name_key_parts, split_name
from laas_audit.national_id import make_id
from laas_audit.policy import load_policy
from laas_audit.tables import Account, Person
from laas_audit.thai import fold

ID_A = make_id("310170020345")
ID_B = make_id("142990011223")
ID_C = make_id("560080077889")
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def person(row: int, full: str, **kw: str) -> Person:
    return Person(row=row, full_name=full, full_name_raw=full, **kw)  # type: ignore[arg-type]


def account(username: str, full: str | None = None, **kw: str) -> Account:
    return Account(username=username, full_name=full, full_name_raw=full, **kw)  # type: ignore[arg-type]


def one(acc: Account, people: list[Person], **kw: object) -> matching.Match:
    return match_accounts([acc], people, **kw)[acc.key]  # type: ignore[arg-type]


ROSTER = [
    person(5, "นางสาวสมศรี ใจดี", national_id=ID_A),
    person(6, "นายประเสริฐศักดิ์ วงศ์สวัสดิ์"),
    person(7, "นางวิภาวรรณ ทองคำ", national_id=ID_B),
    person(8, "ว่าที่ร้อยตรีอนุชา แก้วมณี"),
]


# -- each method ------------------------------------------------------------------------------


def test_national_id_wins_even_when_the_surname_changed_on_marriage() -> None:
    m = one(account("somsri.m", "นางสมศรี มีสุข", national_id=ID_A), ROSTER)
    assert (m.method, m.score, m.person and m.person.row) == ("national_id", 100.0, 5)


def test_national_id_in_thai_digits_on_the_roster() -> None:
    roster = [person(3, "นายอนันต์ รักษ์ไทย", national_id=ID_C.translate(THAI_DIGITS))]
    m = one(account("anan.r", "นายอนันต์ รักษ์ไทย", national_id=ID_C), roster)
    assert m.method == "national_id" and m.person is roster[0]


def test_national_id_in_full_width_digits_on_the_export() -> None:
    # A married name on the roster: only the ID (typed in full-width digits) can tie them.
    full_width = ID_A.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    m = one(account("somsri.m", "นางสมศรี ทองมา", national_id=full_width), ROSTER)
    assert (m.method, m.person) == ("national_id", ROSTER[0])


def test_username_that_is_a_citizen_id_matches_the_roster_id() -> None:
    m = one(account(ID_B, "นางวิภาวรรณ ทองคำ"), ROSTER)
    assert m.method == "national_id" and m.person is ROSTER[2]


def test_username_column_on_the_roster_is_folded() -> None:
    roster = [person(4, "นายชาตรี บุญมา", username="Chatree.B"), person(9, "นางมาลี ศรีสุข")]
    m = one(account("  chatree.b ", "นายชาตรี บุญมาก"), roster)
    assert (m.method, m.score, m.person) == ("username", 100.0, roster[0])


@pytest.mark.parametrize(
    ("export_name", "roster_name"),
    [
        ("นส.สมศรี ใจดี", "นางสาวสมศรี ใจดี"),
        ("น.ส. สมศรี  ใจดี", "นางสาว สมศรี ใจดี"),
        ("สมศรี ใจดี", "นางสาวสมศรี ใจดี"),
        ("ว่าที่ ร.ต.อนุชา แก้วมณี", "ว่าที่ร้อยตรีอนุชา แก้วมณี"),
        ("นายสมชาย ค\u0e4d\u0e32ดี", "นายสมชาย คำดี"),  # decomposed SARA AM on one side
        ("นาย\u00a0สมชาย\u200bคำดี", "นายสมชาย คำดี"),  # NBSP and zero-width space
        ("\ufeffนายสมชาย\u200d คำดี\u00a0", "นายสมชาย คำดี"),  # BOM, ZWJ, trailing NBSP
        ("นางสาวเเสงดาว เเก้วใส", "นางสาวแสงดาว แก้วใส"),  # SARA E typed twice for SARA AE
        ("นายช\u0e48\u0e37นชม ศรีสุข", "นายชื่นชม ศรีสุข"),  # tone mark typed before the vowel
    ],
)
def test_exact_name_ignores_prefixes_and_invisible_characters(
    export_name: str, roster_name: str
) -> None:
    roster = [person(11, roster_name), person(12, "นางมาลี ศรีสุข")]
    m = one(account("u1", export_name), roster)
    assert (m.method, m.score, m.person) == ("name", 100.0, roster[0])


def test_exact_name_uses_the_roster_first_and_last_columns() -> None:
    roster = [person(2, "", prefix="นาง", first_name="มาลี", last_name="ศรีสุข")]
    m = one(account("malee", "นางมาลี  ศรีสุข"), roster)
    assert m.method == "name" and m.person is roster[0]


def test_one_letter_typo_is_fuzzy_with_its_score() -> None:
    roster = [person(6, "นายประเสริฐศักดิ์ วงศ์สวัสดิ์"), person(9, "นางมาลี ศรีสุข")]
    acc = account("prasert", "นายประเสริฐศักด วงศ์สวัสดิ์")  # the final ิ์ lost one mark
    m = one(acc, roster)
    expected = round(fuzz.ratio(account_key(acc), person_key(roster[0])), 1)
    assert m.method == "fuzzy" and m.person is roster[0]
    assert m.score == expected and DEFAULT_THRESHOLD <= expected < 100
    assert m.candidates[0].roster_row == 6


def test_one_substituted_consonant_is_fuzzy() -> None:
    roster = [person(20, "นางสาวกนกวรรณ พรหมสุวรรณ"), person(21, "นายธนพล อินทร์แก้ว")]
    m = one(account("kanok", "นางสาวกนกวรรณ พรหมสุวรรน"), roster)
    assert m.method == "fuzzy" and m.person is roster[0]
    assert m.score is not None and DEFAULT_THRESHOLD <= m.score < 100


# -- never a guess ----------------------------------------------------------------------------


def test_two_people_with_the_same_name_are_ambiguous() -> None:
    roster = [person(3, "นายสมชาย ใจดี"), person(9, "นายสมชาย ใจดี"), person(4, "นางมาลี ศรีสุข")]
    m = one(account("somchai", "นายสมชาย ใจดี"), roster)
    assert m.method == "none" and m.person is None
    assert sorted(c.roster_row for c in m.candidates) == [3, 9]
    assert all(c.score == 100.0 for c in m.candidates)


def test_two_close_fuzzy_candidates_are_ambiguous() -> None:
    roster = [person(3, "นายธนพล อินทร์แก้ว"), person(4, "นายธนพร อินทร์แก้ว")]
    m = one(account("thanapon", "นายธนพน อินทร์แก้ว"), roster)
    assert m.method == "none" and m.person is None
    assert {c.roster_row for c in m.candidates} == {3, 4}
    assert m.candidates[0].score - m.candidates[1].score < 5


def test_no_plausible_person_has_no_candidates() -> None:
    m = one(account("admin01", "ผู้ดูแลระบบ กองคลัง"), ROSTER)
    assert (m.method, m.person, m.candidates) == ("none", None, [])


def test_account_without_a_name_is_unmatched() -> None:
    m = one(account("guest"), ROSTER)
    assert (m.method, m.person) == ("none", None)


def test_marriage_surname_change_without_ids_does_not_match_by_first_name() -> None:
    roster = [person(5, "นางสาวสมศรี ใจดี"), person(6, "นายอนันต์ รักษ์ไทย")]
    m = one(account("somsri", "นางสมศรี มีสุขสวัสดิ์"), roster)
    assert m.method == "none" and m.person is None  # offered to confirm, at most


# -- readings to confirm: never an automatic match, always a candidate with its reason ----------


def test_khun_glued_to_a_first_name_is_never_stripped_after_another_prefix() -> None:
    # นายคุณวุฒิ (not on the roster) is not his brother นายวุฒิ; nor the other way round
    m = one(account("khunnawut.j", "นายคุณวุฒิ ใจดี"), [person(4, "นายวุฒิ ใจดี")])
    assert (m.method, m.person, m.confirm_reason) == ("none", None, "")
    m = one(account("wut.j", "นายวุฒิ ใจดี"), [person(4, "นายคุณวุฒิ ใจดี")])
    assert (m.method, m.person, m.confirm_reason) == ("none", None, "")


def test_khun_glued_at_the_start_matches_the_name_as_written() -> None:
    roster = [person(4, "นายวุฒิ ใจดี"), person(5, "นายคุณวุฒิ ใจดี")]
    m = one(account("khunnawut.j", "คุณวุฒิ ใจดี"), roster)
    assert (m.method, m.person) == ("name", roster[1])


@pytest.mark.parametrize(
    ("export_name", "roster_name"),
    [
        ("คุณวุฒิ ใจดี", "นายวุฒิ ใจดี"),  # the export's คุณ may be the honorific
        ("นายวุฒิ ใจดี", "คุณวุฒิ ใจดี"),  # the roster's
        # long enough for a fuzzy match, which must not override the doubt
        ("คุณประเสริฐศักดิ์ วงศ์สวัสดิ์", "นายประเสริฐศักดิ์ วงศ์สวัสดิ์"),
    ],
)
def test_a_name_that_needs_khun_read_as_the_honorific_is_a_candidate(
    export_name: str, roster_name: str
) -> None:
    roster = [person(4, roster_name), person(9, "นางมาลี ศรีสุข")]
    m = one(account("u1", export_name), roster)
    assert (m.method, m.person) == ("none", None)
    assert [(c.roster_row, c.score) for c in m.candidates][:1] == [(4, 100.0)]
    assert "คุณ" in m.confirm_reason


def test_first_name_and_surname_swapped_on_the_roster_is_a_candidate() -> None:
    roster = [
        person(3, "", prefix="นางสาว", first_name="ศรีสุข", last_name="วิไลวรรณ"),
        person(4, "นายชูชาติ ทองคำ"),
    ]
    m = one(account("wilaiwan.s", "นางสาววิไลวรรณ ศรีสุข"), roster)
    assert (m.method, m.person) == ("none", None)
    assert [(c.roster_row, c.score) for c in m.candidates] == [(3, 100.0)]
    assert "swapped" in m.confirm_reason


def test_a_swapped_name_with_a_contradicting_id_is_no_candidate() -> None:
    roster = [person(3, "นางสาวศรีสุข วิไลวรรณ", national_id=ID_B)]
    m = one(account("wilaiwan.s", "นางสาววิไลวรรณ ศรีสุข", national_id=ID_A), roster)
    assert (m.method, m.candidates) == ("none", [])


def test_marriage_offers_the_one_woman_with_that_first_name() -> None:
    roster = [person(5, "นางสาวสมศรี ใจดี"), person(6, "นายอนันต์ รักษ์ไทย")]
    m = one(account("somsri", "นางสมศรี มีสุขสวัสดิ์"), roster)
    assert (m.method, m.person) == ("none", None)
    assert [c.roster_row for c in m.candidates] == [5]
    assert m.candidates[0].score < DEFAULT_THRESHOLD
    assert "marriage" in m.confirm_reason


@pytest.mark.parametrize(
    ("export_name", "roster"),
    [
        # two roster people share the first name: no lead, however the surnames look
        ("นางสมศรี มีสุขสวัสดิ์", ["นางสาวสมศรี ใจดี", "นางสมศรี บุญประเสริฐ"]),
        # a man's name on either side
        ("นายสมศักดิ์ มีสุขสวัสดิ์", ["นายสมศักดิ์ ใจดี"]),
        ("นางสมศักดิ์ มีสุขสวัสดิ์", ["นายสมศักดิ์ ใจดี"]),
        # no prefix on either side: nothing says a surname changed
        ("สมศรี มีสุขสวัสดิ์", ["สมศรี ใจดี"]),
    ],
)
def test_no_marriage_lead(export_name: str, roster: list[str]) -> None:
    people = [person(5 + i, name) for i, name in enumerate(roster)]
    m = one(account("u1", export_name), people)
    assert m.method == "none" and "marriage" not in m.confirm_reason


def test_a_marriage_lead_never_overrides_a_typo_match() -> None:
    roster = [person(5, "นางสาวมาลี ศรีสุข"), person(6, "นายอนันต์ รักษ์ไทย")]
    m = one(account("malee", "นางสาวมาลี ศรีสุก"), roster)
    assert (m.method, m.person, m.confirm_reason) == ("fuzzy", roster[0], "")


@pytest.mark.parametrize(
    "export_name",
    ["นายสมชาย (ต้น) ใจดี", "นายสมชาย ใจดี (ต้น)", "นายสมชาย ใจดี (จนท.พัสดุ)"],
)
def test_a_bracketed_nickname_or_note_is_not_the_name(export_name: str) -> None:
    roster = [person(11, "นายสมชาย ใจดี"), person(12, "นายสมชาย ใจงาม")]
    m = one(account("somchai.j", export_name), roster)
    assert (m.method, m.person) == ("name", roster[0])


def test_long_shared_first_name_cannot_carry_a_different_surname() -> None:
    # The whole key is close (long first name), but the surnames have nothing in common.
    roster = [person(5, "นายประเสริฐศักดิ์ชัยวัฒน์ ขำ")]
    acc = account("p1", "นายประเสริฐศักดิ์ชัยวัฒน์ ดี")
    assert fuzz.ratio(account_key(acc), person_key(roster[0])) >= DEFAULT_THRESHOLD
    assert one(acc, roster).method == "none"


def test_same_name_but_different_valid_ids_is_not_a_match() -> None:
    roster = [person(5, "นางสาวสมศรี ใจดี", national_id=ID_A)]
    m = one(account("somsri", "นางสาวสมศรี ใจดี", national_id=ID_C), roster)
    assert m.method == "none" and [c.roster_row for c in m.candidates] == [5]


def test_username_with_a_contradicting_id_is_not_a_match() -> None:
    roster = [person(4, "นายชาตรี บุญมา", username="chatree", national_id=ID_A)]
    m = one(account("chatree", "นายวีระ ศรีสุข", national_id=ID_C), roster)
    assert (m.method, m.person) == ("none", None)
    roster[0].national_id = None
    assert one(account("chatree", "นายวีระ ศรีสุข", national_id=ID_C), roster).method == "username"


def test_invalid_account_id_falls_back_to_the_name() -> None:
    bad = ID_A[:12] + str((int(ID_A[12]) + 1) % 10)
    m = one(account("somsri", "นางสาวสมศรี ใจดี", national_id=bad), ROSTER)
    assert m.method == "name" and m.person is ROSTER[0]


# -- order of precedence ----------------------------------------------------------------------


def test_order_id_then_username_then_name() -> None:
    roster = [
        person(2, "นายอนันต์ รักษ์ไทย", national_id=ID_C),
        person(3, "นายชาตรี บุญมา", username="chatree"),
        person(4, "นางมาลี ศรีสุข"),
    ]
    acc = account("chatree", "นางมาลี ศรีสุข", national_id=ID_C)
    assert one(acc, roster).person is roster[0]
    acc.national_id = None
    assert one(acc, roster).method == "username"
    assert one(acc, roster).person is roster[1]
    roster[1].username = None
    assert (one(acc, roster).method, one(acc, roster).person) == ("name", roster[2])


def test_one_person_with_two_accounts_is_visible() -> None:
    accounts = [
        account("somsri", "นางสาวสมศรี ใจดี"),
        account("somsri2", "น.ส.สมศรี ใจดี"),
        account("wipa", "นางวิภาวรรณ ทองคำ"),
    ]
    matches = match_accounts(accounts, ROSTER)
    assert matches["somsri"].person is matches["somsri2"].person is ROSTER[0]
    rows = {key: m.person.row for key, m in matches.items() if m.person is not None}
    assert rows == {"somsri": 5, "somsri2": 5, "wipa": 7}


# -- a roster that repeats a national ID -----------------------------------------------------

ID_W = make_id("110070056781")


def wandee(row: int, status: str | None = "ปกติ", **kw: object) -> Person:
    """นางวันดี กลับมา, a procurement officer who left and came back (fictitious)."""
    found = person(row, "นางวันดี กลับมา", national_id=ID_W, position="เจ้าพนักงานพัสดุ",
                   unit="กองคลัง")
    found.status = status
    for name, value in kw.items():
        setattr(found, name, value)
    return found


def _with_warnings(
    acc: Account, roster: list[Person], as_of: date | None = None
) -> tuple[matching.Match, list[InputWarning]]:
    warnings: list[InputWarning] = []
    where = Location(file="ทะเบียน.xlsx", sheet="บุคลากร")
    found = match_accounts(
        [acc], roster, warnings=warnings, roster_where=where, as_of=as_of
    )[acc.key]
    return found, warnings


WANDEE = account("wandee.k", "นางวันดี กลับมา", national_id=ID_W)
OTHER = person(2, "นายเอก ดีงาม", national_id=make_id("310050012345"))


def test_a_copied_row_is_one_person_used_at_its_first_row() -> None:
    m, warnings = _with_warnings(WANDEE, [OTHER, wandee(3), wandee(4)])
    assert (m.method, m.person and m.person.row, m.candidates) == ("national_id", 3, [])
    assert m.same_id_rows == (3, 4) and m.confirm_reason == ""  # nothing to ask
    assert len(warnings) == 1
    w = warnings[0]
    assert (w.location.file, w.location.sheet, w.location.row) == ("ทะเบียน.xlsx", "บุคลากร", 3)
    assert "แถว 3 และ 4" in w.th and "ใช้แถว 3" in w.th and "เหมือนกัน" in w.th
    assert "rows 3 and 4" in w.en and "row 3 is used" in w.en


@pytest.mark.parametrize("old_first", [True, False])
def test_an_old_leaver_row_and_the_current_row_use_the_current_row(old_first: bool) -> None:
    old = wandee(3 if old_first else 4, "ย้าย", status_date=date(2024, 6, 1),
                 note="ย้ายไป อบต.อื่น")
    current = wandee(4 if old_first else 3, "ปกติ")  # no date anywhere: the status decides
    roster = [OTHER, old, current] if old_first else [OTHER, current, old]
    m, warnings = _with_warnings(WANDEE, roster)
    assert m.method == "national_id" and m.person is current
    assert m.same_id_rows == (3, 4)
    assert f"ใช้แถว {current.row}" in m.confirm_reason  # listed for a human to check
    assert len(warnings) == 1
    th, en = warnings[0].th, warnings[0].en
    assert f"แถว {old.row}: ย้าย 1 มิ.ย. 2567" in th and f"ใช้แถว {current.row}" in th
    assert f"row {current.row} is used because its status does not say the person left" in en


@pytest.mark.parametrize("resigned_first", [True, False])
def test_a_departure_dated_within_the_cycle_beats_an_undated_current_row(
    resigned_first: bool,
) -> None:
    # The HR clerk added a dated resignation and left the old "ปกติ" row: a leaver must not
    # hide behind the undated row. An old departure beside it is history (see above).
    resigned = wandee(3 if resigned_first else 4, "ลาออก", status_date=date(2026, 9, 1))
    current = wandee(4 if resigned_first else 3, "ปกติ")
    roster = [resigned, current] if resigned_first else [current, resigned]
    m, warnings = _with_warnings(WANDEE, roster, as_of=date(2026, 10, 1))
    assert m.person is resigned
    assert "ออกไปแล้วภายในรอบการตรวจนี้" in warnings[0].th
    assert f"row {resigned.row} is used because it says the person left within" in warnings[0].en
    old = wandee(resigned.row, "ลาออก", status_date=date(2026, 3, 1))  # before the last cycle
    roster = [old, current] if resigned_first else [current, old]
    assert _with_warnings(WANDEE, roster, as_of=date(2026, 10, 1))[0].person is current


def test_a_later_dated_row_wins_even_when_it_says_the_person_left() -> None:
    earlier = wandee(3, "ปกติ", status_date=date(2023, 10, 1))
    later = wandee(4, "ลาออก", status_date=date(2026, 3, 31))
    m, warnings = _with_warnings(WANDEE, [earlier, later])
    assert m.person is later and "วันที่ในแถวนั้นล่าสุด" in warnings[0].th


def test_a_date_written_in_the_note_orders_the_rows() -> None:
    old = wandee(3, "ย้าย", status_date=date(2024, 6, 1))
    back = wandee(4, "ปกติ", note="รับโอนกลับ 1 ก.ค. 2568")
    m, _ = _with_warnings(WANDEE, [back, old])
    assert m.person is back


def test_rows_that_all_say_the_person_left_use_the_latest() -> None:
    moved = wandee(3, "ย้าย")
    resigned = wandee(4, "ลาออก", status_date=date(2026, 1, 15))
    m, warnings = _with_warnings(WANDEE, [moved, resigned])
    assert m.person is resigned and "ทุกแถวระบุว่าออกไปแล้ว" in warnings[0].th


def test_rows_differing_only_by_birth_date_are_not_a_copy() -> None:
    # LA105 reads the birth date: which row is current decides whether she has retired
    copied = _with_warnings(WANDEE, [wandee(3, birth_date=date(1966, 5, 1)),
                                     wandee(4, birth_date=date(1966, 5, 1))])[0]
    assert copied.person is not None and copied.person.row == 3
    m, _ = _with_warnings(WANDEE, [wandee(3, birth_date=date(1966, 5, 1)),
                                   wandee(4, birth_date=date(1976, 5, 1))])
    assert m.method == "national_id" and m.person is None and m.same_id_rows == (3, 4)


def test_two_current_rows_that_differ_wait_for_confirmation_never_unmatched() -> None:
    procurement = wandee(3, "ปกติ")
    cash = wandee(4, "ปกติ", position="เจ้าพนักงานการเงินและบัญชี")
    m, warnings = _with_warnings(WANDEE, [procurement, cash])
    assert m.method == "national_id" and m.person is None  # on the roster; row unknown
    assert [c.roster_row for c in m.candidates] == [3, 4] and m.same_id_rows == (3, 4)
    assert "ระบุแถวที่เป็นปัจจุบัน" in m.confirm_reason
    assert "wandee.k" in warnings[0].th and "บอกไม่ได้ว่าแถวใดเป็นปัจจุบัน" in warnings[0].th
    assert "which is current cannot be told" in warnings[0].en


def test_an_account_without_an_id_matches_repeated_rows_by_name() -> None:
    m, warnings = _with_warnings(account("wandee.k", "นางวันดี  กลับมา"), [wandee(3), wandee(4)])
    assert (m.method, m.person and m.person.row) == ("name", 3)
    assert len(warnings) == 1


def test_a_maiden_name_row_and_a_married_name_row_are_one_person() -> None:
    maiden = person(3, "นางสาววันดี ศรีงาม", national_id=ID_W, status="ย้าย",
                    position="เจ้าพนักงานพัสดุ")
    married = wandee(4, "ปกติ")
    m, _ = _with_warnings(account("wandee.s", "นางสาววันดี ศรีงาม"), [maiden, married])
    assert (m.method, m.person) == ("name", married)


def test_a_clean_roster_never_loads_the_policy_nor_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object) -> None:
        raise AssertionError("the policy is only needed for repeated IDs")

    monkeypatch.setattr(matching, "load_policy", boom)
    m, warnings = _with_warnings(account("somsri", "นางสาวสมศรี ใจดี"), ROSTER)
    assert m.person is ROSTER[0] and m.same_id_rows == () and warnings == []


def test_two_accounts_of_the_person_warn_once_naming_both() -> None:
    roster = [wandee(3), wandee(4, position="เจ้าพนักงานการเงินและบัญชี")]
    warnings: list[InputWarning] = []
    accounts = [WANDEE, account(ID_W, "นางวันดี กลับมา")]
    matches = match_accounts(accounts, roster, warnings=warnings)
    assert all(m.same_id_rows == (3, 4) for m in matches.values())
    assert len(warnings) == 1 and f"wandee.k, {ID_W}" in warnings[0].en


def test_confirmed_answers_on_repeated_rows() -> None:
    roster = [wandee(3, "ย้าย"), wandee(4, "ปกติ")]
    by_id = one(account("w", "ว"), roster, confirmed={"w": ID_W})
    assert (by_id.method, by_id.person, by_id.confirm_reason) == ("confirmed", roster[1], "")
    by_row = one(account("w", "ว"), roster, confirmed={"w": "แถว 3"})
    assert (by_row.method, by_row.person) == ("confirmed", roster[0])  # the human's very row


def test_a_confirmed_id_on_rows_that_cannot_be_told_apart_asks_for_the_row() -> None:
    roster = [wandee(3), wandee(4, position="เจ้าพนักงานการเงินและบัญชี")]
    warnings: list[InputWarning] = []
    m = one(WANDEE, roster, confirmed={"wandee.k": ID_W}, warnings=warnings)
    assert (m.method, m.person, m.same_id_rows) == ("national_id", None, (3, 4))
    assert any("give the current row" in w.en and "แถว 3, 4" in w.th for w in warnings)


# -- confirmed answers ------------------------------------------------------------------------


def test_confirmed_id_overrides_an_automatic_match() -> None:
    acc = account("somsri", "นางสาวสมศรี ใจดี")
    assert one(acc, ROSTER).person is ROSTER[0]
    m = one(acc, ROSTER, confirmed={"SomSri": ID_B})
    assert (m.method, m.score, m.person) == ("confirmed", 100.0, ROSTER[2])


@pytest.mark.parametrize(
    ("answer", "row"),
    [("ว่าที่ ร.ต. อนุชา แก้วมณี", 8), ("row:6", 6), ("แถว 7", 7), (ID_A.translate(THAI_DIGITS), 5)],
)
def test_confirmed_by_name_row_or_id(answer: str, row: int) -> None:
    m = one(account("x1", "บัญชีกลาง"), ROSTER, confirmed={"x1": answer})
    assert m.method == "confirmed" and m.person is not None and m.person.row == row


@pytest.mark.parametrize("answer", ["-", "ไม่มี", "None", " ไม่มี\u00a0"])
def test_confirmed_no_person(answer: str) -> None:
    m = one(account("somsri", "นางสาวสมศรี ใจดี"), ROSTER, confirmed={"somsri": answer})
    assert (m.method, m.person, m.candidates) == ("confirmed", None, [])


def test_confirmed_answer_naming_nobody_is_unmatched_with_a_warning() -> None:
    warnings: list[InputWarning] = []
    m = one(
        account("somsri", "นางสาวสมศรี ใจดี"),
        ROSTER,
        confirmed={"somsri": "นายไม่มีตัว ในทะเบียน"},
        warnings=warnings,
        confirmed_source="matches.csv",
    )
    assert (m.method, m.person) == ("none", None)
    assert len(warnings) == 1 and "somsri" in warnings[0].en
    assert warnings[0].location.file == "matches.csv" and "ไม่พบ" in warnings[0].th


def test_confirmed_name_fitting_two_people_lists_them() -> None:
    roster = [person(3, "นายสมชาย ใจดี"), person(9, "นายสมชาย ใจดี")]
    warnings: list[InputWarning] = []
    m = one(account("s", "ส"), roster, confirmed={"s": "สมชาย ใจดี"}, warnings=warnings)
    assert m.method == "none" and [c.roster_row for c in m.candidates] == [3, 9]
    assert "2" in warnings[0].en


def test_confirmed_answer_for_an_unknown_account_warns() -> None:
    warnings: list[InputWarning] = []
    match_accounts([account("a1", "นางมาลี ศรีสุข")], ROSTER, confirmed={"ghost": "-"},
                   warnings=warnings)
    assert len(warnings) == 1 and "ghost" in warnings[0].en


# -- thresholds -------------------------------------------------------------------------------


@dataclass
class _Thresholds:
    fuzzy_match_threshold: float = 99.0
    fuzzy_margin: float = 5.0


@dataclass
class _Policy:
    thresholds: object = field(default_factory=_Thresholds)


TYPO = account("kanok", "นางสาวกนกวรรณ พรหมสุวรรน")
TYPO_ROSTER = [person(20, "นางสาวกนกวรรณ พรหมสุวรรณ")]


def test_policy_threshold_is_read_from_an_object_or_a_dict() -> None:
    assert one(TYPO, TYPO_ROSTER).method == "fuzzy"
    assert one(TYPO, TYPO_ROSTER, policy=_Policy()).method == "none"
    assert one(TYPO, TYPO_ROSTER, policy=_Policy({"fuzzy_match_threshold": 99})).method == "none"


def test_keyword_threshold_beats_the_policy() -> None:
    assert one(TYPO, TYPO_ROSTER, policy=_Policy(), threshold=80.0).method == "fuzzy"


def test_margin_decides_between_two_candidates() -> None:
    roster = [person(3, "นายธนพล อินทร์แก้ว"), person(4, "นายธนพร อินทร์แก้วใส")]
    acc = account("t", "นายธนพน อินทร์แก้ว")
    assert one(acc, roster, threshold=80.0, margin=0.5).person is roster[0]
    assert one(acc, roster, threshold=80.0, margin=50.0).method == "none"


def test_the_shipped_policy_thresholds_are_used() -> None:
    policy = load_policy()
    th = policy.thresholds
    assert matching._thresholds(policy, None, None) == (
        float(th.fuzzy_match_threshold),
        float(th.fuzzy_margin),
    )
    assert one(TYPO, TYPO_ROSTER, policy=policy).method == "fuzzy"


@pytest.mark.parametrize(
    "text",
    [
        "นางสาวสมศรี ใจดี", "ว่าที่ ร.ต.อนุชา แก้วมณี", "นางนวล ใจดี", "ดร.นางมาลี ศรี สุข", "สมชาย", "",
        # Where folding works across the join of first name and surname: a surname starting
        # with SARA AA after a NIKHAHIT (SARA AM typed in two keys), SARA E twice, a tone mark.
        "นายสมนํ าใจ", "นายวิเชียร เเก้วใส", "นางสาวกิ่ง ่แก้ว", "นายเอก ณ ระนอง", "Mr.John Smith",
    ],
)
def test_cached_keys_agree_with_the_names_module(text: str) -> None:
    keys = name_keys(text)
    assert keys.key == name_key(text)
    first, _, last = text.partition(" ")
    assert name_keys(f"{first} {last}").key == name_key_parts(first, last)


_NAME_CHARS = st.sampled_from(
    [chr(c) for c in range(0x0E01, 0x0E5C)] + list("aZ9 .") + ["\u200b", "\u00a0", "\u0301"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(_NAME_CHARS, max_size=8), st.text(_NAME_CHARS, max_size=8))
def test_whole_name_key_is_the_fold_of_first_and_surname_together(first: str, last: str) -> None:
    # name_keys joins the two folds when the surname starts with a letter: never a change.
    parts = split_name(f"{first} {last}")
    assert name_keys(f"{first} {last}").key == fold(parts.first + parts.last)


# -- speed: exact methods never reach rapidfuzz ----------------------------------------------


def test_fuzzy_search_runs_only_for_leftovers(monkeypatch: pytest.MonkeyPatch) -> None:
    first = ["สมชาย", "สมศรี", "ประเสริฐ", "วิภาวรรณ", "อนุชา", "มาลี", "ชาตรี", "กนกวรรณ"]
    last = ["ใจดี", "ทองคำ", "แก้วมณี", "ศรีสุข", "บุญมา", "รักษ์ไทย", "อินทร์แก้ว", "พรหมมา"]
    people = [
        person(i + 2, f"นาย{f}{n} {s}")
        for i, (f, s, n) in enumerate(
            (f, s, n) for n in ("", "ชัย", "พงษ์", "ศักดิ์") for f in first for s in last
        )
    ]
    accounts = [account(f"u{i}", p.full_name) for i, p in enumerate(people)]
    accounts.append(account("typo", people[0].full_name + "ย"))
    calls: list[str] = []
    real = matching.process.extract

    def counting(query: str, *args: object, **kw: object) -> object:
        calls.append(query)
        return real(query, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(matching.process, "extract", counting)
    matches = match_accounts(accounts, people)
    assert sum(m.method == "name" for m in matches.values()) == len(people)
    assert calls == [account_key(accounts[-1])]


# -- property: invisible characters and prefixes never change the match ----------------------

ZERO_WIDTH = st.sampled_from(["\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad"])
SPACES = st.sampled_from([" ", "  ", "\u00a0", " \u00a0", "\u3000"])
PREFIXES = st.sampled_from(
    ["", "นางสาว", "นส.", "น.ส.", "น.ส. ", "นาง", "นาย", "ดร.", "ว่าที่ ร.ต.", "ว่าที่ร้อยตรี"]
)
NOBODY = "นางมาลี ศรีสุขใจ"
NAMES = [p.full_name for p in ROSTER] + [NOBODY, "นายประเสริฐศักด วงศ์สวัสดิ์"]


def _strip_prefix(full: str) -> str:
    for prefix in ("ว่าที่ร้อยตรี", "นางสาว", "นาง", "นาย"):
        if full.startswith(prefix):
            return full[len(prefix):]
    return full


@settings(max_examples=80, deadline=None)
@given(
    name=st.sampled_from(NAMES),
    prefix=PREFIXES,
    zero_width=st.lists(st.tuples(st.integers(0, 40), ZERO_WIDTH), max_size=4),
    gap=SPACES,
    edges=st.tuples(SPACES, SPACES),
)
def test_invisible_characters_and_prefixes_never_change_the_match(
    name: str,
    prefix: str,
    zero_width: list[tuple[int, str]],
    gap: str,
    edges: tuple[str, str],
) -> None:
    base = one(account("p", name), ROSTER)
    text = prefix + _strip_prefix(name).replace(" ", gap)
    for pos, ch in zero_width:  # anywhere, even inside a word or a prefix
        pos = min(pos, len(text))
        text = text[:pos] + ch + text[pos:]
    varied = one(account("p", edges[0] + text + edges[1]), ROSTER)
    assert (varied.method, varied.person, varied.score) == (base.method, base.person, base.score)
    assert (base.method == "none") == (name == NOBODY)  # the property is not vacuous
