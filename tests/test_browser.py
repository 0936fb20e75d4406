"""report.html in a real headless Chromium: offline, Thai glyphs, A4 print, works without JS.

Skips when Chromium or playwright is missing, except in CI (LAAS_AUDIT_REQUIRE_BROWSER=1), where
a missing browser is a failure. Never runs `playwright install`: it uses Debian's chromium.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from laas_audit.render_html import write_report
from tests.result_factory import LONG_USER, SCRIPT, make_result

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("LAAS_AUDIT_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("LAAS_AUDIT_REQUIRE_BROWSER") == "1"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
# Fonts with Thai glyphs we accept as "Thai renders" (fonts-thai-tlwg, Sarabun, Noto, Tahoma).
THAI_FONTS = re.compile(
    r"loma|garuda|kinnari|laksaman|norasi|purisa|sawasdee|umpush|waree|tlwg|sarabun|noto sans thai"
    r"|noto serif thai|tahoma|leelawadee|angsana|cordia",
    re.IGNORECASE,
)
A4_CONTENT_PX = 703  # 210 mm minus 2 x 12 mm margins, at 96 px per inch


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"browser test required in CI but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"chromium not found at {CHROMIUM}")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(make_result(), tmp_path_factory.mktemp("browser") / "report.html")


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the shipped hostile sample, through the real review pipeline."""
    from laas_audit.review import run_review

    folder = Path(__file__).resolve().parent.parent / "sample_exports" / "hostile"
    run = run_review(next(folder.glob("export.*")), next(folder.glob("roster.*")))
    return write_report(run.result, tmp_path_factory.mktemp("sample") / "report.html")


@pytest.fixture(params=["factory", "sample"])
def any_report(request: pytest.FixtureRequest) -> Path:
    name = "report" if request.param == "factory" else "sample_report"
    path: Path = request.getfixturevalue(name)
    return path


def open_page(browser: Any, report: Path, **options: Any) -> tuple[Any, Any, list[str], list[str]]:
    context = browser.new_context(**options)
    page = context.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(report.as_uri(), wait_until="load")
    return context, page, requests, problems


def test_loads_nothing_but_itself_and_its_script_runs(browser: Any, report: Path) -> None:
    context, page, requests, problems = open_page(browser, report)
    try:
        assert requests == [report.as_uri()]
        assert problems == []  # no CSP violation, no script error
        # The script is allowed by its hash only: if it ran, the hash in the CSP is right.
        assert page.evaluate("document.documentElement.dataset.js") == "ready"
        assert page.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
        assert SCRIPT in page.inner_text("#accounts")
        assert LONG_USER in page.inner_text("#accounts")  # wrapped, see the A4 test
        # The filter box narrows the accounts table.
        page.fill("#accounts .filter-box input", "ภูมิพันธ์")
        shown = page.evaluate(
            "[...document.querySelectorAll('table.accounts tbody tr')]"
            ".filter(r => r.offsetParent !== null).length"
        )
        assert 0 < shown < 30
    finally:
        context.close()


def test_thai_glyphs_render_with_a_thai_font(browser: Any, report: Path) -> None:
    context, page, _, _ = open_page(browser, report)
    try:
        box = page.locator("h1").bounding_box()
        assert box and box["width"] > 100 and box["height"] > 10
        assert "หนองบัวทอง" in page.inner_text("h1")
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        for selector in ("h1", "#summary h2", "article.finding p.message"):
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            thai = [f for f in fonts if THAI_FONTS.search(f["familyName"]) and f["glyphCount"]]
            assert thai, (selector, fonts)
    finally:
        context.close()


def test_sample_report_is_offline_and_thai(browser: Any, sample_report: Path) -> None:
    context, page, requests, problems = open_page(browser, sample_report)
    try:
        assert requests == [sample_report.as_uri()]
        assert problems == []
        assert page.evaluate("document.documentElement.dataset.js") == "ready"
        assert page.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
        assert "<script>alert(1)</script>" in page.inner_text("body")
        assert "บ้านทดสอบ" in page.inner_text("h1")
        assert page.locator("h1").bounding_box()["width"] > 100
    finally:
        context.close()


def test_nothing_overflows_a4_when_printed(
    browser: Any, any_report: Path, tmp_path: Path
) -> None:
    report = any_report
    context, page, _, _ = open_page(
        browser, report, viewport={"width": A4_CONTENT_PX, "height": 1000}
    )
    try:
        page.emulate_media(media="print")
        sizes = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert sizes[0] <= sizes[1], sizes
        too_wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                 .filter(e => e.getClientRects().length)
                 .filter(e => e.getBoundingClientRect().right > limit + 1
                           || e.scrollWidth > e.clientWidth + 1 && e.tagName === 'TABLE')
                 .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))""",
            A4_CONTENT_PX,
        )
        assert too_wide == []
        assert page.evaluate(
            "getComputedStyle(document.querySelector('thead')).display"
        ) == "table-header-group"
        assert page.evaluate(
            "getComputedStyle(document.querySelector('article.finding')).breakInside"
        ) == "avoid"
        page.screenshot(path=str(tmp_path / "print-view.png"), full_page=True)
        pdf = page.pdf(format="A4", print_background=True)
        (tmp_path / "report.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF")
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
        assert pages > 1 or len(pdf) > 50_000, (pages, len(pdf))
    finally:
        context.close()


def test_complete_without_javascript(browser: Any, report: Path) -> None:
    context, page, requests, _ = open_page(browser, report, java_script_enabled=False)
    try:
        assert requests == [report.as_uri()]
        cards = page.locator("article.finding")
        assert cards.count() == len(make_result().findings)
        assert cards.first.is_visible()
        assert page.locator(".filter-box").count() == 0  # only the script adds filters
        assert page.locator("table.accounts tbody tr").count() == 30
        assert page.locator("#signoff").is_visible()
    finally:
        context.close()
