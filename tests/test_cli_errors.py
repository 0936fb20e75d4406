"""The CLI's one error path (cli.AuditGroup): every failure is a two-language message and exit 2.

Side inputs (--policy, --mapping, --previous, --exceptions, --matches) that are missing, a folder
or random bytes; an output path under a file; usage errors; impossible and valid --as-of; and
what happens when the library raises something that is not an `InputError` (a bug): a generic
message naming the inputs, exit 2, a traceback only with --debug.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from laas_audit.cli import cli
from tests.bad_corpus import GOOD_EXPORT, GOOD_ROSTER
from tests.test_bad_inputs import CATCH_ALL, gap

SIDE_OPTIONS = ("--policy", "--mapping", "--previous", "--exceptions", "--matches")
SIDE_KINDS = ("missing", "folder", "random-bytes")


def invoke(args: list[str]) -> Result:
    """Run the CLI in-process; a BaseException escaping click is a failure, not an error."""
    try:
        return CliRunner().invoke(cli, args)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # CliRunner catches Exception only
        raise AssertionError(f"{type(exc).__name__} escaped the CLI: {exc}") from exc


def review_args(out: Path, *extra: str) -> list[str]:
    """A good review of the sample body into `out`, plus `extra` options."""
    return ["review", str(GOOD_EXPORT), "--roster", str(GOOD_ROSTER), "--out", str(out), *extra]


def assert_message(result: Result, name: str) -> None:
    """Exit 2, a Thai and English InputError message naming `name`, what to do, no traceback."""
    err = result.stderr
    assert result.exit_code == 2, f"exit {result.exit_code}\n{result.output}"
    assert name in err, err
    assert "ข้อผิดพลาด" in err and "Error" in err, err
    assert "วิธีแก้" in err and "What to do" in err, err
    assert "Traceback" not in result.output
    assert not any(c in err for c in CATCH_ALL), f"not an InputError:\n{err}"


def side_input(tmp_path: Path, kind: str) -> Path:
    """A bad side file: missing, a folder, or random bytes."""
    path = tmp_path / f"ไฟล์เสริม-{kind}.yaml"
    if kind == "folder":
        path.mkdir()
    elif kind == "random-bytes":
        path.write_bytes(random.Random(11).randbytes(3000))
    return path


@pytest.mark.parametrize(("option", "kind"), [
    pytest.param(o, k, id=f"{o.strip('-')}-{k}", marks=gap(f"cli/{o.strip('-')}-{k}"))
    for o in SIDE_OPTIONS for k in SIDE_KINDS
])
def test_bad_side_input_is_refused(option: str, kind: str, tmp_path: Path) -> None:
    """A missing, folder or random-bytes --policy/--mapping/... is exit 2 and names the file."""
    path = side_input(tmp_path, kind)
    out = tmp_path / "out"
    result = invoke(review_args(out, option, str(path)))
    assert_message(result, path.name)
    assert not out.exists()


EXCEPTIONS_YAML = """\
- username: wasana.s
  rule: LA202
  reason: รักษาราชการแทนหัวหน้าฝ่ายบริหารงานคลัง
  approved_by: นายกองค์การบริหารส่วนตำบลโคกสำราญ
  expires: 2570-03-31
"""


def test_matches_given_another_kind_of_file_is_refused(tmp_path: Path) -> None:
    """An exceptions YAML given as --matches would confirm nothing: exit 2, say what it needs."""
    wrong = tmp_path / "ข้อยกเว้น.yaml"
    wrong.write_text(EXCEPTIONS_YAML, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(review_args(out, "--matches", str(wrong)))
    assert_message(result, wrong.name)
    assert "not a confirmed-matches file" in result.stderr
    assert "ไม่ใช่ไฟล์ยืนยันการจับคู่" in result.stderr
    assert "matches-to-confirm.csv" in result.stderr  # where a matches file comes from
    assert not out.exists()


def test_matches_file_not_filled_in_is_refused(tmp_path: Path) -> None:
    """The review's own matches-to-confirm.csv passed back unanswered: exit 2, nothing written."""
    first = tmp_path / "first"
    assert invoke(review_args(first)).exit_code == 0
    blank = first / "matches-to-confirm.csv"
    out = tmp_path / "out"
    result = invoke(review_args(out, "--matches", str(blank)))
    assert_message(result, blank.name)
    assert "no confirmed answer" in result.stderr and "ไม่มีคำยืนยัน" in result.stderr
    assert not out.exists()


def test_a_used_matches_file_is_listed_among_the_inputs(tmp_path: Path) -> None:
    """As --exceptions and --previous are: in manifest.json, with its role and hash."""
    first = tmp_path / "first"
    assert invoke(review_args(first)).exit_code == 0
    answers = tmp_path / "matches-filled.csv"
    text = (first / "matches-to-confirm.csv").read_text(encoding="utf-8-sig")
    header, row, *_ = text.splitlines()
    assert row.startswith("chainarong.s,")  # the sample's one account nobody on the roster has
    answers.write_text(f"{header}\n{row[:-1]}ไม่มี\n", encoding="utf-8-sig")
    out = tmp_path / "out"
    result = invoke(review_args(out, "--matches", str(answers)))
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (listed,) = [i for i in manifest["inputs"] if i["role"] == "matches"]
    assert listed["file"].endswith(answers.name)
    assert listed["sha256"] == hashlib.sha256(answers.read_bytes()).hexdigest()
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    account = next(a for a in findings["accounts"] if a["username"] == "chainarong.s")
    assert account["match"]["method"] == "confirmed"  # the answer was used


def test_out_under_a_file_is_refused(tmp_path: Path) -> None:
    """An --out whose parent is a file cannot be created: exit 2, the path named, file intact."""
    blocker = tmp_path / "ไฟล์ธรรมดา"
    blocker.write_text("ห้ามแตะ", encoding="utf-8")
    result = invoke(review_args(blocker / "out"))
    assert_message(result, str(blocker / "out"))
    assert blocker.read_text(encoding="utf-8") == "ห้ามแตะ"


@pytest.mark.parametrize("as_of", ["2026-02-29", "2569-02-30", "2026-13-01", "๑ ตุลาคม", ""])
def test_impossible_as_of(as_of: str, tmp_path: Path) -> None:
    """An impossible --as-of is refused before anything is read or written."""
    out = tmp_path / "out"
    result = invoke(review_args(out, "--as-of", as_of))
    assert_message(result, "--as-of")
    assert not out.exists()


def test_as_of_in_buddhist_era(tmp_path: Path) -> None:
    """A BE year (2569) is read as CE 2026, and a leap day of a leap year is accepted."""
    for as_of, expected in (("2569-10-01", "2026-10-01"), ("2028-02-29", "2028-02-29")):
        out = tmp_path / as_of
        result = invoke(review_args(out, "--as-of", as_of))
        assert result.exit_code == 0, result.output
        findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        assert findings["as_of"] == expected


@pytest.mark.parametrize("args, thai", [
    (["review", str(GOOD_EXPORT)], "ยังไม่ได้ระบุตัวเลือก --roster"),
    (["review", str(GOOD_EXPORT), "--roster", str(GOOD_ROSTER), "--fail-on", "ร้ายแรง"],
     "ค่าของ --fail-on ไม่ถูกต้อง"),
    (["review", str(GOOD_EXPORT), "--roster", str(GOOD_ROSTER), "--no-such-option"],
     "ไม่มีตัวเลือก --no-such-option"),
    (["review"], "ยังไม่ได้ระบุ EXPORT"),
    (["batch", "--jobs", "0", "."], "ค่าของ --jobs"),
    (["no-such-command"], "ไม่มีคำสั่ง 'no-such-command'"),
    (["--no-such-option"], "ไม่มีตัวเลือก --no-such-option"),
], ids=["missing-roster", "bad-choice", "unknown-option", "missing-argument", "out-of-range",
        "unknown-command", "unknown-group-option"])
def test_usage_errors_exit_2_thai_first(args: list[str], thai: str) -> None:
    """Usage mistakes are exit 2: a Thai line and hint, then click's usage and English error."""
    result = invoke(args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"ข้อผิดพลาด: {thai}" or lines[0].startswith(f"ข้อผิดพลาด: {thai} ")
    assert "--help" in lines[1]
    assert "Usage:" in result.stderr and "Error:" in result.stderr
    assert result.stderr.index("ข้อผิดพลาด") < result.stderr.index("Error:")
    assert "Traceback" not in result.output


def test_unknown_rule_code() -> None:
    """`rules LA999` names the code and says how to list the rules."""
    result = invoke(["rules", "LA999"])
    assert_message(result, "LA999")


# --------------------------------------------------------------------------- bugs, not bad input


def boom(*_args: object, **_kwargs: object) -> None:
    """Stand-in for a library function with a bug."""
    raise RuntimeError("ข้อบกพร่องภายใน / internal bug")


def test_unexpected_exception_is_a_generic_message(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    """A non-InputError names the inputs and asks for --debug; no traceback; exit 2."""
    monkeypatch.setattr("laas_audit.api.review_files", boom)
    result = invoke(review_args(tmp_path / "out"))
    err = result.stderr
    assert result.exit_code == 2
    assert GOOD_EXPORT.name in err and GOOD_ROSTER.name in err
    assert "ข้อผิดพลาด" in err and "Error" in err and "--debug" in err
    assert "RuntimeError" in err  # the kind of failure, for the report to the maintainer
    assert "Traceback" not in result.output


@pytest.mark.parametrize("where", ["group", "command"])
def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                   where: str) -> None:
    """With --debug (on the group or the command) the traceback of the bug is shown."""
    monkeypatch.setattr("laas_audit.api.review_files", boom)
    args = review_args(tmp_path / "out")
    args = ["--debug", *args] if where == "group" else [*args, "--debug"]
    result = invoke(args)
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError" in result.stderr and "boom" in result.stderr


class PanicException(BaseException):
    """Like pyo3's PanicException (raised when calamine panics): a BaseException."""


@pytest.mark.parametrize("name", [pytest.param("panic", marks=gap("cli/base-exception"))])
def test_base_exception_from_a_native_library(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              name: str) -> None:
    """A native library's panic still ends in the generic message and exit 2."""
    def panic(*_args: object, **_kwargs: object) -> None:
        raise PanicException("range start index 116 out of range for slice of length 74")

    monkeypatch.setattr("laas_audit.api.review_files", panic)
    result = invoke(review_args(tmp_path / "out"))
    assert result.exit_code == 2
    assert GOOD_EXPORT.name in result.stderr and "PanicException" in result.stderr
    assert "Traceback" not in result.output
