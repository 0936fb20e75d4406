"""The `laas-audit` command: a thin layer that parses options and calls the library.

Errors are turned into messages in one place (`AuditGroup.invoke`): `InputError` -> its Thai and
English message, exit 2; a mistyped command line -> click's usage error with a Thai line first,
exit 2; anything else -> a short message naming the inputs, exit 2, and a traceback only with
`--debug`.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from laas_audit import __version__
from laas_audit.cli_usage import bilingual
from laas_audit.errors import InputError, Location

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


class AuditGroup(click.Group):
    """Maps every failure to a two-language message and exit code 2."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """Parse the group's own options; a mistake there is told in Thai too."""
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise bilingual(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; the only place errors become messages."""
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:  # a subcommand's options: click's English, Thai first
            raise bilingual(exc) from None
        except InputError as exc:
            if ctx.meta.get("debug"):  # meta is shared by the nested contexts
                traceback.print_exc()
            click.echo(exc.message(), err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        # BaseException too: native readers raise pyo3's PanicException, which is not an Exception.
        except BaseException as exc:  # a bug, or an input we did not foresee: no bare traceback
            if ctx.meta.get("debug"):  # meta is shared by the nested contexts
                traceback.print_exc()
            files = ", ".join(ctx.meta.get("inputs", [])) or "(ไม่มี / none)"
            click.echo(
                f"ข้อผิดพลาด: ประมวลผลไฟล์ไม่สำเร็จ: {files}\n"
                f"  วิธีแก้: ตรวจว่าเป็นไฟล์รายงานจาก New e-LAAS หรือทะเบียนบุคลากรที่ถูกต้อง "
                f"แล้วลองใหม่ ถ้ายังไม่ได้ ให้รันซ้ำด้วย --debug แล้วส่งข้อความให้ผู้ดูแลเครื่องมือ\n"
                f"Error: could not process: {files} ({type(exc).__name__}: {exc})\n"
                f"  What to do: check the file is a New e-LAAS export or HR roster; if it is, "
                f"run again with --debug and report the output.",
                err=True,
            )
            ctx.exit(EXIT_BAD_INPUT)


def debug_option(f: F) -> F:
    """`--debug` on every command: show tracebacks."""

    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value:
            ctx.meta["debug"] = True
        return value

    return click.option(
        "--debug", is_flag=True, expose_value=False, is_eager=True, callback=remember,
        help="Show a traceback on errors.",
    )(f)


def remember_inputs(*paths: Path | None) -> None:
    """Note the files a command reads, so an unexpected failure can name them."""
    ctx = click.get_current_context()
    ctx.meta.setdefault("inputs", []).extend(str(p) for p in paths if p is not None)


def parse_as_of(text: str | None) -> date | None:
    """`--as-of YYYY-MM-DD` (CE, or BE when the year is over 2400)."""
    if text is None:
        return None
    from laas_audit.dates import parse_date

    parsed = parse_date(text.strip())
    if parsed.value is None:
        why_th = f" ({parsed.problem_th})" if parsed.problem_th else ""
        why_en = f" ({parsed.problem})" if parsed.problem else ""
        raise InputError(
            Location("--as-of"),
            f"วันที่ '{text}' ไม่ถูกต้อง{why_th}",
            f"'{text}' is not a valid date{why_en}",
            "ใช้รูปแบบ ปปปป-ดด-วว เช่น 2026-10-01 หรือ 2569-10-01",
            "use YYYY-MM-DD, e.g. 2026-10-01 (a Buddhist-era year such as 2569 works too)",
        )
    return parsed.value


@click.group(cls=AuditGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="laas-audit")
@debug_option
def cli() -> None:
    """laas-audit: ตรวจสอบรายชื่อผู้ใช้งานในกลุ่มผู้ใช้งาน New e-LAAS ทุก 6 เดือน.

    Review who can do what in New e-LAAS against the HR roster (DLA control).
    """


@cli.command()
@click.argument("export", type=click.Path(path_type=Path))
@click.option("--roster", "-r", required=True, type=click.Path(path_type=Path),
              help="HR roster (ทะเบียนบุคลากร): xlsx, xls or csv.")
@click.option("--as-of", "as_of", help="Review date YYYY-MM-DD (default: the export's date).")
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Output folder.")
@click.option("--policy", type=click.Path(path_type=Path), help="Policy YAML overriding rules/.")
@click.option("--mapping", type=click.Path(path_type=Path), help="Column-label mapping YAML.")
@click.option("--fail-on", type=click.Choice(["high", "medium", "low"]),
              help="Exit 1 when a finding reaches this severity.")
@click.option("--previous", type=click.Path(path_type=Path),
              help="Previous review folder or its findings.json.")
@click.option("--exceptions", type=click.Path(path_type=Path), help="Accepted risks (YAML).")
@click.option("--matches", type=click.Path(path_type=Path),
              help="Confirmed matches (the filled matches-to-confirm.csv).")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True)
@click.option("--show-ids", is_flag=True, help="Keep national IDs unmasked in findings.json.")
@debug_option
def review(
    export: Path, roster: Path, as_of: str | None, out_dir: Path, policy: Path | None,
    mapping: Path | None, fail_on: str | None, previous: Path | None, exceptions: Path | None,
    matches: Path | None, lang: str, show_ids: bool,
) -> None:
    """ตรวจหน่วยงานเดียว: รายงานผู้ใช้งานเทียบทะเบียนบุคลากร / Review one body and write the reports."""
    from laas_audit.api import review_files
    from laas_audit.model import SEVERITY_RANK
    from laas_audit.summary import review_summary, warnings_block

    remember_inputs(export, roster, policy, mapping, previous, exceptions, matches)
    run, written = review_files(
        export, roster, out_dir, as_of=parse_as_of(as_of), policy=policy, mapping=mapping,
        previous=previous, exceptions=exceptions, matches=matches, lang=lang, show_ids=show_ids,
    )
    click.echo(review_summary(run.result, lang))
    block = warnings_block(run.result.warnings)
    if block:
        click.echo(block)
    click.echo(("ผลลัพธ์: " if lang == "th" else "Written: ") + ", ".join(map(str, written)))
    if run.kept_worksheet is not None:
        click.echo(
            f"แบบตรวจสอบที่กรอกไว้ไม่ได้ถูกเขียนทับ เก็บไว้เป็น {run.kept_worksheet} / "
            f"the worksheet filled in that folder was kept as {run.kept_worksheet}, not overwritten"
        )
    threshold = {"high": 0, "medium": 1, "low": 2}.get(fail_on or "", -1)
    if any(
        f.status != "waived" and SEVERITY_RANK[f.severity] <= threshold
        for f in run.result.findings
    ):
        sys.exit(EXIT_FINDINGS)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--mapping", type=click.Path(path_type=Path), help="Column-label mapping YAML.")
@debug_option
def inspect(file: Path, as_json: bool, mapping: Path | None) -> None:
    """ดูว่าอ่านไฟล์ได้อย่างไร / Show what the reader understood of an export or roster."""
    from laas_audit.inspect import describe, inspect_file
    from laas_audit.mapping import load_mapping

    remember_inputs(file, mapping)
    info = inspect_file(file, load_mapping(mapping) if mapping else None)
    click.echo(json.dumps(info, ensure_ascii=False, indent=2) if as_json else describe(info))


@cli.command()
@click.argument("code", required=False)
@debug_option
def rules(code: str | None) -> None:
    """รายการกฎการตรวจ หรือคำอธิบายกฎ / List the rules, or explain one (`rules LA101`)."""
    from laas_audit.checks import load_catalogue
    from laas_audit.summary import rule_detail, rule_list

    catalogue = load_catalogue()
    if code is None:
        click.echo(rule_list(catalogue))
        return
    rule = catalogue.get(code.upper()) or next(
        (r for r in catalogue.values() if r.slug == code), None
    )
    if rule is None:
        raise InputError(
            Location(code),
            "ไม่มีกฎรหัสนี้",
            "no rule has this code",
            "ดูรายการด้วยคำสั่ง laas-audit rules",
            "list them with `laas-audit rules`",
        )
    click.echo(rule_detail(rule))


@cli.command()
@click.argument("worksheet", type=click.Path(path_type=Path))
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path),
              help="Output folder (default: record/ beside the worksheet).")
@debug_option
def record(worksheet: Path, out_dir: Path | None) -> None:
    """บันทึกผลการพิจารณาจากแบบทบทวน และแบบยกเลิกผู้ใช้ / Record decisions, print cancellation forms."""
    from laas_audit.api import record_worksheet

    remember_inputs(worksheet)
    summary, written = record_worksheet(worksheet, out_dir)
    click.echo(summary)
    click.echo("ผลลัพธ์: " + ", ".join(map(str, written)))


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@debug_option
def verify(folder: Path) -> None:
    """ตรวจว่าไฟล์ไม่ถูกแก้ไข / Check a folder against its manifest.json (exit 1 if changed)."""
    from laas_audit.manifest import verify as verify_folder

    remember_inputs(folder)
    report = verify_folder(folder)
    click.echo(report.describe())
    if not report.ok:
        sys.exit(EXIT_FINDINGS)


def _register_batch() -> None:
    from laas_audit.cli_batch import batch

    cli.add_command(batch)


_register_batch()


def main() -> None:
    """Console-script entry point."""
    # numpy (under pandas) starts a BLAS thread pool on import; nothing here does linear
    # algebra, and the idle pool spins (~2% of a batch's CPU) and does not survive the fork of
    # batch workers. One thread, unless the user says otherwise.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # pandera loads hypothesis (its optional data-synthesis extra) whenever it is installed, as
    # in the development venv: ~0.15 s a run for nothing the CLI does. Marking it absent makes
    # pandera take its own "not installed" path.
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    # Python's last cycle collection at exit walks every object still alive (pandas' modules, a
    # batch's results): ~0.2 s for no garbage anyone waits on. Registered first, so it runs
    # after every other exit handler; frozen objects are skipped by that collection.
    atexit.register(gc.freeze)
    cli(prog_name="laas-audit")
