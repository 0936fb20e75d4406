"""Write everything one review produces into its output folder, all or nothing."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from laas_audit.output import Writer, staged_output, write_file
from laas_audit.review import ReviewRun

if TYPE_CHECKING:
    from laas_audit.manifest import RealPaths

FINDINGS_JSON = "findings.json"
REPORT_HTML = "report.html"
WORKSHEET_XLSX = "findings.xlsx"
MATCHES_CSV = "matches-to-confirm.csv"
MANIFEST_JSON = "manifest.json"


def write_review(
    run: ReviewRun,
    out_dir: Path,
    *,
    lang: str = "th",
    show_ids: bool = False,
    html: bool = True,
    worksheet: bool = True,
    extra_inputs: list[tuple[str, Path]] | None = None,
    paths: RealPaths | None = None,
) -> list[Path]:
    """Render the result into `out_dir` (findings.json, report.html, findings.xlsx, ...).

    `extra_inputs` (policy, exceptions, confirmed matches) are hashed into the manifest too.
    `paths`: the run's `manifest.RealPaths` when it writes many folders (a batch).
    Files are rendered in memory where the renderer allows it and hashed from those bytes, so
    the manifest never reads back what was just written (a batch writes thousands of these).
    """
    from laas_audit.confirm import matches_to_confirm
    from laas_audit.manifest import manifest_bytes
    from laas_audit.render_json import dumps_bytes

    result = run.result
    keep = _filled_worksheet(out_dir) if worksheet else None
    if keep is not None:
        old, kept = keep
        result.warnings.append(
            f"{old.name} ที่มีอยู่ในโฟลเดอร์ผลลัพธ์ถูกแก้ไขหลังการตรวจครั้งก่อน (อาจกรอกแล้ว) จึงเก็บไว้เป็น "
            f"{kept.name} ไม่ได้เขียนทับ; {old.name} ตอนนี้เป็นแบบตรวจสอบใหม่ที่ยังไม่กรอก / "
            f"the {old.name} in the output folder was changed after the earlier review (filled "
            f"in, perhaps), so it was kept as {kept.name}, not overwritten; {old.name} is now "
            f"a new, blank worksheet"
        )
    files: dict[str, bytes | Writer] = {
        FINDINGS_JSON: dumps_bytes(result, show_ids=show_ids),
    }
    if html:
        from laas_audit.render_html import render_report

        files[REPORT_HTML] = render_report(result, lang=lang).encode("utf-8")
    if worksheet:
        from laas_audit.render_xlsx import write_worksheet

        files[WORKSHEET_XLSX] = lambda p: write_worksheet(result, p)
    files[MATCHES_CSV] = matches_to_confirm(run.export.accounts, run.matches)[0]
    # The readers hashed the very bytes they reviewed: the manifest records those digests.
    inputs: list[tuple[str, Path] | tuple[str, Path, str]] = [
        ("export", run.export_path, run.export.source.sha256),
        ("roster", run.roster_path, run.roster.source.sha256),
        *(extra_inputs or []),
    ]
    with staged_output(out_dir, whole_folder=True) as stage:
        written: dict[str, bytes] = {}
        for name, content in files.items():
            path = stage / name
            if isinstance(content, bytes):
                write_file(path, content)
                written[name] = content
            else:
                content(path)
                written[name] = path.read_bytes()
        manifest = manifest_bytes(out_dir, inputs, written, _previous_manifest(run), paths=paths)
        write_file(stage / MANIFEST_JSON, manifest)
        if keep is not None:  # everything is rendered: set the filled one aside, then move in
            os.rename(*keep)
            run.kept_worksheet = keep[1]
    return [out_dir / name for name in [*files, MANIFEST_JSON]]


def _filled_worksheet(out_dir: Path) -> tuple[Path, Path] | None:
    """Say where to keep a worksheet in `out_dir` that is not as a review wrote it, if any.

    A finance head may fill findings.xlsx where it was written; a review run again into the
    same folder must not overwrite that work. Only a worksheet whose hash is the one the
    folder's manifest records is ours, unchanged, and may be replaced.
    """
    old = out_dir / WORKSHEET_XLSX
    if not old.is_file():
        return None
    from laas_audit.manifest import recorded_sha256, sha256_file

    if recorded_sha256(out_dir, WORKSHEET_XLSX) == sha256_file(old):
        return None
    day = date.fromtimestamp(old.stat().st_mtime).isoformat()
    for n in range(1, 1000):
        kept = out_dir / f"findings-กรอกแล้ว-{day}{'' if n == 1 else f'-{n}'}.xlsx"
        if not kept.exists():
            return old, kept
    return None  # a thousand kept copies: leave it to the user (never reached in practice)


def _previous_manifest(run: ReviewRun) -> Path | None:
    previous = run.options.previous
    if previous is None:
        return None
    folder = previous if previous.is_dir() else previous.parent
    candidate = folder / MANIFEST_JSON
    return candidate if candidate.is_file() else None
