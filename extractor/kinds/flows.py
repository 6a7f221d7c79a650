"""Fund flows: money moving into or out of a fund over a window; checked against
net flows or shares outstanding (``crosscheck.check_flow``)."""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from ..schema import AGGREGATIONS, DIRECTIONS, Flow
from . import register
from .base import (AMOUNT, SYMBOL, TEXT, WINDOW_CLAIM_COLUMNS, WINDOW_EDITABLE, Windowed, canon, money, num,
                   window_row_gold, window_values)

@register
class Flows(Windowed):
    name, table, title, record = "flow", "flows", "Flows", Flow
    editable = {"ticker": SYMBOL, "direction": DIRECTIONS, "amount_usd": AMOUNT, "qualifier": TEXT,
                "aggregation": AGGREGATIONS, **WINDOW_EDITABLE}
    required = ("ticker", "direction", "amount_usd")
    shown = ("ticker", "direction", "amount_usd", "qualifier", "aggregation", "window_label",
             "window_start", "window_end", "window_source")
    claim_columns = ("direction", "amount_usd", "qualifier", "aggregation", *WINDOW_CLAIM_COLUMNS)
    span_label = "ticker || ' ' || coalesce(direction, '') || ' $' || coalesce(amount_usd, '')"
    style = "background: #cfe3ff;"

    def identity(self, row: Mapping[str, Any]) -> list[Any]:
        parts = [canon(row.get("ticker")), row.get("direction"), num(row.get("amount_usd"))]
        if (row.get("currency") or "USD") != "USD":
            parts += [row.get("currency"), num(row.get("amount"))]
        return parts

    def values(self, f: Flow) -> dict[str, Any]:
        return {"ticker": f.ticker, "direction": f.direction, "amount_usd": f.amount_usd,
                "currency": f.currency, "amount": f.amount if f.amount is not None else f.amount_usd,
                "qualifier": f.qualifier, "aggregation": f.aggregation, **window_values(f.window)}

    def gold_row(self, r: Mapping[str, Any]) -> dict[str, Any]:
        currency = r.get("currency") or "USD"
        return {"ticker": r["ticker"], "direction": r["direction"], "amount_usd": r["amount_usd"],
                **({"currency": currency, "amount": r.get("amount")} if currency != "USD" else {}),
                "qualifier": r["qualifier"], "aggregation": r["aggregation"] or "total",
                "window": window_row_gold(r)}

    def describe(self, row: Mapping[str, Any]) -> str:
        return f"{row.get('ticker') or '?'} {row.get('direction') or '?'} {money(row.get('amount_usd'))}"

    def claimed(self, row: Mapping[str, Any]) -> str:
        return f"{row.get('direction') or '?'} {money(row.get('amount_usd'))}"

    def actual(self, row: Mapping[str, Any]) -> str:
        return money(row["actual"]) if row.get("actual") is not None else "n/a"

    def check(self, claim: Any, market: Any, today: date) -> Any:
        from ..crosscheck import check_flow

        return check_flow(claim, market, today)
