"""Golden findings.json for every shipped sample (practice 10: snapshots of what users read).

A change in what the review finds shows up here as a readable diff. After checking the diff is
intended, regenerate with `UPDATE_GOLDEN=1 make test` and commit the new files.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
import yaml

from laas_audit.render_json import to_json_dict
from laas_audit.review import ReviewOptions, run_review

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.parent for p in (ROOT / "sample_exports").glob("*/expected.yaml"))
GOLDEN = Path(__file__).parent / "golden"
VOLATILE = ("generated_at", "tool_version")


def _findings(folder: Path) -> dict:
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    run = run_review(
        folder / expected["export"]["file"],
        folder / expected["roster"]["file"],
        ReviewOptions(as_of=date.fromisoformat(expected["as_of"])),
    )
    data = to_json_dict(run.result)
    for key in VOLATILE:
        data.pop(key, None)
    return data


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.name)
def test_findings_json_matches_golden(folder: Path) -> None:
    golden = GOLDEN / f"{folder.name}.findings.json"
    data = _findings(folder)
    if os.environ.get("UPDATE_GOLDEN") == "1" or not golden.exists():
        golden.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
        if os.environ.get("UPDATE_GOLDEN") != "1":
            pytest.fail(f"golden file {golden.name} was missing and has been written; commit it")
    assert data == json.loads(golden.read_text(encoding="utf-8"))
