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
        returns=[("IWM is up just 2.7 percent", "IWM", 2.7)], mentions=[("IWM", "IWM")]))
    article = db.execute("SELECT id FROM articles").fetchone()[0]
    db.close()
    port = free_port()
    exe = Path(sys.executable).with_name("extractor")
    proc = subprocess.Popen([str(exe), "review", "--db", str(db_path), "--port", str(port)],
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
