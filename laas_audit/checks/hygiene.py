"""Hygiene (LA4xx): old passwords, shared accounts, one person's several accounts, e-mail."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from laas_audit.checks._common import (
    active_accounts,
    evidence,
    generic,
    has_field,
    is_finance_head,
    join_en,
    join_th,
    known_date,
    misheld_privilege,
    privileged_groups,
    seat,
    th_date,
    to_cancel,
    who,
)
from laas_audit.checks.base import Hit, ReviewContext
from laas_audit.checks.people import is_thaid_login, kept_account, several_account_people
from laas_audit.dates import months_before
from laas_audit.matching_types import Match
from laas_audit.names import name_key
from laas_audit.national_id import mask_id
from laas_audit.phone import mobile_number
from laas_audit.policy import Policy
from laas_audit.tables import Account

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def password_too_old(ctx: ReviewContext) -> Iterator[Hit]:
    """LA401: the password was not changed within the policy's limit (clause ๓.๔.๒).

    The limit is `thresholds.password_max_age_months` calendar months: a change on or after the
    same day that many months before the as-of date is in time (see `months_before` for month
    ends). A policy giving `thresholds.password_max_age_days` is judged in days instead, as
    before. A password is no older than its account: a blank or "never" change date is judged
    from the creation date ("never changed since …"); with neither date the account cannot be
    judged, and the engine lists it (`password_undated`). A date after the export's own (a
    mistyped year: `known_date`) counts as none; the engine warns about its cell. An export
    without the column at all makes the rule silent (the engine warns once). An account LA101
    or LA102 reports (its person left, or there is none) is to be cancelled, not given a new
    password: not repeated.
    """
    if not has_field(ctx, "password_changed"):
        return
    limit = PasswordLimit.of(ctx)
    for account in active_accounts(ctx):
        changed = known_date(ctx, account, "password_changed")
        since = changed or known_date(ctx, account, "created")
        if since is None or since >= limit.oldest or to_cancel(ctx, account):
            continue
        yield _password_hit(ctx, account, limit, since, changed)


def _password_hit(
    ctx: ReviewContext, account: Account, limit: PasswordLimit, since: date, changed: date | None
) -> Hit:
    """LA401's hit: the last change, or, with none usable, the creation the password dates from."""
    days = (ctx.as_of - since).days
    th, en, facts = limit.words(ctx, days)
    if changed is not None:
        message_th = f"{who(account)} เปลี่ยนรหัสผ่านครั้งล่าสุดเมื่อ {th_date(since)} {th}"
        message_en = f"{who(account)} last changed the password on {since.isoformat()}, {en}"
        fields: tuple[str, ...] = ("password_changed",)
        facts = {"days_since_change": days, **facts}
    else:
        lead_th, lead_en = _no_change_date(account)
        message_th = f"{who(account)} {lead_th}ตั้งแต่สร้างบัญชีเมื่อ {th_date(since)} {th}"
        message_en = (
            f"{who(account)} {lead_en} since the account was created on {since.isoformat()}, {en}"
        )
        fields = ("password_changed", "created")
        facts = {"days_since_created": days, **facts}
    return Hit(
        account=account,
        message_th=message_th,
        message_en=message_en,
        evidence=evidence(
            ctx, account, ctx.person(account), *fields, **facts, as_of=ctx.as_of.isoformat()
        ),
    )


def _no_change_date(account: Account) -> tuple[str, str]:
    """Say why LA401 dates the password from the account's creation, in Thai and English."""
    typed = account.password_changed  # set here only when after the export's own date
    if typed is None:
        return (
            "ไม่เคยเปลี่ยนรหัสผ่าน (รายงานไม่มีวันที่เปลี่ยน) ",
            "has never changed the password (the export gives no change date)",
        )
    # a date that cannot have happened says nothing of a change: not "never changed"
    return (
        f"ไม่ทราบวันที่เปลี่ยนรหัสผ่าน (วันที่ในรายงาน {th_date(typed)} อยู่หลังวันที่ของข้อมูล"
        " จึงใช้ไม่ได้) จึงนับ",
        f"has no usable password-change date (the export's {typed.isoformat()} is after its own"
        " date), so it is counted",
    )


def password_undated(ctx: ReviewContext) -> list[Account]:
    """List the accounts LA401 could not judge: no password-change date and no creation date."""
    if not has_field(ctx, "password_changed"):
        return []  # the engine says once that the column is missing
    return [
        a
        for a in active_accounts(ctx)
        if known_date(ctx, a, "password_changed") is None
        and known_date(ctx, a, "created") is None
        and not to_cancel(ctx, a)
    ]


@dataclass(frozen=True)
class PasswordLimit:
    """LA401's limit on the as-of date: in calendar months, or in days when the policy says so."""

    oldest: date  # the earliest change still in time
    months: int | None
    days: float | None

    @classmethod
    def of(cls, ctx: ReviewContext) -> PasswordLimit:
        """Read the limit from the policy: days when given (an override), else months."""
        t = ctx.policy.thresholds
        if t.password_max_age_days is not None:
            # whole days elapsed are compared: "more than 180.5 days" is 181 or more
            oldest = ctx.as_of - timedelta(days=math.floor(t.password_max_age_days))
            return cls(oldest, None, t.password_max_age_days)
        months = t.password_max_age_months or 6  # the policy loader requires one of the two
        return cls(months_before(ctx.as_of, months), months, None)

    def words(self, ctx: ReviewContext, days: int) -> tuple[str, str, dict[str, Any]]:
        """How far over the limit, in Thai and English, and the limit's facts for the evidence."""
        if self.days is not None:
            return (
                f"({days} วัน เกินเกณฑ์ {self.days:g} วัน)",
                f"{days} days before {ctx.as_of.isoformat()} (limit {self.days:g} days)",
                {"threshold_days": self.days},
            )
        n = self.months
        return (
            f"เกิน {n} เดือนก่อนวันที่ {th_date(ctx.as_of)} ({days} วัน; ทันเกณฑ์เมื่อเปลี่ยนตั้งแต่"
            f" {th_date(self.oldest)})",
            f"over {n} months before {ctx.as_of.isoformat()} ({days} days; in time if changed"
            f" on or after {self.oldest.isoformat()})",
            {"threshold_months": n, "in_time_from": self.oldest.isoformat()},
        )


def generic_account(ctx: ReviewContext) -> Iterator[Hit]:
    """LA402: no single person is behind the account.

    Said by the name, or by the username of an account matching nobody on the roster (an office
    username like "palad" in a roster person's name is that person's).
    """
    for account in active_accounts(ctx):
        if not generic(ctx, account):
            continue
        yield Hit(
            account=account,
            message_th=(
                f"บัญชี {who(account)} เป็นบัญชีกลางหรือใช้ร่วมกัน ไม่ได้เป็นของบุคคลใด"
                + (f" แต่อยู่ในกลุ่ม {join_th(account.groups)}" if account.groups else "")
            ),
            message_en=(
                f"account {who(account)} is generic or shared, not any one person's"
                + (f"; groups: {join_en(account.groups)}" if account.groups else "")
            ),
            evidence=evidence(ctx, account, ctx.person(account)),
        )


def several_accounts(ctx: ReviewContext) -> Iterator[Hit]:
    """LA403: one person (same national ID, or the same matched roster person) with 2+ accounts.

    Accounts are joined when they share either key (a surname change keeps the ID; see
    `people.identity`). One person with n accounts is n-1 problems: each account but the one
    kept (the one in use: see `people.kept_account`) gets one hit naming the others. The
    message says how the accounts were tied to the person (`_tied_by`), never more than that.
    """
    for same in several_account_people(ctx):
        group = same.accounts
        kept = kept_account(ctx, group)
        pid = same.national_id
        for account in group:
            if account is kept:
                continue
            others = [kept.username]
            others += [a.username for a in group if a is not account and a is not kept]
            person = ctx.person(account)
            stable = pid or name_key(
                (person.full_name if person else None) or account.full_name or ""
            )
            order = [account, kept, *(a for a in group if a is not account and a is not kept)]
            tied_th, tied_en = _tied_by(ctx, order, pid)
            yield Hit(
                account=account,
                message_th=(
                    f"{who(account, person)} เป็นบุคคลเดียวกับเจ้าของบัญชี {join_th(others)}"
                    f" ({tied_th})"
                ),
                message_en=(
                    f"{who(account, person)} is the same person as the owner of"
                    f" {join_en(others)} ({tied_en})"
                ),
                evidence=evidence(
                    ctx,
                    account,
                    person,
                    "last_login",
                    other_accounts=others,
                    kept_account=kept.username,
                    national_id=mask_id(pid) if pid else None,
                ),
                detail=f"person:{stable}",
            )


# How a roster match was made, as `จับคู่ด้วย…` / `matched by …` say it.
_MATCHED_BY = {
    "national_id": ("เลขประจำตัวประชาชน", "national ID"),
    "username": ("ชื่อผู้ใช้ที่ทะเบียนบุคลากรระบุ", "the username the roster gives"),
    "name": ("ชื่อ-สกุล", "full name"),
    "fuzzy": ("ชื่อที่ใกล้เคียง (ควรยืนยัน)", "a similar name (to confirm)"),
    "confirmed": ("การยืนยันของผู้ตรวจ", "the reviewer's confirmation"),
}


def _own_id(account: Account) -> str | None:
    """Give the national ID the account itself carries: the export's column or a ThaiD login."""
    return account.national_id or (
        account.username if is_thaid_login(account.username) else None
    )


def _tied_by(ctx: ReviewContext, accounts: list[Account], pid: str | None) -> tuple[str, str]:
    """Say how a person's accounts were tied to them, in Thai and English.

    The same ID carried by every account; one roster row every account matched (and how each
    did); the same name with nobody on the roster; else each account's own tie. Never "the
    same national ID" for accounts that only matched one roster row by name.
    """
    ids = {_own_id(a) for a in accounts}
    if None not in ids and len(ids) == 1:
        return "เลขประจำตัวประชาชนเดียวกัน", "same national ID"
    matches = [ctx.match(a) for a in accounts]
    rows = {m.person.row if m.person is not None else None for m in matches}
    if None not in rows and len(rows) == 1:
        row = next(iter(rows))
        methods = list(dict.fromkeys(m.method for m in matches))
        if len(methods) == 1:
            th, en = _MATCHED_BY[methods[0]]
            return (
                f"จับคู่ด้วย{th}กับบุคคลเดียวกันในทะเบียนบุคลากร แถว {row}",
                f"matched by {en} to the same roster person, row {row}",
            )
        each_th = join_th(f"{a.username} ด้วย{_MATCHED_BY[m.method][0]}"
                          for a, m in zip(accounts, matches, strict=True))
        each_en = join_en(f"{a.username} by {_MATCHED_BY[m.method][1]}"
                          for a, m in zip(accounts, matches, strict=True))
        return (
            f"จับคู่กับบุคคลเดียวกันในทะเบียนบุคลากร แถว {row}: {each_th}",
            f"matched to the same roster person, row {row}: {each_en}",
        )
    if rows == {None} and ids == {None}:
        return "ชื่อ-สกุลเดียวกัน และไม่พบในทะเบียนบุคลากร", "the same full name, not on the roster"
    ties = [_own_tie(a, m, pid) for a, m in zip(accounts, matches, strict=True)]
    return (
        "; ".join(f"{a.username}: {th}" for a, (th, _) in zip(accounts, ties, strict=True)),
        "; ".join(f"{a.username}: {en}" for a, (_, en) in zip(accounts, ties, strict=True)),
    )


def _own_tie(account: Account, match: Match, pid: str | None) -> tuple[str, str]:
    """How one account is tied to the person, when the accounts were tied in different ways."""
    if account.national_id:
        return "เลขประจำตัวประชาชนในรายงาน", "the national ID in the export"
    if is_thaid_login(account.username):
        return "ชื่อผู้ใช้เป็นเลขประจำตัวประชาชน", "the username is the national ID"
    person = match.person
    if person is None:
        return "ชื่อ-สกุลเดียวกัน", "the same full name"
    by_th, by_en = _MATCHED_BY[match.method]
    same_id = pid is not None and person.national_id == pid
    return (
        f"จับคู่ด้วย{by_th}กับทะเบียนบุคลากร แถว {person.row}"
        + (" ซึ่งมีเลขประจำตัวประชาชนเดียวกัน" if same_id else ""),
        f"matched by {by_en} to roster row {person.row}"
        + (", which has the same national ID" if same_id else ""),
    )


def finance_head_email(ctx: ReviewContext) -> Iterator[Hit]:
    """LA404: the finance head's e-mail or mobile number is not what the letter's note asks.

    The note: a personal e-mail address that is not Hotmail, and a working mobile number. One
    finding per finance-head account (`finance_head_accounts`) listing its problems: an e-mail
    missing, malformed or an office mailbox (low), a disallowed domain (medium: the finding
    takes it); a mobile missing or not a Thai mobile number (low). Each half is checked only
    when the export has its column (the engine says when a column is missing).
    """
    has_email, has_phone = has_field(ctx, "email"), has_field(ctx, "phone")
    if not has_email and not has_phone:
        return
    policy = ctx.policy
    for account, groups in finance_head_accounts(ctx):
        email = (account.email or "").strip()
        found = _email_problems(policy, email) if has_email else []
        if has_phone:
            found += _phone_problems((account.phone or "").strip())
        if not found:
            continue
        bad_domain = policy.email_domain_disallowed(email) if email else None
        fix_th = join_th(dict.fromkeys(p.fix_th for p in found))
        fix_en = join_en(dict.fromkeys(p.fix_en for p in found))
        person = ctx.person(account)
        fields = ("email",) * has_email + ("phone",) * has_phone
        yield Hit(
            account=account,
            message_th=(
                f"บัญชีหัวหน้าหน่วยงานคลัง {who(account, person)}"
                f" {' และ'.join(p.th for p in found)} ให้แก้เป็น{fix_th}"
            ),
            message_en=(
                f"finance head account {who(account, person)}"
                f" {' and '.join(p.en for p in found)}; change it to {fix_en}"
            ),
            evidence=evidence(
                ctx,
                account,
                person,
                *fields,
                disallowed_domain=bad_domain,
                problems=[p.code for p in found],
            ),
            groups=groups,
            severity="medium" if bad_domain else None,
        )


def finance_head_accounts(ctx: ReviewContext) -> list[tuple[Account, list[str]]]:
    """List the accounts whose contact LA404 checks, with the groups making each the head's.

    One holding a finance-head group (a sub-unit's finance head too), or the finance director
    (or an acting one) holding the admin group where the body has no finance-head group. Not
    accounts LA101/LA102 report (to be cancelled), nor those LA301 reports as held by someone
    who is not the finance head (`_not_the_head`). Worked out once a review (LA404 and the
    engine's contact warnings both ask).
    """
    found: list[tuple[Account, list[str]]] | None = ctx.memo.get("finance_head_accounts")
    if found is None:
        found = ctx.memo["finance_head_accounts"] = _finance_head_accounts(ctx)
    return found


def _finance_head_accounts(ctx: ReviewContext) -> list[tuple[Account, list[str]]]:
    policy = ctx.policy
    head = policy.roles.finance_head_classes
    out = []
    for account in active_accounts(ctx):
        groups = [g for g in account.groups if policy.group_classes(g) & head]
        if not groups:
            groups = privileged_groups(ctx, account)
            if not groups or not is_finance_head(ctx, account):
                continue
        if to_cancel(ctx, account) or _not_the_head(ctx, account):
            continue
        out.append((account, groups))
    return out


def _not_the_head(ctx: ReviewContext, account: Account) -> bool:
    """Whether LA301 reports the account's holder as not the finance head (position known).

    Their contact is not the head's: LA301 tells to take the group away. With no position in
    either file the head cannot be told apart, so LA404 still checks the account.
    """
    return seat(ctx, account).position is not None and bool(misheld_privilege(ctx, account))


@dataclass(frozen=True)
class _Problem:
    """One thing wrong with the finance head's contact, and what it should be instead."""

    code: str  # evidence.problems
    th: str
    en: str
    fix_th: str
    fix_en: str


_PERSONAL_TH = "อีเมลส่วนตัวที่ไม่ใช่ Hotmail/Outlook"
_PERSONAL_EN = "a personal address that is not Hotmail/Outlook"
_MOBILE_TH = "เบอร์โทรศัพท์มือถือที่ใช้งานได้"
_MOBILE_EN = "a working mobile number"


def _email_problems(policy: Policy, email: str) -> list[_Problem]:
    """Say what is wrong with the head's e-mail (at most one thing), per the letter's note."""
    if not email:
        th, en = "ไม่มีอีเมล", "has no e-mail address"
        return [_Problem("email_missing", th, en, _PERSONAL_TH, _PERSONAL_EN)]
    if not _EMAIL.match(email):
        th = f"มีอีเมล {email} ที่ไม่ใช่รูปแบบอีเมลที่ถูกต้อง"
        en = f"has {email}, which is not a valid e-mail address"
        return [_Problem("email_malformed", th, en, _PERSONAL_TH, _PERSONAL_EN)]
    bad_domain = policy.email_domain_disallowed(email)
    if bad_domain:
        th = f"ใช้อีเมล {email} ซึ่งเป็น {bad_domain} ที่หนังสือกำหนดว่าห้ามใช้"
        en = f"uses {email}, a {bad_domain} address the letter rules out"
        return [_Problem("email_domain", th, en, _PERSONAL_TH, _PERSONAL_EN)]
    word = policy.email_office_word(email)
    if word:
        th = f"ใช้อีเมล {email} ซึ่งเป็นอีเมลของสำนักงาน ('{word}') ไม่ใช่อีเมลส่วนตัว"
        en = f"uses {email}, an office mailbox ('{word}'), not a personal address"
        return [_Problem("email_office", th, en, _PERSONAL_TH, _PERSONAL_EN)]
    return []


def _phone_problems(phone: str) -> list[_Problem]:
    """Say what is wrong with the head's mobile number: none, or not a Thai mobile number."""
    if not phone:
        th, en = "ไม่มีเบอร์โทรศัพท์มือถือ", "has no mobile number"
        return [_Problem("mobile_missing", th, en, _MOBILE_TH, _MOBILE_EN)]
    if mobile_number(phone) is None:
        th = f"มีเบอร์โทรศัพท์ {phone} ซึ่งไม่ใช่เบอร์มือถือ (10 หลัก ขึ้นต้นด้วย 06 08 หรือ 09)"
        en = f"has phone {phone}, not a Thai mobile number (10 digits starting 06, 08 or 09)"
        return [_Problem("mobile_invalid", th, en, _MOBILE_TH, _MOBILE_EN)]
    return []
