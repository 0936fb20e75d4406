"""A login renamed between cycles (somchai.k -> his 13-digit ThaiD login) is not a fix.

By ids alone, the old account's findings would be "resolved" and the same problems on the new
login "new". A previous finding whose username is gone from this export is linked to a new
finding of the same rule on a login the previous review did not have, when both belong to the
same person, as the previous findings.json says it: the same national ID, or, for an ID it
stores masked, the same visible tail together with the same roster name. Never by name alone.
A link must be one to one; anything else stays as it is, with a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from laas_audit.model import AccountResult, Finding, ReviewResult
from laas_audit.names import name_key
from laas_audit.safe_cells import mask_text

if TYPE_CHECKING:
    from laas_audit.cycle import PreviousAccount, PreviousReview


@dataclass(frozen=True)
class _Person:
    national_id: str  # 13 digits, or masked `x-xxxx-xxxxx-12-3`
    name: str  # name_key of the matched roster person's name ("" when unknown)


def user_key(username: str) -> str:
    """Compare usernames as stored in either review: case, spaces and a ThaiD login's middle."""
    return mask_text("".join(username.split()).casefold())


def tied_by_person(then: Iterable[PreviousAccount], now: Iterable[AccountResult]) -> set[str]:
    """Return the previous accounts (by `user_key`) whose person has one in this export.

    The same person as `link_renamed` tells it, by national ID (a masked one by its tail and
    the same name), whatever the login: a body whose logins all became ThaiD logins still has
    its people. Names are the export's, as both reviews list their accounts.
    """
    by_tail: dict[str, list[_Person]] = {}
    for account in now:
        if account.national_id:
            by_tail.setdefault(mask_text(account.national_id), []).append(
                _Person(account.national_id, name_key(account.full_name)))
    if not by_tail:
        return set()
    tied: set[str] = set()
    for old in then:
        if not old.national_id:
            continue
        who = _Person(old.national_id, name_key(old.full_name))
        if any(_same(who, p) for p in by_tail.get(mask_text(old.national_id), ())):
            tied.add(user_key(old.username))
    return tied


def link_renamed(
    result: ReviewResult,
    previous: PreviousReview,
    gone: list[Finding],
    before: set[str],
    groups: dict[str, str] | None = None,
) -> set[str]:
    """Mark the new findings that continue a gone one as persisting; return the linked old ids.

    `gone` are the previous findings whose id is not in this review; `before` every previous id.
    The new finding is of the same rule, else of a rule with the same `same_problem` name
    (`groups`: rule -> name; see rule_changes), as when a renamed login's LA105 became LA101.
    """
    groups = groups or {}
    now_users = {user_key(a.username) for a in result.accounts}
    now_users.update(user_key(f.username) for f in result.findings)
    orphans = [old for old in gone if user_key(old.username) not in now_users]
    if not orphans:
        return set()
    then_users = {user_key(a.username) for a in previous.accounts}
    then_users.update(user_key(f.username) for f in previous.findings)
    fresh = [f for f in result.findings
             if f.id not in before and user_key(f.username) not in then_users]
    if not fresh:
        return set()
    then_ids = {a.username: a.national_id for a in previous.accounts}
    now_ids = {a.username: a.national_id for a in result.accounts}
    claims: dict[str, list[Finding]] = {}  # old id -> new findings it could be
    for old in orphans:
        who = _person(then_ids.get(old.username), old.evidence)
        if who is None:
            continue
        theirs = [f for f in fresh if f.rule == old.rule or (
            old.rule in groups and groups.get(f.rule) == groups[old.rule])]
        theirs = [f for f in theirs if _same(who, _person(now_ids.get(f.username), f.evidence))]
        found = [f for f in theirs if f.rule == old.rule] or theirs
        if len(found) > 1:  # several of the person's findings: the one about the same groups
            found = [f for f in found if sorted(f.groups) == sorted(old.groups)] or found
        if found:
            claims[old.id] = found
    return _link(result, {o.id: o for o in orphans}, claims)


def _link(result: ReviewResult, olds: dict[str, Finding], claims: dict[str, list[Finding]]
          ) -> set[str]:
    claimed_by: dict[str, list[str]] = {}
    for old_id, found in claims.items():
        for f in found:
            claimed_by.setdefault(f.id, []).append(old_id)
    linked: set[str] = set()
    for old_id, found in claims.items():
        old = olds[old_id]
        if len(found) == 1 and claimed_by[found[0].id] == [old_id]:
            found[0].continues(old)
            found[0].previous_username = old.username
            linked.add(old_id)
        else:
            rivals = {i for f in found for i in claimed_by[f.id]}
            result.warnings.append(_ambiguous(old, found, [olds[i] for i in sorted(rivals)]))
    return linked


def _ambiguous(old: Finding, found: list[Finding], rivals: Iterable[Finding]) -> str:
    olds = ", ".join(sorted({r.username for r in rivals} | {old.username}))
    news = ", ".join(sorted({f.username for f in found}))
    return (
        f"บัญชี {olds} ของรอบก่อนไม่อยู่ในรายงานนี้ และเป็นบุคคลเดียวกับบัญชี {news} ที่มีข้อค้นพบ "
        f"{old.rule} เช่นกัน: บอกไม่ได้ว่าชื่อผู้ใช้ใดเปลี่ยนเป็นชื่อใด จึงนับข้อค้นพบ {old.id} ว่าแก้ไขแล้ว "
        f"และของบัญชีใหม่ว่าใหม่ ตรวจสอบกับระบบ New e-LAAS ว่าบัญชีเดิมถูกยกเลิกหรือเปลี่ยนชื่อ / "
        f"account {olds} of the previous review is not in this export, and the same person's "
        f"{news} has {old.rule} too: which login became which cannot be told, so finding "
        f"{old.id} counts as resolved and the new account's as new; check in New e-LAAS "
        f"whether the old account was cancelled or renamed"
    )


def _person(national_id: str | None, evidence: dict[str, Any]) -> _Person | None:
    """Who a finding's account is: its national ID and the matched roster person's name."""
    if not national_id:
        return None
    roster = evidence.get("roster")
    name = roster.get("full_name") if isinstance(roster, dict) else None
    return _Person(national_id, name_key(name) if isinstance(name, str) else "")


def _same(old: _Person, new: _Person | None) -> bool:
    if new is None:
        return False
    if old.national_id.isdigit() and new.national_id.isdigit():
        return old.national_id == new.national_id
    # One side masked: its tail says little on its own, so the roster name must agree too.
    return (
        mask_text(old.national_id) == mask_text(new.national_id)
        and bool(old.name) and old.name == new.name
    )
