"""The delta between two reviews of one body (`--previous DIR|findings.json`).

Findings carry a stable `id` (rule + account + detail, hashed by the engine), so comparing two
cycles is a set comparison of ids: an id seen last time is "persisting", an unseen one "new", and
a previous id that is gone is "resolved" (listed in `ReviewResult.resolved`, same shape).

Order with `exceptions.apply_exceptions`: either order works. `apply_previous` never overwrites
"waived", and waivers never touch ids, so `resolved` and "persisting" are computed from ids alone;
a waived finding that was already there last time shows as waived, and next cycle it will be
"persisting" again if its waiver lapses (it stays in findings.json while waived).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from laas_audit.errors import InputError, Location
from laas_audit.model import (
    CATEGORIES,
    SCHEMA,
    SEVERITIES,
    Finding,
    ReviewResult,
    Source,
    Waiver,
)
from laas_audit.renamed_logins import link_renamed, tied_by_person, user_key
from laas_audit.rule_changes import link_rule_changes
from laas_audit.tables import district_name

FINDINGS_JSON = "findings.json"
MANIFEST_JSON = "manifest.json"
_STATUSES = ("new", "persisting", "waived")
# Without a body name to compare, a previous review sharing fewer than this share of its
# accounts with this export (of at least this many) is another body's.
SAME_BODY_MIN_SHARE = 0.2
SAME_BODY_MIN_ACCOUNTS = 5


@dataclass(frozen=True)
class PreviousAccount:
    """An account of the previous review, as its findings.json stores it."""

    username: str  # a ThaiD login masked, unless that review ran with --show-ids
    national_id: str | None  # masked (`x-xxxx-xxxxx-12-3`) unless --show-ids
    full_name: str = ""  # as the export wrote it (with a masked ID, it must agree too)


@dataclass
class PreviousReview:
    """A previous review as read back from its findings.json."""

    path: Path  # the findings.json file itself
    findings: list[Finding]
    as_of: date | None = None
    body: dict[str, str | None] = field(default_factory=dict)
    tool_version: str = ""
    accounts: list[PreviousAccount] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How the report names it: the folder and file, e.g. `2568-10/findings.json`."""
        parent = self.path.parent.name
        return f"{parent}/{self.path.name}" if parent else self.path.name

    @property
    def manifest(self) -> Path | None:
        """The previous cycle's manifest.json beside its findings.json, if there is one."""
        candidate = self.path.parent / MANIFEST_JSON
        return candidate if candidate.is_file() else None


def load_previous(path: Path) -> PreviousReview:
    """Read a previous review: a folder holding findings.json, or the findings.json itself.

    Raises `InputError` (file, what is wrong, what to do) for a missing file, unreadable JSON,
    another schema, or findings without the keys the comparison needs.
    """
    file = path / FINDINGS_JSON if path.is_dir() else path
    loc = Location(f"{path.name}/{FINDINGS_JSON}" if path.is_dir() else file.name)
    data = _read_json(file, loc)
    _check_against_manifest(file, loc)
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else None
        raise InputError(
            loc,
            f"ไม่ใช่ผลการตรวจของ laas-audit (schema: {found!r}, ต้องเป็น {SCHEMA})",
            f"not a laas-audit review result (schema {found!r}, expected {SCHEMA})",
            "ให้ --previous ชี้ไปที่โฟลเดอร์ผลการตรวจรอบก่อน หรือไฟล์ findings.json ในนั้น",
            "point --previous at the previous review's output folder or its findings.json",
        )
    raw_findings = data.get("findings")
    if not isinstance(raw_findings, list):
        raise InputError(
            loc,
            "ไม่มีรายการ findings ในไฟล์",
            "the file has no 'findings' list",
            "ใช้ findings.json ที่ laas-audit review สร้าง โดยไม่แก้ไข",
            "use the findings.json written by laas-audit review, unedited",
        )
    findings: list[Finding] = []
    problems: list[str] = []
    for index, raw in enumerate(raw_findings, start=1):
        try:
            findings.append(finding_from_dict(raw))
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"finding {index}: {exc}")
    if problems:
        raise InputError(
            loc,
            f"รายการ findings ไม่ครบถ้วน {len(problems)} รายการ",
            f"{len(problems)} findings are incomplete",
            "ใช้ findings.json ที่ laas-audit review สร้าง โดยไม่แก้ไข",
            "use the findings.json written by laas-audit review, unedited",
            problems=problems,
        )
    body = data.get("body") if isinstance(data.get("body"), dict) else {}
    return PreviousReview(
        path=file,
        findings=findings,
        as_of=_iso_date(data.get("as_of")),
        body={str(k): (None if v is None else str(v)) for k, v in (body or {}).items()},
        tool_version=str(data.get("tool_version") or ""),
        accounts=_accounts(data.get("accounts")),
    )


def _accounts(raw: object) -> list[PreviousAccount]:
    """Read the previous review's accounts (a renamed login and the body check use them)."""
    if not isinstance(raw, list):
        return []
    return [
        PreviousAccount(a["username"], a.get("national_id") or None,
                        a["full_name"] if isinstance(a.get("full_name"), str) else "")
        for a in raw
        if isinstance(a, dict) and isinstance(a.get("username"), str)
        and isinstance(a.get("national_id") or "", str)
    ]


def apply_previous(result: ReviewResult, previous: PreviousReview) -> None:
    """Mark each finding "new" or "persisting" by id and list the previous ones now gone.

    Findings already "waived" stay waived. Every previous finding whose id is gone (waived or
    not) goes to `result.resolved`, with the status it had last time, unless its account's
    login was renamed (`renamed_logins`) or the same account has the same problem under another
    rule (`rule_changes`): then the new finding is persisting and names it.
    Sets `result.previous` and warns (in `result.warnings`) when the previous review is of
    another body, or its body cannot be compared, or it is not older.
    """
    _refuse_unrelated(previous, result)
    _compare_people_when_body_unknown(previous, result)
    before = {f.id for f in previous.findings}
    now = {f.id for f in result.findings}
    for finding in result.findings:
        if finding.status != "waived":
            finding.status = "persisting" if finding.id in before else "new"
    seen: set[str] = set()
    gone: list[Finding] = []
    for old in previous.findings:
        if old.id not in now and old.id not in seen:
            seen.add(old.id)
            gone.append(old)
    groups = _same_problem() if gone else {}
    renamed = link_renamed(result, previous, gone, before, groups) if gone else set()
    left = [old for old in gone if old.id not in renamed]
    changed = link_rule_changes(result, left, before, groups) if left else set()
    result.resolved = [old for old in left if old.id not in changed]
    result.previous = previous.label
    old_name, new_name = previous.body.get("name"), result.body.get("name")
    if old_name and new_name and _fold(old_name) != _fold(new_name):
        result.warnings.append(
            f"ผลการตรวจรอบก่อน ({previous.label}) เป็นของหน่วยงานอื่น: {old_name} / "
            f"the previous review ({previous.label}) is of another body: {old_name}"
        )
    if previous.as_of is not None and previous.as_of >= result.as_of:
        result.warnings.append(
            f"ผลการตรวจรอบก่อน ({previous.label}) ไม่ได้เก่ากว่ารอบนี้ "
            f"({previous.as_of.isoformat()} >= {result.as_of.isoformat()}) / "
            f"the previous review ({previous.label}) is not older than this one "
            f"({previous.as_of.isoformat()} >= {result.as_of.isoformat()})"
        )


def _same_problem() -> dict[str, str]:
    """Rule -> its `same_problem` name, from the rule catalogue (the policy of what is one)."""
    from laas_audit.checks import load_same_problem  # the catalogue, only when a finding went

    return load_same_problem()


# Body types a name starts with: a body that changed type (an อบต. become a เทศบาลตำบล) keeps
# its place name, and is the same body.
_BODY_TYPES = re.compile(
    r"^(?:องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร|"
    r"อบต\.?|อบจ\.?|ทต\.?|ทม\.?|ทน\.?|เทศบาล)\s*"
)


def _place(name: str) -> str:
    return _BODY_TYPES.sub("", _fold(name))


def _refuse_unrelated(previous: PreviousReview, result: ReviewResult) -> None:
    """Refuse a previous review that cannot be this body's earlier cycle.

    Compared with another body's review, that body's findings would be listed as resolved in
    this one's report (with its staff's names) and this body's own as new; compared with a
    later review, new findings would pass for persisting. A change of body type only (อบต. to
    เทศบาลตำบล) or a previous review as of the same day (a re-run after fixes) is allowed, with
    the warnings below.
    """
    old, new = previous.body, result.body
    places = [(_place(o), _place(n)) for o, n in ((old.get("name"), new.get("name")),)
              if o and n]
    # A review written before district names were made official may hold "เมือง" alone.
    districts = (district_name(old.get("district"), old.get("province")),
                 district_name(new.get("district"), new.get("province")))
    where = [(_fold(o), _fold(n)) for o, n in (districts,
                                               (old.get("province"), new.get("province")))
             if o and n]
    if any(a != b for a, b in places + where):
        raise InputError(
            Location(previous.label),
            f"ผลการตรวจรอบก่อนนี้เป็นของหน่วยงานอื่น ({_where(old)}) ไม่ใช่ {_where(new)}",
            f"this previous review is of another body ({_where(old)}), not {_where(new)}",
            "ให้ --previous ชี้ไปที่โฟลเดอร์ผลการตรวจรอบก่อนของหน่วยงานนี้",
            "point --previous at this body's own previous review folder",
        )
    if previous.as_of is not None and previous.as_of > result.as_of:
        raise InputError(
            Location(previous.label),
            f"ผลการตรวจ 'รอบก่อน' นี้ใหม่กว่ารอบนี้ (ข้อมูล ณ {previous.as_of.isoformat()} "
            f"หลัง {result.as_of.isoformat()})",
            f"this 'previous' review is newer than this one (as of "
            f"{previous.as_of.isoformat()}, after {result.as_of.isoformat()})",
            "ให้ --previous ชี้ไปที่ผลการตรวจรอบที่แล้ว (ก่อนรอบนี้) หรือตรวจสอบวันที่ --as-of",
            "point --previous at the earlier cycle's review, or check --as-of",
        )


def _compare_people_when_body_unknown(previous: PreviousReview, result: ReviewResult) -> None:
    """Without a body name on one side, say so, and refuse a review of other people.

    An export without a title block has no body name, so the check above cannot run: another
    body's review would pass, its staff listed as resolved here. Its accounts then tell: a
    body's logins mostly stay from one cycle to the next, and a login renamed since (to the
    person's ThaiD login) still counts when `renamed_logins` ties it to the same person.
    """
    missing = [side for side, body in (("this", result.body), ("previous", previous.body))
               if not body.get("name")]
    if not missing:
        return
    then = {user_key(a.username) for a in previous.accounts}
    then.update(user_key(f.username) for f in previous.findings)
    now = {user_key(a.username) for a in result.accounts}
    now.update(user_key(f.username) for f in result.findings)
    present = then & now
    renamed = tied_by_person(
        (a for a in previous.accounts if user_key(a.username) not in present), result.accounts)
    shared = len(present | renamed)
    side = missing[0] if len(missing) == 1 else "both"
    where_th = {"this": "รายงานรอบนี้", "previous": "ผลการตรวจรอบก่อน"}.get(side, "ทั้งสองรอบ")
    where_en = {"this": "this export", "previous": "the previous review"}.get(
        side, "either review")
    if len(then) >= SAME_BODY_MIN_ACCOUNTS and shared < SAME_BODY_MIN_SHARE * len(then):
        raise InputError(
            Location(previous.label),
            f"ผลการตรวจรอบก่อนนี้เป็นของหน่วยงานอื่น: บัญชีผู้ใช้ {len(then)} บัญชีของรอบก่อน "
            f"พบในรายงานนี้เพียง {shared} บัญชี ทั้งจากชื่อผู้ใช้และเลขประจำตัวประชาชน "
            f"(ไม่พบชื่อหน่วยงานใน{where_th} จึงเทียบชื่อไม่ได้)",
            f"this previous review is of another body: only {shared} of its {len(then)} "
            f"accounts are in this export, by username or by the person's national ID (no "
            f"body name in {where_en} to compare)",
            "ให้ --previous ชี้ไปที่โฟลเดอร์ผลการตรวจรอบก่อนของหน่วยงานนี้",
            "point --previous at this body's own previous review folder",
        )
    renamed_th = renamed_en = ""
    if renamed:  # say it: a login renamed is found by the person, not by the login
        renamed_th = (f" (ในจำนวนนี้ {len(renamed)} บัญชีเปลี่ยนชื่อผู้ใช้ เป็นบุคคลเดียวกันตาม"
                      "เลขประจำตัวประชาชน)")
        renamed_en = f" ({len(renamed)} of them under a new login, the same person by national ID)"
    result.warnings.append(
        f"เทียบหน่วยงานกับผลการตรวจรอบก่อน ({previous.label}) ไม่ได้ เพราะไม่พบชื่อหน่วยงานใน"
        f"{where_th} (ไม่มีส่วนหัวรายงาน): บัญชีผู้ใช้ของรอบก่อนพบในรายงานนี้ {shared} จาก "
        f"{len(then)} บัญชี{renamed_th} ตรวจสอบว่าเป็นผลการตรวจของหน่วยงานนี้ / the body could "
        f"not be compared with the previous review ({previous.label}): no body name in "
        f"{where_en} (no title block); {shared} of its {len(then)} accounts are in this "
        f"export{renamed_en}: check that it is this body's review"
    )


def _where(body: dict[str, str | None]) -> str:
    return " ".join(v for v in (body.get("name"), body.get("district"), body.get("province")) if v)


def finding_from_dict(raw: Any) -> Finding:
    """Rebuild a `Finding` from its findings.json form (`ValueError`/`KeyError` when broken)."""
    if not isinstance(raw, dict):
        raise TypeError("not an object")
    for key in ("id", "rule", "username"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise KeyError(f"'{key}' missing or not text")
    category = raw.get("category")
    severity = raw.get("severity")
    status = raw.get("status", "new")
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    if status not in _STATUSES:
        raise ValueError(f"unknown status {status!r}")
    src: dict[str, Any] = raw["source"] if isinstance(raw.get("source"), dict) else {}
    waiver = raw.get("waiver")
    return Finding(
        id=raw["id"],
        rule=raw["rule"],
        category=category,
        severity=severity,
        username=raw["username"],
        groups=[str(g) for g in raw.get("groups") or []],
        message=str(raw.get("message") or ""),
        evidence=dict(raw.get("evidence") or {}),
        source=Source(
            file=str(src.get("file") or ""),
            sheet=src.get("sheet"),
            rows=[int(r) for r in src.get("rows") or []],
        ),
        status=status,
        message_en=str(raw.get("message_en") or ""),
        waiver=Waiver(
            reason=str(waiver.get("reason") or ""),
            approved_by=str(waiver.get("approved_by") or ""),
            expires=str(waiver.get("expires") or ""),
            order=waiver.get("order"),
        )
        if isinstance(waiver, dict)
        else None,
    )


def _check_against_manifest(file: Path, loc: Location) -> None:
    """Refuse a previous findings.json changed since its review wrote it.

    An edited file could drop a finding, which would then count as new instead of persisting,
    or hide that it was never resolved. The manifest beside it (when there is one: a
    findings.json can be sent on its own) holds the hash the review wrote.
    """
    from laas_audit.manifest import recorded_sha256, sha256_file

    recorded = recorded_sha256(file.parent, file.name)
    if recorded is not None and recorded != sha256_file(file):
        raise InputError(
            loc,
            "findings.json ของรอบก่อนถูกแก้ไขหลังการตรวจ (ค่า SHA-256 ไม่ตรงกับที่บันทึกใน "
            "manifest.json ข้างกัน) จึงใช้เปรียบเทียบไม่ได้",
            "the previous findings.json was changed after its review (its SHA-256 is not the "
            "one manifest.json beside it records), so it cannot be compared with",
            "ใช้ findings.json ฉบับที่ laas-audit เขียนไว้ (laas-audit verify โฟลเดอร์นั้น "
            "บอกว่าไฟล์ใดถูกแก้) การยกเว้นข้อพบให้ทำด้วย --exceptions",
            "use the findings.json as laas-audit wrote it (`laas-audit verify FOLDER` shows "
            "what changed); waive findings with --exceptions instead",
        )


def _read_json(file: Path, loc: Location) -> Any:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(
            loc,
            "ไม่พบผลการตรวจรอบก่อน (findings.json)",
            "previous review not found (no findings.json there)",
            "ให้ --previous ชี้ไปที่โฟลเดอร์ผลการตรวจรอบก่อน หรือไฟล์ findings.json ในนั้น",
            "point --previous at the previous review's output folder or its findings.json",
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            loc,
            "อ่านผลการตรวจรอบก่อนไม่ได้",
            f"cannot read the previous review ({exc})",
            "ใช้ findings.json ที่ laas-audit review สร้าง โดยไม่แก้ไข",
            "use the findings.json written by laas-audit review, unedited",
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            Location(loc.file, row=exc.lineno),
            "ไฟล์ JSON เสียหาย",
            f"broken JSON ({exc.msg}, line {exc.lineno} column {exc.colno})",
            "ใช้ findings.json ที่ laas-audit review สร้าง โดยไม่แก้ไข",
            "use the findings.json written by laas-audit review, unedited",
        ) from exc


def _iso_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()
