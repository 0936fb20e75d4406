"""Privilege (LA3xx): admin and finance-head rights, conflicting duties, executives' rights."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from laas_audit.checks._common import (
    active_accounts,
    en_date,
    evidence,
    iso,
    join_en,
    join_th,
    misheld_privilege,
    seat,
    th_date,
    who,
)
from laas_audit.checks.base import Hit, ReviewContext
from laas_audit.checks.duties import (
    HEAD_DETAIL,
    HeadPosting,
    SplitConflict,
    account_conflicts,
    judged_severity,
    split_conflicts,
)
from laas_audit.checks.people import keep_rank
from laas_audit.national_id import mask_id
from laas_audit.tables import Account, Person


def privileged_not_finance_head(ctx: ReviewContext) -> Iterator[Hit]:
    """LA301: admin/finance-head groups held by anyone but the finance director or an acting one.

    The finance director is recognised by position family (roster position when matched);
    an acting person by a roster note or position naming an acting order as finance head.
    Generic accounts are left to LA402 when unmatched (the action is the same: cancel them).
    Who is reported is `misheld_privilege` (LA404 asks it too). LA202 leaves these groups here.
    """
    policy = ctx.policy
    for account in active_accounts(ctx):
        groups = misheld_privilege(ctx, account)
        if not groups:
            continue
        where = seat(ctx, account)
        person = where.person
        position_th = f"ตำแหน่ง {where.position}" if where.position else "ไม่ระบุตำแหน่ง"
        position_en = where.position or "no position recorded"
        lapsed = (
            policy.acting_head_lapsed(person.note, ctx.as_of) if person is not None else None
        )
        order_th, order_en = _acting_order_words(lapsed, person)
        facts = {"acting_order": [lapsed[0], iso(lapsed[1])]} if lapsed else {}
        yield Hit(
            account=account,
            message_th=(
                f"{who(account, person)} {position_th} ไม่ใช่หัวหน้าหน่วยงานคลัง"
                f" และ{order_th} แต่อยู่ในกลุ่ม {join_th(groups)}"
            ),
            message_en=(
                f"{who(account, person)}, {position_en}, is not the finance head nor acting by"
                f" {order_en}, but holds {join_en(groups)}"
            ),
            evidence=evidence(
                ctx,
                account,
                person,
                privileged_groups=groups,
                position_family=where.family,
                position_source=where.position_source,
                **facts,
            ),
            groups=groups,
        )


def _acting_order_words(
    lapsed: tuple[str, date | None] | None, person: Person | None
) -> tuple[str, str]:
    """Say which acting order is missing: none at all, or the roster's that ended or not begun."""
    if lapsed is None or person is None:
        return "ไม่มีคำสั่งให้รักษาราชการแทน", "a recorded order"
    state, when = lapsed
    row_th, row_en = f"ทะเบียนบุคลากร แถว {person.row}", f"roster row {person.row}"
    if state == "not_begun":
        return (
            f"คำสั่งให้รักษาราชการแทนยังไม่มีผล (เริ่ม {th_date(when)}; {row_th})",
            f"an order in force (the acting order starts on {en_date(when)}; {row_en})",
        )
    if when is None:
        return (
            f"คำสั่งให้รักษาราชการแทนสิ้นสุดแล้ว ({row_th})",
            f"an order in force (the acting order has ended; {row_en})",
        )
    return (
        f"คำสั่งให้รักษาราชการแทนสิ้นสุดแล้วเมื่อ {th_date(when)} ({row_th})",
        f"an order in force (the acting order ended on {en_date(when)}; {row_en})",
    )


def conflicting_duties(ctx: ReviewContext) -> Iterator[Hit]:
    """LA302: one person holds both classes of a conflict pair, through two different groups.

    One hit per pair, with the pair's own severity, except the finance head's (as LA301
    accepts them) rights groups with the duties they post: one hit listing the duties, the
    admin group weighing as the finance-head group (`_head_hit`). For anyone else the
    finance-head group weighs as the admin group (`judged_severity`). A single group carrying
    both classes is the system's design, not the body's assignment, and does not fire. A person's
    combined groups count (their accounts joined as LA403 joins them): a pair held only
    across two of their accounts is reported once, on one of them (`_split_hit`); one account
    holding it is reported on that account as before.
    """
    policy = ctx.policy
    for account in active_accounts(ctx):
        held, head = account_conflicts(ctx, account)
        if head is not None:
            yield _head_hit(ctx, account, head)
        for pair, first, second in held:
            groups = list(dict.fromkeys([*first, *second]))
            person = ctx.person(account)
            yield Hit(
                account=account,
                message_th=(
                    f"{who(account, person)} มีทั้งหน้าที่{policy.label_th(pair.first)}"
                    f" ({join_th(first)}) และหน้าที่{policy.label_th(pair.second)}"
                    f" ({join_th(second)}) ซึ่งควรแยกให้คนละคน"
                ),
                message_en=(
                    f"{who(account, person)} holds both {pair.first} ({join_en(first)}) and"
                    f" {pair.second} ({join_en(second)}), duties that should be separated"
                ),
                evidence=evidence(
                    ctx,
                    account,
                    person,
                    conflict=[pair.first, pair.second],
                    first_groups=first,
                    second_groups=second,
                ),
                detail=pair.key,
                groups=groups,
                severity=judged_severity(ctx, account, pair),
            )
    for split in split_conflicts(ctx):
        yield _split_hit(ctx, split)


def _head_hit(ctx: ReviewContext, account: Account, head: HeadPosting) -> Hit:
    """One hit for the finance head posting duties: "หัวหน้าหน่วยงานคลังบันทึกรายการเองด้วย: …".

    The detail is the same whichever duties, so the finding keeps its id while they change.
    """
    policy = ctx.policy
    person = ctx.person(account)
    duty_groups = [g for _, groups, _ in head.duties for g in groups]
    labels_th = ", ".join(policy.label_th(d) for d, _, _ in head.duties)
    labels_en = ", ".join(d for d, _, _ in head.duties)
    return Hit(
        account=account,
        message_th=(
            f"{who(account, person)} หัวหน้าหน่วยงานคลังบันทึกรายการเองด้วย: {labels_th}"
            f" (กลุ่ม {join_th(duty_groups)} นอกจากกลุ่ม {join_th(head.rights)})"
            " ซึ่งควรแยกจากผู้กำหนดสิทธิ์เท่าที่อัตรากำลังทำได้"
        ),
        message_en=(
            f"{who(account, person)}, the finance head ({join_en(head.rights)}), also posts:"
            f" {labels_en} ({join_en(duty_groups)}), duties to keep apart from setting rights"
            " where staffing allows"
        ),
        evidence=evidence(
            ctx,
            account,
            person,
            rights_groups=list(head.rights),
            duties={d: {"groups": list(g), "severity": s} for d, g, s in head.duties},
            conflicts=[p.key for p in head.pairs],
        ),
        detail=HEAD_DETAIL,
        groups=list(dict.fromkeys([*head.rights, *duty_groups])),
        severity=head.severity,
    )


def _in_accounts(side: tuple[tuple[Account, str], ...], lang: str) -> str:
    """`พัสดุ ในบัญชี wanphen.s` for each group of a side, joined."""
    if lang == "th":
        return join_th(f"{g} ในบัญชี {a.username}" for a, g in side)
    return join_en(f"{g} in {a.username}" for a, g in side)


def _split_hit(ctx: ReviewContext, split: SplitConflict) -> Hit:
    """One hit for a pair split over a person's accounts.

    Reported on the first account, in the order LA403 keeps them, holding a group of the pair
    (so the finding's groups are that account's own); every account and its groups are in the
    evidence. The detail marks it as the person's, apart from one account's own pair.
    """
    policy = ctx.policy
    pair = split.pair
    accounts = sorted(split.person.accounts, key=lambda a: keep_rank(ctx, a))
    holders = {id(a) for a, _ in (*split.first, *split.second)}
    account = next(a for a in accounts if id(a) in holders)
    others = [a.username for a in split.person.accounts if a is not account]
    own_first, own_second = split.sides_of(account)
    person = ctx.person(account)
    pid = split.person.national_id
    return Hit(
        account=account,
        message_th=(
            f"{who(account, person)} ซึ่งเป็นเจ้าของบัญชี {join_th(others)} ด้วย"
            f" มีทั้งหน้าที่{policy.label_th(pair.first)} ({_in_accounts(split.first, 'th')})"
            f" และหน้าที่{policy.label_th(pair.second)} ({_in_accounts(split.second, 'th')})"
            " ซึ่งควรแยกให้คนละคน"
        ),
        message_en=(
            f"{who(account, person)}, who also owns {join_en(others)}, holds both {pair.first}"
            f" ({_in_accounts(split.first, 'en')}) and {pair.second}"
            f" ({_in_accounts(split.second, 'en')}) across their accounts, duties that should"
            " be separated"
        ),
        evidence=evidence(
            ctx,
            account,
            person,
            conflict=[pair.first, pair.second],
            first_groups=list(dict.fromkeys(g for _, g in split.first)),
            second_groups=list(dict.fromkeys(g for _, g in split.second)),
            accounts=[
                {"username": a.username, "rows": list(a.rows), "groups": list(a.groups)}
                for a in split.person.accounts
            ],
            national_id=mask_id(pid) if pid else None,
        ),
        detail=f"{pair.key}|person",
        groups=list(dict.fromkeys([*own_first, *own_second])),
        severity=judged_severity(ctx, account, pair),
    )


def executive_operational(ctx: ReviewContext) -> Iterator[Hit]:
    """LA303: an executive (นายก, รองนายก, ปลัด ...) holding operational groups.

    Clause ๒ gives executives rights to view reports. Admin and finance-head groups are LA301's
    (and allowed to an executive acting as finance head by order); unclassified groups LA203's.
    """
    policy = ctx.policy
    roles = policy.roles
    for account in active_accounts(ctx):
        where = seat(ctx, account)
        if where.family not in roles.executive_families:
            continue
        operational = [
            g
            for g in account.groups
            if policy.group_classes(g) - roles.executive_classes - roles.privileged_classes
        ]
        if not operational:
            continue
        person = where.person
        yield Hit(
            account=account,
            message_th=(
                f"{who(account, person)} ตำแหน่ง {where.position} เป็นผู้บริหาร ควรมีสิทธิ์ดูรายงานเท่านั้น"
                f" แต่อยู่ในกลุ่มปฏิบัติงาน {join_th(operational)}"
            ),
            message_en=(
                f"{who(account, person)}, {where.position}, is an executive who should only view"
                f" reports, but holds operational groups {join_en(operational)}"
            ),
            evidence=evidence(
                ctx,
                account,
                person,
                operational_groups=operational,
                position_family=where.family,
                position_source=where.position_source,
            ),
            groups=operational,
        )
