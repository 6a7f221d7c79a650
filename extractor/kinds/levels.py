"""Levels: a ticker's price or an index's level at one session ("rose 21.40 points, or
0.5%, to 4,118.62", "GLD ended at $118.52"), with the point change when written.

A level needs no window: it is the close of its session or it is not. It is checked
against the close as traded that day (``prices.close``, never split-adjusted), within
half a unit of its last written digit; an intraday level ("touched 2,940.91") against
the session's low-high range. The session is the day the sentence names, else the
article's as-of close; only then, since the as-of is inferred, the sessions either side
are tried too, and a confirmation there says so.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Iterator, Mapping

from . import register
from .base import (DATE, NUMBER, POSITIVE, SYMBOL, Fingerprinted, Kind, KindInput, canon, day, finite, iso, num,
                   paged)

UNITS = ("points", "USD")
# A wire story prints the close minutes after the bell; index providers and exchanges revise
# it by a few hundredths (the S&P 500's 1,129.58 became 1,129.56). A level off by no more than
# this share of itself is confirmed, and the reading says it was the preliminary close.
PRELIMINARY = 0.00005
PRELIMINARY_WORDS = "within 0.005% of the final close (a preliminary close)"


@dataclass(frozen=True)
class Level:
    ticker: str
    value: float
    start: int
    end: int
    unit: str = "points"  # points (an index) | USD (a price)
    decimals: int = 2  # digits written after the point: the tolerance is half the last one
    change: float | None = None  # signed points or dollars, when written ("fell 150.89 points")
    change_decimals: int | None = None
    session: date | None = None  # the session whose close (or range) it is
    session_source: str | None = None  # claim | sentence: a phrase names it; article: the as-of
    intraday: bool = False  # a level reached during the session, not its close
    # A level reached at some point of a period ("hit 7,500 in January", "as high as 2,900
    # last week"): the close before the period; the level is checked on its whole range.
    period_start: date | None = None
    qualifier: str | None = None  # "record"
    source: str = "rules"
    confidence: float = 1.0


@dataclass(frozen=True)
class LevelClaim(Fingerprinted):
    """A stored level as the cross-check reads it."""

    table: str
    id: int
    article_id: str
    ticker: str | None
    value: float | None
    unit: str
    decimals: int
    change: float | None
    change_decimals: int | None
    window_end: date | None  # the session
    session_source: str | None
    intraday: bool
    evidence: str = ""
    period_start: date | None = None


_REACHED = re.compile(r"\b(?:hit|hits|hitting|reached|reaches|reaching|touched|touches|topped|tops|peaked|"
                      r"bottomed|as high as|as low as|record)\b", re.IGNORECASE)


_CLOSED = re.compile(r"\b(?:closed|closes|closing|close|ended|ends|ending|finished|finishes|settled|settles)\b",
                     re.IGNORECASE)


def session_of(number_start: int, number_end: int, given: KindInput, sents: list[Any], starts: list[int],
               evidence: str = "") -> tuple[date | None, str | None, bool, date | None]:
    """(session, where it came from, intraday, period start): the time phrase governing the
    number in its sentence (``facts.timing``), else the article's as-of close. A level
    "hit" or "reached" in a phrase of several sessions ("in January", "last week") is a
    level of that period: its start is returned too."""
    from ..facts.candidates import Candidate
    from ..facts.timing import intraday, window_for
    from ..normalize.time import sessions_between

    anchor = given.article.anchor
    i = bisect_right(starts, number_start) - 1  # ``sents`` and their ``starts``: read once per article
    sent = sents[i] if i >= 0 and number_start < sents[i].end_char else None
    window = None
    if sent is not None:
        c = Candidate(number_start, number_end, 0.0, None, None, None, sent)
        window = window_for(c, given.times, given.text)
        if window is not None and window.end is not None:  # a moment in the session, or a wrap written during it
            window = intraday(c, window, given.text, anchor, False)
    if window is not None and window.end is not None:
        several = window.start is not None and window.start < window.end and sessions_between(window.start,
                                                                                                window.end) > 1
        # over several sessions, a level "hit" or "reached" is the period's; one it "closed" or
        # "ended" at is its last close; one it "sank to" is the close now when the period runs to
        # the as-of ("rose 12% this year to 4,118"), else some day of that past period ("in March")
        period = several and (_REACHED.search(evidence) is not None or (
            _CLOSED.search(evidence) is None and window.end != anchor.asof))
        # a period running to the as-of ("this year") names no day: its close is the as-of's,
        # inferred like a level without a phrase, so the sessions either side are tried too
        source = "article" if several and not period and window.end == anchor.asof else window.source
        return window.end, source, bool(window.intraday), window.start if period else None
    live = anchor.intraday and anchor.asof is not None and anchor.asof == anchor.published
    return anchor.asof, ("article" if anchor.asof else None), live, None


@register
class Levels(Kind):
    name, table, title, record = "level", "levels", "Levels", Level
    checked = True
    days = ("period_start", "session")  # a period's level reads from its start, else its session
    columns = f"""
    ticker TEXT,
    value REAL,                    -- the level as written: index points or dollars
    unit TEXT CHECK (unit IN ({', '.join(repr(u) for u in UNITS)})),
    decimals INTEGER,              -- digits written after the point (tolerance: half the last)
    change REAL,                   -- signed change in the same unit, when written
    change_decimals INTEGER,
    session TEXT,                  -- ISO date of the session
    session_source TEXT,           -- claim | sentence (a phrase names it) | article (the as-of close)
    intraday INTEGER NOT NULL DEFAULT 0,  -- 1: reached during the session (checked on its low-high)
    qualifier TEXT,
    period_start TEXT              -- ISO date: a level reached within a period, from this close on
    """
    editable = {"ticker": SYMBOL, "value": POSITIVE, "unit": UNITS, "decimals": NUMBER, "change": NUMBER,
                "session": DATE}
    timed_by = {"session_source": ("session", "period_start")}
    required = ("ticker", "value")
    shown = ("ticker", "value", "unit", "change", "session", "session_source", "intraday", "qualifier",
             "period_start")
    claim_columns = ("value", "unit", "change", "session", "intraday")
    span_label = "ticker || ' at ' || coalesce(value, '') || coalesce(' on ' || session, '')"
    examples = {"Index levels and prices against the close": """
SELECT ticker, value, unit, change, session, intraday, verdict, verdict_reading, verdict_reason, title, published
FROM claims
WHERE claim_type = 'level'
ORDER BY published DESC, ticker;"""}
    style = "background: #f3d9f5;"

    def identity(self, row: Mapping[str, Any]) -> list[Any]:
        return [canon(row.get("ticker")), num(row.get("value"))]

    def values(self, x: Level) -> dict[str, Any]:
        return {"ticker": x.ticker, "value": x.value, "unit": x.unit, "decimals": x.decimals,
                "change": x.change, "change_decimals": x.change_decimals, "session": iso(x.session),
                "session_source": x.session_source, "intraday": int(x.intraday), "qualifier": x.qualifier,
                "period_start": iso(x.period_start)}

    def from_json(self, d: Mapping[str, Any]) -> Level:
        return Level(**{**d, "session": day(d.get("session")), "period_start": day(d.get("period_start"))})

    def gold_row(self, r: Mapping[str, Any]) -> dict[str, Any]:
        return {"ticker": r["ticker"], "value": r["value"], "unit": r["unit"], "change": r["change"],
                "session": r["session"], "intraday": bool(r["intraday"])}

    def describe(self, row: Mapping[str, Any]) -> str:
        return f"{row.get('ticker') or '?'} at {row.get('value')} on {row.get('session') or '?'}"

    def added(self, row: Mapping[str, Any], article: Mapping[str, Any]) -> dict[str, Any]:
        """A reviewer's level: its unit from the ticker, two decimals, and the article's
        as-of session when none was typed."""
        out: dict[str, Any] = {"unit": unit_of(row.get("ticker")), "decimals": 2}
        if not row.get("session") and article.get("asof"):
            out.update(session=article["asof"], session_source="article")
        return out

    def claimed(self, row: Mapping[str, Any]) -> str:
        value = f"{row['value']:,g}" if row.get("value") is not None else "?"
        return value + (f" ({row['change']:+g})" if row.get("change") is not None else "")

    def when(self, row: Mapping[str, Any]) -> str:
        from .base import WINDOW_SOURCES_WORDS

        source = WINDOW_SOURCES_WORDS.get(row.get("session_source") or "", "an unknown place")
        if row.get("period_start"):
            return (f"Reached within the period from the close of {row['period_start']} to "
                    f"{row.get('session') or '?'} (its sessions' low-high range), read from {source}.")
        return (f"The {'range' if row.get('intraday') else 'close'} of the session {row.get('session') or '?'}, "
                f"read from {source}.")

    def extract(self, given: KindInput) -> Iterable[Level]:
        return self.distinct(self._read(given))

    def _read(self, given: KindInput) -> Iterator[Level]:
        from ..rules.levels import iter_levels

        sents: list[Any] = []
        starts: list[int] = []
        for h in iter_levels(given.doc, given.refs, given.article.body_start):
            if not sents:  # read once, only for an article with levels
                sents = list(given.doc.sents)
                starts = [s.start_char for s in sents]
            session, source, intraday, period = session_of(h.number_start, h.number_end, given, sents, starts,
                                                           given.text[h.start:h.end])
            yield Level(h.ticker, h.value, h.start, h.end, unit=h.unit, decimals=h.decimals, change=h.change,
                        change_decimals=h.change_decimals, session=session, session_source=source,
                        intraday=h.intraday or intraday, qualifier="record" if h.record else None,
                        period_start=period)

    # ------------------------------------------------------------------ the cross-check

    def claims(self, db: Any, page: int = 2000) -> Iterator[LevelClaim]:
        sql = ("SELECT x.id, x.article_id, x.ticker, x.value, x.unit, x.decimals, x.change, x.change_decimals, "
               "x.session, x.session_source, x.intraday, x.evidence, x.period_start FROM live_levels x WHERE 1")
        for r in paged(db, sql, page):
            yield LevelClaim("levels", r[0], r[1], (str(r[2]).strip() or None) if r[2] else None, finite(r[3]),
                             r[4] or "points", _int(r[5], 2), finite(r[6]), _int(r[7], None), day(r[8]),
                             r[9], bool(r[10]), str(r[11] or ""), day(r[12]))

    def check(self, claim: LevelClaim, market: Any, today: date) -> Any:
        return check_level(claim, market)


def unit_of(ticker: Any) -> str:
    """An index ("^GSPC") is in points; anything else has a price in dollars."""
    return "points" if str(ticker or "").startswith("^") else "USD"


def _int(v: Any, default: int | None) -> int | None:
    f = finite(v)
    return int(f) if f is not None and 0 <= f <= 10 else default


def half_unit(decimals: int | None) -> float:
    """Half a unit of the last written digit ("4,118.62": 0.005), and a hair for floats."""
    return 0.5 * 10 ** -(decimals or 0) + 1e-9


def locate(series: Any, when: date) -> int | None:
    """Row of the session ``when`` in ``series``, or None when it has no such row."""
    import numpy as np

    i = int(np.searchsorted(series.days, when.toordinal()))
    return i if i < len(series.days) and int(series.days[i]) == when.toordinal() else None


def coverage(series: Any) -> str:
    return f"{date.fromordinal(int(series.days[0]))} .. {date.fromordinal(int(series.days[-1]))}"


def check_level(claim: LevelClaim, market: Any) -> Any:
    """The close (or the low-high range) of the claim's session against its value, and
    the change from the session before against its change."""
    from ..crosscheck import Check

    if claim.ticker is None or claim.value is None:
        return Check("unverifiable", "the level has no ticker or no value")
    if claim.window_end is None:
        return Check("unverifiable", "no session: the article gives no date to read a close on")
    series = market.series(claim.ticker)
    if series is None:
        return Check("unverifiable", f"no prices for {claim.ticker} in the database (import them: "
                     "extractor prices import FILE)")
    if claim.period_start is not None:
        return _check_period(claim, series)
    tol = half_unit(claim.decimals)
    first, last = date.fromordinal(int(series.days[0])), date.fromordinal(int(series.days[-1]))
    if not first <= claim.window_end <= last:
        return Check("unverifiable", f"the prices of {claim.ticker} cover {coverage(series)}, not "
                     f"{claim.window_end}", symbol=claim.ticker, end_date=claim.window_end.isoformat())
    at = locate(series, claim.window_end)
    rows: list[tuple[int, str | None]] = [(at, None)] if at is not None else []
    if claim.session_source == "article":  # the as-of is inferred: the sessions either side too
        import numpy as np

        first_after = int(np.searchsorted(series.days, claim.window_end.toordinal(), side="right"))
        before = at - 1 if at is not None else first_after - 1
        for j, words in ((before, "the session before the article's as-of"),
                         (first_after, "the session after the article's as-of")):
            near = 0 <= j < len(series.days) and abs(int(series.days[j]) - claim.window_end.toordinal()) <= 4
            if near and (j, None) not in rows:
                rows.append((j, words))
    if not rows:
        return Check("unverifiable", f"no close of {claim.ticker} on {claim.window_end}: the prices cover "
                     f"{coverage(series)} and have no row that day (a holiday?)",
                     symbol=claim.ticker, end_date=claim.window_end.isoformat())
    rows = [(i, w) for i, w in rows if _usable(series, i, claim.intraday)]
    if not rows:
        what = "high and low" if claim.intraday else "close"
        return Check("unverifiable", f"the prices of {claim.ticker} have no {what} on {claim.window_end}",
                     symbol=claim.ticker, end_date=claim.window_end.isoformat())
    results = [(_measure(series, i, claim, tol), i, words) for i, words in rows]
    agreeing = [(m, i, w) for m, i, w in results if m["agrees"]]
    if not agreeing:  # a wire's preliminary close, revised by a few hundredths since
        loose = half_unit(claim.decimals) + abs(claim.value) * PRELIMINARY
        results += [(_measure(series, i, claim, loose), i, PRELIMINARY_WORDS if w is None else f"{w}, {PRELIMINARY_WORDS}")
                    for i, w in rows]
        agreeing = [(m, i, w) for m, i, w in results if m["agrees"]]
    m, i, words = agreeing[0] if agreeing else results[0]
    session = date.fromordinal(int(series.days[i]))
    stated = _fmt(claim.value, claim.decimals)
    basis = "high_low" if claim.intraday else "close"
    what = (f"traded between {_fmt(m['low'], 2)} and {_fmt(m['high'], 2)}" if claim.intraday
            else f"closed at {_fmt(m['close'], 2)}")
    if agreeing:
        change = ""
        if claim.change is not None:
            change = (f"; changed {m['actual_change']:+.2f} from the session before" if m["prev_close"] is not None
                      else "; the change is not checked (no close the session before)")
        reason = f"{claim.ticker} {what} on {session}{change}: agrees with {stated}" + (
            f" ({words})" if words else "")
        verdict, reading = "confirmed", words or "exact"
    else:
        verdict, reading = "contradicted", None
        if not m["value_ok"]:
            reason = f"{claim.ticker} {what} on {session}, not {stated} (±{tol:.3g})"
        else:
            reason = (f"{claim.ticker} {what} on {session} as stated, but changed {m['actual_change']:+.2f} "
                      f"from the session before, not {claim.change:+g}")
        if len(rows) > 1:
            reason += "; the sessions either side of the article's as-of disagree too"
    lo, hi = (m["low"], m["high"]) if claim.intraday else (claim.value - tol, claim.value + tol)
    return Check(verdict, reason, basis=basis, symbol=claim.ticker, start_date=m["prev_day"],
                 end_date=session.isoformat(), start_price=m["prev_close"], end_price=m["close"],
                 actual=m["close"], accept_low=lo, accept_high=hi, tolerance=tol, reading=reading,
                 provider=", ".join(series.providers) or None)


def _usable(series: Any, i: int, intraday: bool) -> bool:
    """The row has a close (and, for an intraday level, a high and a low)."""
    def known(values: Any) -> bool:
        return values is not None and values[i] == values[i]

    return known(series.close) and known(series.price) and (not intraday or (known(series.high) and known(series.low)))


def _measure(series: Any, i: int, claim: LevelClaim, tol: float) -> dict[str, Any]:
    """The session's close as traded, its range, and the change from the close before
    (in the session's own shares, so a split between them is no change)."""
    close = float(series.close[i])
    per_share = close / float(series.price[i]) if series.price[i] else 1.0
    high = float(series.high[i]) * per_share if series.high is not None and series.high[i] == series.high[i] else close
    low = float(series.low[i]) * per_share if series.low is not None and series.low[i] == series.low[i] else close
    prev_close = float(series.price[i - 1]) * per_share if i > 0 and series.price[i - 1] == series.price[i - 1] else None
    actual_change = close - prev_close if prev_close is not None else None
    if claim.intraday:
        value_ok = low - tol <= claim.value <= high + tol
    else:
        value_ok = abs(close - claim.value) <= tol
    change_ok = True  # no close the session before: the change cannot be checked, the level still is
    if claim.change is not None and prev_close is None:
        pass
    elif claim.change is not None and claim.intraday:  # the move at that moment: its level in the range
        change_ok = low - tol <= prev_close + claim.change <= high + tol
    elif claim.change is not None:  # both the close and the change are rounded as written
        change_ok = abs(actual_change - claim.change) <= half_unit(claim.change_decimals) + tol
    return {"close": close, "high": high, "low": low, "prev_close": prev_close,
            "prev_day": date.fromordinal(int(series.days[i - 1])).isoformat() if i > 0 else None,
            "actual_change": actual_change if actual_change is not None else float("nan"),
            "value_ok": value_ok, "agrees": value_ok and change_ok}


def _fmt(value: float, decimals: int | None) -> str:
    return f"{value:,.{max(decimals or 0, 0)}f}"


def _check_period(claim: LevelClaim, series: Any) -> Any:
    """A level reached within a period: inside the range of its sessions' lows and highs
    (each as traded that day). Outside it, contradicted only when the period was read
    from the claim's own clause or sentence."""
    import numpy as np

    from ..crosscheck import Check

    assert claim.period_start is not None and claim.window_end is not None and claim.value is not None
    lo_i = int(np.searchsorted(series.days, claim.period_start.toordinal(), side="right"))
    hi_i = int(np.searchsorted(series.days, claim.window_end.toordinal(), side="right"))
    first, last = date.fromordinal(int(series.days[0])), date.fromordinal(int(series.days[-1]))
    period = f"{claim.period_start} .. {claim.window_end}"
    if hi_i <= lo_i or claim.period_start < first or claim.window_end > last:
        return Check("unverifiable", f"the prices of {claim.ticker} cover {coverage(series)}, not the period {period}",
                     symbol=claim.ticker)
    per_share = series.close[lo_i:hi_i] / series.price[lo_i:hi_i]
    highs = np.where(np.isnan(series.high[lo_i:hi_i]), series.price[lo_i:hi_i], series.high[lo_i:hi_i]) * per_share
    lows = np.where(np.isnan(series.low[lo_i:hi_i]), series.price[lo_i:hi_i], series.low[lo_i:hi_i]) * per_share
    low, high = float(np.nanmin(lows)), float(np.nanmax(highs))
    tol = half_unit(claim.decimals)
    stated = _fmt(claim.value, claim.decimals)
    common = dict(basis="high_low", symbol=claim.ticker, start_date=claim.period_start.isoformat(),
                  end_date=claim.window_end.isoformat(), accept_low=low, accept_high=high, tolerance=tol,
                  provider=", ".join(series.providers) or None)
    words = f"{claim.ticker} traded between {_fmt(low, 2)} and {_fmt(high, 2)} in {period}"
    if low - tol <= claim.value <= high + tol:
        return Check("confirmed", f"{words}: {stated} was reached", reading="reached within the period", **common)
    if claim.session_source in ("claim", "sentence"):
        return Check("contradicted", f"{words}: never at {stated}", **common)
    return Check("unverifiable", f"{words}, never at {stated}; the period was borrowed from elsewhere in the "
                 "article (window uncertain)", **common)
