"""SQLite storage: the schema (through migrations), one transaction per article, the
``claims`` view, full-text search and the read-only query path.

The file is plain SQLite that Datasette, ``sqlite3`` and ``sqlite-utils`` open as is.
Machine-made rows have status ``extracted``; any other status is a human decision, and
nothing here ever overwrites or deletes one (see ``write_article``).
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlite_utils import Database, Migrations

from . import kinds
from .errors import ReadOnlyQueryError, StoreError
from .kinds.base import iso
from .schema import (AGGREGATIONS, DIRECTIONS, EXTRACTOR_VERSION, RETURN_KINDS, SENTIMENT_LABELS,
                     SOURCES, STATUSES, VERDICTS, Article, ArticleFacts)

BUSY_TIMEOUT = 5.0  # seconds a writer waits for another writer's lock
FACT_TABLES = kinds.tables()  # every kind's table, in the registry's order
CHECKED_TABLES = kinds.tables(checked=True)  # the claims the cross-check gives a verdict
# The tables of migrations 1-7, frozen: a migration reads the schema as it was then.
_FIRST_TABLES = ("mentions", "flows", "returns", "quotes", "sentiment")
_FIRST_CHECKED = ("flows", "returns")
MACHINE_STATUS = "extracted"
READ_ONLY_MESSAGE = ("extractor query is read-only: INSERT/UPDATE/DELETE/DROP are refused; "
                     "use the review app to change claims")
_WRITE_KEYWORDS = {"INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER", "REPLACE", "ATTACH",
                   "DETACH", "VACUUM", "REINDEX", "UPSERT"}


class DatabaseLocked(StoreError):
    """Another program holds the write lock for longer than the busy timeout. Fatal for a
    whole run: every later article would wait and fail the same way."""


# --------------------------------------------------------------------------- schema

def _in(column: str, values: Sequence[str]) -> str:
    return f"CHECK ({column} IN ({', '.join(repr(v) for v in values)}))"


_FACT_COLUMNS = f"""
    start INTEGER,                 -- character span of the evidence in articles.text
    "end" INTEGER,
    evidence TEXT,                 -- articles.text[start:end]
    source TEXT NOT NULL DEFAULT 'rules' {_in('source', SOURCES)},
    status TEXT NOT NULL DEFAULT 'extracted' {_in('status', STATUSES)},
    confidence REAL,
    extractor_version TEXT,
    fact_key TEXT                  -- identity of the claim as first extracted, see fact_key()
"""
_WINDOW_COLUMNS = """
    window_label TEXT,
    window_start TEXT,             -- ISO date: last close before the window
    window_end TEXT,               -- ISO date: last close inside it
    window_phrase_start INTEGER,
    window_phrase_end INTEGER,
"""
_ARTICLE_FK = "article_id TEXT NOT NULL REFERENCES articles(id)"


def m001_initial_schema(db: Database) -> None:
    db.executescript(f"""
CREATE TABLE articles (
    id TEXT PRIMARY KEY,           -- sha256 hex of text
    path TEXT,
    title TEXT,
    source TEXT,                   -- URL from the header
    published TEXT,                -- ISO date, when known
    text TEXT NOT NULL,
    body_start INTEGER NOT NULL DEFAULT 0,
    tickers TEXT NOT NULL DEFAULT '[]',   -- JSON array of symbols
    extractor_version TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX idx_articles_path ON articles(path);
CREATE INDEX idx_articles_published ON articles(published);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: corrections point at ids
    {_ARTICLE_FK},
    symbol TEXT NOT NULL,
    name TEXT,
    kind TEXT,
    text TEXT,                     -- the words as written
    via TEXT,
    {_FACT_COLUMNS}
);
CREATE TABLE flows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: corrections point at ids
    {_ARTICLE_FK},
    ticker TEXT,
    direction TEXT {_in('direction', DIRECTIONS)},
    amount_usd REAL,               -- US dollars, positive
    qualifier TEXT,
    aggregation TEXT DEFAULT 'total' {_in('aggregation', AGGREGATIONS)},
    {_WINDOW_COLUMNS}
    {_FACT_COLUMNS}
);
CREATE TABLE returns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: corrections point at ids
    {_ARTICLE_FK},
    ticker TEXT,
    value_pct REAL,                -- signed percentage points
    value_pct_high REAL,
    kind TEXT DEFAULT 'realized' {_in('kind', RETURN_KINDS)},
    qualifier TEXT,
    {_WINDOW_COLUMNS}
    {_FACT_COLUMNS}
);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: corrections point at ids
    {_ARTICLE_FK},
    speaker TEXT,
    title TEXT,
    organization TEXT,
    quote_text TEXT,
    stance TEXT,
    {_FACT_COLUMNS}
);
CREATE TABLE sentiment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: corrections point at ids
    {_ARTICLE_FK},
    ticker TEXT,
    label TEXT {_in('label', SENTIMENT_LABELS)},
    score REAL,                    -- in [-1, 1]; > 0 leans bullish
    sentence TEXT,
    {_FACT_COLUMNS}
);
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    fact_table TEXT NOT NULL,
    fact_id INTEGER NOT NULL,
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    created_at TEXT NOT NULL,
    note TEXT
);
CREATE INDEX idx_corrections_fact ON corrections(fact_table, fact_id);
""")
    for table in _FIRST_TABLES:
        db[table].create_index(["article_id"])
        db[table].create_index(["status"])
        db[table].create_index(["symbol" if table == "mentions" else "ticker"])
    db["articles"].enable_fts(["title", "text"], create_triggers=True)
    db.executescript(_claims_view_sql())


def _claims_view_sql(*, with_checks: bool = False, with_readings: bool = False) -> str:
    """The ``claims`` view as migrations 1-4 made it (``claims_view_sql`` makes today's
    from the registry once they have run). One row per flow and per return, with its article and (once migration 2 made
    the ``checks`` table) its verdict; before that ``verdict`` is NULL. Migration 4 adds
    where each window came from and how its verdict was reached (``with_readings``)."""
    checked, join, window = "NULL AS verdict", "", ""
    if with_checks:
        checked = ("c.verdict, c.basis AS verdict_basis, c.symbol AS checked_symbol, "
                   "c.start_date AS checked_start, c.end_date AS checked_end, c.sessions_early, "
                   "c.actual AS actual_value, c.tolerance, c.reason AS verdict_reason, "
                   "c.sentiment_disagrees, c.flow_multiple")
        join = "LEFT JOIN checks c ON c.fact_table = '{table}' AND c.fact_id = {alias}.id"
    if with_readings:
        checked += ", c.reading AS verdict_reading"
        window = ("{alias}.window_source, {alias}.window_intraday, {alias}.window_phrase_start, "
                  "{alias}.window_phrase_end, a.asof AS article_asof, ")
    return f"""
CREATE VIEW claims AS
SELECT 'flow' AS claim_type, f.id AS fact_id, f.article_id, a.title, a.published, a.path,
       f.ticker, f.direction, f.amount_usd, NULL AS value_pct, NULL AS value_pct_high,
       NULL AS kind, f.qualifier, f.aggregation, f.window_label, f.window_start, f.window_end,
       {window.format(alias="f")}f.start, f."end", f.evidence, f.status, f.source, f.confidence, f.extractor_version,
       {checked}
FROM flows f JOIN articles a ON a.id = f.article_id
{join.format(table="flows", alias="f")}
UNION ALL
SELECT 'return', r.id, r.article_id, a.title, a.published, a.path,
       r.ticker, NULL, NULL, r.value_pct, r.value_pct_high,
       r.kind, r.qualifier, NULL, r.window_label, r.window_start, r.window_end,
       {window.format(alias="r")}r.start, r."end", r.evidence, r.status, r.source, r.confidence, r.extractor_version,
       {checked}
FROM returns r JOIN articles a ON a.id = r.article_id
{join.format(table="returns", alias="r")};
"""


def m002_market_and_checks(db: Database) -> None:
    """Market data (prices, splits and dividends, fund flows) and one verdict per flow or
    return in ``checks``; the ``claims`` view gains the verdict and its evidence."""
    db.executescript(f"""
CREATE TABLE prices (
    symbol TEXT NOT NULL,
    date TEXT NOT NULL,            -- ISO date of the session
    open REAL, high REAL, low REAL,
    close REAL,                    -- as traded (a split makes it jump)
    adj_close REAL,                -- adjusted for splits and dividends: total return
    volume REAL,                   -- shares traded
    provider TEXT,                 -- csv:FILE or yfinance
    PRIMARY KEY (symbol, date)
) WITHOUT ROWID;
CREATE TABLE corporate_actions (
    symbol TEXT NOT NULL,
    date TEXT NOT NULL,            -- ex-date
    dividend REAL,                 -- cash per share
    split_ratio REAL,              -- new shares per old: 2 = 2-for-1, 0.2 = 1-for-5
    provider TEXT,
    PRIMARY KEY (symbol, date)
) WITHOUT ROWID;
CREATE TABLE fund_flows (
    symbol TEXT NOT NULL,
    date TEXT NOT NULL,
    shares_outstanding REAL,
    net_flow_usd REAL,             -- creations minus redemptions that day, US dollars
    provider TEXT,
    PRIMARY KEY (symbol, date)
) WITHOUT ROWID;
CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    fact_table TEXT NOT NULL {_in('fact_table', _FIRST_CHECKED)},
    fact_id INTEGER NOT NULL,
    verdict TEXT NOT NULL {_in('verdict', VERDICTS)},
    basis TEXT,                    -- price | total_return | net_flow | shares_outstanding
    symbol TEXT,                   -- the series checked: the claim's ticker or its proxy
    start_date TEXT,               -- close the change is measured from
    end_date TEXT,                 -- close it is measured to
    sessions_early INTEGER,        -- end_date is this many sessions before the window's end
    start_price REAL,
    end_price REAL,
    actual REAL,                   -- percentage points (returns) or US dollars (flows)
    accept_low REAL,               -- what the claim allows, in the same unit
    accept_high REAL,
    tolerance REAL,
    forecast INTEGER NOT NULL DEFAULT 0,
    dollar_volume REAL,            -- flows: dollars traded in the fund over the window
    flow_multiple REAL,            -- flows: claimed amount / dollar_volume
    sentiment TEXT,                -- the article's stance toward the ticker
    sentiment_disagrees INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    evaluations TEXT,              -- JSON: every basis and end tried
    provider TEXT,
    claim_hash TEXT,               -- the claim as checked; an edit makes the check stale
    checked_at TEXT NOT NULL,
    UNIQUE (fact_table, fact_id)
);
CREATE INDEX idx_checks_verdict ON checks(verdict);
DROP VIEW claims;
""")
    db.executescript(_claims_view_sql(with_checks=True))


def m003_review(db: Database) -> None:
    """The review app: corrections grouped into changes (one reviewer action each) that
    can be undone, and indexes for the inbox's filters at 10,000 articles."""
    db.executescript("""
ALTER TABLE corrections ADD COLUMN change_id INTEGER;   -- one reviewer action, many rows
ALTER TABLE corrections ADD COLUMN undone_by INTEGER;   -- the change that reverted it
UPDATE corrections SET change_id = id WHERE change_id IS NULL;
CREATE INDEX idx_corrections_change ON corrections(change_id);
CREATE INDEX idx_checks_fact ON checks(verdict, fact_table, fact_id);
""")
    for table in _FIRST_TABLES:  # the inbox counts claims per article and status
        db[table].create_index(["article_id", "status"], if_not_exists=True)
    # the review queue reads unreviewed claims least certain first
    for table in ("flows", "returns", "quotes"):
        db[table].create_index(["status", "confidence"], if_not_exists=True)
    db.execute("CREATE INDEX IF NOT EXISTS idx_sentiment_status_certainty "
               "ON sentiment(status, abs(score))")


def m004_window_sources(db: Database) -> None:
    """Where each window came from (claim, sentence, paragraph, article, reviewer) and
    whether its figure is intraday; the article's as-of close and why; how each verdict
    was reached (``reading``: exact, or what it took to agree)."""
    db.executescript(f"""
ALTER TABLE flows ADD COLUMN window_source TEXT;
ALTER TABLE flows ADD COLUMN window_intraday INTEGER NOT NULL DEFAULT 0;
ALTER TABLE returns ADD COLUMN window_source TEXT;
ALTER TABLE returns ADD COLUMN window_intraday INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN asof TEXT;          -- ISO date: the close relative windows end at
ALTER TABLE articles ADD COLUMN asof_reason TEXT;
ALTER TABLE checks ADD COLUMN reading TEXT;         -- exact | what the agreeing reading changed
DROP VIEW claims;
""")
    db.executescript(_claims_view_sql(with_checks=True, with_readings=True))


def m005_identity(db: Database) -> None:
    """Article identity that survives edits to a file: every path a text was read from
    (``article_paths``; the same text under two paths is one article), the article that
    took over a path whose text changed (``superseded_by``: the old text keeps its
    reviewed claims and is flagged "source changed"), who made each correction; and
    the bogus ``idx_quotes_ticker`` (it indexed the string 'ticker') dropped."""
    db.executescript("""
CREATE TABLE article_paths (
    path TEXT PRIMARY KEY,         -- a file, "file.jsonl:N" or "file.jsonl#ID" the text was read from
    article_id TEXT NOT NULL,      -- articles.id (sha256 of the text) found there last
    seen_at TEXT NOT NULL
);
CREATE INDEX idx_article_paths_article ON article_paths(article_id);
INSERT OR IGNORE INTO article_paths (path, article_id, seen_at)
    SELECT path, id, ingested_at FROM articles WHERE path IS NOT NULL ORDER BY ingested_at DESC;
ALTER TABLE articles ADD COLUMN superseded_by TEXT;   -- its path now holds this article's text
ALTER TABLE corrections ADD COLUMN reviewer TEXT;     -- who made the change
DROP INDEX IF EXISTS idx_quotes_ticker;
""")


def m006_symbol_source_and_currency(db: Database) -> None:
    """Where a symbol came from (``mentions.symbol_source``: table = in the symbol table,
    pattern = recognised by its form alone, e.g. a fund table's Ticker column), and the
    currency a flow was written in (``flows.currency``, ``flows.amount`` in it;
    ``amount_usd`` stays NULL unless the text wrote dollars)."""
    db.executescript("""
ALTER TABLE mentions ADD COLUMN symbol_source TEXT NOT NULL DEFAULT 'table';
ALTER TABLE flows ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
ALTER TABLE flows ADD COLUMN amount REAL;          -- in ``currency``, as written
UPDATE flows SET amount = amount_usd WHERE amount IS NULL;
""")


def m007_relevance(db: Database) -> None:
    """How much each article is about each ticker it names (``article_tickers``,
    relevance 0-100 from ``relevance.py``), and the relevance a stance row was given at."""
    db.executescript("""
CREATE TABLE article_tickers (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ticker TEXT NOT NULL,
    relevance INTEGER NOT NULL,        -- 0 (passing mention) .. 100 (the story is about it)
    role TEXT,                         -- subject | mentioned | passing | benchmark
    mentions INTEGER, sentences INTEGER, claims INTEGER,
    headline INTEGER NOT NULL DEFAULT 0, lead INTEGER NOT NULL DEFAULT 0,
    extractor_version TEXT,
    PRIMARY KEY (article_id, ticker)
);
CREATE INDEX idx_article_tickers_ticker ON article_tickers(ticker, relevance);
ALTER TABLE sentiment ADD COLUMN relevance INTEGER;
""")


def m008_checks_for_every_kind(db: Database) -> None:
    """``checks`` holds a verdict for any checked kind (levels and targets besides flows
    and returns): its CHECK on ``fact_table`` goes (SQLite cannot drop a constraint, so
    the table is rebuilt); the registry says which tables are checked. The ``claims``
    view is made again from the registry right after (``ensure_kinds``)."""
    db.executescript(f"""
DROP VIEW IF EXISTS claims;
CREATE TABLE checks_new (
    id INTEGER PRIMARY KEY,
    fact_table TEXT NOT NULL,      -- a checked kind's table (kinds.tables(checked=True))
    fact_id INTEGER NOT NULL,
    verdict TEXT NOT NULL {_in('verdict', VERDICTS)},
    basis TEXT,                    -- price | total_return | net_flow | shares_outstanding | close | high_low
    symbol TEXT,
    start_date TEXT,
    end_date TEXT,
    sessions_early INTEGER,
    start_price REAL,
    end_price REAL,
    actual REAL,                   -- percentage points (returns), US dollars (flows), the close (levels, targets)
    accept_low REAL,
    accept_high REAL,
    tolerance REAL,
    forecast INTEGER NOT NULL DEFAULT 0,
    dollar_volume REAL,
    flow_multiple REAL,
    sentiment TEXT,
    sentiment_disagrees INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    evaluations TEXT,
    provider TEXT,
    claim_hash TEXT,
    checked_at TEXT NOT NULL,
    reading TEXT,
    UNIQUE (fact_table, fact_id)
);
INSERT INTO checks_new SELECT id, fact_table, fact_id, verdict, basis, symbol, start_date, end_date,
    sessions_early, start_price, end_price, actual, accept_low, accept_high, tolerance, forecast,
    dollar_volume, flow_multiple, sentiment, sentiment_disagrees, reason, evaluations, provider,
    claim_hash, checked_at, reading FROM checks;
DROP TABLE checks;
ALTER TABLE checks_new RENAME TO checks;
CREATE INDEX idx_checks_verdict ON checks(verdict);
CREATE INDEX idx_checks_fact ON checks(verdict, fact_table, fact_id);
""")


# Applied in order, each once, recorded in ``_migrations``. Append; never edit or reorder.
MIGRATIONS: list[Callable[[Database], None]] = [m001_initial_schema, m002_market_and_checks,
                                                m003_review, m004_window_sources, m005_identity,
                                                m006_symbol_source_and_currency, m007_relevance,
                                                m008_checks_for_every_kind]


# --------------------------------------------------------------------------- kinds

_CHECK_COLUMNS = ("c.verdict, c.basis AS verdict_basis, c.symbol AS checked_symbol, "
                  "c.start_date AS checked_start, c.end_date AS checked_end, c.sessions_early, "
                  "c.actual AS actual_value, c.tolerance, c.reason AS verdict_reason, "
                  "c.sentiment_disagrees, c.flow_multiple, c.reading AS verdict_reading")


def claims_view_sql() -> str:
    """``claims``: one row per claim of every checked kind with its article and verdict.
    Columns: the claim's type and id, its article, ticker, every checked kind's own
    columns (NULL where another kind's), span and status, then the verdict and how it
    was reached."""
    checked = kinds.all_kinds(checked=True)
    columns = list(dict.fromkeys(c for k in checked for c in k.claim_columns))
    selects = []
    for k in checked:
        own = ", ".join(f"x.{c}" if c in k.claim_columns else f"NULL AS {c}" for c in columns)
        selects.append(
            f"SELECT '{k.name}' AS claim_type, x.id AS fact_id, x.article_id, a.title, a.published, a.path, "
            f"x.ticker, {own}, a.asof AS article_asof, x.start, x.\"end\", x.evidence, x.status, x.source, "
            f"x.confidence, x.extractor_version, {_CHECK_COLUMNS}\n"
            f"FROM {k.table} x JOIN articles a ON a.id = x.article_id\n"
            f"LEFT JOIN checks c ON c.fact_table = '{k.table}' AND c.fact_id = x.id")
    return "CREATE VIEW claims AS\n" + "\nUNION ALL\n".join(selects)


def views_sql() -> dict[str, str]:
    """Every view the registry makes: ``claims`` and, per kind, ``live_<table>``: its rows
    a reviewer has not rejected, the one definition of a live claim every reader uses."""
    out = {"claims": claims_view_sql()}
    for k in kinds.all_kinds():
        out[f"live_{k.table}"] = f"CREATE VIEW live_{k.table} AS SELECT * FROM {k.table} WHERE status != 'rejected'"
    return out


def _kind_table_sql(kind: kinds.Kind) -> str:
    return f"""
CREATE TABLE {kind.table} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: corrections point at ids
    {_ARTICLE_FK},
    {kind.columns.strip().rstrip(",")}
    ,{_FACT_COLUMNS}
);
CREATE INDEX idx_{kind.table}_article_id ON {kind.table}(article_id, status);
CREATE INDEX idx_{kind.table}_status ON {kind.table}(status, confidence);
""" + (f"CREATE INDEX idx_{kind.table}_{kind.symbol_column} ON {kind.table}({kind.symbol_column});\n"
       if kind.symbol_column else "")


def ensure_kinds(db: Database) -> None:
    """After the migrations: a table for every registered kind that has none yet (a kind
    added since the file was made), and the views made again when the registry's
    differ from the stored ones."""
    have = set(db.table_names())
    for k in kinds.all_kinds():
        if k.table not in have:
            if not k.columns:
                raise StoreError(f"kind {k.table} has no table and declares no columns")
            db.executescript(_kind_table_sql(k))
    stored = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall())
    for name, sql in views_sql().items():
        if stored.get(name) != sql:
            db.executescript(f"DROP VIEW IF EXISTS {name};\n{sql};")


class _Migrations(Migrations):
    migrations_table = "_migrations"


def _applied(db: Database) -> list[str]:
    """The migrations recorded in the file, in order ([] for a file without them)."""
    if "_migrations" not in db.table_names():
        return []
    return [name for (name,) in db.execute("SELECT name FROM _migrations WHERE migration_set = 'extractor'")]


def newer_schema(db: Database, migrations: Sequence[Callable[[Database], None]] = MIGRATIONS) -> list[str]:
    """Migrations recorded in the file that this version does not know: a newer
    extractor wrote it."""
    known = {fn.__name__ for fn in migrations}
    return [name for name in _applied(db) if name not in known]


def _not_upgraded(db: Database) -> list[str]:
    """What an extractor file lacks that this version makes when it opens it for writing:
    migrations not applied, a kind's table or a view. Empty for a file that is not the
    extractor's (no ``_migrations``): a read-only query of any SQLite file stays possible."""
    have = set(db.table_names()) | set(db.view_names())
    if "_migrations" not in have:
        return []
    applied = set(_applied(db))
    return ([fn.__name__ for fn in MIGRATIONS if fn.__name__ not in applied]
            + [t for t in (*kinds.tables(), *views_sql()) if t not in have])


def migrate(db: Database, migrations: Sequence[Callable[[Database], None]] = MIGRATIONS) -> None:
    """Apply the migrations not yet recorded in ``_migrations``."""
    mset = _Migrations("extractor")
    for fn in migrations:
        mset()(fn)
    if mset.pending(db):
        mset.apply(db)
    if migrations is MIGRATIONS:  # a test's own list stops where it says
        ensure_kinds(db)


# --------------------------------------------------------------------------- connections

def store_error(exc: sqlite3.Error, path: str | Path) -> StoreError:
    msg = str(exc)
    if "database is locked" in msg or "database table is locked" in msg:
        return DatabaseLocked(f"database is locked: {path} (another program is writing to it; "
                              "try again when it finishes)")
    if "file is not a database" in msg:
        return StoreError(f"{path} is not a SQLite database: give `--db` a new file name "
                          "or the file `extractor ingest` created")
    return StoreError(f"{path}: {msg}")


def open_db(path: str | Path, *, readonly: bool = False,
            migrations: Sequence[Callable[[Database], None]] = MIGRATIONS,
            timeout: float | None = None) -> Database:
    """Open (and create or upgrade) the database: WAL, a busy timeout, foreign keys on.

    ``readonly`` opens it through a ``mode=ro`` URI with ``query_only`` on and never
    creates or migrates anything.
    """
    path = Path(path)
    timeout = BUSY_TIMEOUT if timeout is None else timeout
    if readonly:
        if not path.is_file():
            raise StoreError(f"no database at {path}: run `extractor ingest` first")
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=timeout)
            conn.execute("PRAGMA query_only=ON")
            conn.set_authorizer(_deny_attach)
            db = Database(conn)
            db.execute("PRAGMA schema_version").fetchone()  # fails now if not a database
            older = _not_upgraded(db) if migrations is MIGRATIONS else []
        except sqlite3.Error as exc:
            raise store_error(exc, path) from None
        if older:
            conn.close()
            lacks = ", ".join(older[:3]) + (f" and {len(older) - 3} more" if len(older) > 3 else "")
            raise StoreError(f"{path} was written by an older extractor (it has no {lacks}): open it "
                             f"once for writing to upgrade it (`extractor check --db {path}`), then read it")
        return db
    if not path.parent.is_dir():
        raise StoreError(f"cannot create database {path}: folder {path.parent} does not exist")
    try:
        conn = sqlite3.connect(str(path), timeout=timeout)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        db.execute("PRAGMA foreign_keys=ON")
        db.enable_wal()
        newer = newer_schema(db, migrations)
        if newer:
            conn.close()
            raise StoreError(f"{path} was written by a newer extractor (its schema has "
                             f"{', '.join(newer)}; this is extractor {EXTRACTOR_VERSION}): "
                             "upgrade the extractor, or give `--db` another file")
        migrate(db, migrations)
    except sqlite3.Error as exc:
        raise store_error(exc, path) from None
    return db


def _deny_attach(action: int, *args: Any) -> int:
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def db_path(db: Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else ":memory:"


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """``BEGIN IMMEDIATE``: take the write lock up front, so a busy database waits the
    busy timeout and then fails cleanly, before anything was read or changed."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise store_error(exc, db_path(db)) from None
    try:
        yield
        db.execute("COMMIT")
    except BaseException as exc:
        db.rollback()
        if isinstance(exc, sqlite3.Error):
            raise store_error(exc, db_path(db)) from None
        raise


# --------------------------------------------------------------------------- rows

def fact_key(table: str, row: dict[str, Any]) -> str:
    """A stable hash of what identifies a claim (``Kind.identity``), from its row.

    It is set when a row is first made and kept when a person edits the row, so that
    re-extraction recognises the claim a reviewer already decided on and adds no copy.
    """
    return kinds.get(table).key(row)


def fact_rows(facts: ArticleFacts) -> dict[str, list[dict[str, Any]]]:
    """The rows ``write_article`` stores for one article, per table (no ids)."""
    text, aid, version = facts.article.text, facts.article.id, facts.version
    rows: dict[str, list[dict[str, Any]]] = {}
    for kind in kinds.all_kinds():
        rows[kind.table] = [
            {"article_id": aid, "start": r.start, "end": r.end, "evidence": text[r.start:r.end],
             "source": getattr(r, "source", "rules"), "status": MACHINE_STATUS,
             "confidence": getattr(r, "confidence", None), "extractor_version": version,
             **kind.values(r)}
            for r in kind.records(facts)]
        for row in rows[kind.table]:
            row["fact_key"] = kind.key(row)
    return rows


def article_row(article: Article, tickers: Sequence[str] = (),
                version: str = EXTRACTOR_VERSION) -> dict[str, Any]:
    return {"id": article.id, "path": article.path, "title": article.title, "source": article.source,
            "published": iso(article.published), "text": article.text,
            "body_start": article.body_start, "tickers": json.dumps(list(tickers)),
            "asof": iso(article.anchor.asof), "asof_reason": article.asof_reason,
            "extractor_version": version,
            "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


# --------------------------------------------------------------------------- writing

@dataclass
class WriteResult:
    article_id: str
    path: str | None
    inserted: dict[str, int] = field(default_factory=dict)  # machine rows written, per table
    kept: int = 0  # human-reviewed rows left as they were
    superseded: list[str] = field(default_factory=list)  # old texts at this path kept for their reviewed rows
    skipped: int = 0  # machine rows not written: a human-reviewed row covers the claim
    replaced: list[str] = field(default_factory=list)  # ids of earlier versions of this path


def _reanchor(db: Database, table: str, row_id: int, start: int | None, evidence: str | None,
              text: str) -> None:
    """Point a human row's span at its evidence in the new text: the occurrence nearest
    the old offset, or NULL when the new text no longer contains it."""
    if not evidence:
        return
    hits = [m.start() for m in re.finditer(re.escape(evidence), text)]
    if hits:
        new_start = min(hits, key=lambda h: abs(h - (start or 0)))
        span = (new_start, new_start + len(evidence))
    else:
        span = (None, None)
    db.execute(f'UPDATE {table} SET start = ?, "end" = ? WHERE id = ?', [*span, row_id])


def write_article(db: Database, facts: ArticleFacts) -> WriteResult:
    """Store one article and its facts in one transaction.

    The article row is upserted on its sha256 (the same text under another path is the
    same article: the path is added to ``article_paths``, nothing is extracted twice);
    its machine rows (status ``extracted``) are replaced; rows a person decided on are
    kept and no machine copy of them is added (same ``fact_key``).

    When a path held another text before, that text's machine rows go. Its reviewed
    rows never move to another article's text: the old article stays, flagged
    ``superseded_by`` the new one ("source changed"), unless nothing was reviewed on it
    (then it goes) or the source names the article (a JSONL line's ``id``): then it is a
    new version of the same article and its reviewed rows follow, their spans re-found
    in the new text. A text still read from another path is left as it is.
    """
    article = facts.article
    result = WriteResult(article_id=article.id, path=article.path)
    rows = fact_rows(facts)
    with write_transaction(db):
        previous: list[str] = []
        if article.path is not None:
            previous = [r[0] for r in db.execute(
                "SELECT article_id FROM article_paths WHERE path = ? AND article_id != ?",
                [article.path, article.id])]
        existing = db.execute("SELECT path FROM articles WHERE id = ?", [article.id]).fetchone()
        row = article_row(article, facts.tickers, facts.version)
        if existing is not None and existing[0] and existing[0] != article.path:
            row["path"] = existing[0]  # the first path it was read from stays its name
        row["superseded_by"] = None
        db["articles"].upsert(row, pk="id")
        if article.path is not None:
            db.execute("INSERT INTO article_paths (path, article_id, seen_at) VALUES (?, ?, ?) "
                       "ON CONFLICT(path) DO UPDATE SET article_id = excluded.article_id, "
                       "seen_at = excluded.seen_at", [article.path, article.id, row["ingested_at"]])
        gone = [o for o in previous if not db.execute(
            "SELECT 1 FROM article_paths WHERE article_id = ? LIMIT 1", [o]).fetchone()]
        follow = gone if article.key is not None else []
        result.replaced = follow
        for table in FACT_TABLES:
            ids = [article.id, *gone]
            marks = ", ".join("?" * len(ids))
            if table in CHECKED_TABLES:  # a machine row's verdict goes with it
                db.execute(f"DELETE FROM checks WHERE fact_table = ? AND fact_id IN (SELECT id "
                           f"FROM {table} WHERE article_id IN ({marks}) AND +status = ?)",
                           [table, *ids, MACHINE_STATUS])
            # "+status": search by article_id; the status index would scan every machine row
            db.execute(f"DELETE FROM {table} WHERE article_id IN ({marks}) AND +status = ?",
                       [*ids, MACHINE_STATUS])
            if follow:
                old = ", ".join("?" * len(follow))
                moved = db.execute(f"SELECT id, start, evidence FROM {table} "
                                   f"WHERE article_id IN ({old})", follow).fetchall()
                for row_id, start, evidence in moved:
                    db.execute(f"UPDATE {table} SET article_id = ? WHERE id = ?", [article.id, row_id])
                    _reanchor(db, table, row_id, start, evidence, article.text)
            reviewed = [r[0] for r in db.execute(
                f"SELECT fact_key FROM {table} WHERE article_id = ?", [article.id])]
            result.kept += len(reviewed)
            keys = set(reviewed)
            new = [r for r in rows[table] if r["fact_key"] not in keys]
            result.skipped += len(rows[table]) - len(new)
            if new:
                db[table].insert_all(new)
            result.inserted[table] = len(new)
        db.execute("DELETE FROM article_tickers WHERE article_id = ?", [article.id])  # a gone text's: by cascade
        if facts.relevance:
            db["article_tickers"].insert_all(
                [{"article_id": article.id, "ticker": t.ticker, "relevance": t.relevance, "role": t.role,
                  "mentions": t.mentions, "sentences": t.sentences, "claims": t.claims,
                  "headline": int(t.headline), "lead": int(t.lead), "extractor_version": facts.version}
                 for t in facts.relevance], replace=True)
        for o in gone:
            human = any(db.execute(f"SELECT 1 FROM {t} WHERE article_id = ? LIMIT 1", [o]).fetchone()
                        for t in FACT_TABLES)
            if human:  # its reviewed claims stay on its own text; the reviewer is told
                db.execute("UPDATE articles SET superseded_by = ? WHERE id = ?", [article.id, o])
                result.superseded.append(o)
            else:
                db.execute("DELETE FROM articles WHERE id = ?", [o])
        for o in previous:
            if o not in gone:  # still read from another path: named by that one now
                db.execute("UPDATE articles SET path = (SELECT path FROM article_paths WHERE "
                           "article_id = ? ORDER BY seen_at LIMIT 1) WHERE id = ? AND path = ?",
                           [o, o, article.path])
    return result


# --------------------------------------------------------------------------- reading

def stored_version(db: Database, path: str) -> tuple[str, str] | None:
    row = db.execute("SELECT a.id, a.extractor_version FROM article_paths p JOIN articles a "
                     "ON a.id = p.article_id WHERE p.path = ?", [path]).fetchone()
    return (row[0], row[1]) if row else None


def unchanged(db: Database) -> Callable[[str, str], bool]:
    """For ``ingest.iter_articles(unchanged=...)``: is this text stored under this path by
    this extractor version? A re-scan then never parses a header or reads an as-of."""
    return lambda path, aid: stored_version(db, path) == (aid, EXTRACTOR_VERSION)


def article_state(db: Database, path: str) -> str | None:
    """sha256 of the text stored for ``path``, or None if it was never ingested."""
    stored = stored_version(db, path)
    return stored[0] if stored else None


def summary(db: Database, *, top: int = 10) -> dict[str, Any]:
    """Counts for the CLI's table: articles, claims per kind (rejected ones left out),
    and the most-mentioned tickers as (symbol, number of articles)."""
    claims = {t: db.execute(f"SELECT count(*) FROM live_{t}").fetchone()[0] for t in FACT_TABLES}
    tickers = db.execute(
        "SELECT j.value, count(*) AS n FROM articles, json_each(articles.tickers) j "
        "GROUP BY j.value ORDER BY n DESC, j.value LIMIT ?", [top]).fetchall()
    distinct = db.execute("SELECT count(DISTINCT j.value) FROM articles, "
                          "json_each(articles.tickers) j").fetchone()[0]
    return {"articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
            "claims": claims, "tickers": distinct, "top_tickers": [tuple(t) for t in tickers]}


def search(db: Database, q: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Articles matching a full-text query (FTS5 syntax), best first."""
    return list(db["articles"].search(q, columns=["id", "path", "title", "published"], limit=limit))


def _first_keyword(sql: str) -> str:
    sql = re.sub(r"(--[^\n]*\n?|/\*.*?\*/|\s)+", " ", sql, flags=re.S).strip()
    m = re.match(r"[A-Za-z]+", sql)
    return m.group(0).upper() if m else ""


QUERY_PROGRESS_STEPS = 10_000  # SQLite VM steps between two looks at the clock (well under a millisecond)


class QueryLimitError(StoreError):
    """A query was stopped because it passed a limit it was given: it ran past ``timeout``
    ("timeout") or made a value, or a row, larger than ``max_bytes`` ("bytes"). ``limit``
    says which, so a caller can word its own advice; the message already says what to do."""

    def __init__(self, message: str, limit: str):
        super().__init__(message)
        self.limit = limit


class QueryRows(list[tuple[Any, ...]]):
    """The rows of a query, a plain list of tuples as ``fetchall`` gives, that also says why
    fetching stopped before the end, because a caller must tell the reader a result was cut:
    ``cut`` is None when every row is here; "rows" when ``max_rows`` was reached (the list
    then holds ``max_rows`` + 1 rows, so ``len(rows) > max_rows`` tells it too); "bytes"
    when ``max_bytes`` was (the list holds the rows that fit within it)."""

    cut: str | None = None


def _value_bytes(value: Any) -> int:
    """Bytes a result value carries: text as UTF-8, blobs as they are, numbers 8. It is
    the data a caller is about to hold, printed or in a table, that ``max_bytes`` bounds."""
    if isinstance(value, str):
        return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    return 0 if value is None else 8


def _fetch(cursor: sqlite3.Cursor, max_rows: int | None, max_bytes: int | None) -> QueryRows:
    """Rows of ``cursor`` one by one until the end, ``max_rows`` + 1 rows, or the next row
    would take the total past ``max_bytes``: a row at a time, so no more than one row is
    held beyond the limits (``fetchmany`` would materialise a whole batch first)."""
    rows = QueryRows()
    if max_rows is None and max_bytes is None:
        rows.extend(cursor.fetchall())
        return rows
    total = 0
    for row in cursor:
        if max_bytes is not None:
            total += sum(_value_bytes(v) for v in row)
            if total > max_bytes:
                if not rows:
                    raise QueryLimitError(
                        f"one row of the result is larger than the {max_bytes:,}-byte limit; select "
                        "fewer or shorter columns (substr(), length()) or raise "
                        "EXTRACTOR_QUERY_MAX_BYTES", "bytes")
                rows.cut = "bytes"
                break
        rows.append(row)
        if max_rows is not None and len(rows) > max_rows:
            rows.cut = "rows"
            break
    return rows


def query(path: str | Path, sql: str, params: Sequence[Any] | dict[str, Any] = (), *,
          max_rows: int | None = None, timeout: float | None = None,
          max_bytes: int | None = None) -> tuple[list[str], QueryRows]:
    """Run one SQL statement read-only; returns (column names, rows).

    The limits exist because the SQL is anyone's: a recursive CTE that never ends, a
    ``randomblob(200000000)`` or a join of 10^9 rows must not hold a core, the memory, or a
    read snapshot (which keeps the WAL from being checkpointed) for ever. None is no limit.

    - ``max_rows``: at most ``max_rows`` + 1 rows are fetched, so the caller can tell the
      result was cut (``rows.cut == "rows"``).
    - ``timeout``: seconds the statement may run, fetching included; the clock is read every
      ``QUERY_PROGRESS_STEPS`` SQLite VM steps (``set_progress_handler``) and past it the
      statement is interrupted: ``QueryLimitError``.
    - ``max_bytes``: fetching stops before the rows fetched pass this many bytes of data
      (``rows.cut == "bytes"``); SQLite itself refuses to make any one string or blob
      longer (``SQLITE_LIMIT_LENGTH``), so such a value is never materialised:
      ``QueryLimitError``.

    The connection is always closed before returning or raising, so no read snapshot
    outlives the call.
    """
    from time import monotonic

    if _first_keyword(sql) in _WRITE_KEYWORDS:
        raise ReadOnlyQueryError(READ_ONLY_MESSAGE)
    db = open_db(path, readonly=True)
    cursor: sqlite3.Cursor | None = None
    try:
        if max_bytes is not None:
            # the schema first: its CREATE statements (the claims view's is long) are values too
            db.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            db.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max(1, int(max_bytes)))
        if timeout is not None:
            deadline = monotonic() + timeout
            db.conn.set_progress_handler(lambda: monotonic() > deadline, QUERY_PROGRESS_STEPS)
        cursor = db.conn.execute(sql, params)
        columns = [d[0] for d in cursor.description or ()]
        return columns, _fetch(cursor, max_rows, max_bytes)
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if timeout is not None and code == sqlite3.SQLITE_INTERRUPT:
            raise QueryLimitError(
                f"the query ran longer than {timeout:g} s and was stopped; add a LIMIT or raise "
                "--timeout (EXTRACTOR_QUERY_TIMEOUT)", "timeout") from None
        if max_bytes is not None and code == sqlite3.SQLITE_TOOBIG:
            raise QueryLimitError(
                f"the query made a value larger than the {max_bytes:,}-byte limit and was "
                "stopped; select less of it (substr(), length()) or raise "
                "EXTRACTOR_QUERY_MAX_BYTES", "bytes") from None
        msg = str(exc)
        if "readonly" in msg or "not authorized" in msg:
            raise ReadOnlyQueryError(READ_ONLY_MESSAGE) from None
        if msg.startswith(("no such table", "no such column")):
            db.conn.set_progress_handler(None, 0)
            names = [r[0] for r in db.conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            msg += f" (tables and views: {', '.join(names)})"
        raise StoreError(msg) from None
    finally:
        if cursor is not None:
            cursor.close()  # a result left half-read keeps its statement, and the snapshot, open
        db.close()
