"""The evidence chain: manifest.json hashes, and `verify` catching any changed or missing file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from laas_audit.errors import InputError
from laas_audit.manifest import (
    SCHEMA,
    RealPaths,
    recorded_inputs,
    sha256_file,
    verify,
    write_manifest,
)


def _flip_byte(path: Path, offset: int = 0) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture
def body(tmp_path: Path) -> dict[str, Path]:
    """A body folder: two inputs, a review folder with two outputs and a manifest."""
    export = tmp_path / "รายงานผู้ใช้งาน_อบต.หนองบัวทอง.xlsx"
    export.write_bytes(b"PK\x03\x04 fictitious export " + "นางสาวพิมพ์ใจ ศรีสุข".encode())
    roster = tmp_path / "บัญชีจัดคนลงตำแหน่ง.csv"
    roster.write_text("ชื่อ-สกุล,ตำแหน่ง\nนายสมชาย ใจดี,ผู้อำนวยการกองคลัง\n", encoding="utf-8")
    out = tmp_path / "ผลการตรวจ-2569-04"
    out.mkdir()
    findings = out / "findings.json"
    findings.write_text('{"schema": "laas-audit/findings/1", "body": "อบต."}', encoding="utf-8")
    (out / "sub").mkdir()
    report = out / "sub" / "report.html"
    report.write_text("<p>รายงาน</p>", encoding="utf-8")
    manifest = write_manifest(
        out, [("export", export), ("roster", roster)], [findings, report], None
    )
    return {"export": export, "roster": roster, "out": out, "findings": findings,
            "report": report, "manifest": manifest}


def test_manifest_contents(body: dict[str, Path]) -> None:
    data = json.loads(body["manifest"].read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA
    assert data["previous"] is None
    assert [(i["role"], i["file"]) for i in data["inputs"]] == [
        ("export", "../รายงานผู้ใช้งาน_อบต.หนองบัวทอง.xlsx"),
        ("roster", "../บัญชีจัดคนลงตำแหน่ง.csv"),
    ]
    assert data["inputs"][0]["sha256"] == sha256_file(body["export"])
    assert data["inputs"][0]["bytes"] == body["export"].stat().st_size
    assert [o["file"] for o in data["outputs"]] == ["findings.json", "sub/report.html"]
    assert data["outputs"][1]["sha256"] == sha256_file(body["report"])
    assert data["created"].endswith("+00:00")


def test_untouched_folder_verifies(body: dict[str, Path]) -> None:
    report = verify(body["out"])
    assert report.ok
    assert sorted(report.checked) == sorted([
        "findings.json", "sub/report.html",
        "../รายงานผู้ใช้งาน_อบต.หนองบัวทอง.xlsx", "../บัญชีจัดคนลงตำแหน่ง.csv",
    ])
    assert report.unlisted == []
    assert "ตรงกับ manifest.json ทั้งหมด" in report.describe()
    assert verify(body["manifest"]).ok  # the manifest file itself may be given


@pytest.mark.parametrize("which", ["findings", "report", "export", "roster"])
def test_flipped_byte_is_detected(body: dict[str, Path], which: str) -> None:
    target = body[which]
    size = target.stat().st_size
    _flip_byte(target, offset=size // 2)
    assert target.stat().st_size == size
    report = verify(body["out"])
    assert not report.ok
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.kind == "changed"
    assert problem.actual == sha256_file(target)
    assert problem.file.endswith(target.name)
    assert problem.role == {"findings": "output", "report": "output"}.get(which, which)
    assert "content changed" in report.describe()


def test_missing_files_and_unlisted_extras(body: dict[str, Path]) -> None:
    body["report"].unlink()
    body["roster"].unlink()
    (body["out"] / "เพิ่มภายหลัง.txt").write_text("แทรก", encoding="utf-8")
    report = verify(body["out"])
    assert sorted((p.kind, p.role) for p in report.problems) == [
        ("missing", "output"), ("missing", "roster"),
    ]
    assert report.unlisted == ["เพิ่มภายหลัง.txt"]


def test_copied_body_folder_still_verifies(body: dict[str, Path], tmp_path: Path) -> None:
    # An auditor receives the whole body folder (inputs beside the review folder) elsewhere.
    target = tmp_path.parent / (tmp_path.name + "-สำเนา")
    shutil.copytree(tmp_path, target)
    try:
        assert verify(target / body["out"].name).ok
        _flip_byte(target / body["export"].name)
        assert [p.role for p in verify(target / body["out"].name).problems] == ["export"]
        assert verify(body["out"]).ok  # the original is untouched
    finally:
        shutil.rmtree(target)


def test_previous_manifest_is_chained(body: dict[str, Path], tmp_path: Path) -> None:
    second = tmp_path / "ผลการตรวจ-2569-10"
    second.mkdir()
    out_file = second / "findings.json"
    out_file.write_text("{}", encoding="utf-8")
    manifest = write_manifest(second, [body["export"]], [out_file], body["manifest"])
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["previous"] == {
        "file": "../ผลการตรวจ-2569-04/manifest.json",
        "sha256": sha256_file(body["manifest"]),
    }
    assert data["inputs"][0]["role"] == "input"
    assert verify(second).ok
    _flip_byte(body["manifest"], 3)
    report = verify(second)
    assert [(p.kind, p.role) for p in report.problems] == [("changed", "previous")]


def test_stage_folder_records_inputs_from_final_folder(body: dict[str, Path]) -> None:
    # publish.write_review writes the manifest inside output.staged_output's temp folder.
    stage = body["out"] / ".laas-audit-tmp-abc123"
    stage.mkdir()
    staged = stage / "record.json"
    staged.write_text("{}", encoding="utf-8")
    manifest = write_manifest(stage, [("worksheet", body["export"])], [staged], None)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["inputs"][0]["file"] == "../รายงานผู้ใช้งาน_อบต.หนองบัวทอง.xlsx"
    assert data["outputs"][0]["file"] == "record.json"


def test_absolute_input_path_is_followed(body: dict[str, Path], tmp_path: Path) -> None:
    data = json.loads(body["manifest"].read_text(encoding="utf-8"))
    data["inputs"][0]["file"] = str(body["export"].resolve())
    body["manifest"].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert verify(body["out"]).ok
    _flip_byte(body["export"])
    assert [p.role for p in verify(body["out"]).problems] == ["export"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "manifest.json not found"),
        ("{not json", "cannot read manifest.json"),
        ('{"schema": "laas-audit/findings/1", "inputs": [], "outputs": []}', "not a laas-audit"),
        ('{"schema": "laas-audit/manifest/1", "inputs": [], "outputs": [{"file": 1}]}',
         "not a laas-audit"),
    ],
)
def test_bad_manifest_is_an_input_error(tmp_path: Path, content: str | None, words: str) -> None:
    if content is not None:
        (tmp_path / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        verify(tmp_path)
    assert words in info.value.en
    assert "manifest.json" in info.value.location.file


def test_output_outside_folder_is_refused(body: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="not inside"):
        write_manifest(body["out"], [], [body["export"]], None)


def test_relative_paths_from_the_working_folder(body: dict[str, Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # publish.write_review passes paths built from a relative --out, e.g. "r1/.stage/x.json".
    monkeypatch.chdir(body["out"].parent)
    out = Path(body["out"].name)
    manifest = write_manifest(out, [Path(body["export"].name)],
                              [out / "findings.json", Path("sub/report.html")], None)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert [o["file"] for o in data["outputs"]] == ["findings.json", "sub/report.html"]
    assert data["inputs"][0]["file"] == "../รายงานผู้ใช้งาน_อบต.หนองบัวทอง.xlsx"
    assert verify(out).ok


def test_manifest_text_is_what_the_json_module_writes(body: dict[str, Path]) -> None:
    # The manifest is written with orjson for speed; its text must stay the standard
    # indented JSON (Thai as is, null, nested lists) that earlier manifests and readers expect.
    text = body["manifest"].read_text(encoding="utf-8")
    data = json.loads(text)
    assert "รายงานผู้ใช้งาน" in text and '"previous": null' in text
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_recorded_inputs_by_role(body: dict[str, Path], tmp_path: Path) -> None:
    assert recorded_inputs(body["out"]) == {
        "export": ("../รายงานผู้ใช้งาน_อบต.หนองบัวทอง.xlsx", sha256_file(body["export"])),
        "roster": ("../บัญชีจัดคนลงตำแหน่ง.csv", sha256_file(body["roster"])),
    }
    assert recorded_inputs(tmp_path / "ไม่มีโฟลเดอร์นี้") is None  # no manifest of ours
    (tmp_path / "อื่น").mkdir()
    (tmp_path / "อื่น" / "manifest.json").write_text('{"schema": "x"}', encoding="utf-8")
    assert recorded_inputs(tmp_path / "อื่น") is None


def test_real_paths_resolve_as_pathlib_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A batch resolves each folder once and only looks at each path's last name: every kind
    # of link, "..", missing names and loops must still come out as Path.resolve() gives them.
    real = tmp_path / "จังหวัด"
    (real / "01_อบต.หนองบัว").mkdir(parents=True)
    (real / "01_อบต.หนองบัว" / "รายงาน.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "ทางลัด").symlink_to(real, target_is_directory=True)
    (real / "02_ลิงก์").symlink_to("01_อบต.หนองบัว", target_is_directory=True)  # relative link
    (real / "01_อบต.หนองบัว" / "ลิงก์.xlsx").symlink_to("../01_อบต.หนองบัว/รายงาน.xlsx")
    (real / "เสีย.xlsx").symlink_to(real / "ไม่มี.xlsx")  # a broken link
    (real / "วน").symlink_to(real / "วน")  # a loop
    monkeypatch.chdir(real)
    candidates = [
        real / "01_อบต.หนองบัว" / "รายงาน.xlsx",
        tmp_path / "ทางลัด" / "01_อบต.หนองบัว" / "รายงาน.xlsx",
        tmp_path / "ทางลัด" / "02_ลิงก์" / "ลิงก์.xlsx",
        tmp_path / "ทางลัด" / "02_ลิงก์" / ".." / "01_อบต.หนองบัว" / "ลิงก์.xlsx",
        tmp_path / "ทางลัด" / "02_ลิงก์",
        real / "เสีย.xlsx",
        real / "ยังไม่มี" / "ผล",  # an output folder not written yet
        real / "01_อบต.หนองบัว" / "รายงาน.xlsx" / "ใต้ไฟล์",
        Path("02_ลิงก์") / "รายงาน.xlsx",  # relative to the working folder
        Path("02_ลิงก์"),
        Path("/"),
        real / "วน" / "รายงาน.xlsx",
    ]
    paths = RealPaths()
    for path in candidates * 2:  # the second time from the folders it remembered
        try:
            expected = str(path.resolve())
        except RuntimeError:  # a symlink loop: raised just the same
            with pytest.raises(RuntimeError):
                paths.resolve(path)
            continue
        assert paths.resolve(path) == expected, path
