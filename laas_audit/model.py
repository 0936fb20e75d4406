"""The review result: one model that findings.json, report.html and findings.xlsx all render.

Renderers read only this; they never re-read inputs or re-run checks. `findings.json` is the
serialisation of `ReviewResult.to_dict()` and is a documented contract (docs/findings-json.md).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

SCHEMA = "laas-audit/findings/1"

Category = Literal["stale", "mismatch", "privilege", "hygiene"]
Severity = Literal["high", "medium", "low"]
MatchMethod = Literal["national_id", "username", "name", "fuzzy", "confirmed", "none"]
FindingStatus = Literal["new", "persisting", "waived"]

CATEGORIES: tuple[Category, ...] = ("stale", "mismatch", "privilege", "hygiene")
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")  # most severe first
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}

CATEGORY_TH = {
    "stale": "ค้างในระบบ",
    "mismatch": "ไม่ตรงหน้าที่",
    "privilege": "สิทธิ์เกินหน้าที่",
    "hygiene": "สุขอนามัยบัญชี",
}
SEVERITY_TH = {"high": "สูง", "medium": "กลาง", "low": "ต่ำ"}
STATUS_TH = {"new": "ใหม่", "persisting": "ยังคงอยู่", "waived": "ยกเว้น", "resolved": "แก้ไขแล้ว"}
METHOD_TH = {
    "national_id": "เลขประจำตัวประชาชน",
    "username": "ชื่อผู้ใช้",
    "name": "ชื่อ-สกุล",
    "fuzzy": "ชื่อใกล้เคียง (ควรยืนยัน)",
    "confirmed": "ยืนยันโดยผู้ตรวจ",
    "none": "ไม่พบในทะเบียนบุคลากร",
}


@dataclass
class Candidate:
    """A roster person an account might be, when matching could not decide."""

    full_name: str
    roster_row: int
    score: float


@dataclass
class MatchInfo:
    """How an account was tied to a roster person."""

    method: MatchMethod
    score: float | None = None  # 100 for exact methods, rapidfuzz score for fuzzy
    roster_row: int | None = None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def counted_as(self) -> MatchMethod:
        """The method summaries count it under: a reviewer's "-" (no one) is "none".

        `method` stays "confirmed" in findings.json (who decided it); counts say who was found.
        """
        if self.method == "confirmed" and self.roster_row is None:
            return "none"
        return self.method


@dataclass
class AccountResult:
    """An account as the review saw it, with its match and the roster facts used."""

    username: str
    full_name: str
    groups: list[str]
    status: str | None
    match: MatchInfo
    national_id: str | None = None  # masked by renderers unless asked otherwise
    position: str | None = None  # the roster's when matched, else the export's
    unit: str | None = None
    roster_status: str | None = None
    source_rows: list[int] = field(default_factory=list)
    last_login: str | None = None  # ISO date
    password_changed: str | None = None  # ISO date


@dataclass
class Source:
    """Where a finding's account is in the export, as Excel shows it."""

    file: str
    sheet: str | None
    rows: list[int]


@dataclass
class Waiver:
    """The accepted-risk exception that waives a finding (issue 5)."""

    reason: str
    approved_by: str
    expires: str  # ISO date
    order: str | None = None


@dataclass
class PreviousDecision:
    """What the finance head decided on a finding last cycle (the previous review's record.json).

    Carried so that a decision not carried out (an account decided ยกเลิกผู้ใช้ still there) shows.
    """

    decision: str | None  # keep / cancel / adjust_groups / accept_risk; None: only a note
    decision_th: str | None  # as the worksheet's drop-down says it
    note: str | None
    reviewer: str | None
    date: str | None  # ISO date of the decision


@dataclass
class Finding:
    """One problem with one account (or one person), found by one rule."""

    id: str  # stable across runs: rule + account + detail, hashed
    rule: str  # LA101
    category: Category
    severity: Severity
    username: str
    groups: list[str]
    message: str  # Thai, specific to this account
    evidence: dict[str, Any]  # facts from both files, each with file/sheet/row where known
    source: Source
    status: FindingStatus = "new"
    message_en: str = ""
    waiver: Waiver | None = None
    previous_decision: PreviousDecision | None = None  # last cycle's, from its record.json
    # A login renamed since last cycle (somchai.k -> a ThaiD login): the finding it continues
    previous_username: str | None = None
    previous_id: str | None = None  # also set when the rule changed (`previous_rule`)
    # The same problem on the account under another rule last cycle (LA105 -> LA101): its rule
    previous_rule: str | None = None

    def continues(self, old: Finding) -> None:
        """Mark this finding as last cycle's `old` going on (another login or rule): persisting."""
        self.previous_id = old.id
        if old.rule != self.rule:
            self.previous_rule = old.rule
        if self.status != "waived":
            self.status = "persisting"


@dataclass
class RuleInfo:
    """A rule's words, for renderers (from the catalogue, not from the check code)."""

    code: str
    slug: str
    category: Category
    severity: Severity
    title_th: str
    title_en: str
    why_th: str
    why_en: str
    action_th: str
    action_en: str
    clause: str


@dataclass
class InputRecord:
    """One input file, for the provenance table and the manifest."""

    role: Literal["export", "roster"]
    file: str
    sha256: str
    rows: int
    sheet: str | None = None
    header_row: int | None = None


@dataclass
class ExceptionState:
    """An exception from --exceptions and whether it did anything this cycle."""

    username: str
    rule: str | None
    category: str | None
    expires: str
    state: Literal["active", "expired", "unused"]
    reason: str = ""
    approved_by: str = ""
    order: str | None = None
    expiring_soon: bool = False


@dataclass
class ReviewResult:
    """Everything one review of one body produced."""

    tool_version: str
    policy_version: str
    as_of: date
    body: dict[str, str | None]  # name, district, province
    inputs: list[InputRecord]
    accounts: list[AccountResult]
    findings: list[Finding]
    rules: dict[str, RuleInfo]  # code -> words, for every rule that ran
    citation: str = ""  # the DLA letter, from the policy
    warnings: list[str] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    exceptions: list[ExceptionState] = field(default_factory=list)
    generated_at: str = ""  # ISO timestamp
    previous: str | None = None  # the previous review compared against, if any

    def sorted_findings(self) -> list[Finding]:
        """Most severe first, then by category order, rule and username."""
        cat = {c: i for i, c in enumerate(CATEGORIES)}
        return sorted(
            self.findings,
            key=lambda f: (SEVERITY_RANK[f.severity], cat[f.category], f.rule, f.username),
        )

    def match_counts(self) -> Counter[MatchMethod]:
        """Count accounts per match method, a confirmed "no one" as "none" (not on the roster)."""
        return Counter(a.match.counted_as for a in self.accounts)

    def offered_a_person(self) -> int:
        """Count accounts found by no one but offered a person to confirm (a married name).

        Summaries count them as to confirm, not as not found: matches-to-confirm.csv asks.
        """
        return sum(1 for a in self.accounts if a.match.counted_as == "none" and a.match.candidates)

    def counts(self) -> dict[str, dict[str, int]]:
        """Count findings per category and severity (waived ones excluded), for summaries."""
        table: dict[str, dict[str, int]] = {c: {s: 0 for s in SEVERITIES} for c in CATEGORIES}
        for f in self.findings:
            if f.status != "waived":
                table[f.category][f.severity] += 1
        return table

    def to_dict(self) -> dict[str, Any]:
        """Return the findings.json contract (IDs left as they are: mask before if needed)."""
        return {
            "schema": SCHEMA,
            "tool_version": self.tool_version,
            "policy_version": self.policy_version,
            "as_of": self.as_of.isoformat(),
            "generated_at": self.generated_at,
            "body": dict(self.body),
            "citation": self.citation,
            "inputs": [asdict(i) for i in self.inputs],
            "accounts": [asdict(a) for a in self.accounts],
            "findings": [asdict(f) for f in self.sorted_findings()],
            "resolved": [asdict(f) for f in self.resolved],
            "exceptions": [asdict(e) for e in self.exceptions],
            "previous": self.previous,
            "warnings": list(self.warnings),
        }
