"""The one error type for bad input, with a Thai and an English message and an Excel location.

Every problem a user can fix (a wrong file, a bad policy, an impossible date) is raised as
`InputError`; the CLI turns it into a message and exit code 2. Anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def column_letter(index: int) -> str:
    """Excel column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Location:
    """Where in a user's file something is, as Excel shows it (row 1-based, column letter)."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

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
        return f"{self.location.describe()}: {self.en} / {self.th}"
