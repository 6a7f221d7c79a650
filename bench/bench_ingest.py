#!/usr/bin/env python
"""Ingest benchmark: how fast `extractor ingest` goes and whether its memory stays flat.

Writes N synthetic articles (our own template sentences recombined: flows, returns,
quotes, time windows; varying tickers, amounts and dates) to a temporary folder, then
runs the same path as the CLI (ingest.iter_articles -> pipeline.ingest_articles, one
transaction per article) into a temporary database. Prints throughput and memory at
1/5, 1/2 and all of N, then the speed of a second run where every file is unchanged.

    python bench/bench_ingest.py            # 5000 articles
    python bench/bench_ingest.py --n 500 --keep
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TICKERS = ["IWM", "SPY", "QQQ", "GLD", "HYG", "JNK", "EEM", "XLF", "TLT", "VWO", "EWZ", "XLE",
           "DIA", "LQD", "SLV", "USO", "XLK", "IYR", "VNQ", "EFA"]
FUNDS = {"IWM": "iShares Russell 2000 ETF", "SPY": "SPDR S&P 500 ETF Trust",
         "QQQ": "Invesco QQQ Trust", "GLD": "SPDR Gold Shares",
         "HYG": "iShares iBoxx High Yield Corporate Bond ETF", "EEM": "iShares MSCI Emerging Markets ETF"}
PEOPLE = [("Jane Doe", "chief strategist", "Example Capital"),
          ("Tom Reyes", "portfolio manager", "Northfield Advisors"),
          ("Priya Natarajan", "head of ETF research", "Harbor Lane Securities"),
          ("Marcus Bell", "senior analyst", "Quarry Street Partners"),
          ("Alice Moreau", "market strategist", "Lindenwood Group")]
WINDOWS = ["year-to-date", "in the past week", "over the past month", "last week",
           "in the past couple sessions", "so far this year", "in the week ended {md}",
           "since {md}", "in {month}", "over the trailing twelve months"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

HEADLINES = ["{T} sees money {dir_word} as {theme}", "Investors {verb} {T} amid {theme}",
             "{T} and {T2}: what the flows say", "Why traders are {mood} on {T}"]
SENTENCES = [
    "More than ${amt} million has {out_verb} {T} {window}.",
    "Investors poured ${amt} million into {T} {window}, according to fund data.",
    "The {fund} ({T}) saw inflows of ${amt} million {window}.",
    "{T} recorded outflows of about ${amt_b} billion {window}.",
    "{T} is up just {pct} percent {window}.",
    "{T} has fallen {pct} percent {window}, while {T2} gained {pct2}%.",
    "Shares of {T} slipped {pct}% {window} as {theme} weighed on sentiment.",
    "{T} could rally {pct} to {pct_hi} percent by year-end, {name} of {org} said.",
    "\"We think {T} is cheap here,\" said {name}, {title} at {org}.",
    "{name}, {title} at {org}, expects {T} to gain {pct} percent over the next year.",
    "Options traders are turning {mood} on {T} after a {pct}% move {window}.",
    "Average daily outflows from {T} reached ${amt} million {window}.",
    "{theme_cap} has kept investors cautious, {name} noted.",
    "Trading volume in {T2} topped {vol} million shares on Tuesday.",
]
THEMES = ["rising rates", "trade tensions", "a strong dollar", "earnings season", "oil volatility",
          "Fed uncertainty", "election jitters", "a rotation into value"]


def fill(template: str, rng: random.Random, published: date) -> str:
    t, t2 = rng.sample(TICKERS, 2)
    name, title, org = rng.choice(PEOPLE)
    md = published - timedelta(days=rng.randint(3, 60))
    theme = rng.choice(THEMES)
    window = rng.choice(WINDOWS).format(md=f"{MONTHS[md.month - 1]} {md.day}",
                                        month=MONTHS[(published.month - 2) % 12])
    pct = round(rng.uniform(0.3, 25), 1)
    return template.format(
        T=t, T2=t2, fund=FUNDS.get(t, f"{t} fund"), amt=rng.randint(20, 990),
        amt_b=round(rng.uniform(1, 9), 1), pct=pct, pct2=round(rng.uniform(0.2, 9), 1),
        pct_hi=round(pct + rng.uniform(1, 5), 1), window=window, name=name, title=title, org=org,
        theme=theme, theme_cap=theme.capitalize(), mood=rng.choice(["bullish", "bearish"]),
        out_verb=rng.choice(["left", "vacated", "exited"]), vol=rng.randint(5, 90),
        dir_word=rng.choice(["pour in", "flee"]), verb=rng.choice(["dump", "pile into"]),
        dir=rng.choice(["in", "out"]))


def make_corpus(folder: Path, n: int, seed: int = 7) -> None:
    """N articles, 100 per subfolder, each a header plus 4-9 template sentences."""
    rng = random.Random(seed)
    start = date(2012, 1, 2)
    for i in range(n):
        published = start + timedelta(days=rng.randint(0, 3650))
        headline = fill(rng.choice(HEADLINES), rng, published)
        body = " ".join(fill(s, rng, published) for s in rng.sample(SENTENCES, rng.randint(4, 9)))
        sub = folder / f"{i // 100:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"article-{i:05d}.txt").write_text(
            f"date {published.isoformat()}\n{headline}\n\n{body}\n", encoding="utf-8")


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size in MB (Linux: /proc and ru_maxrss in KB)."""
    current = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    except OSError:
        pass
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(corpus: Path, db_path: Path, checkpoints: list[int], *, label: str) -> None:
    from extractor import settings
    from extractor.ingest import iter_articles
    from extractor.pipeline import ingest_articles
    from extractor.store import open_db, summary

    db = open_db(db_path)
    items = iter_articles([corpus], max_bytes=int(settings.get("max_bytes")))
    t0 = time.perf_counter()
    done = failed = 0
    statuses: dict[str, int] = {}
    print(f"\n{label}")
    print(f"{'articles':>9} {'seconds':>9} {'art/s':>8} {'RSS MB':>8} {'peak MB':>8} {'db MB':>7}")
    for outcome in ingest_articles(db, items):
        done += 1
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        failed += outcome.status == "failed"
        if done in checkpoints:
            elapsed = time.perf_counter() - t0
            now, peak = rss_mb()
            size = sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*")) / 1e6
            print(f"{done:>9} {elapsed:>9.1f} {done / elapsed:>8.1f} {now:>8.0f} {peak:>8.0f} "
                  f"{size:>7.1f}", flush=True)
    s = summary(db)
    db.close()
    print(f"outcomes: {statuses}; stored claims: {s['claims']}, tickers: {s['tickers']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="number of articles (default 5000)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and database")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    corpus, db_path = tmp / "corpus", tmp / "bench.db"
    corpus.mkdir()
    t0 = time.perf_counter()
    make_corpus(corpus, args.n, args.seed)
    print(f"generated {args.n} articles in {time.perf_counter() - t0:.1f} s under {corpus}")
    n = args.n
    checkpoints = sorted({max(1, n // 5), max(1, n // 2), n})
    try:
        run(corpus, db_path, checkpoints, label="first run (every article new)")
        run(corpus, db_path, checkpoints, label="second run (every article unchanged: skipped)")
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
