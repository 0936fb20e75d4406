"""`make demo`: review every sample body in sample_exports/ into demo-out/, as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_exports"
OUT = ROOT / "demo-out"


def find_pair(folder: Path) -> tuple[Path, Path] | None:
    """The export and roster files of a sample body folder (named export.* / roster.*)."""
    exports = sorted(folder.glob("export.*"))
    rosters = sorted(folder.glob("roster.*"))
    if not exports or not rosters:
        return None
    return exports[0], rosters[0]


def main() -> int:
    """Run `laas-audit review` on each sample body; fail if any run fails."""
    cli = [sys.executable, "-m", "laas_audit"]
    failures = 0
    for folder in sorted(p for p in SAMPLES.iterdir() if p.is_dir()):
        pair = find_pair(folder)
        if pair is None:
            continue
        export, roster = pair
        out = OUT / folder.name
        print(f"\n=== {folder.name}: {export.name} + {roster.name} -> {out.relative_to(ROOT)}")
        code = subprocess.call([*cli, "review", str(export), "--roster", str(roster),
                                "--out", str(out)])
        if code not in (0, 1):
            failures += 1
    print(f"\n=== batch over {SAMPLES.name}/ -> {(OUT / 'province').relative_to(ROOT)}")
    code = subprocess.call([*cli, "batch", str(SAMPLES), "--out", str(OUT / "province")])
    if code not in (0, 1):
        failures += 1
    print(f"\nเปิดรายงานได้ที่ / open the reports: {OUT}/<body>/report.html, "
          f"{OUT}/province/index.html")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
