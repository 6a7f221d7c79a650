"""Time phrases: finding them (rules.timex) and resolving them to NYSE windows
(normalize.time). Tables over the real XNYS calendar; every sentence is made up."""
from __future__ import annotations

import json
from datetime import date

import pytest
import spacy

import extractor
from extractor.errors import ExtractorError
from extractor.normalize.time import as_of, number, on_or_before, resolve, sessions_calendar, shift
from extractor.rules import extensions
from extractor.rules.timex import TimePhrase, find_time_phrases, load_constructions
from extractor.schema import Anchor, Window


def pub(iso: str) -> Anchor:
    """An article whose publication day is known (as header.parse_header builds it)."""
    d = date.fromisoformat(iso)
    return Anchor(published=d, year=d.year, month=d.month)


def found(text: str) -> list[tuple[str, str]]:
    return [(p.text, p.label) for p in find_time_phrases(text)]


# --------------------------------------------------------------------- finding
FIND = [
    ("The fund shed $400 million in the past couple sessions.", [("in the past couple sessions", "past couple sessions")]),
    ("Year-to-date, the ETF is up 4%.", [("Year-to-date", "year-to-date")]),
    ("Small caps are up 3% YTD and 1% month-to-date.", [("YTD", "year-to-date"), ("month-to-date", "month-to-date")]),
    ("The index rose 9% so far this year.", [("so far this year", "year-to-date")]),
    ("Banks gained 12% thus far in 2012.", [("thus far in 2012", "year-to-date")]),
    ("It has lost a tenth since the start of this year.", [("since the start of this year", "year-to-date")]),
    ("Bonds are flat from the start of the year.", [("from the start of the year", "year-to-date")]),
    ("Over the past month, inflows averaged $5 million a day.", [("Over the past month", "past month")]),
    ("It slipped 2% in the past week and 8% over the last three months.",
     [("in the past week", "past week"), ("over the last three months", "last three months")]),
    ("Returns over the trailing 12 months beat the benchmark.", [("over the trailing 12 months", "trailing 12 months")]),
    ("It jumped 18% in the previous four days.", [("in the previous four days", "previous four days")]),
    ("Flows were strong in the past couple of weeks.", [("in the past couple of weeks", "past couple of weeks")]),
    ("The stock rose in the last 30 days.", [("in the last 30 days", "last 30 days")]),
    ("Oil fell 5% today and 2% yesterday.", [("today", "today"), ("yesterday", "yesterday")]),
    ("Emerging markets were down 1% in early trading.", [("in early trading", "today")]),
    ("Shares lost 19% at the open.", [("at the open", "at the open")]),
    ("It fell on Monday after Friday’s rally.", [("on Monday", "monday"), ("Friday’s", "friday")]),
    ("Wednesday's drop was the largest.", [("Wednesday's", "wednesday")]),
    ("Investors added $1 billion last week, and $2 billion the week prior.",
     [("last week", "last week"), ("the week prior", "week prior")]),
    ("Redemptions topped $1 billion in the week ended May 24th.", [("in the week ended May 24th", "week ended may 24")]),
    ("For the week ended Sept. 30, holders pulled $140 million.", [("For the week ended Sept. 30", "week ended sept. 30")]),
    ("In the fund-flows trading week ended Wednesday, May 8, equities lost money.",
     [("In the fund-flows trading week ended Wednesday, May 8", "week ended may 8")]),
    ("September outflows reached $900 million.", [("September", "september")]),
    ("The fund took in $1 billion in January.", [("in January", "january")]),
    ("For the third quarter, the trust lost $700 million.", [("For the third quarter", "third quarter")]),
    ("Gains in Q3 2014 and in the first quarter of 2012.",
     [("in Q3 2014", "third quarter 2014"), ("in the first quarter of 2012", "first quarter 2012")]),
    ("In 2015, the ETF fell 16%.", [("In 2015", "2015")]),
    ("Strategists see an 11% gain next year.", [("next year", "next year")]),
    ("They expect a 20% rally by Dec. 31.", [("by Dec. 31", "by dec. 31")]),
    ("The index could climb 17 percent through Dec. 31.", [("through Dec. 31", "through dec. 31")]),
    ("A correction is likely by the end of the year.", [("by the end of the year", "by year-end")]),
    ("He sees no gains for the rest of the year.", [("for the rest of the year", "rest of the year")]),
    ("The index is down 11% since July 22.", [("since July 22", "since july 22")]),
    ("The REIT fund is off 15% since its May 21 high.", [("since its May 21 high", "since may 21 high")]),
    ("It rallied 20% from its August low.", [("from its August low", "from august low")]),
    ("It has lost 70% from its February 2021 peak.", [("from its February 2021 peak", "from february 2021 peak")]),
    ("The bank ETF is up 11% in the five sessions through Tuesday.",
     [("in the five sessions through Tuesday", "five sessions through tuesday")]),
    ("It drew $2 billion in the six months through Aug. 5.", [("in the six months through Aug. 5", "six months through aug. 5")]),
    ("It took in $1 billion year to date through Aug. 31.", [("year to date through Aug. 31", "year-to-date through aug. 31")]),
    ("It has drawn $170 million so far this month through March 10.",
     [("so far this month through March 10", "month-to-date through march 10")]),
    ("Its five-year annualized return was 6% through Sept. 1.",
     [("five-year", "five years"), ("through Sept. 1", "through sept. 1")]),
    ("The fund lost $1 billion in a single day on Oct. 5.", [("in a single day on Oct. 5", "oct. 5")]),
    ("It shed $2 billion in one session on Monday.", [("in one session on Monday", "monday")]),
    ("It rose 16 percent in a month.", [("in a month", "in a month")]),
    ("A year ago, the outlook was just as rosy.", [("A year ago", "a year ago")]),
    ("The prior record was set in late February.", [("in late February", "late february")]),
    ("It lost $835 million in that month.", [("in that month", "that month")]),
    ("Peers gained $10 million over the same period.", [("over the same period", "same period")]),
    ("The week following the election was a record.", [("The week following the election", "week following the election")]),
    # must not match: clock times, maturities, averages, fund names, modal verbs, names
    ("Data as of 9:14 a.m. showed heavy selling.", []),
    ("The 200 day MA sits near the 50-day moving average.", []),
    ("Yields on 10-year Treasuries and the 30-year rate rose.", []),
    ("The fund's 12-month yield is 3.1%.", []),
    ("The iShares 20+ Year Treasury Bond ETF (TLT) hit a 52-week high.", []),
    ("Investors may want a five-year investment horizon.", []),
    ("Theresa May said markets march on.", []),
    ("Black Friday sales lifted retailers.", []),
    ("The stock has $2,015 in cash and returned 12% in 1990s terms.", []),
    ("At the same time, advisers stayed cautious.", []),
]


@pytest.mark.parametrize("text,expected", FIND, ids=[t[:40] for t, _ in FIND])
def test_find_time_phrases(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_phrases_are_sorted_disjoint_and_point_into_the_text() -> None:
    text = ("Year-to-date the fund is up 4%, but over the past month it fell 2%; in the week ended "
            "July 23 holders pulled $400 million, and since October it has lost $1 billion.")
    phrases = find_time_phrases(text)
    assert [p.label for p in phrases] == ["year-to-date", "past month", "week ended july 23", "since october"]
    for a, b in zip(phrases, phrases[1:]):
        assert a.end <= b.start
    assert all(text[p.start:p.end] == p.text for p in phrases)


@pytest.mark.parametrize("text,anaphoric", [
    ("over the same period", True), ("that month", True), ("since then", True),
    ("for the month", True), ("on the year", False), ("past month", False)])
def test_anaphoric_flag(text: str, anaphoric: bool) -> None:
    (p,) = find_time_phrases(text)
    assert p.anaphoric is anaphoric


def test_every_construction_finds_its_example() -> None:
    for c in load_constructions():
        assert c.pattern.search(c.example.lower()), (c.handler, c.example)
        assert find_time_phrases(c.example), c.example


def test_a_bad_construction_line_names_its_line(tmp_path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("// comment\n" + json.dumps({"handler": "nope", "triggers": "x", "back": 0, "pattern": "x"}) + "\n")
    with pytest.raises(ExtractorError, match=r"bad\.jsonl:2: .*handler \(one of"):
        load_constructions(bad)


@pytest.mark.parametrize("text,n", [("five", 5), ("12", 12), ("a couple of", 2), ("couple", 2), ("a few", 3),
                                    ("twenty-five", 25), ("a", 1), ("several", None)])
def test_number_words(text: str, n: int | None) -> None:
    assert number(text) == n


# --------------------------------------------------------------------- resolving
NONE = Anchor()
R = [
    # phrase, anchor, label, start, end
    ("year-to-date", pub("2017-08-18"), "year-to-date", "2016-12-30", "2017-08-17"),
    ("YTD", pub("2017-08-18"), "year-to-date", "2016-12-30", "2017-08-17"),
    ("this year", pub("2017-08-18"), "year-to-date", "2016-12-30", "2017-08-17"),
    ("since the start of 2009", pub("2009-02-20"), "since the start of 2009", "2008-12-31", "2009-02-19"),
    ("since the start of 2015", pub("2018-10-29"), "since the start of 2015", "2014-12-31", "2018-10-26"),
    ("thus far in 2012", Anchor(year=2012, month=3), "year-to-date", "2011-12-30", None),
    ("year-to-date", Anchor(year=2013), "year-to-date", "2012-12-31", None),
    ("year-to-date", NONE, "year-to-date", None, None),
    ("month-to-date", pub("2017-08-18"), "month-to-date", "2017-07-31", "2017-08-17"),
    ("this month", pub("2017-08-01"), "month-to-date", "2017-07-31", "2017-08-01"),  # first session: today
    ("so far this month through March 10", Anchor(year=2023), "month-to-date through march 10", "2023-02-28", "2023-03-10"),
    ("so far this month through March 10", NONE, "month-to-date through march 10", None, None),
    ("past month", pub("2017-08-18"), "past month", "2017-07-17", "2017-08-17"),
    ("past month", Anchor(year=2014, month=7), "past month", None, None),  # relative to an unknown day
    ("past couple sessions", pub("2017-08-18"), "past couple sessions", "2017-08-15", "2017-08-17"),
    ("previous four days", pub("2015-02-04"), "previous four days", "2015-01-28", "2015-02-03"),
    ("past week", pub("2017-08-18"), "past week", "2017-08-10", "2017-08-17"),
    ("trailing one year", pub("2017-08-18"), "trailing one year", "2016-08-17", "2017-08-17"),
    ("last 30 days", pub("2017-08-18"), "last 30 days", "2017-07-18", "2017-08-17"),  # a calendar span
    ("today", pub("2017-05-18"), "today", "2017-05-17", "2017-05-18"),
    ("in early trading", pub("2017-05-18"), "today", "2017-05-17", "2017-05-18"),
    ("today", Anchor(year=2023), "today", None, None),
    ("yesterday", pub("2011-08-05"), "yesterday", "2011-08-03", "2011-08-04"),
    ("Wednesday", pub("2015-02-04"), "wednesday", "2015-02-03", "2015-02-04"),  # the day itself counts
    ("on Monday", pub("2020-11-04"), "monday", "2020-10-30", "2020-11-02"),
    ("Thursday", pub("2009-02-20"), "thursday", "2009-02-18", "2009-02-19"),
    ("this week", pub("2020-11-04"), "this week", "2020-10-30", "2020-11-03"),
    ("last week", pub("2009-12-14"), "last week", "2009-12-04", "2009-12-11"),
    ("the week prior", pub("2009-12-14"), "week prior", "2009-12-04", "2009-12-11"),
    ("last month", pub("2009-12-14"), "last month", "2009-10-30", "2009-11-30"),
    ("last year", pub("2009-12-14"), "last year", "2007-12-31", "2008-12-31"),
    ("week ended May 24th", Anchor(year=2017), "week ended 2017-05-24", "2017-05-17", "2017-05-24"),
    ("week ended May 24th", NONE, "week ended may 24", None, None),
    ("week ending July 23", Anchor(year=2014, month=7), "week ended 2014-07-23", "2014-07-16", "2014-07-23"),
    ("the week ended Wednesday, May 8", Anchor(year=2019), "week ended 2019-05-08", "2019-05-01", "2019-05-08"),
    ("For the week ended Sept. 30", Anchor(year=2014, month=10), "week ended 2014-09-30", "2014-09-23", "2014-09-30"),
    ("September", Anchor(year=2014, month=10), "september", "2014-08-29", "2014-09-30"),
    ("in January", pub("2015-02-04"), "january", "2014-12-31", "2015-01-30"),
    ("in December", pub("2015-02-04"), "december", "2014-11-28", "2014-12-31"),  # after the anchor month: last year
    ("for the month of September", Anchor(year=2014, month=10), "september", "2014-08-29", "2014-09-30"),
    ("late February", pub("2020-11-04"), "late february", None, None),
    ("the third quarter", Anchor(year=2014, month=10), "third quarter", "2014-06-30", "2014-09-30"),
    ("Q3", Anchor(year=2014), "third quarter", "2014-06-30", "2014-09-30"),
    ("the fourth quarter", pub("2015-02-04"), "fourth quarter", "2014-09-30", "2014-12-31"),
    ("in 2015", NONE, "2015", "2014-12-31", "2015-12-31"),  # explicit years need no anchor
    ("next year", pub("2009-12-14"), "next year", "2009-12-31", "2010-12-31"),
    ("by Dec. 31", pub("2008-11-10"), "by dec. 31", "2008-11-07", "2008-12-31"),
    ("through Dec. 31", pub("2011-08-05"), "through dec. 31", "2011-08-04", "2011-12-30"),
    ("by year-end", pub("2008-11-10"), "by year-end", "2008-11-07", "2008-12-31"),
    ("rest of the year", pub("2017-05-26"), "rest of the year", "2017-05-25", "2017-12-29"),
    ("since July 22", pub("2011-08-05"), "since july 22", "2011-07-21", "2011-08-04"),
    ("since Sept. 4", pub("2018-09-14"), "since sept. 4", "2018-08-31", "2018-09-13"),  # Labor Day before
    ("since its May 21 high", Anchor(year=2013, month=8), "since may 21 high", "2013-05-20", None),
    ("since October", pub("2015-02-04"), "since october", "2014-09-30", "2015-02-03"),
    ("from its August low", pub("2011-08-05"), "from august low", None, None),
    ("in the five sessions through Tuesday", pub("2016-11-16"), "five sessions through tuesday", "2016-11-08", "2016-11-15"),
    ("six months through Aug. 5", Anchor(year=2022), "six months through aug. 5", "2022-02-04", "2022-08-05"),
    ("year to date through Aug. 31", Anchor(year=2022), "year-to-date through aug. 31", "2021-12-31", "2022-08-31"),
    ("on Oct. 5", Anchor(year=2023), "oct. 5", "2023-10-04", "2023-10-05"),
    ("Oct. 5", NONE, "oct. 5", None, None),
    ("a year ago", pub("2011-08-05"), "a year ago", None, None),
    ("in a month", pub("2017-05-26"), "in a month", None, None),
    ("at the open", pub("2023-03-13"), "at the open", "2023-03-10", "2023-03-13"),
    ("over the same period", pub("2018-09-14"), "same period", None, None),
    ("five-year annualized return", pub("2022-09-10"), "five years", "2017-09-08", "2022-09-09"),
    ("next 12 months", pub("2024-06-03"), "next 12 months", "2024-05-31", "2025-05-30"),
    ("not a time at all", pub("2024-06-03"), "not a time at all", None, None),
    # holidays: windows end on the last session on or before the day
    ("week ended April 18, 2014", NONE, "week ended 2014-04-18", "2014-04-11", "2014-04-17"),  # Good Friday
    ("week ended July 4", Anchor(year=2014), "week ended 2014-07-04", "2014-06-27", "2014-07-03"),
    ("week ended Sept. 14, 2001", NONE, "week ended 2001-09-14", "2001-09-07", "2001-09-10"),  # closed after 9/11
    ("since Oct. 29", pub("2012-11-02"), "since oct. 29", "2012-10-26", "2012-11-01"),  # closed for Sandy
    ("in November", pub("2012-12-03"), "november", "2012-10-31", "2012-11-30"),
    ("yesterday", pub("2024-12-26"), "yesterday", "2024-12-23", "2024-12-24"),  # Christmas
    # past the calendar's end: weekdays stand in for sessions
    ("in 2045", NONE, "2045", "2044-12-30", "2045-12-29"),
]


@pytest.mark.parametrize("phrase,anchor,label,start,end", R, ids=[f"{r[0]}@{r[1].published or r[1].year}" for r in R])
def test_resolve(phrase: str, anchor: Anchor, label: str, start: str | None, end: str | None) -> None:
    w = resolve(phrase, anchor)
    assert (w.label, w.start, w.end) == (label, start and date.fromisoformat(start), end and date.fromisoformat(end))


def test_resolve_copies_the_span_of_a_time_phrase() -> None:
    text = "The fund is up 3% over the past month."
    (p,) = find_time_phrases(text)
    assert resolve(p, pub("2017-08-18")) == Window("past month", date(2017, 7, 17), date(2017, 8, 17), p.start, p.end)
    assert resolve(p, None) == Window("past month", None, None, p.start, p.end)


def test_a_hand_made_time_phrase_is_parsed_from_its_text() -> None:
    assert resolve(TimePhrase(4, 14, "past month", "past month"), pub("2017-08-18")) == Window(
        "past month", date(2017, 7, 17), date(2017, 8, 17), 4, 14)
    assert resolve(TimePhrase(0, 8, "whenever", "whenever"), pub("2020-01-06")) == Window("whenever", None, None, 0, 8)


@pytest.mark.parametrize("phrase,start,end", [
    ("this year", "2014-12-31", "2015-12-31"), ("in 2015", "2014-12-31", "2015-12-31"),
    ("this month", "2015-05-29", "2015-06-30")])
def test_forecast_reads_a_running_period_whole(phrase: str, start: str, end: str) -> None:
    w = resolve(phrase, pub("2015-06-10"), forecast=True)
    assert (w.start, w.end) == (date.fromisoformat(start), date.fromisoformat(end))


def test_a_running_period_ends_at_as_of_for_reported_figures() -> None:
    w = resolve("in 2015", pub("2015-06-10"))
    assert (w.start, w.end) == (date(2014, 12, 31), date(2015, 6, 9))


def test_session_helpers() -> None:
    assert as_of(date(2017, 8, 21)) == date(2017, 8, 18)  # Monday -> Friday
    assert on_or_before(date(2016, 12, 25)) == date(2016, 12, 23)
    assert shift(date(2017, 8, 17), -2) == date(2017, 8, 15)
    assert on_or_before(date(1985, 1, 2)) is None  # before the calendar
    assert sessions_calendar() is sessions_calendar()


# --------------------------------------------------------------------- spaCy
def test_component_writes_timex_spans() -> None:
    extensions.register()
    nlp = spacy.blank("en")
    nlp.add_pipe("extractor_timex")
    doc = nlp("IWM lost $700 million in the past couple sessions and is up 2.7% year-to-date.")
    spans = doc.spans[extensions.TIMEX]
    assert [s.text for s in spans] == ["in the past couple sessions", "year-to-date"]
    assert [s._.x_time.label for s in spans] == ["past couple sessions", "year-to-date"]


def test_a_year_before_1950_is_a_period_not_a_number():
    """Historical statistics ("the worst day in 1931") name years before the data starts:
    they are still the claim's period, so a later year in the sentence does not take over."""
    f = extractor.extract("The Dow has gained on the day after the holiday 55% of the time: its best day was "
                          "in 2002, up 3.6%, and its worst in 1931, down 4.5%.", published=date(2010, 7, 3))
    got = {r.value_pct: r.window.label for r in f.returns}
    assert got == {3.6: "2002", -4.5: "1931"}


@pytest.mark.parametrize("top, day", [
    ("After a December to Forget\n\nBy A. Writer\nDec. 29, 2018 8:00 am ET\n\n", date(2018, 12, 29)),
    ("Decay Eats Your Returns\n\nJul. 08, 2022 10:31 AM ET | ProShares UltraPro QQQ (TQQQ)\n\n", date(2022, 7, 8)),
    ("Bank ETFs see demand\nPublished Mar 31, 2023 12:56PM ET\n\n", date(2023, 3, 31)),
    ("Gilts slide\n\nUpdated: Friday, 6 May 2016\n\n", date(2016, 5, 6)),
])
def test_a_dateline_under_the_headline_is_the_publication_day(top, day):
    from extractor.header import parse_header

    h = parse_header(top + "The S&P 500 fell 1% on Friday, its third loss since March 3, 2017.\n")
    assert h.published == day


def test_a_date_in_the_headline_or_the_prose_is_not_a_dateline():
    from extractor.header import parse_header

    assert parse_header("Stocks since March 3, 2017: a review\n\nThe S&P 500 rose 1% on Friday.\n").published is None
    assert parse_header("Dec. 24, 2018 marked the low\n\nStocks rallied.\n").published is None
    assert parse_header("A big day\n\n10/12/2019 was a big day for stocks.\n").published is None
    # the header line wins, and a URL's month must agree with a dateline
    assert parse_header("date 2019-01-02\nJan. 5, 2019\n\nText.\n").published == date(2019, 1, 2)
    assert parse_header("source https://example.com/2019/03/x\nJan. 5, 2019\n\nText.\n").published is None


def test_a_dateline_resolves_the_windows_of_a_dropped_article():
    f = extractor.extract("Small caps slide\nAug. 18, 2017 4:30 pm ET\n\nIWM is up just 2.7 percent year-to-date.")
    (r,) = f.returns
    assert (r.window.start, r.window.end) == (date(2016, 12, 30), date(2017, 8, 18))


@pytest.mark.parametrize("sentence, start", [
    ("The Nasdaq Composite slid into a bear market and now sits 21.3% below its Aug. 29 record close.",
     date(2018, 8, 29)),
    ("The S&P 500 has now fallen 7.8 percent from its record close on Aug. 29.", date(2018, 8, 29)),
])
def test_a_distance_from_a_dated_extreme_runs_from_that_close(sentence, start):
    f = extractor.extract(sentence, published=date(2018, 12, 28))
    (r,) = f.returns
    assert (r.window.start, r.window.end) == (start, date(2018, 12, 27))


def test_a_span_that_measured_one_move_does_not_frame_the_next_claims():
    f = extractor.extract("The S&P 500 slumped 11 percent in three days. The Russell 2000 slumped 8.9 percent, "
                          "entering a bear market.", published=date(2011, 8, 8))
    rut = next(r for r in f.returns if r.ticker == "^RUT")
    assert rut.window.label != "in three days"


def test_a_wire_dateline_is_not_a_claims_window():
    f = extractor.extract("NEW YORK, Feb 6 (Reuters) - The SPDR S&P 500 ETF Trust (SPY) saw redemptions of "
                          "$5.37 billion, Lipper said.", published=date(2014, 2, 6))
    (fl,) = f.flows
    assert "feb" not in (fl.window.label or "")


def test_a_range_between_two_closes_starts_at_the_first_close():
    f = extractor.extract("From the close on June 23 to the close on Oct. 20, the Direxion Daily Small Cap Bull "
                          "3X Shares (TNA) sank 14.8%.", published=date(2015, 10, 22))
    (r,) = f.returns
    assert (r.window.start, r.window.end) == (date(2015, 6, 23), date(2015, 10, 20))


@pytest.mark.parametrize("top, day", [
    ("Third-Quarter Review\n\nBy Celia Roe | 10-08-14\n\n", date(2014, 10, 8)),
    ("Gold rallies\n\nBy A. Writer, Dec. 29, 2018\n\n", date(2018, 12, 29)),
])
def test_a_byline_with_its_date_is_a_dateline(top, day):
    from extractor.header import parse_header

    assert parse_header(top + "The S&P 500 gained 1.1% in the third quarter.\n").published == day


def test_an_average_monthly_return_is_no_current_month():
    f = extractor.extract("The SPDR S&P 500 ETF (SPY) has an average monthly return of 1.2%.",
                          published=date(2019, 6, 14))
    assert all(r.window.label != "month-to-date" for r in f.returns)


def test_without_a_publication_day_a_past_performance_date_is_no_as_of():
    f = extractor.extract("Funds\n\nThe fund's performance through Dec. 31, 2008 was awful. SPY is up 5% year to date.")
    assert f.article.anchor.asof is None


def test_bullets_under_a_heading_that_names_the_week_take_the_week_not_the_bullet_before():
    import extractor

    f = extractor.extract("Weekly Market Recap\n\nWeek ending August 20, 2021\n\nMarket snapshot (weekly change)\n\n"
                          "- The S&P 500 fell 0.6% for the week. Month to date, the index is up 1.5%.\n"
                          "- The Dow Jones Industrial Average lost 1.1%.\n", published=date(2021, 8, 20))
    dow = next(r for r in f.returns if r.ticker == "^DJI")
    assert (dow.window.start, dow.window.end) == (date(2021, 8, 13), date(2021, 8, 20))


def test_for_the_week_is_the_calendar_week_not_a_streak_named_before():
    import extractor

    f = extractor.extract("Weekly recap\n\nThe S&P 500 fell 0.6%, snapping a two-week winning streak. The Energy "
                          "Select Sector SPDR Fund (XLE) tumbled 6.6% for the week.", published=date(2021, 8, 20))
    xle = next(r for r in f.returns if r.ticker == "XLE")
    assert xle.window.start == date(2021, 8, 13) and "two" not in xle.window.label  # this week, not two


def test_a_period_describing_reported_sales_is_not_the_moves_window():
    import extractor

    f = extractor.extract("Stocks rose on Tuesday. General Motors climbed 2.4% after reporting a rise in "
                          "third-quarter U.S. sales.", published=date(2018, 10, 2))
    gm = next(r for r in f.returns if r.ticker == "GM")
    assert (gm.window.start, gm.window.end) == (date(2018, 10, 1), date(2018, 10, 2))


def test_figures_listed_before_their_period_all_take_it():
    import extractor

    f = extractor.extract("Tesla (TSLA) has shed 29% since its January high. Meanwhile the Vanguard Value ETF (VTV) "
                          "and the iShares Russell 1000 Value ETF (IWD) are up 14.2% and 15.6% this year, "
                          "respectively.", published=date(2021, 5, 12))
    labels = {r.ticker: r.window.label for r in f.returns}
    assert labels["VTV"] == labels["IWD"] != labels["TSLA"]
