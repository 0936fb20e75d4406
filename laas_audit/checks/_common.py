"""Helpers the check functions share: active accounts, positions, evidence and wording."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from laas_audit.checks.base import ReviewContext
from laas_audit.dates import to_be_short
from laas_audit.tables import Account, Person

# Export fields whose absence from the file (not just from one row) silences a rule.
DATE_FIELDS = ("last_login", "created", "password_changed")


def has_field(ctx: ReviewContext, name: str) -> bool:
    """Whether the export carries a field at all: a mapped column, or any account's value."""
    if name in ctx.export.source.columns:
        return True
    return any(getattr(a, name, None) not in (None, "") for a in ctx.export.accounts)


def latest_possible(ctx: ReviewContext) -> date:
    """Give the last day the export's dates can hold: its own date, or the review's if later.

    A date after it (a year typed 2570 for 2568) did not happen yet when the export was made.
    """
    export_date = ctx.export.as_of
    return max(ctx.as_of, export_date) if export_date else ctx.as_of


def known_date(ctx: ReviewContext, account: Account, name: str) -> date | None:
    """Give an account's date (created, last_login, password_changed), None if impossible.

    Impossible: after `latest_possible`. The engine warns about each such cell once
    (`impossible_dates`); a rule then judges the account as if the cell were empty, so a
    mistyped year never makes an account pass.
    """
    value: date | None = getattr(account, name)
    if value is None or value <= ctx.as_of:  # the usual case: one comparison
        return value
    return None if value > latest_possible(ctx) else value


def impossible_dates(ctx: ReviewContext) -> Iterator[tuple[Account, str, date]]:
    """Each (account, field, date) whose date is after `latest_possible`: see `known_date`."""
    latest = latest_possible(ctx)
    for account in ctx.export.accounts:
        for name in DATE_FIELDS:
            value = getattr(account, name)
            if value is not None and value > latest:
                yield account, name, value


def dormant_days(ctx: ReviewContext, account: Account) -> int | None:
    """Days since the last login when LA103 calls the account dormant (None: it does not).

    A last login after the export's date is unknown, not recent: the account was used (not
    LA104's), but when is not known, so it is not judged.
    """
    last = known_date(ctx, account, "last_login")
    if last is None:
        return None  # never logged in: LA104's question
    days = (ctx.as_of - last).days
    return days if days > ctx.policy.thresholds.dormant_days else None


def never_used_days(ctx: ReviewContext, account: Account) -> int | None:
    """Days since creation when LA104 calls the account never used (None: it does not).

    "Never" needs the export's login column; "how long" the account's creation date.
    """
    created = known_date(ctx, account, "created")
    if account.last_login is not None or created is None:
        return None
    if not has_field(ctx, "last_login"):
        return None
    days = (ctx.as_of - created).days
    return days if days > ctx.policy.thresholds.never_used_days else None


def active_accounts(ctx: ReviewContext) -> Iterator[Account]:
    """Accounts that can log in: every rule skips those the export marks ระงับ/disabled."""
    active: list[Account] | None = ctx.memo.get("active")
    if active is None:  # every rule asks: worked out once per review
        inactive = ctx.policy.is_inactive_account_status
        active = ctx.memo["active"] = [a for a in ctx.export.accounts if not inactive(a.status)]
    return iter(active)


@dataclass(frozen=True)
class Seat:
    """Who the account is, as far as the review knows: roster facts first, else the export's."""

    person: Person | None
    position: str | None
    position_source: str  # "roster" | "export" | "none"
    family: str | None


def seat(ctx: ReviewContext, account: Account) -> Seat:
    """Find the account's position and family: the roster's when matched, so moves are caught."""
    key = ("seat", id(account))  # several rules ask about each account
    found: Seat | None = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = _seat(ctx, account)
    return found


def _seat(ctx: ReviewContext, account: Account) -> Seat:
    person = ctx.person(account)
    if person is not None and person.position:
        position, source = person.position, "roster"
    elif account.position:
        position, source = account.position, "export"
    else:
        position, source = None, "none"
    return Seat(person, position, source, ctx.policy.position_family(position))


def generic(ctx: ReviewContext, account: Account) -> bool:
    """Whether no single person is behind the account (LA402).

    By its name, or by its username when it matched nobody on the roster.
    """
    return ctx.policy.is_generic_account(
        account.username, account.full_name, person_matched=ctx.person(account) is not None
    )


def left_on(ctx: ReviewContext, account: Account) -> tuple[bool, date | None]:
    """Whether the matched person left on or before the as-of date (LA101), and when.

    A leaving date after the as-of date is a planned departure. Without a date column the date
    may be written in the status ("ลาออก (1 ต.ค. 2569)") or marked effective in the note
    ("มีผล 1 ต.ค. 2569"). A leaver status with no date at all counts (the roster says they
    have gone; the date only says when).
    """
    person = ctx.person(account)
    if person is None or not ctx.policy.is_leaver_status(person.status):
        return False, None
    effective = person.status_date or ctx.policy.effective_date(person.status, person.note)
    return not (effective is not None and effective > ctx.as_of), effective


def is_elected(ctx: ReviewContext, account: Account) -> bool:
    """Whether the export names an elected office (นายก, รองนายก, สภา ...): never on rosters."""
    family = ctx.policy.position_family(account.position)
    return family in ctx.policy.roles.elected_families


def non_staff_in_finance(ctx: ReviewContext, account: Account) -> bool:
    """Whether the account is outsourced/labour staff holding a finance group.

    LA202 says so for the operational groups, LA301 for admin and finance-head ones: either
    way LA102 leaves the account to them.
    """
    where = seat(ctx, account)
    employment = where.person.employment_type if where.person is not None else None
    policy = ctx.policy
    if not (policy.is_non_staff(employment) or policy.is_non_staff(where.position)):
        return False
    finance = policy.roles.finance_classes
    return any(policy.group_classes(g) & finance for g in account.groups)


def ownerless(ctx: ReviewContext, account: Account) -> bool:
    """Whether LA102 reports the account: it matches nobody and no exemption explains why.

    Exempt: elected office holders (LA303/LA301 judge their groups); an account with no
    position holding only executive groups (most likely an executive); generic accounts
    (LA402 says why); outsourced staff in finance groups, who are often not on HR rosters
    (LA202 says why). Never an account whose national ID the roster has on several rows that
    differ: the person is on the roster, only which row is current waits for confirmation.
    """
    match = ctx.match(account)
    if match.person is not None or match.same_id_rows:
        return False
    policy = ctx.policy
    if generic(ctx, account) or is_elected(ctx, account):
        return False
    executive = policy.roles.executive_classes
    only_executive = bool(account.groups) and all(
        policy.group_classes(g) and policy.group_classes(g) <= executive for g in account.groups
    )
    if only_executive and not account.position:
        return False
    return not non_staff_in_finance(ctx, account)


def to_cancel(ctx: ReviewContext, account: Account) -> bool:
    """Whether LA101 or LA102 reports the account: it is to be cancelled.

    The rules about how an account is kept (LA103 dormant, LA104 never used, LA105, LA401
    passwords, LA404 contact) leave it alone: one account to cancel is one finding.
    """
    return left_on(ctx, account)[0] or ownerless(ctx, account)


def acting_finance_head(ctx: ReviewContext, account: Account, person: Person | None) -> bool:
    """Whether an acting order as finance head is recorded (roster; the export if unmatched)."""
    if person is not None:
        return ctx.policy.is_acting_finance_head(person.note, person.position, ctx.as_of)
    return ctx.policy.is_acting_finance_head(None, account.position, ctx.as_of)


def is_finance_head(ctx: ReviewContext, account: Account) -> bool:
    """Whether LA301 accepts the account's holder as a finance head.

    By position family (the finance director, a sub-unit's head) or a recorded acting order;
    the admin and finance-head groups are theirs by the letter (clause ๒).
    """
    where = seat(ctx, account)
    if where.family in ctx.policy.roles.finance_head_families:
        return True
    return acting_finance_head(ctx, account, where.person)


def privileged_groups(ctx: ReviewContext, account: Account) -> list[str]:
    """List the account's admin and finance-head groups (`roles.privileged_classes`: LA301's)."""
    policy = ctx.policy
    return [g for g in account.groups if policy.group_classes(g) & policy.roles.privileged_classes]


def misheld_privilege(ctx: ReviewContext, account: Account) -> list[str]:
    """List the privileged groups LA301 reports on the account ([]: it reports none).

    Held by someone LA301 does not accept as finance head (`is_finance_head`); an unmatched
    generic account is left to LA402 (the action is the same: cancel it).
    """
    groups = privileged_groups(ctx, account)
    if not groups or is_finance_head(ctx, account):
        return []
    if ctx.person(account) is None and ctx.policy.is_generic_account(
        account.username, account.full_name
    ):
        return []
    return groups


def name_of(account: Account, person: Person | None = None) -> str:
    """Name to show for an account: the export's, else the roster's, else the username."""
    return (
        account.full_name_raw
        or account.full_name
        or (person.full_name_raw or person.full_name if person else None)
        or account.username
    )


def who(account: Account, person: Person | None = None) -> str:
    """`ชื่อ (username)` for messages."""
    return f"{name_of(account, person)} ({account.username})"


def th_date(d: date | None) -> str:
    """Short Thai date for messages, e.g. `1 ก.ค. 2569`; `ไม่ระบุวันที่` when unknown."""
    return to_be_short(d) if d else "ไม่ระบุวันที่"


def en_date(d: date | None) -> str:
    """ISO date for English messages; `date unknown` when unknown."""
    return d.isoformat() if d else "date unknown"


def iso(d: date | None) -> str | None:
    """ISO date or None, for evidence."""
    return d.isoformat() if d else None


def join_th(items: Iterable[str]) -> str:
    """Group names for Thai text: `ก, ข และ ค`."""
    names = list(items)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " และ " + names[-1]


def join_en(items: Iterable[str]) -> str:
    """Group names for English text: `a, b and c`."""
    names = list(items)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def export_facts(ctx: ReviewContext, account: Account, *fields: str) -> dict[str, Any]:
    """Build the export side of the evidence: where the account is, and the facts asked for."""
    src = ctx.export.source
    facts: dict[str, Any] = {
        "file": src.name,
        "sheet": src.sheet,
        "rows": list(account.rows),
        "username": account.username,
        "full_name": account.full_name_raw or account.full_name,
        "groups": list(account.groups),
    }
    for name in ("position", "unit", "status", *fields):
        value = getattr(account, name, None)
        facts[name] = iso(value) if isinstance(value, date) else value
    return facts


def roster_facts(ctx: ReviewContext, person: Person | None) -> dict[str, Any] | None:
    """Build the roster side of the evidence (None when the account matched nobody)."""
    if person is None:
        return None
    src = ctx.roster.source
    return {
        "file": src.name,
        "sheet": src.sheet,
        "row": person.row,
        "full_name": person.full_name_raw or person.full_name,
        "position": person.position,
        "unit": person.unit,
        "employment_type": person.employment_type,
        "status": person.status,
        "status_date": iso(person.status_date),
        "note": person.note,
    }


def evidence(
    ctx: ReviewContext,
    account: Account,
    person: Person | None,
    *export_fields: str,
    **facts: Any,
) -> dict[str, Any]:
    """Evidence carrying both files' facts with their locations, the match, and rule facts."""
    match = ctx.match(account)
    out: dict[str, Any] = {
        "export": export_facts(ctx, account, *export_fields),
        "roster": roster_facts(ctx, person),
        "match": {"method": match.method, "score": match.score},
    }
    if match.same_id_rows:  # the roster repeats the person's ID: every row it is on
        out["match"]["same_id_rows"] = list(match.same_id_rows)
    out.update(facts)
    return out
