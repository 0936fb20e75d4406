"""Run the checks and turn their hits into findings with stable ids.

A finding's id is `CODE-` plus the first 10 hex digits of sha1("CODE|account key|detail"), so
the same problem on the same account gets the same id in every cycle (the cycle and exception
logic rely on it), whatever else changed in the files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from laas_audit.checks import CHECKS, hygiene, load_aliases, stale
from laas_audit.checks._common import has_field, impossible_dates, latest_possible, th_date
from laas_audit.checks.base import Hit, ReviewContext
from laas_audit.errors import InputError, InputWarning, Location
from laas_audit.model import Finding, RuleInfo, Source
from laas_audit.tables import Account

# Export fields some rules need: when the file lacks the column entirely, they stay silent and
# the review says so once instead of implying the accounts are fine.
_NEEDS: dict[str, tuple[str, ...]] = {
    "last_login": ("LA103", "LA104"),
    "created": ("LA104",),
    "password_changed": ("LA401",),
}
# Rules judging each account by dates it may lack: code -> (the accounts it could not judge,
# what they lack in Thai, in English). Said once per run, never a silent skip.
_UNDATED: dict[str, tuple[Callable[[ReviewContext], list[Account]], str, str]] = {
    "LA104": (
        stale.never_used_undated,
        "ไม่เคยเข้าใช้งาน (ไม่มีวันที่เข้าใช้งานล่าสุด) และไม่มีวันที่สร้างบัญชี",
        "never logged in (no last-login date) and have no creation date",
    ),
    "LA105": (
        stale.retirement_undated,
        "เป็นของบุคคลที่ทะเบียนบุคลากรไม่มีวันเกิดที่ใช้ได้",
        "belong to people the roster gives no usable birth date",
    ),
    "LA401": (
        hygiene.password_undated,
        "ไม่มีทั้งวันที่เปลี่ยนรหัสผ่านและวันที่สร้างบัญชี",
        "have neither a password-change date nor a creation date",
    ),
}
_FIELD_TH = {
    "last_login": "วันที่เข้าใช้งานล่าสุด",
    "created": "วันที่สร้างบัญชี",
    "password_changed": "วันที่เปลี่ยนรหัสผ่าน",
}


def finding_id(code: str, account_key: str, detail: str = "") -> str:
    """Stable id of a finding: `LA101-` + sha1(code|account|detail)[:10]."""
    digest = hashlib.sha1(f"{code}|{account_key}|{detail}".encode()).hexdigest()
    return f"{code}-{digest[:10]}"


def resolve_codes(codes: Iterable[str] | None) -> list[str]:
    """List the rule codes to run, in registry order; old codes (aliases) map to new ones."""
    if codes is None:
        return list(CHECKS)
    aliases = load_aliases()
    wanted: set[str] = set()
    for raw in codes:
        code = raw.strip().upper()
        code = aliases.get(code, code)
        if code not in CHECKS:
            known = ", ".join(CHECKS)
            raise InputError(
                Location(file="rules"),
                th=f"ไม่รู้จักรหัสกฎ {raw}",
                en=f"unknown rule code {raw}",
                hint_th=f"รหัสที่มี: {known} (ดูด้วยคำสั่ง laas-audit rules)",
                hint_en=f"known codes: {known} (see `laas-audit rules`)",
            )
        wanted.add(code)
    return [c for c in CHECKS if c in wanted]


def _position_known(ctx: ReviewContext, account: Account) -> bool:
    person = ctx.person(account)
    return bool(account.position or (person is not None and person.position))


def _first_ten(usernames: list[str]) -> str:
    return ", ".join(usernames[:10]) + (" …" if len(usernames) > 10 else "")


def _contact_warnings(ctx: ReviewContext) -> list[str]:
    """LA404 checks the finance head's e-mail and mobile: say which half a missing column stops.

    Neither column: LA404 did not run. One of them: the other half ran, and the warning names
    the finance-head accounts whose e-mail or mobile number could not be checked.
    """
    has_email, has_phone = has_field(ctx, "email"), has_field(ctx, "phone")
    if has_email and has_phone:
        return []
    if not has_email and not has_phone:
        return [
            "รายงาน e-LAAS ไม่มีคอลัมน์อีเมล จึงไม่ได้ตรวจกฎ LA404"
            " / the export has no email column, so LA404 did not run"
        ]
    heads = [a.username for a, _ in hygiene.finance_head_accounts(ctx)]
    if not heads:
        return []
    shown = _first_ten(heads)
    if has_email:
        missing_th, missing_en, what_th, what_en = "โทรศัพท์", "phone", "เบอร์โทรศัพท์มือถือ", "mobile"
    else:
        missing_th, missing_en, what_th, what_en = "อีเมล", "email", "อีเมล", "e-mail"
    return [
        f"รายงาน e-LAAS ไม่มีคอลัมน์{missing_th} จึงตรวจ{what_th}ของหัวหน้าหน่วยงานคลัง (กฎ LA404)"
        f" ไม่ได้: {shown} ให้ตรวจในระบบ New e-LAAS ด้วยตนเอง / the export has no {missing_en}"
        f" column, so LA404 could not check the finance head's {what_en}: {shown}; check it in"
        " New e-LAAS by hand"
    ]


def _coverage_warnings(ctx: ReviewContext, selected: list[str]) -> list[str]:
    """Say once per missing column which rules could not run, and who could not be judged.

    Who: accounts without the dates a rule needs (`_UNDATED`), and without any position.
    """
    warnings = []
    for name, codes in _NEEDS.items():
        affected = [c for c in codes if c in selected]
        if affected and not has_field(ctx, name):
            warnings.append(
                f"รายงาน e-LAAS ไม่มีคอลัมน์{_FIELD_TH[name]} จึงไม่ได้ตรวจกฎ {', '.join(affected)}"
                f" / the export has no {name} column, so {', '.join(affected)} did not run"
            )
    if "LA404" in selected:
        warnings.extend(_contact_warnings(ctx))
    for code, (undated, lack_th, lack_en) in _UNDATED.items():
        unjudged = [a.username for a in undated(ctx)] if code in selected else []
        if unjudged:
            shown = _first_ten(unjudged)
            warnings.append(
                f"{len(unjudged)} บัญชี{lack_th} จึงตรวจกฎ {code} ไม่ได้: {shown}"
                f" / {len(unjudged)} accounts {lack_en}, so {code} could not judge them: {shown}"
            )
    if {"LA201", "LA303"} & set(selected):
        unknown = [a.username for a in ctx.export.accounts if not _position_known(ctx, a)]
        if unknown:
            shown = _first_ten(unknown)
            warnings.append(
                f"{len(unknown)} บัญชีไม่มีตำแหน่งทั้งในรายงานและทะเบียนบุคลากร จึงตรวจกฎ LA201/LA303"
                f" ไม่ได้: {shown} / {len(unknown)} accounts have no position in either file,"
                f" so LA201/LA303 could not judge them: {shown}"
            )
    return warnings


def _impossible_date_warnings(ctx: ReviewContext) -> list[str]:
    """Warn, at its cell, about each date after the export's own date (see `known_date`).

    Worded as the reader words a date it cannot use (31/02): the rules judge the account as if
    the cell were empty.
    """
    src = ctx.export.source
    latest = latest_possible(ctx)
    warnings = []
    for account, name, value in impossible_dates(ctx):
        row = (account.date_rows or {}).get(name) or (account.rows[0] if account.rows else None)
        label = src.columns.get(name) or _FIELD_TH[name]
        where = Location(src.path, src.sheet, row, src.letters.get(name))
        warnings.append(str(InputWarning(
            where,
            f"วันที่ในคอลัมน์ '{label}' ของผู้ใช้ '{account.username}' ใช้ไม่ได้: {th_date(value)}"
            f" อยู่หลังวันที่ของข้อมูล {th_date(latest)} ซึ่งเป็นไปไม่ได้ (ปีพิมพ์ผิด?) จึงตรวจเหมือน"
            "ไม่มีวันที่ โปรดตรวจสอบวันที่นี้ใน New e-LAAS",
            f"date in column '{label}' of user '{account.username}' unusable: {value.isoformat()}"
            f" is after the data's date {latest.isoformat()} (a mistyped year?), so it is judged"
            " as if blank; check this date in New e-LAAS",
        )))
    return warnings


def to_finding(ctx: ReviewContext, code: str, info: RuleInfo, hit: Hit) -> Finding:
    """One hit as a `Finding`: id, severity (the hit's or the catalogue's), source, groups."""
    account = hit.account
    src = ctx.export.source
    return Finding(
        id=finding_id(code, account.key, hit.detail),
        rule=code,
        category=info.category,
        severity=hit.severity or info.severity,
        username=account.username,
        groups=list(hit.groups if hit.groups is not None else account.groups),
        message=hit.message_th,
        message_en=hit.message_en,
        evidence=hit.evidence,
        source=Source(file=src.name, sheet=src.sheet, rows=list(account.rows)),
        status="new",
    )


def run_checks(
    ctx: ReviewContext,
    catalogue: dict[str, RuleInfo],
    codes: Iterable[str] | None = None,
) -> tuple[list[Finding], list[str]]:
    """Run the selected checks (all by default); return the findings and the warnings."""
    selected = resolve_codes(codes)
    warnings = _impossible_date_warnings(ctx) + _coverage_warnings(ctx, selected)
    findings: list[Finding] = []
    seen: set[str] = set()
    for code in selected:
        info = catalogue[code]
        for hit in CHECKS[code](ctx):
            finding = to_finding(ctx, code, info, hit)
            # Two hits with one id would be one problem reported twice: keep the first.
            if finding.id in seen:
                continue
            seen.add(finding.id)
            findings.append(finding)
    return findings, warnings
