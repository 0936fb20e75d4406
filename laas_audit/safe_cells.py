"""Values made safe for the files people open: no formulas, no illegal XML, no full national IDs.

Export and roster cells are untrusted: a name may be `=HYPERLINK(...)`, a group may hold control
characters, a note may carry someone's national ID. Every renderer passes values through here.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import TYPE_CHECKING, Any, TypeVar

from laas_audit.memo import remember
from laas_audit.national_id import mask_id

if TYPE_CHECKING:  # openpyxl is imported by the XLSX writers only (it costs ~0.1 s to load)
    from openpyxl.cell.cell import Cell

# Characters that make Excel/LibreOffice treat typed or imported text as a formula (OWASP CSV
# injection list), checked after leading whitespace because spreadsheets trim it.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# XML 1.0 forbids these; openpyxl raises IllegalCharacterError on them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

EXCEL_MAX_CELL = 32767  # Excel's limit on characters in one cell

_DIGIT = "[0-9\u0e50-\u0e59]"
_WORD = "[0-9A-Za-z\u0e50-\u0e59]"
# A 13-digit ID, alone or grouped 1-4-5-2-1 with one kind of separator, not inside a longer token
# of letters or digits (so SHA-256 digests and hashed finding ids are left alone).
# The pattern starts with the ID's first digit and only then looks back past it (at the
# character before it): led by a character class, it is searched for by that class, about
# twice as fast as trying a leading look-behind at every character of the text.
_ID_RE = re.compile(
    rf"({_DIGIT}(?<!{_WORD}{_DIGIT})"
    rf"(?:{_DIGIT}{{12}}|([- ]){_DIGIT}{{4}}\2{_DIGIT}{{5}}\2{_DIGIT}{{2}}\2{_DIGIT}))"
    rf"(?!{_WORD})"
)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Keys whose values are digests or ids, never personal data (a hex digest can hold 13 digits).
_NOT_PERSONAL = frozenset({"sha256", "id", "schema"})
NOT_PERSONAL_KEYS = _NOT_PERSONAL
# The account key. A ThaiD login is the person's national ID, but it is also the only way to
# find the account in e-LAAS: the worksheet the finance head acts on shows it in full (the
# national ID as an ID field stays masked there); report.html and findings.json mask it.
# Only the model's own `username` fields: a `username` inside evidence is text the worksheet
# prints among other facts, and stays masked like any ID in a message.
ACCOUNT_KEYS = frozenset({"username"})

T = TypeVar("T")


_NOT_DIGIT = re.compile(r"\D")
# An ID is masked wherever it is printed (report, worksheet, JSON, several findings): the
# masked form of each one seen is kept, bounded.
_MASKED: dict[str, str] = {}


def _mask_one(match: re.Match[str]) -> str:
    found = match.group(1)
    masked = _MASKED.get(found)
    if masked is None:
        digits = _NOT_DIGIT.sub("", found.translate(_THAI_DIGITS))
        masked = remember(_MASKED, found, mask_id(digits))
    return masked


def mask_text(text: str) -> str:
    """Mask every 13-digit national ID inside `text` (ASCII or Thai digits, grouped or not)."""
    # Most texts holding an ID are that ID alone (a national_id, a ThaiD login): no regex.
    masked = _MASKED.get(text)  # an ID seen before, alone it is all one match
    if masked is not None:
        return masked
    if len(text) == 13 and text.isascii() and text.isdigit():
        return remember(_MASKED, text, mask_id(text))
    return _ID_RE.sub(_mask_one, text)


def mask_deep(
    value: Any,
    key: str | None = None,
    keep: frozenset[str] = _NOT_PERSONAL,
    keep_fields: frozenset[str] = frozenset(),
) -> Any:
    """Return `value` (dicts, lists, dataclasses, strings) with every national ID masked.

    Dataclasses are copied, never changed in place; values under the `keep` keys (by default
    `sha256`/`id`/`schema`) are kept as they are, and so are dataclass fields named in
    `keep_fields` (dict keys of that name, as in a finding's evidence, are still masked).
    """
    if key in keep:
        return value
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: mask_deep(v, str(k), keep, keep_fields) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_deep(v, None, keep, keep_fields) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        clone = copy.copy(value)
        for f in dataclasses.fields(value):
            if f.name not in keep_fields:
                field_value = getattr(value, f.name)
                object.__setattr__(clone, f.name, mask_deep(field_value, f.name, keep, keep_fields))
        return clone
    return value


def masked(result: T, *, keep_usernames: bool = False) -> T:
    """Copy a result model with national IDs masked in every field (the default view).

    `keep_usernames` leaves the model's `username` fields whole (see `ACCOUNT_KEYS`): for the
    worksheet, where the account must be found to be acted on. IDs in any other field, text
    and evidence included, are still masked.
    """
    return mask_deep(
        result, None, _NOT_PERSONAL, ACCOUNT_KEYS if keep_usernames else frozenset()
    )


def strip_illegal_xml(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    return _ILLEGAL_XML.sub("", text)


def is_formula_like(text: str) -> bool:
    """Tell whether a spreadsheet could read `text` as a formula or command."""
    return text.lstrip(" \u00a0\n").startswith(FORMULA_LEADS)


def excel_safe(value: object) -> object:
    """Make a value openpyxl can write: text cleaned of illegal XML and cut to Excel's limit.

    Numbers, booleans, dates and None pass unchanged. Formula-like text is returned as is (but
    cleaned): use `set_cell` to write it, which forces it to be stored as text.
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    if hasattr(value, "isoformat"):
        return value
    text = strip_illegal_xml(str(value))
    if len(text) > EXCEL_MAX_CELL:
        text = text[: EXCEL_MAX_CELL - 1] + "…"
    return text


def set_cell(cell: Cell, value: object) -> Cell:
    """Write `value` into `cell` so that it can never become a formula.

    openpyxl stores any str starting with "=" as a formula; forcing data_type "s" stores it as a
    string, and quotePrefix keeps Excel from re-reading it as a formula when the cell is edited.
    """
    safe = excel_safe(value)
    cell.value = safe
    if isinstance(safe, str):
        cell.data_type = "s"
        if is_formula_like(safe):
            cell.quotePrefix = True
    return cell


def csv_safe(value: object) -> str:
    """Text for a CSV cell that a spreadsheet will not run: formula-like text gets a leading '."""
    text = "" if value is None else strip_illegal_xml(str(value))
    return "'" + text if is_formula_like(text) else text
