"""Read the body's HR roster (an LHR export, a workforce-plan list, a hand-made sheet).

One name column or prefix/first/last; optional national ID, position, unit, employment type,
status and its effective date, a birth date, a note (acting orders) and an e-LAAS username.
A row whose status is empty (no status column, or a blank cell) takes a leaving written in its
note ("ลาออก มีผล 15 ก.ย. 2569") as its status, read with the status column's words.
Rows that only name a unit or an employment type ("กองคลัง", "พนักงานจ้างทั่วไป") head the people
below them. Vacant positions ("ว่าง") are skipped and listed in one warning; any other row with
data but no name is a warning with its Excel row.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from laas_audit.dates import parse_date
from laas_audit.errors import InputError
from laas_audit.grid import Cell, Grid, load_grid
from laas_audit.layout import (
    ROSTER_FIELDS,
    footer_kind,
    kind_of,
    label_in,
    label_key,
    section_group,
)
from laas_audit.mapping import Mapping
from laas_audit.names import split_name
from laas_audit.other_sheets import NAME_FIELDS, refuse_continued
from laas_audit.policy import Policy, dates_in_text, load_policy
from laas_audit.read_export import (
    Located,
    date_value,
    fill_merged_down,
    header_signature,
    hint_mapping,
    id_value,
    locate,
    login_value,
    text_of,
    wrong_kind,
)
from laas_audit.tables import Person, RosterTable
from laas_audit.thai import fold, normalise_text

_VACANT = {fold(v) for v in ("ว่าง", "-", "–", "ตำแหน่งว่าง", "(ว่าง)", "vacant", "ยุบ")}
# A lone cell naming a unit heads the people below it (the workforce plan lists by ส่วนราชการ).
_UNIT_HEADING_RE = re.compile(r"^(?:กอง|สำนัก|ส่วน|ฝ่าย|หน่วย|โรงเรียน|ศูนย์|สถานศึกษา|งาน)")
# "ย้าย (1 ก.ค. 2569)", "ลาออก ตั้งแต่ 31/12/2568": a status with its effective date in one cell.
_STATUS_DATE_RE = re.compile(
    r"^(?P<status>.*?)[\s,:(\[]*(?:ตั้งแต่|เมื่อ|มีผล|ณ)?\s*(?:วันที่)?\s*"
    r"(?P<date>\d{1,2}\s*[^\s\d()]+\s*\d{2,4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"\s*[)\]]?$"
)
_DIGIT_RE = re.compile(r"\d")
# A year of two digits at the end of a date ("1/10/09", "1 ต.ค. 09") with no era written.
_TWO_DIGIT_YEAR_RE = re.compile(r"(?<![0-9])[0-9]{2}$")
_ERA_RE = re.compile(r"[พค]\s*\.?\s*ศ|\b(?:B\.?E|C\.?E|A\.?D)\b", re.IGNORECASE)
_EMPLOYMENT_RE = re.compile(
    r"^(?:พนักงานส่วนตำบล|พนักงานเทศบาล|พนักงานส่วนจังหวัด|ข้าราชการ|ลูกจ้างประจำ|พนักงานจ้าง"
    r"|จ้างเหมา|ครู|บุคลากรทางการศึกษา|ผู้ดูแลเด็ก)"
)


def read_roster(
    path: Path,
    mapping: Mapping | None = None,
    *,
    validate: bool = True,
    policy: Policy | None = None,
) -> RosterTable:
    """Read an HR roster (any supported format and layout) into a `RosterTable`.

    `policy` says which words in a note mean leaving (the review's `--policy`); without one the
    shipped policy is loaded, and only when a row with no status has a note.
    Raises `InputError` for an unreadable file, an e-LAAS export given instead (says so), a
    table without a name column, or a header with no people below it.
    """
    return roster_from_grid(
        load_grid(Path(path), "roster"), mapping, validate=validate, policy=policy
    )


def roster_from_grid(
    grid: Grid,
    mapping: Mapping | None = None,
    *,
    validate: bool = True,
    policy: Policy | None = None,
) -> RosterTable:
    """Build a `RosterTable` from an already read grid (see `read_roster`)."""
    found = locate(grid, "roster", mapping, ROSTER_FIELDS)
    header = found.header
    if kind_of(found.full, found.sheet) == "export":
        raise wrong_kind(grid, "roster")
    if not any(f in header.fields for f in NAME_FIELDS):
        th, en = hint_mapping("roster")
        raise InputError(
            found.where(header.excel_row),
            "ไม่พบคอลัมน์ชื่อ-สกุลในแถวหัวตารางของทะเบียนบุคลากร",
            "no name column (ชื่อ-สกุล or ชื่อ/นามสกุล) in the roster's header row",
            th, en,
            problems=[f"labels seen / หัวคอลัมน์ที่พบ: {' | '.join(header.labels.values())}"],
        )
    refuse_continued(grid, found.sheet, header, "roster", found.overrides)
    people = _read_people(found, _policy_getter(policy))
    if not people:
        raise InputError(
            found.where(header.excel_row),
            "มีหัวตารางแต่ไม่มีรายชื่อบุคลากรใต้หัวตาราง",
            "a header row but no people below it",
            "ตรวจว่าเป็นทะเบียนบุคลากรฉบับที่มีรายชื่อ แล้วลองใหม่",
            "Check this is the roster with its list of people, then retry.",
        )
    found.check_total(len(people), len(people), "roster")
    if validate:
        from laas_audit.schemas import validate_roster  # pandas: only when validating

        validate_roster(people, found.file, found.sheet.name)
    title = found.title()
    return RosterTable(found.source(len(people)), title.body, people, found.warnings)


def _policy_getter(policy: Policy | None) -> Callable[[], Policy]:
    """Give the policy on demand: a roster whose rows all have a status never loads one."""
    if policy is not None:
        return lambda: policy
    return functools.cache(load_policy)


def _read_people(found: Located, policy: Callable[[], Policy]) -> list[Person]:
    header = found.header
    cols = header.fields
    rows = found.sheet.rows
    fill_merged_down(found.sheet, header.last_row)
    signature = header_signature(header)
    header_keys = {c: key for c, (key, _) in signature.items()}
    people: list[Person] = []
    unit_section: str | None = None
    type_section: str | None = None
    vacant: list[int] = []
    from_note: list[int] = []  # Excel rows whose leaving was read from the note
    birth_eras: dict[int, str | None] = {}  # birth column -> BE/CE, once a two-digit year needs it

    name_col = cols.get("full_name", cols.get("first_name", cols.get("last_name")))
    name_keys = {header_keys[c] for c in (cols.get(f) for f in NAME_FIELDS) if c in header_keys}

    columns = list(cols.items())

    for r in range(header.last_row + 1, len(rows)):
        row = rows[r]
        excel = r + 1
        # The row's cells by field, picked once (a field's cell is read several times below).
        width = len(row)
        cell = {name: row[col] for name, col in columns if col < width}.get
        full = text_of(cell("full_name"))
        prefix = text_of(cell("prefix"))
        first = text_of(cell("first_name"))
        last = text_of(cell("last_name"))
        if not full and (first or last):
            full = f"{prefix}{first} {last}".strip()
        filled = len(row) - row.count(None)
        # Fast path: a named row with several cells is a person unless it repeats the header,
        # names a vacancy or is a signature line.
        plain = (
            full and filled > 2 and label_key(full) not in name_keys
            and not label_in(full, NAME_FIELDS)
            and fold(full) not in _VACANT and footer_kind([full]) is None
        )
        if not plain:
            row_cells = found.texts_or_skip(row, signature)
            if row_cells is None:
                continue
            texts = row_cells
            values = [t for _, t in texts]
        if not plain and (not full or len(texts) <= 2) and found.skip_footer(values, excel):
            continue
        if not plain and fold(full) in _VACANT:
            full = ""
        if not plain and full and len(texts) == 1 and (
            _UNIT_HEADING_RE.match(full) or _EMPLOYMENT_RE.match(full)
        ) and split_name(full).prefix is None:
            full = ""  # a unit or employment-type heading written in the name column
        if not full:
            if len(texts) == 1 and not section_group(values):
                text = values[0].replace("\n", " ")
                if _EMPLOYMENT_RE.match(text):
                    type_section = text
                else:
                    unit_section = text
                found.skip("section")
                continue
            if "position" in cols and cell("position") is not None:
                vacant.append(excel)
                continue
            shown = " | ".join(values)[:120]
            found.warn(
                excel, name_col,
                f"แถวนี้มีข้อมูลแต่ไม่มีชื่อบุคคล จึงไม่ได้อ่านเป็นบุคลากร: {shown}",
                f"row has data but no person's name, so it was not read as a person: {shown}",
            )
            continue
        parts = split_name(full)
        full_raw = cell("full_name")
        person = Person(
            row=excel,
            full_name=full,
            prefix=parts.prefix,
            first_name=parts.first or None,
            last_name=parts.last or None,
            position=text_of(cell("position")) or None,
            unit=text_of(cell("unit")) or unit_section,
            employment_type=text_of(cell("employment_type")) or type_section,
            status=text_of(cell("status")) or None,
            note=text_of(cell("note")) or None,
            username=_login(found, cell("username"), excel, cols.get("username")),
            full_name_raw=full_raw if isinstance(full_raw, str) else full,
        )
        if "national_id" in cols:
            person.national_id = id_value(
                found, cell("national_id"), excel, cols["national_id"]
            )
        if "status_date" in cols:
            label = header.labels.get(cols["status_date"], "status_date")
            person.status_date = date_value(
                found, cell("status_date"), excel, cols["status_date"], label
            )
        if "birth_date" in cols:
            person.birth_date = _birth_date(
                found, cell("birth_date"), excel, cols["birth_date"], birth_eras
            )
        if person.status and person.status_date is None:
            person.status, person.status_date = split_status(person.status)
            if person.status_date is None and _BE_YEAR_RE.search(person.status):
                person.status_date = _year_only_date(person.status, policy())
        elif person.status is None and person.note and _leaving_in_note(person, policy()):
            from_note.append(excel)
        people.append(person)
    if vacant:
        listed = ", ".join(str(r) for r in vacant[:20]) + (" ..." if len(vacant) > 20 else "")
        found.warn(
            vacant[0], None,
            f"ข้ามตำแหน่งว่าง {len(vacant)} แถว (แถว {listed})",
            f"{len(vacant)} vacant position row(s) skipped (rows {listed})",
        )
    _warn_status_coverage(found, from_note)
    return people


def split_status(text: str) -> tuple[str, date | None]:
    """Split "ย้าย (1 ก.ค. 2569)" into the status and its effective date; else (text, None)."""
    if not _DIGIT_RE.search(text):  # every date form has a digit; most statuses ("ปกติ") none
        return text, None
    m = _STATUS_DATE_RE.match(text)
    if not m or not m.group("status").strip():
        return text, None
    parsed = parse_date(m.group("date"))
    if parsed.value is None:
        return text, None
    return m.group("status").strip(" ,:-–(["), parsed.value


def _leaving_in_note(person: Person, policy: Policy) -> bool:
    """Take a leaving written in the note of a row with no status as its status; say if so.

    The status column's words decide (`leaver_statuses`, with the arrivals and negations that
    win over them: "ขอโอน", "ไม่ได้ลาออก" are no leaving), read after the note's history
    (`Policy.note_tells_leaving`: "โอนย้ายมาจาก…" is none). The date: one
    the note marks as effective ("ตั้งแต่", "มีผล"), else the latest written (an order is dated
    before it takes effect, so a departure still to come is not taken for one past). A date
    column's value wins.
    """
    note = person.note or ""
    if not policy.note_tells_leaving(note):
        return False
    when = policy.effective_date(None, note) or max(
        (d for _, _, d in dates_in_text(note)), default=None
    ) or _year_only_date(note, policy)
    status, at_end = split_status(note)
    # "ลาออก มีผล 15 ก.ย. 2569" reads "ลาออก" + the date, as the status column's cell would.
    person.status = status if at_end is not None and at_end == when else note
    if person.status_date is None:
        person.status_date = when
    return True


_BE_YEAR_RE = re.compile(r"(?<![0-9])25[0-9]{2}(?![0-9])")


def _year_only_date(text: str, policy: Policy) -> date | None:
    """Date a retirement written with its year alone ("เกษียณ ปี 2570"), else None.

    Local officials retire on the fiscal year's end (`retirement.fiscal_year_end`), so the year
    is the date: 30 Sep 2570 for "2570", a retirement still to come until then. Other leavings
    dated by a year alone are left undated (counted as left), not given an invented day.
    """
    m = _BE_YEAR_RE.search(normalise_text(text))
    if m is None or not policy.is_leaver_status(text) or not policy.is_retirement(text):
        return None
    month, day = policy.retirement.fiscal_year_end
    return date(int(m.group()) - 543, month, day)


def _warn_status_coverage(found: Located, from_note: list[int]) -> None:
    """Say where leavers were read from notes, or that the roster cannot tell who left.

    Without a status column and with no leaving in any note, LA101 judges nobody: said once,
    never a silent pass.
    """
    cols = found.header.fields
    has_status = "status" in cols
    if from_note:
        label = found.header.labels.get(cols["note"], "หมายเหตุ")
        listed = ", ".join(str(r) for r in from_note[:20]) + (" ..." if len(from_note) > 20 else "")
        why_th = "ทะเบียนไม่มีคอลัมน์สถานะ" if not has_status else "ช่องสถานะว่าง"
        why_en = "the roster has no status column" if not has_status else "the status is empty"
        found.warn(
            from_note[0], cols["note"],
            f"อ่านการพ้นจากหน้าที่ (ย้าย/โอน/ลาออก/เกษียณ …) จากคอลัมน์ '{label}' เพราะ{why_th}"
            f" {len(from_note)} คน (แถว {listed}): ตรวจว่าถูกต้อง",
            f"leaving (moved, transferred, resigned, retired ...) read from column '{label}'"
            f" because {why_en}, for {len(from_note)} people (rows {listed}): check these",
        )
    elif not has_status:
        in_notes_th = " และหมายเหตุไม่ได้ระบุว่าผู้ใดพ้นจากหน้าที่" if "note" in cols else ""
        in_notes_en = " and no note says anyone left" if "note" in cols else ""
        found.warn(
            found.header.excel_row, None,
            f"ทะเบียนบุคลากรไม่มีคอลัมน์สถานะ{in_notes_th} จึงตรวจกฎ LA101 (ผู้ย้าย/โอน/ลาออก/"
            "เกษียณแล้วแต่บัญชียังใช้งานได้) ไม่ได้: เพิ่มคอลัมน์ 'สถานะ' (เช่น ปกติ, ย้าย, โอน, ลาออก,"
            " เกษียณ) และ 'วันที่มีผล' หรือถ้าคอลัมน์สถานะใช้ชื่ออื่น ให้บอกด้วย --mapping"
            " (roster: status: \"ชื่อคอลัมน์\") แล้วลองใหม่",
            f"the roster has no status column{in_notes_en}, so LA101 (people who moved, left or"
            " retired but whose account is still active) could not judge anyone: add a 'สถานะ'"
            " column (e.g. ปกติ, ย้าย, โอน, ลาออก, เกษียณ) and 'วันที่มีผล', or name a status"
            " column with another label with --mapping (roster: status: \"label\"), then retry",
        )


_MIN_STAFF_AGE = 18
_MAX_STAFF_AGE = 70  # beyond any retirement (60) with a margin: older readings are no one's
_FOUR_DIGIT_YEAR_RE = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")


def _today() -> date:
    """Give the day ages are counted to (the reader does not know the review's as-of date)."""
    return date.today()


def _youngest_birth_date() -> date:
    """Give the latest birth date staff can have today (no one under 18 is employed)."""
    today = _today()
    return today.replace(year=today.year - _MIN_STAFF_AGE, day=min(today.day, 28))


def _birth_date(
    found: Located, raw: Cell, row: int, col: int, eras: dict[int, str | None]
) -> date | None:
    """Read a birth date like the other dates, but refuse a two-digit year with no era.

    The parser reads "09" as CE 2009 (right for a login, where BE 2509 cannot be), which for a
    birth date hides a 60-year-old as a child: LA105 would stay silent. Warn and keep None.
    `eras` remembers the era each birth column writes its years in (see `_column_era`).
    """
    label = found.header.labels.get(col, "birth_date")
    value = date_value(found, raw, row, col, label)
    if value is None:
        return None
    if not isinstance(raw, str):
        return _plausible(found, value, row, col, label)
    text = normalise_text(raw)
    year = _TWO_DIGIT_YEAR_RE.search(text)
    if year is None or text[:4].isdigit() or _ERA_RE.search(text):
        return _plausible(found, value, row, col, label)
    if col not in eras:
        eras[col] = _column_era(found, col)
    th, en = _two_digit_advice(text, year.start(), eras[col])
    found.warn(
        row, col,
        f"วันเกิดในคอลัมน์ '{label}' มีปีเพียงสองหลัก ('{text}') จึงไม่ได้ใช้: {th}",
        f"birth date in column '{label}' has a two-digit year ('{text}'), so it was not used:"
        f" {en}",
    )
    return None


def _column_era(found: Located, col: int) -> str | None:
    """Give "BE" or "CE": how most four-digit years of the column are written (None: neither).

    Asked only when a two-digit year is met, so a clean roster never pays for it.
    """
    be = ce = 0
    for row in found.sheet.rows[found.header.last_row + 1 :]:
        raw = row[col] if col < len(row) else None
        if isinstance(raw, date):
            year = raw.year
        elif isinstance(raw, str) and (m := _FOUR_DIGIT_YEAR_RE.search(normalise_text(raw))):
            year = int(m.group())
        else:
            continue
        if year > 2400:
            be += 1
        elif 1800 < year < 2200:
            ce += 1
    return "BE" if be > ce else "CE" if ce > be else None


def _two_digit_advice(text: str, at: int, era: str | None) -> tuple[str, str]:
    """Say what to write instead of a two-digit year: only full years a member of staff can have.

    A reading counts when it makes the person 18 to 70 today, read as BE (24yy, 25yy) or CE
    (19yy, 20yy); it is written in the column's era, and the example is the cell itself with the
    year in full. None plausible: just ask for the four-digit year.
    """
    yy = int(text[at:])
    this_year = _today().year
    readings = [
        (full - 543 if native == "BE" else full, native)
        for native, centuries in (("BE", (2400, 2500)), ("CE", (1900, 2000)))
        for full in (c + yy for c in centuries)
    ]
    plausible = [
        (ce, native) for ce, native in readings
        if _MIN_STAFF_AGE <= this_year - ce <= _MAX_STAFF_AGE
    ]
    plausible.sort(key=lambda r: r[1] != (era or r[1]))  # the column's own era first
    if not plausible:
        return (
            f"ปี '{text[at:]}' ไม่ว่าจะเป็น พ.ศ. หรือ ค.ศ. ก็ไม่ทำให้อายุอยู่ระหว่าง {_MIN_STAFF_AGE}"
            f"-{_MAX_STAFF_AGE} ปี เขียนปีเกิดให้ครบสี่หลักตามทะเบียนประวัติ แล้วลองใหม่",
            f"read as BE or CE, '{text[at:]}' makes no one aged {_MIN_STAFF_AGE}-{_MAX_STAFF_AGE};"
            " write the year of birth in four digits as the personnel record has it, then retry",
        )

    def shown(ce: int, native: str) -> tuple[int, str, str]:
        write_be = (era or native) == "BE"
        full = ce + 543 if write_be else ce
        age = this_year - ce
        if write_be:
            return full, f"พ.ศ. {full} (อายุ {age} ปี)", f"{full} BE ({ce} CE, aged {age})"
        return full, f"ค.ศ. {ce} (พ.ศ. {ce + 543} อายุ {age} ปี)", f"{ce} CE (aged {age})"

    readings_shown = [shown(ce, native) for ce, native in plausible]
    example = f"{text[:at]}{readings_shown[0][0]}"
    return (
        f"อาจเป็น {' หรือ '.join(th for _, th, _ in readings_shown)}:"
        f" เขียนปีเกิดให้ครบสี่หลัก (เช่น '{example}') แล้วลองใหม่",
        f"which may be {', or '.join(en for _, _, en in readings_shown)}: write the year in"
        f" four digits (e.g. '{example}'), then retry",
    )


def _plausible(found: Located, value: date, row: int, col: int, label: str) -> date | None:
    """Keep a birth date only if it makes the person at least 18 today; else warn, keep None."""
    if value > _youngest_birth_date():
        # A year typed wrong (2609 or 2569 for 2509, or Excel's 2009 for "1/10/09"): never a
        # member of staff, and used as is it would hide a retiree from LA105.
        found.warn(
            row, col,
            f"วันเกิดในคอลัมน์ '{label}' (พ.ศ. {value.year + 543}) ทำให้บุคคลนี้อายุไม่ถึง"
            f" {_MIN_STAFF_AGE} ปี จึงไม่ได้ใช้: ตรวจปีเกิด (เช่น พิมพ์ 2569 แทน 2509)",
            f"birth date in column '{label}' (year {value.year} CE) makes the person younger"
            f" than {_MIN_STAFF_AGE}, so it was not used: check the year of birth",
        )
        return None
    return value


def _login(found: Located, raw: Cell, row: int, col: int | None) -> str | None:
    """Return the roster's e-LAAS username, read as the export's (citizen IDs keep digits)."""
    text = text_of(raw)
    if not text or col is None:
        return None
    return login_value(found, text, row, col)
