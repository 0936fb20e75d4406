"""What the HTML report and the XLSX worksheet show the same way: dates, places, evidence.

Both render the same `ReviewResult`; keeping the wording of evidence and dates here means the
worksheet a finance head signs and the report an auditor files never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from laas_audit.dates import to_be_short, to_be_text
from laas_audit.memo import remember
from laas_audit.model import METHOD_TH, Finding, PreviousDecision, ReviewResult

BANGKOK = timezone(timedelta(hours=7))
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

# Labels of the evidence keys checks use; unknown keys are shown as written.
EVIDENCE_KEYS: dict[str, tuple[str, str]] = {
    "export": ("ไฟล์รายงานผู้ใช้งาน (e-LAAS)", "e-LAAS export"),
    "roster": ("ทะเบียนบุคลากร", "HR roster"),
    "file": ("ไฟล์", "file"),
    "sheet": ("ชีต", "sheet"),
    "row": ("แถว", "row"),
    "rows": ("แถว", "rows"),
    "status": ("สถานะ", "status"),
    "status_date": ("วันที่มีผล", "effective date"),
    "last_login": ("เข้าใช้ล่าสุด", "last login"),
    "created": ("วันที่สร้างบัญชี", "created"),
    "password_changed": ("เปลี่ยนรหัสผ่านล่าสุด", "password changed"),
    "national_id": ("เลขประจำตัวประชาชน", "national ID"),
    "full_name": ("ชื่อ-สกุล", "full name"),
    "username": ("ชื่อผู้ใช้", "username"),
    "position": ("ตำแหน่ง", "position"),
    "unit": ("หน่วยงาน", "unit"),
    "employment_type": ("ประเภทบุคลากร", "employment type"),
    "note": ("หมายเหตุ", "note"),
    "groups": ("กลุ่มผู้ใช้งาน", "user groups"),
    "group": ("กลุ่มผู้ใช้งาน", "user group"),
    "classes": ("ประเภทกลุ่ม", "group classes"),
    "pair": ("หน้าที่ที่ขัดกัน", "conflicting duties"),
    "candidates": ("ผู้ที่อาจเป็น", "candidates"),
    "threshold_days": ("เกณฑ์ (วัน)", "threshold (days)"),
    "threshold_months": ("เกณฑ์ (เดือน)", "threshold (months)"),
    "in_time_from": ("ทันเกณฑ์เมื่อเปลี่ยนตั้งแต่", "in time if changed on or after"),
    "days": ("จำนวนวัน", "days"),
    "email": ("อีเมล", "e-mail"),
    "phone": ("โทรศัพท์", "phone"),
    "accounts": ("บัญชีผู้ใช้", "accounts"),
    "match": ("การจับคู่กับทะเบียนบุคลากร", "match to the roster"),
    "as_of": ("ณ วันที่ตรวจ", "as of"),
    "leaver_status": ("สถานะการพ้นจากหน้าที่", "leaver status"),
    "effective": ("มีผลตั้งแต่", "effective from"),
    "birth_date": ("วันเกิด", "birth date"),
    "retirement_date": ("วันเกษียณอายุราชการ (ตามวันเกิด)", "retirement date (by birth date)"),
    "retirement_age": ("อายุเกษียณ (ปี)", "retirement age"),
    "days_since_login": ("ไม่ได้เข้าใช้มาแล้ว (วัน)", "days since last login"),
    "days_since_created": ("สร้างบัญชีมาแล้ว (วัน)", "days since created"),
    "days_since_change": ("ไม่ได้เปลี่ยนรหัสผ่านมาแล้ว (วัน)", "days since password change"),
    "position_family": ("กลุ่มตำแหน่ง", "position family"),
    "position_source": ("ตำแหน่งตาม", "position taken from"),
    "group_classes": ("ประเภทของกลุ่ม", "group classes"),
    "allowed_classes": ("ประเภทกลุ่มที่ตำแหน่งนี้มีได้", "classes this position may hold"),
    "finance_groups": ("กลุ่มด้านการเงิน", "finance groups"),
    "privileged_groups": ("กลุ่มสิทธิ์สูง", "privileged groups"),
    "operational_groups": ("กลุ่มปฏิบัติงาน", "operational groups"),
    "conflict": ("หน้าที่ที่ขัดกัน", "conflicting duties"),
    "first_groups": ("กลุ่มฝั่งที่หนึ่ง", "first side's groups"),
    "second_groups": ("กลุ่มฝั่งที่สอง", "second side's groups"),
    "other_accounts": ("บัญชีอื่นของบุคคลเดียวกัน", "the person's other accounts"),
    "kept_account": ("บัญชีที่คงไว้ (ใช้งานอยู่)", "account to keep (in use)"),
    "disallowed_domain": ("โดเมนอีเมลที่ไม่ควรใช้", "e-mail domain not allowed"),
    "method": ("วิธีจับคู่", "match method"),
    "score": ("คะแนน", "score"),
}
# How an order's text may already begin ("คำสั่งที่ 45/2569", as README's example writes it).
_ORDER_LEAD = re.compile(r"\s*(?:คำสั่ง|order\b|no\.)", re.IGNORECASE)
_LOCATION_KEYS = frozenset(("file", "sheet", "row", "rows"))
_FILE_KEYS = ("export", "roster")  # None under these means "not in that file"
METHOD_EN = {
    "national_id": "national ID",
    "username": "username",
    "name": "full name",
    "fuzzy": "similar name (confirm)",
    "confirmed": "confirmed by reviewer",
    "none": "not on the roster",
}


def label(key: str, lang: str) -> str:
    """Return the Thai or English label of an evidence key (the key itself when unknown)."""
    pair = EVIDENCE_KEYS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


# The same labels by language, for `evidence_sections` (a report labels ~300 facts).
_LABELS_TH = {key: th for key, (th, _) in EVIDENCE_KEYS.items()}
_LABELS_EN = {key: en for key, (_, en) in EVIDENCE_KEYS.items()}


def date_text(d: date, lang: str = "th", *, short: bool = False) -> str:
    """Format a date as people read it: 1 ตุลาคม 2569 (BE) in Thai, 1 October 2026 in English."""
    if lang == "en":
        month = MONTHS_EN[d.month - 1]
        return f"{d.day} {month[:3] if short else month} {d.year}"
    return to_be_short(d) if short else to_be_text(d)


def iso_date_text(value: str | None, lang: str = "th", *, short: bool = False) -> str:
    """Show an ISO date string as `date_text`; other text unchanged, None as empty."""
    if not value:
        return ""
    if _ISO_DATE.match(value):
        try:
            return date_text(date.fromisoformat(value), lang, short=short)
        except ValueError:
            return value
    return value


def timestamp_text(value: str, lang: str = "th") -> str:
    """Show an ISO timestamp in Thai time: `2 ตุลาคม 2569 เวลา 10:15 น.` (or English)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(BANGKOK)
    day = date_text(moment.date(), lang)
    if lang == "en":
        return f"{day}, {moment:%H:%M}" + (" (UTC+7)" if moment.tzinfo else "")
    return f"{day} เวลา {moment:%H:%M} น."


def place_text(body: Mapping[str, str | None], lang: str = "th") -> str:
    """`อำเภอภูเขียว จังหวัดชัยภูมิ` (or `District ..., Province ...`); empty when unknown."""
    district, province = body.get("district"), body.get("province")
    if lang == "en":
        parts = [f"District {district}" if district else "", f"Province {province}" if province
                 else ""]
    else:
        parts = [f"อำเภอ{district}" if district else "", f"จังหวัด{province}" if province else ""]
    return " ".join(p for p in parts if p)


# Evidence dates repeat (the review date, status dates, logins): each one's text is kept.
_DATE_TEXTS: dict[tuple[str, str], str] = {}


def value_text(value: Any, lang: str = "th") -> str:
    """One evidence value as text: lists joined, ISO dates as BE dates, None as a dash."""
    kind = type(value)
    if kind is str:  # most evidence values: the common case first (reports by thousands)
        if not value:
            return "—"
        if len(value) != 10:
            return value
        text = _DATE_TEXTS.get((value, lang))
        return text if text is not None else remember(
            _DATE_TEXTS, (value, lang), iso_date_text(value, lang)
        )
    # Then the other common exact types (row numbers, counts, lists), before the isinstance
    # chain below: its Mapping test is an ABC check, slow for every value that is not one.
    if kind is int:
        return str(value)
    if kind is list:
        return ", ".join([value_text(v, lang) for v in value]) or "—"
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return ("ใช่" if value else "ไม่ใช่") if lang != "en" else ("yes" if value else "no")
    if isinstance(value, date):
        return date_text(value, lang)
    if isinstance(value, str):
        return iso_date_text(value, lang)
    if isinstance(value, Mapping):
        return "; ".join(f"{label(str(k), lang)}: {value_text(v, lang)}" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(value_text(v, lang) for v in value) or "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def order_text(order: str, prefix: str) -> str:
    """`prefix order` ("คำสั่งที่ 45/2569"), without the prefix when the order already has one."""
    return order if _ORDER_LEAD.match(order) else f"{prefix} {order}"


@dataclass
class EvidenceSection:
    """Facts from one place (a file, or the rule itself) with where they are."""

    title: str
    location: str = ""  # "file, ชีต x, แถว 12"
    facts: list[tuple[str, str]] = field(default_factory=list)


def _location(d: Mapping[str, Any], lang: str) -> str:
    parts: list[str] = []
    if d.get("file"):
        parts.append(str(d["file"]))
    if d.get("sheet"):
        parts.append(("sheet " if lang == "en" else "ชีต ") + str(d["sheet"]))
    rows = d.get("rows", d.get("row"))
    if rows not in (None, "", []):
        parts.append(("row " if lang == "en" else "แถว ") + value_text(rows, lang))
    return ", ".join(parts)


def evidence_sections(evidence: Mapping[str, Any], lang: str = "th") -> list[EvidenceSection]:
    """Group a finding's evidence by file: one section per nested dict, one for loose facts."""
    labels = _LABELS_EN if lang == "en" else _LABELS_TH
    sections: list[EvidenceSection] = []
    loose = EvidenceSection(title="ข้อมูลประกอบ" if lang != "en" else "Details")
    if not _LOCATION_KEYS.isdisjoint(evidence):
        loose.location = _location(evidence, lang)
    for key, value in evidence.items():
        if type(value) is dict or isinstance(value, Mapping):
            name = str(key)
            section = EvidenceSection(labels.get(name, name), _location(value, lang),
                                      _facts(value, labels, lang))
            sections.append(section)
        elif value is None and key in _FILE_KEYS:
            missing = "not found in this file" if lang == "en" else "ไม่พบในไฟล์นี้"
            sections.append(EvidenceSection(title=label(str(key), lang), facts=[("", missing)]))
        elif key not in _LOCATION_KEYS:
            name = str(key)
            loose.facts.append((labels.get(name, name), value_text(value, lang)))
    if loose.facts or loose.location:
        sections.append(loose)
    return sections


def _facts(
    evidence: Mapping[Any, Any], labels: dict[str, str], lang: str
) -> list[tuple[str, str]]:
    """Label and word one file's facts (its location apart), match methods by name."""
    facts: list[tuple[str, str]] = []
    for key, value in evidence.items():
        if key in _LOCATION_KEYS:
            continue
        name = key if type(key) is str else str(key)
        if name == "method" and isinstance(value, str):
            text = (METHOD_EN if lang == "en" else METHOD_TH).get(value, value)
        else:
            text = value_text(value, lang)
        facts.append((labels.get(name, name), text))
    return facts


def evidence_text(evidence: Mapping[str, Any], lang: str = "th") -> str:
    """Flatten evidence into plain lines, for a spreadsheet cell."""
    lines: list[str] = []
    for section in evidence_sections(evidence, lang):
        head = section.title + (f" ({section.location})" if section.location else "")
        facts = "; ".join(f"{k}: {v}" if k else v for k, v in section.facts)
        lines.append(f"{head}: {facts}" if facts else head)
    return "\n".join(lines)


@dataclass
class CancelNotDone:
    """An account decided ยกเลิกผู้ใช้ last cycle that is still in this export (clause ๔.๒)."""

    username: str
    full_name: str
    decision: PreviousDecision  # the first such decision (findings are sorted most severe first)
    findings: list[Finding]  # this cycle's findings on it that were decided ยกเลิกผู้ใช้
    resolved: list[Finding]  # last cycle's ones decided so, gone although the account is not


def cancelled_still_there(result: ReviewResult) -> list[CancelNotDone]:
    """List the accounts decided ยกเลิกผู้ใช้ last cycle that this export still holds.

    A finding of this review carrying such a decision is on an account that is there; a
    resolved one counts when its account is still among this export's (its problem went, the
    account did not). Nothing to do without a previous review.
    """
    if result.previous is None:
        return []
    from laas_audit.renamed_logins import user_key

    accounts = {user_key(a.username): a for a in result.accounts}
    out: dict[str, CancelNotDone] = {}
    for finding, resolved in (*((f, False) for f in result.sorted_findings()),
                              *((f, True) for f in result.resolved)):
        decision = finding.previous_decision
        account = accounts.get(user_key(finding.username))
        if decision is None or decision.decision != "cancel" or account is None:
            continue
        entry = out.setdefault(account.username, CancelNotDone(
            account.username, account.full_name, decision, [], []))
        (entry.resolved if resolved else entry.findings).append(finding)
    return list(out.values())


def decision_name(decision: PreviousDecision, lang: str = "th") -> str:
    """Name a decision as the worksheet's drop-down does (English: its gloss)."""
    from laas_audit.worksheet import DECISION_CODES, DECISION_EN

    th = decision.decision_th or next(
        (t for t, code in DECISION_CODES.items() if code == decision.decision), ""
    )
    if not th:
        return "no decision chosen" if lang == "en" else "ไม่ได้เลือกการตัดสินใจ"
    return DECISION_EN.get(th, th) if lang == "en" else th


def previous_decision_text(decision: PreviousDecision, lang: str = "th", lead: str = "") -> str:
    """Last cycle's decision in one line: `ครั้งก่อน (15 เม.ย. 2569): ยกเลิกผู้ใช้ — note (name)`."""
    when = iso_date_text(decision.date, lang, short=True)
    head = f"{lead} ({when})" if lead and when else lead
    text = decision_name(decision, lang)
    if decision.note:
        text += f" — {decision.note}"
    if decision.reviewer:
        text += f" ({decision.reviewer})"
    return f"{head}: {text}" if head else text
