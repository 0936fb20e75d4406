"""Every rule, both ways, from the YAML cases in tests/rule_cases/ (one file per rule code).

A case lists export rows, roster rows, an optional `as_of` and `policy:` overrides, and
`expect:` — the findings THIS rule must produce, strictly: each expected finding must be there
and no other finding of the rule may be. Adding a case means adding YAML, not Python.

Expect entries: `username` (required), optional `detail` (checked through the stable id),
`severity`, `groups` (exact list), `message_contains` and `message_excludes` (text or list of
texts the Thai message must, or must not, hold).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from laas_audit.checks import load_catalogue
from laas_audit.engine import finding_id, run_checks
from laas_audit.matching_types import Match
from laas_audit.model import Finding
from tests.casebuilder import build_context

CASE_DIR = Path(__file__).parent / "rule_cases"
_EXPECT_KEYS = {
    "rule", "username", "detail", "severity", "groups", "message_contains", "message_excludes"
}


def load_rule_cases() -> list[tuple[str, dict[str, Any]]]:
    """(rule code, case) for every case of every rule file."""
    out = []
    for path in sorted(CASE_DIR.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        rule = doc["rule"]
        assert rule == path.stem, f"{path.name} declares rule {rule}"
        for case in doc["cases"]:
            out.append((rule, case))
    return out


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "rule_case" in metafunc.fixturenames:
        cases = load_rule_cases()
        metafunc.parametrize(
            "rule_case", cases, ids=[f"{rule}:{case['name']}" for rule, case in cases]
        )


def _matches(rule: str, want: dict[str, Any], got: Finding) -> bool:
    if got.username.casefold() != str(want["username"]).casefold():
        return False
    if "detail" in want:
        expected_id = finding_id(rule, str(want["username"]).strip().casefold(), want["detail"])
        if got.id != expected_id:
            return False
    if "severity" in want and got.severity != want["severity"]:
        return False
    if "groups" in want and got.groups != want["groups"]:
        return False
    return all(t in got.message for t in _texts(want, "message_contains")) and not any(
        t in got.message for t in _texts(want, "message_excludes")
    )


def _texts(want: dict[str, Any], key: str) -> list[str]:
    texts = want.get(key, [])
    return [texts] if isinstance(texts, str) else list(texts)


def _show(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.username} [{f.severity}] {f.id}: {f.message}" for f in findings)


def test_rule_case(rule_case: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    rule, case = rule_case
    catalogue = load_catalogue()
    ctx = build_context(case, tmp_dir=tmp_path)
    findings, _warnings = run_checks(ctx, catalogue, [rule])

    left = list(findings)
    for want in case.get("expect") or []:
        assert set(want) <= _EXPECT_KEYS, f"unknown expect keys in {want}"
        assert want.get("rule", rule) == rule, "a rule file may only expect its own rule"
        hit = next((f for f in left if _matches(rule, want, f)), None)
        assert hit is not None, f"expected {want} but {rule} produced:\n{_show(findings)}"
        left.remove(hit)
    assert not left, f"{rule} also produced, unexpectedly:\n{_show(left)}"

    info = catalogue[rule]
    for f in findings:
        assert f.rule == rule and f.category == info.category
        assert f.message and f.message_en and f.message != f.message_en
        export = f.evidence["export"]
        assert export["file"] == "export.xlsx" and export["rows"] == f.source.rows
        assert f.source.rows and all(r > 4 for r in f.source.rows)  # Excel rows below the header
        roster = f.evidence["roster"]
        if roster is not None:
            assert roster["file"] == "roster.xlsx" and roster["row"] > 2
    assert len({f.id for f in findings}) == len(findings)


NO_DATES = {
    "export": [
        {"username": "manop.c", "full_name": "นายมานพ ชัยมงคล", "groups": ["เจ้าหน้าที่การเงิน"]},
        {"username": "pranee.d", "full_name": "นางปราณี ดวงแก้ว", "groups": ["ผู้ดูแลระบบ"]},
    ],
    "roster": [
        {"full_name": "นายมานพ ชัยมงคล", "position": "นักวิชาการเงินและบัญชี", "status": "ย้าย"},
    ],
}


def test_missing_columns_are_warned_once_and_silence_their_rules() -> None:
    findings, warnings = run_checks(build_context(NO_DATES), load_catalogue())
    assert not {f.rule for f in findings} & {"LA103", "LA104", "LA401", "LA404"}
    text = "\n".join(warnings)
    for code in ("LA103", "LA104", "LA401", "LA404"):
        assert code in text
    assert sum("last_login" in w for w in warnings) == 1
    assert any("pranee.d" in w and "LA201" in w for w in warnings)  # no position anywhere


def test_selected_codes_only_and_findings_carry_their_source() -> None:
    findings, warnings = run_checks(build_context(NO_DATES), load_catalogue(), ["LA101"])
    assert [f.rule for f in findings] == ["LA101"]
    assert not any("LA103" in w for w in warnings)  # LA103 was not asked for
    f = findings[0]
    assert f.status == "new" and f.groups == ["เจ้าหน้าที่การเงิน"]
    assert (f.source.file, f.source.sheet, f.source.rows) == ("export.xlsx", "รายงาน", [5])
    assert f.evidence["roster"]["row"] == 3 and f.evidence["roster"]["status"] == "ย้าย"
    assert f.id == finding_id("LA101", "manop.c")


def _split_duties_case(order: list[int]) -> dict[str, Any]:
    """The finance director: procurement on the named account, cash on a ThaiD login."""
    accounts = [
        {"username": "wanphen.s", "full_name": "นางวันเพ็ญ ศรีสุข", "national_id": "3401500672310",
         "groups": ["หัวหน้าหน่วยงานคลัง", "เจ้าหน้าที่พัสดุ"]},
        {"username": "3401500672310", "full_name": "นางวันเพ็ญ ศรีสุข",
         "groups": ["เจ้าหน้าที่การเงิน"]},
    ]
    return {
        "export": [accounts[i] for i in order],
        "roster": [{"full_name": "นางวันเพ็ญ ศรีสุข", "national_id": "3401500672310",
                    "position": "ผู้อำนวยการกองคลัง"}],
    }


def test_a_conflict_split_over_two_accounts_is_the_persons_once_with_both_accounts() -> None:
    findings, _ = run_checks(build_context(_split_duties_case([0, 1])), load_catalogue(),
                             ["LA302", "LA403"])
    # the director's finance-head group pairs with procurement (own account) and cash (split):
    # low pairs beside the procurement+cash one this test is about
    assert sorted((f.rule, f.severity) for f in findings) == [
        ("LA302", "high"), ("LA302", "low"), ("LA302", "low"), ("LA403", "medium")
    ]
    la302 = next(f for f in findings if f.severity == "high")
    la403 = next(f for f in findings if f.rule == "LA403")
    # LA403 names the extra account; LA302 is on the one it keeps: the same notion of a person
    assert (la302.username, la403.username) == ("wanphen.s", "3401500672310")
    assert la302.id == finding_id("LA302", "wanphen.s", "procurement+cash|person")
    assert la302.severity == "high" and la302.groups == ["เจ้าหน้าที่พัสดุ"]
    assert la302.evidence["accounts"] == [
        {"username": "wanphen.s", "rows": [5], "groups": ["หัวหน้าหน่วยงานคลัง", "เจ้าหน้าที่พัสดุ"]},
        {"username": "3401500672310", "rows": [6], "groups": ["เจ้าหน้าที่การเงิน"]},
    ]
    assert la302.evidence["first_groups"] == ["เจ้าหน้าที่พัสดุ"]
    assert la302.evidence["second_groups"] == ["เจ้าหน้าที่การเงิน"]
    assert la302.evidence["national_id"] == "x-xxxx-xxxxx-31-0"
    assert "3401500672310" in la302.message_en and "across their accounts" in la302.message_en


def test_a_split_conflicts_id_does_not_depend_on_the_export_order() -> None:
    ids = []
    for order in ([0, 1], [1, 0]):
        findings, _ = run_checks(build_context(_split_duties_case(order)), load_catalogue(),
                                 ["LA302"])
        ids.append(sorted((f.username, f.id) for f in findings))
    assert ids[0] == ids[1] and len(ids[0]) == 3  # procurement+cash, and finance_head's two


UNDATED = {
    "as_of": "2026-10-01",
    "export": [
        # never logged in, never changed the password, and no creation date: neither rule can
        # tell how long
        {"username": "phaisan.t", "full_name": "นายไพศาล ทองแท้", "groups": ["เจ้าหน้าที่การเงิน"],
         "created": None, "last_login": None, "password_changed": None},
        # a known creation date: both rules judge it (LA104 and LA401 fire)
        {"username": "siriporn.s", "full_name": "นางศิริพร ศรีสม", "groups": ["เจ้าหน้าที่การเงิน"],
         "created": "2024-10-01", "last_login": None, "password_changed": None},
        # used and changed: nothing is missing
        {"username": "manop.c", "full_name": "นายมานพ ชัยมงคล", "groups": ["เจ้าหน้าที่การเงิน"],
         "created": None, "last_login": "2026-09-20", "password_changed": "2026-08-15"},
        # left on 31 Mar: LA101 asks to cancel it, LA401 would not judge it anyway
        {"username": "rattana.t", "full_name": "นางรัตนา ทองเหลือง", "groups": ["เจ้าหน้าที่บัญชี"],
         "created": None, "last_login": "2026-03-01", "password_changed": None},
    ],
    "roster": [
        {"full_name": "นายไพศาล ทองแท้", "position": "เจ้าพนักงานการเงินและบัญชี"},
        {"full_name": "นางศิริพร ศรีสม", "position": "เจ้าพนักงานการเงินและบัญชี"},
        {"full_name": "นายมานพ ชัยมงคล", "position": "นักวิชาการเงินและบัญชี"},
        {"full_name": "นางรัตนา ทองเหลือง", "position": "นักวิชาการเงินและบัญชี",
         "status": "ลาออก", "status_date": "2026-03-31"},
    ],
}


def test_accounts_a_rule_cannot_date_are_listed_once_per_rule_never_skipped_silently() -> None:
    findings, warnings = run_checks(build_context(UNDATED), load_catalogue())
    fired = {(f.rule, f.username) for f in findings if f.rule in {"LA104", "LA401"}}
    assert fired == {("LA104", "siriporn.s"), ("LA401", "siriporn.s")}
    la104 = [w for w in warnings if "LA104" in w]
    la401 = [w for w in warnings if "LA401" in w]
    assert la104 == [
        "1 บัญชีไม่เคยเข้าใช้งาน (ไม่มีวันที่เข้าใช้งานล่าสุด) และไม่มีวันที่สร้างบัญชี จึงตรวจกฎ LA104"
        " ไม่ได้: phaisan.t / 1 accounts never logged in (no last-login date) and have no"
        " creation date, so LA104 could not judge them: phaisan.t"
    ]
    assert len(la401) == 1 and la401[0].startswith(
        "1 บัญชีไม่มีทั้งวันที่เปลี่ยนรหัสผ่านและวันที่สร้างบัญชี จึงตรวจกฎ LA401 ไม่ได้: phaisan.t /"
    )
    assert "rattana.t" not in la401[0] and "manop.c" not in la401[0]


def test_undated_accounts_are_not_listed_for_a_rule_not_run_or_a_column_not_there() -> None:
    _, warnings = run_checks(build_context(UNDATED), load_catalogue(), ["LA101"])
    assert not any("phaisan.t" in w for w in warnings)
    no_created = {**UNDATED, "export": [
        {k: v for k, v in row.items() if k != "created"} for row in UNDATED["export"]
    ]}
    _, warnings = run_checks(build_context(no_created), load_catalogue(), ["LA104"])
    # the missing column is said once; its accounts are not listed one by one as well
    assert warnings == [
        "รายงาน e-LAAS ไม่มีคอลัมน์วันที่สร้างบัญชี จึงไม่ได้ตรวจกฎ LA104 / the export has no"
        " created column, so LA104 did not run"
    ]


def _heads(**contact: str | None) -> dict[str, object]:
    """A finance head and a finance officer, with the contact columns given (and only those)."""
    return {
        "export": [
            {"username": "areerat.k", "full_name": "นางอารีรัตน์ แก้วมณี",
             "groups": ["หัวหน้าหน่วยงานคลัง"], **contact},
            {"username": "manop.c", "full_name": "นายมานพ ชัยมงคล",
             "groups": ["เจ้าหน้าที่การเงิน"], **contact},
        ],
        "roster": [
            {"full_name": "นางอารีรัตน์ แก้วมณี", "position": "ผู้อำนวยการกองคลัง"},
            {"full_name": "นายมานพ ชัยมงคล", "position": "นักวิชาการเงินและบัญชี"},
        ],
    }


def test_la404_says_which_half_of_the_heads_contact_a_missing_column_stopped() -> None:
    catalogue = load_catalogue()
    _, warnings = run_checks(build_context(_heads(email="areerat.k@gmail.com")), catalogue)
    # the e-mail was checked; the mobile could not be, and the warning names whose
    assert [w for w in warnings if "LA404" in w] == [
        "รายงาน e-LAAS ไม่มีคอลัมน์โทรศัพท์ จึงตรวจเบอร์โทรศัพท์มือถือของหัวหน้าหน่วยงานคลัง"
        " (กฎ LA404) ไม่ได้: areerat.k ให้ตรวจในระบบ New e-LAAS ด้วยตนเอง / the export has no phone"
        " column, so LA404 could not check the finance head's mobile: areerat.k; check it in"
        " New e-LAAS by hand"
    ]
    _, warnings = run_checks(build_context(_heads(phone="0812345678")), catalogue)
    assert [w for w in warnings if "LA404" in w] == [
        "รายงาน e-LAAS ไม่มีคอลัมน์อีเมล จึงตรวจอีเมลของหัวหน้าหน่วยงานคลัง (กฎ LA404) ไม่ได้:"
        " areerat.k ให้ตรวจในระบบ New e-LAAS ด้วยตนเอง / the export has no email column, so LA404"
        " could not check the finance head's e-mail: areerat.k; check it in New e-LAAS by hand"
    ]
    _, warnings = run_checks(build_context(_heads()), catalogue)
    assert [w for w in warnings if "LA404" in w] == [
        "รายงาน e-LAAS ไม่มีคอลัมน์อีเมล จึงไม่ได้ตรวจกฎ LA404"
        " / the export has no email column, so LA404 did not run"
    ]
    both = _heads(email="areerat.k@gmail.com", phone="081-234-5678")
    findings, warnings = run_checks(build_context(both), catalogue)
    assert not [w for w in warnings if "LA404" in w]
    assert not [f for f in findings if f.rule == "LA404"]


RETIREES = {
    "as_of": "2026-10-01",
    "export": [
        {"username": "boonmee.s", "full_name": "นายบุญมี สายสุข", "groups": ["เจ้าหน้าที่การเงิน"]},
        {"username": "malee.s", "full_name": "นางมาลี ศรีสุข", "groups": ["เจ้าหน้าที่บัญชี"]},
        {"username": "kannika.t", "full_name": "นางกรรณิกา ทองคำ", "groups": ["เจ้าหน้าที่พัสดุ"]},
    ],
    "roster": [
        {"full_name": "นายบุญมี สายสุข", "position": "เจ้าพนักงานการเงินและบัญชี", "status": "ปกติ",
         "birth_date": "1966-03-01"},
        # no birth date (blank or unreadable): LA105 cannot judge her, and says so
        {"full_name": "นางมาลี ศรีสุข", "position": "นักวิชาการเงินและบัญชี", "status": "ปกติ",
         "birth_date": None},
        # gone already: LA101's, so neither judged nor listed by LA105
        {"full_name": "นางกรรณิกา ทองคำ", "position": "นักวิชาการพัสดุ", "status": "ลาออก",
         "birth_date": None},
    ],
}


def test_people_without_a_birth_date_are_listed_once_when_the_roster_has_the_column() -> None:
    findings, warnings = run_checks(build_context(RETIREES), load_catalogue(), ["LA105"])
    assert [(f.rule, f.username) for f in findings] == [("LA105", "boonmee.s")]
    assert [w for w in warnings if "LA105" in w] == [
        "1 บัญชีเป็นของบุคคลที่ทะเบียนบุคลากรไม่มีวันเกิดที่ใช้ได้ จึงตรวจกฎ LA105 ไม่ได้: malee.s"
        " / 1 accounts belong to people the roster gives no usable birth date, so LA105 could"
        " not judge them: malee.s"
    ]


def test_a_roster_without_birth_dates_runs_no_retirement_check_and_says_nothing() -> None:
    no_column = {**RETIREES, "roster": [
        {k: v for k, v in row.items() if k != "birth_date"} for row in RETIREES["roster"]
    ]}
    findings, warnings = run_checks(build_context(no_column), load_catalogue())
    assert not [f for f in findings if f.rule == "LA105"]
    assert not [w for w in warnings if "LA105" in w or "birth" in w]


# -- LA403: which of a person's accounts is kept, and how the accounts were tied --------------

_DAY = st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2026, 6, 30)))


@given(logins=st.lists(st.tuples(_DAY, _DAY), min_size=2, max_size=3))
@settings(max_examples=80)
def test_la403_never_keeps_an_account_la103_or_la104_cancels_while_another_is_in_use(
    logins: list[tuple[date | None, date | None]],
) -> None:
    """Whatever the dates, the finance head is not told to keep an account to cancel."""
    export = [
        {"username": f"somsri.k{i}", "full_name": "นางสมศรี คำดี", "national_id": "3260181590835",
         "groups": ["เจ้าหน้าที่การเงิน"], "created": created, "last_login": login}
        for i, (created, login) in enumerate(logins)
    ]
    case = {"export": export, "roster": [
        {"full_name": "นางสมศรี คำดี", "national_id": "3260181590835",
         "position": "นักวิชาการเงินและบัญชี"}]}
    findings, _ = run_checks(build_context(case), load_catalogue(), ["LA103", "LA104", "LA403"])
    stale = {f.username for f in findings if f.rule in {"LA103", "LA104"}}
    la403 = [f for f in findings if f.rule == "LA403"]
    assert len(la403) == len(export) - 1  # every account but the kept one
    kept = la403[0].evidence["kept_account"]
    assert kept not in {f.username for f in la403}
    if len(stale) < len(export):
        assert kept not in stale
    used = [(login, row["username"]) for row, (_, login) in zip(export, logins, strict=True)
            if login is not None and row["username"] not in stale]
    if used:  # among accounts in use and alike otherwise, the most recent login
        assert logins[[r["username"] for r in export].index(kept)][1] == max(used)[0]


def test_la403_words_each_accounts_own_tie_when_they_were_tied_differently() -> None:
    """One account carries the ID, the other matched by name a roster row with that ID."""
    case = {
        "export": [
            {"username": "wandee.k", "full_name": "นางวันดี กลับมา", "national_id": "3401200567812",
             "groups": ["เจ้าหน้าที่พัสดุ"], "last_login": "2026-06-01"},
            {"username": "wandee.s", "full_name": "นางสาววันดี ศรีงาม",
             "groups": ["เจ้าหน้าที่พัสดุ"], "last_login": "2026-01-10"},
        ],
        "roster": [{"full_name": "นางสาววันดี ศรีงาม", "national_id": "3401200567812",
                    "position": "เจ้าพนักงานพัสดุ"}],
    }
    ctx = build_context(case)
    named, with_id = ctx.export.accounts[1], ctx.export.accounts[0]
    # the ID-carrying account could not be tied to a roster row (as when the roster repeats
    # the ID on rows that differ): only its own ID ties it to the person
    ctx = replace(ctx, matches={with_id.key: Match(method="none"),
                                named.key: ctx.matches[named.key]})
    [hit] = run_checks(ctx, load_catalogue(), ["LA403"])[0]
    # the account in the roster's current name is kept
    assert hit.username == "wandee.k" and hit.evidence["kept_account"] == "wandee.s"
    assert hit.message.endswith(
        "(wandee.k: เลขประจำตัวประชาชนในรายงาน;"
        " wandee.s: จับคู่ด้วยชื่อ-สกุลกับทะเบียนบุคลากร แถว 3 ซึ่งมีเลขประจำตัวประชาชนเดียวกัน)"
    )
    assert hit.message_en.endswith(
        "(wandee.k: the national ID in the export;"
        " wandee.s: matched by full name to roster row 3, which has the same national ID)"
    )


IMPOSSIBLE_DATES = {
    "as_of": "2026-10-01",
    "export": [
        # a year typed 2570 for 2569: a change that cannot have happened yet
        {"username": "nattawut.k", "full_name": "นายณัฐวุฒิ คำพา", "groups": ["เจ้าหน้าที่การเงิน"],
         "created": "2024-10-01", "last_login": "2026-09-28", "password_changed": "2027-08-15"},
        # logged in "next year": used, but when is unknown, so neither dormant nor never used
        {"username": "siriporn.s", "full_name": "นางศิริพร ศรีสม", "groups": ["เจ้าหน้าที่บัญชี"],
         "created": "2024-10-01", "last_login": "2027-09-20", "password_changed": "2026-09-01"},
        # created "next year", never logged in, no change date: nothing dates it
        {"username": "phaisan.t", "full_name": "นายไพศาล ทองแท้", "groups": ["เจ้าหน้าที่การเงิน"],
         "created": "2027-05-02", "last_login": None, "password_changed": None},
    ],
    "roster": [
        {"full_name": "นายณัฐวุฒิ คำพา", "position": "นักวิชาการเงินและบัญชีปฏิบัติการ"},
        {"full_name": "นางศิริพร ศรีสม", "position": "เจ้าพนักงานการเงินและบัญชี"},
        {"full_name": "นายไพศาล ทองแท้", "position": "เจ้าพนักงานการเงินและบัญชี"},
    ],
}


def test_dates_after_the_export_date_are_warned_at_their_cell_and_judged_as_blank() -> None:
    findings, warnings = run_checks(build_context(IMPOSSIBLE_DATES), load_catalogue())
    dated = {(f.rule, f.username) for f in findings if f.rule in {"LA103", "LA104", "LA401"}}
    assert dated == {("LA401", "nattawut.k")}  # from its creation two years before
    future = [w for w in warnings if "อยู่หลังวันที่ของข้อมูล" in w]
    assert future == [
        "export.xlsx ชีต 'รายงาน' แถว 5 คอลัมน์ G: วันที่ในคอลัมน์ 'password_changed' ของผู้ใช้"
        " 'nattawut.k' ใช้ไม่ได้: 15 ส.ค. 2570 อยู่หลังวันที่ของข้อมูล 1 ต.ค. 2569 ซึ่งเป็นไปไม่ได้"
        " (ปีพิมพ์ผิด?) จึงตรวจเหมือนไม่มีวันที่ โปรดตรวจสอบวันที่นี้ใน New e-LAAS / export.xlsx,"
        " sheet 'รายงาน', row 5, column G: date in column 'password_changed' of user"
        " 'nattawut.k' unusable: 2027-08-15 is after the data's date 2026-10-01 (a mistyped"
        " year?), so it is judged as if blank; check this date in New e-LAAS",
        *future[1:],
    ]
    assert [w.split(": ", 1)[0] for w in future[1:]] == [
        "export.xlsx ชีต 'รายงาน' แถว 6 คอลัมน์ F",  # siriporn.s's last login
        "export.xlsx ชีต 'รายงาน' แถว 7 คอลัมน์ E",  # phaisan.t's creation
    ]
    undated = [w for w in warnings if "could not judge" in w]
    assert any("LA401" in w and "phaisan.t" in w for w in undated)
    assert any("LA104" in w and "phaisan.t" in w for w in undated)


def test_a_date_up_to_the_export_date_is_possible_when_reviewed_as_of_earlier() -> None:
    """`--as-of` before the export's own date: a change between the two happened."""
    ctx = build_context({**IMPOSSIBLE_DATES, "as_of": "2027-08-01"})
    ctx.export.as_of = date(2027, 8, 20)  # the export was made after the change
    findings, warnings = run_checks(ctx, load_catalogue(), ["LA401"])
    assert not [w for w in warnings if "อยู่หลังวันที่ของข้อมูล" in w and "nattawut.k" in w]
    assert [w for w in warnings if "อยู่หลังวันที่ของข้อมูล" in w and "siriporn.s" in w]
    assert not [f for f in findings if f.username == "nattawut.k"]
