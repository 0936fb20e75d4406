"""Dates as Thai exports and rosters write them: BE/CE years, Thai months, Excel serials.

`parse_date` takes any raw cell and never raises: it returns a `ParsedDate` whose `problem`
(English) and `problem_th` (Thai) say why a date-looking value could not be used. Readers turn
problems into `InputWarning`s with the cell's location, each language in its own half.

Rules (documented here because they are choices):
- Numeric forms are always day-first ("05/07/2569" is 5 July).
- A 4-digit year above 2400 is Buddhist Era (BE = CE + 543); otherwise CE. "พ.ศ."/"ค.ศ." in
  the text force the era.
- A 2-digit year is BE 25yy when >= 40 ("15/7/69" -> 2569 -> 2026), CE 20yy when < 40
  ("15/7/26" -> 2026). Government documents abbreviate BE years (60-79 today); a CE 2-digit
  year from an English-locale Excel is 00-39 for this century. The two ranges do not overlap
  for dates between 1997 and 2039.
- Excel serial numbers (1900 date system) are accepted between `SERIAL_MIN` and `SERIAL_MAX`
  (1950-2100), as numbers or as numeric text of 5 digits.
- `SENTINEL_DATES` / `SENTINEL_TEXTS` mean "no date" (value None, problem None). They are
  module constants so a caller (policy) can extend them.

pythainlp's `thai_strptime` is not used: it fails on numeric months and Thai digits.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from laas_audit.memo import remember
from laas_audit.thai import fold, normalise_text

__all__ = [
    "MONTHS_TH_FULL",
    "MONTHS_TH_SHORT",
    "SENTINEL_DATES",
    "SENTINEL_TEXTS",
    "ParsedDate",
    "months_before",
    "parse_date",
    "parse_date_text",
    "retirement_date",
    "to_be_short",
    "to_be_text",
]

BE_OFFSET = 543
BE_YEAR_THRESHOLD = 2400  # a 4-digit year above this is BE
TWO_DIGIT_BE_FROM = 40  # 2-digit years >= this are BE 25yy, below are CE 20yy
MIN_CE_YEAR = 1800  # earlier (after BE conversion) is reported as implausible
MAX_CE_YEAR = 2300

EXCEL_EPOCH = date(1899, 12, 30)  # serial 0 as Excel's 1900 system (with its 1900 leap bug)
SERIAL_MIN = 18264  # 1950-01-01
SERIAL_MAX = 73415  # 2100-12-31

# "No date" placeholders written by systems and people. Configurable: extend these sets.
SENTINEL_DATES: set[date] = {
    date(1899, 12, 30),  # Excel serial 0 read through pandas/openpyxl
    date(1899, 12, 31),  # Excel's "1900-01-00"
    date(1900, 1, 1),  # Excel serial 1, a common "unset" default
    date(1999, 11, 30),  # 30/11/2542: a zero date (0000-00-00) rendered by some systems
}
SENTINEL_TEXTS: set[str] = {
    fold(t)
    for t in (
        "-", "--", "---", "—", "–", "0", "0000-00-00", "00/00/0000", "00/00/00",
        "ไม่ระบุ", "ไม่มี", "ไม่เคย", "ไม่เคยเข้าใช้งาน", "ยังไม่เข้าใช้งาน", "ยังไม่เคยเข้าใช้งาน",
        "ยังไม่เคยเข้าสู่ระบบ", "ไม่เคยเข้าสู่ระบบ", "never", "n/a", "na", "null", "none",
    )
}

MONTHS_TH_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_TH_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
_MONTHS_TH_COLLOQUIAL = (
    "มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา",
    "กรกฎา", "สิงหา", "กันยา", "ตุลา", "พฤศจิกา", "ธันวา",
)
_MONTHS_EN = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)


def _month_lookup() -> dict[str, int]:
    """Folded month spelling -> month number (full, abbreviated, colloquial, English)."""
    table: dict[str, int] = {}
    for i in range(12):
        for name in (MONTHS_TH_FULL[i], MONTHS_TH_SHORT[i], _MONTHS_TH_COLLOQUIAL[i]):
            table[fold(name)] = i + 1
        table[_MONTHS_EN[i]] = i + 1
        table[_MONTHS_EN[i][:3]] = i + 1
    table["sept"] = 9
    # Common misspellings: ฏ for ฎ in กรกฎาคม; กุมภาพันธ without the karan.
    table[fold("กรกฏาคม")] = 7
    table[fold("กรกฏา")] = 7
    table[fold("กุมภาพันธ")] = 2
    return table


_MONTHS = _month_lookup()


@dataclass(frozen=True)
class ParsedDate:
    """A parsed cell: `value` when usable; `problem` / `problem_th` when it looked wrong.

    The value and the problems all None means an empty cell or a "no date" sentinel.
    """

    value: date | None
    problem: str | None = None  # English
    problem_th: str | None = None  # the same reason in Thai


def _bad(en: str, th: str) -> ParsedDate:
    """Return an unusable date with its reason in English and in Thai."""
    return ParsedDate(None, en, th)


def _unrecognised(shown: str) -> ParsedDate:
    return _bad(f"not a recognised date: {shown}", f"อ่านเป็นวันที่ไม่ได้: {shown}")


_EMPTY = ParsedDate(None, None)

# Leading words: "ข้อมูล ณ วันที่", "ณ วันที่", "วันที่", "วันพุธที่", "date:".
_PREFIX_RE = re.compile(
    r"^(?:ข้อมูล\s*)?(?:ณ\s*)?"
    r"(?:วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?\s*ที่|date\s*:?|as\s+of)"
    r"\s*:?\s*",
    re.IGNORECASE,
)
# Trailing time: " 10:15", " 10.15 น.", "T10:15:00Z", " เวลา 10:15:00 นาฬิกา", " 10:15 AM".
_TIME_RE = re.compile(
    r"(?<=\S)(?:\s*เวลา\s*|\s+|T)"
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?"
    r"\s*(?:น\.?|นาฬิกา|[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
# Era markers; the Latin ones only as whole words ("be" is inside "September").
_ERA_BE_RE = re.compile(
    r"\s*(?:พ\s*\.\s*ศ\s*\.?|(?<![A-Za-z])B\.?E\.?(?![A-Za-z]))\s*", re.IGNORECASE
)
_ERA_CE_RE = re.compile(
    r"\s*(?:ค\s*\.\s*ศ\s*\.?|(?<![A-Za-z])(?:A\.?D|C\.?E)\.?(?![A-Za-z]))\s*", re.IGNORECASE
)

_YMD_RE = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_DMY_RE = re.compile(r"^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})$")
_D_MONTH_Y_RE = re.compile(r"^(\d{1,2})[\s\-/,]*([^\d\s\-/,][^\d]*?)[\s\-/,]*(\d{4}|\d{2})$")
_MONTH_D_Y_RE = re.compile(r"^([A-Za-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})$")
_SERIAL_TEXT_RE = re.compile(r"^\d{1,5}(?:\.\d+)?$")
_MONTH_JUNK_RE = re.compile(r"[\s.,\-/]+")


def parse_date(value: object) -> ParsedDate:
    """Parse any raw cell (date, datetime, Excel serial, or text) into a `ParsedDate`.

    Never raises. Datetimes with a year above 2400 are BE (543 is subtracted). Numbers are
    Excel serials (1900 system) when between 1950 and 2100; 0 is a sentinel.
    """
    memo = _MEMOS.get(type(value))  # exact types: True == 1 and 1 == 1.0 parse differently
    if memo is None:
        return _parse_guarded(value)
    _check_settings()
    parsed = memo.get(value)
    if parsed is None and type(value) is datetime:
        day = (value.year, value.month, value.day)
        parsed = _DAY_MEMO.get(day)
        return parsed if parsed is not None else _remember(_DAY_MEMO, day, _parse_guarded(value))
    if parsed is None:
        parsed = _parse_guarded(value)
        if not isinstance(value, str) or len(value) <= 100:
            remember(memo, value, parsed)
    return parsed


def _parse_guarded(value: object) -> ParsedDate:
    try:
        return _parse_any(value)
    except (ValueError, OverflowError, TypeError, ArithmeticError) as exc:
        return _unrecognised(f"{_show(value)} ({type(exc).__name__})")


def _parse_any(value: object) -> ParsedDate:
    if value is None:
        return _EMPTY
    if isinstance(value, str):
        return parse_date_text(value)
    if isinstance(value, bool):
        return _bad(f"not a date: {value}", f"ไม่ใช่วันที่: {value}")
    if isinstance(value, datetime):
        if value != value:  # pandas NaT
            return _EMPTY
        return _checked(value.year, value.month, value.day, str(value))
    if isinstance(value, date):
        return _checked(value.year, value.month, value.day, str(value))
    if isinstance(value, time):
        shown = value.isoformat()
        return _bad(f"a time without a date: {shown}", f"มีแต่เวลา ไม่มีวันที่: {shown}")
    if isinstance(value, int | float | Decimal):
        # Huge ints overflow float(); they are no serial anyway.
        number = float(value) if not isinstance(value, int) or abs(value) < 10**9 else math.inf
        return _from_serial(number, _show(value))
    try:
        if value != value:  # numpy/pandas NaN-likes
            return _EMPTY
    except (TypeError, ValueError):  # pandas NA refuses bool()
        return _EMPTY
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        return _parse_any(item())
    return parse_date_text(str(value))


def _show(value: object) -> str:
    """Quote a value for a problem message, shortened; never raises."""
    try:
        text = repr(value) if not isinstance(value, str) else f"'{value}'"
    except Exception:  # a huge int's repr exceeds the digit limit; odd objects may raise
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def _from_serial(number: float, shown: str) -> ParsedDate:
    """Convert an Excel serial (1900 date system); the fraction, a time of day, is dropped."""
    if math.isnan(number):
        return _EMPTY
    if number in (0.0, 1.0):  # 1900-01-00 and 1900-01-01: "no date"
        return _EMPTY
    if not SERIAL_MIN <= number <= SERIAL_MAX:
        return _bad(
            f"number {shown} is not a date (Excel serials 1950-2100 are accepted)",
            f"ตัวเลข {shown} ไม่ใช่วันที่ (รับเลขวันที่ของ Excel ช่วง ค.ศ. 1950-2100)",
        )
    return _checked_date(EXCEL_EPOCH + timedelta(days=int(number)), shown)


def _checked_date(d: date, shown: str) -> ParsedDate:
    if d in SENTINEL_DATES:
        return _EMPTY
    if not MIN_CE_YEAR <= d.year <= MAX_CE_YEAR:
        return _year_out_of_range(shown, d.year)
    return ParsedDate(d, None)


def _year_out_of_range(shown: str, ce_year: int) -> ParsedDate:
    return _bad(
        f"year out of range in {shown}: {ce_year} CE",
        f"ปีใน {shown} อยู่นอกช่วงที่รับได้: ค.ศ. {ce_year}",
    )


def _checked(year: int, month: int, day: int, shown: str, *, be: bool | None = None) -> ParsedDate:
    """Build a date from CE or BE parts (`be` None: decide by the year), or explain why not."""
    if be is None:
        be = year > BE_YEAR_THRESHOLD
    ce_year = year - BE_OFFSET if be else year
    if ce_year == 1900 and month == 1 and day == 0:  # Excel's "00/01/1900"
        return _EMPTY
    if not 1 <= month <= 12:
        return _bad(
            f"impossible date {shown}: month {month} does not exist",
            f"วันที่ {shown} เป็นไปไม่ได้: ไม่มีเดือนที่ {month}",
        )
    if not MIN_CE_YEAR <= ce_year <= MAX_CE_YEAR:
        return _year_out_of_range(shown, ce_year)
    try:
        d = date(ce_year, month, day)
    except ValueError:
        era_en, era_th = (f"{year} BE", f"พ.ศ. {year}") if be else (f"{year}", f"ค.ศ. {year}")
        return _bad(
            f"impossible date {shown}: {_MONTHS_EN[month - 1].title()} {era_en} "
            f"has no day {day}",
            f"วันที่ {shown} เป็นไปไม่ได้: เดือน{MONTHS_TH_FULL[month - 1]} {era_th} "
            f"ไม่มีวันที่ {day}",
        )
    return _checked_date(d, shown)


def _year(text: str, era: str | None) -> tuple[int, bool]:
    """Year digits and whether they are BE, by the rules in the module docstring."""
    year = int(text)
    if len(text) == 2:
        if era == "BE" or (era is None and year >= TWO_DIGIT_BE_FROM):
            return 2500 + year, True
        return 2000 + year, False
    if era is not None:
        return year, era == "BE"
    return year, year > BE_YEAR_THRESHOLD


# Memos of parse_date (by the cell's exact type) and parse_date_text: a body's dates repeat (one
# login day, one creation day for many accounts). ParsedDate is frozen, so sharing one is safe;
# a memo is emptied when full, and all are when a caller changes the module's settings (a
# sentinel added, a threshold changed).
_MEMO: dict[str, ParsedDate] = {}
_MEMOS: dict[type, dict[Any, ParsedDate]] = {
    str: {}, datetime: {}, date: {}, int: {}, float: {},
}
# Good dates by their day alone: a login time or "เวลา 08:30 น." makes every cell distinct,
# but only the day matters to a good result (a problem's message quotes the cell, so problems
# are not kept here). Keys: (y, m, d) of a datetime; date text with its time taken off.
_DAY_MEMO: dict[tuple[int, int, int], ParsedDate] = {}
_CORE_MEMO: dict[str, ParsedDate] = {}
_MEMO_SETTINGS: list[tuple[object, ...]] = [()]


def _settings() -> tuple[object, ...]:
    return (
        id(SENTINEL_DATES), len(SENTINEL_DATES), id(SENTINEL_TEXTS), len(SENTINEL_TEXTS),
        BE_OFFSET, BE_YEAR_THRESHOLD, TWO_DIGIT_BE_FROM, MIN_CE_YEAR, MAX_CE_YEAR,
        EXCEL_EPOCH, SERIAL_MIN, SERIAL_MAX,
    )


def _check_settings() -> None:
    settings = _settings()
    if settings != _MEMO_SETTINGS[0]:
        _MEMO.clear()
        _DAY_MEMO.clear()
        _CORE_MEMO.clear()
        for memo in _MEMOS.values():
            memo.clear()
        _MEMO_SETTINGS[0] = settings


def _remember(memo: dict[Any, ParsedDate], key: Any, parsed: ParsedDate) -> ParsedDate:
    return remember(memo, key, parsed) if parsed.problem is None else parsed


def parse_date_text(s: str) -> ParsedDate:
    """Parse date text in any of the forms the module docstring lists; never raises."""
    _check_settings()
    parsed = _MEMO.get(s)
    if parsed is None:
        parsed = _parse_text(s)
        if len(s) <= 100:
            remember(_MEMO, s, parsed)
    return parsed


def _parse_text(s: str) -> ParsedDate:
    text = normalise_text(s)
    if not text:
        return _EMPTY
    if fold(text) in SENTINEL_TEXTS:
        return _EMPTY
    shown = f"'{text}'" if len(text) <= 60 else f"'{text[:57]}...'"
    core = _PREFIX_RE.sub("", text, count=1)
    core = _TIME_RE.sub("", core, count=1).strip()
    known = _CORE_MEMO.get(core)
    if known is not None:
        return known
    return _remember(_CORE_MEMO, core, _parse_core(core, shown))


def _parse_core(core: str, shown: str) -> ParsedDate:
    """Parse date text with any prefix ("วันที่") and time already taken off."""
    if not core:
        return _unrecognised(shown)
    if fold(core) in SENTINEL_TEXTS:
        return _EMPTY

    era: str | None = None
    if _ERA_BE_RE.search(core):
        era, core = "BE", _ERA_BE_RE.sub(" ", core).strip()
    elif _ERA_CE_RE.search(core):
        era, core = "CE", _ERA_CE_RE.sub(" ", core).strip()

    if _SERIAL_TEXT_RE.match(core) and era is None:
        number = float(core)
        if number == 0:
            return _EMPTY
        if SERIAL_MIN <= number <= SERIAL_MAX or number == 1:
            return _from_serial(number, shown)
        return _unrecognised(shown)

    m = _YMD_RE.match(core)
    if m:
        year, be = _year(m.group(1), era)
        return _checked(year, int(m.group(2)), int(m.group(3)), shown, be=be)
    m = _DMY_RE.match(core)
    if m:
        year, be = _year(m.group(4), era)
        return _checked(year, int(m.group(3)), int(m.group(1)), shown, be=be)
    m = _D_MONTH_Y_RE.match(core)
    if m:
        month = _MONTHS.get(_MONTH_JUNK_RE.sub("", m.group(2)).casefold())
        if month is not None:
            year, be = _year(m.group(3), era)
            return _checked(year, month, int(m.group(1)), shown, be=be)
    m = _MONTH_D_Y_RE.match(core)
    if m:
        month = _MONTHS.get(m.group(1).casefold())
        if month is not None:
            year, be = _year(m.group(3), era)
            return _checked(year, month, int(m.group(2)), shown, be=be)
    return _unrecognised(shown)


def to_be_text(d: date) -> str:
    """Long Thai form for reports: 15 กรกฎาคม 2569."""
    return f"{d.day} {MONTHS_TH_FULL[d.month - 1]} {d.year + BE_OFFSET}"


def to_be_short(d: date) -> str:
    """Short Thai form for tables: 15 ก.ค. 2569."""
    return f"{d.day} {MONTHS_TH_SHORT[d.month - 1]} {d.year + BE_OFFSET}"


def months_before(d: date, months: int) -> date:
    """Return the same day `months` calendar months earlier, or that month's last day if shorter.

    Six months before 31 Aug is 28 Feb (29 Feb in a leap year): "every 6 months" counts months
    as a calendar does, not as a number of days.
    """
    year, month0 = divmod(d.year * 12 + d.month - 1 - months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def retirement_date(birth: date, age: int = 60, fiscal_year_end: tuple[int, int] = (9, 30)) -> date:
    """Return the day a person born on `birth` retires: the fiscal-year end after they reach `age`.

    Thai law counts age from the birth date inclusive, so a person completes `age` years on the
    day before that birthday (born 1 Oct 1966: 60 years complete on 30 Sep 2026). They retire
    on the end of the fiscal year (`fiscal_year_end` as month, day; 30 Sep for local officials)
    in which that day falls. Born on 29 Feb, the birthday in a year without one is 1 Mar.
    """
    year = birth.year + age
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        birthday = date(year, 3, 1)
    else:
        birthday = date(year, birth.month, birth.day)
    completes = birthday - timedelta(days=1)
    month, day = fiscal_year_end
    end = date(completes.year, month, day)
    return end if completes <= end else date(completes.year + 1, month, day)
