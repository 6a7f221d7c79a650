"""Fund tables: rows of a fund and its figures under a heading that names the columns.

Flow reports print their numbers as tables: "United States Natural Gas (UNG) 1,078.7
4,377.7 -8.66 -45.84" under "Est Net In-Flow ($Mil) | AUM ($Mil) | 1 Month % Change
(July) | YTD % Change", in pipes, one cell per line, or run together
("GSLCGoldman Sachs ...$4.50B0.09%12.15%$395 $98 1/29/2019"). The prose rules cannot
read a cell (nothing in its sentence says what it is); this reader does:

1. rows: lines ending in numeric cells, with a fund (a ticker mention in the row, or
   the leading symbol of a table whose first column is "Ticker");
2. the heading: the lines above the first row, read upwards until they name as many
   numeric columns as the rows have cells; the column words come from
   ``rules/patterns/tables.jsonl`` (flow, outflow, one_day, return, other, date, text);
3. each claim column's window: a period in its heading, else the table's caption
   (the last period named in the few lines above the heading), else the article's;
   "YTD" runs to the caption's period end when the caption names one;
4. amounts: the heading's unit ("($Mil)"), else the cell's suffix ("$4.50B"), else
   dollars for amounts of 100,000 and more and millions below (the genre's convention).

A row that does not line up with its heading is left alone (and said so in --explain).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from ..cues import FUND_KINDS, cue_re
from ..normalize.amount import find_money
from ..normalize.ticker import load_symbols
from ..normalize.time import FULL_MONTHS, on_or_before, resolve
from ..references import Ref
from ..rules.timex import find_time_phrases
from ..rules.vocab import load_vocab
from ..schema import Anchor, Flow, Mention, Return, Window

_DATE = r"\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})"
_NUM = r"[-+−]?\(?[-+−]?\$?\d[\d,]*(?:\.\d+)?\)?(?:[BMK](?![a-z]))?%?\*?"
_CELL = re.compile(rf"(?:{_DATE}|{_NUM})")
# The numeric cells at a line's end (run together too: "$4.50B0.09%12.15%"). A cell never ends
# inside a run of digits: without that, a long one ("1111111111111111111111,8,000 dollars")
# splits into cells in exponentially many ways before the match fails (25 s for one line).
_TAIL = re.compile(rf"(?:(?<=[\s|$a-zA-Z)%*])|^)(?:\s*\|?\s*(?:{_DATE}|{_NUM})(?!(?<=[\d,])\d))+\s*\|?\s*$")
_LEADING_SYMBOL = re.compile(r"\s*\|?\s*([A-Z]{1,5}(?:[.\-][A-Z])?)(?=[A-Z][a-z]|\s|\||$)")
_TRAILING_SYMBOL = re.compile(r"(?<![\w&.-])([A-Z]{1,5})\s*\|?\s*$")  # the last word of a row's name cell
_LONE_SYMBOL = re.compile(r"(?<![\w&.-])([A-Z]{2,5})(?![\w&.-])")
MAX_HEADING_LINES = 14
MAX_LINE = 200  # a longer line is prose, not a row or a heading
CAPTION_LINES = 6
PROSE_WORDS = 15  # a caption is shorter: a line of this many words ending a sentence is prose


def _prose(line: str) -> bool:
    return len(line.split()) >= PROSE_WORDS and line.rstrip().rstrip('"”’)').endswith((".", "!", "?"))


@dataclass
class Column:
    concept: str  # flow | outflow | one_day | return | other | date
    heading: str  # the words of its heading
    scale: float | None = None  # 1e6 for "($Mil)"
    window: Window | None = None


@dataclass
class Table:
    start: int
    end: int
    columns: list[Column]
    rows: list[tuple[int, int]]  # char spans of the rows read
    notes: list[str] = field(default_factory=list)  # rows left alone, and why


@dataclass
class TableFacts:
    flows: list[Flow] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)  # symbols only the table names
    spans: list[tuple[int, int]] = field(default_factory=list)  # text the tables cover
    tables: list[Table] = field(default_factory=list)

    def covers(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.spans)


@lru_cache(maxsize=1)
def _vocab() -> tuple[re.Pattern, dict[str, str]]:
    v = load_vocab("tables")
    concept_of: dict[str, str] = {}
    for kind in ("one_day", "date", "other", "outflow", "flow", "return", "text"):
        for w in v.get(kind, ()):
            concept_of.setdefault(w.lower(), kind)
    words = sorted(concept_of, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE), concept_of


@lru_cache(maxsize=1)
def _units() -> tuple[tuple[str, ...], tuple[str, ...]]:
    v = load_vocab("tables")
    return tuple(w.lower() for w in v.get("millions", ())), tuple(w.lower() for w in v.get("billions", ()))


NUMERIC = ("flow", "outflow", "one_day", "return", "other", "date")


def concepts(heading: str) -> list[tuple[int, int, str]]:
    """(start, end, concept) of every column word in a heading, in order."""
    rx, concept_of = _vocab()
    return [(m.start(), m.end(), concept_of[m.group(0).lower()]) for m in rx.finditer(heading)]


def _cell_value(cell: str) -> tuple[float, str] | None:
    """(value, suffix) of a numeric cell; "-($8)" and "(8)" are negative."""
    s = cell.strip().rstrip("*").replace("−", "-")
    neg = s.startswith("-") or (s.startswith("(") and s.endswith(")")) or s.startswith("(-")
    core = re.sub(r"[^\d.,BMK%]", "", s).replace(",", "")
    suffix = core[-1] if core and core[-1] in "BMK%" else ""
    core = core.rstrip("BMK%")
    try:
        v = float(core)
    except ValueError:
        return None
    return (-v if neg else v), suffix


# --------------------------------------------------------------------------- layout

@dataclass
class _Row:
    start: int
    end: int
    head: str       # the words before the numbers
    head_start: int
    cells: list[tuple[int, int, str]]  # numeric cells (start, end, text)


def _lines(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out, pos = [], lo
    while pos < hi:
        nl = text.find("\n", pos, hi)
        end = hi if nl < 0 else nl
        out.append((pos, end))
        pos = end + 1
    return out


def _row_of_line(text: str, a: int, b: int) -> _Row | None:
    line = text[a:b]
    if not line.strip() or len(line) > MAX_LINE or line.rstrip().endswith((".", ":")) and "|" not in line:
        return None
    m = _TAIL.search(line)
    if m is None or not re.search(r"[A-Za-z]", line[:m.start()]):
        return None
    cells = [(a + c.start(), a + c.end(), c.group(0))
             for c in _CELL.finditer(line, m.start())]
    cells = [c for c in cells if c[2].strip("$*()-+")]
    if not cells:
        return None
    return _Row(a, b, line[:m.start()], a, cells)


def _pipe_cells(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """A run of one-cell lines ending in "|" (a table flattened one cell per line)."""
    return [(a, a + len(text[a:b].rstrip().rstrip("|").rstrip()), text[a:b].rstrip().rstrip("|").strip())
            for a, b in lines]


def _vertical_rows(text: str, run: list[tuple[int, int]]) -> tuple[list[tuple[int, int, str]], list[_Row]]:
    cells = _pipe_cells(text, run)
    k = next((i for i, c in enumerate(cells) if re.fullmatch(r"[A-Z]{1,5}(?:[.\-][A-Z])?", c[2])), None)
    if not k or k < 2:
        return [], []
    header, rows = cells[:k], []
    for i in range(k, len(cells) - k + 1, k):
        chunk = cells[i:i + k]
        nums = [c for c in chunk[1:] if _CELL.fullmatch(c[2].replace(" ", ""))]
        words = [c for c in chunk if c not in nums]
        rows.append(_Row(chunk[0][0], chunk[-1][1], " | ".join(c[2] for c in words), chunk[0][0], nums))
    return header, rows


# --------------------------------------------------------------------------- headings

def _segments(heading: str) -> list[tuple[str, str]]:
    """(concept, the heading words of that column) for each numeric column."""
    found = concepts(heading)
    out, prev = [], 0
    for s, e, concept in found:
        if concept not in NUMERIC:
            prev = e
            continue
        tail = re.match(r"\s*\([^)]{0,20}\)", heading[e:])  # "(July)", "($Mil)"
        end = e + (tail.end() if tail else 0)
        out.append((concept, heading[prev:end]))
        prev = end
    return out


def _scale(words: str) -> float | None:
    low = words.lower().replace(" ", "")
    millions, billions = _units()
    if any(u.replace(" ", "") in low for u in millions):
        return 1e6
    if any(u.replace(" ", "") in low for u in billions):
        return 1e9
    return None


def _ytd(end: date | None, anchor: Anchor) -> Window:
    if end is None:
        return replace(resolve("year-to-date", anchor), label="year-to-date")
    return Window(label="year-to-date", start=on_or_before(date(end.year - 1, 12, 31)), end=end)


def _period(words: str, anchor: Anchor, caption: Window | None) -> Window | None:
    """The window a heading's words name, completed by the caption's."""
    low = words.lower()
    if re.search(r"\bytd\b|year[- ]to[- ]date", low):
        return _ytd(caption.end if caption is not None and caption.label != "year-to-date" else None, anchor)
    phrases = find_time_phrases(words)
    if not phrases:
        return None
    tp = max(phrases, key=lambda p: p.end - p.start)
    if caption is not None and caption.end is not None:
        # "1 Yr" under "Performance (%) as of 04/30/2019": trailing periods end at the caption's day
        anchor = replace(anchor, asof=caption.end, intraday=False, session=False)
    w = resolve(tp.text, anchor)
    if w.end is None and caption is not None and caption.end is not None and \
            any(m in (caption.label or "") for m in FULL_MONTHS if m in low):
        return caption  # "% Change (July)" under "Top ETF Inflows--July 2009"
    return Window(label=w.label, start=w.start, end=w.end)


def _caption(text: str, lo: int, floor: int, anchor: Anchor) -> Window | None:
    """The last period named in the few non-empty lines above the heading."""
    lines = [ln for ln in _lines(text, max(floor, lo - 1500), lo) if text[ln[0]:ln[1]].strip()][-CAPTION_LINES:]
    for a, b in reversed(lines):
        if _prose(text[a:b]):
            break  # a paragraph of prose above the caption: its periods are its claims'
        w = _period(text[a:b], anchor, None)
        if w is not None and (w.start or w.end or w.label):
            return w
    return None


# --------------------------------------------------------------------------- reading

def _ticker_of(row: _Row, refs: list[Ref], ticker_first: bool, ticker_column: bool
               ) -> tuple[str, int, int, str] | None:
    """(symbol, start, end, symbol_source) of the row's fund: the leading symbol of a
    table whose first column is the ticker; else a ticker mention in the row (the last
    written as a symbol: "United States Natural Gas (UNG)"); else, under a "Ticker"
    heading, a lone symbol among the row's words ("Bank Of America BAC 2.10%")."""
    table = load_symbols()
    if ticker_first:
        m = _LEADING_SYMBOL.match(row.head)
        if m and not table.is_not_ticker(m.group(1)):
            sym = m.group(1)
            return sym, row.head_start + m.start(1), row.head_start + m.end(1), \
                "table" if sym in table else "pattern"
    last = _TRAILING_SYMBOL.search(row.head)
    if last and len(last.group(1)) >= 2 and last.group(1) in table and not table.is_not_ticker(last.group(1)):
        # "| Global X Uranium URA | 8.9% |": a fund's name cell ending in its known symbol
        # (which a word of the name, "Uranium", must not outbid)
        sym = last.group(1)
        return sym, row.head_start + last.start(1), row.head_start + last.end(1), "table"
    inside = [r for r in refs if row.start <= r.start and r.end <= row.cells[0][0] and not r.anaphor]
    if inside:
        written = [r for r in inside if row.head_start <= r.start and
                   re.fullmatch(r"[A-Z.\-^]{1,8}", _written(row, r))]
        r = (written or inside)[-1]
        return r.symbol, r.start, r.end, "table"
    if ticker_column:
        # "Citibank C -50.50%" under a Ticker heading: a lone symbol, known or not
        lone = [last] if last else [m for m in _LONE_SYMBOL.finditer(row.head) if not table.is_not_ticker(m.group(1))]
        if lone:
            m = lone[-1]
            sym = m.group(1)
            return sym, row.head_start + m.start(1), row.head_start + m.end(1), \
                "table" if sym in table else "pattern"
    return None


def _written(row: _Row, r: Ref) -> str:
    i = r.start - row.head_start
    return row.head[i:i + (r.end - r.start)]


_PERIOD_CELL = re.compile(r"(?:(?P<n>\d+)[- ]?(?P<u>month|mo|year|yr|week|wk|day)s?\.?|ytd|mtd|qtd|year[- ]to[- ]date)"
                          r"(?:\s*(?:%|return|returns|chg|change))?", re.IGNORECASE)
# "3 Yr*", "Trailing 3 Yr (ann.)": a period heading's decorations
_PERIOD_DECOR = re.compile(r"^trailing\s+|\s*(?:\(ann\.?\)|\(annuali[sz]ed\)|annuali[sz]ed|\*+)$", re.IGNORECASE)
_OTHER_CELL = re.compile(r"\b(?:expense|ratio|yield|fee|fees|aum|assets|price|nav|holdings|distribution|beta|p/e|"
                         r"volume|inception)\b", re.IGNORECASE)
_WORD_CELL = re.compile(r"(?:fund|etf|ticker|symbol|name|fund name|index)", re.IGNORECASE)


def _period_columns(heading: str, need: int) -> list[tuple[str, str]] | None:
    """"Fund | 1-Month | YTD | 1-Year" over rows of percents: each column a return over
    the period its heading names (the column words of tables.jsonl name none of them)."""
    cells = [_PERIOD_DECOR.sub("", c.strip()).strip() for c in re.split(r"\s*\|\s*|\t|\s{2,}", heading) if c.strip()]
    numeric = [c for c in cells if not _WORD_CELL.fullmatch(c)]
    periods = [c for c in numeric if _PERIOD_CELL.fullmatch(c)]
    # "| ETF | Expense Ratio | Dividend Yield | YTD | Trailing 1 Yr |": the other columns are named as such
    if len(numeric) != need or len(cells) - need > 2 or len(periods) < 2 or \
            not all(_PERIOD_CELL.fullmatch(c) or _OTHER_CELL.search(c) for c in numeric):
        return None
    out = []
    for c in numeric:
        m = _PERIOD_CELL.fullmatch(c)
        if m is None:
            out.append(("other", c))
            continue
        out.append(("return", _past(m.group("n"), m.group("u")) if m.group("n") else c))
    return out


def _past(n: str, unit: str) -> str:
    """"1-Month", "5-yr", "five-year" as the trailing period the time reader knows:
    "past 1 month", "past 5 years"."""
    unit = unit.lower()
    unit = {"mo": "month", "yr": "year", "wk": "week"}.get(unit, unit)
    return f"past {n} {unit}{'s' if n.lower() not in ('1', 'one') else ''}"


def _read(text: str, heading: str, heading_start: int, rows: list[_Row], refs: list[Ref], anchor: Anchor,
          caption: Window | None, before: Window | None, out: TableFacts,
          segs: list[tuple[str, str]] | None = None) -> None:
    segs = segs or _segments(heading)
    n = len(segs)
    first = concepts(heading)
    named = [heading[s:e].lower() in ("ticker", "symbol") for s, e, _ in first]
    ticker_first, ticker_column = bool(named) and named[0], any(named)
    columns = []
    for concept, words in segs:
        own = _period(words, anchor, caption)
        # "Weekly performance" under "Top 5 gainers of the past week": the caption's dates
        w = own if own is not None and (own.start or own.end or caption is None) else (caption or own or before)
        columns.append(Column(concept, " ".join(words.split()), _scale(words), w))
    table = Table(rows[0].start, rows[-1].end, columns, [])
    out.tables.append(table)
    out.spans.append((heading_start, rows[-1].end))
    for row in rows:
        cells = row.cells[-n:] if len(row.cells) >= n else None
        who = _ticker_of(row, refs, ticker_first, ticker_column)
        if cells is None or who is None:
            table.notes.append(f"row at {row.start} left alone: " + (
                f"{len(row.cells)} numbers under {n} numeric columns" if cells is None else "no fund named"))
            continue
        sym, s_start, s_end, source = who
        table.rows.append((row.start, row.end))
        if source == "pattern":
            out.mentions.append(Mention(symbol=sym, start=s_start, end=s_end, text=text[s_start:s_end],
                                        kind="unknown", via="table", symbol_source="pattern"))
        day = next((_day_window(c[2]) for c, col in zip(cells, columns) if col.concept == "date"), None)
        for (c_start, c_end, cell), col in zip(cells, columns):
            if col.concept in ("other", "date"):
                continue
            got = _cell_value(cell)
            if got is None or got[0] == 0:
                continue
            value, suffix = got
            window = replace(day if col.concept == "one_day" and day is not None else (col.window or Window()),
                             source="sentence")
            if col.concept == "return":
                out.returns.append(Return(ticker=sym, value_pct=value, start=row.start, end=row.end,
                                          window=window, source="rules", confidence=1.0))
                continue
            scale = {"B": 1e9, "M": 1e6, "K": 1e3}.get(suffix) or col.scale or (1.0 if abs(value) >= 100_000 else 1e6)
            direction = "outflow" if value < 0 or col.concept == "outflow" else "inflow"
            amount = round(abs(value) * scale, 2)
            out.flows.append(Flow(ticker=sym, direction=direction, amount_usd=amount, amount=amount,
                                  start=row.start, end=row.end, window=window, source="rules", confidence=1.0))


def _day_window(cell: str) -> Window | None:
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", cell.strip().rstrip("*"))
    if not m:
        return None
    mo, d, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    y = y + 2000 if y < 100 else y
    if not 1 <= mo <= 12:
        return None
    w = resolve(f"{FULL_MONTHS[mo - 1].capitalize()} {d}, {y}", Anchor(published=date(y, 12, 31)))
    return Window(label=f"{y:04d}-{mo:02d}-{d:02d}", start=w.start, end=w.end)


# "1. SQQQ: $812 million", "#2 Direxion Daily Semiconductor Bull 3X Shares (SOXL) - $655 million"
_LIST_ITEM = re.compile(r"^[ \t]*(?:\d{1,2}[.)]|#\d{1,2}|[-•*])[ \t]+(?P<who>[^\n$]{2,120}?)[ \t]*(?:[:–—]|-(?=\s))?[ \t]*"
                        r"(?P<sign>[-+−]?)\$[ \t]?(?P<num>\d[\d,]*(?:\.\d+)?)[ \t]*(?P<unit>billion|million|bn|mn|[bm])?"
                        r"[ \t]*$", re.IGNORECASE | re.MULTILINE)
# "Top Inflows, Tuesday, Nov. 17" then "XLF: $611.8M": a flows brief's unnumbered items
_SYMBOL_ITEM = re.compile(r"^[ \t]*(?P<who>[A-Z]{1,5}(?:[.\-][A-Z])?)[ \t]*:[ \t]*"
                          r"(?P<sign>[-+−]?)\$[ \t]?(?P<num>\d[\d,]*(?:\.\d+)?)[ \t]*(?P<unit>billion|million|bn|mn|[bm])?"
                          r"[ \t]*$", re.IGNORECASE | re.MULTILINE)
_FLOW_NOUN = re.compile(r"\b(?:(?:in|out)flows?|redemptions?|creations?|withdrawals?|new (?:money|assets|cash)|"
                        r"net (?:buying|selling))\b", re.IGNORECASE)


def _refs_in(refs: list[Ref], starts: list[int], lo: int, hi: int) -> list[Ref]:
    """The references inside [lo, hi), by binary search (``starts``: where each begins,
    in text order): a list of thousands of items stays linear."""
    return [r for r in refs[bisect_left(starts, lo):bisect_left(starts, hi)] if r.end <= hi]


def _listed_flows(text: str, refs: list[Ref], body_start: int, times, out: TableFacts) -> None:
    """A ranked list of funds and amounts under a lead that says what they are: "the
    five funds with the biggest inflows in the week through Thursday were:" then "1.
    SQQQ: $812 million". Each item is a flow in the lead's direction over its period;
    a lead naming both directions, or neither, reads nothing."""
    items = sorted([*_LIST_ITEM.finditer(text, body_start), *_SYMBOL_ITEM.finditer(text, body_start)],
                   key=lambda m: m.start())
    starts = [r.start for r in refs]
    k = 0
    while k < len(items):
        run = [items[k]]
        while k + len(run) < len(items) and text[run[-1].end():items[k + len(run)].start()].strip() == "":
            run.append(items[k + len(run)])
        k += len(run)
        if len(run) < 2:
            continue
        lead_end = text.rfind("\n", 0, run[0].start())
        lead_start = text.rfind("\n", 0, max(lead_end, 0)) + 1
        while lead_end > 0 and not text[lead_start:lead_end].strip() and lead_start > body_start:
            lead_end = lead_start - 1
            lead_start = text.rfind("\n", 0, max(lead_end, 0)) + 1
        lead = text[lead_start:max(lead_end, lead_start)]
        ins, outs = cue_re("inflow").search(lead), cue_re("outflow").search(lead)
        # the lead ends in a colon, or is a heading ("Top Inflows, Tuesday, Nov. 17")
        heading = len(lead.split()) <= 10 and not lead.rstrip().endswith((".", "!", "?", ","))
        if not (lead.rstrip().endswith(":") or heading) or bool(ins) == bool(outs) or not _FLOW_NOUN.search(lead):
            continue  # "The stocks that lost the most market value were:" ranks no flows
        direction = "inflow" if ins else "outflow"
        phrases = times.in_span(lead_start, lead_end) if times is not None else []
        window = replace(phrases[-1][2], source="sentence") if phrases else Window()
        for m in run:
            who = [r for r in _refs_in(refs, starts, m.start("who"), m.end("who")) if r.kind in FUND_KINDS]
            if not who:
                continue
            money = find_money(text[m.start("sign"):m.end()])  # the house's reader of "-$2 billion"
            if not money:
                continue
            amount = round(money[-1].value, 2)
            sign = "outflow" if money[-1].sign == -1 else direction
            out.flows.append(Flow(ticker=who[-1].symbol, direction=sign, amount_usd=amount, amount=amount,
                                  start=m.start(), end=m.end(), window=window, source="rules", confidence=1.0))
            out.spans.append((m.start(), m.end()))


# A wire story's summary bullet: "* Indexes up: Dow 1.94 pct, S&P 1.86 pct, Nasdaq 2.41 pct"
_INDEX_LINE = re.compile(r"^[ \t*•-]*(?:indexes|indices|index|stocks|wall st(?:reet)?)\s+(?P<dir>up|down|higher|lower|"
                         r"rise|fall|gain|drop)\s*:\s*(?P<items>[^\n]+)$", re.IGNORECASE | re.MULTILINE)
_INDEX_ITEM = re.compile(r"(?P<name>[A-Za-z][\w&. ]{0,30}?)\s+(?P<sign>[+\-−]?)(?P<num>\d+(?:\.\d+)?)\s?"
                         r"(?:%|(?:pct|percent)\b)")


@lru_cache(maxsize=1)
def _index_names() -> dict[str, str]:
    """"dow" -> ^DJI: an index's name as a wire bullet shortens it (the table writes "the Dow")."""
    out: dict[str, str] = {}
    table = load_symbols()
    for alias, symbol in table.alias_items():
        info = table.get(symbol)
        if info is not None and info.kind == "index" and alias.lower().startswith("the "):
            out.setdefault(alias[4:].lower(), symbol)
    return out


def _index_bullets(text: str, refs: list[Ref], anchor: Anchor, body_start: int, out: TableFacts) -> None:
    """Each index of a summary bullet moved by its figure, in the bullet's direction, on
    the session the story is about."""
    starts = [r.start for r in refs]
    for line in _INDEX_LINE.finditer(text, body_start):
        down = line.group("dir").lower() in ("down", "lower", "fall", "drop")
        day = resolve("today", anchor)
        for m in _INDEX_ITEM.finditer(line.group("items")):
            a, b = line.start("items") + m.start("name"), line.start("items") + m.end("name")
            named = _refs_in(refs, starts, a, b)
            symbol = named[-1].symbol if named else _index_names().get(m.group("name").strip().lower())
            if symbol is None:
                continue
            value = float(m.group("num")) * (-1 if down or m.group("sign") in ("-", "−") else 1)
            start, end = line.start("items") + m.start(), line.start("items") + m.end()
            out.returns.append(Return(ticker=symbol, value_pct=value, start=start, end=end,
                                      window=replace(day, label="today", source="sentence"),
                                      source="rules", confidence=1.0))
            out.spans.append((start, end))
            if not named:
                out.mentions.append(Mention(symbol=symbol, start=a, end=b, text=text[a:b], kind="index",
                                            via="table", symbol_source="table"))


# A fund card: "3. Fidelity Select Technology (FSPTX)" then "Year-to-date return: 29.8%"
_LABELLED = re.compile(r"^[ \t*•-]*(?P<label>(?:(?:year[- ]to[- ]date|ytd|\d+[- ](?:month|year|week)|one[- ]year|"
                       r"three[- ]year|five[- ]year|ten[- ]year|1-yr|3-yr|5-yr|10-yr|trailing\s+\d+[- ]month)"
                       r"(?:\s+(?:annuali[sz]ed|average\s+annual))?\s+(?:total\s+)?(?:return|gain|performance|change)))"
                       r"\s*:\s*(?P<sign>[+\-−]?)(?P<num>\d+(?:\.\d+)?)\s?%[ \t]*$", re.IGNORECASE | re.MULTILINE)
CARD_LINES = 6  # the fund's heading (or its "Symbol: VIG" line) stands this many lines above its figures at most


def _labelled_returns(text: str, refs: list[Ref], anchor: Anchor, body_start: int, out: TableFacts) -> None:
    """A list of fund cards: each card's heading line names one fund, and a labelled line
    under it gives its return over the period in the label."""
    starts = [r.start for r in refs]
    for m in _LABELLED.finditer(text, body_start):
        head_end = m.start()
        fund = None
        for _ in range(CARD_LINES):
            prev_end = text.rfind("\n", body_start, head_end)
            if prev_end < 0:
                break
            prev_start = text.rfind("\n", body_start, prev_end) + 1
            line = text[prev_start:prev_end]
            named = [r for r in _refs_in(refs, starts, prev_start, prev_end) if not r.anaphor]
            if named and len({r.symbol for r in named}) == 1 and len(line) <= 120 and not line.rstrip().endswith("."):
                fund = named[-1]
                break
            if not line.strip() or len(line) > 120:
                break
            head_end = prev_start
        if fund is None:
            continue
        label = " ".join(m.group("label").lower().split()).rsplit(" ", 1)[0]
        label = re.sub(r"\s+(?:annuali[sz]ed|average annual|total)$", "", label)
        n = re.match(r"(\d+|one|three|five|ten)[- ](month|year|week)", label)
        w = _period(_past(n.group(1), n.group(2)) if n else label, anchor, None)
        value = float(m.group("num")) * (-1 if m.group("sign") in ("-", "−") else 1)
        out.returns.append(Return(ticker=fund.symbol, value_pct=value, start=m.start("label"), end=m.end(),
                                  window=replace(w or Window(label=label), source="sentence"),
                                  qualifier="annualized" if "annuali" in m.group("label").lower() else None,
                                  source="rules", confidence=1.0))
        out.spans.append((m.start(), m.end()))


def read_tables(text: str, refs: list[Ref], anchor: Anchor, body_start: int, times=None) -> TableFacts:
    """Every fund table of the article, read into flows and returns."""
    out = TableFacts()
    if text.count("\n") < 3:
        return out
    _listed_flows(text, refs, body_start, times, out)
    _index_bullets(text, refs, anchor, body_start, out)
    _labelled_returns(text, refs, anchor, body_start, out)
    lines = _lines(text, body_start, len(text))
    i = 0
    markdown_to = -1  # lines before this index belong to a run already found to be a Markdown table
    while i < len(lines):
        a, b = lines[i]
        # one cell per line, each ending in "|"
        if i >= markdown_to and text[a:b].rstrip().endswith("|"):
            j = i
            while j < len(lines) and text[lines[j][0]:lines[j][1]].rstrip().endswith("|"):
                j += 1
            run = lines[i:j]
            if sum(text[x:y].count("|") for x, y in run) <= len(run) + 1:
                if len(run) >= 6:
                    header, rows = _vertical_rows(text, run)
                    if rows:
                        cap = _caption(text, header[0][0], body_start, anchor)
                        _read(text, " | ".join(c[2] for c in header), header[0][0], rows, refs, anchor, cap,
                              _before(times, header[0][0]), out)
                i = max(j, i + 1)
                continue
            # "| IVV | iShares Core S&P 500 ETF | 1,894.20 |": a Markdown table, read by rows below
            markdown_to = j
        row = _row_of_line(text, a, b)
        if row is None:
            i += 1
            continue
        rows, j = [row], i + 1
        while j < len(lines):
            nxt = _row_of_line(text, *lines[j])
            if nxt is None:
                if not text[lines[j][0]:lines[j][1]].strip() and j + 1 < len(lines) and \
                        _row_of_line(text, *lines[j + 1]) is not None:
                    j += 1  # a blank line between rows
                    continue
                break
            rows.append(nxt)
            j += 1
        if len(rows) >= 2:
            _read_block(text, lines, i, rows, refs, anchor, body_start, times, out)
        i = j
    return out


def _before(times, pos: int) -> Window | None:
    """The window of a table whose heading and caption name none: the article's frame."""
    if times is None:
        return None
    w = times.lede(pos)
    return replace(w, source="article") if w is not None else None


def _read_block(text, lines, i, rows, refs, anchor, body_start, times, out) -> None:
    """Rows found at lines[i:]: find the heading above them and read the rows."""
    counts = sorted(len(r.cells) for r in rows)
    need = counts[len(counts) // 2]
    k, block, start = i - 1, [], None
    while k >= 0 and i - k <= MAX_HEADING_LINES:
        a, b = lines[k]
        line = text[a:b]
        if len(line) > MAX_LINE or (line.rstrip().endswith(".") and len(line.split()) > 6):
            break
        if line.strip() and not re.fullmatch(r"[\s|:+-]+", line):  # a Markdown rule ("|---|---|") is no heading
            block.insert(0, line.strip())
            start = a
            heading = " ".join(block)
            if len(_segments(heading)) >= need:
                break
        k -= 1
    if start is None:
        return
    heading = " ".join(block)
    segs = _segments(heading)
    if len(segs) != need or not any(c in ("flow", "outflow", "one_day", "return") for c, _ in segs):
        # percents in every cell, or a heading that says the figures are ("Performance (%)")
        percents = all(c[2].rstrip("*").endswith("%") for r in rows for c in r.cells[-need:]) or \
            any(re.search(r"\(%\)|%\s*(?:change|chg|return)|\breturns?\s*\(%\)", line, re.IGNORECASE) for line in block)
        segs = _period_columns(block[-1], need) if percents else None
        if segs is None:
            return  # the heading and the rows disagree: not a table this reader understands
    cap = _caption(text, start, body_start, anchor)
    for line in reversed(block[:-1] if cap is None else ()):
        # "Performance (%) as of 04/30/2019" over the column headings: the caption is in the block
        w = _period(line, anchor, None)
        if w is not None and (w.start or w.end):
            cap = w
            break
    _read(text, heading, start, rows, refs, anchor, cap, _before(times, start), out, segs)
