"""Fund flows: money moving into or out of a fund over a window; checked against
net flows or shares outstanding (``crosscheck.check_flow``)."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterator, Mapping

from ..schema import AGGREGATIONS, DIRECTIONS, Flow, window_from
from . import register
from .base import AMOUNT, SYMBOL, TEXT, WINDOW_EDITABLE, Kind, canon, money, num, window_row_gold, window_values

WINDOW_CLAIM_COLUMNS = ("window_label", "window_start", "window_end", "window_source", "window_intraday",
                        "window_phrase_start", "window_phrase_end")


@register
class Flows(Kind):
    name, table, title, record = "flow", "flows", "Flows", Flow
    checked = windowed = True
    days = ("window_start", "window_end")
    timed_by = {"window_source": tuple(WINDOW_EDITABLE)}
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

    def from_json(self, d: Mapping[str, Any]) -> Flow:
        return Flow(**{**d, "window": window_from(d.get("window"))})

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

    def when(self, row: Mapping[str, Any]) -> str:
        return window_caption(row)

    def claims(self, db: Any, page: int = 2000) -> Iterator[Any]:
        from ..crosscheck import stored_claims

        return stored_claims(db, page, table="flows")

    def check(self, claim: Any, market: Any, today: date) -> Any:
        from ..crosscheck import check_flow

        return check_flow(claim, market, today)


def window_caption(c: Mapping[str, Any]) -> str:
    """A windowed claim's window in words: its closes, intraday kind, where it was read."""
    from .base import WINDOW_SOURCES_WORDS

    return (f"Window “{c.get('window_label') or '?'}”: from the close of {c.get('window_start') or '?'} "
            f"to the {'session' if c.get('window_intraday') else 'close'} of {c.get('window_end') or '?'}"
            + {1: ", a moment inside that session (intraday)",
               2: ", an extreme reached within the window (intraday)"}.get(c.get("window_intraday") or 0, "")
            + f"; read from {WINDOW_SOURCES_WORDS.get(c.get('window_source') or '', 'an unknown place')}."
            + (f" The article's figures run through {c['article_asof']}: {c.get('asof_reason')}."
               if c.get("article_asof") else ""))
