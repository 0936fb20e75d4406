"""Command-line usage errors in Thai first, then click's own English lines.

click words its errors ("Missing option '--roster'.") in English only; a finance head who
mistypes an option should read what is wrong in Thai too. The exit code stays click's 2.
"""

from __future__ import annotations

from typing import IO, Any

import click
from click import exceptions as ce


def _name(exc: click.UsageError) -> str:
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if isinstance(hint, list | tuple):
        hint = " / ".join(hint)
    if hint:
        return str(hint)
    if param is not None:
        opts = getattr(param, "opts", None) or [param.name or ""]
        return " / ".join(opts)
    return ""


def thai_reason(exc: click.UsageError) -> str:
    """Say in Thai what is wrong with the command line (click's message names the details)."""
    name = _name(exc)
    if isinstance(exc, ce.MissingParameter):
        if isinstance(exc.param, click.Argument):
            return f"ยังไม่ได้ระบุ {exc.param.human_readable_name} (ไฟล์หรือโฟลเดอร์ที่ต้องใช้)"
        return f"ยังไม่ได้ระบุตัวเลือก {name}".rstrip()
    if isinstance(exc, ce.NoSuchOption):
        return f"ไม่มีตัวเลือก {exc.option_name}"
    if isinstance(exc, ce.NoSuchCommand):
        return f"ไม่มีคำสั่ง '{exc.command_name}'"
    if isinstance(exc, ce.BadParameter):
        return f"ค่าของ {name} ไม่ถูกต้อง".replace("  ", " ")
    if isinstance(exc, ce.BadOptionUsage):
        return f"ใช้ตัวเลือก {exc.option_name} ไม่ถูกต้อง"
    return "ใช้คำสั่งไม่ถูกต้อง"


class BilingualUsageError(click.UsageError):
    """A click usage error shown with a Thai line and hint before click's English lines."""

    def __init__(self, original: click.UsageError) -> None:
        super().__init__(original.message, original.ctx)
        self.original = original

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the Thai reason and what to do, then click's usage and English error."""
        ctx = self.original.ctx
        command = ctx.command_path if ctx is not None else "laas-audit"
        click.echo(
            f"ข้อผิดพลาด: {thai_reason(self.original)}\n"
            f"  วิธีแก้: ดูวิธีใช้ด้วยคำสั่ง {command} --help",
            file=file, err=file is None,
        )
        self.original.show(file)


def bilingual(exc: click.UsageError) -> click.UsageError:
    """Wrap a usage error once (a help screen shown for no arguments stays as it is)."""
    if isinstance(exc, BilingualUsageError | ce.NoArgsIsHelpError):
        return exc
    return BilingualUsageError(exc)
