"""`--mapping FILE`: tell the readers which column label means which field.

For labels the built-in families do not know. YAML, e.g.::

    username: "Login ID"              # applies to both files
    group: ["กลุ่มสิทธิ์ระบบ", "Role"]   # several labels: any of them
    export:
      full_name: "ชื่อผู้ถือบัญชี"
    roster:
      employment_type: "สถานะการจ้าง"

A label is compared after the same normalisation as the built-in families (spaces, dots, case
and punctuation do not matter). An unknown field or a malformed value fails at load with the
file and key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from laas_audit.errors import InputError, Location
from laas_audit.layout import ALL_FIELDS, EXPORT_FIELDS, ROSTER_FIELDS, label_key
from laas_audit.yaml_load import describe_error, safe_load

_SECTIONS = ("export", "roster")
_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Mapping:
    """Field -> accepted column labels, for the export and for the roster."""

    export: dict[str, tuple[str, ...]] = field(default_factory=dict)
    roster: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str | None = None  # the mapping file, for messages

    def overrides(self, kind: Literal["export", "roster"]) -> dict[str, str]:
        """Label key (see `layout.label_key`) -> field, for one kind of file."""
        table = self.export if kind == "export" else self.roster
        return {label_key(label): name for name, labels in table.items() for label in labels}

    def labels(self, kind: Literal["export", "roster"]) -> dict[str, tuple[str, ...]]:
        """Field -> labels as written in the mapping file, for one kind of file."""
        return dict(self.export if kind == "export" else self.roster)


def _error(path: Path, th: str, en: str, key: str | None = None) -> InputError:
    where_th = f" (คีย์ '{key}')" if key else ""
    where_en = f" (key '{key}')" if key else ""
    return InputError(
        Location(file=str(path)),
        f"ไฟล์ mapping ไม่ถูกต้อง{where_th}: {th}",
        f"invalid mapping file{where_en}: {en}",
        "แก้ไฟล์ให้เป็น YAML รูปแบบ  ชื่อฟิลด์: \"ชื่อคอลัมน์ในไฟล์\"  ฟิลด์ที่ใช้ได้: "
        + ", ".join(ALL_FIELDS),
        'Write it as YAML lines  field: "column label as in the file"; fields: '
        + ", ".join(ALL_FIELDS),
    )


def _labels(path: Path, key: str, value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        usable = isinstance(item, str | int | float) and not isinstance(item, bool)
        if not usable or not str(item).strip():
            raise _error(
                path,
                "ต้องเป็นชื่อคอลัมน์ (ข้อความ) หรือรายการของชื่อคอลัมน์",
                "must be a column label (text) or a list of labels",
                key,
            )
        out.append(str(item))
    if not out:
        raise _error(path, "ไม่มีชื่อคอลัมน์", "no column label given", key)
    return tuple(out)


def _section(
    path: Path, data: object, allowed: tuple[str, ...], prefix: str
) -> dict[str, tuple[str, ...]]:
    if not isinstance(data, dict):
        raise _error(path, "ต้องเป็นชุด ฟิลด์: ชื่อคอลัมน์", "must be a mapping of field: label",
                     prefix.rstrip(".") or None)
    out: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        name = str(key)
        if name not in allowed:
            if name in ALL_FIELDS:  # a field of the other kind of file, in the wrong section
                other = "roster" if prefix == "export." else "export"
                where_th = "ทะเบียนบุคลากร" if other == "roster" else "รายงานผู้ใช้งาน"
                raise _error(
                    path,
                    f"ฟิลด์ '{name}' ใช้กับ{where_th}เท่านั้น ให้ย้ายไปไว้ใต้ {other}:",
                    f"'{name}' is a field of the {other} only: move it under {other}:",
                    prefix + name,
                )
            raise _error(
                path,
                f"ไม่รู้จักฟิลด์ '{name}'",
                f"unknown field '{name}'",
                prefix + name,
            )
        out[name] = _labels(path, prefix + name, value)
    return out


def _one_field_a_label(path: Path, table: dict[str, tuple[str, ...]], section: str) -> None:
    """Refuse one label given for two fields: the column could only be one of them."""
    seen: dict[str, str] = {}
    for name, labels in table.items():
        for label in labels:
            other = seen.setdefault(label_key(label), name)
            if other != name:
                raise _error(
                    path,
                    f"ชื่อคอลัมน์ '{label}' ถูกกำหนดให้ทั้ง '{other}' และ '{name}' "
                    "คอลัมน์หนึ่งเป็นได้เพียงฟิลด์เดียว",
                    f"the label '{label}' is given for both '{other}' and '{name}'; a column "
                    "can be one field only",
                    section + name,
                )


def load_mapping(path: Path) -> Mapping:
    """Load and validate a mapping YAML file; raise `InputError` naming the file and key."""
    path = Path(path)
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise _error(path, "ไฟล์ใหญ่เกินไป", "the file is too large")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise _error(path, "ไม่พบไฟล์", "no such file") from exc
    except IsADirectoryError as exc:
        raise _error(path, "เป็นโฟลเดอร์ ไม่ใช่ไฟล์", "this is a folder, not a file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(path, f"อ่านไฟล์ไม่ได้ ({exc})", f"cannot read it ({exc})") from exc
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        where_th, where_en = describe_error(exc)
        raise _error(path, f"YAML ผิดรูปแบบ{where_th}", f"not valid YAML{where_en}") from exc
    if data is None:
        return Mapping(source=str(path))
    if not isinstance(data, dict):
        raise _error(path, "ต้องเป็นชุด ฟิลด์: ชื่อคอลัมน์", "must be a mapping of field: label")
    common = {k: v for k, v in data.items() if str(k) not in _SECTIONS}
    shared = _section(path, common, ALL_FIELDS, "")
    export = {k: v for k, v in shared.items() if k in EXPORT_FIELDS}
    roster = {k: v for k, v in shared.items() if k in ROSTER_FIELDS}
    if "export" in data:
        export.update(_section(path, data["export"], EXPORT_FIELDS, "export."))
    if "roster" in data:
        roster.update(_section(path, data["roster"], ROSTER_FIELDS, "roster."))
    _one_field_a_label(path, export, "export.")
    _one_field_a_label(path, roster, "roster.")
    return Mapping(export=export, roster=roster, source=str(path))
