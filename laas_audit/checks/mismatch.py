"""Mismatches (LA2xx): groups that do not fit the person's position, unit or employment.

The privilege rules own what they cover, so one fact is reported once: admin and finance-head
classes belong to LA301, executives' operational groups to LA303, finance groups of outsourced
or labour staff to LA202. LA201 judges what is left against the policy's matrix.
"""

from __future__ import annotations

from collections.abc import Iterator

from laas_audit.checks._common import (
    active_accounts,
    evidence,
    join_en,
    join_th,
    seat,
    who,
)
from laas_audit.checks.base import Hit, ReviewContext
from laas_audit.checks.duties import conflicted_classes
from laas_audit.tables import Account, Person


def _non_staff(ctx: ReviewContext, person: Person | None, position: str | None) -> bool:
    """Outsourced or labour staff, by the roster's employment type or by the position."""
    employment = person.employment_type if person is not None else None
    return ctx.policy.is_non_staff(employment) or ctx.policy.is_non_staff(position)


def group_not_for_position(ctx: ReviewContext) -> Iterator[Hit]:
    """LA201: a group class the current position (or, for finance classes, unit) may not hold.

    The position is the roster's when matched, so people who changed post are caught; an
    account with no position on either file is not judged (the engine warns about it). One hit
    per group. The unit is checked only when the roster names finance units at all; a sub-unit
    (school, child-development centre) keeps its own finance staff, as a กองคลัง does. Classes a
    group brings into a conflict pair whose other side the position may hold are LA302's (one
    problem, one finding), also when the two sides are on two accounts of one person.
    """
    policy = ctx.policy
    roles = policy.roles
    roster_has_finance_unit = any(policy.is_finance_unit(p.unit) for p in ctx.roster.people)
    for account in active_accounts(ctx):
        where = seat(ctx, account)
        if where.position is None or where.family in roles.executive_families:
            continue
        allowed = policy.allowed_classes(where.family)
        non_staff = _non_staff(ctx, where.person, where.position)
        person = where.person
        conflicted = conflicted_classes(ctx, account, allowed)
        for group in account.groups:
            classes = policy.group_classes(group) - roles.privileged_classes
            classes -= conflicted.get(group, set())
            if non_staff:
                classes -= roles.finance_classes
            if not classes:
                continue
            bad = sorted(classes - allowed)
            if bad:
                yield _position_hit(ctx, account, group, bad, where.position, where.family)
                continue
            unit_bound = classes & policy.finance_unit_classes
            if (
                unit_bound
                and roster_has_finance_unit
                and person is not None
                and person.unit
                and where.family not in roles.finance_head_families
            ):
                misfit = _outside_unit(ctx, person.unit, unit_bound)
                if misfit:
                    yield _unit_hit(ctx, account, person, group, sorted(misfit))


def _position_hit(
    ctx: ReviewContext,
    account: Account,
    group: str,
    bad: list[str],
    position: str,
    family: str | None,
) -> Hit:
    person = ctx.person(account)
    side_th = "ตามทะเบียนบุคลากร" if person is not None and person.position else "ตามรายงาน e-LAAS"
    side_en = "on the roster" if person is not None and person.position else "in the export"
    allowed = sorted(ctx.policy.allowed_classes(family))
    return Hit(
        account=account,
        message_th=(
            f"{who(account, person)} ตำแหน่ง {position} ({side_th}) ไม่ควรอยู่ในกลุ่ม {group}"
            f" (ประเภท {', '.join(ctx.policy.label_th(c) for c in bad)})"
        ),
        message_en=(
            f"{who(account, person)}, {position} ({side_en}), should not be in {group}"
            f" (class {', '.join(bad)})"
        ),
        evidence=evidence(
            ctx,
            account,
            person,
            group=group,
            group_classes=bad,
            position_family=family,
            allowed_classes=allowed,
        ),
        detail=group,
        groups=[group],
    )


def _outside_unit(ctx: ReviewContext, unit: str, classes: frozenset[str]) -> frozenset[str]:
    """Return the classes a unit does not hold: none in the finance division or a sub-unit.

    A division for one part of the finance work (กองพัสดุและทรัพย์สิน) holds only its own
    classes, so a cash group held there is still out of place.
    """
    policy = ctx.policy
    division = policy.division_classes(unit)
    if division is not None:
        return classes - division
    if policy.is_finance_unit(unit) or policy.is_subunit(unit):
        return frozenset()
    return classes


def _unit_hit(
    ctx: ReviewContext, account: Account, person: Person, group: str, classes: list[str]
) -> Hit:
    return Hit(
        account=account,
        message_th=(
            f"{who(account, person)} สังกัด {person.unit} (ทะเบียนบุคลากร แถว {person.row})"
            f" ซึ่งไม่ใช่หน่วยงานคลัง แต่อยู่ในกลุ่ม {group}"
        ),
        message_en=(
            f"{who(account, person)} is in {person.unit} (roster row {person.row}), not the"
            f" finance division, but holds {group}"
        ),
        evidence=evidence(ctx, account, person, group=group, group_classes=classes),
        detail=f"unit:{group}",
        groups=[group],
    )


def non_staff_in_finance_group(ctx: ReviewContext) -> Iterator[Hit]:
    """LA202: outsourced or labour staff (employment type or position) in finance groups.

    Admin and finance-head groups are LA301's (one fact, one finding): LA202 names the
    account's other finance groups (cash, accounting ...), and is silent when it has none.
    """
    policy = ctx.policy
    roles = policy.roles
    finance = roles.finance_classes - roles.privileged_classes
    for account in active_accounts(ctx):
        where = seat(ctx, account)
        if not _non_staff(ctx, where.person, where.position):
            continue
        groups = [g for g in account.groups if policy.group_classes(g) & finance]
        if not groups:
            continue
        person = where.person
        kind_th, kind_en = _non_staff_reason(ctx, person, where.position)
        yield Hit(
            account=account,
            message_th=(
                f"{who(account, person)} {kind_th} แต่อยู่ในกลุ่มงานการเงินการคลัง {join_th(groups)}"
            ),
            message_en=(
                f"{who(account, person)} {kind_en} but holds finance groups {join_en(groups)}"
            ),
            evidence=evidence(ctx, account, person, finance_groups=groups),
            groups=groups,
        )


def _non_staff_reason(
    ctx: ReviewContext, person: Person | None, position: str | None
) -> tuple[str, str]:
    """Say what made the person non-staff: the employment type, else the (labour) position.

    ลูกจ้างประจำ and พนักงานจ้างทั่วไป are the body's own staff: when the position (นักการภารโรง,
    คนงานทั่วไป) is what matched, the message names the position, not the employment type.
    """
    employment = person.employment_type if person is not None else None
    if employment and ctx.policy.is_non_staff(employment):
        return f"เป็น {employment}", f"is {employment}"
    return (
        f"ตำแหน่ง {position} (งานจ้างเหมาหรืองานแรงงาน)",
        f"is in the position {position} (outsourced or labour work)",
    )


def unclassified_group(ctx: ReviewContext) -> Iterator[Hit]:
    """LA203: a group no class keyword matches, so nothing about it is silently ignored."""
    policy = ctx.policy
    for account in active_accounts(ctx):
        for group in account.groups:
            if policy.group_classes(group):
                continue
            yield Hit(
                account=account,
                message_th=(f"{who(account)} อยู่ในกลุ่ม {group} ซึ่งนโยบายไม่รู้จัก จึงตรวจความเหมาะสมไม่ได้"),
                message_en=(
                    f"{who(account)} is in {group}, a group the policy does not classify,"
                    " so its fit could not be checked"
                ),
                evidence=evidence(ctx, account, ctx.person(account), group=group),
                detail=group,
                groups=[group],
            )
