"""Was the claim true? A verdict for each return and flow, from the prices in the database.

A return with a window (start = last close before it, end = last close inside it) is
measured on two bases: the price return (close, carried across splits) and the total
return (adjusted close). An index is measured on its own series (price) and through
the funds that track it (their total return, data/index_proxies.csv). News quotes
figures a few sessions old, so ends up to ``EARLY_SESSIONS`` sessions before the
window's end are tried too; the first (end, basis) that agrees, nearest end first,
price before total return, is the one recorded, and every one tried is kept in
``evaluations`` so a reviewer sees why.

Tolerance: half a unit of the last digit the claim states, plus ``SLACK`` points ("2.7"
is 2.55 .. 2.85, "11" is 10.4 .. 11.6), widened by its qualifier
(data/qualifier_bounds.csv): "more than 11" accepts anything from 10.4 up, "almost 5"
4.5 .. 5.6, "about 11" +-10 % of the value (never narrower than the plain tolerance), a
range "3 to 5 percent" anything from its low bound to its high bound, each widened by
its own tolerance.

Flows: without flow data a flow is ``unverifiable``, with how many times the dollars
traded in the fund over the window it is (a flow far above what traded is suspect).
With a flows file (net flows, or shares outstanding whose change times the close is the
flow) it is checked like a return, to ``FLOW_SLACK`` of the amount.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import numpy as np
from sqlite_utils import Database

from .market import Market, Series, read_data_csv
from .normalize.amount import find_money, find_percents
from .cues import cue_re
from .kinds.base import day as iso_day, finite
from .normalize.time import on_or_before, sessions_between, shift
from .schema import WINDOW_SURE

POLICY_VERSION = 3  # part of every fingerprint: a new policy makes every verdict stale
SESSION, EXTREME = 1, 2  # kinds of intraday figure (windows.intraday)
EARLY_SESSIONS = 3  # ends this many sessions before the window's end are tried too
SLACK = 0.1  # percentage points added to half a unit of the last stated digit
ABOUT = 0.10  # "about", "roughly": +-10 % of the value
ALMOST = 0.90  # "almost 5": from 90 % of the value
FLOW_SLACK = 0.05  # flows: shares outstanding x close only estimates the dollars that moved
SUSPECT_MULTIPLE = 3.0  # a flow above 3x the dollars traded in the window is flagged
SENTIMENT_MOVE = 1.0  # percentage points the other way that make a stance disagree with the data


# --------------------------------------------------------------------------- records

@dataclass(frozen=True)
class Claim:
    """A flow or return as stored (the row after any correction)."""

    table: str  # flows | returns
    id: int
    article_id: str
    ticker: str | None
    window_start: date | None
    window_end: date | None
    evidence: str = ""
    qualifier: str | None = None
    value_pct: float | None = None
    value_pct_high: float | None = None
    kind: str = "realized"
    direction: str | None = None
    amount_usd: float | None = None
    aggregation: str = "total"
    window_label: str | None = None
    window_source: str | None = "claim"  # claim | sentence | paragraph | article | reviewer | None: unknown
    intraday: int = 0  # 0 a close; 1 a moment inside the end session; 2 an extreme within the window
    published: date | None = None  # the article's publication day

    def fingerprint(self, *context: Any) -> str:
        """What the verdict depends on: the claim (an edit makes the check stale) and the
        ``context`` the caller adds (the market data of its series, the stance, the day)."""
        fields = [self.ticker, self.window_start, self.window_end, self.qualifier, self.value_pct,
                  self.value_pct_high, self.kind, self.direction, self.amount_usd, self.aggregation,
                  self.evidence, self.window_label, self.window_source, self.intraday, self.published,
                  POLICY_VERSION, *context]
        raw = json.dumps([str(f) if f is not None else None for f in fields])
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Evaluation:
    """One basis measured to one end."""

    symbol: str
    basis: str  # price | total_return | net_flow | shares_outstanding
    start: str
    end: str
    sessions_early: int
    start_price: float | None
    end_price: float | None
    actual: float  # percentage points, or US dollars for flows
    agrees: bool
    reading: str | None = None  # None: the window as stated; else what this reading changed


@dataclass
class Check:
    verdict: str  # confirmed | contradicted | unverifiable
    reason: str
    basis: str | None = None
    symbol: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    sessions_early: int | None = None
    start_price: float | None = None
    end_price: float | None = None
    actual: float | None = None
    accept_low: float | None = None
    accept_high: float | None = None
    tolerance: float | None = None
    forecast: bool = False
    dollar_volume: float | None = None
    flow_multiple: float | None = None
    evaluations: list[Evaluation] = field(default_factory=list)
    provider: str | None = None
    move_pct: float | None = None  # the ticker's price move over the window itself
    reading: str | None = None  # how a confirmation was reached: exact, or what it took


# --------------------------------------------------------------------------- tolerance

@functools.lru_cache(maxsize=1)
def qualifier_bounds() -> dict[str, str]:
    """Qualifier -> exact | at_least | at_most | almost | about (data/qualifier_bounds.csv)."""
    return {r["qualifier"]: r["bound"] for r in read_data_csv("qualifier_bounds.csv")}


_DIGITS = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def _repr_decimals(value: float) -> int:
    s = f"{abs(value):.10g}"
    return len(s.split(".")[1]) if "." in s and "e" not in s else 0


def stated_decimals(value: float, evidence: str) -> int:
    """Decimals of the percentage as the article wrote it ("2.70" has two), found in the
    evidence; from the number itself when the evidence does not show it ("five")."""
    for q in find_percents(evidence or ""):
        for v in (q.value, q.value_high):
            if v is not None and math.isclose(v, abs(value), abs_tol=1e-9):
                for m in _DIGITS.finditer(evidence[q.start:q.end]):  # "3 to 5.5": the 5.5
                    if math.isclose(float(m.group(0).replace(",", "")), abs(value), abs_tol=1e-9):
                        return len(m.group(1) or "")
    return _repr_decimals(value)


def return_tolerance(value: float, evidence: str = "") -> float:
    """Half a unit of the last stated digit plus SLACK: "2.7" -> 0.15, "11" -> 0.6."""
    return 0.5 * 10 ** -stated_decimals(value, evidence) + SLACK


def flow_tolerance(amount: float, evidence: str = "") -> float:
    """Half a unit of the amount's last stated digit in its written scale ("$1.2
    billion" -> $50 million), plus FLOW_SLACK of the amount."""
    unit = None
    for q in find_money(evidence or ""):
        if math.isclose(q.value, abs(amount), rel_tol=1e-9):
            m = _DIGITS.search(evidence[q.start:q.end])
            if m:
                written = float(m.group(0).replace(",", ""))
                scale = q.value / written if written else 1.0
                unit = scale * 10 ** -len(m.group(1) or "")
            break
    if unit is None:
        unit = 10 ** math.floor(math.log10(abs(amount))) if amount else 1.0
    return 0.5 * unit + FLOW_SLACK * abs(amount)


def acceptance(value: float, high: float | None, qualifier: str | None, tol: float,
               tol_high: float | None = None) -> tuple[float, float]:
    """The interval of actual values that agree with the claim, signed like it.

    The qualifier bounds the size of the move in the claim's direction: "down more
    than 5" accepts -4.4 and anything below.
    """
    if high is not None:
        lo, hi = sorted((value, high))
        tl, th = (tol, tol_high if tol_high is not None else tol)
        if high < value:
            tl, th = th, tl
        return lo - tl, hi + th
    sign = -1.0 if value < 0 else 1.0
    m = abs(value)
    bound = qualifier_bounds().get((qualifier or "").lower(), "exact")
    if bound == "at_least":
        lo, hi = m - tol, math.inf
    elif bound == "at_most":
        lo, hi = -tol, m + tol
    elif bound == "almost":
        lo, hi = ALMOST * m, m + tol
    elif bound == "about":
        w = max(ABOUT * m, tol)
        lo, hi = m - w, m + w
    else:
        lo, hi = m - tol, m + tol
    return (lo, hi) if sign > 0 else (-hi, -lo)


# --------------------------------------------------------------------------- measuring

def _row_at(series: Series, basis: str, day: date) -> int | None:
    """The row of the NYSE session on or before ``day``, or None when the series has no
    value for that session (before its first row, after its last, or a hole: a
    missing close is never replaced by an older one)."""
    session = on_or_before(day)
    if session is None:
        return None
    o = session.toordinal()
    i = int(np.searchsorted(series.days, o))
    if i >= len(series.days) or series.days[i] != o or math.isnan(series.values(basis)[i]):
        return None
    return i


def _session_row(series: Series, basis: str, end: date, n: int) -> int | None:
    """The row of the session ``n`` NYSE sessions before ``end``'s (None in a hole)."""
    session = shift(on_or_before(end), -n) if n else on_or_before(end)
    return _row_at(series, basis, session) if session else None


def _day(series: Series, i: int) -> str:
    return date.fromordinal(int(series.days[i])).isoformat()


def _fmt_pct(v: float) -> str:
    return f"{v:+.2f}%"


def _fmt_usd(v: float) -> str:
    a = abs(v)
    for div, unit in ((1e9, "billion"), (1e6, "million")):
        if a >= div:
            return f"{'-' if v < 0 else ''}${a / div:.2f} {unit}"
    return f"{'-' if v < 0 else ''}${a:,.0f}"


def _bases(market: Market, ticker: str) -> list[tuple[Series, str, str | None]]:
    """(series, basis, proxied index) pairs to measure a ticker's return on, in order."""
    out: list[tuple[Series, str, str | None]] = []
    own = market.series(ticker)
    if own is not None:
        out.append((own, "price", None))
        if not ticker.startswith("^"):  # an index's adjusted close is its close
            out.append((own, "total_return", None))
    for fund in market.proxies(ticker):
        s = market.series(fund)
        if s is not None:
            out.append((s, "total_return", ticker))
    return out


def _describe_coverage(bases: list[tuple[Series, str, str | None]]) -> str:
    spans = []
    for s, basis, _ in bases:
        sp = s.span(basis)
        if sp:
            spans.append(f"{s.symbol} {basis.replace('_', ' ')} {sp[0]} .. {sp[1]}")
    return "; ".join(dict.fromkeys(spans))


def _unverifiable_window(claim: Claim, today: date) -> Check | None:
    forecast = claim.table == "returns" and claim.kind == "forecast"
    if not claim.ticker:
        return Check("unverifiable", "no ticker", forecast=forecast)
    if claim.window_start is None and claim.window_end is None:
        return Check("unverifiable", "no window: the claim names no period that could be resolved",
                     forecast=forecast)
    if claim.window_end is None:
        return Check("unverifiable", "the window has no end (the publication day is unknown)",
                     forecast=forecast)
    if claim.window_start is None:
        return Check("unverifiable", "the window has no start", forecast=forecast)
    if forecast and claim.window_end >= today:
        return Check("unverifiable", f"forecast not yet due: its horizon ends {claim.window_end}",
                     forecast=True)
    if claim.window_end < claim.window_start:
        return Check("unverifiable", "the window ends before it starts", forecast=forecast)
    return None


@dataclass(frozen=True)
class Reading:
    """One plausible way to read a claim's window: its stated dates, or what a careful
    reader could also have meant (the publication day's close instead of the session
    before; "since April 29" from that day's close or the one before; a rally since a
    low from the low itself). ``note`` is None for the window as stated."""

    start: date
    end: date
    note: str | None = None
    start_at: str = "close"  # close | low | high: where the move is measured from


_SINCE = re.compile(r"^(?:since|from|dating back to)\b", re.IGNORECASE)
_LOW = re.compile(r"\b(?:low|lows|bottom|trough)\b", re.IGNORECASE)
_HIGH = re.compile(r"\b(?:high|highs|peak|top|record)\b", re.IGNORECASE)
# a period that runs up to "now", so the writer's now may be the publication day's close:
# year-to-date, this week, the past month, since March 23, for the year (not "Monday",
# "on Sept. 12", "yesterday": those name their session)
_OPEN_ENDED = re.compile(r"to-date|^this\s|^past\s|^last\s+(?:\d+|two|three|four|five|six|seven|"
                         r"eight|nine|ten|twelve|couple|few|several)\b|^trailing|so\s+far|^since\b|"
                         r"^for\s+the\s+(?:week|month|quarter|year)|^over\s+the\s+past|^in\s+the\s+past|"
                         r"^in\s+\d+\s+(?:days|sessions|weeks)|^\d{4}$|^on\s+the\s+year", re.IGNORECASE)


def readings(claim: Claim) -> list[Reading]:
    """The stated window first, then the other plausible readings of it: a period that
    runs up to "now" read through the publication day's close when it ends the session
    before; "since April 29" (measured from that day's close) also from the close before
    it; a rally "since its March 23 low" from the low itself (a fall from a high, from
    the high)."""
    ws, we = claim.window_start, claim.window_end
    out = [Reading(ws, we)]
    pub = claim.published
    label = claim.window_label or ""
    if pub is not None and claim.kind != "forecast" and on_or_before(pub) == pub and we == shift(pub, -1) \
            and _OPEN_ENDED.search(label) and sessions_between(ws, we) > 1:
        out.append(Reading(ws, pub, "through the publication day's close"))
    if _SINCE.search(label):
        before = shift(ws, -1)
        if before is not None:
            out.append(Reading(before, we, "from the close before the day named"))
        if _LOW.search(label):
            out.append(Reading(ws, we, "from that day's low", "low"))
        elif _HIGH.search(label):
            out.append(Reading(ws, we, "from that day's high", "high"))
    return out


def _start_value(series: Series, basis: str, i0: int, start_at: str) -> float:
    if start_at == "close" or basis != "price":
        return float(series.values(basis)[i0])
    arr = series.low if start_at == "low" else series.high
    return float(arr[i0]) if arr is not None else math.nan


def _measure(series: Series, basis: str, claim: Claim, lo: float, hi: float,
             reading: Reading | None = None) -> list[Evaluation] | None:
    """Evaluations of one basis at the reading's end and up to EARLY_SESSIONS earlier;
    None when the series does not cover the window."""
    rd = reading or Reading(claim.window_start, claim.window_end)
    if rd.start_at != "close" and basis != "price":
        return None
    i0 = _row_at(series, basis, rd.start)
    i1 = _row_at(series, basis, rd.end)
    if i0 is None or i1 is None:
        return None
    vals = series.values(basis)
    start_value = _start_value(series, basis, i0, rd.start_at)
    offset = sessions_between(claim.window_end, rd.end) if rd.end > claim.window_end else 0
    out = []
    for n in range(EARLY_SESSIONS + 1):
        i = _session_row(series, basis, rd.end, n)
        if i is None or i <= i0:
            if i is None and n and i0 < i1:
                continue  # a hole in the data: that end cannot be measured
            break
        with np.errstate(all="ignore"):
            actual = (vals[i] / start_value - 1.0) * 100.0
        if not math.isfinite(actual):
            continue
        shown_start = (series.close[i0] if rd.start_at == "close" else start_value) if basis == "price" \
            else vals[i0]
        shown_end = series.close[i] if basis == "price" else vals[i]
        out.append(Evaluation(series.symbol, basis, _day(series, i0), _day(series, i), n - offset,
                              finite(shown_start), finite(shown_end), round(float(actual), 4),
                              bool(lo - 1e-9 <= actual <= hi + 1e-9), rd.note))
    return out


def _measure_intraday(series: Series, claim: Claim, lo: float, hi: float) -> Evaluation | None:
    """An intraday figure against a range from the start close (price basis): a moment
    of the end session (``intraday`` 1) against that session's low and high; an extreme
    ("as much as", "at one point": ``intraday`` 2) against the lowest low and highest
    high of every session in the window. None without highs and lows there."""
    if series.high is None or series.low is None:
        return None
    i0 = _row_at(series, "price", claim.window_start)
    i1 = _row_at(series, "price", claim.window_end)
    if i0 is None or i1 is None or i1 <= i0:
        return None
    base = series.price[i0]
    first = i0 + 1 if claim.intraday == EXTREME else i1
    with np.errstate(all="ignore"):
        lows, highs = series.low[first:i1 + 1], series.high[first:i1 + 1]
        if np.isnan(lows).any() or np.isnan(highs).any():
            return None
        low = (float(lows.min()) / base - 1.0) * 100.0
        high = (float(highs.max()) / base - 1.0) * 100.0
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    low, high = min(low, high), max(low, high)
    nearest = min(max(claim.value_pct or 0.0, low), high)  # the point of the range nearest the claim
    agrees = lo - 1e-9 <= high and low <= hi + 1e-9
    what = "the window's range" if claim.intraday == EXTREME and i1 - i0 > 1 else "the session's range"
    return Evaluation(series.symbol, "intraday_range", _day(series, i0), _day(series, i1), 0,
                      finite(series.close[i0]), None, round(float(nearest), 4), bool(agrees),
                      f"{what} {_fmt_pct(low)} .. {_fmt_pct(high)}")


def _window_text(claim: Claim) -> str:
    """ "the window "year-to-date" 2016-12-30 .. 2017-08-17" """
    label = f"“{claim.window_label}” " if claim.window_label else ""
    return f"the window {label}{claim.window_start} .. {claim.window_end}"


def _sure(claim: Claim) -> bool:
    """Only a window read from the claim's own clause or sentence, or set by a reviewer,
    can make a claim false; a borrowed one, or one of unknown origin (a row stored
    before windows said where they came from), can only fail to confirm it."""
    return claim.window_source in WINDOW_SURE


def check_return(claim: Claim, market: Market, today: date) -> Check:
    """The verdict on one return claim."""
    early = _unverifiable_window(claim, today)
    forecast = claim.kind == "forecast"
    if early is not None:
        return early
    if claim.value_pct is None:
        return Check("unverifiable", "the claim has no value", forecast=forecast)
    if forecast and claim.published is not None and claim.window_end < claim.published:
        return Check("unverifiable", f"forecast whose window {_window_text(claim)} ends before the "
                     f"article was written ({claim.published}): nothing to check it on", forecast=True)
    tol = return_tolerance(claim.value_pct, claim.evidence)
    tol_high = (return_tolerance(claim.value_pct_high, claim.evidence)
                if claim.value_pct_high is not None else None)
    lo, hi = acceptance(claim.value_pct, claim.value_pct_high, claim.qualifier, tol, tol_high)
    bases = _bases(market, claim.ticker)
    if not bases:
        return Check("unverifiable", f"no prices for {claim.ticker} (import them with "
                     "`extractor prices import`)", tolerance=tol, accept_low=lo, accept_high=hi,
                     forecast=forecast)
    if claim.intraday in (SESSION, EXTREME) and not forecast:
        return _check_intraday(claim, market, bases, lo, hi, tol)
    evaluations: list[Evaluation] = []
    plan = readings(claim)
    for series, basis, _ in bases:
        for rd in plan:
            evaluations.extend(_measure(series, basis, claim, lo, hi, rd) or [])
    common = {"tolerance": tol, "accept_low": lo, "accept_high": hi, "forecast": forecast,
              "evaluations": evaluations}
    if not evaluations:
        return Check("unverifiable", f"prices do not cover the window {claim.window_start} .. "
                     f"{claim.window_end} ({_describe_coverage(bases)})", **common)
    order = {(s.symbol, b): k for k, (s, b, _) in enumerate(bases)}
    notes = {rd.note: k for k, rd in enumerate(plan)}
    ranked = sorted(evaluations, key=lambda e: (notes.get(e.reading, 0), abs(e.sessions_early),
                                                order[(e.symbol, e.basis)]))
    hit = next((e for e in ranked if e.agrees), None)
    stated = [e for e in ranked if e.reading is None and e.sessions_early == 0] or ranked
    if hit is not None:
        chosen, verdict = hit, "confirmed"
    else:  # the window as stated, on the basis nearest the claim
        chosen = min(stated, key=lambda e: _distance(e.actual, lo, hi))
        verdict = "contradicted" if _sure(claim) else "unverifiable"
    reason = _return_reason(claim, verdict, chosen, ranked, bases, lo, hi)
    return Check(verdict, reason, basis=chosen.basis, symbol=chosen.symbol, start_date=chosen.start,
                 end_date=chosen.end, sessions_early=chosen.sessions_early,
                 start_price=chosen.start_price, end_price=chosen.end_price,
                 actual=chosen.actual, provider=_provider(market, chosen.symbol),
                 move_pct=_move(ranked, claim.ticker),
                 reading=_reading(chosen, claim, bases) if verdict == "confirmed" else None, **common)


def _check_intraday(claim: Claim, market: Market, bases: list[tuple[Series, str, str | None]],
                    lo: float, hi: float, tol: float) -> Check:
    """A figure from inside a session ("in early trading", "as much as 19% at the open")
    against that session's range: consistent when the range reaches what it claims."""
    evaluations = []
    for series, basis, _ in bases:
        if basis == "price" or series.symbol != claim.ticker:  # own series, or a proxy's prices
            e = _measure_intraday(series, claim, lo, hi)
            if e is not None:
                evaluations.append(e)
    common = {"tolerance": tol, "accept_low": lo, "accept_high": hi, "evaluations": evaluations}
    if not evaluations:
        return Check("unverifiable", f"intraday: {_claimed(claim, lo, hi)} is from inside the session "
                     f"of {claim.window_end}, and the prices hold no high and low for that day", **common)
    hit = next((e for e in evaluations if e.agrees), None)
    chosen = hit or min(evaluations, key=lambda e: _distance(e.actual, lo, hi))
    verdict = "confirmed" if hit else ("contradicted" if _sure(claim) else "unverifiable")
    what = f"{chosen.symbol} {chosen.reading} from the {chosen.start} close"
    if verdict == "confirmed":
        reason = f"{_claimed(claim, lo, hi)}: intraday, {what} reaches it"
    elif verdict == "contradicted":
        reason = f"{_claimed(claim, lo, hi)}: intraday, {what} never reaches it"
    else:
        reason = (f"window uncertain ({_borrowed_text(claim)}): {_claimed(claim, lo, hi)}: "
                  f"intraday, {what} does not reach it")
    return Check(verdict, reason, basis="intraday_range", symbol=chosen.symbol, start_date=chosen.start,
                 end_date=chosen.end, sessions_early=0, start_price=chosen.start_price,
                 actual=chosen.actual, provider=_provider(market, chosen.symbol),
                 reading="intraday range" if verdict == "confirmed" else None, **common)


def _reading(e: Evaluation, claim: Claim, bases: list[tuple[Series, str, str | None]]) -> str:
    """``exact`` when the stated window, end, series and price basis agree; else what the
    agreeing reading changed, so a reviewer can tell a lenient confirmation."""
    parts = []
    if e.reading:
        parts.append(e.reading)
    if e.sessions_early > 0:
        parts.append(f"{e.sessions_early} session{'s' if e.sessions_early > 1 else ''} before the window's end")
    proxied = next((ix for s, b, ix in bases if s.symbol == e.symbol and b == e.basis and ix), None)
    if proxied:
        parts.append(f"through {e.symbol}, a fund tracking {proxied}")
    if e.basis == "total_return":
        parts.append("total return")
    if claim.window_source not in (None, *WINDOW_SURE):
        parts.append(f"window borrowed from the {claim.window_source}")
    return "; ".join(parts) or "exact"


def _distance(x: float, lo: float, hi: float) -> float:
    return 0.0 if lo <= x <= hi else min(abs(x - lo), abs(x - hi))


def _move(evaluations: list[Evaluation], ticker: str) -> float | None:
    """The ticker's own price move over the stated window (for the stance flag)."""
    for e in evaluations:
        if e.sessions_early == 0 and e.basis == "price" and e.symbol == ticker and e.reading is None:
            return e.actual
    for e in evaluations:
        if e.sessions_early == 0 and e.reading is None:
            return e.actual
    return None


def _provider(market: Market, symbol: str) -> str | None:
    s = market.series(symbol)
    return ",".join(s.providers) if s is not None and s.providers else None


def _bound_text(lo: float, hi: float) -> str:
    if math.isinf(hi):
        return f"{_fmt_pct(lo)} or more"
    if math.isinf(lo):
        return f"{_fmt_pct(hi)} or less"
    return f"{_fmt_pct(lo)} .. {_fmt_pct(hi)}"


def _label(e: Evaluation, bases: list[tuple[Series, str, str | None]]) -> str:
    proxied = next((ix for s, b, ix in bases if s.symbol == e.symbol and b == e.basis and ix), None)
    what = "price return" if e.basis == "price" else "total return"
    via = f" (proxy for {proxied})" if proxied else ""
    how = f" {e.reading}" if e.reading else ""
    return f"{e.symbol}{via} {what}{how} {_fmt_pct(e.actual)} to {e.end}"


def _move_word(claim: Claim) -> str:
    """The word the article used for the move ("slumped", "higher by"), else up/down."""
    evidence = claim.evidence or ""
    down = claim.value_pct is not None and claim.value_pct < 0
    found = [m for kind in (("return_down",) if down else ("return_up",)) for m in cue_re(kind).finditer(evidence)]
    if found:
        return min(found, key=lambda m: m.start()).group(0).lower()
    return "down" if down else "up"


def _claimed(claim: Claim, lo: float, hi: float) -> str:
    """What the article claimed, as a person writes it: "claimed down more than 1.6%
    over past week (2019-05-01 .. 2019-05-08), accepts -1.50% or less"."""
    v, high = claim.value_pct or 0.0, claim.value_pct_high
    what = "forecast" if claim.kind == "forecast" else "claimed"
    qual = f"{claim.qualifier} " if claim.qualifier else ""
    size = f"{abs(v):g}%" + (f" to {abs(high):g}%" if high is not None else "")
    return (f"{what} {_move_word(claim)} {qual}{size} over {_window_text(claim)}, "
            f"accepts {_bound_text(lo, hi)}")


def _borrowed_text(claim: Claim) -> str:
    where = {"paragraph": "another sentence of its paragraph", "article": "the article's framing period"}
    return f"its window comes from {where.get(claim.window_source or '', claim.window_source or 'elsewhere')}"


def _return_reason(claim: Claim, verdict: str, chosen: Evaluation, ranked: list[Evaluation],
                   bases: list[tuple[Series, str, str | None]], lo: float, hi: float) -> str:
    claimed = _claimed(claim, lo, hi)
    same_end = [e for e in ranked if e.sessions_early == chosen.sessions_early and e is not chosen
                and e.reading == chosen.reading]
    others = "; ".join(_label(e, bases) for e in same_end)
    if verdict == "confirmed":
        when = ("at the window's end" if chosen.sessions_early == 0 else
                f"{abs(chosen.sessions_early)} session{'s' if abs(chosen.sessions_early) > 1 else ''} "
                + ("before" if chosen.sessions_early > 0 else "after") + " the window's end")
        text = f"{claimed}: {_label(chosen, bases)}, {when}, agrees"
    elif verdict == "contradicted":
        text = (f"{claimed}: {_label(chosen, bases)}; nothing agrees at the window's end, up to "
                f"{EARLY_SESSIONS} sessions before it, or on any other reading of the window")
    else:
        text = (f"window uncertain ({_borrowed_text(claim)}): {claimed}: nearest reading "
                f"{_label(chosen, bases)}; nothing agrees")
    return text + (f"; also {others}" if others else "")


# --------------------------------------------------------------------------- flows

_PER = {"daily_avg": 1, "weekly_avg": 5, "monthly_avg": 21}  # sessions per averaged unit


def _periods(claim: Claim, sessions: int) -> float:
    """How many times an averaged flow ("$4 million a day") adds up over ``sessions``."""
    per = _PER.get(claim.aggregation or "total")
    return sessions / per if per else 1.0


def check_flow(claim: Claim, market: Market, today: date) -> Check:
    """The verdict on one flow claim, with the dollar-volume plausibility figures."""
    early = _unverifiable_window(claim, today)
    if early is not None:
        return early
    if claim.amount_usd is None or claim.amount_usd <= 0:
        return Check("unverifiable", "the claim has no amount")
    sign = -1.0 if claim.direction == "outflow" else 1.0
    series = market.series(claim.ticker)
    dollar_volume = multiple = move = None
    if series is not None:
        i0 = _row_at(series, "price", claim.window_start)
        i1 = _row_at(series, "price", claim.window_end)
        if i0 is not None and i1 is not None and i1 > i0:
            dollar_volume = float(series.dollar_cum[i1] - series.dollar_cum[i0])
            with np.errstate(all="ignore"):
                move = float(series.price[i1] / series.price[i0] - 1) * 100
            move = round(move, 4) if math.isfinite(move) else None
            total = claim.amount_usd * _periods(claim, sessions_between(claim.window_start,
                                                                        claim.window_end))
            if dollar_volume > 0 and math.isfinite(dollar_volume):
                multiple = total / dollar_volume
            else:
                dollar_volume = None
    plaus = {"dollar_volume": dollar_volume, "flow_multiple": multiple, "move_pct": move,
             "provider": _provider(market, claim.ticker) if series is not None else None}
    flows = market.flows(claim.ticker)
    measured = _measure_flow(claim, flows, series, sign) if flows is not None else None
    if not measured:
        if flows is not None:
            why = f"the flows data for {claim.ticker} does not cover {claim.window_start} .. {claim.window_end}"
        else:
            why = f"no fund-flow data for {claim.ticker} (import a date,net_flow or date,shares_outstanding CSV)"
        if multiple is not None:
            why += (f"; the claim is {multiple:.2f}x the {_fmt_usd(dollar_volume)} traded in the window"
                    + (" - far above what traded, suspect" if multiple > SUSPECT_MULTIPLE else ""))
        elif series is None:
            why += f"; no prices for {claim.ticker} to size it against"
        else:
            why += "; prices do not cover the window to size it against"
        return Check("unverifiable", why, **plaus)
    hit = next((m for m in measured if m[0].agrees), None)
    chosen_m = hit or min((m for m in measured if m[0].sessions_early == 0),
                          key=lambda m: _distance(m[0].actual, m[1], m[2]), default=measured[0])
    chosen, lo, hi, tol = chosen_m
    verdict = "confirmed" if hit else ("contradicted" if _sure(claim) else "unverifiable")
    avg = {"daily_avg": " a day", "weekly_avg": " a week", "monthly_avg": " a month"}.get(
        claim.aggregation or "total", "")
    reason = (f"claimed {claim.qualifier + ' ' if claim.qualifier else ''}{claim.direction}s of "
              f"{_fmt_usd(claim.amount_usd)}{avg} (over the window, accepts {_fmt_usd(lo)} .. "
              f"{_fmt_usd(hi)}): {chosen.basis.replace('_', ' ')} gives "
              f"{_fmt_usd(chosen.actual)} to {chosen.end}"
              + (f", {chosen.sessions_early} sessions early" if chosen.sessions_early else "")
              + (", agrees" if hit else "; nothing agrees"))
    if verdict == "unverifiable":
        reason = f"window uncertain ({_borrowed_text(claim)}): {reason}"
    return Check(verdict, reason, basis=chosen.basis, symbol=claim.ticker, start_date=chosen.start,
                 end_date=chosen.end, sessions_early=chosen.sessions_early, actual=chosen.actual,
                 accept_low=lo, accept_high=hi, tolerance=tol,
                 evaluations=[m[0] for m in measured], **plaus)


def _measure_flow(claim: Claim, flows: Any, series: Series | None, sign: float
                  ) -> list[tuple[Evaluation, float, float, float]] | None:
    """Net flow over the window from a flows file, summed ``net_flow`` or the change in
    shares outstanding valued at each day's close, to the window's end and up to
    EARLY_SESSIONS rows before it; each with the interval the claim accepts there."""
    days = flows.days
    s_ord, e_ord = claim.window_start.toordinal(), claim.window_end.toordinal()
    if days[0] > s_ord or days[-1] < e_ord:
        return None
    i0 = int(np.searchsorted(days, s_ord, side="right")) - 1
    i1 = int(np.searchsorted(days, e_ord, side="right")) - 1
    written_tol = flow_tolerance(claim.amount_usd, claim.evidence)  # of the amount as written
    out = []
    for n in range(EARLY_SESSIONS + 1):
        i = i1 - n
        if i <= i0:
            break
        start_day, end_day = (date.fromordinal(int(days[k])) for k in (i0, i))
        times = _periods(claim, sessions_between(start_day, end_day))
        lo, hi = acceptance(sign * claim.amount_usd * times, None, claim.qualifier, written_tol * times)
        net = flows.net_flow[i0 + 1:i + 1]
        if not np.isnan(net).any():
            actual, basis = float(net.sum()), "net_flow"
        elif series is not None and not np.isnan(flows.shares[i0:i + 1]).any():
            actual, basis = _shares_flow(flows, series, i0, i), "shares_outstanding"
            if actual is None:
                continue
        else:
            continue
        if not math.isfinite(actual):
            continue
        out.append((Evaluation(claim.ticker, basis, start_day.isoformat(), end_day.isoformat(), n,
                               None, None, round(float(actual), 2), bool(lo <= actual <= hi)),
                    lo, hi, written_tol * times))
    return out or None


def _shares_flow(flows: Any, series: Series, i0: int, i1: int) -> float | None:
    total = 0.0
    for j in range(i0 + 1, i1 + 1):
        k = int(np.searchsorted(series.days, flows.days[j], side="right")) - 1
        if k < 0 or math.isnan(series.close[k]):
            return None
        total += (flows.shares[j] - flows.shares[j - 1]) * series.close[k]
    return total


# --------------------------------------------------------------------------- the database

_WINDOW_SQL = "x.window_label, x.window_source, x.window_intraday, a.published, x.status"
_CLAIM_SQL = {
    "returns": ("SELECT x.id, x.article_id, x.ticker, x.window_start, x.window_end, x.evidence, x.qualifier, "
                f"x.value_pct, x.value_pct_high, x.kind, {_WINDOW_SQL} FROM live_returns x "
                "LEFT JOIN articles a ON a.id = x.article_id WHERE 1"),
    "flows": ("SELECT x.id, x.article_id, x.ticker, x.window_start, x.window_end, x.evidence, x.qualifier, "
              f"x.direction, x.amount_usd, x.aggregation, {_WINDOW_SQL} FROM live_flows x "
              "LEFT JOIN articles a ON a.id = x.article_id WHERE 1"),
}


def _text(v: Any) -> str | None:
    return str(v).strip() or None if v is not None else None


def stored_claims(db: Database, page: int = 2000, *, table: str | None = None) -> Iterator[Claim]:
    """The flows and returns (or those of ``table``) not rejected by a reviewer, as stored
    (corrections applied), read ``page`` rows at a time in id order: memory stays flat
    however many claims are stored, and no read cursor is open while the caller writes
    between pages."""
    from .kinds.base import paged

    for name in ((table,) if table else ("returns", "flows")):
        for r in paged(db, _CLAIM_SQL[name], page):
            if name == "returns":
                yield Claim("returns", r[0], r[1], _text(r[2]), iso_day(r[3]), iso_day(r[4]),
                            str(r[5] or ""), _text(r[6]), value_pct=finite(r[7]),
                            value_pct_high=finite(r[8]), kind=r[9] or "realized", **_window_fields(r[10:]))
            else:
                yield Claim("flows", r[0], r[1], _text(r[2]), iso_day(r[3]), iso_day(r[4]),
                            str(r[5] or ""), _text(r[6]), direction=r[7], amount_usd=finite(r[8]),
                            aggregation=r[9] or "total", **_window_fields(r[10:]))


def _window_fields(r: tuple) -> dict[str, Any]:
    """The window's label, source (a row stored before sources were kept has none: a
    reviewer's decision vouches for its window, a machine row's is unknown), intraday
    kind and the article's day."""
    source = _text(r[1])
    if source is None and r[4] in ("accepted", "edited", "added"):
        source = "reviewer"
    intraday = int(r[2]) if isinstance(r[2], (int, float)) and r[2] in (0, 1, 2) else 0
    return {"window_label": _text(r[0]), "window_source": source, "intraday": intraday,
            "published": iso_day(r[3])}


def _stances(db: Database) -> dict[tuple[str, str], str]:
    """(article, ticker) -> bullish | bearish, as the sentiment table (with corrections) says."""
    return {(a, t): label for a, t, label in db.execute(
        "SELECT article_id, ticker, label FROM live_sentiment WHERE label IN ('bullish', 'bearish')")}


def stance_disagrees(stance: str | None, move: float | None) -> bool:
    """The article leans one way, the market moved the other way by SENTIMENT_MOVE or more."""
    if stance is None or move is None:
        return False
    return (stance == "bullish" and move <= -SENTIMENT_MOVE) or (stance == "bearish" and move >= SENTIMENT_MOVE)


@dataclass
class CheckSummary:
    checked: Counter = field(default_factory=Counter)  # verdict -> count
    by_table: Counter = field(default_factory=Counter)  # (table, verdict) -> count
    skipped: int = 0  # already checked, nothing it depends on changed
    disagreements: int = 0
    removed: int = 0  # verdicts of claims no longer there (or rejected)
    errors: list[str] = field(default_factory=list)  # "returns 12: problem", one line each


def _check_row(claim: Claim, check: Check, stance: str | None, fingerprint: str, now: str
               ) -> dict[str, Any]:
    row = {k: v for k, v in asdict(check).items() if k not in ("evaluations", "move_pct")}
    for k in ("accept_low", "accept_high", "actual", "tolerance"):  # SQLite/JSON have no infinity
        if row[k] is not None and not math.isfinite(row[k]):
            row[k] = None
    row.update(fact_table=claim.table, fact_id=claim.id, forecast=int(check.forecast),
               sentiment=stance, sentiment_disagrees=int(stance_disagrees(stance, check.move_pct)),
               evaluations=json.dumps([asdict(e) for e in check.evaluations]),
               claim_hash=fingerprint, checked_at=now)
    return row


def _series_stamps(db: Database) -> dict[str, str]:
    """Per symbol, a digest of its prices, splits and flows: importing new data for a
    symbol makes the verdicts that read it stale."""
    stamps: dict[str, list[Any]] = {}
    for sql in ("SELECT symbol, count(*), max(date), total(close), total(adj_close), total(volume) "
                "FROM prices GROUP BY symbol",
                "SELECT symbol, count(*), max(date), total(split_ratio) FROM corporate_actions "
                "GROUP BY symbol",
                "SELECT symbol, count(*), max(date), total(shares_outstanding), total(net_flow_usd) "
                "FROM fund_flows GROUP BY symbol"):
        for sym, *figures in db.execute(sql):
            stamps.setdefault(sym, []).append(figures)
    return {k: json.dumps(v) for k, v in stamps.items()}


def _context(claim: Claim, market: Market, stamps: dict[str, str], stance: str | None,
             today: date) -> tuple[Any, ...]:
    symbols = (claim.ticker, *market.proxies(claim.ticker)) if claim.ticker else ()
    due = claim.window_end is not None and claim.window_end < today  # every kind's claim has one
    return (*(stamps.get(s) for s in symbols), stance, due)


def check_claims(db: Database, *, recheck: bool = False, today: date | None = None,
                 batch: int = 2000) -> CheckSummary:
    """``extractor check``: a verdict for every claim of a checked kind not checked yet, or whose
    claim, market data or stance changed since (or whose forecast fell due); all of them
    with ``recheck``. Rejected claims lose their verdict. Writes in transactions of
    ``batch`` checks; a claim that cannot be checked is reported and the rest go on."""
    today = today or date.today()
    market = Market(db)
    stances = _stances(db)
    stamps = _series_stamps(db)
    done = {(t, i): h for t, i, h in db.execute("SELECT fact_table, fact_id, claim_hash FROM checks")}
    summary = CheckSummary()
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    live: set[tuple[str, int]] = set()
    pending: list[dict[str, Any]] = []

    def flush() -> None:
        if pending:
            cols = list(pending[0])
            sql = (f"INSERT INTO checks ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                   "ON CONFLICT(fact_table, fact_id) DO UPDATE SET "
                   + ", ".join(f"{c} = excluded.{c}" for c in cols))
            _write(db, lambda: db.conn.executemany(sql, [[r[c] for c in cols] for r in pending]))
            pending.clear()

    from .kinds import all_kinds

    claims = ((kind, claim) for kind in all_kinds(checked=True) for claim in kind.claims(db, batch))
    for kind, claim in claims:  # a page at a time: flat memory, no cursor open over writes
        key = (claim.table, claim.id)
        live.add(key)
        stance = stances.get((claim.article_id, claim.ticker or ""))
        fingerprint = claim.fingerprint(*_context(claim, market, stamps, stance, today))
        if not recheck and done.get(key) == fingerprint:
            summary.skipped += 1
            continue
        try:
            check = kind.check(claim, market, today)
        except Exception as exc:  # one bad row must not stop the run; say which
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())
            summary.errors.append(f"{claim.table} {claim.id}: cannot be checked: {reason}")
            check = Check("unverifiable", f"cannot be checked: {reason}")
        row = _check_row(claim, check, stance, fingerprint, now)
        summary.checked[check.verdict] += 1
        summary.by_table[(claim.table, check.verdict)] += 1
        summary.disagreements += row["sentiment_disagrees"]
        pending.append(row)
        if len(pending) >= batch:
            flush()
    flush()
    gone = [k for k in done if k not in live]
    if gone:
        _write(db, lambda: db.conn.executemany(
            "DELETE FROM checks WHERE fact_table = ? AND fact_id = ?", gone))
        summary.removed = len(gone)
    return summary


def _write(db: Database, fn: Any) -> None:
    """One transaction; a locked or read-only database becomes one StoreError line."""
    from .store import db_path, store_error

    try:
        with db.conn:
            fn()
    except sqlite3.Error as exc:
        raise store_error(exc, db_path(db)) from None
