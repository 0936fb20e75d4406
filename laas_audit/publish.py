"""Write everything one review produces into its output folder, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from laas_audit.output import write_all
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
    """
    from laas_audit.confirm import write_matches_to_confirm
    from laas_audit.manifest import write_manifest
    from laas_audit.render_json import write_json

    result = run.result
    writers: dict[str, Callable[[Path], object]] = {
        FINDINGS_JSON: lambda p: write_json(result, p, show_ids=show_ids),
    }
    if html:
        from laas_audit.render_html import write_report

        writers[REPORT_HTML] = lambda p: write_report(result, p, lang=lang)
    if worksheet:
        from laas_audit.render_xlsx import write_worksheet

        writers[WORKSHEET_XLSX] = lambda p: write_worksheet(result, p)
    writers[MATCHES_CSV] = lambda p: write_matches_to_confirm(run.export.accounts, run.matches, p)
    previous_manifest = _previous_manifest(run)
    inputs = [("export", run.export_path), ("roster", run.roster_path), *(extra_inputs or [])]

    def manifest(path: Path) -> None:
        outputs = [path.parent / name for name in writers if name != MANIFEST_JSON]
        write_manifest(path.parent, inputs, outputs, previous_manifest)

    writers[MANIFEST_JSON] = manifest
    return write_all(out_dir, writers)


def _previous_manifest(run: ReviewRun) -> Path | None:
    previous = run.options.previous
    if previous is None:
        return None
    folder = previous if previous.is_dir() else previous.parent
    candidate = folder / MANIFEST_JSON
    return candidate if candidate.is_file() else None
