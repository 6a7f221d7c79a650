"""The reads behind the review app's pages: plain SQL over the stored rows, one page of
results at a time, so a page costs the same with 10 articles or 10,000.

Nothing here writes (``extractor.review`` does) or re-runs extraction.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from .. import kinds as registry
from ..store import CHECKED_TABLES, FACT_TABLES

# What the person calls a kind of claim -> its table.
KINDS: dict[str, str] = {k.name: k.table for k in registry.all_kinds()}
# The inbox's status filter -> the stored statuses it means.
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "unreviewed": ("extracted",), "accepted": ("accepted",), "edited": ("edited", "added"),
    "rejected": ("rejected",)}
PER_PAGE = 25


@dataclass(frozen=True)
class InboxFilter:
    ticker: str | None = None
    kinds: tuple[str, ...] = ()  # keys of KINDS; empty = any
    verdict: str | None = None  # confirmed | contradicted | unverifiable
    status: str | None = None  # a key of STATUS_FILTERS
    q: str = ""  # full-text search (FTS5 syntax; plain words work)


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    cols = [d[0] for d in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


def fts_query(q: str) -> str:
    """Plain words as FTS5 phrases ("S&P 500" would be a syntax error raw); a query
    that already uses quotes or operators is passed through."""
    if any(op in q for op in ('"', " AND ", " OR ", " NOT ", "*", "NEAR(")):
        return q
    return " ".join('"' + w.replace('"', "") + '"' for w in q.split())


def _tables(f: InboxFilter) -> list[str]:
    return [KINDS[k] for k in f.kinds] if f.kinds else list(FACT_TABLES)


def _where(f: InboxFilter) -> tuple[str, dict[str, Any]]:
    """SQL conditions on ``articles a`` for the filter, and their parameters."""
    clauses, params = [], {}
    tables = _tables(f)
    if f.ticker:
        params["ticker"] = f.ticker.strip().upper()
        union = " UNION ".join(
            f"SELECT article_id FROM {t} WHERE {registry.get(t).symbol_column} = :ticker"
            for t in tables if registry.get(t).symbol_column) or "SELECT NULL"
        clauses.append(f"a.id IN ({union})")
    if f.kinds and not f.status:
        clauses.append("(" + " OR ".join(
            f"EXISTS (SELECT 1 FROM live_{t} WHERE article_id = a.id)"
            for t in tables) + ")")
    if f.verdict:
        params["verdict"] = f.verdict
        union = " UNION ".join(
            f"SELECT x.article_id FROM checks c JOIN {t} x ON x.id = c.fact_id "
            f"WHERE c.verdict = :verdict AND c.fact_table = '{t}'"
            for t in CHECKED_TABLES if t in tables) or "SELECT NULL"
        clauses.append(f"a.id IN ({union})")
    if f.status:
        statuses = STATUS_FILTERS[f.status]
        marks = ", ".join(f":s{i}" for i in range(len(statuses)))
        params.update({f"s{i}": s for i, s in enumerate(statuses)})
        clauses.append("(" + " OR ".join(  # index probes on (article_id, status) per article
            f"EXISTS (SELECT 1 FROM {t} WHERE article_id = a.id AND status IN ({marks}))"
            for t in tables) + ")")
    if f.q.strip():
        params["q"] = fts_query(f.q.strip())
        clauses.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)")
    return (" AND ".join(clauses) or "1"), params


def _counts(db: Database, ids: list[str]) -> dict[str, dict[str, int]]:
    """Per article: claims per kind (rejected left out) and per review status, and
    verdicts."""
    counts = {i: dict.fromkeys([*KINDS, *STATUS_FILTERS, "confirmed", "contradicted"], 0)
              for i in ids}
    if not ids:
        return counts
    marks = ", ".join("?" * len(ids))
    status_of = {s: name for name, ss in STATUS_FILTERS.items() for s in ss}
    kind_of = {t: k for k, t in KINDS.items()}
    for t in FACT_TABLES:
        kind = registry.get(t)
        if not kind.counted:  # tickers: the symbols an article names, not how often it names them
            for aid, n in db.execute(f"SELECT article_id, count(DISTINCT {kind.symbol_column}) FROM live_{t} "
                                     f"WHERE article_id IN ({marks}) GROUP BY 1", ids):
                counts[aid][kind.name] = n
            continue
        for aid, status, n in db.execute(f"SELECT article_id, status, count(*) FROM {t} "
                                         f"WHERE article_id IN ({marks}) GROUP BY 1, 2", ids):
            if status != "rejected":
                counts[aid][kind_of[t]] += n
            counts[aid][status_of[status]] += n
    for t in CHECKED_TABLES:
        for aid, verdict, n in db.execute(
                f"SELECT x.article_id, c.verdict, count(*) FROM {t} x JOIN checks c "
                f"ON c.fact_table = '{t}' AND c.fact_id = x.id WHERE x.article_id IN ({marks}) "
                "GROUP BY 1, 2", ids):
            if verdict in ("confirmed", "contradicted"):
                counts[aid][verdict] += n
    return counts


def inbox(db: Database, f: InboxFilter = InboxFilter(), *, page: int = 1,
          per_page: int = PER_PAGE) -> tuple[int, list[dict[str, Any]]]:
    """(number of matching articles, one page of them newest first with their counts)."""
    where, params = _where(f)
    total = db.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]
    rows = _dicts(db.execute(
        f"SELECT a.id, a.published, a.title, a.path, a.superseded_by IS NOT NULL AS source_changed, "
        f"substr(a.text, a.body_start + 1, 160) AS lead "
        f"FROM articles a WHERE {where} "
        "ORDER BY a.published DESC, a.id LIMIT :limit OFFSET :offset",
        {**params, "limit": per_page, "offset": max(page - 1, 0) * per_page}))
    counts = _counts(db, [r["id"] for r in rows])
    return total, [{**r, **counts[r["id"]]} for r in rows]


# Per kind reviewed one by one: (table, the claim's ticker column, its certainty). NULL
# confidence (a rule's claim) counts as certain.
_QUEUE_SOURCES = {k.name: (k.table, f"x.{k.symbol_column}" if k.symbol_column else "NULL", k.certainty)
                  for k in registry.all_kinds() if k.counted}


def _queue_rows(db: Database, kind: str, where: str, params: dict[str, Any], extra: str,
                order: str, n: int, *, flagged: bool = False) -> list[dict[str, Any]]:
    """One kind's unreviewed claims; ``flagged``: only those whose check contradicts them
    or whose article's stance disagrees with the move (read from ``checks`` first)."""
    table, ticker, certainty = _QUEUE_SOURCES[kind]
    join = ""
    if flagged:
        join = (f"JOIN checks c ON c.fact_table = '{table}' AND c.fact_id = x.id AND "
                "(c.verdict = 'contradicted' OR c.sentiment_disagrees = 1)")
    elif table in CHECKED_TABLES:
        join = f"LEFT JOIN checks c ON c.fact_table = '{table}' AND c.fact_id = x.id"
    verdict, disagrees = ("c.verdict", "coalesce(c.sentiment_disagrees, 0)") if join else ("NULL", "0")
    return _dicts(db.execute(
        f"SELECT '{kind}' AS kind, '{table}' AS fact_table, x.id AS fact_id, x.article_id, "
        f"a.title, a.published, {ticker} AS ticker, x.evidence, {certainty} AS certainty, "
        f"{verdict} AS verdict, {disagrees} AS disagrees "
        f"FROM {table} x JOIN articles a ON a.id = x.article_id {join} "
        f"WHERE x.status = 'extracted' AND {where} {extra} {order} LIMIT :n",
        {**params, "n": n}))


def queue(db: Database, f: InboxFilter = InboxFilter(), *, limit: int = PER_PAGE,
          offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Unreviewed claims, the least certain first: contradicted by the data, then the
    article's stance disagreeing with the move, then the lowest confidence (a sentiment
    label's certainty is the size of its score).

    Each kind is read in that order through its (status, certainty) index and only the
    first ``offset + limit`` of each are merged, so the queue costs the same with 300,000
    unreviewed claims as with 30."""
    where, params = _where(InboxFilter(ticker=f.ticker, verdict=f.verdict, q=f.q))
    n = offset + limit
    kinds = [k for k in (f.kinds or _QUEUE_SOURCES) if k in _QUEUE_SOURCES]
    found: dict[tuple[str, int], dict[str, Any]] = {}
    total = 0
    for kind in kinds:
        table, _, certainty = _QUEUE_SOURCES[kind]
        articles = "" if where == "1" else "JOIN articles a ON a.id = x.article_id"
        total += db.execute(f"SELECT count(*) FROM {table} x {articles} "
                            f"WHERE x.status = 'extracted' AND {where}", params).fetchone()[0]
        batches = []
        if table in CHECKED_TABLES:
            batches.append(_queue_rows(db, kind, where, params, "", "", n, flagged=True))
        batches.append(_queue_rows(db, kind, where, params, f"AND {certainty} IS NOT NULL",
                                   f"ORDER BY {certainty}", n))
        batches.append(_queue_rows(db, kind, where, params, f"AND {certainty} IS NULL", "", n))
        for batch in batches:
            for r in batch:
                found[(r["fact_table"], r["fact_id"])] = r
    rows = sorted(found.values(), key=lambda r: r["fact_id"])  # stable sorts: last key first
    rows.sort(key=lambda r: r["published"] or "", reverse=True)  # newest first, no date last
    rows.sort(key=lambda r: (r["verdict"] != "contradicted", not r["disagrees"],
                             1.0 if r["certainty"] is None else r["certainty"]))
    rows = rows[offset:n]
    for r in rows:
        r["why"] = ("contradicted by the data" if r["verdict"] == "contradicted" else
                    "stance disagrees with the move" if r["disagrees"] else
                    f"certainty {r['certainty']:.2f}" if r["certainty"] is not None else "")
    return total, rows


def tickers(db: Database, limit: int = 2000) -> list[str]:
    """Symbols mentioned anywhere, the most-mentioned first."""
    return [r[0] for r in db.execute(
        "SELECT symbol FROM live_mentions GROUP BY symbol "
        "ORDER BY count(*) DESC, symbol LIMIT ?", [limit])]


def article(db: Database, article_id: str) -> dict[str, Any] | None:
    rows = _dicts(db.execute("SELECT id, path, title, source, published, text, body_start, "
                             "tickers, extractor_version, ingested_at, superseded_by, asof, asof_reason "
                             "FROM articles WHERE id = ?", [article_id]))
    return rows[0] if rows else None


def display_title(title: str | None, lead: str | None, path: str | None = None) -> str:
    """The article's title, else its first words (an article with no title line is
    known by what it says, not by its file name), else the file."""
    if title and title.strip():
        return title.strip()
    words = " ".join((lead or "").split())
    if words:
        return words[:80] + ("…" if len(words) > 80 else "")
    return path or "(untitled)"


def relevance(db: Database, article_id: str) -> list[dict[str, Any]]:
    """The article's tickers, most relevant first, with the stance it takes (if any)."""
    if "article_tickers" not in db.table_names():
        return []
    return _dicts(db.execute(
        "SELECT t.ticker, t.relevance, t.role, t.mentions, t.claims, t.headline, "
        "(SELECT s.label FROM live_sentiment s WHERE s.article_id = t.article_id AND s.ticker = t.ticker "
        " ORDER BY s.id LIMIT 1) AS stance "
        "FROM article_tickers t WHERE t.article_id = ? ORDER BY t.relevance DESC, t.ticker", [article_id]))


def versions(db: Database, table: str, article_id: str) -> dict[int, str]:
    """{fact id: fact_version} of one article's claims of one kind, as stored now: what
    an action on the page carries, so a claim changed since is not overwritten."""
    from ..review import fact_version

    cursor = db.execute(f"SELECT * FROM {table} WHERE article_id = ?", [article_id])
    cols = [d[0] for d in cursor.description]
    return {r[0]: fact_version(dict(zip(cols, r))) for r in cursor.fetchall()}


def next_article(db: Database, current: str | None) -> str | None:
    """The next article, in the inbox's order, that still has unreviewed claims (after
    ``current``, wrapping round to the newest); None when every article is reviewed."""
    has_work = " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE article_id = a.id AND "
                           "status = 'extracted')" for t in FACT_TABLES)
    order = "ORDER BY a.published DESC, a.id LIMIT 1"
    if current:
        row = db.execute("SELECT published FROM articles WHERE id = ?", [current]).fetchone()
        if row:
            after = db.execute(
                f"SELECT a.id FROM articles a WHERE ({has_work}) AND a.id != :id AND "
                "(coalesce(a.published, '') < coalesce(:p, '') OR "
                "(coalesce(a.published, '') = coalesce(:p, '') AND a.id > :id)) " + order,
                {"id": current, "p": row[0]}).fetchone()
            if after:
                return after[0]
    first = db.execute(f"SELECT a.id FROM articles a WHERE ({has_work}) AND a.id != ? " + order,
                       [current or ""]).fetchone()
    return first[0] if first else None


# Columns the review table shows per kind, in order (besides id, status and evidence).
CLAIM_COLUMNS: dict[str, tuple[str, ...]] = {k.table: k.shown for k in registry.all_kinds()}


def claims(db: Database, article_id: str, table: str) -> list[dict[str, Any]]:
    """One article's claims of one kind, in text order, with their verdicts."""
    cols = ", ".join(f"x.{c}" for c in ("id", "status", *CLAIM_COLUMNS[table], "evidence",
                                        "confidence", "source", "start"))
    if table in CHECKED_TABLES:
        return _dicts(db.execute(
            f"SELECT {cols}, c.verdict, c.reading AS verdict_reading, c.actual AS actual, "
            f"c.reason AS verdict_reason FROM {table} x "
            f"LEFT JOIN checks c ON c.fact_table = '{table}' AND c.fact_id = x.id "
            "WHERE x.article_id = ? ORDER BY x.start, x.id", [article_id]))
    return _dicts(db.execute(f"SELECT {cols} FROM {table} x WHERE x.article_id = ? "
                             "ORDER BY x.start, x.id", [article_id]))


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # a kind's name (ticker, flow, return, quote, level, target) or window
    label: str  # shown on hover
    status: str


def spans(db: Database, article_id: str) -> list[Span]:
    """Every stored span of the article, from the offsets written at ingest."""
    out: list[Span] = []
    sql = {k.name: f'SELECT start, "end", {k.span_label}, status FROM {k.table} WHERE article_id = ?1'
           for k in registry.all_kinds() if k.span_label != "NULL"}
    windows = [f"SELECT window_phrase_start, window_phrase_end, window_label || ': ' || "
               f"coalesce(window_start, '?') || ' to ' || coalesce(window_end, '?') || "
               f"coalesce(' (' || window_source || ')', ''), status FROM {k.table} WHERE article_id = ?1"
               for k in registry.all_kinds() if k.windowed]
    if windows:
        sql["window"] = " UNION ALL ".join(windows)
    for kind, q in sql.items():
        for start, end, label, status in db.execute(q, [article_id]):
            if start is not None and end is not None and end > start:
                out.append(Span(int(start), int(end), kind, str(label or kind), status))
    return out


def claim_detail(db: Database, table: str, fact_id: int) -> dict[str, Any] | None:
    """A checked claim (flow, return, level, target) with its article and its check
    (evaluations parsed)."""
    if table not in CHECKED_TABLES:
        return None
    rows = _dicts(db.execute(
        f"SELECT x.*, a.title, a.published, c.verdict, c.basis, c.symbol AS checked_symbol, "
        "c.start_date, c.end_date, c.sessions_early, c.start_price, c.end_price, c.actual, "
        "c.accept_low, c.accept_high, c.tolerance, c.forecast, c.dollar_volume, c.flow_multiple, "
        "c.sentiment AS stance, c.sentiment_disagrees, c.reason, c.reading, c.evaluations, c.checked_at, "
        "a.asof AS article_asof, a.asof_reason "
        f"FROM {table} x JOIN articles a ON a.id = x.article_id LEFT JOIN checks c "
        f"ON c.fact_table = '{table}' AND c.fact_id = x.id WHERE x.id = ?", [int(fact_id)]))
    if not rows:
        return None
    row = rows[0]
    row["evaluations"] = json.loads(row["evaluations"]) if row["evaluations"] else []
    return row


def checked_claims(db: Database, article_id: str | None = None, limit: int = 200
                   ) -> list[dict[str, Any]]:
    """Checked claims to pick from on the claim page: one article's, or else the
    contradicted ones, newest first."""
    if article_id:
        where, params = "WHERE article_id = :a", {"a": article_id}
    else:
        where, params = "WHERE verdict = 'contradicted'", {}
    return _dicts(db.execute(
        "SELECT claim_type, fact_id, article_id, ticker, evidence, verdict, title FROM claims "
        f"{where} ORDER BY published DESC, fact_id LIMIT :limit", {**params, "limit": limit}))


def price_history(db: Database, symbol: str, start: str, end: str, *, margin_days: int | None = None
                  ) -> list[dict[str, Any]]:
    """Daily closes of ``symbol`` from ``start`` to ``end`` with a margin either side:
    half the window's length, at least two weeks."""
    d0, d1 = date.fromisoformat(start), date.fromisoformat(end)
    margin = timedelta(days=margin_days if margin_days is not None else max(14, abs(d1 - d0).days // 2))
    lo = d0 - margin if d0 - date.min > margin else date.min
    hi = d1 + margin if date.max - d1 > margin else date.max
    return _dicts(db.execute(
        "SELECT date, close, adj_close FROM prices WHERE symbol = ? AND date BETWEEN ? AND ? "
        "ORDER BY date", [symbol, lo.isoformat(), hi.isoformat()]))


def database_counts(db: Database) -> dict[str, int]:
    return {"articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
            "prices": db.execute("SELECT count(*) FROM (SELECT 1 FROM prices LIMIT 1)").fetchone()[0]}


def saved_queries() -> dict[str, str]:
    """The SQL page's examples (title -> SQL): ``extractor/data/saved_queries.sql``, then
    those each kind declares (``Kind.examples``)."""
    from importlib.resources import files

    text = files("extractor").joinpath("data/saved_queries.sql").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for block in text.split("-- name: ")[1:]:
        title, _, sql = block.partition("\n")
        out[title.strip()] = sql.strip()
    for kind in registry.all_kinds():
        out.update({title: sql.strip() for title, sql in kind.examples.items()})
    return out
