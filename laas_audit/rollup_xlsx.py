"""rollup.xlsx: the provincial rollup as a workbook (bodies, common problems, skipped folders).

Body names, อำเภอ and folder names come from users' files; every text cell goes through
`safe_cells.set_cell`, which stores it as a string so that `=HYPERLINK(...)` stays text.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from laas_audit.model import CATEGORIES, CATEGORY_TH, SEVERITIES, SEVERITY_TH
from laas_audit.rollup import Rollup
from laas_audit.safe_cells import set_cell

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


def _sheet(
    wb: Workbook, title: str, header: list[str], rows: list[list[object]], widths: list[int]
) -> None:
    # Write-only: rows stream to the file (a province's rollup has thousands); what applies to
    # the whole sheet (widths, frozen header, filter) is set before the first row.
    ws = wb.create_sheet(title)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    head = []
    for text in header:
        cell = set_cell(WriteOnlyCell(ws), text)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGNMENT
        head.append(cell)
    ws.append(head)
    for values in rows:
        # Text goes through set_cell (stored as text, never a formula); numbers as they are.
        ws.append([v if isinstance(v, int | float) else set_cell(WriteOnlyCell(ws), v)
                   for v in values])


def write_rollup_xlsx(rollup: Rollup, path: Path) -> Path:
    """Write the rollup workbook to `path` (the caller stages the folder)."""
    wb = Workbook(write_only=True)
    header = [
        "อันดับ", "โฟลเดอร์", "หน่วยงาน", "อำเภอ", "จังหวัด", "ข้อมูล ณ วันที่", "บัญชีผู้ใช้",
        *(CATEGORY_TH[c] for c in CATEGORIES),
        *(f"ความรุนแรง{SEVERITY_TH[s]}" for s in SEVERITIES),
        "รวมข้อพบ", "ต่อ 100 บัญชี",
    ]
    if not rollup.share:
        header.append("รายงาน")
    rows: list[list[object]] = []
    for rank, body in enumerate(rollup.ranked(), start=1):
        row: list[object] = [
            rank, body.folder, body.name or "", body.district or "", body.province or "",
            body.as_of, body.accounts,
            *(body.findings.get(c, 0) for c in CATEGORIES),
            *(body.severity.get(s, 0) for s in SEVERITIES),
            body.total, body.per_100_accounts,
        ]
        if not rollup.share:
            row.append(body.report or "")
        rows.append(row)
    _sheet(wb, "หน่วยงาน", header, rows, [7, 22, 34, 16, 14, 13, 10, *[11] * 7, 10, 11, 30])
    _sheet(
        wb,
        "ปัญหาที่พบบ่อย",
        ["รหัสกฎ", "ปัญหา", "Problem", "หมวด", "ความรุนแรง", "ข้อพบ", "จำนวนหน่วยงาน"],
        [
            [p.code, p.title_th, p.title_en, CATEGORY_TH.get(p.category, p.category),
             SEVERITY_TH.get(p.severity, p.severity), p.findings, p.bodies]
            for p in rollup.common_problems()
        ],
        [9, 48, 40, 16, 11, 9, 14],
    )

    _sheet(
        wb,
        "ไม่ได้ตรวจ",
        ["โฟลเดอร์", "เหตุผล / reason"],
        [[s.folder, rollup.skipped_reason(s)] for s in rollup.skipped],
        [28, 100],
    )
    unused = rollup.unused_files()
    if unused:
        _sheet(wb, "ไฟล์ที่ไม่ได้ใช้", ["โฟลเดอร์", "ไฟล์", "เหตุผล / reason"],
               [list(u) for u in unused], [28, 40, 90])
    if rollup.earlier:
        _sheet(wb, "ผลครั้งก่อน", ["โฟลเดอร์หรือไฟล์", "ตรวจเมื่อ", "หมายเหตุ / note"],
               [[e.folder, e.created or "", f"{e.note_th} / {e.note_en}"]
                for e in rollup.earlier], [28, 13, 90])
    wb.save(path)
    return path
