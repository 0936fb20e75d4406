"""The rule library: the explicit registry of checks and the catalogue of their words.

`CHECKS` joins each stable code to its function (no registration by import side effect); the
words (title, why, action, clause, severity, category) are data in `rules/catalogue.yaml`,
read by `load_catalogue`. tests/test_catalogue.py keeps the two in step.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from laas_audit.checks import hygiene, mismatch, privilege, stale
from laas_audit.checks.base import CheckFn
from laas_audit.errors import InputError, Location
from laas_audit.model import CATEGORIES, SEVERITIES, RuleInfo
from laas_audit.policy import rules_dir, strict_yaml_load

__all__ = [
    "CATALOGUE_FILE",
    "CHECKS",
    "CheckFn",
    "load_aliases",
    "load_cancel_reasons",
    "load_catalogue",
    "load_same_problem",
]

CATALOGUE_FILE = "catalogue.yaml"

CHECKS: dict[str, CheckFn] = {
    "LA101": stale.leaver_still_active,
    "LA102": stale.no_roster_match,
    "LA103": stale.dormant,
    "LA104": stale.never_used,
    "LA105": stale.retired_by_age,
    "LA201": mismatch.group_not_for_position,
    "LA202": mismatch.non_staff_in_finance_group,
    "LA203": mismatch.unclassified_group,
    "LA301": privilege.privileged_not_finance_head,
    "LA302": privilege.conflicting_duties,
    "LA303": privilege.executive_operational,
    "LA401": hygiene.password_too_old,
    "LA402": hygiene.generic_account,
    "LA403": hygiene.several_accounts,
    "LA404": hygiene.finance_head_email,
}

_CODE = re.compile(r"^LA[1-9]\d\d$")
_TEXT_FIELDS = (
    "slug",
    "title_th",
    "title_en",
    "why_th",
    "why_en",
    "action_th",
    "action_en",
    "clause",
)
_OPTIONAL = {"aliases", "same_problem", "cancel_reason"}
_FIELDS = {*_TEXT_FIELDS, "category", "severity", *_OPTIONAL}
_PROBLEM = re.compile(r"^[a-z][a-z0-9-]*$")


def _bad(path: Path, key: str, th: str, en: str) -> InputError:
    return InputError(
        Location(file=path.name),
        th=f"แคตตาล็อกกฎไม่ถูกต้องที่คีย์ {key}: {th}",
        en=f"invalid rule catalogue at key {key}: {en}",
        hint_th="แก้ไข rules/catalogue.yaml ตามรูปแบบของกฎอื่น",
        hint_en="fix rules/catalogue.yaml following the other rules' shape",
    )


@functools.lru_cache(maxsize=4)
def _read(path: Path) -> dict[str, dict[str, Any]]:
    """Parse and validate the catalogue once per path."""
    try:
        data = strict_yaml_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _bad(path, "(file)", f"อ่านไม่ได้ ({exc})", f"cannot be read ({exc})") from None
    if not isinstance(data, dict):
        raise _bad(path, "(top)", "ต้องเป็นชุดรหัสกฎ: ค่า", "expected a mapping of code: rule")
    seen_alias: dict[str, str] = {}
    for code, entry in data.items():
        if not isinstance(code, str) or not _CODE.match(code):
            raise _bad(path, str(code), "รหัสกฎต้องเป็นรูปแบบ LA123", "codes look like LA123")
        if not isinstance(entry, dict):
            raise _bad(path, code, "ต้องเป็นชุดคีย์: ค่า", "expected a mapping")
        unknown = set(entry) - _FIELDS
        missing = _FIELDS - set(entry) - _OPTIONAL
        if unknown or missing:
            what = f"unknown {sorted(unknown)}" if unknown else f"missing {sorted(missing)}"
            raise _bad(path, code, f"คีย์ไม่ครบหรือเกิน ({what})", what)
        for name in _TEXT_FIELDS:
            if not isinstance(entry[name], str) or not entry[name].strip():
                raise _bad(path, f"{code}.{name}", "ต้องเป็นข้อความ", "expected text")
        if entry["category"] not in CATEGORIES:
            raise _bad(path, f"{code}.category", "ประเภทไม่ถูกต้อง", "unknown category")
        if entry["severity"] not in SEVERITIES:
            raise _bad(path, f"{code}.severity", "ระดับไม่ถูกต้อง", "unknown severity")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list):
            raise _bad(path, f"{code}.aliases", "ต้องเป็นรายการ", "expected a list")
        for alias in aliases:
            if alias in data or alias in seen_alias:
                raise _bad(path, f"{code}.aliases", f"ซ้ำ: {alias}", f"duplicate code {alias}")
            seen_alias[str(alias)] = code
        problem = entry.get("same_problem")
        if problem is not None and not (isinstance(problem, str) and _PROBLEM.match(problem)):
            raise _bad(path, f"{code}.same_problem", "ต้องเป็นชื่อสั้นภาษาอังกฤษ เช่น account-should-go",
                       "expected a short name like account-should-go")
        reason = entry.get("cancel_reason")
        if reason is not None and not (isinstance(reason, str) and reason.strip()):
            raise _bad(path, f"{code}.cancel_reason", "ต้องเป็นข้อความ", "expected text")
    return data


def load_catalogue(path: Path | None = None) -> dict[str, RuleInfo]:
    """Every rule's words, by code, in catalogue order (a fresh dict each call)."""
    return {code: RuleInfo(**fields) for code, fields in _rule_fields(path or _default_path())}


@functools.lru_cache(maxsize=1)
def _default_path() -> Path:
    # Every review loads the catalogue: look for the rules folder once per process.
    return rules_dir() / CATALOGUE_FILE


@functools.lru_cache(maxsize=4)
def _rule_fields(path: Path) -> tuple[tuple[str, dict[str, Any]], ...]:
    """Each rule's RuleInfo arguments, whitespace-normalised once per path."""
    return tuple(
        (
            code,
            {
                "code": code,
                "category": entry["category"],
                "severity": entry["severity"],
                **{name: " ".join(str(entry[name]).split()) for name in _TEXT_FIELDS},
            },
        )
        for code, entry in _read(path).items()
    )


def load_aliases(path: Path | None = None) -> dict[str, str]:
    """Old code -> current code, for rules that were renamed or merged."""
    data = _read(path or rules_dir() / CATALOGUE_FILE)
    return {
        str(alias): code for code, entry in data.items() for alias in entry.get("aliases") or []
    }


@functools.lru_cache(maxsize=4)
def load_same_problem(path: Path | None = None) -> dict[str, str]:
    """Code (and old code) -> its `same_problem` name, for the rules that have one.

    Rules sharing a name are one problem seen by different rules (LA105 retired by age becomes
    LA101 once HR records it): the cycle comparison does not count such a change as a fix.
    Callers must not change the dict (it is cached).
    """
    return _by_code("same_problem", path)


@functools.lru_cache(maxsize=4)
def load_cancel_reasons(path: Path | None = None) -> dict[str, str]:
    """Code (and old code) -> the words of the cancellation form's "อื่นๆ" box, where a rule has them.

    LA105 is the one now: the roster does not say the person retired (else LA101 would have
    found it), so only the rule can give the reason (เกษียณอายุราชการ). Do not change the dict.
    """
    return _by_code("cancel_reason", path)


def _by_code(key: str, path: Path | None) -> dict[str, str]:
    """Code -> an optional text field of its entry (spaces collapsed), old codes included."""
    data = _read(path or _default_path())
    found = {code: " ".join(entry[key].split()) for code, entry in data.items() if entry.get(key)}
    for old, code in load_aliases(path).items():
        if code in found:
            found[old] = found[code]
    return found
