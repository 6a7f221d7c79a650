"""Benchmark (not a test): how fast time phrases are found and resolved.

    python bench/bench_time.py

Prints milliseconds to find the phrases of a ~1,000-word article and resolutions per
second once the NYSE calendar is built.
"""
from __future__ import annotations

import timeit
from datetime import date

from extractor.normalize.time import resolve
from extractor.rules.timex import find_time_phrases
from extractor.schema import Anchor

ARTICLE = " ".join(
    ["Year-to-date the fund has taken in $2 billion, while over the past month it lost 3%."] * 25
    + ["Analysts expect the index to rise 10% by Dec. 31, and flows in the week ended July 23 were weak."] * 20
    + ["Investors remain cautious about rates, earnings and the outlook for growth in Europe and Asia."] * 20)


def main() -> None:
    words = len(ARTICLE.split())
    best = min(timeit.repeat(lambda: find_time_phrases(ARTICLE), number=5, repeat=5)) / 5
    print(f"find_time_phrases: {best * 1000:.2f} ms for a {words}-word article")
    phrases = find_time_phrases(ARTICLE)[:50]
    anchors = [Anchor(published=date(y, m, 15)) for y in range(2005, 2024) for m in range(1, 13)]
    pairs = [(p, a) for p in phrases for a in anchors][:20000]
    resolve(pairs[0][0], pairs[0][1])  # build the calendar outside the timing
    secs = min(timeit.repeat(lambda: [resolve(p, a) for p, a in pairs], number=1, repeat=3))
    print(f"resolve: {len(pairs) / secs:,.0f} phrases/s ({len(pairs)} phrase x anchor pairs)")


if __name__ == "__main__":
    main()
