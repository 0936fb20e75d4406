"""The review carried from one cycle to the next, end to end through the CLI.

Cycle 1 (April): review, the finance head fills the worksheet (ยกเลิกผู้ใช้ for a leaver and a
shared account, คงไว้ with a note for a dormant clerk) and runs `record`. Cycle 2 (October):
nothing was done, and the clerk's login became his ThaiD citizen-ID login. Last cycle's
decisions must follow the findings, the cancellations not carried out must be called out, and
the renamed login must not pass for a fix.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from laas_audit.cli import cli
from laas_audit.cycle import PreviousReview
from laas_audit.errors import InputError
from laas_audit.model import PreviousDecision
from laas_audit.previous_decisions import load_record
from laas_audit.record import read_worksheet
from laas_audit.render_common import cancelled_still_there
from laas_audit.render_html import render_report
from laas_audit.safe_cells import mask_text
from laas_audit.summary import review_summary
from laas_audit.worksheet import (
    FINDING_COLUMNS,
    HEADER_ROW,
    PREVIOUS_COLUMNS,
    SHEET_FINDINGS,
    find_columns,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import synth  # noqa: E402

from tests.result_factory import make_result  # noqa: E402

HEAD = "นางวิไลวรรณ ศรีสุข"
APRIL = datetime(2026, 4, 15)


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


def fill(path: Path, by_user: dict[str, dict[str, Any]], out: Path) -> Path:
    """Fill the reviewer columns of every finding of the given usernames, found by label."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_FINDINGS]
    cols = find_columns([c.value for c in ws[HEADER_ROW]], FINDING_COLUMNS)
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        for key, value in by_user.get(str(ws.cell(row, cols["username"] + 1).value), {}).items():
            ws.cell(row, cols[key] + 1).value = value
    wb.save(out)
    return out


def review_against(cycles: dict[str, Any], previous: Path, out_name: str) -> tuple[int, str, Path]:
    """Review cycle 2 into `out_name` with `previous` (a changed copy of cycle 1) as --previous."""
    out = cycles["tmp"] / out_name
    code, text = run("review", cycles["export2"], "--roster", cycles["roster2"], "--out", out,
                     "--previous", previous)
    return code, text, out


def findings_of(out: Path) -> dict[str, Any]:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cycles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Both cycles reviewed; cycle 1 decided and recorded."""
    tmp = tmp_path_factory.mktemp("carry")
    body = synth.make_body(2569, n_accounts=12, shape="xlsx-column", as_of=date(2026, 4, 1),
                           plants=["leaver_active", "dormant", "generic_account"], controls=[])
    kinds = {p.kind: p.username for p in body.planted}
    leaver, shared, clerk = kinds["leaver_active"], kinds["generic_account"], kinds["dormant"]
    export1, roster1 = synth.write_body(body, tmp / "c1")
    first = tmp / "ผลการตรวจ-2569-04"
    code, out = run("review", export1, "--roster", roster1, "--out", first)
    assert code == 0, out
    cancel = {"decision": "ยกเลิกผู้ใช้", "note": "ยกเลิกภายใน ๗ วัน", "reviewer": HEAD,
              "decision_date": APRIL}
    keep = {"decision": "คงไว้", "note": "ลาป่วยยาว กลับมาปฏิบัติงาน ต.ค.", "reviewer": HEAD,
            "decision_date": APRIL}
    filled = fill(first / "findings.xlsx", {leaver: cancel, shared: cancel, clerk: keep},
                  first / "findings-กรอกแล้ว.xlsx")
    code, out = run("record", filled)
    assert code == 0, out

    person = next(r for r in body.roster if r.pid == next(
        a.pid for a in body.accounts if a.username == clerk))
    thaid = synth.normalise(person.national_id or "")
    assert len(thaid) == 13
    for account in body.accounts:
        if account.username == clerk:
            account.username = thaid  # the ThaiD login; nothing else about him changes
    body.as_of, body.printed = date(2026, 10, 1), datetime(2026, 10, 1, 9, 30)
    export2, roster2 = synth.write_body(body, tmp / "c2")
    second = tmp / "ผลการตรวจ-2569-10"
    code, out = run("review", export2, "--roster", roster2, "--out", second,
                    "--previous", first)
    assert code == 0, out
    return {"tmp": tmp, "first": first, "second": second, "out": out, "leaver": leaver,
            "shared": shared, "clerk": clerk, "thaid": thaid, "export2": export2,
            "roster2": roster2, "body": body,
            "data": json.loads((second / "findings.json").read_text(encoding="utf-8"))}


def test_persisting_findings_carry_last_cycles_decision(cycles: dict[str, Any]) -> None:
    data = cycles["data"]
    decided = {f["username"]: f for f in data["findings"] if f["previous_decision"]}
    assert set(decided) >= {cycles["leaver"], cycles["shared"]}
    leaver = decided[cycles["leaver"]]
    assert leaver["status"] == "persisting"
    assert leaver["previous_decision"] == {
        "decision": "cancel", "decision_th": "ยกเลิกผู้ใช้", "note": "ยกเลิกภายใน ๗ วัน",
        "reviewer": HEAD, "date": "2026-04-15",
    }
    manifest = json.loads((cycles["second"] / "manifest.json").read_text(encoding="utf-8"))
    (record,) = [i for i in manifest["inputs"] if i["role"] == "previous_record"]
    assert record["file"] == "../ผลการตรวจ-2569-04/record/record.json"


def test_a_renamed_login_persists_with_its_old_name_and_decision(cycles: dict[str, Any]) -> None:
    data = cycles["data"]
    assert cycles["clerk"] not in {f["username"] for f in data["resolved"]}
    renamed = [f for f in data["findings"] if f["previous_username"]]
    assert renamed and {f["previous_username"] for f in renamed} == {cycles["clerk"]}
    assert {f["status"] for f in renamed} == {"persisting"}
    assert all(f["previous_id"] and f["previous_id"] != f["id"] for f in renamed)
    assert {f["previous_decision"]["note"] for f in renamed} == {"ลาป่วยยาว กลับมาปฏิบัติงาน ต.ค."}
    html = (cycles["second"] / "report.html").read_text(encoding="utf-8")
    masked = f"x-xxxx-xxxxx-{cycles['thaid'][10:12]}-{cycles['thaid'][12]}"
    assert f"ชื่อผู้ใช้เปลี่ยนจาก <span class=\"mono\">{cycles['clerk']}</span> เป็น " \
           f"<span class=\"mono\">{masked}</span>" in html


def test_report_calls_out_cancellations_not_carried_out(cycles: dict[str, Any]) -> None:
    doc = lxml_html.parse(str(cycles["second"] / "report.html"))
    (alert,) = doc.xpath('//section[@id="summary"]/div[@id="cancel-not-done"]')
    text = " ".join(alert.text_content().split())
    assert text.startswith("ตัดสินใจยกเลิกแล้วแต่บัญชียังอยู่ (2 บัญชี)")
    assert "ข้อ ๔.๒" in text
    assert "ครั้งก่อน (15 เม.ย. 2569): ยกเลิกผู้ใช้ — ยกเลิกภายใน ๗ วัน" in text
    rows = alert.xpath(".//tbody/tr")
    assert sorted(r.xpath("string(.//span[@class='mono'])") for r in rows) == sorted(
        [cycles["leaver"], cycles["shared"]])
    links = alert.xpath(".//a/@href")
    assert links and all(doc.xpath(f'//article[@id="{h[1:]}"]') for h in links)
    cards = [" ".join(c.text_content().split()) for c in doc.xpath('//div[@class="cards"]/div')]
    assert "2ตัดสินใจยกเลิกแล้วแต่บัญชียังอยู่" in cards
    card = doc.xpath(f'//article[@id="f-{_finding(cycles, cycles["leaver"])["id"]}"]')[0]
    line = card.xpath('string(.//p[contains(@class, "previous-decision")])')
    assert line == f"ครั้งก่อน (15 เม.ย. 2569): ยกเลิกผู้ใช้ — ยกเลิกภายใน ๗ วัน ({HEAD})"
    assert "ตัดสินใจยกเลิกแล้วแต่บัญชียังอยู่ 2 บัญชี" in cycles["out"]


def _finding(cycles: dict[str, Any], username: str) -> dict[str, Any]:
    """The user's finding that was decided last cycle."""
    return next(f for f in cycles["data"]["findings"]
                if f["username"] == username and f["previous_decision"])


def test_worksheet_shows_last_decision_beside_an_empty_one_and_still_records(
    cycles: dict[str, Any],
) -> None:
    ws = openpyxl.load_workbook(cycles["second"] / "findings.xlsx")[SHEET_FINDINGS]
    header = [c.value for c in ws[HEADER_ROW]]
    labels = [c.label for c in PREVIOUS_COLUMNS]
    at = header.index(labels[0])
    assert header[at: at + 3] == [*labels, "การตัดสินใจ\nDecision"]
    by_id = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    row = by_id[_finding(cycles, cycles["leaver"])["id"]]
    assert ws.cell(row, at + 1).value == f"ยกเลิกผู้ใช้ (15 เม.ย. 2569, {HEAD})"
    assert ws.cell(row, at + 2).value == "ยกเลิกภายใน ๗ วัน"
    assert all(ws.cell(r, at + 3).value is None for r in by_id.values())  # not prefilled
    new = [f["id"] for f in cycles["data"]["findings"] if f["status"] == "new"]
    assert new and all(ws.cell(by_id[i], at + 1).value is None for i in new)
    ranges = {str(v.sqref): v.type for v in ws.data_validations.dataValidation}
    first, last = min(by_id.values()), max(by_id.values())
    letter = openpyxl.utils.get_column_letter
    assert ranges[f"{letter(at + 1)}{first}:{letter(at + 2)}{last}"] == "textLength"
    assert ranges[f"{letter(at + 3)}{first}:{letter(at + 3)}{last}"] == "list"

    # Filled by its labels, `record` reads this cycle's decision, not last cycle's beside it.
    filled = fill(cycles["second"] / "findings.xlsx",
                  {cycles["leaver"]: {"decision": "คงไว้", "reviewer": HEAD}},
                  cycles["tmp"] / "c2-filled.xlsx")
    rows = {r.username: r for r in read_worksheet(filled).rows}
    assert rows[cycles["leaver"]].decision == "keep"
    assert rows[cycles["shared"]].decision is None


def test_a_first_cycle_worksheet_has_no_previous_columns(cycles: dict[str, Any]) -> None:
    ws = openpyxl.load_workbook(cycles["first"] / "findings.xlsx")[SHEET_FINDINGS]
    assert [c.value for c in ws[HEADER_ROW]] == [c.label for c in FINDING_COLUMNS]


def test_a_filled_worksheet_never_recorded_is_warned(cycles: dict[str, Any]) -> None:
    unrecorded = cycles["tmp"] / "ยังไม่บันทึกผล"
    shutil.copytree(cycles["first"], unrecorded)
    shutil.rmtree(unrecorded / "record")
    code, text, out = review_against(cycles, unrecorded, "ไม่มีบันทึกผล")
    assert code == 0, text
    data = findings_of(out)
    assert not any(f["previous_decision"] for f in data["findings"])
    (warning,) = [w for w in data["warnings"] if "record" in w]
    assert warning.startswith(f"ไม่ได้อ่านการตัดสินใจของรอบก่อน: {unrecorded}")
    assert "(findings-กรอกแล้ว.xlsx)" in warning
    assert f'laas-audit record "{unrecorded / "findings-กรอกแล้ว.xlsx"}"' in warning
    assert "last cycle's decisions were not read" in warning


def test_an_unfilled_previous_folder_warns_of_nothing(cycles: dict[str, Any]) -> None:
    bare = cycles["tmp"] / "ไม่ได้กรอก"
    shutil.copytree(cycles["first"], bare)
    shutil.rmtree(bare / "record")
    (bare / "findings-กรอกแล้ว.xlsx").unlink()
    code, text, out = review_against(cycles, bare, "ไม่ได้กรอก-ผล")
    assert code == 0, text
    data = findings_of(out)
    assert not [w for w in data["warnings"] if "record" in w]


def test_an_edited_record_is_refused(cycles: dict[str, Any]) -> None:
    edited = cycles["tmp"] / "แก้บันทึกผล"
    shutil.copytree(cycles["first"], edited)
    record = edited / "record" / "record.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["findings"][0]["decision"] = "keep"  # a cancellation turned into "keep" afterwards
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, text, out = review_against(cycles, edited, "แก้บันทึกผล-ผล")
    assert code == 2
    assert "แก้บันทึกผล/record/record.json" in text and "ถูกแก้ไขหลังการบันทึกผล" in text
    assert "was changed after `record` wrote it" in text and "Traceback" not in text
    assert not out.exists()


def test_a_record_of_another_review_is_not_used(cycles: dict[str, Any]) -> None:
    other = cycles["tmp"] / "บันทึกผลของรอบอื่น"
    shutil.copytree(cycles["first"], other)
    record = other / "record" / "record.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["review"]["as_of"] = "2025-10-01"
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (other / "record" / "manifest.json").unlink()  # a record sent on its own
    code, text, out = review_against(cycles, other, "บันทึกผลของรอบอื่น-ผล")
    assert code == 0, text
    result = findings_of(out)
    assert not any(f["previous_decision"] for f in result["findings"])
    (warning,) = [w for w in result["warnings"] if "record.json" in w]
    assert "เป็นของการตรวจข้อมูล ณ 2025-10-01 ไม่ใช่ของผลการตรวจรอบก่อน" in warning


# ----------------------------------------------------------------- the report, from the model


def _decided(decision: str, note: str | None = None) -> PreviousDecision:
    th = {"cancel": "ยกเลิกผู้ใช้", "keep": "คงไว้"}[decision]
    return PreviousDecision(decision, th, note, HEAD, "2026-04-15")


def test_cancelled_still_there_counts_accounts_not_findings_and_resolved_ones_too() -> None:
    result = make_result()
    first, second = result.findings[0], result.findings[1]
    first.previous_decision = _decided("cancel", "ย้ายไป อบต.อื่นแล้ว")
    second.previous_decision = _decided("keep")
    carried_out = result.resolved[0]  # finance01: cancelled, gone from this export
    carried_out.previous_decision = _decided("cancel")
    still_there = dataclasses.replace(
        carried_out, id="LA401-0f0f0f0f0f", rule="LA401", username=first.username,
        previous_decision=_decided("cancel", "ยกเลิกพร้อมกัน"))
    result.resolved.append(still_there)  # its password was changed, the account kept

    (entry,) = cancelled_still_there(result)
    assert (entry.username, entry.findings, entry.resolved) == (
        first.username, [first], [still_there])
    assert cancelled_still_there(dataclasses.replace(result, previous=None)) == []

    doc = lxml_html.fromstring(render_report(result))
    (alert,) = doc.xpath('//div[@id="cancel-not-done"]')
    text = " ".join(alert.text_content().split())
    assert "(1 บัญชี)" in text and "LA401 (แก้ไขแล้ว แต่บัญชียังอยู่)" in text
    assert first.username not in text and mask_text(first.username) in text  # a ThaiD login
    resolved = " ".join(doc.xpath('string(//section[@id="resolved"])').split())
    assert f"ครั้งก่อน (15 เม.ย. 2569): ยกเลิกผู้ใช้ ({HEAD})" in resolved
    keep = doc.xpath(f'//article[@id="f-{second.id}"]//p[@class="previous-decision"]')
    assert keep[0].text_content() == f"ครั้งก่อน (15 เม.ย. 2569): คงไว้ ({HEAD})"

    english = lxml_html.fromstring(render_report(result, lang="en"))
    line = english.xpath(f'string(//article[@id="f-{first.id}"]'
                         '//p[contains(@class, "previous-decision")])')
    assert line == f"Last cycle (15 Apr 2026): cancel the user — ย้ายไป อบต.อื่นแล้ว ({HEAD})"
    assert "Decided to cancel, but the account is still there (1 accounts)" in " ".join(
        english.xpath('string(//div[@id="cancel-not-done"]/h3)').split())
    assert "Decided to cancel last cycle, but still there: 1 account(s)" in review_summary(
        result, "en")


def test_a_report_without_previous_decisions_has_no_callout() -> None:
    result = make_result()
    doc = lxml_html.fromstring(render_report(result))
    assert doc.xpath('//div[@id="cancel-not-done"]') == []
    assert doc.xpath('//p[contains(@class, "previous-decision")]') == []
    cards = [" ".join(c.text_content().split()) for c in doc.xpath('//div[@class="cards"]/div')]
    assert "0ตัดสินใจยกเลิกแล้วแต่บัญชียังอยู่" in cards  # compared: none left behind
    first_review = dataclasses.replace(result, previous=None)
    assert "ตัดสินใจยกเลิก" not in render_report(first_review)


@pytest.mark.parametrize(
    ("content", "words"),
    [("{ broken", "cannot read the previous cycle's record"),
     ('{"schema": "laas-audit/findings/1"}', "not a laas-audit record")],
)
def test_an_unreadable_record_is_an_input_error(
    tmp_path: Path, content: str, words: str
) -> None:
    folder = tmp_path / "2569-04"
    (folder / "record").mkdir(parents=True)
    (folder / "record" / "record.json").write_text(content, encoding="utf-8")
    previous = PreviousReview(folder / "findings.json", [], date(2026, 4, 1), {})
    with pytest.raises(InputError) as info:
        load_record(folder, previous, [])
    assert words in info.value.en and info.value.hint_th.startswith("รัน laas-audit record")
    assert info.value.location.file == "2569-04/record/record.json"


def test_the_record_is_read_as_record_writes_it() -> None:
    from laas_audit import previous_decisions, record

    assert (previous_decisions.RECORD_JSON, previous_decisions.RECORD_SCHEMA) == (
        record.RECORD_JSON, record.RECORD_SCHEMA)
    assert previous_decisions.HEADER_SCAN_ROWS == record.HEADER_SCAN_ROWS


def test_a_cycle_two_worksheet_with_its_labels_typed_over_reads_this_cycles_decision(
    cycles: dict[str, Any],
) -> None:
    """The fixed-layout fallback must not take last cycle's decision for this one's."""
    src = cycles["second"] / "findings.xlsx"
    filled = fill(src, {cycles["leaver"]: {"decision": "คงไว้", "reviewer": HEAD}},
                  cycles["tmp"] / "c2-labels-gone.xlsx")
    wb = openpyxl.load_workbook(filled)
    ws = wb[SHEET_FINDINGS]
    for cell in ws[HEADER_ROW]:
        cell.value = None  # a reviewer cleared the header row
    wb.save(filled)
    worksheet = read_worksheet(filled)
    rows = {r.username: r for r in worksheet.rows}
    assert rows[cycles["leaver"]].decision == "keep"  # not last cycle's ยกเลิกผู้ใช้
    assert rows[cycles["shared"]].decision is None
    assert any("ตำแหน่งคอลัมน์มาตรฐาน" in w.th for w in worksheet.warnings)


def test_a_leaver_dropped_from_the_roster_is_the_same_problem_not_a_fix(
    cycles: dict[str, Any],
) -> None:
    """April: LA101 on the leaver, decided ยกเลิกผู้ใช้. October: still there, HR dropped him
    from the roster, so LA102 finds him: not resolved, and the cancellation not carried out."""
    body = copy.deepcopy(cycles["body"])
    pid = next(a.pid for a in body.accounts if a.username == cycles["leaver"])
    body.roster = [r for r in body.roster if r.pid != pid]
    export3, roster3 = synth.write_body(body, cycles["tmp"] / "c3")
    out = cycles["tmp"] / "ผลการตรวจ-ตัดออกจากทะเบียน"
    code, text = run("review", export3, "--roster", roster3, "--out", out,
                     "--previous", cycles["first"])
    assert code == 0, text
    data = findings_of(out)
    (orphan,) = [f for f in data["findings"] if f["username"] == cycles["leaver"]
                 and f["rule"] == "LA102"]
    assert (orphan["status"], orphan["previous_rule"]) == ("persisting", "LA101")
    (then,) = [f for f in findings_of(cycles["first"])["findings"]
               if f["username"] == cycles["leaver"] and f["rule"] == "LA101"]
    assert orphan["previous_id"] == then["id"] and orphan["previous_username"] is None
    assert orphan["previous_decision"]["decision"] == "cancel"
    assert cycles["leaver"] not in {f["username"] for f in data["resolved"]}
    assert f"ปัญหาเดิมที่พบด้วยกฎใหม่ (ไม่นับว่าแก้ไขแล้ว): {cycles['leaver']} (LA101 -> LA102)" \
        in text

    doc = lxml_html.parse(str(out / "report.html"))
    (alert,) = doc.xpath('//div[@id="cancel-not-done"]')
    assert "LA102 (เดิม LA101)" in " ".join(alert.text_content().split())
    card = doc.xpath(f'//article[@id="f-{orphan["id"]}"]')[0]
    line = " ".join(card.xpath('string(.//p[@class="rule-changed"])').split())
    assert line.startswith("เดิม LA101 (ผู้พ้นจากหน้าที่แล้วแต่บัญชียังใช้งานได้) ในการตรวจครั้งก่อน")
    assert card.xpath('string(.//span[contains(@class, "st-persisting")])') == "ยังคงอยู่"

    ws = openpyxl.load_workbook(out / "findings.xlsx")[SHEET_FINDINGS]
    cols = find_columns([c.value for c in ws[HEADER_ROW]], FINDING_COLUMNS)
    (row,) = [r for r in range(HEADER_ROW + 1, ws.max_row + 1)
              if ws.cell(r, cols["finding_id"] + 1).value == orphan["id"]]
    assert ws.cell(row, cols["message"] + 1).value.endswith(
        "(เดิม LA101 ในการตรวจครั้งก่อน: ปัญหาเดิมของบัญชีนี้ ยังไม่ได้แก้ไข)")
    assert ws.cell(row, cols["status"] + 1).value == "ยังคงอยู่"
