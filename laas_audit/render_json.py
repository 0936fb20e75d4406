"""findings.json: the versioned, documented contract (docs/findings-json.md) of one review.

It is `ReviewResult.to_dict()` made plain JSON, with national IDs masked unless `show_ids`.
Values are kept exactly as read (an `=HYPERLINK(...)` name stays that text): JSON is data, and
escaping for HTML or Excel is those renderers' job.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from laas_audit.model import ReviewResult
from laas_audit.safe_cells import mask_deep


def _plain(value: Any) -> Any:
    # Evidence dicts come from check code and may hold dates, sets, paths or NaN: JSON has none.
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=str)
    return str(value)


def to_json_dict(result: ReviewResult, show_ids: bool = False) -> dict[str, Any]:
    """Build the findings.json document; every 13-digit national ID masked unless `show_ids`."""
    doc = _plain(result.to_dict())
    return doc if show_ids else mask_deep(doc)


def dumps(result: ReviewResult, *, show_ids: bool = False) -> str:
    """Serialise findings.json: UTF-8 Thai as is, indent 2, key order as the contract lists."""
    doc = to_json_dict(result, show_ids)
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_json(result: ReviewResult, path: Path, *, show_ids: bool = False) -> Path:
    """Write findings.json to `path` (the caller stages the folder; see output.write_all)."""
    path.write_text(dumps(result, show_ids=show_ids), encoding="utf-8")
    return path
