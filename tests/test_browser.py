"""The review app in a real browser: `extractor review` serves it on a free local port,
Playwright drives the system Chromium (never a downloaded one) to open an article and
accept a claim, and the database says so.

Needs /usr/bin/chromium (`apt-get install chromium`; `make test` installs it). Without
it the test is skipped, unless EXTRACTOR_REQUIRE_BROWSER=1 (CI sets it) makes that a
failure."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from _db import rows
from extractor import store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TEXT = ("date 2017-08-18\nSmall caps slip\n\nMore than $700 million has left IWM in the past "
        "couple sessions. IWM is up just 2.7 percent year-to-date.\n")

if not CHROMIUM.exists():
    if os.environ.get("EXTRACTOR_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"extractor review exited: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the app did not answer on {url} within {seconds} s")


@pytest.fixture
def served(db_path, make_facts):
    db = store.open_db(db_path)
    store.write_article(db, make_facts(
        TEXT, path="corpus/a.txt",
        flows=[("More than $700 million has left IWM", "IWM", "outflow", 7e8)],
        returns=[("IWM is up just 2.7 percent", "IWM", 2.7)], mentions=[("IWM", "IWM")],
        sentiment=[("IWM is up just 2.7 percent year-to-date.", "IWM", "bullish", 0.4)]))
    article = db.execute("SELECT id FROM articles").fetchone()[0]
    db.close()
    port = free_port()
    exe = Path(sys.executable).with_name("extractor")
    proc = subprocess.Popen([str(exe), "review", "--db", str(db_path), "--port", str(port),
                             "--reviewer", "browser-test"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, port, article
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_open_an_article_and_accept_a_claim_in_chromium(served, db_path, tmp_path):
    url, _, article = served
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/review?article={article}")
            page.wait_for_selector("[data-testid='stDataFrame']", timeout=30_000)
            assert page.get_by_role("heading", name="Small caps slip").is_visible()
            assert page.locator(".ex-article .ex-flow").first.inner_text().startswith("More than $700 million")
            page.get_by_role("button", name="Accept", exact=True).first.click()
            page.get_by_text("Accepted flows #").wait_for(timeout=15_000)
            page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
        finally:
            browser.close()
    assert rows(db_path, "SELECT status FROM flows")[0]["status"] == "accepted"
    assert rows(db_path, "SELECT field, old_value, new_value FROM corrections") == [
        {"field": "status", "old_value": "extracted", "new_value": "accepted"}]
    assert (tmp_path / "review.png").stat().st_size > 10_000


def listening(port: int) -> set[str]:
    """Local addresses (hex, as /proc/net/tcp* writes them) listening on ``port``."""
    found = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_the_app_listens_on_loopback_only(served):
    _, port, _ = served
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp on this system")
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
    assert listening(port) and listening(port) <= loopback


def open_review(p, url: str, article: str):
    browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/review?article={article}")
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30_000)
    page.wait_for_selector(".ex-article", timeout=30_000)
    return browser, page


def settle(page, ms: int = 1500) -> None:
    """Let a rerun finish: Streamlit shows its running indicator meanwhile."""
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=15_000)
    page.wait_for_timeout(ms)


def test_a_pick_under_sentiment_then_reject_changes_only_that_row(served, db_path):
    url, _, article = served
    with sync_api.sync_playwright() as p:
        browser, page = open_review(p, url, article)
        try:
            page.get_by_text("Sentiment", exact=True).click()
            settle(page)
            page.get_by_role("button", name="Reject", exact=True).click()
            page.get_by_text("Rejected sentiment #").wait_for(timeout=15_000)
        finally:
            browser.close()
    assert rows(db_path, "SELECT status FROM sentiment") == [{"status": "rejected"}]
    assert rows(db_path, "SELECT status FROM flows") == [{"status": "extracted"}]
    assert rows(db_path, "SELECT reviewer FROM corrections") == [{"reviewer": "browser-test"}]


def test_another_reviewers_add_between_draw_and_click_moves_nothing(served, db_path):
    url, _, article = served
    from extractor import review
    with sync_api.sync_playwright() as p:
        browser, page = open_review(p, url, article)
        try:
            picked = rows(db_path, "SELECT id FROM flows")[0]["id"]
            db = store.open_db(db_path)  # meanwhile, another reviewer adds a claim earlier in the text
            text = db.execute("SELECT text FROM articles").fetchone()[0]
            start = text.index("Small caps slip")
            added = review.add(db, article, "flows", start, start + 15,
                               {"ticker": "SPY", "direction": "inflow", "amount_usd": "1000000"})
            db.close()
            page.get_by_role("button", name="Accept", exact=True).first.click()
            page.get_by_text(f"Accepted flows #{picked}").wait_for(timeout=15_000)
        finally:
            browser.close()
    assert rows(db_path, "SELECT id, status FROM flows ORDER BY id") == [
        {"id": picked, "status": "accepted"}, {"id": added.fact_id, "status": "added"}]


def test_keys_act_on_the_claim_shown_and_never_inside_a_text_box(served, db_path):
    url, _, article = served
    with sync_api.sync_playwright() as p:
        browser, page = open_review(p, url, article)
        try:
            settle(page)  # the key listener attaches after the first run (slow on a cold start)
            page.locator("h1").first.click()  # focus on the page, not a widget
            page.keyboard.press("a")
            page.get_by_text("Accepted flows #").wait_for(timeout=15_000)
            settle(page)
            assert rows(db_path, "SELECT status FROM flows") == [{"status": "accepted"}]
            page.get_by_text("Add a claim the extractor missed").click()
            settle(page, 500)
            box = page.locator("[data-testid='stTextInput'] input").first
            box.click()
            box.press("Control+z")  # undo inside a text box: nothing happens to the database
            box.press("a")
            page.wait_for_timeout(2000)
            assert rows(db_path, "SELECT status FROM flows") == [{"status": "accepted"}]
            page.locator("h1").first.click()
            page.keyboard.press("Control+z")  # outside it: the last change is undone
            page.get_by_text("Undid change").wait_for(timeout=15_000)
        finally:
            browser.close()
    assert rows(db_path, "SELECT status FROM flows") == [{"status": "extracted"}]


def test_select_words_in_the_text_to_add_a_claim(served, db_path):
    url, _, article = served
    words = "IWM is up just 2.7 percent"
    with sync_api.sync_playwright() as p:
        browser, page = open_review(p, url, article)
        try:
            page.get_by_text("Returns", exact=True).click()  # the kind on screen is the kind added
            settle(page)
            page.evaluate("""(words) => {
                const walker = document.createTreeWalker(document.querySelector('.ex-article'), NodeFilter.SHOW_TEXT);
                let node;
                while ((node = walker.nextNode())) {
                    const i = node.data.indexOf(words.slice(0, 12));
                    if (i >= 0) {
                        const range = document.createRange();
                        range.setStart(node, i);
                        let end = node, rest = words.length;
                        while (end.data.length - (end === node ? i : 0) < rest) {
                            rest -= end.data.length - (end === node ? i : 0);
                            end = walker.nextNode();
                        }
                        range.setEnd(end, (end === node ? i : 0) + rest);
                        const sel = document.getSelection();
                        sel.removeAllRanges(); sel.addRange(range);
                        document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                        return;
                    }
                }
                throw new Error('words not found');
            }""", words)
            page.get_by_text("From your selection in the text").wait_for(timeout=15_000)
            settle(page)
            # read from the selected words: the percent and the ticker inside them
            assert page.get_by_label("value_pct", exact=True).input_value() == "2.7"  # read from the words
            page.get_by_label("ticker", exact=True).fill("IWM")
            page.get_by_label("ticker", exact=True).press("Enter")
            settle(page, 800)
            page.get_by_role("button", name="Add claim").click()
            page.get_by_text("Added returns #").wait_for(timeout=15_000)
        finally:
            browser.close()
    added = rows(db_path, "SELECT evidence, status, value_pct FROM returns WHERE status = 'added'")
    assert added == [{"evidence": words, "status": "added", "value_pct": 2.7}]


def test_a_request_for_another_host_is_refused_and_the_app_cannot_be_framed(served):
    url, port, _ = served
    ok = urllib.request.urlopen(f"{url}/_stcore/health", timeout=5)
    assert ok.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in ok.headers["Content-Security-Policy"]
    rebound = urllib.request.Request(f"{url}/review", headers={"Host": f"attacker.example:{port}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(rebound, timeout=5)
    assert refused.value.code == 403
    assert b"is not this review app's address" in refused.value.read()
