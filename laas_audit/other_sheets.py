"""Refuse a table that continues on other sheets of its workbook, saying where and what to do.

The result model holds one sheet per input (`SourceFile.sheet`; a finding's rows are Excel rows
of that sheet), so the readers read one. An export printed one sheet per user group or per page,
or a roster kept one sheet per กอง, would then be reviewed in part without a word: accounts
missed, staff on later sheets taken for "not on the roster". So once a reader has found its
header, the workbook's other sheets are searched for the same table: a header with the same key
fields (export: username, and a group column or group section rows; roster: the same name
columns) and at least one data row below it.

Hidden sheets are left out: Excel does not show them, and one holding the table is a leftover
(last cycle's copy), not the rest of it. The header search itself still reads them, as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from laas_audit.errors import InputError, Location
from laas_audit.grid import Cell, Grid, Sheet
from laas_audit.layout import (
    AMBIGUOUS_USER,
    Header,
    Kind,
    footer_kind,
    group_above,
    has_sections,
    kind_of,
    label_in,
    looks_like_username,
    sheet_header,
)
from laas_audit.thai import cell_text, normalise_text

NAME_FIELDS = frozenset(("full_name", "first_name", "last_name"))
_USER_LABELS = frozenset(("username", AMBIGUOUS_USER))


def refuse_continued(
    grid: Grid, sheet: Sheet, header: Header, kind: Kind, overrides: dict[str, str]
) -> None:
    """Raise `InputError` when another visible sheet holds more of the table read from `sheet`.

    `header` is the reader's (its key fields are compared); `overrides` the `--mapping` labels.
    """
    others = [s for s in grid.sheets if s is not sheet and not s.hidden]
    if not others:
        return  # the usual single-sheet file (and every CSV or HTML one): nothing to look at
    found: list[tuple[Sheet, Header]] = []
    for other in others:
        other_header = _same_table(other, header, kind, overrides)
        if other_header is not None:
            found.append((other, other_header))
    if found:
        raise _continued(grid, sheet, header, kind, found)


def _same_table(
    sheet: Sheet, main: Header, kind: Kind, overrides: dict[str, str]
) -> Header | None:
    """Return the sheet's header when it is the same table as `main` with data below it."""
    header = sheet_header(sheet, overrides=overrides)
    if header is None:
        return None
    fields = header.fields
    if kind == "export":
        same = "username" in fields and _groups_shown(sheet, header)
    else:
        names = NAME_FIELDS & set(fields)
        same = bool(names) and names == NAME_FIELDS & set(main.fields) and (
            kind_of(header, sheet) != "export"
        )
    return header if same and _has_data_row(sheet, header, kind) else None


def _groups_shown(sheet: Sheet, header: Header) -> bool:
    """Say whether the sheet gives groups: a column, a heading above, or section rows below.

    Lone rows below also head a roster's units: those count only in what reads as an export.
    """
    if "group" in header.fields or group_above(sheet, header) is not None:
        return True
    return has_sections(sheet, header) and kind_of(header, sheet) == "export"


def _has_data_row(sheet: Sheet, header: Header, kind: Kind) -> bool:
    """Say whether a row below the header holds an account (export) or a person (roster)."""
    if kind == "export":
        cols = [header.fields["username"]]
    else:
        cols = [header.fields[f] for f in ("full_name", "first_name", "last_name")
                if f in header.fields]
    for row in sheet.rows[header.last_row + 1:]:
        if len(row) - row.count(None) < 2:
            continue  # blank, or a lone heading, page number or note
        text = next((t for t in (_text(row, c) for c in cols) if t), "")
        if text and _is_value(text, kind) and footer_kind([text]) is None:
            return True
    return False


def _is_value(text: str, kind: Kind) -> bool:
    """Say whether text is a username (export) or a name (roster), not a header label."""
    if kind == "export":
        return looks_like_username(text) and not label_in(text, _USER_LABELS)
    return any(ch.isalpha() for ch in text) and not label_in(text, NAME_FIELDS)


def _text(row: Sequence[Cell], col: int) -> str:
    value = row[col] if col < len(row) else None
    if value is None:
        return ""
    return normalise_text(value) if isinstance(value, str) else cell_text(value)


def _continued(
    grid: Grid, sheet: Sheet, header: Header, kind: Kind, found: list[tuple[Sheet, Header]]
) -> InputError:
    listed_th = ", ".join(f"ชีต '{s.name}' (หัวตารางแถว {h.excel_row})" for s, h in found)
    listed_en = ", ".join(f"'{s.name}' (header row {h.excel_row})" for s, h in found)
    what_th, what_en = ("รายงานผู้ใช้งาน", "user report") if kind == "export" else (
        "ทะเบียนบุคลากร", "HR roster")
    first, first_header = found[0]
    return InputError(
        Location(str(grid.path), first.name, first_header.excel_row),
        f"{what_th}ในชีต '{sheet.name}' (หัวตารางแถว {header.excel_row}) มีต่อใน{listed_th} "
        "แต่ laas-audit อ่านตารางจากชีตเดียวเท่านั้น จึงจะตรวจได้ไม่ครบ",
        f"the {what_en} on sheet '{sheet.name}' (header row {header.excel_row}) continues on "
        f"sheet(s) {listed_en}, but laas-audit reads one sheet only, so the rest would not be "
        "reviewed",
        *_hint(sheet, kind == "export" and "group" not in header.fields),
    )


def _hint(sheet: Sheet, sections: bool) -> tuple[str, str]:
    """Say what to do; group section rows must be copied too (they name the group)."""
    if sections:
        rows_th = ("แถวกลุ่มผู้ใช้งาน ('กลุ่มผู้ใช้งาน : …') และแถวข้อมูลของกลุ่มนั้นจากแต่ละชีต")
        rows_en = ("from each other sheet its group row ('กลุ่มผู้ใช้งาน : …') and the group's "
                   "data rows")
    else:
        rows_th, rows_en = "แถวข้อมูลของชีตอื่น", "the data rows of the other sheets"
    return (
        f"รวมทุกแถวไว้ในชีตเดียว: คัดลอก{rows_th}ไปต่อท้ายแถวข้อมูลในชีต '{sheet.name}' "
        "โดยไม่ต้องคัดลอกแถวหัวตาราง หรือถ้าชีตใดเป็นสำเนาเก่า ให้ลบชีตนั้นออก แล้วรันใหม่",
        f"Put all rows on one sheet: copy {rows_en} below the data rows of sheet "
        f"'{sheet.name}', without the header rows; or, if a sheet is an older copy, delete it. "
        "Then run again.",
    )
