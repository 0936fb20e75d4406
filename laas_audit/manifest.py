"""The evidence chain: `manifest.json` with the SHA-256 of every input and output of a run.

Each review and record folder gets one; with `--previous`, it also holds the hash of the previous
cycle's manifest, so the cycles form a chain an auditor can check offline (`laas-audit verify`).

Paths are stored so that a folder can travel: outputs relative to the manifest's folder, inputs
and the previous manifest relative to it too when possible (`../export.xlsx`), else absolute.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import orjson

from laas_audit import __version__
from laas_audit.errors import InputError, Location
from laas_audit.memo import remember

SCHEMA = "laas-audit/manifest/1"
MANIFEST_JSON = "manifest.json"
STAGE_PREFIX = ".laas-audit-tmp-"  # output.staged_output's temporary folder inside the target
DEFAULT_ROLE = "input"

InputSpec = Path | tuple[str, Path]  # a bare path, or (role, path) e.g. ("export", Path(...))


def sha256_file(path: Path) -> str:
    """Compute the SHA-256 of a file, read in chunks (exports can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(
    out_dir: Path,
    inputs: Sequence[InputSpec],
    outputs: Sequence[Path],
    previous_manifest: Path | None,
    *,
    final_dir: Path | None = None,
) -> Path:
    """Hash `inputs` and `outputs` and write `out_dir/manifest.json`; return its path.

    `inputs` are paths or `(role, path)` pairs (role e.g. "export", "roster", "exceptions",
    "worksheet"; a bare path gets role "input"). `outputs` must lie inside `out_dir` (paths as
    usual, or names relative to `out_dir`); the manifest itself is never listed.
    `final_dir` is where the folder will live once published, used to record relative input
    paths; by default `out_dir`, or its parent when `out_dir` is the temporary folder of
    `output.staged_output`.
    """
    base = final_dir or (out_dir.parent if out_dir.name.startswith(STAGE_PREFIX) else out_dir)
    manifest_path = out_dir / MANIFEST_JSON
    records_out: list[dict[str, Any]] = []
    for path in outputs:
        # A relative output is taken as given (relative to the working folder, as callers
        # build it from out_dir) when it exists, else as relative to out_dir.
        absolute = path if path.is_absolute() or path.exists() else out_dir / path
        if absolute.resolve() == manifest_path.resolve():
            continue
        try:
            relative = absolute.resolve().relative_to(out_dir.resolve())
        except ValueError as exc:
            raise ValueError(f"output {path} is not inside {out_dir}") from exc
        records_out.append({"file": relative.as_posix(), **_hash_and_size(absolute)})
    paths = RealPaths()
    data = _document(
        _input_records(inputs, base, paths), records_out, previous_manifest, base, paths
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path.write_bytes(_dumps(data))
    return manifest_path


def manifest_bytes(
    final_dir: Path,
    inputs: Sequence[InputSpec | tuple[str, Path, str]],
    outputs: Mapping[str, bytes],
    previous_manifest: Path | None,
    *,
    paths: RealPaths | None = None,
) -> bytes:
    """Build manifest.json for a folder whose outputs are still in memory (`name -> bytes`).

    The same document as `write_manifest`, without reading anything back: outputs are hashed
    from their bytes, and an input given as `(role, path, sha256)` keeps the digest its reader
    computed from the bytes it reviewed (only its size is asked of the disk). `final_dir` is
    where the folder will live, for relative input paths. `paths`: a run's `RealPaths`, when
    it writes many folders (a batch).
    """
    outs = [{"file": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in outputs.items() if name != MANIFEST_JSON]
    paths = paths or RealPaths()
    return _dumps(_document(_input_records(inputs, final_dir, paths), outs, previous_manifest,
                            final_dir, paths))


class RealPaths:
    """What `Path.resolve()` gives, for the many files of one run: each folder resolved once.

    A batch records every body's inputs and folder, all under the same input and output
    folders, and `os.path.realpath` lstat()s every component of every path in Python (~1% of
    a batch). Here a folder's real path is remembered and only a path's last name is looked
    at (a link is resolved whole), so keep one only for a run whose folders are not moved or
    relinked while it runs. Outside POSIX every path is resolved whole.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def resolve(self, path: Path | str) -> str:
        """Return `str(Path(path).resolve())`."""
        head, name = os.path.split(path)
        if os.name != "posix" or not head or name in ("", ".", ".."):
            return str(Path(path).resolve())
        folder = self._folders.get(head)
        if folder is None:
            folder = remember(self._folders, head, self.resolve(head))
        real = os.path.join(folder, name)
        try:
            if stat.S_ISLNK(os.lstat(real).st_mode):
                return str(Path(real).resolve())
        except OSError:  # not there (yet): realpath keeps the name as it is
            pass
        return real


def _input_records(
    inputs: Sequence[InputSpec | tuple[str, Path, str]], base: Path, paths: RealPaths
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    base_resolved = paths.resolve(base)
    for spec in inputs:
        if isinstance(spec, tuple) and len(spec) == 3:
            role, path, digest = spec
            facts: dict[str, Any] = {"sha256": digest, "bytes": path.stat().st_size}
        else:
            role, path = spec if isinstance(spec, tuple) else (DEFAULT_ROLE, spec)
            facts = _hash_and_size(path)
        records.append(
            {"role": role, "file": _recorded_path(paths.resolve(path), base_resolved), **facts}
        )
    return records


def _document(
    records_in: list[dict[str, Any]],
    records_out: list[dict[str, Any]],
    previous_manifest: Path | None,
    base: Path,
    paths: RealPaths,
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": records_in,
        "outputs": records_out,
        "previous": (
            {
                "file": _recorded_path(
                    paths.resolve(previous_manifest), paths.resolve(base)
                ),
                "sha256": sha256_file(previous_manifest),
            }
            if previous_manifest is not None
            else None
        ),
    }


def _dumps(data: dict[str, Any]) -> bytes:
    # orjson writes what `json.dumps(ensure_ascii=False, indent=2)` does for this document
    # (text, integers, null), in microseconds rather than the pure-Python indenting encoder's
    # ~30 us: a batch writes one manifest a body.
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


@dataclass
class VerifyProblem:
    """One listed file that does not match its recorded hash (or is gone)."""

    kind: Literal["changed", "missing", "unreadable"]
    role: str  # "output", "previous", or the input's role
    file: str  # as recorded in the manifest
    expected: str
    actual: str | None = None

    def message(self) -> str:
        """One line in Thai and English, for the CLI."""
        if self.kind == "changed":
            return f"{self.file} ({self.role}): เนื้อหาถูกแก้ไข / content changed"
        if self.kind == "missing":
            return f"{self.file} ({self.role}): ไม่พบไฟล์ / file missing"
        return f"{self.file} ({self.role}): อ่านไฟล์ไม่ได้ / cannot read the file"


@dataclass
class VerifyReport:
    """What `verify` found: every listed file checked, the problems, and unlisted extras."""

    manifest: Path
    checked: list[str] = field(default_factory=list)  # files whose hash matched
    problems: list[VerifyProblem] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  # files in the folder the manifest lacks
    created: str = ""
    tool_version: str = ""

    @property
    def ok(self) -> bool:
        """Tell whether every listed file is present and unchanged."""
        return not self.problems

    def describe(self) -> str:
        """Describe the verdict and each problem in Thai and English, for the CLI."""
        total = len(self.checked) + len(self.problems)
        if self.ok:
            lines = [
                f"ตรวจแล้ว {total} ไฟล์ ตรงกับ {self.manifest.name} ทั้งหมด / "
                f"all {total} files match {self.manifest.name}"
            ]
        else:
            lines = [
                f"พบปัญหา {len(self.problems)} จาก {total} ไฟล์ใน {self.manifest.name} / "
                f"{len(self.problems)} of {total} files listed in {self.manifest.name} "
                "do not match"
            ]
            lines += [f"  - {p.message()}" for p in self.problems]
        if self.unlisted:
            lines.append(
                "ไฟล์ที่ไม่อยู่ใน manifest (ไม่ได้ตรวจ) / files not in the manifest (not checked): "
                + ", ".join(self.unlisted)
            )
        return "\n".join(lines)


def verify(directory: Path) -> VerifyReport:
    """Recompute the hash of every file a manifest lists and report each mismatch.

    `directory` is the output folder (or its manifest.json). Outputs are looked up relative to
    the folder; inputs and the previous manifest by the recorded path (relative to the folder,
    or absolute). A missing manifest or one that is not ours raises `InputError`.
    """
    manifest_path = directory if directory.is_file() else directory / MANIFEST_JSON
    base = manifest_path.parent
    data = _load_manifest(manifest_path)
    report = VerifyReport(
        manifest=manifest_path,
        created=str(data.get("created") or ""),
        tool_version=str(data.get("tool_version") or ""),
    )
    listed: set[Path] = {manifest_path.resolve()}
    entries: list[tuple[str, dict[str, Any]]] = [("output", o) for o in data["outputs"]]
    entries += [(str(i.get("role") or DEFAULT_ROLE), i) for i in data["inputs"]]
    if data.get("previous"):
        entries.append(("previous", data["previous"]))
    for role, entry in entries:
        recorded = str(entry["file"])
        path = Path(recorded)
        path = path if path.is_absolute() else base / path
        listed.add(path.resolve())
        expected = str(entry["sha256"]).lower()
        if not path.is_file():
            report.problems.append(VerifyProblem("missing", role, recorded, expected))
            continue
        try:
            actual = sha256_file(path)
        except OSError:
            report.problems.append(VerifyProblem("unreadable", role, recorded, expected))
            continue
        if actual != expected:
            report.problems.append(VerifyProblem("changed", role, recorded, expected, actual))
        else:
            report.checked.append(recorded)
    for item in sorted(base.rglob("*")):
        rel = item.relative_to(base)
        if rel.parts[0].startswith(STAGE_PREFIX) or not item.is_file():
            continue
        if item.resolve() not in listed:
            report.unlisted.append(rel.as_posix())
    return report


def _hash_and_size(path: Path) -> dict[str, Any]:
    return {"sha256": sha256_file(path), "bytes": path.stat().st_size}


def _recorded_path(absolute: str, base_resolved: str) -> str:
    """Give the resolved `absolute` relative to `base_resolved` (on another drive: as it is)."""
    try:
        relative = os.path.relpath(absolute, base_resolved)
    except ValueError:  # Windows: another drive, no relative path exists
        return Path(absolute).as_posix()
    # On POSIX relpath's answer is already written with "/" (a Path would cost ~2 relpaths).
    return relative if os.sep == "/" else Path(relative).as_posix()


def written_on(folder: Path) -> str | None:
    """Give the ISO date a folder's manifest.json says it was written (None: no such manifest)."""
    try:
        created = _load_manifest(folder / MANIFEST_JSON).get("created")
    except InputError:
        return None
    return created[:10] if isinstance(created, str) and created[:10] else None


def recorded_sha256(folder: Path, name: str) -> str | None:
    """Give the SHA-256 a folder's manifest.json records for its output `name`.

    None when there is no manifest of ours there, or it lists no such output: a file nobody
    can vouch for (a findings.json sent on its own, a worksheet someone put there).
    """
    try:
        outputs = _load_manifest(folder / MANIFEST_JSON)["outputs"]
    except InputError:
        return None
    return next((o["sha256"] for o in outputs if o["file"] == name), None)


def recorded_inputs(folder: Path) -> dict[str, tuple[str, str]] | None:
    """Give the inputs a folder's manifest.json records: role -> (file as recorded, SHA-256).

    None when there is no manifest of ours there. A role given twice keeps its first file.
    """
    try:
        inputs = _load_manifest(folder / MANIFEST_JSON)["inputs"]
    except InputError:
        return None
    found: dict[str, tuple[str, str]] = {}
    for entry in inputs:
        role = str(entry.get("role") or DEFAULT_ROLE)
        found.setdefault(role, (entry["file"], str(entry["sha256"]).lower()))
    return found


def _load_manifest(path: Path) -> dict[str, Any]:
    loc = Location(path.name if path.parent == Path() else str(path))
    hint_th = "ระบุโฟลเดอร์ผลลัพธ์ของ laas-audit (ที่มี manifest.json) โดยไม่แก้ไข manifest.json"
    hint_en = "give a laas-audit output folder (holding manifest.json), manifest.json unedited"
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise InputError(loc, "ไม่พบ manifest.json", "manifest.json not found",
                         hint_th, hint_en) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(loc, "อ่าน manifest.json ไม่ได้", f"cannot read manifest.json ({exc})",
                         hint_th, hint_en) from exc
    ok = (
        isinstance(data, dict)
        and data.get("schema") == SCHEMA
        and isinstance(data.get("inputs"), list)
        and isinstance(data.get("outputs"), list)
        and all(
            isinstance(e, dict) and isinstance(e.get("file"), str)
            and isinstance(e.get("sha256"), str)
            for e in [*data["inputs"], *data["outputs"], *([data["previous"]]
                      if data.get("previous") else [])]
        )
    )
    if not ok:
        raise InputError(
            loc,
            f"ไม่ใช่ manifest ของ laas-audit (ต้องเป็น schema {SCHEMA} ที่มีรายการไฟล์ครบ)",
            f"not a laas-audit manifest (expected schema {SCHEMA} with file lists)",
            hint_th,
            hint_en,
        )
    return data
