"""Tie each e-LAAS account to a person on the HR roster, or say plainly that it cannot.

Order of evidence (issue 3, item 1; issue 5, item 3):

1. a human-confirmed answer (`--matches FILE`) wins over everything;
2. the national ID, when both sides have a valid-looking 13-digit ID (also an account whose
   username *is* a 13-digit ID, as ThaiD logins are);
3. the e-LAAS username, when the roster has a username column;
4. the exact normalised full name (prefix stripped, Thai normalised, spaces ignored);
5. a fuzzy name (rapidfuzz `ratio` on the name key) above the policy threshold, only when exactly
   one candidate is clearly best.

Anything ambiguous is reported as unmatched (`method="none"`) with the candidates listed: the
tool never guesses. Some readings of a name point at one person but leave the identity
uncertain; they are offered as candidates to confirm (with the reason), never matched:
the same two words with first name and surname swapped; a glued "คุณ" read as the honorific
rather than part of the first name (either side); and, when nothing else fits, a woman with
the same first name, unique on the roster, and another surname (a marriage or divorce).
One person may hold several accounts: the duplicate-person check (LA403)
reports that. Roster rows with one valid national ID are one person, not an ambiguity:
`same_id` decides which row stands for them, the review warns once per such person, and an
account whose rows cannot be told apart waits for confirmation (never "not on the roster").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process

from laas_audit.errors import InputWarning, Location
from laas_audit.matching_types import Match
from laas_audit.memo import remember
from laas_audit.model import Candidate, MatchMethod
from laas_audit.names import KHUN, honorific_reading, prefix_sex, split_name
from laas_audit.national_id import clean_id, is_valid_id
from laas_audit.policy import Policy, load_policy
from laas_audit.same_id import SameId, resolve
from laas_audit.tables import Account, Person
from laas_audit.thai import fold, normalise_text

DEFAULT_THRESHOLD = 88.0  # a one-letter typo in a short Thai name (9 code points) scores ~88.9
DEFAULT_MARGIN = 5.0
CANDIDATE_CUTOFF = 60.0  # below this a roster name is not worth showing to the reviewer
PART_MIN = 60.0  # first name and surname must each look alike: a shared first name is not enough
MAX_CANDIDATES = 3

# Answers in a confirmation file that mean "this account has no person on the roster".
NO_PERSON_ANSWERS = frozenset(
    {"-", "--", "—", "ไม่มี", "ไม่พบ", "ไม่มีในทะเบียน", "ไม่ใช่บุคลากร", "none", "no", "n/a", "na", "nil"}
)
_ROW_ANSWER = re.compile(r"^(?:row|แถว|#)\s*:?\s*(\d+)$", re.IGNORECASE)


def _add(index: dict[str, list[Person]], key: str, person: Person) -> None:
    if key:
        index.setdefault(key, []).append(person)


def fold_username(value: str) -> str:
    """Fold a username for comparison: normalised, surrounding space dropped, case folded."""
    return normalise_text(value).strip().casefold()


# valid_id memo: the same ID is checked for the export, the roster and each pairing tried.
_ID_MEMO: dict[str, str | None] = {}


def valid_id(value: str | None) -> str | None:
    """Return the 13 ASCII digits of `value` when they form a valid national ID, else None."""
    if not value:
        return None
    if value in _ID_MEMO:
        return _ID_MEMO[value]
    cleaned = clean_id(value)
    result = cleaned if cleaned and is_valid_id(cleaned) else None
    return remember(_ID_MEMO, value, result) if len(value) <= 40 else result


@dataclass(frozen=True)
class NameKeys:
    """A name's comparison keys: the whole name, the first name and the surname (all folded).

    `khun`: the whole-name key with a glued leading "คุณ" read as the honorific ("" unless the
    name starts so): a reading to offer for confirmation, never to match by.
    """

    key: str
    first: str
    last: str
    khun: str = ""


@functools.lru_cache(maxsize=65536)
def name_keys(text: str) -> NameKeys:
    """Split `text` once (prefixes stripped) into the keys matching compares.

    `key` equals `names.name_key(text)`; splitting is the costly step, so it is done once per
    distinct name and cached (an account's name usually repeats its roster row's).
    """
    parts = split_name(text)
    khun = honorific_reading(text) if parts.first.startswith(KHUN) else ""
    first, last = fold(parts.first), fold(parts.last)
    # Folding first + last equals joining their folds unless normalisation works across the
    # join, which needs a mark or vowel there: a surname starting with a letter cannot. The
    # two folds are memoised (first names repeat), the whole name would be new text.
    key = first + last if _STARTS_WITH_LETTER.match(parts.last) else fold(parts.first + parts.last)
    return NameKeys(key, first, last, khun)


# A Thai consonant or an ASCII letter or digit: nothing normalises into or across it.
_STARTS_WITH_LETTER = re.compile("[\u0e01-\u0e2ea-zA-Z0-9]")


def _name_text(first: str | None, last: str | None, full: str | None) -> str:
    # As `names.name_key_parts`: the split columns win over the one-cell full name.
    return f"{first} {last or ''}" if first else (full or "")


def person_keys(person: Person) -> NameKeys:
    """Return a roster person's name keys (from first/last when the roster splits them)."""
    return name_keys(_name_text(person.first_name, person.last_name, person.full_name))


def account_keys(account: Account) -> NameKeys:
    """Return an account's name keys (from first/last when the export splits them)."""
    return name_keys(_name_text(account.first_name, account.last_name, account.full_name))


def _prefix_of(record: Account | Person) -> str | None:
    """Return the record's name prefix: as the reader split it, else from its full name."""
    if record.prefix:
        return record.prefix
    return split_name(record.full_name).prefix if record.full_name else None


def _khun_reading(record: Account | Person, keys: NameKeys) -> str:
    """`keys.khun` unless the record has another prefix (then คุณ… is the first name)."""
    return keys.khun if keys.khun and _prefix_of(record) is None else ""


def person_key(person: Person) -> str:
    """Return a roster person's whole-name key."""
    return person_keys(person).key


def account_key(account: Account) -> str:
    """Return an account's whole-name key."""
    return account_keys(account).key


@dataclass
class _Index:
    """The roster indexed once, so each account costs a few dictionary look-ups."""

    by_id: dict[str, list[Person]] = field(default_factory=dict)
    by_username: dict[str, list[Person]] = field(default_factory=dict)
    by_name: dict[str, list[Person]] = field(default_factory=dict)
    by_row: dict[int, Person] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)  # distinct name keys, for rapidfuzz
    parts: dict[int, NameKeys] = field(default_factory=dict)  # roster row -> name keys
    # Roster names starting with a glued "คุณ", by their other reading (usually empty).
    by_khun: dict[str, list[Person]] = field(default_factory=dict)
    # Rows sharing a national ID: id(row) -> the one row indexed for them all, and
    # id(that row) -> the group. Both empty for a roster that repeats no ID.
    stand_in: dict[int, Person] = field(default_factory=dict)
    same_id: dict[int, SameId] = field(default_factory=dict)


def _build_index(
    people: list[Person], policy: Callable[[], Policy], as_of: date | None = None
) -> _Index:
    """Index the roster; rows repeating a national ID are indexed as the one row standing in."""
    idx = _Index()
    for person in people:
        idx.by_row[person.row] = person
        pid = valid_id(person.national_id)
        if pid:
            _add(idx.by_id, pid, person)
        if person.username:
            _add(idx.by_username, fold_username(person.username), person)
        keys = person_keys(person)
        if keys.key:
            if keys.key not in idx.by_name:
                idx.keys.append(keys.key)
            _add(idx.by_name, keys.key, person)
            idx.parts[person.row] = keys
            if keys.khun:  # rare: a roster name starting with a glued คุณ
                _add(idx.by_khun, _khun_reading(person, keys), person)
    repeated = [(pid, rows) for pid, rows in idx.by_id.items() if len(rows) > 1]
    if repeated:  # rare: a clean roster never comes here
        for pid, rows in repeated:
            group = resolve(rows, policy(), as_of)
            used = group.used or rows[0]
            idx.by_id[pid] = [used]
            idx.same_id[id(used)] = group
            idx.stand_in.update((id(row), used) for row in rows)
        idx.by_username.clear()
        idx.by_name.clear()
        idx.by_khun.clear()
        idx.keys.clear()
        for person in people:
            _index_names(idx, person, idx.stand_in.get(id(person), person))
    return idx


def _index_names(idx: _Index, person: Person, used: Person) -> None:
    """Index a row's name key and username again, pointing at `used` (its stand-in)."""
    keys = person_keys(person)
    if keys.key and keys.key not in idx.by_name:
        idx.keys.append(keys.key)
    _add_once(idx.by_name, keys.key, used)
    if keys.khun:
        _add_once(idx.by_khun, _khun_reading(person, keys), used)
    if person.username:
        _add_once(idx.by_username, fold_username(person.username), used)


def _add_once(index: dict[str, list[Person]], key: str, person: Person) -> None:
    """Add `person` under `key` unless there already: one person's rows are listed once."""
    if key:
        found = index.setdefault(key, [])
        if not any(p is person for p in found):
            found.append(person)


@dataclass(frozen=True)
class _Lead:
    """A reading of the account's name that points at one roster person, to be confirmed."""

    person: Person
    score: float
    why: str  # Thai / English, for the reason column of matches-to-confirm.csv


_SWAPPED = "ชื่อและนามสกุลสลับกัน / first name and surname swapped"
_KHUN = (
    "คำว่า คุณ อาจเป็นคำนำหน้าหรือส่วนหนึ่งของชื่อ (เช่น คุณวุฒิ)"
    " / คุณ may be the honorific or part of the first name (as in คุณวุฒิ)"
)
_MARRIED = (
    "ชื่อตรงกันแต่นามสกุลต่างกัน อาจเปลี่ยนนามสกุล (สมรส/หย่า)"
    " / same first name, another surname: changed on marriage or divorce?"
)
# A surname changed on marriage or divorce: a woman's (นาง/นางสาว, or a rank …หญิง) on one
# side, and no man's on either.


def _could_change_surname(prefix_a: str | None, prefix_b: str | None) -> bool:
    sexes = (prefix_sex(prefix_a), prefix_sex(prefix_b))
    return "f" in sexes and "m" not in sexes


def _candidates(scored: Iterable[tuple[Person, float]]) -> list[Candidate]:
    ranked = sorted(scored, key=lambda ps: (-ps[1], ps[0].row))
    return [
        Candidate(full_name=p.full_name, roster_row=p.row, score=round(s, 1))
        for p, s in ranked[:MAX_CANDIDATES]
    ]


def _thresholds(
    policy: object | None, threshold: float | None, margin: float | None
) -> tuple[float, float]:
    """Explicit keyword arguments win, then the policy's thresholds, then the defaults."""
    values: dict[str, float] = {}
    if policy is not None:
        th = getattr(policy, "thresholds", None)
        for name in ("fuzzy_match_threshold", "fuzzy_margin"):
            raw = th.get(name) if isinstance(th, dict) else getattr(th, name, None)
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                values[name] = float(raw)
    return (
        values.get("fuzzy_match_threshold", DEFAULT_THRESHOLD) if threshold is None else threshold,
        values.get("fuzzy_margin", DEFAULT_MARGIN) if margin is None else margin,
    )


def _policy_of(policy: object | None) -> Callable[[], Policy]:
    """Give the policy that tells leavers apart, for rows repeating an ID (loaded if needed)."""
    if isinstance(policy, Policy):
        return lambda: policy
    return functools.cache(load_policy)


class _Matcher:
    """Matches accounts against one indexed roster."""

    def __init__(
        self, people: list[Person], threshold: float, margin: float, policy: object | None = None,
        as_of: date | None = None,
    ) -> None:
        self.idx = _build_index(people, _policy_of(policy), as_of)
        self.threshold = threshold
        self.margin = margin
        self._by_first: dict[str, list[Person]] | None = None  # built when first needed

    def _found(
        self,
        method: MatchMethod,
        person: Person,
        score: float = 100.0,
        candidates: list[Candidate] | None = None,
    ) -> Match:
        """Match `person`; for rows repeating a national ID, take the group's decision."""
        group = self.idx.same_id.get(id(person)) if self.idx.same_id else None
        if group is None:
            return Match(method=method, score=score, person=person, candidates=candidates or [])
        if group.used is None:  # on the roster, but which row is current waits for a human
            candidates = _candidates((p, 100.0) for p in group.rows)
        return Match(
            method=method,
            score=score,
            person=group.used,
            candidates=candidates or [],
            same_id_rows=group.row_numbers,
            confirm_reason=group.confirm_reason(),
        )

    def _exact(self, method: MatchMethod, people: list[Person]) -> Match:
        """One person: a match; several (two people on one key): unmatched, all listed."""
        if len(people) == 1:
            if not self.idx.same_id:  # the usual roster: no row repeats an ID
                return Match(method=method, score=100.0, person=people[0])
            return self._found(method, people[0])
        return Match(method="none", candidates=_candidates((p, 100.0) for p in people))

    # -- automatic methods, in order -------------------------------------------------------

    def automatic(self, account: Account) -> Match:
        """National ID, username, exact name, fuzzy name: the first that decides wins."""
        aid = valid_id(account.national_id)
        if aid and aid in self.idx.by_id:
            return self._exact("national_id", self.idx.by_id[aid])
        uid = valid_id(account.username)  # ThaiD logins use the citizen ID as username
        if uid and uid in self.idx.by_id:
            return self._exact("national_id", self.idx.by_id[uid])
        if self.idx.by_username:
            found = self.idx.by_username.get(fold_username(account.username), [])
            found = [p for p in found if not self._conflicts(p, aid or uid)]
            if found:
                return self._exact("username", found)
        return self.by_name(account, aid or uid)

    def _conflicts(self, person: Person, account_id: str | None) -> bool:
        """Both sides carry valid IDs that differ: a namesake or a typo, never the same person."""
        pid = valid_id(person.national_id)
        return bool(account_id and pid and pid != account_id)

    def by_name(self, account: Account, account_id: str | None) -> Match:
        """Exact name key, then fuzzy; people whose valid ID contradicts the account's are out."""
        key = account_key(account)
        if not key:
            return Match(method="none")
        exact = self.idx.by_name.get(key, [])
        if exact:
            usable = [p for p in exact if not self._conflicts(p, account_id)]
            if len(usable) == 1 and len(exact) == 1:
                return self._exact("name", usable)
            # Two people with one name, or the only one has another ID: the reviewer decides.
            return Match(method="none", candidates=_candidates((p, 100.0) for p in exact))
        # No exact name (the uncommon path). The same words read another way are a lead that
        # even a fuzzy match must not override; a marriage is only looked for when nothing fits.
        found = self.fuzzy(account, key, account_id)
        leads = self._same_words(account, account_id)
        if not leads:
            if found.person is not None:
                return found
            leads = self._married(account, account_id)
        return self._to_confirm(found, leads) if leads else found

    # -- leads: readings of a name to confirm, never to match by ---------------------------

    def _same_words(self, account: Account, account_id: str | None) -> list[_Lead]:
        """People with the same words: first name and surname swapped, or คุณ read otherwise."""
        keys = account_keys(account)
        found: list[_Lead] = []
        if keys.last and keys.first != keys.last:
            swapped = self.idx.by_name.get(keys.last + keys.first, [])
            found += [_Lead(p, 100.0, _SWAPPED) for p in swapped]
        khun = _khun_reading(account, keys)
        if khun:  # the account's "คุณวุฒิ" may be คุณ + วุฒิ
            found += [_Lead(p, 100.0, _KHUN) for p in self.idx.by_name.get(khun, [])]
        if self.idx.by_khun:  # a roster "คุณวุฒิ" may be คุณ + the account's วุฒิ
            found += [_Lead(p, 100.0, _KHUN) for p in self.idx.by_khun.get(keys.key, [])]
        return [lead for lead in found if not self._conflicts(lead.person, account_id)]

    def _married(self, account: Account, account_id: str | None) -> list[_Lead]:
        """Offer the one woman on the roster with the account's first name, another surname.

        A first name two roster people share is no lead (it would flood common names), nor a
        man's name on either side, nor a contradicting national ID.
        """
        keys = account_keys(account)
        if not (keys.first and keys.last):
            return []
        people = self._people_by_first().get(keys.first, [])
        if len(people) != 1:
            return []
        person = people[0]
        theirs = person_keys(person)
        if (
            not theirs.last
            or theirs.last == keys.last
            or not _could_change_surname(_prefix_of(account), _prefix_of(person))
            or self._conflicts(person, account_id)
        ):
            return []
        return [_Lead(person, round(fuzz.ratio(keys.key, theirs.key), 1), _MARRIED)]

    def _people_by_first(self) -> dict[str, list[Person]]:
        """Roster people by folded first name (rows repeating one ID are one person)."""
        if self._by_first is None:
            index: dict[str, list[Person]] = {}
            for row, keys in self.idx.parts.items():  # the keys indexed for every named row
                person = self.idx.by_row[row]
                _add_once(index, keys.first, self.idx.stand_in.get(id(person), person))
            self._by_first = index
        return self._by_first

    def _to_confirm(self, found: Match, leads: list[_Lead]) -> Match:
        """Unmatched, the leads first among the candidates, and why they need confirming."""
        candidates: list[Candidate] = []
        for lead in sorted(leads, key=lambda lead: (-lead.score, lead.person.row)):
            if all(c.roster_row != lead.person.row for c in candidates):
                candidates.append(Candidate(lead.person.full_name, lead.person.row, lead.score))
        candidates += [
            c for c in found.candidates if all(c.roster_row != d.roster_row for d in candidates)
        ]
        reasons = "; ".join(dict.fromkeys(lead.why for lead in leads))
        return Match(method="none", candidates=candidates[:MAX_CANDIDATES], confirm_reason=reasons)

    def fuzzy(self, account: Account, key: str, account_id: str | None) -> Match:
        """Take the one clearly-best name above the threshold, else unmatched with candidates."""
        hits = process.extract(
            key,
            self.idx.keys,
            scorer=fuzz.ratio,
            score_cutoff=CANDIDATE_CUTOFF,
            limit=MAX_CANDIDATES + 1,
        )
        best_of: dict[int, tuple[Person, float]] = {}  # a person under two names counts once
        for k, score, _ in hits:
            for p in self.idx.by_name[k]:
                if id(p) not in best_of or best_of[id(p)][1] < score:
                    best_of[id(p)] = (p, float(score))
        scored = list(best_of.values())
        if not scored:
            return Match(method="none")
        candidates = _candidates(scored)
        ranked = sorted(scored, key=lambda ps: (-ps[1], ps[0].row))
        best, best_score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if (
            best_score >= self.threshold
            and best_score - second >= self.margin
            and not self._conflicts(best, account_id)
            and self._parts_agree(account, best)
        ):
            return self._found("fuzzy", best, round(best_score, 1), candidates)
        return Match(method="none", candidates=candidates)

    def _parts_agree(self, account: Account, person: Person) -> bool:
        """First name and surname each look alike (when both sides can be split).

        Stops a long shared first name from carrying a different surname over the threshold,
        e.g. a married woman's new surname with no national ID to prove it is her.
        """
        mine = account_keys(account)
        theirs = self.idx.parts.get(person.row)
        if theirs is None or not (mine.first and mine.last and theirs.first and theirs.last):
            return True
        return (
            fuzz.ratio(mine.first, theirs.first) >= PART_MIN
            and fuzz.ratio(mine.last, theirs.last) >= PART_MIN
        )

    # -- confirmed answers -----------------------------------------------------------------

    def confirmed(
        self, account: Account, answer: str, source: str, warnings: list[InputWarning]
    ) -> Match:
        """Find the person a human named: by national ID, roster row or roster name."""
        text = normalise_text(answer).strip()
        if text.casefold() in NO_PERSON_ANSWERS:
            return Match(method="confirmed")  # confirmed: nobody on the roster
        people: list[Person] = []
        cleaned = clean_id(text)
        row = _ROW_ANSWER.match(text)
        if cleaned and len(cleaned) == 13:
            # Any roster ID, checksum or not: the human copied what the roster says.
            people = [p for p in self.idx.by_row.values() if clean_id(p.national_id) == cleaned]
            what_th, what_en = "เลขประจำตัวประชาชน", "national ID"
        elif row:
            found = self.idx.by_row.get(int(row.group(1)))
            people = [found] if found else []
            what_th, what_en = f"แถว {row.group(1)}", f"row {row.group(1)}"
        else:
            people = self.idx.by_name.get(name_keys(text).key, [])
            what_th, what_en = f"ชื่อ '{text}'", f"name '{text}'"
        if row and people:
            return Match(method="confirmed", score=100.0, person=people[0])  # this very row
        if len(people) > 1 and self.idx.stand_in:  # rows repeating one ID are one person
            stand_ins = (self.idx.stand_in.get(id(p), p) for p in people)
            people = list({id(p): p for p in stand_ins}.values())
        loc = Location(file=source)
        if len(people) == 1:
            match = self._found("confirmed", people[0])
            if match.person is not None:
                match.confirm_reason = ""  # the human named the person; the row was clear
                return match
            rows = ", ".join(map(str, match.same_id_rows))
            warnings.append(
                InputWarning(
                    loc,
                    th=f"คำยืนยันของบัญชี {account.username}: {what_th}นี้อยู่ในทะเบียนแถว {rows}"
                    " ซึ่งข้อมูลต่างกัน ให้ระบุแถวที่เป็นปัจจุบันแทน",
                    en=f"confirmed answer for {account.username}: this {what_en} is on roster "
                    f"rows {rows}, which differ; give the current row instead",
                )
            )
            match.method = "national_id"  # on the roster by its ID; the row still unknown
            return match
        if not people:
            warnings.append(
                InputWarning(
                    loc,
                    th=f"คำยืนยันของบัญชี {account.username}: ไม่พบ{what_th}ในทะเบียนบุคลากร "
                    "ถือว่ายังไม่จับคู่",
                    en=f"confirmed answer for {account.username}: no roster person has this "
                    f"{what_en}; left unmatched",
                )
            )
            return Match(method="none")
        warnings.append(
            InputWarning(
                loc,
                th=f"คำยืนยันของบัญชี {account.username}: {what_th} ตรงกับ {len(people)} คน "
                "ในทะเบียน ให้ระบุเลขประจำตัวประชาชนหรือแถวแทน",
                en=f"confirmed answer for {account.username}: {what_en} fits {len(people)} "
                "roster people; give the national ID or the roster row instead",
            )
        )
        return Match(method="none", candidates=_candidates((p, 100.0) for p in people))


def match_accounts(
    accounts: list[Account],
    people: list[Person],
    policy: Policy | None = None,
    confirmed: dict[str, str] | None = None,
    *,
    threshold: float | None = None,
    margin: float | None = None,
    warnings: list[InputWarning] | None = None,
    confirmed_source: str = "--matches",
    roster_where: Location | None = None,
    as_of: date | None = None,
) -> dict[str, Match]:
    """Match every account to the roster; the result is keyed by `Account.key`.

    `policy` (a `laas_audit.policy.Policy`) supplies `fuzzy_match_threshold` and `fuzzy_margin`
    unless `threshold`/`margin` are given. `confirmed` maps a username to a national ID, a roster
    name, `row N`, or a "no person" answer such as "-" / "ไม่มี"; it wins over automatic matching.
    Problems with confirmed answers are appended to `warnings` (located in `confirmed_source`),
    and so is one warning per person whose national ID the roster repeats on rows an account
    was matched through (located in `roster_where`, the roster's file and sheet). `as_of` (the
    review date) lets a recent dated departure on one of those rows stand for the person.
    """
    fuzzy_threshold, fuzzy_margin = _thresholds(policy, threshold, margin)
    matcher = _Matcher(people, fuzzy_threshold, fuzzy_margin, policy, as_of)
    answers = {fold_username(k): v for k, v in (confirmed or {}).items()}
    sink: list[InputWarning] = warnings if warnings is not None else []
    result: dict[str, Match] = {}
    for account in accounts:
        if account.key in result:
            continue  # the readers fold rows per account; a repeat would only redo the work
        answer = answers.get(fold_username(account.username))
        if answer is not None and answer.strip():
            result[account.key] = matcher.confirmed(account, answer, confirmed_source, sink)
        else:
            result[account.key] = matcher.automatic(account)
    known = {fold_username(a.username) for a in accounts}
    for username in sorted(set(answers) - known):
        sink.append(
            InputWarning(
                Location(file=confirmed_source),
                th=f"มีคำยืนยันของบัญชี {username} แต่ไม่พบบัญชีนี้ในรายงาน e-LAAS",
                en=f"a confirmed answer names account {username}, which is not in the export",
            )
        )
    if matcher.idx.same_id:
        sink.extend(_same_id_warnings(matcher.idx, accounts, result, roster_where))
    return result


def _same_id_warnings(
    idx: _Index, accounts: list[Account], result: dict[str, Match], where: Location | None
) -> list[InputWarning]:
    """Warn once per person on repeated rows whom an account was matched to, in roster order."""
    users: dict[tuple[int, ...], list[str]] = {}
    for account in accounts:
        rows = result[account.key].same_id_rows
        if rows and account.username not in users.setdefault(rows, []):
            users[rows].append(account.username)
    groups = sorted(idx.same_id.values(), key=lambda g: g.row_numbers)
    where = where or Location(file="roster")
    return [g.warning(where, users[g.row_numbers]) for g in groups if g.row_numbers in users]

