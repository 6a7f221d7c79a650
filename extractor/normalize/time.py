"""Resolve a time phrase to a window of NYSE closes: pure, table-tested, fast.

A window is two closes: ``start`` is the last NYSE close *before* the period and
``end`` the last close *inside* it, so ``end / start - 1`` is the return over the
period. Readers write relative phrases against the publication day, and an article is
written before that day's close, so "as-of" is the last session strictly before
``anchor.published``.

``rules.timex`` finds phrases and parses them into a ``kind`` plus ``args`` (anchor-free,
see the table in its docstring); this module turns those into dates. When only the
year (and maybe month) is known we resolve what needs no more than that (explicit
months, quarters, years, "week ended July 23", "since May 21"), give year-to-date a
start but no end, and leave phrases relative to the publication day as labels.

Sessions come from exchange_calendars (XNYS), built once; past the calendar's end
(about a year ahead) we fall back to Monday–Friday, so forecast windows still resolve.
All look-ups are ``numpy.searchsorted`` on one array of date ordinals.
"""
from __future__ import annotations

import calendar as _calendar
import warnings
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..schema import Anchor, Window

if TYPE_CHECKING:  # the finder imports spaCy; resolve() only needs it for bare strings
    from ..rules.timex import TimePhrase

# --------------------------------------------------------------------- vocabulary
FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
MONTHS: dict[str, int] = {m: i for i, m in enumerate(FULL_MONTHS, 1)}
MONTHS.update({m[:3]: i for i, m in enumerate(FULL_MONTHS, 1)} | {"sept": 9})
WEEKDAYS: dict[str, int] = {d: i for i, d in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_ONES = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90, "hundred": 100}
# "a couple" is 2 and "a few" 3 (how readers resolved them); "several" stays unresolved.
NUMBER_WORDS: dict[str, int | None] = {w: i for i, w in enumerate(_ONES, 1)} | _TENS | {
    "a": 1, "an": 1, "single": 1, "couple": 2, "few": 3, "several": None}
ORDINALS: dict[str, int] = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                            "fourth": 4, "4th": 4, "final": 4, "front": 1, "back": 2}
UNITS = ("session", "day", "week", "month", "quarter", "year")
CALENDAR_UNITS = ("week", "month", "quarter", "year")
_MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}
Dates = tuple[date | None, date | None]


def number(text: str | None) -> int | None:
    """'five' -> 5, '12' -> 12, 'a couple of' -> 2, 'twenty-five' -> 25, 'several' -> None."""
    if not text:
        return None
    words = [w for w in text.lower().replace("-", " ").split() if w not in ("a", "of")] or ["a"]
    if words[0].isdigit():
        return int(words[0])
    total = 0
    for w in words:
        if w not in NUMBER_WORDS or NUMBER_WORDS[w] is None:
            return None
        total += NUMBER_WORDS[w]  # type: ignore[operator]
    return total


def unit_of(text: str) -> str:
    """'trading days' -> 'session', 'Months' -> 'month'."""
    t = text.lower().split()
    if len(t) > 1:
        return "session"
    w = t[0].rstrip("s") if t else ""
    return w if w in UNITS else "day"


# --------------------------------------------------------------------- sessions
@lru_cache(maxsize=1)
def sessions_calendar():
    """The XNYS calendar, built once (from 1990; its end is about a year ahead)."""
    import exchange_calendars as xcals

    with warnings.catch_warnings():  # exchange_calendars 4.x trips pandas 3 deprecations
        warnings.simplefilter("ignore", DeprecationWarning)
        return xcals.get_calendar("XNYS", start="1990-01-01")


_ORDS: np.ndarray | None = None


def _ords() -> np.ndarray:
    """Session ordinals: the calendar's sessions, then weekdays for 30 more years."""
    global _ORDS
    if _ORDS is None:
        cal = sessions_calendar()
        ords = [d.toordinal() for d in cal.sessions.date]
        last = date.fromordinal(ords[-1])
        o, stop = ords[-1] + 1, date(last.year + 30, 12, 31).toordinal()
        while o <= stop:
            if date.fromordinal(o).weekday() < 5:
                ords.append(o)
            o += 1
        _ORDS = np.asarray(ords, dtype=np.int64)
    return _ORDS


def on_or_before(d: date | None) -> date | None:
    """The last session on or before ``d`` (None outside the known range)."""
    if d is None:
        return None
    s = _ords()
    o = d.toordinal()
    i = int(np.searchsorted(s, o, side="right")) - 1
    if i < 0 or o > s[-1]:
        return None
    return date.fromordinal(int(s[i]))


def before(d: date | None) -> date | None:
    """The last session strictly before ``d``."""
    return on_or_before(d - timedelta(days=1)) if d else None


def shift(d: date | None, n: int) -> date | None:
    """The session ``n`` sessions after (n > 0) or before (n < 0) the session on/before d."""
    if d is None:
        return None
    s = _ords()
    i = int(np.searchsorted(s, d.toordinal(), side="right")) - 1 + n
    return date.fromordinal(int(s[i])) if 0 <= i < len(s) and i - n >= 0 else None


def sessions_between(start: date, end: date) -> int:
    """Sessions after ``start`` up to and including ``end`` (a window's length)."""
    s = _ords()
    return max(0, int(np.searchsorted(s, end.toordinal(), side="right")
                      - np.searchsorted(s, start.toordinal(), side="right")))


def as_of(published: date | None) -> date | None:
    """The last close before the publication day: the default as-of."""
    return before(published)


def anchor_asof(anchor: Anchor) -> date | None:
    """The close the article's relative windows run through: what ``extractor.asof``
    read from the text (the publication day's close for a same-day wrap), else the
    session before publication."""
    return anchor.asof if anchor.asof is not None else as_of(anchor.published)


# --------------------------------------------------------------------- calendar math
def add_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m + 1, min(d.day, _calendar.monthrange(y, m + 1)[1]))


def _minus(d: date, n: int, unit: str) -> date:
    if unit in ("day", "session"):
        return d - timedelta(days=n)
    if unit == "week":
        return d - timedelta(days=7 * n)
    return add_months(d, -n * _MONTHS_IN[unit])


def _month_end(y: int, m: int) -> date:
    return date(y, m, _calendar.monthrange(y, m)[1])


def _period_bounds(unit: str, d: date, offset: int = 0) -> tuple[date, date]:
    """First and last calendar day of the week/month/quarter/half/year holding d, moved
    by ``offset`` periods."""
    if unit == "week":
        mon = d - timedelta(days=d.weekday()) + timedelta(days=7 * offset)
        return mon, mon + timedelta(days=6)
    size = _MONTHS_IN[unit]
    first = add_months(date(d.year, (d.month - 1) // size * size + 1, 1), offset * size)
    last = add_months(first, size - 1)
    return first, _month_end(last.year, last.month)


def _trail_start(end_day: date, end: date | None, n: int, unit: str) -> date | None:
    """Start of a trailing span ending at ``end_day``. Sessions, and fewer than a week of
    "days", count sessions ("previous four days"); longer spans are calendar spans
    ("past 30 days" is about a month), started at the last close on or before."""
    if unit == "session" or (unit == "day" and n < 7):
        return shift(end, -n)
    return on_or_before(_minus(end_day, n, unit))


def _anchor_month(anchor: Anchor) -> int | None:
    return anchor.published.month if anchor.published else anchor.month


def infer_year(month: int, day: int | None, year: int | None, anchor: Anchor, mode: str) -> int | None:
    """The year of a month (and day) written without one.

    mode "period" (a month, quarter or day named as a period): a month after the
    anchor's month is last year's. "past" (since X, week ended X): also a day later in
    the publication month. "future" (by X): a date already passed is next year's.
    """
    if year is not None:
        return year
    base = anchor.known_year
    if base is None:
        return None
    pub = anchor.published
    if mode == "future":
        last = day or _calendar.monthrange(base, month)[1]
        return base + 1 if pub and (month, last) < (pub.month, pub.day) else base
    if mode not in ("period", "past"):
        return base
    am = _anchor_month(anchor)
    if am is not None and month > am:
        return base - 1
    if mode == "past" and pub and month == pub.month and day and day > pub.day:
        return base - 1
    return base


def _safe(y: int | None, m: int, d: int) -> date | None:
    try:
        return date(y, m, d) if y else None
    except ValueError:
        return None


def _most_recent(wd: int, pub: date, *, strict: bool = False) -> date:
    back = (pub.weekday() - wd) % 7
    return pub - timedelta(days=back or (7 if strict else 0))


def point_bounds(pt: tuple, anchor: Anchor, mode: str) -> Dates:
    """First and last calendar day a reference point covers ("May 21", "October",
    "2009", "the third quarter", "Tuesday", "last year")."""
    kind, pub = pt[0], anchor.published
    if kind == "date":
        _, m, d, y = pt
        day = _safe(infer_year(m, d, y, anchor, mode), m, d)
        return day, day
    if kind == "weekday":
        if not pub:
            return None, None
        day = _most_recent(pt[1], pub, strict=mode == "past")
        return day, day
    if kind == "month":
        _, m, y = pt
        y = infer_year(m, None, y, anchor, "period" if mode == "past" else mode)
        return (date(y, m, 1), _month_end(y, m)) if y else (None, None)
    if kind == "lastmonth":  # "last October": the latest October before the anchor month
        y, am = anchor.known_year, _anchor_month(anchor)
        if y is None:
            return None, None
        y = y if am and pt[1] < am else y - 1
        return date(y, pt[1], 1), _month_end(y, pt[1])
    if kind == "year":
        return date(pt[1], 1, 1), date(pt[1], 12, 31)
    if kind in ("quarter", "half"):
        _, q, y = pt
        size = 3 if kind == "quarter" else 6
        y = infer_year((q - 1) * size + 1, None, y, anchor, "period")
        return _period_bounds(kind, date(y, (q - 1) * size + 1, 1)) if y else (None, None)
    if kind == "rel":  # this/last/next week|month|quarter|year
        _, unit, offset = pt
        if pub:
            return _period_bounds(unit, pub, offset)
        if unit == "year" and anchor.known_year:
            y = anchor.known_year + offset
            return date(y, 1, 1), date(y, 12, 31)
        if unit == "month" and anchor.year and anchor.month:
            return _period_bounds("month", date(anchor.year, anchor.month, 1), offset)
    return None, None


# --------------------------------------------------------------------- resolution
def _to_date(unit: str, anchor: Anchor, forecast: bool, year: int | None = None) -> Dates:
    """year-/month-/quarter-/week-to-date: from the last close before the period to
    as-of. With forecast=True the whole current period (the claim is about its end)."""
    pub = anchor.published or anchor.asof  # no publication day: the day the text dates its data
    if pub is None:
        if unit == "year" and (year or anchor.known_year):
            return before(date(year or anchor.known_year, 1, 1)), None
        if unit == "month" and anchor.year and anchor.month:
            return before(date(anchor.year, anchor.month, 1)), None
        return None, None
    ref = date(year, 12, 31) if year and year < pub.year else pub
    first, last = _period_bounds(unit, ref)
    start = before(first)
    if forecast:
        return start, on_or_before(last)
    asof = anchor_asof(anchor)
    end = on_or_before(min(last, asof)) if asof else None
    if end is None or start is None or end <= start:  # first session of the period
        end = on_or_before(pub)
    return start, (end if end and start and end > start else None)


def _period(first: date | None, last: date | None, anchor: Anchor, forecast: bool) -> Dates:
    """A whole period; one still running on the publication day ends at as-of (a
    reported figure can only cover it so far) unless the claim is a forecast."""
    if first is None or last is None:
        return None, None
    start, end = before(first), on_or_before(last)
    pub = anchor.published
    if pub and first <= pub <= last and not forecast:
        end = anchor_asof(anchor)
        end = end if end and start and end > start else None
    return start, end


def _session_day(day: date | None) -> Dates:
    """The one session ending on or before ``day``, from the close before it."""
    end = on_or_before(day)
    return shift(end, -1), end


def _opens_period(day: date) -> bool:
    """The first session of its month ("since January 4, the first trading day of the
    year" is year-to-date)."""
    return before(day) is not None and before(day).month != day.month


def _resolve(kind: str, args: tuple, anchor: Anchor, forecast: bool, since_close: bool = False) -> Dates:
    """Dispatch on the parse (see the table in rules.timex)."""
    pub = anchor.published or anchor.asof  # no publication day: the day the text dates its data
    asof = anchor_asof(anchor)
    if kind == "label":
        return None, None
    if kind in ("ytd", "mtd", "qtd", "wtd"):
        unit = {"ytd": "year", "mtd": "month", "qtd": "quarter", "wtd": "week"}[kind]
        return _to_date(unit, anchor, forecast, args[0] if args else None)
    if kind == "trail":
        n, unit = args
        return (_trail_start(asof, asof, n, unit), asof) if asof else (None, None)
    if kind == "fwd":
        n, unit = args
        if not asof:
            return None, None
        if unit == "session" or (unit == "day" and n < 7):
            return asof, shift(asof, n)
        return asof, on_or_before(_minus(asof, -n, unit))
    if kind in ("today", "yesterday", "tomorrow"):
        if not pub:
            return None, None
        if kind == "tomorrow":
            today = on_or_before(pub)
            return today, shift(today, 1)
        if kind == "today":  # the session the article is about (a Friday page of Thursday's)
            return _session_day(anchor.asof or pub)
        return _session_day(as_of(pub))
    if kind == "weekday":
        wd, rel = args
        if not pub:
            return None, None
        if rel == "last_week":
            day = pub - timedelta(days=pub.weekday() + 7 - wd)
        elif rel == "this_week":
            day = pub - timedelta(days=pub.weekday() - wd)
        else:
            day = _most_recent(wd, pub, strict=rel == "last")
        return _session_day(day)
    if kind in ("prev", "next"):
        off = -1 if kind == "prev" else 1
        first, last = point_bounds(("rel", args[0], off), anchor, "plain")
        return _period(first, last, anchor, forecast or kind == "next")
    if kind in ("month", "quarter", "half", "year", "lastmonth"):
        first, last = point_bounds((kind, *args), anchor, "period")
        return _period(first, last, anchor, forecast)
    if kind == "day":
        first, _ = point_bounds(("date", *args), anchor, "period")
        return _session_day(first) if first else (None, None)
    if kind == "rest":
        unit, year = args
        if year:
            last = date(year, 12, 31)
        elif pub:
            last = _period_bounds(unit, pub)[1]
        elif unit == "year" and anchor.known_year:
            last = date(anchor.known_year, 12, 31)
        else:
            return None, None
        return asof, on_or_before(last)
    if kind == "horizon":
        pt, roll = args
        _, last = point_bounds(pt, anchor, "future" if roll else "plain")
        end = on_or_before(last)
        return (asof if asof and end and end > asof else None), end
    if kind == "asof":
        _, last = point_bounds(args[0], anchor, "past")
        return None, on_or_before(last)
    if kind == "since":
        pt, after = args
        first, last = point_bounds(pt, anchor, "past")
        if since_close and pt[0] == "date" and first and on_or_before(first) == first \
                and not _opens_period(first):
            after = True  # "up 18 percent since April 29": from that day's close
        start = on_or_before(last) if after else before(first)
        end = asof if asof and start and asof > start else None
        return start, end
    if kind == "range":
        a, b = args[:2]
        from_close = len(args) > 2 and args[2]
        if a[0] == "weekday":  # "from Friday through Tuesday": the latest such span
            if not pub:
                return None, None
            last = _most_recent(b[1], pub)
            first = last - timedelta(days=(last.weekday() - a[1]) % 7 or 7)
            start, end = before(first), on_or_before(last)
            return (start, end) if start and end and end > start else (None, None)
        _, last = point_bounds(b, anchor, "past")
        if last and a[0] in ("date", "month") and a[-1] is None:  # the year of the later end
            a = (*a[:-1], last.year if a[1] <= last.month else last.year - 1)
        first, _ = point_bounds(a, anchor, "past")
        return (on_or_before(first) if from_close and first else before(first)), on_or_before(last)
    if kind == "span":  # a chart's "3/30/12 - 4/10/12": from the first day's close to the last's
        a, b = args
        try:
            start, end = on_or_before(date(a[3], a[1], a[2])), on_or_before(date(b[3], b[1], b[2]))
        except ValueError:
            return None, None
        return (start, end) if start and end and end > start else (None, None)
    if kind == "through":
        dur, pt = args
        _, last = point_bounds(pt, anchor, "past")
        if last is None:
            return None, None
        end = on_or_before(last)
        if dur[0] == "trail":
            return _trail_start(last, end, dur[1], dur[2]), end
        if dur[0] in ("ytd", "mtd", "qtd"):
            unit = {"ytd": "year", "mtd": "month", "qtd": "quarter"}[dur[0]]
            return before(_period_bounds(unit, last)[0]), end
        return None, end
    return None, None


@lru_cache(maxsize=65536)
def _resolve_cached(kind: str, args: tuple, label: str, anchor: Anchor,
                    forecast: bool, since_close: bool = False) -> tuple[str, date | None, date | None]:
    start, end = _resolve(kind, args, anchor, forecast, since_close)
    if kind == "through" and len(args) == 2 and label.startswith("week ended ") and end:
        _, last = point_bounds(args[1], anchor, "past")
        if args[1][0] == "date" and last:
            label = f"week ended {last.isoformat()}"
    return label, start, end


@lru_cache(maxsize=4096)
def _parse(text: str) -> TimePhrase:
    """The longest time phrase in ``text``, or the whole text as a bare label."""
    from ..rules.timex import TimePhrase, clean_label, find_time_phrases

    found = find_time_phrases(text)
    if found:
        return max(found, key=lambda p: p.end - p.start)
    return TimePhrase(0, len(text), text, clean_label(text))


def resolve(phrase: str | TimePhrase, anchor: Anchor | None = None, *, forecast: bool = False,
            since_close: bool = False) -> Window:
    """The window a time phrase denotes, given when the article was written.

    ``phrase`` is a TimePhrase from ``rules.timex.find_time_phrases`` (its span is
    copied to the Window) or a string (its longest time phrase is used). The label is
    always set; dates only where the anchor allows. ``forecast=True`` reads periods
    still running on the publication day ("this year", "in 2015") as whole periods,
    for forecasts, instead of up to as-of. ``since_close=True`` starts "since April 29"
    at that day's close (how a price move since a day is measured) instead of the close
    before it (a flow since a day counts that day's money).
    """
    tp = _parse(phrase) if isinstance(phrase, str) else phrase
    kind, args = tp.kind, tp.args
    if kind == "label" and not isinstance(phrase, str):  # a TimePhrase built by hand
        kind, args = (parsed := _parse(tp.text)).kind, parsed.args
    anchor = anchor or Anchor()
    label, start, end = _resolve_cached(kind, args, tp.label, anchor, forecast, since_close)
    if isinstance(phrase, str):
        return Window(label=label, start=start, end=end)
    return Window(label=label, start=start, end=end, phrase_start=tp.start, phrase_end=tp.end)
