"""Every bad or hostile input in tests/bad_corpus.py, run through the CLI end to end (issue 7).

A refused input must exit 2 with a Thai and English message that names the file, says what to
do, shows no traceback, and is a real explanation (`InputError`), not the catch-all "could not
process" path. The output folder must be untouched: a good review is written into OUT first,
the bad run goes into the same OUT, and every file must still be byte-identical (and a fresh OUT
must not be created). Odd-but-readable inputs must exit 0, read every row and report the oddity
as a warning in findings.json.

Bombs and huge files run in a subprocess whose address space is capped at 2 GiB (issue 7's
memory bound), with a timeout; the simple cases run in-process with click's CliRunner, and a
few of them also in a subprocess to show both paths agree.
"""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from laas_audit.cli import cli
from tests import bad_corpus
from tests.bad_corpus import CAP_BYTES, CASES, GOOD_CASES, BadCase, BuiltCase, run_capped

# "<test>/<case id>" -> why it fails today. Remove an entry when its fix lands (xfail is strict,
# so a fixed case turns the run red until its entry goes).
KNOWN_GAPS: dict[str, str] = {
}

TIMEOUT = 60.0
CATCH_ALL = ("ประมวลผลไฟล์ไม่สำเร็จ", "could not process")  # cli.py's message for a bug
BY_ID = {c.id: c for c in CASES + GOOD_CASES}
REFUSED = [c for c in CASES if not c.readable]
READABLE = [c for c in CASES + GOOD_CASES if c.readable]
FILES = [c for c in CASES + GOOD_CASES if c.role in ("export", "roster")]
# simple cases also run as a real `python -m laas_audit` child: one per kind of failure
SPOT_CHECKS = ("missing-path", "truncated-xlsx", "roster-as-export", "as-of-feb-30",
               "out-is-file", "date-31-02-2569")


def gap(key: str) -> list[pytest.MarkDecorator]:
    """A strict xfail while KNOWN_GAPS lists `key`, else nothing."""
    reason = KNOWN_GAPS.get(key)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def params(test: str, cases: list[BadCase]) -> list[object]:
    """Case ids as pytest params, strict-xfail where KNOWN_GAPS lists `test/id`."""
    return [pytest.param(c.id, id=c.id, marks=gap(f"{test}/{c.id}")) for c in cases]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuiltCase]:
    """Every case written once into a temp folder."""
    folder = tmp_path_factory.mktemp("bad-corpus")
    built = bad_corpus.build_corpus(folder, cases=CASES + GOOD_CASES)
    return {b.case.id: b for b in built}


@pytest.fixture(scope="module")
def good_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good review's output folder, the 'previous good output' a bad run must not touch."""
    out = tmp_path_factory.mktemp("good") / "out"
    result = CliRunner().invoke(cli, ["review", str(bad_corpus.GOOD_EXPORT), "--roster",
                                      str(bad_corpus.GOOD_ROSTER), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "findings.json").is_file()
    return out


@dataclass(frozen=True)
class Outcome:
    """Exit code and the two streams of one CLI run (in-process or a capped child)."""

    code: int
    stdout: str
    stderr: str
    max_rss: int = 0
    timed_out: bool = False


def run(args: list[str], *, subprocess: bool, timeout: float = TIMEOUT) -> Outcome:
    """Run the CLI; a child is capped at 2 GiB and killed after `timeout` seconds."""
    if subprocess:
        r = run_capped(args, cap=CAP_BYTES, timeout=timeout)
        return Outcome(r.code, r.stdout, r.stderr, r.max_rss, r.timed_out)
    try:
        result = CliRunner().invoke(cli, args)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # CliRunner catches Exception only: a BaseException escaped
        raise AssertionError(f"{type(exc).__name__} escaped the CLI: {exc}") from exc
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("an exception escaped the CLI") from result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def all_text(folder: Path) -> str:
    """All files under `folder` as text (bytes decoded leniently), for leak checks."""
    parts = []
    for p in folder.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            if p.suffix == ".xlsx":  # look inside the zip, where the cell text is
                with zipfile.ZipFile(p) as zf:
                    data = b"".join(zf.read(n) for n in zf.namelist())
            parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts)


# --------------------------------------------------------------------------- assertions


def named(built: BuiltCase) -> str:
    """What the message must name: the file's name, or the bad --as-of value."""
    return built.case.name if built.case.role == "as_of" else built.path.name


def assert_refused(built: BuiltCase, got: Outcome) -> None:
    """Exit 2, a two-language InputError message naming the file, no traceback."""
    case = built.case
    err = got.stderr
    assert not got.timed_out, f"{case.id}: still running after {case.timeout} s"
    assert got.code == 2, f"{case.id}: exit {got.code}\n{err}"
    assert named(built) in err, f"message does not name {named(built)!r}:\n{err}"
    assert "ข้อผิดพลาด" in err and "Error" in err, err
    assert "วิธีแก้" in err and "What to do" in err, f"no advice on what to do:\n{err}"
    assert "Traceback" not in err + got.stdout, err
    assert not got.stdout.strip(), f"a refused run printed to stdout:\n{got.stdout}"
    assert not any(c in err for c in CATCH_ALL), f"an unexpected exception, not InputError:\n{err}"
    low = err.lower()
    for alternatives in case.says:
        assert any(a.lower() in low for a in alternatives.split("|")), (
            f"message lacks any of {alternatives!r}:\n{err}")
    for text in case.never:
        assert text not in err + got.stdout


def assert_bounded(got: Outcome) -> None:
    """A capped child stayed under the memory bound (a MemoryError would be a bug, too)."""
    assert got.max_rss < CAP_BYTES, f"peak RSS {got.max_rss >> 20} MB"
    assert "MemoryError" not in got.stderr


# --------------------------------------------------------------------------- review: refused


@pytest.mark.parametrize("case_id", params("review", REFUSED))
def test_review_refuses_and_keeps_previous_output(
    case_id: str, corpus: dict[str, BuiltCase], good_out: Path, tmp_path: Path
) -> None:
    """Exit 2 with a clear message; the previous good output is byte-identical afterwards."""
    built = corpus[case_id]
    if built.case.role == "out":  # the --out path is an existing file: it must stay as it was
        content = built.path.read_bytes()
        siblings = sorted(p.name for p in built.path.parent.iterdir())
        got = run(built.review_args(tmp_path / "unused"), subprocess=built.case.heavy)
        assert_refused(built, got)
        assert built.path.read_bytes() == content
        assert sorted(p.name for p in built.path.parent.iterdir()) == siblings
        return
    out = tmp_path / "out"
    shutil.copytree(good_out, out)
    before = snapshot(out)
    got = run(built.review_args(out), subprocess=built.case.heavy, timeout=built.case.timeout)
    assert_refused(built, got)
    assert snapshot(out) == before, "the previous good output changed"
    if built.case.heavy:
        assert_bounded(got)


@pytest.mark.parametrize("case_id", params("fresh-out", [c for c in REFUSED if c.role != "out"
                                                         and not c.heavy]))
def test_review_refused_creates_no_output_folder(
    case_id: str, corpus: dict[str, BuiltCase], tmp_path: Path
) -> None:
    """A refused run into a new OUT leaves nothing behind, not even an empty folder."""
    out = tmp_path / "new" / "out"
    got = run(corpus[case_id].review_args(out), subprocess=False)
    assert got.code == 2, got.stderr
    assert not out.exists(), sorted(p.name for p in out.rglob("*"))
    assert not (tmp_path / "new").exists()


# --------------------------------------------------------------------------- review: readable


def check_formulas(out: Path) -> None:
    """No output cell is a formula: payloads are stored as text, quote-prefixed or quoted."""
    books = list(out.glob("*.xlsx"))
    assert books
    for book_path in books:
        with zipfile.ZipFile(book_path) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/"):
                    xml = zf.read(name)
                    assert b"<f>" not in xml and b"<f " not in xml, f"{book_path.name}:{name}"
        seen = 0
        for ws in load_workbook(book_path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(bad_corpus.FORMULAS):
                        seen += 1
                        assert cell.data_type == "s" and cell.quotePrefix, (
                            f"{book_path.name}!{ws.title}!{cell.coordinate}: {cell.value}")
        assert seen or book_path.name != "findings.xlsx"  # the payloads did reach the report
    for csv_path in out.glob("*.csv"):
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                for value in row:
                    assert not value.lstrip().startswith(bad_corpus.FORMULAS), value


def check_escaped(out: Path) -> None:
    """Markup in names is text in the report, never markup."""
    page = (out / "report.html").read_text(encoding="utf-8")
    assert bad_corpus.PEOPLE[0][1] in page  # the name is there ...
    for raw in bad_corpus.HOSTILE:
        assert raw not in page  # ... but its markup is escaped


EXTRA_CHECKS = {"formula-payloads": check_formulas, "script-in-names": check_escaped}


@pytest.mark.parametrize("case_id", params("review", READABLE))
def test_review_reads_odd_input_whole(
    case_id: str, corpus: dict[str, BuiltCase], tmp_path: Path
) -> None:
    """Exit 0, every data row read, the oddity reported as a warning in findings.json."""
    built = corpus[case_id]
    case = built.case
    out = tmp_path / "out"
    got = run(built.review_args(out), subprocess=case.heavy)
    assert got.code == 0, got.stderr
    assert "Traceback" not in got.stderr
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    inputs = {i["role"]: i for i in findings["inputs"]}
    assert inputs[case.role]["file"] == built.path.name
    assert inputs[case.role]["rows"] == case.rows, "a data row was lost"
    if case.role == "export":
        usernames = {a["username"] for a in findings["accounts"]}
        assert set(bad_corpus.USERNAMES) <= usernames
    for alternatives in case.warns:
        assert any(
            any(a in w for a in alternatives.split("|")) for w in findings["warnings"]
        ), f"no warning with {alternatives!r}: {findings['warnings']}"
    if case.never:
        text = all_text(out) + got.stdout + got.stderr
        for bad in case.never:
            assert bad not in text
    assert not [p for p in out.iterdir() if p.name.startswith(".laas-audit-tmp")]
    if case.heavy:
        assert_bounded(got)
    EXTRA_CHECKS.get(case_id, lambda _out: None)(out)


# --------------------------------------------------------------------------- inspect


@pytest.mark.parametrize("case_id", params("inspect", [c for c in FILES
                                                       if c.inspect_exits != ()]))
def test_inspect(case_id: str, corpus: dict[str, BuiltCase]) -> None:
    """`inspect FILE` refuses a bad file like review; reads a readable (or swapped) one."""
    built = corpus[case_id]
    case = built.case
    got = run(["inspect", str(built.path)], subprocess=case.heavy, timeout=case.timeout)
    expected = case.inspect_exits if case.inspect_exits is not None else case.exits
    if 2 in expected:
        assert_refused(built, got)
    else:
        assert got.code in expected, got.stderr
        assert "Traceback" not in got.stderr
        # a readable file is what its role says; a swapped one (refused by review) the other
        role = case.role if case.readable else {"export": "roster", "roster": "export"}[case.role]
        kind = {"export": "e-LAAS export", "roster": "HR roster"}[role]
        assert kind in got.stdout, got.stdout
    if case.heavy:
        assert_bounded(got)


# --------------------------------------------------------------------------- both paths agree


@pytest.mark.parametrize("case_id", SPOT_CHECKS)
def test_subprocess_agrees_with_in_process(
    case_id: str, corpus: dict[str, BuiltCase], tmp_path: Path
) -> None:
    """The real `python -m laas_audit` gives the same exit and message as the in-process run."""
    built = corpus[case_id]
    child = run(built.review_args(tmp_path / "a"), subprocess=True)
    here = run(built.review_args(tmp_path / "b"), subprocess=False)
    assert child.code == here.code == built.case.exits[0], child.stderr
    assert child.stderr.replace(str(tmp_path / "a"), "OUT") == here.stderr.replace(
        str(tmp_path / "b"), "OUT")
    assert_bounded(child)
    if child.code == 2:
        assert_refused(built, child)


def test_debug_shows_traceback_and_still_exits_2(corpus: dict[str, BuiltCase],
                                                 tmp_path: Path) -> None:
    """With --debug (before or after the command) the traceback is shown, with the message."""
    built = corpus["truncated-xlsx"]
    args = built.review_args(tmp_path / "out")
    for with_debug in (["--debug", *args], [*args, "--debug"]):
        got = run(with_debug, subprocess=True)
        assert got.code == 2
        assert "Traceback (most recent call last)" in got.stderr
        # an InputError (grid's FileError is one: its advice depends on the file's role)
        assert "InputError" in got.stderr or "grid.FileError" in got.stderr
        assert built.path.name in got.stderr and "What to do" in got.stderr
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- advice by role

# A file that cannot be read, given as either input: what to do depends on what it should be.
# The export is made again in New e-LAAS; the roster is the body's own HR file.
UNREADABLE: dict[str, Callable[[Path], None]] = {
    "empty": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_bytes(bad_corpus.GOOD_ROSTER.read_bytes()[:1500]),
    "nul-bytes": lambda p: p.write_bytes(b"\xe0\xb8\x8a\x00\x00" * 200),
    "pdf": lambda p: p.write_bytes(bad_corpus.PDF),
    "word": lambda p: _word(p),
}


def _word(path: Path) -> None:
    """A Word document under a spreadsheet name (a cover letter saved over the file)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>บันทึกข้อความ</w:document>")


def advice(stderr: str) -> tuple[str, str]:
    """The Thai and English 'what to do' lines of a refusal."""
    lines = stderr.splitlines()
    th = next(line for line in lines if "วิธีแก้:" in line)
    en = next(line for line in lines if "What to do:" in line)
    return th, en


@pytest.mark.parametrize("damage", sorted(UNREADABLE))
@pytest.mark.parametrize("role", ["export", "roster"])
def test_unreadable_file_advice_fits_its_role(role: str, damage: str, tmp_path: Path) -> None:
    """An unreadable export: export it from New e-LAAS again; a roster: the HR file, never that."""
    bad = tmp_path / f"{role}-{damage}.xlsx"
    UNREADABLE[damage](bad)
    export, roster = (bad, bad_corpus.GOOD_ROSTER) if role == "export" else (
        bad_corpus.GOOD_EXPORT, bad)
    got = run(["review", str(export), "--roster", str(roster), "--out", str(tmp_path / "out")],
              subprocess=False)
    assert got.code == 2, got.stderr
    assert bad.name in got.stderr and "Traceback" not in got.stderr
    th, en = advice(got.stderr)
    if role == "export":
        assert "New e-LAAS" in th and "New e-LAAS" in en, got.stderr
        assert "ทะเบียนบุคลากร" not in th and "roster" not in en, got.stderr
    else:
        assert "ทะเบียนบุคลากร" in th and "HR roster" in en, got.stderr
        assert "e-LAAS" not in th + en, got.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("damage", ["truncated", "pdf"])
def test_inspect_advice_covers_both_roles(damage: str, tmp_path: Path) -> None:
    """`inspect` does not know what the file should be: its advice covers both."""
    bad = tmp_path / f"unknown-{damage}.xlsx"
    UNREADABLE[damage](bad)
    got = run(["inspect", str(bad)], subprocess=False)
    assert got.code == 2, got.stderr
    th, en = advice(got.stderr)
    assert "New e-LAAS" in th and "ทะเบียนบุคลากร" in th, th
    assert "New e-LAAS" in en and "HR roster" in en, en


# --------------------------------------------------------------------------- the corpus itself


def test_corpus_is_broad_and_cheap(corpus: dict[str, BuiltCase]) -> None:
    """At least 35 refused cases, unique ids, and the whole corpus takes little disk."""
    assert len(REFUSED) >= 35
    assert len(BY_ID) == len(CASES) + len(GOOD_CASES)
    folder = next(iter(corpus.values())).path.parent.parent
    assert bad_corpus.disk_usage(folder) < 64 << 20
    assert corpus["over-size-limit"].path.stat().st_size >= 4 << 30  # sparse, yet 4 GiB long


def test_bombs_really_explode(corpus: dict[str, BuiltCase]) -> None:
    """The zip bombs inflate to GBs (else passing them proves nothing), from ~2 MB of zip."""
    honest = corpus["zip-bomb"].path
    with zipfile.ZipFile(honest) as zf:
        sheet = zf.getinfo("xl/worksheets/sheet1.xml")
        assert sheet.file_size >= 2 << 30
        assert honest.stat().st_size < 4 << 20
        with zf.open(sheet) as part:  # the data really is what the header says, for 64 MB
            assert sum(len(part.read(1 << 20)) for _ in range(64)) == 64 << 20
    lying = corpus["zip-bomb-lying-sizes"].path
    with zipfile.ZipFile(lying) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size < 1 << 20  # the header says small ...
        raw = lying.read_bytes()
        start = info.header_offset + 30 + len(info.filename.encode())
        inflate = zlib.decompressobj(-15)
        got = len(inflate.decompress(raw[start:start + info.compress_size], 256 << 20))
        assert got == 256 << 20  # ... the stream says otherwise


# --------------------------------------------------------------------------- damaged legacy .xls

# Bytes of the sample .xls that once made calamine abort the process (a Rust allocation failure
# Python cannot catch) or panic; a few more spread over the file for good measure.
XLS_FLIPS = [(6569, 131), (9626, 255), (512, 0), (2048, 255), (4100, 7), (8000, 200)]


@pytest.mark.parametrize("at, value", XLS_FLIPS, ids=[f"byte{a}" for a, _ in XLS_FLIPS])
def test_damaged_legacy_xls_never_kills_the_process(at: int, value: int, tmp_path: Path) -> None:
    """One changed byte: either read (exit 0) or refused with a message (exit 2), never a crash."""
    data = bytearray(bad_corpus.LEGACY_XLS.read_bytes())
    data[at] = value
    export = tmp_path / "export-damaged.xls"
    export.write_bytes(bytes(data))
    got = run_capped_review(export, tmp_path / "out")
    assert got.code in (0, 2), f"exit {got.code}: {got.stderr[-2000:]}"
    assert "Traceback" not in got.stderr and "panicked" not in got.stderr
    if got.code == 2:
        assert export.name in got.stderr and "Error" in got.stderr and "ข้อผิดพลาด" in got.stderr
        assert not (tmp_path / "out").exists()


def run_capped_review(export: Path, out: Path) -> bad_corpus.Run:
    """`review` of `export` with the good roster, in a capped child process."""
    args = ["review", str(export), "--roster", str(bad_corpus.GOOD_ROSTER), "--out", str(out)]
    return bad_corpus.run_capped(args, cap=CAP_BYTES, timeout=TIMEOUT)
