"""Cycle 2's resolved sheet: a ThaiD username whole (as elsewhere in the worksheet), a name.

The previous findings.json masks the ThaiD login; the previous worksheet's hidden list of findings
holds it whole, and the previous finding's evidence holds the person's name.
"""

from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from laas_audit.cycle import apply_previous, load_previous
from laas_audit.model import Finding, ReviewResult, Source
from laas_audit.previous_usernames import restore_usernames
from laas_audit.render_json import write_json
from laas_audit.render_xlsx import write_worksheet
from laas_audit.worksheet import FIRST_DATA_ROW, RESOLVED_COLUMNS, SHEET_RESOLVED, column_number
from tests.result_factory import thai_id

LOGIN = thai_id(random.Random(4417))  # a made-up ThaiD login with a valid checksum
MASKED = f"x-xxxx-xxxxx-{LOGIN[10:12]}-{LOGIN[12]}"
NAME = "นายชาญวิทย์ ทองมาก"


def _finding(fid: str, username: str, full_name: str) -> Finding:
    return Finding(
        id=fid, rule="LA101", category="stale", severity="high", username=username,
        groups=["งบประมาณ"], message=f"{full_name} ย้ายแล้ว แต่บัญชี {username} ยังใช้งานได้",
        evidence={"export": {"file": "export.xlsx", "sheet": "Sheet1", "rows": [8],
                             "username": username, "full_name": full_name},
                  "roster": {"file": "roster.xlsx", "row": 7, "full_name": full_name,
                             "status": "ย้าย"}},
        source=Source("export.xlsx", "Sheet1", [8]),
    )


def _result(as_of: date, findings: list[Finding]) -> ReviewResult:
    return ReviewResult(
        tool_version="0.1.0", policy_version="2569.1", as_of=as_of,
        body={"name": "องค์การบริหารส่วนตำบลโคกสำราญ", "district": None, "province": None},
        inputs=[], accounts=[], findings=findings, rules={},
    )


@pytest.fixture
def first_dir(tmp_path: Path) -> Path:
    """Cycle 1 as `review` writes it: findings.json (IDs masked) and findings.xlsx."""
    first = _result(date(2026, 4, 1), [
        _finding("LA101-0a1b2c3d4e", LOGIN, NAME),
        _finding("LA101-5f6a7b8c9d", "somying.k", "นางสมหญิง แก้วกาญจนา"),
    ])
    folder = tmp_path / "2569-04"
    folder.mkdir()
    write_json(first, folder / "findings.json")
    write_worksheet(first, folder / "findings.xlsx")
    return folder


def _second_cycle(previous: Path) -> ReviewResult:
    second = _result(date(2026, 10, 1), [])  # both accounts were cancelled
    apply_previous(second, load_previous(previous))
    restore_usernames(second.resolved, previous)
    return second


def test_resolved_sheet_shows_thaid_username_whole_and_the_name(
    first_dir: Path, tmp_path: Path
) -> None:
    assert MASKED in (first_dir / "findings.json").read_text(encoding="utf-8")
    second = _second_cycle(first_dir)
    ws = openpyxl.load_workbook(write_worksheet(second, tmp_path / "c2.xlsx"))[SHEET_RESOLVED]
    user_col = column_number(RESOLVED_COLUMNS, "username")
    name_col = column_number(RESOLVED_COLUMNS, "full_name")
    rows = {ws.cell(r, user_col).value: ws.cell(r, name_col).value
            for r in range(FIRST_DATA_ROW, ws.max_row + 1)}
    assert rows == {LOGIN: NAME, "somying.k": "นางสมหญิง แก้วกาญจนา"}
    evidence = ws.cell(FIRST_DATA_ROW, column_number(RESOLVED_COLUMNS, "evidence")).value
    assert LOGIN not in str(evidence)  # text stays masked, as on the findings sheet


def test_findings_json_path_works_too(first_dir: Path) -> None:
    second = _second_cycle(first_dir / "findings.json")
    assert {f.username for f in second.resolved} == {LOGIN, "somying.k"}


def test_without_the_previous_worksheet_the_masked_form_stays(first_dir: Path) -> None:
    (first_dir / "findings.xlsx").unlink()
    assert {f.username for f in _second_cycle(first_dir).resolved} == {MASKED, "somying.k"}


def test_a_username_that_does_not_mask_to_the_same_is_not_taken(
    first_dir: Path, tmp_path: Path
) -> None:
    """The worksheet of another review (other IDs under the same finding ids) changes nothing."""
    other = _result(date(2026, 4, 1), [
        _finding("LA101-0a1b2c3d4e", thai_id(random.Random(7)), NAME),
    ])
    write_worksheet(other, tmp_path / "other.xlsx")
    shutil.copy(tmp_path / "other.xlsx", first_dir / "findings.xlsx")
    assert MASKED in {f.username for f in _second_cycle(first_dir).resolved}


def test_a_damaged_previous_worksheet_is_ignored(first_dir: Path) -> None:
    (first_dir / "findings.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    assert MASKED in {f.username for f in _second_cycle(first_dir).resolved}
