"""A reviewer's "-" in --matches (nobody on the roster) counts as not found wherever counted.

findings.json keeps method "confirmed" (who decided it); the console summary, report.html's
matching table and accounts list, and the worksheet's accounts sheet count it as not found.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import lxml.html
import openpyxl
import pytest

from laas_audit.model import MatchInfo, ReviewResult
from laas_audit.render_html import render_report
from laas_audit.render_xlsx import write_worksheet
from laas_audit.summary import review_summary
from laas_audit.worksheet import ACCOUNT_COLUMNS, FIRST_DATA_ROW, SHEET_ACCOUNTS, column_number
from tests.result_factory import make_result


@pytest.fixture(scope="module")
def result() -> ReviewResult:
    """The factory's review, with two accounts answered in --matches: one "-", one a person."""
    res = make_result()
    by_method = Counter(a.match.method for a in res.accounts)
    assert by_method["confirmed"] == 0  # the factory has none: the two below are all there are
    res.accounts[2].match = MatchInfo("confirmed")  # "-": no one on the roster
    res.accounts[3].match = MatchInfo("confirmed", 100.0, 13)  # a roster row
    return res


def test_counted_as() -> None:
    assert MatchInfo("confirmed").counted_as == "none"
    assert MatchInfo("confirmed", 100.0, 7).counted_as == "confirmed"
    assert MatchInfo("fuzzy", 91.5, 7).counted_as == "fuzzy"
    assert MatchInfo("none").counted_as == "none"


def test_console_summary_counts_it_not_found(result: ReviewResult) -> None:
    plain_none = sum(a.match.method == "none" for a in result.accounts)
    leads = sum(a.match.method == "none" and bool(a.match.candidates) for a in result.accounts)
    fuzzy = sum(a.match.method == "fuzzy" for a in result.accounts)
    matched = len(result.accounts) - plain_none - fuzzy - 1
    th = review_summary(result).splitlines()[1]
    assert th == (f"บัญชีผู้ใช้ 30 บัญชี (จับคู่กับทะเบียนบุคลากรได้ {matched}, "
                  f"ต้องยืนยัน {fuzzy + leads}, ไม่พบ {plain_none + 1 - leads})")
    en = review_summary(result, "en").splitlines()[1]
    assert en == (f"Accounts: 30 (matched {matched}, to confirm {fuzzy + leads}, "
                  f"not on roster {plain_none + 1 - leads})")


def test_an_account_offered_a_person_counts_as_to_confirm() -> None:
    # A married name found by no one but offered the roster person: the CSV asks to confirm it,
    # so the console does not call it "not found"; without the lead it is not found.
    from laas_audit.model import Candidate

    def counts(res: ReviewResult) -> tuple[str, str]:
        line = review_summary(res).splitlines()[1]
        return line.split("ต้องยืนยัน ")[1].split(",")[0], line.split("ไม่พบ ")[1].rstrip(")")

    res = make_result()
    target = next(a for a in res.accounts if a.match.method == "none")
    target.match.candidates = []
    confirm, missing = map(int, counts(res))
    target.match.candidates = [Candidate("นางวิไลวรรณ ทองมา", 3, 59.3)]
    assert tuple(map(int, counts(res))) == (confirm + 1, missing - 1)


def test_report_matching_table_and_account_row(result: ReviewResult) -> None:
    doc = lxml.html.document_fromstring(render_report(result))
    table = doc.xpath('//section[@id="summary"]//table[contains(@class,"counts")][2]/tbody/tr')
    counts = {
        tr.xpath("td")[0].text_content().strip(): int(tr.xpath("td")[1].text_content())
        for tr in table
    }
    plain_none = sum(a.match.method == "none" for a in result.accounts)
    leads = result.offered_a_person()
    assert counts["ไม่พบในทะเบียนบุคลากร"] == plain_none + 1 - leads
    assert counts.get("ไม่พบโดยตรง มีผู้ที่อาจเป็น (ควรยืนยัน)", 0) == leads  # as the console counts
    assert counts["ยืนยันโดยผู้ตรวจ"] == 1  # only the account confirmed to a roster row
    rows = doc.xpath('//table[contains(@class,"accounts")]/tbody/tr')
    nobody, somebody = rows[2], rows[3]
    assert "ยืนยันโดยผู้ตรวจ: ไม่พบในทะเบียนบุคลากร" in nobody.text_content()
    assert nobody.get("class") == "flag"
    assert "ไม่พบในทะเบียนบุคลากร" not in somebody.text_content()
    assert somebody.get("class") != "flag"


def test_worksheet_accounts_sheet(result: ReviewResult, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(write_worksheet(result, tmp_path / "f.xlsx"))[SHEET_ACCOUNTS]
    col = column_number(ACCOUNT_COLUMNS, "match_method")
    assert ws.cell(FIRST_DATA_ROW + 2, col).value == "ยืนยันโดยผู้ตรวจ: ไม่พบในทะเบียนบุคลากร"
    assert ws.cell(FIRST_DATA_ROW + 3, col).value == "ยืนยันโดยผู้ตรวจ"
    assert ws.cell(FIRST_DATA_ROW + 2, 1).fill.fgColor.rgb.endswith("FCE4D6")  # flagged orange
    assert not ws.cell(FIRST_DATA_ROW + 3, 1).fill.fgColor.rgb.endswith("FCE4D6")
