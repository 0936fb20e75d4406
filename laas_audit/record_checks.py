"""What `record` checks before it trusts a filled worksheet, so that no decision is misattributed.

- Each row against the worksheet's hidden list of findings (`worksheet.SHEET_INDEX`): a sort
  that left the finding-ID column out puts every ID on another account's row, and the decisions
  would be recorded against the wrong accounts: refused. A row pasted from last cycle's
  worksheet brings its old status: the list's is used, with a warning.
- One finding on two rows (a row copied to write the decision there): merged field by field,
  or refused when the rows say different things.
- Decision dates that cannot be right: before the review's data, or after today.
- The review folder the worksheet lies in: its manifest must be of the same review.
- Words typed instead of the drop-down's value (`rules/decision_words.yaml`).

The functions take what `record.read_worksheet` read; they import nothing from record.py at run
time (record.py imports them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from laas_audit.errors import InputError, InputWarning, Location
from laas_audit.national_id import mask_id
from laas_audit.read_export import normalise_login
from laas_audit.render_common import date_text
from laas_audit.thai import fold
from laas_audit.worksheet import DECISION_CODES, STATUS_LABELS

if TYPE_CHECKING:
    from laas_audit.record import FilledRow, FilledWorksheet, ListedFinding

MASKED_PREFIX = "x-xxxx-xxxxx-"  # national_id.mask_id's form
SHOWN_ROWS = 20  # rows named one by one in an error; the rest are counted
DATE_SLACK = timedelta(days=1)  # a date "after today" one day ahead is a time zone, not a typo
FAR_YEARS = 5  # this far from the review, the year itself is wrong (BE/CE, a typo)
DECISION_WORDS_FILE = "decision_words.yaml"
_DECISION_TH = {code: th for th, code in DECISION_CODES.items()}


@dataclass(frozen=True)
class Place:
    """Where the findings table is: the file and sheet as shown, and its columns' letters."""

    file: str
    sheet: str
    id_column: str
    status_column: str | None = None
    date_column: str | None = None
    decision_column: str | None = None


# --------------------------------------------------------------------------- the hidden list


def same_account(shown: str, listed: str) -> bool:
    """Tell whether the username on a row and the one in the hidden list are one account.

    Both are read as the export's usernames are (a citizen-ID login typed in Thai digits or
    grouped as on the card is the same login); a worksheet from before logins were shown
    whole has it masked on the sheet, and the mask of the listed login must then match.
    """
    a, b = _login_key(shown), _login_key(listed)
    if a == b:
        return True
    if a.startswith(MASKED_PREFIX) != b.startswith(MASKED_PREFIX):
        masked, whole = (a, b) if a.startswith(MASKED_PREFIX) else (b, a)
        return mask_id(whole) == masked
    return False


def _login_key(username: str) -> str:
    return "".join(normalise_login(username).split()).casefold()


def check_against_list(
    rows: list[FilledRow], written: list[ListedFinding] | None, place: Place
) -> list[InputWarning]:
    """Refuse rows whose finding ID the list gives to another account or rule; fix statuses.

    A row's rule and username must be those the list has for its ID (only what the row still
    shows is compared). A status that differs (a row pasted from another cycle's worksheet)
    is replaced by the list's, and said. Returns the warnings; raises `InputError` for the
    misplaced rows, all of them named.
    """
    if not written:
        return []
    listed = {w.finding_id: w for w in written}
    misplaced: list[tuple[FilledRow, ListedFinding]] = []
    warnings: list[InputWarning] = []
    for row in rows:
        entry = listed.get(row.finding_id)
        if entry is None:
            continue  # not this review's: `record` warns about it with the missing ones
        if (row.rule and entry.rule and row.rule != entry.rule.upper()) or (
            row.username and entry.username and not same_account(row.username, entry.username)
        ):
            misplaced.append((row, entry))
        elif entry.status in STATUS_LABELS and row.status != entry.status:
            warnings.append(_status_warning(row, entry, place))
            row.status = entry.status
    if misplaced:
        raise _misplaced_error(misplaced, place)
    return warnings


def _status_warning(row: FilledRow, entry: ListedFinding, place: Place) -> InputWarning:
    shown = STATUS_LABELS.get(row.status, row.status) or "(ว่าง)"
    listed = STATUS_LABELS[entry.status]
    return InputWarning(
        Location(place.file, place.sheet, row.row, place.status_column),
        f"สถานะของข้อค้นพบ {row.finding_id} ในแถวนี้คือ '{shown}' แต่การตรวจครั้งนี้ระบุ "
        f"'{listed}' (วางแถวทับมาจากแบบตรวจสอบรอบก่อน?): ใช้ '{listed}' ตรวจการตัดสินใจ "
        "หมายเหตุ และวันที่ของแถวนี้ว่าเป็นของการตรวจครั้งนี้",
        f"finding {row.finding_id} shows status '{row.status or '(blank)'}' on this row, but "
        f"this review has it '{entry.status}' (a row pasted from last cycle's worksheet?): "
        f"'{entry.status}' is used; check that the decision, note and date on this row are "
        "this review's",
    )


def _misplaced_error(misplaced: list[tuple[FilledRow, ListedFinding]], place: Place) -> InputError:
    def who(rule: str, username: str) -> str:
        return " ".join(p for p in (rule, username) if p)

    lines = [
        f"แถว {row.row}: รหัส {row.finding_id} เป็นของ {who(entry.rule, entry.username)} "
        f"แต่แถวนี้คือ {who(row.rule, row.username)} / row {row.row}: ID {row.finding_id} "
        f"belongs to {who(entry.rule, entry.username)}, but this row is "
        f"{who(row.rule, row.username)}"
        for row, entry in misplaced[:SHOWN_ROWS]
    ]
    more = len(misplaced) - SHOWN_ROWS
    if more > 0:
        lines.append(f"… และอีก {more} แถว / {more} more row(s)")
    rows = _row_list(row.row for row, _ in misplaced)
    col = place.id_column
    return InputError(
        Location(place.file, place.sheet),
        f"รหัสข้อค้นพบ (คอลัมน์ {col}) ไม่ตรงกับบัญชีในแถวเดียวกัน {len(misplaced)} แถว "
        f"(แถว {rows}) ดูเหมือนเรียงข้อมูลโดยไม่รวมคอลัมน์ {col}: การตัดสินใจจะถูกบันทึกกับบัญชีผิดคน "
        "จึงไม่บันทึก",
        f"the finding ID (column {col}) does not belong to the account on the same row on "
        f"{len(misplaced)} row(s) (rows {rows}), as if the rows were sorted without column "
        f"{col}: the decisions would be recorded against the wrong accounts, so nothing was "
        "recorded",
        f"ยกเลิกการเรียง (Undo) แล้วบันทึกไฟล์ หรือเมื่อเรียงข้อมูลให้เลือกทั้งแถวตั้งแต่คอลัมน์ {col} "
        "หรือนำ findings.xlsx จากโฟลเดอร์ผลการตรวจมากรอกใหม่ แล้วสั่ง record อีกครั้ง",
        f"undo the sort and save, or sort whole rows (select from column {col}), or take "
        "findings.xlsx again from the review folder and fill it in; then run record again",
        lines,
    )


def _row_list(rows: Iterable[int]) -> str:
    shown = list(rows)
    text = ", ".join(str(r) for r in shown[:SHOWN_ROWS])
    return text + (" ..." if len(shown) > SHOWN_ROWS else "")


# --------------------------------------------------------------------------- copied rows


# The reviewer's fields, as the worksheet's column keys.
TYPED_FIELDS = ("decision", "note", "reviewer", "decision_date")
_FIELD_TH = {"decision": "การตัดสินใจ", "note": "หมายเหตุ", "reviewer": "ผู้ตรวจสอบ",
             "decision_date": "วันที่ตัดสินใจ"}
_FIELD_EN = {"decision": "decision", "note": "note", "reviewer": "reviewer",
             "decision_date": "date"}


def merge_copies(rows: list[FilledRow], place: Place) -> tuple[list[FilledRow], list[InputWarning]]:
    """Make one row of each finding written on several rows, keeping what was typed on each.

    Field by field (decision, note, reviewer, date), a value typed on one row fills the same
    field left blank on the other; the first row stands for the finding, and `typed_on` says
    which row a field came from. Two rows that say different things for one field are refused,
    naming both rows. Rows without copies come back as they were.
    """
    by_id: dict[str, list[FilledRow]] = {}
    for row in rows:
        by_id.setdefault(row.finding_id, []).append(row)
    if len(by_id) == len(rows):
        return rows, []  # the usual worksheet: one row a finding
    merged: list[FilledRow] = []
    warnings: list[InputWarning] = []
    conflicts: list[str] = []
    for group in by_id.values():
        first = group[0]
        merged.append(first)
        for copy in group[1:]:
            clashes = [key for key in TYPED_FIELDS if _clash(first, copy, key)]
            if clashes:
                conflicts += [_conflict_line(first, copy, key) for key in clashes]
                continue
            taken = [key for key in TYPED_FIELDS if _take(first, copy, key)]
            warnings.append(_copy_warning(first, copy, taken, place))
    if conflicts:
        raise InputError(
            Location(place.file, place.sheet),
            "ข้อค้นพบเดียวกันอยู่หลายแถว (คัดลอกแถว?) และกรอกไว้ไม่ตรงกัน จึงไม่รู้ว่าแถวใดคือการตัดสินใจ",
            "one finding is on several rows (a copied row?) and they say different things, "
            "so which one is the decision cannot be told",
            "ลบแถวที่ไม่ใช้ ให้เหลือแถวเดียวต่อข้อค้นพบ (หรือกรอกให้ตรงกันทุกแถว) แล้วสั่ง record อีกครั้ง",
            "delete the row that is not meant, leaving one row per finding (or make the rows "
            "say the same), then run record again",
            conflicts,
        )
    return merged, warnings


def _typed(row: FilledRow, key: str) -> str:
    """Give the field as a comparison key ("" when blank): what was meant, not how typed."""
    if key == "decision":
        return row.decision or fold(row.decision_raw)
    if key == "note":
        return " ".join(row.note.split())
    if key == "reviewer":
        return fold(row.reviewer)
    return row.decided_on.isoformat() if row.decided_on else fold(row.date_raw)


def _shown(row: FilledRow, key: str) -> str:
    if key == "decision":
        return _DECISION_TH.get(row.decision or "", row.decision_raw)
    if key == "note":
        note = " ".join(row.note.split())
        return note if len(note) <= 60 else note[:59] + "…"
    if key == "reviewer":
        return row.reviewer
    return row.date_raw


def _clash(first: FilledRow, copy: FilledRow, key: str) -> bool:
    a, b = _typed(first, key), _typed(copy, key)
    return bool(a and b and a != b)


def _take(first: FilledRow, copy: FilledRow, key: str) -> bool:
    """Fill `first`'s blank field from `copy`; say whether anything was taken."""
    if _typed(first, key) or not _typed(copy, key):
        return False
    if key == "decision":
        first.decision, first.decision_raw = copy.decision, copy.decision_raw
    elif key == "note":
        first.note = copy.note
    elif key == "reviewer":
        first.reviewer = copy.reviewer
    else:
        first.decided_on, first.date_raw = copy.decided_on, copy.date_raw
    first.typed_on[key] = copy.typed_on.get(key, copy.row)
    return True


def _conflict_line(first: FilledRow, copy: FilledRow, key: str) -> str:
    a, b = _shown(first, key), _shown(copy, key)
    return (
        f"ข้อค้นพบ {first.finding_id} แถว {first.row} และแถว {copy.row}: {_FIELD_TH[key]} "
        f"'{a}' กับ '{b}' / finding {first.finding_id}, rows {first.row} and {copy.row}: "
        f"{_FIELD_EN[key]} '{a}' vs '{b}'"
    )


def _copy_warning(
    first: FilledRow, copy: FilledRow, taken: list[str], place: Place
) -> InputWarning:
    took_th = (
        f": ใช้{' '.join(_FIELD_TH[k] for k in taken)}จากแถว {copy.row}" if taken
        else ": ทั้งสองแถวกรอกไว้ตรงกัน"
    )
    took_en = (
        f": the {', '.join(_FIELD_EN[k] for k in taken)} typed on row {copy.row} "
        f"{'is' if len(taken) == 1 else 'are'} used" if taken
        else ": both rows say the same"
    )
    return InputWarning(
        Location(place.file, place.sheet, copy.row),
        f"แถว {copy.row} เป็นสำเนาของแถว {first.row} (ข้อค้นพบ {first.finding_id}) "
        f"จึงรวมเป็นข้อค้นพบเดียว{took_th}",
        f"row {copy.row} is a copy of row {first.row} (finding {first.finding_id}), taken "
        f"as one finding{took_en}",
    )


# --------------------------------------------------------------------------- decision dates


def date_warnings(
    rows: list[FilledRow], as_of: date | None, today: date, place: Place
) -> list[InputWarning]:
    """Warn for each decision date before the review's as-of date or after today (+1 day).

    The date is kept as read: the record shows what was written, the warning says to check it.
    """
    warnings: list[InputWarning] = []
    latest = today + DATE_SLACK
    for row in rows:
        when = row.decided_on
        if when is None:
            continue
        if as_of is not None and when < as_of:
            th = f"ก่อนวันที่ข้อมูลของการตรวจนี้ ({date_text(as_of)})"
            en = f"before the date of this review's data ({as_of.isoformat()})"
            far = as_of.year - when.year >= FAR_YEARS
        elif when > latest:
            th = f"เลยวันนี้ ({date_text(today)}) ไปแล้ว"
            en = f"after today ({today.isoformat()})"
            far = when.year - today.year >= FAR_YEARS
        else:
            continue
        year_th = " ปีอาจพิมพ์ผิด หรือสลับ พ.ศ. กับ ค.ศ." if far else ""
        year_en = " (the year may be mistyped, or BE and CE mixed up)" if far else ""
        warnings.append(InputWarning(
            Location(place.file, place.sheet, row.typed_on.get("decision_date", row.row),
                     place.date_column),
            f"วันที่ตัดสินใจ '{row.date_raw}' ({date_text(when)}) {th}:{year_th} "
            "ตรวจวันที่ที่กรอก (บันทึกไว้ตามที่กรอก)",
            f"decision date '{row.date_raw}' ({when.isoformat()}) is {en}{year_en}: check the "
            "date typed (recorded as written)",
        ))
    return warnings


def iso_date(text: str) -> date | None:
    """Read the about sheet's ISO date (None when it is not one)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


# --------------------------------------------------------------------------- the review folder


def check_review_folder(filled: FilledWorksheet, folder: Path) -> None:
    """Refuse a worksheet lying in another review's folder (its record would chain to it).

    The worksheet's about sheet records the SHA-256 of the export and roster it was written
    from; the folder's manifest.json records its review's. Only those are compared (the
    manifest holds no as-of date or body). Nothing to compare (an older worksheet, a folder
    without a manifest of ours): nothing is said.
    """
    from laas_audit.manifest import MANIFEST_JSON, recorded_inputs

    recorded = recorded_inputs(folder)
    if not recorded:
        return
    differ = [
        role for role, (_, digest) in filled.inputs.items()
        if role in recorded and recorded[role][1] != digest
    ]
    if not differ:
        return
    theirs = _review_words(folder, recorded)
    ours_th, ours_en = _worksheet_words(filled)
    raise InputError(
        Location(filled.file),
        f"แบบตรวจสอบนี้เป็นของการตรวจ{ours_th} แต่วางอยู่ในโฟลเดอร์ของการตรวจ{theirs[0]} "
        f"({folder / MANIFEST_JSON}): ไฟล์ที่ตรวจไม่ตรงกัน "
        f"({', '.join(_ROLE_TH.get(r, r) for r in differ)}) "
        "บันทึกผลจะผูกกับการตรวจผิดครั้ง จึงไม่บันทึก",
        f"this worksheet is of the review{ours_en}, but it lies in the folder of the review"
        f"{theirs[1]} ({folder / MANIFEST_JSON}): the files reviewed differ "
        f"({', '.join(differ)}), the record would be chained to the wrong review, so nothing "
        "was recorded",
        "ย้ายแบบตรวจสอบไปไว้ในโฟลเดอร์ผลการตรวจของมันเอง (ที่ review สร้างพร้อมแบบตรวจสอบนี้) "
        "แล้วสั่ง record อีกครั้ง หรือวางไว้นอกโฟลเดอร์ผลการตรวจ แล้วใช้ --out กำหนดที่เก็บบันทึกผล",
        "move the worksheet into its own review folder (the one review wrote it in) and run "
        "record again, or keep it outside any review folder and give --out for the record",
    )


_ROLE_TH = {"export": "รายงานผู้ใช้งาน", "roster": "ทะเบียนบุคลากร"}


def _worksheet_words(filled: FilledWorksheet) -> tuple[str, str]:
    about = filled.about
    when = iso_date(about.get("as_of", ""))
    export = filled.inputs.get("export", ("", ""))[0]
    return _describe(about.get("body", ""), when, export)


def _review_words(folder: Path, recorded: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """Name the folder's review: from its findings.json when readable, else its export's name."""
    body, when = "", None
    try:
        data = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
        body = str((data.get("body") or {}).get("name") or "")
        when = iso_date(str(data.get("as_of") or ""))
    except (OSError, ValueError, AttributeError):
        pass  # the export's name still says which review it is
    export = Path(recorded.get("export", ("", ""))[0]).name
    return _describe(body, when, export)


def _describe(body: str, when: date | None, export: str) -> tuple[str, str]:
    th = "".join((
        f" {body}" if body else "",
        f" ข้อมูล ณ {date_text(when)}" if when else "",
        f" (รายงาน {export})" if export else "",
    ))
    en = "".join((
        f" of {body}" if body else "",
        f" as of {when.isoformat()}" if when else "",
        f" (export {export})" if export else "",
    ))
    return th, en


# --------------------------------------------------------------------------- decision words


def decision_from_words(text: str) -> str | None:
    """Give the decision code a word typed in the decision column plainly means, or None."""
    return decision_words().get(fold(text))


@lru_cache(maxsize=1)
def decision_words(path: Path | None = None) -> dict[str, str]:
    """Read `rules/decision_words.yaml`: folded word -> decision code; bad file: `InputError`."""
    import yaml

    from laas_audit.policy import rules_dir
    from laas_audit.yaml_load import SafeLoader, describe_error

    source = path or rules_dir() / DECISION_WORDS_FILE
    loc = Location(source.name)
    try:
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as exc:
        where_th, where_en = describe_error(exc)
        raise InputError(loc, f"อ่านไฟล์ YAML ไม่ได้{where_th}", f"not a readable YAML file{where_en}",
                         "แก้ไฟล์ให้ถูกรูปแบบ", "fix the file's syntax") from exc
    codes = set(DECISION_CODES.values())
    if not isinstance(data, dict) or not set(data) <= codes:
        raise InputError(
            loc, f"คีย์ต้องเป็นรหัสการตัดสินใจ: {', '.join(sorted(codes))}",
            f"the keys must be decision codes: {', '.join(sorted(codes))}",
        )
    words: dict[str, str] = {}
    for code, listed in data.items():
        if not isinstance(listed, list) or not all(isinstance(w, str) for w in listed):
            raise InputError(Location(source.name, None), f"{code}: ต้องเป็นรายการข้อความ",
                             f"{code}: must be a list of words")
        for word in listed:
            key = fold(word)
            if words.get(key, code) != code:
                raise InputError(
                    loc, f"{code}: '{word}' อยู่ในการตัดสินใจสองแบบ ({words[key]} และ {code})",
                    f"{code}: '{word}' is listed under two decisions ({words[key]} and {code})",
                )
            words[key] = code
    return words
