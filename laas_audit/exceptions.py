"""Accepted-risk exceptions (`--exceptions FILE`): load, validate, and waive findings they cover.

The file is a YAML list; each entry names a `username`, exactly one of `rule` (a code of the
rule catalogue such as LA101, or an old code it still answers to) or `category`
(stale/mismatch/privilege/hygiene), a `reason`, who `approved_by` it, the date it `expires`
(YYYY-MM-DD, CE or BE, Thai digits allowed) and optionally the `order` (คำสั่ง) that approved it.
Every problem in the file is collected and reported at once, naming the entry (1-based), its line
and the key. A username is read as the export reader reads one (`normalise_login`: Thai digits,
invisible characters, a citizen ID grouped as the card prints it), so it names the same account.

A finding covered by an exception in force on the as-of date becomes `status="waived"` and keeps
being listed (the auditor must see what was accepted). An exception past its date waives nothing;
one in force that names no account of the export is warned about (it waives nothing either).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from laas_audit.dates import parse_date
from laas_audit.errors import InputError, Location
from laas_audit.model import (
    CATEGORIES,
    CATEGORY_TH,
    Category,
    ExceptionState,
    Finding,
    ReviewResult,
    Waiver,
)
from laas_audit.read_export import normalise_login
from laas_audit.yaml_load import SafeLoader, describe_error

REQUIRED_KEYS = ("username", "reason", "approved_by", "expires")
ALLOWED_KEYS = (*REQUIRED_KEYS, "rule", "category", "order")
RULE_CODE = re.compile(r"LA\d{3}")  # the shape; whether the rule exists is the catalogue's say
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
BE_OFFSET = 543
EXAMPLE = (
    '"- username: somchai.k / rule: LA301 (or category: privilege) / reason: ... / '
    'approved_by: ... / expires: 2570-03-31 / order: ..." (one key per line)'
)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_CATEGORY_BY_TH = {th: cat for cat, th in CATEGORY_TH.items()}


class _Loader(SafeLoader):
    """SafeLoader that leaves dates as text: YAML's own date parsing rejects BE leap days."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class ExceptionEntry:
    """One validated exception: who, which rule or category, why, approved by whom, until when."""

    username: str
    rule: str | None
    category: Category | None
    reason: str
    approved_by: str
    expires: date  # CE
    order: str | None = None
    entry: int = 0  # 1-based position in the file, for messages
    line: int | None = None  # line of the entry in the YAML file
    username_raw: str = ""  # as typed in the file, for messages (`username` is normalised)
    file: str = ""  # the file's name, for messages

    def in_force(self, as_of: date) -> bool:
        """Tell whether the exception applies on `as_of` (the expiry day itself included)."""
        return self.expires >= as_of

    def covers(self, finding: Finding) -> bool:
        """Tell whether this exception is about the finding's account and rule or category."""
        if fold_username(finding.username) != fold_username(self.username):
            return False
        if self.rule is not None:
            return finding.rule.strip().upper() == self.rule
        return finding.category == self.category


def fold_username(username: str) -> str:
    """Username for comparison: read as the export reader reads it; case and spaces ignored."""
    return "".join(normalise_login(username).split()).casefold()


def load_exceptions(path: Path, rules: Mapping[str, str] | None = None) -> list[ExceptionEntry]:
    """Read and validate an exceptions file; raise `InputError` listing every problem in it.

    `rules` maps each rule code an entry may name to the code findings carry (default: the rule
    catalogue's codes and the old codes it still answers to).
    """
    if rules is None:
        rules = catalogue_codes()
    loc = Location(path.name)
    text = _read_text(path, loc)
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        where_th, where_en = describe_error(exc)
        raise InputError(
            loc,
            f"อ่านไฟล์ YAML ไม่ได้{where_th}",
            f"not a readable YAML file{where_en}",
            "ตรวจการย่อหน้าและเครื่องหมาย : และ - ของแต่ละรายการ",
            "check the indentation and the ':' and '-' of each entry",
        ) from exc
    if data is None:
        return []
    if isinstance(data, dict) and set(data) == {"exceptions"}:
        # Also accept the list under one top-level key `exceptions:`.
        data = data["exceptions"]
        root = root.value[0][1] if isinstance(root, yaml.MappingNode) else root
        if data is None:
            return []
    if not isinstance(data, list):
        raise InputError(
            loc,
            "ไฟล์ข้อยกเว้นต้องเป็นรายการ (แต่ละรายการขึ้นต้นด้วย - )",
            "an exceptions file must be a YAML list (each entry starting with '- ')",
            f"เขียนแต่ละรายการเช่น {EXAMPLE}",
            f"write each entry like {EXAMPLE}",
        )
    lines = _entry_lines(root, len(data))
    entries: list[ExceptionEntry] = []
    problems: list[tuple[str, str]] = []  # (th, en)
    for index, raw in enumerate(data, start=1):
        entry, errs = _parse_entry(raw, index, lines[index - 1], rules, loc.file)
        problems.extend(errs)
        if entry is not None:
            entries.append(entry)
    if problems:
        first_th, first_en = problems[0]
        raise InputError(
            loc,
            first_th,
            first_en,
            "แก้ทุกรายการที่แจ้ง แล้วรันใหม่ (รูปแบบวันที่ 2027-03-31 หรือ พ.ศ. 2570-03-31)",
            "fix every entry listed, then run again (dates as 2027-03-31 or BE 2570-03-31)",
            problems=[f"{en} / {th}" for th, en in problems[1:]],
        )
    return entries


def apply_exceptions(
    result: ReviewResult,
    entries: Sequence[ExceptionEntry],
    as_of: date,
    expiring_soon_days: int = 30,
) -> None:
    """Waive the findings covered by exceptions in force and record each exception's state.

    A waived finding keeps its place in `result.findings` with `status="waived"` and the waiver;
    when several exceptions cover one finding, a rule-specific one wins over a category one, then
    the one that lasts longest. Works before or after `cycle.apply_previous` (waived wins).
    `result.exceptions` is replaced by one `ExceptionState` per entry, in file order.
    """
    in_force = [e for e in entries if e.in_force(as_of)]
    used: set[int] = set()
    for finding in result.findings:
        covering = [e for e in in_force if e.covers(finding)]
        if not covering:
            continue
        used.update(id(e) for e in covering)
        best = max(covering, key=lambda e: (e.rule is not None, e.expires))
        finding.status = "waived"
        finding.waiver = Waiver(
            reason=best.reason,
            approved_by=best.approved_by,
            expires=best.expires.isoformat(),
            order=best.order,
        )
    states: list[ExceptionState] = []
    for e in entries:
        if not e.in_force(as_of):
            state = "expired"
        elif id(e) in used:
            state = "active"
        else:
            state = "unused"
        soon = e.in_force(as_of) and (e.expires - as_of).days <= expiring_soon_days
        states.append(
            ExceptionState(
                username=e.username,
                rule=e.rule,
                category=e.category,
                expires=e.expires.isoformat(),
                state=state,  # type: ignore[arg-type]  # one of the three literals above
                reason=e.reason,
                approved_by=e.approved_by,
                order=e.order,
                expiring_soon=soon,
            )
        )
    result.exceptions = states
    accounts = {fold_username(a.username) for a in result.accounts}
    accounts.update(fold_username(f.username) for f in result.findings)
    for e in entries:
        if e.in_force(as_of) and fold_username(e.username) not in accounts:
            result.warnings.append(_no_account(e))
    known = set(result.rules)
    for e in entries:
        if e.rule is not None and known and e.rule not in known:
            result.warnings.append(
                f"ข้อยกเว้นรายการที่ {e.entry}: ไม่มีกฎ {e.rule} ในการตรวจนี้ (จึงไม่มีผล) / "
                f"exceptions entry {e.entry}: rule {e.rule} is not a rule of this review "
                f"(it waives nothing)"
            )


def _no_account(e: ExceptionEntry) -> str:
    """Warn that an exception in force names no account: a typo, or an account since removed."""
    line_en, line_th = (f" (line {e.line})", f" (บรรทัด {e.line})") if e.line else ("", "")
    file_en, file_th = (f"{e.file}, ", f"{e.file} ") if e.file else ("", "")
    typed = e.username_raw or e.username
    read_en, read_th = ("", "")
    if e.username != typed:  # say how it was read: Thai digits, a grouped ID, invisible marks
        read_en, read_th = f" (read as '{e.username}')", f" (อ่านได้เป็น '{e.username}')"
    return (
        f"{file_th}ข้อยกเว้นรายการที่ {e.entry}{line_th}: ชื่อผู้ใช้ '{typed}'{read_th} "
        "ไม่ตรงกับบัญชีใดในรายงาน e-LAAS ข้อยกเว้นนี้จึงไม่มีผล (ตรวจชื่อผู้ใช้ให้ตรงกับรายงาน) / "
        f"{file_en}exceptions entry {e.entry}{line_en}: username '{typed}'{read_en} matches no "
        "account in the e-LAAS export, so this exception waives nothing (check the username "
        "against the export)"
    )


def parse_expiry(value: object) -> date | None:
    """Turn an expiry (a date, or text YYYY-MM-DD in CE/BE, Thai digits) into a CE date.

    Returns None when the value is not a date in that form.
    """
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.year > 2400:  # a BE year YAML read as a date
            try:
                return value.replace(year=value.year - BE_OFFSET)
            except ValueError:  # 29 February of a BE year that is not leap in CE
                return None
        return value
    if not isinstance(value, str):
        return None
    m = ISO_DATE.fullmatch(value.strip().translate(_THAI_DIGITS))
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if year > 2400:
        year -= BE_OFFSET
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _expiry_problem(value: object) -> tuple[str, str]:
    """Say (Thai, English) why an expiry is not a date: the date parser's reason when it has one."""
    text = str(value).strip()
    if ISO_DATE.fullmatch(text.translate(_THAI_DIGITS)):
        parsed = parse_date(text)  # YYYY-MM-DD that no calendar has: say which day is missing
        if parsed.problem is not None and parsed.problem_th is not None:
            return parsed.problem_th, parsed.problem
    return (
        f"วันที่ '{value}' ไม่ถูกต้อง (ใช้ ปปปป-ดด-วว)",
        f"'{value}' is not a valid date YYYY-MM-DD",
    )


def _read_text(path: Path, loc: Location) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(
            loc,
            "ไม่พบไฟล์ข้อยกเว้น",
            "exceptions file not found",
            "ตรวจชื่อและที่อยู่ของไฟล์ที่ให้กับ --exceptions",
            "check the path given to --exceptions",
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            loc,
            "ไฟล์ข้อยกเว้นไม่ได้เข้ารหัสแบบ UTF-8",
            "the exceptions file is not UTF-8 text",
            "บันทึกไฟล์ใหม่เป็น UTF-8 (เช่น ใน Notepad เลือก Encoding: UTF-8)",
            "save the file again as UTF-8 text",
        ) from exc
    except OSError as exc:
        raise InputError(
            loc,
            f"เปิดไฟล์ข้อยกเว้นไม่ได้ ({exc.strerror})",
            f"cannot open the exceptions file ({exc.strerror})",
            "ตรวจว่าไฟล์มีอยู่และมีสิทธิ์อ่าน",
            "check that the file exists and is readable",
        ) from exc


def _entry_lines(root: yaml.Node | None, count: int) -> list[int | None]:
    """Find the 1-based line of each list entry, when the YAML node tree has it."""
    if isinstance(root, yaml.SequenceNode) and len(root.value) == count:
        return [node.start_mark.line + 1 for node in root.value]
    return [None] * count


def _text(value: object) -> str | None:
    """Read a scalar as text (YAML may turn a username or an order number into an int)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int):
        text = " ".join(str(value).split())
        return text or None
    return None


def catalogue_codes() -> dict[str, str]:
    """Every rule code of the catalogue, and each old code it answers to, -> the current code."""
    from laas_audit.checks import load_aliases, load_catalogue  # the checks, only when asked

    return {**load_aliases(), **{code: code for code in load_catalogue()}}


def _parse_entry(
    raw: Any, index: int, line: int | None, rules: Mapping[str, str], file: str
) -> tuple[ExceptionEntry | None, list[tuple[str, str]]]:
    where_en = f"entry {index}" + (f" (line {line})" if line else "")
    where_th = f"รายการที่ {index}" + (f" (บรรทัด {line})" if line else "")
    errs: list[tuple[str, str]] = []

    def bad(key: str, th: str, en: str) -> None:
        errs.append((f"{where_th} คีย์ '{key}': {th}", f"{where_en}, key '{key}': {en}"))

    if not isinstance(raw, dict):
        errs.append((
            f"{where_th}: ต้องเป็นชุด คีย์: ค่า (username, rule/category, reason, ...)",
            f"{where_en}: must be a mapping of key: value (username, rule/category, reason, ...)",
        ))
        return None, errs
    for key in raw:
        if key not in ALLOWED_KEYS:
            bad(str(key), "ไม่รู้จักคีย์นี้", f"unknown key (allowed: {', '.join(ALLOWED_KEYS)})")
    values: dict[str, str | None] = {}
    for key in ("username", "reason", "approved_by"):
        if key not in raw or raw[key] is None or raw[key] == "":
            bad(key, "ไม่มีค่า (ต้องระบุ)", "missing (required)")
        elif (text := _text(raw[key])) is None:
            bad(key, "ต้องเป็นข้อความ", "must be text")
        else:
            values[key] = text
    has_rule = raw.get("rule") not in (None, "")
    has_category = raw.get("category") not in (None, "")
    rule: str | None = None
    category: Category | None = None
    if has_rule and has_category:
        bad("rule", "ระบุได้อย่างเดียว: rule หรือ category", "give either rule or category, not both")
    elif not has_rule and not has_category:
        bad("rule", "ต้องระบุ rule (เช่น LA101) หรือ category", "missing: give rule or category")
    elif has_rule:
        code = (_text(raw["rule"]) or "").translate(_THAI_DIGITS).replace(" ", "").upper()
        if code in rules:
            rule = rules[code]
        elif RULE_CODE.fullmatch(code):
            current = ", ".join(sorted(set(rules.values())))
            bad("rule", f"ไม่มีกฎรหัส '{raw['rule']}' (กฎที่มี: {current}; ดู docs/rules.md "
                "หรือคำสั่ง laas-audit rules)",
                f"'{raw['rule']}' is not one of the rules ({current}; see docs/rules.md "
                "or `laas-audit rules`)")
        else:
            bad("rule", f"รหัสกฎ '{raw['rule']}' ไม่ถูกรูปแบบ (เช่น LA101)",
                f"rule code '{raw['rule']}' is not of the form LA101")
    else:
        name = (_text(raw["category"]) or "").casefold()
        name = _CATEGORY_BY_TH.get(name, name)
        if name in CATEGORIES:
            category = name  # checked against CATEGORIES
        else:
            bad("category", f"ไม่รู้จักหมวด '{raw['category']}'",
                f"unknown category '{raw['category']}' (allowed: {', '.join(CATEGORIES)})")
    expires: date | None = None
    if "expires" not in raw or raw["expires"] in (None, ""):
        bad("expires", "ไม่มีวันหมดอายุ (ต้องระบุ)", "missing (required)")
    else:
        expires = parse_expiry(raw["expires"])
        if expires is None:
            bad("expires", *_expiry_problem(raw["expires"]))
    order = _text(raw.get("order"))
    if raw.get("order") not in (None, "") and order is None:
        bad("order", "ต้องเป็นข้อความ", "must be text")
    if errs or expires is None:
        return None, errs
    return (
        ExceptionEntry(
            username=normalise_login(values["username"] or ""),
            rule=rule,
            category=category,
            reason=values["reason"] or "",
            approved_by=values["approved_by"] or "",
            expires=expires,
            order=order,
            entry=index,
            line=line,
            username_raw=str(raw["username"]),
            file=file,
        ),
        errs,
    )
