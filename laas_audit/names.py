"""Thai personal names: prefixes (คำนำหน้า), first/last split, and exact-match keys.

Prefix stripping rules (documented because Thai writes prefixes glued to the first name):
- Prefixes are tried longest first ("นางสาว" before "นาง", "ว่าที่ร้อยตรีหญิง" before
  "ว่าที่ร้อยตรี"), repeatedly, so stacked prefixes ("ว่าที่ร้อยตรี ดร.", "ดร.นาง") all go.
- A prefix ending in ".", "ฯ" or ")" (น.ส., ดร., พลฯ, ร.ต.(หญิง)) delimits itself and is
  always stripped.
- Otherwise it is stripped when followed by a space or a dot ("นาย สมชาย", "Mr Somchai").
- "คุณ" and the dotless "นส" are prefixes only when followed by a space or a dot
  (`SPACED_ONLY`): คุณวุฒิ, คุณภัทร are first names, so a glued "คุณ" stays in the name
  (`honorific_reading` gives the other reading, for a human to confirm). "คุณ" counts only at
  the very start, never after another prefix ("นายคุณวุฒิ" is คุณวุฒิ).
- A prefix glued to the name ("นายสมชาย ใจดี") is stripped only when (a) the prefix is Thai,
  (b) the rest starts a new Thai syllable (a consonant or a leading vowel เ แ โ ใ ไ, and the
  consonant is not silenced by ์), so "คุณากร" and "นายิกา" keep their letters, (c) what
  remains still holds a first AND a last name, and (d) the glued word is not listed in
  `NOT_PREFIXED_NAMES` (first names that merely start like a prefix, e.g. "นางนวล").
  A lone "นางนวล ใจดี" is therefore read as first name "นางนวล".
- Nothing is stripped when it would leave no name at all.
- A part in brackets is a nickname or a note, not the name: "นายสมชาย (ต้น) ใจดี" and
  "นายสมชาย ใจดี (จนท.พัสดุ)" split as "นายสมชาย ใจดี" (the caller keeps the text as written
  for display). A bracketed "(หญิง)" after a rank is the rank's, not a note.
Canonical prefixes: honorifics and academic titles in full Thai (น.ส./นส. -> นางสาว,
ด.ช. -> เด็กชาย, ว่าที่ ร.ต. -> ว่าที่ร้อยตรี); ranks as their dotted abbreviation, because
"ร.ต." is ร้อยตรี, เรือตรี and เรืออากาศตรี alike (full forms map to it: ร้อยตรี -> ร.ต.).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from laas_audit.memo import remember
from laas_audit.thai import fold, normalise_text

__all__ = [
    "CANONICAL_PREFIX",
    "NOT_PREFIXED_NAMES",
    "PREFIXES",
    "SPACED_ONLY",
    "NameParts",
    "honorific_reading",
    "name_key",
    "name_key_parts",
    "prefix_sex",
    "split_name",
]

# (canonical, other spellings...). Ranks: abbreviation first, then full forms.
_HONORIFICS: tuple[tuple[str, ...], ...] = (
    ("นาย", "Mr.", "Mr"),
    ("นาง", "Mrs.", "Mrs"),
    ("นางสาว", "น.ส.", "นส.", "น.ส", "นส", "Miss", "Ms.", "Ms"),
    ("เด็กชาย", "ด.ช.", "ดช."),
    ("เด็กหญิง", "ด.ญ.", "ดญ."),
    ("ดร.", "ดอกเตอร์", "Dr.", "Dr"),
    ("ศ.", "ศาสตราจารย์", "Prof."),
    ("รศ.", "รองศาสตราจารย์", "Assoc. Prof."),
    ("ผศ.", "ผู้ช่วยศาสตราจารย์", "Asst. Prof."),
    ("นายแพทย์", "นพ.", "น.พ."),
    ("แพทย์หญิง", "พญ.", "พ.ญ."),
    ("ทันตแพทย์", "ทพ.", "ท.พ."),
    ("ทันตแพทย์หญิง", "ทพญ.", "ทพ.ญ."),
    ("เภสัชกร", "ภก.", "ภ.ก."),
    ("เภสัชกรหญิง", "ภญ.", "ภ.ญ."),
    ("คุณ",),
)
# Acting second lieutenant (a reserve rank common among graduates); female forms are added
# as for ranks ("ว่าที่ร้อยตรีหญิง", "ว่าที่ ร.ต. หญิง", "ว่าที่ ร.ต.(หญิง)").
_ACTING_RANKS: tuple[tuple[str, ...], ...] = (
    ("ว่าที่ร้อยตรี", "ว่าที่ ร้อยตรี", "ว่าที่ ร.ต.", "ว่าที่ร.ต."),
)
_RANKS: tuple[tuple[str, ...], ...] = (
    # army / navy / air force officers (the abbreviation is shared by all three)
    ("พล.อ.", "พลเอก"), ("พล.ท.", "พลโท"), ("พล.ต.", "พลตรี"),
    ("พ.อ.", "พันเอก", "นาวาเอก", "นาวาอากาศเอก", "น.อ."),
    ("พ.ท.", "พันโท", "นาวาโท", "นาวาอากาศโท", "น.ท."),
    ("พ.ต.", "พันตรี", "นาวาตรี", "นาวาอากาศตรี", "น.ต."),
    ("ร.อ.", "ร้อยเอก", "เรือเอก", "เรืออากาศเอก"),
    ("ร.ท.", "ร้อยโท", "เรือโท", "เรืออากาศโท"),
    ("ร.ต.", "ร้อยตรี", "เรือตรี", "เรืออากาศตรี"),
    # army NCOs
    ("จ.ส.อ.", "จ่าสิบเอก"), ("จ.ส.ท.", "จ่าสิบโท"), ("จ.ส.ต.", "จ่าสิบตรี", "จ่าสิบตำรวจ"),
    ("ส.อ.", "สิบเอก"), ("ส.ท.", "สิบโท"), ("ส.ต.", "สิบตรี"), ("พลฯ", "พลทหาร"),
    # navy / air force NCOs
    ("พ.จ.อ.", "พันจ่าเอก"), ("พ.จ.ท.", "พันจ่าโท"), ("พ.จ.ต.", "พันจ่าตรี"),
    ("พ.อ.อ.", "พันจ่าอากาศเอก"), ("พ.อ.ท.", "พันจ่าอากาศโท"), ("พ.อ.ต.", "พันจ่าอากาศตรี"),
    ("จ.อ.", "จ่าเอก", "จ่าอากาศเอก"), ("จ.ท.", "จ่าโท", "จ่าอากาศโท"),
    ("จ.ต.", "จ่าตรี", "จ่าอากาศตรี"),
    # police
    ("พล.ต.อ.", "พลตำรวจเอก"), ("พล.ต.ท.", "พลตำรวจโท"), ("พล.ต.ต.", "พลตำรวจตรี"),
    ("พ.ต.อ.", "พันตำรวจเอก"), ("พ.ต.ท.", "พันตำรวจโท"), ("พ.ต.ต.", "พันตำรวจตรี"),
    ("ร.ต.อ.", "ร้อยตำรวจเอก"), ("ร.ต.ท.", "ร้อยตำรวจโท"), ("ร.ต.ต.", "ร้อยตำรวจตรี"),
    ("ด.ต.", "ดาบตำรวจ"),
    ("ส.ต.อ.", "สิบตำรวจเอก"), ("ส.ต.ท.", "สิบตำรวจโท"), ("ส.ต.ต.", "สิบตำรวจตรี"),
    ("พลตำรวจ", "พลฯตำรวจ"),
)

FEMALE = "หญิง"
#: the honorific "คุณ": a prefix only at the very start of a name, and only with a space after
KHUN = "คุณ"
#: spellings stripped only when a space or a dot follows (never glued to the name)
SPACED_ONLY: frozenset[str] = frozenset({KHUN, "นส"})
# canonical prefixes that never follow another one ("นายคุณวุฒิ": คุณวุฒิ is the name)
_START_ONLY: frozenset[str] = frozenset({KHUN})


def _build() -> dict[str, str]:
    canonical: dict[str, str] = {}
    for canon, *others in _HONORIFICS:
        for spelling in (canon, *others):
            canonical[normalise_text(spelling)] = canon
    for canon, *others in (*_RANKS, *_ACTING_RANKS):
        for spelling in (canon, *others):
            canonical[normalise_text(spelling)] = canon
            # female ranks: "ร.ต.หญิง", "ร้อยตรีหญิง", "ร.ต. หญิง", "ร.ต.(หญิง)", "ร.ต. (หญิง)"
            for female in (FEMALE, f" {FEMALE}", f"({FEMALE})", f" ({FEMALE})"):
                canonical[normalise_text(spelling + female)] = canon + FEMALE
    return canonical


class _PrefixTable(dict[str, str]):
    """A dict that counts its changes, so `_compiled` can tell in O(1) that the rules are stale.

    (Comparing the whole table on every name cost more than splitting the name.)
    """

    version = 0

    def _changed(self) -> None:
        self.version += 1

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._changed()

    def __ior__(self, other: Any) -> _PrefixTable:  # type: ignore[override,misc]
        super().__ior__(other)
        self._changed()
        return self

    def update(self, *args: Any, **kwargs: str) -> None:
        """Update as a dict does, and count the change."""
        super().update(*args, **kwargs)
        self._changed()

    def pop(self, *args: Any) -> Any:
        """Pop as a dict does, and count the change."""
        value = super().pop(*args)
        self._changed()
        return value

    def popitem(self) -> tuple[str, str]:
        """Pop an item as a dict does, and count the change."""
        item = super().popitem()
        self._changed()
        return item

    def setdefault(self, key: str, default: str = "") -> str:
        """Set a default as a dict does, and count the change."""
        value = super().setdefault(key, default)
        self._changed()
        return value

    def clear(self) -> None:
        """Clear as a dict does, and count the change."""
        super().clear()
        self._changed()


#: spelling (normalised) -> canonical prefix. Extend it to teach the module a new prefix.
CANONICAL_PREFIX: dict[str, str] = _PrefixTable(_build())
#: every spelling, longest first (the order prefixes are tried in).
PREFIXES: list[str] = sorted(CANONICAL_PREFIX, key=lambda p: (-len(p), p))

#: first names that begin with a prefix's letters; never split when glued ("นางนวล").
NOT_PREFIXED_NAMES: set[str] = {"นางนวล", "นางฟ้า"}

_THAI_SYLLABLE_START = re.compile("[\u0e01-\u0e2e\u0e40-\u0e44](?!\u0e4c)")


def _prefix_pattern(spelling: str) -> str:
    """Regex for one spelling: spaces optional, a space allowed after inner dots."""
    out: list[str] = []
    for i, ch in enumerate(spelling):
        if ch == " ":
            out.append(r"\s?")
        elif ch == "." and i < len(spelling) - 1 and spelling[i + 1] != " ":
            out.append(r"\.\s?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


# pattern, canonical, self-delimiting, literal head (lowercase: what any match must start with),
# may be glued to the name
_Rule = tuple[re.Pattern[str], str, bool, str, bool]
_rules: dict[str, list[_Rule]] = {}  # by casefolded first character, longest spelling first
_rules_source: dict[str, str] = {}
_rules_stamp: tuple[object, int | None] = (None, None)
_head_len = 0  # the longest head: how much of a name the filter looks at
# The heads as a trie of characters. "" at a node holds the rules of every head ending at it or
# above it, longest spelling first: what a name whose letters stop there may start with. A
# name's letters walk it once.
_head_trie: dict[str, Any] = {}
# Text whose lowercase a regex IGNORECASE match agrees with (ASCII and Thai): the head filter
# below is exact for it; anything else takes every rule's regex.
_PLAIN = re.compile("[\x00-\x7f\u0e00-\u0e7f]*")


def _head(spelling: str) -> str:
    """Return the literal start every match of `_prefix_pattern(spelling)` has (lowercased)."""
    end = len(spelling)
    for i, ch in enumerate(spelling):
        if ch == " ":
            end = i
            break
        if ch == "." and i < len(spelling) - 1:
            end = i + 1
            break
    return spelling[:end].lower()


def _compiled() -> dict[str, list[_Rule]]:
    """Rules per first character, longest first; rebuilt when CANONICAL_PREFIX is changed."""
    global _rules, _rules_source, _rules_stamp, _head_len, _head_trie
    table = CANONICAL_PREFIX
    stamp = (table, getattr(table, "version", None))
    if stamp[1] is not None and stamp[0] is _rules_stamp[0] and stamp[1] == _rules_stamp[1]:
        return _rules
    if _rules_source != table or not _rules:
        rules: dict[str, list[_Rule]] = {}
        trie: dict[str, Any] = {}
        for rank, p in enumerate(sorted(table, key=lambda p: (-len(p), p))):
            rule = (
                re.compile(_prefix_pattern(p), re.IGNORECASE),
                table[p],
                p.endswith((".", "ฯ", ")")),
                _head(p),
                p not in SPACED_ONLY,
            )
            rules.setdefault(p[0].casefold(), []).append(rule)
            node = trie
            for ch in rule[3]:
                node = node.setdefault(ch, {})
            node.setdefault("", []).append((rank, rule))
        _fill_candidates(trie, [])
        _rules, _rules_source, _head_trie = rules, dict(table), trie
        _head_len = max((len(r[3]) for rs in rules.values() for r in rs), default=0)
    _rules_stamp = stamp
    return _rules


def _fill_candidates(node: dict[str, Any], above: list[tuple[int, _Rule]]) -> None:
    """Replace the (rank, rule) of the heads ending at a node by the rules ending at or above."""
    found = sorted([*above, *node.get("", [])], key=lambda item: item[0])
    for ch, child in node.items():
        if ch:
            _fill_candidates(child, found)
    node[""] = tuple(rule for _, rule in found)


def _candidates(s: str, plain: bool) -> list[_Rule] | tuple[_Rule, ...]:
    """Return the rules whose literal head `s` starts with, longest spelling first.

    Only for text whose lowercase IGNORECASE agrees with (ASCII and Thai; `plain`: all of `s`
    is); any other text gets every rule of its first letter, each tried by its regex. The rules
    are the ones split_name brought up to date (`_compiled`) before it started.
    """
    start = s[:_head_len]
    if not plain and not _PLAIN.fullmatch(start):
        return _rules.get(s[:1].casefold(), ())
    node: dict[str, Any] = _head_trie
    for ch in start:
        child = node.get(ch) or node.get(ch.lower())  # the heads are lowercase
        if child is None:
            break
        node = child
    return node[""]


def _strip_one(s: str, stacked: bool, plain: bool) -> tuple[str, str] | None:
    """(canonical prefix, rest) for the longest strippable prefix of `s`, else None.

    Every spelling is tried, longest first, so "นางสาวิตรี ใจดี" falls back from "นางสาว"
    (which would cut a syllable) to "นาง". `stacked`: a prefix was stripped before this one.
    """
    for pattern, canonical, self_delimiting, _head_text, may_glue in _candidates(s, plain):
        m = pattern.match(s)
        if m is None or (stacked and canonical in _START_ONLY):
            continue
        rest = s[m.end() :]
        if self_delimiting or rest[:1] in (" ", "."):
            rest = rest.lstrip(" .")
            if rest:
                return canonical, rest
            continue
        # Glued: only Thai prefixes, only before a new syllable, only with a surname left.
        ends_in_letter = m.group(0)[-1].isascii() and m.group(0)[-1].isalpha()  # "Mr"
        if not may_glue or ends_in_letter or not _THAI_SYLLABLE_START.match(rest):
            continue
        if " " not in rest or s.split(" ", 1)[0] in NOT_PREFIXED_NAMES:
            continue
        return canonical, rest
    return None


def _strip_prefixes(s: str, stacked: bool = False) -> tuple[list[str], str]:
    prefixes: list[str] = []
    plain = bool(_PLAIN.fullmatch(s))  # so is every rest of it: checked once, not per prefix
    while True:
        found = _strip_one(s, stacked or bool(prefixes), plain)
        if found is None:
            return prefixes, s
        prefixes.append(found[0])
        s = found[1]


# A bracketed part (a nickname, a note such as "(จนท.พัสดุ)"), an unclosed one to the end, or a
# stray closing bracket: none of it is the name.
_BRACKETS = re.compile(r"[()\[\]\uff08\uff09]")  # (), [] and full-width （）
_NOTE = re.compile(r"[(\[\uff08][^)\]\uff09]*[)\]\uff09]?|[)\]\uff09]")


def _without_notes(prefixes: list[str], rest: str) -> str:
    """Drop the bracketed parts of `rest` (prefixes already stripped); strip prefixes they hid.

    Prefixes go first so that a rank's "(หญิง)" is read as the rank's; a note before the name
    ("(ต้น) นายสมชาย ใจดี") hides a prefix, stripped once the note is gone.
    """
    bare = " ".join(_NOTE.sub(" ", rest).split())
    if not bare:
        return rest  # nothing but brackets: keep what was written
    more, bare = _strip_prefixes(bare, stacked=bool(prefixes))
    prefixes.extend(more)
    return bare


class NameParts(NamedTuple):
    """A name split into canonical prefix (None when absent), first name and surname.

    Stacked prefixes are joined with a space ("ว่าที่ร้อยตรี ดร."). `last` is "" for a
    one-word name; a multi-word surname keeps its spaces. (A named tuple, immutable: every new
    name makes one, and a frozen dataclass took twice as long to build.)
    """

    prefix: str | None
    first: str
    last: str


# A person's name is split by the export reader, the roster reader, matching and the checks:
# remember each text's split (bounded) until the prefix rules or NOT_PREFIXED_NAMES change.
_split_memo: dict[str, NameParts] = {}
_split_memo_for: list[object] = [None, frozenset()]


def split_name(full: str) -> NameParts:
    """Split "นางสาวสมศรี ใจดี" into NameParts("นางสาว", "สมศรี", "ใจดี") (see module rules)."""
    rules = _compiled()
    if rules is not _split_memo_for[0] or _split_memo_for[1] != NOT_PREFIXED_NAMES:
        _split_memo.clear()
        _split_memo_for[:] = [rules, frozenset(NOT_PREFIXED_NAMES)]
    parts = _split_memo.get(full)
    if parts is None:
        text = normalise_text(full)
        prefixes, rest = _strip_prefixes(text)
        if _BRACKETS.search(rest):
            rest = _without_notes(prefixes, rest)
        first, _, last = rest.partition(" ")
        parts = remember(_split_memo, full, NameParts(" ".join(prefixes) or None, first, last))
    return parts


def name_key(full: str) -> str:
    """Exact-match key: prefixes stripped, then `fold`ed first name + surname."""
    parts = split_name(full)
    return fold(parts.first + parts.last)


def name_key_parts(first: str, last: str) -> str:
    """Give the `name_key` of separate first-name and surname columns (prefix may be in first)."""
    return name_key(f"{first} {last}")


def honorific_reading(full: str) -> str:
    """Give the `name_key` of `full` read with a glued leading "คุณ" as the honorific, else "".

    `split_name` keeps "คุณวุฒิ ใจดี" as the first name คุณวุฒิ: that is a name, and so could
    any "คุณ…" be. This is the other reading ("คุณ" + วุฒิ ใจดี), for matching to offer as a
    candidate to confirm, never as an automatic match. "" when no prefix may be read there
    (another prefix came first, the letters after "คุณ" do not start a syllable, no surname).
    """
    parts = split_name(full)
    if parts.prefix is not None or not parts.last or not parts.first.startswith(KHUN):
        return ""
    rest = parts.first[len(KHUN) :]
    if not _THAI_SYLLABLE_START.match(rest):
        return ""
    return name_key(f"{rest} {parts.last}")


_FEMALE_HONORIFICS = frozenset({"นาง", "นางสาว"})
_MALE_HONORIFICS = frozenset(
    {"นาย", "เด็กชาย", "นายแพทย์", "ทันตแพทย์", "เภสัชกร", *(r[0] for r in _ACTING_RANKS)}
    | {r[0] for r in _RANKS}
)


def prefix_sex(prefix: str | None) -> str | None:
    """Tell "f" or "m" from a canonical prefix (stacked ones joined by spaces), else None.

    Female: นาง, นางสาว and every form ending in หญิง (ranks, แพทย์หญิง, เด็กหญิง). Male:
    นาย, เด็กชาย, the male professional forms and ranks without หญิง. None for a prefix that
    does not tell (ดร., ผศ., คุณ) or no prefix.
    """
    words = (prefix or "").split()
    if any(w in _FEMALE_HONORIFICS or w.endswith(FEMALE) for w in words):
        return "f"
    if any(w in _MALE_HONORIFICS for w in words):
        return "m"
    return None
