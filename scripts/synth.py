"""Fictitious New e-LAAS bodies: an HR roster, the e-LAAS accounts and the problems planted in them.

Everything here is invented: people are composed from pools of common given names and made-up
surnames, national IDs are random digits with a valid checksum, body names are composed place
words. Nothing is read from real data. A body is deterministic from its seed.

`make_body(seed, ...)` builds a `Body` (roster rows, export accounts, planted problems, clean
controls); `write_export` / `write_roster` (from synth_write) render it in the shapes NOTES.md
describes; `manifest` gives what `expected.yaml` holds. Vocabulary and dataclasses live in
synth_model. Used by scripts/make_samples.py, the tests and the benchmark:

    sys.path.insert(0, "scripts"); import synth
    body = synth.make_body(7, 30, "xlsx-column", roster_fmt="csv-utf8-bom")
    synth.write_export(body, "export.xlsx"); synth.write_roster(body, "roster.csv")
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

# Scripts run from a checkout where the package may not be installed: use the repo's copy,
# and find the sibling modules however this one was imported.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth_model import (
    ACAD,
    ADDING_PLANTS,
    CONTROL_ELIGIBLE,
    CONTROL_KINDS,
    DEFAULT_AS_OF,
    EMPLOYMENT,
    EXPORT_EXT,
    EXPORT_SHAPES,
    FEMALE_NAMES,
    FILL_ORDER,
    FILL_TAIL,
    GEN,
    GROUP_NAMINGS,
    HOSTILE_VALUES,
    ID_SHAPES,
    KINDS,
    MALE_NAMES,
    PLACE_HEADS,
    PLACE_TAILS,
    PLANT_CATEGORY,
    PLANT_ELIGIBLE,
    PLANT_KINDS,
    PROVINCES,
    REPORT_NAME,
    ROLES,
    ROSTER_EXT,
    ROSTER_FORMATS,
    ROSTER_ONLY,
    ROSTER_WITH_IDS,
    SURNAME_HEADS,
    SURNAME_TAILS,
    THAI_DIGITS,
    TYPO_SWAP,
    UNIT_ORDER,
    UNITS,
    VARIANT_ELIGIBLE,
    VARIANT_KINDS,
    Body,
    BodyKind,
    Control,
    ExportAccount,
    Planted,
    Role,
    RosterRow,
    be_year,
    fmt_thai_long,
    normalise,
)
from synth_write import (
    legacy_workbook,
    save_stable,
    write_body,
    write_export,
    write_roster,
)

from laas_audit.national_id import make_id

__all__ = [
    "CONTROL_KINDS",
    "EXPORT_EXT",
    "EXPORT_SHAPES",
    "HOSTILE_VALUES",
    "PLANT_CATEGORY",
    "PLANT_KINDS",
    "REPORT_NAME",
    "ROSTER_EXT",
    "ROSTER_FORMATS",
    "VARIANT_KINDS",
    "Body",
    "Control",
    "ExportAccount",
    "Planted",
    "RosterRow",
    "legacy_workbook",
    "make_body",
    "make_id",
    "manifest",
    "normalise",
    "save_stable",
    "write_body",
    "write_export",
    "write_roster",
]


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------


class _Names:
    """Draws unique fictitious people (unique surname and unique full name in one body)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames: set[str] = set()
        self.firsts: set[str] = set()
        self.usernames: set[str] = set()

    def surname(self, need_am: bool = False) -> tuple[str, str]:
        for _ in range(500):
            h = self.rng.choice(SURNAME_HEADS)
            t = self.rng.choice(SURNAME_TAILS)
            th = h[0] + t[0]
            if th in self.surnames or h[0] == t[0] or (need_am and "ำ" not in th):
                continue
            self.surnames.add(th)
            return th, h[1] + t[1]
        raise RuntimeError("surname pool exhausted")

    def first(self, gender: str, need_am: bool = False) -> tuple[str, str]:
        pool = MALE_NAMES if gender == "m" else FEMALE_NAMES
        choices = [p for p in pool if not need_am or "ำ" in p[0]]
        fresh = [p for p in choices if p[0] not in self.firsts]
        pick = self.rng.choice(fresh or choices)
        self.firsts.add(pick[0])
        return pick

    def username(self, style: str, first_rom: str, last_rom: str) -> str:
        first_rom = first_rom.rstrip("0123456789")
        for n in range(1, len(last_rom) + 1):
            sep = "_" if style == "under" else "."
            cut = 3 if style == "dot3" else 1
            u = f"{first_rom}{sep}{last_rom[:max(cut, n)]}"
            if u not in self.usernames:
                self.usernames.add(u)
                return u
        u = f"{first_rom}.{last_rom}{len(self.usernames)}"
        self.usernames.add(u)
        return u


def _national_id(rng: random.Random, older: bool) -> str:
    head = "3" if older else rng.choice("12")
    return make_id(head + "".join(rng.choice("0123456789") for _ in range(11)))


def _level(rng: random.Random, position: str) -> str:
    return position.replace("{A}", rng.choice(ACAD)).replace("{G}", rng.choice(GEN))


def _at(rng: random.Random, d: date) -> datetime:
    """A working-hours time on day d."""
    return datetime(d.year, d.month, d.day, rng.randint(8, 16), rng.randint(0, 59),
                    rng.randint(0, 59))


@dataclass
class _Slot:
    role: Role
    tag: str = ""
    tag_kind: str = ""  # "plant", "control" or "variant"


@dataclass
class _Ctx:
    rng: random.Random
    kind: BodyKind
    as_of: date
    shape: str
    roster_fmt: str
    groups: dict[str, str]
    names: _Names
    style: str
    domain: str
    body_name: str
    planted: list[Planted] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)


def _unit_name(kind: BodyKind, unit_key: str) -> str:
    if unit_key == "office":
        return kind.office
    return UNITS.get(unit_key, "")


def _position(kind: BodyKind, rng: random.Random, role: Role) -> str:
    pos = role.position.format(
        chief=kind.chief, deputy_chief=kind.deputy_chief, mayor=kind.mayor,
        deputy_mayor=kind.deputy_mayor, A="{A}", G="{G}",
    )
    return _level(rng, pos)


def _employment(kind: BodyKind, role: Role) -> str:
    return kind.staff if role.emp == "staff" else EMPLOYMENT[role.emp]


def _choose_tags(
    rng: random.Random, n: int, plants: Sequence[str] | None, controls: Sequence[str] | None,
) -> tuple[list[str], list[str]]:
    if plants is None:
        k = max(2, min(len(PLANT_KINDS), round(n * 0.4)))
        chosen = set(rng.sample(PLANT_KINDS, k))
        plants = [p for p in PLANT_KINDS if p in chosen]
    if controls is None:
        controls = [c for c in (*CONTROL_KINDS, *VARIANT_KINDS)
                    if c != "acting_head" or rng.random() < 0.5]
    bad = [p for p in plants if p not in PLANT_CATEGORY]
    bad += [c for c in controls if c not in CONTROL_KINDS + VARIANT_KINDS]
    if bad:
        raise ValueError(f"unknown plant/control kinds: {bad}")
    controls = list(controls)
    if "head_email" in plants and "acting_head" in controls:
        controls.remove("acting_head")  # one head account cannot be both planted and a control
    return list(plants), controls


def _build_slots(rng: random.Random, n: int, plants: list[str], controls: list[str],
                 ) -> list[_Slot]:
    slots = [_Slot(ROLES["head"]), _Slot(ROLES["chief"]), _Slot(ROLES["mayor"])]
    for p in plants:
        if p in ADDING_PLANTS and len(slots) < n:
            slots.append(_Slot(ROLES[ADDING_PLANTS[p]], p, "plant"))
    if "new_account_unused" in controls and len(slots) < n:
        slots.append(_Slot(ROLES["new_cash"], "new_account_unused", "control"))
    target = n - (1 if "duplicate_account" in plants else 0)
    i = 0
    while len(slots) < target:
        key = FILL_ORDER[i] if i < len(FILL_ORDER) else FILL_TAIL[(i - len(FILL_ORDER))
                                                                  % len(FILL_TAIL)]
        slots.append(_Slot(ROLES[key]))
        i += 1
    # Tags that change an existing clean account, in a fixed order, on distinct slots.
    wanted: list[tuple[str, str, tuple[str, ...]]] = []
    wanted += [(p, "plant", PLANT_ELIGIBLE[p]) for p in plants if p in PLANT_ELIGIBLE]
    wanted += [(c, "control", CONTROL_ELIGIBLE[c]) for c in controls if c in CONTROL_ELIGIBLE]
    wanted += [(v, "variant", VARIANT_ELIGIBLE) for v in controls if v in VARIANT_KINDS]
    for tag, kind, eligible in wanted:
        free = [s for s in slots if not s.tag and s.role.key in eligible]
        if free:
            s = rng.choice(free)
            s.tag, s.tag_kind = tag, kind
    return slots


def _clean_dates(ctx: _Ctx) -> tuple[datetime, datetime, datetime]:
    rng, as_of = ctx.rng, ctx.as_of
    created = as_of - timedelta(days=rng.randint(240, 900))
    last = as_of - timedelta(days=rng.randint(1, 60))
    pw_lo = max(created, as_of - timedelta(days=165))
    pw = pw_lo + timedelta(days=rng.randint(0, max(0, (last - pw_lo).days)))
    return _at(rng, created), _at(rng, last), _at(rng, min(pw, last))


def _email(ctx: _Ctx, first_rom: str, last_rom: str, head: bool) -> str | None:
    rng = ctx.rng
    first_rom = first_rom.rstrip("0123456789")
    r = rng.random()
    if not head and r < 0.25:
        return None
    if r < 0.55:
        return f"{first_rom}.{last_rom[:4]}@gmail.com"
    if r < 0.75 or head:
        return f"{first_rom}.{last_rom[0]}@{ctx.domain}"
    return f"{first_rom}{rng.randint(10, 99)}@yahoo.com"


def _person(ctx: _Ctx, slot: _Slot, pid: int) -> tuple[RosterRow, dict[str, str]]:
    """A fresh person for a slot, honouring what its tag needs (gender, ำ in the name)."""
    rng = ctx.rng
    tag = slot.tag
    gender = "f" if tag in ("prefix_abbrev", "marriage") else "m" if tag == "rank_prefix" \
        else rng.choice("mf")
    need_am = tag == "sara_am"
    am_in_first = need_am and rng.random() < 0.6
    first, first_rom = ctx.names.first(gender, need_am=am_in_first)
    last, last_rom = ctx.names.surname(need_am=need_am and not am_in_first)
    if gender == "m":
        prefix = "ว่าที่ร้อยตรี" if tag == "rank_prefix" else "นาย"
    elif tag in ("prefix_abbrev", "marriage"):
        prefix = "นางสาว"
    else:
        prefix = rng.choice(("นาง", "นางสาว"))
    role = slot.role
    row = RosterRow(
        pid=pid, prefix=prefix, first=first, last=last,
        position=_position(ctx.kind, rng, role), unit=_unit_name(ctx.kind, role.unit),
        employment=_employment(ctx.kind, role),
        national_id=_national_id(rng, older=rng.random() < 0.6),
        rank=role.rank, unit_key=role.unit,
    )
    return row, {"first_rom": first_rom, "last_rom": last_rom}


def _account_for(ctx: _Ctx, slot: _Slot, person: RosterRow, rom: dict[str, str]) -> ExportAccount:
    rng = ctx.rng
    created, last, pw = _clean_dates(ctx)
    # Some log in with ThaiD: the citizen ID is the username (never for a planted duplicate,
    # whose second account is the ThaiD one).
    thaid = rng.random() < 0.12 and slot.tag != "duplicate_account" \
        and slot.tag_kind != "variant"  # a name variant must be matched by name
    username = person.national_id if thaid and person.national_id else ctx.names.username(
        ctx.style, rom["first_rom"], rom["last_rom"])
    return ExportAccount(
        username=username, prefix=person.prefix, first=person.first, last=person.last,
        position=person.position, unit=person.unit,
        groups=[ctx.groups[c] for c in slot.role.groups],
        created=created, last_login=last, password_changed=pw,
        email=_email(ctx, rom["first_rom"], rom["last_rom"], slot.role.key == "head"),
        national_id=person.national_id, pid=person.pid if slot.role.on_roster else None,
        role=slot.role.key, handle=rom["first_rom"].rstrip("0123456789"),
    )


def _days_ago(ctx: _Ctx, lo: int, hi: int) -> date:
    return ctx.as_of - timedelta(days=ctx.rng.randint(lo, hi))


def _order_no(rng: random.Random, year_be: int) -> str:
    return f"{rng.randint(12, 480)}/{year_be}"


def _apply_plant(ctx: _Ctx, tag: str, acc: ExportAccount, person: RosterRow | None,
                 accounts: list[ExportAccount]) -> None:
    """Change a clean account (and its roster row) so that it carries one planted problem."""
    rng, g = ctx.rng, ctx.groups
    cat = PLANT_CATEGORY[tag]
    note = ""
    tolerated: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    if tag == "leaver_active" and person is not None:
        last_sep30 = date(ctx.as_of.year if ctx.as_of >= date(ctx.as_of.year, 9, 30)
                          else ctx.as_of.year - 1, 9, 30)
        statuses = ["ย้าย", "โอน", "ลาออก"]
        if (ctx.as_of - last_sep30).days <= 150:
            statuses.append("เกษียณอายุราชการ")
        status = rng.choice(statuses)
        when = last_sep30 if status == "เกษียณอายุราชการ" else _days_ago(ctx, 15, 150)
        person.status, person.status_date = status, when
        other = f"{rng.choice(PLACE_HEADS)[0]}{rng.choice(PLACE_TAILS)[0]}"
        person.note = {
            "ย้าย": f"ย้ายไปดำรงตำแหน่งที่ อบต.{other} คำสั่งที่ {_order_no(rng, be_year(when))}",
            "โอน": f"โอนไปสังกัดเทศบาลตำบล{other}",
            "ลาออก": f"ลาออกตามคำสั่งที่ {_order_no(rng, be_year(when))}",
            "เกษียณอายุราชการ": "",
        }[status]
        last = when - timedelta(days=rng.randint(1, 10))
        acc.last_login = _at(rng, last)
        pw_lo = max(acc.created.date(), ctx.as_of - timedelta(days=165))
        pw = pw_lo + timedelta(days=rng.randint(0, max(0, (last - pw_lo).days)))
        acc.password_changed = _at(rng, min(pw, last))
        note = (f"{status}เมื่อ {when.isoformat()} (ทะเบียนบุคลากร) แต่บัญชียังใช้งานอยู่ใน "
                + ", ".join(acc.groups))
    elif tag == "dormant":
        last = _days_ago(ctx, 200, 420)
        acc.last_login = _at(rng, last)
        acc.password_changed = _at(rng, last - timedelta(days=rng.randint(0, 40)))
        acc.created = min(acc.created, acc.password_changed - timedelta(days=30))
        note = f"เข้าใช้งานครั้งล่าสุด {last.isoformat()} (เกิน 180 วัน)"
        # Nobody changes a password without logging in: the password is as old, so say so.
        ctx.planted.append(Planted(acc.username, "password_old", "hygiene",
                                   "รหัสผ่านไม่ได้เปลี่ยนเกิน 180 วัน (บัญชีไม่ได้ใช้งาน)"))
    elif tag == "mismatch_moved" and person is not None:
        new_unit = rng.choice(("works", "edu", "health"))
        person.unit, person.unit_key = UNITS[new_unit], new_unit
        person.position = _level(rng, rng.choice(("เจ้าพนักงานธุรการ{G}",
                                                  "นักจัดการงานทั่วไป{A}")))
        moved = _days_ago(ctx, 30, 150)
        person.note = (f"ย้ายจากกองคลังมา{person.unit} คำสั่งที่ {_order_no(rng, be_year(moved))}"
                       f" ลงวันที่ {fmt_thai_long(moved)}")
        note = (f"ย้ายจากกองคลังไป{person.unit} ({person.position}) แต่ยังอยู่ใน "
                + ", ".join(acc.groups))
    elif tag == "admin_not_head":
        acc.groups.insert(0, g["admin"])
        note = f"{acc.position} ไม่ใช่หัวหน้าหน่วยงานคลัง แต่อยู่ในกลุ่ม {g['admin']}"
        tolerated = ("mismatch",)
    elif tag == "sod_procurement_cash":
        extra = g["cash"] if g["proc"] in acc.groups else g["proc"]
        acc.groups.append(extra)
        note = f"คนเดียวถือทั้ง {g['proc']} และ {g['cash']}"
        tolerated = ("mismatch",)
    elif tag == "exec_operational":
        extra = rng.choice((g["cash"], g["proc"]))
        acc.groups.append(extra)
        note = f"{acc.position} (ผู้บริหาร) อยู่ในกลุ่มปฏิบัติงาน {extra}"
        tolerated = ("mismatch",)
    elif tag == "password_old":
        pw = _days_ago(ctx, 200, 520)
        acc.password_changed = _at(rng, pw)
        acc.created = min(acc.created, acc.password_changed - timedelta(days=20))
        note = f"เปลี่ยนรหัสผ่านครั้งล่าสุด {pw.isoformat()} (เกิน 180 วัน)"
    elif tag == "head_email":
        if rng.random() < 0.5:
            acc.email = None
            note = "หัวหน้าหน่วยงานคลังไม่มีอีเมล"
        else:
            acc.email = f"{acc.handle}{rng.randint(10, 99)}@hotmail.com"
            note = f"อีเมลของหัวหน้าหน่วยงานคลังเป็น Hotmail ({acc.email})"
    elif tag == "duplicate_account" and person is not None:
        created, last, pw = _clean_dates(ctx)
        twin = ExportAccount(
            username=person.national_id or f"{acc.username}2", prefix=acc.prefix,
            first=acc.first, last=acc.last,
            position=acc.position, unit=acc.unit, groups=list(acc.groups[:1]),
            created=created, last_login=last, password_changed=pw, email=acc.email,
            national_id=acc.national_id, pid=acc.pid, role=acc.role, handle=acc.handle,
        )
        accounts.append(twin)
        ctx.planted.append(Planted(
            twin.username, tag, cat, f"{acc.full_name} มีสองบัญชี ({acc.username}, {twin.username})",
            related=(acc.username,)))
        return
    else:
        note = _apply_added_plant(ctx, tag, acc)
        tolerated = {"generic_account": ("stale",), "orphan": ()}.get(tag, ())
    ctx.planted.append(Planted(acc.username, tag, cat, note, related, tolerated))


def _apply_added_plant(ctx: _Ctx, tag: str, acc: ExportAccount) -> str:
    """Plants whose account was added for them: mostly set up by the role; fix dates/words."""
    rng, g = ctx.rng, ctx.groups
    if tag == "orphan":
        return f"ไม่พบ {acc.full_name} ในทะเบียนบุคลากร แต่อยู่ใน {', '.join(acc.groups)}"
    if tag == "never_used":
        made = _days_ago(ctx, 45, 150)
        acc.created = _at(rng, made)
        acc.last_login = None
        acc.password_changed = acc.created
        return f"สร้างเมื่อ {made.isoformat()} ไม่เคยเข้าใช้งาน (เกิน 30 วัน)"
    if tag == "mismatch_position":
        return f"{acc.position} ({acc.unit}) อยู่ในกลุ่ม {g['cash']}"
    if tag == "nonstaff_finance":
        return f"พนักงานจ้างเหมาบริการ อยู่ในกลุ่ม {g['cash']}"
    if tag == "generic_account":
        return f"บัญชีกลาง/ใช้ร่วมกัน ({acc.username}: {acc.full_name}) ไม่ระบุตัวบุคคล"
    raise ValueError(tag)


GENERIC_ACCOUNTS = (
    ("finance01", "เจ้าหน้าที่การเงิน", "cash"),
    ("user01", "ผู้ใช้ทั่วไป", "clerk"),
    ("klang", "เจ้าหน้าที่กองคลัง", "acct"),
    ("admin2", "ผู้ใช้งาน ทดแทน", "proc"),
)


def _apply_control(ctx: _Ctx, tag: str, acc: ExportAccount, person: RosterRow | None) -> None:
    rng, g = ctx.rng, ctx.groups
    desc = ""
    if tag == "acting_head" and person is not None:
        person.position = "นักวิชาการเงินและบัญชีชำนาญการ"
        person.rank = 1
        acc.position = person.position
        no = _order_no(rng, be_year(ctx.as_of))
        person.note = f"รักษาราชการแทนผู้อำนวยการกองคลัง คำสั่งที่ {no}"
        desc = f"รักษาราชการแทน ผอ.กองคลัง ตามคำสั่งที่ {no}: ถือ {g['head']} และ {g['admin']} ได้"
    elif tag == "elected_exec":
        desc = "ผู้บริหารที่มาจากการเลือกตั้ง ไม่อยู่ในทะเบียนบุคลากร ถือเฉพาะกลุ่มผู้บริหาร"
    elif tag == "retiree_future" and person is not None:
        y = ctx.as_of.year if ctx.as_of < date(ctx.as_of.year, 9, 30) else ctx.as_of.year + 1
        person.status, person.status_date = "เกษียณอายุราชการ", date(y, 9, 30)
        desc = f"เกษียณอายุราชการ {person.status_date.isoformat()} หลังวันที่ตรวจ"
    elif tag == "new_account_unused":
        made = _days_ago(ctx, 3, 20)
        acc.created = _at(rng, made)
        acc.last_login = None
        acc.password_changed = acc.created
        desc = f"สร้างเมื่อ {made.isoformat()} ยังไม่ครบ 30 วัน จึงยังไม่ถือว่าไม่เคยใช้"
    elif tag == "mission_staff":
        desc = f"{acc.position} (พนักงานจ้างตามภารกิจ ไม่ใช่จ้างเหมา) อยู่ในกลุ่มที่ตรงหน้าที่"
    elif tag == "clerk_other_unit":
        desc = f"เจ้าพนักงานธุรการของ{acc.unit} อยู่ในกลุ่ม {g['clerk']} ตามหน้าที่"
    elif tag == "hotmail_not_head":
        acc.email = f"{acc.handle}{rng.randint(10, 99)}@hotmail.com"
        desc = "ใช้อีเมล Hotmail แต่ไม่ใช่หัวหน้าหน่วยงานคลัง"
    if desc:
        ctx.controls.append(Control(acc.username, tag, desc))


def _apply_variant(ctx: _Ctx, tag: str, acc: ExportAccount, person: RosterRow) -> None:
    """Make the export's name differ from the roster's the way real files do."""
    rng = ctx.rng
    desc = ""
    if tag == "prefix_abbrev":
        acc.prefix = rng.choice(("น.ส.", "นส."))
        desc = f"คำนำหน้าย่อ {acc.prefix} = นางสาว"
    elif tag == "sara_am":
        acc.first = acc.first.replace("ำ", "\u0e4d\u0e32")
        acc.last = acc.last.replace("ำ", "\u0e4d\u0e32")
        desc = "สระอำเขียนแยกเป็นนิคหิต + สระอา (U+0E4D U+0E32)"
    elif tag == "nbsp":
        if rng.random() < 0.5:
            acc.first = acc.first + "\u00a0"
        else:
            acc.last = "\u00a0" + acc.last + "\u00a0"
        desc = "มีช่องว่างแบบ NBSP (U+00A0) ในชื่อ"
    elif tag == "thai_digits":
        person.national_id = (person.national_id or "").translate(THAI_DIGITS)
        if ctx.shape not in ID_SHAPES:
            ctx.names.usernames.discard(acc.username)
            acc.username = acc.national_id or acc.username  # a ThaiD login carries the ID
        desc = "เลขประจำตัวประชาชนในทะเบียนบุคลากรเป็นเลขไทย"
    elif tag == "marriage":
        new_last, _ = ctx.names.surname()
        person.prefix, person.last = "นาง", new_last
        person.note = (person.note + " " if person.note else "") + "เปลี่ยนชื่อสกุล"
        if ctx.shape not in ID_SHAPES:
            ctx.names.usernames.discard(acc.username)
            acc.username = acc.national_id or acc.username
        desc = (f"สมรส: ทะเบียนเป็น นาง{person.first} {new_last} ในระบบยังเป็น "
                f"นางสาว{acc.first} {acc.last} เลขประจำตัวเดียวกัน")
    elif tag == "typo":
        spots = [i for i, c in enumerate(acc.last) if c in TYPO_SWAP and i > 0]
        rng.shuffle(spots)
        for i in spots:  # a typo must not turn one person's surname into another's
            typo = acc.last[:i] + TYPO_SWAP[acc.last[i]] + acc.last[i + 1:]
            if typo not in ctx.names.surnames:
                acc.last = typo
                break
        desc = f"นามสกุลพิมพ์ผิดหนึ่งตัวอักษร ({person.last} -> {acc.last})"
    elif tag == "rank_prefix":
        acc.prefix = "ว่าที่ ร.ต."
        desc = "ยศย่อ ว่าที่ ร.ต. = ว่าที่ร้อยตรี"
    ctx.controls.append(Control(acc.username, tag, desc))


def make_body(
    seed: int,
    n_accounts: int = 30,
    shape: str = "xlsx-sections",
    as_of: date = DEFAULT_AS_OF,
    *,
    kind: str = "abt",
    name: str | None = None,
    roman: str | None = None,
    district: str | None = None,
    province: str | None = None,
    roster_fmt: str = "xlsx",
    plants: Sequence[str] | None = None,
    controls: Sequence[str] | None = None,
    hostile: bool = False,
) -> Body:
    """Build a fictitious body with `n_accounts` e-LAAS accounts, deterministic from `seed`.

    `shape` and `roster_fmt` decide which name variants can be planted (a marriage surname
    change needs national IDs on both sides). `plants`/`controls` choose the planted problems
    and clean controls (default: a seeded selection scaled to the body's size).
    """
    if shape not in EXPORT_SHAPES:
        raise ValueError(f"unknown export shape {shape!r}; one of {EXPORT_SHAPES}")
    if roster_fmt not in ROSTER_FORMATS:
        raise ValueError(f"unknown roster format {roster_fmt!r}; one of {ROSTER_FORMATS}")
    if n_accounts < 5:
        raise ValueError("a body needs at least 5 accounts")
    rng = random.Random(seed)
    bk = KINDS[kind]
    if name is None:
        h, t = rng.choice(PLACE_HEADS), rng.choice(PLACE_TAILS)
        name, roman = h[0] + t[0], h[1] + t[1]
    dh, dt = rng.choice(PLACE_HEADS), rng.choice(PLACE_TAILS)
    district = district or dh[0] + dt[0]
    province = province or rng.choice(PROVINCES)
    roman = roman or f"body{seed}"
    plant_list, control_list = _choose_tags(rng, n_accounts, plants, controls)
    if roster_fmt not in ROSTER_WITH_IDS:
        control_list = [c for c in control_list if c not in ("marriage", "thai_digits")]
    ctx = _Ctx(
        rng=rng, kind=bk, as_of=as_of, shape=shape, roster_fmt=roster_fmt,
        groups=dict(rng.choice(GROUP_NAMINGS)), names=_Names(rng),
        style=rng.choice(("dot", "dot3", "under")),
        domain=f"{roman}.go.th", body_name=bk.full + name,
    )
    slots = _build_slots(rng, n_accounts, plant_list, control_list)
    roster, accounts = _populate(ctx, slots)
    roster += _roster_only(ctx, len(roster), max(3, n_accounts // 2))
    if roster_fmt == "xlsx-handmade":
        _handmade_touches(ctx, roster, accounts)
    roster.sort(key=lambda r: (UNIT_ORDER.index(r.unit_key), r.rank, r.pid))
    printed = datetime(as_of.year, as_of.month, as_of.day, rng.randint(8, 15),
                       rng.choice((0, 5, 15, 30, 45)))
    body = Body(
        seed=seed, kind=bk, name=name, roman=roman, district=district, province=province,
        as_of=as_of, printed=printed, shape=shape, roster_fmt=roster_fmt, group_names=ctx.groups,
        roster=roster, accounts=accounts, planted=ctx.planted, controls=ctx.controls,
    )
    if hostile:
        _make_hostile(body)
    return body


def _populate(ctx: _Ctx, slots: list[_Slot]) -> tuple[list[RosterRow], list[ExportAccount]]:
    roster: list[RosterRow] = []
    accounts: list[ExportAccount] = []
    later: list[tuple[_Slot, ExportAccount, RosterRow | None]] = []
    for pid, slot in enumerate(slots, start=1):
        role = slot.role
        if role.key == "generic":
            acc = _generic_account(ctx, slot)
            accounts.append(acc)
            later.append((slot, acc, None))
            continue
        person, rom = _person(ctx, slot, pid)
        acc = _account_for(ctx, slot, person, rom)
        if role.emp == "elected":
            acc.unit = ""
        accounts.append(acc)
        if role.on_roster:
            roster.append(person)
        later.append((slot, acc, person if role.on_roster else None))
    # Controls first (the acting head changes who the finance head is), then plants, variants.
    order = {"control": 0, "plant": 1, "variant": 2, "": 3}
    for slot, acc, who in sorted(later, key=lambda t: order[t[0].tag_kind]):
        if slot.tag_kind == "plant":
            _apply_plant(ctx, slot.tag, acc, who, accounts)
        elif slot.tag_kind == "control":
            _apply_control(ctx, slot.tag, acc, who)
        elif slot.tag_kind == "variant" and who is not None:
            _apply_variant(ctx, slot.tag, acc, who)
    return roster, accounts


def _generic_account(ctx: _Ctx, slot: _Slot) -> ExportAccount:
    user, label, cls = ctx.rng.choice(GENERIC_ACCOUNTS)
    ctx.names.usernames.add(user)
    created, last, pw = _clean_dates(ctx)
    first, _, last_name = label.partition(" ")
    return ExportAccount(
        username=user, prefix="", first=first, last=last_name, position="",
        unit=UNITS["finance"], groups=[ctx.groups[cls]], created=created, last_login=last,
        password_changed=pw, email=None, role="generic",
    )


def _roster_only(ctx: _Ctx, start: int, count: int) -> list[RosterRow]:
    out: list[RosterRow] = []
    for i in range(count):
        role = ROSTER_ONLY[i % len(ROSTER_ONLY)]
        person, _ = _person(ctx, _Slot(role), 1000 + start + i)
        out.append(person)
    return out


ABBREVIATIONS = (
    ("นักวิชาการเงินและบัญชี", "นวก.การเงินและบัญชี"),
    ("เจ้าพนักงานการเงินและบัญชี", "จพง.การเงินและบัญชี"),
    ("นักวิชาการพัสดุ", "นวก.พัสดุ"),
    ("ผู้ช่วยเจ้าพนักงานจัดเก็บรายได้", "ผช.จพง.จัดเก็บรายได้"),
    ("เจ้าพนักงานพัสดุ", "จพง.พัสดุ"),
    ("เจ้าพนักงานธุรการ", "จพง.ธุรการ"),
    ("ผู้อำนวยการกองคลัง", "ผอ.กองคลัง"),
)


def _handmade_touches(ctx: _Ctx, roster: list[RosterRow], accounts: list[ExportAccount]) -> None:
    """A finance head's own sheet: abbreviated positions, ปฏิบัติราชการ, some usernames noted."""
    by_pid = {a.pid: a for a in accounts if a.pid is not None}
    for person in roster:
        if ctx.rng.random() < 0.5:
            for long, short in ABBREVIATIONS:
                if person.position.startswith(long):
                    person.position = short + person.position[len(long):]
                    break
        if person.status == "ปกติ":
            person.status = "ปฏิบัติราชการ"
        acc = by_pid.get(person.pid)
        if acc is not None and ctx.rng.random() < 0.7:
            person.username = acc.username


def _make_hostile(body: Body) -> None:
    """Put markup and spreadsheet formulas into names, positions and groups (both sides)."""
    people = {p.pid: p for p in body.roster}
    flagged = {p.username for p in body.planted}
    # planted accounts first: their findings are what renderers must show safely
    named = sorted((a for a in body.accounts if a.pid in people),
                   key=lambda a: (a.username not in flagged, a.username))
    # value -> where it goes; roster and export agree so matching still works
    where = ("first", "group", "position", "last", "group", "position")
    for i, (value, field_name) in enumerate(zip(HOSTILE_VALUES, where, strict=True)):
        acc = named[i % len(named)]
        person = people[acc.pid or 0]
        if field_name == "group":
            acc.groups.append(value)
        else:
            setattr(acc, field_name, value)
            setattr(person, field_name, value)
    body.hostile = True



def manifest(body: Body, export_file: str, roster_file: str) -> dict[str, Any]:
    """What expected.yaml holds: identity, files, planted problems, controls, accounts."""
    return {
        "body": {"name": body.full_name, "short": body.short_name,
                 "district": body.district, "province": body.province},
        "as_of": body.as_of.isoformat(),
        "seed": body.seed,
        "scored": not body.hostile,
        "export": {"file": export_file, "shape": body.shape, "accounts": len(body.accounts),
                   "memberships": sum(len(a.groups) for a in body.accounts)},
        "roster": {"file": roster_file, "format": body.roster_fmt, "people": len(body.roster)},
        "planted": [
            {"username": p.username, "category": p.category, "kind": p.kind,
             "description": p.description,
             **({"related": list(p.related)} if p.related else {}),
             **({"tolerated": list(p.tolerated)} if p.tolerated else {})}
            for p in body.planted
        ],
        "controls": [{"username": c.username, "kind": c.kind, "description": c.description}
                     for c in body.controls],
        "accounts": [{"username": a.username, "full_name": normalise(a.full_name),
                      "groups": [normalise(g) for g in a.groups]}
                     for a in sorted(body.accounts, key=lambda a: a.username)],
    }


if __name__ == "__main__":  # quick look: python scripts/synth.py SEED
    b = make_body(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    print(b.full_name, len(b.accounts), "accounts", len(b.roster), "people")
    for pl in b.planted:
        print(" plant", pl.category, pl.kind, pl.username, pl.description)
    for c in b.controls:
        print(" ok   ", c.kind, c.username, c.description)
