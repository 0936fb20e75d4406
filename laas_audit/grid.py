"""Any supported input file -> sheets of raw cells, with the row and column numbers Excel shows.

The format is sniffed from the bytes, never from the name: e-LAAS and HR systems save HTML, CSV
and zips under `.xls`, and users rename files. Supported: `.xlsx`/`.xlsm`/`.xlsb` and `.ods`
(python-calamine, openpyxl as a fallback for xlsx), legacy BIFF `.xls` (calamine, xlrd as a
fallback), HTML tables, SpreadsheetML 2003 XML, and CSV/TSV text in UTF-8, UTF-8 with BOM,
UTF-16 with BOM or Windows-874/TIS-620.

Work is bounded before anything is read whole (issue 7): file size, the declared uncompressed
size and compression ratio of a workbook's zip parts, the cell area a sheet would occupy (a
two-cell sheet with cells at A1 and XFD1048576 would make calamine allocate billions of cells),
rows and cell length. Every refusal is an `InputError` naming the file and saying what to do.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import stat
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from laas_audit.errors import InputError, Location, shown_path

MAX_FILE_BYTES = 50 * 1024 * 1024  # biggest real export (150 accounts x groups) is well under 5 MB
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # sum of a zip's declared part sizes
MAX_COMPRESSION_RATIO = 200  # real xlsx parts compress 5-30x; a bomb compresses 1000x+
RATIO_CHECK_MIN_BYTES = 5 * 1024 * 1024  # small parts may compress very well legitimately
MAX_ZIP_MEMBERS = 5_000
MAX_ROWS = 200_000
MAX_COLUMNS = 16_384  # Excel's own limit
MAX_CELLS = 5_000_000  # dense area (rows x columns) of one sheet
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_HTML_SPAN = 1_000  # HTML clamps colspan to 1000 too

Cell = str | int | float | bool | date | datetime | time | timedelta | None

HINT_EXPORT_TH = (
    "ส่งออกรายงานจาก New e-LAAS อีกครั้งเป็นไฟล์ Excel (.xlsx หรือ .xls) หรือ CSV แล้วลองใหม่"
)
HINT_EXPORT_EN = (
    "Export the report from New e-LAAS again as Excel (.xlsx or .xls) or CSV, then retry."
)

Role = Literal["export", "roster"]  # what the file should be; None when not known yet

# What to do about a file that cannot be read depends on what it should be: the export is made
# again in New e-LAAS, the roster is the body's own HR file (saved again from Excel, or asked of
# the HR officer). Unknown (inspect, a batch folder's files before they are told apart): both.
_ADVICE: dict[str, dict[Role | None, tuple[str, str]]] = {
    "again": {
        "export": (HINT_EXPORT_TH, HINT_EXPORT_EN),
        "roster": (
            "ตรวจว่าเป็นไฟล์ทะเบียนบุคลากร (HR) ของหน่วยงานที่ถูกต้อง แล้วเปิดใน Excel และบันทึกใหม่"
            "เป็น .xlsx (หรือขอไฟล์ Excel จากงานบุคคล) แล้วลองใหม่",
            "Check that this is the body's HR roster file; open it in Excel and save it again "
            "as .xlsx (or ask the HR officer for the Excel file), then retry.",
        ),
        None: (
            "ถ้าเป็นรายงานจาก New e-LAAS ให้ส่งออกใหม่เป็น Excel (.xlsx หรือ .xls) หรือ CSV; "
            "ถ้าเป็นทะเบียนบุคลากร ให้เปิดใน Excel แล้วบันทึกใหม่เป็น .xlsx แล้วลองใหม่",
            "If it is the New e-LAAS report, export it again as Excel (.xlsx or .xls) or CSV; "
            "if it is the HR roster, open it in Excel and save it again as .xlsx; then retry.",
        ),
    },
    "damaged": {
        "export": (
            "ดาวน์โหลด/ส่งออกรายงานจาก New e-LAAS ใหม่ แล้วลองอีกครั้ง",
            "Download or export the report from New e-LAAS again, then retry.",
        ),
        "roster": (
            "คัดลอกไฟล์ทะเบียนบุคลากรมาใหม่จากต้นฉบับ (หรือขอจากงานบุคคล) เปิดใน Excel แล้วบันทึก"
            "เป็น .xlsx แล้วลองอีกครั้ง",
            "Copy the HR roster file again from its original (or ask the HR officer for it), "
            "open it in Excel and save it as .xlsx, then retry.",
        ),
        None: (
            "ถ้าเป็นรายงานจาก New e-LAAS ให้ดาวน์โหลด/ส่งออกใหม่; ถ้าเป็นทะเบียนบุคลากร "
            "ให้คัดลอกไฟล์มาใหม่จากต้นฉบับ แล้วลองอีกครั้ง",
            "If it is the New e-LAAS report, download or export it again; if it is the HR "
            "roster, copy the file again from its original; then retry.",
        ),
    },
    "not_a_sheet": {  # a PDF, an image, an archive
        "export": (
            "ส่งออกรายงานจาก New e-LAAS เป็น Excel แทน (.xlsx หรือ .xls) แล้วใช้ไฟล์นั้น",
            "Export to Excel from New e-LAAS instead (.xlsx or .xls) and give that file.",
        ),
        "roster": (
            "ใช้ทะเบียนบุคลากรที่เป็นไฟล์ Excel (.xlsx หรือ .xls) ไม่ใช่ PDF หรือภาพสแกน: "
            "ขอไฟล์ Excel จากงานบุคคล หรือบันทึกจาก Excel แล้วใช้ไฟล์นั้น",
            "Give the HR roster as an Excel file (.xlsx or .xls), not a PDF or a scan: ask the "
            "HR officer for the Excel file, or save it from Excel, and give that file.",
        ),
        None: (
            "ใช้ไฟล์ Excel แทน: รายงานให้ส่งออกจาก New e-LAAS เป็น .xlsx หรือ .xls; "
            "ทะเบียนบุคลากรให้ใช้ไฟล์ Excel จากงานบุคคล",
            "Give an Excel file instead: export the report from New e-LAAS as .xlsx or .xls; "
            "for the HR roster, use the Excel file from the HR officer.",
        ),
    },
    "archive": {  # a zip (not a workbook), RAR, 7-Zip or gzip file: what was sent is inside
        "export": (
            "แตกไฟล์ (unzip) ก่อน แล้วระบุรายงานจาก New e-LAAS (.xlsx/.xls) ที่อยู่ข้างใน",
            "Unzip (extract) it first and give the New e-LAAS report (.xlsx/.xls) inside.",
        ),
        "roster": (
            "แตกไฟล์ (unzip) ก่อน แล้วระบุไฟล์ทะเบียนบุคลากรที่อยู่ข้างใน",
            "Unzip (extract) it first and give the HR roster file inside.",
        ),
        None: (
            "แตกไฟล์ (unzip) ก่อน แล้วระบุไฟล์ที่อยู่ข้างใน: รายงานจาก New e-LAAS หรือทะเบียนบุคลากร",
            "Unzip (extract) it first and give the file inside: the New e-LAAS report or the "
            "HR roster.",
        ),
    },
    "too_big": {
        "export": (
            "ตรวจว่าเป็นไฟล์รายงานที่ถูกต้อง หากใช่ ให้ส่งออกจาก New e-LAAS เฉพาะหน่วยงานเดียว "
            "หรือบันทึกใหม่เป็น .xlsx",
            "Check it is the right report; if so, export it from New e-LAAS for one body only, "
            "or save it again as .xlsx.",
        ),
        "roster": (
            "ตรวจว่าเป็นทะเบียนบุคลากรของหน่วยงานนี้ หากใช่ ให้เหลือเฉพาะชีตรายชื่อบุคลากร "
            "แล้วบันทึกใหม่เป็น .xlsx",
            "Check it is this body's HR roster; if so, keep only the sheet with the list of "
            "people and save it again as .xlsx.",
        ),
        None: (
            "ตรวจว่าเป็นไฟล์ที่ถูกต้อง: รายงานจาก New e-LAAS ให้ส่งออกเฉพาะหน่วยงานเดียว "
            "ทะเบียนบุคลากรให้บันทึกใหม่เป็น .xlsx",
            "Check it is the right file: export the New e-LAAS report for one body only; save "
            "the HR roster again as .xlsx.",
        ),
    },
}


@dataclass
class FileError(InputError):
    """A file that cannot be read, whose advice depends on what it should be (`advice`).

    Raised with the export's advice; `load_grid` gives the roster's (or both) when told.
    """

    advice: str = ""  # key of `_ADVICE`, "" when the advice is the same for every file

    def advise(self, role: Role | None) -> None:
        """Say what to do for a file that should be `role` (None: not known)."""
        if self.advice:
            self.hint_th, self.hint_en = _ADVICE[self.advice][role]


@dataclass
class Sheet:
    """One sheet (or HTML document / CSV file) as a grid of raw cell values.

    `rows[i]` is Excel row i+1 and `rows[i][j]` is column j (A=0); empty cells are None. All rows
    of a sheet have the same length. `merged` lists merged areas as (first_row, first_col,
    last_row, last_col), 0-based inclusive; only the top-left cell of an area holds the value.
    `hidden`: the workbook hides the sheet (Excel does not show it; it is read all the same).
    """

    name: str | None
    rows: list[list[Cell]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False


@dataclass
class Grid:
    """Everything read from one file: its sheets, the detected format and the bytes' SHA-256."""

    path: Path
    format: str  # xlsx, xls, ods, html, xml2003, csv
    sha256: str
    sheets: list[Sheet]


def read_grid(path: Path) -> list[Sheet]:
    """Read any supported file into sheets of raw cells (see the module doc)."""
    return load_grid(path).sheets


def load_grid(path: Path, role: Role | None = "export") -> Grid:
    """Read `path` into a `Grid`; raise `InputError` for anything unreadable or too big.

    `role` says what the file should be (None: not known), for the advice of an error.
    """
    path = Path(path)
    try:
        data = _read_bytes(path)
        digest = hashlib.sha256(data).hexdigest()
        fmt, sheets = _parse(path, data)
        # A text file holds no cell longer than itself (a character takes at least one byte),
        # so a small one needs no cell-by-cell length check; workbooks are compressed and
        # always do.
        cells_bounded = fmt in _TEXT_FORMATS and len(data) <= MAX_CELL_CHARS
        for sheet in sheets:
            _check_sheet(path, sheet, cells=not cells_bounded)
    except FileError as exc:
        if role != "export":
            exc.advise(role)
        raise
    return Grid(path=path, format=fmt, sha256=digest, sheets=sheets)


# --------------------------------------------------------------------------- errors


def _fail(
    path: Path, th: str, en: str, hint_th: str = "", hint_en: str = "", *, advice: str = ""
) -> FileError:
    """Build the error for an unreadable file; without a hint, `advice` (default "again")."""
    if not hint_th:
        advice = advice or "again"
        hint_th, hint_en = _ADVICE[advice]["export"]
    return FileError(Location(file=str(path)), th, en, hint_th, hint_en, advice=advice)


def _too_big(path: Path, what_th: str, what_en: str) -> FileError:
    return _fail(
        path,
        f"ไฟล์ใหญ่เกินกว่าที่โปรแกรมรับได้ ({what_th}) จึงไม่อ่านไฟล์นี้",
        f"the file is beyond what this tool accepts ({what_en}), so it was not read",
        advice="too_big",
    )


# --------------------------------------------------------------------------- bytes and sniffing


def _read_bytes(path: Path) -> bytes:
    text = str(path)
    if shown_path(text) is not text:
        # Its name would be printed in every report, JSON file and manifest, which hold text.
        raise _fail(
            path,
            "ชื่อไฟล์หรือโฟลเดอร์ไม่ใช่ UTF-8 (เช่น แตกจากไฟล์ zip ที่สร้างบน Windows)",
            "the file or folder name is not UTF-8 (for example, unzipped from a Windows archive)",
            "เปลี่ยนชื่อไฟล์หรือโฟลเดอร์ใหม่ (พิมพ์ชื่อภาษาไทยหรืออังกฤษใหม่) แล้วลองอีกครั้ง",
            "Rename the file or folder (type its Thai or English name again), then retry.",
        )
    # One stat says whether the file exists, is a folder, a pipe or device, and how big it is
    # (a batch reads thousands of files: each check used to be a system call of its own).
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _fail(
            path,
            "ไม่พบไฟล์นี้",
            "no such file",
            "ตรวจชื่อไฟล์และโฟลเดอร์ให้ถูกต้อง",
            "Check the file name and folder.",
        ) from None
    except OSError as exc:
        raise _cannot_open(path, exc) from exc
    if stat.S_ISDIR(info.st_mode):
        raise _fail(
            path,
            "เป็นโฟลเดอร์ ไม่ใช่ไฟล์",
            "this is a folder, not a file",
            "ระบุไฟล์รายงาน (.xlsx, .xls หรือ .csv) ในโฟลเดอร์นั้น",
            "Give the report file (.xlsx, .xls or .csv) inside that folder.",
        )
    if not stat.S_ISREG(info.st_mode):  # a pipe, socket or device would block or never end
        raise _fail(
            path,
            "ไม่ใช่ไฟล์ธรรมดา (เช่น pipe หรืออุปกรณ์)",
            "this is not a regular file (a pipe or a device)",
            "ระบุไฟล์รายงานที่บันทึกไว้ในเครื่อง",
            "Give a report file saved on disk.",
        )
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise _too_big(
            path,
            f"{size // (1024 * 1024)} MB เกิน {MAX_FILE_BYTES // (1024 * 1024)} MB",
            f"{size // (1024 * 1024)} MB, over {MAX_FILE_BYTES // (1024 * 1024)} MB",
        )
    try:
        with open(path, "rb", buffering=0) as handle:  # unbuffered: one read, no tty probe
            data = _read_up_to(handle, size, MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _cannot_open(path, exc) from exc
    if len(data) > MAX_FILE_BYTES:  # grew while we looked
        raise _too_big(path, "ขนาดไฟล์", "file size")
    if not data.strip():
        raise _fail(path, "ไฟล์ว่างเปล่า ไม่มีข้อมูล", "the file is empty")
    return data


def _read_up_to(handle: io.RawIOBase, size: int, limit: int) -> bytes:
    """Read at most `limit` bytes, asking first for the `size` stat gave (plus one).

    A read allocates what it is asked for: asking for the limit (50 MB) for every small file
    cost a large allocation each time. A file that grew since stat is read on in small steps.
    """
    chunks: list[bytes] = []
    total = 0
    want = min(size, limit - 1) + 1
    while total < limit:
        chunk = handle.read(want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = min(65536, limit - total)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _cannot_open(path: Path, exc: OSError) -> InputError:
    return _fail(
        path,
        f"เปิดไฟล์ไม่ได้ ({exc.strerror or exc})",
        f"cannot open the file ({exc.strerror or exc})",
        "ตรวจสิทธิ์การเข้าถึงไฟล์ หรือปิดไฟล์ในโปรแกรมอื่นแล้วลองใหม่",
        "Check you may read the file, or close it in other programs and retry.",
    )


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ARCHIVE_MAGIC = (b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_BINARY_KINDS: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "ไฟล์ PDF", "a PDF"),
    (b"\x89PNG", "ไฟล์ภาพ (PNG)", "an image (PNG)"),
    (b"\xff\xd8\xff", "ไฟล์ภาพ (JPEG)", "an image (JPEG)"),
    (b"GIF8", "ไฟล์ภาพ (GIF)", "an image (GIF)"),
    (b"II*\x00", "ไฟล์ภาพ (TIFF)", "an image (TIFF)"),
    (b"MM\x00*", "ไฟล์ภาพ (TIFF)", "an image (TIFF)"),
    (b"\x1f\x8b", "ไฟล์บีบอัด (gzip)", "a gzip archive"),
    (b"Rar!", "ไฟล์บีบอัด (RAR)", "a RAR archive"),
    (b"7z\xbc\xaf", "ไฟล์บีบอัด (7-Zip)", "a 7-Zip archive"),
)


def _parse(path: Path, data: bytes) -> tuple[str, list[Sheet]]:
    head = data[:16]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _parse_zip(path, data)
    if head.startswith(OLE_MAGIC):
        return "xls", _parse_ole(path, data)
    if path.name.startswith(LOCK_PREFIX):
        raise _lock_file(path)
    for magic, th, en in _BINARY_KINDS:
        if head.startswith(magic):
            raise _wrong_kind(path, th, en, archive=magic in _ARCHIVE_MAGIC)
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise _wrong_kind(path, "ไฟล์ภาพ (WebP)", "an image (WebP)")
    text = _decode_text(path, data)
    probe = text[:4096].lstrip().lower()
    if probe.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text[:8192] and "<html" not in probe:
            return "xml2003", _parse_xml2003(path, text)
        if re.search(r"<(html|table|body|meta|!doctype html|tr|td)\b", text[:65536], re.I):
            return "html", _parse_html(path, text)
        raise _fail(
            path,
            "เป็นไฟล์ XML ที่ไม่ใช่ตารางข้อมูล",
            "this is an XML file, not a spreadsheet",
        )
    return "csv", [_parse_csv(path, text)]


# Excel's owner file: while "name.xlsx" is open, Excel keeps "~$name.xlsx" beside it (a few
# bytes: who has it open). Users pick it by mistake; a real workbook is never one.
LOCK_PREFIX = "~$"
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", OLE_MAGIC)


def is_lock_file(path: Path) -> bool:
    """Tell whether `path` is an Excel lock file: named "~$..." AND not a workbook inside.

    Only a "~$" name is opened (to read its first bytes): other files cost nothing.
    """
    if not path.name.startswith(LOCK_PREFIX):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return not head.startswith(_WORKBOOK_MAGIC)


def _lock_file(path: Path) -> InputError:
    real = path.name[len(LOCK_PREFIX):]
    return _fail(
        path,
        f"นี่คือไฟล์ล็อกของ Excel ไม่ใช่สมุดงาน (Excel สร้างไว้ขณะเปิดไฟล์ {real} อยู่)",
        f"this is Excel's lock file, not a workbook (Excel keeps it while {real} is open)",
        f"ปิด Excel แล้วเลือกไฟล์ที่ไม่มี ~$ นำหน้า ({real})",
        f"close Excel and choose the file without ~$ in front of its name ({real})",
    )


def _wrong_kind(path: Path, th: str, en: str, *, archive: bool = False) -> InputError:
    extra_th = " ซึ่งอ่านอักษรไทยไม่ได้ครบ" if "PDF" in en else ""
    return _fail(
        path,
        f"ไฟล์นี้เป็น{th} ไม่ใช่ตารางข้อมูล{extra_th}",
        f"this is {en}, not a spreadsheet",
        advice="archive" if archive else "not_a_sheet",
    )


# --------------------------------------------------------------------------- zip workbooks


# Cell references (r="AB12"), split so each pass is a fast literal-prefixed scan with no
# per-cell Python work beyond int(): this runs on every xlsx a batch reads.
_REF_ROWS = (
    re.compile(rb' r="[A-Z]{1,3}([0-9]{1,7})"'),
    re.compile(rb" r='[A-Z]{1,3}([0-9]{1,7})'"),
)
_REF_COLS = (re.compile(rb' r="([A-Z]{1,3})[0-9]'), re.compile(rb" r='([A-Z]{1,3})[0-9]"))


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _parse_zip(path: Path, data: bytes) -> tuple[str, list[Sheet]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (
        zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError,
        RuntimeError,
    ) as exc:
        raise _corrupt(path) from exc
    names = {info.filename for info in infos}
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _too_big(path, f"มี {len(infos)} ส่วนในไฟล์", f"{len(infos)} parts in the zip")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _too_big(
            path,
            f"ขยายแล้ว {total // (1024 * 1024)} MB",
            f"{total // (1024 * 1024)} MB once uncompressed",
        )
    for info in infos:
        if (
            info.file_size > RATIO_CHECK_MIN_BYTES
            and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise _too_big(path, "อัตราการบีบอัดผิดปกติ", "an absurd compression ratio")
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        fmt = "xlsx"
        sheet_parts = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        _check_xlsx_areas(path, archive, sheet_parts)
        _check_shared_strings(path, archive, names)
    elif "content.xml" in names and _zip_mimetype(archive).startswith(
        "application/vnd.oasis.opendocument.spreadsheet"
    ):
        fmt = "ods"
        _check_ods_repeats(path, archive)
    elif "word/document.xml" in names or "content.xml" in names or "ppt/presentation.xml" in names:
        raise _fail(
            path,
            "เป็นเอกสาร (Word/Writer/PowerPoint) ไม่ใช่ตารางข้อมูล",
            "this is a document (Word/Writer/PowerPoint), not a spreadsheet",
        )
    else:
        raise _fail(
            path,
            "เป็นไฟล์ zip ที่ไม่ใช่สมุดงาน Excel",
            "this is a zip archive, not an Excel workbook",
            advice="archive",
        )
    return fmt, _read_with_calamine(path, data, fmt)


def _zip_mimetype(archive: zipfile.ZipFile) -> str:
    try:
        with archive.open("mimetype") as handle:
            return handle.read(200).decode("ascii", "replace").strip()
    except Exception:  # a damaged or missing mimetype part: not an .ods then
        return ""


def _stream(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """Yield a zip part in chunks with a small overlap, so a pattern is never split."""
    tail = b""
    with archive.open(name) as handle:
        while True:
            chunk = handle.read(1 << 20)
            if not chunk:
                break
            yield tail + chunk
            tail = chunk[-64:]


# A reference past row 999 or column ZZ. Without one, a sheet spans at most 999 x 702 cells,
# within every limit below (a test keeps it so), and its references need not be read one by one.
_BIG_REF = re.compile(rb""" r=["'](?:[A-Z]{3}|[A-Z]{1,2}[0-9]{4})""")
SMALL_SHEET = (999, 702)


def _check_xlsx_areas(path: Path, archive: zipfile.ZipFile, parts: list[str]) -> None:
    """Refuse sheets whose cell references span an absurd area (calamine allocates it dense)."""
    try:
        for part in parts:
            if not any(_BIG_REF.search(chunk) for chunk in _stream(archive, part)):
                continue
            min_r = min_c = 1 << 30
            max_r = max_c = 0
            for chunk in _stream(archive, part):
                for rows_re, cols_re in zip(_REF_ROWS, _REF_COLS, strict=True):
                    numbers = [int(d) for d in set(rows_re.findall(chunk))]
                    if numbers:
                        min_r, max_r = min(min_r, *numbers), max(max_r, *numbers)
                    cols = [_col_number(c) for c in set(cols_re.findall(chunk))]
                    if cols:
                        min_c, max_c = min(min_c, *cols), max(max_c, *cols)
            if max_r == 0:
                continue
            height, width = max_r - min_r + 1, max_c - min_c + 1
            if height > MAX_ROWS or width > MAX_COLUMNS or height * width > MAX_CELLS:
                raise _too_big(
                    path,
                    f"ชีตกว้าง {width} คอลัมน์ สูง {height} แถว",
                    f"a sheet spans {width} columns by {height} rows",
                )
    except InputError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, CRC errors: a damaged part
        raise _corrupt(path) from exc


_SST_COUNT = re.compile(rb'(?:uniqueCount|count)\s*=\s*["\'](\d+)')


def _check_shared_strings(path: Path, archive: zipfile.ZipFile, names: set[str]) -> None:
    """Refuse a shared-strings count no real workbook has: calamine reserves memory for it."""
    if "xl/sharedStrings.xml" not in names:
        return
    try:
        with archive.open("xl/sharedStrings.xml") as part:
            head = part.read(4096)
    except Exception as exc:  # a damaged part
        raise _corrupt(path) from exc
    for count in _SST_COUNT.findall(head):
        if int(count) > MAX_CELLS:
            raise _too_big(
                path,
                f"ประกาศข้อความ {int(count):,} รายการ",
                f"{int(count):,} shared strings declared",
            )


def _check_ods_repeats(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse an .ods whose repeated rows/columns would expand to an absurd area.

    LibreOffice writes huge repeat counts for the empty rest of a sheet, which calamine trims;
    only repeats of non-empty cells count, so the content is walked once (defusedxml, streaming).
    """
    import defusedxml.ElementTree as safe_et

    t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    cells = {f"{t}table-cell", f"{t}covered-table-cell"}
    try:
        with archive.open("content.xml") as handle:
            row = height = width = 0
            row_width = 0
            row_repeat = 1
            col = 0
            for event, el in safe_et.iterparse(handle, events=("start", "end")):
                if el.tag == f"{t}table" and event == "start":
                    row = height = 0
                elif el.tag == f"{t}table-row":
                    if event == "start":
                        row_width = 0
                        row_repeat = int(el.get(f"{t}number-rows-repeated", "1"))
                        col = 0
                    else:
                        row += row_repeat
                        if row_width:
                            height = row
                            width = max(width, row_width)
                        if height > MAX_ROWS or height * max(width, 1) > MAX_CELLS:
                            raise _too_big(
                                path, f"ชีตสูง {height} แถว", f"a sheet spans {height} rows"
                            )
                        el.clear()
                elif el.tag in cells and event == "start":
                    repeat = int(el.get(f"{t}number-columns-repeated", "1"))
                    col += repeat
                    if el.get(f"{office}value-type") is not None:
                        row_width = col
                    if row_width > MAX_COLUMNS:
                        raise _too_big(path, f"{row_width} คอลัมน์", f"{row_width} columns")
    except InputError:
        raise
    except Exception as exc:  # zip errors, XML errors, defusedxml's entity/DTD refusals
        raise _corrupt(path) from exc


def _corrupt(path: Path) -> InputError:
    return _fail(
        path,
        "ไฟล์เสียหายหรือดาวน์โหลดมาไม่ครบ อ่านไม่ได้",
        "the file is damaged or incompletely downloaded and cannot be read",
        advice="damaged",
    )


def _encrypted(path: Path) -> InputError:
    return _fail(
        path,
        "สมุดงานนี้ตั้งรหัสผ่านไว้ (เข้ารหัส) จึงอ่านไม่ได้",
        "the workbook is password-protected (encrypted) and cannot be read",
        "เปิดไฟล์ใน Excel แล้วเอารหัสผ่านออก (ไฟล์ > ข้อมูล > ป้องกันสมุดงาน) บันทึกใหม่ แล้วลองอีกครั้ง",
        "Open it in Excel, remove the password (File > Info > Protect Workbook), save, retry.",
    )


# --------------------------------------------------------------------------- calamine and fallbacks


def _read_with_calamine(path: Path, data: bytes, fmt: str) -> list[Sheet]:
    import python_calamine as pc  # imported here: HTML/CSV runs need not load it

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets: list[Sheet] = []
        for meta in book.sheets_metadata:
            if str(meta.typ).endswith("ChartSheet"):
                continue
            sheet = book.get_sheet_by_name(meta.name)
            r0, c0 = sheet.start or (0, 0)
            if sheet.height > MAX_ROWS or sheet.height * sheet.width > MAX_CELLS:
                raise _too_big(
                    path,
                    f"ชีต '{meta.name}' มี {sheet.height} แถว",
                    f"sheet '{meta.name}' has {sheet.height} rows",
                )
            raw = sheet.to_python() if sheet.height else []
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            hidden = not str(meta.visible).endswith(".Visible")  # Hidden or VeryHidden
            sheets.append(Sheet(meta.name, _pad(raw, r0, c0), merged, hidden))
        return sheets
    except InputError:
        raise
    except pc.PasswordError as exc:
        raise _encrypted(path) from exc
    except (KeyboardInterrupt, SystemExit):
        raise
    # calamine raises several unrelated types for a broken file, and pyo3 panics are
    # BaseExceptions
    except BaseException as exc:
        if fmt == "xlsx":
            return _read_with_openpyxl(path, data, exc)
        if fmt == "xls":
            return _read_with_xlrd(path, data, exc)
        raise _corrupt(path) from exc


def _pad(raw: Sequence[Sequence[Cell]], r0: int, c0: int) -> list[list[Cell]]:
    """Calamine trims leading empty rows/columns: put them back so Excel numbering holds."""
    width = c0 + (len(raw[0]) if raw else 0)
    rows: list[list[Cell]] = [[None] * width for _ in range(r0)]
    lead: list[Cell] = [None] * c0
    for row in raw:
        rows.append(lead + [None if v == "" else v for v in row])
    return rows


def _read_with_openpyxl(path: Path, data: bytes, first: BaseException) -> list[Sheet]:
    # openpyxl parses with defusedxml when it is installed (it is a dependency), so no entities.
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets: list[Sheet] = []
        for ws in book.worksheets:
            rows: list[list[Cell]] = []
            for values in ws.iter_rows(values_only=True):
                if len(rows) >= MAX_ROWS:
                    raise _too_big(path, f"มากกว่า {MAX_ROWS} แถว", f"over {MAX_ROWS} rows")
                rows.append([None if v == "" else v for v in values])
            sheets.append(
                Sheet(ws.title, _rectangular(rows), hidden=ws.sheet_state != "visible")
            )
        book.close()
        return sheets
    except InputError:
        raise
    except Exception as exc:
        raise _corrupt(path) from exc


def _read_with_xlrd(path: Path, data: bytes, first: BaseException | None) -> list[Sheet]:
    import xlrd

    try:
        try:
            # formatting_info: without it xlrd reports no merged cells, and a username or group
            # merged over a user's rows would be read for the first row only.
            book = xlrd.open_workbook(
                file_contents=data, on_demand=True, logfile=io.StringIO(), formatting_info=True
            )
        except Exception:  # formatting records xlrd cannot read: the values still can be
            book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
        sheets: list[Sheet] = []
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            if ws.nrows > MAX_ROWS or ws.nrows * ws.ncols > MAX_CELLS:
                raise _too_big(path, f"{ws.nrows} แถว", f"{ws.nrows} rows")
            rows: list[list[Cell]] = []
            for r in range(ws.nrows):
                row: list[Cell] = []
                for c in range(ws.ncols):
                    cell = ws.cell(r, c)
                    value: Cell = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        value = None
                    row.append(value)
                rows.append(row)
            merged = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in ws.merged_cells]
            sheets.append(Sheet(ws.name, _rectangular(rows), merged, ws.visibility != 0))
        return sheets
    except InputError:
        raise
    except Exception as exc:
        if "encrypt" in str(exc).lower():
            raise _encrypted(path) from exc
        raise _corrupt(path) from (first or exc)


def _parse_ole(path: Path, data: bytes) -> list[Sheet]:
    """Read a Compound File: legacy .xls; refuse an encrypted xlsx or a Word .doc."""
    # Directory entry names are UTF-16LE; looking for them avoids an OLE library.
    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage") or has("EncryptionInfo"):
        raise _encrypted(path)
    if has("WordDocument"):
        raise _fail(
            path,
            "เป็นเอกสาร Word ไม่ใช่ตารางข้อมูล",
            "this is a Word document, not a spreadsheet",
        )
    # xlrd, not calamine: a damaged BIFF file can make calamine abort the whole process
    # (a Rust allocation failure Python cannot catch); xlrd fails with an exception.
    return _read_with_xlrd(path, data, None)


def _rectangular(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max((len(r) for r in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    return rows


# --------------------------------------------------------------------------- text formats


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_THAI_CODECS = {"tis-620", "tis620", "windows-874", "cp874", "x-cp874", "iso-8859-11", "ms874"}


def _decode_text(path: Path, data: bytes) -> str:
    """Decode text bytes: BOM, a declared charset, strict UTF-8, then Windows-874."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _bad_encoding(path) from exc
    if b"\x00" in data:
        raise _fail(
            path,
            "ไฟล์มีอักขระ NUL (ไบต์ศูนย์) จึงไม่ใช่ไฟล์ข้อความหรือตารางที่อ่านได้",
            "the file contains NUL bytes, so it is not readable text or a spreadsheet",
        )
    head = data[:4096]
    declared = None
    if b"<" in head:  # both declarations start with "<": a CSV file has none to look for
        declared = _CHARSET.search(head) or _XML_ENCODING.search(data[:512])
    candidates = ["utf-8-sig", "cp874"]
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        candidates.insert(0, "cp874" if name in _THAI_CODECS else name)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_binary(text):
            break
        return text.lstrip("\ufeff")
    raise _bad_encoding(path)


# Control characters other than tab, CR, LF and form feed: one C-level search, not a Python loop.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not _CONTROL_RE.search(sample):
        return False
    return len(_CONTROL_RE.findall(sample)) > max(8, len(sample) // 100)


def _bad_encoding(path: Path) -> InputError:
    return _fail(
        path,
        "อ่านรหัสอักขระของไฟล์ไม่ได้ (ไม่ใช่ UTF-8 หรือ Windows-874) หรือไม่ใช่ไฟล์ตารางข้อมูล",
        "unreadable encoding (not UTF-8 or Windows-874), or not a spreadsheet at all",
        "เปิดไฟล์ใน Excel แล้วบันทึกเป็น .xlsx หรือ CSV UTF-8 แล้วลองใหม่",
        "Open it in Excel and save it as .xlsx or CSV UTF-8, then retry.",
    )


DELIMITERS = (",", "\t", ";", "|")


def _sniff_delimiter(lines: list[str]) -> str:
    """Pick the delimiter that splits the most lines into the same number (>1) of fields."""
    best, best_score = ",", (0, 0)
    text = "\n".join(lines)
    present = [delim for delim in DELIMITERS if delim in text]  # the others split no line
    if present in ([], [","]):
        return ","  # the only candidate is the default: what parsing the sample would say
    for delim in present:
        counts: dict[int, int] = {}
        for fields in csv.reader(lines, delimiter=delim):
            if len(fields) > 1:
                counts[len(fields)] = counts.get(len(fields), 0) + 1
        if not counts:
            continue
        width, lines_with = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if (lines_with, width) > best_score:
            best, best_score = delim, (lines_with, width)
    return best


def _parse_csv(path: Path, text: str) -> Sheet:
    sample = [line for line in text[:65536].splitlines()[:60] if line.strip()]
    delimiter = _sniff_delimiter(sample)
    rows: list[list[Cell]] = []
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(MAX_CELL_CHARS + 1)
        for fields in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= MAX_ROWS:
                raise _too_big(path, f"มากกว่า {MAX_ROWS} แถว", f"over {MAX_ROWS} rows")
            if len(fields) > MAX_COLUMNS:
                raise _too_big(path, f"{len(fields)} คอลัมน์", f"{len(fields)} columns")
            # Most fields are plain text: only the rest go through _csv_value (a call each).
            rows.append([
                f if f and not f.isspace() and not f.startswith('="') else _csv_value(f)
                for f in fields
            ])
    except csv.Error as exc:
        raise _fail(
            path,
            f"อ่าน CSV ไม่ได้ที่แถว {len(rows) + 1} (เครื่องหมายคำพูดไม่ครบหรือช่องยาวเกิน)",
            f"cannot read the CSV at row {len(rows) + 1} (unbalanced quotes or a cell too long)",
            "เปิดไฟล์ใน Excel แล้วบันทึกเป็น .xlsx แล้วลองใหม่",
            "Open it in Excel and save it as .xlsx, then retry.",
        ) from exc
    finally:
        csv.field_size_limit(limit)
    return Sheet(None, _rectangular(rows))


def _csv_value(field: str) -> str | None:
    # ="0812345678" is how exports keep Excel from eating leading zeros and long IDs.
    if field.startswith('="') and field.endswith('"') and len(field) >= 3:
        field = field[2:-1]
    return field if field.strip() else None


def _parse_html(path: Path, text: str) -> list[Sheet]:
    """Lay an HTML report out as Excel does when it opens one: text blocks and tables stacked.

    Excel shows the headings before a table (body name, date) as rows above it, and several tables
    one below the other on one sheet; doing the same keeps the title block and any per-group
    headings, and makes our row numbers the ones the user sees after opening the file in Excel.
    """
    import lxml.etree
    import lxml.html

    # libxml2's HTML parser never loads a DTD or defines entities (only HTML's named ones);
    # no_network keeps anything in the file from reaching outside it.
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(_strip_xml_decl(text), parser=parser)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError) as exc:
        raise _corrupt(path) from exc
    builder = _HtmlGrid(path)
    builder.walk(root)
    rows = _rectangular(builder.rows)
    if not any(any(v is not None for v in row) for row in rows):
        raise _fail(path, "ไฟล์ HTML ไม่มีตารางหรือข้อความ", "the HTML file holds no table or text")
    return [Sheet(None, rows, builder.merged)]


def _strip_xml_decl(text: str) -> str:
    # lxml refuses str input that carries an encoding declaration; we already decoded it.
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)


_SKIP_TAGS = {"head", "script", "style", "title", "noscript", "template"}
_BREAK_TAGS = {"br", "p", "div", "li", "tr"}


class _HtmlGrid:
    """Collects rows from an HTML tree: leaf tables cell by cell, other text one line per row."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: list[list[Cell]] = []
        self.merged: list[tuple[int, int, int, int]] = []

    def _add(self, row: list[Cell]) -> None:
        if len(self.rows) >= MAX_ROWS:
            raise _too_big(self.path, f"มากกว่า {MAX_ROWS} แถว", f"over {MAX_ROWS} rows")
        self.rows.append(row)

    def _text_lines(self, text: str | None) -> None:
        for line in (text or "").splitlines():
            if line.strip():
                self._add([line.strip()])

    def walk(self, el: object) -> None:
        """Visit `el` in document order."""
        import lxml.html

        assert isinstance(el, lxml.html.HtmlElement)
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            return
        if tag == "table" and not el.xpath(".//table"):
            self._table(el)
            return
        if not el.xpath(".//table"):
            self._text_lines(_cell_text(el))
            return
        self._text_lines(el.text)
        for child in el:
            self.walk(child)
            self._text_lines(child.tail)

    def _table(self, table: object) -> None:
        import lxml.html

        assert isinstance(table, lxml.html.HtmlElement)
        for caption in table.xpath("./caption"):
            self._text_lines(_cell_text(caption))
        trs = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        top = len(self.rows)
        pending: dict[tuple[int, int], bool] = {}  # cells covered by a rowspan from above
        for i, tr in enumerate(trs):
            row: list[Cell] = []
            col = 0
            for td in tr.xpath("./td|./th"):
                while pending.pop((i, col), False):
                    row.append(None)
                    col += 1
                value = _cell_text(td)
                if len(value) > MAX_CELL_CHARS:
                    raise _cell_too_long(self.path, top + i + 1)
                colspan = _span(td.get("colspan"), MAX_HTML_SPAN)
                rowspan = _span(td.get("rowspan"), len(trs) - i)
                row.append(value or None)
                row.extend([None] * (colspan - 1))
                if colspan > 1 or rowspan > 1:
                    self.merged.append((top + i, col, top + i + rowspan - 1, col + colspan - 1))
                for r in range(i + 1, i + rowspan):
                    for c in range(col, col + colspan):
                        pending[(r, c)] = True
                col += colspan
                if col > MAX_COLUMNS:
                    raise _too_big(self.path, f"{col} คอลัมน์", f"{col} columns")
            while pending.pop((i, col), False):  # trailing cells covered from above
                row.append(None)
                col += 1
            self._add(row)


def _span(value: str | None, limit: int) -> int:
    try:
        return max(1, min(int(str(value).strip()), max(limit, 1)))
    except ValueError:
        return 1


def _cell_text(el: object) -> str:
    """Text of an HTML element with <br>, <p>, <div> turned into newlines, like Excel does."""
    import lxml.html

    assert isinstance(el, lxml.html.HtmlElement)
    parts: list[str] = []

    def visit(node: lxml.html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP_TAGS:
            return
        if tag in _BREAK_TAGS and parts:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(el)
    return "\n".join(line.strip() for line in "".join(parts).strip().split("\n"))


def _cell_too_long(path: Path, row: int) -> InputError:
    hint_th, hint_en = _ADVICE["again"]["export"]
    return FileError(
        Location(file=str(path), row=row),
        f"มีช่องที่ยาวเกิน {MAX_CELL_CHARS} ตัวอักษร (เกินขีดจำกัดของ Excel)",
        f"a cell is longer than {MAX_CELL_CHARS} characters (beyond Excel's own limit)",
        hint_th, hint_en, advice="again",
    )


def _parse_xml2003(path: Path, text: str) -> list[Sheet]:
    """Excel 2003 XML Spreadsheet (SpreadsheetML), parsed with defusedxml: no entities."""
    import defusedxml.ElementTree as safe_et

    ns = "{urn:schemas-microsoft-com:office:spreadsheet}"
    from defusedxml.common import DefusedXmlException

    try:
        root = safe_et.fromstring(_strip_xml_decl(text))
    except DefusedXmlException as exc:
        raise _fail(
            path,
            "ไฟล์ XML มีการประกาศ entity/DTD ซึ่งไม่อนุญาตเพื่อความปลอดภัย",
            "the XML file declares entities or a DTD, which are refused for safety",
        ) from exc
    except Exception as exc:  # ET ParseError and friends: not well-formed
        raise _corrupt(path) from exc
    sheets: list[Sheet] = []
    for ws in root.iter(f"{ns}Worksheet"):
        rows: list[list[Cell]] = []
        merged: list[tuple[int, int, int, int]] = []
        table = ws.find(f"{ns}Table")
        r = -1
        for row_el in [] if table is None else table.iter(f"{ns}Row"):
            r = int(row_el.get(f"{ns}Index", r + 2)) - 1
            if r >= MAX_ROWS:
                raise _too_big(path, f"มากกว่า {MAX_ROWS} แถว", f"over {MAX_ROWS} rows")
            while len(rows) <= r:
                rows.append([])
            c = -1
            for cell in row_el.iter(f"{ns}Cell"):
                c = int(cell.get(f"{ns}Index", c + 2)) - 1
                if c >= MAX_COLUMNS:
                    raise _too_big(path, f"{c + 1} คอลัมน์", f"{c + 1} columns")
                data_el = cell.find(f"{ns}Data")
                value: Cell = None
                if data_el is not None:
                    value = "".join(data_el.itertext()) or None
                    kind = data_el.get(f"{ns}Type", "String")
                    value = _xml2003_value(value, kind)
                across = int(cell.get(f"{ns}MergeAcross", 0))
                down = int(cell.get(f"{ns}MergeDown", 0))
                if across or down:
                    merged.append((r, c, r + down, c + across))
                row = rows[r]
                while len(row) <= c:
                    row.append(None)
                row[c] = value
                c += across
        sheets.append(Sheet(ws.get(f"{ns}Name"), _rectangular(rows), merged))
    if not sheets:
        raise _fail(path, "ไฟล์ XML ไม่มีแผ่นงาน", "the XML spreadsheet holds no worksheet")
    return sheets


def _xml2003_value(value: str | None, kind: str) -> Cell:
    if value is None:
        return None
    try:
        if kind == "Number":
            number = float(value)
            return int(number) if number.is_integer() else number
        if kind == "DateTime":
            return datetime.fromisoformat(value.rstrip("Z"))
    except ValueError:
        return value
    return value


# --------------------------------------------------------------------------- final checks


_TEXT_FORMATS = frozenset({"csv", "html", "xml2003"})


def _check_sheet(path: Path, sheet: Sheet, *, cells: bool = True) -> None:
    if len(sheet.rows) > MAX_ROWS:
        raise _too_big(path, f"มากกว่า {MAX_ROWS} แถว", f"over {MAX_ROWS} rows")
    if not cells:
        return
    for i, row in enumerate(sheet.rows):
        for value in row:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise _cell_too_long(path, i + 1)
