"""Per-ticker daily signals: what the news said about each ticker, day by day.

A row per (ticker, day the articles were published): the sentiment toward the ticker
(mean score in [-1, 1] and the count of bullish, bearish and neutral labels) and the
fund flows the articles claimed (inflows minus outflows, in US dollars). Reviewers'
decisions count: rejected claims are left out and edited values are used.

Sentiment: the label decides the sign and the score the strength. The mean is taken
over the bullish rows (+|score|) and the bearish rows (-|score|) only, each weighted by
the article's relevance to the ticker (0-100, ``relevance.py``; a row without one, from
before 0.6.0 or added by a reviewer, weighs as 100), and rows below ``min_relevance``
are left out; a neutral row
(an article that names the ticker without taking a stance) is counted in ``neutral``
but never moves the mean, whatever score it carries. A day with only neutral rows has
mean 0.0; a day with no sentiment row has None. So the mean is > 0 only when some
article was bullish, < 0 only when some article was bearish.

Flows: articles often give the same money twice ("$700 million in the past couple
sessions" and "$3.8 billion year-to-date", which contains it), so the claims of one
ticker and publication day are not all added up. Each claim covers the days
window_start (exclusive: the last close before the window) .. window_end (inclusive);
a window with a start and no end runs to the publication day, one with an end and no
start has no beginning. The claims are taken shortest window first (ties: a reviewed
claim before a machine one, then the first stored), and a claim whose window shares a
day with one already taken is skipped. Claims with no window dates at all (or an end
not after the start) are added only when no windowed claim of that ticker and day was
taken; then all of them are added, as written. An average (aggregation daily_avg,
weekly_avg, monthly_avg) is multiplied out over its window's NYSE sessions (a week is
5 sessions, a month 21, as in the cross-check); an average without both window dates
counts once, as written. ``flows`` counts every claim of the day, ``flow_claims_used``
the ones in ``inflow_usd``, ``outflow_usd`` and ``net_flow_usd``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from .normalize.time import sessions_between
from .schema import HUMAN_STATUSES

COLUMNS = ("ticker", "day", "articles", "sentiment_mean", "bullish", "bearish", "neutral",
           "flows", "flow_claims_used", "inflow_usd", "outflow_usd", "net_flow_usd")

# sessions per averaged unit, as extractor/crosscheck.py counts them
_PER = {"daily_avg": 1, "weekly_avg": 5, "monthly_avg": 21}

_SENTIMENT_SQL = """
SELECT s.ticker, a.published, s.article_id, s.label, s.score, coalesce(s.relevance, 100)
FROM live_sentiment s JOIN articles a ON a.id = s.article_id
WHERE s.ticker IS NOT NULL AND a.published IS NOT NULL
  AND coalesce(s.relevance, 100) >= :min_relevance {where}
"""
_FLOWS_SQL = """
SELECT f.ticker, a.published, f.article_id, f.id, f.status, f.direction, f.amount_usd,
       f.aggregation, f.window_start, f.window_end
FROM live_flows f JOIN articles a ON a.id = f.article_id
WHERE f.ticker IS NOT NULL AND a.published IS NOT NULL
  AND f.amount_usd IS NOT NULL {where}
"""


@dataclass(frozen=True)
class Signal:
    ticker: str
    day: str  # ISO date the articles were published
    articles: int
    sentiment_mean: float | None  # over bullish/bearish rows; 0.0 all neutral; None: no sentiment
    bullish: int
    bearish: int
    neutral: int
    flows: int  # flow claims that day (not rejected)
    flow_claims_used: int  # of those, the ones summed below (no overlapping windows)
    inflow_usd: float
    outflow_usd: float
    net_flow_usd: float


@dataclass(frozen=True)
class _Claim:
    id: int
    reviewed: bool
    signed_usd: float  # + inflow, - outflow, an average multiplied out over its window
    lo: date | None  # days lo (exclusive) .. hi (inclusive); None: unbounded
    hi: date | None
    windowed: bool

    @property
    def length(self) -> float:
        if self.lo is None or self.hi is None:
            return float("inf")
        return (self.hi - self.lo).days

    def overlaps(self, other: _Claim) -> bool:
        lo = max((d for d in (self.lo, other.lo) if d is not None), default=None)
        hi = min((d for d in (self.hi, other.hi) if d is not None), default=None)
        return lo is None or hi is None or lo < hi


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _claim(row: Sequence[Any]) -> _Claim:
    """One flow row as a claim with its signed, multiplied-out amount and its days."""
    _, published, _, fid, status, direction, amount, aggregation, ws, we = row
    start, end, pub = _day(ws), _day(we), _day(published)
    windowed = start is not None or end is not None
    if start is not None and end is None:
        end = max(pub, start + timedelta(days=1)) if pub else None  # "since X": to the article
    if start is not None and end is not None and end <= start:
        start, end, windowed = None, None, False  # not a window: counts as no window dates
    per = _PER.get(aggregation or "total")
    amount = float(amount)
    if per and start is not None and _day(we) is not None:
        amount *= sessions_between(start, end) / per
    sign = 1.0 if direction == "inflow" else -1.0
    return _Claim(fid, status in HUMAN_STATUSES, sign * amount, start, end, windowed)


def _used(claims: Iterable[_Claim]) -> list[_Claim]:
    """The claims that add up: shortest window first, none overlapping one taken; the
    claims without a window only when no windowed one was taken."""
    claims = list(claims)
    taken: list[_Claim] = []
    for c in sorted((c for c in claims if c.windowed),
                    key=lambda c: (c.length, not c.reviewed, c.id)):
        if not any(c.overlaps(t) for t in taken):
            taken.append(c)
    return taken or [c for c in claims if not c.windowed]


def _mean(rows: Sequence[tuple[str | None, float | None, float]]) -> float | None:
    """Mean stance: bullish +|score|, bearish -|score|, weighted by relevance; neutral
    rows left out."""
    if not rows:
        return None
    signed = [((abs(score) if label == "bullish" else -abs(score)), max(weight, 1.0))
              for label, score, weight in rows if label in ("bullish", "bearish") and score is not None]
    if not signed:
        return 0.0
    total = sum(w for _, w in signed)
    return round(sum(v * w for v, w in signed) / total, 4) + 0.0  # + 0.0: never -0.0


def daily_signals(db: Database, tickers: Sequence[str] = (), *, start: str | None = None,
                  end: str | None = None, min_relevance: int = 0) -> list[Signal]:
    """Signals for every ticker (or those given), optionally between two ISO days and
    only from articles at least ``min_relevance`` (0-100) about the ticker."""
    where: list[str] = []
    params: dict[str, Any] = {"min_relevance": min_relevance}  # "{x}" is the fact table's alias
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

    articles: dict[tuple[str, str], set[str]] = {}
    stances: dict[tuple[str, str], list[tuple[str | None, float | None, float]]] = {}
    claims: dict[tuple[str, str], list[_Claim]] = {}
    for ticker, day, article_id, label, score, weight in db.execute(
            _SENTIMENT_SQL.format(where=sentiment), params).fetchall():
        articles.setdefault((ticker, day), set()).add(article_id)
        stances.setdefault((ticker, day), []).append((label, score, float(weight)))
    flow_params = {k: v for k, v in params.items() if k != "min_relevance"}
    for row in db.execute(_FLOWS_SQL.format(where=flows), flow_params).fetchall():
        articles.setdefault((row[0], row[1]), set()).add(row[2])
        claims.setdefault((row[0], row[1]), []).append(_claim(row))

    out = []
    for key in sorted(articles):
        labels = [label for label, _, _ in stances.get(key, [])]
        day_claims = claims.get(key, [])
        used = _used(day_claims)
        inflow = sum((c.signed_usd for c in used if c.signed_usd > 0), 0.0)
        outflow = sum((-c.signed_usd for c in used if c.signed_usd < 0), 0.0)
        out.append(Signal(
            *key, len(articles[key]), _mean(stances.get(key, [])), labels.count("bullish"),
            labels.count("bearish"), labels.count("neutral"), len(day_claims), len(used),
            round(inflow, 2), round(outflow, 2), round(inflow - outflow, 2)))
    return out


def signal_tickers(db: Database) -> list[str]:
    """Tickers with sentiment or flows, the most-written-about first."""
    return [r[0] for r in db.execute(
        "SELECT ticker FROM (SELECT ticker FROM live_sentiment UNION ALL SELECT ticker FROM live_flows) "
        "WHERE ticker IS NOT NULL "
        "GROUP BY ticker ORDER BY count(*) DESC, ticker")]


def as_rows(signals: Sequence[Signal]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(columns, rows) for the report formatters and the CSV download."""
    return list(COLUMNS), [tuple(getattr(s, c) for c in COLUMNS) for s in signals]
