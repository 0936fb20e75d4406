"""Writing output folders: files land whole, and a failure leaves nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from laas_audit.errors import InputError
from laas_audit.output import staged_output, write_all, write_file


def test_write_file_writes_every_byte_and_replaces_a_longer_file(tmp_path: Path) -> None:
    path = tmp_path / "รายงาน อบต.ดอนตะเคียน.html"
    path.write_bytes(b"x" * 300_000)  # longer than what replaces it: must be truncated
    data = ("<p>นายสมชาย ใจดี</p>\n" * 9_000).encode("utf-8")  # > 64 KiB, several writes
    write_file(path, data)
    assert path.read_bytes() == data


def test_write_file_names_the_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_file(tmp_path / "ไม่มี" / "findings.json", b"{}")


def test_a_failed_folder_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "0001_อบต.หนองช้าง"
    with pytest.raises(RuntimeError), staged_output(out, whole_folder=True) as stage:
        write_file(stage / "findings.json", b"{}")
        raise RuntimeError("renderer failed")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rewrite_keeps_the_previous_files(tmp_path: Path) -> None:
    write_all(tmp_path, {"findings.json": b"old", "report.html": b"<p>old</p>"})

    def broken(path: Path) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_all(tmp_path, {"findings.json": b"new", "report.html": broken})
    assert (tmp_path / "findings.json").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.json", "report.html"]


def test_a_new_folder_is_made_with_its_missing_parents(tmp_path: Path) -> None:
    out = tmp_path / "ผลการตรวจ" / "2569-10" / "0001_อบต.หนองช้าง"
    write_all(out, {"findings.json": b"{}"}, whole_folder=True)
    assert (out / "findings.json").read_bytes() == b"{}"
    assert [p.name for p in out.parent.iterdir()] == ["0001_อบต.หนองช้าง"]  # no stage left


@pytest.mark.parametrize("whole_folder", [True, False])
def test_a_file_in_the_way_of_the_output_is_named(tmp_path: Path, whole_folder: bool) -> None:
    (tmp_path / "ผลการตรวจ").write_text("ไม่ใช่โฟลเดอร์", encoding="utf-8")
    for out, words in (
        (tmp_path / "ผลการตรวจ", "is a file, not a folder"),
        (tmp_path / "ผลการตรวจ" / "0001_อบต.หนองช้าง", "cannot create the output folder"),
    ):
        with pytest.raises(InputError) as info:
            write_all(out, {"findings.json": b"{}"}, whole_folder=whole_folder)
        assert words in info.value.en
        assert info.value.location.file == str(out)
    assert [p.name for p in tmp_path.iterdir()] == ["ผลการตรวจ"]
