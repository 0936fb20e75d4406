"""findings.json: the versioned, documented contract (docs/findings-json.md) of one review.

It is `ReviewResult.to_dict()` made plain JSON, with national IDs masked unless `show_ids`.
Values are kept exactly as read (an `=HYPERLINK(...)` name stays that text): JSON is data, and
escaping for HTML or Excel is those renderers' job.

Speed matters here (a provincial batch writes thousands of these): the document is serialised
by orjson straight from the dataclasses, and IDs are masked in the serialised text
(`_mask_json`), one string token at a time, with exactly `safe_cells.mask_deep`'s rules. The
slow, obviously-correct path (`to_dict` -> `_plain` -> `mask_deep` -> `json`) remains for what
orjson refuses (non-text dict keys, huge integers) and is what the tests compare against.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from laas_audit.model import SCHEMA, ReviewResult
from laas_audit.safe_cells import NOT_PERSONAL_KEYS, mask_deep, mask_text

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_APPEND_NEWLINE

_DIGIT = "[0-9\u0e50-\u0e59]"
# Any text `safe_cells.mask_text` could change holds one of these runs verbatim (digits, "-" and
# " " are never escaped in JSON), so every token it would change is found; most hits are not
# IDs (a digest, a number) and are sorted out per token.
# (One pattern with optional separators: a superset of both of mask_text's forms, and three
# times faster to scan than their alternation.)
_CANDIDATE = re.compile(
    rf"{_DIGIT}[- ]?{_DIGIT}{{4}}[- ]?{_DIGIT}{{5}}[- ]?{_DIGIT}{{2}}[- ]?{_DIGIT}"
)
# A JSON string token. orjson escapes newlines, so a token never spans lines.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _plain(value: Any) -> Any:
    # Evidence dicts come from check code and may hold dates, sets, paths or NaN: JSON has none.
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=str)
    return str(value)


def _default(value: Any) -> Any:
    """Turn what orjson cannot write into what `_plain` makes of it (always a native type)."""
    if isinstance(value, float):  # a float subclass (numpy): orjson leaves those to us
        return float(value) if math.isfinite(value) else None
    return _plain(value)


def _document(result: ReviewResult) -> dict[str, Any]:
    """`ReviewResult.to_dict()` with the dataclasses left for orjson to write (same order)."""
    return {
        "schema": SCHEMA,
        "tool_version": result.tool_version,
        "policy_version": result.policy_version,
        "as_of": result.as_of.isoformat(),
        "generated_at": result.generated_at,
        "body": dict(result.body),
        "citation": result.citation,
        "inputs": result.inputs,
        "accounts": result.accounts,
        "findings": result.sorted_findings(),
        "resolved": result.resolved,
        "exceptions": result.exceptions,
        "previous": result.previous,
        "warnings": list(result.warnings),
    }


def _slow_bytes(result: ReviewResult, show_ids: bool) -> bytes:
    doc = _plain(result.to_dict())
    doc = doc if show_ids else mask_deep(doc)
    text = json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return text.encode("utf-8")


# The filter in bytes, one byte for one: ASCII digits, and the three bytes of each Thai digit
# (U+0E50-59 are E0 B9 90-99 in UTF-8), become "0", so a run `_CANDIDATE` matches in the text
# is a run of "0"s (with "-" or " ") here, at the same offsets. Other text can make a few runs
# too (any E0, B9 or 90-99 byte becomes "0"); such false hits are sorted out line by line.
# Only the middle of an ID ("0000", "-"?, "00000") is searched for: every full match holds it,
# and a pattern that starts with a four-byte literal is found by a fast scan rather than by
# trying the pattern at every "0" (dates, counts and row numbers are full of them).
_TO_ZEROS = bytes.maketrans(
    bytes(range(0x30, 0x3A)) + bytes(range(0x90, 0x9A)) + b"\xe0\xb9", b"0" * 22
)
_ZEROS = re.compile(rb"0000[- ]?00000")
# A container under a key whose value mask_deep keeps whole is rare enough to take the slow
# path. Each key is looked for by `bytes.find` (a regex tried its alternation at every quote).
_KEPT_KEYS = tuple(b'"%s": ' % k.encode() for k in sorted(NOT_PERSONAL_KEYS))


def _holds_kept_container(data: bytes) -> bool:
    """Tell whether a key whose value `mask_deep` keeps whole (an id) holds a list or object."""
    for key in _KEPT_KEYS:
        at = data.find(key)
        while at >= 0:
            if data.startswith((b"[", b"{"), at + len(key)):
                return True
            at = data.find(key, at + 1)
    return False


def _mask_json(data: bytes) -> bytes | None:
    """Mask IDs in orjson's indented output as `mask_deep` would in the document.

    Only lines that can hold an ID are decoded and looked at: each string value there holding
    a candidate is decoded, masked with `mask_text` and re-encoded; keys, numbers and values
    under `sha256`/`id`/`schema` keys are left alone. Returns None when a kept key holds a
    container (the caller then takes the slow path).
    """
    if _holds_kept_container(data):
        return None
    pieces: list[bytes] = []
    copied = 0  # data[:copied] is in `pieces`
    looked = 0  # lines ending before this were looked at
    for hit in _ZEROS.finditer(data.translate(_TO_ZEROS)):
        at = hit.start()
        if at < looked:
            continue  # another hit on a line already looked at
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at)
        looked = end = len(data) if end < 0 else end
        masked = _mask_line(data[start:end].decode("utf-8"))
        if masked is not None:
            pieces += (data[copied:start], masked.encode("utf-8"))
            copied = end
    if not pieces:
        return data
    pieces.append(data[copied:])
    return b"".join(pieces)


# A line holding one string, as a list item or under a key, with no escapes in it: the string
# is the value itself, and masked text needs no escaping ("x", "-", digits, spaces).
_SIMPLE_LINE = re.compile(r'( *)("[^"\\]*": )?"([^"\\]*)"(,?)')


def _mask_line(text: str) -> str | None:
    """Return one line of the JSON with its IDs masked, or None when nothing changes."""
    simple = _SIMPLE_LINE.fullmatch(text)
    if simple is not None:
        indent, key, value, comma = simple.groups()
        if key is not None and key[1:-3] in NOT_PERSONAL_KEYS:
            return None
        masked = mask_text(value)
        return None if masked == value else f'{indent}{key or ""}"{masked}"{comma}'
    out: list[str] = []
    done = 0  # text[:done] is already in `out`
    seen = 0  # candidates before this were in a token already looked at
    first: re.Match[str] | None = None
    for hit in _CANDIDATE.finditer(text):
        at = hit.start()
        if at < seen:
            continue
        for token in _STRING.finditer(text):
            first = first or token
            if token.end() <= at:
                continue
            if token.start() < at:  # the candidate is inside this string
                seen = token.end()
                replaced = _masked_token(text, token, first)
                if replaced is not None:
                    out.append(text[done:token.start()])
                    out.append(replaced)
                    done = token.end()
            break  # else the candidate is a number between tokens: never masked
    if not out:
        return None
    out.append(text[done:])
    return "".join(out)


def _masked_token(text: str, token: re.Match[str], first: re.Match[str]) -> str | None:
    """Return the string token masked, or None when it is a key, kept, or holds no ID."""
    if text.startswith(":", token.end()):
        return None  # a key: mask_deep never changes keys
    if (
        token is not first
        and text.startswith(":", first.end())
        and orjson.loads(first.group()) in NOT_PERSONAL_KEYS
    ):
        return None  # the value of "sha256", "id" or "schema"
    return _masked_string(token.group())


@lru_cache(maxsize=4096)
def _masked_string(token: str) -> str | None:
    # The same ID turns up several times in one review (account, evidence, message).
    value = orjson.loads(token)
    masked = mask_text(value)
    if masked == value:
        return None
    return orjson.dumps(masked).decode("utf-8")


def dumps_bytes(result: ReviewResult, *, show_ids: bool = False) -> bytes:
    """Serialise findings.json as UTF-8 bytes (what `write_json` writes)."""
    try:
        data = orjson.dumps(_document(result), default=_default, option=_OPTIONS)
    except orjson.JSONEncodeError:  # non-text dict keys, integers beyond 64 bits, ...
        return _slow_bytes(result, show_ids)
    if show_ids:
        return data
    masked = _mask_json(data)
    if masked is None:
        return _slow_bytes(result, show_ids)
    return masked


def dumps(result: ReviewResult, *, show_ids: bool = False) -> str:
    """Serialise findings.json: UTF-8 Thai as is, indent 2, key order as the contract lists."""
    return dumps_bytes(result, show_ids=show_ids).decode("utf-8")


def to_json_dict(result: ReviewResult, show_ids: bool = False) -> dict[str, Any]:
    """Build the findings.json document; every 13-digit national ID masked unless `show_ids`."""
    doc: dict[str, Any] = orjson.loads(dumps_bytes(result, show_ids=show_ids))
    return doc


def write_json(result: ReviewResult, path: Path, *, show_ids: bool = False) -> Path:
    """Write findings.json to `path` (the caller stages the folder; see output.write_all)."""
    path.write_bytes(dumps_bytes(result, show_ids=show_ids))
    return path
