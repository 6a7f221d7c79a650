"""Returns: a signed percent change of a ticker over a window, realized or forecast;
checked against price and total return (``crosscheck.check_return``)."""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from ..schema import RETURN_KINDS, Return
from . import register
from .base import (NUMBER, SYMBOL, TEXT, WINDOW_CLAIM_COLUMNS, WINDOW_EDITABLE, Windowed, canon, num,
                   window_row_gold, window_values)


@register
class Returns(Windowed):
    name, table, title, record = "return", "returns", "Returns", Return
    editable = {"ticker": SYMBOL, "value_pct": NUMBER, "value_pct_high": NUMBER, "kind": RETURN_KINDS,
                "qualifier": TEXT, **WINDOW_EDITABLE}
    required = ("ticker", "value_pct")
    shown = ("ticker", "value_pct", "value_pct_high", "kind", "qualifier", "window_label",
             "window_start", "window_end", "window_source", "window_intraday")
    claim_columns = ("value_pct", "value_pct_high", "kind", "qualifier", *WINDOW_CLAIM_COLUMNS)
    span_label = "ticker || ' ' || coalesce(value_pct, '') || '%'"
    style = "background: #d9f2d0;"

    def identity(self, row: Mapping[str, Any]) -> list[Any]:
        return [canon(row.get("ticker")), num(row.get("value_pct")), row.get("kind") or "realized"]

    def values(self, r: Return) -> dict[str, Any]:
        return {"ticker": r.ticker, "value_pct": r.value_pct, "value_pct_high": r.value_pct_high,
                "kind": r.kind, "qualifier": r.qualifier, **window_values(r.window)}

    def gold_row(self, r: Mapping[str, Any]) -> dict[str, Any]:
        return {"ticker": r["ticker"], "value_pct": r["value_pct"],
                **({"value_pct_high": r["value_pct_high"]} if r.get("value_pct_high") is not None else {}),
                "kind": r["kind"] or "realized", "qualifier": r["qualifier"], "window": window_row_gold(r)}

    def describe(self, row: Mapping[str, Any]) -> str:
        value = row.get("value_pct")
        return f"{row.get('ticker') or '?'}" + (f" {value:+g}%" if value is not None else "")

    def claimed(self, row: Mapping[str, Any]) -> str:
        if row.get("value_pct") is None:
            return "?"
        high = row.get("value_pct_high")
        return f"{row['value_pct']:+g}%" + (f" to {high:+g}%" if high is not None else "")

    def actual(self, row: Mapping[str, Any]) -> str:
        return f"{row['actual']:+.2f}%" if row.get("actual") is not None else "n/a"

    def check(self, claim: Any, market: Any, today: date) -> Any:
        from ..crosscheck import check_return

        return check_return(claim, market, today)
