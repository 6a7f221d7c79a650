"""Per-ticker daily signals, from a real database, through the function and the CLI."""
import csv
import json

import pytest
from click.testing import CliRunner

from extractor import review, store
from extractor.cli import cli
from extractor.signals import daily_signals


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def db(db_path, make_facts):
    db = store.open_db(db_path)
    a = ("date 2019-10-17\nFlows\n\nInvestors put $450 million into QQQ. $100 million left "
         "QQQ. Traders are bullish on QQQ. $2 billion left SPY.\n")
    store.write_article(db, make_facts(
        a, path="a.txt",
        flows=[("Investors put $450 million into QQQ", "QQQ", "inflow", 4.5e8),
               ("$100 million left QQQ", "QQQ", "outflow", 1e8),
               ("$2 billion left SPY", "SPY", "outflow", 2e9)],
        sentiment=[("Traders are bullish on QQQ.", "QQQ", "bullish", 0.6)]))
    b = "date 2019-10-18\nMore\n\nQQQ looks weak, said a strategist. $50 million left QQQ.\n"
    store.write_article(db, make_facts(
        b, path="b.txt", flows=[("$50 million left QQQ", "QQQ", "outflow", 5e7)],
        sentiment=[("QQQ looks weak", "QQQ", "bearish", -0.4)]))
    yield db
    db.close()


def test_one_row_per_ticker_and_day_with_net_flows_and_sentiment(db):
    got = {(s.ticker, s.day): s for s in daily_signals(db)}
    assert set(got) == {("QQQ", "2019-10-17"), ("QQQ", "2019-10-18"), ("SPY", "2019-10-17")}
    q = got[("QQQ", "2019-10-17")]
    assert (q.articles, q.flows, q.inflow_usd, q.outflow_usd, q.net_flow_usd) == (1, 2, 4.5e8, 1e8, 3.5e8)
    assert (q.sentiment_mean, q.bullish, q.bearish) == (0.6, 1, 0)
    spy = got[("SPY", "2019-10-17")]
    assert spy.net_flow_usd == -2e9 and spy.sentiment_mean is None


def test_rejected_claims_are_left_out_and_edits_count(db):
    spy = db.execute("SELECT id FROM flows WHERE ticker = 'SPY'").fetchone()[0]
    review.reject(db, "flows", spy)
    inflow = db.execute("SELECT id FROM flows WHERE direction = 'inflow'").fetchone()[0]
    review.edit(db, "flows", inflow, {"amount_usd": 6e8})
    got = {(s.ticker, s.day): s for s in daily_signals(db)}
    assert ("SPY", "2019-10-17") not in got
    assert got[("QQQ", "2019-10-17")].net_flow_usd == 5e8


def test_filters_by_ticker_and_days(db):
    assert {(s.ticker, s.day) for s in daily_signals(db, ["qqq"], start="2019-10-18")} == {
        ("QQQ", "2019-10-18")}


def test_cli_prints_a_table_and_writes_csv(db, db_path, tmp_path):
    r = run("signals", "--db", db_path, "-t", "SPY")
    assert r.exit_code == 0 and "SPY" in r.output and "-2,000,000,000" in r.output
    out = tmp_path / "s.csv"
    r = run("signals", "--db", db_path, "--out", out)
    assert r.exit_code == 0
    table = list(csv.DictReader(out.open()))
    assert len(table) == 3 and table[0]["ticker"] == "QQQ"
    r = run("signals", "--db", db_path, "--format", "json", "--end", "2019-10-17")
    assert {row["ticker"] for row in json.loads(r.output)} == {"QQQ", "SPY"}


def test_cli_refuses_a_bad_date_and_a_missing_database(db_path, tmp_path):
    r = CliRunner().invoke(cli, ["signals", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 1 and "run `extractor ingest` first" in r.output
    r = CliRunner().invoke(cli, ["signals", "--db", str(db_path), "--start", "May 1"])
    assert r.exit_code == 2 and "not a date" in r.output
