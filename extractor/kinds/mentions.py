"""Ticker mentions: a security or index named in the text, resolved to one symbol."""
from __future__ import annotations

from typing import Any, Mapping

from ..schema import Mention
from . import register
from .base import SYMBOL, TEXT, Kind, canon


@register
class Mentions(Kind):
    name, table, title, record = "ticker", "mentions", "Tickers", Mention
    symbol_column = "symbol"
    counted = False  # an article's tickers are counted per symbol, not reviewed one by one
    gold_form = False  # the gold form lists the article's symbols instead
    editable = {"symbol": SYMBOL, "name": TEXT}
    required = ("symbol",)
    shown = ("symbol", "name")
    span_label = "symbol"
    style = "background: #ffe08a; font-weight: 600;"
    layer = 3

    def identity(self, row: Mapping[str, Any]) -> list[Any]:
        return [canon(row.get("symbol")), row.get("start"), row.get("end")]

    def values(self, m: Mention) -> dict[str, Any]:
        return {"symbol": m.symbol, "name": m.name, "kind": m.kind, "text": m.text, "via": m.via,
                "symbol_source": m.symbol_source}
