"""report.html parsed back: content, escaping of hostile payloads, no outside reference, CSP."""

from __future__ import annotations

import base64
import hashlib
import random
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import lxml.html
import pytest
import yaml
from jinja2 import DictLoader, Environment, StrictUndefined, UndefinedError
from markupsafe import Markup, escape

from laas_audit.model import CATEGORY_TH, METHOD_TH, SEVERITY_TH, STATUS_TH, ReviewResult
from laas_audit.render_common import order_text
from laas_audit.render_html import (
    TEMPLATE,
    _clean,
    _finalize,
    _ReportEnvironment,
    _ShownText,
    context,
    environment,
    labels,
    render_report,
    template_dir,
    write_report,
)
from laas_audit.shipped import template_environment
from tests.result_factory import (
    CONTROL,
    HYPERLINK,
    IMG,
    JINJA,
    LONG_USER,
    SCRIPT,
    SVG,
    make_result,
    thai_id,
)

URL_ATTRS = ("src", "href", "action", "formaction", "data", "poster", "srcset", "background",
             "xlink:href", "manifest", "ping", "cite", "longdesc")


@pytest.fixture(scope="module")
def result() -> ReviewResult:
    return make_result()


@pytest.fixture(scope="module")
def html_th(result: ReviewResult) -> str:
    return render_report(result)


@pytest.fixture(scope="module")
def doc(html_th: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html_th)


def text_of(doc: lxml.html.HtmlElement) -> str:
    return " ".join(doc.body.text_content().split())


def test_environment_autoescapes_explicitly() -> None:
    env = environment()
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b onclick=1>") == "&lt;b onclick=1&gt;"


# Values a report prints: markup, template syntax, IDs (grouped, Thai digits), control
# characters, numbers, None, and Markup from our own code (must pass through unescaped).
PRINTED = [
    SCRIPT, IMG, SVG, HYPERLINK, JINJA, CONTROL, "นายสมชาย ใจดี", "3 1012 34567 89 1",
    "๑๑๐๑๒๐๐๐๒๓๔๕๖", "1101200023456", "a\r\nb\rc", "", 0, 42, 99.5, None, True,
    Markup("<b>ours</b>"), ["<li>", "ก"], {"k": "<v>"},
]


@pytest.mark.parametrize("value", PRINTED, ids=repr)
def test_compiled_output_is_what_stock_jinja_prints(value: object) -> None:
    # The report Environment compiles `{{ x }}` to one `shown(x)` call instead of
    # `escape(finalize(x))`; a stock Environment with the same finalize is the reference.
    env = environment()
    stock = Environment(autoescape=True, finalize=env.finalize)
    source = "<p title=\"{{ x }}\">{{ x }}|{{ x if x else 'none' }}|{{ [x] | join(', ') }}</p>"
    for _ in range(2):  # the second time, text comes from the cache of shown values
        assert env.from_string(source).render(x=value) == stock.from_string(source).render(x=value)


def test_report_template_compiles_printed_values_to_one_call() -> None:
    env = environment()
    source = env.loader.get_source(env, "report.html.j2")[0]  # type: ignore[union-attr]
    code = env.compile(source, "report.html.j2", raw=True)
    assert code.count("environment.shown(") > 100
    assert "escape(environment.finalize(" not in code
    # An `{% autoescape false %}` block keeps jinja's own code, and prints what stock jinja does.
    unescaped = "{% autoescape false %}{{ x }}{% endautoescape %}"
    assert "environment.shown(" not in env.compile(unescaped, raw=True)
    stock = Environment(autoescape=True, finalize=env.finalize)
    for value in (IMG, Markup("<i>"), 7):
        assert env.from_string(unescaped).render(x=value) == stock.from_string(unescaped).render(
            x=value)


def test_hostile_payloads_are_text_not_markup(doc: lxml.html.HtmlElement) -> None:
    assert doc.xpath("//img") == [] and doc.xpath("//svg") == []
    scripts = doc.xpath("//script")
    assert len(scripts) == 1
    assert scripts[0].text == (template_dir() / "report.js").read_text(encoding="utf-8")
    handlers = [(el.tag, a) for el in doc.iter() if isinstance(el.tag, str)
                for a in el.attrib if a.lower().startswith("on")]
    assert handlers == []
    body = doc.body.text_content()
    for payload in (SCRIPT, IMG, SVG, HYPERLINK):
        assert payload in body
    assert JINJA.strip() in body  # template syntax in data is never evaluated


def test_no_reference_outside_the_file(doc: lxml.html.HtmlElement, html_th: str) -> None:
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in URL_ATTRS:
            value = el.get(attr)
            if value is not None:
                assert attr == "href" and value.startswith("#"), (el.tag, attr, value)
        style = el.get("style") or ""
        assert "url(" not in style and "//" not in style
    css = "".join(s.text or "" for s in doc.xpath("//style"))
    assert "url(" not in css and "@import" not in css and "http" not in css
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html_th)


def test_no_url_at_all_without_hostile_data() -> None:
    html = render_report(make_result(hostile=False))
    assert "http://" not in html and "https://" not in html


def test_csp_forbids_everything_but_its_own_script(doc: lxml.html.HtmlElement) -> None:
    metas = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')
    assert len(metas) == 1
    policy = metas[0].get("content")
    assert "default-src 'none'" in policy and "img-src data:" in policy
    script = doc.xpath("//script")[0].text
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    # The CSP meta must come before anything it governs.
    head = [el.tag for el in doc.head]
    assert head.index("meta") < head.index("style")


def test_thai_report_content(doc: lxml.html.HtmlElement, result: ReviewResult) -> None:
    assert doc.get("lang") == "th"
    text = text_of(doc)
    for words in (
        "องค์การบริหารส่วนตำบลหนองบัวทอง", "อำเภอภูเขียว จังหวัดชัยภูมิ", "1 ตุลาคม 2569",
        "2 ตุลาคม 2569 เวลา 10:15 น.", "laas-audit 0.1.0", "2569.1", "มท ๐๘๐๘.๔/ว ๑๙๗๖",
        "สรุปผลการตรวจ", "ผู้ตรวจสอบ", "หัวหน้าหน่วยงานคลัง", "ลงชื่อ", "ตำแหน่ง", "วันที่",
    ):
        assert words in text, words
    assert "Summary" not in text


def test_english_report() -> None:
    doc = lxml.html.document_fromstring(render_report(make_result(), lang="en"))
    assert doc.get("lang") == "en"
    text = text_of(doc)
    for words in ("Summary", "1 October 2026 (B.E. 2569)", "Sign-off", "Why it matters",
                  "The person left but the account is still active"):
        assert words in text, words
    assert "สรุปผลการตรวจ" not in text and "เหตุผล" not in text


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="fr"):
        render_report(make_result(), lang="fr")


def test_summary_counts_match_the_model(doc: lxml.html.HtmlElement, result: ReviewResult) -> None:
    rows = doc.xpath('//section[@id="summary"]//table[contains(@class,"counts")][1]/tbody/tr')
    counts = result.counts()
    assert len(rows) == 4
    for tr, cat in zip(rows, ("stale", "mismatch", "privilege", "hygiene"), strict=True):
        cells = [td.text_content().strip() for td in tr.xpath("td")]
        assert tr.xpath("th")[0].text_content() == CATEGORY_TH[cat]
        expected = [counts[cat][s] for s in ("high", "medium", "low")]
        assert cells == [str(n) for n in [*expected, sum(expected)]]


def test_findings_grouped_by_severity_high_first(
    doc: lxml.html.HtmlElement, result: ReviewResult
) -> None:
    groups = [s.get("id") for s in doc.xpath('//section[contains(@class,"severity-group")]')]
    assert groups == ["severity-high", "severity-medium", "severity-low"]
    cards = doc.xpath("//article[contains(@class,'finding')]")
    assert len(cards) == len(result.findings)
    ids = [c.get("id") for c in cards]
    assert ids == [f"f-{f.id}" for f in result.sorted_findings()]


def test_finding_card_shows_account_evidence_and_rule_words(
    doc: lxml.html.HtmlElement, result: ReviewResult
) -> None:
    f = next(f for f in result.sorted_findings() if f.rule == "LA101")
    card = doc.xpath(f'//article[@id="f-{f.id}"]')[0]
    text = " ".join(card.text_content().split())
    rule = result.rules["LA101"]
    for words in (rule.title_th, rule.why_th, rule.action_th, rule.clause, SEVERITY_TH["high"],
                  STATUS_TH[f.status], "ไฟล์รายงานผู้ใช้งาน (e-LAAS)", "ทะเบียนบุคลากร",
                  "ชีต รายงาน", "ชีต บุคลากร", "วันที่มีผล", "1 มีนาคม 2569", f.id):
        assert words in text, words
    assert f"แถว {f.source.rows[0]}" in text
    chips = [li.text_content() for li in card.xpath('.//ul[@class="groups"]/li')]
    assert chips == f.groups


def test_waived_finding_shows_reason_and_expiry(
    doc: lxml.html.HtmlElement, result: ReviewResult
) -> None:
    f = next(f for f in result.findings if f.status == "waived")
    card = doc.xpath(f'//article[@id="f-{f.id}"]')[0]
    assert "status-waived" in card.get("class")
    waiver = " ".join(card.xpath('.//div[@class="waiver"]')[0].text_content().split())
    assert "รักษาราชการแทนผู้อำนวยการกองคลัง" in waiver
    assert "31 ธันวาคม 2569" in waiver and "123/2569" in waiver


def test_order_prefix_printed_once(doc: lxml.html.HtmlElement) -> None:
    """An order written with its prefix (README's `order: คำสั่งที่ 45/2569`) is not prefixed again."""
    waived = next(c for c in doc.xpath("//article") if "status-waived" in c.get("class"))
    waiver = " ".join(waived.xpath('.//div[@class="waiver"]')[0].text_content().split())
    assert "; คำสั่ง อบต. ที่ 123/2569" in waiver  # the factory's order, prefixed already
    assert "คำสั่งที่ คำสั่ง" not in doc.body.text_content()
    rows = doc.xpath('//section[@id="exceptions"]//tbody/tr')
    assert "คำสั่งที่ 123/2569" in rows[0].text_content()  # a bare number gets the label


@pytest.mark.parametrize(
    ("order", "shown"),
    [
        ("45/2569", "คำสั่งที่ 45/2569"),
        ("คำสั่งที่ 45/2569", "คำสั่งที่ 45/2569"),
        ("คำสั่ง อบต.โคกสำราญ ที่ 45/2569", "คำสั่ง อบต.โคกสำราญ ที่ 45/2569"),
        (" คำสั่งที่ 45/2569", " คำสั่งที่ 45/2569"),
        ("Order No. 45/2569", "Order No. 45/2569"),
        ("no. 45/2569", "no. 45/2569"),
        ("ที่ 45/2569", "คำสั่งที่ ที่ 45/2569"),  # not a prefix this checks: kept as written
        ("Ordering 3", "คำสั่งที่ Ordering 3"),
    ],
)
def test_order_text(order: str, shown: str) -> None:
    assert order_text(order, "คำสั่งที่") == shown


def test_resolved_and_exceptions_sections(doc: lxml.html.HtmlElement) -> None:
    resolved = doc.xpath('//section[@id="resolved"]//tbody/tr')
    assert len(resolved) == 1 and "finance01" in resolved[0].text_content()
    rows = doc.xpath('//section[@id="exceptions"]//tbody/tr')
    assert [r.get("class") for r in rows] == ["", "state-soon", "state-expired", ""]
    assert "ใกล้หมดอายุ" in rows[1].text_content()
    assert "หมดอายุแล้ว" in rows[2].text_content()
    assert SCRIPT in rows[2].text_content()


def test_every_account_with_method_and_score(
    doc: lxml.html.HtmlElement, result: ReviewResult
) -> None:
    rows = doc.xpath('//table[contains(@class,"accounts")]/tbody/tr')
    assert len(rows) == len(result.accounts) == 30
    for tr, account in zip(rows, result.accounts, strict=True):
        text = tr.text_content()
        assert METHOD_TH[account.match.method] in text
        flagged = account.match.method in ("fuzzy", "none")
        assert (tr.get("class") == "flag") is flagged
        for c in account.match.candidates:
            assert c.full_name in text
    fuzzy = next(tr for tr, a in zip(rows, result.accounts, strict=True)
                 if a.match.method == "fuzzy")
    assert "91.5" in fuzzy.text_content()
    assert LONG_USER in doc.body.text_content()


def test_inputs_warnings_and_signoff(doc: lxml.html.HtmlElement, result: ReviewResult) -> None:
    inputs = doc.xpath('//section[@id="inputs"]//tbody/tr')
    assert len(inputs) == 2
    for tr, inp in zip(inputs, result.inputs, strict=True):
        cells = [td.text_content() for td in tr.xpath("td")]
        assert inp.sha256 in cells and str(inp.rows) in cells and inp.file in cells
    assert len(doc.xpath('//section[@id="warnings"]//li')) == 2
    boxes = doc.xpath('//section[@id="signoff"]//div[@class="box"]')
    assert [b.xpath("h3")[0].text for b in boxes] == ["ผู้ตรวจสอบ", "หัวหน้าหน่วยงานคลัง"]


def test_no_full_national_id_in_html(html_th: str, result: ReviewResult) -> None:
    ids = [a.national_id for a in result.accounts if a.national_id]
    assert ids and not [i for i in ids if i in html_th]
    assert not re.search(r"(?<![0-9a-f])\d{13}(?![0-9a-f])", html_th)
    assert "x-xxxx-xxxxx-" in html_th


def test_control_characters_are_dropped(html_th: str) -> None:
    assert "\x01" not in html_th and "\x0b" not in html_th
    assert CONTROL.replace("\x01", "").replace("\x0b", "") in html_th


def test_minimal_result_renders() -> None:
    empty = ReviewResult(
        tool_version="0.1.0", policy_version="1", as_of=date(2026, 4, 1),
        body={"name": None, "district": None, "province": None},
        inputs=[], accounts=[], findings=[], rules={},
    )
    doc = lxml.html.document_fromstring(render_report(empty))
    text = text_of(doc)
    assert "(ไม่พบชื่อหน่วยงานในไฟล์)" in text and "ไม่พบข้อค้นพบ" in text
    assert "1 เมษายน 2569" in text
    assert doc.xpath('//section[@id="resolved"]') == []


def test_write_report(tmp_path: Path, result: ReviewResult) -> None:
    path = write_report(result, tmp_path / "report.html")
    assert path.read_text(encoding="utf-8") == render_report(result)


def test_labels_have_the_same_keys_in_both_languages() -> None:
    labels = yaml.safe_load((template_dir() / "labels.yaml").read_text(encoding="utf-8"))

    def keys(d: dict[str, object], prefix: str = "") -> set[str]:
        out = set()
        for k, v in d.items():
            out.add(prefix + k)
            if isinstance(v, dict):
                out |= keys(v, prefix + k + ".")
        return out

    assert keys(labels["th"]) == keys(labels["en"])
    # `L.items` would be dict.items in jinja2: no label may shadow a dict method.
    assert not set(labels["th"]) & set(dir(dict))
    assert labels["th"]["category_names"] == CATEGORY_TH
    assert labels["th"]["severity_names"] == SEVERITY_TH
    assert labels["th"]["status_names"] == STATUS_TH
    assert labels["th"]["method_names"] == METHOD_TH


def test_assets_are_safe_to_inline() -> None:
    for name in ("report.css", "report.js"):
        text = (template_dir() / name).read_text(encoding="utf-8")
        assert "</" not in text
        # record.html.j2 includes report.css as template source: no jinja delimiters inside.
        assert not re.search(r"\{[{%#]", text)


def test_evidence_of_an_unmatched_account(result: ReviewResult) -> None:
    f = next(f for f in result.sorted_findings() if f.rule == "LA102")
    doc = lxml.html.document_fromstring(render_report(result))
    card = doc.xpath(f'//article[@id="f-{f.id}"]')[0]
    titles = [h.text_content() for h in card.xpath('.//div[@class="evidence"]//h5')]
    assert titles == ["ไฟล์รายงานผู้ใช้งาน (e-LAAS)", "ทะเบียนบุคลากร",
                      "การจับคู่กับทะเบียนบุคลากร", "ข้อมูลประกอบ"]
    text = " ".join(card.text_content().split())
    assert "ไม่พบในไฟล์นี้" in text and "ไม่พบในทะเบียนบุคลากร" in text  # method "none"
    en = lxml.html.document_fromstring(render_report(result, lang="en"))
    card_en = " ".join(en.xpath(f'//article[@id="f-{f.id}"]')[0].text_content().split())
    assert "not found in this file" in card_en and "not on the roster" in card_en


SAMPLES = Path(__file__).resolve().parent.parent / "sample_exports"


def sample_result(name: str) -> ReviewResult:
    from laas_audit.review import run_review

    folder = SAMPLES / name
    export = next(folder.glob("export.*"))
    roster = next(folder.glob("roster.*"))
    return run_review(export, roster).result


def test_shipped_hostile_sample_renders_safely() -> None:
    from laas_audit.render_common import EVIDENCE_KEYS

    result = sample_result("hostile")
    assert result.findings
    used = {k for f in result.findings for k, v in f.evidence.items()} | {
        k for f in result.findings for v in f.evidence.values() if isinstance(v, dict)
        for k in v
    }
    assert used - set(EVIDENCE_KEYS) == set()  # every evidence fact has Thai/English words
    html = render_report(result)
    doc = lxml.html.document_fromstring(html)
    assert doc.xpath("//img | //svg | //iframe") == [] and len(doc.xpath("//script")) == 1
    assert "<script>alert(1)</script>" in doc.body.text_content()
    assert not re.search(r"(?<![0-9a-f])\d{13}(?![0-9a-f])", html)


def test_printed_numbers_are_escaped_once_and_never_confused_with_booleans() -> None:
    shown = _ReportEnvironment.shown
    for value in (0, 1, 7, -3, 2**70):
        assert shown(value) == escape(value)
        assert shown(value) is shown(value)  # kept for the run: reports print the same counts
    # True == 1 as a dict key: a boolean must still print as itself after 1 was kept.
    assert shown(1) == "1" and shown(True) == "True" and shown(False) == "False"


class _Person:
    """An object for the template: attributes, a nested one, a property that fails."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.flag = 0
        self.inner = SimpleNamespace(name=f"{name}<ที่>")

    @property
    def broken(self) -> str:
        raise AttributeError("broken")


def _jinja_as_shipped() -> Environment:
    """jinja's own code generator with the report's settings, to hold the compiled code to."""
    return Environment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)


@pytest.mark.parametrize("value", [
    "นางสาว<สมศรี> & 'ศรีสุข'", Markup("<b>นาง</b>"), "<b>นาง</b>", "กลุ่ม\x01ทดสอบ\r\n",
    f"เลขประจำตัว {thai_id(random.Random(7))}", 0, 1, True, False, None, 2.5, ["<", 3],
    type("Sub", (str,), {})("<i>ย่อย</i>"),
])
def test_values_and_attributes_print_as_jinjas_own_code_prints_them(value: object) -> None:
    # `text`, the value as plain text, is printed around it: a kept text must not stand in
    # for a Markup (or a number) equal to it, nor the other way round.
    source = ("{{ text }}|{{ v }}|{{ o.name }}|{{ d.key }}|{{ o.inner.name }}|{{ o.flag }}"
              "|{% if o.flag %}y{% endif %}|{{ d.key if d.key else o.name }}|{{ text }}")
    context = {"v": value, "text": str(value), "o": _Person("สมชาย"), "d": {"key": value}}
    ours = environment().from_string(source).render(context)
    assert ours == _jinja_as_shipped().from_string(source).render(context)
    assert ours.count("|") == 8 and "สมชาย" in ours  # a value was printed, not nothing


def test_missing_attributes_fail_as_jinjas_own_code_fails() -> None:
    context = {"o": _Person("สมชาย"), "d": {"key": 1}}
    for source in ("{{ o.nope }}", "{{ d.nope }}", "{{ o.broken }}", "{{ nothing.x }}",
                   "{{ o.inner.nope.deeper }}"):
        with pytest.raises(UndefinedError) as ours:
            environment().from_string(source).render(context)
        with pytest.raises(UndefinedError) as jinjas:
            _jinja_as_shipped().from_string(source).render(context)
        assert str(ours.value) == str(jinjas.value)


def test_an_attributes_object_is_worked_out_once() -> None:
    calls: list[int] = []

    def person() -> object:
        calls.append(1)
        return {"name": "สมศรี"}  # a dict: the look-up falls back to its key

    assert environment().from_string("{{ person().name }}").render(person=person) == "สมศรี"
    assert len(calls) == 1


def test_each_printed_text_is_cleaned_as_clean_would_clean_it() -> None:
    # The kept texts skip `_clean` where a quick look shows it would change nothing.
    rng = random.Random(2569)
    pieces = ["สมศรี", " ", "-", "(", "<b>", "&", "a", "7", "๗", "0", "\x01", "\r", "\r\n", "\t",
              "\ud800", "\uffff", thai_id(rng), "1-2345-67890-12-1", "๑๒๓๔๕๖๗๘๙๐๑๒๓"]
    texts = [thai_id(rng), "0000000000000", "12345678901234", "๑๒๓๔๕๖๗๘๙๐๑๒๓", "", "ก" * 13]
    texts += ["".join(rng.choices(pieces, k=rng.randrange(1, 9))) for _ in range(3000)]
    for text in texts:
        assert _ShownText()[text] == escape(_clean(text)), repr(text)
    assert _ShownText()[texts[0]] == f"x-xxxx-xxxxx-{texts[0][10:12]}-{texts[0][12]}"


def _report_environment(words: dict[str, object] | None, source: str | None = None) -> Environment:
    """A fresh report Environment, with `words` folded into the report (None: looked up)."""
    env = template_environment(_ReportEnvironment, keep_trailing_newline=True,
                               finalize=_finalize)
    env.words = words  # type: ignore[attr-defined]
    if source is not None:
        env.loader = DictLoader({TEMPLATE: source})
    return env


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_report_with_its_words_folded_in_prints_what_looking_them_up_prints(
    result: ReviewResult, lang: str
) -> None:
    folded = environment(lang)
    source = folded.loader.get_source(folded, TEMPLATE)[0]  # type: ignore[union-attr]
    code = folded.compile(source, TEMPLATE, raw=True)
    assert "'kicker'" not in code and labels(lang)["kicker"] in code  # written in, not looked up
    looked_up = _report_environment(None).get_template(TEMPLATE)
    assert render_report(result, lang=lang) == looked_up.render(context(result, lang))


def test_only_words_that_print_as_written_are_folded_and_only_where_l_is_the_words() -> None:
    words = {"plain": "ผู้ตรวจ <สอบ> & 'ก'", "id": f"เลข {thai_id(random.Random(3))}",
             "ctl": "กลุ่ม\x01ทดสอบ\r", "names": {"a": "<ชื่อ>"}}
    context = {"L": SimpleNamespace(**words), "others": [SimpleNamespace(plain="<อื่น>")]}

    source = "{{ L.plain }}|{{ L.id }}|{{ L.ctl }}|{{ L.names['a'] }}|{{ L.plain ~ '!' }}"
    folded = _report_environment(words, source)
    code = folded.compile(source, TEMPLATE, raw=True)
    assert "'plain'" not in code  # folded; the ID, the control character and the dict are not
    assert "'id'" in code and "'ctl'" in code and "'names'" in code
    ours = folded.get_template(TEMPLATE).render(context)
    assert ours == _report_environment(None, source).get_template(TEMPLATE).render(context)
    assert "x-xxxx-xxxxx-" in ours and "&lt;สอบ&gt; &amp; &#39;ก&#39;" in ours

    rebound = "{{ L.plain }}|{% for L in others %}{{ L.plain }}{% endfor %}"
    folded = _report_environment(words, rebound)
    assert "'plain'" in folded.compile(rebound, TEMPLATE, raw=True)  # `L` rebound: kept
    ours = folded.get_template(TEMPLATE).render(context)
    assert ours == _report_environment(None, rebound).get_template(TEMPLATE).render(context)
    assert ours.endswith("|&lt;อื่น&gt;")


def test_an_id_with_a_control_character_typed_inside_is_still_masked() -> None:
    from laas_audit.national_id import make_id

    nid = make_id("391417776317")
    shown = str(_finalize(f"เลขประจำตัว {nid[:6]}\x01{nid[6:]} (สำเนา)"))
    assert nid not in shown
    assert "\x01" not in shown
    assert "x-xxxx-xxxxx-" in shown  # masked as every other ID is
