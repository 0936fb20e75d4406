"""The one error type for bad input, with a Thai and an English message and an Excel location.

Every problem a user can fix (a wrong file, a bad policy, an impossible date) is raised as
`InputError`; the CLI turns it into a message and exit code 2. Anything else is a bug.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def column_letter(index: int) -> str:
    """Excel column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def shown_path(path: str) -> str:
    """Give a file or folder name as text that can be printed and stored.

    On Linux a name is bytes; one that is not UTF-8 (a Thai name unzipped from an archive made
    on Windows is Windows-874) reaches Python with surrogate escapes, which no terminal, JSON
    or HTML file takes. Each such part is read as Windows-874 when it is that, else with U+FFFD
    for the bytes that are not UTF-8. Other names are returned as they are.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "/".join(_shown_part(part) for part in path.split("/"))
    return path


def _shown_part(part: str) -> str:
    raw = os.fsencode(part)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp874")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


@dataclass(frozen=True)
class Location:
    """Where in a user's file something is, as Excel shows it (row 1-based, column letter)."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        # Messages print the file: a name that is not UTF-8 is shown decoded (`shown_path`).
        shown = shown_path(self.file)
        if shown is not self.file:
            object.__setattr__(self, "file", shown)

    def describe(self) -> str:
        """E.g. `export.xlsx, sheet 'รายงาน', row 12, column C`."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def describe_th(self) -> str:
        """Describe it in Thai: `export.xlsx ชีต 'รายงาน' แถว 12 คอลัมน์ C`."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"ชีต '{self.sheet}'")
        if self.row is not None:
            parts.append(f"แถว {self.row}")
        if self.column:
            parts.append(f"คอลัมน์ {self.column}")
        return " ".join(parts)


@dataclass
class InputError(Exception):
    """A problem with something the user gave us, explained in Thai and English.

    `th`/`en` say what is wrong, `hint_th`/`hint_en` what to do about it.
    """

    location: Location
    th: str
    en: str
    hint_th: str = ""
    hint_en: str = ""
    problems: list[str] = field(default_factory=list)  # further problems in the same file

    def __post_init__(self) -> None:
        super().__init__(self.en)

    def __str__(self) -> str:
        return self.message()

    def message(self) -> str:
        """Return the full two-language message the CLI prints."""
        lines = [f"ข้อผิดพลาด: {self.location.describe_th()}: {self.th}"]
        if self.hint_th:
            lines.append(f"  วิธีแก้: {self.hint_th}")
        lines.append(f"Error: {self.location.describe()}: {self.en}")
        if self.hint_en:
            lines.append(f"  What to do: {self.hint_en}")
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)


@dataclass(frozen=True)
class InputWarning:
    """Something odd but readable (a 31/02 date, a bad ID checksum): reported, never fatal."""

    location: Location
    th: str
    en: str

    def __str__(self) -> str:
        # Thai first, as every message a finance head reads; each half names the place itself.
        return (
            f"{self.location.describe_th()}: {self.th} / {self.location.describe()}: {self.en}"
        )
