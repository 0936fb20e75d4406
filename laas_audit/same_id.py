"""Roster rows that repeat one national ID: one person, and which row stands for them.

A hand-made roster repeats a row by copy and paste; a roster that keeps history lists a person
who left and came back twice (an old "ย้าย" row and the current "ปกติ" row, in either order).
Rows with one valid national ID are one person, so matching must not call the account
ambiguous. Which row is used, in this order:

1. rows that say the same thing (the name as compared, position, unit, employment type, status,
   its date, note, username): the first;
2. every row dates itself (status date, or a date written in the status or note) and one date
   is the latest: that row (a later row saying the person left wins over an older current one);
3. exactly one row says the person left, dated within the six months before the review date
   (or later), and the other rows give no date: that row (a recent departure must not be
   hidden by an undated "ปกติ" row; LA101 then judges its date against the as-of date). An
   older departure beside an undated current row is history the last review dealt with;
4. exactly one row's status does not say the person left: that row;
5. every row says the person left: the latest dated one (the first when none is dated): the
   person left whichever it is, so LA101 still fires;
6. otherwise (two current rows that differ, with nothing to order them) no row is chosen and a
   human confirms which is current. The person is on the roster either way.

Only groups of two or more rows are looked at: a clean roster costs nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from laas_audit.dates import to_be_short
from laas_audit.errors import InputWarning, Location
from laas_audit.names import name_key
from laas_audit.policy import Policy, dates_in_text
from laas_audit.tables import Person

# why -> (Thai, English) reason a row was used
_WHY = {
    "latest": ("วันที่ในแถวนั้นล่าสุด", "its date is the latest"),
    "current": ("สถานะไม่ได้ระบุว่าออกไปแล้ว", "its status does not say the person left"),
    "left_dated": (
        "แถวนั้นระบุว่าออกไปแล้วภายในรอบการตรวจนี้ ส่วนแถวอื่นไม่ระบุวันที่",
        "it says the person left within this review cycle, and the other rows give no date",
    ),
    "all_left": (
        "ทุกแถวระบุว่าออกไปแล้ว จึงใช้แถวที่วันที่ล่าสุด",
        "every row says the person left; the latest is used",
    ),
}


@dataclass(frozen=True)
class SameId:
    """Roster rows carrying one national ID, and the row that stands for the person."""

    rows: tuple[Person, ...]  # roster order
    used: Person | None  # None: the rows differ and which is current cannot be told
    why: str  # "same", "latest", "left_dated", "current", "all_left" or "undecided"

    @property
    def row_numbers(self) -> tuple[int, ...]:
        """The Excel rows of the group, in roster order."""
        return tuple(p.row for p in self.rows)

    def confirm_reason(self) -> str:
        """Say why matches-to-confirm.csv asks about an account of this person ("" for copies)."""
        if self.why == "same":
            return ""
        rows_th, rows_en = _rows(self.row_numbers)
        if self.used is None:
            return (
                f"เลขประจำตัวประชาชนเดียวกันในทะเบียนแถว {rows_th} ข้อมูลต่างกัน ระบุแถวที่เป็นปัจจุบัน"
                f" / one national ID on roster rows {rows_en} that differ: give the current row"
            )
        th, en = _WHY[self.why]
        return (
            f"เลขประจำตัวประชาชนเดียวกันในทะเบียนแถว {rows_th} ข้อมูลต่างกัน ใช้แถว {self.used.row}"
            f" เพราะ{th} / one national ID on roster rows {rows_en} that differ: row"
            f" {self.used.row} is used because {en}"
        )

    def warning(self, where: Location, usernames: list[str]) -> InputWarning:
        """Warn that the roster repeats this person's ID, and say which row was used."""
        first = self.rows[0]
        name = first.full_name_raw or first.full_name
        rows_th, rows_en = _rows(self.row_numbers)
        th = f"{name}: เลขประจำตัวประชาชนเดียวกันอยู่ในแถว {rows_th} ถือเป็นบุคคลเดียวกัน"
        en = f"{name}: one national ID on rows {rows_en}, taken as one person"
        accounts = ", ".join(usernames)
        if self.why == "same":
            th += f" ข้อมูลเหมือนกัน ใช้แถว {first.row} (ลบแถวที่ซ้ำออกจากทะเบียน)"
            en += f"; the rows are the same, row {first.row} is used (remove the repeat)"
        else:
            said_th = "; ".join(f"แถว {p.row}: {_said(p, True)}" for p in self.rows)
            said_en = "; ".join(f"row {p.row}: {_said(p, False)}" for p in self.rows)
            th += f" แต่ข้อมูลต่างกัน ({said_th})"
            en += f", but the rows differ ({said_en})"
            if self.used is None:
                th += (
                    f" และบอกไม่ได้ว่าแถวใดเป็นปัจจุบัน บัญชี {accounts} จึงรอการยืนยัน:"
                    " ระบุแถวใน matches-to-confirm.csv"
                )
                en += (
                    f" and which is current cannot be told, so {accounts} waits for"
                    " confirmation: give the row in matches-to-confirm.csv"
                )
            else:
                why_th, why_en = _WHY[self.why]
                th += (
                    f" ใช้แถว {self.used.row} เพราะ{why_th} หากไม่ถูกต้องให้ระบุแถวใน"
                    " matches-to-confirm.csv"
                )
                en += (
                    f"; row {self.used.row} is used because {why_en} (if wrong, give the row"
                    " in matches-to-confirm.csv)"
                )
        return InputWarning(Location(where.file, where.sheet, first.row), th, en)


# One review cycle (the DLA letter's six months): a departure dated within it is news that an
# undated row cannot outweigh; an older one the last review would have dealt with.
RECENT = timedelta(days=183)


def resolve(rows: list[Person], policy: Policy, as_of: date | None = None) -> SameId:
    """Decide which of several rows with one national ID stands for the person (see above)."""
    distinct = _distinct(rows)
    if len(distinct) == 1:
        return SameId(tuple(rows), rows[0], "same")
    dates = [_latest_date(p) for p in distinct]
    known = [d for d in dates if d is not None]
    if len(known) == len(distinct) and known.count(max(known)) == 1:
        return SameId(tuple(rows), distinct[dates.index(max(known))], "latest")
    # A dated departure beside rows that give no date: the departure is the fact on record (a
    # missed leaver keeps access; a wrong LA101 costs the finance head one look).
    left = [i for i, p in enumerate(distinct) if policy.is_leaver_status(p.status)]
    dated_left = [i for i in left if dates[i] is not None]
    if (
        as_of is not None
        and len(dated_left) == 1
        and _after(dates[dated_left[0]], as_of - RECENT)
        and all(dates[i] is None for i in range(len(distinct)) if i != dated_left[0])
    ):
        return SameId(tuple(rows), distinct[dated_left[0]], "left_dated")
    current = [p for p in distinct if not policy.is_leaver_status(p.status)]
    if len(current) == 1:
        return SameId(tuple(rows), current[0], "current")
    if not current:
        latest = max(range(len(distinct)), key=lambda i: (dates[i] or date.min, -i))
        return SameId(tuple(rows), distinct[latest], "all_left")
    return SameId(tuple(rows), None, "undecided")


def _after(day: date | None, since: date) -> bool:
    return day is not None and day > since


def _facts(person: Person) -> tuple[object, ...]:
    """Give what the checks read of a roster row (the name as compared, not as typed)."""
    return (
        name_key(person.full_name),
        person.position,
        person.unit,
        person.employment_type,
        person.status,
        person.status_date,
        person.birth_date,
        person.note,
        person.username,
    )


def _distinct(rows: list[Person]) -> list[Person]:
    """Keep the first row of each set of rows that say the same thing, in roster order."""
    seen: dict[tuple[object, ...], Person] = {}
    for person in rows:
        seen.setdefault(_facts(person), person)
    return list(seen.values())


def _latest_date(person: Person) -> date | None:
    """Find the latest date a row states: its status date, or one in its status or note."""
    found = [d for _, _, d in (*dates_in_text(person.status), *dates_in_text(person.note))]
    if person.status_date is not None:
        found.append(person.status_date)
    return max(found, default=None)


def _said(person: Person, thai: bool) -> str:
    """Show a row's status and its latest date, for the warning: `ย้าย 1 มิ.ย. 2567`."""
    status = person.status or ("ไม่ระบุสถานะ" if thai else "no status")
    when = _latest_date(person)
    if when is None:
        return status
    return f"{status} {to_be_short(when) if thai else when.isoformat()}"


def _rows(numbers: tuple[int, ...]) -> tuple[str, str]:
    """Row numbers for messages: `3 และ 4` / `3 and 4`, `3, 4 และ 7` / `3, 4 and 7`."""
    shown = [str(n) for n in numbers]
    head = ", ".join(shown[:-1])
    return f"{head} และ {shown[-1]}", f"{head} and {shown[-1]}"
