"""What a reader would take from short passages of market news (our own sentences)."""
from datetime import date

import pytest

import extractor


def ex(text, published="2019-06-14"):
    return extractor.extract(text, published=published)


def test_flow_with_exchange_prefixed_ticker_and_window():
    f = ex("Investors pulled $412 million from the iShares Russell 2000 ETF (NYSEArca: IWM) over the past week.")
    (flow,) = f.flows
    assert (flow.ticker, flow.direction, flow.amount_usd) == ("IWM", "outflow", 412e6)
    assert flow.window.label == "past week"
    assert flow.window.start is not None and flow.window.end.isoformat() == "2019-06-13"
    assert f.article.text[flow.start:flow.end].startswith("$412 million") or "IWM" in f.article.text[flow.start:flow.end]


def test_inflow_verb_qualifier_and_daily_average():
    f = ex("Over the past month, SOXL averaged daily inflows of almost $6.1 million.")
    (flow,) = f.flows
    assert (flow.ticker, flow.direction, flow.qualifier, flow.aggregation) == ("SOXL", "inflow", "almost", "daily_avg")


def test_assets_under_management_and_volume_are_not_flows():
    f = ex("The $25 billion fund (NYSEArca: XLU) saw $2 billion in trading volume on Tuesday. "
           "Its assets now total $26 billion.")
    assert f.flows == ()


def test_category_flows_without_a_ticker_are_dropped():
    f = ex("Equity funds saw $5.2 billion of outflows in the week, while bond funds took in $3 billion.")
    assert f.flows == ()


def test_signed_flows_in_a_weekly_report():
    f = ex("SPDR S&P 500 ETF (SPY, +$2.1 billion) led, while Invesco QQQ Trust (QQQ, -$498 million) lagged.")
    got = {(x.ticker, x.direction, x.amount_usd) for x in f.flows}
    assert got == {("SPY", "inflow", 2.1e9), ("QQQ", "outflow", 498e6)}
    assert "^GSPC" not in f.tickers  # the S&P 500 inside the fund's name is the fund


def test_respectively_pairs_in_order():
    f = ex("Last month, XLE and XLU rose 3.1% and 1.2%, respectively.")
    assert [(r.ticker, r.value_pct) for r in f.returns] == [("XLE", 3.1), ("XLU", 1.2)]


def test_signed_returns_and_down_words():
    f = ex("RSX is -12.4% this year, while the Dow fell 1.1% on Thursday and the Nasdaq Composite rose 0.4%.")
    got = {(r.ticker, r.value_pct) for r in f.returns}
    assert got == {("RSX", -12.4), ("^DJI", -1.1), ("^IXIC", 0.4)}


def test_forecast_range_is_signed_by_the_cue():
    f = ex("He sees a correction of 5 to 10 percent in the S&P 500 by year-end.")
    (r,) = f.returns
    assert (r.ticker, r.value_pct, r.value_pct_high, r.kind) == ("^GSPC", -5.0, -10.0, "forecast")


def test_non_returns_are_left_out():
    f = ex("The Vanguard REIT ETF (VNQ) has a 0.12% expense ratio and a 3.9% 12-month yield. "
           "Technology makes up 22% of the S&P 500, and the 10-year yield rose to 2.1%.")
    assert f.returns == ()


def test_anaphor_links_the_fund():
    f = ex("The iShares 20+ Year Treasury Bond ETF (TLT) drew heavy demand. The fund is down 9% this year.")
    (r,) = f.returns
    assert (r.ticker, r.value_pct, r.window.label) == ("TLT", -9.0, "year-to-date")


def test_defined_name_links_later_mentions():
    f = ex("Hartwell Robotics Fund (HRBT) gained 4% on Monday. Later, Hartwell Robotics slid 2% on Tuesday.")
    assert [(r.ticker, r.value_pct) for r in f.returns] == [("HRBT", 4.0), ("HRBT", -2.0)]


@pytest.mark.parametrize("text, expected", [
    ("Shares of the SPDR Gold Shares (GLD) rose.", {"GLD"}),
    ("The CEO of the ETF issuer told the NYSE and the US GDP data came in.", set()),
    ("Buy $TSLA and (NASDAQ:AAPL) today.", {"TSLA", "AAPL"}),
    ("money center banks such as JPM and C", {"JPM", "C"}),
    ("the fund (VXX, Expense Ratio 0.89%) and (SPY | A-97)", {"VXX", "SPY"}),
    ("the Russell 2000 and the Dow Jones Industrial Average", {"^RUT", "^DJI"}),
    ("KBE tracks the S&P Banks Select Industry Index", {"KBE"}),
])
def test_tickers(text, expected):
    assert set(ex(text).tickers) == expected


def test_quotes_in_their_common_forms():
    text = ("“Flows follow performance,” said Northgate Capital Senior Strategist Amelia Brandt. "
            "Jonah Pierce, chief market strategist at Larchmont Advisors, said the rally could fade. "
            "The move was sharp, according to Wexford Research analyst Dana Whitcombe. "
            "Pierce added that he expects more volatility. "
            "Prices are based on FactSet data, according to FactSet.")
    q = {x.speaker: x for x in ex(text).quotes}
    assert set(q) == {"Amelia Brandt", "Jonah Pierce", "Dana Whitcombe"}
    assert (q["Amelia Brandt"].title, q["Amelia Brandt"].organization) == ("Senior Strategist", "Northgate Capital")
    assert (q["Jonah Pierce"].title, q["Jonah Pierce"].organization) == ("chief market strategist", "Larchmont Advisors")
    assert q["Amelia Brandt"].text == "Flows follow performance,"


def test_header_never_leaks_into_facts():
    f = extractor.extract(" date 2017-08-18 IWM is up 2.7 percent year-to-date.")
    assert f.article.published.isoformat() == "2017-08-18"
    (r,) = f.returns
    assert r.window.start.isoformat() == "2016-12-30" and r.window.end.isoformat() == "2017-08-17"


def test_no_date_leaves_windows_unresolved():
    f = extractor.extract("IWM is up 2.7 percent year-to-date.")
    (r,) = f.returns
    assert (r.window.label, r.window.start, r.window.end) == ("year-to-date", None, None)


def test_every_fact_span_points_into_the_text():
    text = "Investors pulled $412 million from IWM this week, and SPY fell 1.2% on Friday, said Jonah Pierce."
    f = ex(text)
    for fact in f.flows + f.returns + f.quotes:
        assert 0 <= fact.start < fact.end <= len(text)
        assert fact.source == "rules"
    assert f.version == extractor.__version__


def test_at_the_close_is_the_session_the_story_is_about():
    text = ("Stocks closed sharply lower Thursday as recession fears spread.\n\n"
            "At the close of trading, the Dow was down 391 points, or 3.5 percent.")
    r = ex(text, "2011-09-23").returns[0]  # published Friday, about Thursday
    assert (r.ticker, r.value_pct) == ("^DJI", -3.5)
    assert (r.window.start, r.window.end) == (date(2011, 9, 21), date(2011, 9, 22))
    alone = ex("At the close, the Dow was down 3.5 percent.", "2011-09-22").returns[0]
    assert (alone.window.start, alone.window.end) == (date(2011, 9, 21), date(2011, 9, 22))


def test_a_web_pages_live_quote_beside_a_name_is_not_a_claim():
    # MarketWatch prints the quote at saving time after a name: "DJIA, +0.03%"
    facts = extractor.extract("date 2020-08-17\nThe Dow Jones Industrial Average DJIA, +0.03% has slipped 2.3% year "
                    "to date.\n")
    assert [(r.ticker, r.value_pct) for r in facts.returns] == [("^DJI", -2.3)]


def test_an_alias_written_in_lower_case_in_the_table_matches_as_written():
    # the table has both "Dow Transports" and "Dow transports"; "the Dow" alone is ^DJI
    facts = extractor.extract("date 2020-08-17\nThe Dow transports has tacked on 0.7% this year.\n")
    assert [(r.ticker, r.value_pct) for r in facts.returns] == [("^DJT", 0.7)]


def test_an_index_named_as_the_owner_of_its_members_is_not_the_one_that_moved():
    facts = extractor.extract("date 2017-07-26\nBoeing has been the single-best performer among the Dow's 30 "
                              "components so far this year, up a whopping 47%.\n")
    assert all(r.ticker != "^DJI" for r in facts.returns)
