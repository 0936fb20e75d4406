"""The shipped sample bodies and the generator behind them (scripts/synth.py, make_samples.py).

Checks that the committed files are what the script makes (determinism), that what
expected.yaml plants is really in the files, and that the generator puts in exactly the
problems it declares: clean accounts must be clean, or accuracy figures built on them lie.
"""

from __future__ import annotations

import csv
import html
import io
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from stdnum.th import pin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import make_samples  # noqa: E402
import synth  # noqa: E402

SAMPLES = ROOT / "sample_exports"
BY_FOLDER = {s.folder: s for s in make_samples.SAMPLES}
LEAVER_STATUSES = {"ย้าย", "โอน", "ลาออก", "เกษียณอายุราชการ"}
ASCII_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All samples written again into a temp folder (no LibreOffice conversion)."""
    out = tmp_path_factory.mktemp("samples")
    for sample in make_samples.SAMPLES:
        make_samples.write_sample(sample, out, convert_xls=False)
    return out


@pytest.fixture(scope="module")
def bodies() -> dict[str, synth.Body]:
    return {s.folder: make_samples.build(s) for s in make_samples.SAMPLES}


def expected(folder: str) -> dict[str, Any]:
    return yaml.safe_load((SAMPLES / folder / "expected.yaml").read_text(encoding="utf-8"))


def cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def export_cells(path: Path, shape: str) -> list[list[str]]:
    """Every cell of an export file as text, whatever its format."""
    data = path.read_bytes()
    if shape == "csv-cp874":
        return [row for row in csv.reader(io.StringIO(data.decode("cp874")))]
    if shape == "html-xls":
        text = data.decode("utf-8")
        return [[html.unescape(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr)]
                for tr in re.findall(r"<tr>(.*?)</tr>", text)]
    if path.suffix == ".csv":
        return [row for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))]
    wb = CalamineWorkbook.from_path(str(path))
    return [[cell_text(v) for v in row]
            for name in wb.sheet_names for row in wb.get_sheet_by_name(name).to_python()]


def xlsx_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(path, read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


# -- determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", sorted(BY_FOLDER))
def test_committed_sample_is_what_the_script_makes(folder: str, regenerated: Path) -> None:
    committed = sorted(p.name for p in (SAMPLES / folder).iterdir())
    assert "expected.yaml" in committed
    for name in committed:
        fresh, old = regenerated / folder / name, SAMPLES / folder / name
        if BY_FOLDER[folder].shape == "xls-legacy" and name.startswith("export"):
            continue  # LibreOffice output: compared cell by cell in the next test
        if name.endswith(".xlsx"):
            assert xlsx_values(fresh) == xlsx_values(old), f"{folder}/{name} cells differ"
        else:
            assert fresh.read_bytes() == old.read_bytes(), f"{folder}/{name} differs"


def test_legacy_xls_is_binary_biff_with_the_bodys_cells(tmp_path: Path,
                                                        bodies: dict[str, synth.Body]) -> None:
    (sample,) = [s for s in make_samples.SAMPLES if s.shape == "xls-legacy"]
    xls = SAMPLES / sample.folder / "export.xls"
    assert xls.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # OLE2, not HTML
    src = tmp_path / "legacy.xlsx"
    synth.save_stable(synth.legacy_workbook(bodies[sample.folder]), src,
                      bodies[sample.folder].printed)
    want = CalamineWorkbook.from_path(str(src)).get_sheet_by_index(0).to_python()
    got = CalamineWorkbook.from_path(str(xls)).get_sheet_by_index(0).to_python()
    assert [[cell_text(v) for v in r] for r in got] == [[cell_text(v) for v in r] for r in want]


def test_same_seed_same_body_and_other_seed_differs() -> None:
    a = synth.manifest(synth.make_body(11, 20, "html-xls"), "e", "r")
    b = synth.manifest(synth.make_body(11, 20, "html-xls"), "e", "r")
    c = synth.manifest(synth.make_body(12, 20, "html-xls"), "e", "r")
    assert a == b
    assert a["accounts"] != c["accounts"]


def test_html_and_csv_writers_are_byte_stable(tmp_path: Path) -> None:
    for shape, fmt in (("html-xls", "csv-utf8-bom"), ("csv-cp874", "csv-utf8-bom")):
        paths = []
        for run in ("a", "b"):
            body = synth.make_body(5, 15, shape, roster_fmt=fmt)
            paths.append(synth.write_body(body, tmp_path / run / shape))
        assert paths[0][0].read_bytes() == paths[1][0].read_bytes()
        assert paths[0][1].read_bytes() == paths[1][1].read_bytes()


# -- expected.yaml against the files ----------------------------------------------------------


@pytest.mark.parametrize("folder", sorted(BY_FOLDER))
def test_every_planted_and_control_account_is_in_the_export(folder: str) -> None:
    exp = expected(folder)
    cells = {c.strip() for row in export_cells(SAMPLES / folder / exp["export"]["file"],
                                               exp["export"]["shape"]) for c in row}
    listed = {a["username"] for a in exp["accounts"]}
    assert len(listed) == exp["export"]["accounts"]
    assert listed <= cells
    for item in exp["planted"] + exp["controls"]:
        assert item["username"] in listed, item
        for other in item.get("related", []):
            assert other in listed
    if exp["scored"]:
        assert exp["planted"], "a scored sample must plant something"
        assert {p["category"] for p in exp["planted"]} <= set(synth.PLANT_CATEGORY.values())


@pytest.mark.parametrize("folder", sorted(BY_FOLDER))
def test_controls_are_never_planted(folder: str) -> None:
    exp = expected(folder)
    planted = {p["username"] for p in exp["planted"]}
    planted |= {r for p in exp["planted"] for r in p.get("related", [])}
    assert planted.isdisjoint(c["username"] for c in exp["controls"])


def test_samples_cover_every_kind_and_shape() -> None:
    exps = [expected(f) for f in BY_FOLDER if f != "hostile"]
    assert {p["kind"] for e in exps for p in e["planted"]} == set(synth.PLANT_KINDS)
    assert {c["kind"] for e in exps for c in e["controls"]} == set(
        synth.CONTROL_KINDS + synth.VARIANT_KINDS)
    assert {e["export"]["shape"] for e in exps} == set(synth.EXPORT_SHAPES)
    assert {e["roster"]["format"] for e in exps} == set(synth.ROSTER_FORMATS)
    assert all(10 <= e["export"]["accounts"] <= 60 for e in exps)


def test_cp874_export_is_really_windows_874() -> None:
    (sample,) = [s for s in make_samples.SAMPLES if s.shape == "csv-cp874"]
    data = (SAMPLES / sample.folder / "export.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp874")
    assert synth.REPORT_NAME in text
    assert "ชื่อผู้ใช้งาน" in text and "ชื่อ - นามสกุล" in text


def test_utf8_bom_roster_and_html_export_encodings() -> None:
    for s in make_samples.SAMPLES:
        if s.roster_fmt == "csv-utf8-bom":
            assert (SAMPLES / s.folder / "roster.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        if s.shape == "html-xls":
            raw = (SAMPLES / s.folder / "export.xls").read_bytes()
            assert raw.lstrip().startswith(b"<html") and b"User Group" in raw


def test_hostile_values_survive_into_both_files() -> None:
    exp = expected("hostile")
    assert exp["scored"] is False
    export = export_cells(SAMPLES / "hostile" / exp["export"]["file"], exp["export"]["shape"])
    roster = export_cells(SAMPLES / "hostile" / exp["roster"]["file"], "roster")
    export_text = {c for row in export for c in row}
    all_text = export_text | {c for row in roster for c in row}
    for value in synth.HOSTILE_VALUES:
        assert any(value in c for c in all_text), value
    # a formula-looking value is stored as text, not as a formula
    assert any(c.startswith("=HYPERLINK(") for c in all_text)
    wb = load_workbook(SAMPLES / "hostile" / exp["export"]["file"])
    assert not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows()
                   for c in row)


# -- the generator's promises -----------------------------------------------------------------


def _valid_id(text: str | None) -> bool:
    return text is not None and pin.is_valid(text.translate(ASCII_DIGITS))


GENERATED = [
    (seed, shape, fmt, n)
    for seed, (shape, fmt, n) in enumerate([
        ("xlsx-sections", "xlsx", 30), ("html-xls", "csv-utf8-bom", 12),
        ("csv-cp874", "xlsx-handmade", 45), ("xlsx-column", "xlsx", 60),
        ("xls-legacy", "csv-utf8-bom", 8), ("html-xls", "xlsx", 25),
    ], start=40)
]


@pytest.mark.parametrize(("seed", "shape", "fmt", "n"), GENERATED)
def test_generated_body_keeps_its_promises(seed: int, shape: str, fmt: str, n: int) -> None:
    body = synth.make_body(seed, n, shape, roster_fmt=fmt)
    as_of = body.as_of
    assert len(body.accounts) == n
    usernames = [a.username for a in body.accounts]
    assert len(set(usernames)) == len(usernames)
    people = {p.pid: p for p in body.roster}
    for p in body.roster:
        assert _valid_id(p.national_id) or fmt == "xlsx-handmade", p
    for a in body.accounts:
        assert a.national_id is None or _valid_id(a.national_id)
    planted: dict[str, set[str]] = {}
    for pl in body.planted:
        planted.setdefault(pl.username, set()).add(pl.kind)
        for r in pl.related:
            planted.setdefault(r, set()).add(pl.kind)
    assert set(planted) <= set(usernames)
    # two accounts for one person only where a duplicate is planted
    by_pid: dict[int, list[str]] = {}
    for a in body.accounts:
        if a.pid is not None:
            by_pid.setdefault(a.pid, []).append(a.username)
    for names in by_pid.values():
        if len(names) > 1:
            assert all("duplicate_account" in planted.get(u, set()) for u in names)
    ok = {c.username: c.kind for c in body.controls}
    head_groups = {body.group_names["head"], body.group_names["admin"]}
    for a in body.accounts:
        kinds = planted.get(a.username, set())
        person = people.get(a.pid) if a.pid is not None else None
        if "leaver_active" in kinds:
            assert person is not None and person.status in LEAVER_STATUSES
            assert person.status_date is not None and person.status_date <= as_of
        if "dormant" in kinds:
            assert a.last_login is not None and (as_of - a.last_login.date()).days > 180
        if "never_used" in kinds:
            assert a.last_login is None and (as_of - a.created.date()).days > 30
        if "password_old" in kinds:
            assert a.password_changed is not None
            assert (as_of - a.password_changed.date()).days > 180
        if "orphan" in kinds or "generic_account" in kinds:
            assert a.pid is None
        if "head_email" in kinds:
            assert a.email is None or a.email.endswith("@hotmail.com")
        if kinds:
            continue
        # A clean account: recent login, fresh password, a roster person still serving.
        if a.last_login is None:
            assert ok.get(a.username) == "new_account_unused"
            assert (as_of - a.created.date()).days <= 30
        else:
            assert (as_of - a.last_login.date()).days <= 180
        assert a.password_changed is not None
        assert (as_of - a.password_changed.date()).days <= 180
        if person is None:
            assert a.role in ("mayor", "deputy_mayor")
            assert a.groups == [body.group_names["exec"]]
            continue
        assert person.status in ("ปกติ", "ปฏิบัติราชการ") or (
            person.status_date is not None and person.status_date > as_of)
        if head_groups & set(a.groups):
            assert person.position.startswith(("ผู้อำนวยการกองคลัง", "ผอ.กองคลัง")) or (
                "รักษาราชการแทนผู้อำนวยการกองคลัง" in person.note)
            assert a.email is not None and not a.email.endswith("@hotmail.com")
        assert person.employment != "จ้างเหมาบริการ"


def test_name_variants_are_really_in_the_data() -> None:
    body = synth.make_body(77, 40, "html-xls", roster_fmt="xlsx",
                           controls=synth.VARIANT_KINDS)
    people = {p.pid: p for p in body.roster}
    accounts = {a.username: a for a in body.accounts}
    seen = set()
    for c in body.controls:
        a = accounts[c.username]
        p = people[a.pid or -1]
        seen.add(c.kind)
        if c.kind == "prefix_abbrev":
            assert p.prefix == "นางสาว" and a.prefix in ("น.ส.", "นส.")
        elif c.kind == "sara_am":
            assert "\u0e4d\u0e32" in a.full_name and "\u0e33" in p.full_name
            assert synth.normalise(a.full_name) == synth.normalise(p.full_name)
        elif c.kind == "nbsp":
            assert "\u00a0" in a.full_name and "\u00a0" not in p.full_name
        elif c.kind == "thai_digits":
            assert p.national_id and p.national_id[0] in "๐๑๒๓๔๕๖๗๘"
            assert a.username == p.national_id.translate(ASCII_DIGITS)  # ThaiD login
        elif c.kind == "marriage":
            assert (p.prefix, a.prefix) == ("นาง", "นางสาว") and p.last != a.last
            assert a.username == p.national_id  # no ID column in html-xls: the ThaiD login
        elif c.kind == "typo":
            assert len(a.last) == len(p.last)
            assert sum(x != y for x, y in zip(a.last, p.last, strict=True)) == 1
        elif c.kind == "rank_prefix":
            assert (p.prefix, a.prefix) == ("ว่าที่ร้อยตรี", "ว่าที่ ร.ต.")
    assert seen == set(synth.VARIANT_KINDS)


def test_acting_head_and_future_retiree_controls() -> None:
    as_of = date(2026, 4, 1)
    body = synth.make_body(9, 20, "xlsx-column", as_of,
                           plants=["leaver_active"], controls=["acting_head", "retiree_future"])
    people = {p.pid: p for p in body.roster}
    kinds = {c.kind: c.username for c in body.controls}
    acting = next(a for a in body.accounts if a.username == kinds["acting_head"])
    note = people[acting.pid or -1].note
    assert re.fullmatch(r"รักษาราชการแทนผู้อำนวยการกองคลัง คำสั่งที่ \d+/2569", note)
    assert not any(p.position == "ผู้อำนวยการกองคลัง" for p in body.roster)
    retiree = next(a for a in body.accounts if a.username == kinds["retiree_future"])
    assert people[retiree.pid or -1].status_date == date(2026, 9, 30)


def test_xlsx_column_shape_details(tmp_path: Path) -> None:
    body = synth.make_body(3, 20, "xlsx-column")
    path = synth.write_export(body, tmp_path / "e.xlsx")
    ws = load_workbook(path).worksheets[0]
    header_row = next(r for r in ws.iter_rows() if r[1].value == "ที่")
    assert header_row[0].value is None  # data starts at column B
    labels = [c.value for c in header_row]
    data = [r for r in ws.iter_rows(min_row=header_row[0].row + 1) if r[1].value is not None]
    ids = [r[labels.index("เลขประจำตัวประชาชน")].value for r in data]
    assert ids and all(isinstance(v, int | float) and pin.is_valid(str(int(v)))
                       for v in ids if v is not None)  # a number cell, as Excel stores it
    raw = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert any(isinstance(v, float) and v > 1e12 for row in raw for v in row)  # read as float
    pw_years = {r[labels.index("วันที่เปลี่ยนรหัสผ่าน")].value.year for r in data}
    assert all(y > 2400 for y in pw_years)  # true dates typed with Buddhist Era years
    assert len(data) == sum(len(a.groups) for a in body.accounts)


def test_sections_shape_repeats_headers_and_footers(tmp_path: Path) -> None:
    body = synth.make_body(4, 45, "xlsx-sections")
    path = synth.write_export(body, tmp_path / "e.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "สรุป"
    rows = [[c for c in r] for r in wb["รายละเอียด"].iter_rows(values_only=True)]
    headers = [r for r in rows if r[0] == "ลำดับ"]
    pages = [r for r in rows if isinstance(r[0], str) and r[0].startswith("หน้า ")]
    assert len(headers) == len(pages) >= 2
    sections = [r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("กลุ่มผู้ใช้งาน : ")]
    assert len(sections) == len(body.group_order())
    assert any(isinstance(r[0], str) and r[0].startswith("รวม ") for r in rows)
    assert wb["รายละเอียด"].merged_cells.ranges


def test_never_late_creation_and_dates_in_order() -> None:
    for seed in range(20, 30):
        body = synth.make_body(seed, 25, "xlsx-sections")
        for a in body.accounts:
            assert a.created.date() <= body.as_of
            if a.last_login is not None:
                assert a.created <= a.last_login <= a.created + timedelta(days=4000)
            if a.password_changed is not None:
                assert a.created <= a.password_changed


def test_unknown_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown export shape"):
        synth.make_body(1, 10, "pdf")
    body = synth.make_body(1, 10)
    with pytest.raises(ValueError, match="unknown roster format"):
        synth.write_roster(body, "x.txt", "txt")
