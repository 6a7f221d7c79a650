"""Patterns of real market news the extractor must read (issue #12), each on sentences
we wrote in the corpus's styles: tables, lists, currencies, coordinated subjects."""
from datetime import date

import pytest

import extractor


def ex(text, published=date(2019, 6, 14)):
    return extractor.extract(text, published=published)


def flows(f):
    return {(x.ticker, x.direction, None if x.amount_usd is None else round(x.amount_usd, -3)) for x in f.flows}


def returns(f):
    return {(x.ticker, x.value_pct) for x in f.returns}


# ------------------------------------------------------------------ tables

SPACED = """Fund flows roundup

 Top ETF Inflows--May 2019

Est Net
In-Flow ($Mil)

AUM
($Mil)
1 Month
% Change (May)
YTD %
Change
Acme Gold Miners (XGDX) 812.4 2,377.7 -4.25 11.80
SPDRs (SPY) 594.9 269,439.9 -6.35 9.84

Gold led the month.
"""


def test_a_spaced_table_under_a_stacked_heading_gives_flows_and_returns_per_column():
    f = ex(SPACED)
    assert flows(f) == {("XGDX", "inflow", 812.4e6), ("SPY", "inflow", 594.9e6)}
    assert returns(f) == {("XGDX", -4.25), ("XGDX", 11.8), ("SPY", -6.35), ("SPY", 9.84)}
    by = {(r.ticker, r.value_pct): r.window for r in f.returns}
    # "% Change (May)" under a caption naming May 2019; "YTD" runs to the caption's end
    assert (by[("SPY", -6.35)].start, by[("SPY", -6.35)].end) == (date(2019, 4, 30), date(2019, 5, 31))
    assert (by[("SPY", 9.84)].start, by[("SPY", 9.84)].end) == (date(2018, 12, 31), date(2019, 5, 31))
    # the AUM column is no claim, and a symbol the table lacks is recognised by its place
    assert all(x.amount_usd < 1e9 for x in f.flows)
    assert "XGDX" in f.tickers


PIPES = """Here are the top asset gatherers among U.S. ETFs for May 2019:
Ticker |
Name |
May 2019 Net Flows ($,M) |
% AUM CHANGE From APRIL 30, 2019 |
IVV |
iShares Core S&P 500 ETF |
2,104.94 |
1.56% |
AGG |
iShares Core U.S. Aggregate Bond ETF |
-672.35 |
-0.88% |
"""


def test_a_table_flattened_one_cell_per_line_reads_its_heading_units_and_signs():
    f = ex(PIPES)
    assert flows(f) == {("IVV", "inflow", 2104.94e6), ("AGG", "outflow", 672.35e6)}
    assert f.returns == ()  # "% AUM change" is the fund's size, not its price
    assert all(x.window.end == date(2019, 5, 31) for x in f.flows)


RUN_TOGETHER = """Multifactor funds gather assets

Top Multifactor ETFs Have Seen Big YTD Inflows
TickerFundIssuerAUMExpense RatioYTD ReturnYTD FlowsLargest 1-Day InflowDate Of Inflow
XQLCAcme ActiveBeta U.S. Large Cap Equity ETFAcme Funds$4.50B0.09%12.15%$395 $98 1/29/2019
XMFDExample Dividend Low Volatility ETFExample$1.38B0.61%13.87%-($8)$11 1/31/2019
"""


def test_run_together_cells_are_split_and_amounts_read_in_millions():
    f = ex(RUN_TOGETHER, published=date(2019, 3, 19))
    got = {(x.ticker, x.direction, x.amount_usd, x.window.end) for x in f.flows}
    assert ("XQLC", "inflow", 395e6, date(2019, 3, 18)) in got
    assert ("XMFD", "outflow", 8e6, date(2019, 3, 18)) in got
    # the largest one-day inflow took the day its row names
    assert ("XQLC", "inflow", 98e6, date(2019, 1, 29)) in got
    assert returns(f) == {("XQLC", 12.15), ("XMFD", 13.87)}
    sources = {m.symbol: m.symbol_source for m in f.mentions}
    assert sources["XQLC"] == "pattern"


def test_a_named_list_with_a_ticker_column_reads_single_letter_symbols():
    text = ("The 2018 performance of large US banks is listed below:\n\nBank Ticker 2018 Returns\n"
            "Citibank C -20.50%\nBank Of America BAC 2.10%\nClick to enlarge\n")
    f = ex(text)
    assert returns(f) == {("C", -20.5), ("BAC", 2.1)}
    assert all((r.window.start, r.window.end) == (date(2017, 12, 29), date(2018, 12, 31)) for r in f.returns)


TABBED = ("Funds gathered $14.6 billion in the week ending Thursday, June 24.\n\n"
          "A fund that rallied 25% since its May 12 low kept its lead, as the prose above a table often says "
          "of one of its rows.\n\n"
          "Top Creations\n\n"
          "Ticker\tName\tNet Flows ($, mm)\tAUM ($, mm)\tAUM % Change\n"
          "SPY\tSPDR S&P 500 ETF Trust\t5,231.45\t369,811.02\t1.43%\n"
          "VOO\tVanguard S&P 500 ETF\t1,702.18\t239,406.55\t0.72%\n"
          "QQQ\tInvesco QQQ Trust\t-1,941.22\t169,380.50\t-1.13%\n")


def test_a_tab_separated_table_reads_its_units_and_its_size_change_is_no_return():
    f = ex(TABBED, published=date(2021, 6, 25))
    assert flows(f) == {("SPY", "inflow", 5231450000.0), ("VOO", "inflow", 1702180000.0),
                        ("QQQ", "outflow", 1941220000.0)}
    assert f.returns == ()
    # no period in its heading or caption: the article's week, not the prose's "since its May 12 low"
    assert {x.window.label for x in f.flows} == {"week ended 2021-06-24"}


def test_the_same_size_of_flow_over_two_periods_is_two_flows():
    f = ex("SPY took in $11 billion last week. In May, SPY took in $11.4 billion.", published=date(2019, 6, 14))
    assert {x.amount_usd for x in f.flows} == {11e9, 11.4e9}


def test_a_rounded_prose_figure_and_its_table_row_are_one_flow_at_the_tables_precision():
    f = ex(TABBED.replace("Funds gathered $14.6 billion", "The SPDR S&P 500 ETF Trust (SPY) took in $5.2 billion")
           + "\nInvestors pulled $1 billion from HYG on Monday and $1.5 billion over the week.\n",
           published=date(2021, 6, 25))
    assert ("SPY", "inflow", 5231450000.0) in flows(f)
    assert [x.ticker for x in f.flows].count("SPY") == 1
    # a round "$1 billion" is no rounding of "$1.5 billion": two flows
    assert {x.amount_usd for x in f.flows if x.ticker == "HYG"} == {1e9, 1.5e9}


def test_a_returns_table_whose_headings_are_periods():
    f = ex("Energy funds have run hot.\n\nFund | 1-Month | YTD | 1-Year\nXLE | 9.4% | 53.2% | 110.8%\n"
           "SPY | 6.9% | 24.0% | 42.9%\n\nPrice returns as of Oct. 29, 2021.\n", published=date(2021, 11, 1))
    got = {(r.ticker, r.value_pct): (r.window.start, r.window.end) for r in f.returns}
    assert got[("XLE", 9.4)] == (date(2021, 9, 29), date(2021, 10, 29))
    assert got[("XLE", 53.2)] == (date(2020, 12, 31), date(2021, 10, 29))
    assert got[("SPY", 42.9)] == (date(2020, 10, 29), date(2021, 10, 29))
    assert len(got) == 6


RANKED = ("Geared funds\n\nThe leveraged funds with the biggest inflows in the week through Thursday were:\n\n"
          "1. SQQQ: $812 million\n"
          "2. Direxion Daily Semiconductor Bull 3X Shares (SOXL): $655 million\n"
          "3. TQQQ: $402 million\n\nThe rest saw little.\n")


def test_a_ranked_list_under_a_lead_takes_the_leads_direction_and_period():
    f = ex(RANKED, published=date(2022, 6, 17))
    assert flows(f) == {("SQQQ", "inflow", 812e6), ("SOXL", "inflow", 655e6), ("TQQQ", "inflow", 402e6)}
    assert {(x.window.start, x.window.end) for x in f.flows} == {(date(2022, 6, 9), date(2022, 6, 16))}


def test_a_ranked_list_of_stocks_losing_value_is_no_flow():
    text = ("Megacaps slide\n\nThe stocks that lost the most market value this week were:\n\n"
            "1. Apple (AAPL): $180 billion\n2. Microsoft (MSFT): $95 billion\n")
    assert ex(text, published=date(2022, 6, 17)).flows == ()


def test_a_minus_in_a_list_item_is_the_sign_not_a_separator():
    text = ("Flows\n\nThe funds with the biggest net flows in the week were:\n\n"
            "- SPY -$2 billion\n- QQQ $1.1 billion\n")
    f = ex(text.replace("biggest net flows", "biggest inflows"), published=date(2022, 6, 17))
    assert flows(f) == {("SPY", "outflow", 2e9), ("QQQ", "inflow", 1.1e9)}


def test_a_list_whose_lead_names_no_direction_reads_no_flows():
    assert ex(RANKED.replace("biggest inflows", "most trading"), published=date(2022, 6, 17)).flows == ()


MARKDOWN = ("Flows roundup\n\nFunds took in $9 billion in the week ended Thursday, June 3.\n\nTop creations\n\n"
            "| Ticker | Fund | Net Flows ($, mm) | AUM ($, mm) |\n|---|---|---|---|\n"
            "| IVV | iShares Core S&P 500 ETF | 1,894.20 | 282,115.73 |\n"
            "| XLF | Financial Select Sector SPDR Fund | 1,202.85 | 46,008.11 |\n\n"
            "Top 5 gainers of the past week\n\n| ETF | Weekly performance |\n|---|---|\n"
            "| Global X Lithium & Battery Tech LIT | 5.4% |\n"
            "| Global X Uranium URA | 8.9% |\n| SPDR S&P Biotech XBI | -5.1% |\n")


def test_a_markdown_table_with_outer_pipes_is_read_by_rows():
    f = ex(MARKDOWN, published=date(2021, 6, 4))
    assert flows(f) == {("IVV", "inflow", 1894200000.0), ("XLF", "inflow", 1202850000.0)}
    # a name cell ending in its symbol; the caption's period where the heading's has no dates
    assert returns(f) == {("LIT", 5.4), ("URA", 8.9), ("XBI", -5.1)}
    assert {r.window.label for r in f.returns} == {"past week"}


@pytest.mark.parametrize("unit", ["pct", "%"])
def test_a_wire_summary_bullet_gives_each_index_its_move(unit):
    f = ex(f"US STOCKS-Wall St rallies\n\n* Indexes up: Dow 1.94 {unit}, S&P 1.86 {unit}, Nasdaq 2.41 {unit}\n\n"
           "Stocks rose on Tuesday.\n", published=date(2018, 10, 16))
    assert returns(f) == {("^DJI", 1.94), ("^GSPC", 1.86), ("^IXIC", 2.41)}
    assert "^DJI" in f.tickers


CARDS = ("The best funds so far\n\nReturns are through June 30, 2017.\n\n"
         "1. iShares MSCI Poland Capped ETF (symbol EPOL)\nYear-to-date return: 36.4%\nExpense ratio: 0.63%\n"
         "Poland rebounded hard.\n\n2. Matthews China (MCHFX)\nYear-to-date return: 31.6%\n5-year annualized return: 9.8%\n"
         "Internet giants make up 40% of the fund.\n")


def test_fund_cards_give_each_fund_the_return_under_its_heading():
    f = ex(CARDS, published=date(2017, 7, 5))
    assert returns(f) == {("EPOL", 36.4), ("MCHFX", 31.6), ("MCHFX", 9.8)}
    ytd = next(r for r in f.returns if r.value_pct == 36.4)
    assert (ytd.window.start, ytd.window.end) == (date(2016, 12, 30), date(2017, 6, 30))
    assert next(r for r in f.returns if r.value_pct == 9.8).qualifier == "annualized"


def test_a_sentence_opening_with_its_points_back_to_the_last_subject():
    f = ex("T. Rowe Price New Horizons (PRNHX) has done well. Its 10-year annualized gain is 11.2%.")
    assert returns(f) == {("PRNHX", 11.2)}


def test_a_heading_that_does_not_line_up_with_its_rows_reads_nothing():
    text = "Notes\n\nAlpha Beta Gamma\nSPDRs (SPY) 1.2 3.4 5.6\nPowerShares QQQ 7.8 9.1 2.3\n"
    assert ex(text).flows == () and ex(text).returns == ()


# ------------------------------------------------------------------ lists and subjects

def test_respectively_lists_with_qualifiers_on_members():
    f = ex("This year the Dow, S&P and Nasdaq were up almost 8.2 percent, 5.9 percent and nearly "
           "4.6 percent, respectively.")
    assert returns(f) == {("^DJI", 8.2), ("^GSPC", 5.9), ("^IXIC", 4.6)}
    assert {r.qualifier for r in f.returns} == {"almost", None, "nearly"}


def test_a_symbol_listed_before_a_named_fund_is_not_part_of_its_name():
    f = ex("Over the past 12 months, XLV and Vanguard Health Care ETF (VHT) returned 4.8% and 4.1%, respectively.")
    assert returns(f) == {("XLV", 4.8), ("VHT", 4.1)}


def test_respectively_amounts_share_the_last_scale():
    f = ex("Last week, GLD and IAU lost $378.3 and $7.4 million in assets, respectively.")
    assert flows(f) == {("GLD", "outflow", 378.3e6), ("IAU", "outflow", 7.4e6)}


@pytest.mark.parametrize("text", [
    "The SPDR Gold Shares (NYSEArca: GLD) and the iShares Gold Trust (NYSEArca: IAU) each finished lower "
    "by about 1.1% on Monday.",
    "Gilead (GILD) and Celgene (CELG) have both fallen 1.1% on Monday.",
])
def test_one_figure_said_of_coordinated_subjects_belongs_to_each(text):
    f = ex(text)
    assert len({r.ticker for r in f.returns}) == 2
    assert {abs(r.value_pct) for r in f.returns} == {1.1}
    assert all(r.value_pct < 0 for r in f.returns)


def test_both_funds_points_back_to_the_last_two_funds():
    f = ex("HYG saw $1.5 billion of outflows last month. JNK suffered $424 million in outflows. "
           "Both funds are higher by just over 2% for the year.")
    assert returns(f) == {("HYG", 2.0), ("JNK", 2.0)}


def test_two_figures_of_two_subjects_are_not_distributed():
    f = ex("Both VOO and IVV are up 12.0% and 11.5% respectively this year.")
    assert returns(f) == {("VOO", 12.0), ("IVV", 11.5)}


def test_an_exchange_code_before_a_colon_is_not_a_symbol():
    f = ex("The SPDR Bloomberg Barclays (LON:BARC) High Yield Bond ETF (NYSEARCA:JNK) suffered $424M in outflows.")
    assert "LON" not in f.tickers
    assert flows(f) == {("JNK", "outflow", 424e6)}


# ------------------------------------------------------------------ currency

def test_money_keeps_the_currency_it_was_written_in():
    f = ex("Investors pulled A$250 million from the iShares Core S&P/ASX 200 ETF (ASX: IOZ) last week, "
           "while the iShares Core S&P 500 ETF (IVV) took in US$1.2 billion.")
    by = {x.ticker: x for x in f.flows}
    assert (by["IOZ"].currency, by["IOZ"].amount, by["IOZ"].amount_usd) == ("AUD", 250e6, None)
    assert (by["IVV"].currency, by["IVV"].amount_usd) == ("USD", 1.2e9)


def test_a_conversion_in_parentheses_shares_the_scale():
    f = ex("The fund saw $US1.2 ($AU1.7) billion in outflows from IVV last week.")
    assert flows(f) == {("IVV", "outflow", 1.2e9)}


def test_a_pound_figure_with_its_dollar_conversion_is_one_flow_in_dollars():
    f = ex("Investors pulled £40m ($52m) from the iShares Core FTSE 100 ETF (LSE: ISF) last week.")
    assert [(x.ticker, x.currency, x.amount_usd) for x in f.flows] == [("ISF", "USD", 52e6)]


# ------------------------------------------------------------------ quotes

def quote(f, last):
    (q,) = [q for q in f.quotes if q.speaker.split()[-1] == last]
    return q.title, q.organization


def test_a_speaker_introduced_earlier_keeps_the_firm_given_there():
    f = ex("Example Bank AG's Jane Roe, once one of the biggest bulls, cut her target. "
           "“We see more downside,” Roe said in a note.")
    assert quote(f, "Roe")[1] == "Example Bank AG"


def test_a_speaker_whose_title_and_firm_follow_a_first_mention():
    f = ex("John Doe, the chief U.S. equity strategist at Example Securities & Co., expects a rally. "
           "“Stocks are cheap,” Doe said.")
    assert quote(f, "Doe") == ("chief U.S. equity strategist", "Example Securities & Co.")


@pytest.mark.parametrize("sentence, expected", [
    ("“Rates will fall,” said Jane Roe, Cincinnati-based chief investment officer at Example Asset Management.",
     ("chief investment officer", "Example Asset Management")),
    ("“Rates will fall,” said Jane Roe, who helps manage more than $430 million as president of Example "
     "Counsel Corp. in Charlottesville.", ("president", "Example Counsel Corp.")),
    ("“Rates will fall,” Roe, the firm’s head of U.S. fixed-income asset allocation, said.",
     ("head of U.S. fixed-income asset allocation", None)),
    ("“Rates will fall,” Jane Roe, Example Global portfolio manager, wrote Friday.",
     ("portfolio manager", "Example Global")),
])
def test_titles_are_cleaned_and_the_firm_split_off(sentence, expected):
    f = ex("Jane Roe spoke.\n\n" + sentence if sentence.startswith("“Rates will fall,” Roe") else sentence)
    assert quote(f, "Roe") == expected


@pytest.mark.parametrize("text", [
    "“Outflows will continue,” reports Zero Hedge.",
    "Bond funds lost $2 billion, according to Refinitiv Lipper.",
])
def test_data_vendors_and_blogs_are_not_speakers(text):
    assert ex(text).quotes == ()


# ------------------------------------------------------------------ owners and cues

def test_the_wire_day_move_is_a_return_whatever_the_classifier_says(register_fake):
    register_fake({"0.3 percent": "other"})
    f = ex("The Dow Jones industrial average was up 43 points, or 0.3 percent, to 16,548 as of 1:20 p.m.")
    assert returns(f) == {("^DJI", 0.3)}


@pytest.mark.parametrize("text, expected", [
    ("The Example Junior Miners ETF (XJMX) is $80 million lighter since the start of the quarter.",
     {("XJMX", "outflow", 80e6)}),
    ("On Tuesday, traders allocated nearly $30.5 million to the Example Gold Miners Bull 3X Shares (XGMB).",
     {("XGMB", "inflow", 30.5e6)}),
    ("Even as the market rose, SPY saw $146 million flow out in May.", {("SPY", "outflow", 146e6)}),
    # an ETN's anaphor is a fund's, and money put into it is an inflow
    ("The Example Inverse VIX ETN (XIVX) rallied. Investors have put an average of $3.1 million daily into "
     "the ETN over the last six trading days.", {("XIVX", "inflow", 3.1e6)}),
])
def test_flows_written_with_other_verbs(text, expected):
    assert flows(ex(text)) == expected


def test_a_subject_before_an_aside_between_dashes_owns_the_amount():
    f = ex("The iShares iBoxx $ High Yield Corporate Bond ETF (ticker HYG) -- the largest junk ETF -- took in "
           "$1.3 billion on Wednesday.")
    assert flows(f) == {("HYG", "inflow", 1.3e9)}


def test_a_symbol_the_article_defined_counts_when_written_bare_later():
    f = ex("The iShares TIPS Bond ETF (TIP) saw outflows in January. Over 2021, TIP took in $12 billion.")
    assert ("TIP", "inflow", 12e9) in flows(f)


def test_close_to_is_a_qualifier_not_a_level():
    f = ex("The Direxion Daily 20+ Year Treasury Bear 3X (TMV) has shed close to 40% so far this year.")
    assert returns(f) == {("TMV", -40.0)}


def test_coordinated_subjects_of_one_move_share_it():
    f = ex("VXX and VIXY jumped a little over 30% year-to-date while UVXY surged 62%.")
    assert returns(f) == {("VXX", 30.0), ("VIXY", 30.0), ("UVXY", 62.0)}


def test_a_fund_called_a_bet_still_takes_in_money():
    f = ex("SOXL tracks chip stocks. The triple-levered bet has taken in $4.2 billion in new assets year to date.")
    assert flows(f) == {("SOXL", "inflow", 4.2e9)}


@pytest.mark.parametrize("text, expected", [
    ("TLT ranks second (behind SPY) after it rose 2.1% this week.", {("TLT", 2.1)}),
    ("Boeing said orders rose, sending its stock up 4 percent on Monday and lifting the Dow.", {("BA", 4.0)}),
])
def test_the_owner_of_a_figure_is_not_a_comparison_or_what_it_helped(text, expected):
    assert returns(ex(text)) == expected


def test_a_running_total_takes_the_period_of_its_rally_not_the_phrase_after_it():
    f = ex("The Fed's bond buying helped extend the S&P 500's 2012 rally to 17 percent this week.",
           published=date(2012, 9, 15))
    (r,) = f.returns
    assert (r.window.label, r.window.start, r.window.source) == ("2012", date(2011, 12, 30), "claim")


MOVERS = ("Stocks making the biggest moves midday\n\n"
          "Netflix (NFLX) — Shares of the streaming giant jumped 6.8% after the company reported fewer lost "
          "subscribers than it had warned about.\n\n"
          "Baker Hughes (BKR) — The oilfield services company fell 7.9% after its results missed estimates.\n\n"
          "Snap (SNAP) — Snap slid 2.2% ahead of its report.\n")


def test_each_entry_of_a_movers_list_is_about_the_company_it_opens_with():
    assert returns(ex(MOVERS, published=date(2022, 7, 20))) == {("NFLX", 6.8), ("BKR", -7.9), ("SNAP", -2.2)}


def test_a_sector_fund_anaphor_points_back_to_the_fund():
    f = ex("The Utilities Select Sector SPDR Fund (XLU) has been a haven. Since the Fed cut rates on July 31, "
           "the utilities fund has tacked on 5.2%.", published=date(2019, 8, 9))
    assert returns(f) == {("XLU", 5.2)}


@pytest.mark.parametrize("text, expected", [
    ("VGK had risen just 2.1 per cent in 2015 and EZU 1.4 per cent, while HEDJ had surged 17.8 per cent.",
     {("VGK", 2.1), ("EZU", 1.4), ("HEDJ", 17.8)}),
    ("XLE fell 3% on Monday, and XOP 4.5%.", {("XLE", -3.0), ("XOP", -4.5)}),
])
def test_a_second_ticker_with_its_figure_shares_the_verb_before(text, expected):
    assert returns(ex(text, published=date(2015, 3, 17))) == expected


@pytest.mark.parametrize("text, expected", [
    ("XLK gained 2% on Monday, and AAPL 20% of its assets.", {("XLK", 2.0)}),
    ("XLE jumped 5% in the session, or nearly 3% more than its peers.", {("XLE", 5.0)}),
    ("HYG was down 3% and 2% in market value terms.", {("HYG", -3.0)}),
])
def test_a_borrowed_verb_or_a_list_member_is_still_judged_for_what_it_is(text, expected):
    assert returns(ex(text, published=date(2015, 3, 17))) == expected


def test_the_index_compared_with_keeps_a_move_of_its_own():
    f = ex("The Nasdaq gained 3%, beating the S&P 500, which rose 2%.", published=date(2019, 3, 18))
    assert returns(f) == {("^IXIC", 3.0), ("^GSPC", 2.0)}


def test_the_index_compared_with_is_not_the_one_that_moved():
    f = ex("The Nasdaq composite also lagged the Russell 2000 for the week, as it posted a gain of about 3.8 percent.",
           published=date(2016, 11, 14))
    assert returns(f) == {("^IXIC", 3.8)}


def test_a_move_of_what_an_index_holds_is_neither_the_index_nor_an_earlier_tickers():
    f = ex("The 10 groups in the S&P 500 fell more than 3.8 percent. Bank of America Corp. (BAC) erased "
           "20 percent to lead financial shares in the S&P 500 down 10 percent.", published=date(2011, 8, 9))
    assert returns(f) == {("BAC", -20.0)}


@pytest.mark.parametrize("text, expected", [
    ("The S&P 500 rose 28.9% in 2019, or 31.5% including dividends.", {("^GSPC", 28.9), ("^GSPC", 31.5)}),
    ("The S&P 500 added 3.8% in the second quarter and just 1.2% in the third.", {("^GSPC", 3.8), ("^GSPC", 1.2)}),
    ("The S&P 500 has now given back 3.9% since its record high on April 30.", {("^GSPC", -3.9)}),
])
def test_a_second_figure_after_a_period_shares_the_move(text, expected):
    assert returns(ex(text, published=date(2020, 1, 2))) == expected


def test_a_period_or_forecast_word_in_a_relative_clause_describes_the_subject_not_the_move():
    f = ex("The Cboe Volatility Index (VIX), which measures how much volatility traders expect over the coming "
           "month, jumped 14% on Thursday.", published=date(2019, 5, 10))
    (r,) = f.returns
    assert (r.ticker, r.value_pct, r.kind, r.window.label) == ("^VIX", 14.0, "realized", "thursday")


def test_a_forecast_counted_from_a_close_runs_over_its_horizon_not_that_session():
    f = ex("Strategists see the S&P 500 gaining next year. Analysts at the bank see the S&P 500 rallying 16% from "
           "Wednesday's close.", published=date(2022, 12, 22))
    (r,) = f.returns
    assert (r.kind, r.window.label, r.window.end) == ("forecast", "next year", date(2023, 12, 29))


def test_since_a_funds_inception_is_a_period_without_known_days():
    f = ex("Since IVV's inception in 2000, it has rallied 3.16%.", published=date(2012, 6, 1))
    (r,) = f.returns
    assert r.window.label.startswith("since") and (r.window.start, r.window.end) == (None, None)


@pytest.mark.parametrize("text, expected", [
    ("The bank's forecast leaves 27 percent upside for EEM from current levels.", ("EEM", 27.0)),
    ("The new target implies 12% downside for XLE over the next 12 months.", ("XLE", -12.0)),
])
def test_upside_or_downside_is_a_forecast(text, expected):
    (r,) = ex(text).returns
    assert (r.ticker, r.value_pct, r.kind) == (*expected, "forecast")


def test_a_period_still_to_come_in_the_sentence_before_does_not_make_a_move_a_forecast():
    f = ex("Financials fell 2.1% as investors trimmed exposure ahead of results from the largest lenders next "
           "week. JPMorgan Chase & Co (JPM.N) slid 2.6%.", published=date(2019, 10, 8))
    (r,) = [r for r in f.returns if r.ticker == "JPM"]
    assert r.kind == "realized" and "next week" not in (r.window.label or "")


@pytest.mark.parametrize("text", [
    "She forecasts S&P 500 earnings per share of $178 next year, up 6% from this year.",
    "SPY's dividend rose 4% in the quarter.",
])
def test_a_move_of_what_the_ticker_owns_is_not_its_return(text):
    assert ex(text).returns == ()


def test_the_tech_heavy_nasdaq_100_is_the_nasdaq_100():
    assert returns(ex("The tech-heavy Nasdaq 100 tumbled 4.7% on Monday.")) == {("^NDX", -4.7)}


# ------------------------------------------------------------------ symbols

def test_shares_of_a_company_are_its_stock_not_an_employer():
    f = ex("Shares of Citigroup rallied more than 20% and led the financial sector higher Tuesday, "
           "said Jane Roe of Goldman Sachs.", published=date(2009, 3, 11))
    assert returns(f) == {("C", 20.0)}
    assert "GS" not in f.tickers


def test_a_tag_line_lists_the_articles_symbols_even_ones_the_table_lacks():
    f = ex("Junk bonds slip\n\n- ETFs: HYG, JNK, XQZH, HYLD\n\nHigh-yield funds lost ground this week.")
    assert {"HYG", "JNK", "XQZH", "HYLD"} <= set(f.tickers)
    assert {m.symbol: m.symbol_source for m in f.mentions}["XQZH"] == "pattern"


@pytest.mark.parametrize("text", [
    "BlackRock’s iShares Core suite won the battle for inflows in July.",
    "Investors pulled $1.6 billion from SLV, according to iShares manager BlackRock (BLK.N).",
])
def test_a_funds_sponsor_is_not_a_ticker_of_the_article(text):
    assert "BLK" not in ex(text).tickers


def test_a_fund_named_in_full_is_referred_to_by_its_short_name_later():
    f = ex("The U.S. Global Jets ETF (JETS) dropped 2.8% on Monday. The Jets ETF has plunged 4.4% year to date.")
    assert returns(f) == {("JETS", -2.8), ("JETS", -4.4)}


def test_a_short_name_two_funds_of_the_article_share_is_nobodys():
    f = ex("The Example Gold Miners ETF (XGMX) and the Sample Junior Miners ETF (XJMX) traded higher. "
           "The Miners ETF jumped 3.1% on Monday.")
    assert returns(f) == set()


@pytest.mark.parametrize("text", [
    "The SPDR S&P Biotech ETF (XBI) is down 25% this year. That compares to a 5.4% drop in the broader NASDAQ.",
    "The SPDR S&P Biotech ETF (XBI) is down 25% this year. That compares to a 5.4% drop in the broader Nasdaq.",
])
def test_an_index_name_in_any_casing_the_table_writes(text):
    assert returns(ex(text)) == {("XBI", -25.0), ("^IXIC", -5.4)}


def test_the_exchange_in_capitals_is_still_not_the_index():
    assert "^IXIC" not in ex("Apple Inc. (NASDAQ: AAPL) rose 2% on Monday; it trades on NASDAQ.").tickers


def test_a_quote_chip_after_an_index_name_is_the_index_whatever_else_its_letters_are():
    f = ex("Airlines led the Dow Jones Transportation Average DJT, +0.51% lower on Monday.")
    assert f.tickers == ("^DJT",)


def test_an_alias_written_as_a_symbol_in_parentheses_is_the_index():
    f = ex("Strategists agree that the Standard & Poor’s 500 Index (SPX) will reach an all-time high.")
    assert f.tickers == ("^GSPC",)


def test_percents_in_parentheses_after_names_in_a_ranking_are_their_returns(register_fake):
    register_fake({"76%": "rate"})
    f = ex("Fellow chipmakers Palo Alto Networks (up 83%) and Advanced Micro Devices (76%) are the sixth "
           "and eighth-best performers on the index this year.")
    assert returns(f) == {("PANW", 83.0), ("AMD", 76.0)}


def speakers(f):
    return {q.speaker: (q.title, q.organization) for q in f.quotes}


def test_officials_are_speakers_with_their_title_and_institution():
    f = ex("Federal Reserve chief Ben Bernanke said the central bank would keep short-term rates near zero.")
    assert speakers(f) == {"Ben Bernanke": ("chief", "Federal Reserve")}


@pytest.mark.parametrize("text, name", [
    ("“Stocks are cheap,” said J.J. Roe, chief strategist with Example Ameritrade.", "J.J. Roe"),
    ("JJ Roe, chief market strategist at Example Ameritrade in Chicago, said stocks were cheap.", "JJ Roe"),
])
def test_initials_start_a_name_where_the_context_says_a_person_stands(text, name):
    assert speakers(ex(text))[name][1] == "Example Ameritrade"


def test_two_reporters_share_their_outlet_and_two_strategists_their_title():
    f = ex("Gold funds bled, report Megan Roe and Lydia Doe for Bloomberg. Example credit strategists "
           "Jeffrey Poe and Bradley Moe, though, argue the selling is overdone.")
    got = speakers(f)
    assert got["Megan Roe"][1] == got["Lydia Doe"][1] == "Bloomberg"
    assert got["Jeffrey Poe"] == got["Bradley Moe"] == ("credit strategist", "Example")


def test_speakers_named_in_an_aside_between_dashes_and_after_a_firm_and_appositive():
    f = ex("Two strategists—Example Stanley’s Mike Roe and Sample’s Francois Doe—predict the market to fall. "
           "Even Binky Poe at Example Bank, one of the biggest bulls, expects stocks to drop.")
    got = speakers(f)
    assert {"Mike Roe", "Francois Doe", "Binky Poe"} <= set(got)
    assert got["Binky Poe"][1] == "Example Bank"


def test_a_manager_of_money_at_a_firm_gives_the_firm():
    f = ex("“Gold is insurance,” said Michael Roe, who manages more than $15 billion at Example Funds Inc.")
    assert speakers(f)["Michael Roe"][1] == "Example Funds Inc."


def test_it_follows_a_fund_the_sentence_before_named_by_an_anaphor():
    f = ex("BIL is the biggest T-bill ETF. The fund has seen inflows in the past three months. "
           "It added over $2 billion in August followed by $1.1 billion in September.")
    assert flows(f) == {("BIL", "inflow", 2e9), ("BIL", "inflow", 1.1e9)}


@pytest.mark.parametrize("text, expected", [
    ("The United States Natural Gas Fund (UNG) is down 47% this year, while natural gas has fallen 40% on "
     "the Nymex.", {("UNG", -47.0)}),
    ("TUR has dropped like a stone because the Turkish Lira fell 8.8%.", set()),
    ("EWU was down 0.1% Monday while U.S. markets jumped 1.5%.", {("EWU", -0.1)}),
])
def test_a_commodity_or_market_in_its_own_clause_does_not_lend_its_move_to_a_fund(text, expected):
    assert returns(ex(text)) == expected


def test_a_plus_after_a_number_is_more_than():
    (r,) = ex("Gold miners slumped, while GDXJ is actually down 6+ percent this month.").returns
    assert (r.ticker, r.value_pct, r.qualifier) == ("GDXJ", -6.0, "more than")


def test_a_sentence_opening_with_net_inflow_is_about_the_fund_just_discussed():
    f = ex("Investors have yanked $1.6 billion from SLV over the past two weeks. Net inflow of $2 billion "
           "over the past 12 months represented less than 1 percent of mined silver.")
    assert ("SLV", "inflow", 2e9) in flows(f)


@pytest.mark.parametrize("text", [
    "The Dow ended down 4.51% for the week, its worst weekly decline since May 7, when it fell 5.7%.",
    "Gold rose in May. In May GLD gained 3% on inflows.",
])
def test_the_month_may_is_not_the_modal_verb_of_a_forecast(text):
    assert all(r.kind == "realized" for r in ex(text).returns)


def test_the_modal_may_still_marks_a_forecast():
    (r,) = ex("Strategists say the S&P 500 may rise 10% next year.").returns
    assert r.kind == "forecast"


@pytest.mark.parametrize("text, gone", [
    ("The iShares Core S&P 500 ETF (IVV) from BlackRock led the industry in inflows.", "BLK"),
    ("XLF leads with $4.9 billion of inflows, according to the BlackRock data.", "BLK"),
    ("Retail sales fell 1.1%, steeper than the 0.3% dip expected by economists surveyed by Dow Jones.", "^DJI"),
    ("ETF volume hit $17.1 billion in May, according to the National Stock Exchange (NSX).", "NSX"),
    ("There is a big divergence, from Deutsche Bank seeing the S&P 500 rallying 16% to Barclays "
     "projecting another down year.", "BCS"),
])
def test_sponsors_news_companies_institutions_and_forecasting_firms_are_not_tickers(text, gone):
    assert gone not in ex(text).tickers


@pytest.mark.parametrize("text", [
    "That’s even though the VIX remains about 70 percent higher than its average for 2014.",
    "By March 12, HYD tumbled to a record 19% below its net-asset value.",
    "S&P 500 stocks are issued upside of 8% to 15% by analysts.",
])
def test_distances_from_an_average_or_nav_and_members_upside_are_not_returns(text):
    assert ex(text).returns == ()


@pytest.mark.parametrize("text, expected", [
    ("Boeing shares were trading up nearly $17, or 8%, in recent action on Monday.", {("BA", 8.0)}),
    ("Strong earnings helped extend the S&P 500’s 2012 rally to 17 percent this week.", {("^GSPC", 17.0)}),
    ("A tumble had erased 2.2% of the SPDR Gold Trust (GLD) this month.", {("GLD", -2.2)}),
    ("That’s compared to a 5.4% drop in the broader Nasdaq this year.", {("^IXIC", -5.4)}),
    ("Spot silver gained as much as 5 percent and the iShares Silver Trust (SLV) rose 2.3 percent on Friday.",
     {("SLV", 2.3)}),
])
def test_running_totals_dollar_moves_erased_shares_and_the_next_clauses_subject(text, expected):
    assert returns(ex(text)) == expected


def test_a_running_total_has_no_window_sure_enough_to_call_it_false():
    """Without the rally's own period, "this week" does not bound the total."""
    (r,) = ex("Strong earnings helped extend the S&P 500’s rally to 17 percent this week.",
              published=date(2012, 9, 15)).returns
    assert r.window.source not in ("claim", "sentence")


@pytest.mark.parametrize("text, name, expected", [
    # the firm's own "'s": nothing follows it for it to own
    ("Muni funds lost $1.2 billion last week, reports Jane Roe for Barron’s.", "Jane Roe", (None, "Barron’s")),
    # a firm written with its abbreviation in parentheses, then the possessive
    ("Example Bank of Ontario (EBO)’s Brian Roe expects the benchmark to top 2,000.", "Brian Roe",
     (None, "Example Bank of Ontario")),
    # a hyphenated first name, split by the tokenizer, is one name
    ("“Consumers are tiring,” Example Wealth Management's Yung-Yu Roe said.", "Yung-Yu Roe",
     (None, "Example Wealth Management")),
    # a lower-case web domain is a firm's name
    ("“The outflows are driven by rate worries,” examplefunds.com analyst Sumit Roe said.", "Sumit Roe",
     ("analyst", "examplefunds.com")),
])
def test_a_speakers_firm_written_in_news_forms(text, name, expected):
    assert speakers(ex(text))[name] == expected


@pytest.mark.parametrize("text, name, expected", [
    ("Jane Roe, who runs a dividend portfolio at Example Asset Management, points out that yields are falling.",
     "Jane Roe", (None, "Example Asset Management")),
    ("“Yields are low,” says Example Fund comanager Edith Roe.", "Edith Roe", ("comanager", "Example Fund")),
    ("“Europe is cheap,” Example Capital's chief investment officer, Fenwick Roe, said.", "Fenwick Roe",
     ("chief investment officer", "Example Capital")),
])
def test_speakers_in_more_forms(text, name, expected):
    assert speakers(ex(text))[name] == expected


def test_the_outlet_told_is_not_a_speaker():
    got = speakers(ex("Hedge-fund manager Jane Roe of Example Partners told Business Insider that banks are cheap."))
    assert "Business Insider" not in got and got["Jane Roe"][1] == "Example Partners"


def test_a_second_speaker_described_between_the_two_keeps_only_their_own_description():
    f = ex("Example Investment Management Co.’s Mohamed El-Roe and economist Nouriel Doe, who predict smaller "
           "returns, are outliers.")
    got = speakers(f)
    assert got["Mohamed El-Roe"] == (None, "Example Investment Management Co.")
    assert got["Nouriel Doe"] == ("economist", None)


# ------------------------------------------------------------------ periods of the same figure

def test_the_same_figure_over_two_periods_each_written_in_its_claim_is_two_claims():
    f = ex("The Example Regional Banking ETF (KRE) was on track for a weekly loss of nearly 2%. Sellers "
           "emerged in KRE on Thursday, when the ETF shed nearly 2%.", published=date(2013, 5, 17))
    got = sorted((r.ticker, r.value_pct, r.window.label) for r in f.returns)
    assert got == [("KRE", -2.0, "this week"), ("KRE", -2.0, "thursday")]


def test_a_figure_said_again_without_its_own_period_is_one_claim():
    f = ex("KRE fell 2% on Thursday. The drop of 2% left the ETF near its low.", published=date(2013, 5, 17))
    assert [(r.ticker, r.value_pct) for r in f.returns] == [("KRE", -2.0)]


def test_a_threshold_that_moves_are_counted_against_is_not_a_move():
    f = ex("The Dow has had weekly drops of 4.5% or more only twice this year. It fell 1.2% on Friday.",
           published=date(2010, 7, 3))
    assert returns(f) == {("^DJI", -1.2)}


@pytest.mark.parametrize("phrase, label, start", [
    ("posted its third straight weekly gain of 1.4%", "this week", date(2019, 6, 7)),
    ("is headed for a monthly loss of 3%", "month-to-date", date(2019, 5, 31)),
])
def test_a_weekly_or_monthly_move_is_the_current_period(phrase, label, start):
    f = ex(f"The SPDR S&P 500 ETF (SPY) {phrase}.", published=date(2019, 6, 14))
    (r,) = f.returns
    assert (r.window.label, r.window.start, r.window.end) == (label, start, date(2019, 6, 13))


# ------------------------------------------------------------------ set 6: owners and signs

def test_a_move_after_and_does_not_give_its_sign_to_the_figure_before():
    f = ex("Market snapshot\n\n- The Russell 2000 dropped 1.0% and is now up just 10.4% in 2019.\n")
    assert ("^RUT", -1.0) in returns(f)
    assert ("^RUT", 1.0) not in returns(f)


def test_a_yahoo_index_code_in_parentheses_names_the_index():
    f = ex("Stocks fell on Friday.\n\nS&P 500 (^GSPC): -0.82%\nDow (^DJI): -0.66%\nBond index (^ZZQX): -0.1%\n")
    assert {("^GSPC", -0.82), ("^DJI", -0.66)} <= returns(f)
    assert not any(t.startswith("^Z") for t in f.tickers)  # a code the table does not know


def test_futures_named_after_a_figure_do_not_take_it():
    f = ex("Stocks slid on Friday. Contracts on the S&P 500 fell 0.4% and Nasdaq 100 futures lost 0.6% "
           "after the report.")
    assert not any(t == "^NDX" for t, _ in returns(f))


def test_the_stock_and_shares_point_back_to_a_company_the_article_defined():
    f = ex("Medical leaders\n\nAlign Technology (ALGN) rose 1.9% Friday.\n\nAbiomed (ABMD)\n\n"
           "Heart-pump maker Abiomed is shaping a base. Shares dipped 0.6% Friday in light trade. "
           "The stock is up 31% this year.")
    assert {("ABMD", -0.6), ("ABMD", 31.0)} <= returns(f)
    assert ("ALGN", 31.0) not in returns(f)


def test_a_companys_reported_growth_is_not_its_return():
    f = ex("Nvidia (NASDAQ: NVDA) reported on Thursday. Shares rose 8.2% on Thursday after the chipmaker "
           "reported record revenue of $7.1 billion for its fiscal third quarter, up 50% from the prior-year "
           "period.")
    assert ("NVDA", 8.2) in returns(f)
    assert ("NVDA", 50.0) not in returns(f)


def test_the_first_word_of_a_defined_company_is_that_company_where_it_is_the_subject():
    f = ex("Leaders\n\nAlign Technology (ALGN) makes clear aligners. Align rose 1.9% Friday.\n\n"
           "Edwards Lifesciences (EW) makes heart valves. Edwards, which makes valves, fell 1.2% Friday.\n\n"
           "First Solar (FSLR) was flat. First, the market rose 2% on Friday.")
    assert {("ALGN", 1.9), ("EW", -1.2)} <= returns(f)
    assert ("FSLR", 2.0) not in returns(f)  # a place or ordinary first word is no short name


def test_a_company_described_by_what_it_makes_points_back_to_it():
    f = ex("Intuitive Surgical (ISRG) is extended past its buy point. The da Vinci robot maker climbed "
           "4.2% last week to an all-time high.")
    assert ("ISRG", 4.2) in returns(f)


@pytest.mark.parametrize("text, value, currency", [
    ("took in US$412-million, its biggest weekly haul", 412e6, "USD"),  # Canadian papers' hyphen
    ("shed $3.1-billion over the week", 3.1e9, "USD"),
    ("saw a $5 billion inflow", 5e9, "USD"),  # "a $": no Australian dollars
    ("pulled c $3 million", 3e6, "USD"),
    ("A$5 billion went into local funds", 5e9, "AUD"),
    ("C$2.4 billion", 2.4e9, "CAD"),
])
def test_money_marks_and_scales_as_papers_write_them(text, value, currency):
    from extractor.normalize.amount import find_money

    (q,) = find_money(text)
    assert (q.value, q.currency) == (value, currency)


@pytest.mark.parametrize("text, expected", [
    ("ARKK has tripled in 2019.", {("ARKK", 200.0)}),
    ("The Direxion Daily Gold Miners Bear 3X Shares (NYSEArca: DUST) has more than doubled over the past month.",
     {("DUST", 100.0)}),
    ("GDX rallied 27.5% and NUGT has nearly doubled, gaining about 96%.", {("GDX", 27.5), ("NUGT", 96.0)}),
    ("Buyers more than doubled the fund's capitalization since 2008, and GLD is flat.", set()),
    ("FLQL saw a one-day influx of $451 million that nearly doubled the size of the fund.", set()),
])
def test_a_move_written_as_a_multiple(text, expected):
    assert returns(ex("Funds\n\n" + text)) == expected


FLOWS_BRIEF = """ETF Flows: Small caps draw cash

The iShares Russell 2000 ETF (NYSE: IWM) took in $1.42 billion on Tuesday, while the SPDR S&P 500 ETF Trust
(NYSE: SPY) shed more than $2 billion.

Top Inflows, Tuesday, June 11
IWM: $1,420.3M
XLF: $611.8M

Top Outflows, Tuesday, June 11
SPY: -$2,086.4M
QQQ: -$745.0M

The three largest bank ETFs combined took in $890 million last week, with the SPDR S&P Regional Banking ETF
(NYSE: KRE) alone pulling in $512 million.
"""


def test_a_flows_brief_lists_symbols_under_headings_and_keeps_the_exact_figures():
    f = ex(FLOWS_BRIEF)
    assert flows(f) == {("IWM", "inflow", 1420300000.0), ("XLF", "inflow", 611800000.0),
                        ("SPY", "outflow", 2086400000.0), ("QQQ", "outflow", 745000000.0),
                        ("KRE", "inflow", 512000000.0)}


SPONSOR_TABLE = """Acme Gold Miners ETF (GDX) Monthly Commentary: April 2019

NEW YORK, May 8, 2019 /PRNewswire/ -- Acme today released its monthly commentary for the Acme Gold Miners ETF (NYSE Arca: GDX), covering the month ended April 30, 2019, a month in which gold equities fell.

Performance (%) as of 04/30/2019

                            1 Mo     3 Mo     YTD      1 Yr     3 Yr*
GDX (NAV)                  -7.85    -9.42    -5.60    -2.93     1.88
GDX (Market Price)         -7.92    -9.50    -5.71    -3.02     1.85

*Annualized
"""


def test_a_sponsors_performance_table_in_spaced_columns_runs_to_its_captions_day():
    f = ex(SPONSOR_TABLE, published=None)
    assert f.article.published == date(2019, 5, 8)  # the press release's dateline
    got = {(r.value_pct, r.window.start, r.window.end) for r in f.returns if r.ticker == "GDX"}
    assert (-5.60, date(2018, 12, 31), date(2019, 4, 30)) in got
    assert (-2.93, date(2018, 4, 30), date(2019, 4, 30)) in got
    assert len({v for v, _, _ in got}) == 10


def test_a_time_before_a_numeric_date_is_a_dateline():
    f = ex("IBD 50 STOCKS TO WATCH\n\nMedical Leaders Hold Near Buy Points\n\nKELSEY ROE\n06:00 AM ET 06/21/2017\n\n"
           "The Nasdaq composite slid 0.8% Tuesday.", published=None)
    assert f.article.published == date(2017, 6, 21)
    assert [(r.window.start, r.window.end) for r in f.returns] == [(date(2017, 6, 19), date(2017, 6, 20))]


def test_the_stock_is_the_subject_of_the_sentence_before_not_a_company_named_in_passing():
    f = ex("Local stocks\n\nShares of DuPont de Nemours (NYSE: DD) fell 3.2% Friday.\n\n"
           "Chemours (NYSE: CC), the chemical maker spun off from the old DuPont, has had a rougher year. "
           "The stock is down 14% year to date.")
    assert ("CC", -14.0) in returns(f) and ("DD", -14.0) not in returns(f)


def test_a_figure_set_against_another_shares_its_move_and_a_new_subject_keeps_its_own():
    f = ex("The iShares MSCI Emerging Markets ETF, EEM, is up about 16% this year, against roughly 6% for the "
           "S&P 500. Valuations are 12 times earnings, against 17 times for the S&P 500, and EM currencies are "
           "cheap after a 30% fall against the dollar since 2011.")
    assert {("EEM", 16.0), ("^GSPC", 6.0)} <= returns(f)
    assert ("^GSPC", -30.0) not in returns(f)


# ------------------------------------------------------------------ quotes of set 6

def quotes(f):
    return {(q.speaker, q.title, q.organization) for q in f.quotes}


def test_an_accented_first_name_before_a_title_is_a_speaker():
    f = ex('"This is the most aggressive small-cap chase we have seen," Tomás Herrera, head of ETF research at '
           'Lindell Street Advisors, told Benzinga.')
    assert ("Tomás Herrera", "head of ETF research", "Lindell Street Advisors") in quotes(f)


def test_a_numbered_list_of_firms_gives_each_speaker_the_firm_above():
    f = ex("Strategists' targets\n\n1. Halvorsen & Rudd: 3,400\n\nMei-Lin Sato, the firm's chief US equity "
           "strategist, set the highest target. \"Earnings should reaccelerate,\" Sato wrote in a note.\n\n"
           "2. Arrowood Partners: 3,350\n\nBertram Kline, chief investment strategist, said he sees 5% gains.\n")
    assert {("Mei-Lin Sato", "chief US equity strategist", "Halvorsen & Rudd"),
            ("Bertram Kline", "chief investment strategist", "Arrowood Partners")} <= quotes(f)


def test_a_planner_is_a_title():
    f = ex('"I\'d be a buyer on any pullback," said Ray Colavita, a certified financial planner with Red Clay '
           'Wealth Advisors in Hockessin.')
    assert ("Ray Colavita", "certified financial planner", "Red Clay Wealth Advisors") in quotes(f)


def test_a_gain_a_call_implied_is_a_forecast():
    f = ex("A year ago, the strategists' average call implied a gain of about 9% for 2019 for the S&P 500.",
           published=date(2019, 12, 10))
    assert [(r.ticker, r.value_pct, r.kind) for r in f.returns] == [("^GSPC", 9.0, "forecast")]


@pytest.mark.parametrize("text, tickers", [
    ("He expects the TSX to return 8 to 10 per cent over the next 12 months.", ("^GSPTSE",)),
    ("The TSX-listed ETF rose 2%.", ()),  # the exchange
    ("Shares of the miner, listed on the TSX, rose 5%.", ()),
])
def test_the_tsx_is_torontos_index_and_tsx_listed_its_exchange(text, tickers):
    assert ex("News\n\n" + text).tickers == tickers


# ------------------------------------------------------------------ set 7

def test_marketwatch_names_with_their_symbol_after_them_are_the_companies():
    f = ex("Stocks fell on Friday. Caterpillar Inc. CAT fell 2.6% and Dow Inc. DOW dropped 3.4%, the worst "
           "performer in the blue-chip gauge.")
    assert {("CAT", -2.6), ("DOW", -3.4)} <= returns(f)


def test_an_index_sector_is_not_the_index_and_a_new_subject_keeps_its_move():
    f = ex("Industrials led the retreat on Friday. The S&P 500's industrials sector fell 1.9%, and the Industrial "
           "Select Sector SPDR ETF XLI dropped 2%. Energy shares gave up 1.8%, and the SPDR S&P Regional Banking "
           "ETF KRE shed 2.3%. XLE cratered 19.6% as West Texas Intermediate crude sank 25%.")
    got = returns(f)
    assert {("XLI", -2.0), ("KRE", -2.3), ("XLE", -19.6)} <= got
    assert not {("^GSPC", -1.9), ("KRE", -1.8), ("XLE", -25.0)} & got


def test_below_a_dated_record_is_a_fall_from_it():
    f = ex("Stocks tumbled on Monday, with the S&P 500 closing 21.8% below its Jan. 3 record.",
           published=date(2022, 6, 13))
    assert ("^GSPC", -21.8) in returns(f)


def test_a_fund_card_whose_symbol_line_stands_several_lines_above_its_return():
    f = ex("Best ETFs\n\n**1. Vanguard Dividend Appreciation ETF**\n\n- Symbol: VIG\n- Market value: $30.6 billion\n"
           "- Dividend yield: 2.1%\n- Expenses: 0.06%\n- One-year return: -1.2%\n")
    assert returns(f) == {("VIG", -1.2)}


def test_a_markdown_table_with_cost_and_yield_columns_beside_its_periods():
    f = ex("Dividend ETFs\n\n| ETF | Expense Ratio | Dividend Yield | YTD | Trailing 1 Yr | Trailing 3 Yr (ann.) |\n"
           "|---|---|---|---|---|---|\n| SCHD | 0.06% | 3.02% | 4.8% | 12.6% | 13.1% |\n"
           "| VYM | 0.06% | 2.95% | 3.9% | 10.2% | 11.0% |\n")
    assert returns(f) == {("SCHD", 4.8), ("SCHD", 12.6), ("SCHD", 13.1), ("VYM", 3.9), ("VYM", 10.2), ("VYM", 11.0)}


@pytest.mark.parametrize("headline, day", [
    ("How major US stock indexes fared Friday 11/8/2019", date(2019, 11, 8)),
    ("Markets Live: Wednesday, 3rd June, 2015", date(2015, 6, 3)),
    ("Stocks rally since March 3, 2020", None),  # a date in a headline is not its day
])
def test_a_headline_ending_on_a_weekday_and_its_date_gives_the_publication_day(headline, day):
    assert ex(headline + "\n\nStocks closed higher.", published=None).article.published == day


def test_a_wire_dateline_of_any_agency_is_not_a_window_and_an_events_day_is_not_the_moves():
    f = ex("NEW YORK, Feb 4 (Dispatch Wire) - Investors pulled $3.8 billion from the SPDR S&P 500 ETF Trust (SPY) "
           "during the week ended Wednesday.\n\nNvidia (NVDA) rose 2.8% ahead of its quarterly report next week.",
           published=date(2016, 2, 4))
    spy = next(x for x in f.flows if x.ticker == "SPY")
    assert (spy.window.start, spy.window.end) == (date(2016, 1, 27), date(2016, 2, 3))
    nvda = next(r for r in f.returns if r.ticker == "NVDA")
    assert nvda.kind == "realized"


def test_two_cells_of_a_table_row_are_two_claims_even_when_one_rounds_to_the_other():
    f = ex("| ETF | YTD | 3 Yr | 5 Yr |\n|---|---|---|---|\n| VYM | 3.9% | 11.0% | 10.7% |\n| SCHD | 4.8% | 13.1% | 12.4% |\n")
    assert {("VYM", 11.0), ("VYM", 10.7)} <= returns(f)


INTERVIEWS = [
    ("THE MANAGER'S CHAIR\n\nAnjali Roe-Kessler is co-chief investment officer at Tollgate Frontier Partners, "
     "which runs $4.2 billion.\n\nQ: How big has the rebound been?\n\nA: It has been a very good year.\n\n"
     "Q: What next?\n\nA: India.\n",
     ("Anjali Roe-Kessler", "co-chief investment officer", "Tollgate Frontier Partners")),
    # the answers under the speaker's last name
    ("Strategist Q&A\n\nMarguerite Oyelo, chief U.S. equity strategist at Hollister Crane & Co., has been "
     "bearish this year.\n\nOyelo: We cut our year-end target to 3,550.\n\nWhat do you like?\n\n"
     "Oyelo: Energy and health care.\n",
     ("Marguerite Oyelo", "chief U.S. equity strategist", "Hollister Crane & Co.")),
]


@pytest.mark.parametrize("text, speaker", INTERVIEWS)
def test_an_interview_quotes_the_person_it_introduces(text, speaker):
    assert speaker in quotes(ex(text))


def test_a_total_several_funds_took_together_and_a_reported_rise_are_no_ones():
    f = ex("TLT, AGG and SHV together absorbed about $2.6 billion on Friday. Microsoft Corp. (MSFT) slipped 0.9% "
           "a day after reporting a 21% rise in June-quarter revenue. SPY Bleeds $4.1 Billion on Friday.")
    assert not {x[0] for x in flows(f)} & {"TLT", "AGG", "SHV"}
    assert ("MSFT", 21.0) not in returns(f) and ("MSFT", -0.9) in returns(f)
    assert ("SPY", "outflow", 4.1e9) in flows(f)


@pytest.mark.parametrize("text, expected", [
    ("I think the Invesco QQQ Trust (QQQ) can gain another 20% in the next 12 months.", ("QQQ", 20.0)),
    ("Cuts are priced in, and the Energy Select Sector SPDR Fund (XLE) could tack on another 8% to 10% by "
     "year-end.", ("XLE", 8.0)),
])
def test_a_speakers_belief_in_what_a_ticker_can_do_is_a_forecast(text, expected):
    f = ex(text)
    assert [(r.ticker, r.value_pct, r.kind) for r in f.returns] == [(*expected, "forecast")]


def test_what_a_ticker_can_do_in_general_is_still_no_claim():
    assert returns(ex("The SPDR S&P 500 ETF Trust (SPY) can fall 30% in a bad year.")) == set()


def test_he_said_after_a_named_person_quotes_that_person_and_a_data_source_is_no_person():
    f = ex("Not everyone was won over. Sasha Ilyin, a portfolio manager at Norland Resources Fund, trimmed her GDX "
           "position into the rally. \"Miners have gone from priced for bankruptcy to priced for perfection,\" she said."
           "\n\nMore than 190,000 call contracts traded, roughly four times the daily average, according to Trade Alert.")
    assert ("Sasha Ilyin", "portfolio manager", "Norland Resources Fund") in quotes(f)
    assert not any(q[0] == "Trade Alert" for q in quotes(f))


def test_a_respectively_list_whose_last_member_has_its_own_verb():
    f = ex("For the week, the Dow, the S&P 500 and the Nasdaq finished up 0.4%, 0.1% and down 0.3%, respectively.")
    assert returns(f) == {("^DJI", 0.4), ("^GSPC", 0.1), ("^IXIC", -0.3)}


def test_a_total_gathered_collectively_is_not_the_fund_named_before():
    f = ex("The Technology Select Sector SPDR Fund (XLK) took in $2.4 billion over the past three months, and the "
           "three largest S&P 500 ETFs have collectively gathered more than $20 billion. EWZ is the worst performer "
           "this year among the four major ETFs tracking BRIC nations, down 24.4 percent.")
    assert flows(f) == {("XLK", "inflow", 2.4e9)}
    assert ("EWZ", -24.4) in returns(f)


def test_percents_with_thousands_separators():
    from extractor.normalize.amount import find_percents

    assert [q.value for q in find_percents("up more than 2,000% for the year, 1,250.5% since, then 3.5%")] == \
        [2000.0, 1250.5, 3.5]

