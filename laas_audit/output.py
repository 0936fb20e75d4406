"""Writing an output folder so that a failed run never leaves half a report behind.

Every file is rendered into a temporary folder inside the target first; only when all of them
are complete are they moved into place (one rename each). A failure before that point leaves the
previous good output untouched and removes the temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from laas_audit.errors import InputError, Location


def check_output_dir(out_dir: Path) -> None:
    """Refuse an output path that is a file, before any work is done."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(
            Location(str(out_dir)),
            "ที่เก็บผลลัพธ์ (--out) เป็นไฟล์ ไม่ใช่โฟลเดอร์",
            "the output path (--out) is a file, not a folder",
            "ระบุชื่อโฟลเดอร์ใหม่ หรือโฟลเดอร์ที่มีอยู่แล้ว",
            "give the name of a new or existing folder",
        )


@contextmanager
def staged_output(out_dir: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success move its files into `out_dir`, else discard it."""
    check_output_dir(out_dir)
    created = not out_dir.exists()
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
    stage = Path(tempfile.mkdtemp(prefix=".laas-audit-tmp-", dir=out_dir))
    try:
        yield stage
        for item in sorted(stage.rglob("*")):
            if item.is_file():
                target = out_dir / item.relative_to(stage)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(item, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if created:
            shutil.rmtree(out_dir, ignore_errors=True)
        raise
    shutil.rmtree(stage, ignore_errors=True)


def write_all(out_dir: Path, writers: dict[str, Callable[[Path], object]]) -> list[Path]:
    """Run each `writer(path)` into the stage, then move all files into `out_dir` together."""
    with staged_output(out_dir) as stage:
        for name, writer in writers.items():
            writer(stage / name)
    return [out_dir / name for name in writers]
