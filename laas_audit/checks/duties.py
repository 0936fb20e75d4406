"""Conflicting duties (the policy's `conflicts` pairs) and which groups hold them.

On one account, or across one person's several accounts. LA302 reports them; LA201 leaves
them to LA302.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from laas_audit.checks._common import is_finance_head, privileged_groups
from laas_audit.checks.base import ReviewContext
from laas_audit.checks.people import SamePerson, same_person, several_account_people
from laas_audit.model import SEVERITY_RANK, Severity
from laas_audit.policy import Conflict, Policy
from laas_audit.tables import Account

_MEMO = "split_conflicts"

# The finance head's posting finding: one whichever duties, so its id holds while they change.
HEAD_DETAIL = "finance_head+posting"
Held = tuple[Conflict, list[str], list[str]]  # a pair, with the groups on each side


def held_pairs(
    policy: Policy, groups: list[str]
) -> Iterator[tuple[Conflict, list[str], list[str]]]:
    """Each conflict pair the groups hold through two different groups, with each side's groups.

    A single group carrying both classes is the system's design, not the body's assignment, so
    the usual one-group account costs nothing here. A rights-setting class (admin, finance
    head) paired with one duty is one problem however many of them the person holds
    (`_one_per_duty`).
    """
    if len(groups) < 2:
        return
    by_class = policy.classes_of(groups)
    held = []
    for pair in policy.conflicts:
        first, second = by_class.get(pair.first), by_class.get(pair.second)
        if not first or not second or not any(a != b for a in first for b in second):
            continue
        held.append((pair, first, second))
    yield from _one_per_duty(policy, held) if len(held) > 1 else held


def _one_per_duty(
    policy: Policy, held: list[tuple[Conflict, list[str], list[str]]]
) -> list[tuple[Conflict, list[str], list[str]]]:
    """Keep one pair per duty among the pairs of a privileged class with that duty.

    The director holding the admin and the finance-head groups and the cash group has one
    problem (who sets rights also posts), not two: the most severe pair is kept, the first
    listed on a tie. Pairs of two duties (procurement and cash) are all kept.
    """
    privileged = policy.roles.privileged_classes
    best: dict[str, Conflict] = {}
    for pair, _, _ in held:
        duty = _duty_of(pair, privileged)
        if duty is None:
            continue
        kept = best.get(duty)
        if kept is None or SEVERITY_RANK[pair.severity] < SEVERITY_RANK[kept.severity]:
            best[duty] = pair
    return [h for h in held if (d := _duty_of(h[0], privileged)) is None or best[d] is h[0]]


def _duty_of(pair: Conflict, privileged: frozenset[str]) -> str | None:
    """Return the duty a privileged class is paired with (None: not such a pair)."""
    if pair.first in privileged and pair.second not in privileged:
        return pair.second
    if pair.second in privileged and pair.first not in privileged:
        return pair.first
    return None


@dataclass(frozen=True)
class HeadPosting:
    """The finance head posting duties besides setting rights: one problem, one finding.

    `duties` holds each duty class with its groups and the severity it has for the head.
    """

    rights: tuple[str, ...]  # the account's admin / finance-head groups
    duties: tuple[tuple[str, tuple[str, ...], Severity], ...]
    pairs: tuple[Conflict, ...]  # the policy pairs it stands for

    @property
    def severity(self) -> Severity:
        """Return the most severe of the duties' severities."""
        return min((s for _, _, s in self.duties), key=SEVERITY_RANK.__getitem__)


def account_conflicts(
    ctx: ReviewContext, account: Account
) -> tuple[list[Held], HeadPosting | None]:
    """Return the pairs LA302 reports on one account, the finance head's as one `HeadPosting`.

    For the person LA301 accepts as finance head, the rights-setting classes paired with a
    duty (admin+cash, finance_head+accounting ...) are one problem: who sets rights also posts.
    The other pairs (procurement+cash) stay one each.
    """
    held = list(held_pairs(ctx.policy, account.groups))
    if not held:  # the usual account
        return held, None
    privileged = ctx.policy.roles.privileged_classes
    duty_pairs = [(d, h) for h in held if (d := _duty_of(h[0], privileged)) is not None]
    if not duty_pairs or not is_finance_head(ctx, account):
        return held, None
    policy = ctx.policy
    duties = []  # `held_pairs` keeps one pair per duty
    for duty, (pair, first, second) in duty_pairs:
        groups = second if duty == pair.second else first
        duties.append((duty, tuple(groups), head_severity(policy, duty, pair.severity)))
    duties.sort(key=lambda d: account.groups.index(d[1][0]))  # as the export lists them
    head = HeadPosting(
        rights=tuple(privileged_groups(ctx, account)),
        duties=tuple(duties),
        pairs=tuple(h[0] for _, h in duty_pairs),
    )
    return [h for h in held if _duty_of(h[0], privileged) is None], head


def head_severity(policy: Policy, duty: str, severity: Severity) -> Severity:
    """Severity of a rights class with a duty for the finance head: the finance-head pair's.

    The admin group is the head's by the letter (clause ๒), so admin+cash weighs for them
    what finance_head+cash does (low); a policy without such a pair keeps `severity`.
    """
    return _rights_pair_severity(policy, duty, with_head_group=True) or severity


def non_head_severity(policy: Policy, pair: Conflict, duty: str) -> Severity:
    """Severity of a finance-head pair for anyone but the head: the admin pair's with the duty.

    The finance-head pairs are low because the letter gives the head those rights; for anyone
    else the finance-head group sets users and rights as admin does (clause ๒), so
    finance_head+cash weighs what admin+cash does (medium). Other pairs, and a policy without
    such an admin pair, keep the pair's own severity.
    """
    head = policy.roles.finance_head_classes
    if pair.first not in head and pair.second not in head:
        return pair.severity
    return _rights_pair_severity(policy, duty, with_head_group=False) or pair.severity


def _rights_pair_severity(policy: Policy, duty: str, *, with_head_group: bool) -> Severity | None:
    """Give the most severe policy pair's severity of a rights class with `duty`.

    The finance-head group's pairs (`with_head_group`) or the other rights classes' (admin);
    None when the policy has none.
    """
    privileged = policy.roles.privileged_classes
    head = policy.roles.finance_head_classes
    found: list[Severity] = [
        c.severity
        for c in policy.conflicts
        if _duty_of(c, privileged) == duty
        and (c.first in head or c.second in head) == with_head_group
    ]
    if not found:
        return None
    return min(found, key=SEVERITY_RANK.__getitem__)


def judged_severity(ctx: ReviewContext, account: Account, pair: Conflict) -> Severity:
    """Return the pair's severity for the account's holder.

    `head_severity` for the finance head LA301 accepts, `non_head_severity` for anyone else.
    """
    policy = ctx.policy
    duty = _duty_of(pair, policy.roles.privileged_classes)
    if duty is None:  # two duties (procurement+cash): the same for everyone
        return pair.severity
    if is_finance_head(ctx, account):
        return head_severity(policy, duty, pair.severity)
    return non_head_severity(policy, pair, duty)


@dataclass(frozen=True, eq=False)
class SplitConflict:
    """A pair one person holds only across their accounts (no one account holds it alone)."""

    person: SamePerson
    pair: Conflict
    first: tuple[tuple[Account, str], ...]  # (account, group) carrying the pair's first class
    second: tuple[tuple[Account, str], ...]

    def sides_of(self, account: Account) -> tuple[list[str], list[str]]:
        """Return the account's own groups on each side of the pair."""
        return (
            [g for a, g in self.first if a is account],
            [g for a, g in self.second if a is account],
        )


def split_conflicts(ctx: ReviewContext) -> list[SplitConflict]:
    """Every pair a person holds only through two of their accounts (worked out once a review)."""
    found: list[SplitConflict] | None = ctx.memo.get(_MEMO)
    if found is None:
        found = ctx.memo[_MEMO] = [
            split for same in several_account_people(ctx) for split in _split(ctx.policy, same)
        ]
    return found


def _split(policy: Policy, same: SamePerson) -> Iterator[SplitConflict]:
    own = {pair.key for a in same.accounts for pair, _, _ in held_pairs(policy, a.groups)}
    combined = list(dict.fromkeys(g for a in same.accounts for g in a.groups))
    for pair, first, second in held_pairs(policy, combined):
        if pair.key in own:  # one account holds it: reported on that account
            continue
        yield SplitConflict(
            person=same,
            pair=pair,
            first=tuple((a, g) for a in same.accounts for g in a.groups if g in first),
            second=tuple((a, g) for a in same.accounts for g in a.groups if g in second),
        )


def conflicted_classes(
    ctx: ReviewContext, account: Account, allowed: frozenset[str]
) -> dict[str, set[str]]:
    """Group -> classes it adds to a conflict pair LA302 reports, against an allowed partner.

    LA201 leaves these to LA302: a procurement officer given the cash group, on the same account
    or on a second one, has one problem (conflicting duties), not two. When the position allows
    neither side (a นิติกร holding both) each group is also a mismatch, and LA201 still reports
    it.
    """
    same = same_person(ctx, account)
    if len(account.groups) < 2 and same is None:  # the usual account: nothing to pair
        return {}
    out: dict[str, set[str]] = {}

    def leave(pair: Conflict, first: list[str], second: list[str]) -> None:
        if pair.second in allowed:
            for group in first:
                out.setdefault(group, set()).add(pair.first)
        if pair.first in allowed:
            for group in second:
                out.setdefault(group, set()).add(pair.second)

    if len(account.groups) > 1:
        for pair, first, second in held_pairs(ctx.policy, account.groups):
            leave(pair, first, second)
    if same is not None:
        for split in split_conflicts(ctx):
            if split.person is same:
                leave(split.pair, *split.sides_of(account))
    return out
