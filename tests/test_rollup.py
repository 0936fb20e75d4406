"""The rollup model and its three files, built from fake review results (no readers needed)."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
from openpyxl import load_workbook

from laas_audit.model import ReviewResult
from laas_audit.policy import Policy, load_policy
from laas_audit.rollup import (
    SCHEMA,
    BodyRow,
    Rollup,
    SkippedBody,
    write_rollup,
)
from tests.outputs import all_text
from tests.result_factory import HYPERLINK, RULES, SCRIPT, make_result, thai_id

BODY_KEYS = {"folder", "name", "district", "province", "accounts", "findings",
             "per_100_accounts", "report"}


@functools.cache
def _policy() -> Policy:
    return load_policy()


def _row(folder: str, result: ReviewResult, report: str | None) -> BodyRow:
    """A body's rollup row, accounts judged active as the shipped policy's rules judge them."""
    return BodyRow.from_result(folder, result, report, _policy().is_inactive_account_status)


def _result(n: int, seed: int, name: str, district: str | None) -> ReviewResult:
    result = make_result(n, hostile=False, seed=seed)
    result.body = {"name": name, "district": district, "province": "ชัยภูมิ"}
    return result


@pytest.fixture()
def results() -> dict[str, ReviewResult]:
    return {
        "01_อบต.หนองบัวทอง": _result(30, 1, "องค์การบริหารส่วนตำบลหนองบัวทอง", "ภูเขียว"),
        "02_ทต.บ้านแท่น": _result(12, 2, "เทศบาลตำบลบ้านแท่น", "บ้านแท่น"),
        "03_อบต.โคกสูง": _result(20, 3, "องค์การบริหารส่วนตำบลโคกสูง", "ภูเขียว"),
        "04_hostile": _result(11, 4, f"{SCRIPT}{HYPERLINK}", None),
    }


@pytest.fixture()
def rollup(results: dict[str, ReviewResult]) -> Rollup:
    rows = [_row(f, r, f"{f}/report.html") for f, r in results.items()]
    skipped = [
        SkippedBody("05_ทต.ไม่มีทะเบียน", "ไม่พบไฟล์ทะเบียนบุคลากร (ไฟล์ที่มี: นายสมชาย ใจดี.xlsx)",
                    "no roster (files: นายสมชาย ใจดี.xlsx)", kind="no-roster"),
    ]
    return Rollup(as_of=None, bodies=rows, skipped=skipped, rules=RULES, tool_version="0.1.0")


def test_body_row_counts_match_the_result(results: dict[str, ReviewResult]) -> None:
    folder, result = next(iter(results.items()))
    row = _row(folder, result, None)
    counts = result.counts()
    live = [f for f in result.findings if f.status != "waived"]
    assert row.accounts == len(result.accounts) == 30
    assert row.findings == {c: sum(v.values()) for c, v in counts.items()}
    assert row.total == len(live)
    assert sum(row.severity.values()) == len(live)
    assert sum(row.rules.values()) == len(live)
    assert "LA301" not in row.rules  # the factory's LA301 findings are all waived
    assert row.per_100_accounts == round(100 * len(live) / 30, 1)


def test_per_100_is_none_without_accounts() -> None:
    row = BodyRow("x", None, None, None, 0, "2026-10-01", {}, {}, {}, {}, None)
    assert row.per_100_accounts is None
    assert row.display_name == "x"


def test_json_follows_the_schema(rollup: Rollup, tmp_path: Path) -> None:
    write_rollup(rollup, tmp_path)
    doc = json.loads((tmp_path / "rollup.json").read_text(encoding="utf-8"))
    assert doc["schema"] == SCHEMA
    assert doc["as_of"] == "2026-10-01"  # no --as-of: the latest body date
    assert len(doc["bodies"]) == 4
    for body in doc["bodies"]:
        assert set(body) >= BODY_KEYS
        assert set(body["findings"]) == {"stale", "mismatch", "privilege", "hygiene"}
        assert body["report"] == f"{body['folder']}/report.html"
    by_folder = {b["folder"]: b for b in doc["bodies"]}
    assert by_folder["02_ทต.บ้านแท่น"]["accounts"] == 12
    assert by_folder["02_ทต.บ้านแท่น"]["district"] == "บ้านแท่น"
    rates = [b["per_100_accounts"] for b in doc["bodies"]]
    assert rates == sorted(rates, reverse=True)  # ranked, worst first
    assert doc["skipped"] == [{"folder": "05_ทต.ไม่มีทะเบียน",
                               "reason": rollup.skipped[0].reason}]
    assert doc["totals"]["accounts"] == 30 + 12 + 20 + 11
    problems = doc["common_problems"]
    assert [p["bodies"] for p in problems] == sorted((p["bodies"] for p in problems),
                                                     reverse=True)
    assert {p["rule"]: p["title"] for p in problems}["LA101"] == RULES["LA101"].title_th


def test_districts_group_known_first_unknown_last(rollup: Rollup) -> None:
    groups = rollup.by_district()
    assert [g.district for g in groups][-1] is None
    assert {g.district for g in groups} == {"ภูเขียว", "บ้านแท่น", None}
    phu = next(g for g in groups if g.district == "ภูเขียว")
    assert {b.folder for b in phu.bodies} == {"01_อบต.หนองบัวทอง", "03_อบต.โคกสูง"}
    assert phu.accounts == 50


def test_xlsx_keeps_hostile_names_as_text(rollup: Rollup, tmp_path: Path) -> None:
    write_rollup(rollup, tmp_path)
    wb = load_workbook(tmp_path / "rollup.xlsx")
    assert wb.sheetnames == ["หน่วยงาน", "ปัญหาที่พบบ่อย", "ไม่ได้ตรวจ"]
    ws = wb["หน่วยงาน"]
    names = {ws.cell(row=r, column=3).value: ws.cell(row=r, column=3)
             for r in range(2, ws.max_row + 1)}
    hostile = names[f"{SCRIPT}{HYPERLINK}"]
    assert hostile.data_type == "s"
    accounts = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=7).value
                for r in range(2, ws.max_row + 1)}
    assert accounts["03_อบต.โคกสูง"] == 20
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)
    assert wb["ไม่ได้ตรวจ"]["A2"].value == "05_ทต.ไม่มีทะเบียน"


def test_xlsx_quotes_formula_like_text(rollup: Rollup, tmp_path: Path) -> None:
    # Excel keeps a quote-prefixed cell as text even after someone edits it; text that does
    # not start like a formula is written plainly.
    first = rollup.bodies[0]
    rollup.bodies[0] = dataclasses.replace(first, name=HYPERLINK, district="+ภูเขียว\x07")
    write_rollup(rollup, tmp_path)
    ws = load_workbook(tmp_path / "rollup.xlsx")["หน่วยงาน"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == first.folder)
    name, district, province = row[2], row[3], row[4]
    assert (name.value, name.data_type, name.quotePrefix) == (HYPERLINK, "s", True)
    assert (district.value, district.quotePrefix) == ("+ภูเขียว", True)  # control char dropped
    assert province.quotePrefix is False


def test_xlsx_links_each_report_and_keeps_dates_as_dates(
    rollup: Rollup, tmp_path: Path
) -> None:
    # A provincial office opens a body's report from the workbook (a link relative to it, so
    # the output folder can be moved or zipped) and sorts or filters bodies by their date.
    odd = rollup.bodies[1]
    rollup.bodies[1] = dataclasses.replace(odd, folder="02_ทต.#2", report="02_ทต.#2/report.html")
    write_rollup(rollup, tmp_path)
    ws = load_workbook(tmp_path / "rollup.xlsx")["หน่วยงาน"]
    header = [c.value for c in ws[1]]
    col_date, col_report = header.index("ข้อมูล ณ วันที่"), header.index("รายงาน")
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    report = rows["01_อบต.หนองบัวทอง"][col_report]
    assert report.value == "01_อบต.หนองบัวทอง/report.html"
    assert report.hyperlink.target.replace("\\", "/") == "01_อบต.หนองบัวทอง/report.html"
    # '#' would start the link's anchor: that folder's report stays plain text.
    odd_report = rows["02_ทต.#2"][col_report]
    assert (odd_report.value, odd_report.hyperlink) == ("02_ทต.#2/report.html", None)
    day = rows["03_อบต.โคกสูง"][col_date]
    assert day.is_date and day.value.date().isoformat() == rollup.bodies[2].as_of
    assert day.number_format == "dd/mm/yyyy"


def test_shared_xlsx_has_no_links(rollup: Rollup, tmp_path: Path) -> None:
    write_rollup(dataclasses.replace(rollup, share=True), tmp_path)
    ws = load_workbook(tmp_path / "rollup.xlsx")["หน่วยงาน"]
    assert "รายงาน" not in [c.value for c in ws[1]]
    assert not [c for row in ws.iter_rows() for c in row if c.hyperlink]


def test_index_is_self_contained_and_escaped(rollup: Rollup, tmp_path: Path) -> None:
    write_rollup(rollup, tmp_path)
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    doc = lxml.html.fromstring(text)
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"]
    assert not doc.xpath("//*[@src] | //link | //iframe | //object | //embed")
    code = "".join(doc.xpath("//style/text() | //script/text()"))
    assert not re.search(r"url\(|@import|https?:|//", code)
    assert not [v for v in doc.xpath("//@*") if re.search(r"https?:|^//", v)]
    hrefs = doc.xpath("//a/@href")
    assert all(h.startswith(("#", "./")) for h in hrefs)
    assert "./" + quote("02_ทต.บ้านแท่น") + "/report.html" in hrefs
    # the hostile body name is shown as text, not markup
    assert SCRIPT not in text
    assert any(SCRIPT in (a.text_content()) for a in doc.xpath("//td[@class='name']"))
    assert len(doc.xpath("//script")) == 1  # only the page's own sort script
    headings = [h.text_content() for h in doc.xpath("//section[@id='ranking']/h3")]
    assert headings[-1].startswith("ไม่ทราบอำเภอ")
    assert any(h.startswith("อำเภอภูเขียว") for h in headings)
    problems = doc.xpath("//section[@id='problems']//tbody/tr/td[2]/text()")
    assert RULES["LA101"].title_th in problems
    assert "05_ทต.ไม่มีทะเบียน" in doc.xpath("//section[@id='skipped']//td/text()")


def _personal(results: dict[str, ReviewResult]) -> set[str]:
    values: set[str] = set()
    for result in results.values():
        for a in result.accounts:
            values.update(v for v in (a.username, a.full_name, a.national_id) if v)
    return {v for v in values if len(v) >= 4}


def test_share_holds_counts_only(results: dict[str, ReviewResult], rollup: Rollup,
                                 tmp_path: Path) -> None:
    rollup.share = True
    written = write_rollup(rollup, tmp_path)
    assert sorted(p.name for p in written) == ["index.html", "rollup.json", "rollup.xlsx"]
    text = all_text(tmp_path)
    leaks = [v for v in _personal(results) if v in text]
    assert leaks == []
    assert "นายสมชาย ใจดี" not in text  # a skipped folder's file name is not repeated
    doc = json.loads((tmp_path / "rollup.json").read_text(encoding="utf-8"))
    assert doc["share"] is True
    assert all(b["report"] is None for b in doc["bodies"])
    assert doc["skipped"][0]["reason"] == "ไม่พบไฟล์ทะเบียนบุคลากร / no HR roster found"
    assert "report.html" not in text
    # counts and rates survive
    assert sum(b["accounts"] for b in doc["bodies"]) == 73
    assert sum(b["active_accounts"] for b in doc["bodies"]) == 73
    assert all(b["per_100_active"] == b["per_100_accounts"] for b in doc["bodies"])
    assert all(p["severities"] for p in doc["common_problems"])


def test_skip_reason_lists_the_first_problems_and_counts_the_rest() -> None:
    problems = tuple(
        f"row {r} / แถว {r}: username contains a space 'สมชาย ใจดี{r}' / ชื่อผู้ใช้มีช่องว่าง"
        for r in (7, 9, 12, 15, 21)
    )
    skipped = SkippedBody("06_อบต.ชื่อผู้ใช้ผิด", "รายงาน.xlsx แถว 7: ข้อมูลไม่ผ่าน",
                          "รายงาน.xlsx, row 7: 5 problem(s)", problems=problems)
    reason = skipped.reason
    assert reason.startswith("รายงาน.xlsx แถว 7: ข้อมูลไม่ผ่าน / รายงาน.xlsx, row 7: 5 problem(s): ")
    assert all(p in reason for p in problems[:3]) and problems[3] not in reason
    assert reason.endswith("(และอีก 2 รายการ / 2 more)")
    # Shared beyond the province: the problems quote cells, so they are left out.
    shared = Rollup(as_of=None, bodies=[], skipped=[skipped], rules=RULES, share=True,
                    tool_version="0.1.0")
    assert "สมชาย" not in shared.skipped_reason(skipped)
    assert SkippedBody("x", "th", "en").reason == "th / en"


def test_same_name_pairs_need_a_known_district_and_province(
    results: dict[str, ReviewResult],
) -> None:
    # Two provinces both have an อบต.หนองบัว: without อำเภอ and จังหวัด the name alone says
    # nothing about being one body, so such folders are not paired.
    from laas_audit.rollup import split_duplicates

    folder, result = next(iter(results.items()))
    rows = []
    for n, (district, province) in enumerate(
        [("ภูเขียว", "ชัยภูมิ"), ("ภูเขียว", "ชัยภูมิ"), (None, None), (None, None),
         ("ภูเขียว", None)]
    ):
        row = _row(f"{n}_{folder}", result, None)
        row.district, row.province = district, province
        row.export_sha256 = f"{n:064x}"  # different exports
        rows.append(row)
    kept, copies, same = split_duplicates(rows)
    assert len(kept) == 5 and copies == []
    assert same == [[f"0_{folder}", f"1_{folder}"]]


def _with_disabled(result: ReviewResult, n: int) -> ReviewResult:
    """The same review with `n` more accounts the export marks ระงับ (people long gone)."""
    import random

    rng = random.Random(n)
    extra = []
    for i in range(n):
        account = dataclasses.replace(
            result.accounts[i % len(result.accounts)],
            username=f"old{i:02d}.kaset", full_name=f"นายอดีต{i} พนักงานเก่า",
            national_id=thai_id(rng), status="ระงับการใช้งาน",
        )
        extra.append(account)
    return dataclasses.replace(result, accounts=[*result.accounts, *extra])


def test_disabled_accounts_do_not_dilute_the_rate_bodies_are_ranked_by(tmp_path: Path) -> None:
    # Two อบต. of 12 accounts each; บ้านเป้า has one finding more, and also keeps 25 disabled
    # accounts of people who left years ago. No rule looks at a disabled account: per 100 of
    # all accounts บ้านเป้า would look cleaner; per 100 active accounts it is the worse one.
    clean = _result(12, 7, "องค์การบริหารส่วนตำบลโนนสะอาด", "ภูเขียว")
    worse = _result(12, 7, "องค์การบริหารส่วนตำบลบ้านเป้า", "ภูเขียว")
    worse.findings.append(dataclasses.replace(worse.findings[0], id="LA101-extra"))
    worse = _with_disabled(worse, 25)
    rows = [_row("01_อบต.โนนสะอาด", clean, None), _row("02_อบต.บ้านเป้า", worse, None)]
    a, b = rows
    assert (a.accounts, a.active_accounts, b.accounts, b.active_accounts) == (12, 12, 37, 12)
    assert b.per_100_accounts is not None and a.per_100_accounts is not None
    assert b.per_100_accounts < a.per_100_accounts  # the contract's rate keeps its meaning
    assert b.per_100_active == round(100 * b.total / 12, 1) > (a.per_100_active or 0)
    rollup = Rollup(as_of=None, bodies=rows, skipped=[], rules=RULES, tool_version="0.1.0")
    assert [r.folder for r in rollup.ranked()] == ["02_อบต.บ้านเป้า", "01_อบต.โนนสะอาด"]

    write_rollup(rollup, tmp_path)
    doc = json.loads((tmp_path / "rollup.json").read_text(encoding="utf-8"))
    first = doc["bodies"][0]
    assert first["folder"] == "02_อบต.บ้านเป้า"
    assert (first["accounts"], first["active_accounts"]) == (37, 12)
    assert first["per_100_accounts"] == b.per_100_accounts
    assert first["per_100_active"] == b.per_100_active
    totals = doc["totals"]
    assert (totals["accounts"], totals["active_accounts"]) == (49, 24)
    assert totals["per_100_active"] == round(100 * totals["total"] / 24, 1)

    page = lxml.html.fromstring((tmp_path / "index.html").read_text(encoding="utf-8"))
    ranking = page.xpath("//section[@id='ranking']")[0]
    assert "ต่อ 100 บัญชีที่ใช้งานได้" in ranking.xpath("./p")[0].text_content()
    header = [th.text_content() for th in ranking.xpath(".//thead//th")]
    cells = [td.text_content().strip() for td in ranking.xpath(".//tbody/tr[1]/td")]
    row = dict(zip(header, cells, strict=True))
    assert row["อันดับ"] == "1" and "บ้านเป้า" in row["หน่วยงาน"]
    assert (row["บัญชี"], row["ใช้งานได้"]) == ("37", "12")
    assert row["ต่อ 100 บัญชีที่ใช้งานได้"] == f"{b.per_100_active:.1f}"
    assert row["ต่อ 100 บัญชี"] == f"{b.per_100_accounts:.1f}"

    ws = load_workbook(tmp_path / "rollup.xlsx")["หน่วยงาน"]
    head = [c.value for c in ws[1]]
    top = {h: c.value for h, c in zip(head, ws[2], strict=True)}
    assert top["อันดับ"] == 1 and top["โฟลเดอร์"] == "02_อบต.บ้านเป้า"
    assert (top["บัญชีผู้ใช้"], top["บัญชีที่ใช้งานได้"]) == (37, 12)
    assert top["ต่อ 100 บัญชีที่ใช้งานได้ (ใช้จัดอันดับ)"] == b.per_100_active
    assert top["ต่อ 100 บัญชี"] == b.per_100_accounts


def test_common_problems_show_the_severities_found(tmp_path: Path) -> None:
    # A rule's findings are not always rated as its catalogue says: procurement with cash
    # (LA302) can be high, and a finance head's Hotmail address medium. The province's
    # common problems count each severity found, and add up to the severity totals.
    result = _result(30, 1, "องค์การบริหารส่วนตำบลหนองบัวทอง", "ภูเขียว")
    password = [f for f in result.findings if f.rule == "LA401"]
    assert len(password) >= 3 and all(f.severity == "low" for f in password)
    password[0].severity = "high"
    password[1].severity = "medium"
    other = _result(12, 2, "เทศบาลตำบลบ้านแท่น", "บ้านแท่น")
    rows = [_row("01_อบต.หนองบัวทอง", result, None), _row("02_ทต.บ้านแท่น", other, None)]
    rollup = Rollup(as_of=None, bodies=rows, skipped=[], rules=RULES, tool_version="0.1.0")
    la401 = next(p for p in rollup.common_problems() if p.code == "LA401")
    low = la401.findings - 2
    assert la401.severities == {"high": 1, "medium": 1, "low": low}
    assert la401.found_severities == [("high", 1), ("medium", 1), ("low", low)]

    write_rollup(rollup, tmp_path)
    doc = json.loads((tmp_path / "rollup.json").read_text(encoding="utf-8"))
    problems = {p["rule"]: p for p in doc["common_problems"]}
    assert problems["LA401"]["severities"] == {"high": 1, "medium": 1, "low": low}
    for severity, total in doc["totals"]["severity"].items():
        assert sum(p["severities"][severity] for p in problems.values()) == total
    assert all(sum(p["severities"].values()) == p["findings"] for p in problems.values())

    page = lxml.html.fromstring((tmp_path / "index.html").read_text(encoding="utf-8"))
    shown = {tr.xpath("./td[1]")[0].text_content(): tr.xpath("./td[4]")[0]
             for tr in page.xpath("//section[@id='problems']//tbody/tr")}
    assert shown["LA401"].text_content() == f"สูง 1, กลาง 1, ต่ำ {low}"
    assert shown["LA401"].get("class") == "sev-high"  # the worst found, not the catalogue's

    ws = load_workbook(tmp_path / "rollup.xlsx")["ปัญหาที่พบบ่อย"]
    head = [c.value for c in ws[1]]
    sheet = {r[0].value: {h: c.value for h, c in zip(head, r, strict=True)}
             for r in ws.iter_rows(min_row=2)}
    counts = [sheet["LA401"][f"ความรุนแรง{th}"] for th in ("สูง", "กลาง", "ต่ำ")]
    assert counts == [1, 1, low]
    assert "ความรุนแรง" not in head  # no column showing the catalogue's severity as found


def _documented_keys(text: str, heading: str) -> set[str]:
    """The keys a docs/rollup-json.md table lists under `heading` (`a`, `b` rows count both)."""
    section = text.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0]
    keys: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            keys.update(re.findall(r"`([a-z_0-9]+)`", line.split("|")[1]))
    return keys


def test_rollup_json_doc_lists_every_key(rollup: Rollup) -> None:
    from laas_audit.rollup import EarlierOutput

    rollup.earlier = [EarlierOutput("06_อบต.เก่า", "2026-04-01", "not_in_input")]
    rollup.bodies[0].unused = [("หนังสือนำส่ง.pdf", "ไม่ใช่ตาราง / not a table")]
    doc = rollup.to_dict()
    text = (Path(__file__).resolve().parent.parent / "docs" / "rollup-json.md").read_text(
        encoding="utf-8"
    )
    assert _documented_keys(text, "## Top level") == set(doc)
    assert _documented_keys(text, "### `bodies[]`") == set(doc["bodies"][0])
    assert _documented_keys(text, "### `totals`") == set(doc["totals"])
    assert _documented_keys(text, "### `common_problems[]`") == set(doc["common_problems"][0])
    assert f'`"{SCHEMA}"`' in text
