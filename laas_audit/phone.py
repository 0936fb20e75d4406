"""Thai mobile numbers as exports write them (the letter's note: a working mobile number).

Normalisation at the edge, like `national_id.py`: Thai digits, separators (spaces, dashes of
any width, dots, brackets, slashes), "+66" for the leading 0, words around the number
("มือถือ 081-…", "โทร. …", "… (มือถือ)"), and a number cell that lost its leading 0.
"""

from __future__ import annotations

import re

from laas_audit.thai import normalise_text, thai_digits_to_ascii

# Between a number's digits: spaces, "-", the Unicode dashes and minus Word or LINE put in
# for it, dots, brackets and "/".
_SEP = r"[\s\-\u2010-\u2015\u2212\uff0d.()/]"
_DASH = r"[\-\u2010-\u2015\u2212\uff0d.]"
# A mobile inside text: 0 or +66 (with an optional "(0)"), then 6, 8 or 9 and eight digits,
# at most a few separators apart. Not part of a longer number: no digit right before or
# after it, nor one joined by a dash or dot ("044-0812…", "…5678-9").
_MOBILE_IN_TEXT = re.compile(
    rf"(?:\+\s*66{_SEP}*(?:0{_SEP}*)?|(?<!\d)(?<!\d{_DASH})0)"
    rf"([689](?:{_SEP}{{0,3}}\d){{8}})(?!\d)(?!{_DASH}\d)"
)
_NOT_DIGIT = re.compile(r"\D")
# A cell that is only a number Excel or a typist shortened: 812345678, 66812345678.
_BARE_CELL = re.compile(r"(?:66)?([689]\d{8})")
_SPACING = re.compile(r"[\s\-.]+")


def mobile_number(value: str | None) -> str | None:
    """Return the first Thai mobile number a cell holds, as 10 ASCII digits, else None.

    A mobile is 10 digits starting 06, 08 or 09, found among other numbers and words
    ("044-123456, 081-…", "081–234–5678 (มือถือ)"). "+66 81 234 5678" and "+66 (0)81…" are
    "0812345678"; so is 812345678, a number cell whose leading 0 Excel dropped.
    """
    if not value:
        return None
    text = thai_digits_to_ascii(normalise_text(value))
    found = _MOBILE_IN_TEXT.search(text)
    if found:
        return "0" + _NOT_DIGIT.sub("", found.group(1))
    bare = _BARE_CELL.fullmatch(_SPACING.sub("", text))
    return "0" + bare.group(1) if bare else None
