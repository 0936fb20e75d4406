"""The short text summaries the CLI prints (a renderer of the result model, like the others)."""

from __future__ import annotations

from collections import Counter

from laas_audit.model import (
    CATEGORIES,
    CATEGORY_TH,
    SEVERITIES,
    SEVERITY_TH,
    ReviewResult,
    RuleInfo,
)
from laas_audit.render_common import cancelled_still_there


def review_summary(result: ReviewResult, lang: str = "th") -> str:
    """Summarise in a few lines: body, as-of, accounts, matching, findings by severity."""
    from laas_audit.dates import to_be_text

    body = result.body
    place = " ".join(
        p for p in (body.get("name"), _prefixed("อ.", body.get("district")),
                    _prefixed("จ.", body.get("province"))) if p
    )
    methods = result.match_counts()
    matched = sum(n for m, n in methods.items() if m not in ("fuzzy", "none"))
    leads = result.offered_a_person()
    to_confirm, not_found = methods["fuzzy"] + leads, methods["none"] - leads
    active = [f for f in result.findings if f.status != "waived"]
    by_sev = Counter(f.severity for f in active)
    by_cat = Counter(f.category for f in active)
    waived = len(result.findings) - len(active)
    not_done = cancelled_still_there(result)  # [] without a previous review
    changed = ", ".join(f"{f.username} ({f.previous_rule} -> {f.rule})"
                        for f in result.findings if f.previous_rule)
    if lang == "en":
        lines = [
            f"{place or '(body name not found)'}, as of {result.as_of.isoformat()}",
            f"Accounts: {len(result.accounts)} (matched {matched}, to confirm "
            f"{to_confirm}, not on roster {not_found})",
            f"Findings: {len(active)} (high {by_sev['high']}, medium {by_sev['medium']}, "
            f"low {by_sev['low']})" + (f", waived {waived}" if waived else ""),
            "  " + " | ".join(f"{c} {by_cat[c]}" for c in CATEGORIES),
        ]
        if result.resolved:
            lines.append(f"Resolved since the previous review: {len(result.resolved)}")
        if changed:
            lines.append(f"Same problem under another rule, not resolved: {changed}")
        if not_done:
            lines.append(f"Decided to cancel last cycle, but still there: {len(not_done)} "
                         f"account(s): {', '.join(c.username for c in not_done)}")
        return "\n".join(lines)
    lines = [
        f"{place or '(ไม่พบชื่อหน่วยงานในไฟล์)'} ข้อมูล ณ {to_be_text(result.as_of)}",
        f"บัญชีผู้ใช้ {len(result.accounts)} บัญชี (จับคู่กับทะเบียนบุคลากรได้ {matched}, "
        f"ต้องยืนยัน {to_confirm}, ไม่พบ {not_found})",
        f"ข้อค้นพบ {len(active)} รายการ: "
        + ", ".join(f"{SEVERITY_TH[s]} {by_sev[s]}" for s in SEVERITIES)
        + (f" (ยกเว้นตามที่อนุมัติ {waived})" if waived else ""),
        "  " + " | ".join(f"{CATEGORY_TH[c]} {by_cat[c]}" for c in CATEGORIES),
    ]
    if result.resolved:
        lines.append(f"แก้ไขแล้วนับจากรอบก่อน {len(result.resolved)} รายการ")
    if changed:
        lines.append(f"ปัญหาเดิมที่พบด้วยกฎใหม่ (ไม่นับว่าแก้ไขแล้ว): {changed}")
    if not_done:
        lines.append(f"ตัดสินใจยกเลิกแล้วแต่บัญชียังอยู่ {len(not_done)} บัญชี: "
                     f"{', '.join(c.username for c in not_done)}")
    return "\n".join(lines)


def warnings_block(
    warnings: list[str], limit: int = 5, width: int = 240, *, where: str = "report.html"
) -> str:
    """Show the first warnings, one line each, on the console ("" when there are none).

    They are all in the command's files, `where` the console points to: report.html (and
    findings.json) for `review`, record.html (and record.json) for `record`. On screen a
    finance head should see at once that there are some, and the first of them.
    """
    if not warnings:
        return ""
    lines = [f"คำเตือน {len(warnings)} รายการ (ทั้งหมดอยู่ใน {where}) / "
             f"{len(warnings)} warning(s), all in {where}:"]
    for text in warnings[:limit]:
        line = " ".join(text.split())
        lines.append("  - " + (line if len(line) <= width else line[: width - 1] + "…"))
    if len(warnings) > limit:
        more = len(warnings) - limit
        lines.append(f"  … และอีก {more} รายการ / {more} more")
    return "\n".join(lines)


def rule_list(catalogue: dict[str, RuleInfo]) -> str:
    """One line per rule: code, category, severity, Thai title."""
    return "\n".join(
        f"{r.code}  {r.category:<9} {r.severity:<6} {r.title_th} / {r.title_en}"
        for r in sorted(catalogue.values(), key=lambda r: r.code)
    )


def rule_detail(rule: RuleInfo) -> str:
    """Everything a finance head needs to know about one rule."""
    return "\n".join(
        [
            f"{rule.code} ({rule.slug}) · {CATEGORY_TH[rule.category]} / {rule.category}"
            f" · ความรุนแรง {SEVERITY_TH[rule.severity]} / {rule.severity}",
            f"{rule.title_th}",
            f"{rule.title_en}",
            "",
            f"เหตุผล: {rule.why_th}",
            f"Why: {rule.why_en}",
            "",
            f"ควรทำ: {rule.action_th}",
            f"What to do: {rule.action_en}",
            "",
            f"อ้างอิง / Clause: {rule.clause}",
        ]
    )


def _prefixed(prefix: str, value: str | None) -> str | None:
    if not value:
        return None
    return value if value.startswith((prefix, "อำเภอ", "จังหวัด")) else prefix + value
