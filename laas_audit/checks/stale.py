"""Stale accounts (LA1xx): people who left or retired, accounts nobody owns, dormant and unused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from laas_audit.checks._common import (
    active_accounts,
    dormant_days,
    en_date,
    evidence,
    has_field,
    iso,
    join_en,
    join_th,
    known_date,
    left_on,
    never_used_days,
    ownerless,
    th_date,
    to_cancel,
    who,
)
from laas_audit.checks.base import Hit, ReviewContext
from laas_audit.dates import retirement_date
from laas_audit.tables import Account, Person


def leaver_still_active(ctx: ReviewContext) -> Iterator[Hit]:
    """LA101: the roster says the person left on or before the as-of date; the account is active.

    See `left_on` for planned departures and dates written in the status or note.
    """
    for account in active_accounts(ctx):
        left, effective = left_on(ctx, account)
        person = ctx.person(account)
        if not left or person is None:
            continue
        groups = account.groups
        yield Hit(
            account=account,
            message_th=(
                f"{who(account, person)} {person.status} เมื่อ {th_date(effective)}"
                f" (ทะเบียนบุคลากร แถว {person.row}) แต่บัญชียังใช้งานได้"
                + (f" และยังอยู่ในกลุ่ม {join_th(groups)}" if groups else "")
            ),
            message_en=(
                f"{who(account, person)} left ({person.status}) on"
                f" {en_date(effective)} (roster row {person.row}) but the account is"
                " still active" + (f" and in {join_en(groups)}" if groups else "")
            ),
            evidence=evidence(
                ctx,
                account,
                person,
                "last_login",
                leaver_status=person.status,
                effective=iso(effective),
                as_of=ctx.as_of.isoformat(),
            ),
        )


def no_roster_match(ctx: ReviewContext) -> Iterator[Hit]:
    """LA102: the account matches nobody on the roster.

    Exemptions (elected offices, generic accounts, outsourced staff in finance groups ...) are
    in `ownerless`: each is reported by the rule that says why, once. Medium instead of high
    when matching found candidate names (likely a spelling or surname change to confirm).
    """
    for account in active_accounts(ctx):
        if not ownerless(ctx, account):
            continue
        match = ctx.match(account)
        candidates = [
            {"full_name": c.full_name, "roster_row": c.roster_row, "score": round(c.score, 1)}
            for c in match.candidates
        ]
        near_th = ", ".join(f"{c.full_name} (แถว {c.roster_row})" for c in match.candidates)
        near_en = ", ".join(f"{c.full_name} (row {c.roster_row})" for c in match.candidates)
        yield Hit(
            account=account,
            message_th=(
                f"ไม่พบ {who(account)} ในทะเบียนบุคลากร"
                + (f" (ชื่อใกล้เคียง: {near_th} โปรดยืนยัน)" if candidates else "")
                + (f" แต่บัญชีอยู่ในกลุ่ม {join_th(account.groups)}" if account.groups else "")
            ),
            message_en=(
                f"{who(account)} matches nobody on the HR roster"
                + (f" (similar names: {near_en}; please confirm)" if candidates else "")
                + (f"; groups: {join_en(account.groups)}" if account.groups else "")
            ),
            evidence=evidence(ctx, account, None, candidates=candidates),
            severity="medium" if candidates else None,
        )


def dormant(ctx: ReviewContext) -> Iterator[Hit]:
    """LA103: an active account with no login for longer than `thresholds.dormant_days`.

    An account LA101 or LA102 reports (its person left, or there is none) is to be cancelled
    whether used or not: not repeated (`to_cancel`).
    """
    if not has_field(ctx, "last_login"):
        return
    limit = ctx.policy.thresholds.dormant_days
    for account in active_accounts(ctx):
        days = dormant_days(ctx, account)  # never logged in: LA104's question, not a guess
        last = account.last_login
        if days is None or last is None or to_cancel(ctx, account):
            continue
        yield Hit(
            account=account,
            message_th=(
                f"{who(account)} เข้าใช้งานครั้งล่าสุดเมื่อ {th_date(last)} ({days} วันก่อนวันที่"
                f" {th_date(ctx.as_of)} เกินเกณฑ์ {limit:g} วัน)"
            ),
            message_en=(
                f"{who(account)} last logged in on {last.isoformat()}, {days} days before"
                f" {ctx.as_of.isoformat()} (limit {limit:g} days)"
            ),
            evidence=evidence(
                ctx,
                account,
                ctx.person(account),
                "last_login",
                days_since_login=days,
                threshold_days=limit,
                as_of=ctx.as_of.isoformat(),
            ),
        )


def never_used(ctx: ReviewContext) -> Iterator[Hit]:
    """LA104: created longer ago than `thresholds.never_used_days` and never logged in.

    Needs both a login column (to know "never") and the creation date (to know "how long"). An
    account without a creation date cannot be judged: the engine lists it (`never_used_undated`).
    An account LA101 or LA102 reports is to be cancelled: not repeated (`to_cancel`).
    """
    if not has_field(ctx, "last_login"):
        return
    limit = ctx.policy.thresholds.never_used_days
    for account in active_accounts(ctx):
        days = never_used_days(ctx, account)
        if days is None or account.created is None or to_cancel(ctx, account):
            continue
        yield Hit(
            account=account,
            message_th=(
                f"{who(account)} สร้างเมื่อ {th_date(account.created)} ({days} วัน)"
                f" แต่ไม่เคยเข้าใช้งาน (เกณฑ์ {limit:g} วัน)"
            ),
            message_en=(
                f"{who(account)} was created on {account.created.isoformat()} ({days} days ago)"
                f" and has never logged in (limit {limit:g} days)"
            ),
            evidence=evidence(
                ctx,
                account,
                ctx.person(account),
                "created",
                "last_login",
                days_since_created=days,
                threshold_days=limit,
                as_of=ctx.as_of.isoformat(),
            ),
        )


def never_used_undated(ctx: ReviewContext) -> list[Account]:
    """List the accounts LA104 could not judge: never logged in, no creation date, not to cancel."""
    if not (has_field(ctx, "last_login") and has_field(ctx, "created")):
        return []  # the engine says once which column is missing
    return [
        a for a in active_accounts(ctx)
        if a.last_login is None and known_date(ctx, a, "created") is None
        and not to_cancel(ctx, a)
    ]


def retired_by_age(ctx: ReviewContext) -> Iterator[Hit]:
    """LA105: by the roster's birth date the person has retired; the roster does not say so.

    The retirement day is `dates.retirement_date` with the policy's `retirement` (age 60, the
    30 Sep after it is complete). Only matched people (elected executives are not on rosters);
    the non-staff too, as it is an inference to confirm with HR. A roster already saying the
    person left is LA101's, never reported twice; a departure it plans later does not hide an
    age already reached. Silent, at no cost, when the roster has no birth-date column.
    """
    if not has_birth_dates(ctx):
        return
    age = ctx.policy.retirement.age
    for account, person, retires in _retirees(ctx):
        groups = account.groups
        birth = person.birth_date
        status_th, status_en = _status_as_written(person)
        yield Hit(
            account=account,
            message_th=(
                f"{who(account, person)} เกิดวันที่ {th_date(birth)} ครบ {age} ปี จึงเกษียณอายุราชการ"
                f"เมื่อ {th_date(retires)} (ทะเบียนบุคลากร แถว {person.row}) แต่ทะเบียนยังระบุสถานะ"
                f" '{status_th}' และบัญชียังใช้งานได้"
                + (f" อยู่ในกลุ่ม {join_th(groups)}" if groups else "")
                + ": ยืนยันกับงานการเจ้าหน้าที่ หากเกษียณแล้วให้ยกเลิกผู้ใช้งานออกจากกลุ่มทันที (ข้อ ๔.๒)"
            ),
            message_en=(
                f"{who(account, person)} was born on {en_date(birth)}, so reached {age} and"
                f" retired on {en_date(retires)} (roster row {person.row}), but the roster still"
                f" says '{status_en}' and the account is still active"
                + (f" in {join_en(groups)}" if groups else "")
                + ": confirm with HR and, if retired, remove the account from its groups"
                " (clause 4.2)"
            ),
            evidence=evidence(
                ctx,
                account,
                person,
                "last_login",
                birth_date=iso(birth),
                retirement_date=iso(retires),
                retirement_age=age,
                as_of=ctx.as_of.isoformat(),
            ),
        )


def has_birth_dates(ctx: ReviewContext) -> bool:
    """Whether the roster has a birth-date column (LA105 judges nobody without one)."""
    return "birth_date" in ctx.roster.source.columns


def _retirees(ctx: ReviewContext) -> Iterator[tuple[Account, Person, date]]:
    """Active accounts whose person retired by age on or before the as-of date, not LA101's."""
    rule = ctx.policy.retirement
    for account in active_accounts(ctx):
        person = ctx.person(account)
        if person is None or person.birth_date is None:
            continue
        retires = retirement_date(person.birth_date, rule.age, rule.fiscal_year_end)
        # In service to the end of the retirement day: flagged from the day after.
        if retires < ctx.as_of and not left_on(ctx, account)[0]:
            yield account, person, retires


def _status_as_written(person: Person) -> tuple[str, str]:
    """Give the roster's status (and its date) for messages, in Thai and in English."""
    if not person.status:
        return "ไม่ระบุ", "no status"
    if person.status_date is None:
        return person.status, person.status
    return (f"{person.status} {th_date(person.status_date)}",
            f"{person.status} {en_date(person.status_date)}")


def retirement_undated(ctx: ReviewContext) -> list[Account]:
    """List the accounts LA105 could not judge: matched people the roster gives no birth date.

    Only when the roster has the column (without one the rule does not run, at no cost), and
    not those LA101 already reports as gone.
    """
    if not has_birth_dates(ctx):
        return []
    return [
        a for a in active_accounts(ctx)
        if (p := ctx.person(a)) is not None and p.birth_date is None and not left_on(ctx, a)[0]
    ]
