"""Writers for the synthetic bodies (see synth.py): every export shape and roster format.

Files are deterministic per seed: xlsx zips are rewritten with fixed timestamps, CSV and HTML
are plain bytes. Strings beginning with "=" are stored as text, never as formulas.
"""

from __future__ import annotations

import csv
import html
import io
import random
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from synth_model import (
    EXPORT_EXT,
    EXPORT_SHAPES,
    MONTHS_LONG,
    REPORT_NAME,
    ROSTER_EXT,
    ROSTER_FORMATS,
    Body,
    be_year,
    fmt_dmy,
    fmt_thai_long,
    fmt_thai_short,
    thai_digits,
)

# --------------------------------------------------------------------------------------------
# Writers: exports
# --------------------------------------------------------------------------------------------

PAGE_ROWS = 28  # data rows per printed page in the sectioned report


def write_export(body: Body, path: str | Path, shape: str | None = None) -> Path:
    """Write the body's e-LAAS report in `shape` (default: the body's own) and return the path."""
    shape = shape or body.shape
    path = Path(path)
    writer = {
        "xlsx-sections": _export_xlsx_sections,
        "html-xls": _export_html_xls,
        "csv-cp874": _export_csv_cp874,
        "xlsx-column": _export_xlsx_column,
        "xls-legacy": _export_xls_legacy,
    }.get(shape)
    if writer is None:
        raise ValueError(f"unknown export shape {shape!r}; one of {EXPORT_SHAPES}")
    writer(body, path)
    return path


def _text_cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """Strings go in as text, even when they start with '=' (an export never holds formulas)."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _append(ws: WriteOnlyWorksheet, row: Sequence[Any]) -> None:
    ws.append([_text_cell(ws, v) for v in row])


def save_stable(wb: Workbook, path: Path, when: datetime) -> None:
    """Save, then rewrite the zip with fixed timestamps so the file is byte-identical per seed."""
    wb.properties.creator = "laas-audit synth"
    wb.properties.created = when
    buf = io.BytesIO()
    wb.save(buf)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _fix_core_dates(data, stamp)
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def _fix_core_dates(xml: bytes, stamp: bytes) -> bytes:
    for tag in (b"dcterms:created", b"dcterms:modified"):
        start = xml.find(b"<" + tag)
        if start < 0:
            continue
        open_end = xml.find(b">", start) + 1
        close = xml.find(b"</" + tag, open_end)
        xml = xml[:open_end] + stamp + xml[close:]
    return xml


def _title_lines(body: Body) -> tuple[str, str, str]:
    return (REPORT_NAME, body.full_name, f"อำเภอ{body.district} จังหวัด{body.province}")


def _printed(body: Body) -> str:
    p = body.printed
    return f"วันที่พิมพ์ {fmt_dmy(p.date())} เวลา {p.hour:02d}:{p.minute:02d} น."


def _as_of_thai(body: Body) -> str:
    d = body.as_of
    return "ข้อมูล ณ วันที่ " + thai_digits(f"{d.day} {MONTHS_LONG[d.month - 1]} {be_year(d)}")


SECTION_HEADER = (
    "ลำดับ", "ชื่อผู้ใช้งานระบบ", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "ตำแหน่ง",
    "หน่วยงาน", "สถานะ", "วันที่สร้าง", "เข้าสู่ระบบล่าสุด", "วันที่เปลี่ยนรหัสผ่าน", "อีเมล",
)


def _th_date(d: datetime | None, with_time: bool = False) -> str:
    """๑๕ ก.ค. ๒๕๖๙ (เวลา ๐๙:๓๒ น.): Thai digits, as printed reports show them."""
    if d is None:
        return "-"
    text = fmt_thai_short(d.date())
    if with_time:
        text += f" เวลา {d.hour:02d}:{d.minute:02d} น."
    return thai_digits(text)


def _export_xlsx_sections(body: Body, path: Path) -> None:
    wb = Workbook(write_only=True)
    width = len(SECTION_HEADER)
    last_col = chr(ord("A") + width - 1)
    summary = wb.create_sheet("สรุป")
    _append(summary, ["สรุปจำนวนผู้ใช้งานตามกลุ่มผู้ใช้งาน"])
    _append(summary, [body.full_name])
    _append(summary, [])
    _append(summary, ["กลุ่มผู้ใช้งาน", "จำนวน (ราย)"])
    rows = body.export_rows("group")
    for g in body.group_order():
        _append(summary, [g, sum(1 for _, gg in rows if gg == g)])
    _append(summary, ["รวม", len(rows)])
    ws = wb.create_sheet("รายละเอียด")
    merged: list[int] = []
    lines: list[list[Any]] = []
    # Body of the report (sections, members, totals, signature), then paginated below.
    content: list[tuple[str, list[Any]]] = []
    for g in body.group_order():
        members = [a for a, gg in rows if gg == g]
        content.append(("merge", [f"กลุ่มผู้ใช้งาน : {g}"]))
        for i, a in enumerate(members, 1):
            content.append(("row", [
                thai_digits(str(i)), a.username, a.prefix, a.first, a.last,
                a.national_id or "", a.position, a.unit, a.status, _th_date(a.created),
                _th_date(a.last_login, with_time=True), _th_date(a.password_changed),
                a.email or "",
            ]))
        content.append(("merge", [f"รวม {thai_digits(str(len(members)))} ราย"]))
        content.append(("row", []))
    content.append(("merge", [f"รวมทั้งสิ้น {thai_digits(str(len(body.accounts)))} ราย "
                              f"{thai_digits(str(len(rows)))} รายการ"]))
    content.append(("row", []))
    content.append(("row", ["", "", "", "", "", "", "ลงชื่อ ........................................"
                                                    " ผู้พิมพ์รายงาน"]))
    content.append(("row", ["", "", "", "", "", "", "(........................................)"]))
    content.append(("row", ["", "", "", "", "", "", "ตำแหน่ง ผู้อำนวยการกองคลัง"]))
    pages = [content[i:i + PAGE_ROWS] for i in range(0, len(content), PAGE_ROWS)]
    for title in (*_title_lines(body), _as_of_thai(body)):
        lines.append([title])
        merged.append(len(lines))
    lines.append([])
    for p, chunk in enumerate(pages, 1):
        lines.append(list(SECTION_HEADER))
        for kind, row in chunk:
            lines.append(row)
            if kind == "merge":
                merged.append(len(lines))
        lines.append([thai_digits(f"หน้า {p}/{len(pages)}")])
        merged.append(len(lines))
    for row in lines:
        _append(ws, row)
    for r in merged:
        ws.merged_cells.add(f"A{r}:{last_col}{r}")
    save_stable(wb, path, body.printed)


HTML_HEADER = (
    "No.", "Username", "Full Name", "Position", "Department", "User Group", "Status",
    "Created Date", "Last Login", "Password Changed", "Email",
)
SENTINEL_NO_DATE = "30/11/2542"  # what some engines print for "never"


def _export_html_xls(body: Body, path: Path) -> None:
    e = html.escape
    width = len(HTML_HEADER)
    out = [
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">',
        "<head>",
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        "<style>td { mso-number-format:\"\\@\"; font-family: 'TH SarabunPSK'; }</style>",
        "</head>",
        "<body>",
        '<table border="1" cellspacing="0" cellpadding="2">',
    ]
    for title in _title_lines(body):
        out.append(f'<tr><td colspan="{width}" align="center"><b>{e(title)}</b></td></tr>')
    out.append(f'<tr><td colspan="{width}" align="right">{e(_printed(body))}</td></tr>')
    out.append("<tr>" + "".join(f"<th>{e(h)}</th>" for h in HTML_HEADER) + "</tr>")

    def d(x: datetime | None, t: bool = False) -> str:
        if x is None:
            return SENTINEL_NO_DATE
        return fmt_dmy(x.date()) + (f" {x.hour:02d}:{x.minute:02d}" if t else "")

    for i, (a, g) in enumerate(body.export_rows("account"), 1):
        cells = (str(i), a.username, a.full_name, a.position, a.unit, g, a.status,
                 d(a.created), d(a.last_login, True), d(a.password_changed), a.email or "")
        out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    out.append(f'<tr><td colspan="{width}">รวมทั้งสิ้น {len(body.accounts)} ราย</td></tr>')
    out += ["</table>", "</body>", "</html>", ""]
    path.write_bytes("\r\n".join(out).encode("utf-8"))


CSV_HEADER = (
    "ลำดับ", "ชื่อผู้ใช้งาน", "ชื่อ - นามสกุล", "ตำแหน่ง", "สังกัด", "กลุ่มผู้ใช้งาน",
    "สถานะการใช้งาน", "วันที่สร้าง", "วันที่เข้าใช้งานล่าสุด", "วันที่เปลี่ยนรหัสผ่าน", "อีเมล",
)


def _export_csv_cp874(body: Body, path: Path) -> None:
    rng = random.Random(body.seed * 7 + 1)  # layout choices, independent of the body's draws
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    pad = [""] * (len(CSV_HEADER) - 1)
    d = body.as_of
    for line in (REPORT_NAME, f"{body.full_name} อำเภอ{body.district} จังหวัด{body.province}",
                 f"ข้อมูล ณ วันที่ {d.day} {MONTHS_LONG[d.month - 1]} {be_year(d)}"):
        w.writerow([line, *pad])
    w.writerow(["", *pad])
    w.writerow(CSV_HEADER)
    order = {g: i for i, g in enumerate(body.group_order())}
    for i, a in enumerate(sorted(body.accounts, key=lambda a: a.username), 1):
        groups = sorted(a.groups, key=order.__getitem__)
        sep = "\n" if rng.random() < 0.5 else ", "

        def dd(x: datetime | None, t: bool = False) -> str:
            if x is None:
                return "-"
            if t:
                return f"{fmt_thai_short(x.date())} {x.hour:02d}:{x.minute:02d}"
            return fmt_thai_long(x.date(), misspell=rng.random() < 0.3)

        w.writerow([i, a.username, a.full_name, a.position, a.unit, sep.join(groups), a.status,
                    dd(a.created), dd(a.last_login, True), dd(a.password_changed),
                    a.email or ""])
    w.writerow([f"รวมทั้งสิ้น {len(body.accounts)} ราย", *pad])
    path.write_bytes(buf.getvalue().encode("cp874"))


COLUMN_HEADER = (
    "ที่", "ชื่อผู้ใช้", "ชื่อ-สกุล", "เลขประจำตัวประชาชน", "ตำแหน่ง", "สังกัด", "กลุ่มผู้ใช้งาน",
    "สถานะ", "วันที่สร้าง", "เข้าสู่ระบบล่าสุด", "วันที่เปลี่ยนรหัสผ่าน", "อีเมล",
)


def _be_datetime(x: datetime) -> datetime:
    """A true date cell whose year was typed in Buddhist Era (2569 instead of 2026)."""
    return x.replace(year=x.year + 543)


def _date_cell(ws: WriteOnlyWorksheet, value: datetime | None, fmt: str) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = fmt
    return cell


def _export_xlsx_column(body: Body, path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    title = _title_lines(body)
    _append(ws, [None, title[0]])
    _append(ws, [None, f"{title[1]} {title[2]}"])
    _append(ws, [None, _printed(body)])
    _append(ws, [])
    _append(ws, [None, *COLUMN_HEADER])
    for i, (a, g) in enumerate(body.export_rows("account"), 1):
        nid: Any = None
        if a.national_id:
            nid = WriteOnlyCell(ws, value=float(a.national_id))  # Excel made it a number
            nid.number_format = "0"
        _append(ws, [
            None, i, a.username, a.full_name, nid, a.position, a.unit, g, a.status,
            _date_cell(ws, a.created, "dd/mm/yyyy"),
            _date_cell(ws, a.last_login, "dd/mm/yyyy hh:mm"),
            _date_cell(ws, a.password_changed and _be_datetime(a.password_changed),
                       "dd/mm/yyyy"),
            a.email,
        ])
    save_stable(wb, path, body.printed)


LEGACY_HEADER = (
    "ลำดับ", "รหัสผู้ใช้", "ชื่อ-สกุล", "เลขบัตรประจำตัวประชาชน", "ตำแหน่ง", "ส่วนราชการ",
    "กลุ่มผู้ใช้งาน", "สถานะการใช้งาน", "วันที่สร้าง", "วันที่เข้าใช้งานล่าสุด",
    "วันที่เปลี่ยนรหัสผ่าน", "อีเมล",
)


def legacy_workbook(body: Body) -> Workbook:
    """The workbook the xls-legacy shape converts (also what tests compare the .xls with)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("รายงาน")
    for line in (*_title_lines(body), _as_of_thai(body)):
        _append(ws, [line])
    _append(ws, list(LEGACY_HEADER))
    for i, (a, g) in enumerate(body.export_rows("group"), 1):
        _append(ws, [
            i, a.username, a.full_name, a.national_id, a.position, a.unit, g, a.status,
            _date_cell(ws, a.created, "dd/mm/yyyy"),
            _date_cell(ws, a.last_login, "dd/mm/yyyy hh:mm"),
            _date_cell(ws, a.password_changed, "dd/mm/yyyy"), a.email,
        ])
    _append(ws, [f"รวม {len(body.accounts)} ราย"])
    return wb


def _export_xls_legacy(body: Body, path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print(f"note: soffice not found, {path.name} (xls-legacy) skipped")
        return
    with tempfile.TemporaryDirectory(prefix="synth-xls-") as tmp:
        src = Path(tmp) / "export.xlsx"
        save_stable(legacy_workbook(body), src, body.printed)
        profile = Path(tmp) / "profile"
        # A private profile: other soffice instances on the machine must not collide with ours.
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "xls:MS Excel 97", "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=180,
        )
        shutil.move(str(Path(tmp) / "export.xls"), path)


# --------------------------------------------------------------------------------------------
# Writers: rosters
# --------------------------------------------------------------------------------------------


def write_roster(body: Body, path: str | Path, fmt: str | None = None) -> Path:
    """Write the body's HR roster in `fmt` (default: the body's own) and return the path."""
    fmt = fmt or body.roster_fmt
    path = Path(path)
    writer = {
        "xlsx": _roster_xlsx,
        "csv-utf8-bom": _roster_csv,
        "xlsx-handmade": _roster_handmade,
    }.get(fmt)
    if writer is None:
        raise ValueError(f"unknown roster format {fmt!r}; one of {ROSTER_FORMATS}")
    writer(body, path)
    return path


LHR_HEADER = (
    "ลำดับ", "เลขประจำตัวประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล", "ตำแหน่ง", "ส่วนราชการ",
    "ประเภทบุคลากร", "สถานะ", "วันที่มีผล", "หมายเหตุ",
)


def _roster_xlsx(body: Body, path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("ข้อมูลบุคลากร")
    _append(ws, ["รายงานข้อมูลบุคลากร ระบบสารสนเทศทรัพยากรบุคคลระดับท้องถิ่น (LHR)"])
    _append(ws, [f"{body.full_name} อำเภอ{body.district} จังหวัด{body.province}"])
    _append(ws, [f"ข้อมูล ณ วันที่ {fmt_dmy(body.as_of)}"])
    _append(ws, list(LHR_HEADER))
    for i, p in enumerate(body.roster, 1):
        _append(ws, [i, p.national_id, p.prefix, p.first, p.last, p.position, p.unit,
                     p.employment, p.status, fmt_dmy(p.status_date) if p.status_date else "",
                     p.note])
    for r in (1, 2, 3):
        ws.merged_cells.add(f"A{r}:K{r}")
    save_stable(wb, path, body.printed)


CSV_ROSTER_HEADER = (
    "ที่", "เลขประจำตัวประชาชน", "ชื่อ - สกุล", "ตำแหน่ง", "สังกัด", "ประเภทบุคลากร", "สถานะ",
    "วันที่", "หมายเหตุ",
)


def _roster_csv(body: Body, path: Path) -> None:
    rng = random.Random(body.seed * 7 + 2)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_ROSTER_HEADER)
    for i, p in enumerate(body.roster, 1):
        prefix = "นส." if p.prefix == "นางสาว" else p.prefix
        gap = "  " if rng.random() < 0.4 else " "  # hand-typed double spaces
        when = fmt_thai_short(p.status_date) if p.status_date else ""
        w.writerow([i, p.national_id or "", f"{prefix}{p.first}{gap}{p.last}", p.position,
                    p.unit, p.employment, p.status, when, p.note])
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


HANDMADE_HEADER = (
    "ที่", "ชื่อ - สกุล", "ตำแหน่ง", "กอง/สำนัก", "ประเภท", "สถานะ", "วันที่มีผล",
    "ชื่อผู้ใช้ e-LAAS", "หมายเหตุ",
)


def _roster_handmade(body: Body, path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("รายชื่อ")
    _append(ws, [f"บัญชีรายชื่อ{body.kind.staff} ลูกจ้าง และพนักงานจ้าง"])
    _append(ws, [body.full_name])
    _append(ws, ["ข้อมูล ณ วันที่ " + fmt_thai_long(body.as_of)])
    _append(ws, [])
    _append(ws, list(HANDMADE_HEADER))
    unit = None
    n = 0
    for p in body.roster:
        if unit is not None and p.unit != unit:
            _append(ws, [])  # a blank line between divisions, as people type them
        unit = p.unit
        n += 1
        when = None
        if p.status_date:
            d = p.status_date
            when = _date_cell(ws, datetime(d.year, d.month, d.day), "dd/mm/yyyy")
        _append(ws, [n, p.full_name, p.position, p.unit, p.employment, p.status, when,
                     p.username, p.note or None])
    _append(ws, [])
    _append(ws, [None, f"รวม {n} คน"])
    for r in (1, 2, 3):
        ws.merged_cells.add(f"A{r}:I{r}")
    save_stable(wb, path, body.printed)


def write_body(body: Body, folder: str | Path, export_name: str = "export",
               roster_name: str = "roster") -> tuple[Path, Path]:
    """Write export and roster into `folder` with the shape's usual extensions."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ex = write_export(body, folder / f"{export_name}.{EXPORT_EXT[body.shape]}")
    ro = write_roster(body, folder / f"{roster_name}.{ROSTER_EXT[body.roster_fmt]}")
    return ex, ro
