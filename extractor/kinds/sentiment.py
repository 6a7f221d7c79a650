"""Sentiment: the article's stance on a ticker (bullish, bearish, neutral) with a score."""
from __future__ import annotations

from typing import Any, Mapping

from ..schema import SENTIMENT_LABELS, Sentiment
from . import register
from .base import SCORE, SYMBOL, Kind, canon


@register
class Stances(Kind):
    name, table, title, record = "sentiment", "sentiment", "Sentiment", Sentiment
    editable = {"ticker": SYMBOL, "label": SENTIMENT_LABELS, "score": SCORE}
    required = ("ticker", "label")
    shown = ("ticker", "label", "score")
    certainty = "abs(x.score)"  # a label's certainty is the size of its score
    gold_evidence = False

    def identity(self, row: Mapping[str, Any]) -> list[Any]:
        return [canon(row.get("ticker"))]

    def values(self, s: Sentiment) -> dict[str, Any]:
        return {"ticker": s.ticker, "label": s.label, "score": s.score, "sentence": s.sentence,
                "relevance": s.relevance}

    def gold_row(self, r: Mapping[str, Any]) -> dict[str, Any]:
        return {"ticker": r["ticker"], "label": r["label"]}

    def in_gold(self, row: Mapping[str, Any]) -> bool:
        return row.get("label") != "neutral"  # the scored form holds only the stances an article takes

    def describe(self, row: Mapping[str, Any]) -> str:
        return f"{row.get('ticker') or '?'} {row.get('label') or '?'}"
