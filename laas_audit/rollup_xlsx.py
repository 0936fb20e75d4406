"""rollup.xlsx: the provincial rollup as a workbook (bodies, common problems, skipped folders).

Written with XlsxWriter, which writes a province's thousands of rows about 3x faster than
openpyxl's write-only mode (this workbook is the last step of a batch). Body names, อำเภอ and
folder names come from users' files: every text is written with `write_string` (stored as text,
never a formula) after `excel_safe`, and formula-like text also gets Excel's quote prefix.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter

from laas_audit.model import CATEGORIES, CATEGORY_TH, SEVERITIES, SEVERITY_TH
from laas_audit.output import write_file
from laas_audit.rollup import Rollup
from laas_audit.safe_cells import excel_safe, is_formula_like

SAME_NAME_NOTE = (
    "ชื่อหน่วยงาน อำเภอ และจังหวัดเดียวกัน รายงานผู้ใช้งานต่างกัน (นับแยกกัน): ตรวจว่าฉบับใดเป็นปัจจุบัน / "
    "the same body, district and province with different exports (each counted): check which "
    "is current"
)

_HEADER_FORMAT = {
    "bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "pattern": 1,
    "text_wrap": True, "valign": "top",
}


# Excel keeps at most 65,530 links a sheet and a link of at most 2,079 characters; '#' starts
# a link's anchor and '%' escapes, so a folder name holding either stays plain text.
_MAX_LINKS = 65_530
_MAX_LINK_LEN = 255


@dataclass(frozen=True)
class _Link:
    """A body's report, relative to the workbook: a link that opens it from Excel."""

    target: str

    def usable(self) -> bool:
        return 0 < len(self.target) <= _MAX_LINK_LEN and not set(self.target) & {"#", "%"}


def _sheet(
    wb: Any, formats: dict[str, Any], title: str, header: list[str], rows: list[list[object]],
    widths: list[int],
) -> None:
    ws = wb.add_worksheet(title)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    if rows:
        ws.autofilter(0, 0, len(rows), len(header) - 1)
    for col, text in enumerate(header):
        ws.write_string(0, col, text, formats["header"])
    write_string, write_number = ws.write_string, ws.write_number
    links = 0
    for r, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            # Numbers as numbers, dates as dates; everything else (a NaN too) as text, never a
            # formula.
            if isinstance(value, int | float) and not isinstance(value, bool) and (
                math.isfinite(value)
            ):
                write_number(r, col, value)
            elif isinstance(value, date):
                ws.write_datetime(r, col, value, formats["date"])
            elif isinstance(value, _Link):
                text = str(excel_safe(value.target))
                if value.usable() and links < _MAX_LINKS and text == value.target:
                    ws.write_url(r, col, f"external:{value.target}", string=text)
                    links += 1
                else:
                    write_string(r, col, text)
            elif value is not None:
                text = str(excel_safe(value))
                write_string(r, col, text, formats["quoted"] if is_formula_like(text) else None)


def write_rollup_xlsx(rollup: Rollup, path: Path) -> Path:
    """Write the rollup workbook to `path` (the caller stages the folder)."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {
        "header": wb.add_format(_HEADER_FORMAT),
        # Excel keeps a quote-prefixed cell as text even when someone edits it.
        "quoted": wb.add_format({"quote_prefix": True}),
        "date": wb.add_format({"num_format": "dd/mm/yyyy", "align": "left"}),
    }
    header = [
        "อันดับ", "โฟลเดอร์", "หน่วยงาน", "อำเภอ", "จังหวัด", "ข้อมูล ณ วันที่", "บัญชีผู้ใช้",
        *(CATEGORY_TH[c] for c in CATEGORIES),
        *(f"ความรุนแรง{SEVERITY_TH[s]}" for s in SEVERITIES),
        "รวมข้อพบ", "ต่อ 100 บัญชี",
        # Appended after the existing columns, so that a sheet someone reads by column stays
        # as it was; the rank follows this rate.
        "บัญชีที่ใช้งานได้", "ต่อ 100 บัญชีที่ใช้งานได้ (ใช้จัดอันดับ)",
    ]
    if not rollup.share:
        header.append("รายงาน")
    rows: list[list[object]] = []
    for rank, body in enumerate(rollup.ranked(), start=1):
        row: list[object] = [
            rank, body.folder, body.name or "", body.district or "", body.province or "",
            _day(body.as_of), body.accounts,
            *(body.findings.get(c, 0) for c in CATEGORIES),
            *(body.severity.get(s, 0) for s in SEVERITIES),
            body.total, body.per_100_accounts,
            body.active_accounts, body.per_100_active,
        ]
        if not rollup.share:
            row.append(_Link(body.report) if body.report else "")
        rows.append(row)
    widths = [7, 22, 34, 16, 14, 13, 10, *[11] * 7, 10, 11, 13, 16, 30]
    _sheet(wb, formats, "หน่วยงาน", header, rows, widths)
    _sheet(
        wb, formats,
        "ปัญหาที่พบบ่อย",
        # The severities found, as counts (a rule's findings can be rated above or below its
        # catalogue severity): they add up to the bodies sheet's severity columns.
        ["รหัสกฎ", "ปัญหา", "Problem", "หมวด", *(f"ความรุนแรง{SEVERITY_TH[s]}" for s in SEVERITIES),
         "ข้อพบ", "จำนวนหน่วยงาน"],
        [
            [p.code, p.title_th, p.title_en, CATEGORY_TH.get(p.category, p.category),
             *(p.severities.get(s, 0) for s in SEVERITIES), p.findings, p.bodies]
            for p in rollup.common_problems()
        ],
        [9, 48, 40, 16, 11, 11, 11, 9, 14],
    )

    _sheet(
        wb, formats,
        "ไม่ได้ตรวจ",
        ["โฟลเดอร์", "เหตุผล / reason"],
        [[s.folder, rollup.skipped_reason(s)] for s in rollup.skipped],
        [28, 100],
    )
    if rollup.same_name:
        _sheet(wb, formats, "อาจเป็นหน่วยงานเดียวกัน", ["โฟลเดอร์", "หมายเหตุ / note"],
               [[", ".join(folders), SAME_NAME_NOTE] for folders in rollup.same_name], [60, 90])
    unused = rollup.unused_files()
    if unused:
        _sheet(wb, formats, "ไฟล์ที่ไม่ได้ใช้", ["โฟลเดอร์", "ไฟล์", "เหตุผล / reason"],
               [list(u) for u in unused], [28, 40, 90])
    if rollup.earlier:
        _sheet(wb, formats, "ผลครั้งก่อน", ["โฟลเดอร์หรือไฟล์", "ตรวจเมื่อ", "หมายเหตุ / note"],
               [[e.folder, e.created or "", f"{e.note_th} / {e.note_en}"]
                for e in rollup.earlier], [28, 13, 90])
    wb.close()
    write_file(path, buffer.getvalue())
    return path


def _day(iso: str | None) -> date | str:
    """Return a body's as-of date as a date (a cell that sorts and filters); odd text stays text."""
    try:
        return date.fromisoformat(iso) if iso else ""
    except ValueError:
        return iso or ""
