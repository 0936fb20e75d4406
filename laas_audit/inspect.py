"""`laas-audit inspect FILE`: show what the readers understood of a file.

`inspect_file` returns the JSON object of issue 2 (a documented contract: keys and types do not
change); `describe` renders the same facts for a person, Thai labels first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from laas_audit.errors import InputError
from laas_audit.grid import load_grid
from laas_audit.layout import FIELD_TH, detect_kind
from laas_audit.mapping import Mapping
from laas_audit.read_export import export_from_grid
from laas_audit.read_roster import roster_from_grid
from laas_audit.tables import BodyInfo, SourceFile


def inspect_file(path: Path, mapping: Mapping | None = None) -> dict[str, Any]:
    """Read `path` as whichever it is (export or roster) and say what was understood.

    Returns `{"kind", "file", "sheet", "header_row", "columns", "body", "as_of", "accounts",
    "people", "warnings"}`; `accounts` is filled for an export, `people` for a roster (the other
    is an empty list). Raises `InputError` when the file is neither.
    """
    path = Path(path)
    grid = load_grid(path, None)  # export or roster: the content says
    kind = detect_kind(grid.sheets)
    if kind == "roster":
        roster = roster_from_grid(grid, mapping)
        info = _common("roster", roster.source, roster.body, None, roster.warnings)
        info["people"] = [
            {
                "full_name": p.full_name,
                "position": p.position,
                "unit": p.unit,
                "status": p.status,
                "status_date": p.status_date.isoformat() if p.status_date else None,
            }
            for p in roster.people
        ]
        return info
    try:
        export = export_from_grid(grid, mapping)
    except InputError as exc:
        if kind is None:
            exc.problems.append(
                "expected the New e-LAAS user report or an HR roster / "
                "ต้องเป็นรายงานผู้ใช้งานจาก New e-LAAS หรือทะเบียนบุคลากร"
            )
        raise
    info = _common("export", export.source, export.body, export.as_of, export.warnings)
    info["accounts"] = [
        {
            "username": a.username,
            "full_name": a.full_name or "",
            "groups": list(a.groups),
            "source_rows": list(a.rows),
        }
        for a in export.accounts
    ]
    return info


def _common(
    kind: str, source: SourceFile, body: BodyInfo, as_of: Any, warnings: list[Any]
) -> dict[str, Any]:
    return {
        "kind": kind,
        "file": source.path,
        "sheet": source.sheet,
        "header_row": source.header_row,
        "columns": dict(source.columns),
        "body": {"name": body.name, "district": body.district, "province": body.province},
        "as_of": as_of.isoformat() if as_of else None,
        "accounts": [],
        "people": [],
        "warnings": [str(w) for w in warnings],
    }


def describe(info: dict[str, Any]) -> str:
    """Render an `inspect_file` result as text for a person (Thai first, then English)."""
    kind = info.get("kind")
    lines = [
        f"ไฟล์ / File: {info.get('file')}",
        "ชนิด / Kind: "
        + ("รายงานผู้ใช้งาน New e-LAAS / e-LAAS export" if kind == "export"
           else "ทะเบียนบุคลากร / HR roster"),
        f"ชีต / Sheet: {info.get('sheet') or '-'}    "
        f"แถวหัวตาราง / Header row: {info.get('header_row')}",
    ]
    body = info.get("body") or {}
    place = " ".join(
        part for part in (
            body.get("name") or "",
            f"อำเภอ{body['district']}" if body.get("district") else "",
            f"จังหวัด{body['province']}" if body.get("province") else "",
        ) if part
    )
    lines.append(f"หน่วยงาน / Body: {place or '-'}")
    if kind == "export":
        lines.append(f"ข้อมูล ณ วันที่ / As of: {info.get('as_of') or '-'}")
    lines.append("คอลัมน์ / Columns:")
    for name, label in (info.get("columns") or {}).items():
        lines.append(f"  {FIELD_TH.get(name, name)} ({name}): '{label}'")
    if kind == "export":
        accounts = info.get("accounts") or []
        lines.append(f"บัญชีผู้ใช้ / Accounts: {len(accounts)}")
        for a in accounts:
            rows = ", ".join(str(r) for r in a["source_rows"])
            lines.append(f"  {a['username']}  {a['full_name']}  (แถว / rows {rows})")
            lines.extend(f"      - {g}" for g in a["groups"])
    else:
        people = info.get("people") or []
        lines.append(f"บุคลากร / People: {len(people)}")
        for p in people:
            extra = " | ".join(
                str(v) for v in (p["position"], p["unit"], p["status"], p["status_date"]) if v
            )
            lines.append(f"  {p['full_name']}  {extra}".rstrip())
    warnings = info.get("warnings") or []
    lines.append(f"คำเตือน / Warnings: {len(warnings)}")
    lines.extend(f"  - {w}" for w in warnings)
    return "\n".join(lines)

