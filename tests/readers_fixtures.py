"""Build e-LAAS exports and HR rosters in many layouts, and know exactly what a reader must find.

Every builder lays rows out as a list of lists (index i = Excel row i+1) and records, while it
writes, the Excel rows and groups each account really has; the writers then put those rows into
xlsx (with merged cells), legacy xls (LibreOffice), HTML-as-xls, CSV in several encodings or
SpreadsheetML. All names and national IDs are fictitious (IDs get a valid check digit from
made-up digits via `national_id.make_id`).
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import openpyxl

from laas_audit.national_id import make_id

GroupShape = Literal["column", "sections", "cell", "sections_plain", "leading_merged"]


@dataclass
class Acct:
    """One fictitious account and the groups it holds."""

    username: str
    full_name: str
    position: str
    unit: str
    groups: list[str]
    national_id: str | None = None
    last_login: date | None = None
    status: str = "ใช้งาน"


TH_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = ("", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
          "พ.ย.", "ธ.ค.")


def be_text(d: date, thai_digits: bool = False) -> str:
    """"15 ก.ค. 2569" (optionally in Thai digits)."""
    text = f"{d.day} {MONTHS[d.month]} {d.year + 543}"
    return text.translate(TH_DIGITS) if thai_digits else text


def sample_accounts() -> list[Acct]:
    """Twelve fictitious accounts of a small อบต., several in more than one group."""
    ids = [make_id(f"3{n:011d}") for n in (10450001234, 10450002345, 10450003456,
                                            10450004567, 10450005678, 10450006789,
                                            10450007890, 10450008901, 10450009012)]
    return [
        Acct("somchai.j", "นายสมชาย ใจดี", "ผู้อำนวยการกองคลัง", "กองคลัง",
             ["ผู้ดูแลระบบ", "หัวหน้าหน่วยงานคลัง"], ids[0], date(2026, 6, 30)),
        Acct("malee.s", "นางมาลี ศรีสุข", "นักวิชาการเงินและบัญชีชำนาญการ", "กองคลัง",
             ["เจ้าหน้าที่การเงิน", "เจ้าหน้าที่บัญชี"], ids[1], date(2026, 6, 28)),
        Acct("3104500034567", "นางสาวพิมพ์ใจ รักษ์ไทย", "เจ้าพนักงานพัสดุปฏิบัติงาน", "กองคลัง",
             ["เจ้าหน้าที่พัสดุ"], None, date(2026, 5, 2)),
        Acct("anan_k", "นายอนันต์ กล้าหาญ", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", "สำนักปลัด",
             ["เจ้าหน้าที่งบประมาณ"], ids[3], None),
        Acct("wanida.p", "น.ส.วนิดา พูลสวัสดิ์", "เจ้าพนักงานธุรการปฏิบัติงาน", "กองช่าง",
             ["เจ้าหน้าที่ธุรการกองต่างๆ", "เจ้าหน้าที่การเงิน", "เจ้าหน้าที่พัสดุ"], ids[4],
             date(2026, 1, 15)),
        Acct("prasert", "นายประเสริฐ มั่นคง", "นายกองค์การบริหารส่วนตำบล", "",
             ["ผู้บริหาร"], None, date(2025, 12, 1)),
        Acct("kannika.t", "นางกรรณิกา ทองคำ", "นักวิชาการจัดเก็บรายได้ชำนาญการ", "กองคลัง",
             ["เจ้าหน้าที่จัดเก็บรายได้"], ids[6], date(2026, 6, 1)),
        Acct("SUDA01", "นางสุดา ใจงาม", "ผู้ช่วยเจ้าพนักงานการเงินและบัญชี", "กองคลัง",
             ["เจ้าหน้าที่การเงิน"], ids[7], None),
        Acct("chatchai.w", "ว่าที่ร้อยตรีชัยชาญ วงศ์ใหญ่", "ปลัดองค์การบริหารส่วนตำบล", "สำนักปลัด",
             ["ผู้บริหาร", "ผู้ตรวจสอบรายงาน/บัญชี"], ids[8], date(2026, 6, 29)),
        Acct("temp.user", "นายสมศักดิ์ ขยันงาน", "คนงานทั่วไป", "กองช่าง",
             ["เจ้าหน้าที่ทะเบียนทรัพย์สิน"], None, None),
        Acct("nok.r", "นางสาวนกน้อย ร่มเย็น", "ผู้ช่วยนักวิชาการพัสดุ", "กองคลัง",
             ["เจ้าหน้าที่พัสดุ", "เจ้าหน้าที่ทะเบียนทรัพย์สิน"], None, date(2026, 3, 3)),
        Acct("admin.elaas", "นายวีระ ทองดี", "นักวิชาการคอมพิวเตอร์", "สำนักปลัด",
             ["ผู้ดูแลระบบ"], None, date(2026, 6, 30)),
    ]


# Header label variants for each field (a "dialect").
LABELS_TH = {
    "seq": "ลำดับ", "username": "ชื่อผู้ใช้", "full_name": "ชื่อ-สกุล",
    "national_id": "เลขประจำตัวประชาชน", "position": "ตำแหน่ง", "unit": "หน่วยงาน",
    "group": "กลุ่มผู้ใช้งาน", "status": "สถานะ", "last_login": "วันที่เข้าใช้งานล่าสุด",
}
LABELS_EN = {
    "seq": "No.", "username": "Username", "full_name": "Full Name", "national_id": "Citizen ID",
    "position": "Position", "unit": "Department", "group": "User Group", "status": "Status",
    "last_login": "Last Login",
}
LABELS_AMBIGUOUS = {  # "ชื่อผู้ใช้งาน" holds the username here; the name is "ชื่อ - นามสกุล"
    "seq": "ที่", "username": "ชื่อผู้ใช้งาน", "full_name": "ชื่อ - นามสกุล",
    "national_id": "เลขบัตรประชาชน", "position": "ตำแหน่ง", "unit": "สังกัด",
    "group": "สิทธิ์", "status": "สถานะการใช้งาน", "last_login": "เข้าสู่ระบบล่าสุด",
}


@dataclass
class Layout:
    """How to lay an export out."""

    groups: GroupShape = "column"
    fields: tuple[str, ...] = ("seq", "username", "full_name", "position", "unit", "group",
                               "last_login")
    labels: dict[str, str] = field(default_factory=lambda: dict(LABELS_TH))
    title: bool = True
    as_of: date = date(2026, 7, 1)
    printed: date | None = date(2026, 7, 3)
    start_row: int = 0  # empty rows before everything
    start_col: int = 0  # empty columns before everything
    page_size: int | None = None  # data rows per printed page: repeat header + page number
    footer: bool = True
    thai_digits: bool = False
    cell_sep: str = "\n"
    two_row_name: bool = False  # "ชื่อ-สกุล" merged over "ชื่อ" | "นามสกุล"
    dates_as_text: bool = True  # BE text; False writes real date cells


@dataclass
class Built:
    """Rows to write, merged areas, and what a reader must find."""

    rows: list[list[object]]
    merged: list[tuple[int, int, int, int]]  # 0-based inclusive r0, c0, r1, c1
    expected: dict[str, tuple[list[str], list[int]]]  # username -> (groups, Excel rows)
    header_row: int  # Excel row of the (first) header row
    body: str = "องค์การบริหารส่วนตำบลหนองบัวแดง"


def _pad(row: list[object], lay: Layout) -> list[object]:
    return [None] * lay.start_col + row


def build_export(accounts: list[Acct], lay: Layout) -> Built:
    """Lay `accounts` out as `lay` says, recording each account's Excel rows and groups."""
    rows: list[list[object]] = [[] for _ in range(lay.start_row)]
    merged: list[tuple[int, int, int, int]] = []
    expected: dict[str, tuple[list[str], list[int]]] = {}
    fields = [f for f in lay.fields if lay.groups in ("column", "cell", "leading_merged")
              or f != "group"]
    if lay.groups == "leading_merged":
        fields = ["group"] + [f for f in fields if f != "group"]
    width = len(fields)
    c0 = lay.start_col

    def add(row: list[object]) -> int:
        rows.append(_pad(row, lay))
        return len(rows)  # Excel row just written

    if lay.title:
        r = add(["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"])
        merged.append((r - 1, c0, r - 1, c0 + width - 1))
        r = add(["องค์การบริหารส่วนตำบลหนองบัวแดง อำเภอภูเขียว จังหวัดชัยภูมิ"])
        merged.append((r - 1, c0, r - 1, c0 + width - 1))
        add([f"ข้อมูล ณ วันที่ {be_text(lay.as_of, lay.thai_digits)}"])
        add([])

    def header() -> int:
        if lay.two_row_name and "full_name" in fields:
            i = fields.index("full_name")
            top = [lay.labels.get(f, f) for f in fields[:i]] + [lay.labels["full_name"], None] + [
                lay.labels.get(f, f) for f in fields[i + 1:]]
            first = add(top)
            add([None] * i + ["ชื่อ", "นามสกุล"] + [None] * (len(fields) - i - 1))
            merged.append((first - 1, c0 + i, first - 1, c0 + i + 1))
            for j in range(len(top)):
                if j not in (i, i + 1):
                    merged.append((first - 1, c0 + j, first, c0 + j))
            return first
        return add([lay.labels.get(f, f) for f in fields])

    header_row = header()
    per_page = 0
    page = 1
    seq = 0

    def maybe_page_break() -> None:
        nonlocal per_page, page
        if lay.page_size and per_page >= lay.page_size:
            add([f"หน้า {page}"])
            page += 1
            per_page = 0
            add([])
            header()

    def cells(a: Acct, group_text: str | None) -> list[object]:
        out: list[object] = []
        for f in fields:
            if f == "full_name" and lay.two_row_name:
                first, _, last = a.full_name.partition(" ")
                out += [first, last]
            elif f == "seq":
                out.append(seq)
            elif f == "group":
                out.append(group_text)
            elif f == "last_login":
                if a.last_login is None:
                    out.append(None)
                elif lay.dates_as_text:
                    out.append(be_text(a.last_login, lay.thai_digits))
                else:
                    out.append(a.last_login)
            else:
                out.append(getattr(a, f))
        return out

    def record(a: Acct, row: int, groups: list[str]) -> None:
        got = expected.setdefault(a.username, ([], []))
        for g in groups:
            if g not in got[0]:
                got[0].append(g)
        got[1].append(row)

    if lay.groups == "column":
        for a in accounts:
            for g in a.groups:
                maybe_page_break()
                seq += 1
                record(a, add(cells(a, g)), [g])
                per_page += 1
    elif lay.groups == "cell":
        for a in accounts:
            maybe_page_break()
            seq += 1
            record(a, add(cells(a, lay.cell_sep.join(a.groups))), a.groups)
            per_page += 1
    else:
        order: list[str] = []
        for a in accounts:
            for g in a.groups:
                if g not in order:
                    order.append(g)
        for g in order:
            members = [a for a in accounts if g in a.groups]
            if lay.groups == "sections":
                r = add([f"กลุ่มผู้ใช้งาน : {g}"])
                merged.append((r - 1, c0, r - 1, c0 + width - 1))
            elif lay.groups == "sections_plain":
                add([g])
            first_member = len(rows)
            for i, a in enumerate(members):
                maybe_page_break()
                seq += 1
                text = g if (lay.groups == "leading_merged" and i == 0) else None
                record(a, add(cells(a, text)), [g])
                per_page += 1
            if lay.groups == "leading_merged" and len(members) > 1:
                merged.append((first_member, c0, len(rows) - 1, c0))
    if lay.footer:
        add([f"รวม {len(accounts)} ราย"])
        add([])
        add(["ลงชื่อ.......................................ผู้พิมพ์รายงาน"])
        add(["(นางมาลี ศรีสุข)"])
        if lay.printed:
            add([f"วันที่พิมพ์ {be_text(lay.printed)} เวลา 10:15 น."])
        add(["หน้า 1/1"])
    width_all = max(len(r) for r in rows)
    rows = [r + [None] * (width_all - len(r)) for r in rows]
    return Built(rows, merged, expected, header_row)


# --------------------------------------------------------------------------- rosters


@dataclass
class Staff:
    """One fictitious roster person."""

    full_name: str
    position: str
    unit: str
    employment: str
    status: str = "ปกติ"
    status_date: date | None = None
    national_id: str | None = None
    note: str | None = None


def sample_staff() -> list[Staff]:
    """A small roster: most in post, one moved, one retired, an acting order in a note."""
    return [
        Staff("นายสมชาย ใจดี", "ผู้อำนวยการกองคลัง", "กองคลัง", "พนักงานส่วนตำบล",
              national_id=make_id("310450001234")),
        Staff("นางมาลี ศรีสุข", "นักวิชาการเงินและบัญชีชำนาญการ", "กองคลัง", "พนักงานส่วนตำบล"),
        Staff("นส.พิมพ์ใจ รักษ์ไทย", "เจ้าพนักงานพัสดุปฏิบัติงาน", "กองคลัง", "พนักงานส่วนตำบล",
              "ย้าย", date(2026, 3, 1)),
        Staff("นายอนันต์ กล้าหาญ", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", "สำนักปลัด",
              "พนักงานส่วนตำบล"),
        Staff("นางสาววนิดา  พูลสวัสดิ์", "เจ้าพนักงานธุรการปฏิบัติงาน", "กองช่าง", "พนักงานส่วนตำบล",
              note="รักษาราชการแทนผู้อำนวยการกองช่าง ตามคำสั่งที่ 12/2569"),
        Staff("นางกรรณิกา ทองคำ", "นักวิชาการจัดเก็บรายได้ชำนาญการ", "กองคลัง",
              "พนักงานส่วนตำบล", "เกษียณอายุราชการ", date(2025, 9, 30)),
        Staff("นายสมศักดิ์ ขยันงาน", "คนงานทั่วไป", "กองช่าง", "พนักงานจ้างทั่วไป"),
    ]


ROSTER_LABELS = {
    "seq": "ลำดับที่", "national_id": "เลขประจำตัวประชาชน", "full_name": "ชื่อ - สกุล",
    "position": "ตำแหน่ง", "unit": "สังกัด", "employment": "ประเภทบุคลากร", "status": "สถานะ",
    "status_date": "วันที่มีผล", "note": "หมายเหตุ",
}


def build_roster(staff: list[Staff], *, title: bool = True, sections: bool = False,
                 split_name: bool = False) -> tuple[list[list[object]], dict[str, int]]:
    """Roster rows and the Excel row of each person (by full name as written)."""
    rows: list[list[object]] = []
    where: dict[str, int] = {}
    if title:
        rows.append(["บัญชีรายชื่อพนักงานส่วนตำบลและพนักงานจ้าง"])
        rows.append(["องค์การบริหารส่วนตำบลหนองบัวแดง อำเภอภูเขียว จังหวัดชัยภูมิ"])
        rows.append(["ข้อมูล ณ วันที่ 30 มิถุนายน 2569"])
    fields = ["seq", "national_id", "full_name", "position", "unit", "employment", "status",
              "status_date", "note"]
    if sections:
        fields.remove("unit")
    labels = [ROSTER_LABELS[f] for f in fields]
    if split_name:
        i = fields.index("full_name")
        labels[i:i + 1] = ["คำนำหน้า", "ชื่อ", "นามสกุล"]
    rows.append(labels)
    units = list(dict.fromkeys(s.unit for s in staff)) if sections else [None]
    seq = 0
    for unit in units:
        if unit is not None:
            rows.append([unit])
        for s in staff:
            if unit is not None and s.unit != unit:
                continue
            seq += 1
            row: list[object] = []
            for f in fields:
                if f == "seq":
                    row.append(seq)
                elif f == "full_name" and split_name:
                    from laas_audit.names import split_name as split

                    parts = split(s.full_name)
                    row += [parts.prefix, parts.first, parts.last]
                elif f == "employment":
                    row.append(s.employment)
                elif f == "status_date":
                    row.append(be_text(s.status_date) if s.status_date else None)
                else:
                    row.append(getattr(s, f))
            rows.append(row)
            where[s.full_name] = len(rows)
    rows.append([])
    rows.append(["ลงชื่อ..............................หัวหน้าสำนักปลัด"])
    width = max(len(r) for r in rows)
    return [r + [None] * (width - len(r)) for r in rows], where


# --------------------------------------------------------------------------- several sheets

SheetRows = tuple[str, list[list[object]]]  # (sheet name, rows)
EXPORT_TITLE = (
    ["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
    ["องค์การบริหารส่วนตำบลหนองบัวแดง อำเภอภูเขียว จังหวัดชัยภูมิ"],
    ["ข้อมูล ณ วันที่ 1 กรกฎาคม 2569"],
)
PER_GROUP_HEADER = ["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง", "หน่วยงาน", "สถานะ",
                    "วันที่เข้าใช้งานล่าสุด"]


def export_sheet_per_group(
    accounts: list[Acct], *, header: bool = True
) -> tuple[list[SheetRows], dict[str, list[str]]]:
    """One sheet per user group, named after it: title, "กลุ่มผู้ใช้งาน : X", header, members.

    `header=False`: only the first sheet has the title and the header; each later one starts
    with its group row, then its members and "รวม n ราย". Returns the sheets and each
    username's groups (what reading all of them must give).
    """
    order = list(dict.fromkeys(g for a in accounts for g in a.groups))
    sheets: list[SheetRows] = []
    for group in order:
        headed = header or group == order[0]
        rows: list[list[object]] = [list(r) for r in EXPORT_TITLE] if headed else []
        rows.append([f"กลุ่มผู้ใช้งาน : {group}"])
        if headed:
            rows.append(list(PER_GROUP_HEADER))
        members = [a for a in accounts if group in a.groups]
        for i, a in enumerate(members, 1):
            login = be_text(a.last_login) if a.last_login else None
            rows.append([i, a.username, a.full_name, a.position, a.unit or None, a.status, login])
        if not headed:
            rows.append([f"รวม {len(members)} ราย"])
        sheets.append((re.sub(r"[\\/*?:\[\]]", "-", group)[:31], rows))  # Excel's rule
    return sheets, {a.username: list(a.groups) for a in accounts}


def export_pages_on_sheets(built: Built, per_sheet: int, *, header: bool = True) -> list[SheetRows]:
    """Cut a group-column export into printed pages, one sheet each ("หน้า 1", "หน้า 2" ...).

    The first sheet keeps the title; each sheet repeats the header above its data rows, or,
    with `header=False`, holds its data rows alone.
    """
    header_at = built.header_row - 1
    labels = built.rows[header_at]
    data = [r for r in built.rows[header_at + 1:] if any(v is not None for v in r)]
    sheets: list[SheetRows] = [("หน้า 1", built.rows[:header_at + 1] + data[:per_sheet])]
    for n, start in enumerate(range(per_sheet, len(data), per_sheet), 2):
        top = [labels] if header else []
        sheets.append((f"หน้า {n}", [*top, *data[start:start + per_sheet]]))
    return sheets


def roster_sheet_per_unit(
    staff: list[Staff], *, header: bool = True
) -> tuple[list[SheetRows], dict[str, str]]:
    """One roster sheet per กอง (the same header on each); returns sheets and name -> sheet.

    `header=False`: the later sheets hold their people (and signature line) without the header.
    """
    units = list(dict.fromkeys(s.unit for s in staff))
    sheets: list[SheetRows] = []
    where: dict[str, str] = {}
    for unit in units:
        people = [s for s in staff if s.unit == unit]
        rows, _ = build_roster(people, title=unit == units[0])
        if not header and unit != units[0]:
            rows = rows[1:]  # no title on later sheets: the header is the first row
        sheets.append((unit, rows))
        where.update({s.full_name: unit for s in people})
    return sheets, where


def write_sheets(path: Path, sheets: list[SheetRows], *, hidden: tuple[str, ...] = ()) -> Path:
    """Write several sheets into one xlsx, in order; the sheets named in `hidden` are hidden."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.active = next(i for i, (name, _) in enumerate(sheets) if name not in hidden)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- writers


def write_xlsx(path: Path, rows: list[list[object]], merged: list[tuple[int, int, int, int]] = (),
               *, sheet: str = "รายงาน", summary_first: bool = False) -> Path:
    """Write rows to an xlsx sheet (with merged areas), optionally after a summary sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if summary_first:
        ws.title = "สรุป"
        ws.append(["สรุปจำนวนผู้ใช้งานตามกลุ่ม"])
        ws.append(["กลุ่มผู้ใช้งาน", "จำนวน"])
        ws.append(["เจ้าหน้าที่การเงิน", 3])
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for r0, c0, r1, c1 in merged:
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1,
                           end_column=c1 + 1)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], *, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    """Write rows as CSV text in `encoding` (utf-8, utf-8-sig, cp874 ...)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_html(path: Path, rows: list[list[object]], merged: list[tuple[int, int, int, int]] = (),
               *, charset: str = "utf-8", title_outside: int = 0) -> Path:
    """Write rows as an HTML table saved under an .xls name (as report engines do).

    The first `title_outside` rows become headings before the table (Excel shows each as a row).
    """
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merged}
    covered = {(r, c) for r0, c0, r1, c1 in merged for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
    out = [f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
           "<title>report</title></head><body>"]
    for row in rows[:title_outside]:
        text = " ".join(str(v) for v in row if v is not None)
        out.append(f"<div><b>{html.escape(text)}</b></div>")
    out.append('<table border="1">')
    for r, row in enumerate(rows):
        if r < title_outside:
            continue
        out.append("<tr>")
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            attrs = ""
            if (r, c) in spans:
                rs, cs = spans[(r, c)]
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1
                                                                   else "")
            text = "" if value is None else html.escape(str(value)).replace("\n", "<br>")
            out.append(f"<td{attrs}>{text}</td>")
        out.append("</tr>")
    out.append("</table></body></html>")
    codec = {"windows-874": "cp874", "tis-620": "cp874"}.get(charset, charset)
    path.write_bytes("\n".join(out).encode(codec, errors="strict"))
    return path


def soffice() -> str | None:
    """The LibreOffice binary, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_soffice(source: Path, fmt: str, out_dir: Path) -> Path:
    """Convert a file with headless LibreOffice (e.g. xlsx -> xls)."""
    binary = soffice()
    assert binary is not None
    profile = out_dir / "lo-profile"
    subprocess.run(
        [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    result = out_dir / (source.stem + "." + fmt)
    assert result.exists(), f"LibreOffice did not write {result}"
    return result
