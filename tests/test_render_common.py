"""What the report and the worksheet both print: evidence values and sections, word for word."""

from __future__ import annotations

from datetime import date

from laas_audit.render_common import evidence_sections, evidence_text, value_text


def test_each_kind_of_evidence_value_is_worded_as_people_read_it() -> None:
    # Booleans are words, never the 1 / 0 an int shortcut would print.
    assert value_text(True) == "ใช่" and value_text(False, "en") == "no"
    assert value_text(7) == "7" and value_text(30.0) == "30" and value_text(2.5) == "2.5"
    assert value_text([12, 13]) == "12, 13" and value_text([]) == "—"
    assert value_text([None, "2026-05-01", ["กองคลัง", 3]], "en") == "—, 1 May 2026, กองคลัง, 3"
    assert value_text(("การเงิน", "พัสดุ")) == "การเงิน, พัสดุ"
    assert value_text(date(2026, 10, 1)) == "1 ตุลาคม 2569"
    assert value_text({"row": 4, "method": "name"}, "en") == "row: 4; match method: name"
    assert value_text("2026-02-30") == "2026-02-30"  # not a date: shown as written


def test_evidence_is_grouped_by_file_with_its_location_and_labels() -> None:
    evidence = {
        "export": {"file": "ผู้ใช้งาน.xlsx", "sheet": "รายงาน", "rows": [8, 45],
                   "username": "somsri.s", "groups": ["การเงิน", "พัสดุ"], "last_login": None},
        "roster": None,
        "match": {"method": "fuzzy", "score": 91.5, 7: "x"},
        "threshold_days": 180.0,
        "note": "ย้ายตามคำสั่งที่ 12/2569",
        "custom_key": True,
    }
    th = evidence_sections(evidence)
    assert [(s.title, s.location) for s in th] == [
        ("ไฟล์รายงานผู้ใช้งาน (e-LAAS)", "ผู้ใช้งาน.xlsx, ชีต รายงาน, แถว 8, 45"),
        ("ทะเบียนบุคลากร", ""),
        ("การจับคู่กับทะเบียนบุคลากร", ""),
        ("ข้อมูลประกอบ", ""),
    ]
    assert th[0].facts == [("ชื่อผู้ใช้", "somsri.s"), ("กลุ่มผู้ใช้งาน", "การเงิน, พัสดุ"),
                           ("เข้าใช้ล่าสุด", "—")]
    assert th[1].facts == [("", "ไม่พบในไฟล์นี้")]
    assert th[2].facts == [("วิธีจับคู่", "ชื่อใกล้เคียง (ควรยืนยัน)"), ("คะแนน", "91.5"),
                           ("7", "x")]
    assert th[3].facts == [("เกณฑ์ (วัน)", "180"), ("หมายเหตุ", "ย้ายตามคำสั่งที่ 12/2569"),
                           ("custom_key", "ใช่")]
    assert evidence_text(evidence, "en").splitlines() == [
        "e-LAAS export (ผู้ใช้งาน.xlsx, sheet รายงาน, row 8, 45): username: somsri.s; "
        "user groups: การเงิน, พัสดุ; last login: —",
        "HR roster: not found in this file",
        "match to the roster: match method: similar name (confirm); score: 91.5; 7: x",
        "Details: threshold (days): 180; note: ย้ายตามคำสั่งที่ 12/2569; custom_key: yes",
    ]


def test_a_kept_date_text_follows_the_language_it_was_asked_in() -> None:
    # Dates are kept by text and language: the Thai text must not come back in English.
    assert value_text("2026-05-21") == "21 พฤษภาคม 2569"
    assert value_text("2026-05-21", "en") == "21 May 2026"
    assert value_text("2026-05-21") == "21 พฤษภาคม 2569"
    assert value_text("somchai.ab") == "somchai.ab"  # ten characters, not a date
