"""Market data into SQLite: CSV formats, bad rows, idempotent re-imports, splits, and
the optional yfinance provider (faked: tests never touch the network)."""
from __future__ import annotations

import sys
import types
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import market
from extractor.cli import cli
from extractor.market import (Market, MarketDataError, fetch_yfinance, import_file, import_paths,
                              load_series, parse_market_csv, symbol_from_filename)
from extractor.store import open_db
from _db import rows
from conftest import shared_path



def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("name,symbol", [
    ("IWM.csv", "IWM"), ("^GSPC.csv", "^GSPC"), ("spy.us.txt", "SPY"), ("spy_us_d.csv", "SPY"),
    ("^spx_d.csv", "^GSPC"), ("brk-b.csv", "BRK.B"), ("folder/qqq.csv", "QQQ"),
])
def test_the_symbol_comes_from_the_file_name(name, symbol):
    assert symbol_from_filename(name) == symbol


def test_yahoo_stooq_alpha_vantage_and_our_headers_all_read_as_prices():
    yahoo = "Date,Open,High,Low,Close,Adj Close,Volume\n2017-08-16,1,2,0.5,1.5,1.4,100\n"
    stooq = "Date,Open,High,Low,Close,Volume\n2017-08-16,1,2,0.5,1.5,100\n"
    bulk = ("<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>\n"
            "SPY.US,D,20170816,000000,1,2,0.5,1.5,100,0\n")
    av = "timestamp,open,high,low,close,adjusted_close,volume\n2017-08-16,1,2,0.5,1.5,1.4,100\n"
    ours = "date,open,high,low,close,adj_close,volume\n2017-08-16,1,2,0.5,1.5,1.4,100\n"
    for text in (yahoo, stooq, bulk, av, ours):
        parsed = parse_market_csv(text, "x.csv")
        assert parsed.table == "prices" and not parsed.bad
        assert parsed.rows[0]["date"] == "2017-08-16" and parsed.rows[0]["close"] == 1.5
    assert parse_market_csv(yahoo, "x").rows[0]["adj_close"] == 1.4
    assert "adj_close" not in parse_market_csv(stooq, "x").rows[0]
    assert parse_market_csv("date,dividend,split_ratio\n2017-05-01,,2\n", "x").table == "corporate_actions"
    assert parse_market_csv("date,shares_outstanding\n2017-05-01,100\n", "x").table == "fund_flows"


def test_an_unknown_header_is_refused_with_what_is_expected():
    with pytest.raises(MarketDataError, match=r"x.csv: unrecognised columns \(when, price\); expected date,open"):
        parse_market_csv("when,price\n2017-01-03,1\n", "x.csv")


def test_bad_rows_are_reported_with_file_and_line_and_the_rest_loads(tmp_path):
    f = write(tmp_path, "IWM.csv",
              "Date,Open,High,Low,Close,Adj Close,Volume\n"
              "2017-08-14,1,2,0.5,1.50,1.4,100\n"
              "2017-08-15,null,null,null,null,null,null\n"     # Yahoo's missing day
              "15/08/2017,1,2,0.5,1.5,1.4,100\n"               # not ISO
              "2017-08-16,1,2,0.5,abc,1.4,100\n"               # not a number
              "2017-08-17,1,2,0.5,-3,1.4,100\n"                # not a price
              "2017-08-14,1,2,0.5,1.6,1.4,100\n"               # repeated day
              "\n"
              "2017-08-18,1,2,0.5,1.7,,\n")                    # blank adj/volume is fine
    db = open_db(tmp_path / "p.db")
    rep = import_file(db, f)
    assert rep.bad == [
        f"{f}:3: no close",
        f"{f}:4: date '15/08/2017' is not YYYY-MM-DD",
        f"{f}:5: close 'abc' is not a number",
        f"{f}:6: close -3 is not a price",
        f"{f}:7: date 2017-08-14 repeats line 2",
    ]
    got = rows(tmp_path / "p.db", "SELECT date, close, adj_close, volume, provider FROM prices ORDER BY date")
    assert got == [
        {"date": "2017-08-14", "close": 1.5, "adj_close": 1.4, "volume": 100.0, "provider": "csv:IWM.csv"},
        {"date": "2017-08-18", "close": 1.7, "adj_close": None, "volume": None, "provider": "csv:IWM.csv"},
    ]


def test_import_cli_reports_bad_files_and_rows_exit_1_and_loads_the_rest(tmp_path):
    good = write(tmp_path / "in", "SPY.csv", "date,close\n2017-08-14,246.54\n2017-08-15,246.51\n")
    write(tmp_path / "in", "notes.csv", "name,comment\nfoo,bar\n")
    write(tmp_path / "in", "QQQ.csv", "date,close\n2017-08-14,x\n2017-08-15,143.0\n")
    write(tmp_path / "in", "README.md", "not a price file")
    db = tmp_path / "p.db"
    result = run("prices", "import", tmp_path / "in", tmp_path / "missing", "--db", db)
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    assert f"Error: {tmp_path / 'missing'}: no such file or folder" in err
    assert f"Error: {tmp_path / 'in' / 'QQQ.csv'}:2: close 'x' is not a number" in err
    assert any(e.startswith(f"Error: {tmp_path / 'in' / 'notes.csv'}: unrecognised columns") for e in err)
    assert len(err) == 3
    assert rows(db, "SELECT symbol, count(*) AS n FROM prices GROUP BY symbol") == [
        {"symbol": "QQQ", "n": 1}, {"symbol": "SPY", "n": 2}]
    assert good.exists()


def test_importing_the_shared_market_data_twice_changes_nothing(tmp_path):
    db = tmp_path / "p.db"
    first = run("prices", "import", shared_path("market-data"), "--db", db)
    assert first.exit_code == 0, first.output
    before = rows(db, "SELECT symbol, count(*) AS n, sum(close) AS c, sum(adj_close) AS a "
                      "FROM prices GROUP BY symbol")
    second = run("prices", "import", shared_path("market-data"), "--db", db)
    assert second.exit_code == 0
    assert "new                       0" in second.stdout and "updated                   0" in second.stdout
    assert rows(db, "SELECT symbol, count(*) AS n, sum(close) AS c, sum(adj_close) AS a "
                    "FROM prices GROUP BY symbol") == before
    assert len(before) == 30
    # total_return/ extends TZA's adjusted close past its last as-traded row
    tza = rows(db, "SELECT max(date) AS last_close FROM prices WHERE symbol = 'TZA' AND close IS NOT NULL")
    tza_adj = rows(db, "SELECT max(date) AS last_adj FROM prices WHERE symbol = 'TZA' AND adj_close IS NOT NULL")
    assert tza[0]["last_close"] == "2020-12-11" and tza_adj[0]["last_adj"] == "2022-12-30"
    assert rows(db, "SELECT split_ratio FROM corporate_actions WHERE symbol = 'TNA' AND date = '2017-05-01'") == [
        {"split_ratio": 2.0}]
    listed = run("prices", "list", "--db", db)
    assert "^GSPC   2010-01-04  2022-12-30" in listed.stdout


def test_a_changed_value_in_a_new_file_updates_the_row(tmp_path):
    db = open_db(tmp_path / "p.db")
    f = write(tmp_path, "SPY.csv", "date,close\n2017-08-14,246.54\n")
    assert (import_file(db, f).new, import_file(db, f).new) == (1, 0)
    f.write_text("date,close\n2017-08-14,246.60\n2017-08-15,246.51\n")
    rep = import_file(db, f)
    assert (rep.new, rep.updated, rep.unchanged) == (1, 1, 0)


def _series_for(tmp_path, files: dict[str, str]):
    tmp_path.mkdir()
    db = open_db(tmp_path / "p.db")
    for name, text in files.items():
        import_file(db, write(tmp_path, name, text))
    return load_series(db, "TNA")


def test_a_split_is_carried_by_the_price_series_from_events_or_inferred(tmp_path):
    # TNA split 2-for-1 on 2017-05-01: as traded 108.69 -> 55.19
    bars = ("date,close,adj_close\n2017-04-28,108.69,53.778917\n2017-05-01,55.19,54.615123\n"
            "2017-05-02,54.35,53.78387\n")
    inferred = _series_for(tmp_path / "a", {"TNA.csv": bars})
    declared = _series_for(tmp_path / "b", {"TNA.csv": bars, "events/TNA.csv":
                                            "date,dividend,split_ratio\n2017-05-01,,2\n"})
    for s in (inferred, declared):
        assert list(s.close) == [108.69, 55.19, 54.35]
        assert s.price[1] / s.price[0] - 1 == pytest.approx(55.19 * 2 / 108.69 - 1)


def test_market_reads_index_proxies_from_data():
    m = Market(None)
    assert m.proxies("^GSPC") == ("SPY",)
    assert m.proxies("^RUT") == ("IWM",)
    assert m.proxies("^IXIC") == ("QQQ",) and m.proxies("^NDX") == ("QQQ",)
    assert m.proxies("^DJI") == ("DIA",)
    assert m.proxies("IWM") == ()


# --------------------------------------------------------------------------- yfinance


def _fake_yfinance(monkeypatch, history):
    module = types.ModuleType("yfinance")

    class Ticker:
        def __init__(self, symbol):
            self.symbol = symbol

        def history(self, **kwargs):
            return history(self.symbol, **kwargs)

    module.Ticker = Ticker
    monkeypatch.setitem(sys.modules, "yfinance", module)


def test_without_yfinance_installed_fetch_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "yfinance", None)  # import fails
    result = CliRunner().invoke(cli, ["prices", "fetch", "IWM", "--start", "2017-01-01",
                                      "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1
    assert result.stderr == ("Error: yfinance is not installed: pip install "
                             "'news-signal-extractor[online]' (or import CSV files with "
                             "`extractor prices import`)\n")


def test_offline_fetch_fails_with_one_line_and_no_traceback(tmp_path, monkeypatch):
    calls = []

    def offline(symbol, **kwargs):
        calls.append(kwargs)
        raise ConnectionError("Failed to resolve 'query2.finance.yahoo.com'")

    _fake_yfinance(monkeypatch, offline)
    result = CliRunner().invoke(cli, ["prices", "fetch", "IWM", "SPY", "--start", "2017-01-01",
                                      "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("Error: cannot reach Yahoo Finance for IWM (ConnectionError")
    assert calls[0]["timeout"] > 0  # never a hang
    assert len(calls) == 1  # the first failure stops the run


def test_fetch_fills_the_prices_table_and_an_empty_answer_is_an_error(tmp_path, monkeypatch):
    pd = pytest.importorskip("pandas")

    def history(symbol, **kwargs):
        if symbol == "NOPE":
            return pd.DataFrame()
        idx = pd.DatetimeIndex(["2017-08-16", "2017-08-17"], tz="America/New_York")
        return pd.DataFrame({"Open": [1.0, 2.0], "High": [1.0, 2.0], "Low": [1.0, 2.0],
                             "Close": [137.44, 134.93], "Adj Close": [128.8, 126.4],
                             "Volume": [21858600, 32722900], "Dividends": [0.0, 0.0],
                             "Stock Splits": [0.0, 2.0]}, index=idx)

    _fake_yfinance(monkeypatch, history)
    db = open_db(tmp_path / "p.db")
    reports = fetch_yfinance(db, ["IWM", "NOPE"], date(2017, 8, 1), date(2017, 9, 1))
    assert [r.error for r in reports] == [
        None, "yfinance:NOPE: Yahoo Finance returned no prices for 2017-08-01 .. 2017-09-01"]
    assert rows(tmp_path / "p.db", "SELECT date, close, adj_close, provider FROM prices") == [
        {"date": "2017-08-16", "close": 137.44, "adj_close": 128.8, "provider": "yfinance"},
        {"date": "2017-08-17", "close": 134.93, "adj_close": 126.4, "provider": "yfinance"}]
    assert rows(tmp_path / "p.db", "SELECT date, split_ratio FROM corporate_actions") == [
        {"date": "2017-08-17", "split_ratio": 2.0}]


def test_market_module_never_imports_yfinance_on_its_own():
    assert "yfinance" not in vars(market)


def test_symbol_option_only_names_one_file_and_odd_files_are_refused(tmp_path):
    folder = tmp_path / "in"
    write(folder, "SPY.csv", "date,close\n2017-08-14,246.54\n")
    write(folder, "QQQ.csv", "date,close\n2017-08-14,143.1\n")
    db = tmp_path / "p.db"
    result = run("prices", "import", folder, "--symbol", "IWM", "--db", db)
    assert result.exit_code == 1
    assert "--symbol IWM names the symbol of one file, but 2 files were given" in result.stderr
    assert rows(db, "SELECT count(*) AS n FROM prices") == [{"n": 0}]
    assert run("prices", "import", folder / "SPY.csv", "--symbol", "IWM", "--db", db).exit_code == 0
    assert rows(db, "SELECT DISTINCT symbol FROM prices") == [{"symbol": "IWM"}]
    write(tmp_path / "odd", "---.csv", "date,close\n2017-08-14,1\n")
    (tmp_path / "empty").mkdir()
    result = run("prices", "import", tmp_path / "odd", tmp_path / "empty", "--db", db)
    assert f"Error: {tmp_path / 'odd' / '---.csv'}: no symbol in the file name" in result.stderr
    assert f"Error: {tmp_path / 'empty'}: no .csv or .txt files in this folder" in result.stderr


def test_decimal_commas_implausible_numbers_short_rows_and_old_mac_line_ends(tmp_path):
    f = write(tmp_path, "GLD.csv",
              'date,close,volume\r2017-08-14,"10,5",100\r2017-08-15,"1,210.50",100\r'
              "2017-08-16,1e308,100\r2017-08-17,120.1\r2017-08-18,120.2,100\r")
    rep = import_file(open_db(tmp_path / "p.db"), f)
    assert rep.bad == [f"{f}:2: close '10,5' is not a number",
                       f"{f}:4: close 1e+308 is not a price",
                       f"{f}:5: 2 of 3 cells"]
    assert rows(tmp_path / "p.db", "SELECT date, close FROM prices") == [
        {"date": "2017-08-15", "close": 1210.5}, {"date": "2017-08-18", "close": 120.2}]


def test_a_spin_off_adjusted_like_a_split_is_carried_even_with_dividend_events(tmp_path):
    # XLF 2016-09-19: the XLRE distribution; as traded 23.92 -> 19.52 (-18 %),
    # adjusted 18.03 -> 18.06. GLD-like dividend events exist but list no split.
    bars = ("date,close,adj_close\n2016-09-16,23.92,18.03\n2016-09-19,19.52,18.06\n"
            "2016-09-20,19.45,18.00\n")
    s = _series_for(tmp_path / "x", {"TNA.csv": bars, "events/TNA.csv":
                                     "date,dividend,split_ratio\n2016-09-19,0.1,\n"})
    assert s.price[1] / s.price[0] - 1 == pytest.approx(18.06 / 18.03 - 1, abs=1e-9)


def test_a_locked_database_stops_the_import_with_one_line(tmp_path, monkeypatch):
    import sqlite3

    from extractor import store

    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    db = tmp_path / "p.db"
    open_db(db).close()
    f = write(tmp_path, "SPY.csv", "date,close\n2017-08-14,246.54\n")
    holder = sqlite3.connect(db, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run("prices", "import", f, "--db", db)
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: database is locked:") and result.stderr.count("\n") == 1
