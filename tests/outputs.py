"""Reading back what a run wrote, for tests that look for leaks across every output file."""

from __future__ import annotations

import zipfile
from pathlib import Path


def all_text(folder: Path) -> str:
    """Every file below `folder` as one text; workbooks unzipped, each part as UTF-8."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                parts.extend(z.read(n).decode("utf-8") for n in z.namelist())
        elif path.is_file():
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)
