"""Market data: CSV files and yfinance into the database, and the series the
cross-check reads back out of it.

Four kinds of CSV file are recognised by their header, one symbol per file, the
symbol taken from the file name (``^GSPC.csv``, ``spy.us.txt``, ``spy_us_d.csv``):

- daily bars: Yahoo (``Date,Open,High,Low,Close,Adj Close,Volume``), Stooq
  (``Date,Open,High,Low,Close,Volume`` or ``<TICKER>,<PER>,<DATE>,...``), Alpha
  Vantage (``timestamp,...,adjusted_close``) and our own
  (``date,open,high,low,close,adj_close,volume``) go to ``prices``; a file with only
  ``date,adj_close`` fills the adjusted close alone;
- ``date,dividend,split_ratio`` goes to ``corporate_actions``;
- ``date,shares_outstanding`` and/or ``date,net_flow`` goes to ``fund_flows``.

Each file is one transaction; a bad row is reported with its file and line and the
rest of the file loads. Loading the same file twice changes nothing.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import io
import logging
import math
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sqlite_utils import Database

from .errors import ExtractorError
from .normalize.ticker import normalize_symbol

MARKET_SUFFIXES = (".csv", ".txt")
SAME_VALUE = 1e-7  # relative difference below which two sources' values are the same
SPLIT_JUMP = 0.10  # a day whose close moves 10 % more (or less) than its adjusted close is a split
SPLIT_EVENT_DAYS = 5  # an inferred jump this close to a declared split is that split


class MarketDataError(ExtractorError):
    """Market data could not be read or fetched; the message names the file or symbol."""


# --------------------------------------------------------------------------- data files

def read_data_csv(name: str) -> list[dict[str, str]]:
    """Rows of a CSV file shipped in ``extractor/data``."""
    text = resources.files("extractor").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.lru_cache(maxsize=1)
def index_proxies() -> dict[str, tuple[str, ...]]:
    """Index -> the funds that track it, in order of preference (data/index_proxies.csv).
    A fund's adjusted close is the index's total return, which the index series lacks."""
    out: dict[str, list[str]] = {}
    for row in read_data_csv("index_proxies.csv"):
        out.setdefault(normalize_symbol(row["index"]), []).append(normalize_symbol(row["fund"]))
    return {k: tuple(v) for k, v in out.items()}


@functools.lru_cache(maxsize=1)
def _price_aliases() -> dict[str, str]:
    return {normalize_symbol(r["alias"]): normalize_symbol(r["symbol"])
            for r in read_data_csv("price_symbols.csv")}


_VENDOR_SUFFIX = re.compile(r"(?:[._]us)?(?:_d)?$", re.I)  # Stooq: spy.us.txt, spy_us_d.csv


def symbol_from_filename(path: str | Path) -> str:
    """``IWM.csv`` -> IWM, ``^GSPC.csv`` -> ^GSPC, ``spy.us.txt`` / ``spy_us_d.csv`` ->
    SPY, ``^spx_d.csv`` -> ^GSPC (vendor index codes in data/price_symbols.csv)."""
    stem = Path(path).name
    for suffix in MARKET_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    stem = _VENDOR_SUFFIX.sub("", stem) or stem
    sym = normalize_symbol(stem)
    return _price_aliases().get(sym, sym)


# --------------------------------------------------------------------------- CSV reading

# Column names as vendors write them -> ours.
_COLUMNS = {
    "date": "date", "timestamp": "date", "datetime": "date", "day": "date",
    "open": "open", "high": "high", "low": "low", "close": "close",
    "adj_close": "adj_close", "adjclose": "adj_close", "adjusted_close": "adj_close",
    "volume": "volume", "vol": "volume",
    "dividend": "dividend", "dividends": "dividend", "dividend_amount": "dividend",
    "split_ratio": "split_ratio", "split_coefficient": "split_ratio", "stock_splits": "split_ratio",
    "shares_outstanding": "shares_outstanding", "shares": "shares_outstanding",
    "net_flow": "net_flow_usd", "net_flow_usd": "net_flow_usd", "net_flows": "net_flow_usd",
}
_TABLE_COLUMNS = {
    "prices": ("open", "high", "low", "close", "adj_close", "volume"),
    "corporate_actions": ("dividend", "split_ratio"),
    "fund_flows": ("shares_outstanding", "net_flow_usd"),
}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
MAX_PRICE = 1e7  # no listed security or index trades above this (BRK.A is under 1e6)
MAX_VOLUME = 1e13
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:$|[ T])")


def _column(name: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", name.strip().strip("<>").lower()).strip("_")
    return _COLUMNS.get(key, key)


def _kind(columns: Sequence[str]) -> str | None:
    cols = set(columns)
    if "date" not in cols:
        return None
    if cols & {"close", "adj_close"}:
        return "prices"
    if cols & {"dividend", "split_ratio"}:
        return "corporate_actions"
    if cols & {"shares_outstanding", "net_flow_usd"}:
        return "fund_flows"
    return None


def _iso_date(raw: str) -> str | None:
    m = _DATE.match(raw.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def _number(raw: str | None) -> float | None:
    """A cell as a float; empty -> None; anything else unreadable raises ValueError."""
    if raw is None:
        return None
    raw = raw.strip()
    if raw == "":
        return None
    if "," in raw:  # 1,234.5 is a number; 10,5 (a decimal comma) is not taken as 105
        if not _THOUSANDS.match(raw):
            raise ValueError(raw)
        raw = raw.replace(",", "")
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


@dataclass
class ParsedFile:
    table: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)  # "file:line: problem"


def _row_problem(table: str, row: dict[str, Any]) -> str | None:
    if table == "prices":
        if row.get("close") is None and row.get("adj_close") is None:
            return "no close"
        for col in ("open", "high", "low", "close", "adj_close"):
            if row.get(col) is not None and not 1e-6 <= row[col] <= MAX_PRICE:
                return f"{col} {row[col]:g} is not a price"
        if row.get("volume") is not None and not 0 <= row["volume"] <= MAX_VOLUME:
            return f"volume {row['volume']:g} is not a number of shares"
    elif table == "corporate_actions":
        if row.get("split_ratio") is not None and row["split_ratio"] <= 0:
            return f"split_ratio {row['split_ratio']:g} must be positive"
        if row.get("dividend") is not None and row["dividend"] < 0:
            return f"dividend {row['dividend']:g} is negative"
    elif all(row.get(c) is None for c in _TABLE_COLUMNS["fund_flows"]):
        return "no shares_outstanding or net_flow"
    return None


def parse_market_csv(text: str, name: str) -> ParsedFile:
    """Rows of one CSV file, in our column names; raises MarketDataError when the header
    is not one this module knows (the message lists what it expects)."""
    reader = csv.reader(text.splitlines())  # \n, \r\n and old Macs' \r alike
    header = next(reader, None)
    if not header:
        raise MarketDataError(f"{name}: empty file")
    columns = [_column(h) for h in header]
    table = _kind(columns)
    if table is None:
        raise MarketDataError(
            f"{name}: unrecognised columns ({', '.join(h.strip() for h in header)}); expected "
            "date,open,high,low,close,adj_close,volume (or Yahoo/Stooq names), "
            "date,dividend,split_ratio or date,shares_outstanding|net_flow")
    wanted = [(i, c) for i, c in enumerate(columns) if c == "date" or c in _TABLE_COLUMNS[table]]
    out = ParsedFile(table)
    seen: dict[str, int] = {}
    for line_no, cells in enumerate(reader, start=2):
        if not cells or all(not c.strip() for c in cells):
            continue
        row: dict[str, Any] = {}
        problem = None
        if len(cells) < len(header):
            out.bad.append(f"{name}:{line_no}: {len(cells)} of {len(header)} cells")
            continue
        for i, col in wanted:
            raw = cells[i] if i < len(cells) else ""
            if col == "date":
                row["date"] = _iso_date(raw)
                if row["date"] is None:
                    problem = f"date {raw.strip()!r} is not YYYY-MM-DD"
                    break
                continue
            if raw.strip().lower() in ("null", "nan", "n/a", "-"):
                raw = ""
            try:
                row[col] = _number(raw)
            except ValueError:
                problem = f"{col} {raw.strip()!r} is not a number"
                break
        if problem is None:
            if table == "corporate_actions":  # vendors write 0 / 1 for "none"
                if row.get("dividend") == 0:
                    row["dividend"] = None
                if row.get("split_ratio") == 1:
                    row["split_ratio"] = None
                if row.get("dividend") is None and row.get("split_ratio") is None:
                    continue
            problem = _row_problem(table, row)
        if problem is None and row["date"] in seen:
            problem = f"date {row['date']} repeats line {seen[row['date']]}"
        if problem is not None:
            out.bad.append(f"{name}:{line_no}: {problem}")
            continue
        seen[row["date"]] = line_no
        out.rows.append(row)
    return out  # a header alone is a file with nothing to say (GLD pays no dividends)


# --------------------------------------------------------------------------- import

@dataclass
class ImportReport:
    path: str
    symbol: str | None = None
    table: str | None = None
    rows: int = 0  # good rows read
    new: int = 0
    updated: int = 0  # rows stored before with other values
    bad: list[str] = field(default_factory=list)
    error: str | None = None  # the whole file was refused

    @property
    def unchanged(self) -> int:
        return self.rows - self.new - self.updated


def market_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """CSV/TXT files under ``paths`` (folders searched recursively, sorted), and an
    error line for each path that does not exist."""
    files: list[Path] = []
    errors: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file()
                           and f.suffix.lower() in MARKET_SUFFIXES and not f.name.startswith("."))
            if not found:
                errors.append(f"{p}: no .csv or .txt files in this folder")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        elif p.exists():
            errors.append(f"{p}: not a regular file")
        else:
            errors.append(f"{p}: no such file or folder")
    return files, errors


def store_rows(db: Database, table: str, symbol: str, rows: Sequence[dict[str, Any]],
               provider: str) -> tuple[int, int]:
    """Upsert rows of one symbol into ``table`` in one transaction, touching only the
    columns the rows carry; returns (new, updated)."""
    if not rows:
        return 0, 0
    cols = [c for c in _TABLE_COLUMNS[table] if c in rows[0]]
    # Sources that round the 7th significant digit differently are the same price.
    changed = " OR ".join(f"(({table}.{c} IS NULL) != (excluded.{c} IS NULL) OR abs({table}.{c} - "
                          f"excluded.{c}) > {SAME_VALUE} * abs(excluded.{c}))" for c in cols)
    sql = (f"INSERT INTO {table} (symbol, date, {', '.join(cols)}, provider) "
           f"VALUES (?, ?, {', '.join('?' * len(cols))}, ?) "
           f"ON CONFLICT(symbol, date) DO UPDATE SET "
           f"{', '.join(f'{c} = excluded.{c}' for c in cols)}, provider = excluded.provider "
           f"WHERE {changed}")
    from .store import db_path, store_error

    conn = db.conn
    try:
        with conn:  # one transaction: the whole file or nothing
            before = conn.execute(f"SELECT count(*) FROM {table} WHERE symbol = ?", [symbol]).fetchone()[0]
            start = conn.total_changes
            conn.executemany(sql, ([symbol, r["date"], *(r.get(c) for c in cols), provider] for r in rows))
            touched = conn.total_changes - start
            after = conn.execute(f"SELECT count(*) FROM {table} WHERE symbol = ?", [symbol]).fetchone()[0]
    except sqlite3.Error as exc:  # locked, read-only: fatal for the run, one line
        raise store_error(exc, db_path(db)) from None
    new = after - before
    return new, touched - new


def import_file(db: Database, path: str | Path, *, symbol: str | None = None,
                max_bytes: int = 200_000_000) -> ImportReport:
    """Load one CSV file; never raises for a bad file (the report carries the error)."""
    path = Path(path)
    report = ImportReport(str(path))
    try:
        if path.stat().st_size > max_bytes:
            report.error = f"{path}: larger than {max_bytes} bytes; split it"
            return report
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        report.error = f"{path}: cannot read: {reason}"
        return report
    report.symbol = normalize_symbol(symbol) if symbol else symbol_from_filename(path)
    if not re.search(r"[A-Z0-9]", report.symbol or ""):
        report.error = (f"{path}: no symbol in the file name; name the file after it "
                        "(IWM.csv) or pass --symbol")
        return report
    try:
        parsed = parse_market_csv(text, str(path))
    except MarketDataError as exc:
        report.error = str(exc)
        return report
    except csv.Error as exc:
        report.error = f"{path}: not a CSV file: {exc}"
        return report
    report.table, report.bad, report.rows = parsed.table, parsed.bad, len(parsed.rows)
    report.new, report.updated = store_rows(db, parsed.table, report.symbol, parsed.rows,
                                            f"csv:{path.name}")
    return report


def import_paths(db: Database, paths: Iterable[str | Path], *, symbol: str | None = None
                 ) -> Iterator[ImportReport]:
    """``extractor prices import``: every market file under ``paths``, one report each."""
    files, errors = market_files(paths)
    for err in errors:
        yield ImportReport(err.split(":", 1)[0], error=err)
    if symbol is not None and len(files) != 1:
        yield ImportReport(", ".join(map(str, paths)), error=(
            f"--symbol {symbol} names the symbol of one file, but {len(files)} files were "
            "given; name each file after its symbol instead"))
        return
    for f in files:
        yield import_file(db, f, symbol=symbol)


def has_prices(db: Database) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM prices)").fetchone()[0] == 1


# --------------------------------------------------------------------------- yfinance

def fetch_yfinance(db: Database, symbols: Sequence[str], start: date, end: date, *,
                   timeout: float = 10.0) -> list[ImportReport]:
    """Fill ``prices`` (and splits/dividends) from Yahoo Finance with yfinance, the cache
    being the table itself. Only called when the user asks (``prices fetch``,
    ``check --online``). Raises MarketDataError with one line when yfinance is missing
    or Yahoo cannot be reached; a symbol Yahoo has no rows for gets an error report."""
    try:
        import yfinance as yf
    except ImportError:
        raise MarketDataError("yfinance is not installed: pip install 'news-signal-extractor[online]' "
                              "(or import CSV files with `extractor prices import`)") from None
    logging.getLogger("yfinance").setLevel(logging.CRITICAL)
    reports = []
    for sym in symbols:
        report = ImportReport(f"yfinance:{sym}", symbol=normalize_symbol(sym), table="prices")
        try:
            with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
                frame = yf.Ticker(report.symbol).history(
                    start=start.isoformat(), end=end.isoformat(), interval="1d",
                    auto_adjust=False, actions=True, timeout=timeout, raise_errors=True)
        except Exception as exc:  # network, DNS, HTTP, yfinance's own errors
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            if any(w in reason.lower() for w in ("resolve", "connect", "timed out", "timeout",
                                                 "network", "unreachable", "curl")):
                raise MarketDataError(f"cannot reach Yahoo Finance for {report.symbol} ({reason}); "
                                      "work offline with `extractor prices import`") from None
            report.error = f"yfinance:{report.symbol}: {reason}"
            reports.append(report)
            continue
        rows, actions = _yfinance_rows(frame)
        if not rows:
            report.error = (f"yfinance:{report.symbol}: Yahoo Finance returned no prices for "
                            f"{start} .. {end}")
        report.rows = len(rows)
        report.new, report.updated = store_rows(db, "prices", report.symbol, rows, "yfinance")
        store_rows(db, "corporate_actions", report.symbol, actions, "yfinance")
        reports.append(report)
    return reports


def _yfinance_rows(frame: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows, actions = [], []
    if frame is None or len(frame) == 0:
        return rows, actions
    cols = {_column(str(c)): c for c in frame.columns}
    for ts, rec in frame.iterrows():
        day = ts.date().isoformat() if hasattr(ts, "date") else str(ts)[:10]

        def val(name: str) -> float | None:
            c = cols.get(name)
            v = rec[c] if c is not None else None
            return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

        row = {"date": day, **{c: val(c) for c in _TABLE_COLUMNS["prices"]}}
        if row["close"] is not None and row["close"] > 0:
            rows.append(row)
        div, split = val("dividend"), val("split_ratio")
        if div or (split and split != 1):
            actions.append({"date": day, "dividend": div or None,
                            "split_ratio": split if split and split != 1 else None})
    return rows, actions


# --------------------------------------------------------------------------- series

@dataclass
class Series:
    """One symbol's sessions, ready for the cross-check.

    ``price`` is the close carried across splits (the close times the shares one share
    became since the first row), so a price return over a split is the move a holder
    saw without dividends; ``adj`` is the adjusted close (total return). NaN where a
    row lacks the value. ``dollar_cum[i]`` is the dollars traded up to row i.
    """

    symbol: str
    days: np.ndarray  # int64 ordinals, ascending
    close: np.ndarray
    price: np.ndarray
    adj: np.ndarray
    volume: np.ndarray
    dollar_cum: np.ndarray
    providers: tuple[str, ...] = ()
    high: np.ndarray | None = None  # the session's high and low, carried across splits like price
    low: np.ndarray | None = None

    def values(self, basis: str) -> np.ndarray:
        return self.price if basis == "price" else self.adj

    def span(self, basis: str) -> tuple[date, date] | None:
        ok = np.flatnonzero(~np.isnan(self.values(basis)))
        if not len(ok):
            return None
        return date.fromordinal(int(self.days[ok[0]])), date.fromordinal(int(self.days[ok[-1]]))


def split_factors(days: np.ndarray, close: np.ndarray, adj: np.ndarray,
                  splits: dict[int, float]) -> np.ndarray:
    """Cumulative shares per original share on each row.

    Declared splits (``corporate_actions``) are taken as they are. Other days are
    inferred: a day whose close moves more than ``SPLIT_JUMP`` apart from its adjusted
    close is a split (or a spin-off Yahoo adjusts like one, XLF 2016-09-19) of that
    size, unless a declared split lies within ``SPLIT_EVENT_DAYS`` of it.
    """
    step = np.ones(len(days))
    if len(days) < 2:
        return step
    for i, d in enumerate(days):
        if int(d) in splits:
            step[i] = splits[int(d)]
    with np.errstate(all="ignore"):
        ratio = (adj[1:] / adj[:-1]) / (close[1:] / close[:-1])  # 2.0 on a 2-for-1 day
    finite = np.isfinite(ratio) & (ratio > 0)
    jump = finite & (np.abs(np.log(np.where(finite, ratio, 1.0))) > math.log(1 + SPLIT_JUMP))
    declared = np.array(sorted(splits), dtype=np.int64)
    for k in np.flatnonzero(jump):
        d = int(days[k + 1])
        if len(declared) and np.abs(declared - d).min() <= SPLIT_EVENT_DAYS:
            continue
        step[k + 1] = _split_ratio(float(ratio[k]))
    return np.cumprod(step)


def _split_ratio(r: float) -> float:
    """The split a measured ratio is: n-for-1, 1-for-n or 3-for-2 (2-for-3) when one is
    within 2 %, else the ratio itself (a spin-off Yahoo adjusts like a split)."""
    for split in _SPLITS:
        if abs(r / split - 1) < 0.02:
            return split
    return float(r)


_SPLITS = (*range(2, 51), *(1 / n for n in range(2, 51)), 1.5, 2 / 3)


def load_series(db: Database, symbol: str) -> Series | None:
    """The symbol's rows as arrays, or None when ``prices`` has none."""
    rows = _clean(db.execute("SELECT date, close, adj_close, volume, high, low, provider FROM prices "
                             "WHERE symbol = ? ORDER BY date", [symbol]).fetchall(), 5)
    if not rows:
        return None
    days = np.array([r[0] for r in rows], dtype=np.int64)
    close, adj, volume, high, low = (_floats(rows, i) for i in (1, 2, 3, 4, 5))
    splits = {d: r for d, r in _clean(db.execute(
        "SELECT date, split_ratio FROM corporate_actions WHERE symbol = ? "
        "AND split_ratio IS NOT NULL ORDER BY date", [symbol]).fetchall(), 1) if r and r > 0}
    factors = split_factors(days, close, adj, splits)
    price = close * factors
    dollars = np.nan_to_num(close * volume, nan=0.0)
    providers = tuple(sorted({r[6] for r in rows if r[6]}))
    return Series(symbol, days, close, price, adj, volume, np.cumsum(dollars), providers,
                  high * factors, low * factors)


def _clean(rows: list[tuple], numbers: int) -> list[tuple]:
    """Rows with the date as an ordinal and the next ``numbers`` cells as floats (None
    when empty); rows another tool stored with a bad date or a non-number are left out."""
    out = []
    for r in rows:
        try:
            day = date.fromisoformat(r[0]).toordinal()
            vals = tuple(None if v is None else float(v) for v in r[1:1 + numbers])
        except (TypeError, ValueError):
            continue
        if all(v is None or math.isfinite(v) for v in vals):
            out.append((day, *vals, *r[1 + numbers:]))
    return out


def _floats(rows: list[tuple], i: int) -> np.ndarray:
    """Cell i of each row as floats, NaN where empty."""
    return np.array([np.nan if r[i] is None else r[i] for r in rows], dtype=float)


@dataclass
class FlowSeries:
    symbol: str
    days: np.ndarray
    shares: np.ndarray
    net_flow: np.ndarray


def load_flows(db: Database, symbol: str) -> FlowSeries | None:
    rows = _clean(db.execute("SELECT date, shares_outstanding, net_flow_usd FROM fund_flows "
                             "WHERE symbol = ? ORDER BY date", [symbol]).fetchall(), 2)
    if not rows:
        return None
    days = np.array([r[0] for r in rows], dtype=np.int64)
    return FlowSeries(symbol, days, _floats(rows, 1), _floats(rows, 2))


class Market:
    """Series by symbol, loaded from the database once each (the cross-check asks for
    the same few symbols thousands of times)."""

    def __init__(self, db: Database):
        self.db = db
        self._series: dict[str, Series | None] = {}
        self._flows: dict[str, FlowSeries | None] = {}

    def series(self, symbol: str) -> Series | None:
        if symbol not in self._series:
            self._series[symbol] = load_series(self.db, symbol)
        return self._series[symbol]

    def flows(self, symbol: str) -> FlowSeries | None:
        if symbol not in self._flows:
            self._flows[symbol] = load_flows(self.db, symbol)
        return self._flows[symbol]

    def proxies(self, symbol: str) -> tuple[str, ...]:
        return index_proxies().get(symbol, ())
