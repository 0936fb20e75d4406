"""The six-monthly delta: new / persisting / resolved by stable id, together with exceptions.

The issue-5 acceptance scenario at the model level: review a body, review it again after one
leaver's account is removed, with one exception in force and one past its date.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from laas_audit.cycle import PreviousReview, apply_previous, finding_from_dict, load_previous
from laas_audit.engine import finding_id
from laas_audit.errors import InputError
from laas_audit.exceptions import apply_exceptions, load_exceptions
from laas_audit.manifest import write_manifest
from laas_audit.model import AccountResult, Finding, MatchInfo, ReviewResult, Source
from laas_audit.national_id import make_id
from laas_audit.render_json import write_json

BODY = {"name": "องค์การบริหารส่วนตำบลหนองบัวทอง", "district": "ภักดีชุมพล", "province": "ชัยภูมิ"}
EXPORT = "รายงานผู้ใช้งาน_อบต.หนองบัวทอง.xlsx"


def _finding(fid: str, rule: str, category: str, username: str, row: int, msg: str) -> Finding:
    return Finding(
        id=fid,
        rule=rule,
        category=category,  # type: ignore[arg-type]
        severity="high" if category in ("stale", "privilege") else "medium",
        username=username,
        groups=["เจ้าหน้าที่การเงิน"],
        message=msg,
        evidence={"roster_status": "ลาออก"} if rule == "LA101" else {},
        source=Source(file=EXPORT, sheet="รายงาน", rows=[row]),
    )


def _first_cycle_findings() -> list[Finding]:
    return [
        _finding("LA101-7f3a91c2", "LA101", "stale", "wanida.s", 8,
                 "นางสาววนิดา ศรีนวล ลาออกแล้วเมื่อ ๓๑ ม.ค. ๒๕๖๙ แต่บัญชียังใช้งานได้"),
        _finding("LA401-1b2c3d4e", "LA401", "hygiene", "wanida.s", 8,
                 "รหัสผ่านของนางสาววนิดา ศรีนวล ไม่ได้เปลี่ยนเกิน ๑๘๐ วัน"),
        _finding("LA301-aa11bb22", "LA301", "privilege", "somsak.p", 9,
                 "นายสมศักดิ์ พรหมวงศ์ อยู่ในกลุ่มผู้ดูแลระบบ แต่ไม่ใช่หัวหน้าหน่วยงานคลัง"),
        _finding("LA401-5e6f7a8b", "LA401", "hygiene", "kanjana.t", 10,
                 "รหัสผ่านของนางกาญจนา ทองคำ ไม่ได้เปลี่ยนเกิน ๑๘๐ วัน"),
        _finding("LA201-c0ffee01", "LA201", "mismatch", "prasert.w", 11,
                 "นายประเสริฐ วงศ์ใหญ่ ตำแหน่งเจ้าพนักงานธุรการ อยู่ในกลุ่มเจ้าหน้าที่การเงิน"),
    ]


def _result(as_of: date, findings: list[Finding]) -> ReviewResult:
    return ReviewResult(
        tool_version="0.1.0",
        policy_version="2569.1",
        as_of=as_of,
        body=dict(BODY),
        inputs=[],
        accounts=[],
        findings=findings,
        rules={},
    )


def _write_review(folder: Path, result: ReviewResult) -> Path:
    folder.mkdir(parents=True)
    return write_json(result, folder / "findings.json")  # as `review` writes it (IDs masked)


EXCEPTIONS = """\
- username: Somsak.P
  rule: LA301
  reason: อบต. ขนาดเล็ก มีผู้ดูแลระบบสำรองตามคำสั่ง
  approved_by: นางวิไลวรรณ บุญประเสริฐ ผู้อำนวยการกองคลัง
  expires: 2570-03-31
  order: "๑๒๓/๒๕๖๙"
- username: kanjana.t
  category: hygiene
  reason: รอเปลี่ยนรหัสผ่านพร้อมการย้ายระบบ
  approved_by: นางวิไลวรรณ บุญประเสริฐ ผู้อำนวยการกองคลัง
  expires: 2569-09-30
"""


def test_acceptance_two_cycles_with_exceptions(tmp_path: Path) -> None:
    # Cycle 1: no previous review, everything is new.
    first = _result(date(2026, 4, 30), _first_cycle_findings())
    assert {f.status for f in first.findings} == {"new"}
    first_dir = tmp_path / "ผลการตรวจ-2569-04"
    _write_review(first_dir, first)
    (first_dir / "manifest.json").write_text("{}", encoding="utf-8")

    # Cycle 2: wanida.s (a leaver) was removed from e-LAAS; a new dormant account appeared.
    second_findings = [f for f in _first_cycle_findings() if f.username != "wanida.s"]
    second_findings.append(
        _finding("LA103-d00d0001", "LA103", "stale", "boonmee.c", 12,
                 "นายบุญมี แก้วมณี ไม่ได้เข้าใช้งานเกิน ๑๘๐ วัน")
    )
    second = _result(date(2026, 10, 31), second_findings)
    previous = load_previous(first_dir)
    assert previous.manifest == first_dir / "manifest.json"
    apply_previous(second, previous)
    exceptions_file = tmp_path / "ข้อยกเว้น.yaml"
    exceptions_file.write_text(EXCEPTIONS, encoding="utf-8")
    apply_exceptions(second, load_exceptions(exceptions_file), second.as_of)

    status = {f.id: f.status for f in second.findings}
    assert status == {
        "LA301-aa11bb22": "waived",  # exception in force until 2027-03-31
        "LA401-5e6f7a8b": "persisting",  # its exception lapsed on 2026-09-30
        "LA201-c0ffee01": "persisting",
        "LA103-d00d0001": "new",
    }
    waived = next(f for f in second.findings if f.status == "waived")
    assert waived.waiver is not None
    assert waived.waiver.reason == "อบต. ขนาดเล็ก มีผู้ดูแลระบบสำรองตามคำสั่ง"
    assert waived.waiver.order == "๑๒๓/๒๕๖๙"
    assert sorted(f.id for f in second.resolved) == ["LA101-7f3a91c2", "LA401-1b2c3d4e"]
    assert {f.username for f in second.resolved} == {"wanida.s"}
    assert [(e.username, e.state) for e in second.exceptions] == [
        ("Somsak.P", "active"), ("kanjana.t", "expired"),
    ]
    assert second.previous == "ผลการตรวจ-2569-04/findings.json"
    assert second.warnings == []

    # The JSON contract carries all of it, and resolved findings have the findings' shape.
    data = json.loads(json.dumps(second.to_dict(), ensure_ascii=False))
    assert set(data["resolved"][0]) == set(data["findings"][0])
    assert {e["state"] for e in data["exceptions"]} == {"active", "expired"}
    assert data["previous"] == "ผลการตรวจ-2569-04/findings.json"

    # Cycle 3, compared against cycle 2: the waived finding is persisting-and-waived, and a
    # finding waived last time that is now gone is resolved.
    second_dir = tmp_path / "ผลการตรวจ-2569-10"
    _write_review(second_dir, second)
    third = _result(date(2027, 4, 30), [
        f for f in _first_cycle_findings() if f.id in ("LA401-5e6f7a8b", "LA201-c0ffee01")
    ])
    apply_exceptions(third, load_exceptions(exceptions_file), third.as_of)  # order: either
    apply_previous(third, load_previous(second_dir / "findings.json"))
    assert {f.id: f.status for f in third.findings} == {
        "LA401-5e6f7a8b": "persisting", "LA201-c0ffee01": "persisting",
    }
    resolved = {f.id: f.status for f in third.resolved}
    assert resolved == {"LA301-aa11bb22": "waived", "LA103-d00d0001": "new"}


def test_waived_is_kept_when_exceptions_come_first() -> None:
    result = _result(date(2026, 10, 31), _first_cycle_findings()[2:3])
    result.findings[0].status = "waived"
    prev_result = _result(date(2026, 4, 30), _first_cycle_findings())
    apply_previous(result, PreviousReview(Path("รอบก่อน/findings.json"),
                                          prev_result.findings, date(2026, 4, 30), dict(BODY)))
    assert result.findings[0].status == "waived"
    assert len(result.resolved) == 4


def test_finding_round_trips_through_json() -> None:
    finding = _first_cycle_findings()[0]
    assert finding_from_dict(json.loads(json.dumps(asdict(finding)))) == finding


def test_a_body_type_change_and_a_same_day_rerun_are_compared_with_warnings(
    tmp_path: Path,
) -> None:
    # An อบต. upgraded to a เทศบาลตำบล keeps its place name: the same body. A re-run the same
    # day after fixes (same as-of) is a fair comparison too; both are said.
    first = _result(date(2026, 10, 31), _first_cycle_findings())
    place = BODY["name"].removeprefix("องค์การบริหารส่วนตำบล")
    first.body["name"] = f"เทศบาลตำบล{place}"
    _write_review(tmp_path / "ก่อนเปลี่ยนฐานะ", first)
    second = _result(date(2026, 10, 31), _first_cycle_findings())
    apply_previous(second, load_previous(tmp_path / "ก่อนเปลี่ยนฐานะ"))
    assert len(second.warnings) == 2
    assert "another body" in second.warnings[0] and f"เทศบาลตำบล{place}" in second.warnings[0]
    assert "not older" in second.warnings[1]


def test_a_previous_review_naming_the_capital_district_short_is_the_same_body(
    tmp_path: Path,
) -> None:
    # A review written before district names were made official holds "เมือง" alone; the same
    # body's export now reads "อำเภอเมืองชัยภูมิ". Not another body.
    first = _result(date(2026, 4, 30), _first_cycle_findings())
    first.body.update(district="เมือง", province="ชัยภูมิ")
    _write_review(tmp_path / "รอบก่อน", first)
    second = _result(date(2026, 10, 31), _first_cycle_findings())
    second.body.update(district="เมืองชัยภูมิ", province="ชัยภูมิ")
    apply_previous(second, load_previous(tmp_path / "รอบก่อน"))
    assert second.previous and not second.warnings


@pytest.mark.parametrize("change", ["name", "district", "newer"])
def test_another_body_or_a_newer_review_is_refused_as_previous(
    tmp_path: Path, change: str
) -> None:
    # Another body's findings would be listed as resolved here (with its staff's names), and
    # a newer review would make new findings pass for persisting.
    first = _result(date(2026, 10, 31), _first_cycle_findings())
    if change == "name":
        first.body["name"] = "เทศบาลเมืองดอนแก้ว"
    elif change == "district":
        first.body["district"] = "อำเภออื่น"
    else:
        first.as_of = date(2027, 4, 30)
    _write_review(tmp_path / "รอบก่อน", first)
    second = _result(date(2026, 10, 31), _first_cycle_findings())
    with pytest.raises(InputError) as info:
        apply_previous(second, load_previous(tmp_path / "รอบก่อน"))
    words = "newer than this one" if change == "newer" else "of another body"
    assert words in info.value.en and info.value.th
    assert info.value.location.file == "รอบก่อน/findings.json"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "previous review not found"),
        ("{ broken", "broken JSON"),
        ('{"schema": "laas-audit/manifest/1"}', "not a laas-audit review result"),
        ('{"schema": "laas-audit/findings/1"}', "no 'findings' list"),
        ('{"schema": "laas-audit/findings/1", "findings": [{"id": "x", "rule": "LA101"}]}',
         "incomplete"),
    ],
)
def test_bad_previous_is_an_input_error(tmp_path: Path, content: str | None, words: str) -> None:
    folder = tmp_path / "รอบก่อน"
    folder.mkdir()
    if content is not None:
        (folder / "findings.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_previous(folder)
    assert words in info.value.en
    assert info.value.location.file == "รอบก่อน/findings.json"
    assert info.value.hint_en


def test_incomplete_findings_list_each_problem(tmp_path: Path) -> None:
    data = _result(date(2026, 4, 30), _first_cycle_findings()).to_dict()
    data["findings"][1]["category"] = "อื่นๆ"
    del data["findings"][3]["username"]
    path = tmp_path / "findings.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_previous(path)
    assert info.value.location.file == "findings.json"
    assert len(info.value.problems) == 2
    assert info.value.problems[0].startswith("finding 2: unknown category")
    assert info.value.problems[1].startswith("finding 4: ")


def test_previous_manifest_hash_can_be_chained(tmp_path: Path) -> None:
    first_dir = tmp_path / "รอบแรก"
    findings = _write_review(first_dir, _result(date(2026, 4, 30), _first_cycle_findings()))
    write_manifest(first_dir, [], [findings], None)
    previous = load_previous(findings)
    assert previous.manifest is not None
    assert previous.label == "รอบแรก/findings.json"
    assert previous.as_of == date(2026, 4, 30)


# --------------------------------------------------------------------- renamed logins, body

SOMCHAI_ID = make_id("310170020871")  # fictitious, valid checksum
OTHER_ID = make_id("110140012345")
SOMCHAI = "นายสมชาย กองแก้ว"


def _account(username: str, national_id: str | None, full_name: str = SOMCHAI) -> AccountResult:
    return AccountResult(
        username=username, full_name=full_name, groups=["เจ้าหน้าที่ธุรการกองต่างๆ"],
        status="ใช้งาน", match=MatchInfo("national_id", 100.0, 12), national_id=national_id,
    )


def _dormant(fid: str, username: str, roster_name: str = SOMCHAI, rule: str = "LA103") -> Finding:
    finding = _finding(fid, rule, "stale", username, 14,
                       f"{roster_name} ({username}) เข้าใช้งานครั้งล่าสุดเมื่อ 2 มิ.ย. 2568")
    finding.evidence = {"export": {"username": username, "last_login": "2025-06-02"},
                        "roster": {"row": 12, "full_name": roster_name, "status": "ปกติ"}}
    return finding


def _first_with_somchai(tmp_path: Path) -> PreviousReview:
    """Cycle 1 as `review` writes it: somchai.k's national ID masked in findings.json."""
    first = _result(date(2026, 4, 1), [*_first_cycle_findings(),
                                       _dormant("LA103-5c0a11e9b2", "somchai.k")])
    first.accounts = [_account("somchai.k", SOMCHAI_ID)] + [
        _account(u, None, "") for u in ("wanida.s", "somsak.p", "kanjana.t", "prasert.w")
    ]
    _write_review(tmp_path / "2569-04", first)
    previous = load_previous(tmp_path / "2569-04")
    assert "x-xxxx-xxxxx-71-" in json.dumps([a.national_id for a in previous.accounts])
    return previous


def _second(accounts: list[AccountResult], findings: list[Finding]) -> ReviewResult:
    second = _result(date(2026, 10, 1), [*_first_cycle_findings(), *findings])
    second.accounts = [*accounts, *(_account(u, None, "") for u in
                                    ("wanida.s", "somsak.p", "kanjana.t", "prasert.w"))]
    return second


def test_a_login_renamed_to_the_thaid_id_persists_instead_of_resolved_and_new(
    tmp_path: Path,
) -> None:
    previous = _first_with_somchai(tmp_path)
    renamed = _dormant("LA103-77d2e01f4a", SOMCHAI_ID, "นาย สมชาย  กองแก้ว")  # as the roster
    second = _second([_account(SOMCHAI_ID, SOMCHAI_ID)], [renamed])
    apply_previous(second, previous)
    assert renamed.status == "persisting"
    assert (renamed.previous_username, renamed.previous_id) == ("somchai.k", "LA103-5c0a11e9b2")
    assert "LA103-5c0a11e9b2" not in {f.id for f in second.resolved}
    assert second.warnings == []


@pytest.mark.parametrize(
    ("national_id", "roster_name"),
    [(OTHER_ID, SOMCHAI), (SOMCHAI_ID, "นายสมชัย กองแก้ว"), (None, SOMCHAI)],
    ids=["another person of the same name", "same ID tail, another name", "no ID"],
)
def test_a_rename_is_never_taken_on_the_name_alone(
    tmp_path: Path, national_id: str | None, roster_name: str
) -> None:
    previous = _first_with_somchai(tmp_path)
    newcomer = _dormant("LA103-0e0e0e0e0e", "somchai.kk", roster_name)
    second = _second([_account("somchai.kk", national_id, roster_name)], [newcomer])
    apply_previous(second, previous)
    assert newcomer.status == "new" and newcomer.previous_username is None
    assert "LA103-5c0a11e9b2" in {f.id for f in second.resolved}


def test_an_account_kept_from_last_cycle_is_not_a_rename(tmp_path: Path) -> None:
    # wanida.s existed last cycle: a new LA103 on it is her own, even if the person matched.
    previous = _first_with_somchai(tmp_path)
    other = _dormant("LA103-1a1a1a1a1a", "wanida.s")
    second = _second([], [other])
    second.accounts[-4] = _account("wanida.s", SOMCHAI_ID)
    apply_previous(second, previous)
    assert other.status == "new" and other.previous_id is None
    assert "LA103-5c0a11e9b2" in {f.id for f in second.resolved}


def test_two_new_logins_of_the_person_are_left_as_they_are_with_a_warning(
    tmp_path: Path,
) -> None:
    previous = _first_with_somchai(tmp_path)
    one, two = _dormant("LA103-2b2b2b2b2b", SOMCHAI_ID), _dormant("LA103-3c3c3c3c3c", "somchai.kk")
    second = _second([_account(SOMCHAI_ID, SOMCHAI_ID), _account("somchai.kk", SOMCHAI_ID)],
                     [one, two])
    apply_previous(second, previous)
    assert {one.status, two.status} == {"new"}
    assert "LA103-5c0a11e9b2" in {f.id for f in second.resolved}
    (warning,) = second.warnings
    assert warning.startswith("บัญชี somchai.k ของรอบก่อนไม่อยู่ในรายงานนี้")
    assert "somchai.kk" in warning and "which login became which cannot be told" in warning


def _other_body_accounts(n: int) -> list[AccountResult]:
    return [_account(f"staff{i:02d}.b", None, "") for i in range(n)]


def test_without_a_body_name_the_body_check_is_said_and_the_accounts_compared(
    tmp_path: Path,
) -> None:
    previous = _first_with_somchai(tmp_path)
    second = _second([_account("somchai.k", SOMCHAI_ID)], [])
    second.body = {"name": None, "district": None, "province": None}  # no title block
    apply_previous(second, previous)
    (warning,) = second.warnings
    assert warning.startswith("เทียบหน่วยงานกับผลการตรวจรอบก่อน (2569-04/findings.json) ไม่ได้")
    assert "ไม่พบชื่อหน่วยงานในรายงานรอบนี้" in warning and "5 จาก 5 บัญชี" in warning


@pytest.mark.parametrize("side", ["this", "previous"])
def test_without_a_body_name_another_bodys_review_is_refused_by_its_accounts(
    tmp_path: Path, side: str
) -> None:
    previous = _first_with_somchai(tmp_path)
    second = _result(date(2026, 10, 1), [])
    second.accounts = _other_body_accounts(12)  # none of the previous five
    if side == "this":
        second.body = {"name": None, "district": None, "province": None}
    else:
        previous.body = {}
    with pytest.raises(InputError) as info:
        apply_previous(second, previous)
    assert info.value.th.startswith("ผลการตรวจรอบก่อนนี้เป็นของหน่วยงานอื่น")
    assert "only 0 of its 5 accounts are in this export" in info.value.en
    assert info.value.hint_th == "ให้ --previous ชี้ไปที่โฟลเดอร์ผลการตรวจรอบก่อนของหน่วยงานนี้"
    assert info.value.location.file == "2569-04/findings.json"


def test_one_account_in_five_is_enough_to_compare(tmp_path: Path) -> None:
    previous = _first_with_somchai(tmp_path)
    second = _result(date(2026, 10, 1), [])
    second.body = {"name": None, "district": None, "province": None}
    second.accounts = [*_other_body_accounts(12), _account("somsak.p", None, "")]  # 20%
    apply_previous(second, previous)
    assert len(second.warnings) == 1 and "1 of its 5 accounts" in second.warnings[0]


def test_a_small_previous_review_is_not_judged_by_its_accounts(tmp_path: Path) -> None:
    # Four accounts say too little: compared, with the warning only.
    small = _result(date(2026, 4, 1), _first_cycle_findings()[:1])
    small.body = {"name": None, "district": None, "province": None}
    small.accounts = [_account(u, None, "") for u in ("a.one", "b.two", "c.three", "wanida.s")]
    _write_review(tmp_path / "เล็ก", small)
    second = _result(date(2026, 10, 1), [])
    second.accounts = _other_body_accounts(8)
    apply_previous(second, load_previous(tmp_path / "เล็ก"))
    assert len(second.warnings) == 1 and "0 of its 4 accounts" in second.warnings[0]


# ------------------------------------------------- an unnamed body whose logins all became ThaiD

# A small อบต.'s staff (fictitious names, IDs with a valid checksum): login, name, ID.
STAFF = [
    ("wilaiwan.s", "นางวิไลวรรณ ศรีสุข", make_id("310170045821")),
    ("somsri.b", "นางสาวสมศรี บุญมา", make_id("340990012734")),
    ("prasit.k", "นายประสิทธิ์ แก้วมณี", make_id("136020044518")),
    ("kannika.t", "นางกรรณิกา ทองคำ", make_id("350110023467")),
    ("thanakorn.p", "นายธนากร พูลสวัสดิ์", make_id("110370098123")),
    ("wanida.c", "นางสาววนิดา จันทร์หอม", make_id("336040017752")),
    ("boonmee.s", "นายบุญมี สุขเจริญ", make_id("141990033281")),
    ("ratree.n", "นางราตรี หนูนาค", make_id("520060041196")),
]
NO_BODY = {"name": None, "district": None, "province": None}


def _staff_review(as_of: date, logins: list[str], staff: list[tuple[str, str, str]]
                  ) -> ReviewResult:
    """A review of an export without a title block: each person's account, three LA401s."""
    result = _result(as_of, [])
    result.body = dict(NO_BODY)
    result.accounts = [_account(login, nid, name)
                       for login, (_, name, nid) in zip(logins, staff, strict=True)]
    for login, (_, name, _nid) in list(zip(logins, staff, strict=True))[:3]:
        finding = _finding(finding_id("LA401", login), "LA401", "hygiene", login, 9,
                           f"รหัสผ่านของ{name} ไม่ได้เปลี่ยนเกิน ๑๘๐ วัน")
        finding.evidence = {"roster": {"row": 5, "full_name": name, "status": "ปกติ"}}
        result.findings.append(finding)
    return result


def _all_logins_were_name_based(tmp_path: Path) -> PreviousReview:
    first = _staff_review(date(2026, 4, 1), [s[0] for s in STAFF], STAFF)
    _write_review(tmp_path / "2569-04", first)  # as `review` writes it: the IDs masked
    return load_previous(tmp_path / "2569-04")


def test_an_unnamed_body_whose_logins_all_became_thaid_logins_is_compared(
    tmp_path: Path,
) -> None:
    previous = _all_logins_were_name_based(tmp_path)
    second = _staff_review(date(2026, 10, 1), [s[2] for s in STAFF], STAFF)
    apply_previous(second, previous)
    (warning,) = second.warnings
    assert "8 จาก 8 บัญชี (ในจำนวนนี้ 8 บัญชีเปลี่ยนชื่อผู้ใช้" in warning
    assert "8 of its 8 accounts are in this export (8 of them under a new login" in warning
    assert second.resolved == []
    assert [(f.status, f.previous_username) for f in second.findings] == [
        ("persisting", login) for login, _, _ in STAFF[:3]]
    assert [f.previous_id for f in second.findings] == [
        finding_id("LA401", login) for login, _, _ in STAFF[:3]]


def test_an_unnamed_body_of_other_people_on_thaid_logins_is_still_refused(
    tmp_path: Path,
) -> None:
    previous = _all_logins_were_name_based(tmp_path)
    # Another อบต.'s staff, logging in by their own IDs; one shares a name with ours.
    others = [(f"x{i}", name if i == 0 else f"นายสมปอง ทองดี{i}", make_id(f"15601{i:07d}"))
              for i, (_, name, _) in enumerate(STAFF)]
    second = _staff_review(date(2026, 10, 1), [o[2] for o in others], others)
    with pytest.raises(InputError) as info:
        apply_previous(second, previous)
    assert "only 0 of its 8 accounts are in this export" in info.value.en
    assert "ทั้งจากชื่อผู้ใช้และเลขประจำตัวประชาชน" in info.value.th


# ------------------------------------------------ the same problem on an account, another rule

KANNIKA, SOMSRI = STAFF[3], STAFF[1]  # a retiree HR had not marked; a leaver


def _stale(rule: str, person: tuple[str, str, str], severity: str = "high") -> Finding:
    login, name, _ = person
    finding = _finding(finding_id(rule, login), rule, "stale", login, 10,
                       f"{name} ({login}) {rule}")
    finding.severity = severity  # type: ignore[assignment]
    return finding


def _review_of(as_of: date, findings: list[Finding]) -> ReviewResult:
    result = _result(as_of, findings)
    result.accounts = [_account(login, nid, name) for login, name, nid in STAFF]
    return result


def _previous_of(tmp_path: Path, findings: list[Finding]) -> PreviousReview:
    _write_review(tmp_path / "2569-04", _review_of(date(2026, 4, 1), findings))
    return load_previous(tmp_path / "2569-04")


def test_a_finding_under_another_rule_of_the_same_problem_persists_and_names_its_old_rule(
    tmp_path: Path,
) -> None:
    # April: Kannika retired by her birth date (LA105), Somsri a leaver who is also dormant.
    # October: HR marked Kannika retired (LA101) and dropped Somsri from the roster (LA102).
    previous = _previous_of(tmp_path, [
        _stale("LA105", KANNIKA, "medium"), _stale("LA101", SOMSRI),
        _stale("LA103", SOMSRI, "medium")])
    retired, orphan, dormant = (_stale("LA101", KANNIKA), _stale("LA102", SOMSRI),
                                _stale("LA103", SOMSRI, "medium"))
    second = _review_of(date(2026, 10, 1), [retired, orphan, dormant])
    apply_previous(second, previous)
    assert second.resolved == []
    assert [(f.rule, f.status, f.previous_rule, f.previous_id) for f in second.findings] == [
        ("LA101", "persisting", "LA105", finding_id("LA105", KANNIKA[0])),
        ("LA102", "persisting", "LA101", finding_id("LA101", SOMSRI[0])),
        ("LA103", "persisting", None, None),  # the same id: persisting as ever
    ]
    assert retired.previous_username is None and second.warnings == []
    data = second.to_dict()["findings"]
    assert [f["previous_rule"] for f in data if f["rule"] != "LA103"] == ["LA105", "LA101"]


@pytest.mark.parametrize(
    ("then", "now", "why"),
    [
        (_stale("LA105", KANNIKA, "medium"), _stale("LA401", KANNIKA, "medium"), "other problem"),
        (_stale("LA105", KANNIKA, "medium"), _stale("LA101", SOMSRI), "other account"),
    ],
)
def test_another_problem_or_another_account_is_still_resolved_and_new(
    tmp_path: Path, then: Finding, now: Finding, why: str
) -> None:
    previous = _previous_of(tmp_path, [then])
    second = _review_of(date(2026, 10, 1), [now])
    apply_previous(second, previous)
    assert [f.id for f in second.resolved] == [then.id], why
    assert (now.status, now.previous_rule, now.previous_id) == ("new", None, None)


def test_one_old_finding_goes_on_as_one_new_one_most_severe_first(tmp_path: Path) -> None:
    # April LA101 + LA103 on Somsri; October only LA102: it continues the leaver's LA101, and
    # the dormancy that is gone (she logged in) is resolved.
    previous = _previous_of(tmp_path, [_stale("LA103", SOMSRI, "medium"),
                                       _stale("LA101", SOMSRI)])
    orphan = _stale("LA102", SOMSRI)
    second = _review_of(date(2026, 10, 1), [orphan])
    apply_previous(second, previous)
    assert orphan.previous_rule == "LA101" and orphan.status == "persisting"
    assert [f.rule for f in second.resolved] == ["LA103"]


def test_a_renamed_login_whose_rule_changed_too_persists(tmp_path: Path) -> None:
    previous = _first_with_somchai(tmp_path)  # somchai.k: LA103 (dormant) in April
    leaver = _dormant("LA101-77d2e01f4a", SOMCHAI_ID, rule="LA101")  # left, on his ThaiD login
    second = _second([_account(SOMCHAI_ID, SOMCHAI_ID)], [leaver])
    apply_previous(second, previous)
    assert (leaver.status, leaver.previous_username, leaver.previous_rule) == (
        "persisting", "somchai.k", "LA103")
    assert "LA103-5c0a11e9b2" not in {f.id for f in second.resolved}
