"""The review policy: group classes, position families, the matrix and thresholds, as data.

The default is `rules/policy.yaml` (shipped in the wheel as `laas_audit/_data/rules`); a user's
`--policy FILE` is deep-merged over it (maps merge, a list replaces, `{extend: [...]}` /
`{remove: [...]}` edit a list). Everything is validated at load, failing with the file, the key
path and the reason, and every keyword table is precomputed: batch runs consult the policy for
tens of thousands of accounts. The checks never read the YAML; they call the typed helpers here.
"""

from __future__ import annotations

import copy
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml

from laas_audit.dates import MONTHS_TH_FULL, MONTHS_TH_SHORT, parse_date_text
from laas_audit.errors import InputError, Location
from laas_audit.memo import remember
from laas_audit.model import SEVERITIES, Severity
from laas_audit.names import split_name
from laas_audit.shipped import shipped_dir
from laas_audit.thai import normalise_text
from laas_audit.yaml_load import SafeLoader, describe_error

ALL_CLASSES = "*"
_CACHE_LIMIT = 50_000  # per kind
_MISS = object()  # a memo miss (None is a result: a position with no family)
POLICY_FILE = "policy.yaml"

_WS = re.compile(r"\s+")
_MAIL_WORDS = re.compile(r"[\W\d_]+")  # what splits an e-mail's local part into words
_SEVERITY: dict[str, Severity] = {s: s for s in SEVERITIES}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_THAI_LETTER = re.compile("[\u0e01-\u0e2e]")  # a Thai consonant: the text is a Thai word

# Dates written inside free text (roster notes and statuses): "1 ต.ค. 2568", "1 ตุลาคม 2568",
# "01/10/2568", "2025-10-01". "คำสั่งที่ 12/2569" has two parts only, so it is not a date.
_MONTH_WORDS = sorted(
    {*MONTHS_TH_FULL, *MONTHS_TH_SHORT, "กรกฏาคม", *(m.replace(".", "") for m in MONTHS_TH_SHORT)},
    key=len,
    reverse=True,
)
_DATE_IN_TEXT = re.compile(
    r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}\s?(?:"
    + "|".join(re.escape(m) for m in _MONTH_WORDS)
    + r")\s?(?:พ\.ศ\.\s?)?\d{2,4})(?!\d)"
)
# Words just before a date that make it the end, or the start, of a period.
_UNTIL = ("จนถึง", "ถึง", "-", "–", "สิ้นสุด")
_FROM = ("ตั้งแต่", "มีผล", "เริ่ม")


def dates_in_text(text: str | None) -> list[tuple[int, str, date]]:
    """Dates written in free text: (position, the word just before, date), in order.

    Positions refer to the text normalised and folded (`normalise_text`, one space between
    words); "วันที่" and spaces before a date are skipped, so the word before
    "ถึงวันที่ 31 มี.ค. 2569" is "ถึง".
    """
    if not text:
        return []
    flat = normalise_text(text).casefold()
    out = []
    for m in _DATE_IN_TEXT.finditer(flat):
        parsed = parse_date_text(m.group(0)).value
        if parsed is None:
            continue
        before = _WS.sub("", flat[max(0, m.start() - 20) : m.start()]).removesuffix("วันที่")
        word = next((w for w in (*_UNTIL, *_FROM) if before.endswith(w)), "")
        out.append((m.start(), word, parsed))
    return out


def rules_dir() -> Path:
    """Return the folder of policy.yaml and catalogue.yaml (the wheel's copy, else the repo's)."""
    return shipped_dir("rules")


@dataclass(frozen=True)
class Thresholds:
    """Numbers the rules and matching compare against (days, months, rapidfuzz scores)."""

    dormant_days: float = 180
    never_used_days: float = 30
    # LA401 counts calendar months (clause ๓.๔.๒: every 6 months) unless a policy gives days.
    password_max_age_days: float | None = None
    fuzzy_match_threshold: float = 88
    fuzzy_margin: float = 5
    expiring_soon_days: float = 30
    password_max_age_months: int | None = 6


THRESHOLD_KEYS = tuple(Thresholds.__dataclass_fields__)


@dataclass(frozen=True)
class Retirement:
    """When roster people retire by age (LA105): the age, and the fiscal-year end they leave on."""

    age: int = 60
    fiscal_year_end: tuple[int, int] = (9, 30)  # (month, day)
    words: tuple[str, ...] = ("เกษียณ",)  # a status or note naming retirement


RETIREMENT_KEYS = ("age", "fiscal_year_end", "words")
_RETIREMENT_AGES = (40, 100)  # a retirement age outside these is a typo, not a policy


@dataclass(frozen=True)
class Conflict:
    """Two group classes one person should not hold together, with the finding's severity."""

    first: str
    second: str
    severity: Severity

    @property
    def key(self) -> str:
        """Stable text for the pair, e.g. `procurement+cash` (part of a finding's id)."""
        return f"{self.first}+{self.second}"


@dataclass(frozen=True)
class Roles:
    """Which classes and families the rules treat specially (names checked at load)."""

    privileged_classes: frozenset[str]
    finance_head_classes: frozenset[str]
    executive_classes: frozenset[str]
    finance_classes: frozenset[str]
    finance_head_families: frozenset[str]
    executive_families: frozenset[str]
    elected_families: frozenset[str]


_MAX_FILLERS = 2  # "ไม่ได้มีการระงับ": a negation, then at most two filler words


@dataclass(frozen=True)
class Negation:
    """Negation words and the fillers that may stand between one and the word it negates.

    "ไม่มีการระงับ", "ไม่ถูกระงับ", "ไม่ให้ใช้งาน": `status_negations` followed by up to two
    `status_negation_fillers`. All keys: normalised, folded, without spaces.
    """

    words: tuple[str, ...]  # longest first
    fillers: tuple[str, ...]  # longest first

    def start_before(self, key: str, at: int) -> int:
        """Where a negation (with its fillers) ending at `at` of `key` starts, else -1."""
        end = at
        for _ in range(_MAX_FILLERS + 1):
            word = next((w for w in self.words if key.endswith(w, 0, end)), None)
            if word is not None:
                return end - len(word)
            filler = next((f for f in self.fillers if key.endswith(f, 0, end)), None)
            if filler is None:
                return -1
            end -= len(filler)
        return -1

    def variants(self, keyword: str) -> list[str]:
        """Spell a keyword that starts with a negation with fillers after the negation.

        "ไม่ต่อสัญญา" -> "ไม่ได้ต่อสัญญา", "ไม่มีการต่อสัญญา" ...; nothing for other keywords.
        """
        word = next((w for w in self.words if keyword.startswith(w)), None)
        if word is None or len(word) == len(keyword):
            return []
        rest = keyword[len(word) :]
        joins = [*self.fillers, *(a + b for a in self.fillers for b in self.fillers)]
        return [word + join + rest for join in joins]


class KeywordTable:
    """Keywords -> labels; where matches overlap the longer keyword wins (precomputed order).

    With `flips` (label -> the label it turns into) and a `negation`, a keyword with a negation
    just before it ("ไม่" + "ระงับ", "ไม่มีการ" + "ย้าย") counts as the flipped label over the
    negation and the keyword together: longer, so it wins over a keyword inside the negation
    ("ยกเลิก" in "ยกเลิกการระงับ"). At equal length a keyword of the policy's own wins.
    """

    def __init__(
        self,
        pairs: Iterable[tuple[str, str]],
        flips: Mapping[str, str] | None = None,
        negation: Negation | None = None,
    ) -> None:
        # Longest first; ties keep the policy's order (stable sort), so the file decides.
        self._pairs = sorted(((k, v) for k, v in pairs if k), key=lambda kv: -len(kv[0]))
        self._flips = dict(flips or {}) if negation is not None else {}
        self._negation = negation

    def labels(self, key: str) -> list[str]:
        """Labels of the keywords found in `key`, longest keyword first, each label once."""
        if not key:
            return []
        if self._flips:
            return self._negatable_labels(key)
        taken = [False] * len(key)
        found: list[str] = []
        for keyword, label in self._pairs:
            start = key.find(keyword)
            while start != -1:
                end = start + len(keyword)
                if not any(taken[start:end]):
                    for i in range(start, end):
                        taken[i] = True
                    if label not in found:
                        found.append(label)
                start = key.find(keyword, start + 1)
        return found

    def _negatable_labels(self, key: str) -> list[str]:
        assert self._negation is not None
        spans: list[tuple[int, int, int, int, int, str]] = []
        for rank, (keyword, label) in enumerate(self._pairs):
            start = key.find(keyword)
            while start != -1:
                end = start + len(keyword)
                spans.append((start - end, 0, rank, start, end, label))
                flipped = self._flips.get(label)
                neg = self._negation.start_before(key, start) if flipped else -1
                if flipped and neg != -1:
                    spans.append((neg - end, 1, rank, neg, end, flipped))
                start = key.find(keyword, start + 1)
        spans.sort()  # longest span first; the policy's own keyword before a negated one
        taken = [False] * len(key)
        found: list[str] = []
        for _, _, _, start, end, label in spans:
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                if label not in found:
                    found.append(label)
        return found

    def contains_any(self, key: str) -> bool:
        """Whether any keyword occurs in `key` (no overlap resolution needed)."""
        return any(k in key for k, _ in self._pairs)


@dataclass(frozen=True)
class TextRules:
    """How text is folded for keyword matching: abbreviations, dropped characters, levels."""

    abbreviations: tuple[tuple[str, str], ...]  # folded short form -> folded long form
    drop_chars: tuple[str, ...]
    levels: tuple[str, ...]  # folded, longest first
    position_noise: tuple[str, ...]

    def key(self, text: str | None) -> str:
        """Match key: normalised, case folded, no spaces, abbreviations expanded, no dots."""
        if not text:
            return ""
        s = _WS.sub("", normalise_text(text).casefold())
        for short, long in self.abbreviations:
            if short in s:
                s = s.replace(short, long)
        for ch in self.drop_chars:
            s = s.replace(ch, "")
        return s.replace(".", "")

    def position_key(self, text: str | None) -> str:
        """`key` with the levels glued onto position names removed."""
        s = self.key(text)
        for level in self.levels:
            if level in s:
                s = s.replace(level, "")
        return s


@dataclass(frozen=True)
class Policy:
    """A loaded, validated policy with precomputed keyword tables and typed helpers."""

    version: str
    citation: str
    thresholds: Thresholds
    retirement: Retirement
    classes: tuple[str, ...]  # group classes, in policy order
    families: tuple[str, ...]  # position families, in policy order
    matrix: Mapping[str, frozenset[str]]
    unlisted_position_classes: frozenset[str]
    roles: Roles
    conflicts: tuple[Conflict, ...]
    finance_unit_classes: frozenset[str]
    disallowed_email_domains: tuple[str, ...]
    office_email_words: frozenset[str]  # email.office_words, folded
    labels_th: Mapping[str, str]  # class/family name -> Thai words
    sources: tuple[str, ...]  # the files merged, default first
    data: Mapping[str, Any]  # the merged YAML, for docs
    text: TextRules
    _group_table: KeywordTable = field(repr=False)
    _family_table: KeywordTable = field(repr=False)
    _movement: KeywordTable = field(repr=False)  # "leaver" / "arrival" (and negated) statuses
    _non_staff: KeywordTable = field(repr=False)  # "non_staff" / "staff" (exceptions)
    _account_status: KeywordTable = field(repr=False)  # "inactive" / "active" (negated) words
    _inactive_values: frozenset[str] = field(repr=False)  # whole values: "0", "N" ...
    _acting: tuple[str, ...] = field(repr=False)  # acting.keywords, longest first
    _acting_links: tuple[str, ...] = field(repr=False)  # acting.linking_words, longest first
    _acting_order_words: tuple[str, ...] = field(repr=False)  # acting.order_words
    _deputy_words: tuple[str, ...] = field(repr=False)  # deputies.words
    _section_heads: tuple[str, ...] = field(repr=False)  # section_heads.words
    _position_types: tuple[str, ...] = field(repr=False)  # section_heads.position_types
    _ended_words: tuple[str, ...] = field(repr=False)  # normalised and folded
    _note_history: tuple[str, ...] = field(repr=False)  # note_history_words, as keys
    _negation: Negation = field(repr=False)  # status_negations and their fillers
    # acting.finance_head_words and the finance-head families' keywords, longest first
    _finance_head_words: tuple[str, ...] = field(repr=False)
    _finance_units: KeywordTable = field(repr=False)
    _subunits: KeywordTable = field(repr=False)  # finance_units.subunits: schools, ศพด.
    # finance_units.divisions: a division's keywords and the only classes that belong there
    _unit_divisions: tuple[tuple[KeywordTable, frozenset[str]], ...] = field(repr=False)
    _generic_usernames: tuple[re.Pattern[str], ...] = field(repr=False)
    _generic_names: tuple[re.Pattern[str], ...] = field(repr=False)
    # kind -> text -> result. One dict per kind, so that a hit costs one lookup and no closure
    # (the checks ask about ~1,000 values per body).
    _cache: defaultdict[str, dict[str, Any]] = field(
        default_factory=lambda: defaultdict(dict), repr=False, compare=False
    )

    def _cached(self, kind: str, text: str, compute: Callable[[], Any]) -> Any:
        """Memoise per distinct text: group names and positions repeat across accounts."""
        memo = self._cache[kind]
        hit = memo.get(text, _MISS)
        if hit is _MISS:
            hit = remember(memo, text, compute(), _CACHE_LIMIT)
        return hit

    def label_th(self, name: str) -> str:
        """Thai words for a class or family name (the name itself when none is given)."""
        return self.labels_th.get(name, name)

    def group_classes(self, group: str) -> frozenset[str]:
        """Return the classes a group name belongs to (empty: unclassified)."""
        hit = self._cache["group"].get(group)
        if hit is not None:
            return hit
        result: frozenset[str] = self._cached(
            "group", group, lambda: frozenset(self._group_table.labels(self.text.key(group)))
        )
        return result

    def classes_of(self, groups: Iterable[str]) -> dict[str, list[str]]:
        """Class -> the groups (in order) that carry it, for a list of groups."""
        out: dict[str, list[str]] = {}
        for group in groups:
            for cls in self.group_classes(group):
                out.setdefault(cls, []).append(group)
        return out

    def _own_position(self, position: str) -> str:
        """Return the position's key without any acting clause ("… รักษาราชการแทน ผอ.กองคลัง").

        A section head's position type is hidden too (`_title_over_type`).
        """
        key = self.text.position_key(position)
        cut = min((i for i in (key.find(a) for a in self._acting) if i > 0), default=-1)
        return self._title_over_type(key[:cut] if cut > 0 else key)

    def _title_over_type(self, key: str) -> str:
        """Hide the position types in a section head's position (`section_heads` in the policy).

        "หัวหน้าฝ่ายการเงินและบัญชี (นักบริหารงานการคลัง ระดับต้น)" is a section head, whose type
        is also the type of a small body's finance head: the title decides, as it would alone.
        """
        if not any(w in key for w in self._section_heads):
            return key
        for kind in self._position_types:
            if kind in key:
                key = key.replace(kind, "|")  # a mark no keyword holds: nothing joins across it
        return key

    def position_family(self, position: str | None) -> str | None:
        """Return the family of a position (its longest keyword), or None if nothing matches."""
        if not position:
            return None
        hit = self._cache["family"].get(position, _MISS)
        if hit is not _MISS:
            return hit

        def compute() -> str | None:
            labels = self._family_table.labels(self._own_position(position))
            families = [label for label in labels if label]  # "" marks position noise
            return families[0] if families else None

        result: str | None = self._cached("family", position, compute)
        return result

    def allowed_classes(self, family: str | None) -> frozenset[str]:
        """Return the classes a family may hold (a position with no family: the unlisted set)."""
        if family is None:
            return self.unlisted_position_classes
        return self.matrix.get(family, self.unlisted_position_classes)

    def is_leaver_status(self, status: str | None) -> bool:
        """Whether a roster status means the person left.

        An arrival ("ย้ายมา") wins over "ย้าย", and so does a negation ("ไม่ได้ลาออก",
        "ยกเลิกคำสั่งย้าย"): see `status_negations` in the policy.
        """
        if not status:
            return False
        hit = self._cache["leaver"].get(status)
        if hit is not None:
            return hit
        result: bool = self._cached(
            "leaver", status, lambda: "leaver" in self._movement.labels(self.text.key(status))
        )
        return result

    def note_tells_leaving(self, note: str | None) -> bool:
        """Whether a roster note tells the person's leaving, read after its history.

        A note is a record, oldest first: what follows its last `note_history_words` word
        ("บรรจุ 1 ต.ค. 2562 / ลาออก 1 ส.ค. 2569") decides, so "โอนย้ายมาจาก…" and "ลาออกจาก
        พนักงานจ้าง และบรรจุเป็น…" are no leaving. One after "ไป" is where the person went
        ("ลาออก… เพื่อไปบรรจุเป็นข้าราชการครู"), not their history here.
        """
        key = self.text.key(note)
        cut = 0
        for word in self._note_history:
            at = key.rfind(word)
            while at >= 2 and key[at - 2 : at] == "ไป":
                at = key.rfind(word, 0, at)
            if at >= 0:
                cut = max(cut, at + len(word))
        return self.is_leaver_status(key[cut:])

    def is_retirement(self, text: str | None) -> bool:
        """Whether a status or note names retirement (`retirement.words`)."""
        key = self.text.key(text)
        return bool(key) and any(self.text.key(w) in key for w in self.retirement.words)

    def is_non_staff(self, employment_type: str | None) -> bool:
        """Whether an employment type (or labour position) is outsourced or labour staff."""
        if not employment_type:
            return False
        hit = self._cache["non_staff"].get(employment_type)
        if hit is not None:
            return hit
        result: bool = self._cached(
            "non_staff",
            employment_type,
            lambda: "non_staff" in self._non_staff.labels(self.text.key(employment_type)),
        )
        return result

    def is_inactive_account_status(self, status: str | None) -> bool:
        """Whether the export's account status means it cannot log in (ระงับ, disabled ...).

        A negated word counts the other way: "ไม่ระงับ", "ไม่มีการระงับ", "ยกเลิกการระงับ" are
        active, and "ยังไม่เปิดใช้งาน", "ไม่ให้ใช้งาน" are inactive (`status_negations` and
        `status_negation_fillers` in the policy). A yes/no answer after a colon answers the word
        before it ("ระงับ: ไม่" is active). A status that starts active and qualifies it in
        brackets ("ใช้งาน (รหัสผ่านหมดอายุ)") is active.
        """
        if not status:
            return False
        hit = self._cache["inactive"].get(status)
        if hit is not None:
            return hit
        result: bool = self._cached("inactive", status, lambda: self._inactive(status))
        return result

    def _inactive(self, status: str) -> bool:
        key = self.text.key(status)
        if key in self._inactive_values:
            return True
        table = self._account_status
        asked, colon, answer = key.rpartition(":")
        if colon and answer in self._inactive_values:
            said = table.labels(asked)
            if said:  # "ระงับ: ไม่" (suspended: no) is active, "ใช้งาน: ไม่" inactive
                return "active" in said and "inactive" not in said
        labels = table.labels(key)
        if "inactive" not in labels:
            return False
        head = key.partition("(")[0]
        if head != key:  # the status first, a qualifier in brackets after it
            first = table.labels(head)
            if "active" in first and "inactive" not in first:
                return False
        return True

    def acting_words(self, text: str | None) -> bool:
        """Whether a position names an acting order as finance head ("… รก.ผอ.กองคลัง")."""
        if not text:
            return False
        hit = self._cache["acting"].get(text)
        if hit is not None:
            return hit
        result: bool = self._cached(
            "acting", text, lambda: self._acts_as_head(self.text.key(text), title_before=False)
        )
        return result

    def is_acting_finance_head(
        self, note: str | None, position: str | None = None, as_of: date | None = None
    ) -> bool:
        """Whether the roster note or position records an acting order as finance head.

        The finance head's office must be what the acting phrase is about (`_acts_as_head`). In
        the note it may also come just before an acting phrase naming no other office
        ("ผอ.กองคลัง (รักษาราชการแทน)"); in the position it must follow the acting phrase,
        because what comes before it is the person's own position. A note whose order has
        ended (see `acting_in_force`) does not count.
        """
        in_note = bool(note) and self._acts_as_head(self.text.key(note), title_before=True)
        if in_note and self.acting_in_force(note, as_of):
            return True
        return self.acting_words(position)

    def _acts_as_head(self, key: str, *, title_before: bool) -> bool:
        """Whether an acting phrase in `key` makes the person act AS the finance head.

        The office follows the acting words, past linking words ("รักษาราชการแทนในตำแหน่ง
        ผอ.กองคลัง", "ได้รับมอบหมายให้เป็นหัวหน้าหน่วยงานคลัง", "มอบหมายให้ปฏิบัติหน้าที่แทน
        ผอ.กองคลัง"); with `title_before`, it may stand right before acting words that name
        nothing after them ("ผอ.กองคลัง (รักษาราชการแทน) คำสั่งที่ …"). Not an office named
        elsewhere ("ผอ.กองคลัง มอบหมายให้ปฏิบัติหน้าที่เจ้าหน้าที่การเงิน"), nor a deputy's or an
        assistant's ("ปฏิบัติหน้าที่ผู้ช่วยหัวหน้าหน่วยงานคลัง").
        """
        for at, word in self._acting_at(key):
            end = self._past_links(key, at + len(word))
            if any(key.startswith(w, end) for w in self._finance_head_words):
                return True
            if title_before and self._names_nothing(key, end) and self._head_before(key, at):
                return True
        return False

    def _acting_at(self, key: str) -> list[tuple[int, str]]:
        """Acting words in `key` (the longest where they overlap), in order of position."""
        hits: list[tuple[int, str]] = []
        for word in self._acting:
            at = key.find(word)
            while at != -1:
                if not any(a < at + len(word) and at < a + len(w) for a, w in hits):
                    hits.append((at, word))
                at = key.find(word, at + 1)
        return sorted(hits)

    def _past_links(self, key: str, at: int) -> int:
        """Skip what may stand between acting words and the office they name.

        More acting words ("มอบหมายให้ปฏิบัติหน้าที่แทน"), linking words ("ให้เป็น", "ในตำแหน่ง"),
        an opening bracket, a colon or a dash.
        """
        while at < len(key):
            if key[at] in "(:-–":
                at += 1
                continue
            word = next((w for w in self._acting if key.startswith(w, at)), "") or next(
                (w for w in self._acting_links if key.startswith(w, at)), ""
            )
            if not word:
                break
            at += len(word)
        return at

    def _names_nothing(self, key: str, at: int) -> bool:
        """Whether no office follows at `at`: the end, a bracket or digit, or an order's words."""
        return (
            at >= len(key)
            or not key[at].isalpha()
            or any(key.startswith(w, at) for w in self._acting_order_words)
        )

    def _head_before(self, key: str, at: int) -> bool:
        """Whether the finance head's office (not a deputy's) ends just before `at`.

        Not a position type after a section head's title: "หัวหน้าฝ่ายการเงินและบัญชี
        นักบริหารงานการคลัง (รักษาราชการแทน)" names the person's own post, not the office.
        """
        before = key[:at].rstrip("(:-–,")
        word = next((w for w in self._finance_head_words if before.endswith(w)), None)
        if word is None:
            return False
        rest = before[: -len(word)]
        if any(rest.endswith(d) for d in self._deputy_words):
            return False
        return not (word in self._position_types and any(w in rest for w in self._section_heads))

    def acting_in_force(self, note: str | None, as_of: date | None = None) -> bool:
        """Whether an acting order written in a note still holds on `as_of`.

        Ended: an `acting.ended_words` word ("สิ้นสุด", "พ้นจาก" ...) with no date after it later
        than `as_of`; a period end ("ถึง 31 มี.ค. 2569") before `as_of`; a start ("ตั้งแต่ …")
        after it. Without `as_of` only the ended words count.
        """
        return self._acting_state(note, as_of)[0] == "in_force"

    def acting_head_lapsed(
        self, note: str | None, as_of: date
    ) -> tuple[Literal["ended", "not_begun"], date | None] | None:
        """How a note's acting order as finance head fails to hold on `as_of`, and the date.

        ("ended", its end when written), or ("not_begun", its start); None when the note records
        no such order, or it holds. For LA301's words: an order that ended is not "no order".
        """
        if not note or not self._acts_as_head(self.text.key(note), title_before=True):
            return None
        state, when = self._acting_state(note, as_of)
        return None if state == "in_force" else (state, when)

    def _acting_state(
        self, note: str | None, as_of: date | None
    ) -> tuple[Literal["in_force", "ended", "not_begun"], date | None]:
        """Whether an acting order in a note holds on `as_of`, else how not and since when."""
        flat = normalise_text(note or "").casefold()
        dates = dates_in_text(note) if as_of is not None else []
        ended_at = self._ended_at(flat)
        if ended_at != -1:
            after = [d for at, _, d in dates if at > ended_at]
            if as_of is not None and any(d > as_of for d in after):
                return "in_force", None
            return "ended", after[0] if after else None
        if as_of is None:
            return "in_force", None
        for _, word, d in dates:
            if word in _UNTIL and d < as_of:
                return "ended", d
            if word in _FROM and d > as_of:
                return "not_begun", d
        return "in_force", None

    def _ended_at(self, flat: str) -> int:
        """Where the first ended word stands that no negation reverses ("ยังไม่สิ้นสุด"), or -1."""
        first = -1
        for word in self._ended_words:
            at = flat.find(word)
            while at != -1 and self._negated(flat, at):
                at = flat.find(word, at + 1)
            if at != -1 and (first == -1 or at < first):
                first = at
        return first

    def _negated(self, flat: str, at: int) -> bool:
        """Whether a negation ("ไม่", "ยังไม่มีการ" ...) comes just before position `at` of `flat`."""
        before = _WS.sub("", flat[max(0, at - 30) : at])
        return self._negation.start_before(before, len(before)) != -1

    def effective_date(self, status: str | None, note: str | None = None) -> date | None:
        """Find a leaving date written in the status, for rosters without a date column.

        The status first ("ลาออก (1 ต.ค. 2568)"), else a date the note marks as effective
        ("มีผลตั้งแต่ 1 ส.ค. 2569"); other dates in a note (an order's date) are not used.
        """
        in_status = dates_in_text(status)
        if in_status:
            return in_status[0][2]
        return next((d for _, word, d in dates_in_text(note) if word in _FROM), None)

    def is_finance_unit(self, unit: str | None) -> bool:
        """Whether a roster unit is the finance division (กองคลัง, ส่วนการคลัง ...)."""
        return self._unit_in("unit", self._finance_units, unit)

    def is_subunit(self, unit: str | None) -> bool:
        """Whether a roster unit is a sub-unit with its own finance (โรงเรียน, ศูนย์พัฒนาเด็กเล็ก ...)."""
        return self._unit_in("subunit", self._subunits, unit)

    def division_classes(self, unit: str | None) -> frozenset[str] | None:
        """Return the classes a division for one part of the finance work holds, else None.

        `finance_units.divisions` (กองพัสดุ); the first listed division the unit names decides.
        """
        if not unit or not self._unit_divisions:
            return None
        found: frozenset[str] | None = self._cached(
            "division", unit, lambda: self._division_of(self.text.key(unit))
        )
        return found

    def _division_of(self, key: str) -> frozenset[str] | None:
        return next((cls for table, cls in self._unit_divisions if table.contains_any(key)), None)

    def _unit_in(self, kind: str, table: KeywordTable, unit: str | None) -> bool:
        if not unit:
            return False
        result: bool = self._cached(kind, unit, lambda: table.contains_any(self.text.key(unit)))
        return result

    def is_generic_account(
        self, username: str | None, full_name: str | None, *, person_matched: bool = False
    ) -> bool:
        """Whether the username or the name says no single person is behind the account.

        With `person_matched` (the account matched a roster person) only the name counts: an
        office username like "palad" or "klang" held in a real person's name is that person's.
        """
        result: bool = self._cached(
            "generic",
            f"{username}\x00{full_name}\x00{person_matched}",
            lambda: self._generic(None if person_matched else username, full_name),
        )
        return result

    def _generic(self, username: str | None, full_name: str | None) -> bool:
        user = normalise_text(username or "").casefold()
        if user and any(p.search(user) for p in self._generic_usernames):
            return True
        # A Thai username is a word, judged as a name is ("การเงิน", "กองคลัง"); the name
        # patterns' ASCII ones must not see romanised logins ("admin.wichai").
        if _THAI_LETTER.search(user) and any(p.search(user) for p in self._generic_names):
            return True
        name = normalise_text(full_name or "")
        if not name:
            return False
        bare = split_name(name)
        candidates = {name, f"{bare.first} {bare.last}".strip()}
        return any(p.search(c) for c in candidates if c for p in self._generic_names)

    def email_office_word(self, email: str) -> str | None:
        """Return the office word making an address an office mailbox ("saraban.x@…"), else None.

        Only the first word of the part before "@" (split at punctuation and digits): an
        office mailbox starts with the office ("kongklang.bankhok", "finance@"), a person's
        address with a name, so a nickname or surname after it ("noi.klang") is not taken
        for one, nor a name holding one ("infon").
        """
        if not self.office_email_words:
            return None
        local = normalise_text(email).casefold().rpartition("@")[0]
        first = next((w for w in _MAIL_WORDS.split(local) if w), None)
        return first if first in self.office_email_words else None

    def email_domain_disallowed(self, email: str) -> str | None:
        """Return the disallowed domain an e-mail address uses (e.g. "hotmail.com"), else None."""
        domain = email.strip().casefold().rpartition("@")[2]
        for bad in self.disallowed_email_domains:
            if domain == bad or domain.endswith("." + bad):
                return bad
        return None


# --------------------------------------------------------------------------- loading


class _Problem(Exception):
    """A validation failure at a key path; turned into an InputError naming the file."""

    def __init__(self, path: str, th: str, en: str) -> None:
        super().__init__(en)
        self.path = path
        self.th = th
        self.en = en


def _fail(path: str, th: str, en: str) -> _Problem:
    return _Problem(path, th, en)


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _need_map(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, "ต้องเป็นชุดคีย์: ค่า", "expected a mapping of key: value")
    for k in value:
        if not isinstance(k, str):
            raise _fail(_join(path, k), "ชื่อคีย์ต้องเป็นข้อความ", "keys must be text")
    return value


def _need_str(value: object, path: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _fail(path, "ต้องเป็นข้อความ", "expected text")
    text = str(value).strip()
    if not text:
        raise _fail(path, "ต้องไม่ว่าง", "must not be empty")
    return text


def _need_str_list(value: object, path: str) -> list[str]:
    if not isinstance(value, list):
        raise _fail(path, "ต้องเป็นรายการ (list)", "expected a list")
    return [_need_str(v, f"{path}[{i}]") for i, v in enumerate(value)]


def _need_number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, f"ต้องเป็นตัวเลข แต่พบ {value!r}", f"expected a number, got {value!r}")
    if value < 0:
        raise _fail(path, "ต้องไม่ติดลบ", "must not be negative")
    return float(value)


def _thresholds(raw: Mapping[str, Any]) -> Thresholds:
    """Read `thresholds`: numbers, except LA401's limit, given in months or (overriding) days."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        path = f"thresholds.{key}"
        if key == "password_max_age_months":
            values[key] = None if value is None else _need_months(value, path)
        elif key == "password_max_age_days" and value is None:
            values[key] = None
        else:
            values[key] = _need_number(value, path)
    found = Thresholds(**values)
    if found.password_max_age_days is None and found.password_max_age_months is None:
        raise _fail(
            "thresholds.password_max_age_months",
            "ต้องกำหนดอายุรหัสผ่านเป็นเดือน (หรือเป็นวันที่ password_max_age_days)",
            "give the password age limit in months (or in days at password_max_age_days)",
        )
    return found


def _need_months(value: object, path: str) -> int:
    number = _need_number(value, path)
    if number < 1 or not number.is_integer():
        raise _fail(
            path,
            f"ต้องเป็นจำนวนเดือนเต็มตั้งแต่ 1 ขึ้นไป แต่พบ {value!r}",
            f"expected a whole number of months, 1 or more, got {value!r}",
        )
    return int(number)


def _retirement(raw: Mapping[str, Any]) -> Retirement:
    """Read `retirement`: a whole age in years and the fiscal-year end as "MM-DD"."""
    found = Retirement()
    if "age" in raw:
        age = _need_number(raw["age"], "retirement.age")
        low, high = _RETIREMENT_AGES
        if not age.is_integer() or not low <= age <= high:
            raise _fail(
                "retirement.age",
                f"ต้องเป็นจำนวนปีเต็มระหว่าง {low} ถึง {high} แต่พบ {raw['age']!r}",
                f"expected a whole number of years from {low} to {high}, got {raw['age']!r}",
            )
        found = replace(found, age=int(age))
    if "fiscal_year_end" in raw:
        found = replace(found, fiscal_year_end=_month_day(raw["fiscal_year_end"]))
    if "words" in raw:
        words = _need_str_list(raw["words"], "retirement.words")
        found = replace(found, words=tuple(w for w in words if w.strip()))
    return found


def _month_day(value: object) -> tuple[int, int]:
    """Read "MM-DD" (a day every year has: not 29 Feb) as (month, day)."""
    path = "retirement.fiscal_year_end"
    text = _need_str(value, path)
    m = re.fullmatch(r"(\d{2})-(\d{2})", text.strip())
    try:
        if m is None or (m.group(1), m.group(2)) == ("02", "29"):
            raise ValueError
        date(2001, int(m.group(1)), int(m.group(2)))  # a year without 29 Feb
    except ValueError:
        raise _fail(
            path,
            f"ต้องเป็นเดือน-วัน รูปแบบ MM-DD ที่มีทุกปี เช่น \"09-30\" แต่พบ {text!r}",
            f"expected a month-day as MM-DD that every year has, e.g. \"09-30\", got {text!r}",
        ) from None
    return int(m.group(1)), int(m.group(2))


def _need_regex(value: object, path: str) -> re.Pattern[str]:
    text = _need_str(value, path)
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise _fail(
            path, f"regular expression ไม่ถูกต้อง: {exc}", f"invalid regular expression: {exc}"
        ) from None


def _known(names: Iterable[str], known: Iterable[str], path: str, what: str) -> frozenset[str]:
    known_set = set(known)
    out = []
    for i, name in enumerate(names):
        if name not in known_set:
            choices = ", ".join(sorted(known_set))
            raise _fail(
                f"{path}[{i}]",
                f"ไม่รู้จัก{_what_th(what)} '{name}' (ที่มี: {choices})",
                f"unknown {what} '{name}' (known: {choices})",
            )
        out.append(name)
    return frozenset(out)


def _known_name(name: str, known: Iterable[str], path: str, what: str) -> None:
    """Fail at `path` (the key itself) when a map key names an unknown class or family."""
    if name not in set(known):
        choices = ", ".join(sorted(known))
        raise _fail(
            path,
            f"ไม่รู้จัก{_what_th(what)} '{name}' (ที่มี: {choices})",
            f"unknown {what} '{name}' (known: {choices})",
        )


def _what_th(what: str) -> str:
    """Thai for the kinds of names the policy refers to."""
    return {
        "group class": "ประเภทกลุ่มผู้ใช้งาน",
        "position family": "กลุ่มตำแหน่ง",
        "class or family": "ประเภทกลุ่มผู้ใช้งานหรือกลุ่มตำแหน่ง",
        "head family": "กลุ่มตำแหน่งหัวหน้าใน deputies.heads",
    }.get(what, what)


_TOP_KEYS = {
    "version",
    "citation",
    "text",
    "group_classes",
    "position_families",
    "matrix",
    "unlisted_position_classes",
    "roles",
    "finance_units",
    "conflicts",
    "non_staff",
    "non_staff_exceptions",
    "leaver_statuses",
    "arrival_statuses",
    "note_history_words",
    "status_negations",
    "leaver_not_yet",
    "status_negation_fillers",
    "acting",
    "deputies",
    "section_heads",
    "inactive_account_statuses",
    "active_account_statuses",
    "inactive_account_values",
    "thresholds",
    "retirement",
    "generic_accounts",
    "email",
    "labels_th",
}
_SUB_KEYS = {
    "text": {"abbreviations", "levels", "drop_chars", "position_noise"},
    "roles": set(Roles.__dataclass_fields__),
    "finance_units": {"keywords", "classes", "subunits", "divisions"},
    "acting": {"keywords", "linking_words", "order_words", "finance_head_words", "ended_words"},
    "deputies": {"words", "heads", "families"},
    "section_heads": {"words", "position_types"},
    "thresholds": set(THRESHOLD_KEYS),
    "retirement": set(RETIREMENT_KEYS),
    "generic_accounts": {"usernames", "names"},
    "email": {"disallowed_domains", "office_words"},
}


def _check_keys(data: Mapping[str, Any], path: str = "") -> None:
    """Reject unknown keys anywhere the policy has a fixed shape (typos fail loudly)."""
    allowed = _TOP_KEYS if not path else _SUB_KEYS.get(path)
    if allowed is None:
        return
    for key, value in data.items():
        sub = _join(path, key)
        if key not in allowed:
            raise _fail(
                sub,
                f"ไม่รู้จักคีย์ '{key}' (ที่ใช้ได้: {', '.join(sorted(allowed))})",
                f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})",
            )
        if sub in _SUB_KEYS and isinstance(value, dict) and not _is_list_edit(value):
            _check_keys(value, sub)


def _is_list_edit(value: object) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= {"extend", "remove"}


def merge(base: Any, over: Any, path: str = "") -> Any:
    """Deep-merge `over` into `base`: maps merge, lists replace, `{extend, remove}` edit lists."""
    if _is_list_edit(over):
        if not isinstance(base, list):
            raise _fail(path, "extend/remove ใช้ได้กับรายการเท่านั้น", "extend/remove needs a list")
        result = list(base)
        remove = over.get("remove", [])
        extend = over.get("extend", [])
        if not isinstance(remove, list) or not isinstance(extend, list):
            raise _fail(path, "extend/remove ต้องเป็นรายการ", "extend/remove must be lists")
        result = [item for item in result if item not in remove]
        result.extend(item for item in extend if item not in result)
        return result
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = merge(base[key], value, _join(path, key)) if key in base else value
        return out
    return copy.deepcopy(over)


def _has_path(data: Mapping[str, Any], path: str) -> bool:
    """Whether a key path like `conflicts[0].classes[1]` exists in a policy mapping."""
    node: Any = data
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if index:
            if not isinstance(node, list) or int(index) >= len(node):
                return False
            node = node[int(index)]
        else:
            if not isinstance(node, dict) or name not in node:
                return False
            node = node[name]
    return True


class _StrictLoader(SafeLoader):
    """SafeLoader that rejects a key given twice in one mapping (PyYAML keeps the last)."""


def _no_duplicates(loader: Any, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def strict_yaml_load(text: str) -> Any:
    """Parse YAML safely, rejecting duplicate keys (used for policy and catalogue files)."""
    return yaml.load(text, Loader=_StrictLoader)  # a safe loader subclass: no arbitrary objects


def _read_yaml(path: Path) -> dict[str, Any]:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            Location(file=name),
            th="ไม่พบไฟล์นโยบาย",
            en="policy file not found",
            hint_th="ตรวจสอบชื่อและที่อยู่ไฟล์ที่ให้กับ --policy",
            hint_en="check the path given to --policy",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            Location(file=name),
            th=f"อ่านไฟล์นโยบายไม่ได้ ({exc.__class__.__name__})",
            en=f"cannot read the policy file ({exc})",
            hint_th="บันทึกไฟล์เป็นข้อความ UTF-8",
            hint_en="save the file as UTF-8 text",
        ) from None
    try:
        data = strict_yaml_load(text)
    except yaml.YAMLError as exc:
        where_th, where_en = describe_error(exc)
        raise InputError(
            Location(file=name),
            th=f"ไฟล์นโยบายไม่ใช่ YAML ที่ถูกต้อง{where_th}",
            en=f"the policy file is not valid YAML{where_en}",
            hint_th="ตรวจสอบการเยื้องบรรทัดและเครื่องหมาย : ในบรรทัดที่ระบุ",
            hint_en="check indentation and colons on that line",
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            Location(file=name),
            th="ไฟล์นโยบายต้องเป็นชุดคีย์: ค่า (mapping) ที่ระดับบนสุด",
            en="the policy file must be a mapping (key: value) at the top level",
            hint_th="ดูตัวอย่างใน rules/policy.yaml",
            hint_en="see rules/policy.yaml for the shape",
        )
    return data


@functools.lru_cache(maxsize=4)
def _default_data(path: Path) -> dict[str, Any]:
    return _read_yaml(path)


def _policy_error(problem: _Problem, file: str) -> InputError:
    return InputError(
        Location(file=file),
        th=f"นโยบายไม่ถูกต้องที่คีย์ {problem.path}: {problem.th}",
        en=f"invalid policy at key {problem.path}: {problem.en}",
        hint_th="แก้ไขค่าที่คีย์นี้ตามรูปแบบใน rules/policy.yaml แล้วลองใหม่",
        hint_en="fix the value at this key following rules/policy.yaml, then run again",
    )


def load_policy(extra: Path | None = None, default: Path | None = None) -> Policy:
    """Load the default policy (or `default`), deep-merged with `extra` (`--policy FILE`).

    Raises `InputError` naming the file, the key path (e.g. `thresholds.dormant_days`) and the
    reason for bad YAML, an unknown key, a non-number threshold, an unknown class or family.
    """
    default_path = default or rules_dir() / POLICY_FILE
    base = copy.deepcopy(_default_data(default_path))
    try:
        _check_keys(base)
    except _Problem as problem:
        raise _policy_error(problem, default_path.name) from None
    merged = base
    over: dict[str, Any] = {}
    sources = [str(default_path)]
    if extra is not None:
        over = _read_yaml(extra)
        sources.append(str(extra))
        try:
            _check_keys(over)
            merged = merge(base, over)
        except _Problem as problem:
            raise _policy_error(problem, extra.name) from None
    try:
        return _build(merged, tuple(sources))
    except _Problem as problem:
        blame = extra.name if extra is not None and _has_path(over, problem.path) else None
        raise _policy_error(problem, blame or default_path.name) from None


def _keywords(text: TextRules, mapping: Mapping[str, Any], path: str) -> list[tuple[str, str]]:
    pairs = []
    for label, words in mapping.items():
        for word in _need_str_list(words, _join(path, label)):
            pairs.append((text.key(word), label))
    return pairs


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """Distinct non-empty words, longest first (stable for equal lengths)."""
    return tuple(sorted(dict.fromkeys(w for w in words if w), key=len, reverse=True))


def _word_table(text: TextRules, value: object, path: str) -> KeywordTable:
    return KeywordTable((text.key(w), w) for w in _need_str_list(value, path))


def _entries(
    value: object, path: str, allowed: tuple[str, ...]
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Give each map of a list policy key with its path ("conflicts[2]"), refusing other keys."""
    if not isinstance(value, list):
        raise _fail(path, "ต้องเป็นรายการ (list)", "expected a list")
    names = ", ".join(allowed)
    for i, item in enumerate(value):
        where = f"{path}[{i}]"
        entry = _need_map(item, where)
        for key in entry:
            if key not in allowed:
                raise _fail(
                    f"{where}.{key}",
                    f"ไม่รู้จักคีย์ '{key}' (ที่ใช้ได้: {names})",
                    f"unknown key '{key}' (allowed: {names})",
                )
        yield where, entry


def _with_not_yet(text: TextRules, data: Mapping[str, Any], negation: Negation) -> Negation:
    """`status_negations` and, for roster statuses only, `leaver_not_yet` ("จะเกษียณ")."""
    extra = [text.key(w) for w in _need_str_list(data.get("leaver_not_yet", []), "leaver_not_yet")]
    return Negation(_longest_first([*negation.words, *extra]), negation.fillers)


def _unit_divisions(
    text: TextRules, value: object, classes: Iterable[str]
) -> tuple[tuple[KeywordTable, frozenset[str]], ...]:
    """`finance_units.divisions`: each division's keyword table and the classes it holds."""
    out = []
    for path, entry in _entries(value, "finance_units.divisions", ("keywords", "classes")):
        table = _word_table(text, entry.get("keywords"), f"{path}.keywords")
        held = _need_str_list(entry.get("classes"), f"{path}.classes")
        out.append((table, _known(held, classes, f"{path}.classes", "group class")))
    return tuple(out)


def _labelled(
    text: TextRules,
    data: Mapping[str, Any],
    lists: Mapping[str, str],
    negated: Mapping[str, str] | None = None,
    negation: Negation | None = None,
) -> KeywordTable:
    """One table over several keyword lists, each labelled, so the longer keyword wins.

    With `negated` (label -> the label it turns into) and a `negation`, a keyword right after a
    negation counts the other way ("ไม่" + "ระงับ" -> active; see `KeywordTable`). A keyword
    that itself starts with a negation ("ไม่ต่อสัญญา") also matches with fillers after it
    ("ไม่ได้ต่อสัญญา"), keeping its own label.
    """
    pairs = [
        (text.key(word), label)
        for key, label in lists.items()
        for word in _need_str_list(data.get(key, []), key)
    ]
    if negation is not None:
        pairs += [(v, label) for key, label in pairs for v in negation.variants(key)]
    return KeywordTable(pairs, negated, negation)


def _deputy_pairs(
    text: TextRules,
    data: Mapping[str, Any],
    families_map: Mapping[str, Any],
    families: tuple[str, ...],
) -> list[tuple[str, str]]:
    """Family keywords for the deputies and assistants of heads ("รอง" + "ผู้อำนวยการกองคลัง").

    Longer than the head's keyword, so they win over it; their label is the family `deputies.
    families` gives, or "" (no family).
    """
    raw = _need_map(data.get("deputies", {}), "deputies")
    words = [text.key(w) for w in _need_str_list(raw.get("words", []), "deputies.words")]
    heads = _need_str_list(raw.get("heads", []), "deputies.heads")
    _known(heads, families, "deputies.heads", "position family")
    given = _need_map(raw.get("families", {}), "deputies.families")
    for head, family in given.items():
        _known_name(head, heads, f"deputies.families.{head}", "head family")
        _known_name(
            _need_str(family, f"deputies.families.{head}"),
            families,
            f"deputies.families.{head}",
            "position family",
        )
    return [
        (word + text.position_key(keyword), str(given.get(head, "")))
        for head in heads
        for keyword in _need_str_list(families_map[head], f"position_families.{head}")
        for word in words
    ]


def _section_head_words(
    text: TextRules, data: Mapping[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`section_heads`: the words naming a ฝ่าย/งาน head, and the position types they hide."""
    raw = _need_map(data.get("section_heads", {}), "section_heads")
    words = _longest_first(
        text.key(w) for w in _need_str_list(raw.get("words", []), "section_heads.words")
    )
    types = _longest_first(
        text.position_key(w)
        for w in _need_str_list(raw.get("position_types", []), "section_heads.position_types")
    )
    return words, types


def _acting_heads(
    text: TextRules, acting: Mapping[str, Any], families_map: Mapping[str, Any], roles: Roles
) -> tuple[str, ...]:
    """List the offices an acting order may name, longest first.

    `acting.finance_head_words` and the keywords of every `roles.finance_head_families` family:
    acting for a sub-unit's head, its own finance head (letter ๑.๒.๑: "รักษาราชการแทน
    ผู้อำนวยการสถานศึกษา"), counts as the family itself does.
    """
    words = _need_str_list(acting.get("finance_head_words", []), "acting.finance_head_words")
    for family in sorted(roles.finance_head_families):
        words = [*words, *_need_str_list(families_map[family], f"position_families.{family}")]
    return _longest_first(text.key(w) for w in words)


def _text_rules(data: Mapping[str, Any]) -> TextRules:
    raw = _need_map(data.get("text", {}), "text")
    abbreviations = _need_map(raw.get("abbreviations", {}), "text.abbreviations")
    pairs = []
    for short, long in abbreviations.items():
        key = _WS.sub("", normalise_text(short).casefold())
        pairs.append(
            (
                key,
                _WS.sub(
                    "", normalise_text(_need_str(long, f"text.abbreviations.{short}")).casefold()
                ),
            )
        )
    pairs.sort(key=lambda p: -len(p[0]))
    drop = tuple(_need_str_list(raw.get("drop_chars", []), "text.drop_chars"))
    interim = TextRules(tuple(pairs), drop, (), ())
    levels = sorted(
        (interim.key(w) for w in _need_str_list(raw.get("levels", []), "text.levels")),
        key=lambda w: -len(w),
    )
    noise = tuple(
        interim.key(w) for w in _need_str_list(raw.get("position_noise", []), "text.position_noise")
    )
    return TextRules(tuple(pairs), drop, tuple(levels), noise)


def _build(data: Mapping[str, Any], sources: tuple[str, ...]) -> Policy:
    """Validate the merged policy and precompute its tables."""
    text = _text_rules(data)
    classes_map = _need_map(data.get("group_classes"), "group_classes")
    families_map = _need_map(data.get("position_families"), "position_families")
    named = [("group_classes", k) for k in classes_map]
    named += [("position_families", k) for k in families_map]
    for section, label in named:
        if not _NAME.match(label):
            raise _fail(
                f"{section}.{label}",
                "ชื่อกลุ่มต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข หรือ _",
                "names must be lower-case ASCII letters, digits or _",
            )
    classes = tuple(classes_map)
    families = tuple(families_map)
    group_table = KeywordTable(_keywords(text, classes_map, "group_classes"))
    family_pairs = [
        (text.position_key(k), label)
        for k, label in (
            (w, fam)
            for fam, words in families_map.items()
            for w in _need_str_list(words, f"position_families.{fam}")
        )
    ]
    family_pairs += _deputy_pairs(text, data, families_map, families)
    family_pairs += [(n, "") for n in text.position_noise]  # "" = a unit name, no family

    matrix: dict[str, frozenset[str]] = {}
    for fam, allowed in _need_map(data.get("matrix", {}), "matrix").items():
        _known_name(fam, families, f"matrix.{fam}", "position family")
        names = _need_str_list(allowed, f"matrix.{fam}")
        if ALL_CLASSES in names:
            matrix[fam] = frozenset(classes)
        else:
            matrix[fam] = _known(names, classes, f"matrix.{fam}", "group class")
    unlisted = _known(
        _need_str_list(data.get("unlisted_position_classes", []), "unlisted_position_classes"),
        classes,
        "unlisted_position_classes",
        "group class",
    )

    roles_raw = _need_map(data.get("roles"), "roles")
    role_sets: dict[str, frozenset[str]] = {}
    for name in Roles.__dataclass_fields__:
        path = f"roles.{name}"
        if name not in roles_raw:
            raise _fail(path, "ขาดคีย์นี้", "this key is missing")
        kind, known = (
            ("group class", classes) if name.endswith("_classes") else ("position family", families)
        )
        role_sets[name] = _known(_need_str_list(roles_raw[name], path), known, path, kind)
    roles = Roles(**role_sets)

    units = _need_map(data.get("finance_units", {}), "finance_units")
    finance_units = _word_table(text, units.get("keywords", []), "finance_units.keywords")
    subunits = _word_table(text, units.get("subunits", []), "finance_units.subunits")
    unit_classes = _known(
        _need_str_list(units.get("classes", []), "finance_units.classes"),
        classes,
        "finance_units.classes",
        "group class",
    )
    divisions = _unit_divisions(text, units.get("divisions", []), classes)

    conflicts: list[Conflict] = []
    for path, entry in _entries(data.get("conflicts", []), "conflicts", ("classes", "severity")):
        pair = _need_str_list(entry.get("classes"), f"{path}.classes")
        if len(pair) != 2 or pair[0] == pair[1]:
            raise _fail(
                f"{path}.classes", "ต้องระบุสองกลุ่มประเภทที่ต่างกัน", "must name two different classes"
            )
        _known(pair, classes, f"{path}.classes", "group class")
        severity = _need_str(entry.get("severity"), f"{path}.severity")
        if severity not in SEVERITIES:
            raise _fail(
                f"{path}.severity",
                f"ระดับต้องเป็น {', '.join(SEVERITIES)}",
                f"severity must be one of {', '.join(SEVERITIES)}",
            )
        if any({c.first, c.second} == set(pair) for c in conflicts):
            raise _fail(
                f"{path}.classes",
                f"คู่ {pair[0]}, {pair[1]} ซ้ำกับคู่ก่อนหน้า (แก้ความรุนแรงที่คู่เดิมแทน)",
                f"the pair {pair[0]}, {pair[1]} is listed already (change that entry's severity)",
            )
        conflicts.append(Conflict(pair[0], pair[1], _SEVERITY[severity]))

    acting = _need_map(data.get("acting", {}), "acting")
    negation = Negation(
        _longest_first(
            text.key(w)
            for w in _need_str_list(data.get("status_negations", []), "status_negations")
        ),
        _longest_first(
            text.key(w)
            for w in _need_str_list(
                data.get("status_negation_fillers", []), "status_negation_fillers"
            )
        ),
    )
    acting_words = _longest_first(
        text.key(w) for w in _need_str_list(acting.get("keywords", []), "acting.keywords")
    )

    section_heads, position_types = _section_head_words(text, data)
    thresholds = _thresholds(_need_map(data.get("thresholds", {}), "thresholds"))
    retirement = _retirement(_need_map(data.get("retirement", {}), "retirement"))

    generic = _need_map(data.get("generic_accounts", {}), "generic_accounts")
    usernames = tuple(
        _need_regex(v, f"generic_accounts.usernames[{i}]")
        for i, v in enumerate(
            _need_str_list(generic.get("usernames", []), "generic_accounts.usernames")
        )
    )
    name_patterns = tuple(
        _need_regex(v, f"generic_accounts.names[{i}]")
        for i, v in enumerate(_need_str_list(generic.get("names", []), "generic_accounts.names"))
    )
    email = _need_map(data.get("email", {}), "email")
    domains = tuple(
        d.casefold().lstrip("@")
        for d in _need_str_list(email.get("disallowed_domains", []), "email.disallowed_domains")
    )

    labels: dict[str, str] = {}
    for name, words in _need_map(data.get("labels_th", {}), "labels_th").items():
        _known_name(name, (*classes, *families), f"labels_th.{name}", "class or family")
        labels[name] = _need_str(words, f"labels_th.{name}")

    return Policy(
        labels_th=labels,
        version=_need_str(data.get("version"), "version"),
        citation=" ".join(_need_str(data.get("citation"), "citation").split()),
        thresholds=thresholds,
        retirement=retirement,
        classes=classes,
        families=families,
        matrix=matrix,
        unlisted_position_classes=unlisted,
        roles=roles,
        conflicts=tuple(conflicts),
        finance_unit_classes=unit_classes,
        disallowed_email_domains=domains,
        office_email_words=frozenset(
            normalise_text(w).casefold()
            for w in _need_str_list(email.get("office_words", []), "email.office_words")
        ),
        sources=sources,
        data=data,
        text=text,
        _group_table=group_table,
        _family_table=KeywordTable(family_pairs),
        _movement=_labelled(
            text,
            data,
            {"leaver_statuses": "leaver", "arrival_statuses": "arrival"},
            {"leaver": "not_leaver", "arrival": "not_arrival"},
            _with_not_yet(text, data, negation),
        ),
        _non_staff=_labelled(
            text, data, {"non_staff": "non_staff", "non_staff_exceptions": "staff"}
        ),
        _account_status=_labelled(
            text,
            data,
            {"inactive_account_statuses": "inactive", "active_account_statuses": "active"},
            {"inactive": "active", "active": "inactive"},
            negation,
        ),
        _negation=negation,
        _acting=acting_words,
        _acting_links=_longest_first(
            text.key(w)
            for w in _need_str_list(acting.get("linking_words", []), "acting.linking_words")
        ),
        _acting_order_words=_longest_first(
            text.key(w) for w in _need_str_list(acting.get("order_words", []), "acting.order_words")
        ),
        _deputy_words=tuple(
            text.key(w)
            for w in _need_str_list(
                _need_map(data.get("deputies", {}), "deputies").get("words", []), "deputies.words"
            )
        ),
        _note_history=tuple(
            text.key(w)
            for w in _need_str_list(data.get("note_history_words", []), "note_history_words")
            if w.strip()
        ),
        _ended_words=tuple(
            normalise_text(w).casefold()
            for w in _need_str_list(acting.get("ended_words", []), "acting.ended_words")
        ),
        _inactive_values=frozenset(
            text.key(v)
            for v in _need_str_list(
                data.get("inactive_account_values", []), "inactive_account_values"
            )
        ),
        _section_heads=section_heads,
        _position_types=position_types,
        _finance_head_words=_acting_heads(text, acting, families_map, roles),
        _finance_units=finance_units,
        _subunits=subunits,
        _unit_divisions=divisions,
        _generic_usernames=usernames,
        _generic_names=name_patterns,
    )
