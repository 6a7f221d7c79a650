"""Quotes: a named person whose words or view the article reports, with title and firm."""
from __future__ import annotations

from typing import Any, Mapping

from ..schema import SENTIMENT_LABELS, Quote
from . import register
from .base import TEXT, Kind, last_name


@register
class Quotes(Kind):
    name, table, title, record = "quote", "quotes", "Quotes", Quote
    symbol_column = None
    editable = {"speaker": TEXT, "title": TEXT, "organization": TEXT, "quote_text": TEXT,
                "stance": SENTIMENT_LABELS}
    required = ("speaker",)
    shown = ("speaker", "title", "organization", "stance", "quote_text")
    span_label = "coalesce(speaker, 'quote')"
    style = "font-style: italic; border-bottom: 2px solid #8e6bbf;"
    layer = 0

    def identity(self, row: Mapping[str, Any]) -> list[Any]:
        return [last_name(row.get("speaker"))]

    def values(self, q: Quote) -> dict[str, Any]:
        return {"speaker": q.speaker, "title": q.title, "organization": q.organization,
                "quote_text": q.text, "stance": q.stance}

    def gold_row(self, r: Mapping[str, Any]) -> dict[str, Any]:
        return {"speaker": r["speaker"], "title": r["title"], "organization": r["organization"]}

    def describe(self, row: Mapping[str, Any]) -> str:
        return str(row.get("speaker") or "?")
