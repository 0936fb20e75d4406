"""One person's several accounts: which active accounts belong to the same person (LA403, LA302).

Accounts are joined when they share a key (`identity`): the national ID (a surname change keeps
it; a ThaiD login carries it as the username), the matched roster person, or, for an unmatched
account without an ID, the exact name. LA403 reports the extra accounts; LA302 judges a
person's combined groups; LA201 leaves to LA302 what it reports. All three ask, so the answer
is worked out once per review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from laas_audit.checks._common import active_accounts, dormant_days, never_used_days
from laas_audit.checks.base import ReviewContext
from laas_audit.names import name_key
from laas_audit.tables import Account

_ID13 = re.compile(r"^[1-8]\d{12}$")
_MEMO = "same_person"


@dataclass(frozen=True, eq=False)
class SamePerson:
    """Two or more active accounts of one person, in export order."""

    accounts: tuple[Account, ...]
    national_id: str | None  # the ID joining them, when any account (or its roster row) has one


def is_thaid_login(username: str) -> bool:
    """Whether the username is a citizen ID (a ThaiD login)."""
    return bool(_ID13.match(username))


def identity(ctx: ReviewContext, account: Account) -> tuple[str | None, ...]:
    """Keys tying an account to a person: national ID, matched roster row, or name.

    The exact name is used only for an unmatched account without an ID: nothing better exists.
    """
    pid = account.national_id or (account.username if is_thaid_login(account.username) else None)
    person = ctx.person(account)
    row = name = None
    if person is not None:
        pid = pid or person.national_id
        row = f"row:{person.row}"
    elif not pid and account.full_name:
        key = name_key(account.full_name)
        name = f"name:{key}" if key else None
    return (f"id:{pid}" if pid else None), row, name


def several_account_people(ctx: ReviewContext) -> list[SamePerson]:
    """List every person with two or more active accounts, in the order of their first."""
    return _joined(ctx)[0]


def same_person(ctx: ReviewContext, account: Account) -> SamePerson | None:
    """Return the person of an account with other active accounts (None: their only one)."""
    return _joined(ctx)[1].get(id(account))


def _joined(ctx: ReviewContext) -> tuple[list[SamePerson], dict[int, SamePerson]]:
    found: tuple[list[SamePerson], dict[int, SamePerson]] | None = ctx.memo.get(_MEMO)
    if found is None:
        people = _join(ctx)
        by_account = {id(a): p for p in people for a in p.accounts}
        found = ctx.memo[_MEMO] = (people, by_account)
    return found


def _join(ctx: ReviewContext) -> list[SamePerson]:
    """Union the active accounts sharing a key; the people with two or more accounts."""
    accounts = list(active_accounts(ctx))
    parent = list(range(len(accounts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    identities = [identity(ctx, a) for a in accounts]  # once each: clusters can be large
    first_with: dict[str, int] = {}
    for i, keys in enumerate(identities):
        for key in keys:
            if key is None:
                continue
            if key in first_with:
                parent[find(i)] = find(first_with[key])
            else:
                first_with[key] = i
    clusters: dict[int, list[int]] = {}
    for i in range(len(accounts)):
        clusters.setdefault(find(i), []).append(i)
    people = []
    for members in clusters.values():
        if len(members) < 2:
            continue
        pid = next((k[3:] for i in members for k in identities[i] if k and k[:3] == "id:"), None)
        people.append(SamePerson(tuple(accounts[i] for i in members), pid))
    return people


# A rank key for "the most recent login first"; no login sorts after every date.
_NO_LOGIN = 1


def keep_rank(
    ctx: ReviewContext, account: Account
) -> tuple[bool, bool, bool, int, bool, int, int]:
    """Order of a person's accounts, the one to keep first (see `kept_account`)."""
    person = ctx.person(account)
    current = bool(person and account.full_name) and name_key(
        account.full_name or ""
    ) == name_key(person.full_name if person else "")
    last = account.last_login
    return (
        ctx.policy.is_inactive_account_status(account.status),
        dormant_days(ctx, account) is not None or never_used_days(ctx, account) is not None,
        not current,
        -len(account.groups),
        is_thaid_login(account.username),
        -last.toordinal() if last else _NO_LOGIN,
        min(account.rows, default=0),
    )


def kept_account(ctx: ReviewContext, accounts: tuple[Account, ...] | list[Account]) -> Account:
    """Pick the account of a person's several to keep: the one in use.

    An account that can log in (LA403 joins only those, but LA302 asks too) over a suspended
    one; then one LA103/LA104 does not call dormant or never used over one they do, so the
    finance head is never told to keep an account those rules tell them to cancel. Among
    accounts all in use, a recent login says little about which is the person's own: the one in
    the roster's current name (a maiden-name account is the old one), then the most groups,
    then a named login over a ThaiD one (citizen ID as username), then the most recent last
    login, then the first in the export.
    """
    return min(accounts, key=lambda a: keep_rank(ctx, a))
