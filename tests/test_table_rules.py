"""The row rules a batch asks directly must say what pandera says about the same tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandera.errors
import pytest
from hypothesis import given
from hypothesis import strategies as st

from laas_audit import schemas
from laas_audit.table_rules import exports_pass, rosters_pass
from laas_audit.tables import Account, Person

# Values a reader could leave in a table, good and bad: Thai, spaces of every kind, lengths at
# and past the limits, IDs with Thai digits or a digit short, numbers where text belongs.
_TEXTS = [
    "somchai_j", "สมชาย_ใจดี", "นางสาวกำไล พรยืนยง", "สมชาย ใจดี", "a\u00a0b", "a\tb", "a\nb",
    "", "x" * 100, "x" * 101, "ก" * 500, "ก" * 501, "เจ้าหน้าที่การเงิน",
]
_IDS = [None, "1101700203451", "110170020345", "๑๑๐๑๗๐๐๒๐๓๔๕๑", "1101700203451 ", "abc"]
_ROWS = [1, 7, 0, -3, True]


def _account(row: int, username: str, groups: list[str], pid: str | None) -> Account:
    return Account(username=username, national_id=pid, groups=groups, rows=[row])


def _pandera_passes(schema: object, frame: object) -> bool:
    try:
        schema.validate(frame, lazy=True)  # type: ignore[attr-defined]
    except pandera.errors.SchemaErrors:
        return False
    return True


accounts = st.builds(
    _account, st.sampled_from(_ROWS), st.sampled_from(_TEXTS),
    st.lists(st.sampled_from(_TEXTS), max_size=3), st.sampled_from(_IDS),
)
people = st.builds(
    lambda row, name, pid: Person(row=row, full_name=name, national_id=pid),
    st.sampled_from(_ROWS), st.sampled_from(_TEXTS), st.sampled_from(_IDS),
)


def _agree(ours: bool, tables: list[list[Any]], frame: Any, fast: Any, full: Any) -> None:
    each = [_pandera_passes(fast, frame(t)) for t in tables]
    rule_by_rule = [_pandera_passes(full, frame(t)) for t in tables]
    assert ours == all(each) == all(rule_by_rule)


@given(st.lists(st.lists(accounts, max_size=4), min_size=1, max_size=3))
def test_export_rules_agree_with_both_pandera_schemas(tables: list[list[Account]]) -> None:
    _agree(exports_pass(tables), tables, schemas._export_frame, schemas.EXPORT_FAST,
           schemas.EXPORT)


@given(st.lists(st.lists(people, max_size=4), min_size=1, max_size=3))
def test_roster_rules_agree_with_both_pandera_schemas(tables: list[list[Person]]) -> None:
    _agree(rosters_pass(tables), tables, schemas._roster_frame, schemas.ROSTER_FAST,
           schemas.ROSTER)


@pytest.mark.parametrize(
    ("account", "ok"),
    [
        (_account(7, "somchai_j", ["เจ้าหน้าที่การเงิน"], "1101700203451"), True),
        (_account(7, "somchai_j", [], None), True),  # no group: a warning, not an error
        (_account(7, "สมชาย ใจดี", ["เจ้าหน้าที่การเงิน"], None), False),
        (_account(7, "somchai_j", ["ก" * 501], None), False),
        (_account(7, "somchai_j", ["เจ้าหน้าที่การเงิน"], "๑๑๐๑๗๐๐๒๐๓๔๕๑"), False),
        (_account(0, "somchai_j", ["เจ้าหน้าที่การเงิน"], None), False),
    ],
)
def test_one_bad_row_fails_the_whole_set(account: Account, ok: bool) -> None:
    good = [_account(3, "kamlai_p", ["เจ้าหน้าที่บัญชี"], None)]
    assert exports_pass([good, [account], good]) is ok


def test_a_batch_of_valid_bodies_never_imports_pandas(tmp_path: Path) -> None:
    # The point of the direct rules: a worker reviewing valid bodies does not pay pandas'
    # and pandera's import (about 0.65 s a process). A failing body imports them to report.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import synth

    for i in range(2):
        body = synth.make_body(60 + i, 6, "xlsx-column", roster_fmt="csv-utf8-bom")
        folder = tmp_path / "in" / f"{i:02d}_อบต.ทดสอบ"
        folder.mkdir(parents=True)
        synth.write_export(body, folder / "รายงาน.xlsx")
        synth.write_roster(body, folder / "บุคลากร.csv")
    code = (
        "import json, sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from laas_audit.batch import run_batch\n"
        f"r = run_batch(Path({str(tmp_path / 'in')!r}), Path({str(tmp_path / 'out')!r}),"
        " as_of=date(2026, 10, 1), jobs=1, progress=False)\n"
        "print(json.dumps([len(r.bodies), 'pandas' in sys.modules, 'pandera' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == [2, False, False]
