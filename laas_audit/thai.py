"""Thai text normalisation at the edge: digits, SARA AM, invisible characters, whitespace.

Every cell a reader takes from a file passes through `cell_text` / `normalise_text`, so this
module is on the hot path: all tables and regexes are built once at import and the common
case (plain text) costs one `str.translate` and one `str.split`.

Why not NFKC: it decomposes a correct SARA AM (U+0E33) into NIKHAHIT + SARA AA, the very
thing we undo here. NFC is harmless for Thai and is applied only to non-NFC input.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

from laas_audit.memo import LIMIT, remember

__all__ = [
    "cell_line",
    "cell_text",
    "fold",
    "normalise_text",
    "thai_digits_to_ascii",
]

_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
# Full-width digits (U+FF10-FF19) come from East Asian input methods and some PDF-to-Excel
# converters; an ID typed with them is still the ID.
_FULLWIDTH_DIGITS = "".join(chr(0xFF10 + d) for d in range(10))
_DIGIT_TABLE: dict[int, int] = str.maketrans(
    _THAI_DIGITS + _FULLWIDTH_DIGITS, "0123456789" * 2
)

# Line breaks of every kind; "\r\n" is replaced before translation.
_NEWLINES = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"

NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"


def _build_tables() -> tuple[dict[int, str | int | None], dict[int, str | int | None]]:
    """Build the translation tables (newlines to space / kept) for digits and invisible chars."""
    table: dict[int, str | int | None] = dict(_DIGIT_TABLE)
    # Format (Cf) and control (Cc) characters are invisible: zero-width space/joiners, word
    # joiner, BOM, soft hyphen, bidi marks. They make equal-looking names compare unequal.
    for cp in range(0x10000):
        if unicodedata.category(chr(cp)) in ("Cc", "Cf"):
            table[cp] = None
    for cp in range(0xE0000, 0xE0080):  # language tags (Cf) outside the BMP
        table[cp] = None
    for cp in (0x110BD, 0x110CD, *range(0x1BCA0, 0x1BCA4), *range(0x1D173, 0x1D17B)):
        table[cp] = None
    table[ord("\t")] = " "
    # Every other space (NBSP, thin, ideographic ...) becomes a plain space here so that the
    # keep-newlines path (which splits lines, then words) sees the same characters.
    for cp in range(0x10000):
        ch = chr(cp)
        if ch.isspace() and ch not in _NEWLINES and ch != " ":
            table[cp] = " "
    flat = dict(table)
    keep = dict(table)
    for ch in _NEWLINES:
        flat[ord(ch)] = " "
        keep[ord(ch)] = "\n"
    return flat, keep


_FLAT_TABLE, _KEEP_TABLE = _build_tables()


def _class_of(codepoints: list[int]) -> re.Pattern[str]:
    """Compile a regex matching any one of `codepoints` (a character class of ranges)."""
    ranges: list[list[int]] = []
    for cp in sorted(codepoints):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    parts = (f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"[{''.join(parts)}]")


# What either table changes is invisible (`str.isprintable` is false for it: control, format and
# separator characters) except the Thai and full-width digits. Most text has none of it, and two
# C scans cost a fraction of `str.translate`, which looks every character up in a dict and
# builds a copy (and of one regex over the tables' hundreds of ranges).
_WIDE_DIGITS = _class_of([ord(d) for d in _THAI_DIGITS + _FULLWIDTH_DIGITS])

# NIKHAHIT (+ optional tone mark, typed in either order) + SARA AA -> tone + SARA AM; and a tone
# mark typed after SARA AM ("นำ้") moves before it, the canonical order ("น้ำ").
_SARA_AM_RE = re.compile("([\u0e48-\u0e4b]?)\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_AM_TONE_RE = re.compile("\u0e33([\u0e48-\u0e4b]+)")


def _sara_am(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2) + SARA_AM


def thai_digits_to_ascii(s: str) -> str:
    """Replace Thai digits ๐-๙ and full-width digits with ASCII 0-9 (nothing else changes)."""
    return s.translate(_DIGIT_TABLE)


# Typing slips that look right on screen: SARA E typed twice for SARA AE ("เเละ" for "และ"), a
# tone mark or THANTHAKHAT typed before the vowel above it ("ท่ี" for "ที่": NFC leaves these,
# the vowels being starters), and a mark typed twice ("ที่่"). Thai writes none of them.
_SARA_E_TWICE = "\u0e40\u0e40"
# A mark typed twice, or a tone mark/THANTHAKHAT (the first mark) before a vowel above it. One
# class first: this runs on every new text, and an alternation of the two scans twice as long.
_MARK_SLIP_RE = re.compile(
    "([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])(?:\\1|(?<=[\u0e48-\u0e4c])[\u0e31\u0e34-\u0e37])"
)
_MARK_BEFORE_VOWEL_RE = re.compile("([\u0e48-\u0e4c]+)([\u0e31\u0e34-\u0e37])")
_MARK_TWICE_RE = re.compile("([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\\1+")


def _has_slip(s: str) -> bool:
    return _SARA_E_TWICE in s or _MARK_SLIP_RE.search(s) is not None


def _fix_slips(s: str) -> str:
    while _has_slip(s):  # each pass shortens or orders the text: it ends
        s = s.replace(_SARA_E_TWICE, "\u0e41")
        s = _MARK_BEFORE_VOWEL_RE.sub(r"\2\1", s)
        s = _MARK_TWICE_RE.sub(r"\1", s)
    return s


def _fix_sara_am(s: str) -> str:
    if NIKHAHIT in s:
        s = _SARA_AM_RE.sub(_sara_am, s)
    # Repeat: moving a tone mark left can expose another "ำ + tone" pair ("ำำ่"). Searched first:
    # a substitution with a template costs a Python call even when nothing matches.
    while SARA_AM in s and _AM_TONE_RE.search(s):
        s = _AM_TONE_RE.sub(r"\1" + SARA_AM, s)
    return s


# Memo of normalise_text, one per mode: a body's group names, positions, units, statuses and
# dates repeat, and a cell is normalised by several readers (about 1,200 calls per body). Only
# short text is kept, and a full memo is emptied, so a long batch stays bounded in memory.
_MEMO_MAX_CHARS = 200
_FLAT_MEMO: dict[str, str] = {}
_KEEP_MEMO: dict[str, str] = {}


def normalise_text(s: str, *, keep_newlines: bool = False) -> str:
    """Normalise one piece of text for storage and comparison (memoised; see `_normalise`)."""
    memo = _KEEP_MEMO if keep_newlines else _FLAT_MEMO
    out = memo.get(s)
    if out is None:
        out = _normalise(s, keep_newlines)
        if len(s) <= _MEMO_MAX_CHARS:
            if len(memo) >= LIMIT:  # memo.remember inlined: a call less on the busiest memo
                memo.clear()
            memo[s] = out
    return out


def _normalise(s: str, keep_newlines: bool) -> str:
    """Normalise one piece of text for storage and comparison.

    Thai and full-width digits become ASCII; SARA AM is recomposed (including a tone mark typed
    between NIKHAHIT and SARA AA); zero-width, BOM, soft-hyphen and other control/format
    characters are removed; NBSP and other spaces become a space; runs of whitespace collapse to
    one space and the ends are stripped. Newlines become spaces unless `keep_newlines` is true:
    then each line is cleaned on its own, blank lines are dropped, and lines are joined with a
    newline (a cell listing several groups one per line keeps its structure). The result is
    idempotent.
    """
    if not s:
        return ""
    if not s.isprintable() or (not s.isascii() and _WIDE_DIGITS.search(s)):
        if keep_newlines:
            s = s.replace("\r\n", "\n").translate(_KEEP_TABLE)
        else:
            s = s.translate(_FLAT_TABLE)
    if not s.isascii():
        s = _fix_sara_am(s)
        if not unicodedata.is_normalized("NFC", s):
            s = _fix_sara_am(unicodedata.normalize("NFC", s))
        for _ in range(8):  # NFC can order marks into a new slip (marks without a letter)
            if not _has_slip(s):
                break
            s = _fix_sara_am(_fix_slips(s))  # a mark typed twice can hide a SARA AM ("ํ่่า")
            if not unicodedata.is_normalized("NFC", s):
                s = _fix_sara_am(unicodedata.normalize("NFC", s))
    if keep_newlines and "\n" in s:
        lines = (" ".join(line.split()) for line in s.split("\n"))
        return "\n".join(line for line in lines if line)
    return " ".join(s.split())


_FOLD_PRE_DELETE = re.compile("[ .\n\r\t\xa0\u200b\u200c\u200d\u2060\ufeff\u00ad]")


_FOLD_MEMO: dict[str, str] = {}


def fold(s: str) -> str:
    """Comparison key: `normalise_text`, casefold, then drop every space and dot.

    "น.ส. สมศรี  ใจดี" and "น.ส.สมศรี ใจดี" fold equal; so do "ABC" and "abc".
    """
    key = _FOLD_MEMO.get(s)
    if key is None:
        # Drop spaces, dots and invisibles first, so that one typed inside ำ ("ํ า") or between
        # marks cannot change how the rest is normalised.
        # (A flat normalised text holds no newline: spaces and dots are what is left to drop.)
        # Printable text holds none of the invisibles: two replaces cost less than the regex.
        if s.isprintable():
            bare = s.replace(" ", "").replace(".", "")
        else:
            bare = _FOLD_PRE_DELETE.sub("", s)
        if bare.isascii() and bare.isprintable():  # nothing left to normalise (login, ID)
            key = bare.lower()
        else:
            key = normalise_text(bare).casefold()
            key = key.replace(" ", "").replace(".", "")
        if len(s) <= _MEMO_MAX_CHARS:
            remember(_FOLD_MEMO, s, key)
    return key


def _float_text(value: float) -> str:
    """Integral floats without ".0" or exponent; others in plain positional notation."""
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    if value.is_integer():
        return str(int(value))
    return _strip_fraction_zeros(format(Decimal(repr(value)), "f"))


def _strip_fraction_zeros(text: str) -> str:
    """Drop trailing fraction zeros: 12.50 -> 12.5, 12.0 -> 12 (positional text only)."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def cell_text(value: object) -> str:
    """Any raw spreadsheet cell as normalised text (newlines kept: they separate groups).

    None and NaN/NaT -> ""; bool -> "TRUE"/"FALSE" (as Excel shows them); integral floats
    without ".0" or exponent (1234567890123.0 -> "1234567890123", so IDs survive); datetime ->
    ISO date, plus " HH:MM:SS" when the time is not midnight; date/time -> ISO.
    """
    if isinstance(value, str):
        # The memo read here, not through normalise_text: readers ask this of every cell.
        out = _KEEP_MEMO.get(value)
        return out if out is not None else normalise_text(value, keep_newlines=True)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        if value != value:  # pandas NaT is a datetime subclass and unequal to itself
            return ""
        if value.time() == time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            return "" if value.is_nan() else str(value)
        return _strip_fraction_zeros(format(value, "f"))
    return _other_cell_text(value)


def cell_line(value: object) -> str:
    """Any raw spreadsheet cell as one line of normalised text (`cell_text`, newlines as spaces).

    The readers' form of every cell they keep (names, IDs, positions ...).
    """
    if isinstance(value, str):
        out = _FLAT_MEMO.get(value)  # read here, as in cell_text
        return out if out is not None else normalise_text(value)
    if value is None:
        return ""
    return cell_text(value).replace("\n", " ")


def _other_cell_text(value: object) -> str:
    """Numpy scalars and anything else: unwrap numbers, else `str()`."""
    try:
        if value != value:  # NaN-like (numpy nan, pandas NA/NaT)
            return ""
    except (TypeError, ValueError):  # pandas NA raises on bool()
        return ""
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        unwrapped = item()
        if unwrapped is not value:
            return cell_text(unwrapped)
    return normalise_text(str(value), keep_newlines=True)

