"""Targets: a forecast level set by a named firm or person ("raised its year-end target
for the S&P 500 to 3,100 from 2,900"), with its horizon, the prior target and the
implied move when written, and the person linked to their quote in the article.

Checked once the horizon has passed: a target is hit when the price reaches it on any
close from the day it was set to the horizon's last session (from below for a target
above the price then, from above for one below); missed otherwise, by how much at the
horizon. Prices are compared in the shares of the day it was set, so a split between
is no move. Before the horizon, or without one, it is unverifiable and says why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Iterator, Mapping

from . import register
from .base import (DATE, POSITIVE, SYMBOL, TEXT, Fingerprinted, Kind, KindInput, canon, day, iso, last_name, num,
                   paged)
from .base import finite
from .levels import UNITS, coverage, unit_of



@dataclass(frozen=True)
class Target:
    ticker: str
    value: float
    start: int
    end: int
    unit: str = "points"  # points (an index) | USD (a price)
    prior: float | None = None  # the target it replaced ("to 3,100 from 2,900")
    horizon: str | None = None  # as written: "year-end", "12-month"
    horizon_end: date | None = None  # the last day the forecast covers
    set_on: date | None = None  # the article's as-of close: the price the target is set against
    organization: str | None = None
    person: str | None = None
    implied_pct: float | None = None  # "implies 12% upside": 12.0
    direction: str | None = None  # raised | cut | set
    source: str = "rules"
    confidence: float = 1.0


@dataclass(frozen=True)
class TargetClaim(Fingerprinted):
    table: str
    id: int
    article_id: str
    ticker: str | None
    value: float | None
    window_end: date | None  # the horizon's end: the verdict is due after it
    set_on: date | None
    evidence: str = ""


_PRONOUN = re.compile(r"(?:^|[.!?\s])(?:She|He|she|he)\s+(?:also\s+|now\s+|still\s+)?$")


def setter(start: int, end: int, person: str | None, organization: str | None,
           quotes: Iterable[Any], text: str = "") -> tuple[str | None, str | None]:
    """The person and firm who set the target, filled from the article's quotes: the
    quote naming the same person; else one whose evidence lies in the target's span;
    else, after "She"/"He", the person quoted last before it; else the one person the
    article quotes from the firm that set it."""
    quotes = list(quotes)
    if person:
        for q in quotes:
            if last_name(q.speaker) == last_name(person):
                return q.speaker, organization or q.organization
        return person, organization
    for q in quotes:
        if q.start < end and start < q.end:
            return q.speaker, organization or q.organization
    before = [q for q in quotes if q.end <= start]
    if before and _PRONOUN.search(text[max(0, start - 12):start]):
        last = max(before, key=lambda q: q.start)
        return last.speaker, organization or last.organization
    if organization:
        firm = [q for q in quotes if q.organization and organization.casefold() in q.organization.casefold()]
        if len({q.speaker for q in firm}) == 1:
            return firm[0].speaker, organization
    return None, organization


@register
class Targets(Kind):
    name, table, title, record = "target", "targets", "Targets", Target
    checked = True
    days = ("set_on", "horizon_end")
    columns = f"""
    ticker TEXT,
    value REAL,                    -- the forecast level: index points or dollars
    unit TEXT CHECK (unit IN ({', '.join(repr(u) for u in UNITS)})),
    prior REAL,                    -- the target it replaced, when written
    horizon TEXT,                  -- as written: year-end, 12-month
    horizon_end TEXT,              -- ISO date: the last day the forecast covers
    set_on TEXT,                   -- ISO date: the close it was set against (the article's as-of)
    organization TEXT,
    person TEXT,                   -- quotes.speaker when the article quotes them
    implied_pct REAL,
    direction TEXT                 -- raised | cut | set
    """
    editable = {"ticker": SYMBOL, "value": POSITIVE, "unit": UNITS, "prior": POSITIVE, "horizon": TEXT,
                "horizon_end": DATE, "set_on": DATE, "organization": TEXT, "person": TEXT}
    required = ("ticker", "value")
    shown = ("ticker", "value", "unit", "prior", "horizon", "horizon_end", "organization", "person",
             "implied_pct")
    claim_columns = ("value", "unit", "prior", "horizon", "horizon_end", "set_on", "organization", "person")
    span_label = "ticker || ' target ' || coalesce(value, '') || coalesce(' by ' || horizon_end, '')"
    examples = {"Price targets, who set them, and whether they were hit": """
SELECT t.ticker, t.value AS target, t.prior, t.horizon, t.horizon_end, t.person, t.organization,
       q.title AS person_title, c.verdict, c.reading, c.reason, a.published
FROM live_targets t JOIN articles a ON a.id = t.article_id
LEFT JOIN live_quotes q ON q.article_id = t.article_id AND q.speaker = t.person
LEFT JOIN checks c ON c.fact_table = 'targets' AND c.fact_id = t.id
ORDER BY a.published DESC, t.ticker;"""}
    style = "background: #fde2c8;"

    def identity(self, row: Mapping[str, Any]) -> list[Any]:
        return [canon(row.get("ticker")), num(row.get("value"))]

    def values(self, t: Target) -> dict[str, Any]:
        return {"ticker": t.ticker, "value": t.value, "unit": t.unit, "prior": t.prior, "horizon": t.horizon,
                "horizon_end": iso(t.horizon_end), "set_on": iso(t.set_on), "organization": t.organization,
                "person": t.person, "implied_pct": t.implied_pct, "direction": t.direction}

    def from_json(self, d: Mapping[str, Any]) -> Target:
        return Target(**{**d, "horizon_end": day(d.get("horizon_end")), "set_on": day(d.get("set_on"))})

    def gold_row(self, r: Mapping[str, Any]) -> dict[str, Any]:
        return {"ticker": r["ticker"], "value": r["value"], "unit": r["unit"], "prior": r["prior"],
                "horizon": {"label": r["horizon"], "end": r["horizon_end"]} if r["horizon"] else None,
                "organization": r["organization"], "person": r["person"]}

    def describe(self, row: Mapping[str, Any]) -> str:
        return f"{row.get('ticker') or '?'} target {row.get('value')} by {row.get('horizon_end') or '?'}"

    def added(self, row: Mapping[str, Any], article: Mapping[str, Any]) -> dict[str, Any]:
        """A reviewer's target: its unit from the ticker, set against the article's as-of
        close (else its publication day)."""
        return {"unit": unit_of(row.get("ticker")), "set_on": article.get("asof") or article.get("published")}

    def claimed(self, row: Mapping[str, Any]) -> str:
        return (f"{row['value']:,g}" if row.get("value") is not None else "?") + \
            (f" by {row['horizon_end']}" if row.get("horizon_end") else "")

    def when(self, row: Mapping[str, Any]) -> str:
        who = row.get("person") or row.get("organization") or "someone the article does not name"
        return (f"Set by {who} against the close of {row.get('set_on') or '?'}; horizon "
                f"“{row.get('horizon') or '?'}” ending {row.get('horizon_end') or '?'}.")

    def extract(self, given: KindInput) -> Iterable[Target]:
        return self.distinct(self._read(given))

    def _read(self, given: KindInput) -> Iterator[Target]:
        from ..rules.targets import iter_targets

        anchor = given.article.anchor
        for h in iter_targets(given.doc, given.refs, given.article.body_start, anchor.published):
            person, organization = setter(h.start, h.end, h.person, h.organization, given.quotes, given.text)
            yield Target(h.ticker, h.value, h.start, h.end, unit=h.unit, prior=h.prior, horizon=h.horizon,
                         horizon_end=h.horizon_end, set_on=anchor.asof, organization=organization,
                         person=person, implied_pct=h.implied_pct, direction=h.direction)

    def claims(self, db: Any, page: int = 2000) -> Iterator[TargetClaim]:
        sql = ("SELECT x.id, x.article_id, x.ticker, x.value, x.horizon_end, x.set_on, x.evidence "
               "FROM live_targets x WHERE 1")
        for r in paged(db, sql, page):
            yield TargetClaim("targets", r[0], r[1], (str(r[2]).strip() or None) if r[2] else None,
                              finite(r[3]), day(r[4]), day(r[5]), str(r[6] or ""))

    def check(self, claim: TargetClaim, market: Any, today: date) -> Any:
        return check_target(claim, market, today)


def check_target(claim: TargetClaim, market: Any, today: date) -> Any:
    """Hit or missed once the horizon has passed (see the module's docstring)."""
    import numpy as np

    from ..crosscheck import Check
    from ..normalize.time import on_or_before

    def unverifiable(why: str) -> Any:
        return Check("unverifiable", why, symbol=claim.ticker, forecast=True)

    if claim.ticker is None or claim.value is None or claim.value <= 0:
        return unverifiable("the target has no ticker or no value (a price or a level above 0)")
    if claim.window_end is None:
        return unverifiable("no horizon: the article does not say by when (or has no date to count from)")
    if claim.window_end >= today:
        return unverifiable(f"its horizon ({claim.window_end}) has not passed")
    if claim.set_on is None:
        return unverifiable("no day it was set: the article has no date")
    series = market.series(claim.ticker)
    if series is None:
        return unverifiable(f"no prices for {claim.ticker} in the database (import them: extractor prices import FILE)")
    i0 = int(np.searchsorted(series.days, claim.set_on.toordinal(), side="right")) - 1
    i1 = int(np.searchsorted(series.days, claim.window_end.toordinal(), side="right")) - 1
    last = date.fromordinal(int(series.days[-1]))
    final = on_or_before(claim.window_end) or claim.window_end  # a horizon on a weekend ends the Friday before
    if i0 < 0 or i1 <= i0 or last < final:
        return unverifiable(f"the prices of {claim.ticker} cover {coverage(series)}, not {claim.set_on} .. "
                            f"{claim.window_end}")
    # closes in the shares of the day it was set (a split since is no move)
    closes = series.price[i0:i1 + 1] * (float(series.close[i0]) / float(series.price[i0]))
    if np.isnan(closes[0]) or np.isnan(closes[-1]):
        return unverifiable(f"the prices of {claim.ticker} have no close on {date.fromordinal(int(series.days[i0]))} "
                            f"or {date.fromordinal(int(series.days[i1]))}")
    start, target = float(closes[0]), claim.value
    up = target >= start
    with np.errstate(invalid="ignore"):  # a missing close reaches nothing
        reached = np.flatnonzero(closes[1:] >= target if up else closes[1:] <= target)
    end_close = float(closes[-1])
    horizon_day = date.fromordinal(int(series.days[i1]))
    word = "at or above" if up else "at or below"
    common = dict(basis="close", symbol=claim.ticker, start_date=date.fromordinal(int(series.days[i0])).isoformat(),
                  end_date=horizon_day.isoformat(), start_price=start, end_price=end_close, actual=end_close,
                  accept_low=target if up else None, accept_high=None if up else target, forecast=True,
                  provider=", ".join(series.providers) or None)
    if len(reached):
        k = int(reached[0]) + 1
        hit_day = date.fromordinal(int(series.days[i0 + k]))
        return Check("confirmed", f"hit: {claim.ticker} closed {word} {target:,g} on {hit_day} "
                     f"({float(closes[k]):,.2f}), before the horizon {claim.window_end}",
                     reading=f"hit on {hit_day}", **common)
    best = float(np.nanmax(closes[1:]) if up else np.nanmin(closes[1:]))
    short = (end_close / target - 1) * 100
    return Check("contradicted", f"missed: {claim.ticker} closed at {end_close:,.2f} on {horizon_day}, "
                 f"{short:+.1f}% from the target {target:,g} (set against {start:,.2f}); its "
                 f"{'highest' if up else 'lowest'} close before the horizon was {best:,.2f}",
                 reading=f"missed by {abs(short):.1f}%", **common)
