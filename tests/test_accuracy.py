"""The review finds what was planted in generated bodies, and little else (issue 3 acceptance).

Runs the whole pipeline (readers, matching, checks) on the shipped samples and on freshly generated
bodies of every shape, scoring against the generator's record of planted problems.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from laas_audit.render_json import to_json_dict
from laas_audit.review import ReviewOptions, run_review
from tests.accuracy import Score, score

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_exports"
sys.path.insert(0, str(ROOT / "scripts"))
import synth  # noqa: E402

SCORED = sorted(
    p.parent for p in SAMPLES.glob("*/expected.yaml")
    if yaml.safe_load(p.read_text(encoding="utf-8")).get("scored")
)


def _review(folder: Path, expected: dict) -> dict:
    export = folder / expected["export"]["file"]
    roster = folder / expected["roster"]["file"]
    as_of = date.fromisoformat(expected["as_of"])
    run = run_review(export, roster, ReviewOptions(as_of=as_of))
    return to_json_dict(run.result, show_ids=True)


def _report(s: Score) -> str:
    return "\nmissed:\n  " + "\n  ".join(s.misses) + "\nwrong:\n  " + "\n  ".join(s.wrong)


@pytest.mark.parametrize("folder", SCORED, ids=lambda p: p.name)
def test_sample_body_findings_match_planted(folder: Path) -> None:
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    result = _review(folder, expected)
    s = score(result, expected)
    assert s.planted >= 3
    assert s.recall >= 0.9, _report(s)
    assert s.precision >= 0.9, _report(s)
    # every control account stays clean
    controls = {c["username"].casefold() for c in expected["controls"]}
    flagged = {f["username"].casefold() for f in result["findings"]}
    assert not controls & flagged, _report(s)


@pytest.mark.parametrize("folder", SCORED, ids=lambda p: p.name)
def test_sample_body_every_account_read_with_its_groups(folder: Path) -> None:
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    result = _review(folder, expected)
    got = {a["username"]: sorted(a["groups"]) for a in result["accounts"]}
    want = {a["username"]: sorted(a["groups"]) for a in expected["accounts"]}
    assert got == want


SHAPES = ["xlsx-sections", "html-xls", "csv-cp874", "xlsx-column"]
ROSTERS = ["xlsx", "csv-utf8-bom", "xlsx-handmade"]
KINDS = ["abt", "tt", "tm", "abj"]


@pytest.mark.slow
def test_generated_bodies_of_every_shape_score_90_percent(tmp_path: Path) -> None:
    total = Score()
    for i in range(16):
        body = synth.make_body(
            1000 + i, n_accounts=20 + 3 * i, shape=SHAPES[i % 4],
            roster_fmt=ROSTERS[i % 3], kind=KINDS[(i // 4) % 4],
        )
        folder = tmp_path / f"b{i}"
        export, roster = synth.write_body(body, folder)
        expected = synth.manifest(body, export.name, roster.name)
        total.add(score(_review(folder, expected), expected))
    assert total.planted > 100
    assert total.recall >= 0.9, _report(total)
    assert total.precision >= 0.9, _report(total)
