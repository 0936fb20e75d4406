"""Hygiene (LA4xx): old passwords, shared accounts, one person's several accounts, e-mail."""

from __future__ import annotations

import re
from collections.abc import Iterator

from laas_audit.checks._common import (
    acting_finance_head,
    active_accounts,
    evidence,
    generic,
    has_field,
    join_en,
    join_th,
    left_on,
    ownerless,
    seat,
    th_date,
    who,
)
from laas_audit.checks.base import Hit, ReviewContext
from laas_audit.checks.people import kept_account, several_account_people
from laas_audit.names import name_key
from laas_audit.national_id import mask_id

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def password_too_old(ctx: ReviewContext) -> Iterator[Hit]:
    """LA401: password last changed longer ago than `thresholds.password_max_age_days`.

    An account whose date is blank is not guessed at; an export without the column at all
    makes the rule silent (the engine warns once). An account LA101 or LA102 reports (its
    person left, or there is none) is to be cancelled, not given a new password: not repeated.
    """
    if not has_field(ctx, "password_changed"):
        return
    limit = ctx.policy.thresholds.password_max_age_days
    for account in active_accounts(ctx):
        changed = account.password_changed
        if changed is None or left_on(ctx, account)[0] or ownerless(ctx, account):
            continue
        days = (ctx.as_of - changed).days
        if days <= limit:
            continue
        yield Hit(
            account=account,
            message_th=(
                f"{who(account)} เปลี่ยนรหัสผ่านครั้งล่าสุดเมื่อ {th_date(changed)} ({days} วัน"
                f" เกินเกณฑ์ {limit:g} วัน)"
            ),
            message_en=(
                f"{who(account)} last changed the password on {changed.isoformat()}, {days} days"
                f" before {ctx.as_of.isoformat()} (limit {limit:g} days)"
            ),
            evidence=evidence(
                ctx,
                account,
                ctx.person(account),
                "password_changed",
                days_since_change=days,
                threshold_days=limit,
                as_of=ctx.as_of.isoformat(),
            ),
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
    kept gets one hit naming the others (see `people.kept_account`).
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
            yield Hit(
                account=account,
                message_th=(
                    f"{who(account, person)} เป็นบุคคลเดียวกับเจ้าของบัญชี {join_th(others)}"
                    + (" (เลขประจำตัวประชาชนเดียวกัน)" if pid else " (จับคู่กับบุคคลเดียวกันในทะเบียน)")
                ),
                message_en=(
                    f"{who(account, person)} is the same person as the owner of"
                    f" {join_en(others)}"
                    + (" (same national ID)" if pid else " (matched to the same roster person)")
                ),
                evidence=evidence(
                    ctx,
                    account,
                    person,
                    other_accounts=others,
                    kept_account=kept.username,
                    national_id=mask_id(pid) if pid else None,
                ),
                detail=f"person:{stable}",
            )


def finance_head_email(ctx: ReviewContext) -> Iterator[Hit]:
    """LA404: the finance head's account has no usable e-mail, or a disallowed (Hotmail) one.

    The finance head's account: one holding a finance-head group, or the finance director (or
    an acting one) holding the admin group where the body has no finance-head group. Missing or
    malformed: low; a disallowed domain: medium. Silent when the export has no e-mail column at
    all, and for accounts LA101/LA102 report (to be cancelled).
    """
    if not has_field(ctx, "email"):
        return
    policy = ctx.policy
    head = policy.roles.finance_head_classes
    privileged = policy.roles.privileged_classes
    for account in active_accounts(ctx):
        groups = [g for g in account.groups if policy.group_classes(g) & head]
        if not groups:
            groups = [g for g in account.groups if policy.group_classes(g) & privileged]
            where = seat(ctx, account)
            is_head = where.family in policy.roles.finance_head_families or acting_finance_head(
                ctx, account, where.person
            )
            if not groups or not is_head:
                continue
        if left_on(ctx, account)[0] or ownerless(ctx, account):
            continue
        email = (account.email or "").strip()
        bad_domain = policy.email_domain_disallowed(email) if email else None
        if email and _EMAIL.match(email) and bad_domain is None:
            continue
        if bad_domain:
            th = f"ใช้อีเมล {email} ซึ่งเป็น {bad_domain} ที่หนังสือกำหนดว่าห้ามใช้"
            en = f"uses {email}, a {bad_domain} address the letter rules out"
        elif email:
            th = f"มีอีเมล {email} ที่ไม่ใช่รูปแบบอีเมลที่ถูกต้อง"
            en = f"has {email}, which is not a valid e-mail address"
        else:
            th, en = "ไม่มีอีเมล", "has no e-mail address"
        person = ctx.person(account)
        yield Hit(
            account=account,
            message_th=f"บัญชีหัวหน้าหน่วยงานคลัง {who(account, person)} {th}",
            message_en=f"finance head account {who(account, person)} {en}",
            evidence=evidence(ctx, account, person, "email", disallowed_domain=bad_domain),
            groups=groups,
            severity="medium" if bad_domain else None,
        )
