"""Memory over a long ingest of new words; prints figures (not a test).

    python bench/bench_memory.py [--articles 100000] [--classifier lexicon|model]

Generates articles that each bring words never seen before (a news feed does: names,
tickers, typos), ingests them in one process through the same loop as `extractor
ingest` into a temporary database, and prints the peak resident memory at 1,000,
10,000 and every further 10,000 articles. spaCy's vocabulary grows with every new
string unless each batch runs in a memory zone (extractor.pipeline.extract_articles).
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import string
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(n: int, seed: int = 7):
    from extractor.pipeline import article_from_text

    rnd = random.Random(seed)
    for i in range(n):
        words = " ".join("".join(rnd.choices(string.ascii_lowercase, k=rnd.randint(5, 11)))
                         for _ in range(60))
        name = "".join(rnd.choices(string.ascii_uppercase, k=4))
        text = (f"date 2019-10-{1 + i % 28:02d}\nFunds {name} draw money\n\n"
                f"Investors put ${100 + i % 900} million into QQQ last week, said {name.title()} "
                f"Vortex of {words.split()[0].title()} Capital. IWM is up {i % 9}.{i % 10} percent "
                f"year-to-date. {words}.\n")
        yield article_from_text(text, path=f"gen/{i:06d}.txt")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--classifier", default="lexicon", choices=["lexicon", "model"])
    args = ap.parse_args()
    os.environ["EXTRACTOR_CLASSIFIER"] = args.classifier
    from extractor.pipeline import ingest_articles
    from extractor.store import open_db

    marks = {1_000, 10_000} | set(range(20_000, args.articles + 1, 10_000)) | {args.articles}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "mem.db")
        t, done, at = time.perf_counter(), 0, {}
        for outcome in ingest_articles(db, generate(args.articles)):
            done += 1
            if done in marks:
                at[done] = peak_mb()
                print(f"{done:>7,} articles  peak RSS {at[done]:7.1f} MB  {done / (time.perf_counter() - t):6.1f} "
                      "articles/s", flush=True)
        db.close()
    if 10_000 in at and args.articles in at:
        print(f"growth from 10,000 to {args.articles:,}: {100 * (at[args.articles] / at[10_000] - 1):+.1f} %")


if __name__ == "__main__":
    main()
