"""The review worksheet contract: `findings.xlsx` as written by `render_xlsx` and read by `record`.

The finance head fills in the reviewer columns (decision, note, reviewer, date) in Excel or
LibreOffice; `laas-audit record` reads the workbook back. Both sides import the names here, so a
sheet or column is renamed in one place only.

Layout of every table sheet: rows 1..HEADER_ROW-1 are a title block (body, as-of date, what to
do), HEADER_ROW holds the column labels (Thai and English on two lines of one cell), data starts on
FIRST_DATA_ROW. Readers should still locate columns by label with `find_columns` (users insert
columns and rows), and fall back to the fixed positions only when the labels are gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WORKSHEET_SCHEMA = "laas-audit/worksheet/1"

# Sheet names (Excel limits names to 31 characters; no []:*?/\).
SHEET_FINDINGS = "ข้อค้นพบ"  # findings: one row per finding, waived ones too
SHEET_ACCOUNTS = "บัญชีผู้ใช้"  # accounts: every account with its match
SHEET_RESOLVED = "แก้ไขแล้ว"  # findings of the previous review that are gone (only if any)
SHEET_EXCEPTIONS = "ข้อยกเว้น"  # accepted-risk exceptions and their state (only if any)
SHEET_ABOUT = "เกี่ยวกับ"  # inputs, hashes, versions, as-of, citation, schema
# Hidden (very hidden: Excel's menus cannot show it) and protected: every finding as written,
# so that `record` tells a deleted finding row from a decided one.
SHEET_INDEX = "รายการข้อค้นพบ"

HEADER_ROW = 4  # Excel row of the column labels on every table sheet
FIRST_DATA_ROW = HEADER_ROW + 1

# The reviewer's decision: exactly these four values (the drop-down's list).
DECISIONS: tuple[str, ...] = ("คงไว้", "ยกเลิกผู้ใช้", "ปรับกลุ่มผู้ใช้งาน", "ยอมรับความเสี่ยง")
DECISION_EN: dict[str, str] = {
    "คงไว้": "keep (no change needed)",
    "ยกเลิกผู้ใช้": "cancel the user",
    "ปรับกลุ่มผู้ใช้งาน": "change the user's groups",
    "ยอมรับความเสี่ยง": "accept the risk",
}
DECISION_CODES: dict[str, str] = {
    "คงไว้": "keep",
    "ยกเลิกผู้ใช้": "cancel",
    "ปรับกลุ่มผู้ใช้งาน": "adjust_groups",
    "ยอมรับความเสี่ยง": "accept_risk",
}

# How a finding's status is shown in the status column (code <- label for reading back).
STATUS_LABELS: dict[str, str] = {
    "new": "ใหม่",
    "persisting": "ยังคงอยู่",
    "waived": "ยกเว้น",
    "resolved": "แก้ไขแล้ว",
}


@dataclass(frozen=True)
class Column:
    """One worksheet column: a stable key, its Thai and English label, width, who fills it."""

    key: str
    th: str
    en: str
    width: float = 14.0
    reviewer: bool = False  # True: left empty by the tool, filled by the reviewer

    @property
    def label(self) -> str:
        """The header cell text: Thai, then English on a second line."""
        return f"{self.th}\n{self.en}"


FINDING_COLUMNS: tuple[Column, ...] = (
    Column("finding_id", "รหัสข้อค้นพบ", "Finding ID", 18),
    Column("rule", "กฎ", "Rule", 8),
    Column("rule_title", "ชื่อกฎ", "Rule title", 28),
    Column("category", "ประเภท", "Category", 14),
    Column("severity", "ความรุนแรง", "Severity", 10),
    Column("status", "สถานะ", "Status", 11),
    Column("username", "ชื่อผู้ใช้", "Username", 18),
    Column("full_name", "ชื่อ-สกุล", "Full name", 24),
    Column("groups", "กลุ่มผู้ใช้งาน", "User groups", 30),
    Column("message", "รายละเอียด", "Finding", 45),
    Column("action", "สิ่งที่ควรทำ", "Recommended action", 40),
    Column("evidence", "หลักฐาน", "Evidence", 45),
    Column("source", "แถวในไฟล์ส่งออก", "Export file/sheet/rows", 22),
    Column("waiver", "ข้อยกเว้นที่ใช้", "Waiver (reason, expiry)", 28),
    # The reviewer's columns: everything `record` reads back, besides finding_id.
    Column("decision", "การตัดสินใจ", "Decision", 20, reviewer=True),
    Column("note", "หมายเหตุผู้ตรวจ", "Reviewer's note", 32, reviewer=True),
    Column("reviewer", "ผู้ตรวจสอบ", "Reviewer name", 20, reviewer=True),
    Column("decision_date", "วันที่ตัดสินใจ", "Decision date", 14, reviewer=True),
)

# Resolved findings: the same facts, no reviewer columns.
RESOLVED_COLUMNS: tuple[Column, ...] = tuple(
    c for c in FINDING_COLUMNS if not c.reviewer and c.key != "waiver"
)

# Last cycle's decision and note (from the previous review's record.json), written only when
# there is one, just before this cycle's decision: read-only, and never read back by `record`.
# No line of these labels may be a reviewer column's label (`find_columns` matches either line).
PREVIOUS_COLUMNS: tuple[Column, ...] = (
    Column("previous_decision", "การตัดสินใจครั้งก่อน", "Last cycle's decision", 24),
    Column("previous_note", "หมายเหตุครั้งก่อน", "Last cycle's note", 30),
)


def finding_columns(with_previous: bool) -> tuple[Column, ...]:
    """Give the findings sheet's columns: last cycle's decision, if any, before this one's."""
    if not with_previous:
        return FINDING_COLUMNS
    at = column_number(FINDING_COLUMNS, "decision") - 1
    return FINDING_COLUMNS[:at] + PREVIOUS_COLUMNS + FINDING_COLUMNS[at:]

ACCOUNT_COLUMNS: tuple[Column, ...] = (
    Column("username", "ชื่อผู้ใช้", "Username", 18),
    Column("full_name", "ชื่อ-สกุล", "Full name", 24),
    Column("national_id", "เลขประจำตัวประชาชน", "National ID (masked)", 20),
    Column("position", "ตำแหน่ง", "Position", 26),
    Column("unit", "หน่วยงาน", "Unit", 20),
    Column("status", "สถานะบัญชี", "Account status", 12),
    Column("roster_status", "สถานะในทะเบียนบุคลากร", "Roster status", 14),
    Column("groups", "กลุ่มผู้ใช้งาน", "User groups", 30),
    Column("match_method", "วิธีจับคู่", "Match method", 22),
    Column("match_score", "คะแนน", "Score", 8),
    Column("roster_row", "แถวในทะเบียน", "Roster row", 10),
    Column("candidates", "ผู้ที่อาจเป็น", "Candidates", 30),
    Column("last_login", "เข้าใช้ล่าสุด", "Last login", 13),
    Column("password_changed", "เปลี่ยนรหัสผ่าน", "Password changed", 13),
    Column("source_rows", "แถวในไฟล์ส่งออก", "Export rows", 12),
    Column("findings", "จำนวนข้อค้นพบ", "Findings", 10),
)

EXCEPTION_COLUMNS: tuple[Column, ...] = (
    Column("username", "ชื่อผู้ใช้", "Username", 18),
    Column("rule", "กฎ", "Rule", 8),
    Column("category", "ประเภท", "Category", 14),
    Column("state", "สถานะ", "State", 16),
    Column("expires", "หมดอายุ", "Expires", 13),
    Column("reason", "เหตุผล", "Reason", 36),
    Column("approved_by", "ผู้อนุมัติ", "Approved by", 22),
    Column("order", "คำสั่งที่", "Order no.", 14),
)

# The hidden list of findings (SHEET_INDEX): header on row 1, one finding a row from row 2;
# severity and status as codes, `row` the Excel row the finding was written on.
INDEX_HEADER_ROW = 1
INDEX_COLUMNS: tuple[Column, ...] = (
    *(next(c for c in FINDING_COLUMNS if c.key == key)
      for key in ("finding_id", "rule", "username", "severity", "status")),
    Column("row", "แถวในชีตข้อค้นพบ", "Row on the findings sheet", 10),
)

# The about sheet: label in column A, value in column B, machine key in column C.
ABOUT_LABEL_COLUMN = 1
ABOUT_VALUE_COLUMN = 2
ABOUT_KEY_COLUMN = 3
ABOUT_KEYS: tuple[tuple[str, str, str], ...] = (
    ("schema", "รูปแบบแบบตรวจสอบ", "Worksheet schema"),
    ("body", "หน่วยงาน", "Local body"),
    ("district", "อำเภอ", "District"),
    ("province", "จังหวัด", "Province"),
    ("as_of", "ข้อมูล ณ วันที่ (ค.ศ.)", "As of (ISO)"),
    ("as_of_be", "ข้อมูล ณ วันที่", "As of (BE)"),
    ("generated_at", "สร้างเมื่อ", "Generated at"),
    ("tool_version", "รุ่นโปรแกรม", "Tool version"),
    ("policy_version", "รุ่นนโยบาย", "Policy version"),
    ("citation", "อ้างอิง", "Citation"),
    ("previous", "เทียบกับการตรวจครั้งก่อน", "Previous review"),
    ("findings", "จำนวนข้อค้นพบ", "Findings"),
    ("accounts", "จำนวนบัญชีผู้ใช้", "Accounts"),
)
# Inputs follow the keys above as rows keyed "input:<role>" with the file name in B and
# "sha256=<hex> rows=<n> sheet=<name> header_row=<n>" in column D.


def column_number(columns: Sequence[Column], key: str) -> int:
    """1-based Excel column number of `key` in the fixed layout (KeyError if absent)."""
    for i, col in enumerate(columns, start=1):
        if col.key == key:
            return i
    raise KeyError(key)


def _fold(text: str) -> str:
    # Compare labels loosely: case, spacing, line breaks and SARA AM spelled as two marks.
    return " ".join(text.replace("\u0e4d\u0e32", "\u0e33").casefold().split())


def find_columns(header: Sequence[object], columns: Sequence[Column]) -> dict[str, int]:
    """Map column keys to 0-based positions in a header row, by Thai, English or both labels.

    Unknown header cells are ignored; keys not found are absent from the result.
    """
    wanted: dict[str, str] = {}
    for col in columns:
        for label in (col.label, col.th, col.en, col.key):
            wanted.setdefault(_fold(label), col.key)
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        if cell is None:
            continue
        text = _fold(str(cell))
        key = wanted.get(text)
        if key is None and "\n" in str(cell):
            # A relabelled two-line header: either line may still identify the column.
            for part in str(cell).splitlines():
                key = wanted.get(_fold(part))
                if key:
                    break
        if key and key not in found:
            found[key] = i
    return found


def decision_code(value: object) -> str | None:
    """Return the code of a decision cell ("keep", "cancel", ...), or None when empty.

    Accepts the Thai value, its code or its English gloss, with stray spaces. Raises ValueError
    for anything else so `record` can report the cell as invalid.
    """
    if value is None:
        return None
    text = _fold(str(value))
    if not text:
        return None
    for th, code in DECISION_CODES.items():
        if text in (_fold(th), code, _fold(DECISION_EN[th])):
            return code
    raise ValueError(f"not one of {', '.join(DECISIONS)}: {value!r}")
