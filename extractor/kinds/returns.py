"""Returns: a signed percent change of a ticker over a window, realized or forecast;
checked against price and total return (``crosscheck.check_return``)."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterator, Mapping

from ..schema import RETURN_KINDS, Return, window_from
from . import register
from .base import NUMBER, SYMBOL, TEXT, WINDOW_EDITABLE, Kind, canon, num, window_row_gold, window_values
from .flows import WINDOW_CLAIM_COLUMNS, window_caption


@register
class Returns(Kind):
    name, table, title, record = "return", "returns", "Returns", Return
    checked = windowed = True
    days = ("window_start", "window_end")
    timed_by = {"window_source": tuple(WINDOW_EDITABLE)}
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

    def from_json(self, d: Mapping[str, Any]) -> Return:
        return Return(**{**d, "window": window_from(d.get("window"))})

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

    def when(self, row: Mapping[str, Any]) -> str:
        return window_caption(row)

    def claims(self, db: Any, page: int = 2000) -> Iterator[Any]:
        from ..crosscheck import stored_claims

        return stored_claims(db, page, table="returns")

    def check(self, claim: Any, market: Any, today: date) -> Any:
        from ..crosscheck import check_return

        return check_return(claim, market, today)
