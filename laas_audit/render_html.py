"""report.html: the self-contained report an auditor attaches to the working papers.

One jinja2 Environment with autoescape on (set explicitly: `select_autoescape` never fires on
`.j2` names), StrictUndefined so a missing label fails the build instead of printing nothing,
templates and words in `report_templates/`. CSS and the optional script are inlined; a CSP meta
forbids every request (the script is allowed by its hash only), so the file opens anywhere
offline and an injected tag could not run even if escaping ever failed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from jinja2 import Environment
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.nodes import Const, Expr, FromImport, Getattr, Import, Name, Node, Template
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

from laas_audit.memo import remember
from laas_audit.model import (
    CATEGORIES,
    SEVERITIES,
    Finding,
    MatchMethod,
    ReviewResult,
)
from laas_audit.render_common import (
    cancelled_still_there,
    date_text,
    evidence_sections,
    iso_date_text,
    order_text,
    place_text,
    previous_decision_text,
    timestamp_text,
)
from laas_audit.safe_cells import mask_text, strip_illegal_xml
from laas_audit.shipped import shipped_dir, template_environment
from laas_audit.yaml_load import safe_load

LANGS = ("th", "en")
TEMPLATE = "report.html.j2"
METHOD_ORDER: tuple[MatchMethod, ...] = (
    "national_id", "username", "name", "confirmed", "fuzzy", "none",
)


def _method_rows(methods: Counter[MatchMethod], leads: int) -> list[tuple[str, int]]:
    """List the matching table's rows, a method and its count each.

    Accounts found by no one but offered a person ("lead") are apart from the not found, as
    the console and matches-to-confirm.csv count them.
    """
    counts: dict[str, int] = {str(m): n for m, n in methods.items()}
    counts["lead"], counts["none"] = leads, methods.get("none", 0) - leads
    order = [m for m in METHOD_ORDER if m != "none"] + ["lead", "none"]
    return [(m, counts[m]) for m in order if counts.get(m)]


def template_dir() -> Path:
    """Find report_templates: inside an installed wheel, else in the source checkout."""
    return shipped_dir("report_templates")


class _ReportCodeGenerator(CodeGenerator):
    """Compile the report's hot paths to plain Python: printed values and attribute look-ups.

    Jinja compiles `{{ value }}` to `escape(environment.finalize(value))`: for text that is
    already the cached, escaped Markup that `_finalize` returns, `escape` still runs in Python
    and builds a new Markup. Here a text is looked up in `_SHOWN` directly (a miss computes it)
    and anything else goes to `environment.shown(value)`, which returns the same as jinja's two
    steps. Only plain autoescaped output is compiled this way; anything else keeps jinja's own
    code. A report prints ~1,700 values and looks up ~2,000 attributes. The report's own
    words are written into it when it is compiled (`_FoldLabels`).
    """

    def visit_Template(self, node: Template, frame: Frame | None = None) -> None:
        words = getattr(self.environment, "words", None)
        if self.name == TEMPLATE and words is not None and not _may_rebind_labels(node):
            _FoldLabels(words, self.environment).visit(node)
        super().visit_Template(node, frame)

    def write_commons(self) -> None:
        super().write_commons()
        self.writeline("shown_text = environment.shown_text")

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if _plain_escaped(frame, finalize):
            self.write("(shown_text[_shown] if type(_shown := ")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if _plain_escaped(frame, finalize):
            self.write(") is str else environment.shown(_shown))")
        else:
            super()._output_child_post(node, frame, finalize)

    @optimizeconst
    def visit_Getattr(self, node: Getattr, frame: Frame) -> None:
        """Compile `obj.name` to Python's `getattr(obj, "name", missing)`, inline.

        `environment.getattr` is a Python call that tries exactly that first; only when it
        misses (AttributeError) is it called, for its dict look-up and StrictUndefined error,
        so the result is the same.
        """
        if self.environment.is_async or type(self.environment).getattr is not Environment.getattr:
            super().visit_Getattr(node, frame)
            return
        self.write("(_attr if (_attr := getattr(_attr_of := ")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}, missing)) is not missing"
                   f" else environment.getattr(_attr_of, {node.attr!r}))")


class _FoldLabels(NodeTransformer):
    """Write one language's words into the report: `L.kicker` becomes a constant text.

    jinja escapes a constant once, when it compiles the template, and joins it to the HTML
    around it: ~110 look-ups and printed values a report fewer. Only a text that prints as
    written is folded (at run time `_clean` would change nothing in it); the dicts of names
    (`L.severity_names[...]`) stay look-ups.
    """

    def __init__(self, words: dict[str, Any], env: Environment) -> None:
        self.words, self.env = words, env

    def visit_Getattr(self, node: Getattr) -> Node:
        if isinstance(node.node, Name) and node.node.name == "L":
            text = self.words.get(node.attr)
            if isinstance(text, str) and not _NEEDS_CLEANING.search(text):
                return Const(text, lineno=node.lineno).set_environment(self.env)
        return self.generic_visit(node)


def _may_rebind_labels(template: Template) -> bool:
    """Tell whether `L` could be anything but the context's words somewhere in the template."""
    imports = template.find(Import) or template.find(FromImport)
    return imports is not None or any(
        n.name == "L" and n.ctx != "load" for n in template.find_all(Name)
    )


def _plain_escaped(frame: Frame, finalize: Any) -> bool:
    return bool(
        frame.eval_ctx.autoescape
        and not frame.eval_ctx.volatile
        and finalize.src == "environment.finalize("
    )


class _ShownText(dict[str, Markup]):
    """Text -> its cleaned, masked and escaped form, computed on a miss and kept (bounded).

    Most of what a report prints repeats (labels, group names, positions, method names): the
    form of each text is kept across the reports of a batch. Only exact `str` keys go in, so
    no Markup or other value equal to a text can pick up its entry.
    """

    def __missing__(self, text: str) -> Markup:
        if _MAY_NEED_CLEANING.search(text) is None:  # most new text: names, usernames, groups
            clean = text
        else:
            clean = _clean(text) if _NEEDS_CLEANING.search(text) else text
        return remember(self, text, escape(clean), _SHOWN_MAX)


_SHOWN = _ShownText()
_SHOWN_MAX = 50_000
_SHOWN_INT: dict[int, Markup] = {}


class _ReportEnvironment(Environment):
    """The report's Environment: jinja's, with the hot paths compiled as described above."""

    code_generator_class = _ReportCodeGenerator
    shown_text = _SHOWN
    words: dict[str, Any] | None = None  # one language's labels, folded into the report

    @staticmethod
    def shown(value: Any) -> Markup:
        """Return `escape(finalize(value))`: what jinja prints for `{{ value }}`, autoescaped."""
        if type(value) is str:
            return _SHOWN[value]  # `_finalize` would return it: escaping it again only copies it
        if type(value) is int:  # counts and row numbers, ~120 a report: escaped once each
            shown = _SHOWN_INT.get(value)
            return shown if shown is not None else remember(_SHOWN_INT, value, escape(value))
        if type(value) is Markup:  # the page's CSS, script and CSP: escape would copy them
            return value
        return escape(_finalize(value))


@lru_cache(maxsize=len(LANGS))
def environment(lang: str = "th") -> Environment:
    """Return the jinja2 Environment for reports in `lang` (autoescape=True, StrictUndefined)."""
    env = cast(_ReportEnvironment, template_environment(
        _ReportEnvironment, keep_trailing_newline=True, finalize=_finalize
    ))
    env.words = labels(lang)
    return env


def _clean(value: str) -> str:
    # Control characters from a cell are invisible noise (and invalid in XML-based viewers);
    # they go first, so that one typed inside a national ID cannot hide it from the masking.
    # Bare CRs become newlines, as any HTML parser would read them. IDs are masked here, at
    # output, so the result model is never copied to mask it.
    return mask_text(strip_illegal_xml(value)).replace("\r\n", "\n").replace("\r", "\n")


# What `_clean` could change: a control character, CR, surrogate, or the start of an ID. Most
# text has none, and one search is cheaper than the substitutions.
_NEEDS_CLEANING = re.compile(
    "[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|[0-9\u0e50-\u0e59][- ]?[0-9\u0e50-\u0e59]{4}"
)
# Text without any of the characters the pattern above starts with: one character class, a
# third of the cost of the pattern on a text that has none (most names, usernames, groups).
_MAY_NEED_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff0-9\u0e50-\u0e59]")


def _finalize(value: Any) -> Any:
    if type(value) is str:
        return _SHOWN[value]
    if isinstance(value, str) and not isinstance(value, Markup):
        return _clean(value)
    return value


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, Any]]:
    with (template_dir() / "labels.yaml").open(encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = safe_load(fh)
    return data


class _Labels(SimpleNamespace):
    """The words of one language as attributes, so `L.kicker` in a template is one getattr.

    (On a dict, jinja tries getattr, catches the AttributeError, then looks the key up.)
    """


@lru_cache(maxsize=len(LANGS))
def _label_space(lang: str) -> _Labels:
    return _Labels(**labels(lang))


def labels(lang: str) -> dict[str, Any]:
    """Every word of the report in `lang` ("th" or "en")."""
    if lang not in LANGS:
        raise ValueError(f"unsupported report language {lang!r}; use one of {', '.join(LANGS)}")
    return _labels()[lang]


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    text = (template_dir() / name).read_text(encoding="utf-8")
    # Raw-text elements end at the first "</style" or "</script": our assets must not hold one.
    if "</" in text:
        raise ValueError(f"{name} must not contain '</'")
    return text


@lru_cache(maxsize=4)
def csp(script: str) -> str:
    """Build the page's Content-Security-Policy: no requests; only our own inline script runs."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    )


@lru_cache(maxsize=1)
def _page_assets() -> dict[str, Markup]:
    """Give the page's CSS, script and CSP as Markup, made once (the same in every report)."""
    css, js = _asset("report.css"), _asset("report.js")
    return {
        "css": Markup(css),  # our own file, checked for "</" above; never user data
        "js": Markup(js),
        "csp": escape(csp(js)),  # ours, and a hash could look like an ID to the masking
    }


@dataclass
class RuleWords:
    """A rule's title, why, action and clause in the report's language."""

    title: str
    why: str
    action: str
    clause: str


def context(result: ReviewResult, lang: str = "th") -> dict[str, Any]:
    """Everything the template sees (national IDs already masked)."""
    L = _label_space(lang)
    # National IDs are masked as text is printed (`_finalize`), not by copying the model.
    findings = result.sorted_findings()
    grouped = [(s, [f for f in findings if f.severity == s]) for s in SEVERITIES]
    active = [f for f in findings if f.status != "waived"]
    by_sev = Counter(f.severity for f in active)
    methods = result.match_counts()
    en = lang == "en"

    def msg(f: Finding) -> str:
        return f.message_en if en and f.message_en else f.message

    rules = {
        code: RuleWords(
            r.title_en if en else r.title_th,
            r.why_en if en else r.why_th,
            r.action_en if en else r.action_th,
            r.clause,
        )
        for code, r in result.rules.items()
    }
    accounts = {a.username: a for a in result.accounts}
    per_user = Counter(f.username for f in active)

    return {
        "L": L,
        "lang": lang,
        "result": result,
        "body_name": result.body.get("name") or L.body_unknown,
        "place": place_text(result.body, lang),
        "as_of": date_text(result.as_of, lang)
        + (f" (B.E. {result.as_of.year + 543})" if en else ""),
        "generated": timestamp_text(result.generated_at, lang),
        "categories": CATEGORIES,
        "severities": SEVERITIES,
        "counts": result.counts(),
        "by_severity": {s: by_sev.get(s, 0) for s in SEVERITIES},
        "active_count": len(active),
        "waived_count": len(findings) - len(active),
        # Each card with its rule's words, account, message and evidence, worked out here
        # rather than by calls from the template (a batch renders thousands of cards).
        "grouped": [
            (s, [(f, rules.get(f.rule), accounts.get(f.username), msg(f),
                  evidence_sections(f.evidence, lang)) for f in items])
            for s, items in grouped if items
        ],
        # Numbered here: `loop.index` would make jinja wrap the loop in a LoopContext. The
        # match beside its account: the row reads it nine times.
        "account_rows": [
            (n, a, a.match, per_user.get(a.username, 0))
            for n, a in enumerate(result.accounts, 1)
        ],
        "methods": _method_rows(methods, result.offered_a_person()),
        "rules": rules,
        "msg": msg,
        "day": lambda iso: iso_date_text(iso, lang),
        "order": lambda text: order_text(text, L.order),
        # Accounts decided ยกเลิกผู้ใช้ last cycle and still here ([] without a previous review)
        "cancel_not_done": cancelled_still_there(result),
        "previous_line": lambda d: previous_decision_text(d, lang, L.previous_time),
        **_page_assets(),
    }


def render_report(result: ReviewResult, *, lang: str = "th") -> str:
    """Render the report as one self-contained HTML string (Thai, or English with lang="en")."""
    return environment(lang).get_template(TEMPLATE).render(context(result, lang))


def write_report(result: ReviewResult, path: Path, lang: str = "th") -> Path:
    """Write report.html to `path` (the caller stages the folder; see output.write_all)."""
    path.write_text(render_report(result, lang=lang), encoding="utf-8")
    return path
