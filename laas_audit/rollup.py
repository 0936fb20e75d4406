"""The provincial rollup: one row of counts per reviewed body, and its three views.

`OUT/rollup.json` is the contract (schema `laas-audit/rollup/1`, docs/rollup-json.md);
`OUT/rollup.xlsx` and `OUT/index.html` render the same `Rollup`. A `BodyRow` is built in the
worker process from a `ReviewResult` and is all the parent ever receives about a body: counts,
never accounts.

With `share=True` the rollup is meant to leave the province: it holds counts and rates only. Body
names, อำเภอ and จังหวัด and the body folder names stay (they name public bodies, not people);
per-body report links are dropped, and skipped folders get a generic reason without file names or
error text (an `InputError` may quote a cell, and a cell may be a person's name).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from concurrent.futures import Future

from laas_audit.model import CATEGORIES, SEVERITIES, ReviewResult, RuleInfo

SCHEMA = "laas-audit/rollup/1"
ROLLUP_JSON = "rollup.json"
ROLLUP_XLSX = "rollup.xlsx"
INDEX_HTML = "index.html"
INDEX_TEMPLATE = "index.html.j2"

UNKNOWN_DISTRICT_TH = "ไม่ทราบอำเภอ"


def per_100(findings: int, accounts: int | None) -> float | None:
    """Give findings per 100 accounts, one decimal; None when there are no accounts."""
    if not accounts or accounts <= 0:
        return None
    return round(100 * findings / accounts, 1)


@dataclass
class BodyRow:
    """One reviewed body as the rollup sees it: where it is and how many of what it has."""

    folder: str
    name: str | None
    district: str | None
    province: str | None
    accounts: int
    as_of: str  # ISO date the body was reviewed as of
    findings: dict[str, int]  # category -> count (waived findings excluded)
    severity: dict[str, int]  # severity -> count (waived excluded)
    matrix: dict[str, dict[str, int]]  # category -> severity -> count
    rules: dict[str, int]  # rule code -> count (waived excluded)
    report: str | None  # relative path of the body's report.html, None when not written
    warnings: int = 0  # reader/check warnings of the review
    # The date of a findings.xlsx an earlier run left beside this run's report (no --worksheets)
    kept_worksheet: str | None = None
    # Other files in the folder that were not used: (file name, why), reason in both languages.
    unused: list[tuple[str, str]] = field(default_factory=list)
    # SHA-256 of the export reviewed: two folders holding the same file are one body, not two
    export_sha256: str | None = None
    # Accounts the review judged active (every rule skips a ระงับ/disabled one); None: not known
    active_accounts: int | None = None
    # rule code -> severity -> count (waived excluded): a finding's severity may differ from
    # its rule's catalogue severity (LA302 on procurement and cash is high)
    rule_severity: dict[str, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def from_result(
        cls, folder: str, result: ReviewResult, report: str | None,
        is_inactive: Callable[[str | None], bool],
    ) -> BodyRow:
        """Count one body's review (counts only: nothing personal is kept).

        `is_inactive` is the policy's `is_inactive_account_status`, the test every rule uses
        to skip an account that cannot log in.
        """
        matrix = result.counts()
        live = [f for f in result.findings if f.status != "waived"]
        rules = Counter(f.rule for f in live)
        rule_severity: dict[str, dict[str, int]] = {}
        for f in live:
            by_severity = rule_severity.setdefault(f.rule, {})
            by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
        export = next((i.sha256 for i in result.inputs if i.role == "export"), None)
        return cls(
            folder=folder,
            name=result.body.get("name"),
            district=result.body.get("district"),
            province=result.body.get("province"),
            accounts=len(result.accounts),
            active_accounts=sum(1 for a in result.accounts if not is_inactive(a.status)),
            rule_severity=rule_severity,
            as_of=result.as_of.isoformat(),
            findings={c: sum(matrix[c].values()) for c in CATEGORIES},
            severity={s: sum(matrix[c][s] for c in CATEGORIES) for s in SEVERITIES},
            matrix=matrix,
            rules=dict(sorted(rules.items())),
            report=report,
            warnings=len(result.warnings),
            export_sha256=export,
        )

    @property
    def total(self) -> int:
        """All (not waived) findings of the body."""
        return sum(self.findings.values())

    @property
    def per_100_accounts(self) -> float | None:
        """Findings per 100 accounts, one decimal; None for a body with no accounts."""
        return per_100(self.total, self.accounts)

    @property
    def per_100_active(self) -> float | None:
        """Findings per 100 active accounts, one decimal; None without any (or not known).

        The rate bodies are ranked by: no rule looks at a disabled account, so a body keeping
        many disabled accounts would otherwise look better than it is.
        """
        return per_100(self.total, self.active_accounts)

    @property
    def display_name(self) -> str:
        """The body's name from its files, else its folder name."""
        return self.name or self.folder

    def to_dict(self, share: bool = False) -> dict[str, Any]:
        """Build the rollup.json entry (the required keys first, then the extras)."""
        return {
            "folder": self.folder,
            "name": self.name,
            "district": self.district,
            "province": self.province,
            "accounts": self.accounts,
            "findings": {c: self.findings.get(c, 0) for c in CATEGORIES},
            "per_100_accounts": self.per_100_accounts,
            "report": None if share else self.report,
            "as_of": self.as_of,
            "active_accounts": self.active_accounts,
            "per_100_active": self.per_100_active,
            "total": self.total,
            "severity": {s: self.severity.get(s, 0) for s in SEVERITIES},
            "rules": dict(self.rules),
            "warnings": self.warnings,
            "unused_files": [
                {"file": name or None, "reason": reason}
                for name, reason in self.unused_shown(share)
            ],
        }

    def unused_shown(self, share: bool = False) -> list[tuple[str, str]]:
        """Give (file, why) of each unused file.

        Under --share no file is named (names can be personal: "นายสมชาย.xlsx") and the
        reason is generic.
        """
        if share:
            return [("", UNUSED_FILE_SHARED) for _ in self.unused]
        return list(self.unused)


@dataclass
class SkippedBody:
    """A folder the batch could not review, and why (Thai and English, naming the file)."""

    folder: str
    reason_th: str
    reason_en: str
    kind: str = "input"  # input | no-export | no-roster | two-exports | two-rosters | error
    #                      | loose-file (a file directly in INPUT_DIR) | archive (a zip there)
    problems: tuple[str, ...] = ()  # the file's problems row by row, each in both languages

    @property
    def reason(self) -> str:
        """Both languages in one line, then the first problems (what `review` would list)."""
        text = f"{self.reason_th} / {self.reason_en}"
        if self.problems:
            shown = "; ".join(self.problems[:MAX_PROBLEMS_SHOWN])
            more = len(self.problems) - MAX_PROBLEMS_SHOWN
            text += f": {shown}" + (f" (และอีก {more} รายการ / {more} more)" if more > 0 else "")
        return text

    def shared_reason(self) -> str:
        """Give a reason that names no file and quotes no cell, for `--share`."""
        th, en = SHARE_REASONS.get(self.kind, SHARE_REASONS["input"])
        return f"{th} / {en}"


UNUSED_FILE_SHARED = "มีไฟล์อื่นที่ไม่ได้ใช้ / another file was not used"
MAX_PROBLEMS_SHOWN = 3  # a skipped folder's reason is one line of the summary and the rollup

SHARE_REASONS: dict[str, tuple[str, str]] = {
    "no-export": ("ไม่พบไฟล์รายงานผู้ใช้งาน", "no e-LAAS export found"),
    "no-roster": ("ไม่พบไฟล์ทะเบียนบุคลากร", "no HR roster found"),
    "two-exports": ("พบไฟล์รายงานผู้ใช้งานมากกว่าหนึ่งไฟล์", "more than one export"),
    "two-rosters": ("พบไฟล์ทะเบียนบุคลากรมากกว่าหนึ่งไฟล์", "more than one roster"),
    "input": ("ไฟล์มีข้อผิดพลาด อ่านไม่ได้", "an input file could not be read"),
    "error": ("ประมวลผลไม่สำเร็จ", "processing failed"),
    "loose-file": ("ไฟล์ไม่ได้อยู่ในโฟลเดอร์ของหน่วยงาน", "a file not in a body's folder"),
    "archive": ("ไฟล์บีบอัด (zip): แตกไฟล์ลงในโฟลเดอร์ของหน่วยงานแล้วรันอีกครั้ง",
                "an archive (zip): extract it into the body's own folder and run again"),
    "duplicate": ("ซ้ำกับอีกโฟลเดอร์หนึ่งในชุดนี้ (ไฟล์เดียวกัน)",
                  "a copy of another folder of this run (the same file)"),
    "hidden-folder": ("โฟลเดอร์ซ่อน (ชื่อขึ้นต้นด้วยจุด) ไม่ได้ตรวจ",
                      "a hidden folder (name starts with a dot), not reviewed"),
}


def split_duplicates(
    bodies: list[BodyRow],
) -> tuple[list[BodyRow], list[SkippedBody], list[list[str]]]:
    """Count each body once: (bodies kept, copies skipped, folders that may be one body).

    A folder whose export is byte for byte another folder's (a copy, or a link to it) is the
    same body: the first folder by name is kept, the others are skipped and say which they
    copy. Folders with different exports but the same body name, อำเภอ and จังหวัด (all three
    known) are kept (one may be a newer export) and listed, so that the province checks which
    is current.
    """
    first: dict[str, BodyRow] = {}
    kept: list[BodyRow] = []
    copies: list[SkippedBody] = []
    for body in sorted(bodies, key=lambda b: b.folder):
        original = first.get(body.export_sha256) if body.export_sha256 else None
        if original is None:
            if body.export_sha256:
                first[body.export_sha256] = body
            kept.append(body)
            continue
        copies.append(SkippedBody(
            body.folder,
            f"รายงานผู้ใช้งานในโฟลเดอร์นี้เป็นไฟล์เดียวกับในโฟลเดอร์ {original.folder} ทุกไบต์ "
            f"จึงนับเป็นหน่วยงานเดียว (นับที่ {original.folder}); ลบโฟลเดอร์ที่ซ้ำออก",
            f"its export is byte for byte the one in folder {original.folder}, so it is one "
            f"body, counted once (as {original.folder}); remove the copy",
            kind="duplicate",
        ))
    same: dict[tuple[str, str, str], list[str]] = {}
    for body in kept:
        # Without its อำเภอ and จังหวัด a name is no identity: two provinces have a หนองบัว.
        if body.name and body.district and body.province:
            key = (body.name, body.district, body.province)
            same.setdefault(key, []).append(body.folder)
    return kept, copies, [folders for folders in same.values() if len(folders) > 1]


EarlierWhy = Literal["skipped_now", "not_in_input", "worksheet_not_rewritten"]

_EARLIER_NOTES: dict[EarlierWhy, tuple[str, str]] = {
    "skipped_now": ("ครั้งนี้ตรวจไม่ได้ (ดูโฟลเดอร์ที่ไม่ได้ตรวจ)",
                    "could not be reviewed this time (see the skipped folders)"),
    "not_in_input": ("ไม่มีในโฟลเดอร์ข้อมูลนำเข้าแล้ว", "no longer in the input folder"),
    "worksheet_not_rewritten": (
        "แบบทบทวนจากการตรวจครั้งก่อน ครั้งนี้ไม่ได้สร้างใหม่ (ไม่ได้ใช้ --worksheets)",
        "a worksheet from an earlier run; this run wrote none (no --worksheets)",
    ),
}


@dataclass
class EarlierOutput:
    """Results of an earlier run left in the output folder, which this run did not rewrite.

    A body folder this run did not write, or a worksheet beside a rewritten report. Nothing is
    deleted (a finance head may have filled a worksheet); it is listed so that nobody takes it
    for this run's.
    """

    folder: str  # the body folder, or "folder/findings.xlsx" for a worksheet
    created: str | None  # when it was written (manifest.json, or the file's date), ISO date
    why: EarlierWhy

    @property
    def note_th(self) -> str:
        """Why it is not this run's, in Thai."""
        return _EARLIER_NOTES[self.why][0]

    @property
    def note_en(self) -> str:
        """Why it is not this run's, in English."""
        return _EARLIER_NOTES[self.why][1]


@dataclass
class Problem:
    """One rule across the province: how many findings, of which severity, in how many bodies."""

    code: str
    title_th: str
    title_en: str
    category: str
    severity: str  # the rule's catalogue severity; its findings may be rated otherwise
    findings: int
    bodies: int
    # severity -> findings of that severity (every severity, in SEVERITIES order)
    severities: dict[str, int] = field(default_factory=dict)

    @property
    def found_severities(self) -> list[tuple[str, int]]:
        """(severity, count) of the severities found, most severe first."""
        return [(s, n) for s, n in self.severities.items() if n]

    @property
    def worst(self) -> str:
        """The most severe severity found ("" for none)."""
        return next((s for s, _ in self.found_severities), "")


@dataclass
class DistrictGroup:
    """The bodies of one อำเภอ (or of unknown อำเภอ), ranked, with their totals."""

    district: str | None
    bodies: list[BodyRow]

    @property
    def accounts(self) -> int:
        """Accounts in the district's bodies."""
        return sum(b.accounts for b in self.bodies)

    @property
    def total(self) -> int:
        """Findings in the district's bodies."""
        return sum(b.total for b in self.bodies)

    @property
    def active_accounts(self) -> int:
        """Active accounts in the district's bodies (a body not known counts as none)."""
        return sum(b.active_accounts or 0 for b in self.bodies)

    @property
    def per_100_accounts(self) -> float | None:
        """The district's findings per 100 accounts."""
        return per_100(self.total, self.accounts)

    @property
    def per_100_active(self) -> float | None:
        """The district's findings per 100 active accounts."""
        return per_100(self.total, self.active_accounts)


@dataclass
class Rollup:
    """Everything the batch learned, in the form the three rollup files render."""

    as_of: date | None  # --as-of, else None (each body then has its own date)
    bodies: list[BodyRow]
    skipped: list[SkippedBody]
    rules: Mapping[str, RuleInfo] = field(default_factory=dict)  # catalogue, for titles
    share: bool = False
    tool_version: str = ""
    earlier: list[EarlierOutput] = field(default_factory=list)  # never filled under --share
    # Folders kept as different bodies that have one body's name, อำเภอ and จังหวัด
    same_name: list[list[str]] = field(default_factory=list)
    generated_at: str = field(
        default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds")
    )

    @property
    def effective_as_of(self) -> str | None:
        """The date the rollup speaks for: --as-of, else the latest body date."""
        if self.as_of is not None:
            return self.as_of.isoformat()
        return max((b.as_of for b in self.bodies), default=None)

    def ranked(self) -> list[BodyRow]:
        """Worst first: findings per 100 active accounts, then high-severity count, then name."""
        return sorted(
            self.bodies,
            key=lambda b: (
                -(b.per_100_active or 0.0),
                -b.severity.get("high", 0),
                -b.total,
                b.display_name,
                b.folder,
            ),
        )

    def ranks(self) -> dict[str, int]:
        """Folder -> 1-based province-wide rank (1 = most findings per 100 active accounts)."""
        return {b.folder: i for i, b in enumerate(self.ranked(), start=1)}

    def by_district(self) -> list[DistrictGroup]:
        """Ranked bodies grouped by อำเภอ, worst district first; unknown อำเภอ last."""
        groups: dict[str | None, list[BodyRow]] = {}
        for body in self.ranked():
            groups.setdefault(body.district or None, []).append(body)
        known = [DistrictGroup(d, rows) for d, rows in groups.items() if d is not None]
        known.sort(key=lambda g: (-(g.per_100_active or 0.0), -g.total, g.district or ""))
        if None in groups:
            known.append(DistrictGroup(None, groups[None]))
        return known

    def common_problems(self) -> list[Problem]:
        """Rules by number of bodies they fired in, then by findings (most common first)."""
        findings: Counter[str] = Counter()
        bodies: Counter[str] = Counter()
        severities: dict[str, Counter[str]] = {}
        for body in self.bodies:
            for code, n in body.rules.items():
                findings[code] += n
                bodies[code] += 1 if n else 0
            for code, by_severity in body.rule_severity.items():
                severities.setdefault(code, Counter()).update(by_severity)
        problems = []
        for code, n in findings.items():
            info = self.rules.get(code)
            found = severities.get(code, Counter())
            problems.append(
                Problem(
                    code=code,
                    title_th=info.title_th if info else code,
                    title_en=info.title_en if info else code,
                    category=info.category if info else "",
                    severity=info.severity if info else "",
                    findings=n,
                    bodies=bodies[code],
                    severities={s: found.get(s, 0) for s in SEVERITIES},
                )
            )
        problems.sort(key=lambda p: (-p.bodies, -p.findings, p.code))
        return problems

    def totals(self) -> dict[str, Any]:
        """Province-wide sums."""
        accounts = sum(b.accounts for b in self.bodies)
        active = sum(b.active_accounts or 0 for b in self.bodies)
        total = sum(b.total for b in self.bodies)
        return {
            "bodies": len(self.bodies),
            "skipped": len(self.skipped),
            "accounts": accounts,
            "active_accounts": active,
            "findings": {c: sum(b.findings.get(c, 0) for b in self.bodies) for c in CATEGORIES},
            "severity": {s: sum(b.severity.get(s, 0) for b in self.bodies) for s in SEVERITIES},
            "total": total,
            "per_100_accounts": per_100(total, accounts),
            "per_100_active": per_100(total, active),
            "bodies_with_high": sum(1 for b in self.bodies if b.severity.get("high", 0)),
        }

    def skipped_reason(self, skipped: SkippedBody) -> str:
        """Give the reason shown for a skipped folder (generic under --share)."""
        return skipped.shared_reason() if self.share else skipped.reason

    def unused_files(self) -> list[tuple[str, str, str]]:
        """List (folder, file, why) for each file of a reviewed body's folder the review left.

        Under --share the file is not named and the reason is generic.
        """
        return [
            (b.folder, name, reason)
            for b in self.bodies
            for name, reason in b.unused_shown(self.share)
        ]

    def to_dict(self) -> dict[str, Any]:
        """Build the rollup.json document (schema laas-audit/rollup/1)."""
        return {
            "schema": SCHEMA,
            "as_of": self.effective_as_of,
            "bodies": [b.to_dict(self.share) for b in self.ranked()],
            "skipped": [
                {"folder": s.folder, "reason": self.skipped_reason(s)} for s in self.skipped
            ],
            "earlier_outputs": [
                {"folder": e.folder, "created": e.created, "why": e.why}
                for e in self.earlier
            ],
            "same_body_name": self.same_name,
            "share": self.share,
            "tool_version": self.tool_version,
            "generated_at": self.generated_at,
            "totals": self.totals(),
            "common_problems": [
                {
                    "rule": p.code,
                    "title": p.title_th,
                    "title_en": p.title_en,
                    "category": p.category,
                    "severity": p.severity,
                    "findings": p.findings,
                    "bodies": p.bodies,
                    "severities": dict(p.severities),
                }
                for p in self.common_problems()
            ],
        }


def write_rollup_json(rollup: Rollup, path: Path) -> Path:
    """Write rollup.json (UTF-8 Thai as is, indent 2)."""
    text = json.dumps(rollup.to_dict(), ensure_ascii=False, indent=2, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


# Runs a function elsewhere and returns something to wait on (`ProcessPoolExecutor.submit`).
Offload = Callable[..., "Future[Path]"]


def write_rollup(rollup: Rollup, out_dir: Path, offload: Offload | None = None) -> list[Path]:
    """Write rollup.json, rollup.xlsx and index.html into `out_dir`, all or nothing.

    With `offload` (a batch's worker pool, idle by now), index.html and rollup.json are written
    by workers while this process writes the workbook, the slowest of the three.
    """
    from laas_audit.output import staged_output
    from laas_audit.rollup_html import write_index
    from laas_audit.rollup_xlsx import write_rollup_xlsx

    with staged_output(out_dir) as stage:
        if offload is None:
            write_rollup_json(rollup, stage / ROLLUP_JSON)
            write_index(rollup, stage / INDEX_HTML)
            write_rollup_xlsx(rollup, stage / ROLLUP_XLSX)
        else:
            pending = [offload(write_index, rollup, stage / INDEX_HTML),
                       offload(write_rollup_json, rollup, stage / ROLLUP_JSON)]
            write_rollup_xlsx(rollup, stage / ROLLUP_XLSX)
            for future in pending:
                future.result()  # re-raises a worker's failure: nothing is moved into out_dir
    return [out_dir / name for name in (ROLLUP_JSON, ROLLUP_XLSX, INDEX_HTML)]
