"""index.html: the provincial rollup page, rendered from `report_templates/index.html.j2`.

Rendered with `shipped.template_environment` (autoescaped, strict: a missing value is a bug, not a
blank cell), plus the rollup's number and date filters.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import jinja2

from laas_audit.model import CATEGORIES, CATEGORY_TH, SEVERITIES, SEVERITY_TH
from laas_audit.rollup import INDEX_TEMPLATE, UNKNOWN_DISTRICT_TH, Rollup
from laas_audit.shipped import template_environment


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Build the rollup's jinja2 environment: autoescaped, strict, from report_templates/."""
    from laas_audit.render_common import date_text, iso_date_text, timestamp_text

    env = template_environment()
    env.filters["be_date"] = iso_date_text
    env.filters["be_timestamp"] = timestamp_text
    env.filters["number"] = _number
    env.globals["date_text"] = date_text
    return env


def _number(value: float | int | None, digits: int = 1) -> str:
    """1,234 for counts, 12.5 for rates, a dash for None."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def render_index(rollup: Rollup) -> str:
    """Render the index.html page of a rollup as text."""
    ranked = rollup.ranked()
    top = max((b.per_100_active or 0.0 for b in ranked), default=0.0)  # the ranked rate
    provinces = sorted({b.province for b in rollup.bodies if b.province})
    template = environment().get_template(INDEX_TEMPLATE)
    return template.render(
        rollup=rollup,
        as_of=rollup.effective_as_of,
        today=date.today().isoformat(),
        provinces=provinces,
        totals=rollup.totals(),
        groups=rollup.by_district(),
        ranks=rollup.ranks(),
        problems=rollup.common_problems(),
        top_rate=top or 1.0,
        categories=CATEGORIES,
        category_th=CATEGORY_TH,
        severities=SEVERITIES,
        severity_th=SEVERITY_TH,
        unknown_district=UNKNOWN_DISTRICT_TH,
    )


def write_index(rollup: Rollup, path: Path) -> Path:
    """Write index.html to `path` (the caller stages the folder)."""
    path.write_text(render_index(rollup), encoding="utf-8")
    return path
