"""The library API of one review: read both files, match, run the checks, build the result.

`run_review` is what the CLI's `review` and the batch runner call; it returns the result model and
the normalised inputs (for `matches-to-confirm.csv`). Writing files is `output.write_review`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from laas_audit import __version__
from laas_audit.checks import load_catalogue
from laas_audit.checks.base import ReviewContext
from laas_audit.dates import to_be_short
from laas_audit.engine import run_checks
from laas_audit.errors import InputWarning, Location
from laas_audit.mapping import Mapping
from laas_audit.matching import match_accounts
from laas_audit.matching_types import Match
from laas_audit.model import AccountResult, InputRecord, MatchInfo, ReviewResult
from laas_audit.policy import Policy, load_policy
from laas_audit.read_export import read_export
from laas_audit.read_roster import read_roster
from laas_audit.tables import Account, ExportTable, RosterTable, SourceFile


@dataclass
class ReviewOptions:
    """Everything a review can be told besides its two input files."""

    as_of: date | None = None  # default: the export's own date, then today
    mapping: Mapping | None = None
    confirmed: dict[str, str] = field(default_factory=dict)  # username -> national ID / name
    confirmed_source: str = "--matches"  # the file the confirmed answers came from
    previous: Path | None = None  # previous review folder or findings.json
    exceptions: Path | None = None  # accepted-risk exceptions (YAML)


@dataclass
class ReviewRun:
    """A finished review: the result model plus the normalised inputs it was built from."""

    result: ReviewResult
    export: ExportTable
    roster: RosterTable
    matches: dict[str, Match]
    export_path: Path
    roster_path: Path
    options: ReviewOptions
    # A worksheet someone filled in the output folder, kept under this name when it was written
    kept_worksheet: Path | None = None
    previous_record: Path | None = None  # the previous review's record.json read (--previous)


def run_review(
    export_path: Path,
    roster_path: Path,
    options: ReviewOptions | None = None,
    policy: Policy | None = None,
) -> ReviewRun:
    """Review one body: raises `InputError` for anything wrong with the inputs."""
    options = options or ReviewOptions()
    policy = policy or load_policy()
    export = read_export(export_path, options.mapping)
    roster = read_roster(roster_path, options.mapping, policy=policy)
    return review_tables(export, roster, export_path, roster_path, options, policy)


def review_tables(
    export: ExportTable,
    roster: RosterTable,
    export_path: Path,
    roster_path: Path,
    options: ReviewOptions,
    policy: Policy,
) -> ReviewRun:
    """Review already-read tables (the batch runner reads files in worker processes)."""
    as_of = options.as_of or export.as_of or date.today()
    # Reviewed as of today only because nobody said otherwise: say so, first.
    undated = [] if options.as_of or export.as_of else [_undated_warning(export, as_of)]
    match_warnings: list[InputWarning] = []
    matches = match_accounts(
        export.accounts,
        roster.people,
        policy,
        options.confirmed or None,
        warnings=match_warnings,
        confirmed_source=options.confirmed_source,
        roster_where=Location(file=roster.source.name, sheet=roster.source.sheet),
        as_of=as_of,
    )
    ctx = ReviewContext(as_of=as_of, policy=policy, export=export, roster=roster, matches=matches)
    catalogue = load_catalogue()
    findings, check_warnings = run_checks(ctx, catalogue)
    body = export.body if export.body.name else roster.body
    result = ReviewResult(
        tool_version=__version__,
        policy_version=policy.version,
        as_of=as_of,
        body={"name": body.name, "district": body.district, "province": body.province},
        inputs=[
            _input_record("export", export.source),
            _input_record("roster", roster.source),
        ],
        accounts=[_account_result(a, matches) for a in export.accounts],
        findings=findings,
        rules=catalogue,
        citation=policy.citation,
        warnings=[
            str(w) for w in [*undated, *export.warnings, *roster.warnings, *match_warnings]
        ]
        + check_warnings,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    previous_record: Path | None = None
    if options.previous is not None:
        from laas_audit.cycle import apply_previous, load_previous
        from laas_audit.previous_decisions import carry_decisions
        from laas_audit.previous_usernames import restore_usernames

        previous = load_previous(options.previous)
        apply_previous(result, previous)
        restore_usernames(result.resolved, options.previous)
        record = carry_decisions(result, previous, options.previous)
        previous_record = record.path if record else None
    if options.exceptions is not None:
        from laas_audit.exceptions import apply_exceptions, load_exceptions

        apply_exceptions(
            result,
            load_exceptions(options.exceptions),
            as_of,
            expiring_soon_days=int(policy.thresholds.expiring_soon_days),
        )
    return ReviewRun(
        result, export, roster, matches, export_path, roster_path, options,
        previous_record=previous_record,
    )


def _undated_warning(export: ExportTable, today: date) -> InputWarning:
    """Say that an export with no date of its own was reviewed as of today."""
    return InputWarning(
        Location(file=export.source.name, sheet=export.source.sheet),
        f"รายงานไม่ระบุวันที่ของข้อมูล จึงตรวจ ณ วันที่ทำรายการ ({to_be_short(today)});"
        " ระบุ --as-of ถ้าข้อมูลเป็นของวันอื่น",
        f"the export gives no date for its data, so it was reviewed as of today"
        f" ({today.isoformat()}); give --as-of if the data is of another day",
    )


def _input_record(role: Literal["export", "roster"], source: SourceFile) -> InputRecord:
    return InputRecord(
        role=role,
        file=source.name,
        sha256=source.sha256,
        rows=source.rows,
        sheet=source.sheet,
        header_row=source.header_row,
    )


def _account_result(account: Account, matches: dict[str, Match]) -> AccountResult:
    match = matches.get(account.key) or Match(method="none")
    person = match.person
    return AccountResult(
        username=account.username,
        full_name=account.full_name_raw or account.full_name or "",
        groups=list(account.groups),
        status=account.status,
        match=MatchInfo(
            method=match.method,
            score=match.score,
            roster_row=person.row if person else None,
            candidates=list(match.candidates),
        ),
        national_id=account.national_id or (person.national_id if person else None),
        position=(person.position if person and person.position else account.position),
        unit=(person.unit if person and person.unit else account.unit),
        roster_status=person.status if person else None,
        source_rows=list(account.rows),
        last_login=account.last_login.isoformat() if account.last_login else None,
        password_changed=(
            account.password_changed.isoformat() if account.password_changed else None
        ),
    )
