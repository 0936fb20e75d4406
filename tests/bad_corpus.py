"""A corpus of bad and hostile inputs for laas-audit, built programmatically into a folder.

Nothing big is committed: every file is made on demand. The bombs are cheap to build: a zip bomb
repeats one fully-flushed deflate block (a 2 GiB sheet costs ~2 MB and one pass of crc32), the
over-size file is sparse, the 300k-row sheet is written as raw XML. All people, names and
national IDs are fictitious (IDs get a valid check digit from made-up digits).

Each `BadCase` says which input it replaces (the export, the roster, the `--as-of` value or the
`--out` path), which exit codes are right, and what the message or the output must show.
`build_corpus(folder)` writes every case and returns `BuiltCase`s that know their CLI arguments.
"""

from __future__ import annotations

import csv
import io
import os
import random
import resource
import struct
import subprocess
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from laas_audit.errors import column_letter
from laas_audit.national_id import make_id

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_exports"
GOOD_EXPORT = SAMPLES / "abt-khoksamran" / "export.xlsx"
GOOD_ROSTER = SAMPLES / "abt-khoksamran" / "roster.xlsx"
LEGACY_XLS = SAMPLES / "tt-wangyangngam" / "export.xls"
HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
FORMULAS = ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)",
            "-2+3+cmd")
PASSWD_MARK = "root:x:0:0"  # what /etc/passwd starts with; must never reach any output

Role = Literal["export", "roster", "as_of", "out"]

# --------------------------------------------------------------------------- good base data

TITLE = (
    "รายงานรายชื่อและข้อมูลผู้ใช้งานในกลุ่มผู้ใช้งาน",
    "องค์การบริหารส่วนตำบลหนองตะขบทอง อำเภอโนนสมมุติ จังหวัดชัยภูมิ",
    "ข้อมูล ณ วันที่ 1 ตุลาคม 2569",
)
EXPORT_HEADER = ("ลำดับ", "ชื่อผู้ใช้", "ชื่อ-สกุล", "เลขประจำตัวประชาชน", "ตำแหน่ง", "หน่วยงาน",
                 "กลุ่มผู้ใช้งาน", "สถานะ", "วันที่เข้าใช้งานล่าสุด")
ROSTER_HEADER = ("ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-สกุล", "ตำแหน่ง", "สังกัด", "ประเภทบุคลากร",
                 "สถานะ")
# username, full name, position, unit, groups, last login (BE): fictitious people.
PEOPLE: tuple[tuple[str, str, str, str, tuple[str, ...], str], ...] = (
    ("kamonwan.s", "นางสาวกมลวรรณ ศรีประเสริฐ", "ผู้อำนวยการกองคลัง", "กองคลัง",
     ("ผู้ดูแลระบบ", "หัวหน้าหน่วยงานคลัง"), "15/09/2569"),
    ("thanakorn.p", "นายธนากร พรหมวิเศษ", "นักวิชาการเงินและบัญชีชำนาญการ", "กองคลัง",
     ("เจ้าหน้าที่การเงิน",), "02/09/2569"),
    ("ratchanee.b", "นางรัชนี บุญเรือง", "เจ้าพนักงานพัสดุปฏิบัติงาน", "กองคลัง",
     ("เจ้าหน้าที่พัสดุ",), "20/08/2569"),
    ("wichai.t", "นายวิชัย ทองสุข", "นักวิเคราะห์นโยบายและแผนชำนาญการ", "สำนักปลัด",
     ("เจ้าหน้าที่งบประมาณ",), "11/09/2569"),
    ("siriporn.k", "นางศิริพร แก้วมณี", "นักวิชาการจัดเก็บรายได้ปฏิบัติการ", "กองคลัง",
     ("เจ้าหน้าที่จัดเก็บรายได้", "เจ้าหน้าที่การเงิน"), "29/09/2569"),
    ("apichart.n", "นายอภิชาติ นาคสุวรรณ", "ปลัดองค์การบริหารส่วนตำบล", "สำนักปลัด",
     ("ผู้บริหาร",), "01/09/2569"),
)
IDS = tuple(make_id(f"3{n:011d}") for n in (36990010457, 36990022581, 36990034602,
                                             36990046729, 36990058843, 36990060968))
USERNAMES = tuple(p[0] for p in PEOPLE)
EXPORT_ROWS = sum(len(p[4]) for p in PEOPLE)  # one data row per membership
ROSTER_ROWS = len(PEOPLE)
TH_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def export_rows() -> list[list[str]]:
    """The good export: title lines, header, one row per membership (texts, as in a CSV)."""
    rows: list[list[str]] = [[t] for t in TITLE]
    rows.append(list(EXPORT_HEADER))
    seq = 0
    for (user, name, pos, unit, groups, login), pid in zip(PEOPLE, IDS, strict=True):
        for group in groups:
            seq += 1
            rows.append([str(seq), user, name, pid, pos, unit, group, "ใช้งาน", login])
    return rows


def roster_rows() -> list[list[str]]:
    """The good roster of the same people: a title line, header, one row per person."""
    rows: list[list[str]] = [["ทะเบียนบุคลากร " + TITLE[1]], list(ROSTER_HEADER)]
    for i, ((_, name, pos, unit, _, _), pid) in enumerate(zip(PEOPLE, IDS, strict=True), 1):
        rows.append([str(i), pid, name, pos, unit, "พนักงานส่วนตำบล", "ปกติ"])
    return rows


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8-sig") -> bytes:
    """Rows as CSV bytes (CRLF, like Excel writes)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def _replace(rows: list[list[str]], find: str, new: str) -> list[list[str]]:
    hits = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v == find]
    assert hits, f"{find!r} not in the base rows"  # a corpus bug, not a reader bug
    for r, c in hits:
        rows[r][c] = new
    return rows


# --------------------------------------------------------------------------- raw xlsx and zips

_CT = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
       b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
       b'officedocument.spreadsheetml.sheet.main+xml"/>'
       b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
       b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
       b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="รายงาน" sheetId="1" r:id="rId1"/></sheets></workbook>').encode()
_WB_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET_OPEN = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>'.encode()
SHEET_CLOSE = b"</sheetData></worksheet>"
EMPTY_SST = f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="0" uniqueCount="0"/>'.encode()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sheet_rows_xml(rows: Sequence[Sequence[str | None]], start: int = 1, raw: bool = False) -> str:
    """`<row>` elements with inline strings; `raw=True` keeps `&...;` text unescaped."""
    out = []
    for r, row in enumerate(rows, start):
        cells = "".join(
            f'<c r="{column_letter(c)}{r}" t="inlineStr"><is><t>{v if raw else _esc(v)}</t>'
            "</is></c>"
            for c, v in enumerate(row) if v is not None
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


@dataclass(frozen=True)
class Member:
    """One zip member as raw bytes: `data` is stored, or deflated when `deflated` is set."""

    name: str
    data: bytes  # the bytes as they sit in the zip (already deflated when method is 8)
    crc: int
    size: int  # the uncompressed size declared in the headers
    method: int = 8


def member(name: str, content: bytes) -> Member:
    """An honest deflated member."""
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, co.compress(content) + co.flush(), zlib.crc32(content), len(content))


def repeated_member(name: str, head: bytes, unit: bytes, count: int, tail: bytes) -> Member:
    """A member inflating to head + unit*count + tail, built by repeating one deflate block.

    After a full flush the compressor holds no history, so compressing `unit` again yields the
    very same bytes: the block is computed once and repeated, which makes a GB-sized part cheap.
    """
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(unit) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(unit) + co.flush(zlib.Z_FULL_FLUSH)
    assert block == again  # the trick holds for this zlib
    last = co.compress(tail) + co.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(unit) * count + len(tail)
    assert size < 1 << 32  # no zip64 needed
    return Member(name, first + block * count + last, crc, size)


def write_zip(path: Path, members: Sequence[Member]) -> None:
    """Write a plain (non-zip64) zip from raw members; headers say exactly what `members` say."""
    with path.open("wb") as out:
        _write_zip(out, members)


def zip_bytes(members: Sequence[Member]) -> bytes:
    """The same zip as bytes."""
    buf = io.BytesIO()
    _write_zip(buf, members)
    return buf.getvalue()


def _write_zip(out: BinaryIO, members: Sequence[Member]) -> None:
    central = b""
    for m in members:
        offset = out.tell()
        name = m.name.encode()
        fields = (20, 0x800, m.method, 0, 0x21, m.crc, len(m.data), m.size, len(name), 0)
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + name + m.data)
        central += (b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", 20, 20, 0x800, m.method,
                    0, 0x21, m.crc, len(m.data), m.size, len(name), 0, 0, 0, 0, 0, offset)
                    + name)
    start = out.tell()
    out.write(central)
    out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members),
                                           len(central), start, 0))


def xlsx_members(sheet: Member | bytes, sst: Member | bytes = EMPTY_SST) -> list[Member]:
    """The parts of a minimal valid workbook around one sheet (and a shared-strings part)."""
    def as_member(name: str, part: Member | bytes) -> Member:
        return part if isinstance(part, Member) else member(name, part)

    return [member("[Content_Types].xml", _CT), member("_rels/.rels", _RELS),
            member("xl/workbook.xml", _WB), member("xl/_rels/workbook.xml.rels", _WB_RELS),
            as_member("xl/worksheets/sheet1.xml", sheet), as_member("xl/sharedStrings.xml", sst)]


def write_xlsx(path: Path, rows: Sequence[Sequence[str | None]], *, doctype: str = "",
               raw: bool = False) -> None:
    """A minimal xlsx holding `rows` as inline strings (optionally with a DOCTYPE)."""
    body = SHEET_OPEN.replace(b"<worksheet", doctype.encode() + b"<worksheet", 1)
    write_zip(path, xlsx_members(body + sheet_rows_xml(rows, raw=raw).encode() + SHEET_CLOSE))


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10))
          + "]>")  # &lol9; expands to 10^9 "lol": 3 GB
XXE = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

# --------------------------------------------------------------------------- builders


def _write(data: bytes) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_bytes(data)
    return build


def _random(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _truncated(source: Path) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        data = source.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    return build


def _csv(
    rows: Callable[[], list[list[str]]], encoding: str = "utf-8-sig"
) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_bytes(csv_bytes(rows(), encoding))
    return build


def _xlsx(rows: Callable[[], list[list[str]]]) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        write_xlsx(path, rows())
    return build


def _copy(source: Path) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_bytes(source.read_bytes())
    return build


def _zip_of(files: dict[str, bytes]) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in files.items():
                zf.writestr(name, data)
    return build


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
       b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
GiB = 1 << 30


def _title_only() -> list[list[str]]:
    return [[t] for t in TITLE] + [["วันที่พิมพ์ 01/10/2569 เวลา 10:15 น."], ["ไม่พบข้อมูล"]]


def _no_username() -> list[list[str]]:
    rows = export_rows()
    return [[v for c, v in enumerate(r) if c != 1 or len(r) == 1] for r in rows]


def _no_groups() -> list[list[str]]:
    rows = export_rows()
    return [[v for c, v in enumerate(r) if c != 6 or len(r) == 1] for r in rows]


def _duplicate_labels() -> list[list[str]]:
    rows = export_rows()
    header = len(TITLE)
    for r, row in enumerate(rows[header:], header):
        # a second username column disagreeing with the first: which one is the account?
        row.append("ชื่อผู้ใช้" if r == header else f"other{r}")
    return rows


def _header_only() -> list[list[str]]:
    return [list(EXPORT_HEADER)]


def _utf16_no_bom(path: Path) -> None:
    path.write_bytes(csv_bytes(export_rows(), "utf-16-le"))


def _high_bytes(path: Path) -> None:
    # cp874 leaves 0xDB-0xDE and 0xFC-0xFF undefined and they are not UTF-8 either
    data = bytearray(csv_bytes(export_rows(), "cp874"))
    rng = random.Random(7)
    for i in rng.sample(range(len(data)), 200):
        data[i] = rng.choice(b"\xdb\xdc\xdd\xde\xfc\xfd\xfe\xff")
    path.write_bytes(bytes(data))


def _nul_bytes(path: Path) -> None:
    data = csv_bytes(export_rows())
    path.write_bytes(data[:200] + b"\x00\x00\x00" + data[200:])


def _csv_named_xls() -> list[list[str]]:
    return export_rows()


def _formulas() -> list[list[str]]:
    rows = export_rows()
    _replace(rows, PEOPLE[1][1], FORMULAS[0])
    _replace(rows, PEOPLE[2][2], FORMULAS[1])
    _replace(rows, "เจ้าหน้าที่งบประมาณ", FORMULAS[2])
    _replace(rows, PEOPLE[5][1], FORMULAS[3])
    return rows


def _script_names() -> list[list[str]]:
    rows = export_rows()
    _replace(rows, PEOPLE[0][1], PEOPLE[0][1] + HOSTILE[0])
    _replace(rows, PEOPLE[3][2], HOSTILE[1])
    return rows


def _bad_date() -> list[list[str]]:
    return _replace(export_rows(), PEOPLE[2][5], "31/02/2569")


def _bad_checksum() -> list[list[str]]:
    pid = IDS[1]
    return _replace(export_rows(), pid, pid[:-1] + str((int(pid[-1]) + 1) % 10))


def _roster_thai_digits() -> list[list[str]]:
    rows = roster_rows()
    for row in rows[2:]:
        row[0] = row[0].translate(TH_DIGITS)
        row[1] = row[1].translate(TH_DIGITS)
    return rows


def _roster_bad_checksum() -> list[list[str]]:
    pid = IDS[4]
    return _replace(roster_rows(), pid, pid[:-1] + str((int(pid[-1]) + 3) % 10))


def _huge_cell() -> list[list[str]]:
    return _replace(export_rows(), PEOPLE[3][1], "นายวิชัย " + "ก" * 40_000)


def _many_lines(path: Path) -> None:
    # short rows (seq, username, group) keep the file ~10 MB: under the size limit, over the rows
    rows = export_rows()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows(rows[: len(TITLE) + 1])
        for i in range(250_000):
            writer.writerow([i + 1, f"user{i}", "", "", "", "", "เจ้าหน้าที่พัสดุ"])


def _xlsx_300k_rows(path: Path) -> None:
    header = sheet_rows_xml([EXPORT_HEADER]).encode()
    parts = [SHEET_OPEN, header]
    for r in range(2, 300_002):
        parts.append(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>'
                     f"u{r}</t></is></c></row>".encode())
    parts.append(SHEET_CLOSE)
    write_zip(path, xlsx_members(b"".join(parts)))


def _sheet_area_bomb(path: Path) -> None:
    cells = ('<row r="1"><c r="A1" t="inlineStr"><is><t>ชื่อผู้ใช้</t></is></c></row>'
             '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    write_zip(path, xlsx_members(SHEET_OPEN + cells.encode() + SHEET_CLOSE))


def _bomb_head() -> bytes:
    return SHEET_OPEN + sheet_rows_xml([EXPORT_HEADER]).encode() + (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>')


BOMB_TAIL = b"</t></is></c></row>" + SHEET_CLOSE


def _zip_bomb(path: Path) -> None:
    sheet = repeated_member("xl/worksheets/sheet1.xml", _bomb_head(), b"A" * (1 << 20), 2048,
                            BOMB_TAIL)
    write_zip(path, xlsx_members(sheet))


def _zip_bomb_lying(path: Path) -> None:
    """Headers declare a small part (with the CRC of its first bytes); the data inflates to 2 GB."""
    real = repeated_member("xl/worksheets/sheet1.xml", _bomb_head(), b"A" * (1 << 20), 2048,
                           BOMB_TAIL)
    declared = _bomb_head() + b"A" * 4096
    sheet = Member(real.name, real.data, zlib.crc32(declared), len(declared))
    write_zip(path, xlsx_members(sheet))


def bad_deflate_members(rows: Sequence[Sequence[str | None]]) -> list[Member]:
    """A workbook whose sheet part is a broken deflate stream under an honest size and CRC.

    zipfile raises `zlib.error` (not `BadZipFile`) on it: a reader must still say "damaged".
    """
    content = SHEET_OPEN + sheet_rows_xml(rows).encode() + SHEET_CLOSE
    good = member("xl/worksheets/sheet1.xml", content)
    broken = good.data[:8] + b"\xff" * 8 + good.data[16:]
    try:
        zlib.decompress(broken, -15)
        raise AssertionError("the corruption did not break the stream")  # a corpus bug
    except zlib.error:
        pass
    return xlsx_members(Member(good.name, broken, good.crc, good.size))


def _bad_deflate(path: Path) -> None:
    write_zip(path, bad_deflate_members(export_rows()))


def _flipped(source: Path, at: int, value: int) -> Callable[[Path], None]:
    """`source` with one byte changed: found by fuzzing the sample .xls (see the case's note)."""
    def build(path: Path) -> None:
        data = bytearray(source.read_bytes())
        data[at] = value
        path.write_bytes(bytes(data))
    return build


def _zip_version_64(path: Path) -> None:
    data = bytearray(zip_bytes(xlsx_members(
        SHEET_OPEN + sheet_rows_xml(export_rows()).encode() + SHEET_CLOSE)))
    central = data.index(b"PK\x01\x02")
    data[central + 6: central + 8] = struct.pack("<H", 64)  # "version needed": 6.4
    path.write_bytes(bytes(data))


def _sst_count_lie(path: Path) -> None:
    rows = sheet_rows_xml(export_rows()).replace(
        "</row>", '<c r="B1" t="s"><v>0</v></c></row>', 1)
    sst = (f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="4000000000" '
           'uniqueCount="4000000000"><si><t>รายงาน</t></si></sst>').encode()
    write_zip(path, xlsx_members(SHEET_OPEN + rows.encode() + SHEET_CLOSE, sst))


def _dimension_lie(path: Path) -> None:
    head = SHEET_OPEN.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    write_zip(path, xlsx_members(head + sheet_rows_xml(export_rows()).encode() + SHEET_CLOSE))


def _merge_lie(path: Path) -> None:
    tail = (b'</sheetData><mergeCells count="1"><mergeCell ref="J1:XFD1048576"/></mergeCells>'
            b"</worksheet>")
    write_zip(path, xlsx_members(SHEET_OPEN + sheet_rows_xml(export_rows()).encode() + tail))


def _entity_bomb_sheet(path: Path) -> None:
    rows = export_rows()
    rows[len(TITLE) + 1][2] = "&lol9;"
    body = SHEET_OPEN.replace(b"<worksheet", LAUGHS.encode() + b"<worksheet", 1)
    write_zip(path, xlsx_members(body + sheet_rows_xml(rows, raw=True).encode() + SHEET_CLOSE))


def _entity_bomb_sst(path: Path) -> None:
    # the first title row gets one more cell: shared string 0, which explodes
    rows = sheet_rows_xml(export_rows()).replace(
        "</row>", '<c r="B1" t="s"><v>0</v></c></row>', 1)
    sst = (f'<?xml version="1.0" encoding="UTF-8"?>{LAUGHS}<sst {_NS} count="1" uniqueCount="1">'
           "<si><t>&lol9;</t></si></sst>").encode()
    write_zip(path, xlsx_members(SHEET_OPEN + rows.encode() + SHEET_CLOSE, sst))


def _xxe(path: Path) -> None:
    rows = export_rows()
    rows[len(TITLE) + 1][2] = "&xxe;"
    write_xlsx(path, rows, doctype=XXE, raw=True)


def _html_entities(path: Path) -> None:
    rows = export_rows()
    rows[len(TITLE) + 1][2] = "&lol9;"
    rows[len(TITLE) + 2][2] = "&xxe;"
    dtd = LAUGHS[:-2] + '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    table = "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows
    )
    path.write_text(f'{dtd}<html><head><meta charset="utf-8"></head><body><table>{table}</table>'
                    "</body></html>", encoding="utf-8")


def _html_no_table(path: Path) -> None:
    path.write_text('<html><head><meta charset="utf-8"><title>รายงาน</title></head><body>'
                    + "".join(f"<p>{t}</p>" for t in TITLE) + "<p>ไม่พบข้อมูล</p></body></html>",
                    encoding="utf-8")


def _sparse(path: Path) -> None:
    with path.open("wb") as out:
        out.write(b"PK\x03\x04")
        out.truncate(4 * GiB)  # sparse: no disk used


def _encrypted(path: Path) -> None:
    # a Compound File header and the stream names Excel writes for an encrypted package
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    names = "".join(n.ljust(32, "\x00") for n in ("Root Entry", "EncryptionInfo",
                                                   "EncryptedPackage")).encode("utf-16-le")
    path.write_bytes(header.ljust(512, b"\x00") + names + _random(4096, 5))


def _directory(path: Path) -> None:
    path.mkdir(exist_ok=True)
    (path / "export.xlsx").write_bytes(GOOD_EXPORT.read_bytes())


def _symlink_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")  # endless bytes behind a spreadsheet name


def _fifo(path: Path) -> None:
    os.mkfifo(path)  # opening it for reading blocks until someone writes: a hang if opened


def _nothing(path: Path) -> None:
    """The missing-file case: nothing is written."""


def _existing_file(path: Path) -> None:
    path.write_text("ไฟล์นี้มีอยู่แล้ว: ห้ามเขียนทับ\n", encoding="utf-8")


# --------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class BadCase:
    """One bad input and what a correct run does with it."""

    id: str
    role: Role  # the input this case replaces
    name: str  # file name written (for as_of: the --as-of value itself)
    build: Callable[[Path], None] | None
    exits: tuple[int, ...] = (2,)
    inspect_exits: tuple[int, ...] | None = None  # None: same as `exits`; (): not applicable
    heavy: bool = False  # bombs and huge files: subprocess with a memory cap only
    says: tuple[str, ...] = ()  # words the message must hold (any one of each "a|b" alternative)
    rows: int | None = None  # readable cases: data rows that must all be read
    warns: tuple[str, ...] = ()  # readable cases: words some findings.json warning must hold
    never: tuple[str, ...] = ()  # text that must never appear in stderr, stdout or any output
    timeout: float = 60.0  # seconds a child may take (heavy cases) before it counts as a hang

    @property
    def readable(self) -> bool:
        """Odd but readable: the run must succeed."""
        return 0 in self.exits


NOT_A_SHEET = ("ไม่ใช่|ไม่พบ|อ่านไม่ได้|เสียหาย", "not|no |cannot|damaged|unreadable")
TOO_BIG = ("เกิน|ใหญ่", "beyond|over|too|limit|absurd")

CASES: tuple[BadCase, ...] = (
    BadCase("missing-path", "export", "ไม่มีไฟล์นี้.xlsx", _nothing, says=("ไม่พบ", "no such")),
    BadCase("missing-roster", "roster", "roster-หาย.csv", _nothing, says=("ไม่พบ", "no such")),
    BadCase("directory", "export", "โฟลเดอร์รายงาน.xlsx", _directory, says=("โฟลเดอร์", "folder")),
    BadCase("empty-file", "export", "empty.xlsx", _write(b""), says=("ว่าง", "empty")),
    BadCase("empty-roster-blank-lines", "roster", "roster-blank.csv", _write(b"\r\n  \r\n\t\r\n"),
            says=("ว่าง", "empty")),
    BadCase("random-bytes-xlsx", "export", "random.xlsx", _write(_random(20_000, 1)),
            says=NOT_A_SHEET),
    BadCase("random-bytes-xls", "export", "random.xls", _write(_random(20_000, 2)),
            says=NOT_A_SHEET),
    BadCase("random-bytes-csv", "export", "random.csv", _write(_random(20_000, 3)),
            says=NOT_A_SHEET),
    BadCase("random-bytes-roster", "roster", "roster-random.xlsx", _write(_random(9_000, 4)),
            says=NOT_A_SHEET),
    BadCase("truncated-xlsx", "export", "export-half.xlsx", _truncated(GOOD_EXPORT),
            says=("เสียหาย|ไม่ครบ", "damaged|incomplete")),
    BadCase("truncated-xls", "export", "export-half.xls", _truncated(LEGACY_XLS),
            says=("เสียหาย|ไม่ครบ", "damaged|incomplete")),
    BadCase("truncated-roster-xlsx", "roster", "roster-half.xlsx", _truncated(GOOD_ROSTER),
            says=("เสียหาย|ไม่ครบ", "damaged|incomplete")),
    BadCase("xlsx-bad-deflate", "export", "export-bad-deflate.xlsx", _bad_deflate,
            says=("เสียหาย", "damaged")),
    BadCase("zip-version-6.4", "export", "export-zip64.xlsx", _zip_version_64,
            says=("เสียหาย|ไม่รองรับ", "damaged|not supported")),
    # one byte of the sample .xls changed: calamine panics (a BaseException, not Exception)
    BadCase("xls-calamine-panic", "export", "export-panic.xls", _flipped(LEGACY_XLS, 9626, 255),
            says=("เสียหาย", "damaged")),
    # sharedStrings declares 4e9 strings: calamine reserves 96 GB up front and aborts
    BadCase("sst-count-lie", "export", "export-sst-count.xlsx", _sst_count_lie, heavy=True),
    BadCase("zip-not-workbook", "export", "export-zip.xlsx",
            _zip_of({"อ่านก่อน.txt": "ไม่ใช่สมุดงาน".encode(), "data/a.csv": b"a,b\n1,2\n"}),
            says=("zip", "zip")),
    BadCase("docx-as-xlsx", "export", "export-word.xlsx",
            _zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
            says=("Word|เอกสาร", "document")),
    BadCase("png-as-xlsx", "export", "export-png.xlsx", _write(PNG), says=("ภาพ", "image")),
    BadCase("pdf-as-xls", "export", "export-pdf.xls", _write(PDF), says=("PDF", "PDF")),
    BadCase("pdf-as-roster-xlsx", "roster", "roster-pdf.xlsx", _write(PDF), says=("PDF", "PDF")),
    BadCase("csv-header-only", "export", "header-only.csv", _csv(_header_only)),
    BadCase("xlsx-title-no-table", "export", "title-only.xlsx", _xlsx(_title_only),
            says=("ไม่พบ", "no ")),
    BadCase("html-xls-no-table", "export", "export-text.xls", _html_no_table,
            says=("ไม่พบ|ไม่มี", "no ")),
    BadCase("no-username-column", "export", "no-username.csv", _csv(_no_username),
            says=("ชื่อผู้ใช้", "username")),
    BadCase("no-groups", "export", "no-groups.csv", _csv(_no_groups),
            says=("กลุ่ม", "group")),
    BadCase("roster-as-export", "export", "roster-given-as-export.xlsx", _copy(GOOD_ROSTER),
            inspect_exits=(0,), says=("ทะเบียนบุคลากร", "roster")),
    BadCase("export-as-roster", "roster", "export-given-as-roster.xlsx", _copy(GOOD_EXPORT),
            inspect_exits=(0,), says=("New e-LAAS", "export")),
    BadCase("csv-utf16-no-bom", "export", "export-utf16.csv", _utf16_no_bom,
            says=("อักขระ|NUL", "NUL|encoding")),
    BadCase("csv-undefined-high-bytes", "export", "export-garbled.csv", _high_bytes,
            says=("รหัสอักขระ", "encoding")),
    BadCase("csv-nul-bytes", "export", "export-nul.csv", _nul_bytes, says=("NUL", "NUL")),
    BadCase("duplicate-header-labels", "export", "export-dup-header.csv",
            _csv(_duplicate_labels), says=("ชื่อผู้ใช้", "username")),
    BadCase("as-of-feb-30", "as_of", "2026-02-30", None, inspect_exits=(),
            says=("2026-02-30", "2026-02-30")),
    BadCase("as-of-abc", "as_of", "abc", None, inspect_exits=(), says=("abc", "abc")),
    BadCase("out-is-file", "out", "out-file.txt", _existing_file, inspect_exits=(),
            says=("ไฟล์", "file")),
    BadCase("zip-bomb", "export", "export-bomb.xlsx", _zip_bomb, heavy=True, says=TOO_BIG),
    BadCase("zip-bomb-lying-sizes", "export", "export-bomb-lying.xlsx", _zip_bomb_lying,
            heavy=True),
    BadCase("sheet-area-bomb", "export", "export-area.xlsx", _sheet_area_bomb, heavy=True,
            says=TOO_BIG),
    BadCase("entity-bomb-sheet", "export", "export-laughs.xlsx", _entity_bomb_sheet, heavy=True),
    BadCase("entity-bomb-shared-strings", "export", "export-laughs-sst.xlsx", _entity_bomb_sst,
            heavy=True),
    BadCase("xxe-passwd-xlsx", "export", "export-xxe.xlsx", _xxe, heavy=True,
            never=(PASSWD_MARK,)),
    BadCase("html-xls-entity-tricks", "export", "export-entities.xls", _html_entities,
            heavy=True, exits=(0,), rows=EXPORT_ROWS, never=(PASSWD_MARK, "lollollol")),
    BadCase("huge-cell-csv", "export", "export-long-cell.csv", _csv(_huge_cell),
            says=("ยาวเกิน|32767", "too long|32767")),
    BadCase("huge-cell-xlsx", "export", "export-long-cell.xlsx", _xlsx(_huge_cell),
            says=("32767|32,767", "32767|32,767")),
    BadCase("over-size-limit", "export", "export-4gb.xlsx", _sparse, heavy=True, says=TOO_BIG),
    BadCase("xlsx-300k-rows", "export", "export-300k.xlsx", _xlsx_300k_rows, heavy=True,
            says=TOO_BIG),
    BadCase("csv-250k-lines", "export", "export-250k.csv", _many_lines, heavy=True,
            says=TOO_BIG),
    BadCase("symlink-to-dev-zero", "export", "export-zero.xlsx", _symlink_dev_zero, heavy=True,
            says=("เกิน|ใหญ่|ไม่ใช่ไฟล์ธรรมดา", "beyond|over|too|limit|not a regular file")),
    BadCase("fifo-as-export", "export", "export-pipe.csv", _fifo, heavy=True, timeout=10.0),
    BadCase("encrypted-xlsx", "export", "export-password.xlsx", _encrypted,
            says=("รหัสผ่าน", "password")),
    # odd but readable: exit 0, every row read, the oddity reported as a warning
    BadCase("xlsx-dimension-lie", "export", "export-dimension.xlsx", _dimension_lie, heavy=True,
            exits=(0,), rows=EXPORT_ROWS),
    BadCase("xlsx-merge-lie", "export", "export-merge.xlsx", _merge_lie, heavy=True,
            exits=(0,), rows=EXPORT_ROWS),
    BadCase("csv-named-xls", "export", "export-really-csv.xls", _csv(_csv_named_xls),
            exits=(0,), rows=EXPORT_ROWS),
    BadCase("formula-payloads", "export", "export-formulas.csv", _csv(_formulas), exits=(0,),
            rows=EXPORT_ROWS),
    BadCase("script-in-names", "export", "export-script.csv", _csv(_script_names), exits=(0,),
            rows=EXPORT_ROWS),
    BadCase("date-31-02-2569", "export", "export-bad-date.csv", _csv(_bad_date), exits=(0,),
            rows=EXPORT_ROWS, warns=("31/02/2569",)),
    BadCase("id-bad-checksum", "export", "export-bad-id.csv", _csv(_bad_checksum), exits=(0,),
            rows=EXPORT_ROWS, warns=("checksum|check digit|ตรวจสอบ",)),
    BadCase("roster-thai-digits", "roster", "roster-thai-digits.csv", _csv(_roster_thai_digits),
            exits=(0,), rows=ROSTER_ROWS),
    BadCase("roster-id-bad-checksum", "roster", "roster-bad-id.csv", _csv(_roster_bad_checksum),
            exits=(0,), rows=ROSTER_ROWS, warns=("checksum|check digit|ตรวจสอบ",)),
)

GOOD_CASES: tuple[BadCase, ...] = (
    # controls: the base files every odd case is derived from read cleanly
    BadCase("base-export-csv", "export", "base-export.csv", _csv(export_rows), exits=(0,),
            rows=EXPORT_ROWS),
    BadCase("base-export-xlsx", "export", "base-export.xlsx", _xlsx(export_rows), exits=(0,),
            rows=EXPORT_ROWS),
    BadCase("base-roster-csv", "roster", "base-roster.csv", _csv(roster_rows), exits=(0,),
            rows=ROSTER_ROWS),
)


@dataclass(frozen=True)
class BuiltCase:
    """A case written to disk: the bad path and the good files of the other roles."""

    case: BadCase
    path: Path  # the bad file (or folder, or --out path); for as_of the value is case.name
    export: Path = GOOD_EXPORT
    roster: Path = GOOD_ROSTER

    @property
    def file_arg(self) -> Path | None:
        """The file given to `inspect`, or None when the case is not a file."""
        return self.path if self.case.role in ("export", "roster") else None

    def review_args(self, out: Path) -> list[str]:
        """Arguments after `laas-audit` for a review of this case into `out`."""
        role = self.case.role
        export = self.path if role == "export" else self.export
        roster = self.path if role == "roster" else self.roster
        args = ["review", str(export), "--roster", str(roster)]
        if role == "as_of":
            args += ["--as-of", self.case.name]
        args += ["--out", str(self.path if role == "out" else out)]
        return args


def build_case(case: BadCase, folder: Path) -> BuiltCase:
    """Write one case under `folder` (in its own subfolder, so names may repeat)."""
    home = folder / case.id
    home.mkdir(parents=True, exist_ok=True)
    path = home / case.name
    if path.is_symlink() or path.is_fifo():  # rebuilding into the same folder
        path.unlink()
    if case.build is not None:
        case.build(path)
    return BuiltCase(case, path)


def build_corpus(folder: Path, *, heavy: bool = True,
                 cases: Sequence[BadCase] = CASES) -> list[BuiltCase]:
    """Write every case (skipping the heavy ones unless `heavy`) and return them."""
    return [build_case(c, folder) for c in cases if heavy or not c.heavy]


def disk_usage(folder: Path) -> int:
    """Bytes really used under `folder` (sparse files count what they occupy)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            total += os.stat(os.path.join(root, name)).st_blocks * 512
    return total


# --------------------------------------------------------------------------- running the CLI

CAP_BYTES = 2 * GiB  # issue 7: peak memory stays under 2 GB even for the bombs


@dataclass(frozen=True)
class Run:
    """What one capped `python -m laas_audit` child did."""

    code: int
    stdout: str
    stderr: str
    max_rss: int  # bytes, this child only (os.wait4), not the max over all children
    seconds: float
    timed_out: bool


def run_capped(args: Sequence[str], *, cap: int = CAP_BYTES, timeout: float = 60.0,
               python: Path | None = None) -> Run:
    """Run `python -m laas_audit ARGS` with its address space capped; kill it after `timeout`.

    The cap turns a blow-up into a MemoryError (a failing test) instead of a swapping machine;
    `os.wait4` gives this child's own peak RSS.
    """
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    exe = str(python or REPO / ".venv" / "bin" / "python")
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([exe, "-m", "laas_audit", *args], stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, preexec_fn=limit, cwd=REPO)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                timed_out = True
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), usage.ru_maxrss * 1024, seconds,
                   timed_out)
