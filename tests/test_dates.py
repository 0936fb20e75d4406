"""Date parsing: BE/CE, Thai and English months, numeric forms, Excel serials, sentinels."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laas_audit import dates
from laas_audit.dates import (
    MONTHS_TH_FULL,
    MONTHS_TH_SHORT,
    ParsedDate,
    months_before,
    parse_date,
    parse_date_text,
    retirement_date,
    to_be_short,
    to_be_text,
)

PROPS = settings(max_examples=300, deadline=None)
JUL15 = date(2026, 7, 15)
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
dates_1950_2100 = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "๑๕ ก.ค. ๒๕๖๙",
        "15 กรกฎาคม 2569",
        "15 กรกฏาคม 2569",  # common misspelling ฏ for ฎ
        "15 ก.ค. 2569",
        "15 กค 2569",
        "15 ก. ค. 2569",
        "15ก.ค.69",
        "15 กรกฎา 2569",
        "15-ก.ค.-2569",
        "15/07/2569",
        "15-07-2569",
        "15.07.2569",
        "15/7/2569",
        "15 / 07 / 2569",
        "15/7/69",
        "15/07/26",
        "15/07/2026",
        "2026-07-15",
        "2569-07-15",
        "2026/07/15",
        "2026-07-15T10:15:00",
        "2026-07-15T10:15:00.123+07:00",
        "2026-07-15 00:00:00",
        "15/07/2569 10:15",
        "15/07/2569 10:15:00",
        "15 ก.ค. 2569 เวลา 10:15 น.",
        "15 ก.ค. 2569 เวลา 10.15 น.",
        "15 กรกฎาคม 2569 เวลา 10:15:00 นาฬิกา",
        "15/07/2026 10:15 AM",
        "วันที่ 15 กรกฎาคม 2569",
        "ณ วันที่ 15 กรกฎาคม 2569",
        "ข้อมูล ณ วันที่ 15 ก.ค. 2569",
        "วันพุธที่ 15 กรกฎาคม พ.ศ. 2569",
        "15 กรกฎาคม พ.ศ. ๒๕๖๙",
        "15 ก.ค. พ.ศ.69",
        "15 July 2026",
        "15 Jul 2026",
        "15-Jul-2026",
        "July 15, 2026",
        "Jul 15th 2026",
        "15 JULY 2026",
        "15 Jul 2026 ค.ศ.",
        "  15\u00a0ก.ค.\u200b 2569 ",
        "46218",  # Excel serial as text
        "46218.4375",
    ],
)
def test_forms_of_15_july_2026(text: str) -> None:
    assert parse_date(text) == ParsedDate(JUL15, None)


@pytest.mark.parametrize(("index", "month"), [(i, i + 1) for i in range(12)])
def test_every_thai_month_full_and_short(index: int, month: int) -> None:
    expected = date(2026, month, 1)
    assert parse_date(f"1 {MONTHS_TH_FULL[index]} 2569").value == expected
    assert parse_date(f"1 {MONTHS_TH_SHORT[index]} 2569").value == expected
    assert parse_date(f"1 {MONTHS_TH_SHORT[index].replace('.', '')} 2569").value == expected
    assert parse_date(f"1/{month}/2569").value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 มิ.ย. 2569", date(2026, 6, 1)),
        ("30 พ.ย. 2568", date(2025, 11, 30)),
        ("28 ก.พ. 2567", date(2024, 2, 28)),
        ("29 ก.พ. 2567", date(2024, 2, 29)),  # 2567 BE = 2024, a leap year
        ("28/10/2567", date(2024, 10, 28)),  # pythainlp reads months 10-12 wrongly
        ("1/12/2567", date(2024, 12, 1)),
        ("05/07/2569", date(2026, 7, 5)),  # day-first, always
        ("12/11/2569", date(2026, 11, 12)),
        ("1 Sept 2026", date(2026, 9, 1)),
        ("1 ก.ย. 40", date(1997, 9, 1)),  # 2-digit years >= 40 are BE 25yy
        ("1 ก.ย. 39", date(2039, 9, 1)),  # below 40: CE 20yy
        ("1/9/00", date(2000, 9, 1)),
        ("1 ม.ค. ค.ศ. 69", date(2069, 1, 1)),  # explicit era wins over the 2-digit rule
        ("1 ม.ค. พ.ศ. 39", date(1996, 1, 1)),
    ],
)
def test_specific_dates(text: str, expected: date) -> None:
    assert parse_date(text) == ParsedDate(expected, None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2569", "impossible date"),
        ("29 ก.พ. 2569", "impossible date"),  # 2569 BE = 2026, not a leap year
        ("31 เม.ย. 2569", "impossible date"),
        ("15/13/2569", "month 13"),
        ("00/07/2569", "impossible date"),
        ("15 ก.ค.", "not a recognised date"),  # no year
        ("15 ฟักทอง 2569", "not a recognised date"),
        ("เจ้าหน้าที่การเงิน", "not a recognised date"),
        ("2569", "not a recognised date"),
        ("15/07/1234", "year out of range"),
    ],
)
def test_problems_are_explained(text: str, reason: str) -> None:
    parsed = parse_date(text)
    assert parsed.value is None
    assert parsed.problem is not None and reason in parsed.problem
    assert text.split()[0] in parsed.problem  # the message quotes what was read


class _Unreadable:
    """A cell object whose text cannot be taken (the parser's last-resort reason)."""

    def __str__(self) -> str:
        raise ValueError("no text")

    def __repr__(self) -> str:
        return "<เซลล์>"


@pytest.mark.parametrize(
    ("value", "en", "th"),
    [
        ("31/02/2569", "February 2569 BE has no day 31", "เดือนกุมภาพันธ์ พ.ศ. 2569 ไม่มีวันที่ 31"),
        ("29 ก.พ. 2026", "February 2026 has no day 29", "เดือนกุมภาพันธ์ ค.ศ. 2026 ไม่มีวันที่ 29"),
        ("15/13/2569", "month 13 does not exist", "วันที่ '15/13/2569' เป็นไปไม่ได้: ไม่มีเดือนที่ 13"),
        ("15 ฟักทอง 2569", "not a recognised date", "อ่านเป็นวันที่ไม่ได้: '15 ฟักทอง 2569'"),
        ("15/07/1234", "year out of range", "ปีใน '15/07/1234' อยู่นอกช่วงที่รับได้: ค.ศ. 1234"),
        (datetime(1700, 1, 2, 9, 15), "1700 CE", "อยู่นอกช่วงที่รับได้: ค.ศ. 1700"),
        (2569, "number 2569 is not a date", "ตัวเลข 2569 ไม่ใช่วันที่ (รับเลขวันที่ของ Excel"),
        (True, "not a date: True", "ไม่ใช่วันที่: True"),
        (time(10, 15), "a time without a date", "มีแต่เวลา ไม่มีวันที่: 10:15:00"),
        (_Unreadable(), "not a recognised date", "อ่านเป็นวันที่ไม่ได้: <เซลล์> (ValueError)"),
    ],
)
def test_every_problem_has_its_reason_in_thai_too(value: object, en: str, th: str) -> None:
    parsed = parse_date(value)
    assert parsed.value is None
    assert parsed.problem is not None and en in parsed.problem
    assert parsed.problem_th is not None and th in parsed.problem_th
    # The Thai reason has no English words of its own (the value it quotes aside).
    unquoted = re.sub(r"'[^']*'", "", parsed.problem_th)
    assert not re.findall(r"\b[a-z]{2,}\b", unquoted), parsed.problem_th


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "-",
        "—",
        "ไม่ระบุ",
        "ไม่เคย",
        "ยังไม่เข้าใช้งาน",
        "0",
        0,
        0.0,
        1,
        "0000-00-00",
        "00/01/1900",
        "30/11/2542",
        "1999-11-30",
        "1899-12-30",
        date(1899, 12, 30),
        datetime(1899, 12, 30),
        datetime(1900, 1, 1),
        datetime(2542, 11, 30),  # 30/11/1999 typed with a BE year
        "วันที่ -",
    ],
)
def test_sentinels_mean_no_date(value: object) -> None:
    assert parse_date(value) == ParsedDate(None, None)


def test_sentinel_list_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "SENTINEL_DATES", {*dates.SENTINEL_DATES, date(2000, 1, 1)})
    assert parse_date("1/1/2543") == ParsedDate(None, None)
    monkeypatch.undo()
    assert parse_date("1/1/2543").value == date(2000, 1, 1)


def test_times_of_one_day_share_a_result_but_problems_keep_their_cell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Login times make every cell distinct; the day is what is parsed (and remembered).
    assert parse_date(datetime(2569, 9, 12, 8, 30)) == ParsedDate(date(2026, 9, 12), None)
    assert parse_date(datetime(2569, 9, 12, 15, 1, 2)) == ParsedDate(date(2026, 9, 12), None)
    assert parse_date("๑๒ ก.ย. ๒๕๖๙ เวลา ๐๘:๓๐ น.") == ParsedDate(date(2026, 9, 12), None)
    assert parse_date("๑๒ ก.ย. ๒๕๖๙ เวลา ๑๑:๕๐ น.") == ParsedDate(date(2026, 9, 12), None)
    # A problem names the cell as written, time included, each time.
    early = parse_date(datetime(1700, 1, 2, 9, 15))
    assert early.value is None and early.problem and "09:15" in early.problem
    late = parse_date("30 ก.พ. 2569 เวลา 10:00 น.")
    assert late.value is None and late.problem and "10:00" in late.problem
    # Changing a sentinel empties the remembered days too.
    monkeypatch.setattr(dates, "SENTINEL_DATES", {*dates.SENTINEL_DATES, date(2026, 9, 12)})
    assert parse_date(datetime(2569, 9, 12, 8, 30)) == ParsedDate(None, None)
    assert parse_date("๑๒ ก.ย. ๒๕๖๙ เวลา ๐๘:๓๐ น.") == ParsedDate(None, None)


class TestObjects:
    def test_datetime_with_be_year(self) -> None:
        assert parse_date(datetime(2569, 7, 15, 10, 15)) == ParsedDate(JUL15, None)
        assert parse_date(date(2569, 7, 15)) == ParsedDate(JUL15, None)

    def test_datetime_with_ce_year(self) -> None:
        assert parse_date(datetime(2026, 7, 15)) == ParsedDate(JUL15, None)

    def test_be_date_object_that_does_not_exist_in_ce(self) -> None:
        parsed = parse_date(date(2568, 2, 29))  # 2568 BE = 2025: no 29 February
        assert parsed.value is None and parsed.problem and "impossible" in parsed.problem

    @pytest.mark.parametrize("serial", [46218, 46218.0, 46218.75, Decimal("46218")])
    def test_excel_serials(self, serial: object) -> None:
        assert parse_date(serial) == ParsedDate(JUL15, None)

    @pytest.mark.parametrize("number", [5, 2569, 1234567890123, -3, 10**400])
    def test_implausible_numbers(self, number: int) -> None:
        parsed = parse_date(number)
        assert parsed.value is None and parsed.problem and "not a date" in parsed.problem

    def test_number_too_big_to_print(self) -> None:
        parsed = parse_date(10**5000)  # repr() itself raises for this
        assert parsed.value is None and parsed.problem == "number <int> is not a date " + (
            "(Excel serials 1950-2100 are accepted)"
        )

    def test_bool_and_time_are_problems(self) -> None:
        assert parse_date(True).problem == "not a date: True"
        problem = parse_date(time(10, 15)).problem
        assert problem is not None and "time without a date" in problem

    def test_pandas_values(self) -> None:
        pd = pytest.importorskip("pandas")
        np = pytest.importorskip("numpy")
        assert parse_date(pd.NaT) == ParsedDate(None, None)
        assert parse_date(pd.NA) == ParsedDate(None, None)
        assert parse_date(np.nan) == ParsedDate(None, None)
        assert parse_date(float("nan")) == ParsedDate(None, None)
        assert parse_date(pd.Timestamp("2026-07-15 10:15")) == ParsedDate(JUL15, None)
        assert parse_date(np.int64(46218)) == ParsedDate(JUL15, None)
        assert parse_date(np.datetime64("2026-07-15")) == ParsedDate(JUL15, None)


def test_output_forms() -> None:
    assert to_be_text(JUL15) == "15 กรกฎาคม 2569"
    assert to_be_short(JUL15) == "15 ก.ค. 2569"
    assert to_be_short(date(2025, 1, 1)) == "1 ม.ค. 2568"


@pytest.mark.parametrize(
    ("as_of", "months", "expected"),
    [
        (date(2026, 10, 1), 6, date(2026, 4, 1)),  # 1 ต.ค. 2569 -> 1 เม.ย. 2569 (183 days)
        (date(2026, 8, 31), 6, date(2026, 2, 28)),  # no 31 Feb: the month's last day
        (date(2028, 8, 31), 6, date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 31), 6, date(2025, 9, 30)),  # across the year, into a 30-day month
        (date(2026, 1, 15), 1, date(2025, 12, 15)),
        (date(2026, 6, 30), 12, date(2025, 6, 30)),
    ],
)
def test_months_before_counts_calendar_months(as_of: date, months: int, expected: date) -> None:
    assert months_before(as_of, months) == expected


@PROPS
@given(dates_1950_2100, st.integers(min_value=1, max_value=24))
def test_months_before_keeps_the_day_or_takes_the_months_last(d: date, months: int) -> None:
    earlier = months_before(d, months)
    assert earlier.year * 12 + earlier.month + months == d.year * 12 + d.month
    month_ends = (earlier + timedelta(days=1)).month != earlier.month
    assert earlier.day == d.day or (earlier.day < d.day and month_ends)


@pytest.mark.parametrize(
    ("birth", "retires"),
    [
        # 60 years are complete the day before the 60th birthday (age counts the birth day)
        (date(1966, 10, 1), date(2026, 9, 30)),  # 1 ต.ค. 2509: completes 30 ก.ย. 2569
        (date(1966, 10, 2), date(2027, 9, 30)),  # 2 ต.ค. 2509: completes 1 ต.ค. 2569
        (date(1966, 9, 30), date(2026, 9, 30)),  # completes 29 ก.ย. 2569
        (date(1967, 1, 1), date(2027, 9, 30)),  # completes 31 ธ.ค. 2569, fiscal year 2570
        (date(1964, 2, 29), date(2024, 9, 30)),  # a leap birthday in a leap year
        (date(1964, 3, 1), date(2024, 9, 30)),
        (date(2040, 2, 29), date(2100, 9, 30)),  # 2100 has no 29 Feb: birthday 1 Mar
    ],
)
def test_retirement_is_the_fiscal_year_end_after_60_years_are_complete(
    birth: date, retires: date
) -> None:
    assert retirement_date(birth) == retires


def test_retirement_age_and_fiscal_year_end_are_parameters() -> None:
    assert retirement_date(date(1966, 10, 2), 61) == date(2028, 9, 30)
    assert retirement_date(date(1966, 6, 15), 60, (12, 31)) == date(2026, 12, 31)
    assert retirement_date(date(1967, 1, 1), 60, (12, 31)) == date(2026, 12, 31)


@PROPS
@given(dates_1950_2100, st.integers(min_value=40, max_value=100))
def test_retirement_falls_on_the_first_fiscal_year_end_once_the_age_is_complete(
    birth: date, age: int
) -> None:
    retires = retirement_date(birth, age)
    assert (retires.month, retires.day) == (9, 30)
    # the age is complete by then (the day before the birthday, 1 Mar for a 29 Feb birth) ...
    year = birth.year + age
    birthday = date(year, 3, 1) if (birth.month, birth.day) == (2, 29) and not (
        year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else birth.replace(year=year)
    assert birthday - timedelta(days=1) <= retires
    # ... and not yet one fiscal year earlier
    assert birthday - timedelta(days=1) > date(retires.year - 1, 9, 30)


@PROPS
@given(dates_1950_2100, dates_1950_2100)
def test_retirement_never_comes_earlier_for_someone_born_later(a: date, b: date) -> None:
    early, late = sorted((a, b))
    assert retirement_date(early) <= retirement_date(late)


def test_parse_date_text_is_the_text_path() -> None:
    assert parse_date_text("15 ก.ค. 2569") == parse_date("15 ก.ค. 2569")


class TestProperties:
    @PROPS
    @given(dates_1950_2100)
    def test_round_trips_report_forms(self, d: date) -> None:
        be = d.year + 543
        forms = [
            to_be_text(d),
            to_be_short(d),
            to_be_text(d).translate(THAI_DIGITS),
            f"{d.day:02d}/{d.month:02d}/{be}",
            f"{d.day}/{d.month}/{be}",
            f"{d.day}-{d.month}-{be}",
            f"{d.day:02d}.{d.month:02d}.{be}",
            d.isoformat(),
            f"{be}-{d.month:02d}-{d.day:02d}",
            f"{to_be_text(d)} เวลา 23:59 น.",
        ]
        for text in forms:
            if d in dates.SENTINEL_DATES:
                assert parse_date(text) == ParsedDate(None, None), text
            else:
                assert parse_date(text) == ParsedDate(d, None), text

    @PROPS
    @given(dates_1950_2100)
    def test_round_trips_serials_and_objects(self, d: date) -> None:
        expected = ParsedDate(None, None) if d in dates.SENTINEL_DATES else ParsedDate(d, None)
        serial = (d - date(1899, 12, 30)).days
        assert parse_date(serial) == expected
        assert parse_date(datetime(d.year, d.month, d.day, 8, 30)) == expected
        try:
            be_obj = date(d.year + 543, d.month, d.day)
        except ValueError:  # 29 Feb of a CE leap year: the BE year number is not leap
            return
        assert parse_date(be_obj) == expected

    @PROPS
    @given(
        st.one_of(
            st.text(max_size=40),
            st.text(st.sampled_from("0123456789๐๑๒๓๔๕๖๗๘๙/-.: กคพยมษนฎฏาิีพ.ศ"), max_size=25),
            st.integers(),
            st.floats(allow_nan=True, allow_infinity=True),
            st.decimals(allow_nan=True),
            st.datetimes(),
            st.dates(),
            st.times(),
            st.booleans(),
            st.none(),
            st.lists(st.integers(), max_size=2),
        )
    )
    def test_never_raises(self, value: object) -> None:
        parsed = parse_date(value)
        assert isinstance(parsed, ParsedDate)
        assert parsed.value is None or isinstance(parsed.value, date)
        assert parsed.value is None or parsed.problem is None
        assert (parsed.problem is None) == (parsed.problem_th is None)  # both languages or none
