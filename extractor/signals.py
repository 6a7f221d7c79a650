"""Per-ticker daily signals: what the news said about each ticker, day by day.

A row per (ticker, day the articles were published): the sentiment toward the ticker
(mean score in [-1, 1] and the count of bullish, bearish and neutral labels) and the
fund flows the articles claimed (inflows minus outflows, in US dollars). Reviewers'
decisions count: rejected claims are left out and edited values are used. Amounts are
summed as written, so a "$4 million a day" average counts once, not per session.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

COLUMNS = ("ticker", "day", "articles", "sentiment_mean", "bullish", "bearish", "neutral",
           "flows", "inflow_usd", "outflow_usd", "net_flow_usd")

_SQL = """
WITH facts AS (
    SELECT s.ticker, a.published AS day, s.article_id, s.score, s.label, NULL AS flow
    FROM sentiment s JOIN articles a ON a.id = s.article_id
    WHERE s.status != 'rejected' AND s.ticker IS NOT NULL AND a.published IS NOT NULL {sentiment}
    UNION ALL
    SELECT f.ticker, a.published, f.article_id, NULL, NULL,
           CASE f.direction WHEN 'inflow' THEN f.amount_usd ELSE -f.amount_usd END
    FROM flows f JOIN articles a ON a.id = f.article_id
    WHERE f.status != 'rejected' AND f.ticker IS NOT NULL AND a.published IS NOT NULL
      AND f.amount_usd IS NOT NULL {flows}
)
SELECT ticker, day, count(DISTINCT article_id) AS articles,
       round(avg(score), 4) AS sentiment_mean,
       sum(label = 'bullish') AS bullish, sum(label = 'bearish') AS bearish,
       sum(label = 'neutral') AS neutral,
       count(flow) AS flows,
       total(CASE WHEN flow > 0 THEN flow END) AS inflow_usd,
       -total(CASE WHEN flow < 0 THEN flow END) AS outflow_usd,
       total(flow) AS net_flow_usd
FROM facts
GROUP BY ticker, day
ORDER BY ticker, day
"""


@dataclass(frozen=True)
class Signal:
    ticker: str
    day: str  # ISO date the articles were published
    articles: int
    sentiment_mean: float | None  # None: no sentiment toward the ticker that day
    bullish: int
    bearish: int
    neutral: int
    flows: int  # flow claims that day
    inflow_usd: float
    outflow_usd: float
    net_flow_usd: float


def daily_signals(db: Database, tickers: Sequence[str] = (), *, start: str | None = None,
                  end: str | None = None) -> list[Signal]:
    """Signals for every ticker (or those given), optionally between two ISO days."""
    where, params = [], {}  # "{x}" is the fact table's alias in each half of the query
    if tickers:
        names = {f"t{i}": t.strip().upper() for i, t in enumerate(tickers)}
        params.update(names)
        where.append(f"{{x}}.ticker IN ({', '.join(':' + k for k in names)})")
    if start:
        where.append("a.published >= :start")
        params["start"] = start
    if end:
        where.append("a.published <= :end")
        params["end"] = end
    sentiment, flows = ("".join(f" AND {w.replace('{x}', x)}" for w in where) for x in "sf")
    rows = db.execute(_SQL.format(sentiment=sentiment, flows=flows), params).fetchall()
    return [Signal(*r) for r in rows]


def signal_tickers(db: Database) -> list[str]:
    """Tickers with sentiment or flows, the most-written-about first."""
    return [r[0] for r in db.execute(
        "SELECT ticker FROM (SELECT ticker FROM sentiment WHERE status != 'rejected' "
        "UNION ALL SELECT ticker FROM flows WHERE status != 'rejected') WHERE ticker IS NOT NULL "
        "GROUP BY ticker ORDER BY count(*) DESC, ticker")]


def as_rows(signals: Sequence[Signal]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(columns, rows) for the report formatters and the CSV download."""
    return list(COLUMNS), [tuple(getattr(s, c) for c in COLUMNS) for s in signals]
