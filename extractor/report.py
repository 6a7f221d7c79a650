"""Plain-text, CSV and JSON renderings of rows, for the command line.

No formatting library: a table here is a few aligned columns, and the CLI's output
must stay stable enough to assert on in tests.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from .schema import ArticleFacts, evidence


def _cell(value: Any, max_width: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 1e5 else f"{value:g}"
    elif isinstance(value, bytes):
        text = f"<{len(value)} bytes>"
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def format_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, max_width: int = 60) -> str:
    """Columns padded to their widest cell, numbers right-aligned, long text cut with "…"."""
    rows = [list(r) for r in rows]
    cells = [[_cell(v, max_width) for v in r] for r in rows]
    widths = [len(c) for c in columns]
    for r in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, r)]
    right = [bool(rows) and all(_is_number(r[i]) or r[i] is None for r in rows)
             for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if rt else v.ljust(w)
                         for v, w, rt in zip(values, widths, right)).rstrip()

    out = [line(list(columns)), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def format_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue()


def format_json(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A JSON list of objects, one per row (bytes as their length, as in the table)."""
    return json.dumps([dict(zip(columns, r)) for r in rows], indent=2, ensure_ascii=False,
                      default=lambda v: f"<{len(v)} bytes>" if isinstance(v, bytes) else str(v))


def _window(w: Any) -> str:
    """'year-to-date (2016-12-30 .. 2017-08-17)', with where a borrowed window came from
    ('[article]') and '[intraday]' for a moment inside the end session."""
    marks = "".join(f" [{m}]" for m in (w.source if w.source in ("paragraph", "article") else None,
                                        {1: "intraday", 2: "intraday extreme"}.get(w.intraday)) if m)
    if w.start or w.end:
        return f"{w.label or ''} ({w.start or '?'} .. {w.end or '?'}){marks}".strip()
    return f"{w.label or ''}{marks}".strip()


def facts_table(facts: ArticleFacts) -> str:
    """One article's claims, readable: a heading, its tickers, then flows, returns and
    quotes as tables (sections with no rows are left out)."""
    a, text = facts.article, facts.article.text
    head = f"{a.path or a.id[:12]}"
    if a.title:
        head += f"  {a.title}"
    if a.published:
        head += f"  ({a.published.isoformat()})"
    parts = [head, "=" * min(len(head), 78),
             f"tickers: {', '.join(facts.tickers) if facts.tickers else '(none)'}"]
    sections = [
        ("flows", ["ticker", "direction", "amount_usd", "qualifier", "window", "evidence"],
         [[f.ticker, f.direction, f.amount_usd, f.qualifier, _window(f.window),
           evidence(text, f.start, f.end)] for f in facts.flows]),
        ("returns", ["ticker", "value_pct", "high", "kind", "qualifier", "window", "evidence"],
         [[r.ticker, r.value_pct, r.value_pct_high, r.kind, r.qualifier, _window(r.window),
           evidence(text, r.start, r.end)] for r in facts.returns]),
        ("quotes", ["speaker", "title", "organization", "evidence"],
         [[q.speaker, q.title, q.organization, evidence(text, q.start, q.end)]
          for q in facts.quotes]),
        ("sentiment", ["ticker", "label", "score"],
         [[s.ticker, s.label, s.score] for s in facts.sentiment]),
    ]
    for name, columns, rows in sections:
        if rows:
            parts += ["", f"{name}:", format_table(columns, rows)]
    if not any(rows for _, _, rows in sections):
        parts.append("(no flows, returns, quotes or sentiment found)")
    return "\n".join(parts) + "\n"
