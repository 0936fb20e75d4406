"""A problem that changed rule on the same account is not a fix (LA105 -> LA101 -> LA102).

By ids alone (the id holds the rule), a retiree flagged by age (LA105) whom HR then marks as
retired (LA101), or a leaver (LA101) dropped from the roster (LA102), would count as fixed and
the same account's new finding as new, although the account is still there. Rules that see one
problem share a `same_problem` name in rules/catalogue.yaml; a previous finding gone from this
review is linked to a new finding on the same account whose rule has its name. The new finding
is then persisting and carries `previous_id` and `previous_rule` (and so last cycle's decision).
"""

from __future__ import annotations

from laas_audit.model import SEVERITY_RANK, Finding, ReviewResult
from laas_audit.renamed_logins import user_key


def link_rule_changes(
    result: ReviewResult, gone: list[Finding], before: set[str], groups: dict[str, str]
) -> set[str]:
    """Link the gone findings to this review's same problem on their account; return their ids.

    `gone` are the previous findings not found again (nor through a renamed login), `before`
    every previous id, `groups` rule -> `same_problem` name. Several on one account pair most
    severe first: a leaver's LA101 goes on as LA102 before his dormant LA103 does.
    """
    olds: dict[tuple[str, str], list[Finding]] = {}
    for old in gone:
        if old.rule in groups:
            olds.setdefault((user_key(old.username), groups[old.rule]), []).append(old)
    if not olds:
        return set()
    linked: set[str] = set()
    for key, news in _fresh(result, before, groups).items():
        for old, new in zip(sorted(olds.get(key, ()), key=_order), sorted(news, key=_order),
                            strict=False):
            new.continues(old)
            linked.add(old.id)
    return linked


def _fresh(result: ReviewResult, before: set[str], groups: dict[str, str]
           ) -> dict[tuple[str, str], list[Finding]]:
    """Group this review's new findings of a `same_problem` rule by account and problem."""
    fresh: dict[tuple[str, str], list[Finding]] = {}
    for f in result.findings:
        if f.rule in groups and f.id not in before and f.previous_id is None:
            fresh.setdefault((user_key(f.username), groups[f.rule]), []).append(f)
    return fresh


def _order(f: Finding) -> tuple[int, str, str]:
    return SEVERITY_RANK[f.severity], f.rule, f.id
