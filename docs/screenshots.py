"""Take the README's screenshots of the review app (docs/*.png).

    python docs/screenshots.py [--market ../shared/market-data]

Ingests the sample corpus (corpus/examples) into a temporary database, imports the
prices and checks the claims, serves `extractor review` on a free port and has the
system Chromium (Playwright) photograph each page.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def extractor(*args: str) -> None:
    exe = Path(sys.executable).with_name("extractor")
    subprocess.run([str(exe), *args], check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--market", type=Path, default=ROOT.parent / "shared" / "market-data")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "review.db"
        extractor("ingest", str(ROOT / "corpus" / "examples"), "--db", str(db), "-q", "--no-check")
        extractor("prices", "import", str(args.market), "--db", str(db))
        extractor("check", "--db", str(db))
        import sqlite3

        con = sqlite3.connect(db)
        article = con.execute("SELECT article_id FROM claims WHERE verdict = 'contradicted' "
                              "ORDER BY published DESC LIMIT 1").fetchone()[0]
        claim = con.execute("SELECT claim_type, fact_id FROM claims WHERE verdict = 'contradicted' "
                            "ORDER BY published DESC LIMIT 1").fetchone()
        con.close()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        exe = Path(sys.executable).with_name("extractor")
        server = subprocess.Popen([str(exe), "review", "--db", str(db), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.3)
            table = "flows" if claim[0] == "flow" else "returns"
            shots = {"inbox": ("/", "[data-testid='stDataFrame']"),
                     "review": (f"/review?article={article}", "[data-testid='stDataFrame']"),
                     "claim": (f"/claim?claim={table}-{claim[1]}", "[data-testid='stVegaLiteChart']"),
                     "sql": ("/sql", "textarea"),
                     "signals": ("/signals", "[data-testid='stVegaLiteChart']")}
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                            args=ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                for name, (path, ready) in shots.items():
                    page.goto(base + path)
                    page.wait_for_selector(ready, timeout=60_000)
                    if name == "sql":
                        page.get_by_role("button", name="Run").click()
                        page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
                    page.wait_for_timeout(1500)  # let charts and fonts settle
                    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)
                    print(f"docs/{name}.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
