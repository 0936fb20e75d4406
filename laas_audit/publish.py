"""Write everything one review produces into its output folder, all or nothing."""

from __future__ import annotations

from pathlib import Path

from laas_audit.output import Writer, staged_output, write_file
from laas_audit.review import ReviewRun

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
) -> list[Path]:
    """Render the result into `out_dir` (findings.json, report.html, findings.xlsx, ...).

    `extra_inputs` (policy, exceptions, confirmed matches) are hashed into the manifest too.
    Files are rendered in memory where the renderer allows it and hashed from those bytes, so
    the manifest never reads back what was just written (a batch writes thousands of these).
    """
    from laas_audit.confirm import matches_to_confirm
    from laas_audit.manifest import manifest_bytes
    from laas_audit.render_json import dumps_bytes

    result = run.result
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
        write_file(
            stage / MANIFEST_JSON, manifest_bytes(out_dir, inputs, written, _previous_manifest(run))
        )
    return [out_dir / name for name in [*files, MANIFEST_JSON]]


def _previous_manifest(run: ReviewRun) -> Path | None:
    previous = run.options.previous
    if previous is None:
        return None
    folder = previous if previous.is_dir() else previous.parent
    candidate = folder / MANIFEST_JSON
    return candidate if candidate.is_file() else None
