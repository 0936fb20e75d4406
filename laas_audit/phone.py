"""Thai mobile numbers as exports write them (the letter's note: a working mobile number).

Normalisation at the edge, like `national_id.py`: Thai digits, spaces, dashes, dots and
brackets, "+66" for the leading 0, and a number cell that lost its leading 0.
"""

from __future__ import annotations

import re

from laas_audit.thai import normalise_text, thai_digits_to_ascii

_SEPARATORS = re.compile(r"[\s\-.()]+")
# Several numbers in one cell: "081-234-5678, 044-123456", "081 234 5678 / 089 …", "… หรือ …".
_SEVERAL = re.compile(r"[,;/\n]|หรือ|\bor\b", re.IGNORECASE)
_MOBILE = re.compile(r"0[689]\d{8}")


def mobile_number(value: str | None) -> str | None:
    """Return the first Thai mobile number a cell holds, as 10 ASCII digits, else None.

    A mobile is 10 digits starting 06, 08 or 09. "+66 81 234 5678" and "+66 (0)81…" are
    "0812345678"; so is 812345678, a number cell whose leading 0 Excel dropped.
    """
    if not value:
        return None
    text = thai_digits_to_ascii(normalise_text(value))
    for part in _SEVERAL.split(text):
        digits = _SEPARATORS.sub("", part)
        if digits.startswith("+66"):
            digits = "0" + digits[3:].lstrip("0")
        elif digits.startswith("66") and len(digits) == 11:
            digits = "0" + digits[2:]
        elif len(digits) == 9 and digits[0] in "689":
            digits = "0" + digits
        if _MOBILE.fullmatch(digits):
            return digits
    return None
