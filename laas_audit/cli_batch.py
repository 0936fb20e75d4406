"""`laas-audit batch`: review every body folder of a province and write the rollup.

Registered on the main group by `cli.py` (`cli.add_command(batch)`); `InputError` (an unusable
INPUT_DIR, a bad policy) is turned into exit 2 there. Skipped bodies are reported, not fatal.
Helpers from `laas_audit.cli` are imported inside the command so that `cli.py` can import this
module at any point without a circular import.
"""

from __future__ import annotations

from pathlib import Path

import click


def _remember_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta["debug"] = True
    return value


@click.command()
@click.argument("input_dir", type=click.Path(path_type=Path))
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path), default=Path("batch-out"),
              show_default=True, help="Output folder (one subfolder per body + the rollup).")
@click.option("--as-of", "as_of", help="Review date YYYY-MM-DD (default: each export's date).")
@click.option("--policy", type=click.Path(path_type=Path), help="Policy YAML overriding rules/.")
@click.option("--mapping", type=click.Path(path_type=Path), help="Column-label mapping YAML.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Worker processes (default: the number of CPUs).")
@click.option("--worksheets", is_flag=True, help="Also write each body's findings.xlsx.")
@click.option("--share", is_flag=True,
              help="Rollup with counts and rates only (no names, usernames, IDs, body reports).")
@click.option("--debug", is_flag=True, is_eager=True, callback=_remember_debug,
              help="Show tracebacks; stop at the first unexpected error.")
def batch(
    input_dir: Path,
    out_dir: Path,
    as_of: str | None,
    policy: Path | None,
    mapping: Path | None,
    jobs: int | None,
    worksheets: bool,
    share: bool,
    debug: bool,
) -> None:
    """ตรวจทุกหน่วยงานในโฟลเดอร์ (หนึ่งโฟลเดอร์ย่อยต่อหนึ่งหน่วยงาน) แล้วสรุปรวม.

    Review every body of INPUT_DIR (one subfolder per body, holding its export and roster
    under any names) and write OUT/<body>/, OUT/index.html, OUT/rollup.xlsx, OUT/rollup.json.
    """
    from laas_audit.batch import run_batch
    from laas_audit.cli import parse_as_of, remember_inputs

    remember_inputs(input_dir, policy, mapping)
    result = run_batch(
        input_dir, out_dir, as_of=parse_as_of(as_of), policy=policy, mapping=mapping,
        jobs=jobs, worksheets=worksheets, share=share, progress=True, debug=debug,
    )
    click.echo(result.summary())
    click.echo("ผลลัพธ์ / written: " + ", ".join(str(p) for p in result.written))
    if not result.bodies:  # the rollup lists why; a script must not take this run for a review
        click.echo(
            "ข้อผิดพลาด: ไม่มีหน่วยงานใดที่ตรวจได้ ดูเหตุผลของแต่ละโฟลเดอร์ข้างบน แก้ไขแล้วรันใหม่\n"
            "Error: no body could be reviewed; see each folder's reason above, fix and run again",
            err=True,
        )
        click.get_current_context().exit(2)


def main() -> None:
    """Run `batch` alone (`python -m laas_audit.cli_batch`), with the main CLI's error handling."""
    from laas_audit.cli import AuditGroup

    group = AuditGroup(commands={"batch": batch})
    group(prog_name="laas-audit")


if __name__ == "__main__":
    main()
