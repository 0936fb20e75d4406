"""`batch`: many body folders, files under any names, skipped folders, rollup, --share, CLI."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import lxml.html
import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from laas_audit import batch as batch_mod
from laas_audit.batch import BatchResult, _chunks, classify, run_batch
from laas_audit.errors import InputError
from laas_audit.policy import load_policy
from laas_audit.review import ReviewOptions, run_review
from laas_audit.rollup import SCHEMA
from tests.outputs import all_text
from tests.readers_fixtures import (
    export_sheet_per_group,
    roster_sheet_per_unit,
    sample_accounts,
    sample_staff,
    write_sheets,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import synth

AS_OF = date(2026, 10, 1)
HOSTILE_PLACE = "หนองบัว<script>alert(7)</script>"

# folder -> (make_body kwargs, export file name, roster file name)
GOOD: dict[str, tuple[dict[str, Any], str, str]] = {
    "01_อบต.หนองบัวทอง": (
        {"seed": 11, "n_accounts": 14, "shape": "xlsx-sections", "roster_fmt": "csv-utf8-bom",
         "district": "ภูเขียว", "province": "ชัยภูมิ"},
        "ข้อมูล.xlsx", "รายชื่อ พนักงาน.csv",
    ),
    "02_ทต.บ้านแท่น": (
        {"seed": 12, "n_accounts": 9, "shape": "csv-cp874", "roster_fmt": "xlsx-handmade",
         "kind": "tt", "district": "บ้านแท่น", "province": "ชัยภูมิ"},
        "รายงาน 2569.csv", "บุคลากร (ฉบับแก้ไข).xlsx",
    ),
    "03_อบต.โคกสูง": (
        {"seed": 13, "n_accounts": 20, "shape": "html-xls", "roster_fmt": "xlsx",
         "district": "ภูเขียว", "province": "ชัยภูมิ"},
        "export (1).xls", "สำเนา LHR.xlsx",
    ),
    "04_hostile": (
        {"seed": 14, "n_accounts": 8, "shape": "xlsx-column", "roster_fmt": "xlsx",
         "name": HOSTILE_PLACE, "hostile": True, "province": "ชัยภูมิ"},
        "a.xlsx", "b.xlsx",
    ),
}


def _write_good(root: Path) -> dict[str, synth.Body]:
    bodies = {}
    for folder, (kwargs, export_name, roster_name) in GOOD.items():
        kw = dict(kwargs)
        body = synth.make_body(kw.pop("seed"), kw.pop("n_accounts"), kw.pop("shape"), **kw)
        (root / folder).mkdir(parents=True)
        synth.write_export(body, root / folder / export_name)
        synth.write_roster(body, root / folder / roster_name)
        bodies[folder] = body
    # Office leftovers never count as a second candidate.
    (root / "01_อบต.หนองบัวทอง" / "~$ข้อมูล.xlsx").write_bytes(b"\x00lock")
    # Other files beside a body's export and roster: not used, and listed as such.
    extra = root / "02_ทต.บ้านแท่น"
    (extra / "หนังสือนำส่ง นายสมชาย ใจดี.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    cover = openpyxl.Workbook()
    cover.active.append(["บันทึกข้อความ"])
    cover.active.append(["เรื่อง ส่งรายงานผู้ใช้งานระบบ New e-LAAS"])
    cover.save(extra / "ปกหนังสือ.xlsx")
    return bodies


def _write_bad(root: Path) -> None:
    body = synth.make_body(21, 8, "xlsx-column", roster_fmt="csv-utf8-bom")
    only_roster = root / "05_ทต.มีแต่ทะเบียน"
    only_roster.mkdir()
    synth.write_roster(body, only_roster / "บุคลากร.csv")
    (only_roster / "รอบ 2569").mkdir()  # files are looked for at the top only: say so
    synth.write_export(body, only_roster / "รอบ 2569" / "รายงาน.xlsx")
    two = root / "06_อบต.สองไฟล์"
    two.mkdir()
    synth.write_export(body, two / "รายงานผู้ใช้.xlsx")
    synth.write_export(body, two / "รายงานผู้ใช้ (สำเนา).xlsx")
    synth.write_roster(body, two / "บุคลากร.csv")
    pdf = root / "07_อบต.ส่งพีดีเอฟ"
    pdf.mkdir()
    (pdf / "รายงานผู้ใช้งาน.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    synth.write_roster(body, pdf / "บุคลากร.csv")
    (root / ".hidden").mkdir()  # not a body


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, synth.Body]]:
    root = tmp_path_factory.mktemp("province")
    bodies = _write_good(root)
    _write_bad(root)
    return root, bodies


@pytest.fixture(scope="module")
def batch_run(
    province: tuple[Path, dict[str, synth.Body]], tmp_path_factory: pytest.TempPathFactory
) -> BatchResult:
    root, _ = province
    out = tmp_path_factory.mktemp("out")
    return run_batch(root, out, as_of=AS_OF, policy=None, mapping=None, jobs=2,
                     worksheets=False, share=False, progress=False)


def test_good_bodies_reviewed_bad_ones_skipped(batch_run: BatchResult) -> None:
    assert [b.folder for b in batch_run.bodies] == list(GOOD)
    reasons = {s.folder: s for s in batch_run.skipped}
    assert set(reasons) == {"05_ทต.มีแต่ทะเบียน", "06_อบต.สองไฟล์", "07_อบต.ส่งพีดีเอฟ"}
    assert reasons["05_ทต.มีแต่ทะเบียน"].kind == "no-export"
    assert "ไม่พบไฟล์รายงานผู้ใช้งาน" in reasons["05_ทต.มีแต่ทะเบียน"].reason_th
    assert "บุคลากร.csv" in reasons["05_ทต.มีแต่ทะเบียน"].reason_en
    assert "รอบ 2569/" in reasons["05_ทต.มีแต่ทะเบียน"].reason_en
    two = reasons["06_อบต.สองไฟล์"]
    assert two.kind == "two-exports"
    assert "รายงานผู้ใช้.xlsx" in two.reason_th and "รายงานผู้ใช้ (สำเนา).xlsx" in two.reason_th
    assert "more than one export" in two.reason_en
    pdf = reasons["07_อบต.ส่งพีดีเอฟ"]
    assert pdf.kind == "no-export"
    assert "รายงานผู้ใช้งาน.pdf" in pdf.reason_th and "รายงานผู้ใช้งาน.pdf" in pdf.reason_en
    summary = batch_run.summary()
    assert "ตรวจแล้ว 4 หน่วยงาน" in summary and "skipped 3 folders" in summary
    assert "06_อบต.สองไฟล์" in summary


def test_same_findings_as_single_reviews(
    batch_run: BatchResult, province: tuple[Path, dict[str, synth.Body]]
) -> None:
    root, _ = province
    policy = load_policy()
    for folder, (_, export_name, roster_name) in GOOD.items():
        single = run_review(root / folder / export_name, root / folder / roster_name,
                            ReviewOptions(as_of=AS_OF), policy)
        written = json.loads((batch_run.out_dir / folder / "findings.json").read_text("utf-8"))
        assert sorted(f["id"] for f in written["findings"]) == sorted(
            f.id for f in single.result.findings
        ), folder
        assert written["findings"], folder  # synth plants problems in every body
        assert (batch_run.out_dir / folder / "report.html").is_file()
        assert not (batch_run.out_dir / folder / "findings.xlsx").exists()  # no --worksheets
    assert not (batch_run.out_dir / "05_ทต.มีแต่ทะเบียน").exists()


def test_rollup_json_schema_and_accounts(
    batch_run: BatchResult, province: tuple[Path, dict[str, synth.Body]]
) -> None:
    _, bodies = province
    doc = json.loads((batch_run.out_dir / "rollup.json").read_text("utf-8"))
    assert doc["schema"] == SCHEMA
    assert doc["as_of"] == "2026-10-01"
    by_folder = {b["folder"]: b for b in doc["bodies"]}
    assert set(by_folder) == set(GOOD)
    for folder, body in bodies.items():
        row = by_folder[folder]
        assert row["accounts"] == len(body.accounts), folder
        assert set(row["findings"]) == {"stale", "mismatch", "privilege", "hygiene"}
        assert row["report"] == f"{folder}/report.html"
        assert (batch_run.out_dir / row["report"]).is_file()
        total = sum(row["findings"].values())
        assert row["per_100_accounts"] == round(100 * total / len(body.accounts), 1)
    assert by_folder["01_อบต.หนองบัวทอง"]["name"] == bodies["01_อบต.หนองบัวทอง"].full_name
    assert by_folder["01_อบต.หนองบัวทอง"]["district"] == "ภูเขียว"
    assert {s["folder"] for s in doc["skipped"]} == {
        "05_ทต.มีแต่ทะเบียน", "06_อบต.สองไฟล์", "07_อบต.ส่งพีดีเอฟ"}


def test_index_links_and_escapes(batch_run: BatchResult) -> None:
    text = (batch_run.out_dir / "index.html").read_text("utf-8")
    hostile = next(b for b in batch_run.bodies if b.folder == "04_hostile")
    assert hostile.name and "<script>" in hostile.name  # the title block's name, as read
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert" in text
    doc = lxml.html.fromstring(text)
    assert not doc.xpath("//*[@src] | //link | //iframe | //object")
    hrefs = [h for h in doc.xpath("//a/@href") if not h.startswith("#")]
    assert len(hrefs) == len(GOOD)
    assert all(h.startswith("./") and h.endswith("/report.html") for h in hrefs)
    assert any("อำเภอภูเขียว" in h.text_content() for h in doc.xpath("//h3"))


def _personal(bodies: dict[str, synth.Body]) -> set[str]:
    values: set[str] = set()
    for body in bodies.values():
        for a in body.accounts:
            values.update([a.username, a.full_name, f"{a.first} {a.last}", a.last])
            if a.national_id:
                values.add(a.national_id)
        for p in body.roster:
            values.update([p.full_name, f"{p.first} {p.last}"])
            if p.national_id:
                values.add(p.national_id)
                values.add(p.national_id.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))
    return {synth.normalise(v) for v in values if len(v) >= 4}


def test_share_leaks_nothing_personal(
    province: tuple[Path, dict[str, synth.Body]], tmp_path: Path
) -> None:
    root, bodies = province
    result = run_batch(root, tmp_path, as_of=AS_OF, policy=None, mapping=None, jobs=1,
                       worksheets=True, share=True, progress=False)
    assert len(result.bodies) == len(GOOD)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert files == ["index.html", "rollup.json", "rollup.xlsx"]  # no per-body reports
    text = synth.normalise(all_text(tmp_path))
    personal = _personal(bodies)
    assert len(personal) > 100
    assert [v for v in personal if v in text] == []
    assert "บุคลากร.csv" not in text and ".pdf" not in text  # skipped reasons name no file
    doc = json.loads((tmp_path / "rollup.json").read_text("utf-8"))
    assert {b["folder"]: b["accounts"] for b in doc["bodies"]} == {
        f: len(b.accounts) for f, b in bodies.items()}
    assert all(b["report"] is None for b in doc["bodies"])


def test_share_refuses_a_folder_holding_body_reports(
    batch_run: BatchResult, province: tuple[Path, dict[str, synth.Body]]
) -> None:
    root, _ = province
    with pytest.raises(InputError) as refused:
        run_batch(root, batch_run.out_dir, as_of=AS_OF, jobs=1, share=True, progress=False)
    assert "01_อบต.หนองบัวทอง" in refused.value.message()
    assert "--share" in refused.value.en


def test_a_failing_body_leaves_no_partial_output(
    province: tuple[Path, dict[str, synth.Body]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, _ = province
    import laas_audit.manifest as manifest

    # The manifest is the last file written into the stage: the others are there already.
    def broken(final_dir: Path, *args: Any, **kwargs: Any) -> bytes:
        if final_dir.name == "02_ทต.บ้านแท่น":
            assert {p.name for p in next(tmp_path.glob(".laas-audit-tmp-*")).iterdir()} >= {
                "findings.json", "report.html"}
            raise RuntimeError("disk full")
        return real(final_dir, *args, **kwargs)

    real = manifest.manifest_bytes
    monkeypatch.setattr(manifest, "manifest_bytes", broken)
    result = run_batch(root, tmp_path, as_of=AS_OF, policy=None, mapping=None, jobs=1,
                       worksheets=False, share=False, progress=False)
    failed = {s.folder: s for s in result.skipped}["02_ทต.บ้านแท่น"]
    assert failed.kind == "error" and "disk full" in failed.reason_en
    assert not (tmp_path / "02_ทต.บ้านแท่น").exists()
    assert not list(tmp_path.glob(".laas-audit-tmp-*"))
    assert (tmp_path / "01_อบต.หนองบัวทอง" / "findings.json").is_file()
    with pytest.raises(RuntimeError):
        run_batch(root, tmp_path / "debug", as_of=AS_OF, jobs=1, progress=False, debug=True)


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    bar = batch_mod._progress(5, enabled=True)
    bar.update(5)
    bar.close()
    assert quiet.getvalue() == ""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Terminal()
    monkeypatch.setattr(sys, "stderr", tty)
    bar = batch_mod._progress(5, enabled=True)
    bar.update(5)
    bar.close()
    assert "5/5" in tty.getvalue()
    tty2 = Terminal()
    monkeypatch.setattr(sys, "stderr", tty2)
    batch_mod._progress(5, enabled=False).close()
    assert tty2.getvalue() == ""


def test_batch_run_writes_nothing_to_a_non_terminal_stderr(
    province: tuple[Path, dict[str, synth.Body]], tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    root, _ = province
    sub = tmp_path / "in"
    sub.mkdir()
    shutil.copytree(root / "02_ทต.บ้านแท่น", sub / "02_ทต.บ้านแท่น")
    run_batch(sub, tmp_path / "out", as_of=AS_OF, jobs=1, progress=True)
    assert capfd.readouterr().err == ""


def test_output_inside_input_is_not_a_body(
    province: tuple[Path, dict[str, synth.Body]], tmp_path: Path
) -> None:
    root, _ = province
    shutil.copytree(root / "02_ทต.บ้านแท่น", tmp_path / "02_ทต.บ้านแท่น")
    (tmp_path / "ผลการตรวจ").mkdir()
    (tmp_path / "ผลการตรวจ" / "rollup.json").write_text("{}")
    folders = batch_mod.body_folders(tmp_path, tmp_path / "ผลการตรวจ")
    assert [f.name for f in folders] == ["02_ทต.บ้านแท่น"]


def test_unusable_input_dir_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        run_batch(tmp_path / "ไม่มี", tmp_path / "out", progress=False)
    assert "ไม่พบโฟลเดอร์ข้อมูล" in missing.value.message()
    assert "does not exist" in missing.value.message()
    flat = tmp_path / "อบต.เดียว"
    flat.mkdir()
    (flat / "export.xlsx").write_bytes(b"x")
    with pytest.raises(InputError) as no_bodies:
        run_batch(flat, tmp_path / "out", progress=False)
    assert "no body subfolders" in no_bodies.value.message()
    assert not (tmp_path / "out").exists()
    a_file = tmp_path / "ข้อมูล.xlsx"
    a_file.write_bytes(b"x")
    with pytest.raises(InputError) as not_dir:
        run_batch(a_file, tmp_path / "out", progress=False)
    assert "ข้อมูล.xlsx" in not_dir.value.message()
    assert "laas-audit review" in not_dir.value.message()


def _group() -> Any:
    from laas_audit.cli import AuditGroup
    from laas_audit.cli_batch import batch

    return AuditGroup(commands={"batch": batch})


def test_cli_exit_codes_and_summary(
    province: tuple[Path, dict[str, synth.Body]], tmp_path: Path
) -> None:
    runner = CliRunner()
    bad = runner.invoke(_group(), ["batch", str(tmp_path / "ไม่มี"), "--out", str(tmp_path / "o")])
    assert bad.exit_code == 2
    assert "ไม่พบโฟลเดอร์ข้อมูล" in bad.output and "does not exist" in bad.output
    root, _ = province
    sub = tmp_path / "in"
    sub.mkdir()
    for folder in ("03_อบต.โคกสูง", "05_ทต.มีแต่ทะเบียน"):
        shutil.copytree(root / folder, sub / folder)
    out = tmp_path / "out"
    ok = runner.invoke(_group(), ["batch", str(sub), "--out", str(out), "--as-of", "2569-10-01",
                                  "--jobs", "1", "--worksheets"])
    assert ok.exit_code == 0, ok.output
    assert "ตรวจแล้ว 1 หน่วยงาน" in ok.output and "skipped 1 folders" in ok.output
    assert "05_ทต.มีแต่ทะเบียน" in ok.output
    assert (out / "03_อบต.โคกสูง" / "findings.xlsx").is_file()
    assert json.loads((out / "rollup.json").read_text("utf-8"))["as_of"] == "2026-10-01"
    bad_date = runner.invoke(_group(), ["batch", str(sub), "--as-of", "31/02/2569"])
    assert bad_date.exit_code == 2
    # Nothing reviewable at all: the rollup still lists why, but the run is not a success.
    shutil.rmtree(sub / "03_อบต.โคกสูง")
    none = runner.invoke(_group(), ["batch", str(sub), "--out", str(tmp_path / "none")])
    assert none.exit_code == 2
    assert "ไม่มีหน่วยงานใดที่ตรวจได้" in none.stderr and "no body could be reviewed" in none.stderr
    assert "05_ทต.มีแต่ทะเบียน" in (tmp_path / "none" / "index.html").read_text("utf-8")


def test_chunk_validation_gives_each_body_the_reason_a_single_read_gives(
    tmp_path: Path,
) -> None:
    # Tables are validated a chunk at a time; an invalid table must still skip its own body
    # with the reader's error (export before roster), and the others in the chunk go on.
    root = tmp_path / "in"
    made: dict[str, synth.Body] = {}
    for i, folder in enumerate(("a_ดี", "b_ชื่อผู้ใช้มีช่องว่าง", "c_ชื่อยาวเกิน", "d_สองปัญหา", "e_ดี")):
        body = synth.make_body(40 + i, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
        if folder.startswith(("b_", "d_")):
            body.accounts[0].username = "สมชาย ใจดี"
        if folder.startswith("c_"):
            body.roster[0].first = "ก" * 600
        (root / folder).mkdir(parents=True)
        synth.write_export(body, root / folder / "รายงาน.xlsx")
        synth.write_roster(body, root / folder / "บุคลากร.csv")
        made[folder] = body
    # d: the roster has a header and no people, and the export is invalid: the export's
    # error comes first, as a validating read of the export (before the roster) would say.
    roster = root / "d_สองปัญหา" / "บุคลากร.csv"
    header = roster.read_text(encoding="utf-8-sig").splitlines()[0]
    roster.write_text(header + "\n", encoding="utf-8-sig")

    result = run_batch(root, tmp_path / "out", as_of=AS_OF, jobs=1, progress=False)
    assert [b.folder for b in result.bodies] == ["a_ดี", "e_ดี"]
    reasons = {s.folder: s.reason_en for s in result.skipped}
    assert "problem(s) in the user report data" in reasons["b_ชื่อผู้ใช้มีช่องว่าง"]
    assert "problem(s) in the HR roster data" in reasons["c_ชื่อยาวเกิน"]
    assert "problem(s) in the user report data" in reasons["d_สองปัญหา"]
    assert all(s.kind == "input" for s in result.skipped)
    # The reason goes on to say what is wrong, row by row, as `review` lists it.
    skipped = {s.folder: s for s in result.skipped}
    assert "username contains a space" in skipped["b_ชื่อผู้ใช้มีช่องว่าง"].reason
    assert "ชื่อผู้ใช้มีช่องว่าง" in skipped["b_ชื่อผู้ใช้มีช่องว่าง"].reason
    assert "name empty or over 500 chars" in skipped["c_ชื่อยาวเกิน"].reason
    # ... word for word what reviewing the folder alone (validating while reading) says.
    batch_mod._init_worker(batch_mod.BatchOptions(out_dir=tmp_path / "one", as_of=AS_OF))
    try:
        for folder in reasons:
            alone = batch_mod.review_folder(root / folder)
            assert isinstance(alone, batch_mod.SkippedBody)
            assert alone.reason == skipped[folder].reason
    finally:
        batch_mod._WORKER.clear()


def _index_fails(rollup: object, path: Path) -> Path:
    raise OSError("disk full while writing the index")


def test_rollup_page_written_by_a_worker_is_all_or_nothing(
    province: tuple[Path, dict[str, synth.Body]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With workers, index.html and rollup.json are written by them while the parent writes
    # the workbook; a worker's failure reaches the parent and no rollup file is left there.
    root, _ = province
    import laas_audit.rollup_html as rollup_html

    monkeypatch.setattr(rollup_html, "write_index", _index_fails)
    with pytest.raises(OSError, match="disk full") as info:
        run_batch(root, tmp_path, as_of=AS_OF, jobs=2, progress=False)
    assert type(info.value.__cause__).__name__ == "_RemoteTraceback"  # raised in a worker
    assert not {"index.html", "rollup.json", "rollup.xlsx"} & {p.name for p in tmp_path.iterdir()}
    assert not list(tmp_path.glob(".laas-audit-tmp-*"))


def test_rollup_workbook_of_a_parallel_batch(batch_run: BatchResult) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(batch_run.out_dir / "rollup.xlsx")["หน่วยงาน"]
    folders = {row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert folders == {b.folder for b in batch_run.bodies}
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_a_folder_name_that_is_not_utf8_is_skipped_and_the_rollup_written(
    tmp_path: Path,
) -> None:
    # A body folder unzipped from a Windows archive keeps its Thai name in Windows-874 bytes:
    # it is listed (its name decoded) with the reason, and the others and the rollup go on.
    root = tmp_path / "in"
    good = root / "01_อบต.ดี"
    bad = Path(os.fsdecode(os.path.join(os.fsencode(root), "02_อบต.หนองบัว".encode("cp874"))))
    for folder, seed in ((good, 70), (bad, 71)):
        try:
            folder.mkdir(parents=True)
        except (OSError, UnicodeError):
            pytest.skip("this file system refuses names that are not UTF-8")
        body = synth.make_body(seed, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
        synth.write_export(body, folder / "รายงาน.xlsx")
        synth.write_roster(body, folder / "บุคลากร.csv")
    result = run_batch(root, tmp_path / "out", as_of=AS_OF, jobs=1, progress=False)
    assert [b.folder for b in result.bodies] == ["01_อบต.ดี"]
    [skipped] = result.skipped
    assert skipped.folder == "02_อบต.หนองบัว" and "not UTF-8" in skipped.reason
    rollup = json.loads((tmp_path / "out" / "rollup.json").read_text("utf-8"))
    assert rollup["skipped"][0]["folder"] == "02_อบต.หนองบัว"
    assert "02_อบต.หนองบัว" in (tmp_path / "out" / "index.html").read_text("utf-8")


def test_other_files_of_a_reviewed_folder_are_listed_as_not_used(
    batch_run: BatchResult,
) -> None:
    rows = {b.folder: b for b in batch_run.bodies}
    assert rows["01_อบต.หนองบัวทอง"].unused == []  # an Excel lock file is no input at all
    unused = dict(rows["02_ทต.บ้านแท่น"].unused)
    assert set(unused) == {"หนังสือนำส่ง นายสมชาย ใจดี.pdf", "ปกหนังสือ.xlsx"}
    assert "PDF" in unused["หนังสือนำส่ง นายสมชาย ใจดี.pdf"]
    assert "neither a user export nor an HR roster" in unused["ปกหนังสือ.xlsx"]
    doc = json.loads((batch_run.out_dir / "rollup.json").read_text("utf-8"))
    listed = {b["folder"]: b["unused_files"] for b in doc["bodies"]}
    assert sorted(f["file"] for f in listed["02_ทต.บ้านแท่น"]) == sorted(unused)
    page = (batch_run.out_dir / "index.html").read_text("utf-8")
    assert "ไฟล์อื่นในโฟลเดอร์ที่ตรวจแล้วซึ่งไม่ได้ใช้ (2)" in page and "ปกหนังสือ.xlsx" in page
    sheet = load_workbook(batch_run.out_dir / "rollup.xlsx")["ไฟล์ที่ไม่ได้ใช้"]
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == set(unused)
    summary = batch_run.summary()
    assert "2 other file(s) in reviewed folders not used" in summary
    assert "02_ทต.บ้านแท่น/ปกหนังสือ.xlsx" in summary


@pytest.mark.parametrize(
    ("bodies", "jobs"), [(2000, 2), (300, 4), (33, 2), (16, 2), (7, 2), (1, 1)]
)
def test_chunks_keep_every_body_once_in_order_and_end_small(bodies: int, jobs: int) -> None:
    folders = [Path(f"{n:04d}_อบต.ดอนตะเคียน") for n in range(bodies)]
    chunks = _chunks(folders, jobs)
    assert [f for chunk in chunks for f in chunk] == folders
    largest = max(len(c) for c in chunks)
    # The last round (one chunk per worker) is cut smaller, so no worker waits long at the end.
    assert all(len(c) <= max(1, largest // 4) for c in chunks[-jobs:])


def test_a_rerun_lists_the_earlier_results_it_did_not_rewrite(tmp_path: Path) -> None:
    root, out = tmp_path / "จังหวัด", tmp_path / "ผลการตรวจ"
    folders = ("01_อบต.คงอยู่", "02_อบต.ตรวจไม่ได้แล้ว", "03_อบต.ย้ายออก")
    for seed, folder in enumerate(folders, start=31):
        body = synth.make_body(seed, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
        (root / folder).mkdir(parents=True)
        synth.write_export(body, root / folder / "export.xlsx")
        synth.write_roster(body, root / folder / "roster.csv")
    first = run_batch(root, out, as_of=AS_OF, jobs=1, progress=False)
    assert first.rollup.earlier == []
    # Next cycle: one body's export is now a broken file, another body left the province.
    (root / "02_อบต.ตรวจไม่ได้แล้ว" / "export.xlsx").write_bytes(b"PK\x03\x04 broken")
    shutil.rmtree(root / "03_อบต.ย้ายออก")
    earlier_report = (out / "02_อบต.ตรวจไม่ได้แล้ว" / "report.html").read_bytes()

    second = run_batch(root, out, as_of=AS_OF, jobs=1, progress=False)

    assert [b.folder for b in second.bodies] == ["01_อบต.คงอยู่"]
    listed = {e.folder: e for e in second.rollup.earlier}
    assert set(listed) == {"02_อบต.ตรวจไม่ได้แล้ว", "03_อบต.ย้ายออก"}
    assert listed["02_อบต.ตรวจไม่ได้แล้ว"].why == "skipped_now"
    assert listed["03_อบต.ย้ายออก"].why == "not_in_input"
    # When the earlier review was written, read from its manifest.
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", listed["03_อบต.ย้ายออก"].created or "")
    # Nothing is deleted: the earlier folders stay as they were.
    assert (out / "02_อบต.ตรวจไม่ได้แล้ว" / "report.html").read_bytes() == earlier_report
    assert (out / "03_อบต.ย้ายออก" / "findings.json").is_file()
    doc = json.loads((out / "rollup.json").read_text("utf-8"))
    assert [e["folder"] for e in doc["earlier_outputs"]] == sorted(listed)
    page = (out / "index.html").read_text("utf-8")
    assert "ผลการตรวจครั้งก่อนที่ยังอยู่ในโฟลเดอร์นี้ (2)" in page and "03_อบต.ย้ายออก" in page
    created = listed["03_อบต.ย้ายออก"].created or ""
    assert f"<td>{int(created[8:])} " in page and f" {int(created[:4]) + 543}</td>" in page  # BE
    sheet = load_workbook(out / "rollup.xlsx")["ผลครั้งก่อน"]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == sorted(listed)
    summary = second.summary()
    assert "2 item(s) in the output folder are an earlier run's results" in summary
    assert "03_อบต.ย้ายออก" in summary and "no longer in the input folder" in summary


def test_subfolders_broken_links_and_pipes_in_a_body_folder_are_listed(tmp_path: Path) -> None:
    folder = tmp_path / "จังหวัด" / "01_อบต.มีของแถม"
    folder.mkdir(parents=True)
    body = synth.make_body(41, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
    synth.write_export(body, folder / "export.xlsx")
    synth.write_roster(body, folder / "roster.csv")
    (folder / "รอบใหม่").mkdir()  # a newer export put in a subfolder is not looked at: say so
    synth.write_export(body, folder / "รอบใหม่" / "export.xlsx")
    (folder / "ลิงก์เสีย.xlsx").symlink_to(tmp_path / "ไม่มีไฟล์นี้.xlsx")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "ท่อ.csv")

    result = run_batch(folder.parent, tmp_path / "out", as_of=AS_OF, jobs=1, progress=False)

    [row] = result.bodies
    unused = dict(row.unused)
    assert "a subfolder" in unused["รอบใหม่/"]
    assert "a link to a file that does not exist" in unused["ลิงก์เสีย.xlsx"]
    if hasattr(os, "mkfifo"):
        assert "not a regular file" in unused["ท่อ.csv"]
    assert "01_อบต.มีของแถม/รอบใหม่/" in result.summary()


def test_a_file_lying_directly_in_the_input_folder_is_listed_not_dropped(tmp_path: Path) -> None:
    root = tmp_path / "จังหวัด"
    body = synth.make_body(51, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
    (root / "01_อบต.ในโฟลเดอร์").mkdir(parents=True)
    synth.write_export(body, root / "01_อบต.ในโฟลเดอร์" / "export.xlsx")
    synth.write_roster(body, root / "01_อบต.ในโฟลเดอร์" / "roster.csv")
    synth.write_export(body, root / "อบต.ส่งมาไม่ใส่โฟลเดอร์ นายสมชาย.xlsx")
    (root / "Thumbs.db").write_bytes(b"\x00")  # Windows' leftovers are no input at all
    (root / "อ่านก่อน.txt").write_text("ส่งรายงานรอบ ต.ค. 2569\n", encoding="utf-8")

    result = run_batch(root, tmp_path / "out", as_of=AS_OF, jobs=1, progress=False)
    [loose] = result.skipped  # the export is a body not reviewed; the note is not a body
    assert loose.folder == "อบต.ส่งมาไม่ใส่โฟลเดอร์ นายสมชาย.xlsx" and loose.kind == "loose-file"
    assert "not in a body's folder" in loose.reason_en and "โฟลเดอร์ของหน่วยงาน" in loose.reason_th
    assert "อบต.ส่งมาไม่ใส่โฟลเดอร์" in (tmp_path / "out" / "index.html").read_text("utf-8")
    assert result.loose_others == ["อ่านก่อน.txt"]
    assert "other files directly in the input folder, not used: อ่านก่อน.txt" in result.summary()

    shared = run_batch(root, tmp_path / "share", as_of=AS_OF, jobs=1, share=True, progress=False)
    [loose] = shared.skipped
    assert "นายสมชาย" not in all_text(tmp_path / "share")  # a file name may name a person


@pytest.mark.parametrize("where", [".", "01_อบต.หนึ่ง/ผล"])
def test_output_in_the_input_folder_or_a_body_folder_is_refused(
    tmp_path: Path, where: str
) -> None:
    root = tmp_path / "จังหวัด"
    body = synth.make_body(52, 5, "xlsx-column", roster_fmt="csv-utf8-bom")
    (root / "01_อบต.หนึ่ง").mkdir(parents=True)
    synth.write_export(body, root / "01_อบต.หนึ่ง" / "export.xlsx")
    synth.write_roster(body, root / "01_อบต.หนึ่ง" / "roster.csv")
    with pytest.raises(InputError) as refused:
        run_batch(root, root / where, as_of=AS_OF, jobs=1, progress=False)
    assert "--out" in refused.value.en and "โฟลเดอร์ผลลัพธ์" in refused.value.th
    assert sorted(p.name for p in (root / "01_อบต.หนึ่ง").iterdir()) == [
        "export.xlsx", "roster.csv"]  # nothing written among the inputs


def test_a_worksheet_left_beside_a_rewritten_report_is_listed(tmp_path: Path) -> None:
    root, out = tmp_path / "จังหวัด", tmp_path / "ผลการตรวจ"
    body = synth.make_body(61, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
    (root / "01_อบต.กรอกแบบแล้ว").mkdir(parents=True)
    synth.write_export(body, root / "01_อบต.กรอกแบบแล้ว" / "export.xlsx")
    synth.write_roster(body, root / "01_อบต.กรอกแบบแล้ว" / "roster.csv")
    run_batch(root, out, as_of=AS_OF, jobs=1, worksheets=True, progress=False)
    worksheet = out / "01_อบต.กรอกแบบแล้ว" / "findings.xlsx"
    filled = worksheet.read_bytes()

    again = run_batch(root, out, as_of=AS_OF, jobs=1, progress=False)  # no --worksheets
    [kept] = again.rollup.earlier
    assert kept.folder == "01_อบต.กรอกแบบแล้ว/findings.xlsx"
    assert kept.why == "worksheet_not_rewritten" and "no --worksheets" in kept.note_en
    assert worksheet.read_bytes() == filled  # never deleted or touched
    assert "01_อบต.กรอกแบบแล้ว/findings.xlsx" in again.summary()

    rewritten = run_batch(root, out, as_of=AS_OF, jobs=1, worksheets=True, progress=False)
    assert rewritten.rollup.earlier == []


def test_a_copied_body_is_counted_once_and_one_body_in_two_exports_is_flagged(
    tmp_path: Path,
) -> None:
    # A province office saves one body's e-mail twice ("(1)"), or links a folder: the same
    # export must not be ranked and totalled twice. A re-sent, different export of one body
    # is kept (it may be the newer one) but named, so that the office checks which is current.
    root = tmp_path / "จังหวัด"
    first = synth.make_body(61, 7, "xlsx-column", roster_fmt="csv-utf8-bom",
                            name="หนองแวง", district="ภูเขียว", province="ชัยภูมิ")
    resent = synth.make_body(62, 5, "xlsx-sections", roster_fmt="csv-utf8-bom",
                             name="หนองแวง", district="ภูเขียว", province="ชัยภูมิ")
    for folder, body in (("01_อบต.หนองแวง", first), ("03_อบต.หนองแวง ส่งใหม่", resent)):
        (root / folder).mkdir(parents=True)
        synth.write_export(body, root / folder / "รายงาน.xlsx")
        synth.write_roster(body, root / folder / "บุคลากร.csv")
    shutil.copytree(root / "01_อบต.หนองแวง", root / "01_อบต.หนองแวง (1)")
    (root / "02_ลิงก์").symlink_to(root / "01_อบต.หนองแวง", target_is_directory=True)

    out = tmp_path / "out"
    result = run_batch(root, out, as_of=AS_OF, jobs=2, progress=False)
    assert [b.folder for b in result.bodies] == ["01_อบต.หนองแวง", "03_อบต.หนองแวง ส่งใหม่"]
    copies = {s.folder: s for s in result.skipped}
    assert set(copies) == {"01_อบต.หนองแวง (1)", "02_ลิงก์"}
    for copy in copies.values():
        assert copy.kind == "duplicate"
        assert "01_อบต.หนองแวง" in copy.reason_th and "counted once" in copy.reason_en
    totals = result.rollup.totals()
    assert totals["accounts"] == len(first.accounts) + len(resent.accounts)
    assert result.rollup.earlier == []  # the copies' folders were written by this run
    assert result.rollup.same_name == [["01_อบต.หนองแวง", "03_อบต.หนองแวง ส่งใหม่"]]

    doc = json.loads((out / "rollup.json").read_text("utf-8"))
    assert doc["same_body_name"] == [["01_อบต.หนองแวง", "03_อบต.หนองแวง ส่งใหม่"]]
    assert {s["folder"] for s in doc["skipped"]} == set(copies)
    page = lxml.html.fromstring((out / "index.html").read_text("utf-8"))
    assert "03_อบต.หนองแวง ส่งใหม่" in page.xpath("string(//section[@id='same-name'])")
    sheet = load_workbook(out / "rollup.xlsx")["อาจเป็นหน่วยงานเดียวกัน"]
    assert sheet["A2"].value == "01_อบต.หนองแวง, 03_อบต.หนองแวง ส่งใหม่"
    assert "check which is current" in result.summary()


def test_a_hidden_folder_holding_a_body_is_listed_not_dropped(tmp_path: Path) -> None:
    root = tmp_path / "จังหวัด"
    body = synth.make_body(63, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
    for folder in ("01_อบต.ตรวจได้", ".02_อบต.ซ่อน"):
        (root / folder).mkdir(parents=True)
        synth.write_export(body, root / folder / "export.xlsx")
        synth.write_roster(body, root / folder / "roster.csv")
    (root / ".ว่าง").mkdir()
    (root / ".ว่าง" / "บันทึก.txt").write_text("ไม่มีข้อมูล\n", encoding="utf-8")
    # A USB drive's system folders are no bodies (and not worth a line).
    for system in ("$RECYCLE.BIN", "System Volume Information"):
        (root / system).mkdir()
        (root / system / "desktop.ini").write_text("[.ShellClassInfo]\n", encoding="utf-8")

    result = run_batch(root, tmp_path / "out", as_of=AS_OF, jobs=1, progress=False)
    assert [b.folder for b in result.bodies] == ["01_อบต.ตรวจได้"]
    [hidden] = result.skipped
    assert (hidden.folder, hidden.kind) == (".02_อบต.ซ่อน/", "hidden-folder")
    assert "rename it without the dot" in hidden.reason_en
    assert result.loose_others == [".ว่าง/"]  # no export or roster in it: named, not a body

    shared = run_batch(root, tmp_path / "share", as_of=AS_OF, jobs=1, share=True, progress=False)
    assert [s.kind for s in shared.skipped] == ["hidden-folder"]
    assert "ซ่อน" not in all_text(tmp_path / "share").replace("โฟลเดอร์ซ่อน", "")


def test_a_skipped_folder_says_what_its_unrecognised_file_holds(tmp_path: Path) -> None:
    # A CSV renamed to .xlsx, or a cover letter: the reason quotes its first text, as `review`
    # does, so the office sees why the file was not taken for the export.
    root = tmp_path / "จังหวัด"
    body = synth.make_body(64, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
    (root / "01_อบต.ไฟล์เสีย").mkdir(parents=True)
    synth.write_roster(body, root / "01_อบต.ไฟล์เสีย" / "roster.csv")
    (root / "01_อบต.ไฟล์เสีย" / "export.xlsx").write_text(
        "ส่งออกไม่สำเร็จ กรุณาลองใหม่\n", encoding="utf-8"
    )
    result = run_batch(root, tmp_path / "out", as_of=AS_OF, jobs=1, progress=False)
    [skipped] = result.skipped
    assert skipped.kind == "no-export"
    assert "export.xlsx: 'ส่งออกไม่สำเร็จ กรุณาลองใหม่'" in skipped.reason_th
    assert "first text seen: export.xlsx: 'ส่งออกไม่สำเร็จ กรุณาลองใหม่'" in skipped.reason_en


def _split_sheet_province(
    tmp_path: Path, seed: int, export_folder: str, roster_folder: str, *, header: bool
) -> tuple[list[Any], Path]:
    """A good body, one whose export has a sheet per group, one whose roster a sheet per กอง."""
    root = tmp_path / "จังหวัด"
    good = synth.make_body(seed, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
    (root / "01_อบต.ดี").mkdir(parents=True)
    synth.write_export(good, root / "01_อบต.ดี" / "export.xlsx")
    synth.write_roster(good, root / "01_อบต.ดี" / "roster.csv")
    per_group, _ = export_sheet_per_group(sample_accounts(), header=header)
    per_unit, _ = roster_sheet_per_unit(sample_staff(), header=header)
    (root / export_folder).mkdir()
    write_sheets(root / export_folder / "รายงาน.xlsx", per_group)
    synth.write_roster(good, root / export_folder / "roster.csv")
    (root / roster_folder).mkdir()
    synth.write_export(good, root / roster_folder / "export.xlsx")
    write_sheets(root / roster_folder / "บุคลากร.xlsx", per_unit)
    return per_group, root


def test_a_table_continued_on_other_sheets_skips_its_folder_with_the_reason(
    tmp_path: Path,
) -> None:
    # One sheet per user group (export) or per กอง (roster): read in part, the body would get a
    # wrong review; it is skipped, the reason naming the sheets, and the other bodies go on.
    per_group, root = _split_sheet_province(
        tmp_path, 61, "02_อบต.แยกชีตกลุ่ม", "03_อบต.แยกชีตกอง", header=True
    )
    result = run_batch(root, tmp_path / "out", as_of=AS_OF, jobs=1, progress=False)

    assert [b.folder for b in result.bodies] == ["01_อบต.ดี"]
    skipped = {s.folder: s for s in result.skipped}
    export = skipped["02_อบต.แยกชีตกลุ่ม"]
    assert export.kind == "input"
    assert export.reason_th.startswith(f"รายงาน.xlsx ชีต '{per_group[1][0]}' แถว 5: ")
    assert f"continues on sheet(s) '{per_group[1][0]}' (header row 5)" in export.reason_en
    assert "Put all rows on one sheet" in export.reason_en
    roster = skipped["03_อบต.แยกชีตกอง"]
    assert roster.reason_en.startswith("บุคลากร.xlsx, sheet 'สำนักปลัด', row 1: the HR roster")
    assert "'กองช่าง' (header row 1)" in roster.reason_en and "ชีตเดียว" in roster.reason_th
    assert not (tmp_path / "out" / "02_อบต.แยกชีตกลุ่ม").exists()
    assert "02_อบต.แยกชีตกลุ่ม" in (tmp_path / "out" / "index.html").read_text("utf-8")


def test_a_table_continued_without_its_header_skips_its_folder_with_the_reason(
    tmp_path: Path,
) -> None:
    # The later sheets carry on without a header row: the reason says so, at the first data row.
    per_group, root = _split_sheet_province(
        tmp_path, 62, "02_อบต.กลุ่มไม่มีหัว", "03_อบต.กองไม่มีหัว", header=False
    )
    result = run_batch(root, tmp_path / "out", as_of=AS_OF, jobs=1, progress=False)

    assert [b.folder for b in result.bodies] == ["01_อบต.ดี"]
    skipped = {s.folder: s for s in result.skipped}
    export = skipped["02_อบต.กลุ่มไม่มีหัว"]
    assert export.kind == "input"
    assert export.reason_th.startswith(f"รายงาน.xlsx ชีต '{per_group[1][0]}' แถว 2: ")
    assert f"'{per_group[1][0]}' (continued without a header row, from row 2)" in (
        export.reason_en)
    assert "ต่อโดยไม่มีแถวหัวตาราง" in export.reason_th
    roster = skipped["03_อบต.กองไม่มีหัว"]
    assert roster.reason_en.startswith("บุคลากร.xlsx, sheet 'สำนักปลัด', row 1: the HR roster")
    assert "'กองช่าง' (continued without a header row, from row 1)" in roster.reason_en
    for folder in ("02_อบต.กลุ่มไม่มีหัว", "03_อบต.กองไม่มีหัว"):
        assert not (tmp_path / "out" / folder).exists()


def test_an_excel_lock_file_is_ignored_but_a_workbook_named_so_is_not(tmp_path: Path) -> None:
    body = synth.make_body(31, 6, "xlsx-column", roster_fmt="xlsx")
    folder = tmp_path / "อบต.หนองบัวทอง"
    folder.mkdir()
    synth.write_export(body, folder / "รายงาน.xlsx")
    synth.write_roster(body, folder / "บุคลากร.xlsx")
    lock = folder / "~$รายงาน.xlsx"
    lock.write_bytes(b"\x07kanjana" + b" " * 47 + "\x07kanjana".encode("utf-16-le") + b"\x00" * 40)
    found = classify(folder)
    assert [g.path.name for g in found.found["export"]] == ["รายงาน.xlsx"]
    assert (found.unreadable, found.neither, found.not_files) == ([], [], [])
    # A real export saved under a "~$" name is a second candidate: never dropped unseen.
    lock.write_bytes((folder / "รายงาน.xlsx").read_bytes())
    assert sorted(g.path.name for g in classify(folder).found["export"]) == [
        "~$รายงาน.xlsx", "รายงาน.xlsx"]


def test_disabled_accounts_are_counted_apart_and_do_not_dilute_the_rank(tmp_path: Path) -> None:
    # The same อบต. twice, once with the disabled (ระงับ) accounts of 30 people who left years
    # ago still in the export. No rule looks at a disabled account, so both have the same
    # findings over the same active accounts: neither may rank as cleaner for keeping them.
    import dataclasses

    root = tmp_path / "จังหวัด"
    body = synth.make_body(71, 9, "xlsx-column", roster_fmt="csv-utf8-bom",
                           name="โนนสะอาด", district="ภูเขียว", province="ชัยภูมิ")
    gone = [
        dataclasses.replace(body.accounts[i % len(body.accounts)], username=f"old{i:02d}.nsa",
                            status="ระงับการใช้งาน" if i % 2 else "ปิดการใช้งาน", pid=None)
        for i in range(30)
    ]
    kept = dataclasses.replace(body, accounts=[*body.accounts, *gone])
    for folder, b in (("01_อบต.โนนสะอาด เก็บบัญชีเก่า", kept), ("02_อบต.โนนสะอาด", body)):
        (root / folder).mkdir(parents=True)
        synth.write_export(b, root / folder / "export.xlsx")
        synth.write_roster(b, root / folder / "roster.csv")

    out = tmp_path / "out"
    result = run_batch(root, out, as_of=AS_OF, jobs=2, progress=False)
    doc = json.loads((out / "rollup.json").read_text("utf-8"))
    rows = {b["folder"]: b for b in doc["bodies"]}
    n = len(body.accounts)
    old, plain = rows["01_อบต.โนนสะอาด เก็บบัญชีเก่า"], rows["02_อบต.โนนสะอาด"]
    assert old["total"] == plain["total"] > 0
    assert (old["accounts"], old["active_accounts"]) == (n + 30, n)
    assert (plain["accounts"], plain["active_accounts"]) == (n, n)
    assert old["per_100_accounts"] == round(100 * old["total"] / (n + 30), 1)
    assert old["per_100_active"] == plain["per_100_active"] == round(100 * old["total"] / n, 1)
    # Tied on the ranked rate, they are ordered by the tie-breaks (the folder), not pushed
    # apart by the disabled accounts.
    assert list(rows) == ["01_อบต.โนนสะอาด เก็บบัญชีเก่า", "02_อบต.โนนสะอาด"]
    assert result.rollup.totals()["active_accounts"] == 2 * n


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    import zipfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_a_body_sent_as_a_zip_is_listed_with_what_to_do(tmp_path: Path) -> None:
    # Bodies send their files as e-mail or LINE attachments, often zipped. A zip is no body
    # the batch can review: wherever it lies, the rollup lists it and says to extract it.
    root, src = tmp_path / "จังหวัด", tmp_path / "ที่ส่งมา"
    body = synth.make_body(72, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
    src.mkdir()
    files = {"รายงานผู้ใช้งาน.xlsx": synth.write_export(body, src / "e.xlsx").read_bytes(),
             "บุคลากร.csv": synth.write_roster(body, src / "r.csv").read_bytes()}
    (root / "01_อบต.ตรวจได้").mkdir(parents=True)
    for name, data in files.items():
        (root / "01_อบต.ตรวจได้" / name).write_bytes(data)
    _zip(root / "02_อบต.นาฝาย" / "อบต.นาฝาย.zip", files)  # the folder holds only its zip
    _zip(root / "อบต.หนองแวง.zip", files)  # at the top, as the attachment came
    (root / "อบต.โคกสูง.rar").write_bytes(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64)
    # Extracted beside its zip (Windows' "Extract All" names the folder after it): the
    # folder is the body; the zip is only named among the other files.
    _zip(root / "01_อบต.ตรวจได้.zip", files)

    out = tmp_path / "out"
    result = run_batch(root, out, as_of=AS_OF, jobs=1, progress=False)
    assert [b.folder for b in result.bodies] == ["01_อบต.ตรวจได้"]
    skipped = {s.folder: s for s in result.skipped}
    assert set(skipped) == {"02_อบต.นาฝาย", "อบต.หนองแวง.zip", "อบต.โคกสูง.rar"}
    top = skipped["อบต.หนองแวง.zip"]
    assert top.kind == "archive"
    assert (top.reason_th, top.reason_en) == (
        "ไฟล์ zip: แตกไฟล์ลงในโฟลเดอร์ของหน่วยงานแล้วรันอีกครั้ง",
        "a zip archive: extract it into the body's own folder and run again",
    )
    assert skipped["อบต.โคกสูง.rar"].reason_en.startswith("a RAR archive: extract it into")
    inner = skipped["02_อบต.นาฝาย"]
    assert "อบต.นาฝาย.zip: ไฟล์ zip: แตกไฟล์ลงในโฟลเดอร์ของหน่วยงานแล้วรันอีกครั้ง" in inner.reason_th
    assert "อบต.นาฝาย.zip: a zip archive: extract it into the body's own folder" in inner.reason_en
    assert result.loose_others == ["01_อบต.ตรวจได้.zip"]

    doc = json.loads((out / "rollup.json").read_text("utf-8"))
    reasons = {s["folder"]: s["reason"] for s in doc["skipped"]}
    assert reasons["อบต.หนองแวง.zip"] == top.reason
    assert "extract it into the body's own folder" in reasons["02_อบต.นาฝาย"]
    page = lxml.html.fromstring((out / "index.html").read_text("utf-8"))
    listed = {tr.xpath("string(./td[1])"): tr.xpath("string(./td[2])")
              for tr in page.xpath("//section[@id='skipped']//tbody/tr")}
    assert listed["อบต.หนองแวง.zip"] == top.reason
    sheet = load_workbook(out / "rollup.xlsx")["ไม่ได้ตรวจ"]
    assert {r[0].value: r[1].value for r in sheet.iter_rows(min_row=2)}["อบต.หนองแวง.zip"] == (
        top.reason)
    assert f"  - อบต.หนองแวง.zip: {top.reason}" in result.summary()

    shared = run_batch(root, tmp_path / "share", as_of=AS_OF, jobs=1, share=True, progress=False)
    assert sorted(s.kind for s in shared.skipped) == ["archive", "archive", "no-export"]
    text = all_text(tmp_path / "share")
    assert "หนองแวง" not in text and "โคกสูง" not in text  # a file name may name a person
    assert "extract it into the body's own folder" in text


def test_manifests_record_inputs_through_links_as_resolved_paths(tmp_path: Path) -> None:
    # Each worker resolves the input and output folders once (manifest.RealPaths): a body
    # folder that is a link, an input that is a link, and an --out given through a link and
    # ".." must still be recorded as the resolved paths, relative to the body's folder.
    elsewhere = tmp_path / "ที่เก็บอื่น"
    root = tmp_path / "จังหวัด"
    for n, folder in enumerate(("01_อบต.หนองบัว", "02_อบต.โคกสูง")):
        body = synth.make_body(71 + n, 5, "xlsx-column", roster_fmt="csv-utf8-bom")
        (elsewhere / folder).mkdir(parents=True)
        synth.write_export(body, elsewhere / folder / "รายงาน.xlsx")
        synth.write_roster(body, elsewhere / folder / "บุคลากร.csv")
    (root / "01_อบต.หนองบัว").mkdir(parents=True)
    (root / "01_อบต.หนองบัว" / "รายงาน.xlsx").symlink_to(elsewhere / "01_อบต.หนองบัว" / "รายงาน.xlsx")
    shutil.copy(elsewhere / "01_อบต.หนองบัว" / "บุคลากร.csv", root / "01_อบต.หนองบัว")
    (root / "02_อบต.โคกสูง").symlink_to(elsewhere / "02_อบต.โคกสูง", target_is_directory=True)
    (tmp_path / "ผล").mkdir()
    (tmp_path / "ทางไปผล").symlink_to(tmp_path / "ผล", target_is_directory=True)
    out = tmp_path / "ทางไปผล" / ".." / "ทางไปผล" / "2569-10"

    result = run_batch(root, out, as_of=AS_OF, jobs=1, progress=False)

    assert [b.folder for b in result.bodies] == ["01_อบต.หนองบัว", "02_อบต.โคกสูง"]
    recorded = {}
    for folder in ("01_อบต.หนองบัว", "02_อบต.โคกสูง"):
        manifest = json.loads((out / folder / "manifest.json").read_text("utf-8"))
        recorded[folder] = [(i["role"], i["file"]) for i in manifest["inputs"]]
        base = (out / folder).resolve()
        for entry in manifest["inputs"]:  # what resolving each path whole gives
            given = root / folder / Path(entry["file"]).name
            assert entry["file"] == Path(os.path.relpath(given.resolve(), base)).as_posix()
            assert entry["bytes"] == given.stat().st_size
    assert recorded == {
        "01_อบต.หนองบัว": [
            ("export", "../../../ที่เก็บอื่น/01_อบต.หนองบัว/รายงาน.xlsx"),
            ("roster", "../../../จังหวัด/01_อบต.หนองบัว/บุคลากร.csv"),
        ],
        "02_อบต.โคกสูง": [
            ("export", "../../../ที่เก็บอื่น/02_อบต.โคกสูง/รายงาน.xlsx"),
            ("roster", "../../../ที่เก็บอื่น/02_อบต.โคกสูง/บุคลากร.csv"),
        ],
    }
