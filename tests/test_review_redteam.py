"""Red team: whole-review expectations on bodies written unlike our generator (issue 3 acceptance).

The hidden acceptance bodies were built by someone else from the same notes, with their own
group names, positions, statuses, notes and employment types. Each YAML file in
tests/rule_cases/review/ holds bodies whose accounts each say what the WHOLE review (every rule)
must report about them: `expect: {username: [category or rule code, ...]}`. Strict both ways,
per account, because the acceptance measures precision per flag: an account with one problem
must not collect findings in other categories, and an account not listed (a control) must get
no finding at all. A rule code (LA101) pins the rule; a category (stale) accepts any rule of it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from laas_audit.checks import load_catalogue
from laas_audit.engine import run_checks
from tests.casebuilder import build_context

CASE_DIR = Path(__file__).parent / "rule_cases" / "review"
_CODE = re.compile(r"^LA\d{3}$")
_CATEGORIES = {"stale", "mismatch", "privilege", "hygiene"}


def _bodies() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASE_DIR.glob("*.yml")):
        for body in yaml.safe_load(path.read_text(encoding="utf-8"))["bodies"]:
            out.append((f"{path.stem}:{body['name']}", body))
    return out


BODIES = _bodies()


def _review(body: dict[str, Any], tmp_path: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Username (folded) -> [(rule, category, message)] of the whole review."""
    ctx = build_context(body, tmp_dir=tmp_path)
    findings, _ = run_checks(ctx, load_catalogue())
    got: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for f in findings:
        got[f.username.casefold()].append((f.rule, f.category, f.message))
    return got


def test_there_are_enough_red_team_bodies() -> None:
    accounts = sum(len(b["export"]) for _, b in BODIES)
    planted = sum(len(v) for _, b in BODIES for v in (b.get("expect") or {}).values())
    assert len(BODIES) >= 10 and accounts >= 120 and planted >= 50


@pytest.mark.parametrize("body", [b for _, b in BODIES], ids=[n for n, _ in BODIES])
def test_whole_review_flags_exactly_what_each_account_deserves(
    body: dict[str, Any], tmp_path: Path
) -> None:
    expect = {str(k).casefold(): v for k, v in (body.get("expect") or {}).items()}
    usernames = {str(r["username"]).casefold() for r in body["export"]}
    assert set(expect) <= usernames, f"expectations for unknown accounts {set(expect) - usernames}"
    got = _review(body, tmp_path)
    problems = []
    for user in sorted(usernames):
        wanted = expect.get(user) or []
        for item in wanted:
            assert _CODE.match(item) or item in _CATEGORIES, f"bad expectation {item!r}"
        findings = got.get(user, [])
        want_codes = {w for w in wanted if _CODE.match(w)}
        want_cats = {w for w in wanted if w in _CATEGORIES}
        codes = {rule for rule, _, _ in findings}
        cats = {cat for _, cat, _ in findings}
        code_cats = {cat for rule, cat, _ in findings if rule in want_codes}
        ok = want_codes <= codes and cats == want_cats | code_cats
        if not ok:
            shown = "; ".join(f"{r}/{c}: {m}" for r, c, m in findings) or "nothing"
            problems.append(f"{user}: wanted {sorted(wanted) or 'nothing'}, got {shown}")
    assert not problems, "\n".join(problems)
