"""Load check of the review app; prints figures (not a test).

    python bench/bench_review.py [--articles 10000] [--ingest 1000] [--no-browser]

1. A database of 10,000 articles: the sample corpus (corpus/examples) extracted once,
   each article stored again as variants with its own text, path and publication day
   (so every page has the facts real extraction makes), plus prices and verdicts.
2. Page times with 10,000 articles: each page rendered by Streamlit's AppTest (the
   server's work per rerun, what a click waits for) and, unless --no-browser, loaded
   in Chromium from `extractor review` until its main element shows.
3. Responsiveness during ingest: `extractor ingest` of 1,000 new articles into the same
   file in another process, while the inbox is rendered and a claim accepted in a loop;
   prints the page times and writes during the ingest and every "database is locked".
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import review  # noqa: E402
from extractor.ingest import iter_articles  # noqa: E402
from extractor.market import import_paths  # noqa: E402
from extractor.pipeline import extract_articles  # noqa: E402
from extractor.store import open_db, write_article  # noqa: E402

APP = ROOT / "extractor" / "ui" / "app.py"
MARKET = ROOT.parent / "shared" / "market-data"
PAGES = ("inbox", "review", "claim", "sql", "signals")


def build(path: Path, n: int) -> None:
    examples = [a for a in iter_articles([ROOT / "corpus" / "examples"]) if hasattr(a, "text")]
    base = list(extract_articles(examples))
    db = open_db(path)
    t = time.perf_counter()
    for i in range(n):
        facts = base[i % len(base)]
        a = facts.article
        text = a.text + f"\n(variant {i})\n"
        article = replace(a, id=hashlib.sha256(text.encode()).hexdigest(), text=text, path=f"bench/{i:05d}-{Path(str(a.path)).name}",
                          published=(a.published - timedelta(days=i // len(base))
                                     if a.published else None))
        write_article(db, replace(facts, article=article))
    print(f"stored {n:,} articles in {time.perf_counter() - t:.1f} s")
    if MARKET.is_dir():
        for _ in import_paths(db, [MARKET]):
            pass
        t = time.perf_counter()
        review.refresh_verdicts(db)
        print(f"checked their claims in {time.perf_counter() - t:.1f} s")
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("flows", "returns", "quotes", "sentiment", "mentions", "checks")}
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    db.close()


def apptest_times(path: Path, repeat: int = 5) -> dict[str, list[float]]:
    from streamlit.testing.v1 import AppTest

    os.environ["EXTRACTOR_DB"] = str(path)
    out: dict[str, list[float]] = {}

    def run(label: str, page: str | None, setup=None, **params) -> None:
        times = []
        for _ in range(repeat):
            at = AppTest.from_file(str(APP), default_timeout=60)
            for k, v in params.items():
                at.query_params[k] = v
            at.run()
            if page:
                at.switch_page(f"views/{page}.py")
            if setup:
                setup(at)
            t = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t)
            assert not at.exception, at.exception
        out[label] = times

    db = open_db(path)
    article = db.execute("SELECT id FROM articles ORDER BY published DESC LIMIT 1").fetchone()[0]
    claim = db.execute("SELECT r.id FROM returns r JOIN checks c ON c.fact_table = 'returns' "
                       "AND c.fact_id = r.id WHERE c.verdict = 'confirmed' LIMIT 1").fetchone()
    db.close()
    run("inbox", None)
    run("inbox, ticker filter", None, lambda at: at.selectbox(key="ticker").set_value("SPY"))
    run("inbox, status unreviewed", None, lambda at: at.selectbox(key="status").set_value("unreviewed"))
    run("inbox, verdict contradicted", None,
        lambda at: at.selectbox(key="verdict").set_value("contradicted"))
    run("inbox, search", None, lambda at: at.text_input(key="q").set_value("outflows"))
    run("inbox, page 200", None, lambda at: at.session_state.__setitem__("page", 200))
    run("review", "review", article=article)
    run("claim detail", "claim", **({"claim": f"returns-{claim[0]}"} if claim else {}))
    run("sql (page)", "sql")
    run("signals", "signals")
    return out


def browser_times(path: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    port = 8765
    exe = Path(sys.executable).with_name("extractor")
    proc = subprocess.Popen([str(exe), "review", "--db", str(path), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = {}
    try:
        time.sleep(4)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=["--no-sandbox", "--disable-gpu",
                                              "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/")  # warm: the first load fetches the JS
            page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
            waits = {"Inbox": "[data-testid='stDataFrame']",
                     "Article review": "[data-testid='stDataFrame']",
                     "Claim detail": "[data-testid='stMetric']", "SQL": "textarea",
                     "Signals": "[data-testid='stDataFrame']"}
            for name, wait in waits.items():  # a fresh page load, as from a bookmark
                url = name.lower().replace("article ", "").replace("claim detail", "claim")
                t = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{'' if name == 'Inbox' else url}")
                page.wait_for_selector(wait, timeout=60_000)
                page.wait_for_load_state("networkidle")
                out[f"{name} (load)"] = time.perf_counter() - t
            for name, wait in [*list(waits.items())[1:], ("Inbox", waits["Inbox"])]:
                t = time.perf_counter()  # a click in the sidebar, as a reviewer moves
                page.locator("[data-testid='stSidebarNav'] a", has_text=name).click()
                page.wait_for_selector(f"h1:has-text('{name}')" if name in ("Claim detail", "SQL",
                                       "Signals", "Inbox") else wait, timeout=60_000)
                page.wait_for_selector(wait, timeout=60_000)
                out[f"{name} (sidebar click)"] = time.perf_counter() - t
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return out


def during_ingest(path: Path, n: int) -> None:
    from streamlit.testing.v1 import AppTest

    corpus = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    examples = sorted(p for p in (ROOT / "corpus" / "examples").iterdir()
                      if p.suffix in (".txt", ".md"))
    for i in range(n):
        src = examples[i % len(examples)]
        (corpus / f"{i:04d}-{src.name}").write_text(
            src.read_text(encoding="utf-8") + f"\n(ingest variant {i})\n", encoding="utf-8")
    exe = Path(sys.executable).with_name("extractor")
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(exe), "ingest", str(corpus), "--db", str(path), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    os.environ["EXTRACTOR_DB"] = str(path)
    pages, writes, locked = [], [], 0
    ids = iter(r[0] for r in open_db(path).execute(
        "SELECT id FROM flows WHERE status = 'extracted' ORDER BY id LIMIT 100000").fetchall())
    while proc.poll() is None:
        at = AppTest.from_file(str(APP), default_timeout=60)
        t = time.perf_counter()
        at.run()
        pages.append(time.perf_counter() - t)
        if at.exception or any("locked" in e.value for e in at.error):
            locked += 1
        db = open_db(path)
        t = time.perf_counter()
        try:
            review.accept(db, "flows", next(ids))
        except Exception as exc:  # noqa: BLE001 - counted and shown
            locked += "locked" in str(exc)
            print("write failed:", exc)
        writes.append(time.perf_counter() - t)
        db.close()
    output = proc.stdout.read()
    elapsed = time.perf_counter() - t0
    shutil.rmtree(corpus, ignore_errors=True)
    print(f"\ningest of {n:,} articles alongside the app: {elapsed:.1f} s, exit {proc.returncode}"
          + (f"\n{output.strip()[-500:]}" if proc.returncode else ""))
    print(f"inbox renders during the ingest: {len(pages)}, median {statistics.median(pages):.3f} s, "
          f"max {max(pages):.3f} s")
    print(f"accepts during the ingest: {len(writes)}, median {statistics.median(writes) * 1000:.1f} ms, "
          f"max {max(writes) * 1000:.1f} ms")
    print(f"'database is locked' seen: {locked}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--ingest", type=int, default=1_000)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        build(path, args.articles)
        print(f"\npage render (AppTest, median of 5 / max), {args.articles:,} articles:")
        for label, times in apptest_times(path).items():
            print(f"  {label:<28} {statistics.median(times):.3f} s / {max(times):.3f} s")
        if not args.no_browser and Path("/usr/bin/chromium").exists():
            print("\nChromium, until the page's main element shows:")
            for label, secs in browser_times(path).items():
                print(f"  {label:<28} {secs:.3f} s")
        during_ingest(path, args.ingest)


if __name__ == "__main__":
    main()
