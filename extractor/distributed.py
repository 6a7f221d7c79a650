"""Extraction as a map on Dask: the same pipeline on the workers, one writer at home.

``extractor ingest --dask local:N`` starts a ``dask.distributed`` LocalCluster of N
worker processes on this machine; ``--dask tcp://HOST:PORT`` uses a running scheduler
(its workers need this package and its model installed). Which files are unchanged is
decided here, before anything is shipped; batches of Articles go to the workers, each
worker builds the pipeline and loads the model once (they are cached per process) and
sends back each article's facts in their JSON form (``schema.to_json``) or its error
line; the caller stores them one article per transaction, as a serial run does. At most
``2 x workers`` batches are in flight, so memory stays flat however large the input.

Dask is an optional extra (``pip install 'news-signal-extractor[dask]'``); nothing here
is imported by a serial run.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .errors import ExtractorError
from .schema import Article, ArticleFacts, from_json, to_json


def connect(target: str):
    """A ``distributed.Client`` for ``local:N`` (a new LocalCluster of N processes, one
    thread each) or a scheduler address (``tcp://HOST:PORT``)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ExtractorError("--dask needs Dask: pip install 'news-signal-extractor[dask]'") from exc
    if target.startswith("local:"):
        try:
            n = int(target.split(":", 1)[1])
        except ValueError:
            n = 0
        if n < 1:
            raise ExtractorError(f"--dask {target}: expected local:N with N >= 1 workers (e.g. local:2)")
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster)
    if "://" not in target:
        raise ExtractorError(f"--dask {target}: expected local:N or a scheduler address such as tcp://host:8786")
    try:
        return Client(target, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ExtractorError(f"--dask {target}: no scheduler answers there ({exc})") from exc


def close(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def extract_batch(articles: list[Article]) -> list[tuple[dict[str, Any] | None, str | None]]:
    """On a worker: (facts as JSON, None) or (None, error line) per article, with the
    same per-article budgets and error lines as a serial run."""
    from .pipeline import extract_each

    return [(to_json(facts) if facts is not None else None, error)
            for _, facts, error in extract_each(articles)]


def extract_each_dask(client, items: Iterable[Any], *, batch_size: int = 32
                      ) -> Iterator[tuple[Any, ArticleFacts | None, str | None]]:
    """Like ``pipeline.extract_each``, the extraction done on the cluster: (item, facts,
    error) per item, in the order batches finish."""
    from distributed import as_completed

    workers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
    in_flight = 2 * workers
    items = iter(items)
    passthrough: list[Any] = []

    def next_batch() -> list[Article]:
        batch: list[Article] = []
        for item in items:
            if isinstance(item, Article):
                batch.append(item)
                if len(batch) >= batch_size:
                    break
            else:
                passthrough.append(item)
        return batch

    pending = {}
    queue = as_completed()
    for _ in range(in_flight):
        batch = next_batch()
        if not batch:
            break
        future = client.submit(extract_batch, batch, pure=False)
        pending[future.key] = batch
        queue.add(future)
    yield from _drain(passthrough)
    for future in queue:
        batch = pending.pop(future.key)
        try:
            results = future.result()
        except Exception as exc:  # a worker died or the batch could not be shipped: each article says so
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            results = [(None, f"{a.path}: extraction failed on the cluster: {reason}") for a in batch]
        for article, (data, error) in zip(batch, results):
            yield article, (from_json(data, article) if data is not None else None), error
        batch = next_batch()
        yield from _drain(passthrough)
        if batch:
            nxt = client.submit(extract_batch, batch, pure=False)
            pending[nxt.key] = batch
            queue.add(nxt)


def _drain(passthrough: list[Any]) -> Iterator[tuple[Any, None, str | None]]:
    """Items that are not Articles (read errors, skipped files) pass straight through."""
    from .errors import IngestError

    while passthrough:
        item = passthrough.pop(0)
        yield item, None, (str(item) if isinstance(item, IngestError) else None)

