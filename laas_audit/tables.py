"""The normalised tables the readers produce and everything downstream consumes.

Readers turn any export or roster layout into these; nothing after the readers looks at a raw
spreadsheet again. Text fields are already normalised (Thai digits, SARA AM, invisible characters,
spaces); `*_raw` keep what the file said, for display. Row numbers are the ones Excel shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from laas_audit.errors import InputWarning


@dataclass(frozen=True)
class BodyInfo:
    """The local body a file belongs to, as read from its title block (or None when absent)."""

    name: str | None = None
    district: str | None = None  # อำเภอ
    province: str | None = None  # จังหวัด


def district_name(district: str | None, province: str | None) -> str | None:
    """Give the อำเภอ as its official name: "เมือง" in จังหวัดชัยภูมิ is อำเภอเมืองชัยภูมิ.

    Title blocks write the capital district both ways ("อำเภอเมือง จังหวัดชัยภูมิ", "อำเภอ
    เมืองชัยภูมิ"); one name keeps a body, and its district in the rollup, one.
    """
    if district == "เมือง" and province:
        return district + province
    return district


@dataclass
class Account:
    """One New e-LAAS account with every group it is in (the export's rows folded together)."""

    username: str  # as displayed, whitespace normalised
    full_name: str | None = None  # normalised, prefix kept as written
    prefix: str | None = None  # the name prefix found, normalised (e.g. "นางสาว")
    first_name: str | None = None
    last_name: str | None = None
    national_id: str | None = None  # 13 ASCII digits when present (checksum may be bad: warned)
    position: str | None = None
    unit: str | None = None
    status: str | None = None  # account status as the export says (ใช้งาน / ระงับ ...)
    created: date | None = None
    last_login: date | None = None
    password_changed: date | None = None
    email: str | None = None
    phone: str | None = None
    groups: list[str] = field(default_factory=list)  # normalised, order of first appearance
    rows: list[int] = field(default_factory=list)  # Excel rows this account was read from
    full_name_raw: str | None = None  # exactly as in the file
    # The Excel row a date was read from when not the account's first (blank there, filled from
    # a later row): warnings about the date name its cell. None on the usual one-row account.
    date_rows: dict[str, int] | None = None

    @property
    def key(self) -> str:
        """Username folded for comparison (case and surrounding space do not matter)."""
        return self.username.strip().casefold()


@dataclass
class Person:
    """One row of the HR roster."""

    row: int  # Excel row
    full_name: str  # normalised, without prefix split applied
    prefix: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    national_id: str | None = None
    position: str | None = None
    unit: str | None = None
    employment_type: str | None = None  # ประเภทบุคลากร
    status: str | None = None  # สถานะ (ปกติ, ย้าย, ลาออก ...)
    status_date: date | None = None
    birth_date: date | None = None  # วันเกิด, when the roster has the column (LA105)
    note: str | None = None  # หมายเหตุ (acting orders live here)
    username: str | None = None  # e-LAAS username when the roster has it
    full_name_raw: str | None = None


@dataclass
class SourceFile:
    """What was read from one input file, for provenance (hash, sheet, header row, columns)."""

    path: str  # as given on the command line
    name: str  # file name shown to users
    sha256: str
    sheet: str | None  # None for CSV/HTML without sheet names
    header_row: int  # Excel row of the header
    columns: dict[str, str]  # field -> label as written in the file
    rows: int  # data rows read (excluding title, headers, footers)
    letters: dict[str, str] = field(default_factory=dict)  # field -> Excel column letter


@dataclass
class ExportTable:
    """The New e-LAAS report รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน, normalised."""

    source: SourceFile
    body: BodyInfo
    as_of: date | None  # "ข้อมูล ณ วันที่" or the print date
    accounts: list[Account]
    warnings: list[InputWarning] = field(default_factory=list)


@dataclass
class RosterTable:
    """The body's HR roster, normalised."""

    source: SourceFile
    body: BodyInfo
    people: list[Person]
    warnings: list[InputWarning] = field(default_factory=list)
