"""Article header lines: ``date YYYY-MM-DD`` (maybe followed by the text on the same
line), ``source URL``, and an optional title line; else a dateline near the top.

Real files start like `` date 2017-08-18 U.S. small-caps and ...``. The header must
never leak into facts, so ``parse_header`` returns where the body starts, and what the
header (and the URL) tell us about the publication date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .schema import Anchor

_DATE_LINE = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})[ \t]*")
_SOURCE_LINE = re.compile(r"[ \t]*source[ \t]+(\S+)[ \t]*(?:\r?\n|\Z)")
# /2014/07/, /2017/05/18/, -20190814, /2015-02-04/
_URL_YMD = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?!\d)")
_URL_COMPACT = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(0[1-9]|1[0-2])([0-2]\d|3[01])(?!\d)")
_MONTHS = ("january february march april may june july august september october "
           "november december").split()
_TEXT_FULL_DATE = re.compile(
    r"\b(" + "|".join(m.capitalize() for m in _MONTHS) + r")\.?\s+(\d{1,2}),\s+((?:19|20)\d\d)\b")


_MON_ABBR = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
_MON_FULL = "|".join(m.capitalize() for m in _MONTHS)
# A dateline among the first lines: "Dec. 29, 2018 8:00 am ET", "Jul. 08, 2022 10:31 AM ET |
# ...", "Published Mar 31, 2023 12:56PM ET", "Updated: Friday, May 6, 2016", "2016-05-06",
# "6 May 2016". The date opens the line (after a label or a weekday), so a headline that
# mentions a date ("Stocks since March 3, 2020") is not taken for one.
_DATELINE = re.compile(
    r"^[ \t•*|-]*(?:by\s+[A-Z][\w.'’ -]{1,40}?\s*[|·•,]\s*)?"  # "By Celia Norquist | 10-08-14"
    r"(?:\d{1,2}:\d\d\s*(?:[ap]\.?m\.?)?\s*(?:ET|EST|EDT|GMT|UTC)?\s+)?"  # "06:00 AM ET 06/21/2017"
    r"(?:(?-i:[A-Z][A-Z .]{2,30}),\s+(?=[A-Z][a-z]{2}))?"  # a press release's city: "NEW YORK, May 8, 2019"
    r"(?:(?:published|updated|posted|last updated|first published)(?:\s+on)?\s*:?\s*)?"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:(?P<mon>" + _MON_FULL + "|" + _MON_ABBR + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon2>" + _MON_FULL + "|" + _MON_ABBR + r")\.?,?\s+(?P<year2>(?:19|20)\d\d)"
    r"|(?P<iso>(?:19|20)\d\d-\d\d-\d\d)"
    r"|(?P<us>(?P<um>\d{1,2})[-/](?P<ud>\d{1,2})[-/](?P<uy>(?:19|20)?\d\d)))\b",  # "10-08-14": US order
    re.IGNORECASE)
DATELINE_LINES = 12  # a dateline stands near the top: the headline, a byline, the date
DATELINE_CHARS = 1500


# what may follow the date on a dateline: nothing, a time, a zone, a separator ("| ProShares
# ..."), never more prose ("Dec. 24, 2018 marked the low")
_DATELINE_TAIL = re.compile(r"\s*(?:$|[|•·,(]|[-–—]\s|\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\.?|ET|EST|EDT|GMT|UTC)?\b|"
                            r"(?:ET|EST|EDT|GMT|UTC|BST)\b|(?:updated|published)\b)", re.IGNORECASE)


_WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
# "NEW YORK, May 8, 2019 /PRNewswire/ -- VanEck today released ...": a press release
_WIRE_SERVICE = re.compile(r"\s*(?:/\s*(?:PRNewswire|GLOBE NEWSWIRE|ACCESSWIRE)[\w-]*\s*/|\(\s*BUSINESS WIRE\s*\))",
                           re.IGNORECASE)


def dateline_date(text: str, start: int = 0) -> date | None:
    """The publication day written on a short line among the first lines of the text
    (not the headline, the first of them)."""
    lines = [ln for ln in text[start:start + DATELINE_CHARS].splitlines()[:DATELINE_LINES]]
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    for i, line in enumerate(lines):
        if i == first:
            # a headline that ends on its day: "How major US stock indexes fared Friday
            # 11/8/2019", "Markets Live: Wednesday, 3rd June, 2015" (the dateline's own
            # forms, from the last weekday named)
            w = None
            for w in _WEEKDAY.finditer(line):
                pass
            line = line[w.start():] if w else ""
            m = _DATELINE.match(line) if w else None
            if m is None or line[m.end():].strip(" .|"):
                continue
        else:
            m = _DATELINE.match(line)
        if m is None:
            continue
        if not _WIRE_SERVICE.match(line, m.end()) and (len(line) > 160 or _DATELINE_TAIL.match(line, m.end()) is None):
            continue  # a paragraph, unless a press release opens on its dateline
        if m.group("iso") or m.group("us"):
            if m.group("iso"):
                y, mo, d = (int(x) for x in m.group("iso").split("-"))
            else:
                y, mo, d = int(m.group("uy")), int(m.group("um")), int(m.group("ud"))
                y = y + 2000 if y < 100 else y
            day = _safe_date(y, mo, d)
            if day is not None:
                return day
            continue
        mon = (m.group("mon") or m.group("mon2")).lower()[:3]
        month = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(mon))
        day = _safe_date(int(m.group("year") or m.group("year2")), month, int(m.group("day") or m.group("day2")))
        if day is not None:
            return day
    return None


@dataclass(frozen=True)
class Header:
    published: date | None
    source: str | None
    body_start: int
    anchor: Anchor


def _safe_date(y: int, m: int, d: int) -> date | None:
    """The day, or None for an impossible one or a year outside 1900..2100 (a typo, not
    a day the trading calendar can use)."""
    if not 1900 <= y <= 2100:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def url_anchor(url: str | None) -> tuple[int | None, int | None, date | None]:
    """Year, month and (when present) day written in a URL path."""
    if not url:
        return None, None, None
    m = _URL_YMD.search(url)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        day = _safe_date(y, mo, int(m.group(3))) if m.group(3) else None
        return y, mo, day
    m = _URL_COMPACT.search(url)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return y, mo, _safe_date(y, mo, d)
    return None, None, None


def text_year(text: str) -> int | None:
    """The latest year written as a full date ("January 30, 2019") in the text: a
    reader's fallback for the year when neither header nor URL gives it."""
    years = [int(m.group(3)) for m in _TEXT_FULL_DATE.finditer(text)]
    return max(years) if years else None


def parse_header(text: str, published: date | None = None, source: str | None = None) -> Header:
    """Read the header lines at the top of ``text``.

    ``published``/``source`` passed by the caller (a JSONL record) win over the text.
    """
    pos = 0
    pub = published
    m = _DATE_LINE.match(text)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        pub = pub or d
        pos = m.end()
        if pos < len(text) and text[pos] in "\r\n":
            pos += 2 if text.startswith("\r\n", pos) else 1
    m = _SOURCE_LINE.match(text, pos)
    if m:
        source = source or m.group(1)
        pos = m.end()
    year, month, url_day = url_anchor(source)
    pub = pub or url_day  # a reader takes the day from a URL like /2017/05/18/
    if pub is None:
        written = dateline_date(text, pos)  # "Dec. 29, 2018 8:00 am ET" under the headline
        if written is not None and (year is None or (written.year, written.month) == (year, month or written.month)):
            pub = written
    if pub is not None:
        anchor = Anchor(published=pub, year=pub.year, month=pub.month)
    elif year is not None:
        anchor = Anchor(published=None, year=year, month=month)
    else:
        anchor = Anchor(published=None, year=text_year(text), month=None)
    return Header(published=pub, source=source, body_start=pos, anchor=anchor)
