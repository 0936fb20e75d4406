"""Read the New e-LAAS report รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน into an `ExportTable`.

Any layout the notes describe: the report on any sheet under a title block; groups as a column
(one row per membership), as section rows above their members, or several in one cell; repeated
page headers, page numbers, totals and signatures dropped (and counted). A user in n groups is
folded into one `Account` with every group and every Excel row. Nothing is lost silently: rows
that cannot be read and columns not understood become warnings with their Excel location.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path

from laas_audit.dates import parse_date
from laas_audit.errors import InputError, InputWarning, Location, column_letter
from laas_audit.grid import Cell, Grid, Sheet, load_grid
from laas_audit.layout import (
    ALL_FIELDS,
    AMBIGUOUS_USER,
    EXPORT_FIELDS,
    FIELD_TH,
    Header,
    Kind,
    TitleInfo,
    detect_kind,
    find_header,
    footer_kind,
    group_above,
    heading_group,
    is_ordinal,
    kind_of,
    label_in,
    label_key,
    looks_like_username,
    read_title,
    row_text,
    section_group,
    split_groups,
)
from laas_audit.mapping import Mapping
from laas_audit.names import split_name
from laas_audit.national_id import clean_id, is_valid_id
from laas_audit.other_sheets import refuse_continued
from laas_audit.tables import Account, ExportTable, SourceFile
from laas_audit.thai import cell_line, cell_text, normalise_text

_COUNT_ONLY = re.compile(r"^\(?\s*(?:จำนวน|รวม)?\s*\d+\s*(?:คน|ราย|users?|accounts?)\s*\)?$", re.I)
DATE_FIELDS = ("created", "last_login", "password_changed")
TEXT_FIELDS = ("position", "unit", "status", "email", "phone")
# Attributes compared across a user's rows; a difference is reported, the first value kept.
CONFLICT_FIELDS = ("full_name", "national_id", "position", "unit", "status", "email", "phone")


def read_export(
    path: Path, mapping: Mapping | None = None, *, validate: bool = True
) -> ExportTable:
    """Read an e-LAAS user-group export (any supported format and layout).

    Raises `InputError` for a file that is unreadable, is not an export (an HR roster, say so),
    has no username column, no groups, or no data rows. `validate=False` skips the pandera gate
    (for callers that validate many tables at once).
    """
    return export_from_grid(load_grid(Path(path), "export"), mapping, validate=validate)


def sniff_kind(path: Path) -> Kind | None:
    """Say whether a file is an e-LAAS export or an HR roster, by content; None if neither."""
    return detect_kind(load_grid(Path(path), None).sheets)


# --------------------------------------------------------------------------- shared with rosters


@dataclass
class Located:
    """The table found in a grid: sheet, header, title and a place to collect warnings."""

    grid: Grid
    sheet: Sheet
    header: Header  # restricted to the fields of the kind being read
    full: Header  # the same header over all fields (to tell an export from a roster)
    overrides: dict[str, str] = field(default_factory=dict)  # --mapping: label key -> field
    warnings: list[InputWarning] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    footer_lines: list[str] = field(default_factory=list)
    totals: list[tuple[int, str]] = field(default_factory=list)  # (Excel row, text) of totals

    @property
    def file(self) -> str:
        """The file as given, for messages."""
        return str(self.grid.path)

    def where(self, row: int | None = None, col: int | None = None) -> Location:
        """Give a location in this sheet; `row` is the Excel row, `col` the 0-based column."""
        return Location(
            self.file, self.sheet.name, row, column_letter(col) if col is not None else None
        )

    def warn(self, row: int | None, col: int | None, th: str, en: str) -> None:
        """Record an odd-but-readable finding at an Excel location."""
        self.warnings.append(InputWarning(self.where(row, col), th, en))

    def skip(self, what: str) -> None:
        """Count a dropped row (blank, page header, total, signature ...)."""
        self.skipped[what] = self.skipped.get(what, 0) + 1

    def texts_or_skip(
        self, row: Sequence[Cell], signature: dict[int, tuple[str, str | None]]
    ) -> list[tuple[int, str]] | None:
        """Return the row's (column, text) cells, or None once counted as blank or a header."""
        texts = row_texts(row)
        if not texts:
            self.skip("blank")
            return None
        if is_repeated_header(texts, signature):
            self.skip("header")
            return None
        return texts

    def skip_footer(self, values: list[str], row: int) -> bool:
        """Count a page number, total, signature or stamp line as skipped (its text is kept).

        `row` is the Excel row: a total is kept with it, to be compared with what was read.
        """
        kind = footer_kind(values)
        if kind:
            self.skip(kind)
            self.footer_lines.append(" ".join(values))
            if kind == "total":
                self.totals.append((row, " ".join(values)))
        return kind is not None

    def check_total(self, read: int, rows: int, kind: Kind) -> None:
        """Warn when the footer's grand total is neither the count read nor the rows read.

        A report that says "รวมทั้งสิ้น 22 ราย" of which 6 were read has rows elsewhere: on
        another sheet (a hidden one is not looked at), or deleted. Only a footer that counts
        the whole table is compared: one "รวม n ราย" per group is not a total of the table.
        """
        stated = stated_total(self.totals)
        if stated is None or stated[1] in (read, rows):
            return
        row, total = stated
        what_th, unit_th, what_en, unit_en = (
            ("รายงาน", "บัญชี", "report", "accounts") if kind == "export"
            else ("ทะเบียน", "คน", "roster", "people")
        )
        self.warn(
            row, None,
            f"ยอดรวมท้าย{what_th}ระบุ {total} ราย แต่อ่านได้ {read} {unit_th}: "
            "ตรวจว่าไม่มีแถวข้อมูลอยู่ในชีตอื่น (รวมชีตที่ซ่อนไว้) หรือถูกลบออกไป",
            f"the {what_en}'s total says {total} but {read} {unit_en} were read: check that no "
            "rows are on another sheet (a hidden one too) or were deleted",
        )

    def title(self) -> TitleInfo:
        """Body and as-of date from the rows above the header, footers and other sheets."""
        rows = self.sheet.rows
        lines = [row_text(rows[i]) for i in range(self.header.first_row)]
        lines += self.footer_lines
        for other in self.grid.sheets:
            if other is not self.sheet:
                lines += [row_text(r) for r in other.rows[:10]]
        return read_title(lines)

    def source(self, rows: int) -> SourceFile:
        """Provenance of what was read."""
        return SourceFile(
            path=self.file,
            name=self.grid.path.name,
            sha256=self.grid.sha256,
            sheet=self.sheet.name,
            header_row=self.header.excel_row,
            columns={
                f: self.header.labels.get(c, "")
                for f, c in sorted(self.header.fields.items(), key=lambda fc: fc[1])
            },
            rows=rows,
            letters={f: column_letter(c) for f, c in self.header.fields.items()},
        )


# The table's total in a footer: "รวมทั้งสิ้น ๒๒ ราย ๒๕ รายการ", "จำนวนผู้ใช้งานทั้งหมด 12 คน".
# ("รายการ" counts rows, "ราย"/"คน" people or accounts: only the latter is taken.)
_GRAND_TOTAL_RE = re.compile(
    r"^(?:รวมทั้งสิ้น|รวมทั้งหมด|ทั้งหมด|จำนวน[^\d]{0,30}?ทั้งหมด|grand\s*total|total)\s*[:：]?\s*"
    r"(\d+)\s*(?:ราย(?!การ)|คน|บัญชี|users?\b|accounts?\b|persons?\b|people\b)",
    re.I,
)
_PLAIN_TOTAL_RE = re.compile(r"^รวม\s*[:：]?\s*(\d+)\s*(?:ราย(?!การ)|คน|บัญชี)")


def stated_total(totals: Sequence[tuple[int, str]]) -> tuple[int, int] | None:
    """Return (Excel row, count) of the footer that counts the whole table, if one does.

    A grand total ("รวมทั้งสิ้น …") wins; else a lone "รวม n ราย" (several are per group).
    """
    grand = [(row, m) for row, text in totals if (m := _GRAND_TOTAL_RE.match(text))]
    if not grand:
        grand = [(row, m) for row, text in totals if (m := _PLAIN_TOTAL_RE.match(text))]
        if len(grand) != 1:
            return None
    row, m = grand[-1]
    return row, int(m.group(1))


def hint_mapping(kind: Kind) -> tuple[str, str]:
    """Give the Thai/English 'what to do' pointing at --mapping."""
    what = "รายงานจาก New e-LAAS" if kind == "export" else "ทะเบียนบุคลากร"
    return (
        f"ตรวจว่าไฟล์นี้คือ{what} หรือบอกชื่อคอลัมน์ด้วย --mapping (YAML: ฟิลด์: \"ชื่อคอลัมน์\")",
        'Check it is the right file, or name the columns with --mapping (YAML: field: "label").',
    )


def locate(grid: Grid, kind: Kind, mapping: Mapping | None, fields: Sequence[str]) -> Located:
    """Find the header for `kind`, resolve ambiguous columns, warn about odd columns."""
    overrides = mapping.overrides(kind) if mapping else {}
    full = find_header(grid.sheets, ALL_FIELDS, overrides)
    file = str(grid.path)
    if full is None:
        raise _no_table(grid, kind)
    sheet = grid.sheets[full.sheet_index]
    header = full.restricted(fields)
    found = Located(grid, sheet, header, full, overrides)
    if mapping:
        seen = {label_key(part) for t in full.labels.values() for part in (t, *t.split(" / "))}
        for name, labels in mapping.labels(kind).items():
            if any(label_key(label) in seen for label in labels):
                continue
            col = header.fields.get(name)
            if col is None:
                found.warn(
                    header.excel_row, None,
                    f"ไม่พบคอลัมน์ตาม mapping สำหรับ '{name}': {', '.join(labels)}",
                    f"mapping label(s) for '{name}' not found: {', '.join(labels)}",
                )
            else:  # the usual label was there: used, and the mapping's miss said
                instead = f"{column_letter(col)} '{header.labels.get(col, '')}'"
                found.warn(
                    header.excel_row, col,
                    f"ไม่พบคอลัมน์ตาม mapping สำหรับ '{name}': {', '.join(labels)} "
                    f"จึงใช้คอลัมน์ {instead} ตามชื่อหัวคอลัมน์ที่รู้จัก",
                    f"mapping label(s) for '{name}' not found: {', '.join(labels)}; column "
                    f"{instead} is used, by its usual label",
                )
    for name, cols in header.duplicates.items():
        used = header.fields[name]
        if name in ("username", "group"):
            th, en = hint_mapping(kind)
            raise InputError(
                Location(file, sheet.name, header.excel_row, column_letter(cols[0])),
                f"มีหลายคอลัมน์ที่อาจเป็น '{FIELD_TH[name]}' (คอลัมน์ {column_letter(used)} และ "
                f"{', '.join(column_letter(c) for c in cols)}) จึงเลือกไม่ได้",
                f"several columns could be '{name}' ({column_letter(used)} and "
                f"{', '.join(column_letter(c) for c in cols)}), so none can be chosen",
                th, en,
            )
        for col in cols:
            found.warn(
                header.excel_row, col,
                f"หัวคอลัมน์ '{header.labels.get(col, '')}' ซ้ำกับคอลัมน์ {column_letter(used)} "
                f"({FIELD_TH[name]}): ใช้คอลัมน์แรก",
                f"column label '{header.labels.get(col, '')}' repeats column "
                f"{column_letter(used)} ({name}): the first is used",
            )
    ignored = header.unused_columns()
    if ignored:
        listed = ", ".join(f"{column_letter(c)} '{header.labels[c]}'" for c in ignored)
        found.warn(
            header.excel_row, None,
            f"ไม่ได้ใช้คอลัมน์: {listed}",
            f"column(s) ignored: {listed}",
        )
    return found


def _no_table(grid: Grid, kind: Kind) -> InputError:
    seen: list[str] = []
    for sheet in grid.sheets:
        for row in sheet.rows[:15]:
            text = row_text(row)
            if text:
                seen.append(text[:80])
            if len(seen) >= 5:
                break
    th, en = hint_mapping(kind)
    what_th = "รายงานผู้ใช้งานจาก New e-LAAS" if kind == "export" else "ทะเบียนบุคลากร"
    what_en = "New e-LAAS user report" if kind == "export" else "HR roster"
    return InputError(
        Location(str(grid.path)),
        f"ไม่พบตาราง{what_th} (ไม่มีแถวหัวตารางที่รู้จักใน 40 แถวแรกของทุกชีต)",
        f"no {what_en} table found (no row of known column labels in the first 40 rows of any "
        "sheet)",
        th, en,
        problems=[f"seen / พบ: {s}" for s in seen] or ["the file holds no text / ไม่มีข้อความ"],
    )


def wrong_kind(grid: Grid, expected: Kind) -> InputError:
    """Build the error for a roster given as the export, or the reverse."""
    if expected == "export":
        return InputError(
            Location(str(grid.path)),
            "ไฟล์นี้ดูเหมือนเป็นทะเบียนบุคลากร (HR) ไม่ใช่รายงานผู้ใช้งานจาก New e-LAAS",
            "this looks like an HR roster, not the New e-LAAS user export",
            "สลับไฟล์: ให้รายงานจาก New e-LAAS เป็นไฟล์แรก (export) และทะเบียนบุคลากรเป็น --roster",
            "Swap the files: the New e-LAAS export goes first, the HR roster as the roster.",
        )
    return InputError(
        Location(str(grid.path)),
        "ไฟล์นี้ดูเหมือนเป็นรายงานผู้ใช้งานจาก New e-LAAS ไม่ใช่ทะเบียนบุคลากร (HR)",
        "this looks like the New e-LAAS user export, not an HR roster",
        "สลับไฟล์: ให้ทะเบียนบุคลากรเป็น roster และรายงานจาก New e-LAAS เป็น export",
        "Swap the files: give the HR roster as the roster and the e-LAAS export as the export.",
    )


text_of = cell_line  # a cell as normalised single-line text


def row_texts(row: Sequence[Cell]) -> list[tuple[int, str]]:
    """(column, text) of the non-empty cells of a row, newlines kept."""
    out = []
    for col, value in enumerate(row):
        if value is not None:
            text = value if isinstance(value, str) else cell_text(value)
            text = normalise_text(text, keep_newlines=True)
            if text:
                out.append((col, text))
    return out


def fill_merged_down(sheet: Sheet, below: int) -> None:
    """Copy a vertically merged cell's value into the rows it covers (body rows only).

    A group or username merged over a user's rows means "the same for each of these rows".
    """
    rows = sheet.rows
    for r0, c0, r1, _c1 in sheet.merged:
        if r0 > below and r1 > r0 and r0 < len(rows):
            value = rows[r0][c0]
            for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
                if rows[r][c0] is None:
                    rows[r][c0] = value


def header_signature(header: Header) -> dict[int, tuple[str, str | None]]:
    """Column -> (label key, field) of a header, for `is_repeated_header`."""
    fields = {c: f for f, c in header.fields.items()}
    return {c: (label_key(t), fields.get(c)) for c, t in header.labels.items()}


def is_repeated_header(
    texts: list[tuple[int, str]], signature: dict[int, tuple[str, str | None]]
) -> bool:
    """Say whether a row repeats the header (a new printed page, or the labels translated).

    At least two cells, and half the header's labels, must be the same label or name the
    same field ("Username" under "ชื่อผู้ใช้").
    """
    same = 0
    for c, t in texts:
        key, name = signature.get(c, ("", None))
        if key and (key == label_key(t) or (name is not None and label_in(t, frozenset([name])))):
            same += 1
    return same >= max(2, (len(signature) + 1) // 2)


_USER_LABELS = frozenset(("username", AMBIGUOUS_USER))


def _is_user_label(text: str) -> bool:
    return label_in(text, _USER_LABELS)


_SCI_RE = re.compile(r"^[0-9](?:\.[0-9]+)?[eE]\+?[0-9]{1,2}$")


def is_scientific(text: str) -> bool:
    """Say whether text is a number in Excel's scientific display ("1.23456789012E+12")."""
    return bool(_SCI_RE.match(text))


def warn_lost_digits(found: Located, row: int, col: int | None, what: str, shown: str) -> None:
    """Warn that a long number was saved in scientific notation and lost digits."""
    found.warn(
        row, col,
        f"{FIELD_TH.get(what, what)} '{shown}' ถูกบันทึกเป็นตัวเลขแบบย่อ (E+) ตัวเลขบางหลักหายไป "
        "จึงใช้ตามที่เขียนไว้: ส่งออกเป็น .xlsx หรือจัดรูปแบบคอลัมน์เป็นข้อความก่อนบันทึก CSV",
        f"{what} '{shown}' was saved in scientific notation and lost digits, so it is kept as "
        "written: export as .xlsx, or format the column as text before saving the CSV",
    )


# A citizen ID grouped as the card prints it, by dashes or by spaces: 3-1045-00034-56-7.
_GROUPED_ID_RE = re.compile(r"[0-9]([- ])[0-9]{4}\1[0-9]{5}\1[0-9]{2}\1[0-9]")


def normalise_login(text: str) -> str:
    """Return a username as the readers keep it; every username a user gives goes through here.

    The text is normalised (Thai digits, invisible characters, SARA AM, spaces), and a
    citizen-ID login becomes its 13 ASCII digits however it was written: after Excel's text
    apostrophe ("'3104500034567"), as an exact "3.104500034567E+12", or grouped as the card
    prints it ("3-1045-00034-56-7", "3 1045 00034 56 7"). A scientific form that dropped
    digits is kept as written: a guess could name another person.
    """
    user = normalise_text(text)
    if user[:1] == "'" and user[1:].isdigit():
        return user[1:]  # "'3104500034567": the apostrophe that keeps Excel from eating digits
    if is_scientific(user) or _GROUPED_ID_RE.fullmatch(user):
        return clean_id(user) or user
    return user


def login_value(found: Located, user: str, row: int, col: int) -> str:
    """Return a username cell's login (`normalise_login`); warn when its digits were lost."""
    login = normalise_login(user)
    if login == user and is_scientific(user):
        warn_lost_digits(found, row, col, "username", user)
    return login


def id_value(found: Located, raw: Cell, row: int, col: int) -> str | None:
    """Clean a national ID cell; warn when it is not 13 digits or its checksum is wrong."""
    if raw is None:
        return None
    pid = clean_id(raw)  # 13 digits are never an empty cell: the text is needed only otherwise
    if pid is None:
        shown = text_of(raw)
        if not shown or shown in ("-", "–"):
            return None
        if is_scientific(shown):
            warn_lost_digits(found, row, col, "national_id", shown)
            return None
        found.warn(row, col, f"เลขประจำตัวประชาชนอ่านไม่ได้: '{shown}'",
                   f"not a 13-digit national ID: '{shown}'")
        return None
    if not is_valid_id(pid):
        found.warn(row, col, "เลขประจำตัวประชาชนผิด (เลขตรวจสอบไม่ถูกต้อง)",
                   "national ID fails its check digit")
    return pid


def date_value(found: Located, raw: Cell, row: int, col: int, label: str) -> date | None:
    """Parse a date cell; warn (keeping None) when it cannot be a date."""
    parsed = parse_date(raw)
    if parsed.problem:
        found.warn(row, col, f"วันที่ในคอลัมน์ '{label}' ใช้ไม่ได้: {parsed.problem_th}",
                   f"date in column '{label}' unusable: {parsed.problem}")
    return parsed.value


# --------------------------------------------------------------------------- the export


def _not_an_export(
    grid: Grid, found: Located, th: str, en: str, problems: list[str] | None = None
) -> InputError:
    """Say it is a roster if it looks like one, else what is missing and to use --mapping."""
    if kind_of(found.full, found.sheet) == "roster":
        return wrong_kind(grid, "export")
    hint_th, hint_en = hint_mapping("export")
    return InputError(
        found.where(found.header.excel_row), th, en, hint_th, hint_en, problems=problems or []
    )


def export_from_grid(
    grid: Grid, mapping: Mapping | None = None, *, validate: bool = True
) -> ExportTable:
    """Build an `ExportTable` from an already read grid (see `read_export`)."""
    found = locate(grid, "export", mapping, EXPORT_FIELDS)
    header = found.header
    if "username" not in header.fields:
        raise _not_an_export(
            grid, found,
            "ไม่พบคอลัมน์ชื่อผู้ใช้ (username) ในแถวหัวตาราง",
            "no username column in the header row",
            problems=[f"labels seen / หัวคอลัมน์ที่พบ: {' | '.join(header.labels.values())}"],
        )
    refuse_continued(grid, found.sheet, header, "export", found.overrides)
    accounts = _ExportRows(found).read()
    if not accounts:
        raise InputError(
            found.where(header.excel_row),
            "มีหัวตารางแต่ไม่มีข้อมูลผู้ใช้งานใต้หัวตาราง",
            "a header row but no user rows below it",
            "ส่งออกรายงานจาก New e-LAAS ใหม่โดยเลือกให้มีรายชื่อผู้ใช้งาน",
            "Export the report from New e-LAAS again, with its user list.",
        )
    if not any(a.groups for a in accounts):
        raise _not_an_export(
            grid, found,
            "ไม่พบกลุ่มผู้ใช้งานเลย (ไม่มีคอลัมน์กลุ่มและไม่มีแถวหัวข้อกลุ่ม)",
            "no user groups anywhere (no group column and no group section rows)",
        )
    found.check_total(len(accounts), sum(len(a.rows) for a in accounts), "export")
    if validate:
        from laas_audit.schemas import validate_export  # pandas: only when validating

        validate_export(accounts, found.file, found.sheet.name)
    title = found.title()
    source = found.source(sum(len(a.rows) for a in accounts))
    return ExportTable(source, title.body, title.as_of, accounts, found.warnings)


class _ExportRows:
    """Walks the body rows of an export, folding memberships into accounts."""

    def __init__(self, found: Located) -> None:
        self.found = found
        self.header = found.header
        self.cols = found.header.fields
        self.accounts: dict[str, Account] = {}
        self.first_values: dict[tuple[str, str], tuple[str, int]] = {}
        self.first_raw: dict[str, tuple[Cell, ...]] = {}
        self.attr_cols = [
            c for f, c in sorted(self.cols.items()) if f not in ("username", "group", "seq")
        ]
        self.reported: set[tuple[str, str]] = set()
        # Picks a row's attribute cells in one C call (the common case: the row is wide enough).
        self.attr_get = itemgetter(*self.attr_cols) if len(self.attr_cols) >= 2 else None
        self.attr_end = max(self.attr_cols, default=-1)

    def read(self) -> list[Account]:
        found, header = self.found, self.header
        rows = found.sheet.rows
        fill_merged_down(found.sheet, header.last_row)
        signature = header_signature(header)
        user_col = self.cols["username"]
        group_col = self.cols.get("group")
        # Suppressed repeats ("same as above") only make sense when rows are sorted by group,
        # i.e. the group column leads; elsewhere an empty group cell means no group.
        carry = group_col is not None and group_col < user_col
        above = group_above(found.sheet, header) if group_col is None else None
        section = [above] if above else []
        last: Account | None = None
        for r in range(header.last_row + 1, len(rows)):
            row = rows[r]
            excel = r + 1
            raw_user = row[user_col] if user_col < len(row) else None
            user = text_of(raw_user)
            if user and (
                "+" in user or user[0] == "'" or (user[0].isdigit() and not user.isdigit())
            ):  # perhaps a citizen-ID login written otherwise than as its 13 digits
                user = login_value(found, user, excel, user_col)
            filled = len(row) - row.count(None)
            if filled == 0:
                found.skip("blank")
                continue
            if user and filled > 2 and looks_like_username(user) and not _is_user_label(user):
                last = self._data_row(row, excel, user, section, carry)
                if group_col is not None and carry and row[group_col] is not None:
                    section = split_groups(text_of(row[group_col]))
                continue
            texts = found.texts_or_skip(row, signature)
            if texts is None:
                continue
            values = [t for _, t in texts]
            named = section_group(values)
            if named:
                section = [named]
                found.skip("section")
                continue
            if found.skip_footer(values, excel):
                continue
            if user and looks_like_username(user):
                last = self._data_row(row, excel, user, section, carry)
                continue
            if len(texts) > 1 and not looks_like_username(user):
                # "3 | เจ้าหน้าที่การเงิน": a heading (or a later group) with its number
                while len(texts) > 1 and is_ordinal(texts[0][1]):
                    texts, values = texts[1:], values[1:]
            if len(texts) > 1 and all(_COUNT_ONLY.match(t) for t in values[1:]):
                # "เจ้าหน้าที่การเงิน | 3 คน": a heading with its member count
                texts, values = texts[:1], values[:1]
            if len(texts) == 1:  # a lone text: a group heading, or a group for the user above
                col, text = texts[0]
                if group_col is None or (col == group_col and self._is_section(r, group_col)):
                    section = [heading_group(text)]
                    found.skip("section")
                    continue
                if col == group_col and last is not None:
                    self._add_groups(last, split_groups(text), excel)
                    continue
            if user and len(texts) > 1:
                last = self._data_row(row, excel, user, section, carry)
                continue
            shown = " | ".join(values)[:120]
            found.warn(
                excel, user_col,
                f"แถวนี้มีข้อมูลแต่ไม่มีชื่อผู้ใช้ จึงไม่ได้นับเป็นบัญชี: {shown}",
                f"row has data but no username, so it was not read as an account: {shown}",
            )
        accounts = list(self.accounts.values())
        for account in accounts:
            if not account.groups:
                found.warn(
                    account.rows[0], group_col,
                    f"บัญชี '{account.username}' ไม่มีกลุ่มผู้ใช้งาน",
                    f"account '{account.username}' has no group",
                )
        return accounts

    def _is_section(self, r: int, group_col: int) -> bool:
        """Say whether a lone group value heads the rows below (their group cells are empty)."""
        rows = self.found.sheet.rows
        user_col = self.cols["username"]
        for nxt in rows[r + 1: r + 50]:
            user = text_of(nxt[user_col]) if user_col < len(nxt) else ""
            # Only a member row decides: page numbers, repeated headers and totals may also
            # have text in the username column.
            if user and looks_like_username(user) and not _is_user_label(user):
                return nxt[group_col] is None or not text_of(nxt[group_col])
        # No member below: a heading needs members, so this is the last user's next group
        # (report engines print a user's later groups on rows with an empty username).
        return False

    def _add_groups(self, account: Account, groups: list[str], excel: int) -> None:
        for g in groups:
            if g not in account.groups:
                account.groups.append(g)
        if excel not in account.rows:
            account.rows.append(excel)

    def _data_row(
        self, row: Sequence[Cell], excel: int, user: str, section: list[str], carry: bool
    ) -> Account:
        cols = self.cols
        group_col = cols.get("group")
        groups: list[str] = []
        cell = row[group_col] if group_col is not None and group_col < len(row) else None
        if cell is not None:
            groups = split_groups(cell if isinstance(cell, str) else cell_text(cell))
        if not groups:  # a group heading above, or the group carried down a sorted report
            groups = list(section)
        key = user.strip().casefold()
        account = self.accounts.get(key)
        # A user's later rows usually repeat the same attributes: compare raw cells first and
        # only normalise/parse them again when something differs.
        if self.attr_get is not None and self.attr_end < len(row):
            attrs = self.attr_get(row)
        else:
            attrs = tuple(row[c] if c < len(row) else None for c in self.attr_cols)
        if account is None:
            values = self._values(row, excel)
            account = Account(username=user, **values)  # type: ignore[arg-type]
            self.accounts[key] = account
            self.first_raw[key] = attrs
            for name in CONFLICT_FIELDS:
                value = values.get(name)
                if value is not None:
                    self.first_values[(key, name)] = (str(value), excel)
        elif attrs != self.first_raw[key]:
            self._merge(account, key, self._values(row, excel), excel)
        self._add_groups(account, groups, excel)
        return account

    def _values(self, row: Sequence[Cell], excel: int) -> dict[str, object]:
        found, cols = self.found, self.cols

        def raw(name: str) -> Cell:
            col = cols.get(name)
            return row[col] if col is not None and col < len(row) else None

        out: dict[str, object] = {}
        full_raw = raw("full_name")
        full = text_of(full_raw)
        prefix, first, last = text_of(raw("prefix")), text_of(raw("first_name")), text_of(
            raw("last_name")
        )
        if not full and (first or last):
            full = f"{prefix}{first} {last}".strip()
            full_raw = full
        if full:
            parts = split_name(full)
            out["full_name"] = full
            out["full_name_raw"] = full_raw if isinstance(full_raw, str) else full
            out["prefix"] = parts.prefix
            out["first_name"] = parts.first or None
            out["last_name"] = parts.last or None
        if "national_id" in cols:
            out["national_id"] = id_value(found, raw("national_id"), excel, cols["national_id"])
        for name in TEXT_FIELDS:
            if name in cols:
                out[name] = text_of(raw(name)) or None
        for name in DATE_FIELDS:
            if name in cols:
                label = self.header.labels.get(cols[name], name)
                out[name] = date_value(found, raw(name), excel, cols[name], label)
        return out

    def _merge(self, account: Account, key: str, values: dict[str, object], excel: int) -> None:
        """Fill gaps from a later row; report (once) a value that differs, keeping the first."""
        for name, value in values.items():
            if value is None:
                continue
            if getattr(account, name) is None:
                setattr(account, name, value)
                if name in DATE_FIELDS:  # so a warning about it names this row's cell
                    account.date_rows = {**(account.date_rows or {}), name: excel}
                if name in CONFLICT_FIELDS:
                    self.first_values[(key, name)] = (str(value), excel)
                continue
            if name not in CONFLICT_FIELDS or (key, name) in self.reported:
                continue
            first, first_row = self.first_values.get((key, name), (str(value), excel))
            if str(value) != first:
                self.reported.add((key, name))
                col = self.cols.get(name)
                self.found.warn(
                    excel, col,
                    f"ผู้ใช้ '{account.username}': {FIELD_TH.get(name, name)} ไม่ตรงกับแถว "
                    f"{first_row} ('{value}' กับ '{first}') ใช้ค่าแรก",
                    f"user '{account.username}': {name} differs from row {first_row} "
                    f"('{value}' vs '{first}'); the first is kept",
                )
