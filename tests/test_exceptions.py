"""Accepted-risk exceptions: loading (every problem named by file, entry and key) and waiving."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from laas_audit.errors import InputError
from laas_audit.exceptions import ExceptionEntry, apply_exceptions, load_exceptions, parse_expiry
from laas_audit.model import AccountResult, Finding, MatchInfo, ReviewResult, Source
from laas_audit.national_id import make_id

AS_OF = date(2026, 4, 30)


def _finding(fid: str, rule: str, category: str, username: str) -> Finding:
    return Finding(
        id=fid,
        rule=rule,
        category=category,  # type: ignore[arg-type]
        severity="high",
        username=username,
        groups=["กลุ่มเจ้าหน้าที่การเงิน"],
        message=f"บัญชี {username} ต้องตรวจสอบ",
        evidence={},
        source=Source(file="รายงานผู้ใช้งาน.xlsx", sheet="รายงาน", rows=[8]),
    )


def _result(*findings: Finding) -> ReviewResult:
    return ReviewResult(
        tool_version="test",
        policy_version="test",
        as_of=AS_OF,
        body={"name": "องค์การบริหารส่วนตำบลโคกพะยอม", "district": "เมือง", "province": "ชัยภูมิ"},
        inputs=[],
        accounts=[],
        findings=list(findings),
        rules={},
    )


def _write(tmp_path: Path, text: str, name: str = "ข้อยกเว้น.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
- username: somsak.p
  rule: LA301
  reason: อบต. มีเจ้าหน้าที่การเงินคนเดียว ผู้อำนวยการกองคลังมอบหมายเป็นการชั่วคราว
  approved_by: นางวิไลวรรณ ทองประเสริฐ ผู้อำนวยการกองคลัง
  expires: 2570-03-31
  order: คำสั่ง อบต. ที่ ๑๒๓/๒๕๖๘
- username: KANYA.T
  category: hygiene
  reason: รอเปลี่ยนรหัสผ่านพร้อมระบบใหม่
  approved_by: นางวิไลวรรณ ทองประเสริฐ
  expires: "๒๕๖๙-๐๑-๓๑"
"""


def test_load_good_file_converts_be_years_and_thai_digits(tmp_path: Path) -> None:
    entries = load_exceptions(_write(tmp_path, GOOD))
    assert [e.username for e in entries] == ["somsak.p", "KANYA.T"]
    assert entries[0].rule == "LA301" and entries[0].category is None
    assert entries[0].expires == date(2027, 3, 31)
    assert entries[0].order == "คำสั่ง อบต. ที่ ๑๒๓/๒๕๖๘"
    assert entries[1].category == "hygiene" and entries[1].rule is None
    assert entries[1].expires == date(2026, 1, 31)
    assert [e.entry for e in entries] == [1, 2]
    assert [e.line for e in entries] == [1, 7]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-03-31", date(2027, 3, 31)),
        ("2570-03-31", date(2027, 3, 31)),
        ("๒๕๗๐-๐๓-๓๑", date(2027, 3, 31)),
        ("2567-02-29", date(2024, 2, 29)),  # BE 2567 is CE 2024, a leap year
        (date(2570, 3, 31), date(2027, 3, 31)),
        ("31/03/2570", None),
        ("2027-02-30", None),
        (20270331, None),
    ],
)
def test_parse_expiry(value: object, expected: date | None) -> None:
    assert parse_expiry(value) == expected


def test_be_leap_day_in_yaml_is_read(tmp_path: Path) -> None:
    text = GOOD.replace("expires: 2570-03-31", "expires: 2567-02-29")
    assert load_exceptions(_write(tmp_path, text))[0].expires == date(2024, 2, 29)


def test_list_under_exceptions_key_and_empty_file(tmp_path: Path) -> None:
    nested = "exceptions:\n" + "".join("  " + line + "\n" for line in GOOD.splitlines())
    assert len(load_exceptions(_write(tmp_path, nested, "a.yaml"))) == 2
    assert load_exceptions(_write(tmp_path, "", "b.yaml")) == []


def test_thai_category_name_is_accepted(tmp_path: Path) -> None:
    text = GOOD.replace("category: hygiene", "category: สุขอนามัยบัญชี")
    assert load_exceptions(_write(tmp_path, text))[1].category == "hygiene"


BAD_CASES = [
    # (what is changed in entry 2, key named, words expected in the English message)
    ("  reason: รอเปลี่ยนรหัสผ่านพร้อมระบบใหม่\n", "", "reason", "missing"),
    ("  category: hygiene\n", "  category: hygiene\n  rule: LA401\n", "rule", "not both"),
    ("  category: hygiene\n", "", "rule", "give rule or category"),
    ("  category: hygiene\n", "  category: ความลับ\n", "category", "unknown category"),
    ("  category: hygiene\n", "  rule: LA-401\n", "rule", "not of the form LA101"),
    ("  category: hygiene\n", "  rule: LA3O1\n", "rule", "not of the form LA101"),
    ("  category: hygiene\n", "  rule: LA901\n", "rule", "'LA901' is not one of the rules"),
    ('  expires: "๒๕๖๙-๐๑-๓๑"\n', "  expires: 31 ม.ค. 2569\n", "expires", "not a valid date"),
    ('  expires: "๒๕๖๙-๐๑-๓๑"\n', "  expires: 2569-02-30\n", "expires",
     "impossible date '2569-02-30': February 2569 BE has no day 30"),
    ('  expires: "๒๕๖๙-๐๑-๓๑"\n', "", "expires", "missing"),
    ("  category: hygiene\n", "  category: hygiene\n  note: ชั่วคราว\n", "note", "unknown key"),
]


@pytest.mark.parametrize(("old", "new", "key", "words"), BAD_CASES)
def test_bad_entry_names_file_entry_and_key(
    tmp_path: Path, old: str, new: str, key: str, words: str
) -> None:
    first, second = GOOD.split("- username: KANYA.T\n")
    assert old in second
    path = _write(tmp_path, first + "- username: KANYA.T\n" + second.replace(old, new))
    with pytest.raises(InputError) as info:
        load_exceptions(path)
    err = info.value
    assert err.location.file == "ข้อยกเว้น.yaml"
    assert f"entry 2 (line 7), key '{key}'" in err.en
    assert words in err.en
    assert f"รายการที่ 2 (บรรทัด 7) คีย์ '{key}'" in err.th
    assert "ข้อยกเว้น.yaml" in err.message()


def test_impossible_expiry_says_which_day_is_missing_in_thai_and_english(tmp_path: Path) -> None:
    text = GOOD.replace('expires: "๒๕๖๙-๐๑-๓๑"', 'expires: "๒๕๖๙-๐๒-๓๐"')
    with pytest.raises(InputError) as info:
        load_exceptions(_write(tmp_path, text))
    err = info.value
    assert err.th == (
        "รายการที่ 2 (บรรทัด 7) คีย์ 'expires': "
        "วันที่ '2569-02-30' เป็นไปไม่ได้: เดือนกุมภาพันธ์ พ.ศ. 2569 ไม่มีวันที่ 30"
    )
    assert err.en == (
        "entry 2 (line 7), key 'expires': "
        "impossible date '2569-02-30': February 2569 BE has no day 30"
    )


def test_rule_that_does_not_exist_is_named_with_the_rules_that_do(tmp_path: Path) -> None:
    text = GOOD.replace("  rule: LA301\n", "  rule: LA999\n")
    with pytest.raises(InputError) as info:
        load_exceptions(_write(tmp_path, text))
    err = info.value
    assert err.location.file == "ข้อยกเว้น.yaml"
    assert err.en.startswith("entry 1 (line 1), key 'rule': 'LA999' is not one of the rules (")
    assert "LA101, LA102" in err.en and "LA404" in err.en and "docs/rules.md" in err.en
    assert "not of the form" not in err.en
    assert err.th.startswith("รายการที่ 1 (บรรทัด 1) คีย์ 'rule': ไม่มีกฎรหัส 'LA999' (กฎที่มี: LA101")
    assert "docs/rules.md" in err.th


def test_old_rule_code_is_read_as_the_rule_it_became(tmp_path: Path) -> None:
    rules = {"LA301": "LA301", "LA401": "LA401", "LA305": "LA301"}  # LA305 merged into LA301
    text = GOOD.replace("  rule: LA301\n", "  rule: la305\n")
    assert load_exceptions(_write(tmp_path, text), rules)[0].rule == "LA301"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("  rule: LA301\n", "  rule: LA3O1\n").replace(
        "  approved_by: นางวิไลวรรณ ทองประเสริฐ\n", ""
    )
    with pytest.raises(InputError) as info:
        load_exceptions(_write(tmp_path, text))
    err = info.value
    assert "entry 1 (line 1), key 'rule'" in err.en
    assert len(err.problems) == 1
    assert "entry 2 (line 7), key 'approved_by': missing" in err.problems[0]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("username: somsak.p\nrule: LA301\n", "must be a YAML list"),
        ("- username: somsak.p\n  rule: [LA301\n", "not a readable YAML file (line"),
        ("- somsak.p LA301\n", "entry 1 (line 1): must be a mapping"),
    ],
)
def test_bad_file_shape(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        load_exceptions(_write(tmp_path, text))
    assert words in info.value.en
    assert info.value.location.file == "ข้อยกเว้น.yaml"


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_exceptions(tmp_path / "ไม่มี.yaml")
    assert "not found" in info.value.en and info.value.location.file == "ไม่มี.yaml"
    path = tmp_path / "tis620.yaml"
    path.write_bytes(GOOD.encode("cp874"))
    with pytest.raises(InputError) as info:
        load_exceptions(path)
    assert "not UTF-8" in info.value.en


def _entry(
    username: str,
    expires: date,
    rule: str | None = None,
    category: str | None = None,
    reason: str = "ยอมรับความเสี่ยงชั่วคราว",
) -> ExceptionEntry:
    return ExceptionEntry(
        username=username,
        rule=rule,
        category=category,  # type: ignore[arg-type]
        reason=reason,
        approved_by="นางวิไลวรรณ ทองประเสริฐ",
        expires=expires,
        entry=1,
    )


def test_apply_waives_in_force_and_not_expired() -> None:
    privileged = _finding("a1", "LA301", "privilege", "somsak.p")
    password = _finding("b2", "LA401", "hygiene", "kanya.t")
    other = _finding("c3", "LA201", "mismatch", "somsak.p")
    result = _result(privileged, password, other)
    entries = [
        _entry(" Somsak.P ", date(2027, 3, 31), rule="LA301"),
        _entry("kanya.t", date(2026, 1, 31), category="hygiene"),
        _entry("prasert.w", date(2026, 12, 31), category="stale"),
    ]
    apply_exceptions(result, entries, AS_OF)
    assert privileged.status == "waived"
    assert privileged.waiver is not None and privileged.waiver.expires == "2027-03-31"
    assert password.status == "new" and password.waiver is None
    assert other.status == "new"
    assert [f.id for f in result.findings] == ["a1", "b2", "c3"]  # waived stays listed
    assert [s.state for s in result.exceptions] == ["active", "expired", "unused"]
    assert [s.expiring_soon for s in result.exceptions] == [False, False, False]
    assert result.counts()["privilege"]["high"] == 0


def test_expiry_day_itself_is_in_force_and_expiring_soon() -> None:
    finding = _finding("a1", "LA301", "privilege", "somsak.p")
    result = _result(finding)
    apply_exceptions(result, [_entry("somsak.p", AS_OF, category="privilege")], AS_OF)
    assert finding.status == "waived"
    assert result.exceptions[0].state == "active" and result.exceptions[0].expiring_soon
    result2 = _result(_finding("a1", "LA301", "privilege", "somsak.p"))
    later = date(2026, 6, 30)  # 61 days after AS_OF
    apply_exceptions(result2, [_entry("somsak.p", later, rule="LA301")], AS_OF,
                     expiring_soon_days=60)
    assert not result2.exceptions[0].expiring_soon
    apply_exceptions(result2, [_entry("somsak.p", later, rule="LA301")], AS_OF,
                     expiring_soon_days=61)
    assert result2.exceptions[0].expiring_soon


def test_rule_specific_exception_wins_over_category() -> None:
    finding = _finding("a1", "LA301", "privilege", "somsak.p")
    result = _result(finding)
    entries = [
        _entry("somsak.p", date(2028, 1, 1), category="privilege", reason="ทั้งหมวด"),
        _entry("somsak.p", date(2027, 1, 1), rule="LA301", reason="เฉพาะกฎนี้"),
    ]
    apply_exceptions(result, entries, AS_OF)
    assert finding.waiver is not None and finding.waiver.reason == "เฉพาะกฎนี้"
    assert [s.state for s in result.exceptions] == ["active", "active"]


def test_unknown_rule_code_is_warned() -> None:
    result = _result(_finding("a1", "LA301", "privilege", "somsak.p"))
    result.rules = {"LA301": None}  # type: ignore[dict-item]  # only the keys are consulted
    apply_exceptions(result, [_entry("somsak.p", date(2027, 1, 1), rule="LA399")], AS_OF)
    assert result.exceptions[0].state == "unused"
    assert any("LA399" in w for w in result.warnings)


# A fictitious ThaiD login (a citizen ID with a valid check digit) and the ways people type it.
THAID = make_id("391652877295")
THAID_TYPED = {
    "thai digits": THAID.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")),
    "dashes": f"{THAID[0]}-{THAID[1:5]}-{THAID[5:10]}-{THAID[10:12]}-{THAID[12]}",
    "spaces": f"{THAID[0]} {THAID[1:5]} {THAID[5:10]} {THAID[10:12]} {THAID[12]}",
    "zero-width space": THAID[:6] + "\u200b" + THAID[6:],
}


@pytest.mark.parametrize("how", THAID_TYPED)
def test_citizen_id_username_typed_any_way_waives_its_finding(tmp_path: Path, how: str) -> None:
    typed = THAID_TYPED[how]
    text = GOOD.replace("username: somsak.p", f'username: "{typed}"').replace(
        "rule: LA301", "rule: LA101"
    )
    entries = load_exceptions(_write(tmp_path, text))
    assert entries[0].username == THAID and entries[0].username_raw == typed
    leaver = _finding("a1", "LA101", "stale", THAID)  # the export reader keeps the 13 digits
    result = _result(leaver, _finding("b2", "LA401", "hygiene", "kanya.t"))
    apply_exceptions(result, entries, AS_OF)
    assert leaver.status == "waived"
    assert [s.state for s in result.exceptions] == ["active", "expired"]
    assert result.exceptions[0].username == THAID
    assert result.warnings == []


def test_thai_username_with_decomposed_sara_am_matches(tmp_path: Path) -> None:
    decomposed = "\u0e04\u0e4d\u0e32\u0e1b\u0e31\u0e19"  # "คำปัน" typed as NIKHAHIT + SARA AA
    text = GOOD.replace("username: somsak.p", f"username: {decomposed}")
    entries = load_exceptions(_write(tmp_path, text))
    finding = _finding("a1", "LA301", "privilege", "คำปัน")
    result = _result(finding)
    apply_exceptions(result, entries, AS_OF)
    assert finding.status == "waived"


def test_exception_naming_no_account_is_warned_with_file_entry_line_and_username(
    tmp_path: Path,
) -> None:
    typed = THAID_TYPED["dashes"]
    text = GOOD.replace("username: somsak.p", f"username: {typed}").replace(
        "expires: \"๒๕๖๙-๐๑-๓๑\"", "expires: 2570-01-31"
    ) + (
        "- username: somsak.pp\n"
        "  category: privilege\n"
        "  reason: พิมพ์ชื่อผู้ใช้ผิด\n"
        "  approved_by: นางวิไลวรรณ ทองประเสริฐ\n"
        "  expires: 2570-03-31\n"
    )
    entries = load_exceptions(_write(tmp_path, text))
    # the export has kanya.t (entry 2) and somsak.p, but not the ID of entry 1 nor somsak.pp
    result = _result(_finding("b2", "LA401", "hygiene", "kanya.t"),
                     _finding("c3", "LA301", "privilege", "somsak.p"))
    apply_exceptions(result, entries, AS_OF)
    assert [s.state for s in result.exceptions] == ["unused", "active", "unused"]
    assert result.warnings == [
        f"ข้อยกเว้น.yaml ข้อยกเว้นรายการที่ 1 (บรรทัด 1): ชื่อผู้ใช้ '{typed}' (อ่านได้เป็น "
        f"'{THAID}') ไม่ตรงกับบัญชีใดในรายงาน e-LAAS ข้อยกเว้นนี้จึงไม่มีผล "
        "(ตรวจชื่อผู้ใช้ให้ตรงกับรายงาน) / "
        f"ข้อยกเว้น.yaml, exceptions entry 1 (line 1): username '{typed}' (read as '{THAID}') "
        "matches no account in the e-LAAS export, so this exception waives nothing (check the "
        "username against the export)",
        "ข้อยกเว้น.yaml ข้อยกเว้นรายการที่ 3 (บรรทัด 12): ชื่อผู้ใช้ 'somsak.pp' "
        "ไม่ตรงกับบัญชีใดในรายงาน e-LAAS ข้อยกเว้นนี้จึงไม่มีผล (ตรวจชื่อผู้ใช้ให้ตรงกับรายงาน) / "
        "ข้อยกเว้น.yaml, exceptions entry 3 (line 12): username 'somsak.pp' matches no account "
        "in the e-LAAS export, so this exception waives nothing (check the username against the "
        "export)",
    ]


def test_account_without_findings_and_expired_entries_are_not_warned() -> None:
    result = _result(_finding("a1", "LA301", "privilege", "somsak.p"))
    result.accounts = [
        AccountResult(username="Wichai.S", full_name="นายวิชัย สุขใจ", groups=["พัสดุ"],
                      status="ใช้งาน", match=MatchInfo(method="national_id", score=100.0))
    ]
    apply_exceptions(result, [
        _entry("wichai.s", date(2027, 1, 1), category="hygiene"),  # an account, nothing to waive
        _entry("prasert.w", date(2026, 1, 31), category="stale"),  # expired: shown as such
    ], AS_OF)
    assert [s.state for s in result.exceptions] == ["unused", "expired"]
    assert result.warnings == []
