"""news-to-signal extractor: the checkable claims in market news, as plain records.

    >>> import extractor
    >>> facts = extractor.extract("IWM is up 2.7 percent year-to-date.", published="2017-08-18")
    >>> facts.returns[0].value_pct
    2.7
"""
from __future__ import annotations

from datetime import date

from .schema import EXTRACTOR_VERSION, ArticleFacts

__version__ = EXTRACTOR_VERSION
__all__ = ["extract", "ArticleFacts", "__version__"]


def extract(text: str, published: date | str | None = None, *, source: str | None = None,
            title: str | None = None, path: str | None = None) -> ArticleFacts:
    """Extract every checkable claim from one article's text.

    ``published`` (a date or ISO string) anchors relative windows ("past month"); when
    it is None the header line ``date YYYY-MM-DD`` in the text is used, if present.
    """
    from .pipeline import article_from_text, extract_article

    if isinstance(published, str):
        published = date.fromisoformat(published[:10])
    article = article_from_text(text, published=published, source=source, title=title, path=path)
    return extract_article(article)
