"""Red-team export and roster builders, written from the domain notes alone.

Independent of `scripts/synth.py` and `tests/readers_fixtures.py`: a different person's idea of
what a report engine or an HR clerk produces. Every builder lays out rows (index i = Excel row
i+1), merged areas, and records as it writes what a reader must find: every account with exactly
its groups and Excel rows, every person with name/position/status/status date. All names and
IDs are fictitious (IDs get a valid check digit from made-up digits).
"""

from __future__ import annotations

import csv
import html
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl

from laas_audit.national_id import make_id

Rows = list[list[object]]
Merge = tuple[int, int, int, int]  # 0-based inclusive r0, c0, r1, c1

TH = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = ("", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
          "พ.ย.", "ธ.ค.")
MONTHS_LONG = ("", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฏาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")

FIRST = ("สมพร", "วิไลวรรณ", "ธนากร", "ปิยะนุช", "เกรียงไกร", "สุนันทา", "อำนาจ", "จันทร์เพ็ญ",
         "ชยพล", "รัตนาภรณ์", "บุญเลิศ", "กาญจนา", "ณัฐวุฒิ", "ศิริพร", "ประยุทธ", "อรุณี",
         "ทองใบ", "เพ็ญศรี", "สุริยา", "นงลักษณ์", "ไพโรจน์", "ลำดวน")
LAST = ("แสงทอง", "บุญมา", "ศรีวงศ์", "พรหมมา", "ทองดี", "สายสุวรรณ", "คำแก้ว", "ชัยมงคล",
        "ปัญญาดี", "อินทร์แก้ว", "มณีรัตน์", "วงศ์สวัสดิ์", "จันทร์หอม", "พึ่งบุญ", "ดวงใจ",
        "กองแก้ว", "นาคสุข", "ศรีสมบัติ")
PREFIXES = ("นาย", "นาง", "นางสาว", "น.ส.", "ว่าที่ร้อยตรี", "จ.ส.อ.", "ดร.")
GROUPS = ("ผู้ดูแลระบบ", "หัวหน้าหน่วยงานคลัง", "เจ้าหน้าที่การเงิน", "เจ้าหน้าที่บัญชี",
          "เจ้าหน้าที่พัสดุ", "เจ้าหน้าที่งบประมาณ", "ผู้บริหาร", "เจ้าหน้าที่จัดเก็บรายได้",
          "เจ้าหน้าที่ทะเบียนทรัพย์สิน", "เจ้าหน้าที่ธุรการกองต่างๆ",
          "ผู้ตรวจสอบรายงาน/บัญชี", "เจ้าหน้าที่การเงิน (ผู้ช่วย)")
POSITIONS = ("ผู้อำนวยการกองคลัง", "นักวิชาการเงินและบัญชีชำนาญการ",
             "เจ้าพนักงานพัสดุปฏิบัติงาน", "นักวิเคราะห์นโยบายและแผน", "เจ้าพนักงานธุรการ",
             "นายกองค์การบริหารส่วนตำบล", "ผช.จนท.การเงินและบัญชี", "นักจัดการงานทั่วไป")
UNITS = ("กองคลัง", "สำนักปลัด", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม")

# Header label families, from the notes (every one is a legitimate choice).
LABELS: dict[str, tuple[str, ...]] = {
    "seq": ("ลำดับ", "ที่", "No.", "ลำดับที่"),
    "username": ("ชื่อผู้ใช้", "รหัสผู้ใช้", "ชื่อผู้ใช้งานระบบ", "Username", "User ID", "Login",
                 "ชื่อผู้ใช้งาน"),
    "full_name": ("ชื่อ-สกุล", "ชื่อ - นามสกุล", "Full Name", "ชื่อ-นามสกุล"),
    "national_id": ("เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "เลขบัตร", "Citizen ID"),
    "position": ("ตำแหน่ง", "Position"),
    "unit": ("หน่วยงาน", "สังกัด", "กอง", "ส่วนราชการ", "Department"),
    "group": ("กลุ่มผู้ใช้งาน", "สิทธิ์", "สิทธิการใช้งาน", "User Group", "Role"),
    "status": ("สถานะ", "สถานะการใช้งาน", "Status"),
    "created": ("วันที่สร้าง", "Created"),
    "last_login": ("วันที่เข้าใช้งานล่าสุด", "เข้าสู่ระบบล่าสุด", "Last Login"),
    "password_changed": ("วันที่เปลี่ยนรหัสผ่าน", "Password Changed"),
    "email": ("อีเมล", "E-mail"),
    "phone": ("โทรศัพท์", "เบอร์โทร"),
}
SPLIT_NAME_LABELS = (("คำนำหน้า", "ชื่อ", "นามสกุล"), ("คำนำหน้าชื่อ", "ชื่อ", "นามสกุล"),
                     ("Title", "First Name", "Last Name"))
PERSON_NAME_AMBIGUOUS = "ชื่อผู้ใช้งาน"  # used for the person beside a รหัสผู้ใช้ column


def be(d: date, style: int, thai: bool = False) -> str:
    """A Buddhist-era date in one of the forms the notes list."""
    y = d.year + 543
    text = (f"{d.day} {MONTHS[d.month]} {y}", f"{d.day} {MONTHS_LONG[d.month]} {y}",
            f"{d.day:02d}/{d.month:02d}/{y}")[style % 3]
    return text.translate(TH) if thai else text


@dataclass
class Acct:
    """A fictitious account."""

    username: object  # str, or int for a ThaiD citizen-ID login stored as a number
    prefix: str
    first: str
    last: str
    groups: list[str]
    pid: str
    position: str
    unit: str
    status: str = "ใช้งาน"

    @property
    def full(self) -> str:
        """Prefix glued to the first name, as Thai lists print it."""
        return f"{self.prefix}{self.first} {self.last}"

    @property
    def key(self) -> str:
        """The username as a reader must show it (a float citizen ID without ".0")."""
        u = self.username
        return str(int(u)) if isinstance(u, float) and u.is_integer() else str(u)


def accounts(rng: random.Random, n: int, numeric_ids: int = 1) -> list[Acct]:
    """`n` fictitious accounts, 1-4 groups each; `numeric_ids` log in with a citizen ID."""
    out: list[Acct] = []
    used: set[str] = set()
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        pid = make_id(f"{rng.randint(1, 8)}{rng.randint(10**10, 10**11 - 1)}")
        if i < numeric_ids:
            user: object = int(pid)
        else:
            user = rng.choice((f"{first[:2]}{i}", f"user{i:02d}", f"fin.{i}", f"LAAS_{i}"))
            user = f"u{i:02d}." + "abcdefghijklmnop"[i % 16] * rng.randint(2, 5) \
                if not str(user).isascii() else user
        if str(user) in used:
            user = f"x{i}"
        used.add(str(user))
        k = rng.choice((1, 1, 2, 2, 3, 4))
        groups = rng.sample(GROUPS, k)
        out.append(Acct(user, rng.choice(PREFIXES), first, last, groups, pid,
                        rng.choice(POSITIONS), rng.choice(UNITS),
                        rng.choice(("ใช้งาน", "ใช้งาน", "ระงับการใช้งาน", "ยกเลิก"))))
    return out


@dataclass
class ExportSpec:
    """One combination of everything the notes allow in an export."""

    shape: str = "column"  # column|continuation|merged|cell|sections|group_first
    title_rows: int = 4
    title_merged: bool = True
    title_style: int = 0
    fields: tuple[str, ...] = ("seq", "username", "full_name", "position", "unit", "group")
    label_pick: int = 0
    label_noise: int = 0  # 0 none, 1 trailing colon, 2 newline EN translation, 3 spaces
    split_name: bool = False
    two_row: bool = False  # "ชื่อ-สกุล" parent over คำนำหน้า/ชื่อ/นามสกุล
    person_ambiguous: bool = False  # ชื่อผู้ใช้งาน for the person, รหัสผู้ใช้ for the login
    sep: str = "\n"
    section_style: int = 0
    repeat_every: int = 0
    page_style: int = 0
    footer: bool = True
    signature: bool = True
    blank_rows: bool = False
    thai_digits: bool = False
    sheet_pos: int = 0  # 0 first, 1 after a summary, 2 after a cover + summary
    start_col: int = 0
    as_of: date = date(2026, 6, 30)


@dataclass
class BuiltExport:
    """Rows, merges and what must be read."""

    rows: Rows
    merged: list[Merge]
    expected: dict[str, tuple[list[str], list[int]]]
    body: str
    district: str | None
    province: str | None
    as_of: date | None
    sheet_pos: int = 0
    extra_sheets: list[tuple[str, Rows]] = field(default_factory=list)


BODIES = (("องค์การบริหารส่วนตำบลโนนสะอาด", "เมืองชัยภูมิ", "ชัยภูมิ"),
          ("เทศบาลตำบลหนองแวง", "บ้านเขว้า", "ชัยภูมิ"),
          ("องค์การบริหารส่วนจังหวัดชัยภูมิ", "เมืองชัยภูมิ", "ชัยภูมิ"),
          ("เทศบาลเมืองภูเขียว", "ภูเขียว", "ชัยภูมิ"))


def title_block(rng: random.Random, spec: ExportSpec, width: int) -> tuple[Rows, list[Merge],
                                                                           tuple[str, ...]]:
    """0-8 title rows: report name, body, district/province, date line, parameters."""
    body, district, province = rng.choice(BODIES)
    s = spec.title_style
    place = (f"อำเภอ{district} จังหวัด{province}", f"อ.{district} จ.{province}")[s % 2]
    date_line = (f"ข้อมูล ณ วันที่ {be(spec.as_of, s, spec.thai_digits)}",
                 f"วันที่พิมพ์ {be(spec.as_of, s + 1, spec.thai_digits)} เวลา 10:15 น.",
                 f"พิมพ์เมื่อ {be(spec.as_of, s + 2, spec.thai_digits)}")[s % 3]
    report = "รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"
    lines = [report, body, place, date_line, "กลุ่มผู้ใช้งาน : ทั้งหมด",
             "ระบบบัญชีคอมพิวเตอร์ขององค์กรปกครองส่วนท้องถิ่น (New e-LAAS)",
             "เงื่อนไข : ผู้ใช้งานทุกสถานะ", ""]
    if s % 4 == 1:  # body in the same cell as the report title
        lines = [f"{report}\n{body} {place}", date_line, *lines[4:]]
    elif s % 4 == 2:  # body and place in one line
        lines = [report, f"{body} {place}", date_line, *lines[4:]]
    n = spec.title_rows
    lines = lines[:n] if n <= len(lines) else lines + [""] * (n - len(lines))
    rows: Rows = []
    merged: list[Merge] = []
    for i, line in enumerate(lines):
        row: list[object] = [None] * width
        if line:
            row[spec.start_col] = line
            if spec.title_merged and width > 1:
                merged.append((i, spec.start_col, i, width - 1))
        rows.append(row)
    shown = "\n".join(lines)
    has_place = place in shown
    return rows, merged, (body if body in shown else "",
                          district if has_place else "",
                          province if has_place else "")


def _labels(spec: ExportSpec, rng: random.Random) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name in spec.fields:
        if name == "full_name" and spec.split_name:
            trio = SPLIT_NAME_LABELS[spec.label_pick % len(SPLIT_NAME_LABELS)]
            out += [("prefix", trio[0]), ("first_name", trio[1]), ("last_name", trio[2])]
            continue
        if name == "full_name" and spec.person_ambiguous:
            out.append((name, PERSON_NAME_AMBIGUOUS))
            continue
        if name == "username" and spec.person_ambiguous:
            out.append((name, "รหัสผู้ใช้"))
            continue
        family = LABELS[name]
        label = family[(spec.label_pick + len(name)) % len(family)]
        out.append((name, label))
    noisy: list[tuple[str, str]] = []
    for name, label in out:
        if spec.label_noise == 1:
            label += " :"
        elif spec.label_noise == 2 and name in ("username", "group", "full_name"):
            label += {"username": "\n(Username)", "group": "\n(User Group)",
                      "full_name": "\n(Name)"}[name]
        elif spec.label_noise == 3:
            label = f"  {label.replace(' ', '  ')} "
        noisy.append((name, label))
    return noisy


# Export field -> the Acct attribute that holds its value.
_ACCT_FIELDS = {
    "username": "username", "full_name": "full", "prefix": "prefix", "first_name": "first",
    "last_name": "last", "national_id": "pid", "position": "position", "unit": "unit",
    "status": "status",
}


def _value(a: Acct, name: str, rng: random.Random, spec: ExportSpec) -> object:
    d = date(2025 + (hash(a.key) % 2), 1 + len(a.first) % 12, 1 + len(a.last) % 28)
    if name == "seq":
        return None  # filled by the caller
    if name in _ACCT_FIELDS:
        return getattr(a, _ACCT_FIELDS[name])
    if name in ("created", "last_login", "password_changed"):
        return be(d, len(name), spec.thai_digits) if len(name) % 2 else datetime(d.year, d.month,
                                                                                  d.day, 9, 30)
    if name == "email":
        return f"{str(a.username).lower()}@example.go.th"
    if name == "phone":
        return "08" + str(a.pid)[-8:]
    return None


SECTION_PHRASES = ("กลุ่มผู้ใช้งาน : {g}", "กลุ่ม {g}", "กลุ่มผู้ใช้งาน {g} ({n} คน)", "{g}",
                   "ชื่อกลุ่มผู้ใช้งาน: {g}", "กลุ่มผู้ใช้งาน - {g} จำนวน {n} ราย",
                   "{k}|กลุ่มผู้ใช้งาน : {g}", "กลุ่มที่ {k}|{g}", "{k}. {g}",
                   "กลุ่มผู้ใช้งาน :|{g}")
PAGE_ROWS = ("หน้า {p}", "หน้า {p}/{t}", "Page {p} of {t}", "- {p} -")
FOOTERS = ("รวม {n} ราย", "รวมทั้งสิ้น {n} ราย", "จำนวนผู้ใช้งานทั้งหมด {n} คน")


def build_export(rng: random.Random, spec: ExportSpec, accts: list[Acct]) -> BuiltExport:
    """Lay an export out as `spec` says and record what a reader must find."""
    labels = _labels(spec, rng)
    if spec.shape in ("sections",):
        labels = [(n, lab) for n, lab in labels if n != "group"]
    if spec.shape == "group_first":  # sorted by group: the group column leads
        labels = [lab for lab in labels if lab[0] == "group"] + [
            lab for lab in labels if lab[0] != "group"]
    names = [n for n, _ in labels]
    c0 = spec.start_col
    width = c0 + len(labels)
    rows, merged, (body, district, province) = title_block(rng, spec, width)
    expected: dict[str, tuple[list[str], list[int]]] = {a.key: ([], []) for a in accts}
    header_rows: list[Rows] = []

    def pad(cells: list[object]) -> list[object]:
        return [None] * c0 + cells

    if spec.two_row and spec.split_name:
        top = [lab if n not in ("prefix", "first_name", "last_name") else None
               for n, lab in labels]
        first_name_col = names.index("prefix")
        top[first_name_col] = "ชื่อ-สกุล"
        bottom = [lab if n in ("prefix", "first_name", "last_name") else None
                  for n, lab in labels]
        header_rows = [pad(top), pad(bottom)]
    else:
        header_rows = [pad([lab for _, lab in labels])]

    def add_header() -> None:
        start = len(rows)
        for h in header_rows:
            rows.append(list(h))
        if len(header_rows) == 2:
            pc = c0 + names.index("prefix")
            merged.append((start, pc, start, pc + 2))
            for i, n in enumerate(names):
                if n not in ("prefix", "first_name", "last_name"):
                    merged.append((start, c0 + i, start + 1, c0 + i))

    add_header()
    data_since_header = 0
    page = 1
    seq = 0

    def note(a: Acct, groups: list[str]) -> None:
        exp = expected[a.key]
        for g in groups:
            if g not in exp[0]:
                exp[0].append(g)
        if len(rows) not in exp[1]:
            exp[1].append(len(rows))  # the row just appended, as Excel numbers it

    def maybe_page_break() -> None:
        nonlocal data_since_header, page
        if spec.repeat_every and data_since_header >= spec.repeat_every:
            page += 1
            rows.append(pad([PAGE_ROWS[spec.page_style % 4].format(p=page - 1, t=9)] +
                            [None] * (len(labels) - 1)))
            if spec.blank_rows:
                rows.append([None] * width)
            add_header()
            data_since_header = 0

    def line(a: Acct, group_cell: object, first: bool, n_seq: int | None) -> list[object]:
        cells: list[object] = []
        for n in names:
            if n == "group":
                cells.append(group_cell)
            elif n == "seq":
                s = n_seq if n_seq is not None else None
                cells.append(None if s is None else (str(s).translate(TH) if spec.thai_digits
                                                     else s))
            elif not first:
                cells.append(None)
            else:
                cells.append(_value(a, n, rng, spec))
        return pad(cells)

    if spec.shape in ("column", "continuation", "merged", "cell"):
        for a in accts:
            maybe_page_break()
            seq += 1
            if spec.shape == "cell":
                rows.append(line(a, _join_groups(a.groups, spec.sep), True, seq))
                note(a, a.groups)
                data_since_header += 1
                continue
            top = len(rows)
            for i, g in enumerate(a.groups):
                first = i == 0 or spec.shape == "column"
                rows.append(line(a, g, first, seq if first else None))
                note(a, [g])
                data_since_header += 1
            if spec.shape == "merged" and len(a.groups) > 1:
                for i, n in enumerate(names):
                    if n != "group":
                        merged.append((top, c0 + i, len(rows) - 1, c0 + i))
            if spec.blank_rows and rng.random() < 0.2:
                rows.append([None] * width)
    elif spec.shape == "group_first":
        by_group: dict[str, list[Acct]] = {}
        for a in accts:
            for g in a.groups:
                by_group.setdefault(g, []).append(a)
        for g, members in by_group.items():
            for i, a in enumerate(members):
                maybe_page_break()
                seq += 1
                rows.append(line(a, g if i == 0 else None, True, seq))
                note(a, [g])
                data_since_header += 1
    elif spec.shape == "sections":
        by_group = {}
        for a in accts:
            for g in a.groups:
                by_group.setdefault(g, []).append(a)
        for g, members in by_group.items():
            phrase = SECTION_PHRASES[spec.section_style % len(SECTION_PHRASES)]
            k = list(by_group).index(g) + 1
            cells = phrase.format(g=g, n=len(members), k=k).split("|")
            rows.append(pad(cells + [None] * (len(labels) - len(cells))))
            if spec.section_style % 2 == 1 and len(cells) == 1:  # merged across the table
                merged.append((len(rows) - 1, c0, len(rows) - 1, width - 1))
            for i, a in enumerate(members, start=1):
                maybe_page_break()
                rows.append(line(a, None, True, i))
                note(a, [g])
                data_since_header += 1
            if spec.footer and spec.section_style % 3 == 0:
                rows.append(pad([f"รวม {len(members)} ราย"] + [None] * (len(labels) - 1)))
    if spec.footer:
        rows.append([None] * width)
        foot = FOOTERS[spec.title_style % 3].format(n=len(accts))
        rows.append(pad([foot] + [None] * (len(labels) - 1)))
    if spec.signature:
        rows.append([None] * width)
        rows.append(pad([None, "ลงชื่อ.................................ผู้พิมพ์รายงาน"] +
                        [None] * (len(labels) - 2)))
        rows.append(pad([None, "(นายสมพร แสงทอง)"] + [None] * (len(labels) - 2)))
        rows.append(pad([None, "ตำแหน่ง ........................"] + [None] * (len(labels) - 2)))
    as_of = spec.as_of if spec.title_rows >= (2 if spec.title_style % 4 == 1 else 4) else None
    extra: list[tuple[str, Rows]] = []
    if spec.sheet_pos >= 2:
        extra.append(("ปก", [["รายงานผู้ใช้งานระบบ New e-LAAS"], [None],
                             ["ลำดับ", "รายการ", "หน้า"], [1, "สรุปจำนวนผู้ใช้งาน", 2],
                             [2, "รายชื่อผู้ใช้งาน", 3]]))
    if spec.sheet_pos >= 1:
        extra.append(("สรุป", [["สรุปจำนวนผู้ใช้งานตามกลุ่ม"],
                               ["ที่", "กลุ่มผู้ใช้งาน", "จำนวน (คน)"],
                               [1, GROUPS[2], 3], [2, GROUPS[4], 2], [None, "รวม", 5]]))
    return BuiltExport(rows, merged, {k: v for k, v in expected.items() if v[0]}, body,
                       district or None, province or None, as_of, spec.sheet_pos, extra)


def _join_groups(groups: list[str], sep: str) -> str:
    if sep == "numbered":
        return " ".join(f"{i}. {g}" for i, g in enumerate(groups, start=1))
    if sep == "numbered-lines":
        return "\n".join(f"{i}. {g}" for i, g in enumerate(groups, start=1))
    return sep.join(groups)


# --------------------------------------------------------------------------- writers


def write_xlsx(path: Path, rows: Rows, merged: list[Merge],
               extra: list[tuple[str, Rows]] | None = None) -> Path:
    """Sheets in `extra` first (cover, summary), then the report with its merges."""
    wb = openpyxl.Workbook()
    first = wb.active
    sheets = [*(extra or []), ("รายงานผู้ใช้งาน", rows)]
    for i, (name, data) in enumerate(sheets):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = name
        for r, row in enumerate(data, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    ws.cell(r, c, v)
    for r0, c0, r1, c1 in merged:
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    wb.save(path)
    return path


def _csv_cell(v: object, sci: bool) -> str:
    if v is None:
        return ""
    if isinstance(v, int) and sci and v > 10**12:
        return f"{v:.11E}".replace("E+", "E+")  # what Excel writes: 12 significant digits
    if isinstance(v, datetime):
        return v.strftime("%d/%m/%Y")
    return str(v)


def write_csv(path: Path, rows: Rows, *, delimiter: str = ",", encoding: str = "utf-8",
              trailing: bool = False, sci: bool = False) -> Path:
    """CSV the way Excel or a report engine saves it: CRLF, quoted multi-line cells."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        cells = [_csv_cell(v, sci) for v in row]
        w.writerow(cells + ([""] if trailing else []))
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_html(path: Path, rows: Rows, merged: list[Merge], *, charset: str = "utf-8",
               th_header: int | None = None, title_outside: int = 0, nbsp: bool = False,
               nested: bool = False) -> Path:
    """An HTML report saved as .xls: <th> header, <br> in cells, rowspans, &nbsp;."""
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merged}
    covered = {(r, c) for r0, c0, r1, c1 in merged for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
    out = ["<html><head>"
           f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
           "<style>td{mso-number-format:\\@}</style></head><body>"]
    for row in rows[:title_outside]:
        text = " ".join(str(v) for v in row if v is not None)
        out.append(f"<p align=center>{html.escape(text).replace(chr(10), '<br>')}</p>"
                   if text else "<p>&nbsp;</p>")
    if nested:
        out.append("<table width='100%'><tr><td>")
    out.append('<table border="1" cellspacing="0">')
    for r in range(title_outside, len(rows)):
        out.append("<tr>")
        for c, v in enumerate(rows[r]):
            if (r, c) in covered:
                continue
            tag = "th" if th_header is not None and r == th_header else "td"
            attrs = ""
            if (r, c) in spans:
                rs, cs = spans[(r, c)]
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (
                    f' colspan="{cs}"' if cs > 1 else "")
            text = "" if v is None else html.escape(_csv_cell(v, False)).replace("\n", "<br>")
            if nbsp and text:
                text = text.replace(" ", "&nbsp;", 1)
            out.append(f"<{tag}{attrs}>{text or ('&nbsp;' if nbsp else '')}</{tag}>")
        out.append("</tr>")
    out.append("</table>")
    if nested:
        out.append("</td></tr></table>")
    out.append("</body></html>")
    codec = "cp874" if charset.lower() in ("windows-874", "tis-620") else charset
    path.write_bytes("\n".join(out).encode(codec))
    return path


# --------------------------------------------------------------------------- rosters


@dataclass
class Staff:
    """A fictitious roster person, and what a reader must report for them."""

    prefix: str
    first: str
    last: str
    position: str
    unit: str
    kind: str = "พนักงานส่วนตำบล"
    status: str = "ปกติ"
    status_date: date | None = None
    note: str | None = None
    pid: str = ""

    @property
    def full(self) -> str:
        """Name as one cell: prefix glued on."""
        return f"{self.prefix}{self.first} {self.last}"


STATUSES = (("ปกติ", None), ("ปฏิบัติราชการ", None), ("ย้าย", date(2026, 7, 1)),
            ("โอน", date(2026, 3, 15)), ("ลาออก", date(2025, 12, 31)),
            ("เกษียณอายุราชการ", date(2025, 9, 30)), ("ลาศึกษาต่อ", date(2026, 5, 16)),
            ("ช่วยราชการ", date(2026, 1, 2)))
KINDS = ("พนักงานส่วนตำบล", "ลูกจ้างประจำ", "พนักงานจ้างตามภารกิจ", "พนักงานจ้างทั่วไป",
         "จ้างเหมาบริการ")
RANK_PREFIXES = ("นาย", "นาง", "นางสาว", "นส.", "น.ส.", "ว่าที่ ร.ต.", "จ.ส.อ.", "ดร.",
                 "ว่าที่ร้อยตรีหญิง", "พ.ต.ท.")


def staff(rng: random.Random, n: int) -> list[Staff]:
    """`n` fictitious people in several units with assorted statuses."""
    out = []
    for _ in range(n):
        status, when = rng.choice(STATUSES)
        note = rng.choice((None, None, "รักษาราชการแทนผู้อำนวยการกองคลัง ตามคำสั่งที่ 123/2569",
                           "ปฏิบัติหน้าที่แทนหัวหน้าสำนักปลัด"))
        out.append(Staff(rng.choice(RANK_PREFIXES), rng.choice(FIRST), rng.choice(LAST),
                         rng.choice(POSITIONS), rng.choice(UNITS), rng.choice(KINDS), status,
                         when, note,
                         make_id(f"{rng.randint(1, 8)}{rng.randint(10**10, 10**11 - 1)}")))
    return out


@dataclass
class BuiltRoster:
    """Rows, merges and the people a reader must find (Excel row -> facts)."""

    rows: Rows
    merged: list[Merge]
    expected: dict[int, dict[str, object]]


def build_roster(rng: random.Random, shape: str, people: list[Staff], *,
                 status_in_cell: bool = False, thai_digits: bool = False,
                 title_rows: int = 3) -> BuiltRoster:
    """Lay a roster out: "lhr", "workforce" (บัญชีแสดงจัดคนลงสู่ตำแหน่ง) or "handmade"."""
    rows: Rows = []
    merged: list[Merge] = []
    expected: dict[int, dict[str, object]] = {}
    body = rng.choice(BODIES)
    titles = [f"บัญชีรายชื่อพนักงาน {body[0]}", f"อำเภอ{body[1]} จังหวัด{body[2]}",
              f"ข้อมูล ณ วันที่ {be(date(2026, 6, 30), 0, thai_digits)}", ""][:title_rows]
    if shape == "workforce":
        titles = ["บัญชีแสดงจัดคนลงสู่ตำแหน่งและการกำหนดเลขที่ตำแหน่ง", f"{body[0]}",
                  "แผนอัตรากำลัง 3 ปี (พ.ศ. 2567 - 2569)"][:title_rows]
    for t in titles:
        rows.append([t])

    def when(p: Staff) -> str | object:
        if p.status_date is None:
            return None
        return be(p.status_date, rng.randint(0, 2), thai_digits) if rng.random() < .7 else \
            datetime(p.status_date.year + 543, p.status_date.month, p.status_date.day)

    def status_cell(p: Staff) -> str:
        if status_in_cell and p.status_date is not None:
            return f"{p.status} ({be(p.status_date, 0, thai_digits)})"
        return p.status

    def expect(p: Staff, full: str) -> None:
        dated = shape != "workforce" or status_in_cell
        expected[len(rows)] = {"full_name": full, "position": p.position, "status": p.status,
                               "status_date": p.status_date if dated else None}

    if shape == "lhr":
        head = ["ลำดับ", "เลขประจำตัวประชาชน", "คำนำหน้าชื่อ", "ชื่อ", "นามสกุล", "ตำแหน่ง",
                "สังกัด", "ประเภทบุคลากร", "สถานะ", "วันที่มีผล", "หมายเหตุ"]
        if status_in_cell:
            head = head[:9] + head[10:]
        rows.append(head)
        for i, p in enumerate(people, start=1):
            row: list[object] = [i, p.pid, p.prefix, p.first, p.last, p.position, p.unit,
                                 p.kind, status_cell(p)]
            if not status_in_cell:
                row.append(when(p))
            row.append(p.note)
            rows.append(row)
            expect(p, f"{p.prefix}{p.first} {p.last}")
        return BuiltRoster(rows, merged, expected)
    if shape == "workforce":
        top = len(rows)
        rows.append(["ที่", "ชื่อ-สกุล", "กรอบอัตรากำลังเดิม", None, None, "กรอบอัตรากำลังใหม่",
                     None, None, "สถานะ", "หมายเหตุ"])
        rows.append([None, None, "ตำแหน่ง", "เลขที่ตำแหน่ง", "ระดับ", "ตำแหน่ง",
                     "เลขที่ตำแหน่ง", "ระดับ", None, None])
        merged += [(top, 2, top, 4), (top, 5, top, 7), (top, 0, top + 1, 0), (top, 1, top + 1, 1),
                   (top, 8, top + 1, 8), (top, 9, top + 1, 9)]
        n = 0
        for unit in UNITS:
            members = [p for p in people if p.unit == unit]
            rows.append([None, unit])
            merged.append((len(rows) - 1, 1, len(rows) - 1, 9))
            for p in members:
                n += 1
                num = f"10-3-0{UNITS.index(unit) + 1}-{3100 + n}"
                rows.append([n, p.full, p.position, num, "ปฏิบัติการ", p.position, num,
                             "ปฏิบัติการ", status_cell(p), p.note])
                expect(p, p.full)
            # vacant positions: a position with no person ("ว่าง", or an empty name)
            rows.append([None, "ว่าง", "นักวิชาการพัสดุ", f"10-3-0{UNITS.index(unit) + 1}-9001",
                         "ปฏิบัติการ", "นักวิชาการพัสดุ", "x", "ปฏิบัติการ", None, "ว่างเดิม"])
            rows.append([None, None, "เจ้าพนักงานธุรการ", "x", "ปง.", "เจ้าพนักงานธุรการ", "x",
                         "ปง.", None, "ตำแหน่งว่าง"])
        return BuiltRoster(rows, merged, expected)
    # hand-made: section rows per กอง, one name column, status with its date
    rows.append(["ที่", "ชื่อ - สกุล", "ตำแหน่ง", "ประเภท", "สถานะ", "วันที่", "หมายเหตุ"])
    n = 0
    for unit in UNITS:
        members = [p for p in people if p.unit == unit]
        if not members:
            continue
        rows.append([unit])
        for p in members:
            n += 1
            name = f"{p.prefix} {p.first}  {p.last}" if n % 3 == 0 else p.full
            rows.append([str(n).translate(TH) if thai_digits else n, name, p.position, p.kind,
                         status_cell(p), None if status_in_cell else when(p), p.note])
            expect(p, " ".join(name.split()))
        rows.append([None, f"รวม {len(members)} คน"])
    rows.append([])
    rows.append([None, "ลงชื่อ....................หัวหน้าสำนักปลัด"])
    return BuiltRoster(rows, merged, expected)


# --------------------------------------------------------------------------- combinations


SHAPES = ("column", "continuation", "merged", "cell", "sections", "group_first")
FIELDSETS = (
    ("seq", "username", "full_name", "position", "unit", "group"),
    ("seq", "username", "full_name", "national_id", "position", "unit", "group", "status",
     "created", "last_login", "password_changed", "email", "phone"),
    ("username", "full_name", "group", "status", "last_login"),
    ("seq", "full_name", "username", "position", "group"),
)
SEPS = ("\n", ",", ";", " , ", "|", "numbered", "numbered-lines", ", ")
FORMATS = ("xlsx", "csv", "csv-semi", "csv-tab-874", "html", "html-874")


def random_export(seed: int) -> tuple[ExportSpec, str, list[Acct], random.Random]:
    """A reproducible random combination of everything `ExportSpec` varies, and a format."""
    rng = random.Random(seed)
    spec = ExportSpec(
        shape=rng.choice(SHAPES), title_rows=rng.randint(0, 8), title_merged=rng.random() < .5,
        title_style=rng.randint(0, 11), fields=rng.choice(FIELDSETS),
        label_pick=rng.randint(0, 6), label_noise=rng.randint(0, 3),
        split_name=rng.random() < .3, person_ambiguous=rng.random() < .2,
        sep=rng.choice(SEPS), section_style=rng.randint(0, 9),
        repeat_every=rng.choice((0, 0, 3, 5)), page_style=rng.randint(0, 3),
        footer=rng.random() < .7, signature=rng.random() < .6, blank_rows=rng.random() < .4,
        thai_digits=rng.random() < .3, sheet_pos=rng.randint(0, 2),
        start_col=rng.choice((0, 0, 1)))
    spec.two_row = spec.split_name and rng.random() < .5
    if spec.person_ambiguous:
        spec.split_name = spec.two_row = False
    fmt = rng.choice(FORMATS)
    if spec.shape == "merged" and fmt.startswith("csv"):
        spec.shape = "continuation"  # CSV has no merged cells
    accts = accounts(rng, rng.randint(3, 12), numeric_ids=rng.randint(0, 2))
    if fmt == "xlsx" and rng.random() < .5:  # citizen-ID logins stored as floats
        for a in accts:
            if isinstance(a.username, int):
                a.username = float(a.username)
    return spec, fmt, accts, rng


def write_export(path: Path, fmt: str, built: BuiltExport, spec: ExportSpec,
                 rng: random.Random) -> Path:
    """Write `built` in `fmt` (see `FORMATS`); returns the file written."""
    if fmt == "xlsx":
        return write_xlsx(path.with_suffix(".xlsx"), built.rows, built.merged,
                          built.extra_sheets)
    if fmt == "csv":
        return write_csv(path.with_suffix(".csv"), built.rows,
                         encoding=rng.choice(("utf-8", "utf-8-sig")), trailing=rng.random() < .5)
    if fmt == "csv-semi":
        return write_csv(path.with_suffix(".csv"), built.rows, delimiter=";",
                         encoding="utf-8-sig")
    if fmt == "csv-tab-874":
        return write_csv(path.with_suffix(".csv"), built.rows, delimiter="\t", encoding="cp874")
    header = spec.title_rows
    return write_html(path.with_suffix(".xls"), built.rows, built.merged,
                      charset="windows-874" if fmt.endswith("874") else "utf-8",
                      th_header=header, title_outside=rng.choice((0, header)),
                      nbsp=rng.random() < .5, nested=rng.random() < .3)


def username_key(user: object) -> str:
    """How a reader should show a login: a float citizen ID loses its ".0"."""
    if isinstance(user, float) and user.is_integer():
        return str(int(user))
    return str(user)
