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


def _kind_rows(kind: Any, facts: ArticleFacts) -> tuple[list[str], list[list[Any]]]:
    """One kind's section: its review columns (a window in one cell), then the evidence."""
    columns = [c for c in kind.shown if not c.startswith("window_")]
    rows = []
    for record in kind.records(facts):
        values = kind.values(record)
        row = [values.get(c) for c in columns]
        if kind.windowed:
            row.append(_window(record.window))
        if kind.gold_evidence:
            row.append(evidence(facts.article.text, record.start, record.end))
        rows.append(row)
    return columns + ["window"] * kind.windowed + ["evidence"] * kind.gold_evidence, rows


def facts_table(facts: ArticleFacts) -> str:
    """One article's claims, readable: a heading, its tickers, then a table per kind of
    claim in the registry's order (kinds with no rows are left out)."""
    from .kinds import all_kinds  # the registry imports the schema; the report is imported early

    a = facts.article
    head = f"{a.path or a.id[:12]}"
    if a.title:
        head += f"  {a.title}"
    if a.published:
        head += f"  ({a.published.isoformat()})"
    parts = [head, "=" * min(len(head), 78),
             f"tickers: {', '.join(facts.tickers) if facts.tickers else '(none)'}"]
    found = False
    for kind in all_kinds():
        if not kind.gold_form:
            continue  # the mentions: the tickers line above
        columns, rows = _kind_rows(kind, facts)
        if rows:
            found = True
            parts += ["", f"{kind.table}:", format_table(columns, rows)]
    if not found:
        parts.append("(no claims found)")
    return "\n".join(parts) + "\n"
