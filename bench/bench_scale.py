#!/usr/bin/env python
"""Ingest at scale: serial rules-only, serial with the model, and a Dask LocalCluster.

The 86 texts of ../shared/corpus-dev are repeated (each copy made a distinct article by
a numbered last line) to N articles in a temporary folder, then ingested into a new
database each way; then M unchanged files are re-scanned. Prints articles/s, peak RSS
per process (this one; each Dask worker) and the re-scan time, and what a day of
100,000 articles would take from the measured per-worker rate.

    python bench/bench_scale.py                 # N = 5,000, M = 10,000
    python bench/bench_scale.py 1000 2000       # a quicker run
"""
from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_corpus(folder: Path, n: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT.parent / "shared" / "corpus-dev").glob("*.txt"))]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:06d}.txt").write_text(texts[i % len(texts)] + f"\n\n(copy {i})\n", encoding="utf-8")


def ingest(folder: Path, db: Path, *, classifier: str, dask: str | None = None) -> tuple[float, int, dict]:
    """(seconds, articles stored, worker peak RSS in MB) of one ingest run in this process."""
    from extractor.classify import set_default_classifier
    from extractor.ingest import iter_articles
    from extractor.pipeline import ingest_articles
    from extractor.store import open_db

    os.environ["EXTRACTOR_CLASSIFIER"] = classifier
    set_default_classifier(None)
    database = open_db(db)
    runner, client, workers = None, None, {}
    if dask:
        from extractor.distributed import close, connect, extract_each_dask

        client = connect(dask)
        runner = lambda items: extract_each_dask(client, items)  # noqa: E731
    t0 = time.perf_counter()
    stored = sum(1 for o in ingest_articles(database, iter_articles([folder]), runner=runner)
                 if o.status == "ingested")
    seconds = time.perf_counter() - t0
    if client is not None:
        workers = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        close(client)
    database.close()
    return seconds, stored, workers


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        make_corpus(tmp / "corpus", n)
        print(f"{n} articles (the 86 dev texts repeated), 2 cores")
        rows = []
        for name, classifier, dask in (("serial, rules only", "lexicon", None), ("serial, with the model", "model", None),
                                       ("dask local:2, with the model", "model", "local:2")):
            seconds, stored, workers = ingest(tmp / "corpus", tmp / f"{len(rows)}.db", classifier=classifier, dask=dask)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            rows.append((name, stored / seconds, seconds, rss, workers))
            extra = f"; workers peak RSS {', '.join(f'{v} MB' for v in workers.values())}" if workers else ""
            print(f"{name:32} {stored / seconds:7.1f} articles/s ({stored} in {seconds:.0f} s); "
                  f"this process peak RSS {rss} MB{extra}", flush=True)
        # unchanged files: the database of the rules-only run holds the first n; add to m
        if m > n:
            make_corpus(tmp / "more", m)
            shutil.rmtree(tmp / "corpus")
            (tmp / "more").rename(tmp / "corpus")
            ingest(tmp / "corpus", tmp / "0.db", classifier="lexicon")
        from extractor.ingest import iter_articles
        from extractor.pipeline import ingest_articles
        from extractor.store import open_db

        from extractor.classify import set_default_classifier

        os.environ["EXTRACTOR_CLASSIFIER"] = "model"
        set_default_classifier(None)  # forget the loaded model: does the re-scan load it?
        db = open_db(tmp / "0.db")
        t0 = time.perf_counter()
        from extractor.store import unchanged

        skipped = sum(1 for o in ingest_articles(db, iter_articles([tmp / "corpus"], unchanged=unchanged(db)))
                      if o.status == "skipped")
        rescan = time.perf_counter() - t0
        import extractor.classify as classify

        loaded = classify._DEFAULT is not None
        print(f"re-scan of {skipped} unchanged files: {rescan:.2f} s (the model loaded: {'yes' if loaded else 'no'})")
        per_worker = rows[2][1] / 2
        day = 100_000
        print(f"a day of {day:,} articles: one worker at {per_worker:.1f} articles/s takes {day / per_worker / 3600:.1f} h; "
              f"in an 8-hour window {max(1, -(-day // int(per_worker * 8 * 3600)))} worker(s) (a serial rules-only ingest, "
              f"writer included, runs at {rows[0][1]:.0f} articles/s)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
