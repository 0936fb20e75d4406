"""Parsing the YAML files laas-audit reads: safely, with libyaml's parser where PyYAML has it.

Every run parses the policy, the rule catalogue and the report's labels (a batch, in each
worker too). PyYAML's pure-Python parser took ~50 ms for those three; libyaml's, which PyYAML's
wheels carry, about a tenth of that. Both build the same plain data with the same safe
constructors and resolvers, so the duplicate-key check (policy) and the dates-as-text rule
(exceptions) work the same on either.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

# CSafeLoader is CParser + SafeConstructor + Resolver: a SafeLoader with libyaml's parser.
SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(source: str | IO[str]) -> Any:
    """`yaml.safe_load` with libyaml's parser when there is one."""
    return yaml.load(source, Loader=SafeLoader)  # a safe loader: plain data only
