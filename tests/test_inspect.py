"""inspect_file: exactly the JSON object of issue 2 item 6; describe: the same for a person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from laas_audit.errors import InputError
from laas_audit.inspect import describe, inspect_file
from tests.readers_fixtures import (
    Layout,
    build_export,
    build_roster,
    sample_accounts,
    sample_staff,
    write_csv,
    write_xlsx,
)

KEYS = ["kind", "file", "sheet", "header_row", "columns", "body", "as_of", "accounts", "people",
        "warnings"]


def test_export_json_contract(tmp_path: Path) -> None:
    built = build_export(sample_accounts(), Layout(groups="sections", page_size=4))
    path = write_xlsx(tmp_path / "export.xlsx", built.rows, built.merged, summary_first=True)
    info = inspect_file(path)
    assert list(info) == KEYS
    assert json.loads(json.dumps(info, ensure_ascii=False)) == info  # plain JSON types only
    assert info["kind"] == "export"
    assert info["file"] == str(path)
    assert (info["sheet"], info["header_row"]) == ("รายงาน", built.header_row)
    assert info["columns"]["username"] == "ชื่อผู้ใช้"
    assert info["body"] == {"name": "องค์การบริหารส่วนตำบลหนองบัวแดง", "district": "ภูเขียว",
                            "province": "ชัยภูมิ"}
    assert info["as_of"] == "2026-07-01"
    assert info["people"] == []
    assert {a["username"]: (a["groups"], a["source_rows"]) for a in info["accounts"]} == \
        built.expected
    first = info["accounts"][0]
    assert list(first) == ["username", "full_name", "groups", "source_rows"]
    assert first["full_name"] == "นายสมชาย ใจดี"
    assert all(not g.startswith("กลุ่มผู้ใช้งาน") for a in info["accounts"] for g in a["groups"])
    assert info["warnings"] == []


def test_roster_json_contract(tmp_path: Path) -> None:
    rows, where = build_roster(sample_staff())
    info = inspect_file(write_csv(tmp_path / "roster.csv", rows, encoding="cp874"))
    assert list(info) == KEYS
    assert info["kind"] == "roster" and info["accounts"] == [] and info["sheet"] is None
    assert info["as_of"] is None
    moved = next(p for p in info["people"] if p["full_name"] == "นางสาวพิมพ์ใจ รักษ์ไทย"
                 or p["full_name"] == "นส.พิมพ์ใจ รักษ์ไทย")
    assert moved == {"full_name": moved["full_name"], "position": "เจ้าพนักงานพัสดุปฏิบัติงาน",
                     "unit": "กองคลัง", "status": "ย้าย", "status_date": "2026-03-01"}
    assert len(info["people"]) == len(where)


def test_warnings_are_strings_with_locations(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ชื่อผู้ใช้", "กลุ่มผู้ใช้งาน", "วันที่เข้าใช้งานล่าสุด"],
                                ["a.one", "การเงิน", "31/02/2569"]]
    info = inspect_file(write_csv(tmp_path / "w.csv", rows))
    (warning,) = info["warnings"]
    assert "w.csv, row 2, column C" in warning and "31/02/2569" in warning


def test_describe_is_thai_first(tmp_path: Path) -> None:
    built = build_export(sample_accounts(), Layout(groups="cell"))
    text = describe(inspect_file(write_xlsx(tmp_path / "e.xlsx", built.rows, built.merged)))
    lines = text.splitlines()
    assert lines[0].startswith("ไฟล์ / File:")
    assert "หน่วยงาน / Body: องค์การบริหารส่วนตำบลหนองบัวแดง อำเภอภูเขียว จังหวัดชัยภูมิ" in text
    assert "ข้อมูล ณ วันที่ / As of: 2026-07-01" in text
    assert "บัญชีผู้ใช้ / Accounts: 12" in text
    assert "  somchai.j  นายสมชาย ใจดี  (แถว / rows 6)" in lines
    assert "      - หัวหน้าหน่วยงานคลัง" in lines


def test_describe_roster(tmp_path: Path) -> None:
    rows, _ = build_roster(sample_staff())
    text = describe(inspect_file(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert "ชนิด / Kind: ทะเบียนบุคลากร / HR roster" in text
    assert "บุคลากร / People: 7" in text
    assert "นางกรรณิกา ทองคำ  นักวิชาการจัดเก็บรายได้ชำนาญการ | กองคลัง | เกษียณอายุราชการ" in text


def test_neither_export_nor_roster(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "letter.xlsx", [["บันทึกข้อความ"], ["เรื่อง ขอส่งรายงาน"]])
    with pytest.raises(InputError) as info:
        inspect_file(path)
    message = info.value.message()
    assert "letter.xlsx" in message and "HR roster" in message
