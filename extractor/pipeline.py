"""Article -> ArticleFacts: the one path every caller (CLI, tests, UI) goes through."""
from __future__ import annotations

import hashlib
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from dataclasses import replace
from datetime import date
from functools import lru_cache

from .asof import read_asof
from .header import parse_header
from .schema import Article, ArticleFacts


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
