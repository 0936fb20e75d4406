"""Parsing the YAML files laas-audit reads: safely, with libyaml's parser where PyYAML has it.

Every run parses the policy, the rule catalogue and the report's labels (a batch, in each
worker too). PyYAML's pure-Python parser took ~50 ms for those three; libyaml's, which PyYAML's
wheels carry, about a tenth of that. Both build the same plain data with the same safe
constructors and resolvers, so the duplicate-key check (policy) and the dates-as-text rule
(exceptions) work the same on either.
"""

from __future__ import annotations

from datetime import date
from typing import IO, Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

# CSafeLoader is CParser + SafeConstructor + Resolver: a SafeLoader with libyaml's parser.
_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeLoader(_BASE):
    """A safe loader on the fastest parser at hand, for which a date that cannot be is an error.

    YAML reads `2569-02-29` as a Gregorian date, and Python refuses the 29th of February of a
    year that is not a leap year: PyYAML lets that ValueError out, which a caller catching
    YAML errors never sees. Here it is a YAML error at the value's line, like any other.
    """


class NotADate(ConstructorError):
    """A YAML date that no calendar has: the line, and what to do, in Thai and English."""

    def __init__(self, node: yaml.ScalarNode, reason: Exception) -> None:
        super().__init__(
            None, None,
            f"{node.value!r} is not a real date ({reason}): YAML reads dates as Gregorian; "
            "write a Buddhist-era date or any text in quotes",
            node.start_mark,
        )
        self.problem_th = (
            f"'{node.value}' ไม่ใช่วันที่ที่มีจริง: YAML อ่านวันที่เป็น ค.ศ. "
            "ถ้าเป็นวันที่ พ.ศ. หรือข้อความ ให้ใส่ในเครื่องหมายคำพูด"
        )


def _timestamp(loader: SafeConstructor, node: yaml.ScalarNode) -> date:
    try:
        value: date = SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise NotADate(node, exc) from None
    return value


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def describe_error(exc: yaml.YAMLError) -> tuple[str, str]:
    """Say where a YAML file went wrong and why, as " (บรรทัด 3): ..." and " (line 3): ...".

    PyYAML's own reasons are English only; ours (an impossible date) come in Thai too.
    """
    problem = getattr(exc, "problem", None) or str(exc)
    problem_th = getattr(exc, "problem_th", problem)
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return f": {problem_th}", f": {problem}"
    return f" (บรรทัด {mark.line + 1}): {problem_th}", f" (line {mark.line + 1}): {problem}"


def safe_load(source: str | IO[str]) -> Any:
    """`yaml.safe_load` with libyaml's parser when there is one."""
    return yaml.load(source, Loader=SafeLoader)  # a safe loader: plain data only
