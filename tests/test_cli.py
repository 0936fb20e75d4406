"""The command line, end to end with CliRunner: exact exit codes and the messages users read."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import lxml.html
import openpyxl
import pytest
from click.testing import CliRunner

from laas_audit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_exports" / "abt-nongbuathong"
EXPORT = SAMPLE / "export.xlsx"
ROSTER = SAMPLE / "roster.xlsx"
sys.path.insert(0, str(ROOT / "scripts"))
import synth  # noqa: E402


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


def test_review_writes_every_output_and_a_thai_summary(tmp_path: Path) -> None:
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", tmp_path / "r")
    assert code == 0, out
    assert "องค์การบริหารส่วนตำบลหนองบัวทอง" in out
    assert "ข้อค้นพบ" in out and "บัญชีผู้ใช้ 34 บัญชี" in out
    names = {p.name for p in (tmp_path / "r").iterdir()}
    assert names == {
        "findings.json", "report.html", "findings.xlsx", "matches-to-confirm.csv",
        "manifest.json",
    }
    data = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    assert data["schema"] == "laas-audit/findings/1"
    assert data["as_of"] == "2026-10-01"  # the export's own date
    assert {i["role"] for i in data["inputs"]} == {"export", "roster"}
    assert all(f["status"] == "new" for f in data["findings"])


def test_review_english_summary(tmp_path: Path) -> None:
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", tmp_path / "r",
                    "--lang", "en")
    assert code == 0
    assert "Accounts: 34" in out and "Findings:" in out


@pytest.mark.parametrize("level, expected", [("high", 1), ("low", 1)])
def test_fail_on_exits_1_when_a_finding_reaches_the_level(
    tmp_path: Path, level: str, expected: int
) -> None:
    code, _ = run("review", EXPORT, "--roster", ROSTER, "--out", tmp_path / "r",
                  "--fail-on", level)
    assert code == expected


def test_as_of_in_buddhist_era_is_accepted(tmp_path: Path) -> None:
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", tmp_path / "r",
                    "--as-of", "2569-12-31")
    assert code == 0, out
    data = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2026-12-31"


@pytest.mark.parametrize("bad", ["2026-02-30", "abc", "31/13/2569"])
def test_impossible_as_of_is_exit_2_in_both_languages(tmp_path: Path, bad: str) -> None:
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", tmp_path / "r",
                    "--as-of", bad)
    assert code == 2
    assert f"'{bad}'" in out and "ข้อผิดพลาด" in out and "Error" in out
    assert "Traceback" not in out
    assert not (tmp_path / "r").exists()


def test_impossible_as_of_says_why_in_both_languages(tmp_path: Path) -> None:
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", tmp_path / "r",
                    "--as-of", "2569-02-30")
    assert code == 2
    assert "เดือนกุมภาพันธ์ พ.ศ. 2569 ไม่มีวันที่ 30" in out
    assert "February 2569 BE has no day 30" in out


def test_missing_export_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "ไม่มีไฟล์นี้.xlsx"
    code, out = run("review", missing, "--roster", ROSTER, "--out", tmp_path / "r")
    assert code == 2
    assert "ไม่มีไฟล์นี้.xlsx" in out and "ข้อผิดพลาด" in out and "Error" in out
    assert not (tmp_path / "r").exists()


def test_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("keep me", encoding="utf-8")
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", target)
    assert code == 2
    assert "--out" in out and "เป็นไฟล์" in out
    assert target.read_text(encoding="utf-8") == "keep me"


def test_roster_given_as_export_says_so(tmp_path: Path) -> None:
    code, out = run("review", ROSTER, "--roster", ROSTER, "--out", tmp_path / "r")
    assert code == 2
    assert "roster.xlsx" in out
    assert "roster" in out.lower() and "ทะเบียนบุคลากร" in out


def test_failed_run_leaves_previous_output_untouched(tmp_path: Path) -> None:
    out_dir = tmp_path / "r"
    assert run("review", EXPORT, "--roster", ROSTER, "--out", out_dir)[0] == 0
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(EXPORT.read_bytes()[:3000])
    code, _ = run("review", broken, "--roster", ROSTER, "--out", out_dir)
    assert code == 2
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before


def test_debug_shows_a_traceback(tmp_path: Path) -> None:
    code, out = run("review", tmp_path / "none.xlsx", "--roster", ROSTER, "--debug")
    assert code == 2
    assert "Traceback" in out


def test_rules_lists_and_explains() -> None:
    code, out = run("rules")
    assert code == 0
    assert "LA101" in out and "LA402" in out
    code, out = run("rules", "LA101")
    assert code == 0
    assert "เหตุผล" in out and "ควรทำ" in out and "Clause" in out
    code, out = run("rules", "LA999")
    assert code == 2 and "LA999" in out


def test_inspect_json_has_the_contract_keys() -> None:
    code, out = run("inspect", EXPORT, "--json")
    assert code == 0, out
    info = json.loads(out)
    assert info["kind"] == "export"
    assert set(info) >= {"kind", "file", "sheet", "header_row", "columns", "body", "as_of",
                         "accounts", "warnings"}
    assert len(info["accounts"]) == 34
    assert info["body"]["province"] == "ชัยภูมิ"
    code, out = run("inspect", ROSTER, "--json")
    assert json.loads(out)["kind"] == "roster"


def test_inspect_text_mode_is_for_people() -> None:
    code, out = run("inspect", EXPORT)
    assert code == 0
    assert "หนองบัวทอง" in out


def _write_exceptions(path: Path, entries: list[dict[str, str]]) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


def test_two_cycles_new_persisting_resolved_waived_expired(tmp_path: Path) -> None:
    """Issue 5 acceptance, through the CLI, on a generated body."""
    body = synth.make_body(4242, n_accounts=30, shape="xlsx-column")
    leaver = next(p for p in body.planted if p.kind == "leaver_active").username
    first = tmp_path / "c1"
    export1, roster = synth.write_body(body, first)
    code, out = run("review", export1, "--roster", roster, "--out", first / "out")
    assert code == 0, out
    r1 = json.loads((first / "out" / "findings.json").read_text(encoding="utf-8"))
    assert r1["findings"] and all(f["status"] == "new" for f in r1["findings"])

    # the finance head removes the leaver's account before the next cycle
    body.accounts = [a for a in body.accounts if a.username != leaver]
    second = tmp_path / "c2"
    export2, roster2 = synth.write_body(body, second)
    others = [f for f in r1["findings"] if f["username"] != leaver]
    kept, lapsed = others[0], others[1]
    exceptions = _write_exceptions(tmp_path / "exceptions.yaml", [
        {"username": kept["username"], "rule": kept["rule"], "reason": "มีคำสั่งมอบหมาย",
         "approved_by": "นายกองค์การบริหารส่วนตำบล", "expires": "2570-03-31",
         "order": "คำสั่งที่ 45/2569"},
        {"username": lapsed["username"], "rule": lapsed["rule"], "reason": "ชั่วคราว",
         "approved_by": "ปลัด", "expires": "2026-01-31"},
    ])
    code, out = run("review", export2, "--roster", roster2, "--out", second / "out",
                    "--previous", first / "out", "--exceptions", exceptions)
    assert code == 0, out
    r2 = json.loads((second / "out" / "findings.json").read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in r2["findings"]}
    assert {f["username"] for f in r2["resolved"]} == {leaver}
    assert by_id[kept["id"]]["status"] == "waived"
    assert by_id[kept["id"]]["waiver"]["reason"] == "มีคำสั่งมอบหมาย"
    assert by_id[lapsed["id"]]["status"] == "persisting"
    states = {(e["username"], e["rule"]): e["state"] for e in r2["exceptions"]}
    assert states[(kept["username"], kept["rule"])] == "active"
    assert states[(lapsed["username"], lapsed["rule"])] == "expired"
    rest = [f for f in r2["findings"] if f["id"] not in (kept["id"],)]
    assert all(f["status"] == "persisting" for f in rest)
    # the chain: the second manifest names the first
    manifest = json.loads((second / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["previous"] is not None
    assert run("verify", second / "out")[0] == 0


def test_exception_for_a_thaid_login_typed_in_thai_digits_waives_its_finding(
    tmp_path: Path,
) -> None:
    """A citizen-ID username typed as people type it names the account the export holds."""
    body = ROOT / "sample_exports" / "abt-khoksamran"  # LA101 on the ThaiD login 3916528772955
    exceptions = _write_exceptions(tmp_path / "ข้อยกเว้น.yaml", [
        {"username": "๓๙๑๖๕๒๘๗๗๒๙๕๕", "rule": "LA101", "reason": "รอคำสั่งย้าย",
         "approved_by": "นายก อบต.", "expires": "2570-03-31"},
        {"username": "3-2476-95952-73-0", "category": "stale", "reason": "ไม่มีข้อค้นพบ",
         "approved_by": "นายก อบต.", "expires": "2570-03-31"},
        {"username": "somchai.jj", "category": "hygiene", "reason": "พิมพ์ชื่อผู้ใช้ผิด",
         "approved_by": "นายก อบต.", "expires": "2570-03-31"},
    ])
    code, out = run("review", body / "export.xlsx", "--roster", body / "roster.xlsx",
                    "--out", tmp_path / "r", "--exceptions", exceptions)
    assert code == 0, out
    data = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    leaver = next(f for f in data["findings"] if f["rule"] == "LA101")
    assert leaver["status"] == "waived" and leaver["waiver"]["reason"] == "รอคำสั่งย้าย"
    assert [e["state"] for e in data["exceptions"]] == ["active", "unused", "unused"]
    # the ID is masked alike in the finding and in its exception
    assert data["exceptions"][0]["username"] == leaver["username"] == "x-xxxx-xxxxx-95-5"
    unmatched = [w for w in data["warnings"] if "matches no account" in w]
    assert len(unmatched) == 1  # the account of the dashed ID exists: only the typo is warned
    assert unmatched[0].startswith(
        "ข้อยกเว้น.yaml ข้อยกเว้นรายการที่ 3 (บรรทัด 11): ชื่อผู้ใช้ 'somchai.jj' ไม่ตรงกับบัญชีใด"
    )
    assert "exceptions entry 3 (line 11): username 'somchai.jj' matches no account" in unmatched[0]


def test_verify_detects_a_changed_byte(tmp_path: Path) -> None:
    out_dir = tmp_path / "r"
    assert run("review", EXPORT, "--roster", ROSTER, "--out", out_dir)[0] == 0
    assert run("verify", out_dir)[0] == 0
    report = out_dir / "report.html"
    data = bytearray(report.read_bytes())
    data[200] ^= 1
    report.write_bytes(bytes(data))
    code, out = run("verify", out_dir)
    assert code == 1
    assert "report.html" in out


def test_record_round_trip_writes_forms_for_cancelled_accounts(tmp_path: Path) -> None:
    out_dir = tmp_path / "r"
    assert run("review", EXPORT, "--roster", ROSTER, "--out", out_dir)[0] == 0
    wb = openpyxl.load_workbook(out_dir / "findings.xlsx")
    ws = wb["ข้อค้นพบ"]
    header = [str(c.value or "") for c in ws[4]]
    decision = next(i for i, h in enumerate(header, 1) if h.startswith("การตัดสินใจ"))
    ws.cell(5, decision).value = "ยกเลิกผู้ใช้"
    ws.cell(6, decision).value = "คงไว้"
    ws.cell(7, decision).value = "ลบทิ้ง"  # not a valid choice
    filled = out_dir / "findings-filled.xlsx"
    wb.save(filled)
    code, out = run("record", filled)
    assert code == 0, out
    record = json.loads((out_dir / "record" / "record.json").read_text(encoding="utf-8"))
    assert len(record["invalid"]) == 1
    assert (out_dir / "record" / "cancel_forms.html").is_file()
    assert "ลบทิ้ง" in out
    assert run("verify", out_dir / "record")[0] == 0


def test_entry_point_sets_process_defaults_and_skips_the_exit_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import atexit
    import gc

    import laas_audit.cli as cli_module

    registered: list[object] = []
    calls: list[str] = []
    monkeypatch.setattr(atexit, "register", lambda fn, *a, **k: registered.append(fn))
    monkeypatch.setattr(cli_module, "cli", lambda prog_name: calls.append(prog_name))
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)

    cli_module.main()

    assert calls == ["laas-audit"]
    assert gc.freeze in registered
    assert cli_module.os.environ["OPENBLAS_NUM_THREADS"] == "1"


def test_entry_point_keeps_the_users_blas_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    import atexit

    import laas_audit.cli as cli_module

    monkeypatch.setattr(atexit, "register", lambda fn, *a, **k: None)
    monkeypatch.setattr(cli_module, "cli", lambda prog_name: None)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    cli_module.main()
    assert cli_module.os.environ["OPENBLAS_NUM_THREADS"] == "4"


def test_an_edited_previous_findings_json_is_refused_and_the_used_one_recorded(
    tmp_path: Path,
) -> None:
    # Dropping a finding from last cycle's findings.json would make it look new rather than
    # persisting (or hide that it was never fixed): the manifest beside it tells.
    first = tmp_path / "ผลการตรวจ-2569-04"
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", first)
    assert code == 0, out
    second = tmp_path / "ผลการตรวจ-2569-10"
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", second, "--previous", first)
    assert code == 0, out
    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    used = [i for i in manifest["inputs"] if i["role"] == "previous"]
    assert [i["file"] for i in used] == ["../ผลการตรวจ-2569-04/findings.json"]

    findings = first / "findings.json"
    data = json.loads(findings.read_text(encoding="utf-8"))
    data["findings"] = data["findings"][1:]
    findings.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", tmp_path / "third",
                    "--previous", first)
    assert code == 2
    assert "ถูกแก้ไขหลังการตรวจ" in out and "was changed after its review" in out
    assert "ผลการตรวจ-2569-04/findings.json" in out
    assert not (tmp_path / "third").exists()

    # A findings.json sent on its own (no manifest beside it) is still accepted.
    alone = tmp_path / "ส่งมาทางอีเมล"
    alone.mkdir()
    (alone / "findings.json").write_bytes(findings.read_bytes())
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", tmp_path / "fourth",
                    "--previous", alone / "findings.json")
    assert code == 0, out


def test_review_of_a_roster_repeating_ids_and_negated_statuses(tmp_path: Path) -> None:
    """End to end: rows repeating an ID are one person; ไม่ระงับ / ไม่ได้ลาออก are not skipped."""
    from laas_audit.national_id import make_id
    from tests.readers_fixtures import write_xlsx

    ids = {k: make_id(v) for k, v in {
        "wandee": "110070056781", "suda": "150990034512", "prasit": "341020045671",
        "anong": "120010089011", "chanin": "310240078903", "areerat": "360090078902",
    }.items()}
    export = write_xlsx(tmp_path / "export.xlsx", [
        ["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
        ["ข้อมูล ณ วันที่ 1 ตุลาคม 2569"],
        ["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "เลขประจำตัวประชาชน", "ตำแหน่ง", "กลุ่มผู้ใช้งาน", "สถานะ",
         "วันที่สร้าง", "วันที่เข้าใช้งานล่าสุด", "วันที่เปลี่ยนรหัสผ่าน"],
        [1, "wandee.k", "นางวันดี กลับมา", ids["wandee"], "เจ้าพนักงานพัสดุ", "เจ้าหน้าที่พัสดุ",
         "ใช้งาน", "01/07/2568", "20/09/2569", "01/08/2569"],
        [2, "suda.p", "นางสาวสุดา พรมดี", ids["suda"], "นักวิชาการเงินและบัญชี",
         "เจ้าหน้าที่การเงิน", "ใช้งาน", "01/07/2565", "20/03/2569", "01/08/2569"],
        [3, "prasit.m", "นายประสิทธิ์ มั่นคง", ids["prasit"], "เจ้าพนักงานการเงินและบัญชี",
         "เจ้าหน้าที่การเงิน", "ไม่ระงับ", "01/05/2565", "30/03/2569", "01/08/2569"],
        [4, "anong.k", "นางอนงค์ คำดี", ids["anong"], "เจ้าพนักงานพัสดุ", "เจ้าหน้าที่พัสดุ",
         "ยกเลิกการระงับ", "01/02/2566", "02/09/2569", "15/08/2569"],
        [5, "chanin.t", "นายชนินทร์ ทองสุข", ids["chanin"], "เจ้าพนักงานพัสดุ", "เจ้าหน้าที่พัสดุ",
         "ใช้งาน", "01/02/2566", "02/09/2569", "15/08/2569"],
        [6, "areerat.k", "นางอารีรัตน์ แก้วมณี", ids["areerat"], "นักวิชาการเงินและบัญชี",
         "เจ้าหน้าที่การเงิน", "ระงับการใช้งาน", "01/02/2566", "02/03/2569", "15/03/2569"],
    ])
    staff = "พนักงานส่วนตำบล"
    roster = write_xlsx(tmp_path / "roster.xlsx", [
        ["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-สกุล", "ตำแหน่ง", "ส่วนราชการ", "ประเภทบุคลากร", "สถานะ",
         "วันที่มีผล"],
        [1, ids["wandee"], "นางวันดี กลับมา", "เจ้าพนักงานพัสดุ", "กองคลัง", staff, "ปกติ", None],
        [2, ids["suda"], "นางสาวสุดา พรมดี", "นักวิชาการเงินและบัญชี", "กองคลัง", staff, "ลาออก",
         "31/03/2569"],
        [3, ids["wandee"], "นางวันดี กลับมา", "เจ้าพนักงานพัสดุ", "กองคลัง", staff, "ย้าย",
         "01/06/2567"],
        [4, ids["suda"], "นางสาวสุดา พรมดี", "นักวิชาการเงินและบัญชี", "กองคลัง", staff, "ลาออก",
         "31/03/2569"],
        [5, ids["prasit"], "นายประสิทธิ์ มั่นคง", "เจ้าพนักงานการเงินและบัญชี", "กองคลัง", staff,
         "ลาออก", "31/03/2569"],
        [6, ids["anong"], "นางอนงค์ คำดี", "เจ้าพนักงานพัสดุ", "กองคลัง", staff,
         "ปกติ (ไม่ได้ลาออก)", None],
        [7, ids["chanin"], "นายชนินทร์ ทองสุข", "เจ้าพนักงานพัสดุ", "กองคลัง", staff, "ปกติ", None],
        [8, ids["chanin"], "นายชนินทร์ ทองสุข", "นักวิชาการพัสดุ", "กองคลัง", staff, "ปกติ", None],
        [9, ids["areerat"], "นางอารีรัตน์ แก้วมณี", "นักวิชาการเงินและบัญชี", "กองคลัง", staff, "ย้าย",
         "15/01/2569"],
    ], sheet="บุคลากร")
    code, out = run("review", export, "--roster", roster, "--out", tmp_path / "r")
    assert code == 0, out
    data = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    rules = {(f["username"], f["rule"]) for f in data["findings"]}
    assert {u for u, rule in rules if rule == "LA102"} == set()  # nobody "not on the roster"
    assert {u for u, rule in rules if rule == "LA101"} == {"suda.p", "prasit.m"}
    match = {a["username"]: a["match"] for a in data["accounts"]}
    assert (match["wandee.k"]["method"], match["wandee.k"]["roster_row"]) == ("national_id", 2)
    assert (match["suda.p"]["method"], match["suda.p"]["roster_row"]) == ("national_id", 3)
    assert match["chanin.t"]["roster_row"] is None  # two current rows: a human says which
    assert [c["roster_row"] for c in match["chanin.t"]["candidates"]] == [8, 9]
    repeats = [w for w in data["warnings"] if "one national ID on rows" in w]
    assert len(repeats) == 3
    assert any("rows 2 and 4" in w and "row 2 is used" in w for w in repeats)
    assert any("rows 3 and 5" in w and "the rows are the same, row 3 is used" in w for w in repeats)
    assert all("roster.xlsx, sheet 'บุคลากร'" in w for w in repeats)
    la101 = next(f for f in data["findings"] if f["username"] == "suda.p")
    assert la101["evidence"]["match"]["same_id_rows"] == [3, 5]
    with (tmp_path / "r" / "matches-to-confirm.csv").open(encoding="utf-8-sig") as handle:
        asked = {row[0]: row for row in csv.reader(handle)}
    assert set(asked) - {next(iter(asked))} == {"wandee.k", "chanin.t"}  # the header, two asked
    assert "ใช้แถว 2" in asked["wandee.k"][7] and "ระบุแถวที่เป็นปัจจุบัน" in asked["chanin.t"][7]


def test_a_worksheet_filled_in_the_output_folder_is_kept_on_a_rerun(tmp_path: Path) -> None:
    # A finance head fills findings.xlsx where it was written, then the review is run again
    # into the same folder (a corrected roster): hours of decisions must not be overwritten.
    out = tmp_path / "ผลการตรวจ"
    assert run("review", EXPORT, "--roster", ROSTER, "--out", out)[0] == 0
    code, text = run("review", EXPORT, "--roster", ROSTER, "--out", out)  # ours, unchanged
    assert code == 0 and "ไม่ได้ถูกเขียนทับ" not in text
    assert sorted(p.name for p in out.glob("findings*.xlsx")) == ["findings.xlsx"]

    wb = openpyxl.load_workbook(out / "findings.xlsx")
    wb.worksheets[0]["A1"].comment = None  # any edit and save changes the file
    wb.worksheets[0].sheet_properties.tabColor = "FF0000"
    wb.save(out / "findings.xlsx")
    filled = (out / "findings.xlsx").read_bytes()

    code, text = run("review", EXPORT, "--roster", ROSTER, "--out", out)
    assert code == 0, text
    [kept] = out.glob("findings-กรอกแล้ว-*.xlsx")
    assert kept.read_bytes() == filled
    assert f"เก็บไว้เป็น {kept}" in text and "not overwritten" in text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    ours = {o["file"]: o["sha256"] for o in manifest["outputs"]}["findings.xlsx"]
    import hashlib

    assert hashlib.sha256((out / "findings.xlsx").read_bytes()).hexdigest() == ours
    warnings = json.loads((out / "findings.json").read_text(encoding="utf-8"))["warnings"]
    assert any(kept.name in w and w.startswith("findings.xlsx ที่มีอยู่") for w in warnings)


def test_review_of_split_duties_six_month_passwords_and_blank_dates(tmp_path: Path) -> None:
    """End to end: a person's two accounts, calendar-month passwords, blank dates said aloud."""
    from laas_audit.national_id import make_id
    from tests.readers_fixtures import write_xlsx

    ids = {k: make_id(v) for k, v in {
        "wanphen": "340150067231", "kanokwan": "110180045562", "phairoj": "360220078123",
        "siriporn": "150110034789", "sombat": "320440056712",
    }.items()}
    header = ["ที่", "ชื่อผู้ใช้", "ชื่อ-สกุล", "เลขประจำตัวประชาชน", "ตำแหน่ง", "กลุ่มผู้ใช้งาน", "สถานะ",
              "วันที่สร้าง", "เข้าสู่ระบบล่าสุด", "วันที่เปลี่ยนรหัสผ่าน"]
    director = ["wanphen.s", "นางวันเพ็ญ ศรีสุข", ids["wanphen"], "ผู้อำนวยการกองคลัง"]
    ok = ["ใช้งาน", "01/10/2567", "15/09/2569", "15/08/2569"]
    rows = [
        [*director, "ผู้ดูแลระบบ", *ok],
        [*director, "หัวหน้าหน่วยงานคลัง", *ok],
        [*director, "พัสดุ", *ok],
        # the same director's ThaiD login, holding the cash group
        [ids["wanphen"], "นางวันเพ็ญ ศรีสุข", ids["wanphen"], "ผู้อำนวยการกองคลัง", "การเงิน", *ok],
        # changed exactly six months before 1 ต.ค. 2569: in time
        ["kanokwan.t", "นางสาวกนกวรรณ ทองดี", ids["kanokwan"], "นักวิชาการเงินและบัญชี", "บัญชี",
         "ใช้งาน", "01/10/2567", "15/09/2569", "01/04/2569"],
        # never changed ("-") in two years
        ["phairoj.s", "นายไพโรจน์ สุขใจ", ids["phairoj"], "เจ้าพนักงานการเงินและบัญชี", "การเงิน",
         "ใช้งาน", "01/10/2567", "15/09/2569", "-"],
        # never logged in, no creation date: LA104 cannot say for how long
        ["siriporn.s", "นางศิริพร ศรีสม", ids["siriporn"], "เจ้าพนักงานพัสดุ", "พัสดุ",
         "ใช้งาน", None, "-", "01/09/2569"],
        ["sombat.k", "นายสมบัติ คำแก้ว", ids["sombat"], "นักวิชาการพัสดุ", "พัสดุ",
         "ใช้งาน", "01/10/2567", "15/09/2569", "15/08/2569"],
    ]
    export = write_xlsx(tmp_path / "export.xlsx", [
        ["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
        ["องค์การบริหารส่วนตำบลหนองสระบัว อำเภอเมือง จังหวัดชัยภูมิ"],
        header, *[[i, *r] for i, r in enumerate(rows, 1)],
    ])
    roster = write_xlsx(tmp_path / "roster.xlsx", [
        ["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-สกุล", "ตำแหน่ง", "ส่วนราชการ", "สถานะ"],
        [1, ids["wanphen"], "นางวันเพ็ญ ศรีสุข", "ผู้อำนวยการกองคลัง", "กองคลัง", "ปกติ"],
        [2, ids["kanokwan"], "นางสาวกนกวรรณ ทองดี", "นักวิชาการเงินและบัญชีชำนาญการ", "กองคลัง", "ปกติ"],
        [3, ids["phairoj"], "นายไพโรจน์ สุขใจ", "เจ้าพนักงานการเงินและบัญชี", "กองคลัง", "ปกติ"],
        [4, ids["siriporn"], "นางศิริพร ศรีสม", "เจ้าพนักงานพัสดุ", "กองคลัง", "ปกติ"],
        [5, ids["sombat"], "นายสมบัติ คำแก้ว", "นักวิชาการพัสดุ", "กองคลัง", "ปกติ"],
    ], sheet="บุคลากร")
    code, out = run("review", export, "--roster", roster, "--out", tmp_path / "r",
                    "--as-of", "2569-10-01")
    assert code == 0, out
    text = (tmp_path / "r" / "findings.json").read_text(encoding="utf-8")
    data = json.loads(text)
    got = sorted((f["rule"], f["username"], f["severity"]) for f in data["findings"])
    thaid = "x-xxxx-xxxxx-31-0"  # the ThaiD login, masked without --show-ids
    assert got == [
        ("LA302", "wanphen.s", "high"),  # procurement here + cash on the ThaiD login
        # the director's admin group weighs as her finance-head group (low): admin here + cash
        # there, and her own posting (procurement) here
        ("LA302", "wanphen.s", "low"),
        ("LA302", "wanphen.s", "low"),
        ("LA401", "phairoj.s", "medium"),
        ("LA403", thaid, "medium"),
    ]
    assert ids["wanphen"] not in text
    split = next(f for f in data["findings"] if f["rule"] == "LA302" and f["severity"] == "high")
    assert f"การเงิน ในบัญชี {thaid}" in split["message"] and "พัสดุ ในบัญชี wanphen.s" in split["message"]
    assert [a["groups"] for a in split["evidence"]["accounts"]] == [
        ["ผู้ดูแลระบบ", "หัวหน้าหน่วยงานคลัง", "พัสดุ"], ["การเงิน"]]
    never = next(f for f in data["findings"] if f["rule"] == "LA401")
    assert "ไม่เคยเปลี่ยนรหัสผ่าน" in never["message"] and "1 ต.ค. 2567" in never["message"]
    assert [w for w in data["warnings"] if "LA104" in w] == [
        "1 บัญชีไม่เคยเข้าใช้งาน (ไม่มีวันที่เข้าใช้งานล่าสุด) และไม่มีวันที่สร้างบัญชี จึงตรวจกฎ LA104"
        " ไม่ได้: siriporn.s / 1 accounts never logged in (no last-login date) and have no"
        " creation date, so LA104 could not judge them: siriporn.s"
    ]
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "จึงตรวจกฎ LA104 ไม่ได้: siriporn.s" in html


def test_review_of_a_roster_with_birth_dates_finds_the_unmarked_retiree(tmp_path: Path) -> None:
    """End to end: a birth-date column read in Thai digits and BE, LA105 on the one retiree."""
    from tests.readers_fixtures import write_xlsx

    header = ["ที่", "ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง", "กลุ่มผู้ใช้งาน", "สถานะ", "เข้าสู่ระบบล่าสุด"]
    export = write_xlsx(tmp_path / "export.xlsx", [
        ["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
        ["องค์การบริหารส่วนตำบลหนองสระบัว อำเภอเมือง จังหวัดชัยภูมิ"],
        header,
        [1, "boonmee.s", "นายบุญมี สายสุข", "เจ้าพนักงานการเงินและบัญชีอาวุโส", "การเงิน", "ใช้งาน",
         "28/09/2569"],
        [2, "malee.s", "นางมาลี ศรีสุข", "นักวิชาการเงินและบัญชี", "บัญชี", "ใช้งาน", "28/09/2569"],
        [3, "kannika.t", "นางกรรณิกา ทองคำ", "นักวิชาการพัสดุ", "พัสดุ", "ใช้งาน", "28/09/2569"],
        [4, "anan.k", "นายอนันต์ กล้าหาญ", "นักวิชาการพัสดุ", "พัสดุ", "ใช้งาน", "28/09/2569"],
    ])
    roster = write_xlsx(tmp_path / "roster.xlsx", [
        ["ลำดับ", "ชื่อ-สกุล", "ตำแหน่ง", "ส่วนราชการ", "สถานะ", "วัน/เดือน/ปี เกิด", "อายุ (ปี)"],
        [1, "นายบุญมี สายสุข", "เจ้าพนักงานการเงินและบัญชีอาวุโส", "กองคลัง", "ปกติ", "๑ ต.ค. ๒๕๐๙", 59],
        [2, "นางมาลี ศรีสุข", "นักวิชาการเงินและบัญชี", "กองคลัง", "ปกติ", "2 ต.ค. 2509", 59],
        [3, "นางกรรณิกา ทองคำ", "นักวิชาการพัสดุ", "กองคลัง", "เกษียณอายุราชการ (30 ก.ย. 2569)",
         "15/03/2509", 60],
        [4, "นายอนันต์ กล้าหาญ", "นักวิชาการพัสดุ", "กองคลัง", "ปกติ", "1/10/09", 59],
    ], sheet="บุคลากร")
    code, out = run("review", export, "--roster", roster, "--out", tmp_path / "r",
                    "--as-of", "2569-10-01", "--fail-on", "medium")
    assert code == 1, out  # LA105 is medium
    data = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    got = sorted((f["rule"], f["username"]) for f in data["findings"])
    assert got == [("LA101", "kannika.t"), ("LA105", "boonmee.s")]
    la105 = next(f for f in data["findings"] if f["rule"] == "LA105")
    assert la105["severity"] == "medium" and la105["category"] == "stale"
    assert la105["evidence"]["birth_date"] == "1966-10-01"
    assert la105["evidence"]["retirement_date"] == "2026-09-30"
    roster_side = la105["evidence"]["roster"]
    assert (roster_side["row"], roster_side["status"]) == (2, "ปกติ")
    # the two-digit year is refused at its cell and the person said to be unjudged, not skipped
    warnings = "\n".join(data["warnings"])
    assert "two-digit year ('1/10/09')" in warnings and "column F" in warnings
    assert "so LA105 could not judge them: anan.k" in warnings
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "LA105" in html and "วันเกษียณอายุราชการ (ตามวันเกิด)" in html


def test_the_previous_folder_as_out_is_refused_and_warnings_reach_the_screen(
    tmp_path: Path,
) -> None:
    # Writing cycle 2 over cycle 1's folder would destroy the review it is compared with (and
    # the chain verify checks); warnings that matter (here the same-day comparison) are shown
    # on the console, not only inside findings.json and report.html.
    first = tmp_path / "ผลการตรวจ-2569-04"
    assert run("review", EXPORT, "--roster", ROSTER, "--out", first)[0] == 0
    before = (first / "findings.json").read_bytes()
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", first, "--previous", first)
    assert code == 2
    assert "เป็นโฟลเดอร์เดียวกับผลการตรวจรอบก่อน" in out and "would overwrite" in out
    assert (first / "findings.json").read_bytes() == before
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", tmp_path / "อีกครั้ง",
                    "--previous", first)
    assert code == 0, out
    assert "คำเตือน" in out and "not older than this one" in out


def _undated_body(folder: Path) -> tuple[Path, Path]:
    """An export whose title block gives no date (neither ข้อมูล ณ วันที่ nor a print date)."""
    from tests.readers_fixtures import write_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    export = write_xlsx(folder / "export.xlsx", [
        ["รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"],
        ["องค์การบริหารส่วนตำบลโนนแดง อำเภอคอนสวรรค์ จังหวัดชัยภูมิ"],
        ["ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง", "กลุ่มผู้ใช้งาน", "วันที่เข้าใช้งานล่าสุด"],
        [1, "supaporn.k", "นางสุภาพร แก้วมณี", "นักวิชาการเงินและบัญชีชำนาญการ",
         "เจ้าหน้าที่การเงิน", "20/09/2569"],
        [2, "thanakorn.p", "นายธนากร พลราช", "เจ้าพนักงานพัสดุ", "เจ้าหน้าที่พัสดุ", "02/10/2569"],
    ])
    roster = write_xlsx(folder / "roster.xlsx", [
        ["ลำดับ", "ชื่อ-สกุล", "ตำแหน่ง", "ส่วนราชการ", "สถานะ"],
        [1, "นางสุภาพร แก้วมณี", "นักวิชาการเงินและบัญชีชำนาญการ", "กองคลัง", "ปกติ"],
        [2, "นายธนากร พลราช", "เจ้าพนักงานพัสดุ", "กองคลัง", "ปกติ"],
    ])
    return export, roster


def test_an_export_with_no_date_is_reviewed_as_of_today_and_says_so(tmp_path: Path) -> None:
    from datetime import date

    from laas_audit.dates import to_be_short

    export, roster = _undated_body(tmp_path / "in")
    today = date.today()
    code, out = run("review", export, "--roster", roster, "--out", tmp_path / "r")
    assert code == 0, out
    th = (f"export.xlsx ชีต 'รายงาน': รายงานไม่ระบุวันที่ของข้อมูล จึงตรวจ ณ วันที่ทำรายการ"
          f" ({to_be_short(today)}); ระบุ --as-of ถ้าข้อมูลเป็นของวันอื่น")
    en = (f"export.xlsx, sheet 'รายงาน': the export gives no date for its data, so it was"
          f" reviewed as of today ({today.isoformat()}); give --as-of if the data is of"
          " another day")
    assert f"  - {th} / " in out  # on the console, Thai first
    data = json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))
    assert data["as_of"] == today.isoformat()
    assert data["warnings"][0] == f"{th} / {en}"  # first of the reading notes
    report = lxml.html.document_fromstring((tmp_path / "r" / "report.html").read_text("utf-8"))
    notes = [li.text_content() for li in report.xpath("//section[@id='warnings']//li")]
    assert notes[0] == f"{th} / {en}"

    # A date given on the command line, or by the export itself: nothing to say.
    code, out = run("review", export, "--roster", roster, "--out", tmp_path / "r2",
                    "--as-of", "2569-10-05")
    assert code == 0 and "ไม่ระบุวันที่ของข้อมูล" not in out
    code, out = run("review", EXPORT, "--roster", ROSTER, "--out", tmp_path / "r3")
    assert code == 0 and "ไม่ระบุวันที่ของข้อมูล" not in out


def test_batch_gives_each_undated_body_the_warning_in_its_own_report_not_the_console(
    tmp_path: Path,
) -> None:
    import shutil

    inp = tmp_path / "province"
    for n in range(3):
        _undated_body(inp / f"0{n}_อบต.โนนแดง{n}")
    dated = inp / "09_อบต.หนองบัวทอง"
    dated.mkdir()
    shutil.copy(EXPORT, dated / "export.xlsx")
    shutil.copy(ROSTER, dated / "roster.xlsx")
    code, out = run("batch", inp, "--out", tmp_path / "out", "--jobs", "1")
    assert code == 0, out
    assert "ไม่ระบุวันที่ของข้อมูล" not in out and "no date for its data" not in out
    for n in range(3):
        data = json.loads((tmp_path / "out" / f"0{n}_อบต.โนนแดง{n}" / "findings.json")
                          .read_text(encoding="utf-8"))
        assert [w for w in data["warnings"] if "ไม่ระบุวันที่ของข้อมูล" in w] == [data["warnings"][0]]
    data = json.loads((tmp_path / "out" / "09_อบต.หนองบัวทอง" / "findings.json")
                      .read_text(encoding="utf-8"))
    assert data["as_of"] == "2026-10-01"  # the export's own date
    assert not any("ไม่ระบุวันที่ของข้อมูล" in w for w in data["warnings"])
