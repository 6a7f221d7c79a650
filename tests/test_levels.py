"""Index and price levels: found in sentences we wrote in the style of market wraps
(rules/levels.py), and checked against the closes of ../shared/market-data with the
verdicts computed here by hand (kinds/levels.py), end to end through the CLI."""
import json
import time
from datetime import date

import pytest
from click.testing import CliRunner

from extractor import extract
from extractor.cli import cli
from extractor.kinds.levels import LevelClaim, check_level
from extractor.market import Market, import_paths
from extractor.pipeline import _make_doc, article_from_text, default_nlp
from extractor.references import build_refs
from extractor.rules.levels import LevelHit, iter_levels
from extractor.rules.vocab import load_vocab
from extractor.store import open_db

from conftest import shared_path

PUBLISHED = date(2019, 5, 3)


def read(body: str):
    """(text, doc, refs, body_start) built the way the pipeline builds them."""
    art = article_from_text(f"date {PUBLISHED.isoformat()}\n\n" + body)
    nlp = default_nlp()
    doc = nlp(_make_doc(nlp, art))
    refs, _ = build_refs(doc, art.body_start)
    return art, doc, refs


def levels(body: str) -> tuple[str, list[LevelHit]]:
    art, doc, refs = read(body)
    return art.text, list(iter_levels(doc, refs, art.body_start))


# ------------------------------------------------------------------ levels

# body -> [(ticker, number as written, value, decimals, unit, change, change_decimals, intraday, record)]
LEVELS = [
    # a dash aside after the level; a level written with its unit
    ("The Standard & Poor's 500 Index gained 29.72 points, or 3.39 percent, to 907.24 -- its best day in weeks.",
     [("^GSPC", "907.24", 907.24, 2, "points", 29.72, 2, False, False)]),
    ("The S&P 500 fell by 9.48 points, or 1.20 percent, to 778.94 points.",
     [("^GSPC", "778.94", 778.94, 2, "points", -9.48, 2, False, False)]),
    # a modal in an earlier clause is not the level's ("would be right as ... and the index sank to")
    ("Few thought forecasters would be proved right as the year began and the S&P 500 sank to 676.53 in March.",
     [("^GSPC", "676.53", 676.53, 2, "points", None, None, False, False)]),
    ("The S&P 500 rose 21.40 points, or 0.5%, to 4,118.62, while the Dow Jones Industrial Average fell 0.6%, "
     "or 150.89 points, to 26,077.03.",
     [("^GSPC", "4,118.62", 4118.62, 2, "points", 21.40, 2, False, False),
      ("^DJI", "26,077.03", 26077.03, 2, "points", -150.89, 2, False, False)]),
    ("The Nasdaq Composite closed at 7,891.78 and the Russell 2000 ended the day at 1,512.30.",
     [("^IXIC", "7,891.78", 7891.78, 2, "points", None, None, False, False),
      ("^RUT", "1,512.30", 1512.30, 2, "points", None, None, False, False)]),
    ("GLD ended at $118.52 on volume of 9.1 million shares.",
     [("GLD", "$118.52", 118.52, 2, "USD", None, None, False, False)]),
    # a percent move is a return, not a change
    ("Apple shares closed at $41.07, up 3%.", [("AAPL", "$41.07", 41.07, 2, "USD", None, None, False, False)]),
    ("SPY closed up 1% at $280.71.", [("SPY", "$280.71", 280.71, 2, "USD", None, None, False, False)]),
    ("Shares of SPY finished at 281.15 after a late rally.",
     [("SPY", "281.15", 281.15, 2, "USD", None, None, False, False)]),  # no $, but a fund: dollars
    ("The S&P 500 gained 1% on Tuesday. The index hit a record 2,130.82.",
     [("^GSPC", "2,130.82", 2130.82, 2, "points", None, None, False, True)]),
    ("The S&P 500 rallied on Friday. The benchmark finished 12 points higher at 2,850.10.",
     [("^GSPC", "2,850.10", 2850.10, 2, "points", 12.0, 0, False, False)]),
    ("The Dow shed 300 points to close at 24,100.5.",
     [("^DJI", "24,100.5", 24100.5, 1, "points", -300.0, 0, False, False)]),
    ("SPY fell $1.20, or 0.4%, to $280.71. QQQ closed at $180.50, down $2.10.",
     [("SPY", "$280.71", 280.71, 2, "USD", -1.2, 2, False, False),
      ("QQQ", "$180.50", 180.50, 2, "USD", -2.1, 2, False, False)]),
    ("The Russell 2000 index ended at 1,512.30, up 15.12 points.",
     [("^RUT", "1,512.30", 1512.30, 2, "points", 15.12, 2, False, False)]),
    ("The S&P 500 dropped 5% to 2,750 from 2,900.", [("^GSPC", "2,750", 2750.0, 0, "points", None, None, False, False)]),
    ("The Dow Jones Industrial Average tumbled 2.1%, or 545.91 points, to close at 25,538.46, its lowest close "
     "since June 7, while the S&P 500 fell 1.4% to 2,782.49.",
     [("^DJI", "25,538.46", 25538.46, 2, "points", -545.91, 2, False, False),
      ("^GSPC", "2,782.49", 2782.49, 2, "points", None, None, False, False)]),
    # "meanwhile" is an adverb, not a new clause; a semicolon is
    ("The S&P 500 fell 0.3% to 2,870.72; the Dow, meanwhile, added 0.2% to 25,883.25.",
     [("^GSPC", "2,870.72", 2870.72, 2, "points", None, None, False, False),
      ("^DJI", "25,883.25", 25883.25, 2, "points", None, None, False, False)]),
    # an aside after the subject does not lend it its ticker
    ("SPY, which tracks the S&P 500, closed at $280.71.", [("SPY", "$280.71", 280.71, 2, "USD", None, None, False, False)]),
    # the sentence opens with the number's clause: the ticker right after it
    ("Closing at 2,905.03, the S&P 500 posted its best week since June.",
     [("^GSPC", "2,905.03", 2905.03, 2, "points", None, None, False, False)]),
    ("In the first quarter, the S&P 500 returned 13%, closing March at 2,834.40.",
     [("^GSPC", "2,834.40", 2834.40, 2, "points", None, None, False, False)]),
    ("The tech-heavy Nasdaq Composite rose 1.7% to 7,153.88.",
     [("^IXIC", "7,153.88", 7153.88, 2, "points", None, None, False, False)]),
    ("Treasury yields rose, and TLT fell to $120.15.", [("TLT", "$120.15", 120.15, 2, "USD", None, None, False, False)]),
    # "gave up" is a fall, though it ends in "up"; a bare change beside its percent
    ("The Russell 2000 index of smaller-company stocks gave up 25.16 points, or 2 percent, to 1,266.92.",
     [("^RUT", "1,266.92", 1266.92, 2, "points", -25.16, 2, False, False)]),
    ("The S&P 500 fell 37.18, or 3.2 percent, to 1,129.58.",
     [("^GSPC", "1,129.58", 1129.58, 2, "points", -37.18, 2, False, False)]),
    ("The Dow Jones Industrial Average closed at 26,077 on Friday.",
     [("^DJI", "26,077", 26077.0, 0, "points", None, None, False, False)]),
]

# intraday levels and records
FLAGGED = [
    ("The S&P 500 touched an intraday high of 2,940.91 before closing at 2,905.03.",
     [("^GSPC", "2,940.91", 2940.91, 2, "points", None, None, True, False),
      ("^GSPC", "2,905.03", 2905.03, 2, "points", None, None, False, False)]),
    ("At one point, the Dow was up 300 points at 26,400.", [("^DJI", "26,400", 26400.0, 0, "points", 300.0, 0, True, False)]),
    ("The Dow was up 310 points at 26,410.12 in early trading.",
     [("^DJI", "26,410.12", 26410.12, 2, "points", 310.0, 0, True, False)]),
    ("The Nasdaq Composite rose as high as 8,176.08 earlier in the session.",
     [("^IXIC", "8,176.08", 8176.08, 2, "points", None, None, True, False)]),
    ("The Dow rose to a record high of 26,951.81 on Thursday.",
     [("^DJI", "26,951.81", 26951.81, 2, "points", None, None, False, True)]),
    ("The S&P 500 closed at 2,930.75, a record.", [("^GSPC", "2,930.75", 2930.75, 2, "points", None, None, False, True)]),
    ("QQQ hit an all-time high of $190.42 in morning trading.",
     [("QQQ", "$190.42", 190.42, 2, "USD", None, None, True, True)]),
    # each ticker's own stretch of the clause: "midday" is both's, "as much as" is silver's
    ("By midday, stocks were at records, with the S&P 500 up 0.1% at 2,479.12 and the Nasdaq Composite climbing "
     "0.3% at 6,430.05.",
     [("^GSPC", "2,479.12", 2479.12, 2, "points", None, None, True, False),
      ("^IXIC", "6,430.05", 6430.05, 2, "points", None, None, False, False)]),
    ("Spot silver gained as much as 5% and SLV rose 2.3% to $14.48.",
     [("SLV", "$14.48", 14.48, 2, "USD", None, None, False, False)]),
]


def _rows(text: str, hits: list[LevelHit]) -> list[tuple]:
    return [(h.ticker, text[h.number_start:h.number_end], h.value, h.decimals, h.unit, h.change, h.change_decimals,
             h.intraday, h.record) for h in hits]


@pytest.mark.parametrize("body, expected", LEVELS + FLAGGED)
def test_levels_in_market_wraps(body, expected):
    text, hits = levels(body)
    assert _rows(text, hits) == expected


def test_a_level_reads_its_evidence_from_the_ticker_to_the_number():
    text, hits = levels("Stocks rose. The Dow shed 300 points to close at 24,100.5 on Monday.")
    (h,) = hits
    assert text[h.start:h.end] == "The Dow shed 300 points to close at 24,100.5"
    text, hits = levels("Closing at 2,905.03, the S&P 500 posted its best week since June.")
    assert text[hits[0].start:hits[0].end] == "2,905.03, the S&P 500"


NOT_LEVELS = [
    "The S&P 500 rose 2% on Monday.",                                       # a return
    "The Dow rose 200 points.",                                             # the change itself
    "The gauge climbed 0.9% to 2,780 points. The S&P 500 gained 20 points.",
    "Investors pulled $1.2 billion from SPY, cutting its assets to $250 billion.",  # assets, a dollar amount
    "The Dow has risen every year from 2009 to 2019.",                      # years
    "Volume in SPY rose to 3 million shares.",                              # a volume
    "The 10-year yield rose to 2.9%. TLT's yield climbed to 2.95 percent.",  # yields
    "The S&P 500 is trading at 18 times earnings.",
    "Example Capital raised its target for the S&P 500 to 3,100.",         # a target
    "The S&P 500 could reach 3,000 this summer.",                           # forecasts
    "Analysts expect the S&P 500 to end the year at 3,100.",
    "If the S&P 500 closes at 3,000, it will be a record.",
    "The S&P 500 would have closed at 2,950 without the late selloff.",
    "The S&P 500 found support at 2,800.",                                  # support, moving average
    "The S&P 500 remains above its 200-day moving average at 2,750.",
    "IWM's 50-day moving average is at $150.",
    "The S&P 500 is now 5% below its record of 2,940.91.",                  # an old record
    "The S&P 500 ended at about 2,900.",                                    # not exact
    "S&P 500 futures rose to 2,910.50.",                                    # another instrument
    "Energy stocks in the S&P 500 rose 2% to 510.12.",
    "The S&P 500 rose 1% and oil settled at $60.10.",                       # a new subject
    "The S&P 500 rose 1%, while gold ended at $1,310.40.",
    "Oil rose to $63.10, lifting SPY.",                                     # the ticker after the number
    "The S&P 500 traded between 2,800 and 2,900 last week.",
    "The S&P 500 opened at 10 a.m. sharp.",                                 # a time
    "The S&P 500 and the Dow rose 1.1% and 0.9% to 2,945.83 and 26,504.95, respectively.",
    "The VIX has stayed within the 15 to 20 range.",                       # ranges
    "Apple shares traded in a range of $180.25 to $185.50.",
    "SPY started the year at $250.10.",                                     # another day's price
    "For the Dow, the index closed below its 200-day average today (at 25,584.95), but above last week's low.",
    "The average of 10 projections puts the S&P 500 at 3,000.",
    "He cut his S&P 500 prediction by 10 percent to 2,500.",
]


@pytest.mark.parametrize("body", NOT_LEVELS)
def test_numbers_that_are_no_levels(body):
    assert levels(body)[1] == []


def test_a_sentence_of_thousands_of_numbers_is_read_in_linear_time():
    """A table run together into one sentence: every test reads only a number's
    neighbourhood (quadratic scans took over a minute here)."""
    art, doc, refs = read("SPY rose, " + "the S&P 500 to 2,900.10, " * 2000)
    began = time.perf_counter()
    assert list(iter_levels(doc, refs, art.body_start)) and time.perf_counter() - began < 10


def test_the_vocabulary_loads():
    assert "closed at" in load_vocab("levels")["level_cue"]


# ------------------------------------------------------------------ checks on real closes

@pytest.fixture(scope="module")
def market(tmp_path_factory) -> Market:
    path = tmp_path_factory.mktemp("kinds") / "prices.db"
    db = open_db(path)
    assert not [r for r in import_paths(db, [shared_path("market-data")]) if r.error or r.bad]
    yield Market(db)
    db.close()


def level(ticker, value, session, *, decimals=2, change=None, change_decimals=2, source="claim", intraday=False,
          period_start=None):
    return LevelClaim("levels", 1, "a", ticker, value, "points", decimals, change, change_decimals,
                      session, source, intraday, period_start=period_start)


def test_an_index_level_and_its_point_change_against_the_close(market):
    # ^GSPC closed at 2,892.74 on 2019-04-05, 2,879.39 the session before: +13.35
    ok = check_level(level("^GSPC", 2892.74, date(2019, 4, 5), change=13.35), market)
    assert (ok.verdict, ok.reading, ok.basis, ok.actual) == ("confirmed", "exact", "close", 2892.74)
    assert ok.start_date == "2019-04-04" and ok.tolerance == pytest.approx(0.005)
    off = check_level(level("^GSPC", 2895.10, date(2019, 4, 5)), market)
    assert off.verdict == "contradicted"
    assert off.reason == "^GSPC closed at 2,892.74 on 2019-04-05, not 2,895.10 (±0.005)"
    wrong_move = check_level(level("^GSPC", 2892.74, date(2019, 4, 5), change=-13.35), market)
    assert wrong_move.verdict == "contradicted" and "changed +13.35" in wrong_move.reason
    # "2,893" as written: half a point either way
    assert check_level(level("^GSPC", 2893, date(2019, 4, 5), decimals=0), market).verdict == "confirmed"


def test_an_intraday_level_against_the_sessions_range(market):
    # 2019-04-05: low 2,882.99, high 2,893.24
    assert check_level(level("^GSPC", 2893.24, date(2019, 4, 5), intraday=True), market).verdict == "confirmed"
    high = check_level(level("^GSPC", 2900.0, date(2019, 4, 5), intraday=True), market)
    assert high.verdict == "contradicted" and high.basis == "high_low"


def test_a_price_across_a_split_is_read_as_traded(market):
    # TNA split 2-for-1 on 2017-05-01: 108.69 on 2017-04-28, 55.19 on 2017-05-01
    before = check_level(level("TNA", 108.69, date(2017, 4, 28)), market)
    assert before.verdict == "confirmed"
    adjusted = check_level(level("TNA", 54.35, date(2017, 4, 28)), market)  # a split-adjusted figure
    assert adjusted.verdict == "contradicted"
    # the day of the split: +0.845 on the close before counted in new shares (108.69 / 2)
    after = check_level(level("TNA", 55.19, date(2017, 5, 1), change=0.8, change_decimals=1), market)
    assert after.verdict == "confirmed", after.reason


def test_a_session_inferred_from_the_as_of_tries_the_sessions_either_side(market):
    # an article dated Saturday 2019-04-06 whose as-of is read as Monday's: Friday's close
    shifted = check_level(level("^GSPC", 2892.74, date(2019, 4, 8), source="article"), market)
    assert shifted.verdict == "confirmed" and shifted.reading == "the session before the article's as-of"
    stated = check_level(level("^GSPC", 2892.74, date(2019, 4, 8), source="claim"), market)
    assert stated.verdict == "contradicted"


def test_a_level_reached_within_a_period_is_checked_on_its_range(market):
    # ^IXIC in January 2019 (after the close of 2018-12-31): low 6,457.13, high 7,303.12
    january = dict(session=date(2019, 1, 31), decimals=0, period_start=date(2018, 12, 31))
    hit = check_level(level("^IXIC", 7300, **january), market)
    assert (hit.verdict, hit.reading, hit.accept_high) == ("confirmed", "reached within the period", 7303.12)
    never = check_level(level("^IXIC", 7500, **january), market)
    assert never.verdict == "contradicted" and "never at 7,500" in never.reason
    borrowed = check_level(level("^IXIC", 7500, **january, source="paragraph"), market)
    assert borrowed.verdict == "unverifiable" and "window uncertain" in borrowed.reason


def test_a_level_the_data_lacks_is_unverifiable_with_the_reason(market):
    none = check_level(level("AAPL", 150.0, date(2019, 4, 5)), market)
    assert none.verdict == "unverifiable" and "no prices for AAPL" in none.reason
    holiday = check_level(level("^GSPC", 2892.74, date(2019, 4, 19)), market)  # Good Friday
    assert holiday.verdict == "unverifiable" and "no row that day" in holiday.reason
    undated = check_level(level("^GSPC", 2892.74, None), market)
    assert undated.verdict == "unverifiable" and "no session" in undated.reason


# ------------------------------------------------------------------ end to end

WRAP = """date 2019-04-05

Stocks end the week higher

U.S. stocks closed higher on Friday. The S&P 500 rose 13.35 points, or 0.5%, to 2,892.74, and the Dow \
Jones Industrial Average gained 40.36 points, or 0.2%, to 26,424.99. The Nasdaq Composite added 46.91 \
points to finish at 7,938.69.

Small caps did better: the Russell 2000 climbed 1% to 1,582.56. The SPDR S&P 500 ETF (SPY) ended at \
$288.57, while the SPDR Gold Shares (GLD) slipped to $121.98. The Dow Jones Transportation Average \
rose to 10,123.45. The Nasdaq Composite had touched 7,300 in January.
"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_wrap_is_extracted_stored_and_checked(tmp_path):
    """Our own end-of-day wrap with the real closes of 2019-04-05: every level and point
    change confirmed, none contradicted; a level the data lacks is unverifiable, with why."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "wrap.txt").write_text(WRAP, encoding="utf-8")
    db = tmp_path / "claims.db"
    assert run("prices", "import", shared_path("market-data"), "--db", db).exit_code == 0
    result = run("ingest", corpus, "--db", db)
    assert result.exit_code == 0, result.output
    assert "levels" in result.output
    found = run("query", "SELECT ticker, value, change, verdict FROM claims WHERE claim_type = 'level' "
                "ORDER BY value", "--db", db, "--format", "json")
    assert [tuple(r.values()) for r in json.loads(found.output)] == [
        ("GLD", 121.98, None, "confirmed"), ("SPY", 288.57, None, "confirmed"),
        ("^RUT", 1582.56, None, "confirmed"), ("^GSPC", 2892.74, 13.35, "confirmed"),
        ("^IXIC", 7300.0, None, "confirmed"), ("^IXIC", 7938.69, 46.91, "confirmed"), ("^DJT", 10123.45, None, "unverifiable"),
        ("^DJI", 26424.99, 40.36, "confirmed")]
    why = run("query", "SELECT verdict_reason FROM claims WHERE ticker = '^DJT'", "--db", db, "--format", "csv")
    assert "no prices for ^DJT in the database" in why.output


def test_the_readable_table_shows_levels_with_their_session(tmp_path):
    (tmp_path / "wrap.txt").write_text(WRAP, encoding="utf-8")
    result = run("extract", tmp_path / "wrap.txt", "--format", "table")
    assert result.exit_code == 0, result.output
    section = result.output.split("\nlevels:\n", 1)[1].split("\n\n", 1)[0]
    row = next(line for line in section.splitlines() if line.startswith("SPY"))
    cells = row.split()
    assert cells[1] == "288.57" and "2019-04-05" in cells and "$288.57" in row  # value, session, evidence


def test_an_edited_level_makes_its_verdict_stale():
    """The cross-check skips a claim whose fingerprint did not move: a reviewer's new
    value, session or period, or new prices (the context), must move it."""
    base = level("^GSPC", 2892.74, date(2019, 4, 5))
    assert base.fingerprint("prices-1") == level("^GSPC", 2892.74, date(2019, 4, 5)).fingerprint("prices-1")
    for other in (level("^GSPC", 2892.75, date(2019, 4, 5)), level("^GSPC", 2892.74, date(2019, 4, 4)),
                  level("^GSPC", 2892.74, date(2019, 4, 5), period_start=date(2019, 3, 29))):
        assert other.fingerprint("prices-1") != base.fingerprint("prices-1")
    assert base.fingerprint("prices-2") != base.fingerprint("prices-1")


def test_a_reviewers_level_edits_and_adds(tmp_path):
    """A unit is read in any case; a price is above 0; a session a reviewer sets is theirs
    (sure enough to call the level false); an added level gets its unit and the as-of."""
    from extractor import review
    from extractor.store import write_article

    from conftest import facts_for

    text = "date 2019-04-05\n\nSPY closed at $288.57 on Friday.\n"
    db = open_db(tmp_path / "claims.db")
    write_article(db, facts_for(text, levels=[("SPY closed at $288.57", "SPY", 288.57)]))
    assert review.coerce("levels", "unit", "usd") == "USD"
    with pytest.raises(review.ReviewError, match="a number above 0"):
        review.coerce("levels", "value", "0")
    (fid,) = db.execute("SELECT id FROM levels").fetchone()
    review.edit(db, "levels", fid, {"session": "2019-04-04"})
    assert db.execute("SELECT session, session_source FROM levels").fetchone() == ("2019-04-04", "reviewer")
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    added = review.add(db, aid, "levels", text.index("SPY"), text.index(" on Friday"), {"ticker": "^GSPC", "value": "2892.74"})
    row = db.execute("SELECT unit, decimals, session, session_source FROM levels WHERE id = ?", [added.fact_id]).fetchone()
    assert row == ("points", 2, "2019-04-05", "article")


def test_missing_prices_on_the_session_make_a_level_unverifiable(tmp_path):
    db = open_db(tmp_path / "p.db")
    db.execute("INSERT INTO prices (symbol, date, close, adj_close, high, low) VALUES "
               "('X', '2019-04-04', 100, 100, 101, 99), ('X', '2019-04-05', NULL, NULL, NULL, NULL)")
    db.conn.commit()
    market = Market(db)
    closed = check_level(level("X", 100, date(2019, 4, 5)), market)
    assert (closed.verdict, closed.reason) == ("unverifiable", "the prices of X have no close on 2019-04-05")
    ranged = check_level(level("X", 100, date(2019, 4, 5), intraday=True), market)
    assert (ranged.verdict, ranged.reason) == ("unverifiable", "the prices of X have no high and low on 2019-04-05")


def test_a_levels_time_phrase_sets_what_it_is_checked_on(market):
    """Over several sessions: "sank to ... in December" is some day of that past month (its
    range), "ended March at" its last close, "this year to" the close now (the as-of,
    inferred, so the sessions either side are tried). Real ^GSPC and ^IXIC figures."""
    import extractor
    from extractor.kinds import get

    facts = extractor.extract("date 2019-04-05\n\nThe S&P 500 sank to 2,351.10 in December. The Nasdaq "
                              "Composite ended March at 7,729.32. The S&P 500 has risen 15% this year to 2,892.74.\n")
    levels = facts.other["levels"]
    assert [(x.ticker, x.value, str(x.session), x.session_source, str(x.period_start)) for x in levels] == [
        ("^GSPC", 2351.1, "2018-12-31", "claim", "2018-11-30"), ("^IXIC", 7729.32, "2019-03-29", "claim", "None"),
        ("^GSPC", 2892.74, "2019-04-04", "article", "None")]
    kind = get("levels")
    claims = [LevelClaim("levels", i, "a", x.ticker, x.value, x.unit, x.decimals, x.change, x.change_decimals,
                         x.session, x.session_source, x.intraday, period_start=x.period_start)
              for i, x in enumerate(levels)]
    assert [kind.check(c, market, date(2026, 1, 1)).reading for c in claims] == [
        "reached within the period", "exact", "the session after the article's as-of"]


def test_the_sessions_low_reached_is_an_intraday_level():
    """A wire's "Its low reached 7762.87" is the session's extreme, checked on its range,
    never on the close."""
    text = ("date 2019-08-14\n\nStocks slide\n\nThe NASDAQ index fell 242.42 points or 3.02% at 7773.93. "
            "Its low reached 7762.87.\n")
    f = extract(text)
    lows = [x for x in f.other["levels"] if x.value == 7762.87]
    assert len(lows) == 1 and lows[0].intraday


def test_a_low_word_that_is_no_session_extreme_leaves_a_close_a_close():
    f = extract("date 2019-04-05\n\nDespite the low volume, the S&P 500 closed at 2,892.74 on Friday.\n")
    (lvl,) = [x for x in f.other["levels"] if x.value == 2892.74]
    assert not lvl.intraday
