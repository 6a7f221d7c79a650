"""Find time expressions ("year-to-date", "the week ended May 24th", "since its May 21
high") in article text and parse each into an anchor-free description.

Regexes, not spaCy's Matcher: the phrases hinge on characters inside tokens ("Sept.",
"24th", "Friday’s", "12-month"), and ``normalize.time.resolve`` parses bare strings
with the same rules. The constructions are data (patterns/time_phrases.jsonl), each
with a handler here that labels and parses a match; overlapping matches are settled
longest first, so "in the week ended May 24" beats "May 24". Labels are lower case in
the text's words, normalised as readers do ("over the past month" -> "past month",
"YTD" -> "year-to-date", "May 24th" -> "may 24").

``TimePhrase.kind``/``args``, what ``resolve`` consumes; a point is ("date", m, d, y),
("month", m, y), ("year", y), ("quarter", q, y), ("weekday", wd), ("rel", unit, offset)
or ("lastmonth", m), with y None when the text gives none:
    ytd/mtd/qtd/wtd (y,) | trail/fwd (n, unit) | prev/next (unit,) | today | yesterday
    tomorrow | weekday (wd, rel) | month/quarter/half (n, y) | year (y,) | day (m, d, y)
    rest (unit, y) | horizon (point, roll_forward) | asof (point,) | since (point, after)
    range (point, point) | span (date, date) | through (duration, point) | label () = label only.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ExtractorError
from ..normalize.time import (FULL_MONTHS, MONTHS, NUMBER_WORDS, ORDINALS, WEEKDAYS, number,
                              unit_of)
from . import extensions


@dataclass(frozen=True)
class TimePhrase:
    """One time expression: its char span, the text as written, a normalised label.
    ``anaphoric`` phrases ("that month", "over the same period") refer back to an
    earlier window; when they also read on their own ("for the month" = month-to-date)
    ``kind``/``args`` hold that reading as the caller's fallback."""

    start: int
    end: int
    text: str
    label: str
    anaphoric: bool = False
    kind: str = "label"
    args: tuple = ()


# --------------------------------------------------------------------- vocabulary
def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_ABBR = [m[:3] for m in FULL_MONTHS if m != "may"] + ["sept"]
MON = rf"(?:{_alt(FULL_MONTHS)}|(?:{_alt(_ABBR)})\.?)(?![a-z])"
WD = rf"(?:{_alt(WEEKDAYS)})(?![a-z])"
YEAR = r"(?<![\d$€£.,/])(?:19\d\d|20[0-4]\d)(?![\d%]|[.,]\d|s\b|-\d|/\d)"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%:]|[.,]\d)"
_WORDNUM = [w for w, v in NUMBER_WORDS.items() if v and w not in ("a", "an", "single", "couple", "few")]
_TENS = _alt(["twenty", "thirty", "forty", "fifty"])
NUM = rf"(?:\d{{1,3}}(?![\d,.])|(?:{_TENS})-(?:{_alt(_WORDNUM[:9])})|{_alt(_WORDNUM)})"
QTY = rf"(?:an?\s+couple\s+of|an?\s+couple|couple\s+of|couple|a\s+few|few|several|a\s+single|single|{NUM}|an?)"
UNIT = r"(?:(?:trading|business|market)\s+(?:sessions?|days?)|sessions?|days?|weeks?|months?|quarters?|years?)"
ORD = rf"(?:{_alt(k for k in ORDINALS if k not in ('front', 'back'))})"
LAUNCH = ("launch", "inception", "debut", "ipo", "listing")
_QUARTER = rf"(?:the\s+)?{ORD}[\s-]+quarter(?:\s+of\s+{YEAR})?|q[1-4](?:\s+{YEAR})?"
POINT_DATE = (rf"(?:{WD},?\s+)?(?:{MON}\s+{DAY}(?:,?\s+{YEAR})?|{DAY}\s+(?:of\s+)?{MON}(?:,?\s+{YEAR})?"
              r"|(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])/(?:19|20)\d\d(?!\d))")
# a slashed date with a two-digit year ("3/30/12"): only inside a span of two ("3/30/12 - 4/10/12")
SLASHED = r"(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])/(?:(?:19|20)\d\d|\d\d)(?![\d/])"
POINT = rf"(?:{POINT_DATE}|{MON}(?:,?\s+{YEAR})?|{WD}|{YEAR}|{_QUARTER})"
_P = re.compile(  # parses one POINT (anchored)
    rf"(?:(?P<wd>{WD}),?\s*)?(?:(?P<m1>{MON})\s+(?P<d1>\d{{1,2}})(?!\d)\w*,?\s*(?P<y1>{YEAR})?"
    rf"|(?P<d2>\d{{1,2}})\w*\s+(?:of\s+)?(?P<m2>{MON}),?\s*(?P<y2>{YEAR})?"
    rf"|(?P<nm>\d+)/(?P<nd>\d+)/(?P<ny>\d+)|(?P<m3>{MON}),?\s*(?P<y3>{YEAR})?"
    rf"|(?P<y4>{YEAR})|(?:the\s+)?(?P<qo>{ORD})[\s-]+quarter(?:\s+of\s+(?P<y5>{YEAR}))?"
    rf"|Q(?P<qn>[1-4])(?:\s+(?P<y6>{YEAR}))?)?$", re.I)
_WD_ONLY = re.compile(rf"^{WD}(?:'s|’s)?$", re.I)
_PRE = r"(?:(?:over|in|during|for|within|throughout|across|from|of)\s+)?"
_LEAD = re.compile(r"^(?:(?:over|in|during|for|within|throughout|across|on|of|at|from)\s+)?(?:the\s+)?")
_ORDSUF = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")


def clean_label(text: str) -> str:
    """Lower case, one space, ordinals folded, no possessive or trailing punctuation."""
    s = text.replace("’", "'").replace("‘", "'").lower()
    s = re.sub(r"'s\b|'(?=\s|$)", "", s)
    s = _ORDSUF.sub(r"\1", " ".join(s.split()))
    return s.strip(" ,;:!?.'\"()")


def _lead(text: str) -> str:
    return _LEAD.sub("", clean_label(text))


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text.strip("'"))
    return y if y >= 100 else (2000 + y if y < 70 else 1900 + y)


def parse_point(text: str) -> tuple | None:
    """'Wednesday, May 8' -> ('date', 5, 8, None); 'October 2011' -> ('month', 10, 2011)."""
    t = " ".join(text.split())
    if _WD_ONLY.match(t):
        return ("weekday", WEEKDAYS[re.split(r"['’]", t)[0].lower()])
    m = _P.match(t)
    if not m or not m.group(0):
        return None
    g = m.groupdict()
    if g["m1"] or g["m2"] or g["nm"]:
        mon = MONTHS[(g["m1"] or g["m2"] or "").rstrip(".").lower()] if not g["nm"] else int(g["nm"])
        day = int(g["d1"] or g["d2"] or g["nd"])
        if not (1 <= mon <= 12 and 1 <= day <= 31):
            return None
        return ("date", mon, day, _year(g["y1"] or g["y2"] or g["ny"]))
    if g["m3"]:
        return ("month", MONTHS[g["m3"].rstrip(".").lower()], _year(g["y3"]))
    if g["y4"]:
        return ("year", int(g["y4"]))
    if g["qo"]:
        return ("quarter", ORDINALS[g["qo"].lower()], _year(g["y5"]))
    if g["qn"]:
        return ("quarter", int(g["qn"]), _year(g["y6"]))
    return None


def _point_label(text: str) -> str:
    """A point as a reader labels it: the weekday before a date dropped."""
    s = clean_label(text)
    return re.sub(rf"^(?:{_alt(WEEKDAYS)}),?\s+(?=\S+\s+\d|\d)", "", s)


def _unit_label(n_text: str | None, unit_text: str, joined_by_hyphen: bool) -> str:
    """'12-month' -> '12 months', 'one-year' -> 'one year'; spaced forms as written."""
    u = " ".join(unit_text.lower().split())
    if joined_by_hyphen:
        n = number(n_text)
        u = u.rstrip("s") + ("" if n == 1 else "s")
    return u


# --------------------------------------------------------------------- handlers
Result = tuple[str, str, tuple, bool] | None
_CAL = ("week", "month", "quarter", "year")
_DATE_KINDS = {"year": "ytd", "month": "mtd", "quarter": "qtd", "week": "wtd"}
_DATE_LABELS = {"year": "year-to-date", "month": "month-to-date", "quarter": "quarter-to-date",
                "week": "this week"}


def _h_trail(m: re.Match, text: str) -> Result:
    """'past month' trails as-of; bare 'last week' and 'the previous month' are the
    calendar period before (how readers took them); 'the last week' trails again."""
    w = " ".join(m["w"].split())
    unit = unit_of(m["u"])
    n_text = m["n"]
    hyphen = bool(n_text) and "-" in m.group(0)[m.start("n") - m.start():m.start("u") - m.start()]
    label = " ".join(x for x in (w, " ".join(n_text.split()) if n_text else "",
                                 _unit_label(n_text, m["u"], hyphen)) if x)
    calendar = w in ("previous", "prior", "preceding") or (w == "last" and not m["the"])
    if not n_text and unit in _CAL and calendar:
        return label, "prev", (unit,), False
    n = number(n_text) if n_text else 1
    return (label, "trail", (n, unit), False) if n else (label, "label", (), False)


def _h_todate(m: re.Match, text: str) -> Result:
    g = m.groupdict()
    if g.get("abbr") == "mtd" and text[max(0, m.start() - 1):m.start()] in "(:":
        return None  # Mettler-Toledo's symbol
    unit = next((g[k] for k in ("u1", "u2", "u3", "u4", "u5") if g.get(k)), "year")
    if g.get("abbr"):
        unit = {"y": "year", "m": "month", "q": "quarter"}[g["abbr"][0]]
    if g.get("y2"):  # "since the start of 2015": from then to as-of, however many years
        return _lead(m[0]), "since", (("year", int(g["y2"])), False), False
    year = int(g.get("y") or 0) or None
    # "for the month" after "September" means that month; alone, the month so far
    anaphoric = bool(g.get("u5")) and m.group(0).startswith("for")
    if unit in ("day", "session"):
        return "today", "today", (), anaphoric
    return _DATE_LABELS[unit], _DATE_KINDS[unit], (year,), anaphoric


def _h_periodic(m: re.Match, text: str) -> Result:
    """'a weekly loss', 'its third straight monthly gain': the calendar period the story
    is in, unless an earlier phrase named one ('in the week ended May 24, ... a weekly
    gain'), so it reads back like 'for the week'."""
    unit = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}[m["u"]]
    return _DATE_LABELS[unit], _DATE_KINDS[unit], (None,), True


def _h_this(m: re.Match, text: str) -> Result:
    w, unit = m["w"], m["u"]
    if w == "this":
        return _DATE_LABELS[unit], _DATE_KINDS[unit], (None,), False
    if w == "following":
        return f"following {unit}", "label", (), False
    return f"{w} {unit}", "next", (unit,), False


def _h_fwd(m: re.Match, text: str) -> Result:
    w, label = m["w"], _lead(m[0])
    n = number(m["n"]) if m["n"] else 1
    if w == "following" or not n:
        return label, "label", (), False
    return label, "fwd", (n, unit_of(m["u"])), False


def _h_today(m: re.Match, text: str) -> Result:
    s = clean_label(m.group(0))
    if m["oc"]:  # "at the close": of the session the text is about (else today's)
        return s, "today", (), True
    if m["pm"] and re.search(r"pre-?market", s):
        return _lead(s), "today", (), False  # the move from the last close, before the open
    if m["pm"] or s == "tonight":
        return _lead(s), "label", (), False
    if s == "intraday":
        return s, "today", (), False
    return "today", "today", (), False


_NOT_WEEKDAY = re.compile(r"(?:black|cyber|good|super|ash|easter|holy|fat|blue|giving|manic|bloody)\s+$", re.I)


def _h_weekday(m: re.Match, text: str) -> Result:
    if _NOT_WEEKDAY.search(text[max(0, m.start() - 10):m.start()]):
        return None
    pre, wd_name = " ".join((m["pre"] or "").split()), m["wd"]
    wd = WEEKDAYS[wd_name]
    if pre == "next":
        return f"next {wd_name}", "label", (), False
    rel = {"last": "last", "this past": "last", "past": "last"}.get(pre, "")
    if m["wk"]:
        rel = {"this": "this_week", "last": "last_week"}.get(m["wk"], "")
        if not rel:
            return f"{wd_name} of next week", "label", (), False
    return (f"{pre} {wd_name}" if rel == "last" else wd_name), "weekday", (wd, rel), False


def _dur(m: re.Match) -> tuple[str, tuple]:
    """The duration before "through/ended X": its label and parse."""
    d = _lead(m["dur"])
    for unit, kind in (("year", "ytd"), ("month", "mtd"), ("quarter", "qtd")):
        if re.search(rf"{unit}[\s-]+to[\s-]+date|this {unit}|^{kind}$", d):
            return _DATE_LABELS[unit], (kind,)
    mm = re.match(rf"^(?:(?:past|last|trailing|previous|prior)\s+)?(?P<n>{QTY})(?P<sep>[\s-]+)(?P<u>{UNIT})", d)
    if mm:
        n = number(mm["n"])
        lab = re.sub(r"\s+period$", "", d)
        if "-" in mm["sep"]:
            lab = d[:mm.start("n")] + mm["n"] + " " + _unit_label(mm["n"], mm["u"], True)
        return lab, (("trail", n, unit_of(mm["u"])) if n else ("period",))
    unit = d.split()[-1]
    if unit in _CAL:
        return unit, ("trail", 1, unit)
    return unit, ("period",)


def _h_through(m: re.Match, text: str) -> Result:
    link = {"ending": "ended", "thru": "through"}.get(m["link"], m["link"])
    pt = parse_point(m["pt"])
    if pt is None or (link == "to" and pt[0] == "year"):
        return None
    dlabel, dur = _dur(m)
    label = f"{dlabel} {link} {_point_label(m['pt'])}"
    return label, "through", (dur, pt), False


def _ref(text: str) -> tuple | None:
    low = " ".join(text.lower().split())
    r = re.match(r"^(this|last|next)\s+(week|month|quarter|year)$", low)
    if r:
        return ("rel", r[2], {"this": 0, "last": -1, "next": 1}[r[1]])
    r = re.match(r"^last\s+(\w+)$", low)
    if r and r[1].rstrip(".") in MONTHS:
        return ("lastmonth", MONTHS[r[1].rstrip(".")])
    if low in ("year-end", "year end"):
        return ("rel", "year", 0)
    return parse_point(text)


def _h_since(m: re.Match, text: str) -> Result:
    """'since July 22' starts the close before that day. A month-level extreme ('from
    its August low') stays a label: the day of the low, hence the start, is unknown."""
    g = m.groupdict()
    w = "since" if "since" in g["w"] else "from"  # "below its Aug. 29 record close": from then
    ext, se, ref_text = " ".join((g["ext"] or "").split()), g.get("se") or "", g["ref"]
    if w == "from" and not ext:
        return None
    label = " ".join(x for x in (w, f"{se} of" if se else "", _point_label(ref_text), ext) if x)
    low = " ".join(ref_text.split())
    if low in ("then", "that time", "that point"):
        return "since then", "label", (), True
    pt = _ref(ref_text)
    if pt is None or ext in LAUNCH or low.startswith(("mid", "early", "late")):
        return label, "label", (), False
    if pt[0] == "year" and g["art"] and not ext and not se:
        return label, "label", (), False  # "since the 2008 financial crisis"
    if ext and pt[0] in ("month", "year", "quarter", "lastmonth"):
        return label, "label", (), False  # "from its August low": the day of the low is unknown
    if pt[0] == "rel" and not se and pt[2] != 0:
        return label, "label", (), False  # "since last year": from when in it?
    return label, "since", (pt, se in ("end", "close")), False


def _h_range(m: re.Match, text: str) -> Result:
    a, b = parse_point(m["a"]), parse_point(m["b"])
    if not a or not b or (a[0] == "weekday") != (b[0] == "weekday"):
        return None
    if (m["w"] == "between") != (m["link"] == "and"):
        return None
    label = f"{m['w']} {_point_label(m['a'])} {m['link']} {_point_label(m['b'])}"
    # "from the close on June 23 to ...", "from their Aug. 15 close through Thursday": that
    # day's close is the start, not the close before it
    return label, "range", (a, b, bool(m.groupdict().get("ca") or m.groupdict().get("cb"))), False


def _h_span(m: re.Match, text: str) -> Result:
    """'3/30/12 - 4/10/12', '1/1/2019-3/18/2019': a chart's or a table's date range."""
    a, b = parse_point(m["a"]), parse_point(m["b"])
    if not a or not b or a[0] != "date" or b[0] != "date" or a[3] is None or b[3] is None:
        return None
    try:
        if date(a[3], a[1], a[2]) >= date(b[3], b[1], b[2]):
            return None  # "4/10/12 - 3/30/12": not a span
    except ValueError:
        return None  # "2/30/12": no such day
    return f"{m['a']} - {m['b']}", "span", (a, b), False


def _h_horizon(m: re.Match, text: str) -> Result:
    """Forecast horizons ('by Dec. 31', 'by year-end'): from as-of to that day. Only
    'by/until/before' roll a passed date into next year; 'through' may look back."""
    w = {"thru": "through", "till": "until"}.get(m["w"], m["w"])
    t = " ".join(m["t"].split())
    yearend = re.match(r"^(?:the\s+)?(?:end|close)\s+of\s+(?:the|this)\s+year$|^year[\s-]?end$|^end-year$", t)
    if yearend:
        return f"{w} year-end", "horizon", (("rel", "year", 0), False), False
    e = re.match(r"^(?:the\s+)?(?:end|close)\s+of\s+(?:(the|this|next)\s+)?(.+)$|^end-(.+)$|^year[\s-]?end\s+(.+)$", t)
    if e:
        body = e[2] or e[3] or e[4]
        if body in _CAL and e[1] != "next":
            pt: tuple | None = ("rel", body, 0)
        elif body in _CAL:
            pt = ("rel", body, 1)
        else:
            pt = parse_point(body)
        if pt is None:
            return None
        lab = f"{w} end of {('next ' if e[1] == 'next' else '') + _point_label(body)}"
        return lab, "horizon", (pt, w in ("by", "until", "before")), False
    if w in ("to", "into"):
        return None
    pt = parse_point(m["t"])
    if pt is None or (pt[0] == "weekday" and w != "through") or (pt[0] == "year" and w == "before"):
        return (f"{w} {_point_label(m['t'])}", "label", (), False) if pt else None
    if pt[0] == "weekday":
        return f"through {_point_label(m['t'])}", "asof", (pt,), False
    return f"{w} {_point_label(m['t'])}", "horizon", (pt, w in ("by", "until", "before")), False


def _h_rest(m: re.Match, text: str) -> Result:
    u = " ".join(m["u"].split())
    label = f"{m['r']} of " + ("the year" if u in ("this year",) else (u if u[0].isdigit() else f"the {u}"))
    if u[0].isdigit():
        return label, "rest", ("year", int(u)), False
    return label, "rest", (u.split()[-1], None), False


def _h_month(m: re.Match, text: str) -> Result:
    """A month named as a period ('in January', 'September outflows'); a month with
    a day number is a date (the day pattern), so the lookahead refuses it."""
    name = m["mon"]
    if re.search(r"\d(?:st|nd|rd|th)?\s+(?:of\s+)?$", text[max(0, m.start() - 8):m.start()]):
        return None  # "22 July" is a day
    bare = not (m["pre"] or m["of"] or m["poss"] or m["y"])
    base = name.rstrip(".")
    if bare and (base == "may" or base not in FULL_MONTHS):
        return None  # a bare "May" is a verb or a name; bare abbreviations are too thin
    mon = MONTHS[base]
    y = int(m["y"]) if m["y"] else None
    label = clean_label(name) + (f" {y}" if y else "")
    return label, "month", (mon, y), False


def _h_quarter(m: re.Match, text: str) -> Result:
    q = ORDINALS[m["qo"]] if m["qo"] else int(m["qn"] or m["qn2"])
    y = _year(m["y"] or m["y2"] or m["y3"] or m["y4"])
    word = ("first", "second", "third", "fourth")[q - 1]
    return f"{word} quarter" + (f" {y}" if y else ""), "quarter", (q, y), False


def _h_half(m: re.Match, text: str) -> Result:
    h = ORDINALS[m["ho"]] if m["ho"] else int(m["hn"] or m["hn2"])
    y, rel = _year(m["y"] or m["y2"]), m["ty"] or ""
    label = ("first", "second")[h - 1] + " half" + (f" of {rel} year" if rel else "") + (f" {y}" if y else "")
    if rel and rel != "this":
        return label, "label", (), False
    return label, "half", (h, y), False


def _h_year(m: re.Match, text: str) -> Result:
    y = int(m["y"] or m["y2"])
    return str(y), "year", (y,), False


def _h_day(m: re.Match, text: str) -> Result:
    pt = parse_point(m["pt"])
    if pt is None or pt[0] != "date":
        return None
    if (m["pre"] or "").startswith("as"):
        return f"as of {_point_label(m['pt'])}", "asof", (pt,), False
    return _point_label(m["pt"]), "day", pt[1:], False


def _h_same(m: re.Match, text: str) -> Result:
    u = " ".join(m["u"].lower().split())
    det = "that" if m["det2"] else "same"
    if u in ("period", "span", "stretch", "timeframe", "time frame", "window", "interval", "time period"):
        return (f"{det} period" if det == "that" else "same period"), "label", (), True
    return f"{det} {u}", "label", (), True


def _h_duration(m: re.Match, text: str) -> Result:
    """'in a month' is a label (no anchor); 'in a single day on Oct. 5' is that day."""
    pt = parse_point(m["pt"]) if m.groupdict().get("pt") else None
    if pt and pt[0] == "date":
        return _point_label(m["pt"]), "day", pt[1:], False
    if pt:
        return _point_label(m["pt"]), "weekday", (pt[1], ""), False
    n = number(m.groupdict().get("n"))
    if m.groupdict().get("w") == "in" and n and n >= 2:
        # "slumped 11 percent in three days": the trailing span up to as-of ("in a
        # month" stays a label: as often a horizon as a span)
        return clean_label(m[0]), "trail", (n, unit_of(m["u"])), False
    return clean_label(m[0]), "label", (), False


def _h_adj(m: re.Match, text: str) -> Result:
    n_text = "one" if m["n"] == "single" else m["n"]
    n = number(n_text)
    if not n:
        return None
    return f"{n_text} {_unit_label(n_text, m['u'], True)}", "trail", (n, unit_of(m["u"])), False


# --------------------------------------------------------------------- patterns
# The constructions live in patterns/time_phrases.jsonl: a trigger word, how far back
# the phrase may start, a regex on the lower-cased text and the handler above. Only
# anchored matches near triggers are tried: Python's re would otherwise try every
# pattern (with its optional leading "over the") at every position, ~20 ms an article.
PATTERN_FILE = Path(__file__).parent / "patterns" / "time_phrases.jsonl"
_MONTH_W = " ".join(FULL_MONTHS) + " " + " ".join(_ABBR)
_NAMES = {"SLASHED": SLASHED, "PRE": _PRE, "QTY": QTY, "UNIT": UNIT, "SO_FAR": r"(?:so|thus)\s+far", "POINT": POINT,
          "POINT_DATE": POINT_DATE, "YEAR": YEAR, "WD": WD, "MON": MON, "QUARTER": _QUARTER, "ORD": ORD,
          "NUM": NUM, "WEEKDAY_WORDS": " ".join(WEEKDAYS), "MONTH_WORDS": _MONTH_W}  # + the file's "define" lines
_HANDLERS: dict[str, Callable[[re.Match, str], Result]] = {
    "through": _h_through, "todate": _h_todate, "trail": _h_trail, "this": _h_this,
    "fwd": _h_fwd, "periodic": _h_periodic, "today": _h_today, "yesterday": lambda m, t: ("yesterday", "yesterday", (), False),
    "tomorrow": lambda m, t: ("tomorrow", "tomorrow", (), False),
    "period": lambda m, t: ("same period", "label", (), True),
    "prior": lambda m, t: (_lead(m[0]), "prev", (m["u"],), False),
    "weekday": _h_weekday, "since": _h_since, "range": _h_range, "horizon": _h_horizon, "rest": _h_rest,
    "month": _h_month, "quarter": _h_quarter, "half": _h_half, "year": _h_year, "day": _h_day,
    "same": _h_same, "duration": _h_duration, "span": _h_span,
    # "a 2.4% increase week over week": the change over the past unit
    "over": lambda m, t: (f"past {unit_of(m['u'])}", "trail", (1, unit_of(m["u"])), False),
    "label": lambda m, t: (_lead(m[0]), "label", (), False), "adj": _h_adj}


@dataclass(frozen=True)
class Construction:
    """One line of the pattern file, compiled."""

    handler: str
    example: str
    triggers: tuple[tuple[str, int], ...]
    pattern: re.Pattern
    guard: re.Pattern | None


def _expand(template: str) -> str:
    return re.sub(r"\{([A-Z_]+)\}", lambda m: _NAMES[m[1]], template)


def load_constructions(path: Path = PATTERN_FILE) -> list[Construction]:
    """Read and compile the pattern file; a bad line raises with its line number."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("//"):
            continue
        try:
            rec = json.loads(line)
            if "define" in rec:  # a word list the patterns below use as {NAME}
                _NAMES[rec["define"]] = _expand(rec["pattern"])
                continue
            _HANDLERS[rec["handler"]]
            back = int(rec["back"])
            trig = []
            for w in _expand(rec["triggers"]).split():  # "word" or "word:back"
                w, _, b = w.partition(":")
                for key in ([str(y) for y in range(1900, 2050)] if w == "#year" else [w.rstrip(".")]):
                    trig.append((key, int(b) if b else back))
            guard = re.compile(_expand(rec["guard"])) if rec.get("guard") else None
            out.append(Construction(rec["handler"], rec.get("example", ""), tuple(trig),
                                    re.compile(_expand(rec["pattern"])), guard))
        except (ValueError, KeyError, TypeError, re.error) as e:
            raise ExtractorError(
                f"{path}:{n}: bad time-phrase construction ({e!r}). Each line is a JSON object with "
                f"handler (one of {', '.join(sorted(_HANDLERS))}), triggers, back (int), pattern (regex; "
                f"{{NAME}} from {', '.join(sorted(_NAMES))}) and optionally guard, example, or a "
                f"define and its pattern; fix that line.") from e
    return out


_CONSTRUCTIONS = load_constructions()
_PATTERNS = [(c.pattern, _HANDLERS[c.handler], c.guard) for c in _CONSTRUCTIONS]
_TRIGGERS: dict[str, list[tuple[int, int]]] = {}
for _i, _c in enumerate(_CONSTRUCTIONS):
    for _key, _back in _c.triggers:
        _TRIGGERS.setdefault(_key, []).append((_i, _back))
_TOKEN = re.compile(r"[a-z]+|\d+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# names that must be capitalised in the text ("may" and "march" are verbs), and the
# symbols that must be upper case ("Q3", "H1", "FY15", "MTD")
_CAPS = re.compile(rf"\b(?:{_alt(list(FULL_MONTHS) + _ABBR + list(WEEKDAYS))})(?![a-z])"
                   r"|\b(?:q(?=[1-4])|h(?=[12]\b)|fy|mtd\b)|(?<=\d)[qh]\b")


def _caps_ok(text: str, low: str, s: int, e: int) -> bool:
    return all(text[m.start()].isupper() for m in _CAPS.finditer(low, s, e))


def _lower(text: str) -> str:
    """Lower case with the same length, so offsets carry over to ``text``."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def find_time_phrases(text: str) -> list[TimePhrase]:
    """Every time expression in ``text``: non-overlapping, sorted, longest match wins."""
    low = _lower(text)
    toks = [(m.start(), m.group()) for m in _TOKEN.finditer(low)]  # ~0.3 ms per 1,000 words
    tried: set[tuple[int, int]] = set()
    cands = []
    for i, (pos, tok) in enumerate(toks):
        for pid, back in _TRIGGERS.get(tok, ()):
            rx, handler, guard = _PATTERNS[pid]
            if guard is not None and not guard.match(low, pos):
                continue
            for j in range(max(0, i - back), i + 1):
                start = toks[j][0]
                if (pid, start) in tried:
                    continue
                tried.add((pid, start))
                m = rx.match(low, start)
                if m is None or m.end() <= pos or not _caps_ok(text, low, m.start(), m.end()) \
                        or _BLANK_LINE.search(low, m.start(), m.end()):
                    continue  # a phrase never runs across a blank line ("Monday\n\nDecember 24")
                res = handler(m, text)
                if res is not None:
                    cands.append((m.start(), m.end(), pid, res))
                    break
    cands.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken = bytearray(len(text) + 1)  # characters already in a phrase: linear in the text
    out = []
    for s, e, _, (label, kind, args, ana) in cands:
        if any(taken[s:e]):
            continue
        taken[s:e] = b"\x01" * (e - s)
        out.append(TimePhrase(s, e, text[s:e], label, ana, kind, args))
    out.sort(key=lambda p: p.start)
    return out


@Language.factory("extractor_timex", assigns=["doc.spans", "span._.x_time"])
def make_timex(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy component: ``doc.spans["timex"]``, one Span per time phrase, with
    ``span._.x_time`` holding its TimePhrase."""
    extensions.register()

    def timex(doc: Doc) -> Doc:
        spans = []
        for tp in find_time_phrases(extensions.text_of(doc)):
            span = doc.char_span(tp.start, tp.end, alignment_mode="expand")
            if span is not None:
                span._.x_time = tp
                spans.append(span)
        doc.spans[extensions.TIMEX] = spans
        return doc

    return timex
