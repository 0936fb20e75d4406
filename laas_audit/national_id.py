"""Thai national ID (เลขประจำตัวประชาชน): cleaning, checksum, masking.

The ID is 13 digits; the first is 1-8 and the last is a check digit:
d13 = (11 - sum(d_i * (14 - i) for i = 1..12) mod 11) mod 10 (same as `stdnum.th.pin`).
Excel stores IDs typed as numbers as floats, so `clean_id` accepts 1234567890121.0.
IDs are personal data: reports show them only through `mask_id`.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from operator import mul

from laas_audit.memo import remember
from laas_audit.thai import normalise_text

__all__ = ["check_digit", "clean_id", "is_valid_id", "make_id", "mask_id"]

_NOT_DIGIT = re.compile(r"[^0-9]")
_ID_RE = re.compile(r"^[0-9]{13}$")
# "1234567890121.0" (a float written as text) and "1.23456789012E+12" (Excel's display).
_FLOAT_TEXT_RE = re.compile(r"^\s*([0-9]{13})\.0*\s*$")
_SCI_TEXT_RE = re.compile(r"^\s*([0-9])\.([0-9]+)[eE]\+?([0-9]{1,2})\s*$")
_MASK = "x-xxxx-xxxxx-xx-x"
_WEIGHTS = range(13, 1, -1)  # the check digit weighs the 12 digits 13, 12, ..., 2
# Digits are summed as their ASCII codes (bytes iterate as ints: no int() per digit); each
# code is its digit plus 48, so the weighted sum is too high by exactly this much.
_ASCII_EXCESS = ord("0") * sum(_WEIGHTS)


def clean_id(value: object) -> str | None:
    """13 ASCII digits from a raw cell, or None when it does not hold exactly 13 digits.

    Accepts "1-2345-67890-12-1", "1 2345 67890 12 1", Thai digits, a leading apostrophe,
    stray spaces/invisible characters, ints, integral floats (1234567890121.0) and the same
    as text. Scientific notation is accepted only if it keeps all 13 digits. The checksum is
    not checked here: see `is_valid_id`.
    """
    if type(value) is str and len(value) == 13 and value.isascii() and value.isdigit():
        return value  # already 13 ASCII digits: the common case, as readers store IDs
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        text = str(value) if 0 <= value < 10**14 else ""
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or not 0 <= value < 1e14:
            return None
        text = str(int(value))
    elif isinstance(value, Decimal):
        try:
            if not value.is_finite() or value != value.to_integral_value():
                return None
            text = str(int(value)) if 0 <= value < 10**14 else ""
        except InvalidOperation:  # pragma: no cover - guarded by is_finite
            return None
    elif isinstance(value, str):
        text = _text_digits(value)
    else:  # numpy scalars unwrap; other objects (lists, dates ...) are not IDs
        return _numpy_id(value) if type(value).__module__ == "numpy" else None
    digits = _NOT_DIGIT.sub("", text)
    return digits if len(digits) == 13 else None


def _numpy_id(value: object) -> str | None:
    item = getattr(value, "item", None)
    return clean_id(item()) if callable(item) else None


def _text_digits(value: str) -> str:
    """Return the digit text of an ID cell, undoing float and scientific renderings."""
    text = normalise_text(value)
    m = _FLOAT_TEXT_RE.match(text)
    if m:
        return m.group(1)
    m = _SCI_TEXT_RE.match(text)
    if m:
        mantissa, exponent = m.group(1) + m.group(2), int(m.group(3))
        # Only when every one of the 13 digits survived (Excel shows 6 significant digits).
        if exponent == 12 and len(mantissa.rstrip("0")) <= 13 and len(mantissa) >= 13:
            return mantissa[:13]
        return ""
    return text


def check_digit(first12: str) -> str:
    """Compute the check digit for 12 ASCII digits (ValueError otherwise)."""
    if len(first12) != 12 or not first12.isascii() or not first12.isdigit():
        raise ValueError(f"need exactly 12 ASCII digits, got {first12!r}")
    total = sum(map(mul, first12.encode("ascii"), _WEIGHTS)) - _ASCII_EXCESS
    return str((11 - total % 11) % 10)


# The same ID is checked by the export reader, the roster reader and matching: remember.
_VALID: dict[str, bool] = {}


def is_valid_id(pid: str) -> bool:
    """Tell whether `pid` is 13 ASCII digits, first digit 1-8, with a correct check digit."""
    if not isinstance(pid, str):
        return False
    valid = _VALID.get(pid)  # only well-formed IDs are remembered
    if valid is None:
        if not _ID_RE.match(pid) or pid[0] in "09":
            return False
        valid = remember(_VALID, pid, check_digit(pid[:12]) == pid[12])
    return valid


def mask_id(pid: str) -> str:
    """Mask all but the last three digits: "x-xxxx-xxxxx-12-3". Anything else is fully masked."""
    digits = clean_id(pid)
    if digits is None:
        return _MASK
    return f"x-xxxx-xxxxx-{digits[10:12]}-{digits[12]}"


def make_id(first12: str) -> str:
    """Append the check digit to 12 digits (for fictitious test and sample data only)."""
    if first12[:1] in ("0", "9"):
        raise ValueError(f"an ID cannot start with {first12[0]!r}")
    return first12 + check_digit(first12)
