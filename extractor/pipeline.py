"""Article -> ArticleFacts: the one path every caller (CLI, tests, UI) goes through."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
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


def article_from_text(text: str, *, published: date | None = None, source: str | None = None,
                      title: str | None = None, path: str | None = None) -> Article:
    """Build an Article from decoded text: header parsed, id = sha256 of the text."""
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


def _make_doc(nlp, article: Article):
    doc = nlp.make_doc(article.text)
    doc._.x_anchor = article.anchor
    doc._.x_body_start = article.body_start
    _, title_end = guess_title(article.text, article.body_start)
    doc._.x_title_end = title_end
    return doc


def extract_article(article: Article, nlp=None) -> ArticleFacts:
    """Run the rules over one article and assemble its facts."""
    return next(extract_articles([article], nlp=nlp))


def extract_articles(articles: Iterable[Article], nlp=None, batch_size: int = 32) -> Iterator[ArticleFacts]:
    """Stream ArticleFacts for many articles (spaCy batches the work)."""
    from .facts import assemble

    nlp = nlp or default_nlp()
    articles = iter(articles)
    pairs = ((_make_doc(nlp, a), a) for a in articles)
    docs_and_articles = nlp.pipe(pairs, as_tuples=True, batch_size=batch_size)
    for doc, article in docs_and_articles:
        yield assemble(doc, article)
