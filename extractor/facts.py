"""Doc -> ArticleFacts (placeholder until the rule assembly lands)."""
from __future__ import annotations

from .schema import Article, ArticleFacts


def assemble(doc, article: Article) -> ArticleFacts:
    return ArticleFacts(article=article)
