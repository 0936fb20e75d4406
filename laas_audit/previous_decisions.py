"""Last cycle's decisions, carried to this cycle's findings (`--previous DIR`).

`laas-audit record` writes what the finance head decided into `record/record.json` beside the
worksheet, which is saved in the review's folder: so a previous review's decisions are in
`DIR/record/record.json`. Each finding that persists (by id, or through a renamed login) and
each resolved one gets its decision, note, reviewer and date as `Finding.previous_decision`:
an account decided ยกเลิกผู้ใช้ that is still there is what clause ๔.๒ says must not happen.

The record is checked as the previous findings.json is: against the manifest.json beside it
(an edited record is refused), and it must be of that review (body and as-of date), else it
is not used and a warning says so. A filled worksheet that was never recorded is warned about:
its decisions are not read from the worksheet itself, whose cells nobody has vouched for.

Only files are read here, never `record.py` imported: it is a later stage (the record of a
review), and this one comes before the renderers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laas_audit.cycle import PreviousReview
from laas_audit.errors import InputError, Location, shown_path
from laas_audit.model import PreviousDecision, ReviewResult
from laas_audit.worksheet import FINDING_COLUMNS, SHEET_FINDINGS, find_columns

# What `laas-audit record` writes (record.py, a later stage: a test keeps these equal to its own)
RECORD_DIR = "record"  # its default folder, beside the worksheet
RECORD_JSON = "record.json"
RECORD_SCHEMA = "laas-audit/record/1"
HEADER_SCAN_ROWS = 30  # users insert rows above a worksheet's header (as record.py scans)
RERUN_TH = "รัน laas-audit record กับแบบตรวจสอบที่กรอกแล้วของรอบก่อนอีกครั้ง แล้วตรวจรอบนี้ใหม่"
RERUN_EN = "run laas-audit record on the previous cycle's filled worksheet again, then this review"


@dataclass
class PreviousRecord:
    """The previous review's record: its file and the decisions by finding id."""

    path: Path
    decisions: dict[str, PreviousDecision] = field(default_factory=dict)


def carry_decisions(
    result: ReviewResult, previous: PreviousReview, given: Path
) -> PreviousRecord | None:
    """Put last cycle's decisions on this review's findings; return the record read, if any.

    `given` is the --previous path (the folder or its findings.json). Call after
    `cycle.apply_previous`, which sets `resolved` and links renamed logins.
    """
    folder = given if given.is_dir() else given.parent
    record = load_record(folder, previous, result.warnings)
    if record is None or not record.decisions:
        return record
    before = {f.id for f in previous.findings}
    for finding in result.findings:
        key = finding.previous_id or finding.id
        if key in before:
            finding.previous_decision = record.decisions.get(key)
    for old in result.resolved:
        old.previous_decision = record.decisions.get(old.id)
    return record


def load_record(
    folder: Path, previous: PreviousReview, warnings: list[str]
) -> PreviousRecord | None:
    """Read `folder/record/record.json` (None when there is none: a filled worksheet is warned)."""
    path = folder / RECORD_DIR / RECORD_JSON
    if not path.is_file():
        warnings.extend(_unrecorded_worksheets(folder))
        return None
    label = f"{folder.name}/{RECORD_DIR}/{RECORD_JSON}" if folder.name else path.name
    _check_against_manifest(path, label)
    data = _read(path, label)
    other = _of_another_review(data, previous)
    if other:
        warnings.append(
            f"ไม่ได้อ่านการตัดสินใจของรอบก่อน: {label} {other[0]} ไม่ใช่ของผลการตรวจรอบก่อน "
            f"({previous.label}): {RERUN_TH} / last cycle's decisions were not read: {label} "
            f"{other[1]}, not of the previous review ({previous.label}): {RERUN_EN}"
        )
        return PreviousRecord(path)
    decisions, broken = _decisions(data.get("findings"))
    if broken:
        warnings.append(
            f"{label}: อ่านการตัดสินใจไม่ได้ {broken} รายการ (ไม่มีรหัสข้อค้นพบ) / "
            f"{label}: {broken} decisions could not be read (no finding id)"
        )
    return PreviousRecord(path, decisions)


def _decisions(raw: object) -> tuple[dict[str, PreviousDecision], int]:
    """Decisions (or notes) by finding id, and how many entries had no id."""
    decisions: dict[str, PreviousDecision] = {}
    broken = 0
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            broken += 1
            continue
        decision = PreviousDecision(
            decision=_text(entry.get("decision")),
            decision_th=_text(entry.get("decision_th")),
            note=_text(entry.get("note")),
            reviewer=_text(entry.get("reviewer")),
            date=_text(entry.get("date")),
        )
        if decision.decision or decision.note:
            decisions.setdefault(entry["id"], decision)
    return decisions, broken


def _of_another_review(data: dict[str, Any], previous: PreviousReview) -> tuple[str, str] | None:
    """Say how a record is not of the previous review (its body or as-of date), if it is not."""
    body = data.get("body") if isinstance(data.get("body"), dict) else {}
    name, then = (body or {}).get("name"), previous.body.get("name")
    if isinstance(name, str) and name and then and _fold(name) != _fold(then):
        return f"เป็นของ {name}", f"is of {name}"
    review = data.get("review") if isinstance(data.get("review"), dict) else {}
    as_of = (review or {}).get("as_of")
    if isinstance(as_of, str) and previous.as_of and as_of != previous.as_of.isoformat():
        return (f"เป็นของการตรวจข้อมูล ณ {as_of}", f"is of the review as of {as_of}")
    return None


def _unrecorded_worksheets(folder: Path) -> list[str]:
    """Warn of worksheets in the previous folder filled in but never recorded."""
    from laas_audit.manifest import recorded_sha256, sha256_file

    filled = [
        path for path in sorted(folder.glob("*.xlsx"))
        # Excel's lock file, or a worksheet as the review wrote it, is not a filled one
        if not path.name.startswith("~$")
        and recorded_sha256(folder, path.name) != sha256_file(path)
        and _has_decisions(path)
    ]
    if not filled:
        return []
    names = ", ".join(p.name for p in filled)
    command = f'laas-audit record "{shown_path(str(filled[0]))}"'
    return [
        f"ไม่ได้อ่านการตัดสินใจของรอบก่อน: {shown_path(str(folder))} มีแบบตรวจสอบที่กรอกแล้ว "
        f"({names}) แต่ยังไม่ได้บันทึกผล (ไม่มี {RECORD_DIR}/{RECORD_JSON}) ให้รัน {command} "
        f"แล้วตรวจรอบนี้ใหม่ / last cycle's decisions were not read: {shown_path(str(folder))} "
        f"holds a filled worksheet ({names}) that was never recorded (no "
        f"{RECORD_DIR}/{RECORD_JSON}): run {command}, then run this review again"
    ]


def _has_decisions(path: Path) -> bool:
    """Tell whether a workbook is a review worksheet with a decision or note filled in."""
    from openpyxl import load_workbook  # only a previous folder without a record needs it

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for what is not a workbook: not ours
        return False
    try:
        if SHEET_FINDINGS not in wb.sheetnames:
            return False
        rows = wb[SHEET_FINDINGS].iter_rows(values_only=True)
        for _, header in zip(range(HEADER_SCAN_ROWS), rows, strict=False):
            cols = find_columns(header, FINDING_COLUMNS)
            if "decision" in cols:
                wanted = [cols[k] for k in ("decision", "note") if k in cols]
                return any(
                    str(row[i]).strip() for row in rows for i in wanted
                    if i < len(row) and row[i] is not None
                )
        return False
    except Exception:  # a damaged sheet: nothing can be said of it
        return False
    finally:
        wb.close()


def _check_against_manifest(path: Path, label: str) -> None:
    """Refuse a record changed since `record` wrote it (a decision edited after signing)."""
    from laas_audit.manifest import recorded_sha256, sha256_file

    recorded = recorded_sha256(path.parent, path.name)
    if recorded is not None and recorded != sha256_file(path):
        raise InputError(
            Location(label),
            "record.json ของรอบก่อนถูกแก้ไขหลังการบันทึกผล (ค่า SHA-256 ไม่ตรงกับที่บันทึกใน "
            "manifest.json ข้างกัน) จึงใช้การตัดสินใจในไฟล์นี้ไม่ได้",
            "the previous record.json was changed after `record` wrote it (its SHA-256 is not "
            "the one manifest.json beside it records), so its decisions cannot be used",
            f"{RERUN_TH} (laas-audit verify โฟลเดอร์ {RECORD_DIR} บอกว่าไฟล์ใดถูกแก้)",
            f"{RERUN_EN} (`laas-audit verify` on the {RECORD_DIR} folder shows what changed)",
        )


def _read(path: Path, label: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            Location(label), "อ่านบันทึกผลการตัดสินใจของรอบก่อนไม่ได้",
            f"cannot read the previous cycle's record of decisions ({exc})", RERUN_TH, RERUN_EN,
        ) from exc
    if not isinstance(data, dict) or data.get("schema") != RECORD_SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else None
        raise InputError(
            Location(label),
            f"ไม่ใช่บันทึกผลของ laas-audit record (schema: {found!r}, ต้องเป็น {RECORD_SCHEMA})",
            f"not a laas-audit record (schema {found!r}, expected {RECORD_SCHEMA})",
            RERUN_TH, RERUN_EN,
        )
    return data


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()
