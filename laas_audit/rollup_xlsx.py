"""rollup.xlsx: the provincial rollup as a workbook (bodies, common problems, skipped folders).

Body names, อำเภอ and folder names come from users' files; every text cell goes through
`safe_cells.set_cell`, which stores it as a string so that `=HYPERLINK(...)` stays text.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from laas_audit.model import CATEGORIES, CATEGORY_TH, SEVERITIES, SEVERITY_TH
from laas_audit.rollup import Rollup
from laas_audit.safe_cells import set_cell

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def _sheet(ws: Worksheet, header: list[str], rows: list[list[object]], widths: list[int]) -> None:
    for col, text in enumerate(header, start=1):
        cell = set_cell(ws.cell(row=1, column=col), text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            set_cell(ws.cell(row=r, column=col), value)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"


def write_rollup_xlsx(rollup: Rollup, path: Path) -> Path:
    """Write the rollup workbook to `path` (the caller stages the folder)."""
    wb = Workbook()
    bodies = wb.active
    assert bodies is not None  # a new Workbook always has one sheet
    bodies.title = "หน่วยงาน"
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
    _sheet(bodies, header, rows, [7, 22, 34, 16, 14, 13, 10, *[11] * 7, 10, 11, 30])

    problems = wb.create_sheet("ปัญหาที่พบบ่อย")
    _sheet(
        problems,
        ["รหัสกฎ", "ปัญหา", "Problem", "หมวด", "ความรุนแรง", "ข้อพบ", "จำนวนหน่วยงาน"],
        [
            [p.code, p.title_th, p.title_en, CATEGORY_TH.get(p.category, p.category),
             SEVERITY_TH.get(p.severity, p.severity), p.findings, p.bodies]
            for p in rollup.common_problems()
        ],
        [9, 48, 40, 16, 11, 9, 14],
    )

    skipped = wb.create_sheet("ไม่ได้ตรวจ")
    _sheet(
        skipped,
        ["โฟลเดอร์", "เหตุผล / reason"],
        [[s.folder, rollup.skipped_reason(s)] for s in rollup.skipped],
        [28, 100],
    )
    wb.save(path)
    return path
