#!/usr/bin/env python
"""Where the classifier's time goes: runs, tokens and CPU seconds by purpose.

Extracts the articles in the given folders (default: ../shared/corpus-dev) with the
shipped model, one sentence per run in this thread, and sorts every run by what asked
for it: a sentence with numbers (their roles decide the facts), a sentence with
ticker references only (stance), one read after the facts (deferred), a clause of a
sentence naming two tickers, a quote. The runs and tokens are exact; the CPU seconds
are this thread's, less moved by other processes than wall time but not immune (on
a busy machine they vary by ~20 %).

    python bench/model_work.py
    python bench/model_work.py ../shared/corpus-dev /tmp/more-articles
"""
from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CALLERS = {"_label": "component", "_overlapped": "component", "classify_deferred": "deferred (after the facts)",
           "iter_sentiment": "clauses (two tickers)", "with_stance": "quotes"}


def caller() -> str:
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name not in CALLERS:
        frame = frame.f_back
    return CALLERS[frame.f_code.co_name] if frame is not None else "other"


def main() -> None:
    folders = [Path(p) for p in sys.argv[1:]] or [ROOT.parent / "shared" / "corpus-dev"]
    os.environ["EXTRACTOR_CLASSIFIER"] = "model"
    from extractor.classify import default_classifier
    from extractor.errors import IngestError
    from extractor.ingest import iter_articles
    from extractor.pipeline import extract_articles

    articles = [a for a in iter_articles(folders) if not isinstance(a, IngestError)]
    clf = default_classifier()
    clf.workers = 1  # every run in this thread, timed alone
    analyze = clf.analyze
    rows: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])

    def timed(items, batch_size=64):
        purpose, out = caller(), []
        for item in items:
            t0 = time.thread_time()
            out += analyze([item], batch_size=batch_size)
            name = purpose if purpose != "component" else (
                "sentences with numbers" if item[1] else "sentences with references only")
            row = rows[name]
            row[0] += 1
            row[1] += len(clf.tokenizer.encode(item[0]).ids)
            row[2] += time.thread_time() - t0
        return out

    list(extract_articles(articles[:2]))
    rows.clear()
    clf.analyze = timed
    try:
        list(extract_articles(articles))
    finally:
        del clf.analyze
    total = sum(r[2] for r in rows.values()) or 1.0
    print(f"{len(articles)} articles; {sum(r[0] for r in rows.values())} runs, "
          f"{sum(r[1] for r in rows.values())} tokens, {total:.2f} CPU s")
    print(f"{'purpose':34} {'runs':>5} {'tokens':>7} {'CPU s':>6} {'share':>6}")
    for name, (runs, tokens, cpu) in sorted(rows.items(), key=lambda kv: -kv[1][2]):
        print(f"{name:34} {runs:5d} {tokens:7d} {cpu:6.2f} {100 * cpu / total:5.1f}%")


if __name__ == "__main__":
    main()
