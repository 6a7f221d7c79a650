"""When the figures run through, and which window each claim rests on: one test per
pattern of the genre, on sentences written in the styles of the dev corpus (wraps, weekly
statistics pages, notes, fund-flow reports, intraday pieces, forecasts)."""
from __future__ import annotations

from datetime import date

import pytest

import extractor
from extractor.asof import read_asof
from extractor.pipeline import article_from_text


def one(facts, kind: str, ticker: str):
    found = [x for x in getattr(facts, kind) if x.ticker == ticker]
    assert len(found) == 1, (kind, ticker, getattr(facts, kind))
    return found[0]


def dates(w) -> tuple[str | None, str | None]:
    return (w.start.isoformat() if w.start else None, w.end.isoformat() if w.end else None)


# --------------------------------------------------------------------------- as-of

def test_an_end_of_day_wrap_runs_through_the_publication_days_close():
    # Thursday 2019-08-15: the wrap names its own weekday as the session
    text = ("date 2019-08-15\nStocks ended higher on Thursday as retailers rallied. The S&P 500 "
            "rose 0.2 percent and is up 15.6 percent year-to-date. The Nasdaq is down 1.3 percent "
            "this week.\n")
    facts = extractor.extract(text)
    assert facts.article.anchor.asof == date(2019, 8, 15)
    assert "Thursday" in facts.article.asof_reason
    gspc = {r.value_pct: r.window for r in facts.returns if r.ticker == "^GSPC"}
    assert dates(gspc[0.2]) == ("2019-08-14", "2019-08-15")  # the day's move
    assert dates(gspc[15.6]) == ("2018-12-31", "2019-08-15")  # year-to-date through that close
    assert dates(one(facts, "returns", "^IXIC").window) == ("2019-08-09", "2019-08-15")  # this week


def test_a_friday_page_of_thursdays_statistics_runs_through_thursday():
    text = ("date 2009-02-20\nThe Dow Jones Industrial Average closed at its lowest level in over six "
            "years on Thursday, having lost 1.16%. It is down almost 15 percent year-to-date.\n")
    facts = extractor.extract(text)
    assert facts.article.anchor.asof == date(2009, 2, 19)
    windows = {r.value_pct: r.window for r in facts.returns}
    assert dates(windows[-1.16]) == ("2009-02-18", "2009-02-19")
    assert dates(windows[-15.0]) == ("2008-12-31", "2009-02-19")
    assert "in over six years" not in {w.label for w in windows.values()}  # a comparison, no window


def test_a_story_with_no_sign_of_the_days_session_ends_at_the_session_before():
    facts = extractor.extract("date 2017-08-18\nIWM is up just 2.7 percent year-to-date.\n")
    assert facts.article.anchor.asof == date(2017, 8, 17)
    assert dates(facts.returns[0].window) == ("2016-12-30", "2017-08-17")


def test_a_dateline_or_a_publication_time_during_the_session_is_not_the_days_close():
    # "Monday, November 10, 2008" is when the page went up; 12:56 PM is before the close
    for header in ("Monday, November 10, 2008\n", "Published Nov 10, 2008 12:56PM ET\n"):
        reading = read_asof(header + "Strategists expect the S&P 500 to end the year higher.",
                            0, date(2008, 11, 10))
        assert (reading.day, reading.rule) == (date(2008, 11, 7), "before"), header
    after_close = read_asof("By Rita Roe – Aug 8, 2011 1:08 PM PT\nU.S. stocks tumbled.", 0, date(2011, 8, 8))
    assert after_close.day == date(2011, 8, 8)  # 1:08 PM Pacific is after the New York close


def test_a_thursday_note_quoted_on_friday_runs_through_wednesdays_close():
    # the pattern of seed-000: the note was written Thursday morning, before Thursday's close
    text = ("date 2017-08-18\nSmall caps keep lagging.\n\n“Options traders are hedging,” said Jane Roe, "
            "head of ETF trading at Example Securities, in a Thursday note. “More than $700 million has "
            "vacated IWM in the past couple sessions via redemptions.”\n\nIWM is up 2.7 percent "
            "year-to-date.\n")
    facts = extractor.extract(text)
    assert dates(one(facts, "flows", "IWM").window) == ("2017-08-14", "2017-08-16")
    assert dates(one(facts, "returns", "IWM").window) == ("2016-12-30", "2017-08-17")  # outside the note


def test_flows_of_a_same_day_story_end_at_the_session_before():
    # shares outstanding are reported the next morning: flow figures lag the prices by a session
    text = ("date 2017-05-18\nEWZ is down 15% today. Year-to-date, EWZ has taken in over $788 million "
            "of inflows.\n")
    facts = extractor.extract(text)
    assert facts.article.anchor.asof == date(2017, 5, 18)
    assert dates(one(facts, "flows", "EWZ").window) == ("2016-12-30", "2017-05-17")


# --------------------------------------------------------------------------- periods

def test_a_lipper_week_runs_thursday_to_wednesday_and_this_weeks_is_that_week():
    text = ("For the fund-flows trading week ended Wednesday, May 8, 2019, investors pulled money from "
            "equity funds. ETFs suffered this week's net outflows mostly in SPDR S&P 500 ETF (SPY, "
            "-$7.3 billion).\n")
    facts = extractor.extract(text)
    flow = one(facts, "flows", "SPY")
    assert (flow.direction, flow.amount_usd) == ("outflow", 7.3e9)
    assert flow.window.label == "week ended 2019-05-08"
    assert dates(flow.window) == ("2019-05-01", "2019-05-08")  # from Wednesday's close to Wednesday's


def test_a_heading_frames_the_lines_under_it():
    text = ("date 2018-12-24\nHow major US stock indexes fared Monday\n\nStocks plunged Monday.\n\n"
            "On Monday:\n\nThe S&P 500 index slid 65.52 points, or 2.7 percent, to 2,351.10.\n\n"
            "For the year:\n\nThe S&P 500 is down 322.51 points, or 12.1 percent.\n")
    facts = extractor.extract(text)
    windows = {r.value_pct: r.window for r in facts.returns if r.ticker == "^GSPC"}
    assert dates(windows[-2.7]) == ("2018-12-21", "2018-12-24")
    assert dates(windows[-12.1]) == ("2017-12-29", "2018-12-24")
    assert windows[-12.1].source == "paragraph"  # borrowed from the heading, not its own words


def test_since_a_day_starts_at_that_days_close_and_runs_to_as_of():
    # "since March 23" is not the single day March 23
    facts = extractor.extract("date 2020-06-08\nThe S&P 500 has rallied 44.5 percent since March 23.\n")
    w = facts.returns[0].window
    assert dates(w) == ("2020-03-23", "2020-06-05") and w.source == "claim"


def test_a_flow_since_a_day_counts_that_days_money():
    facts = extractor.extract("date 2018-09-14\nSince Sept. 4, TLT has pulled in $1.8 billion in new "
                              "net investment assets.\n")
    assert dates(one(facts, "flows", "TLT").window) == ("2018-08-31", "2018-09-13")


def test_a_span_of_weekdays_and_a_span_of_days():
    text = ("date 2015-08-27\nInvestors pulled money in stages from Friday through Tuesday, a period in "
            "which the S&P 500 slumped 8.3 percent. The gauge slumped 11 percent in three days.\n")
    windows = {r.value_pct: r.window for r in extractor.extract(text).returns}
    assert dates(windows[-8.3]) == ("2015-08-20", "2015-08-25")
    assert dates(windows[-11.0]) == ("2015-08-21", "2015-08-26")


# --------------------------------------------------------------------------- where from

def test_every_window_says_where_it_came_from():
    text = ("date 2017-08-18\nYear-to-date, the S&P 500 is higher by more than 11 percent -- and IWM "
            "is up just 2.7 percent.\n\nTNA has climbed 9 percent.\n")
    facts = extractor.extract(text)
    assert one(facts, "returns", "^GSPC").window.source == "claim"  # its own clause
    assert one(facts, "returns", "IWM").window.source == "sentence"  # its sentence, another clause
    assert one(facts, "returns", "IWM").window.phrase_start == text.index("Year-to-date")
    tna = one(facts, "returns", "TNA").window
    assert tna.label == "year-to-date" and tna.source == "article"  # the lede's period, borrowed
    as_json = extractor.schema.to_json(facts)
    assert {r["window"]["source"] for r in as_json["returns"]} == {"claim", "sentence", "article"}


def test_the_claims_own_clause_is_the_surest_source():
    facts = extractor.extract("date 2014-10-03\nGLD fell 6 percent in September.\n")
    assert facts.returns[0].window.source == "claim"


# --------------------------------------------------------------------------- intraday

@pytest.mark.parametrize("sentence", [
    "Citigroup jumped 2 percent in morning trade.",
    "Citigroup rose 2.1 percent at 12:06 p.m. in New York.",
    "Citigroup gained as much as 19% at the open.",
])
def test_intraday_figures_are_marked(sentence):
    facts = extractor.extract("date 2009-03-10\n" + sentence + "\n")
    w = one(facts, "returns", "C").window
    assert w.intraday and w.end == date(2009, 3, 10)


def test_a_story_written_during_the_session_marks_its_days_figures_intraday():
    text = ("date 2023-05-22\nIn afternoon trading on Monday, energy stocks lead. XLE is up 0.5% on the "
            "day and down 4.27% year-to-date.\n")
    facts = extractor.extract(text)
    assert facts.article.anchor.intraday
    assert all(r.window.intraday and r.window.end == date(2023, 5, 22) for r in facts.returns)


def test_a_closing_move_is_not_intraday():
    facts = extractor.extract("date 2019-08-15\nStocks ended higher on Thursday. The S&P 500 rose "
                              "0.2 percent.\n")
    assert not facts.returns[0].window.intraday


# --------------------------------------------------------------------------- forecasts

def test_a_forecast_window_runs_forward_from_as_of():
    facts = extractor.extract("date 2011-08-05\nStrategists see the S&P 500 surging 17 percent through "
                              "Dec. 31.\n")
    r = facts.returns[0]
    assert r.kind == "forecast" and dates(r.window) == ("2011-08-04", "2011-12-30")


def test_the_as_of_decision_is_kept_with_the_article():
    a = article_from_text("date 2019-08-15\nStocks ended higher on Thursday.\n")
    assert a.anchor.asof == date(2019, 8, 15) and a.asof_reason.startswith("publication day's close")
    unknown = article_from_text("Stocks ended higher on Thursday.\n")
    assert unknown.anchor.asof is None and unknown.asof_reason == "no publication day"


def test_seed_000s_700_million_comes_from_a_thursday_note():
    from conftest import shared_path

    text = shared_path("corpus-dev", "seed-000.txt").read_text(encoding="utf-8")
    facts = extractor.extract(text)
    flow = next(f for f in facts.flows if f.ticker == "IWM" and f.amount_usd == 7e8)
    assert flow.window.label == "past couple sessions"
    assert dates(flow.window) == ("2017-08-14", "2017-08-16")  # to the close before the note's Thursday
    assert flow.window.source == "claim"


def test_the_window_source_and_the_as_of_are_stored_and_queryable(tmp_path):
    from extractor.store import open_db, write_article

    db = open_db(tmp_path / "x.db")
    write_article(db, extractor.extract("date 2019-08-15\nStocks ended higher on Thursday. The S&P 500 "
                                        "rose 0.2 percent.\n\nIWM has climbed 9 percent.\n", path="a.txt"))
    got = {r[0]: r[1:] for r in db.execute(
        "SELECT ticker, window_source, window_intraday, article_asof FROM claims ORDER BY ticker")}
    # "on Thursday" in the sentence before (paragraph); IWM: the article's Thursday (article)
    assert got == {"^GSPC": ("paragraph", 0, "2019-08-15"), "IWM": ("article", 0, "2019-08-15")}
    assert db.execute("SELECT asof_reason FROM articles").fetchone()[0].startswith("publication day's close")


def test_last_week_in_a_lipper_report_is_the_fund_flows_week():
    # Thursday 2019-05-09: Lipper's week ended Wednesday May 8 (from Wednesday May 1's close)
    text = ("date 2019-05-09\nLipper U.S. Fund Flows: investors pulled money from equity funds. The "
            "S&P 500 fell 1.52 percent last week.\n")
    w = extractor.extract(text).returns[0].window
    assert (w.label, *dates(w)) == ("week ended 2019-05-08", "2019-05-01", "2019-05-08")
    calendar = extractor.extract("date 2019-05-09\nThe S&P 500 fell 1.52 percent last week.\n").returns[0].window
    assert dates(calendar) == ("2019-04-26", "2019-05-03")  # elsewhere, last week is the calendar's


def test_a_date_the_text_gives_for_its_data_decides_the_as_of():
    text = ("date 2018-09-14\nSince Sept. 4, TLT has pulled in $1.8 billion in new net investment assets."
            "\n\n*Sources: ETF.com, FactSet; data as of Sept. 12, 2018*\n")
    facts = extractor.extract(text)
    assert facts.article.anchor.asof == date(2018, 9, 12)
    assert dates(one(facts, "flows", "TLT").window) == ("2018-08-31", "2018-09-12")


def test_a_named_day_beats_a_one_day_adjective_and_last_friday_keeps_its_last():
    text = ("date 2016-12-01\nHYG took in $1.3 billion on Wednesday, the second-biggest single-day inflow "
            "ever. NUGT hauled in $39.1 million last Friday.\n")
    facts = extractor.extract(text)
    assert one(facts, "flows", "HYG").window.label == "wednesday"
    assert dates(one(facts, "flows", "HYG").window) == ("2016-11-29", "2016-11-30")
    assert one(facts, "flows", "NUGT").window.label == "last friday"


def test_a_period_named_after_a_number_belongs_to_that_sentences_figure():
    # the first sentence names no period; "March 9" is the 34 percent's, not the 19.3's
    text = ("Bank of America (BAC) climbed 19.3 percent to $10.38. The S&P 500 is now up 34 percent from "
            "its 12-year closing low on March 9.\n")
    facts = extractor.extract(text)
    assert one(facts, "returns", "BAC").window.label is None


def test_a_passing_lipper_mention_leaves_the_calendar_week_alone():
    text = ("date 2019-05-13\nInvestors pulled $5 billion from U.S. equity funds, according to Lipper. "
            "Meanwhile SPY fell 2.02 percent last week.\n")
    assert dates(one(extractor.extract(text), "returns", "SPY").window) == ("2019-05-03", "2019-05-10")


def test_an_old_date_in_the_text_does_not_move_the_as_of():
    text = ("date 2019-07-12\nIndex returns through Oct. 10 were negative last autumn. SPY rose 3.6 "
            "percent over the past month.\n")
    facts = extractor.extract(text)
    assert facts.article.anchor.asof == date(2019, 7, 11)
    assert dates(one(facts, "returns", "SPY").window) == ("2019-06-11", "2019-07-11")


def test_a_reprint_counts_its_periods_from_its_first_day():
    text = ("date 2018-10-29\nThis commentary was originally published on October 26. SPY rose 3 percent "
            "this week.\n")
    w = one(extractor.extract(text), "returns", "SPY").window
    assert dates(w) == ("2018-10-19", "2018-10-25")


def test_a_dateline_naming_the_session_before_frames_the_story():
    text = "date 2019-05-10\nThursday, May 9, 2019\nStocks closed lower. SPY fell 1 percent.\n"
    w = one(extractor.extract(text), "returns", "SPY").window
    assert dates(w) == ("2019-05-08", "2019-05-09") and w.source == "article"


def test_a_weekday_ahead_is_not_the_day_described():
    reading = read_asof("The jobs report due Friday will set the tone. SPY is up 5 percent this month.",
                        0, date(2019, 5, 10))
    assert reading.rule == "before"


def test_impossible_or_backwards_chart_dates_are_no_window():
    facts = extractor.extract("VXX vs. SPY: 2/30/12 - 4/10/12\nSPY fell 4 percent.\n", published="2012-04-11")
    assert all(r.window.label != "2/30/12 - 4/10/12" for r in facts.returns)
    back = extractor.extract("VXX vs. SPY: 4/10/12 - 3/30/12\nSPY fell 4 percent.\n", published="2012-04-11")
    assert all((r.window.start is None) or r.window.start < r.window.end for r in back.returns)


def test_a_superlative_before_a_figure_does_not_drop_the_figures_period():
    facts = extractor.extract("date 2020-01-10\nXLE was the best performer with a 20 percent gain in 2019.\n")
    assert one(facts, "returns", "XLE").window.label == "2019"


def test_the_calendar_edge_is_said_as_it_is():
    assert read_asof("SPY rose.", 0, date(2070, 6, 3)).why == "the NYSE calendar does not reach 2070-06-03"


def test_a_note_in_one_paragraph_a_line_text_scopes_its_own_line():
    text = ("date 2019-05-09\nStocks closed lower Thursday.\nSPY fell 1.5 percent this week.\n"
            "In a note, Jane Doe of Example Bank said investors were nervous.\n")
    assert dates(one(extractor.extract(text), "returns", "SPY").window)[1] == "2019-05-09"


def test_month_end_data_decides_the_as_of_weeks_later():
    """A fund piece published Aug. 12 whose "returns are through July 31": its
    year-to-date figures end at July's last close, not the session before publication."""
    text = "Health care lags\n\nXLV has returned 7.2% year to date. (Returns and data are through July 31.)\n"
    assert read_asof(text, 0, date(2019, 8, 12)).day == date(2019, 7, 31)
    # a day in mid-month that far back is another figure's date, not the article's
    assert read_asof(text.replace("July 31", "July 16"), 0, date(2019, 8, 12)).day == date(2019, 8, 9)


def test_a_footnote_under_a_promotion_does_not_date_the_articles_figures():
    text = ("Chip stocks soar\n\nNVDA is up 147% year to date.\n\n"
            "*Newsletter returns as of November 10, 2021\n")
    assert read_asof(text, 0, date(2021, 11, 19)).day == date(2021, 11, 18)
    # a caption in italics does date them
    text = text.replace("*Newsletter returns as of November 10, 2021", "*Sources: FactSet; data as of Nov. 17, 2021*")
    assert read_asof(text, 0, date(2021, 11, 19)).day == date(2021, 11, 17)


def test_without_a_publication_day_a_full_data_date_ends_the_relative_periods():
    f = extractor.extract("The best funds so far\n\nReturns are through June 30, 2017.\n\n"
                          "The iShares MSCI Poland ETF (EPOL) has returned 36.4% year to date.")
    (r,) = f.returns
    assert f.article.published is None
    assert (r.window.start, r.window.end) == (date(2016, 12, 30), date(2017, 6, 30))
