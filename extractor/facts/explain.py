"""Why each candidate number became a claim or did not: plain decision records.

Every percent and dollar amount the rules consider ends as one ``Decision``: kept (a
return or a flow, with the ticker and window it took and why) or rejected (with the
reason and the rule or model that decided). ``extractor extract FILE --explain``
prints them; nothing is dropped silently.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Decision:
    kind: str            # "return" | "flow": what the number was read as a candidate for
    start: int           # the number's characters
    end: int
    kept: bool
    reason: str          # why kept or why not, in words
    rule: str            # the rule or model that decided ("rules:…", "model:role-veto")
    ticker: str | None = None
    ticker_why: str | None = None
    others: tuple[str, ...] = ()  # the sentence's other tickers, each with why not
    window: str | None = None
    window_why: str | None = None


@dataclass
class Explainer:
    """Collects decisions while facts are assembled (``assemble(..., explain=...)``)."""

    decisions: list[Decision] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # tables read, rows left alone

    def reject(self, kind: str, c, reason: str, rule: str, ticker=None, ticker_why=None,
               others: Iterable[str] = ()) -> None:
        self.decisions.append(Decision(kind, c.start, c.end, False, reason, rule,
                                       getattr(ticker, "symbol", ticker), ticker_why, tuple(others)))

    def keep(self, kind: str, c, reason: str, rule: str, ticker: str, ticker_why: str,
             others: Iterable[str], window, window_why: str) -> None:
        self.decisions.append(Decision(kind, c.start, c.end, True, reason, rule, ticker, ticker_why,
                                       tuple(others), describe_window(window), window_why))

    def tables(self, found, text: str) -> None:
        """Each table read: its columns, and every figure it gave, as kept decisions."""
        for t in found.tables:
            cols = "; ".join(f"{c.concept}: “{c.heading}”" + (f" ×{c.scale:g}" if c.scale else "") +
                             (f" → {describe_window(c.window)}" if c.concept not in ("other", "date") else "")
                             for c in t.columns)
            self.notes.append(f"table at {t.start}: {len(t.rows)} rows read; columns {cols}")
            self.notes.extend("  " + n for n in t.notes)
        for rec in [*found.flows, *found.returns]:
            kind = "flow" if hasattr(rec, "direction") else "return"
            self.decisions.append(Decision(kind, rec.start, rec.end, True, "a cell under a "
                                           f"{kind} column of a table", "rules:table", rec.ticker,
                                           "the fund of the row", (), describe_window(rec.window),
                                           "the column's heading, else the table's caption"))

    def drop(self, kind: str, record, reason: str, rule: str) -> None:
        """A record removed after assembly (a duplicate): the kept decision it came from,
        the number of that ticker inside the record's evidence, says so."""
        for d in self.decisions:
            if d.kind == kind and d.kept and d.ticker == record.ticker and record.start <= d.start \
                    and d.end <= record.end:
                d.kept, d.reason, d.rule = False, reason, rule
                return


def describe_window(w) -> str:
    if w is None:
        return "(none)"
    span = f"{w.start} .. {w.end}" if w.start or w.end else "unresolved"
    extra = f", {w.source}" if getattr(w, "source", None) else ""
    return f"“{w.label}” {span}{extra}" if w.label else f"{span}{extra}"


def format_decisions(decisions: list[Decision], text: str, width: int = 110) -> list[str]:
    """Human lines, one block per candidate number, in text order."""
    lines: list[str] = []
    for d in sorted(decisions, key=lambda d: (d.start, d.kind)):
        a = text.rfind("\n", 0, d.start) + 1
        context = " ".join(text[max(a, d.start - 60):min(len(text), d.end + 40)].split())
        verdict = "KEPT as " + d.kind if d.kept else "not a " + d.kind
        lines.append(f"{text[d.start:d.end]!r} @{d.start}: {verdict}: {d.reason} [{d.rule}]")
        lines.append(f"    …{context[:width]}…")
        if d.ticker or d.ticker_why:
            lines.append(f"    ticker: {d.ticker or '(none)'}: {d.ticker_why or ''}")
        for o in d.others:
            lines.append(f"    not {o}")
        if d.window:
            lines.append(f"    window: {d.window}: {d.window_why or ''}")
    return lines
