"""Verdicts against the real prices in ../shared/market-data, with the expected figures
worked out by hand from the CSV rows quoted in each test."""
from __future__ import annotations

import json
import math
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.crosscheck import (Claim, acceptance, check_claims, check_flow, check_return,
                                  flow_tolerance, return_tolerance, stance_disagrees)
from extractor.market import Market, import_paths
from extractor.store import open_db, write_article
from _db import rows
from conftest import shared_path

TODAY = date(2026, 11, 21)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="session")
def priced_db(tmp_path_factory) -> Path:
    """All of ../shared/market-data imported once; tests copy it before writing."""
    path = tmp_path_factory.mktemp("market") / "prices.db"
    db = open_db(path)
    assert not [r for r in import_paths(db, [shared_path("market-data")]) if r.error or r.bad]
    db.close()
    return path


@pytest.fixture
def market(priced_db) -> Market:
    db = open_db(priced_db, readonly=True)
    yield Market(db)
    db.close()


@pytest.fixture
def db_copy(priced_db, tmp_path) -> Path:
    path = tmp_path / "claims.db"
    shutil.copy(priced_db, path)
    return path


def ret(ticker, start, end, value, qualifier=None, high=None, kind="realized", evidence=""):
    return Claim("returns", 1, "a", ticker, start, end, evidence, qualifier,
                 value_pct=value, value_pct_high=high, kind=kind)


# --------------------------------------------------------------------------- tolerance


@pytest.mark.parametrize("value,evidence,tol", [
    (2.7, "IWM is up just 2.7 percent", 0.15),
    (11, "higher by more than 11 percent", 0.6),
    (-2.58, "down 2.58%", 0.105),
    (2.5, "rose 2.50%", 0.105),  # the digits as written, not as stored
    (5, "rose five percent", 0.6),
])
def test_tolerance_is_half_the_last_stated_digit_plus_a_tenth(value, evidence, tol):
    assert return_tolerance(value, evidence) == pytest.approx(tol)


def test_qualifiers_and_ranges_widen_what_agrees():
    assert acceptance(2.7, None, None, 0.15) == pytest.approx((2.55, 2.85))
    assert acceptance(11, None, "more than", 0.6) == (pytest.approx(10.4), math.inf)
    assert acceptance(5, None, "almost", 0.6) == pytest.approx((4.5, 5.6))
    assert acceptance(11, None, "about", 0.6) == pytest.approx((9.9, 12.1))
    assert acceptance(2, None, "roughly", 0.6) == pytest.approx((1.4, 2.6))  # never narrower
    assert acceptance(1, None, "less than", 0.6) == pytest.approx((-0.6, 1.6))
    assert acceptance(-5, None, "more than", 0.6) == (-math.inf, pytest.approx(-4.4))
    assert acceptance(3, 5, None, 0.6) == pytest.approx((2.4, 5.6))
    assert acceptance(-3, -5, None, 0.6) == pytest.approx((-5.6, -2.4))


def test_flow_tolerance_uses_the_written_scale():
    # $1.2 billion: half of $0.1 billion, plus 5 % of the amount
    assert flow_tolerance(1.2e9, "$1.2 billion exited") == pytest.approx(0.05e9 + 0.06e9)
    assert flow_tolerance(7e8, "More than $700 million has vacated IWM") == pytest.approx(0.5e6 + 35e6)


# --------------------------------------------------------------------------- returns


def test_iwm_ytd_is_confirmed_on_total_return_one_session_early(market):
    # "Year-to-date, IWM is up just 2.7 percent" (article of 2017-08-18)
    # IWM close 2016-12-30 134.85 -> 2017-08-17 134.93: +0.06 % (price, window end)
    # adj close 125.48232 -> 2017-08-16 128.814765: +2.66 % (total return, 1 session early)
    c = check_return(ret("IWM", date(2016, 12, 30), date(2017, 8, 17), 2.7, "just",
                         evidence="Year-to-date, IWM is up just 2.7 percent"), market, TODAY)
    assert c.verdict == "confirmed"
    assert (c.basis, c.symbol, c.end_date, c.sessions_early) == ("total_return", "IWM", "2017-08-16", 1)
    assert c.actual == pytest.approx(128.814765 / 125.48232 * 100 - 100, abs=1e-3)
    assert (c.start_price, c.end_price) == (125.48232, 128.814765)
    at_end = {(e.basis, e.end): e.actual for e in c.evaluations}
    assert at_end[("price", "2017-08-17")] == pytest.approx(0.06, abs=0.005)
    assert "IWM total return +2.66% to 2017-08-16, 1 session before the window's end, agrees" in c.reason
    assert "IWM price return +1.92% to 2017-08-16" in c.reason


def test_sp500_more_than_11_is_confirmed_through_spy_with_the_index_shown(market):
    # ^GSPC 2238.83 -> 2017-08-16 2468.11: +10.24 % (below 11 - 0.6)
    # SPY adj 202.240895 -> 2017-08-16 225.487621: +11.49 %
    c = check_return(ret("^GSPC", date(2016, 12, 30), date(2017, 8, 17), 11, "more than",
                         evidence="The S&P 500 is higher by more than 11 percent"), market, TODAY)
    assert c.verdict == "confirmed"
    assert (c.basis, c.symbol, c.sessions_early) == ("total_return", "SPY", 1)
    assert c.actual == pytest.approx(11.49, abs=0.005)
    assert "SPY (proxy for ^GSPC) total return +11.49%" in c.reason
    assert "^GSPC price return +10.24% to 2017-08-16" in c.reason


def test_a_range_forecast_whose_horizon_passed(market):
    # ^GSPC 2018-12-31 2506.85 -> 2019-12-31 3230.78: +28.88 %; SPY total return +31.22 %
    low = check_return(ret("^GSPC", date(2018, 12, 31), date(2019, 12, 31), 3, high=5,
                           kind="forecast", evidence="a gain of 3 to 5 percent"), market, TODAY)
    assert low.verdict == "contradicted" and low.forecast
    assert (low.basis, low.symbol, low.end_date) == ("price", "^GSPC", "2019-12-31")
    assert low.actual == pytest.approx(3230.78 / 2506.85 * 100 - 100, abs=1e-3)
    assert low.reason.startswith("forecast gain 3% to 5% over the window 2018-12-31 .. 2019-12-31, "
                                 "accepts +2.40% .. +5.60%")
    right = check_return(ret("^GSPC", date(2018, 12, 31), date(2019, 12, 31), 25, high=30,
                             kind="forecast"), market, TODAY)
    assert right.verdict == "confirmed" and right.forecast and right.basis == "price"


def test_a_forecast_not_yet_due_is_unverifiable():
    c = check_return(ret("^GSPC", date(2026, 11, 20), date(2027, 12, 31), 10, kind="forecast"),
                     Market(None), TODAY)
    assert (c.verdict, c.forecast) == ("unverifiable", True)
    assert c.reason == "forecast not yet due: its horizon ends 2027-12-31"


def test_qualifiers_on_real_moves(market):
    # ^GSPC 2018-12-31 2506.85 -> 2019-06-28 2941.76: +17.35 %; SPY total return +18.33 %
    h1 = (date(2018, 12, 31), date(2019, 6, 28))
    almost18 = check_return(ret("^GSPC", *h1, 18, "almost"), market, TODAY)
    assert (almost18.verdict, almost18.basis) == ("confirmed", "price")  # 16.2 .. 18.6
    almost20 = check_return(ret("^GSPC", *h1, 20, "almost"), market, TODAY)
    assert (almost20.verdict, almost20.symbol) == ("confirmed", "SPY")  # 18.0 .. 20.6
    almost25 = check_return(ret("^GSPC", *h1, 25, "almost"), market, TODAY)
    assert almost25.verdict == "contradicted"  # 22.5 .. 25.6
    assert almost25.actual == pytest.approx(18.33, abs=0.005)  # the nearest basis is shown
    about17 = check_return(ret("^GSPC", *h1, 17, "about"), market, TODAY)
    assert about17.verdict == "confirmed"


def test_a_window_across_a_split_uses_the_split(market):
    # TNA 2-for-1 on 2017-05-01: close 108.69 (04-28) -> 54.14 (05-05) as traded, -50.2 %;
    # carried across the split 54.14 * 2 / 108.69: -0.38 %; adj 53.778917 -> 53.576044: -0.38 %
    c = check_return(ret("TNA", date(2017, 4, 28), date(2017, 5, 5), -0.4), market, TODAY)
    assert c.verdict == "confirmed" and c.basis == "price"
    assert c.actual == pytest.approx((54.14 * 2 / 108.69 - 1) * 100, abs=1e-3)
    assert (c.start_price, c.end_price) == (108.69, 54.14)  # as traded, for the reviewer
    halved = check_return(ret("TNA", date(2017, 4, 28), date(2017, 5, 5), -50), market, TODAY)
    assert halved.verdict == "contradicted"


def test_a_window_ending_on_a_holiday_uses_the_last_close_before_it(market):
    # 2017-07-04 is Independence Day: IWM 2017-06-30 140.92 -> 2017-07-03 142.10, +0.84 %
    c = check_return(ret("IWM", date(2017, 6, 30), date(2017, 7, 4), 0.8), market, TODAY)
    assert (c.verdict, c.end_date, c.sessions_early) == ("confirmed", "2017-07-03", 0)
    assert c.actual == pytest.approx((142.10 / 140.92 - 1) * 100, abs=1e-3)


def test_a_window_the_data_does_not_cover(market):
    c = check_return(ret("IWM", date(2022, 12, 30), date(2023, 2, 1), 5), market, TODAY)
    assert c.verdict == "unverifiable"
    assert c.reason.startswith("prices do not cover the window 2022-12-30 .. 2023-02-01 (IWM price "
                               "2010-01-04 .. 2022-11-18; IWM total return 2010-01-04 .. 2022-12-30)")
    early = check_return(ret("^GSPC", date(2008, 12, 31), date(2009, 2, 19), -9), market, TODAY)
    assert early.verdict == "unverifiable" and "do not cover" in early.reason


def test_a_symbol_not_in_the_data_and_claims_without_a_window(market):
    c = check_return(ret("XYZQ", date(2017, 1, 3), date(2017, 2, 1), 5), market, TODAY)
    assert (c.verdict, c.reason) == ("unverifiable", "no prices for XYZQ (import them with "
                                                     "`extractor prices import`)")
    assert check_return(ret("IWM", None, None, 5), market, TODAY).reason.startswith("no window")
    assert "no end" in check_return(ret("IWM", date(2016, 12, 30), None, 5), market, TODAY).reason


# --------------------------------------------------------------------------- flows


def flow(ticker, start, end, amount, direction="outflow", qualifier=None, evidence="", agg="total"):
    return Claim("flows", 1, "a", ticker, start, end, evidence, qualifier, direction=direction,
                 amount_usd=amount, aggregation=agg)


def test_a_flow_without_flow_data_gets_dollar_volume_figures(market):
    # IWM 2017-08-15 137.40 x 16,646,000 + 2017-08-16 137.44 x 21,858,600 dollars traded
    traded = 137.40 * 16646000 + 137.44 * 21858600
    c = check_flow(flow("IWM", date(2017, 8, 14), date(2017, 8, 16), 7e8, qualifier="more than"),
                   market, TODAY)
    assert c.verdict == "unverifiable"
    assert c.dollar_volume == pytest.approx(traded)
    assert c.flow_multiple == pytest.approx(7e8 / traded)
    assert c.reason.startswith("no fund-flow data for IWM")
    assert "0.13x the $5.29 billion traded in the window" in c.reason
    huge = check_flow(flow("IWM", date(2017, 8, 14), date(2017, 8, 16), 50e9), market, TODAY)
    assert huge.flow_multiple > 3 and "suspect" in huge.reason


def test_a_flows_csv_checks_the_flow(db_copy, tmp_path):
    # Shares outstanding, made up for the test: 2017-08-14 100.0 M, 08-15 97.0 M, 08-16 95.0 M.
    # Flow = -3.0 M x 137.40 + -2.0 M x 137.44 = -$687.08 million
    flows_csv = tmp_path / "flows" / "IWM.csv"
    flows_csv.parent.mkdir()
    flows_csv.write_text("date,shares_outstanding\n2017-08-11,100000000\n2017-08-14,100000000\n"
                         "2017-08-15,97000000\n2017-08-16,95000000\n2017-08-17,95000000\n")
    db = open_db(db_copy)
    assert [r.table for r in import_paths(db, [flows_csv])] == ["fund_flows"]
    m = Market(db)
    c = check_flow(flow("IWM", date(2017, 8, 14), date(2017, 8, 16), 7e8, qualifier="more than",
                        evidence="More than $700 million has vacated IWM"), m, TODAY)
    assert (c.verdict, c.basis, c.end_date) == ("confirmed", "shares_outstanding", "2017-08-16")
    assert c.actual == pytest.approx(-(3e6 * 137.40 + 2e6 * 137.44))
    wrong = check_flow(flow("IWM", date(2017, 8, 14), date(2017, 8, 16), 2e9, direction="inflow"),
                       m, TODAY)
    assert wrong.verdict == "contradicted"
    net = tmp_path / "net" / "SPY.csv"
    net.parent.mkdir()
    net.write_text("date,net_flow\n2017-08-14,0\n2017-08-15,1.0e9\n2017-08-16,1.1e9\n")
    list(import_paths(db, [net]))
    spy = check_flow(flow("SPY", date(2017, 8, 14), date(2017, 8, 16), 2.1e9, direction="inflow",
                          evidence="(SPY, +$2.1 billion)"), Market(db), TODAY)
    assert (spy.verdict, spy.basis, spy.actual) == ("confirmed", "net_flow", 2.1e9)


def test_stance_against_the_move_is_flagged():
    assert stance_disagrees("bullish", -2.0) and stance_disagrees("bearish", 1.5)
    assert not stance_disagrees("bullish", 2.0) and not stance_disagrees("bullish", -0.5)
    assert not stance_disagrees(None, -5.0)


# --------------------------------------------------------------------------- the database


def _article(make_facts, db_path):
    text = ("date 2017-08-18\nSmall caps\n\nYear-to-date, IWM is up just 2.7 percent. "
            "More than $700 million has vacated IWM in the past couple sessions. "
            "Small caps look great, a rally is coming.\n")
    facts = make_facts(text, "iwm.txt", returns=[("IWM is up just 2.7 percent", "IWM", 2.7)],
                       flows=[("More than $700 million has vacated IWM", "IWM", "outflow", 7e8)],
                       sentiment=[("Small caps look great, a rally is coming.", "IWM", "bullish", 0.8)])
    db = open_db(db_path)
    write_article(db, facts)
    db.execute("UPDATE returns SET window_start = '2016-12-30', window_end = '2017-08-17', "
               "qualifier = 'just'")
    db.execute("UPDATE flows SET window_start = '2017-08-14', window_end = '2017-08-16', "
               "qualifier = 'more than'")
    db.conn.commit()
    return db, facts


def test_check_command_stores_verdicts_shown_in_the_claims_view(db_copy, make_facts):
    db, _ = _article(make_facts, db_copy)
    db.close()
    result = run("check", "--db", db_copy)
    assert result.exit_code == 0, result.output
    assert "returns          1             0             0" in result.stdout
    assert "flows            0             0             1" in result.stdout
    got = rows(db_copy, "SELECT claim_type, verdict, verdict_basis, checked_symbol, checked_end, "
                        "sessions_early, round(actual_value, 2) AS actual, sentiment_disagrees "
                        "FROM claims ORDER BY claim_type")
    assert got == [
        {"claim_type": "flow", "verdict": "unverifiable", "verdict_basis": None, "checked_symbol": None,
         "checked_end": None, "sessions_early": None, "actual": None, "sentiment_disagrees": 0},
        {"claim_type": "return", "verdict": "confirmed", "verdict_basis": "total_return",
         "checked_symbol": "IWM", "checked_end": "2017-08-16", "sessions_early": 1, "actual": 2.66,
         "sentiment_disagrees": 0}]
    check = rows(db_copy, "SELECT * FROM checks WHERE fact_table = 'returns'")[0]
    assert check["provider"] == "csv:IWM.csv" and check["checked_at"]
    assert {(e["basis"], e["sessions_early"]) for e in json.loads(check["evaluations"])} >= {
        ("price", 0), ("total_return", 1)}
    again = run("check", "--db", db_copy)
    assert "2 unchanged claims kept their verdict" in again.stdout
    assert "returns          0" in again.stdout
    assert "returns          1" in run("check", "--recheck", "--db", db_copy).stdout


def test_an_edited_claim_is_checked_again_and_a_rejected_one_loses_its_verdict(db_copy, make_facts):
    db, _ = _article(make_facts, db_copy)
    check_claims(db, today=TODAY)
    db.execute("UPDATE returns SET value_pct = 9, status = 'edited'")
    db.execute("UPDATE flows SET status = 'rejected'")
    db.conn.commit()
    s = check_claims(db, today=TODAY)
    assert s.checked == {"contradicted": 1} and s.removed == 1
    assert rows(db_copy, "SELECT fact_table, verdict FROM checks") == [
        {"fact_table": "returns", "verdict": "contradicted"}]


def test_stance_disagreeing_with_the_window_move(db_copy, make_facts):
    db, _ = _article(make_facts, db_copy)
    # the flow's window: IWM 2017-08-14 138.54 -> 2017-08-16 137.44 is -0.79 %, too small;
    # move it to 2017-08-08 .. 2017-08-10: close 140.00 -> 136.27 (IWM fell 2.66 %)
    db.execute("UPDATE flows SET window_start = '2017-08-08', window_end = '2017-08-10'")
    db.conn.commit()
    check_claims(db, today=TODAY)
    got = rows(db_copy, "SELECT fact_table, sentiment, sentiment_disagrees FROM checks ORDER BY fact_table")
    assert got == [{"fact_table": "flows", "sentiment": "bullish", "sentiment_disagrees": 1},
                   {"fact_table": "returns", "sentiment": "bullish", "sentiment_disagrees": 0}]


def test_reingesting_drops_the_verdicts_of_replaced_machine_rows(db_copy, make_facts):
    db, facts = _article(make_facts, db_copy)
    check_claims(db, today=TODAY)
    assert rows(db_copy, "SELECT count(*) AS n FROM checks")[0]["n"] == 2
    write_article(db, facts)  # a re-extraction replaces the machine rows
    assert rows(db_copy, "SELECT count(*) AS n FROM checks")[0]["n"] == 0
    assert rows(db_copy, "SELECT count(*) AS n FROM claims WHERE verdict IS NULL")[0]["n"] == 2


def test_ingest_checks_when_prices_are_present(db_copy, corpus, fake_rules):
    result = run("ingest", corpus, "--db", db_copy)
    assert result.exit_code == 0, result.output
    assert "checked  confirmed  contradicted  unverifiable" in result.stdout
    n_claims = rows(db_copy, "SELECT count(*) AS n FROM claims")[0]["n"]
    assert rows(db_copy, "SELECT count(*) AS n FROM checks")[0]["n"] == n_claims > 0


def test_ingest_without_prices_does_not_check_unless_asked(db_path, corpus, fake_rules):
    assert "checked" not in run("ingest", corpus, "--db", db_path).stdout
    forced = run("ingest", corpus, "--db", db_path, "--force", "--check")
    assert "no prices in the database: every claim is unverifiable" in forced.stdout
    assert rows(db_path, "SELECT DISTINCT verdict FROM checks") == [{"verdict": "unverifiable"}]


def test_check_imports_prices_first_when_given(db_path, corpus, fake_rules, tmp_path):
    run("ingest", corpus, "--db", db_path, "--no-check")
    prices = tmp_path / "prices"
    prices.mkdir()
    shutil.copy(shared_path("market-data", "IWM.csv"), prices / "IWM.csv")  # a temp copy, not in the project
    result = run("check", "--db", db_path, "--prices", prices)
    assert result.exit_code == 0
    assert rows(db_path, "SELECT count(DISTINCT symbol) AS n FROM prices")[0]["n"] == 1


# --------------------------------------------------------------------------- review fixes


def test_new_prices_make_old_verdicts_stale_without_recheck(db_path, corpus, fake_rules, tmp_path):
    run("ingest", corpus, "--db", db_path, "--check")
    before = rows(db_path, "SELECT verdict_reason FROM claims WHERE ticker = 'IWM' AND claim_type = 'return'")
    assert before[0]["verdict_reason"].startswith("no window") or "no prices" in before[0]["verdict_reason"]
    db = open_db(db_path)
    db.execute("UPDATE returns SET window_start = '2016-12-30', window_end = '2017-08-17' "
               "WHERE ticker = 'IWM'")
    db.conn.commit()
    check_claims(db, today=TODAY)
    assert rows(db_path, "SELECT verdict_reason FROM claims WHERE ticker = 'IWM' "
                         "AND claim_type = 'return'")[0]["verdict_reason"].startswith("no prices for IWM")
    list(import_paths(db, [shared_path("market-data", "IWM.csv")]))
    s = check_claims(db, today=TODAY)
    assert s.checked["confirmed"] == 1  # only the claims that read IWM were checked again
    assert s.skipped == rows(db_path, "SELECT count(*) AS n FROM checks")[0]["n"] - s.checked.total()


def test_a_forecast_is_checked_again_once_it_falls_due(db_copy, make_facts):
    db, _ = _article(make_facts, db_copy)
    # "IWM to gain 13 percent by year-end" in the 2017-08-18 article: IWM 2017-08-17 134.93 ->
    # 2017-12-29 152.46 = +12.99 % (accepts 12.4 .. 13.6)
    db.execute("UPDATE returns SET kind = 'forecast', value_pct = 13, window_start = '2017-08-17', "
               "window_end = '2017-12-29'")
    db.conn.commit()
    check_claims(db, today=date(2017, 9, 1))
    assert rows(db_copy, "SELECT reason FROM checks WHERE fact_table = 'returns'")[0]["reason"] == \
        "forecast not yet due: its horizon ends 2017-12-29"
    check_claims(db, today=TODAY)
    assert rows(db_copy, "SELECT verdict, forecast, round(actual, 2) AS actual FROM checks "
                         "WHERE fact_table = 'returns'") == [{"verdict": "confirmed", "forecast": 1, "actual": 12.99}]


def test_a_forecast_is_never_checked_on_a_window_that_ended_before_the_article(db_copy, make_facts):
    # a year-end forecast that borrowed the past year-to-date window (2016-12-30 .. 2017-08-17)
    # of an article published 2017-08-18
    db, _ = _article(make_facts, db_copy)
    db.execute("UPDATE returns SET kind = 'forecast', window_start = '2016-12-30', window_end = '2017-08-17'")
    db.conn.commit()
    check_claims(db, today=TODAY)
    check = rows(db_copy, "SELECT verdict, reason FROM checks WHERE fact_table = 'returns'")[0]
    assert check["verdict"] == "unverifiable"
    assert "ends before the article was written (2017-08-18)" in check["reason"]


def test_a_hole_in_one_basis_is_not_filled_with_an_older_close(market):
    # TNA 2011-10-27: the as-traded close was dropped as bad, the adjusted close exists
    c = check_return(ret("TNA", date(2011, 10, 26), date(2011, 10, 27), 10), market, TODAY)
    assert {(e.basis, e.end) for e in c.evaluations} == {("total_return", "2011-10-27")}
    # IWR has no as-traded row on 2010-05-06 (the flash crash; not a holiday): only the
    # adjusted close (total_return/) measures that day
    iwr = check_return(ret("IWR", date(2010, 5, 5), date(2010, 5, 6), -3), market, TODAY)
    assert {e.basis for e in iwr.evaluations} == {"total_return"}


def test_a_range_bound_keeps_its_own_decimals():
    assert return_tolerance(5.5, "a gain of 3 to 5.5 percent") == pytest.approx(0.15)
    assert return_tolerance(3, "a gain of 3 to 5.5 percent") == pytest.approx(0.6)


def test_an_averaged_flow_is_summed_with_its_tolerance(db_copy, tmp_path):
    # SPY net flows of $10 million on each of 5 sessions 2017-08-08 .. 2017-08-14
    net = tmp_path / "SPY.csv"
    net.write_text("date,net_flow\n2017-08-07,0\n" + "".join(
        f"{d},10000000\n" for d in ("2017-08-08", "2017-08-09", "2017-08-10", "2017-08-11", "2017-08-14")))
    db = open_db(db_copy)
    list(import_paths(db, [net]))
    m = Market(db)
    window = (date(2017, 8, 7), date(2017, 8, 14))
    ok = check_flow(flow("SPY", *window, 1e7, "inflow", evidence="$10 million a day", agg="daily_avg"),
                    m, TODAY)
    assert (ok.verdict, ok.actual) == ("confirmed", 5e7)
    assert (ok.accept_low, ok.accept_high) == (pytest.approx(5e7 - 5 * (0.5e6 + 0.5e6)),
                                               pytest.approx(5e7 + 5 * (0.5e6 + 0.5e6)))
    assert "inflows of $10.00 million a day" in ok.reason
    five_times = check_flow(flow("SPY", *window, 5e7, "inflow", evidence="$50 million a day",
                                 agg="daily_avg"), m, TODAY)
    assert five_times.verdict == "contradicted"


def test_bad_stored_values_are_unverifiable_and_the_run_goes_on(db_copy, make_facts):
    db, _ = _article(make_facts, db_copy)
    db.execute("UPDATE returns SET value_pct = 'abc'")
    db.execute("UPDATE flows SET amount_usd = NULL")
    db.conn.commit()
    result = run("check", "--db", db_copy)
    assert result.exit_code == 0, result.output
    assert rows(db_copy, "SELECT fact_table, verdict, reason FROM checks ORDER BY fact_table") == [
        {"fact_table": "flows", "verdict": "unverifiable", "reason": "the claim has no amount"},
        {"fact_table": "returns", "verdict": "unverifiable", "reason": "the claim has no value"}]


def test_online_setting_takes_words_and_fails_in_one_line_offline(db_copy, make_facts, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "yfinance", None)
    monkeypatch.setenv("EXTRACTOR_ONLINE", "true")
    db, _ = _article(make_facts, db_copy)
    db.close()
    result = CliRunner().invoke(cli, ["check", "--db", str(db_copy)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("Error: yfinance is not installed")
    monkeypatch.setenv("EXTRACTOR_ONLINE", "no")
    assert CliRunner().invoke(cli, ["check", "--db", str(db_copy)]).exit_code == 0


def test_a_locked_database_stops_the_check_with_one_line(db_copy, make_facts, monkeypatch):
    import sqlite3

    from extractor import store

    db, _ = _article(make_facts, db_copy)
    db.close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(db_copy, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run("check", "--db", db_copy)
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: database is locked:") and result.stderr.count("\n") == 1
    assert rows(db_copy, "SELECT count(*) AS n FROM checks") == [{"n": 0}]


# --------------------------------------------------------------------------- policy (#11)
# A claim is called false only on a window read from its own clause or sentence (or set
# by a reviewer), and only when it fails on every plausible reading of that window.

def test_a_claim_that_fails_on_a_borrowed_window_is_unverifiable_not_false(market):
    # ^GSPC 2014-12-31 2058.90 -> 2015-08-21 1970.89: -4.27 %; the claim says -12
    c = replace(ret("^GSPC", date(2014, 12, 31), date(2015, 8, 21), -12, evidence="fell 12 percent"),
                window_label="year-to-date", window_source="article")
    check = check_return(c, market, TODAY)
    assert check.verdict == "unverifiable"
    assert check.reason.startswith("window uncertain (its window comes from the article's framing period)")
    assert "nearest reading ^GSPC price return -4.27% to 2015-08-21" in check.reason
    sure = check_return(replace(c, window_source="sentence"), market, TODAY)
    assert sure.verdict == "contradicted"
    assert check_return(replace(c, window_source="reviewer"), market, TODAY).verdict == "contradicted"


def test_a_wrap_read_as_of_the_session_before_is_confirmed_through_the_publication_days_close(market):
    # Monday 2015-08-24: ^GSPC year-to-date is -4.27 % to Friday's close but -8.05 % to
    # Monday's (1893.21 / 2058.90); "down 8 percent" is true of the publication day's close
    c = replace(ret("^GSPC", date(2014, 12, 31), date(2015, 8, 21), -8, evidence="down 8 percent"),
                window_label="year-to-date", window_source="claim", published=date(2015, 8, 24))
    check = check_return(c, market, TODAY)
    assert (check.verdict, check.end_date, check.sessions_early) == ("confirmed", "2015-08-24", -1)
    assert check.actual == pytest.approx(1893.21 / 2058.90 * 100 - 100, abs=1e-3)
    assert check.reading == "through the publication day's close"
    assert "1 session after the window's end, agrees" in check.reason


def test_an_exact_confirmation_says_so(market):
    c = replace(ret("^GSPC", date(2014, 12, 31), date(2015, 8, 24), -8, evidence="down 8 percent"),
                window_source="claim")
    assert check_return(c, market, TODAY).reading == "exact"


def test_a_rally_since_a_low_is_measured_from_that_days_low(market):
    # ^GSPC 2020-03-23: close 2237.40, low 2191.86; 2020-06-05 close 3193.93.
    # From the close +42.75 %, from the low +45.72 %
    c = replace(ret("^GSPC", date(2020, 3, 23), date(2020, 6, 5), 45.7, evidence="rallied 45.7 percent"),
                window_label="since its march 23 low", window_source="claim")
    check = check_return(c, market, TODAY)
    assert check.verdict == "confirmed" and check.reading == "from that day's low"
    assert check.actual == pytest.approx(3193.93 / 2191.86 * 100 - 100, abs=1e-3)
    assert check.start_price == pytest.approx(2191.86)


def test_an_intraday_figure_is_checked_against_the_sessions_range(market):
    # ^GSPC 2015-08-24 from Friday's 1970.89 close: low 1867.01 (-5.27 %), high 1965.15 (-0.29 %)
    c = replace(ret("^GSPC", date(2015, 8, 21), date(2015, 8, 24), -5.3, evidence="fell as much as 5.3%"),
                window_source="claim", intraday=True)
    ok = check_return(c, market, TODAY)
    assert (ok.verdict, ok.basis, ok.reading) == ("confirmed", "intraday_range", "intraday range")
    assert "the session's range -5.27% .. -0.29%" in ok.reason
    # SPY, the proxy, fell further that morning: 197.83 -> low 182.40 (-7.80 %); -9 % is out of reach
    far = check_return(replace(c, value_pct=-9.0, evidence="fell 9%"), market, TODAY)
    assert far.verdict == "contradicted" and "never reaches it" in far.reason
    assert check_return(replace(c, value_pct=-9.0, window_source="paragraph"), market, TODAY).verdict == \
        "unverifiable"


def test_an_intraday_figure_without_a_high_and_low_is_unverifiable(db_path):
    db = open_db(db_path)
    db.execute("INSERT INTO prices (symbol, date, close, adj_close) VALUES "
               "('XYZQ', '2015-08-21', 100, 100), ('XYZQ', '2015-08-24', 95, 95)")
    db.conn.commit()
    c = Claim("returns", 1, "a", "XYZQ", date(2015, 8, 21), date(2015, 8, 24), "fell 3% at midday",
              value_pct=-3, window_source="claim", intraday=True)
    check = check_return(c, Market(db), TODAY)
    assert check.verdict == "unverifiable"
    assert check.reason.startswith("intraday: claimed fell 3% over the window 2015-08-21 .. 2015-08-24")
    assert "no high and low" in check.reason


def test_a_reason_reads_as_a_person_writes_it(market):
    c = replace(ret("^GSPC", date(2015, 8, 20), date(2015, 8, 21), -1.6, qualifier="more than",
                    evidence="the S&P 500 slid more than 1.6 percent"),
                window_label="friday", window_source="claim")
    check = check_return(c, market, TODAY)
    # 2035.73 -> 1970.89: -3.19 %, which is more than a 1.6 % fall
    assert check.verdict == "confirmed"
    assert check.reason.startswith("claimed slid more than 1.6% over the window “friday” 2015-08-20 .. "
                                   "2015-08-21, accepts -1.45% or less")


def test_a_since_day_is_never_read_from_the_day_after(market):
    # SPY 2020-03-23 close 222.95 -> 2020-06-05 319.34: +43.2 %; from 03-24 (243.15) it would be
    # +31.3 %, which must not confirm "up 31.3 percent since March 23"
    c = replace(ret("SPY", date(2020, 3, 23), date(2020, 6, 5), 31.3, evidence="up 31.3 percent"),
                window_label="since march 23", window_source="claim", published=date(2020, 6, 8))
    check = check_return(c, market, TODAY)
    assert check.verdict == "contradicted"
    assert all(e.start != "2020-03-24" for e in check.evaluations)  # never from the day after


def test_a_named_day_is_not_read_through_the_publication_days_close(market):
    # Monday 2022-09-12: SPY +1.07 %; "fell 3.3 percent on Monday" in a Tuesday story is false,
    # even though Tuesday's close (-4.3 %) would be near it
    c = replace(ret("SPY", date(2022, 9, 9), date(2022, 9, 12), -3.3, evidence="fell 3.3 percent"),
                window_label="monday", window_source="claim", published=date(2022, 9, 13))
    check = check_return(c, market, TODAY)
    assert check.verdict == "contradicted"
    assert all(e.reading is None for e in check.evaluations)


def test_an_extreme_within_a_window_is_checked_on_the_windows_range(market):
    # "at one point down as much as 32 percent for the year": SPY 2019-12-31 close 321.86, lowest
    # low in the window 2020-03-23 218.26 (-32.19 %), while 2020-04-17's own range is -12.3 .. -10.7 %:
    # the window's range reaches -32 (accepts -32.6 .. -31.4), not -40
    c = replace(ret("SPY", date(2019, 12, 31), date(2020, 4, 17), -32, evidence="down as much as 32 percent"),
                window_label="year-to-date", window_source="claim", intraday=2)
    check = check_return(c, market, TODAY)
    assert check.verdict == "confirmed" and "the window's range" in check.reason
    far = check_return(replace(c, value_pct=-40, evidence="down as much as 40 percent"), market, TODAY)
    assert far.verdict == "contradicted"


def test_a_stored_row_whose_window_source_is_unknown_is_never_contradicted(db_copy, make_facts):
    db, _ = _article(make_facts, db_copy)
    db.execute("UPDATE returns SET value_pct = 40, window_start = '2016-12-30', window_end = '2017-08-17', "
               "window_source = NULL")
    db.conn.commit()
    check_claims(db, today=TODAY)
    assert rows(db_copy, "SELECT verdict FROM checks WHERE fact_table = 'returns'") == [{"verdict": "unverifiable"}]
    db.execute("UPDATE returns SET status = 'accepted'")  # a reviewer vouched for it
    db.conn.commit()
    check_claims(db, today=TODAY)
    assert rows(db_copy, "SELECT verdict FROM checks WHERE fact_table = 'returns'") == [{"verdict": "contradicted"}]


def test_claims_are_read_a_page_at_a_time_with_the_same_verdicts(db_copy, make_facts):
    from extractor.crosscheck import stored_claims

    db, _ = _article(make_facts, db_copy)
    whole = [(c.table, c.id) for c in stored_claims(db)]
    assert [(c.table, c.id) for c in stored_claims(db, page=1)] == whole and len(whole) == 2
    s = check_claims(db, today=TODAY, batch=1)  # a page and a write of one claim each
    assert sum(s.checked.values()) == 2
    got = rows(db_copy, "SELECT fact_table, verdict FROM checks ORDER BY fact_table")
    assert got == [{"fact_table": "flows", "verdict": "unverifiable"}, {"fact_table": "returns", "verdict": "confirmed"}]
