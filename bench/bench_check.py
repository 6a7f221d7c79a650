"""Benchmark the market-data import and the cross-check; prints figures (not a test).

    python bench/bench_check.py [--claims 10000] [--market ../shared/market-data]

1. `prices import` of the whole market-data folder into a new database, then again
   (nothing changes the second time).
2. 10,000 claims (returns and flows on the symbols in the data, windows of 1 to 250
   sessions between 2010 and 2022, a tenth of them on symbols without prices) stored
   through `write_article`, then `check` three times: all new, all unchanged, --recheck.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.crosscheck import check_claims  # noqa: E402
from extractor.market import import_paths  # noqa: E402
from extractor.normalize.time import shift  # noqa: E402
from extractor.pipeline import article_from_text  # noqa: E402
from extractor.schema import ArticleFacts, Flow, Return, Window  # noqa: E402
from extractor.store import open_db, write_article  # noqa: E402

SYMBOLS = ["IWM", "SPY", "QQQ", "DIA", "TLT", "GLD", "EEM", "HYG", "TNA", "^GSPC", "^RUT", "^DJI",
           "^IXIC", "XLF", "XLE", "LQD"]
UNPRICED = ["AAPL", "VWO", "^FTSE", "BND"]
QUALIFIERS = [None, None, None, "more than", "almost", "about", "nearly", "less than"]


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def claims_db(path: Path, n_claims: int, per_article: int = 10) -> None:
    rng = random.Random(7)
    db = open_db(path)
    for a in range(n_claims // per_article):
        text = f"date 2020-01-02\nArticle {a}\n\n" + " ".join(
            f"Claim {i} of article {a} says the fund moved." for i in range(per_article))
        article = article_from_text(text, path=f"bench/{a}.txt")
        returns, flows = [], []
        for i in range(per_article):
            sym = rng.choice(UNPRICED if rng.random() < 0.1 else SYMBOLS)
            start = shift(date(2010, 2, 1) + (date(2022, 6, 1) - date(2010, 2, 1)) * rng.random(), 0)
            end = shift(start, rng.randint(1, 250))
            window = Window("bench", start, end)
            ev = f"Claim {i} of article {a}"
            s = text.index(ev)
            if rng.random() < 0.7:
                returns.append(Return(sym, round(rng.uniform(-30, 30), rng.choice([0, 1, 2])), s,
                                      s + len(ev), qualifier=rng.choice(QUALIFIERS), window=window))
            else:
                flows.append(Flow(sym, rng.choice(["inflow", "outflow"]), rng.uniform(1e7, 5e9), s,
                                  s + len(ev), window=window))
        write_article(db, ArticleFacts(article, tuple({f.ticker for f in flows} | {r.ticker for r in returns}),
                                       flows=tuple(flows), returns=tuple(returns)))
    db.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=10_000)
    ap.add_argument("--market", type=Path, default=ROOT.parent / "shared" / "market-data")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = open_db(path)
        reports, first = timed(lambda: list(import_paths(db, [args.market])))
        rows = sum(r.rows for r in reports)
        print(f"prices import (first):  {len(reports)} files, {rows:,} rows in {first:.2f} s "
              f"({rows / first:,.0f} rows/s)")
        again, second = timed(lambda: list(import_paths(db, [args.market])))
        changed = sum(r.new + r.updated for r in again)
        print(f"prices import (again):  {second:.2f} s, {changed} rows changed")
        db.close()

        _, build = timed(lambda: claims_db(path, args.claims))
        print(f"stored {args.claims:,} claims through write_article in {build:.1f} s")
        db = open_db(path)
        for label, recheck in (("all new", False), ("unchanged", False), ("--recheck", True)):
            s, secs = timed(lambda: check_claims(db, recheck=recheck))
            n = sum(s.checked.values())
            print(f"check ({label}): {n:,} checked, {s.skipped:,} kept in {secs:.2f} s"
                  + (f" ({n / secs:,.0f} claims/s)" if n else ""))
            if n:
                print("  verdicts: " + ", ".join(f"{v} {c:,}" for v, c in sorted(s.checked.items())))
        db.close()
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
