"""The HTML report in a real browser: Debian's headless Chromium driven by Playwright.

Skipped where Chromium is not installed; `.ci/run` installs it so CI always runs it."""

import shutil

import pytest

import claimcheck
from conftest import CORPUS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (apt-get install chromium)")
# Flags for a root sandbox on a closed network: no background connections at start-up.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _open(browser, path, width=1200, height=1600):
    page = browser.new_page(viewport={"width": width, "height": height})
    seen = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    return page, seen


def test_corpus_report_renders_and_filters(browser, corpus_comparison, tmp_path):
    report = corpus_comparison.write(tmp_path / "report.html")
    page, seen = _open(browser, report)
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert page.locator("#overview").is_visible() and page.locator("#matrix td").count() >= 25
    cards = page.locator(".card")
    assert cards.count() == len(corpus_comparison.relations)
    page.select_option("#f-kind", "contradict")
    assert page.locator(".card:visible").count() == corpus_comparison.counts()["contradict"]
    page.select_option("#f-kind", "")
    findings = corpus_comparison.findings()
    source = findings["source_b"][0]
    involving = findings.filter((findings["source_a"] == source) | (findings["source_b"] == source)).height
    page.select_option("#f-source", source)
    assert page.locator(".card:visible").count() == involving > 0
    page.keyboard.press("Tab")  # the filters and cards are reachable from the keyboard
    assert page.evaluate("document.activeElement.tagName") in ("SELECT", "ARTICLE", "A")
    phone, _ = _open(browser, report, width=375, height=800)
    phone.screenshot(path=str(tmp_path / "report-phone.png"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 400 or phone.locator("#matrix").is_visible()
    assert seen["errors"] == []
    assert seen["requests"] == [report.as_uri()]  # nothing fetched beyond the file itself


def test_injected_markup_is_shown_as_text(browser, tmp_path, cache_dir):
    folder = tmp_path / "articles"
    folder.mkdir()
    attack = 'The mayor said <script>alert("xss")</script> the bridge opened <img src=x onerror="alert(1)">.\n'
    (folder / "a.txt").write_text(attack)
    (folder / "b.txt").write_text("The mayor said the bridge opened.\n")
    report = claimcheck.compare(folder).write(tmp_path / "report.html")
    page, seen = _open(browser, report)
    assert seen["dialogs"] == []
    assert page.locator("img").count() == 0
    assert page.locator("body script").count() == 1  # the report's own filter script only
    assert '<script>alert("xss")</script>' in page.locator("body").text_content()
    assert not [u for u in seen["requests"] if u != report.as_uri()]
