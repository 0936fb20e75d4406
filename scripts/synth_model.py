"""Vocabulary and data model of the synthetic bodies (see synth.py): words, pools, dataclasses.

All names here are invented or generic: common Thai given names, surnames composed from common
morphemes, place names composed from common place words. Nothing describes a real person.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

# --------------------------------------------------------------------------------------------
# Shapes, kinds of body, vocabulary
# --------------------------------------------------------------------------------------------

EXPORT_SHAPES = ("xlsx-sections", "html-xls", "csv-cp874", "xlsx-column", "xls-legacy")
ROSTER_FORMATS = ("xlsx", "csv-utf8-bom", "xlsx-handmade")
EXPORT_EXT = {
    "xlsx-sections": "xlsx",
    "html-xls": "xls",
    "csv-cp874": "csv",
    "xlsx-column": "xlsx",
    "xls-legacy": "xls",
}
ROSTER_EXT = {"xlsx": "xlsx", "csv-utf8-bom": "csv", "xlsx-handmade": "xlsx"}
# Shapes whose export carries a national-ID column; elsewhere IDs only reach it as ThaiD logins.
ID_SHAPES = ("xlsx-sections", "xlsx-column", "xls-legacy")
ROSTER_WITH_IDS = ("xlsx", "csv-utf8-bom")

REPORT_NAME = "รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน"
DEFAULT_AS_OF = date(2026, 10, 1)
ACTIVE = "ใช้งาน"

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)


@dataclass(frozen=True)
class BodyKind:
    """A type of local body and the words its documents use."""

    code: str  # abbreviation used in names: อบต.
    full: str  # prefix of the full name: องค์การบริหารส่วนตำบล
    staff: str  # employment type of its permanent officials
    mayor: str
    deputy_mayor: str
    chief: str  # ปลัด
    deputy_chief: str
    office: str  # สำนักปลัด unit name
    domain: str  # e-mail domain stem


KINDS: dict[str, BodyKind] = {
    "abt": BodyKind(
        "อบต.", "องค์การบริหารส่วนตำบล", "พนักงานส่วนตำบล", "นายกองค์การบริหารส่วนตำบล",
        "รองนายกองค์การบริหารส่วนตำบล", "ปลัด อบต.", "รองปลัด อบต.", "สำนักปลัด", "sao",
    ),
    "tt": BodyKind(
        "ทต.", "เทศบาลตำบล", "พนักงานเทศบาล", "นายกเทศมนตรีตำบล", "รองนายกเทศมนตรีตำบล",
        "ปลัดเทศบาล", "รองปลัดเทศบาล", "สำนักปลัดเทศบาล", "tambon",
    ),
    "tm": BodyKind(
        "ทม.", "เทศบาลเมือง", "พนักงานเทศบาล", "นายกเทศมนตรีเมือง", "รองนายกเทศมนตรีเมือง",
        "ปลัดเทศบาล", "รองปลัดเทศบาล", "สำนักปลัดเทศบาล", "city",
    ),
    "abj": BodyKind(
        "อบจ.", "องค์การบริหารส่วนจังหวัด", "พนักงานส่วนจังหวัด", "นายกองค์การบริหารส่วนจังหวัด",
        "รองนายกองค์การบริหารส่วนจังหวัด", "ปลัดองค์การบริหารส่วนจังหวัด",
        "รองปลัดองค์การบริหารส่วนจังหวัด", "สำนักปลัดองค์การบริหารส่วนจังหวัด", "pao",
    ),
}

UNITS = {
    "finance": "กองคลัง",
    "works": "กองช่าง",
    "edu": "กองการศึกษา ศาสนาและวัฒนธรรม",
    "health": "กองสาธารณสุขและสิ่งแวดล้อม",
    "welfare": "กองสวัสดิการสังคม",
}
UNIT_ORDER = ("office", "finance", "works", "edu", "health", "welfare", "")

EMPLOYMENT = {
    "permanent": "ลูกจ้างประจำ",
    "mission": "พนักงานจ้างตามภารกิจ",
    "general": "พนักงานจ้างทั่วไป",
    "contract": "จ้างเหมาบริการ",
    "teacher": "พนักงานครู",
    "elected": "",
}

GROUP_CLASSES = (
    "admin", "head", "exec", "budget", "cash", "acct", "proc", "rev", "assets", "clerk",
)
# Several naming conventions, all carrying the class keywords of NOTES.md.
GROUP_NAMINGS: tuple[dict[str, str], ...] = (
    {
        "admin": "ผู้ดูแลระบบหน่วยงาน", "head": "หัวหน้าหน่วยงานคลัง", "exec": "ผู้บริหารท้องถิ่น",
        "budget": "เจ้าหน้าที่งบประมาณ", "cash": "เจ้าหน้าที่การเงิน", "acct": "เจ้าหน้าที่บัญชี",
        "proc": "เจ้าหน้าที่พัสดุ", "rev": "เจ้าหน้าที่จัดเก็บรายได้",
        "assets": "เจ้าหน้าที่ทะเบียนทรัพย์สิน", "clerk": "เจ้าหน้าที่ธุรการกองต่างๆ",
    },
    {
        "admin": "ผู้ดูแลระบบ", "head": "หัวหน้าหน่วยงานคลัง", "exec": "ผู้บริหาร",
        "budget": "งบประมาณ", "cash": "การเงิน", "acct": "บัญชี", "proc": "พัสดุ",
        "rev": "จัดเก็บรายได้", "assets": "ทะเบียนทรัพย์สิน", "clerk": "ธุรการกองต่างๆ",
    },
    {
        "admin": "กลุ่มผู้ดูแลระบบหน่วยงาน", "head": "กลุ่มหัวหน้าหน่วยงานคลัง",
        "exec": "กลุ่มผู้บริหารท้องถิ่น", "budget": "กลุ่มเจ้าหน้าที่งบประมาณ",
        "cash": "กลุ่มเจ้าหน้าที่การเงิน", "acct": "กลุ่มเจ้าหน้าที่บัญชี",
        "proc": "กลุ่มเจ้าหน้าที่พัสดุ", "rev": "กลุ่มเจ้าหน้าที่จัดเก็บรายได้",
        "assets": "กลุ่มเจ้าหน้าที่ทะเบียนทรัพย์สิน", "clerk": "กลุ่มเจ้าหน้าที่ธุรการกองต่างๆ",
    },
)

# --------------------------------------------------------------------------------------------
# Roles: who sits where and which groups a clean account holds
# --------------------------------------------------------------------------------------------

ACAD = ("ปฏิบัติการ", "ชำนาญการ")
GEN = ("ปฏิบัติงาน", "ชำนาญงาน")


@dataclass(frozen=True)
class Role:
    """A job in the body. `position` may hold {A} (academic level) or {G} (general level)."""

    key: str
    position: str
    unit: str  # key of UNITS, "office" or "" (elected)
    emp: str  # "staff" or a key of EMPLOYMENT
    groups: tuple[str, ...]  # group classes of a clean account
    rank: int  # order on the roster within the unit
    on_roster: bool = True


def _r(key: str, pos: str, unit: str, emp: str, groups: tuple[str, ...], rank: int,
       on_roster: bool = True) -> Role:
    return Role(key, pos, unit, emp, groups, rank, on_roster)


ROLES: dict[str, Role] = {r.key: r for r in (
    _r("head", "ผู้อำนวยการกองคลัง", "finance", "staff", ("head", "admin"), 0),
    _r("chief", "{chief}", "office", "staff", ("exec",), 0),
    _r("deputy_chief", "{deputy_chief}", "office", "staff", ("exec",), 1),
    _r("mayor", "{mayor}", "", "elected", ("exec",), 0, False),
    _r("deputy_mayor", "{deputy_mayor}", "", "elected", ("exec",), 1, False),
    _r("cash", "นักวิชาการเงินและบัญชี{A}", "finance", "staff", ("cash",), 2),
    _r("acct", "นักวิชาการเงินและบัญชี{A}", "finance", "staff", ("acct",), 2),
    _r("cash_officer", "เจ้าพนักงานการเงินและบัญชี{G}", "finance", "staff", ("cash",), 3),
    _r("proc", "นักวิชาการพัสดุ{A}", "finance", "staff", ("proc", "assets"), 2),
    _r("proc_officer", "เจ้าพนักงานพัสดุ{G}", "finance", "staff", ("proc",), 3),
    _r("rev", "นักวิชาการจัดเก็บรายได้{A}", "finance", "staff", ("rev",), 2),
    _r("rev_officer", "เจ้าพนักงานจัดเก็บรายได้{G}", "finance", "staff", ("rev",), 3),
    _r("budget", "นักวิเคราะห์นโยบายและแผน{A}", "office", "staff", ("budget",), 3),
    _r("clerk_fin", "เจ้าพนักงานธุรการ{G}", "finance", "staff", ("clerk",), 4),
    _r("clerk_office", "เจ้าพนักงานธุรการ{G}", "office", "staff", ("clerk",), 5),
    _r("clerk_works", "เจ้าพนักงานธุรการ{G}", "works", "staff", ("clerk",), 5),
    _r("clerk_edu", "เจ้าพนักงานธุรการ{G}", "edu", "staff", ("clerk",), 5),
    _r("clerk_health", "เจ้าพนักงานธุรการ{G}", "health", "staff", ("clerk",), 5),
    _r("cash_asst", "ผู้ช่วยเจ้าพนักงานการเงินและบัญชี", "finance", "mission", ("cash",), 6),
    _r("rev_asst", "ผู้ช่วยเจ้าพนักงานจัดเก็บรายได้", "finance", "mission", ("rev",), 6),
    _r("proc_asst", "ผู้ช่วยเจ้าพนักงานพัสดุ", "finance", "mission", ("proc",), 6),
    # accounts added by planted problems or controls
    _r("orphan", "เจ้าพนักงานการเงินและบัญชี{G}", "finance", "staff", ("cash",), 3, False),
    _r("generic", "", "finance", "staff", ("cash",), 9, False),
    _r("contract_fin", "พนักงานจ้างเหมาบริการ", "finance", "contract", ("cash",), 8),
    _r("works_tech", "นายช่างโยธา{G}", "works", "staff", ("cash",), 3),
    _r("new_rev", "เจ้าพนักงานจัดเก็บรายได้{G}", "finance", "staff", ("rev",), 3),
    _r("new_cash", "เจ้าพนักงานการเงินและบัญชี{G}", "finance", "staff", ("cash",), 3),
)}

# People on the roster who hold no e-LAAS account (cycled to the size wanted).
ROSTER_ONLY: tuple[Role, ...] = (
    _r("office_head", "หัวหน้าสำนักปลัด", "office", "staff", (), 2),
    _r("hr", "นักทรัพยากรบุคคล{A}", "office", "staff", (), 3),
    _r("works_head", "ผู้อำนวยการกองช่าง", "works", "staff", (), 0),
    _r("janitor", "นักการภารโรง", "office", "permanent", (), 7),
    _r("edu_head", "ผู้อำนวยการกองการศึกษา ศาสนาและวัฒนธรรม", "edu", "staff", (), 0),
    _r("engineer", "นายช่างโยธา{G}", "works", "staff", (), 3),
    _r("cleaner", "พนักงานจ้างเหมาบริการ (ทำความสะอาด)", "office", "contract", (), 9),
    _r("teacher", "ครู", "edu", "teacher", (), 4),
    _r("driver", "พนักงานขับรถยนต์", "office", "mission", (), 7),
    _r("legal", "นิติกร{A}", "office", "staff", (), 3),
    _r("community", "นักพัฒนาชุมชน{A}", "office", "staff", (), 3),
    _r("caregiver", "ผู้ดูแลเด็ก", "edu", "general", (), 6),
    _r("labourer", "คนงานทั่วไป", "works", "general", (), 8),
    _r("guard", "พนักงานจ้างเหมาบริการ (ยาม)", "office", "contract", (), 9),
    _r("disaster", "นักป้องกันและบรรเทาสาธารณภัย{A}", "office", "staff", (), 3),
    _r("health_officer", "นักวิชาการสาธารณสุข{A}", "health", "staff", (), 3),
    _r("edu_officer", "นักวิชาการศึกษา{A}", "edu", "staff", (), 3),
)

FILL_ORDER = (
    "cash", "acct", "proc", "rev", "budget", "clerk_fin", "cash_officer", "deputy_mayor",
    "clerk_works", "deputy_chief", "rev_officer", "proc_officer", "clerk_edu", "cash_asst",
    "clerk_office", "rev_asst", "deputy_mayor", "acct", "proc_asst", "clerk_health",
)
FILL_TAIL = ("cash_officer", "rev_asst", "acct", "cash_asst", "rev_officer", "proc_officer",
             "clerk_office", "cash")
OPERATIONAL = (
    "cash", "acct", "cash_officer", "proc", "proc_officer", "rev", "rev_officer", "budget",
    "clerk_fin", "clerk_office", "clerk_works", "clerk_edu", "clerk_health", "cash_asst",
    "rev_asst", "proc_asst",
)
FINANCE_STAFF = ("cash", "acct", "cash_officer", "proc", "proc_officer", "rev", "rev_officer")

# --------------------------------------------------------------------------------------------
# Planted problems and clean controls
# --------------------------------------------------------------------------------------------

PLANT_CATEGORY: dict[str, str] = {
    "leaver_active": "stale",
    "orphan": "stale",
    "dormant": "stale",
    "never_used": "stale",
    "mismatch_position": "mismatch",
    "mismatch_moved": "mismatch",
    "nonstaff_finance": "mismatch",
    "admin_not_head": "privilege",
    "sod_procurement_cash": "privilege",
    "exec_operational": "privilege",
    "password_old": "hygiene",
    "generic_account": "hygiene",
    "duplicate_account": "hygiene",
    "head_email": "hygiene",
}
PLANT_KINDS = tuple(PLANT_CATEGORY)
# Plants that add an account of their own (the rest change an existing clean account).
ADDING_PLANTS = {
    "orphan": "orphan",
    "generic_account": "generic",
    "nonstaff_finance": "contract_fin",
    "never_used": "new_rev",
    "mismatch_position": "works_tech",
}
PLANT_ELIGIBLE: dict[str, tuple[str, ...]] = {
    "leaver_active": OPERATIONAL,
    "dormant": OPERATIONAL,
    "mismatch_moved": FINANCE_STAFF,
    "admin_not_head": ("acct", "cash", "cash_officer", "rev"),
    "sod_procurement_cash": ("proc", "proc_officer", "cash_officer", "cash"),
    "exec_operational": ("chief", "deputy_chief"),
    "password_old": (*OPERATIONAL, "deputy_chief", "deputy_mayor"),
    "head_email": ("head",),
    "duplicate_account": OPERATIONAL,
}

CONTROL_KINDS = (
    "acting_head", "elected_exec", "retiree_future", "new_account_unused", "mission_staff",
    "clerk_other_unit", "hotmail_not_head",
)
VARIANT_KINDS = (
    "prefix_abbrev", "sara_am", "nbsp", "thai_digits", "marriage", "typo", "rank_prefix",
)
CONTROL_ELIGIBLE: dict[str, tuple[str, ...]] = {
    "acting_head": ("head",),
    "elected_exec": ("mayor",),
    "retiree_future": OPERATIONAL,
    "mission_staff": ("cash_asst", "rev_asst", "proc_asst"),
    "clerk_other_unit": ("clerk_works", "clerk_edu", "clerk_office", "clerk_health"),
    "hotmail_not_head": OPERATIONAL,
}
VARIANT_ELIGIBLE = (*OPERATIONAL, "chief", "deputy_chief")


# --------------------------------------------------------------------------------------------
# Names (invented: common given names, surnames composed from common morphemes)
# --------------------------------------------------------------------------------------------

MALE_NAMES = (
    ("สมชาย", "somchai"), ("สมศักดิ์", "somsak"), ("สมพงษ์", "somphong"), ("ประเสริฐ", "prasoet"),
    ("วิชัย", "wichai"), ("สุรชัย", "surachai"), ("ธนพล", "thanaphon"), ("กิตติพงษ์", "kittiphong"),
    ("อนุชา", "anucha"), ("ชัยวัฒน์", "chaiwat"), ("ณัฐวุฒิ", "natthawut"), ("บุญเลิศ", "bunloet"),
    ("ประสิทธิ์", "prasit"), ("สุทธิพงษ์", "sutthiphong"), ("อภิชาติ", "aphichat"),
    ("วีระพงษ์", "wiraphong"), ("ศักดิ์ชัย", "sakchai"), ("ธีระ", "thira"), ("นพดล", "nopphadon"),
    ("พงศกร", "phongsakon"), ("ปิยะพงษ์", "piyaphong"), ("เกรียงไกร", "kriangkrai"),
    ("จักรพันธ์", "chakkraphan"), ("ชาญวิทย์", "chanwit"), ("ทวีศักดิ์", "thawisak"),
    ("มานพ", "manop"), ("วรวุฒิ", "worawut"), ("สมบัติ", "sombat"), ("สุเมธ", "sumet"),
    ("อำนาจ", "amnat"), ("สำราญ", "samran"), ("กำธร", "kamthon"), ("ชำนาญ", "chamnan"),
    ("ธนากร", "thanakon"), ("ภานุวัฒน์", "phanuwat"), ("เอกชัย", "ekkachai"),
    ("ยุทธนา", "yutthana"), ("รณชัย", "ronnachai"), ("วสันต์", "wasan"), ("สุริยา", "suriya"),
    ("อดิศักดิ์", "adisak"), ("คำรณ", "khamron"), ("ไพโรจน์", "phairot"), ("ชัยณรงค์", "chainarong"),
)
FEMALE_NAMES = (
    ("สมศรี", "somsri"), ("วิไลวรรณ", "wilaiwan"), ("กาญจนา", "kanchana"), ("สุภาพร", "suphaphon"),
    ("อรุณี", "aruni"), ("นงลักษณ์", "nongluk"), ("จันทร์เพ็ญ", "chanphen"), ("พรทิพย์", "phonthip"),
    ("ศิริพร", "siriphon"), ("รัตนา", "rattana"), ("ปิยะนุช", "piyanut"), ("กำไล", "kamlai"),
    ("อำไพ", "amphai"), ("ลำดวน", "lamduan"), ("จำเนียร", "chamnian"), ("สุกัญญา", "sukanya"),
    ("วันเพ็ญ", "wanphen"), ("มาลัย", "malai"), ("ดวงใจ", "duangjai"), ("เพ็ญศรี", "phensri"),
    ("อัญชลี", "anchali"), ("ยุพา", "yupha"), ("ชนิดา", "chanida"), ("ณัฐธิดา", "natthida"),
    ("ปวีณา", "pawina"), ("ธิดารัตน์", "thidarat"), ("สุนิสา", "sunisa"), ("กนกวรรณ", "kanokwan"),
    ("จิราพร", "chiraphon"), ("นภา", "napha"), ("พิมพ์ชนก", "phimchanok"), ("รุ่งนภา", "rungnapha"),
    ("ลัดดา", "ladda"), ("วาสนา", "wasana"), ("ศศิธร", "sasithon"), ("สายสุนีย์", "saisuni"),
    ("อรทัย", "orathai"), ("ทิพวรรณ", "thipphawan"), ("บุษบา", "butsaba"),
    ("ประภาพร", "praphaphon"), ("มณีรัตน์", "manirat"), ("วราภรณ์", "waraphon"),
    ("สมใจ", "somjai"), ("อุไรวรรณ", "uraiwan"), ("ขวัญใจ", "khwanjai"),
)
SURNAME_HEADS = (
    ("แก้ว", "kaeo"), ("ศรี", "si"), ("บุญ", "bun"), ("ทอง", "thong"), ("สุข", "suk"),
    ("พร", "phon"), ("ใจ", "chai"), ("คำ", "kham"), ("แสง", "saeng"), ("มณี", "mani"),
    ("ชัย", "chai"), ("จันทร์", "chan"), ("ดวง", "duang"), ("เพชร", "phet"), ("ภู", "phu"),
    ("นาค", "nak"), ("อินทร์", "in"), ("สม", "som"), ("ทรัพย์", "sap"), ("พิม", "phim"),
)
SURNAME_TAILS = (
    ("ประเสริฐ", "prasoet"), ("สวัสดิ์", "sawat"), ("เจริญ", "charoen"), ("มงคล", "mongkhon"),
    ("สมบูรณ์", "sombun"), ("รักษา", "raksa"), ("วงศ์", "wong"), ("ศักดิ์", "sak"),
    ("งาม", "ngam"), ("ไพศาล", "phaisan"), ("สกุล", "sakun"), ("พันธ์", "phan"),
    ("วิเศษ", "wiset"), ("สถิตย์", "sathit"), ("ทวี", "thawi"), ("รุ่งเรือง", "rungrueang"),
    ("ยืนยง", "yuenyong"), ("อำนวย", "amnuai"), ("ประทุม", "prathum"), ("โสภา", "sopha"),
    ("ธรรมา", "thamma"), ("ชนะ", "chana"),
)
# One-letter typos: a consonant swapped for one that sounds alike.
TYPO_SWAP = {
    "ศ": "ส", "ส": "ศ", "ท": "ธ", "พ": "ภ", "ข": "ค", "ค": "ข", "ย": "ญ", "ณ": "น", "น": "ณ",
    "ร": "ล", "ล": "ร", "ต": "ด", "ด": "ต", "ช": "ซ", "ก": "ข", "ง": "ม", "ม": "ง", "จ": "ช",
    "บ": "ป", "ป": "บ", "ว": "ร", "ธ": "ท", "ภ": "พ",
}

PLACE_HEADS = (
    ("หนอง", "nong"), ("บ้าน", "ban"), ("ดอน", "don"), ("โนน", "non"), ("ท่า", "tha"),
    ("ห้วย", "huai"), ("นา", "na"), ("โคก", "khok"), ("บึง", "bueng"), ("วัง", "wang"),
)
PLACE_TAILS = (
    ("บัวทอง", "buathong"), ("ช้าง", "chang"), ("แก้ว", "kaeo"), ("สะแบง", "sabaeng"),
    ("หว้า", "wa"), ("ยางงาม", "yangngam"), ("ไผ่ล้อม", "phailom"), ("เจริญ", "charoen"),
    ("ขาม", "kham"), ("ตะเคียน", "takhian"), ("สำราญ", "samran"), ("หินลาด", "hinlat"),
    ("โพธิ์ทอง", "phothong"), ("กระทุ่ม", "krathum"), ("มะเฟือง", "mafueang"),
)
PROVINCES = (
    "ชัยภูมิ", "ขอนแก่น", "นครราชสีมา", "บุรีรัมย์", "มหาสารคาม", "ร้อยเอ็ด", "กาฬสินธุ์",
    "อุดรธานี", "สุรินทร์", "ศรีสะเกษ", "นครสวรรค์", "พิษณุโลก", "เพชรบูรณ์", "ลำปาง",
)

HOSTILE_VALUES = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example","x")',
    "+cmd",
    "@SUM(A1)",
    "\tนักวิชาการตรวจสอบภายใน",
)


# --------------------------------------------------------------------------------------------
# The body model
# --------------------------------------------------------------------------------------------


@dataclass
class RosterRow:
    """One person on the HR roster, exactly as the roster file shows it."""

    pid: int
    prefix: str
    first: str
    last: str
    position: str
    unit: str
    employment: str
    national_id: str | None = None  # as written (may be Thai digits)
    status: str = "ปกติ"
    status_date: date | None = None
    note: str = ""
    username: str | None = None  # e-LAAS username, for rosters that record it
    rank: int = 0
    unit_key: str = ""

    @property
    def full_name(self) -> str:
        """Prefix glued to the first name, one space before the surname."""
        return f"{self.prefix}{self.first} {self.last}"


@dataclass
class ExportAccount:
    """One New e-LAAS account with all its groups, as the export shows it."""

    username: str
    prefix: str
    first: str
    last: str
    position: str
    unit: str
    groups: list[str]
    created: datetime
    last_login: datetime | None
    password_changed: datetime | None
    email: str | None = None
    national_id: str | None = None  # ASCII digits, shown only by shapes with an ID column
    status: str = ACTIVE
    pid: int | None = None  # the roster person really behind it (None: nobody on the roster)
    role: str = ""
    handle: str = ""  # romanised given name, for e-mail addresses

    @property
    def full_name(self) -> str:
        """Display name; empty prefix for generic accounts."""
        return f"{self.prefix}{self.first} {self.last}".strip()


@dataclass(frozen=True)
class Planted:
    """A problem deliberately put into a body, with the category a review should give it."""

    username: str
    kind: str
    category: str
    description: str
    related: tuple[str, ...] = ()  # other accounts a finding may name instead (duplicates)
    tolerated: tuple[str, ...] = ()  # further categories that are also right for this account


@dataclass(frozen=True)
class Control:
    """An account that looks suspicious (or needs clever matching) but must raise no finding."""

    username: str
    kind: str
    description: str


@dataclass
class Body:
    """A fictitious local body: its identity, roster, export accounts and manifest."""

    seed: int
    kind: BodyKind
    name: str  # place name without the kind: หนองบัวทอง
    roman: str
    district: str
    province: str
    as_of: date
    printed: datetime
    shape: str
    roster_fmt: str
    group_names: dict[str, str]
    roster: list[RosterRow]
    accounts: list[ExportAccount]
    planted: list[Planted]
    controls: list[Control]
    hostile: bool = False

    @property
    def full_name(self) -> str:
        """องค์การบริหารส่วนตำบลหนองบัวทอง."""
        return self.kind.full + self.name

    @property
    def short_name(self) -> str:
        """อบต.หนองบัวทอง."""
        return self.kind.code + self.name

    def group_order(self) -> list[str]:
        """Group names in report order (known classes first, then anything else)."""
        known = [self.group_names[c] for c in GROUP_CLASSES]
        seen = {g for a in self.accounts for g in a.groups}
        extra = sorted(seen - set(known))
        return [g for g in known if g in seen] + extra

    def export_rows(self, by: str = "group") -> list[tuple[ExportAccount, str]]:
        """One (account, group) pair per membership, ordered by group or by account."""
        order = {g: i for i, g in enumerate(self.group_order())}
        rows = [(a, g) for a in self.accounts for g in a.groups]
        if by == "group":
            rows.sort(key=lambda r: (order[r[1]], r[0].username))
        else:
            rows.sort(key=lambda r: (r[0].username, order[r[1]]))
        return rows



# --------------------------------------------------------------------------------------------
# Text helpers (dates, digits) used by the generator, the writers and the manifest
# --------------------------------------------------------------------------------------------


def be_year(d: date) -> int:
    """Buddhist Era year of a date."""
    return d.year + 543


def thai_digits(text: str) -> str:
    """ASCII digits to Thai digits."""
    return text.translate(THAI_DIGITS)


def fmt_dmy(d: date) -> str:
    """15/07/2569."""
    return f"{d.day:02d}/{d.month:02d}/{be_year(d)}"


def fmt_thai_short(d: date) -> str:
    """15 ก.ค. 2569."""
    return f"{d.day} {MONTHS_SHORT[d.month - 1]} {be_year(d)}"


def fmt_thai_long(d: date, misspell: bool = False) -> str:
    """15 กรกฎาคม 2569 (or the common misspelling กรกฏาคม)."""
    month = MONTHS_LONG[d.month - 1]
    if misspell:
        month = month.replace("ฎ", "ฏ")
    return f"{d.day} {month} {be_year(d)}"


def normalise(text: str) -> str:
    """How a reader should see a name: SARA AM recomposed, NBSP gone, spaces collapsed."""
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\u00a0", " ")
    text = "".join(c for c in text if c not in "\u200b\u200c\u200d\ufeff")
    return " ".join(unicodedata.normalize("NFC", text).split())
