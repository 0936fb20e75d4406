"""Review every body of a province in one run: one subfolder of INPUT_DIR per body.

Each subfolder holds one export and one roster under any names; `read_export.sniff_kind` tells
them apart by content. Bodies are read, reviewed and written in worker processes (the policy is
loaded once per worker) and only a `BodyRow` of counts travels back. A folder that cannot be
reviewed is listed in `skipped` with a reason naming the file; the others go on. The rollup
(`rollup.json`, `rollup.xlsx`, `index.html`) is written last, from the rows.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

from laas_audit.errors import InputError, Location, shown_path
from laas_audit.manifest import RealPaths
from laas_audit.rollup import (
    BodyRow,
    EarlierOutput,
    EarlierWhy,
    Rollup,
    SkippedBody,
    split_duplicates,
    write_rollup,
)

if TYPE_CHECKING:
    from laas_audit.grid import Grid
    from laas_audit.mapping import Mapping
    from laas_audit.policy import Policy
    from laas_audit.tables import ExportTable, RosterTable

Role = Literal["export", "roster"]

# Files that are never a body's input: OS and Office leftovers.
_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
# Archive and removable-drive leftovers (macOS zip, Windows recycle bin and volume data)
_IGNORED_DIRS = frozenset({"__macosx", "$recycle.bin", "system volume information", "recycler"})
# Per-task overhead (pickling, a queue round trip) is ~1 ms; a body takes tens of ms. Chunks of a
# few bodies keep overhead small while leaving enough chunks to balance two or more workers.
_MAX_CHUNK = 16


@dataclass(frozen=True)
class BatchOptions:
    """What every worker needs to review a body; sent once per worker, not per task."""

    out_dir: Path
    as_of: date | None = None
    policy: Path | None = None
    mapping: Path | None = None
    worksheets: bool = False
    share: bool = False
    debug: bool = False


@dataclass
class BatchResult:
    """What a batch run produced: a row per reviewed body, the skipped folders, the files."""

    out_dir: Path
    rollup: Rollup
    written: list[Path] = field(default_factory=list)
    # Files directly in INPUT_DIR that are neither an export nor a roster (a README)
    loose_others: list[str] = field(default_factory=list)

    @property
    def bodies(self) -> list[BodyRow]:
        """Reviewed bodies, in folder order."""
        return self.rollup.bodies

    @property
    def skipped(self) -> list[SkippedBody]:
        """Folders that were not reviewed, with reasons."""
        return self.rollup.skipped

    def summary(self) -> str:
        """Summarise the run: how many reviewed, how many skipped and why (Thai + English)."""
        totals = self.rollup.totals()
        lines = [
            f"ตรวจแล้ว {len(self.bodies)} หน่วยงาน ({totals['accounts']} บัญชี, "
            f"{totals['total']} ข้อพบ), ไม่ได้ตรวจ {len(self.skipped)} โฟลเดอร์",
            f"Reviewed {len(self.bodies)} bodies ({totals['accounts']} accounts, "
            f"{totals['total']} findings), skipped {len(self.skipped)} folders",
        ]
        for s in self.skipped:
            lines.append(f"  - {s.folder}: {self.rollup.skipped_reason(s)}")
        for folders in self.rollup.same_name:
            listed = ", ".join(folders)
            lines.append(f"{SAME_NAME_TH}: {listed}")
            lines.append(f"  {SAME_NAME_EN}: {listed}")
        unused = self.rollup.unused_files()
        if unused:
            lines.append(f"ไฟล์อื่นในโฟลเดอร์ที่ตรวจแล้วซึ่งไม่ได้ใช้ {len(unused)} ไฟล์ / "
                         f"{len(unused)} other file(s) in reviewed folders not used:")
            lines += [f"  - {folder}/{name}: {why}" if name else f"  - {folder}: {why}"
                      for folder, name, why in unused]
        if self.loose_others:
            lines.append(
                "ไฟล์อื่นในโฟลเดอร์ข้อมูลนำเข้าที่ไม่ได้อยู่ในโฟลเดอร์ของหน่วยงานและไม่ได้ใช้ / "
                "other files directly in the input folder, not used: "
                + ", ".join(self.loose_others)
            )
        earlier = self.rollup.earlier
        if earlier:
            from laas_audit.render_common import iso_date_text

            lines.append(
                f"ผลการตรวจครั้งก่อน {len(earlier)} รายการในโฟลเดอร์ผลลัพธ์ ไม่ใช่ผลของครั้งนี้ "
                f"(ไม่ได้ลบ) / {len(earlier)} item(s) in the output folder are an earlier run's "
                f"results, not this run's (left as they were):"
            )
            lines += [
                f"  - {e.folder}: ตรวจเมื่อ {iso_date_text(e.created, short=True) or '?'}; "
                f"{e.note_th} / "
                f"reviewed {e.created or '?'}; {e.note_en}"
                for e in earlier
            ]
        return "\n".join(lines)


SAME_NAME_TH = ("โฟลเดอร์เหล่านี้ระบุหน่วยงาน อำเภอ และจังหวัดเดียวกัน (นับแยกกัน) "
                "ตรวจว่าฉบับใดเป็นปัจจุบันแล้วเอาอีกฉบับออก")
SAME_NAME_EN = ("these folders name the same body, district and province (each counted); "
                "check which is current and remove the other")


# ------------------------------------------------------------------------------------------
# One body (runs in a worker)
# ------------------------------------------------------------------------------------------

@dataclass
class _Worker:
    """What a worker process keeps between tasks: loaded once, used for every body."""

    options: BatchOptions
    policy: Policy
    mapping: Mapping | None
    # the output and input folders, resolved once for every body's manifest
    paths: RealPaths = field(default_factory=RealPaths)


_WORKER: list[_Worker] = []  # at most one; a list so tests can run a worker in-process


def _init_worker(options: BatchOptions) -> None:
    """Load the policy and mapping once per worker process."""
    from laas_audit.policy import load_policy

    _WORKER[:] = [_Worker(options, load_policy(options.policy), _load_mapping(options.mapping))]


def _init_pool_worker(options: BatchOptions) -> None:
    """Initialise a pool worker: the review modules, the policy and the mapping, once."""
    _import_review_modules()
    _init_worker(options)
    _tune_collector()


# A body's objects are freed by reference counting; the cycle collector mostly rescans the
# modules and policy loaded before the first body. Freeze those and collect young objects less
# often (a worker's whole life; a serial run restores the collector when it ends).
_GC_THRESHOLD = (50_000, 20, 20)


def _tune_collector() -> None:
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLD)


def _import_review_modules() -> None:
    """Import what reviewing a body needs (once per process, not inside the first task)."""
    import laas_audit.publish
    import laas_audit.read_export
    import laas_audit.read_roster
    import laas_audit.render_html
    import laas_audit.render_json
    import laas_audit.review
    import laas_audit.table_rules  # noqa: F401


def _fork_context() -> multiprocessing.context.BaseContext | None:
    # fork is Linux's default up to Python 3.13 (3.14 moves to forkserver): ask for it by name.
    # macOS and Windows keep their default (spawn): forking there is unsafe or impossible.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return None


def _load_mapping(path: Path | None) -> Mapping | None:
    if path is None:
        return None
    from laas_audit.mapping import load_mapping

    return load_mapping(path)


@dataclass
class Classified:
    """A body folder's files sorted by content: candidates per role, and what was not used."""

    found: dict[Role, list[Grid]]
    unreadable: list[tuple[Path, InputError]]  # could not be read at all, with why
    neither: list[Path]  # read, but neither an export nor a roster (a cover letter sheet)
    # the first text of each of those, to say what was seen there instead
    seen: dict[Path, str] = field(default_factory=dict)
    # (name as shown, why) of what is not a file: subfolders, broken links, pipes
    not_files: list[tuple[str, str]] = field(default_factory=list)

    def names(self) -> list[str]:
        """Everything the folder holds, as shown (subfolders end in "/"), sorted."""
        files = [g.path for grids in self.found.values() for g in grids]
        files += [p for p, _ in self.unreadable] + self.neither
        return sorted([shown_path(p.name) for p in files] + [n for n, _ in self.not_files])


def classify(folder: Path) -> Classified:
    """Sort a body folder's files into export and roster candidates by their content.

    This is `read_export.sniff_kind` (load the grid, `detect_kind` it) keeping the grid, so that
    each file is read from disk and parsed once, not once to classify and again to read.
    """
    from laas_audit.grid import load_grid
    from laas_audit.layout import detect_kind

    out = Classified({"export": [], "roster": []}, [], [])
    files: list[Path] = []
    # scandir's entries know whether they are files without a stat each (thousands of bodies).
    with os.scandir(folder) as scan:
        for entry in scan:
            if _ignored(entry):
                continue
            if entry.is_file():
                files.append(Path(entry.path))
            elif entry.is_dir():  # files are looked for at the top of a body folder only
                out.not_files.append((shown_path(entry.name) + "/", _SUBFOLDER))
            else:
                why = _BROKEN_LINK if entry.is_symlink() else _NOT_A_FILE
                out.not_files.append((shown_path(entry.name), why))
    files.sort()
    for path in files:
        try:
            grid = load_grid(path, None)  # export or roster: the content says
        except InputError as exc:
            out.unreadable.append((path, exc))
            continue
        kind = detect_kind(grid.sheets)
        if kind == "export" or kind == "roster":
            out.found[kind].append(grid)
        else:
            out.neither.append(path)
            out.seen[path] = _first_text(grid)
    return out


def _first_text(grid: Grid) -> str:
    """Give the first filled row of a file as text (cut short), or "" for a file without any."""
    from laas_audit.layout import row_text

    for sheet in grid.sheets:
        for row in sheet.rows[:40]:
            text = row_text(row)
            if text:
                return text[:60] + ("…" if len(text) > 60 else "")
    return ""


_NEITHER = "ไม่ใช่รายงานผู้ใช้งานหรือทะเบียนบุคลากร / neither a user export nor an HR roster"
_SUBFOLDER = ("โฟลเดอร์ย่อย: ไม่ได้ดูไฟล์ข้างใน (ใช้เฉพาะไฟล์ที่อยู่ในโฟลเดอร์ของหน่วยงานโดยตรง) / "
              "a subfolder: the files in it were not looked at (only files directly in the body's "
              "folder are)")
_BROKEN_LINK = "ลิงก์ที่ชี้ไปยังไฟล์ที่ไม่มีอยู่ / a link to a file that does not exist"
_NOT_A_FILE = "ไม่ใช่ไฟล์ธรรมดา (เช่น pipe) / not a regular file (a pipe, for example)"


def _unused(classified: Classified) -> list[tuple[str, str]]:
    """List (file, why) for the files a reviewed folder held besides its export and roster."""
    unused = [
        (shown_path(path.name), f"{exc.th} / {exc.en}") for path, exc in classified.unreadable
    ]
    unused += [(shown_path(path.name), _NEITHER) for path in classified.neither]
    return sorted(unused + classified.not_files)


def _ignored(entry: os.DirEntry[str]) -> bool:
    # Hidden files and Excel's "~$" lock files are never inputs (a workbook named "~$..." is
    # read like any other file: nothing the user gave is dropped unseen).
    name = entry.name
    if name.startswith("~$"):
        from laas_audit.grid import is_lock_file  # only such names pay for the import

        return is_lock_file(Path(entry.path))
    return name.startswith(".") or name.casefold() in _IGNORED_NAMES


def _pick(folder: Path, classified: Classified) -> tuple[Grid, Grid] | SkippedBody:
    """Choose the folder's export and roster, or say why the folder cannot be reviewed."""
    found, unreadable = classified.found, classified.unreadable
    name = shown_path(folder.name)
    roles: tuple[tuple[Role, str, str], ...] = (
        ("export", "รายงานผู้ใช้งาน (export) ", "export"),
        ("roster", "ทะเบียนบุคลากร (roster) ", "roster"),
    )
    for role, th, en in roles:
        files = found[role]
        if len(files) > 1:
            listed = ", ".join(shown_path(g.path.name) for g in files)
            return SkippedBody(
                name,
                f"พบไฟล์{th}มากกว่าหนึ่งไฟล์: {listed}; เก็บไว้ในโฟลเดอร์เพียงไฟล์เดียว",
                f"more than one {en} file: {listed}; keep only one in the folder",
                kind=f"two-{role}s",
            )
        if not files:
            why = [(_short(exc), _unreadable_why(p, exc)) for p, exc in unreadable]
            seen = "; ".join(f"{where.describe_th()}: {text}" for where, (text, _) in why)
            # Subfolders are listed too ("2569/"): files are only looked for at the top.
            other = ", ".join(classified.names()) or "-"
            # What a file that is neither showed instead (a cover letter, a renamed CSV).
            shown = "; ".join(
                f"{shown_path(p.name)}: '{classified.seen[p]}'" if classified.seen.get(p)
                else shown_path(p.name)
                for p in classified.neither
            )
            return SkippedBody(
                name,
                f"ไม่พบไฟล์{th}ที่อ่านได้ในโฟลเดอร์ (ไฟล์ที่มี: {other})"
                + (f"; อ่านไม่ได้: {seen}" if seen else "")
                + (f"; ไม่ใช่รายงานผู้ใช้งานหรือทะเบียนบุคลากร ข้อความแรกที่พบ: {shown}"
                   if shown else ""),
                f"no readable {en} in the folder (files: {other})"
                + ("; unreadable: " + "; ".join(
                    f"{where.describe()}: {text}" for where, (_, text) in why
                ) if why else "")
                + (f"; neither an export nor a roster, first text seen: {shown}"
                   if shown else ""),
                kind=f"no-{role}",
            )
    return found["export"][0], found["roster"][0]


# What a zip, RAR or 7-Zip file is called, by its name's ending (anything else: an archive).
_ARCHIVE_NAMES = {
    ".zip": ("ไฟล์ zip", "a zip archive"),
    ".rar": ("ไฟล์ RAR", "a RAR archive"),
    ".7z": ("ไฟล์ 7-Zip", "a 7-Zip archive"),
}


def _archive_why(path: Path, exc: InputError) -> tuple[str, str] | None:
    """Say what to do with an archive (a body sent zipped), in Thai and English; else None.

    The reader's own advice names no folder ("give the file inside"): in a batch the files
    must be extracted into the body's folder.
    """
    from laas_audit.grid import FileError

    if not (isinstance(exc, FileError) and exc.advice == "archive"):
        return None
    th, en = _ARCHIVE_NAMES.get(path.suffix.casefold(), ("ไฟล์บีบอัด", "an archive"))
    return (f"{th}: แตกไฟล์ลงในโฟลเดอร์ของหน่วยงานแล้วรันอีกครั้ง",
            f"{en}: extract it into the body's own folder and run again")


def _unreadable_why(path: Path, exc: InputError) -> tuple[str, str]:
    """Why a file of a body folder could not be read (an archive: what to do with it)."""
    return _archive_why(path, exc) or (exc.th, exc.en)


@dataclass
class _Read:
    """A body's two tables, read and not yet reviewed."""

    folder: Path
    export: ExportTable
    roster: RosterTable
    export_path: Path
    roster_path: Path
    unused: list[tuple[str, str]]  # the folder's other files, and why they were not used


def review_folder(folder: Path) -> BodyRow | SkippedBody:
    """Classify, read, review and write one body folder (in a worker initialised for the run)."""
    read = _guarded(folder, lambda: _read(folder, validate=True))
    if isinstance(read, _Read):
        return _guarded(folder, lambda: _finish(read))
    return read


def _read(folder: Path, *, validate: bool) -> _Read | SkippedBody:
    """Pick and read the folder's export and roster (`validate=False`: the caller validates).

    Raises `InputError` for what the readers raise. Without validation, a roster that cannot be
    read still reports an invalid export first, as a validating read of the export would have.
    """
    from laas_audit.read_export import export_from_grid
    from laas_audit.read_roster import roster_from_grid

    classified = classify(folder)
    picked = _pick(folder, classified)
    if isinstance(picked, SkippedBody):
        return picked
    export_grid, roster_grid = picked
    mapping, policy = _WORKER[0].mapping, _WORKER[0].policy
    export = export_from_grid(export_grid, mapping, validate=validate)
    try:
        roster = roster_from_grid(roster_grid, mapping, validate=validate, policy=policy)
    except InputError:
        if not validate:
            from laas_audit.schemas import validate_export

            validate_export(export.accounts, export.source.path, export.source.sheet)
        raise
    return _Read(
        folder, export, roster, export_grid.path, roster_grid.path, _unused(classified)
    )


def _finish(read: _Read) -> BodyRow:
    """Review the tables of a body and write its folder."""
    from laas_audit.review import ReviewOptions, review_tables

    worker = _WORKER[0]
    options, policy, mapping = worker.options, worker.policy, worker.mapping
    run = review_tables(
        read.export, read.roster, read.export_path, read.roster_path,
        ReviewOptions(as_of=options.as_of, mapping=mapping), policy,
    )
    name = read.folder.name
    report: str | None = None
    kept_worksheet: str | None = None
    if not options.share:
        from laas_audit.publish import REPORT_HTML, WORKSHEET_XLSX, write_review

        extra = [(role, p) for role, p in (("policy", options.policy),
                                           ("mapping", options.mapping)) if p is not None]
        write_review(
            run, options.out_dir / name, html=True,
            worksheet=options.worksheets, extra_inputs=extra, paths=worker.paths,
        )
        report = f"{name}/{REPORT_HTML}"
        if not options.worksheets:  # an earlier run's worksheet may sit beside the new report
            kept_worksheet = _file_date(options.out_dir / name / WORKSHEET_XLSX)
    row = BodyRow.from_result(name, run.result, report, policy.is_inactive_account_status)
    row.unused = read.unused
    row.kept_worksheet = kept_worksheet
    return row


def _file_date(path: Path) -> str | None:
    """Give the ISO date a file was last written (None when there is no such file)."""
    try:
        return date.fromtimestamp(path.stat().st_mtime).isoformat()
    except OSError:
        return None


T = TypeVar("T")


def _guarded(folder: Path, step: Callable[[], T]) -> T | SkippedBody:
    """Run one step for a body; what goes wrong becomes the body's skip reason."""
    try:
        return step()
    except InputError as exc:
        where = _short(exc)
        return SkippedBody(
            shown_path(folder.name),
            f"{where.describe_th()}: {exc.th}" + (f" ({exc.hint_th})" if exc.hint_th else ""),
            f"{where.describe()}: {exc.en}" + (f" ({exc.hint_en})" if exc.hint_en else ""),
            kind="input",
            problems=tuple(exc.problems),
        )
    except Exception as exc:  # a bug, or an input nobody foresaw: one body must not stop 300
        if _WORKER[0].options.debug:
            raise
        return SkippedBody(
            shown_path(folder.name),
            f"ประมวลผลไม่สำเร็จ ({type(exc).__name__}: {exc}); ตรวจโฟลเดอร์นี้ด้วยคำสั่ง "
            f"laas-audit review --debug แล้วแจ้งผู้ดูแลเครื่องมือ",
            f"processing failed ({type(exc).__name__}: {exc}); run `laas-audit review --debug` "
            f"on this folder and report the output",
            kind="error",
        )


def _short(exc: InputError) -> Location:
    """Return the error's location with the file name only (the folder is already named)."""
    loc = exc.location
    return Location(Path(loc.file).name, loc.sheet, loc.row, loc.column)


def _review_chunk(folders: Sequence[Path]) -> list[BodyRow | SkippedBody]:
    """Review a chunk of bodies: read all, check their tables together, then review each.

    The chunk's exports, then its rosters, are checked against the row rules pandera runs
    (`table_rules`), without pandas; only when one fails is each table validated alone by
    pandera, which raises the same error (and so the same skip reason) a validating read
    would have, export first.
    """
    from laas_audit.table_rules import exports_pass, rosters_pass

    out: list[BodyRow | SkippedBody] = []
    reads: list[_Read] = []
    for folder in folders:
        read = _guarded(folder, partial(_read, folder, validate=False))
        if isinstance(read, _Read):
            reads.append(read)
        else:
            out.append(read)
    def export_gate(rs: list[_Read]) -> bool:
        return exports_pass([r.export.accounts for r in rs])

    def roster_gate(rs: list[_Read]) -> bool:
        return rosters_pass([r.roster.people for r in rs])

    def export_one(r: _Read) -> None:
        from laas_audit.schemas import validate_export

        validate_export(r.export.accounts, r.export.source.path, r.export.source.sheet)

    def roster_one(r: _Read) -> None:
        from laas_audit.schemas import validate_roster

        validate_roster(r.roster.people, r.roster.source.path, r.roster.source.sheet)

    for passes, validate_one in ((export_gate, export_one), (roster_gate, roster_one)):
        if not reads or _all_pass(passes, reads):
            continue
        kept: list[_Read] = []
        for read in reads:
            checked = _guarded(read.folder, partial(validate_one, read))
            if isinstance(checked, SkippedBody):
                out.append(checked)
            else:
                kept.append(read)
        reads = kept
    out.extend(_guarded(r.folder, partial(_finish, r)) for r in reads)
    return out


def _all_pass(passes: Callable[[list[_Read]], bool], reads: list[_Read]) -> bool:
    try:
        return passes(reads)
    except Exception:  # the joint gate is only a shortcut: on any surprise, check one by one
        if _WORKER[0].options.debug:
            raise
        return False


# ------------------------------------------------------------------------------------------
# The run (parent process)
# ------------------------------------------------------------------------------------------


def body_folders(input_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """List the body subfolders of INPUT_DIR (hidden ones and the output folder left out)."""
    _check_input_dir(input_dir)
    out_resolved = out_dir.resolve() if out_dir is not None else None
    top = input_dir.resolve()
    folders = []
    # scandir: no stat per entry; and only a link can lead elsewhere than top/name, so only a
    # link is resolved (resolving all 2,000 folders of a province took ~70 ms before the fork).
    with os.scandir(input_dir) as scan:
        for entry in scan:
            name = entry.name
            if name.startswith(".") or name.casefold() in _IGNORED_DIRS or not entry.is_dir():
                continue
            path = input_dir / name
            if (path.resolve() if entry.is_symlink() else top / name) == out_resolved:
                continue  # --out inside INPUT_DIR: a previous run's output is not a body
            folders.append(path)
    return sorted(folders)


def loose_files(input_dir: Path, share: bool = False) -> tuple[list[SkippedBody], list[str]]:
    """Sort the files lying directly in INPUT_DIR, and its hidden folders: in no body folder.

    An export or roster among them is a body that was not reviewed: it is listed with the
    skipped folders (otherwise it would be missing from the rollup without a word), as is a
    hidden folder (".อบต.หนองบัว") holding one, and an archive (a body sent as a zip), unless
    a folder of its name is beside it (extracted already). The names of the others (a README,
    a cover letter, ".git/") are returned for the run's summary. Under `share` nothing is named
    (a file name may hold a person's).
    """
    from laas_audit.grid import load_grid
    from laas_audit.layout import detect_kind

    skipped: list[SkippedBody] = []
    others: list[str] = []
    with os.scandir(input_dir) as scan:  # no stat per entry: a province has 2,000 folders
        entries = list(scan)
    names = sorted(e.name for e in entries if not _ignored(e) and not e.is_dir())
    hidden = sorted(e.name for e in entries if e.name.startswith(".") and e.is_dir())
    folders = {e.name.casefold() for e in entries if e.is_dir()}
    for folder in hidden:
        shown = _HIDDEN_SHARED if share else shown_path(folder) + "/"
        if _holds_inputs(input_dir / folder):
            skipped.append(SkippedBody(
                shown,
                "โฟลเดอร์นี้ชื่อขึ้นต้นด้วยจุด (โฟลเดอร์ซ่อน) จึงไม่ได้ตรวจ แม้มีรายงานผู้ใช้งานหรือ"
                "ทะเบียนบุคลากร; เปลี่ยนชื่อโฟลเดอร์ให้ไม่ขึ้นต้นด้วยจุดแล้วตรวจอีกครั้ง",
                "this folder's name starts with a dot (a hidden folder), so it was not reviewed, "
                "though it holds an export or a roster; rename it without the dot and run again",
                kind="hidden-folder",
            ))
        else:
            others.append(shown)
    for path in (input_dir / name for name in names):
        archive: tuple[str, str] | None = None
        try:
            kind = detect_kind(load_grid(path, None).sheets)
        except InputError as exc:
            kind, archive = None, _archive_why(path, exc)
        name = _LOOSE_SHARED if share else shown_path(path.name)
        if archive is not None and path.stem.casefold() not in folders:
            skipped.append(SkippedBody(name, *archive, kind="archive"))
            continue
        if kind is None:
            others.append(name)
            continue
        this_th, pair_th, pair_en = (
            ("รายงานผู้ใช้งาน", "ทะเบียนบุคลากร", "roster") if kind == "export"
            else ("ทะเบียนบุคลากร", "รายงานผู้ใช้งาน", "export")
        )
        skipped.append(SkippedBody(
            name,
            f"ไฟล์{this_th}นี้อยู่ในโฟลเดอร์ข้อมูลนำเข้าโดยตรง ไม่ได้อยู่ในโฟลเดอร์ของหน่วยงานใด "
            f"จึงไม่ได้ตรวจ; ย้ายไปไว้ในโฟลเดอร์ของหน่วยงานนั้นพร้อมกับ{pair_th}",
            f"this {kind} lies directly in the input folder, not in a body's folder, so it was "
            f"not reviewed; put it in its body's folder with the {pair_en}",
            kind="loose-file",
        ))
    return skipped, others


_LOOSE_SHARED = "(ไฟล์ที่ไม่อยู่ในโฟลเดอร์ของหน่วยงาน / a file outside the body folders)"
_HIDDEN_SHARED = "(โฟลเดอร์ซ่อน / a hidden folder)"


def _holds_inputs(folder: Path) -> bool:
    """Say whether a folder's own files include an export or a roster (its subfolders not)."""
    from laas_audit.grid import load_grid
    from laas_audit.layout import detect_kind

    try:
        with os.scandir(folder) as scan:
            files = [Path(e.path) for e in scan if e.is_file() and not _ignored(e)]
    except OSError:
        return False
    for path in files:
        try:
            if detect_kind(load_grid(path).sheets) is not None:
                return True
        except InputError:
            continue
    return False


def _check_out_beside_input(input_dir: Path, out_dir: Path) -> None:
    """Refuse an output folder that is INPUT_DIR itself or lies inside one of its body folders.

    Either would write reports into the folders being reviewed, where the next run reads them
    as inputs. A subfolder of INPUT_DIR is fine: it is not taken for a body.
    """
    inside = out_dir.resolve()
    top = input_dir.resolve()
    if inside == top or (inside.is_relative_to(top) and inside.parent != top):
        raise InputError(
            Location(str(out_dir)),
            "โฟลเดอร์ผลลัพธ์ (--out) คือโฟลเดอร์ข้อมูลนำเข้า หรืออยู่ในโฟลเดอร์ของหน่วยงาน "
            "ผลการตรวจจะปนกับไฟล์ที่ส่งมา",
            "the output folder (--out) is the input folder or lies inside a body's folder, so "
            "the results would be mixed with the files sent in",
            "ระบุโฟลเดอร์ผลลัพธ์อื่น เช่น โฟลเดอร์ใหม่ข้างโฟลเดอร์ข้อมูลนำเข้า",
            "give another output folder, such as a new folder beside the input folder",
        )


def _check_input_dir(input_dir: Path) -> None:
    if not input_dir.exists():
        raise InputError(
            Location(str(input_dir)),
            "ไม่พบโฟลเดอร์ข้อมูล",
            "the input folder does not exist",
            "ระบุโฟลเดอร์ที่มีโฟลเดอร์ย่อยหนึ่งโฟลเดอร์ต่อหนึ่งหน่วยงาน",
            "give a folder holding one subfolder per body",
        )
    if not input_dir.is_dir():
        raise InputError(
            Location(str(input_dir)),
            "ที่ระบุเป็นไฟล์ ไม่ใช่โฟลเดอร์",
            "this is a file, not a folder",
            "ระบุโฟลเดอร์ที่มีโฟลเดอร์ย่อยหนึ่งโฟลเดอร์ต่อหนึ่งหน่วยงาน "
            "(ตรวจหน่วยงานเดียวใช้คำสั่ง laas-audit review)",
            "give a folder holding one subfolder per body (for one body use `laas-audit review`)",
        )


def _check_share_dir(out_dir: Path) -> None:
    """Refuse to write a --share rollup beside per-body reports that hold names and usernames."""
    from laas_audit.rollup import INDEX_HTML, ROLLUP_JSON, ROLLUP_XLSX

    if not out_dir.is_dir():
        return
    other = sorted(p.name for p in out_dir.iterdir()
                   if p.name not in {INDEX_HTML, ROLLUP_JSON, ROLLUP_XLSX})
    if other:
        raise InputError(
            Location(str(out_dir)),
            "โฟลเดอร์ผลลัพธ์ของ --share มีไฟล์อื่นอยู่แล้ว (เช่น รายงานรายหน่วยงานที่มีชื่อบุคคล): "
            + ", ".join(other[:5]),
            "the --share output folder already holds other files (such as per-body reports "
            "with people's names): " + ", ".join(other[:5]),
            "ระบุโฟลเดอร์ใหม่สำหรับฉบับเผยแพร่ เพื่อไม่ให้ส่งข้อมูลส่วนบุคคลออกไปโดยไม่ตั้งใจ",
            "give a new folder for the shareable rollup, so nothing personal is sent by mistake",
        )


def earlier_outputs(
    out_dir: Path, bodies: Sequence[BodyRow], skipped: Sequence[SkippedBody],
    copies: Sequence[SkippedBody] = (),
) -> list[EarlierOutput]:
    """List what an earlier run left in `out_dir` that this run did not rewrite.

    A body folder is one holding manifest.json: what `review` and `batch` write. A body that
    could not be reviewed this time keeps its earlier folder, as does one no longer in
    INPUT_DIR, and a body reviewed without --worksheets keeps an earlier findings.xlsx beside
    its new report. None is deleted, but none must pass for this run's. (`copies`: folders this
    run reviewed and wrote, but skipped as a copy of another.)
    """
    from laas_audit.manifest import MANIFEST_JSON, STAGE_PREFIX, written_on
    from laas_audit.publish import WORKSHEET_XLSX

    written = {b.folder for b in bodies} | {c.folder for c in copies}
    skipped_now = {s.folder for s in skipped}
    found: list[EarlierOutput] = []
    with os.scandir(out_dir) as scan:
        for entry in scan:
            name = shown_path(entry.name)
            if (
                entry.name in written
                or entry.name.startswith((".", STAGE_PREFIX))
                or not entry.is_dir()
                or not os.path.isfile(os.path.join(entry.path, MANIFEST_JSON))
            ):
                continue
            created = written_on(Path(entry.path))
            why: EarlierWhy = "skipped_now" if name in skipped_now else "not_in_input"
            found.append(EarlierOutput(name, created, why))
    found += [
        EarlierOutput(f"{b.folder}/{WORKSHEET_XLSX}", b.kept_worksheet, "worksheet_not_rewritten")
        for b in bodies if b.kept_worksheet is not None
    ]
    return sorted(found, key=lambda e: e.folder)


def _chunks(items: Sequence[Path], jobs: int) -> list[Sequence[Path]]:
    """Cut the bodies into chunks for the workers, the last round of chunks smaller.

    A worker that finishes first waits for the others' last chunk (then the rollup starts):
    with the last `jobs` chunks cut in four, it waits for a few bodies, not for sixteen.
    """
    size = max(1, min(_MAX_CHUNK, len(items) // (jobs * 4) or 1))
    head = max(0, len(items) - size * jobs)
    head -= head % size
    small = max(1, size // 4)
    return [items[i:i + size] for i in range(0, head, size)] + [
        items[i:i + small] for i in range(head, len(items), small)
    ]


def _run_serial(
    folders: Sequence[Path], options: BatchOptions
) -> Iterator[list[BodyRow | SkippedBody]]:
    saved = list(_WORKER)
    _import_review_modules()
    _init_worker(options)
    threshold = gc.get_threshold()
    _tune_collector()
    try:
        for start in range(0, len(folders), _MAX_CHUNK):
            yield _review_chunk(folders[start:start + _MAX_CHUNK])
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
        _WORKER[:] = saved


class _Bar(Protocol):
    def update(self, n: int = 1) -> object: ...

    def close(self) -> None: ...


class _NoBar:
    def update(self, n: int = 1) -> object:
        return None

    def close(self) -> None:
        return None


def _progress(total: int, enabled: bool) -> _Bar:
    # Only a person at a terminal wants a bar; in a log file or a pipe it is noise.
    if enabled and sys.stderr.isatty():
        from tqdm import tqdm

        bar: _Bar = tqdm(total=total, file=sys.stderr, unit=" หน่วยงาน", dynamic_ncols=True)
        return bar
    return _NoBar()


def run_batch(
    input_dir: Path,
    out_dir: Path,
    *,
    as_of: date | None = None,
    policy: Path | None = None,
    mapping: Path | None = None,
    jobs: int | None = None,
    worksheets: bool = False,
    share: bool = False,
    progress: bool = True,
    debug: bool = False,
) -> BatchResult:
    """Review every body folder of `input_dir` into `out_dir` and write the rollup.

    Raises `InputError` when `input_dir` is unusable or the policy/mapping is bad; a body that
    cannot be reviewed is skipped with its reason, never fatal. With `share`, only the rollup is
    written (no per-body folders) and it holds counts and rates only.
    """
    from laas_audit import __version__
    from laas_audit.checks import load_catalogue
    from laas_audit.output import check_output_dir
    from laas_audit.policy import load_policy

    folders = body_folders(input_dir, out_dir)
    _check_out_beside_input(input_dir, out_dir)
    check_output_dir(out_dir)
    if share:
        _check_share_dir(out_dir)
    load_policy(policy)  # fail once, here, on a bad policy: not once per worker
    _load_mapping(mapping)
    options = BatchOptions(
        out_dir=out_dir, as_of=as_of, policy=policy, mapping=mapping,
        worksheets=worksheets, share=share, debug=debug,
    )
    if not folders:
        raise InputError(
            Location(str(input_dir)),
            "ไม่มีโฟลเดอร์ย่อยของหน่วยงานในโฟลเดอร์นี้",
            "this folder holds no body subfolders",
            "จัดไฟล์เป็นหนึ่งโฟลเดอร์ย่อยต่อหนึ่งหน่วยงาน (ตรวจหน่วยงานเดียวใช้ laas-audit review)",
            "put each body's files in a subfolder of their own (for one body use "
            "`laas-audit review`)",
        )
    jobs = min(max(1, jobs or os.cpu_count() or 1), len(folders))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            Location(str(out_dir)),
            f"สร้างโฟลเดอร์ผลลัพธ์ไม่ได้ ({exc.strerror})",
            f"cannot create the output folder ({exc.strerror})",
            "เลือกโฟลเดอร์ที่มีสิทธิ์เขียน",
            "choose a folder you can write to",
        ) from exc
    results: list[BodyRow | SkippedBody] = []
    with ExitStack() as stack:
        runner: Iterable[list[BodyRow | SkippedBody]]
        pool: ProcessPoolExecutor | None = None
        if jobs == 1:
            runner = _run_serial(folders, options)
        else:
            # Workers are forked before the progress bar starts its monitor thread. Forked
            # (where the OS can) after the parent imported the review modules once: the
            # workers start at once and share those pages instead of importing them again.
            context = _fork_context()
            if context is not None:
                _import_review_modules()
            pool = ProcessPoolExecutor(
                max_workers=jobs, mp_context=context, initializer=_init_pool_worker,
                initargs=(options,),
            )
            # On Ctrl-C or a failure, drop the chunks not started instead of finishing them all.
            stack.callback(pool.shutdown, wait=True, cancel_futures=True)
            futures = [pool.submit(_review_chunk, c) for c in _chunks(folders, jobs)]
            runner = (f.result() for f in as_completed(futures))
            # This process is idle while the workers review: load the workbook writer now
            # (XlsxWriter, ~0.05 s) rather than after the last body.
            import laas_audit.rollup_xlsx  # noqa: F401
        # Files lying loose beside the body folders, sorted while the workers start.
        loose, loose_others = loose_files(input_dir, share)
        bar = _progress(len(folders), progress)
        stack.callback(bar.close)
        for chunk in runner:
            results.extend(chunk)
            bar.update(len(chunk))
        bar.close()
        bodies, copies, same_name = split_duplicates(
            [r for r in results if isinstance(r, BodyRow)]
        )
        skipped = sorted(
            [*(r for r in results if isinstance(r, SkippedBody)), *loose, *copies],
            key=lambda s: s.folder,
        )
        rollup = Rollup(
            as_of=as_of, bodies=bodies, skipped=skipped, rules=load_catalogue(), share=share,
            tool_version=__version__,
            earlier=[] if share else earlier_outputs(out_dir, bodies, skipped, copies),
            same_name=same_name,
        )
        # The workers are idle now: they write index.html and rollup.json, this process the
        # workbook.
        written = write_rollup(rollup, out_dir, pool.submit if pool is not None else None)
    return BatchResult(out_dir=out_dir, rollup=rollup, written=written,
                       loose_others=loose_others)
