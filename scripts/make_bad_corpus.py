"""Write the bad-input corpus (tests/bad_corpus.py) to a folder, optionally running each case.

    .venv/bin/python scripts/make_bad_corpus.py /tmp/bad            # write the files
    .venv/bin/python scripts/make_bad_corpus.py /tmp/bad --run      # and review each one

`--run` prints, per case, the exit code (and the expected ones), wall time, the child's peak
memory and the first message line; the child runs with its address space capped (default 2 GiB)
so a blow-up ends in a MemoryError instead of swapping the machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import bad_corpus


def run_case(built: bad_corpus.BuiltCase, out: Path, cap: int, timeout: float) -> str:
    """Review one case in a capped child; return one line of results."""
    run = bad_corpus.run_capped(built.review_args(out), cap=cap,
                                timeout=min(timeout, built.case.timeout),
                                python=Path(sys.executable))
    ok = "ok " if run.code in built.case.exits and not run.timed_out else "BAD"
    first = run.stderr.strip().splitlines()[:1]
    return (f"{ok} {built.case.id:28} exit={run.code} want={built.case.exits} "
            f"{run.seconds:5.1f}s {run.max_rss >> 20:5d}MB{' TIMEOUT' if run.timed_out else ''}"
            f"  {first[0][:90] if first else ''}")


def main() -> None:
    """Command line: folder, --run, --skip-heavy, --cap-mb, --only ID."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--run", action="store_true", help="review each case and report")
    parser.add_argument("--skip-heavy", action="store_true", help="leave out bombs and huge files")
    parser.add_argument("--cap-mb", type=int, default=2048, help="address-space cap per run")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--only", action="append", help="case id (repeatable)")
    opts = parser.parse_args()
    cases = [c for c in bad_corpus.CASES + bad_corpus.GOOD_CASES
             if not opts.only or c.id in opts.only]
    built = bad_corpus.build_corpus(opts.folder, heavy=not opts.skip_heavy, cases=cases)
    used = bad_corpus.disk_usage(opts.folder) // (1024 * 1024)
    print(f"{len(built)} cases in {opts.folder} ({used} MB on disk)")
    if not opts.run:
        for b in built:
            print(f"{b.case.id:28} {b.case.role:7} exits={b.case.exits} {b.path}")
        return
    for b in built:
        print(run_case(b, opts.folder / b.case.id / "out", opts.cap_mb << 20, opts.timeout),
              flush=True)


if __name__ == "__main__":
    main()
