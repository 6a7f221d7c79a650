"""Article -> ArticleFacts: the one path every caller (CLI, tests, UI) goes through, and
the ingest loop (batches of articles through extraction, each result handed to the
store's writer): the store stores, it never runs extraction."""
from __future__ import annotations

import hashlib
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any, TYPE_CHECKING
from datetime import date
from functools import lru_cache

from .asof import read_asof
from .errors import IngestError, ModelMissing, StoreError, printable
from .header import parse_header
from .schema import EXTRACTOR_VERSION, Article, ArticleFacts, Unchanged

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .store import WriteResult


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def guess_title(text: str, body_start: int) -> tuple[str | None, int]:
    """The first body line, when it reads like a headline (short, no final period).
    Returns (title, offset where that line ends) or (None, 0)."""
    start = body_start
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end].strip()
    if 0 < len(line) <= 200 and not line.endswith((".", ":", ";", ",")) and len(line.split()) <= 30:
        return line, end
    return None, 0


MIN_YEAR, MAX_YEAR = 1900, 2100  # publication days outside are typos, not dates the calendar can use
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str | None) -> str | None:
    """Text as UTF-8 can store it: a lone surrogate (half of a broken emoji, or an escape
    in JSON like "\\ud800") becomes U+FFFD, so hashing, storing and printing never fail."""
    return _SURROGATE.sub("\ufffd", text) if text else text


def article_from_text(text: str, *, published: date | None = None, source: str | None = None,
                      title: str | None = None, path: str | None = None) -> Article:
    """Build an Article from decoded text: header parsed, id = sha256 of the text. A
    publication day outside 1900..2100 is no date at all."""
    text, source, title, path = clean_text(text) or "", clean_text(source), clean_text(title), clean_text(path)
    if published is not None and not MIN_YEAR <= published.year <= MAX_YEAR:
        published = None
    h = parse_header(text, published=published, source=source)
    if title is None:
        title, _ = guess_title(text, h.body_start)
    reading = read_asof(text, h.body_start, h.published)
    anchor = replace(h.anchor, asof=reading.day, intraday=reading.intraday, session=reading.session)
    if reading.written is not None:  # a reprint: its periods count from when it was written
        anchor = replace(anchor, published=reading.written, year=reading.written.year,
                         month=reading.written.month)
    return Article(id=article_id(text), text=text, path=path, title=title, source=h.source,
                   published=h.published, anchor=anchor, body_start=h.body_start,
                   asof_reason=reading.why)


@lru_cache(maxsize=1)
def default_nlp():
    from .nlp import build_nlp

    return build_nlp()


# spaCy's tokenizer keeps a cache of every word form it has seen, which memory zones do
# not empty: a long run over new words (a news feed) would grow it without end. The
# shared pipeline is built anew (0.2 s) after this many articles.
RENEW_EVERY = 10_000
_since_renewal = 0


def _count_and_renew(n: int) -> None:
    global _since_renewal
    _since_renewal += n
    if _since_renewal >= RENEW_EVERY:
        _since_renewal = 0
        default_nlp.cache_clear()


def _make_doc(nlp, article: Article):
    doc = nlp.make_doc(article.text)
    doc.user_data["x_text"] = article.text  # rules.extensions.text_of: Doc.text rebuilt is slow
    doc._.x_anchor = article.anchor
    doc._.x_body_start = article.body_start
    _, title_end = guess_title(article.text, article.body_start)
    doc._.x_title_end = title_end
    return doc


def extract_article(article: Article, nlp=None) -> ArticleFacts:
    """Run the rules over one article and assemble its facts."""
    return next(extract_articles([article], nlp=nlp))


def explain_article(article: Article, nlp=None):
    """The article's facts, the decision behind every candidate number (kept or
    rejected, with the rule or model that decided) and notes on the tables read:
    ``extractor extract --explain``."""
    from .facts import Explainer, assemble

    check_size(article)
    nlp = nlp or default_nlp()
    explain = Explainer()
    doc = nlp(_make_doc(nlp, article))
    return assemble(doc, article, explain=explain), explain.decisions, explain.notes


class TooComplex(Exception):
    """An article past the per-article budget (``max_seconds``, ``max_chars``): reported
    as "too complex: skipped" and the batch goes on."""


@contextmanager
def time_budget(seconds: float):
    """Raise TooComplex in this (main) thread when the block runs longer than
    ``seconds``. Elsewhere (a worker thread, no SIGALRM) the block runs unbounded: the
    rules are linear in the text, the budget is the guard for what is not."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise TooComplex(f"too complex: skipped (extraction took longer than {seconds:g} s; "
                         "EXTRACTOR_MAX_SECONDS raises the limit)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_size(article: Article) -> None:
    from . import settings

    limit = int(settings.get("max_chars") or 0)
    if limit and len(article.text) > limit:
        raise TooComplex(f"too complex: skipped ({len(article.text):,} characters, more than the "
                         f"{limit:,} EXTRACTOR_MAX_CHARS allows)")


def extract_articles(articles: Iterable[Article], nlp=None, batch_size: int = 32) -> Iterator[ArticleFacts]:
    """Stream ArticleFacts for many articles (spaCy batches the work).

    Each batch runs inside a spaCy memory zone: the strings its documents added to the
    vocabulary are dropped afterwards, so a long run over new words (a news feed) keeps
    a flat memory. The facts are plain data and outlive the zone."""
    from .facts import assemble

    shared = nlp is None
    articles = iter(articles)
    while True:
        chunk = list(islice(articles, batch_size))
        if not chunk:
            return
        if shared:
            _count_and_renew(len(chunk))
            nlp = default_nlp()
        for article in chunk:
            check_size(article)
        with nlp.memory_zone():
            pairs = ((_make_doc(nlp, a), a) for a in chunk)
            done = [assemble(doc, article) for doc, article in
                    nlp.pipe(pairs, as_tuples=True, batch_size=batch_size)]
        yield from done


# --------------------------------------------------------------------------- ingest loop

Extract = Callable[[list[Article]], Iterable[ArticleFacts]]


def _default_extract(articles: list[Article]) -> Iterable[ArticleFacts]:
    return extract_articles(articles)


def extract_each(items: Iterable[Any], *, extract: Extract | None = None, batch_size: int = 32
                 ) -> Iterator[tuple[Any, ArticleFacts | None, str | None]]:
    """(item, facts, error) per item, extracting Articles in batches so memory stays flat.

    Anything that is not an Article passes straight through, an IngestError with its
    message as the error. An article whose extraction raises gets a one-line error
    ("path: extraction failed: ..."), and the rest of its batch is still extracted.
    """
    from . import settings

    extract = extract or _default_extract
    batch: list[Article] = []
    per_article = float(settings.get("max_seconds") or 0)

    def flush() -> Iterator[tuple[Article, ArticleFacts | None, str | None]]:
        if not batch:
            return  # nothing to extract: neither spaCy nor the model is imported (a re-scan)
        try:
            with time_budget(per_article * len(batch)):
                done = list(extract(batch))
        except ModelMissing:
            raise  # the classifier cannot be loaded: one error for the run, not one per article
        except Exception:  # find the article that fails (or takes too long); keep the batch going
            for article in batch:
                try:
                    with time_budget(per_article):
                        facts = next(iter(extract([article])))
                    yield article, facts, None
                except TooComplex as exc:
                    yield article, None, f"{printable(str(article.path))}: {exc}"
                except Exception as exc:  # a bug in the rules: reported with its type, the run goes on
                    reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
                    yield article, None, f"{printable(str(article.path))}: extraction failed: {reason}"
        else:
            yield from zip(batch, done, [None] * len(done))
        batch.clear()

    for item in items:
        if not isinstance(item, Article):
            yield item, None, (str(item) if isinstance(item, IngestError) else None)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()


@dataclass
class Outcome:
    path: str | None
    status: str  # ingested | skipped | failed
    facts: ArticleFacts | None = None
    result: WriteResult | None = None
    error: str | None = None  # "path: reason", one line


def ingest_articles(db: Database, items: Iterable[Article | IngestError], *, force: bool = False,
                    extract: Extract | None = None, batch_size: int = 32,
                    runner: Callable[[Iterable[Any]], Iterator[tuple[Any, ArticleFacts | None, str | None]]]
                    | None = None) -> Iterator[Outcome]:
    """The work of ``extractor ingest``: skip articles stored unchanged (same path, same
    text, same extractor version) unless ``force``, extract the rest in batches and
    write each in its own transaction. Yields one Outcome per item, not necessarily in
    input order; raises DatabaseLocked at once (every later write would wait and fail).
    ``runner`` extracts elsewhere (``distributed.extract_each_dask``); this process stays
    the one writer either way."""
    from .store import DatabaseLocked, stored_version, write_article

    def unless_unchanged(items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            if isinstance(item, Unchanged):  # known from its hash alone
                yield Outcome(item.path, "skipped")
            elif (isinstance(item, Article) and not force and item.path is not None
                    and stored_version(db, item.path) == (item.id, EXTRACTOR_VERSION)):
                yield Outcome(item.path, "skipped")
            else:
                yield item

    extracted = runner(unless_unchanged(items)) if runner is not None else \
        extract_each(unless_unchanged(items), extract=extract, batch_size=batch_size)
    for item, facts, error in extracted:
        if isinstance(item, Outcome):
            yield item
        elif error is not None:
            yield Outcome(item.path, "failed", error=error)
        else:
            try:
                result = write_article(db, facts)
            except DatabaseLocked:
                raise
            except StoreError as exc:
                yield Outcome(item.path, "failed", error=f"{printable(str(item.path))}: {exc}")
            except Exception as exc:  # never abort the batch: one line, with the error's type
                reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
                yield Outcome(item.path, "failed", error=f"{printable(str(item.path))}: cannot store it: {reason}")
            else:
                yield Outcome(item.path, "ingested", facts=facts, result=result)
