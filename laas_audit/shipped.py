"""The files shipped with the tool, and the one way HTML templates are loaded from them.

`rules/` and `report_templates/` sit beside the package in a source checkout; an installed wheel
carries them as `laas_audit/_data/<name>` (pyproject's force-include).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """Return a shipped folder ("rules", "report_templates"): the wheel's copy, else the repo's."""
    installed = PACKAGE / "_data" / name
    return installed if installed.is_dir() else PACKAGE.parent / name


def template_environment(
    cls: type[jinja2.Environment] | None = None, **options: Any
) -> jinja2.Environment:
    """Build a jinja2 Environment over report_templates/ the way every HTML file needs it.

    autoescape on, set explicitly (`select_autoescape` never fires on `.j2` names);
    StrictUndefined, so a missing value fails instead of printing nothing; block tags trimmed;
    templates not checked for changes on every render (they do not change during a run).
    `options` add to or override these (filters are set on the result).
    """
    import jinja2  # only the HTML writers need it; rules/ is read without it

    settings: dict[str, Any] = {
        "loader": jinja2.FileSystemLoader(str(shipped_dir("report_templates"))),
        "autoescape": True,
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "auto_reload": False,
        **options,
    }
    return (cls or jinja2.Environment)(**settings)
