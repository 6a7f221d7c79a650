"""Plain data passed between the stages: frozen dataclasses and their JSON forms.

Every fact carries the character span (``start``, ``end``) of its evidence in
``Article.text``, so a reviewer can always see where a claim came from. Amounts are
US dollars (float); returns are signed percentage points ("down 2.58%" is -2.58).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

EXTRACTOR_VERSION = "0.9.0"

DIRECTIONS = ("inflow", "outflow")
AGGREGATIONS = ("total", "daily_avg", "weekly_avg", "monthly_avg")
RETURN_KINDS = ("realized", "forecast")
SENTIMENT_LABELS = ("bullish", "bearish", "neutral")
SOURCES = ("rules", "model", "human")
STATUSES = ("extracted", "accepted", "rejected", "edited", "added")
HUMAN_STATUSES = ("accepted", "rejected", "edited", "added")
VERDICTS = ("confirmed", "contradicted", "unverifiable")
WINDOW_SOURCES = ("claim", "sentence", "paragraph", "article", "reviewer")
WINDOW_SURE = ("claim", "sentence", "reviewer")  # windows a claim can be called false on


@dataclass(frozen=True)
class Anchor:
    """What the article tells us about *when* it was written.

    ``published`` is the full day when known. When only part of it is known (a URL
    like ``/2014/07/``, or a full date written in the text) ``year``/``month`` still
    let explicit phrases ("the week ended July 23", "September") be resolved, while
    phrases relative to the publication day ("past month") stay unresolved.
    """

    published: date | None = None
    year: int | None = None
    month: int | None = None
    asof: date | None = None  # the last close relative windows run through (extractor.asof)
    intraday: bool = False  # written during the publication day's session
    session: bool = False  # the text is about its as-of session (a wrap of that day)

    @property
    def known_year(self) -> int | None:
        return self.published.year if self.published else self.year


@dataclass(frozen=True)
class Article:
    """One article as read from disk (or a JSONL line): decoded text plus header."""

    id: str  # sha256 hex of ``text``
    text: str
    path: str | None = None
    title: str | None = None
    source: str | None = None  # URL from a ``source`` header line
    published: date | None = None
    anchor: Anchor = field(default_factory=Anchor)
    body_start: int = 0  # offset where the header lines end; no fact starts before it
    asof_reason: str | None = None  # why ``anchor.asof`` is the close it is (extractor.asof)
    # An identity the source gives (a JSONL line's "id"): a changed text under the same
    # key is a new version of the same article, and its reviewed claims follow it.
    key: str | None = None


@dataclass(frozen=True)
class Unchanged:
    """A text or markdown file whose text is stored already under its path: recognised
    from its hash before its header and as-of are read (``ingest.iter_articles``)."""

    path: str
    id: str


@dataclass(frozen=True)
class Window:
    """The period a claim covers. ``start`` is the last close before the window and
    ``end`` the last close inside it (NYSE sessions), so end/start - 1 is the return.
    ``label`` is the time phrase in lower case, normalised ("year-to-date")."""

    label: str | None = None
    start: date | None = None
    end: date | None = None
    phrase_start: int | None = None  # char span of the time phrase, when one was found
    phrase_end: int | None = None
    # Where the window came from: "claim" (a time phrase in the claim's own clause),
    # "sentence" (elsewhere in its sentence), "paragraph" (borrowed from another
    # sentence of its paragraph or the heading above it), "article" (the article's
    # framing period), "reviewer" (set by hand). Only the first two and a reviewer's are
    # sure enough for the cross-check to call a claim false (WINDOW_SURE).
    source: str | None = None
    # 0: a close; 1: a moment inside the end session ("in early trading", "at 12:06 p.m.");
    # 2: an extreme reached within the window ("as much as 19% at the open", "at one point")
    intraday: int = 0


@dataclass(frozen=True)
class Mention:
    """A security or index named in the text, resolved to one symbol."""

    symbol: str
    start: int
    end: int
    text: str
    kind: str = "unknown"  # index | etf | etn | stock | fund | unknown
    name: str | None = None
    via: str = "symbol"  # exchange | paren | cashtag | symbol | name | alias | anaphor | table
    symbol_source: str = "table"  # table: in the symbol table; pattern: recognised by its form only


@dataclass(frozen=True)
class Flow:
    ticker: str
    direction: str  # inflow | outflow
    amount_usd: float | None  # US dollars; None when the text wrote another currency
    start: int
    end: int
    qualifier: str | None = None
    aggregation: str = "total"
    window: Window = field(default_factory=Window)
    source: str = "rules"
    confidence: float = 1.0
    currency: str = "USD"  # ISO code of the currency the text wrote
    amount: float | None = None  # the amount in ``currency`` (= amount_usd for USD)


@dataclass(frozen=True)
class Return:
    ticker: str
    value_pct: float  # signed percentage points
    start: int
    end: int
    value_pct_high: float | None = None  # second bound of a range ("3 to 5 percent")
    kind: str = "realized"  # realized | forecast
    qualifier: str | None = None
    window: Window = field(default_factory=Window)
    source: str = "rules"
    confidence: float = 1.0


@dataclass(frozen=True)
class Quote:
    speaker: str
    start: int
    end: int
    title: str | None = None
    organization: str | None = None
    text: str | None = None  # the quoted words, when the article quotes them
    stance: str | None = None  # bullish | bearish | neutral, when the words take one
    source: str = "rules"
    confidence: float = 1.0


@dataclass(frozen=True)
class Sentiment:
    ticker: str
    label: str  # bullish | bearish | neutral
    score: float  # in [-1, 1]; > 0 leans bullish
    start: int  # span of the strongest evidence sentence
    end: int
    sentence: str = ""
    source: str = "rules"
    relevance: int = 0  # how much the article is about the ticker, 0..100 (relevance.py)


@dataclass(frozen=True)
class TickerRelevance:
    """How much an article is about one ticker (``relevance.py``)."""

    ticker: str
    relevance: int  # 0..100
    mentions: int
    sentences: int
    claims: int
    headline: bool
    lead: bool
    role: str  # subject | mentioned | passing | benchmark


@dataclass(frozen=True)
class ArticleFacts:
    article: Article
    tickers: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    flows: tuple[Flow, ...] = ()
    returns: tuple[Return, ...] = ()
    quotes: tuple[Quote, ...] = ()
    sentiment: tuple[Sentiment, ...] = ()
    relevance: tuple[TickerRelevance, ...] = ()
    version: str = EXTRACTOR_VERSION
    # Records of the kinds that find their own (``kinds.Kind.extract``: levels, ...),
    # by table: a new kind needs no field here.
    other: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Records per kind (tickers: distinct symbols), in the registry's order."""
        from .kinds import all_kinds

        out = {"tickers": len(self.tickers)}
        out.update({k.table: len(k.records(self)) for k in all_kinds() if k.counted})
        return out


# --------------------------------------------------------------------------- JSON


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def to_json(facts: ArticleFacts) -> dict[str, Any]:
    """The full form: every field, spans included (``--format json``); the records of
    ``other`` kinds under their tables' names beside the first five."""
    out = _jsonable(asdict(facts))
    out["article"].pop("text", None)
    out.update(out.pop("other"))
    return out


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def window_from(d: dict[str, Any] | None) -> Window:
    d = dict(d or {})
    d["start"], d["end"] = _date(d.get("start")), _date(d.get("end"))
    return Window(**d)


def from_json(d: dict[str, Any], article: Article) -> ArticleFacts:
    """The facts of ``to_json`` read back (``article``: the Article they were extracted
    from; the JSON form leaves its text out). Used to bring results home from Dask
    workers; ``from_json(to_json(f), f.article) == f``."""
    from .kinds import all_kinds

    found = {k.table: tuple(k.from_json(r) for r in d.get(k.table) or ()) for k in all_kinds()}
    return ArticleFacts(
        article=article,
        tickers=tuple(d.get("tickers") or ()),
        mentions=found.pop("mentions"), flows=found.pop("flows"), returns=found.pop("returns"),
        quotes=found.pop("quotes"), sentiment=found.pop("sentiment"),
        relevance=tuple(TickerRelevance(**r) for r in d.get("relevance") or ()),
        version=d.get("version") or EXTRACTOR_VERSION,
        other={t: rows for t, rows in found.items() if rows},
    )


def evidence(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].split())


def to_gold(facts: ArticleFacts, name: str | None = None) -> dict[str, Any]:
    """The SCHEMA.md form (``--format gold``) that ``shared/eval/score.py`` reads: one
    list per kind with a gold form, in the registry's order."""
    from .kinds import all_kinds

    a = facts.article
    out: dict[str, Any] = {
        "article": name or (a.path.rsplit("/", 1)[-1] if a.path else None),
        "published": a.published.isoformat() if a.published else None,
        "tickers": list(facts.tickers),
    }
    for kind in all_kinds():
        if kind.gold_form:
            out[kind.table] = [g for g in (kind.gold(r, a.text) for r in kind.records(facts)) if g is not None]
    return out
