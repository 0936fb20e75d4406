"""Where things are in a report: header-label families, the header row, the title block, footers.

The e-LAAS export's layout is not published and every HR clerk's roster differs, so nothing here
relies on a fixed position. Header cells are matched against label families (Thai and English)
after normalising (`thai.fold`, punctuation dropped); the header row is the row of the first ~40
of any sheet whose labels score highest. The title block above it gives the body's name, อำเภอ,
จังหวัด and the as-of date. Row classifiers tell data rows from page rows, totals and signatures.

All functions work on plain Python lists (`grid.Sheet.rows`): batch runs read thousands of files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Literal

from laas_audit.dates import parse_date
from laas_audit.grid import Cell, Sheet
from laas_audit.memo import remember
from laas_audit.tables import BodyInfo, district_name
from laas_audit.thai import cell_text, fold, normalise_text

Kind = Literal["export", "roster"]

HEADER_SCAN_ROWS = 40  # header rows are searched in the first rows of every sheet
STRONG_HEADER = 8  # e.g. username + group + a name: nothing further down the sheet beats it
VALUE_SAMPLE_ROWS = 300  # rows looked at to tell a username column from a name column
MAX_CONTAINS_LABEL = 40  # longer cells are titles, not column labels

# Fields each reader fills. "user_or_name" is the ambiguous ชื่อผู้ใช้งาน: decided by values.
EXPORT_FIELDS = (
    "seq", "username", "full_name", "prefix", "first_name", "last_name", "national_id",
    "position", "unit", "group", "status", "created", "last_login", "password_changed",
    "email", "phone",
)
ROSTER_FIELDS = (
    "seq", "username", "full_name", "prefix", "first_name", "last_name", "national_id",
    "position", "unit", "employment_type", "status", "status_date", "birth_date", "note",
)
ALL_FIELDS = tuple(dict.fromkeys(EXPORT_FIELDS + ROSTER_FIELDS))
AMBIGUOUS_USER = "user_or_name"

FIELD_TH = {
    "seq": "ลำดับ", "username": "ชื่อผู้ใช้", "full_name": "ชื่อ-สกุล",
    "prefix": "คำนำหน้า", "first_name": "ชื่อ", "last_name": "นามสกุล",
    "national_id": "เลขประจำตัวประชาชน", "position": "ตำแหน่ง", "unit": "หน่วยงาน/สังกัด",
    "group": "กลุ่มผู้ใช้งาน", "status": "สถานะ", "created": "วันที่สร้าง",
    "last_login": "เข้าใช้งานล่าสุด", "password_changed": "วันที่เปลี่ยนรหัสผ่าน",
    "email": "อีเมล", "phone": "โทรศัพท์", "employment_type": "ประเภทบุคลากร",
    "status_date": "วันที่มีผล", "birth_date": "วันเกิด", "note": "หมายเหตุ",
}

# (A regex, not str.translate: one C scan, no dict look-up per character.)
_PUNCT = re.compile("[-–—_/\\\\()\\[\\]{}:;*#'\"`,|+.?!]")


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """Comparison key of a header label: folded (no spaces, dots, case), punctuation dropped."""
    return _PUNCT.sub("", fold(text))


def _keys(*labels: str) -> set[str]:
    return {label_key(label) for label in labels}


# Exact labels, after `label_key`. Checked before the "contains" rules below.
_EXACT: dict[str, set[str]] = {
    "seq": _keys("ลำดับ", "ลำดับที่", "ที่", "no", "no.", "#", "ลำดับ no", "item", "seq"),
    "username": _keys(
        "ชื่อผู้ใช้ระบบ", "ชื่อผู้ใช้งานระบบ", "รหัสผู้ใช้", "รหัสผู้ใช้งาน", "รหัสผู้ใช้ระบบ",
        "username", "user name", "user", "userid", "user id", "login", "login name", "login id",
        "บัญชีผู้ใช้", "บัญชีผู้ใช้งาน", "ชื่อบัญชี", "ชื่อบัญชีผู้ใช้", "ชื่อเข้าใช้ระบบ",
        "ชื่อเข้าใช้งาน", "account", "account name", "รหัสเข้าใช้งาน", "ชื่อล็อกอิน",
        "user login", "username / ชื่อผู้ใช้",
    ),
    AMBIGUOUS_USER: _keys("ชื่อผู้ใช้", "ชื่อผู้ใช้งาน", "ผู้ใช้งาน", "ผู้ใช้"),
    "full_name": _keys(
        "ชื่อ-สกุล", "ชื่อ - นามสกุล", "ชื่อ นามสกุล", "ชื่อและนามสกุล", "ชื่อ-นามสกุล",
        "full name", "fullname", "name", "ชื่อเจ้าหน้าที่", "ชื่อพนักงาน", "ชื่อบุคลากร",
        "ชื่อ-สกุล ผู้ใช้งาน", "คำนำหน้า-ชื่อ-สกุล", "คำนำหน้า ชื่อ นามสกุล", "ชื่อ สกุล",
        "ชื่อผู้ใช้งาน (ชื่อ-สกุล)", "name-surname", "name surname", "ชื่อ-ชื่อสกุล",
    ),
    "prefix": _keys("คำนำหน้า", "คำนำหน้าชื่อ", "คำนำหน้านาม", "title", "prefix", "ยศ/คำนำหน้า"),
    "first_name": _keys("ชื่อ", "ชื่อจริง", "first name", "firstname", "given name"),
    "last_name": _keys("นามสกุล", "สกุล", "last name", "lastname", "surname", "family name"),
    "national_id": _keys(
        "เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "เลขบัตรประจำตัวประชาชน", "citizen id",
        "national id", "id card", "pid", "เลขประจำตัว", "บัตรประชาชน", "id",
    ),
    "position": _keys("ตำแหน่ง", "position", "ชื่อตำแหน่ง", "ตำแหน่งงาน", "job title"),
    "unit": _keys(
        "หน่วยงาน", "สังกัด", "กอง", "ส่วนราชการ", "department", "dept", "division", "unit",
        "กอง/สำนัก", "สำนัก/กอง", "ส่วน", "หน่วยงานที่สังกัด", "สังกัดกอง",
    ),
    "group": _keys(
        "กลุ่มผู้ใช้งาน", "กลุ่มผู้ใช้", "กลุ่ม", "ชื่อกลุ่ม", "ชื่อกลุ่มผู้ใช้งาน", "สิทธิ์",
        "สิทธิ", "สิทธิ์การใช้งาน", "กลุ่มสิทธิ์", "user group", "usergroup", "group", "role",
        "roles", "groups", "บทบาท", "กลุ่มงานในระบบ",
    ),
    "status": _keys("สถานะ", "สถานะการใช้งาน", "สถานะผู้ใช้", "status", "active", "การใช้งาน"),
    "created": _keys("วันที่สร้าง", "created", "create date", "created date", "วันที่ลงทะเบียน"),
    "last_login": _keys("last login", "lastlogin", "last login date", "เข้าใช้ล่าสุด"),
    "password_changed": _keys("password changed", "password last changed"),
    "email": _keys("อีเมล", "อีเมล์", "e-mail", "email", "mail", "ไปรษณีย์อิเล็กทรอนิกส์"),
    "phone": _keys(
        "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์", "มือถือ", "phone", "tel", "mobile",
        "โทรศัพท์มือถือ", "เบอร์มือถือ", "เบอร์โทรศัพท์มือถือ", "หมายเลขโทรศัพท์", "telephone",
    ),
    "employment_type": _keys(
        "ประเภทบุคลากร", "ประเภท", "ประเภทพนักงาน", "ประเภทการจ้าง", "employment type", "type",
        "ประเภทตำแหน่ง", "ประเภทเจ้าหน้าที่",
    ),
    "status_date": _keys(
        "วันที่มีผล", "วันที่", "effective date", "วันที่มีผลของสถานะ", "ตั้งแต่วันที่",
        "วันที่ย้าย/ลาออก", "ลงวันที่",
    ),
    "birth_date": _keys(
        "วันเกิด", "วันที่เกิด", "วัน เดือน ปีเกิด", "วัน/เดือน/ปี เกิด", "ว/ด/ป เกิด",
        "วันเดือนปีเกิด", "วันเดือนปีที่เกิด", "birth date", "date of birth", "dob", "birthday",
        "birthdate",
    ),
    "note": _keys("หมายเหตุ", "note", "notes", "remark", "remarks", "คำสั่ง"),
}
# Labels we know and deliberately do not use (so they are not reported as "not understood" as
# if we failed to read them; they are still listed once as ignored).
_KNOWN_UNUSED = _keys(
    "เลขที่ตำแหน่ง", "ตำแหน่งเลขที่", "เลขตำแหน่ง", "รหัสตำแหน่ง", "รหัสกลุ่ม", "ระดับ",
    "เงินเดือน", "กลุ่มงาน", "ฝ่าย", "งาน",
    # An age or a year alone cannot date a retirement (LA105 needs the day): never birth_date.
    "อายุ", "อายุ (ปี)", "อายุ(ปี)", "อายุตัว", "อายุราชการ", "อายุงาน", "ปีเกิด", "age",
)
_EXACT_INDEX: dict[str, str] = {k: f for f, keys in _EXACT.items() for k in keys}

# "Contains" rules, first match wins: labels carry extra words ("วันที่เข้าใช้งานล่าสุด").
_CONTAINS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # First: a birth date is never a status date or a creation date ("วัน/เดือน/ปี เกิด").
    # The day must be there ("ปีเกิด" is a year alone), and not a place ("สถานที่เกิด").
    ("birth_date", re.compile(r"^(วัน(ที่)?|ว)(เดือน|ด)?(ปี|ป)?(ที่)?เกิด|^เกิดวันที่|^(dateof)?birth|^dob")),
    ("password_changed", re.compile(r"รหัสผ่าน|password|passwd")),
    ("last_login", re.compile(r"(เข้า|ใช้งาน|login|signin|logon).*ล่าสุด|ล่าสุด.*(เข้า|login)|lastlog")),
    ("created", re.compile(r"สร้าง|created|createdate|ลงทะเบียน")),
    ("national_id", re.compile(r"ประชาชน|บัตรประจำตัว|citizen|nationalid|idcard|^เลขบัตร")),
    ("email", re.compile(r"อีเมล|e?mail")),
    ("phone", re.compile(r"โทรศัพท์|เบอร์โทร|มือถือ|phone|mobile|^โทร")),
    ("username", re.compile(r"^(รหัส|ชื่อ)ผู้ใช้(งาน)?(ระบบ|ในระบบ|elaas|laas)|username|userid|login")),
    ("prefix", re.compile(r"^คำนำหน้า(ชื่อ|นาม)?$")),
    ("full_name", re.compile(r"ชื่อ.*สกุล|fullname|^ชื่อผู้ใช้งาน.*ชื่อ")),
    ("last_name", re.compile(r"นามสกุล|surname|lastname|^สกุล")),
    # Not a workforce plan's position number ("ตำแหน่งเลขที่ 02-3-01-3258-002").
    ("position", re.compile(r"^(?!เลข|รหัส)(ชื่อ)?ตำแหน่ง(?!เลข)|position(?!no|number|code)")),
    ("group", re.compile(r"กลุ่มผู้ใช้|สิทธิ|usergroup|^กลุ่ม(?!งาน)|role")),
    ("unit", re.compile(r"หน่วยงาน|สังกัด|ส่วนราชการ|^กอง|department|division|สำนัก")),
    ("status_date", re.compile(r"มีผล|effective|วันที่(ย้าย|โอน|ลาออก|พ้น|เกษียณ)")),
    ("status", re.compile(r"^สถานะ|status")),
    ("employment_type", re.compile(r"^ประเภท|employment")),
    ("note", re.compile(r"หมายเหตุ|remark|note")),
    ("seq", re.compile(r"^ลำดับ")),
)

# Weights for header scoring: a header with a username and groups beats a summary table.
_WEIGHT = {
    "username": 3, AMBIGUOUS_USER: 3, "group": 3, "full_name": 2, "first_name": 2,
    "last_name": 2, "national_id": 2, "employment_type": 2,
}


def match_label(text: str, allowed: Iterable[str] | None = None) -> str | None:
    """Return the field a header label names (or `AMBIGUOUS_USER`), None when unknown.

    A cell with several lines or a bracketed translation ("ชื่อผู้ใช้ (Username)") is tried
    whole first, then part by part.
    """
    pool = allowed if allowed is None or isinstance(allowed, (set, frozenset)) else set(allowed)
    for candidate in _label_candidates(text):
        found = _match_one(candidate)
        if found and (pool is None or found in pool or (found == AMBIGUOUS_USER and (
            "username" in pool or "full_name" in pool))):
            return found
    return None


def label_in(text: str, fields: frozenset[str]) -> bool:
    """Say whether `match_label(text)` is one of `fields`.

    The readers ask this of every person's name and every username ("is this a repeated
    header?"), each new to the caches: only the patterns of `fields` are tried first, and
    `match_label` (every pattern, in order) runs only when one of them could answer. It can
    return a field only through the exact labels or those patterns, so the answer is the same.
    """
    exact, pattern = _label_rules_for(fields)
    for key in _label_candidates(text):
        if key in exact or (
            pattern is not None and len(key) <= MAX_CONTAINS_LABEL
            and key not in _KNOWN_UNUSED and pattern.search(key)
        ):
            return match_label(text) in fields
    return False


_LabelRules = tuple[frozenset[str], re.Pattern[str] | None]


@lru_cache(maxsize=64)
def _label_rules_for(fields: frozenset[str]) -> _LabelRules:
    """Return the exact label keys and the "contains" patterns that name one of `fields`.

    The patterns as one alternation (None without any): a key matches it exactly when it
    matches one of them, in one search instead of one each.
    """
    exact = frozenset(k for k, f in _EXACT_INDEX.items() if f in fields)
    patterns = [p.pattern for name, p in _CONTAINS if name in fields]
    either = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
    return exact, either


@lru_cache(maxsize=65536)
def _label_candidates(text: str) -> tuple[str, ...]:
    # Cached: every cell of every row is asked about (header search, repeated headers, names).
    whole = label_key(text)
    out = [whole] if whole else []
    if "\n" in text or "(" in text or "/" in text:
        for part in _LABEL_PARTS_RE.split(text):
            key = label_key(part)
            if key and key not in out:
                out.append(key)
    return tuple(out)


_LABEL_PARTS_RE = re.compile(r"[\n()/]")


@lru_cache(maxsize=65536)
def _match_one(key: str) -> str | None:
    found = _EXACT_INDEX.get(key)
    if found:
        return found
    if key in _KNOWN_UNUSED or len(key) > MAX_CONTAINS_LABEL:
        return None
    for name, pattern in _CONTAINS:
        if pattern.search(key):
            return name
    return None


def is_known_unused(text: str) -> bool:
    """Say whether we recognise a label but do not read it (เลขที่ตำแหน่ง, เงินเดือน ...)."""
    return label_key(text) in _KNOWN_UNUSED


# --------------------------------------------------------------------------- header detection


@dataclass
class Header:
    """The header found in one sheet: where it is and which column holds which field."""

    sheet_index: int
    first_row: int  # 0-based index of the first header row
    last_row: int  # 0-based index of the last header row (two-row headers)
    labels: dict[int, str]  # column -> label text as written (two-row: "parent / child")
    fields: dict[str, int] = field(default_factory=dict)  # field -> column
    ambiguous: list[int] = field(default_factory=list)  # ชื่อผู้ใช้งาน columns, by values later
    duplicates: dict[str, list[int]] = field(default_factory=dict)  # field -> extra columns
    score: int = 0

    @property
    def excel_row(self) -> int:
        """The Excel row number of the (first) header row."""
        return self.first_row + 1

    def restricted(self, allowed: Iterable[str]) -> Header:
        """Return a copy keeping only `allowed` fields; the other columns become unused."""
        pool = set(allowed)
        return replace(
            self,
            fields={f: c for f, c in self.fields.items() if f in pool},
            duplicates={f: list(c) for f, c in self.duplicates.items() if f in pool},
            ambiguous=list(self.ambiguous),
            labels=dict(self.labels),
        )

    def unused_columns(self) -> list[int]:
        """Columns with a label that no field took, in order."""
        used = set(self.fields.values()) | set(self.ambiguous)
        return [c for c in sorted(self.labels) if c not in used]


_text = cell_text  # a cell's normalised text, newlines kept


def _row_fields(
    row: Sequence[Cell], allowed: set[str], overrides: dict[str, str]
) -> dict[int, str]:
    """Column -> field for the label cells of one row (only text cells can be labels)."""
    out: dict[int, str] = {}
    # Fields whose mapped label is in this row: there the mapping decides where they are. A
    # mapped label the row lacks leaves the field to the usual labels (the reader warns).
    mapped: set[str] = set()
    if overrides:
        mapped = {
            field for value in row if isinstance(value, str)
            if (field := overrides.get(label_key(value))) is not None
        }
    for col, value in enumerate(row):
        if not isinstance(value, str) or not value.strip():
            continue
        key = label_key(value)
        found = overrides.get(key)
        if found is None:
            found = match_label(value, allowed)
            if found == AMBIGUOUS_USER and "username" in mapped:
                found = None if "full_name" in mapped else "full_name"
            elif found in mapped:
                found = None
        if found:
            out[col] = found
    return out


def _score(found: dict[int, str]) -> int:
    distinct = set(found.values())
    if len(distinct) < 2:
        return 0
    return sum(_WEIGHT.get(f, 1) for f in distinct)


_CACHE: list[tuple[Sequence[Sheet], tuple[tuple[str, str], ...], Header | None]] = []
_CACHE_SIZE = 4  # batch classifies an export and a roster, then reads both: keep a few


def find_header(
    sheets: Sequence[Sheet],
    allowed: Iterable[str] = ALL_FIELDS,
    overrides: dict[str, str] | None = None,
) -> Header | None:
    """Find the best header row in the first `HEADER_SCAN_ROWS` rows of every sheet.

    `overrides` maps label keys (see `label_key`) to fields, from a `--mapping` file; they win
    over the built-in families. Ambiguous ชื่อผู้ใช้งาน columns are decided by their values.
    Returns None when no row has at least two known labels. The result for the same `sheets`
    object is remembered (classifying a file and then reading it searches once); callers must
    not change it (use `Header.restricted`).
    """
    pool = tuple(sorted(set(allowed) | {AMBIGUOUS_USER}))
    key = (*sorted((overrides or {}).items()), ("", ",".join(pool)))
    for cached_sheets, cached_key, cached in _CACHE:
        if cached_sheets is sheets and cached_key == key:
            return cached
    header = _search(sheets, set(pool), overrides or {})
    _CACHE.insert(0, (sheets, key, header))
    del _CACHE[_CACHE_SIZE:]
    return header


def sheet_header(
    sheet: Sheet,
    allowed: Iterable[str] = ALL_FIELDS,
    overrides: dict[str, str] | None = None,
) -> Header | None:
    """Find the header of one sheet, as `find_header` would were it the workbook's only sheet.

    Not remembered (`find_header` is): asked only of a workbook's other sheets, once.
    """
    pool = set(allowed) | {AMBIGUOUS_USER}
    return _search([sheet], pool, overrides or {})


def _search(sheets: Sequence[Sheet], pool: set[str], over: dict[str, str]) -> Header | None:
    best: Header | None = None
    best_found: dict[int, str] = {}
    for s_index, sheet in enumerate(sheets):
        sheet_best = -1
        for r, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            # Rows well below a strong header are data: stop reading this sheet early.
            if sheet_best >= 0 and r > sheet_best + 3 and best and best.score >= STRONG_HEADER:
                break
            found = _row_fields(row, pool, over)
            score = _score(found)
            if score and (best is None or score > best.score):
                best = Header(s_index, r, r, {}, score=score)
                best_found = found
                sheet_best = r
    if best is None:
        return None
    sheet = sheets[best.sheet_index]
    header = _build_header(sheet, best.sheet_index, best.first_row, best_found, pool, over)
    header.score = best.score
    resolve_ambiguous(header, sheet.rows)
    return header


def _build_header(
    sheet: Sheet, s_index: int, r: int, found: dict[int, str], pool: set[str],
    over: dict[str, str],
) -> Header:
    rows = sheet.rows
    if r > 0 and _is_parent_row(rows[r - 1], rows[r], pool, over):
        # The best-scoring row holds the children ("ชื่อผู้ใช้ | ชื่อ-สกุล" under a merged
        # "ข้อมูลผู้ใช้งาน"); the row above carries the other labels, merged down.
        r -= 1
        found = _row_fields(rows[r], pool, over)
    labels = {c: _text(v) for c, v in enumerate(rows[r]) if _text(v)}
    last = r
    if r + 1 < len(rows):
        below = _row_fields(rows[r + 1], pool, over)
        texts = {c: _text(v) for c, v in enumerate(rows[r + 1]) if _text(v)}
        # A second header row: mostly labels (known-unused ones such as เลขที่ตำแหน่ง count),
        # at least one under a merged/empty parent cell.
        labelled = len(below) + sum(
            1 for c, t in texts.items() if c not in below and is_known_unused(t)
        )
        if below and labelled * 2 >= len(texts) and any(
            c not in found for c in below
        ) and not any(_looks_like_data(v) for v in rows[r + 1]):
            parents = _parent_labels(sheet, r, labels)
            merged_found: dict[int, str] = {}
            for c in sorted(set(labels) | set(texts)):
                child = texts.get(c, "")
                parent = parents.get(c, "")
                for candidate in (child, f"{parent} {child}".strip(), parent):
                    if not candidate:
                        continue
                    key = label_key(candidate)
                    hit = over.get(key) or match_label(candidate, pool)
                    if hit:
                        merged_found[c] = hit
                        break
                labels[c] = f"{parent} / {child}" if parent and child and parent != child else (
                    child or parent
                )
            found, last = merged_found, r + 1
        else:
            same = sum(1 for c, f in below.items() if found.get(c) == f)
            if same >= 2 and same * 2 >= len(texts):
                last = r + 1  # the same labels again, translated ("ชื่อผู้ใช้" over "Username")
    header = Header(s_index, r, last, labels)
    _assign(header, found)
    return header


def _is_parent_row(
    above: Sequence[Cell], row: Sequence[Cell], pool: set[str], over: dict[str, str]
) -> bool:
    """Say whether `above` is the first row of a two-row header whose second row is `row`.

    It has several label cells, some over the labels of `row` (parents), at least one known
    label over an empty cell of `row` (merged down), and no data.
    """
    here = [c for c, v in enumerate(row) if _text(v)]
    texts = [c for c, v in enumerate(above) if _text(v)]
    if len(texts) < 2 or not here or any(_looks_like_data(v) for v in above):
        return False
    if not set(texts) & set(here):
        return False  # nothing of it stands over the table's labels: a title or a note
    fields = _row_fields(above, pool, over)
    return any(c not in here for c in fields)


def _parent_labels(sheet: Sheet, r: int, labels: dict[int, str]) -> dict[int, str]:
    """Label of row r over each column, spreading a merged cell over the columns it covers."""
    out = dict(labels)
    for r0, c0, r1, c1 in sheet.merged:
        if r0 == r and c0 in labels:
            for c in range(c0, c1 + 1):
                out[c] = labels[c0]
        elif r0 < r <= r1 and r0 >= 0:  # a label merged down from above
            text = _text(sheet.rows[r0][c0])
            if text:
                out.setdefault(c0, text)
    return out


def _assign(header: Header, found: dict[int, str]) -> None:
    """Turn column -> field into field -> column; the first column wins, others are duplicates."""
    has_last = "last_name" in found.values()
    for col in sorted(found):
        name = found[col]
        # "ชื่อ" alone is a first name beside a surname column, else the whole name.
        if name == "first_name" and not has_last:
            name = "full_name"
        if name == AMBIGUOUS_USER:
            header.ambiguous.append(col)
            continue
        if name in header.fields:
            header.duplicates.setdefault(name, []).append(col)
        else:
            header.fields[name] = col


_ASCII_TOKEN = re.compile(r"^[\x21-\x7e]+$")
_THAI = re.compile("[\u0e01-\u0e4f]")


def _looks_like_data(value: Cell) -> bool:
    if value is None:
        return False
    if not isinstance(value, str):
        return True  # numbers and dates are never labels
    text = value.strip()
    return bool(re.fullmatch(r"[\d๐-๙\s\-/.]+", text)) or "@" in text


def looks_like_username(text: str) -> bool:
    """Say whether text is an ASCII token without spaces (or a ThaiD citizen ID), not a name."""
    return bool(_ASCII_TOKEN.match(text)) and len(text) <= 100


def resolve_ambiguous(header: Header, rows: Sequence[Sequence[Cell]]) -> None:
    """Decide each ชื่อผู้ใช้งาน column by its values: usernames or people's names."""
    for col in header.ambiguous:
        values = [
            _text(row[col])
            for row in rows[header.last_row + 1: header.last_row + 1 + VALUE_SAMPLE_ROWS]
            if col < len(row) and row[col] is not None
        ]
        values = [v for v in values if v and label_key(v) not in _EXACT_INDEX]
        user_like = sum(1 for v in values if looks_like_username(v))
        name_like = sum(1 for v in values if _THAI.search(v) and " " in v)
        if values and user_like * 2 > len(values):
            name = "username"
        elif values and name_like * 2 > len(values):
            name = "full_name"
        else:
            name = "full_name" if "username" in header.fields else "username"
        if name in header.fields:
            header.duplicates.setdefault(name, []).append(col)
        else:
            header.fields[name] = col
    header.ambiguous = []


# --------------------------------------------------------------------------- title block


_BODY_TYPES = (
    ("องค์การบริหารส่วนจังหวัด", "องค์การบริหารส่วนจังหวัด"),
    ("องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนตำบล"),
    ("เทศบาลนคร", "เทศบาลนคร"),
    ("เทศบาลเมือง", "เทศบาลเมือง"),
    ("เทศบาลตำบล", "เทศบาลตำบล"),
    ("อบจ.", "องค์การบริหารส่วนจังหวัด"),
    ("อบต.", "องค์การบริหารส่วนตำบล"),
    ("ทน.", "เทศบาลนคร"),
    ("ทม.", "เทศบาลเมือง"),
    ("ทต.", "เทศบาลตำบล"),
)
_BODY_RE = re.compile(
    r"(?:^|[\s:(])(" + "|".join(re.escape(t) for t, _ in _BODY_TYPES) + r")\s*([^\s,()]+)"
)
_BODY_FULL = dict(_BODY_TYPES)
_DISTRICT_RE = re.compile(r"(?:^|[\s:(,])(?:อำเภอ|อ\.)\s*([^\s,()]+)")
_PROVINCE_RE = re.compile(r"(?:^|[\s:(,])(?:จังหวัด|จ\.)\s*([^\s,()]+)")
_UNIT_LABEL_RE = re.compile(r"^(?:หน่วยงาน|ชื่อหน่วยงาน|หน่วยเบิกจ่าย)\s*[:：]\s*(.+)$")
# The as-of date: "ข้อมูล ณ วันที่ …" first, then a print date or a bare "วันที่ … เวลา … น.".
_AS_OF_RE = re.compile(r"(?:ข้อมูล\s*)?ณ\s*วันที่\s*[:：]?\s*(.+)")
_PRINT_RE = re.compile(
    r"(?:วันที่พิมพ์|พิมพ์วันที่|พิมพ์เมื่อ|วันที่ออกรายงาน|print(?:ed)?\s*(?:date|on)?|"
    r"date\s*printed|วันที่)\s*[:：]?\s*(.+)",
    re.I,
)
_TIME_TAIL_RE = re.compile(r"\s*(?:เวลา|time|@)\s*[\d๐-๙].*$", re.I)


@dataclass
class TitleInfo:
    """What the title block (and print stamps) told us."""

    body: BodyInfo
    as_of: date | None
    as_of_text: str | None = None
    as_of_is_print_date: bool = False


def read_title(lines: Iterable[str]) -> TitleInfo:
    """Read body name, อำเภอ, จังหวัด and the as-of date from title/footer text lines.

    "ข้อมูล ณ วันที่" wins over a print date ("วันที่พิมพ์ … เวลา … น."), whichever comes first.
    """
    name = district = province = None
    as_of: date | None = None
    as_of_text: str | None = None
    printed: date | None = None
    printed_text: str | None = None
    for raw in lines:
        for line in normalise_text(raw, keep_newlines=True).split("\n"):
            if not line:
                continue
            if name is None:
                name = _body_name(line)
            if district is None and (m := _DISTRICT_RE.search(line)):
                district = m.group(1)
            if province is None and (m := _PROVINCE_RE.search(line)):
                province = m.group(1)
            if as_of is None and (m := _AS_OF_RE.search(line)):
                as_of = _date_from(m.group(1))
                as_of_text = line if as_of else None
            elif printed is None and (m := _PRINT_RE.search(line)):
                printed = _date_from(m.group(1))
                printed_text = line if printed else None
    body = BodyInfo(name, district_name(district, province), province)
    if as_of is None and printed is not None:
        return TitleInfo(body, printed, printed_text, True)
    return TitleInfo(body, as_of, as_of_text)


def _body_name(line: str) -> str | None:
    m = _BODY_RE.search(line)
    if m:
        return _BODY_FULL[m.group(1)] + m.group(2)
    m = _UNIT_LABEL_RE.match(line)
    if m:
        return m.group(1).strip()
    return None


def _date_from(text: str) -> date | None:
    text = _TIME_TAIL_RE.sub("", text).strip()
    parsed = parse_date(text)
    if parsed.value is None and " " in text:
        # "15 ก.ค. 2569 ผู้พิมพ์ ..." - retry on the first three words
        parsed = parse_date(" ".join(text.split()[:3]))
    return parsed.value


def row_text(row: Sequence[Cell]) -> str:
    """All non-empty cells of a row as one line, for title and footer reading."""
    return " ".join(t for t in (_text(v).replace("\n", " ") for v in row) if t)


# --------------------------------------------------------------------------- footer rows


_PAGE_RE = re.compile(
    r"^(?:หน้า(?:ที่)?|page|แผ่นที่)\s*\d+(?:\s*(?:/|of|จาก|จากทั้งหมด|ใน)\s*\d+)?(?:\s*หน้า)?$"
    r"|^\d+\s*/\s*\d+$|^-\s*\d+\s*-$",
    re.I,
)
_TOTAL_RE = re.compile(r"^(?:รวม|ทั้งหมด|total|grand\s*total|sum|จำนวน)", re.I)
# A signature line: its words, a dotted line to sign on (three dots or more), or the signer's
# name in brackets or position under it. Four patterns, not one alternation: a search whose
# alternatives all start with a literal letter skips straight to those letters, while one with
# an anchor or a repeat among them is tried at every position of every row's text.
_SIGNATURE_WORDS_RE = re.compile(r"ลงชื่อ|ลายมือชื่อ|ผู้พิมพ์รายงาน|ผู้จัดทำรายงาน|ผู้ออกรายงาน")
_SIGNATURE_EN_RE = re.compile(r"signature|signed\b", re.I)
_DOTTED_RE = re.compile(r"[.…_][.…_][.…_]")
_SIGNER_RE = re.compile(r"\(\s*[^()]{2,60}\)$|ตำแหน่ง\s*[.…_]{2,}")  # matched at the start
_STAMP_RE = re.compile(
    r"^(?:วันที่พิมพ์|พิมพ์วันที่|พิมพ์โดย|ผู้พิมพ์|print(?:ed)?\b|เวลาพิมพ์|วันเวลาที่พิมพ์"
    r"|ข้อมูล\s*ณ\s*วันที่|ออกรายงาน|รายงาน\s*ณ)",
    re.I,
)

FooterKind = Literal["page", "total", "signature", "stamp"]


# Rows' texts -> what footer_kind / section_group said: totals ("รวม 2 ราย") and group section
# rows repeat from body to body, and each answer takes a few searches.
_FOOTER_MEMO: dict[tuple[str, ...], FooterKind | None] = {}
_SECTION_MEMO: dict[tuple[str, ...], str | None] = {}
_UNSEEN = "\0unseen"  # (a memo answer may be None)


def footer_kind(texts: Sequence[str]) -> FooterKind | None:
    """Say whether a row's non-empty texts are a page number, a total, a signature or a stamp."""
    key = tuple(texts)
    kind = _FOOTER_MEMO.get(key, _UNSEEN)
    if kind is _UNSEEN:
        kind = remember(_FOOTER_MEMO, key, _footer_kind(key))
    return kind  # type: ignore[return-value]


def _footer_kind(texts: Sequence[str]) -> FooterKind | None:
    if not texts:
        return None
    first = texts[0]
    joined = " ".join(texts)
    if len(texts) <= 2 and (
        _PAGE_RE.match(first) or (len(texts) == 2 and _PAGE_RE.match(texts[1]))
    ):
        return "page"
    if _STAMP_RE.match(first):
        return "stamp"
    if len(texts) <= 4 and (
        _SIGNATURE_WORDS_RE.search(joined) or _DOTTED_RE.search(joined)
        or _SIGNATURE_EN_RE.search(joined) or _SIGNER_RE.match(joined)
    ):
        return "signature"
    if _TOTAL_RE.match(first) and len(texts) <= 4 and re.search(r"\d|ราย|คน", joined):
        return "total"
    return None


# --------------------------------------------------------------------------- group sections


_SECTION_LABEL_RE = re.compile(
    r"^(?:ชื่อกลุ่มผู้ใช้งาน|กลุ่มผู้ใช้งาน|กลุ่มผู้ใช้|ชื่อกลุ่ม|กลุ่มสิทธิ์|กลุ่ม|user\s*group|group)"
    r"\s*(?:[:：]|-\s|–\s)\s*(.*)$",
    re.I,
)
# "กลุ่ม X" with a space: the word is a label (a group named "กลุ่มงาน..." has no space).
_SECTION_SPACE_RE = re.compile(
    r"^(?:ชื่อกลุ่มผู้ใช้งาน|กลุ่มผู้ใช้งาน|กลุ่มผู้ใช้|กลุ่มสิทธิ์|กลุ่ม|user\s*group|group)\s+(.+)$",
    re.I,
)
_COUNT_TAIL_RE = re.compile(
    r"\s*(?:\(\s*(?:จำนวน\s*)?\d+\s*(?:คน|ราย|users?|accounts?)?\s*\)|(?:จำนวน|รวม)\s*\d+\s*(?:คน|ราย))\s*$",
    re.I,
)


# A heading's number: "1", "2.", "กลุ่มที่ 3", "ลำดับที่ 4" (the ลำดับ column of a group row).
_ORDINAL_RE = re.compile(r"^(?:\d{1,3}[.)]?|(?:กลุ่มที่|ลำดับที่|ลำดับ|ที่|group|no\.?)\s*\d{1,3})$", re.I)
_GROUP_ORDINAL_RE = re.compile(r"^(?:กลุ่มที่|group)\s*\d{1,3}$", re.I)


def is_ordinal(text: str) -> bool:
    """Say whether a cell is only a heading's or a row's number ("3", "กลุ่มที่ 3")."""
    return bool(_ORDINAL_RE.match(text.strip()))


def strip_ordinals(texts: Sequence[str]) -> list[str]:
    """Drop leading number cells ("1", "กลุ่มที่ 1") from a row's texts when others follow."""
    out = list(texts)
    while len(out) > 1 and is_ordinal(out[0]):
        out.pop(0)
    return out


def section_group(texts: Sequence[str]) -> str | None:
    """Return the group a labelled section row names ("กลุ่มผู้ใช้งาน : การเงิน"), else None.

    A leading number cell is allowed ("1 | กลุ่มผู้ใช้งาน : การเงิน"); "กลุ่มที่ 1 | การเงิน"
    is labelled by its number cell.
    """
    key = tuple(texts)
    name = _SECTION_MEMO.get(key, _UNSEEN)
    if name is _UNSEEN:
        name = remember(_SECTION_MEMO, key, _section_group(key))
    return name


def _section_group(texts: Sequence[str]) -> str | None:
    if not texts or len(texts) > 4:
        return None
    numbered = bool(_GROUP_ORDINAL_RE.match(texts[0].strip()))
    texts = strip_ordinals(texts)
    if len(texts) > 3:
        return None
    first = texts[0].replace("\n", " ")
    m = _SECTION_LABEL_RE.match(first) or _SECTION_SPACE_RE.match(first)
    if m:
        name = m.group(1).strip()
        if not name and len(texts) > 1:
            name = texts[1].replace("\n", " ").strip()
    elif numbered and len(texts) == 1:
        name = first
    else:
        return None
    name = heading_group(name)
    return name or None


# A report parameter line ("กลุ่มผู้ใช้งาน : ทั้งหมด") above the table is not a group.
_ALL_GROUPS = {fold(v) for v in ("ทั้งหมด", "ทุกกลุ่ม", "all", "ทุกกลุ่มผู้ใช้งาน", "-")}


def group_above(sheet: Sheet, header: Header) -> str | None:
    """Return the group a heading just above the header names (each group its own table)."""
    rows = sheet.rows
    for r in range(header.first_row - 1, max(header.first_row - 4, -1), -1):
        texts = [t for t in (_text(v) for v in rows[r]) if t]
        if texts:
            named = section_group(texts)
            return named if named and fold(named) not in _ALL_GROUPS else None
    return None


def heading_group(text: str) -> str:
    """Return the group a heading names, its number ("1. ") and member count dropped."""
    return clean_group(_BULLET_RE.sub("", normalise_text(text)))


def clean_group(name: str) -> str:
    """Drop a trailing member count ("(5 คน)") and outer punctuation from a group name."""
    name = _COUNT_TAIL_RE.sub("", normalise_text(name)).strip()
    return name.strip(" :：-–")


_BULLET_RE = re.compile(r"^(?:[•·▪◦\-*]+\s*|\d{1,2}[.)]\s+)")
# Several groups in one cell: newline, comma (also Thai/full-width), semicolon or pipe. Not "/":
# group names contain it ("เจ้าหน้าที่การเงิน/บัญชี"); a wrong split would invent two groups,
# while not splitting keeps a name the keyword classifier still reads.
_GROUP_SPLIT_RE = re.compile(r"[\n,，、;；|]")


_NUMBER_MARK_RE = re.compile(r"(?:^|(?<=\s))\(?(\d{1,2})[.)]\s+")


def _numbered_parts(text: str) -> list[str]:
    """Split "1. X 2. Y" (one line, numbered 1, 2, 3 ...) at its numbers; else [text]."""
    marks = list(_NUMBER_MARK_RE.finditer(text))
    if len(marks) < 2 or marks[0].start() != 0:
        return [text]
    if [int(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)):
        return [text]  # numbers inside names ("กลุ่ม 2") do not count up from 1 at the start
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [text[m.start(): end] for m, end in zip(marks, ends, strict=True)]


def split_groups(text: str) -> list[str]:
    """Split a group cell into group names, bullets stripped, empty parts dropped.

    Separators: newline, comma, semicolon, pipe, and an inline numbered list ("1. X 2. Y").
    """
    out: list[str] = []
    text = normalise_text(text, keep_newlines=True)
    parts = _GROUP_SPLIT_RE.split(text)
    if _NUMBER_MARK_RE.match(text):
        parts = [p for part in parts for p in _numbered_parts(part.strip())]
    for part in parts:
        name = clean_group(_BULLET_RE.sub("", part.strip()))
        if name and name not in out:
            out.append(name)
    return out


# --------------------------------------------------------------------------- kind detection


_EXPORT_ONLY = {"group", "last_login", "created", "password_changed"}
_ROSTER_ONLY = {"employment_type", "status_date", "birth_date"}


def detect_kind(sheets: Sequence[Sheet]) -> Kind | None:
    """Tell an e-LAAS export from an HR roster by content; None when neither is recognisable.

    An export has a username column and groups (a column or section rows); a roster has people
    with position/status/employment type and no groups.
    """
    header = find_header(sheets)
    if header is None:
        return None
    return kind_of(header, sheets[header.sheet_index])


def kind_of(header: Header, sheet: Sheet) -> Kind | None:
    """Say what a found header (over all fields) and the rows below it look like."""
    fields = set(header.fields)
    has_name = bool(fields & {"full_name", "first_name", "last_name"})
    if "group" in fields:  # rosters have no user groups; an export may lack a username column
        return "export"
    if "username" in fields and not fields & _ROSTER_ONLY and (
        has_sections(sheet, header) or group_above(sheet, header)  # one group's own table
    ):
        return "export"
    if fields & _EXPORT_ONLY and "username" in fields:
        return "export"
    if has_name and fields & (_ROSTER_ONLY | {"position", "unit", "status", "note"}):
        return "roster"
    return None


def has_sections(sheet: Sheet, header: Header) -> bool:
    """Say whether rows below the header hold group section rows (labelled or a lone name)."""
    for row in sheet.rows[header.last_row + 1: header.last_row + 1 + VALUE_SAMPLE_ROWS]:
        texts = [t for t in (_text(v) for v in row) if t]
        if section_group(texts):
            return True
        texts = strip_ordinals(texts)
        lone = len(texts) == 1 and not looks_like_username(texts[0])
        if lone and not footer_kind(texts) and not _looks_like_data(texts[0]):
            return True
    return False
