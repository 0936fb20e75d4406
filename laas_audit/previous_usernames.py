"""Whole ThaiD usernames of resolved findings, from the previous review's worksheet.

The previous findings.json masks a ThaiD login (it is a national ID), so a resolved finding of
such an account comes back as `x-xxxx-xxxxx-95-5`. The worksheet shows usernames whole (the
finance head acts by them) and its hidden list of findings (`worksheet.SHEET_INDEX`) holds each
finding's username as written. A username is taken from there only for the same finding id and
when it masks to exactly what findings.json holds, so an edited list cannot put in another.
"""

from __future__ import annotations

import re
from pathlib import Path

from laas_audit.model import Finding
from laas_audit.safe_cells import mask_text
from laas_audit.worksheet import INDEX_COLUMNS, INDEX_HEADER_ROW, SHEET_INDEX, find_columns

WORKSHEET = "findings.xlsx"
_MASKED_ID = re.compile(r"x-xxxx-xxxxx-\d{2}-\d")


def restore_usernames(resolved: list[Finding], previous: Path) -> None:
    """Put back the whole username of resolved findings whose username is a masked ID.

    `previous` is the --previous folder or its findings.json. Nothing is read when no username
    is masked; a worksheet that is missing or unreadable leaves the masked ones as they are.
    """
    wanted = {f.id: f for f in resolved if _MASKED_ID.fullmatch(f.username)}
    if not wanted:
        return
    folder = previous if previous.is_dir() else previous.parent
    for finding_id, username in _index_rows(folder / WORKSHEET):
        finding = wanted.get(finding_id)
        if finding is not None and mask_text(username) == finding.username != username:
            finding.username = username


def _index_rows(path: Path) -> list[tuple[str, str]]:
    """Read (finding id, username) from the worksheet's hidden list; [] if unreadable."""
    if not path.is_file():
        return []
    from openpyxl import load_workbook  # only a cycle with a resolved ThaiD account needs it

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            if SHEET_INDEX not in wb.sheetnames:
                return []
            rows = wb[SHEET_INDEX].iter_rows(min_row=INDEX_HEADER_ROW, values_only=True)
            cols = find_columns(next(rows, ()), INDEX_COLUMNS)
            if "finding_id" not in cols or "username" not in cols:
                return []
            i, u = cols["finding_id"], cols["username"]
            return [
                (str(row[i]), str(row[u]))
                for row in rows
                if len(row) > max(i, u) and row[i] is not None and row[u] is not None
            ]
        finally:
            wb.close()
    except Exception:  # openpyxl raises many types for a damaged file: keep the masked form
        return []
