"""The library API behind each CLI command: plain functions taking paths, returning results.

Other tools (and tests) call these directly; the CLI only parses options and prints.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from laas_audit.review import ReviewOptions, ReviewRun, run_review


def review_files(
    export: Path,
    roster: Path,
    out_dir: Path,
    *,
    as_of: date | None = None,
    policy: Path | None = None,
    mapping: Path | None = None,
    previous: Path | None = None,
    exceptions: Path | None = None,
    matches: Path | None = None,
    lang: str = "th",
    show_ids: bool = False,
    html: bool = True,
    worksheet: bool = True,
) -> tuple[ReviewRun, list[Path]]:
    """Review one body and write its output folder; returns the run and the files written."""
    from laas_audit.confirm import load_confirmed
    from laas_audit.mapping import load_mapping
    from laas_audit.output import check_output_dir
    from laas_audit.policy import load_policy
    from laas_audit.publish import write_review

    check_output_dir(out_dir)
    _check_out_is_not_previous(out_dir, previous)
    options = ReviewOptions(
        as_of=as_of,
        mapping=load_mapping(mapping) if mapping else None,
        confirmed=load_confirmed(matches) if matches else {},
        confirmed_source=matches.name if matches else "--matches",
        previous=previous,
        exceptions=exceptions,
    )
    run = run_review(export, roster, options, load_policy(policy))
    extra = [
        (role, path)
        for role, path in (
            ("policy", policy), ("mapping", mapping), ("exceptions", exceptions),
            ("matches", matches), ("previous", _findings_file(previous)),
            ("previous_record", run.previous_record),
        )
        if path is not None and path.is_file()
    ]
    written = write_review(
        run, out_dir, lang=lang, show_ids=show_ids, html=html, worksheet=worksheet,
        extra_inputs=extra,
    )
    return run, written


def record_worksheet(worksheet: Path, out_dir: Path | None = None) -> tuple[str, list[Path]]:
    """Read a filled review worksheet and write the review record beside it.

    The default folder is `record/` next to the worksheet, so the review's own manifest stays
    intact; the record's manifest chains to it, once the worksheet is known to be that review's.
    """
    from laas_audit.previous_decisions import RECORD_DIR
    from laas_audit.record import RECORD_HTML, build_record, read_worksheet, write_record
    from laas_audit.record_checks import check_review_folder

    filled = read_worksheet(worksheet)
    review_manifest = worksheet.parent / "manifest.json"
    if review_manifest.is_file():
        check_review_folder(filled, worksheet.parent)
    record = build_record(filled)
    target = out_dir or worksheet.parent / RECORD_DIR
    written = write_record(
        record, target, worksheet=worksheet,
        previous_manifest=review_manifest if review_manifest.is_file() else None,
    )
    from laas_audit.summary import warnings_block

    block = warnings_block(record.warnings, where=RECORD_HTML)
    return record.summary() + (f"\n{block}" if block else ""), written


def _findings_file(previous: Path | None) -> Path | None:
    """Give the previous findings.json itself (--previous may name its folder), an input."""
    from laas_audit.cycle import FINDINGS_JSON

    if previous is None:
        return None
    return previous / FINDINGS_JSON if previous.is_dir() else previous


def _check_out_is_not_previous(out_dir: Path, previous: Path | None) -> None:
    """Refuse to write a review over the previous cycle's folder it is compared with."""
    from laas_audit.errors import InputError, Location

    if previous is None:
        return
    folder = previous if previous.is_dir() else previous.parent
    if folder.resolve() == out_dir.resolve():
        raise InputError(
            Location(str(out_dir)),
            "โฟลเดอร์ผลลัพธ์ (--out) เป็นโฟลเดอร์เดียวกับผลการตรวจรอบก่อน (--previous) "
            "จะเขียนทับผลรอบก่อนที่ใช้เปรียบเทียบ",
            "the output folder (--out) is the previous review's folder (--previous): this "
            "review would overwrite the one it is compared with",
            "ใช้โฟลเดอร์ใหม่สำหรับรอบนี้ เช่น ผลการตรวจ-2569-10",
            "write this cycle into a new folder, e.g. review-2569-10",
        )
