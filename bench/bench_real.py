#!/usr/bin/env python
"""Extraction speed on real articles: articles/s with the classifier and rules only.

The generated articles of bench_ingest.py are short (4-9 sentences); real market
stories are longer and carry more tickers and numbers per article. This times the
whole extraction (rules + classifier + fact assembly, no database) over the articles
in the given folders (default: ../shared/corpus-dev), three passes after a warm-up.

    python bench/bench_real.py
    python bench/bench_real.py corpus/examples ../shared/corpus-dev
"""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    folders = [Path(p) for p in sys.argv[1:]] or [ROOT.parent / "shared" / "corpus-dev"]
    from extractor.classify import set_default_classifier
    from extractor.errors import IngestError
    from extractor.ingest import iter_articles
    from extractor.pipeline import extract_articles

    articles = [a for a in iter_articles(folders) if not isinstance(a, IngestError)]
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} articles, {words // max(1, len(articles))} words each on average")
    for mode in ("model", "lexicon"):
        os.environ["EXTRACTOR_CLASSIFIER"] = mode
        set_default_classifier(None)
        list(extract_articles(articles[:2]))  # load the pipeline and the model
        t0 = time.perf_counter()
        for _ in range(3):
            list(extract_articles(articles))
        rate = 3 * len(articles) / (time.perf_counter() - t0)
        print(f"{mode:<8} {rate:7.1f} articles/s")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
