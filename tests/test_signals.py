"""Per-ticker daily signals, from a real database, through the function and the CLI."""
import csv
import json
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner

from extractor import review, store
from extractor.cli import cli
from extractor.normalize.time import sessions_between
from extractor.schema import Window
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
    assert q.flow_claims_used == 2  # no windows: all of them, as written
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


# --------------------------------------------------------------------------- summable flows

def flow_article(db, make_facts, day, flows, *, path):
    """One article published on ``day`` with flow claims given as (evidence, ticker,
    direction, amount, aggregation, window_start, window_end); stored, its flow ids returned."""
    text = f"date {day}\nFlows\n\n" + " ".join(f[0] for f in flows) + "\n"
    facts = make_facts(text, path=path, flows=[f[:4] for f in flows])
    windowed = tuple(
        replace(fl, aggregation=agg, window=Window("window", ws and date.fromisoformat(ws),
                                                   we and date.fromisoformat(we)))
        for fl, (*_, agg, ws, we) in zip(facts.flows, flows))
    store.write_article(db, replace(facts, flows=windowed))
    aid = db.execute("SELECT id FROM articles WHERE path = ?", [path]).fetchone()[0]
    return [r[0] for r in db.execute("SELECT id FROM flows WHERE article_id = ? ORDER BY id", [aid])]


def signal(db, ticker, day):
    return {(s.ticker, s.day): s for s in daily_signals(db)}[(ticker, day)]


@pytest.fixture
def empty(db_path):
    db = store.open_db(db_path)
    yield db
    db.close()


SMALL_CAPS = [  # seed-000: the year-to-date figure contains the past couple sessions
    ("More than $700 million has left IWM in the past couple sessions.", "IWM", "outflow", 7e8,
     "total", "2017-08-14", "2017-08-16"),
    ("IWM has lost $3.8 billion year-to-date.", "IWM", "outflow", 3.8e9,
     "total", "2016-12-30", "2017-08-17"),
]


def test_a_window_inside_another_is_not_counted_twice(empty, make_facts):
    flow_article(empty, make_facts, "2017-08-18", SMALL_CAPS, path="iwm.txt")
    iwm = signal(empty, "IWM", "2017-08-18")
    assert (iwm.flows, iwm.flow_claims_used) == (2, 1)
    assert (iwm.net_flow_usd, iwm.outflow_usd, iwm.inflow_usd) == (-7e8, 7e8, 0.0)


def test_rejecting_the_shorter_window_lets_the_longer_one_count(empty, make_facts):
    short, _ = flow_article(empty, make_facts, "2017-08-18", SMALL_CAPS, path="iwm.txt")
    review.reject(empty, "flows", short)
    iwm = signal(empty, "IWM", "2017-08-18")
    assert (iwm.flows, iwm.flow_claims_used, iwm.net_flow_usd) == (1, 1, -3.8e9)


def test_two_windows_that_do_not_overlap_add_up(empty, make_facts):
    # the quarter ends on the close the week starts after: adjacent, not overlapping
    flow_article(empty, make_facts, "2021-04-09", [
        ("$6.1 billion left GLD in the first quarter.", "GLD", "outflow", 6.1e9,
         "total", "2020-12-31", "2021-03-31"),
        ("GLD lost another $412 million in the week.", "GLD", "outflow", 4.12e8,
         "total", "2021-03-31", "2021-04-07"),
        ("$140 million went into GLD on Thursday.", "GLD", "inflow", 1.4e8,
         "total", "2021-04-07", "2021-04-08"),
    ], path="gld.txt")
    gld = signal(empty, "GLD", "2021-04-09")
    assert gld.flow_claims_used == 3
    assert gld.net_flow_usd == pytest.approx(-6.1e9 - 4.12e8 + 1.4e8)
    assert (gld.inflow_usd, gld.outflow_usd) == (pytest.approx(1.4e8), pytest.approx(6.512e9))


def test_the_same_window_from_two_articles_counts_once_a_reviewed_one_first(empty, make_facts):
    claim = [("GLD lost $773.8 million in September.", "GLD", "outflow", 7.738e8,
              "total", "2019-08-30", "2019-09-30")]
    flow_article(empty, make_facts, "2019-10-02", claim, path="one.txt")
    [second] = flow_article(empty, make_facts, "2019-10-02", [
        ("GLD lost $986.2 million in September.", "GLD", "outflow", 9.862e8,
         "total", "2019-08-30", "2019-09-30")], path="two.txt")
    gld = signal(empty, "GLD", "2019-10-02")
    assert (gld.articles, gld.flows, gld.flow_claims_used, gld.net_flow_usd) == (2, 2, 1, -7.738e8)
    review.edit(empty, "flows", second, status="accepted")
    assert signal(empty, "GLD", "2019-10-02").net_flow_usd == -9.862e8


def test_an_edited_window_counts(empty, make_facts):
    _, ytd = flow_article(empty, make_facts, "2017-08-18", SMALL_CAPS, path="iwm.txt")
    # a reviewer says the $3.8 billion ran to the close before the two sessions began
    review.edit(empty, "flows", ytd, {"window_end": "2017-08-14"})
    iwm = signal(empty, "IWM", "2017-08-18")
    assert (iwm.flow_claims_used, iwm.net_flow_usd) == (2, -4.5e9)


def test_claims_without_a_window_count_only_when_no_windowed_one_does(empty, make_facts):
    flow_article(empty, make_facts, "2020-11-04", [
        ("LQD lost $1.4 billion on Monday.", "LQD", "outflow", 1.4e9,
         "total", "2020-10-30", "2020-11-02"),
        ("LQD had lost $1.1 billion in late February.", "LQD", "outflow", 1.1e9,
         "total", None, None),
    ], path="lqd.txt")
    flow_article(empty, make_facts, "2020-11-05", [
        ("LQD took in $300 million.", "LQD", "inflow", 3e8, "total", None, None),
        ("LQD gave back $100 million.", "LQD", "outflow", 1e8, "total", None, None),
    ], path="lqd2.txt")
    lqd = signal(empty, "LQD", "2020-11-04")
    assert (lqd.flows, lqd.flow_claims_used, lqd.net_flow_usd) == (2, 1, -1.4e9)
    lqd = signal(empty, "LQD", "2020-11-05")
    assert (lqd.flows, lqd.flow_claims_used, lqd.net_flow_usd) == (2, 2, 2e8)


def test_a_window_with_a_start_only_runs_to_the_publication_day(empty, make_facts):
    flow_article(empty, make_facts, "2019-03-08", [
        ("KRE took in $40 million this week.", "KRE", "inflow", 4e7,
         "total", "2019-03-01", "2019-03-07"),
        ("KRE has taken in $613 million since January.", "KRE", "inflow", 6.13e8,
         "total", "2018-12-31", None),
    ], path="kre.txt")
    kre = signal(empty, "KRE", "2019-03-08")
    assert (kre.flow_claims_used, kre.net_flow_usd) == (1, 4e7)


def test_a_month_has_21_sessions_for_the_test_below():
    assert sessions_between(date(2019, 9, 16), date(2019, 10, 15)) == 21


@pytest.mark.parametrize(("aggregation", "amount", "total"), [
    ("daily_avg", 5.2e6, 109.2e6),   # 5.2 million x 21 sessions
    ("weekly_avg", 10e6, 42e6),      # 21 / 5 weeks
    ("monthly_avg", 30e6, 30e6),     # one month of 21 sessions
    ("total", 5.2e6, 5.2e6),
])
def test_an_average_is_multiplied_out_over_its_window(empty, make_facts, aggregation, amount, total):
    flow_article(empty, make_facts, "2019-10-17", [
        ("TNA averaged daily inflows of almost $5.2 million over the past month.", "TNA",
         "inflow", amount, aggregation, "2019-09-16", "2019-10-15")], path="tna.txt")
    tna = signal(empty, "TNA", "2019-10-17")
    assert tna.net_flow_usd == pytest.approx(total) and tna.inflow_usd == pytest.approx(total)


def test_an_average_without_a_window_counts_once_as_written(empty, make_facts):
    flow_article(empty, make_facts, "2019-10-17", [
        ("TNA averaged daily inflows of almost $5.2 million.", "TNA", "inflow", 5.2e6,
         "daily_avg", None, None)], path="tna.txt")
    assert signal(empty, "TNA", "2019-10-17").net_flow_usd == 5.2e6


def test_an_average_is_compared_with_other_windows_by_its_window(empty, make_facts):
    # the month's daily average contains the week: the week (shorter) is taken
    flow_article(empty, make_facts, "2019-10-17", [
        ("TNA averaged daily inflows of almost $5.2 million over the past month.", "TNA",
         "inflow", 5.2e6, "daily_avg", "2019-09-16", "2019-10-15"),
        ("TNA took in $20 million last week.", "TNA", "inflow", 2e7,
         "total", "2019-10-04", "2019-10-11"),
    ], path="tna.txt")
    tna = signal(empty, "TNA", "2019-10-17")
    assert (tna.flow_claims_used, tna.net_flow_usd) == (1, 2e7)


# --------------------------------------------------------------------------- sentiment

def stance_article(db, make_facts, day, label, score, *, path):
    text = f"date {day}\nStance\n\nQQQ said something on {path}.\n"
    store.write_article(db, make_facts(
        text, path=path, sentiment=[(f"QQQ said something on {path}.", "QQQ", label, score)]))
    aid = db.execute("SELECT id FROM articles WHERE path = ?", [path]).fetchone()[0]
    return db.execute("SELECT id FROM sentiment WHERE article_id = ?", [aid]).fetchone()[0]


def test_a_neutral_stance_never_moves_the_mean(empty, make_facts):
    stance_article(empty, make_facts, "2019-10-17", "bullish", 0.6, path="a.txt")
    stance_article(empty, make_facts, "2019-10-17", "bearish", -0.2, path="b.txt")
    assert signal(empty, "QQQ", "2019-10-17").sentiment_mean == 0.2
    stance_article(empty, make_facts, "2019-10-17", "neutral", 0.69, path="c.txt")
    q = signal(empty, "QQQ", "2019-10-17")
    assert (q.sentiment_mean, q.bullish, q.bearish, q.neutral, q.articles) == (0.2, 1, 1, 1, 3)


def test_a_day_of_neutral_stances_has_mean_zero(empty, make_facts):
    stance_article(empty, make_facts, "2019-10-18", "neutral", 0.69, path="a.txt")
    stance_article(empty, make_facts, "2019-10-18", "neutral", -0.3, path="b.txt")
    q = signal(empty, "QQQ", "2019-10-18")
    assert (q.sentiment_mean, q.neutral) == (0.0, 2)


def test_the_label_decides_the_sign_of_the_score(empty, make_facts):
    sid = stance_article(empty, make_facts, "2019-10-17", "bearish", -0.5, path="a.txt")
    review.edit(empty, "sentiment", sid, {"label": "bullish"})  # the score is left as it was
    q = signal(empty, "QQQ", "2019-10-17")
    assert (q.sentiment_mean, q.bullish, q.bearish) == (0.5, 1, 0)
    review.edit(empty, "sentiment", sid, {"label": "neutral"})
    assert signal(empty, "QQQ", "2019-10-17").sentiment_mean == 0.0
