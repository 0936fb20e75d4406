"""Refuse a table that continues on other sheets of its workbook, saying where and what to do.

The result model holds one sheet per input (`SourceFile.sheet`; a finding's rows are Excel rows
of that sheet), so the readers read one. An export printed one sheet per user group or per page,
or a roster kept one sheet per กอง, would then be reviewed in part without a word: accounts
missed, staff on later sheets taken for "not on the roster". So once a reader has found its
header, the workbook's other sheets are searched for the same table, in two shapes:

- with its header repeated: a header with the same key fields (export: username, and a group
  column or group section rows; roster: the same name columns) and a data row below it;
- without a header (the rows simply carry on): near the top of the sheet, before any header of
  its own, several rows whose cells sit in the read header's columns with values of the right
  kind. An account: a login in the username column, a name in the name column, a group in the
  group column; a person: a name with a Thai prefix in the name column and text in the position
  column; neither contradicted by a ลำดับ or ID column holding words. One such row is enough
  when nothing but group rows ("กลุ่มผู้ใช้งาน : การเงิน"), blank rows and footers is beside
  it (a group or a กอง of one); beside a note, it is the note's example.

Not the table: a sheet whose people all hold elected offices (นายก, รองนายก, สภา ...) beside a
roster is the executives' list (they are never on HR rosters); an export sheet none of whose
accounts has a prefixed name is a list of logins (notes), not the report. Hidden sheets are left
out: Excel does not show them, and one holding the table is a leftover (last cycle's copy), not
the rest of it. The header search itself still reads them, as before. Each other sheet costs at
most its first `SCAN_ROWS` rows; a single-sheet file (every CSV or HTML one) costs a list check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from laas_audit.errors import InputError, Location
from laas_audit.grid import Cell, Grid, Sheet
from laas_audit.layout import (
    AMBIGUOUS_USER,
    HEADER_SCAN_ROWS,
    Header,
    Kind,
    footer_kind,
    group_above,
    has_sections,
    kind_of,
    label_in,
    looks_like_username,
    section_group,
    sheet_header,
)
from laas_audit.names import split_name
from laas_audit.thai import cell_text, normalise_text

NAME_FIELDS = frozenset(("full_name", "first_name", "last_name"))
_USER_LABELS = frozenset(("username", AMBIGUOUS_USER))

SCAN_ROWS = HEADER_SCAN_ROWS  # rows of another sheet read: a continuation starts at its top
MIN_ROWS = 2  # rows reading as the table's on a sheet without a header (one, if alone there)

_LETTER = re.compile("[A-Za-z\u0e01-\u0e4e]")
_THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
_ASCII_LETTER = re.compile("[A-Za-z]")
# Elected offices: a reader's word list (it runs before the policy is loaded), kept to titles
# that never name a staff position. "เลขานุการสภา" is left out: it is often the ปลัด.
_ELECTED_RE = re.compile(
    r"^(?:(?:รอง|เลขานุการ|ที่ปรึกษา)?นายก|(?:รอง)?ประธานสภา|สมาชิกสภา)"
)


@dataclass(frozen=True)
class _Continued:
    """A sheet that holds more of the table: its header row, or its first data row if none."""

    sheet: Sheet
    excel_row: int
    headed: bool


def refuse_continued(
    grid: Grid, sheet: Sheet, header: Header, kind: Kind, overrides: dict[str, str]
) -> None:
    """Raise `InputError` when another visible sheet holds more of the table read from `sheet`.

    `header` is the reader's (its key fields and columns are compared); `overrides` the
    `--mapping` labels.
    """
    others = [s for s in grid.sheets if s is not sheet and not s.hidden]
    if not others:
        return  # the usual single-sheet file (and every CSV or HTML one): nothing to look at
    found = [c for c in (_continuation(o, header, kind, overrides) for o in others) if c]
    if found:
        raise _continued(grid, sheet, header, kind, found)


def _continuation(
    sheet: Sheet, main: Header, kind: Kind, overrides: dict[str, str]
) -> _Continued | None:
    own = sheet_header(sheet, overrides=overrides)
    if own is not None and _same_table(sheet, own, main, kind):
        return _Continued(sheet, own.excel_row, headed=True)
    first = _headerless_start(sheet, own, main, kind)
    return None if first is None else _Continued(sheet, first + 1, headed=False)


# --------------------------------------------------------------------------- with a header


def _same_table(sheet: Sheet, header: Header, main: Header, kind: Kind) -> bool:
    """Say whether the sheet's header is the same table as `main`, with data below it."""
    fields = header.fields
    if kind == "export":
        same = "username" in fields and _groups_shown(sheet, header)
    else:
        names = NAME_FIELDS & set(fields)
        same = bool(names) and names == NAME_FIELDS & set(main.fields) and (
            kind_of(header, sheet) != "export"
        )
    first = _first_data_row(sheet, header, kind) if same else None
    if first is None:
        return False
    if kind == "roster" and "position" in fields:
        rows = sheet.rows[first: first + SCAN_ROWS]
        return not _elected_only([_text(r, fields["position"]) for r in rows if _named(r, fields)])
    return True


def _groups_shown(sheet: Sheet, header: Header) -> bool:
    """Say whether the sheet gives groups: a column, a heading above, or section rows below.

    Lone rows below also head a roster's units: those count only in what reads as an export.
    """
    if "group" in header.fields or group_above(sheet, header) is not None:
        return True
    return has_sections(sheet, header) and kind_of(header, sheet) == "export"


def _first_data_row(sheet: Sheet, header: Header, kind: Kind) -> int | None:
    """Return the first row below the header holding an account (export) or a person (roster)."""
    if kind == "export":
        cols = [header.fields["username"]]
    else:
        cols = [header.fields[f] for f in ("full_name", "first_name", "last_name")
                if f in header.fields]
    for r in range(header.last_row + 1, len(sheet.rows)):
        row = sheet.rows[r]
        if len(row) - row.count(None) < 2:
            continue  # blank, or a lone heading, page number or note
        text = next((t for t in (_text(row, c) for c in cols) if t), "")
        if text and _is_value(text, kind) and footer_kind([text]) is None:
            return r
    return None


def _is_value(text: str, kind: Kind) -> bool:
    """Say whether text is a username (export) or a name (roster), not a header label."""
    if kind == "export":
        return looks_like_username(text) and not label_in(text, _USER_LABELS)
    return any(ch.isalpha() for ch in text) and not label_in(text, NAME_FIELDS)


def _named(row: Sequence[Cell], fields: dict[str, int]) -> bool:
    name = _name(row, fields) or ""
    return bool(name) and _is_value(name, "roster") and footer_kind([name]) is None


def _elected_only(positions: list[str]) -> bool:
    """Say whether every person listed holds an elected office: the executives, not staff."""
    return bool(positions) and all(_ELECTED_RE.match(p) for p in positions)


# --------------------------------------------------------------------------- without a header


def _headerless_start(sheet: Sheet, own: Header | None, main: Header, kind: Kind) -> int | None:
    """Return the 0-based row where the table's rows carry on at the top of a headerless sheet.

    Several such rows, or one alone on its sheet with only group rows, blank rows and footers
    beside it (a group or a กอง of one member); one beside a note is that note's example.
    Rows from the sheet's own header down are its own table's (another table, or a template),
    unless that "header" is itself one of the rows (a data row can hold two label-like values).
    """
    rows = sheet.rows
    end = min(len(rows), SCAN_ROWS)
    if own is not None and not _is_record(rows[own.first_row], main, kind):
        end = min(end, own.first_row)
    records: list[int] = []
    alone = True
    for r in range(end):
        row = rows[r]
        if _is_record(row, main, kind):
            records.append(r)
        elif alone and len(row) > row.count(None):
            texts = [t for t in (_text(row, c) for c in range(len(row))) if t]
            alone = not texts or bool(section_group(texts) or footer_kind(texts))
    if not records or not (alone or len(records) >= MIN_ROWS):
        return None
    if kind == "export":
        return records[0] if _people(rows, records, main) else None
    col = main.fields.get("position")
    positions = [_text(rows[r], col) for r in records] if col is not None else []
    return None if _elected_only(positions) else records[0]


def _is_record(row: Sequence[Cell], main: Header, kind: Kind) -> bool:
    """Say whether a row's cells, in `main`'s columns, read as one more row of its table."""
    if len(row) - row.count(None) < 2:
        return False
    fields = main.fields
    if _contradicted(row, fields):
        return False
    return _is_account(row, fields) if kind == "export" else _is_person(row, fields)


def _contradicted(row: Sequence[Cell], fields: dict[str, int]) -> bool:
    """Say whether the ลำดับ or ID column holds words: the row is laid out otherwise."""
    seq = fields.get("seq")
    if seq is not None and _LETTER.search(_text(row, seq)):
        return True
    pid = fields.get("national_id")
    return pid is not None and bool(_THAI_LETTER.search(_text(row, pid)))


def _is_account(row: Sequence[Cell], fields: dict[str, int]) -> bool:
    """Say whether the row holds a login, a name (if a column) and a group (if a column)."""
    user_col = fields["username"]
    user = _text(row, user_col)
    if not looks_like_username(user) or label_in(user, _USER_LABELS):
        return False
    if not (_ASCII_LETTER.search(user) or (user.isdigit() and len(user) == 13)):
        return False  # a number or a date: a count or a ลำดับ, not a login (ThaiD: 13 digits)
    group_col = fields.get("group")
    # (A group column before the username leaves repeats blank: it cannot be asked.)
    if group_col is not None and group_col > user_col and not _LETTER.search(
        _text(row, group_col)
    ):
        return False
    name = _name(row, fields)
    return name is None or bool(
        _LETTER.search(name) and not looks_like_username(name)
        and not label_in(name, NAME_FIELDS)
    )


def _people(rows: Sequence[Sequence[Cell]], records: list[int], main: Header) -> bool:
    """Say whether the accounts found name people: one prefixed name among them at least."""
    if not NAME_FIELDS & set(main.fields):
        return True  # no name column to ask
    return any(split_name(_name(rows[r], main.fields) or "").prefix for r in records)


def _is_person(row: Sequence[Cell], fields: dict[str, int]) -> bool:
    """Say whether the row holds a name with a Thai prefix, and text in the position column."""
    name = _name(row, fields)
    if not name or label_in(name, NAME_FIELDS):
        return False
    parts = split_name(name)
    if parts.prefix is None or not parts.last:
        return False
    col = fields.get("position")
    return col is None or bool(_LETTER.search(_text(row, col)))


def _name(row: Sequence[Cell], fields: dict[str, int]) -> str | None:
    """Return the row's name as the readers build it; None when the table has no name column."""
    if "full_name" in fields:
        full = _text(row, fields["full_name"])
        if full:
            return full
    elif not NAME_FIELDS & set(fields):
        return None
    parts = (_text(row, fields[f]) for f in ("prefix", "first_name", "last_name") if f in fields)
    return " ".join(p for p in parts if p)


def _text(row: Sequence[Cell], col: int) -> str:
    value = row[col] if col < len(row) else None
    if value is None:
        return ""
    return normalise_text(value) if isinstance(value, str) else cell_text(value)


# --------------------------------------------------------------------------- the message


def _continued(
    grid: Grid, sheet: Sheet, header: Header, kind: Kind, found: list[_Continued]
) -> InputError:
    listed_th = ", ".join(_where_th(c) for c in found)
    listed_en = ", ".join(_where_en(c) for c in found)
    what_th, what_en = ("รายงานผู้ใช้งาน", "user report") if kind == "export" else (
        "ทะเบียนบุคลากร", "HR roster")
    first = found[0]
    return InputError(
        Location(str(grid.path), first.sheet.name, first.excel_row),
        f"{what_th}ในชีต '{sheet.name}' (หัวตารางแถว {header.excel_row}) มีต่อใน{listed_th} "
        "แต่ laas-audit อ่านตารางจากชีตเดียวเท่านั้น จึงจะตรวจได้ไม่ครบ",
        f"the {what_en} on sheet '{sheet.name}' (header row {header.excel_row}) continues on "
        f"sheet(s) {listed_en}, but laas-audit reads one sheet only, so the rest would not be "
        "reviewed",
        *_hint(sheet, kind == "export" and "group" not in header.fields,
               any(not c.headed for c in found), what_th, what_en),
    )


def _where_th(found: _Continued) -> str:
    if found.headed:
        return f"ชีต '{found.sheet.name}' (หัวตารางแถว {found.excel_row})"
    return f"ชีต '{found.sheet.name}' (ต่อโดยไม่มีแถวหัวตาราง เริ่มที่แถว {found.excel_row})"


def _where_en(found: _Continued) -> str:
    if found.headed:
        return f"'{found.sheet.name}' (header row {found.excel_row})"
    return f"'{found.sheet.name}' (continued without a header row, from row {found.excel_row})"


def _hint(
    sheet: Sheet, sections: bool, headerless: bool, what_th: str, what_en: str
) -> tuple[str, str]:
    """Say what to do; group section rows must be copied too (they name the group)."""
    if sections:
        rows_th = ("แถวกลุ่มผู้ใช้งาน ('กลุ่มผู้ใช้งาน : …') และแถวข้อมูลของกลุ่มนั้นจากแต่ละชีต")
        rows_en = ("from each other sheet its group row ('กลุ่มผู้ใช้งาน : …') and the group's "
                   "data rows")
    else:
        rows_th, rows_en = "แถวข้อมูลของชีตอื่น", "the data rows of the other sheets"
    # A sheet without a header is judged by its rows alone: say what to do if it is not the table.
    other_th, other_en = (
        (f" และถ้าชีตที่ไม่มีหัวตารางนั้นไม่ใช่ส่วนหนึ่งของ{what_th} ให้ย้ายไปไว้ในไฟล์อื่น",
         f"; a sheet without a header row that is not part of the {what_en}: move it to "
         "another file")
        if headerless else ("", "")
    )
    return (
        f"รวมทุกแถวไว้ในชีตเดียว: คัดลอก{rows_th}ไปต่อท้ายแถวข้อมูลในชีต '{sheet.name}' "
        f"โดยไม่ต้องคัดลอกแถวหัวตาราง หรือถ้าชีตใดเป็นสำเนาเก่า ให้ลบชีตนั้นออก{other_th} แล้วรันใหม่",
        f"Put all rows on one sheet: copy {rows_en} below the data rows of sheet "
        f"'{sheet.name}', without the header rows; or, if a sheet is an older copy, delete it"
        f"{other_en}. Then run again.",
    )
