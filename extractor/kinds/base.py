"""What a kind of fact is, declared once: the ``Kind`` every kind module subclasses.

A kind says everything the rest of the house needs to know about it, so the store,
the review app, the gold form, the cross-check and the CLI iterate the registry
instead of naming flows and returns: its record type and where extraction puts it,
its table and columns, what makes two claims the same claim (``identity``), what a
reviewer may change and must not leave empty, how it is shown (columns, hover label,
highlight colour), how it is checked (``claims`` + ``check``, or not at all) and its
gold form. Like Datasette's facets: one class per kind, a ``type`` (here ``table``) as
its name, and small methods the callers share.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

# Types of editable values (review.coerce reads them): a word tuple is a closed vocabulary.
SYMBOL, TEXT, NUMBER, AMOUNT, SCORE, DATE = "symbol", "text", "number", "amount", "score", "date"
POSITIVE = "positive"  # a price or a level: a number above 0
WINDOW_EDITABLE: dict[str, Any] = {"window_label": TEXT, "window_start": DATE, "window_end": DATE}


WINDOW_SOURCES_WORDS = {"claim": "the claim's own clause", "sentence": "its sentence",
                        "paragraph": "another sentence of its paragraph (borrowed)",
                        "article": "the article's framing period or as-of close (borrowed)",
                        "reviewer": "a reviewer"}


@dataclass(frozen=True)
class KindInput:
    """What extraction hands a kind that finds its own records (``Kind.extract``): the
    Doc after the rule components, the article, its ticker references, its time index
    (relative windows end at the article's as-of close) and the quotes already read."""

    doc: Any
    article: Any  # schema.Article
    text: str
    refs: Sequence[Any]  # references.Ref
    times: Any  # windows.TimeIndex
    quotes: Sequence[Any] = ()  # schema.Quote


def canon(value: Any) -> str:
    return str(value or "").strip().upper()


def last_name(name: Any) -> str:
    parts = str(name or "").replace(".", " ").split()
    return parts[-1].casefold() if parts else ""


def num(value: Any) -> str:
    return "" if value is None else repr(round(float(value), 2))


def iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def money(v: float | None) -> str:
    """Dollars as people read them: "$700 million", "$1.25 billion", "$950"."""
    if v is None:
        return ""
    for size, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if abs(v) >= size:
            return f"${v / size:,.2f} {word}".replace(".00 ", " ")
    return f"${v:,.0f}"


def window_values(w: Any) -> dict[str, Any]:
    """A schema.Window as the window_* columns of a windowed kind."""
    return {"window_label": w.label, "window_start": iso(w.start), "window_end": iso(w.end),
            "window_phrase_start": w.phrase_start, "window_phrase_end": w.phrase_end,
            "window_source": w.source, "window_intraday": int(w.intraday)}


def window_row_gold(row: Mapping[str, Any]) -> dict[str, Any]:
    """The gold form's window from a windowed kind's columns."""
    return {"label": row.get("window_label"), "start": row.get("window_start"), "end": row.get("window_end")}


def finite(v: Any) -> float | None:
    """A stored number, or None for NULL, text, NaN or infinity (another tool, or a hand
    edit, may have put anything in the column)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def day(value: Any) -> date | None:
    """A stored ISO date, or None for NULL or anything another tool put there."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


class Kind:
    """One kind of fact. Subclasses set the attributes and override what differs."""

    name: str = ""  # what a person calls one claim: claims.claim_type, the inbox's filter
    table: str = ""  # its table; also its key in ArticleFacts and in the gold form
    title: str = ""  # the review page's tab
    record: type | None = None  # the dataclass extraction makes
    symbol_column: str | None = "ticker"  # the column naming the security (None: quotes)
    checked: bool = False  # the cross-check gives it a verdict (rows in ``checks``)
    windowed: bool = False  # has window_* columns: a typed window label gets dates
    counted: bool = True  # a claim reviewed one by one (tickers are counted per symbol)
    # Its own columns as SQL, for a kind whose table the registry creates (store.ensure_kinds);
    # the first five kinds' tables come from the numbered migrations.
    columns: str = ""
    editable: Mapping[str, Any] = {}  # field -> value type (above) or tuple of allowed words
    required: tuple[str, ...] = ()  # an edit or an add may not leave these empty
    shown: tuple[str, ...] = ()  # the review table's columns (besides id, status, evidence)
    claim_columns: tuple[str, ...] = ()  # its columns in the ``claims`` view (checked kinds)
    span_label: str = "NULL"  # SQL over its row (no alias): the highlight's hover text; NULL: none
    style: str = "background: #eeeeee;"  # the highlight's CSS
    layer: int = 2  # the highlight's stacking: a higher layer's style shows inside a lower one
    certainty: str = "x.confidence"  # SQL: how sure the machine was (the review queue's order)
    gold_form: bool = True  # a list of its own in the gold form (tickers are a list of symbols)
    days: tuple[str, str] | None = None  # checked kinds: columns of the first and last day the check reads
    examples: Mapping[str, str] = {}  # the SQL page's saved examples about this kind: title -> SQL
    # Where its time came from -> the fields that set it: a reviewer who edits one of
    # them makes the source "reviewer" (sure enough for the check to call the claim false).
    timed_by: Mapping[str, tuple[str, ...]] = {}
    gold_evidence: bool = True  # the gold form carries the evidence span (a stance does not)

    # ------------------------------------------------------------------ identity

    def identity(self, row: Mapping[str, Any]) -> list[Any]:
        """What makes two rows the same claim, from column values. A reviewer's edit keeps
        the key the claim was first stored with, so re-extraction adds no copy of it."""
        raise NotImplementedError

    def key(self, row: Mapping[str, Any]) -> str:
        raw = json.dumps([self.table, *self.identity(row)], separators=(",", ":"))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]

    def same(self, a: Any, b: Any) -> bool:
        """Two records (extraction's dataclasses) are the same claim."""
        return self.key(self.values(a)) == self.key(self.values(b))

    # ------------------------------------------------------------------ records and rows

    def records(self, facts: Any) -> tuple[Any, ...]:
        """This kind's records in an ArticleFacts: its own field, or ``facts.other``."""
        own = getattr(facts, self.table, None)
        return tuple(own) if own is not None else tuple(facts.other.get(self.table, ()))

    def values(self, record: Any) -> dict[str, Any]:
        """The kind's own columns for one record (the store adds span, status, key)."""
        raise NotImplementedError

    def from_json(self, d: Mapping[str, Any]) -> Any:
        """A record back from its JSON form (``schema.to_json``): dates from ISO text."""
        assert self.record is not None
        return self.record(**d)

    def gold_row(self, row: Mapping[str, Any]) -> dict[str, Any] | None:
        """The SCHEMA.md form of one claim from its columns (a stored row, or ``values``
        of a record), evidence aside; None: not part of the gold form. Extraction's
        ``--format gold`` and the export of reviewed claims both use it."""
        return None

    def added(self, row: Mapping[str, Any], article: Mapping[str, Any]) -> dict[str, Any]:
        """Values a claim a reviewer adds gets when the reviewer left them empty, from its
        other values and its article (``published``, ``asof``)."""
        return {}

    def in_gold(self, row: Mapping[str, Any]) -> bool:
        """Whether the scored gold form holds this claim (a neutral stance it does not)."""
        return True

    def gold(self, record: Any, text: str) -> dict[str, Any] | None:
        row = self.values(record)
        form = self.gold_row(row) if self.in_gold(row) else None
        if form is None or not self.gold_evidence:
            return form
        return {**form, "evidence": " ".join(text[record.start:record.end].split())}

    def describe(self, row: Mapping[str, Any]) -> str:
        """A few words for a stored row: the review page's claim picker."""
        return str(row.get(self.symbol_column or "id") or "?")

    def claimed(self, row: Mapping[str, Any]) -> str:
        """What the claim says, for the claim page ("-2.58%", "outflow $700 million")."""
        return self.describe(row)

    def actual(self, row: Mapping[str, Any]) -> str:
        """What its check measured (``actual`` of its check row), in the claim's unit."""
        value = row.get("actual")
        return f"{value:,.2f}" if value is not None else "n/a"

    def when(self, row: Mapping[str, Any]) -> str:
        """Where the claim's time came from, in a sentence (the claim page)."""
        return ""

    # ------------------------------------------------------------------ extraction

    def extract(self, given: KindInput) -> Iterable[Any] | None:
        """Records this kind finds on its own; None when the facts package makes them."""
        return None

    # ------------------------------------------------------------------ the cross-check

    def claims(self, db: Any, page: int = 2000) -> Iterator[Any]:
        """Stored rows not rejected, as objects ``check`` reads (``table``, ``id``,
        ``article_id``, ``ticker``, ``window_end``: the last day the verdict reads,
        ``fingerprint(*context)``), ``page`` rows at a time."""
        return iter(())

    def check(self, claim: Any, market: Any, today: date) -> Any:
        raise NotImplementedError

    def distinct(self, records: Iterable[Any]) -> Iterator[Any]:
        """Records with the first of each claim (``identity``): a headline and its body
        sentence are one claim."""
        seen: set[str] = set()
        for r in records:
            key = self.key(self.values(r))
            if key not in seen:
                seen.add(key)
                yield r

    def __repr__(self) -> str:
        return f"<kind {self.table}>"


WINDOW_CLAIM_COLUMNS = ("window_label", "window_start", "window_end", "window_source", "window_intraday",
                        "window_phrase_start", "window_phrase_end")


class Windowed(Kind):
    """A checked kind over a window (flows, returns): the window_* columns, a reviewer's
    window, the window in words, and its stored rows read by ``crosscheck.stored_claims``."""

    checked = windowed = True
    days = ("window_start", "window_end")
    timed_by = {"window_source": tuple(WINDOW_EDITABLE)}

    def from_json(self, d: Mapping[str, Any]) -> Any:
        from ..schema import window_from

        assert self.record is not None
        return self.record(**{**d, "window": window_from(d.get("window"))})

    def when(self, row: Mapping[str, Any]) -> str:
        c = row  # the claim page's row: the claim, its check and its article
        return (f"Window “{c.get('window_label') or '?'}”: from the close of {c.get('window_start') or '?'} "
                f"to the {'session' if c.get('window_intraday') else 'close'} of {c.get('window_end') or '?'}"
                + {1: ", a moment inside that session (intraday)",
                   2: ", an extreme reached within the window (intraday)"}.get(c.get("window_intraday") or 0, "")
                + f"; read from {WINDOW_SOURCES_WORDS.get(c.get('window_source') or '', 'an unknown place')}."
                + (f" The article's figures run through {c['article_asof']}: {c.get('asof_reason')}."
                   if c.get("article_asof") else ""))

    def claims(self, db: Any, page: int = 2000) -> Iterator[Any]:
        from ..crosscheck import stored_claims

        return stored_claims(db, page, table=self.table)


class Fingerprinted:
    """A stored claim as its checker reads it (a frozen dataclass): its fingerprint is
    every field, the kind's check policy and the context the cross-check adds (the
    prices of its series, the stance, whether it is due), so a change to any of them
    makes the verdict stale."""

    policy = 1  # raise it when the check's rules change: every verdict of the kind is stale

    def fingerprint(self, *context: Any) -> str:
        raw = json.dumps([str(v) for v in (*self.__dict__.values(), self.policy, *context)])
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def paged(db: Any, sql: str, page: int) -> Iterator[tuple]:
    """Rows of ``sql`` (which selects ``x.id`` first and ends in a WHERE clause) in id
    order, ``page`` at a time: memory stays flat and no cursor is open while the caller
    writes between pages."""
    last = -1
    while True:
        rows = db.execute(sql + " AND x.id > ? ORDER BY x.id LIMIT ?", [last, page]).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield from rows
