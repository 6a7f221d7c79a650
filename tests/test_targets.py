"""Price targets: found in sentences we wrote in the style of strategist notes
(rules/targets.py), checked once their horizon has passed against the closes of
../shared/market-data (kinds/targets.py), and carried through the store, the gold form
and the CLI with the quote of the person who set them."""
import json
import time
from datetime import date

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.kinds.targets import Target, TargetClaim, check_target
from extractor.rules.targets import TargetHit, horizon_of, implied_pct, iter_targets
from extractor.rules.vocab import load_vocab
from extractor.schema import ArticleFacts, from_json, to_gold, to_json
from extractor.store import open_db, write_article

from conftest import facts_for, shared_path, span
from test_levels import PUBLISHED, levels, read
from test_levels import market as market  # a fixture: the shared prices, imported once per module


def targets(body: str) -> tuple[str, list[TargetHit]]:
    art, doc, refs = read(body)
    assert art.published == PUBLISHED
    return art.text, list(iter_targets(doc, refs, art.body_start, art.published))


# ------------------------------------------------------------------ targets

# body -> [(ticker, number as written, value, decimals, unit, prior, horizon, horizon_end, organization, person,
#           implied_pct, direction)]
TARGETS = [
    ("Goldman Sachs raised its year-end target for the S&P 500 to 3,100 from 2,900.",
     [("^GSPC", "3,100", 3100.0, 0, "points", 2900.0, "year-end", date(2019, 12, 31), "Goldman Sachs", None, None,
       "raised")]),
    ("Morgan Stanley's Jane Doe set a 12-month price target of $250 on SPY.",
     [("SPY", "$250", 250.0, 0, "USD", None, "12-month", date(2020, 5, 2), "Morgan Stanley", "Jane Doe", None, "set")]),
    ("Apple shares closed at $223.10. Example Research set a $250 price target, which implies 12% upside.",
     [("AAPL", "$250", 250.0, 0, "USD", None, None, None, "Example Research", None, 12.0, "set")]),
    ("The S&P 500 ended the week higher. Wells Fargo Securities strategist Chris Harvey sees the index ending the "
     "year at 3,400.",
     [("^GSPC", "3,400", 3400.0, 0, "points", None, "year-end", date(2019, 12, 31), "Wells Fargo Securities",
       "Chris Harvey", None, None)]),
    ("The strategist sees the S&P 500 ending the year at 3,400.",
     [("^GSPC", "3,400", 3400.0, 0, "points", None, "year-end", date(2019, 12, 31), None, None, None, None)]),
    ("Example Capital cut its price target on IWM to $150 from $170.",
     [("IWM", "$150", 150.0, 0, "USD", 170.0, None, None, "Example Capital", None, None, "cut")]),
    ("The firm's 2024 year-end S&P 500 target of 5,000 implies a 5% decline.",
     [("^GSPC", "5,000", 5000.0, 0, "points", None, "2024 year-end", date(2024, 12, 31), None, None, -5.0, None)]),
    ("Example Research strategist Jane Doe raised her target for SPY to $300.",
     [("SPY", "$300", 300.0, 0, "USD", None, None, None, "Example Research", "Jane Doe", None, "raised")]),
    ("Jane Doe, chief U.S. equity strategist at Example Capital, lifted her year-end S&P 500 target to 3,200.50 "
     "from 3,000.",
     [("^GSPC", "3,200.50", 3200.5, 2, "points", 3000.0, "year-end", date(2019, 12, 31), "Example Capital",
       "Jane Doe", None, "raised")]),
    ("Strategists at Example Partners now see the S&P 500 ending 2020 at 3,500.",
     [("^GSPC", "3,500", 3500.0, 0, "points", None, "end of 2020", date(2020, 12, 31), "Example Partners", None, None,
       None)]),
    ("Example Securities initiated coverage of Apple with a $300 price target.",
     [("AAPL", "$300", 300.0, 0, "USD", None, None, None, "Example Securities", None, None, "set")]),
    ("Example Bank's price target for QQQ is $200, implying 10% upside.",
     [("QQQ", "$200", 200.0, 0, "USD", None, None, None, "Example Bank", None, 10.0, None)]),
    ("The S&P 500's year-end target at Example Partners was lowered to 2,800.",
     [("^GSPC", "2,800", 2800.0, 0, "points", None, "year-end", date(2019, 12, 31), "Example Partners", None, None,
       "cut")]),
    ("QQQ's price target was raised to $210 by Example Partners.",
     [("QQQ", "$210", 210.0, 0, "USD", None, None, None, "Example Partners", None, None, "raised")]),
    ("Example Research expects SPY to finish the year at $300.",
     [("SPY", "$300", 300.0, 0, "USD", None, "year-end", date(2019, 12, 31), "Example Research", None, None, None)]),
    ("Example Research sees the S&P 500 at 3,000 by the end of next year.",
     [("^GSPC", "3,000", 3000.0, 0, "points", None, "end of next year", date(2020, 12, 31), "Example Research", None,
       None, None)]),
    ("Example Capital raised its six-month target on GLD to $140.",
     [("GLD", "$140", 140.0, 0, "USD", None, "six-month", date(2019, 11, 1), "Example Capital", None, None, "raised")]),
    ("Citi sees SPY at $310 over the next 12 months.",
     [("SPY", "$310", 310.0, 0, "USD", None, "next 12 months", date(2020, 5, 2), "Citi", None, None, None)]),
    # the sentence names no ticker: the one of the sentence before
    ("The S&P 500 closed at 2,945.64 on Friday. Goldman Sachs raised its target to 3,100 from a previous 2,900 target.",
     [("^GSPC", "3,100", 3100.0, 0, "points", 2900.0, None, None, "Goldman Sachs", None, None, "raised")]),
    # a last name said in full before
    ("Jane Doe, chief strategist at Example Capital, expects stocks to grind higher. Doe raised her S&P 500 "
     "year-end target to 3,150 on Monday.",
     [("^GSPC", "3,150", 3150.0, 0, "points", None, "year-end", date(2019, 12, 31), None, "Jane Doe", None,
       "raised")]),
    ("Apple rose 3% to $205 after Example Securities lifted its price target to $240 from $220, implying 17% upside.",
     [("AAPL", "$240", 240.0, 0, "USD", 220.0, None, None, "Example Securities", None, 17.0, "raised")]),
    ("Goldman Sachs & Co. reiterated its $150 price target on IWM.",
     [("IWM", "$150", 150.0, 0, "USD", None, None, None, "Goldman Sachs & Co.", None, None, "set")]),
    ("Jane Doe of Example Capital cut her S&P 500 prediction by 10 percent to 2,500.",
     [("^GSPC", "2,500", 2500.0, 0, "points", None, None, None, "Example Capital", "Jane Doe", None, "cut")]),
    ("Example Capital's Jane Doe says the S&P 500 will end the year at 3,200.",
     [("^GSPC", "3,200", 3200.0, 0, "points", None, "year-end", date(2019, 12, 31), "Example Capital", "Jane Doe",
       None, None)]),
    ("Example Research expects the S&P 500 to increase 8 percent to 3,150.",
     [("^GSPC", "3,150", 3150.0, 0, "points", None, None, None, "Example Research", None, None, None)]),
    ("After the Fed cut rates, Goldman Sachs raised its target for the S&P 500 to 3,100.",
     [("^GSPC", "3,100", 3100.0, 0, "points", None, None, None, "Goldman Sachs", None, None, "raised")]),
    # the earlier target is the prior, no target of its own
    ("Jane Doe raised her year-end target for the S&P 500 to 3,000, from her earlier target of 2,900.",
     [("^GSPC", "3,000", 3000.0, 0, "points", 2900.0, "year-end", date(2019, 12, 31), None, "Jane Doe", None,
       "raised")]),
    # a last name before an appositive that names the firm
    ("John Roe of Example Bank sees stocks rising. Roe, Example Bank's chief equity strategist, cut his 12-month "
     "projection for the S&P 500 to 2,700 from 2,900.",
     [("^GSPC", "2,700", 2700.0, 0, "points", 2900.0, "12-month", date(2020, 5, 2), "Example Bank", "John Roe", None,
       "cut")]),
]


def _target_rows(text: str, hits: list[TargetHit]) -> list[tuple]:
    return [(h.ticker, text[h.number_start:h.number_end], h.value, h.decimals, h.unit, h.prior, h.horizon,
             h.horizon_end, h.organization, h.person, h.implied_pct, h.direction) for h in hits]


@pytest.mark.parametrize("body, expected", TARGETS)
def test_targets_set_by_firms_and_strategists(body, expected):
    text, hits = targets(body)
    assert _target_rows(text, hits) == expected


def test_a_target_reads_its_evidence_from_the_setter_to_the_number():
    text, hits = targets("Stocks rose. Morgan Stanley's Jane Doe set a 12-month price target of $250 on SPY on Friday.")
    (h,) = hits
    assert text[h.start:h.end] == "Morgan Stanley's Jane Doe set a 12-month price target of $250 on SPY"
    text, hits = targets("Jane Doe, chief strategist at Example Capital, expects stocks to grind higher. Doe raised "
                         "her S&P 500 year-end target to 3,150 on Monday.")
    assert text[hits[0].start:hits[0].end] == "Doe raised her S&P 500 year-end target to 3,150"


NOT_TARGETS = [
    "The S&P 500 closed at 2,900 on Friday.",                               # a level
    "SPY and QQQ both rallied. Example Research cut its price target to $250.",  # whose target is not clear
    "Example Research cut its price target to $250.",                       # no ticker at all
    "The S&P 500 could reach 3,000 this summer.",                           # a forecast, but no target cue
    "Example Capital sees support at 2,800 for the S&P 500.",
    "Example Capital raised its target for the S&P 500 by 5%.",             # a percent
    "The Fed's inflation target is 2%.",
    "Example Capital hit its target of raising $2 billion for the fund.",  # an amount
    "The Fed kept its target of 2 rate cuts, and the S&P 500 rose.",        # a count
    "Goldman Sachs raised its 2020 S&P 500 earnings forecast to $174.",     # not the price
    "Goldman Sachs raised its S&P 500 earnings per share target to $174.",
    "The average of 10 projections puts the S&P 500 at 3,000.",
    "Example Research says the S&P 500 could rise to 3,000.",               # "says" needs a horizon
]


@pytest.mark.parametrize("body", NOT_TARGETS)
def test_numbers_that_are_no_targets(body):
    assert targets(body)[1] == []


# ------------------------------------------------------------------ both

MIXED = [
    ("The S&P 500 closed at 2,900, below Example Capital's year-end target of 3,100.", "2,900", "3,100"),
    ("SPY rose to $280.71, just shy of Example Research's target of $285.", "$280.71", "$285"),
    ("Goldman Sachs raised its year-end target for the S&P 500 to 3,100 from 2,900.", None, "3,100"),
    ("Analysts expect the S&P 500 to end the year at 3,100.", None, "3,100"),
]


@pytest.mark.parametrize("body, level, target", MIXED)
def test_a_number_is_a_target_or_a_level_never_both(body, level, target):
    text, lv = levels(body)
    _, tg = targets(body)
    assert [text[h.number_start:h.number_end] for h in lv] == ([level] if level else [])
    assert [text[h.number_start:h.number_end] for h in tg] == [target]


HORIZONS = [
    ("year-end target", PUBLISHED, "year-end", date(2019, 12, 31)),
    ("its 2024 year-end target", PUBLISHED, "2024 year-end", date(2024, 12, 31)),
    ("by the end of 2020", PUBLISHED, "end of 2020", date(2020, 12, 31)),
    ("at year-end 2021", None, "year-end 2021", date(2021, 12, 31)),
    ("end of next year", PUBLISHED, "end of next year", date(2020, 12, 31)),
    ("next year's end", PUBLISHED, "next year's end", date(2020, 12, 31)),
    ("next year", PUBLISHED, "next year", date(2020, 12, 31)),
    ("a 12-month target", PUBLISHED, "12-month", date(2020, 5, 2)),
    ("a six-month target", PUBLISHED, "six-month", date(2019, 11, 1)),
    ("ending the year at", PUBLISHED, "year-end", date(2019, 12, 31)),
    ("year-end target", None, "year-end", None),                            # no date to count from
    ("a 12-month target", None, "12-month", None),
    ("a target", PUBLISHED, None, None),
]


@pytest.mark.parametrize("phrase, published, horizon, end", HORIZONS)
def test_horizons_and_their_last_day(phrase, published, horizon, end):
    assert horizon_of(phrase, published) == (horizon, end)


@pytest.mark.parametrize("phrase, pct", [
    (" implies 12% upside", 12.0), (", implying a 5% decline", -5.0), (" implies upside of 8.5%", 8.5),
    (", suggesting 3 percent downside", -3.0), (", a 7% premium", None), (" implies a 10% move", None),
])
def test_implied_moves_take_their_sign_from_the_words(phrase, pct):
    assert implied_pct(phrase) == pct


def test_a_sentence_of_thousands_of_targets_is_read_in_linear_time():
    art, doc, refs = read("Jane Doe raised her target for QQQ to $300 and " * 2000)
    began = time.perf_counter()
    assert list(iter_targets(doc, refs, art.body_start, art.published)) and time.perf_counter() - began < 10


def test_the_vocabulary_loads():
    assert "price target" in load_vocab("targets")["target_noun"]


# ------------------------------------------------------------------ checks on real closes

def target(value, set_on, horizon_end, ticker="^GSPC"):
    return TargetClaim("targets", 1, "a", ticker, value, horizon_end, set_on)


def test_a_target_whose_horizon_has_passed_is_hit_or_missed(market):
    # ^GSPC closed at 2,257.83 on 2017-01-03, first at or above 2,500 on 2017-09-15 (2,500.23),
    # at 2,673.61 on 2017-12-29 and never above 2,690.16 that year
    hit = check_target(target(2500, date(2017, 1, 3), date(2017, 12, 31)), market, date(2026, 1, 1))
    assert (hit.verdict, hit.reading, hit.actual) == ("confirmed", "hit on 2017-09-15", 2673.61)
    missed = check_target(target(2800, date(2017, 1, 3), date(2017, 12, 31)), market, date(2026, 1, 1))
    assert missed.verdict == "contradicted" and missed.reading == "missed by 4.5%"
    assert "its highest close before the horizon was 2,690.16" in missed.reason
    # a target below the price is hit from above
    down = check_target(target(2200, date(2017, 1, 3), date(2017, 12, 31)), market, date(2026, 1, 1))
    assert down.verdict == "contradicted"


def test_a_target_before_its_horizon_or_without_one_is_unverifiable(market):
    early = check_target(target(2500, date(2017, 1, 3), date(2017, 12, 31)), market, date(2017, 6, 1))
    assert early.verdict == "unverifiable" and early.reason == "its horizon (2017-12-31) has not passed"
    assert "no horizon" in check_target(target(2500, date(2017, 1, 3), None), market, date(2026, 1, 1)).reason


# ------------------------------------------------------------------ the store, the gold form, the CLI

NOTE = "date 2019-04-05\n\nGoldman Sachs set a year-end target of 3,100 for the S&P 500.\n"


def test_a_target_travels_through_json_gold_and_the_store(db_path):
    base = facts_for(NOTE, path="note.txt")
    target = Target("^GSPC", 3100.0, *span(NOTE, "Goldman Sachs set a year-end target of 3,100"),
                    horizon="year-end", horizon_end=date(2019, 12, 31), set_on=date(2019, 4, 5),
                    organization="Goldman Sachs")
    facts = ArticleFacts(**{**base.__dict__, "other": {"targets": (target,)}})
    assert from_json(to_json(facts), facts.article) == facts
    assert to_gold(facts)["targets"] == [{
        "ticker": "^GSPC", "value": 3100.0, "unit": "points", "prior": None,
        "horizon": {"label": "year-end", "end": "2019-12-31"}, "organization": "Goldman Sachs",
        "person": None, "evidence": "Goldman Sachs set a year-end target of 3,100"}]
    db = open_db(db_path)
    write_article(db, facts)
    assert list(db.query("SELECT claim_type, ticker, value, horizon_end FROM claims")) == [
        {"claim_type": "target", "ticker": "^GSPC", "value": 3100.0, "horizon_end": "2019-12-31"}]


FORECAST = """date 2017-01-03

Goldman lifts its S&P 500 forecast

Goldman Sachs raised its year-end target for the S&P 500 to 2,500 from 2,400, saying earnings will \
carry the market higher. "We see more room to run," said David Kostin, chief U.S. equity strategist \
at Goldman Sachs.
"""




def test_a_forecast_is_extracted_linked_to_its_quote_and_checked(tmp_path):
    """A forecast of 2017-01-03 (ours): the target is found with its prior, its horizon
    and the strategist quoted for it, and the check finds it hit on 2017-09-15."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "forecast.txt").write_text(FORECAST, encoding="utf-8")
    db = tmp_path / "claims.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["prices", "import", str(shared_path("market-data")), "--db", str(db)]).exit_code == 0
    result = runner.invoke(cli, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    found = runner.invoke(cli, ["query", "SELECT t.ticker, t.value, t.prior, t.horizon_end, t.person, q.title, "
                                "c.verdict, c.reading FROM live_targets t LEFT JOIN live_quotes q ON "
                                "q.article_id = t.article_id AND q.speaker = t.person LEFT JOIN checks c ON "
                                "c.fact_table = 'targets' AND c.fact_id = t.id", "--db", str(db), "--format", "json"])
    assert [tuple(r.values()) for r in json.loads(found.output)] == [
        ("^GSPC", 2500.0, 2400.0, "2017-12-31", "David Kostin", "chief U.S. equity strategist", "confirmed",
         "hit on 2017-09-15")]


def test_the_setter_is_the_person_the_article_quotes():
    from extractor.kinds.targets import setter
    from extractor.schema import Quote

    text = 'Raman wrote in a note. She has a year-end target of 3,100 for the S&P 500.'
    raman = Quote("Priya Raman", 0, 5, organization="Cobalt Street Securities")
    start = text.index("has a year-end")
    assert setter(start, len(text), None, None, [raman], text) == ("Priya Raman", "Cobalt Street Securities")
    # a last name alone is completed from the quote; a firm's one quoted person is its setter
    assert setter(start, len(text), "Raman", None, [raman], text) == ("Priya Raman", "Cobalt Street Securities")
    assert setter(start, len(text), None, "Cobalt Street", [raman], "x" * len(text)) == ("Priya Raman", "Cobalt Street")
    assert setter(start, len(text), None, "Other Bank", [raman], "x" * len(text)) == (None, "Other Bank")


def test_a_reviewers_target_is_set_against_the_articles_close(tmp_path):
    from extractor import review

    db = open_db(tmp_path / "claims.db")
    write_article(db, facts_for(NOTE, path="note.txt"))
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    added = review.add(db, aid, "targets", 0, 20, {"ticker": "spy", "value": "310", "horizon_end": "2019-12-31"})
    row = db.execute("SELECT ticker, unit, set_on FROM targets WHERE id = ?", [added.fact_id]).fetchone()
    assert row[:2] == ("SPY", "USD") and row[2] is not None


def test_a_horizon_on_a_weekend_ends_the_session_before(market):
    # 2022-12-31 is a Saturday; the shared ^GSPC closes run to Friday 2022-12-30
    due = check_target(target(5000, date(2022, 1, 3), date(2022, 12, 31)), market, date(2026, 1, 1))
    assert due.verdict == "contradicted" and due.end_date == "2022-12-30"
    assert check_target(target(0, date(2022, 1, 3), date(2022, 12, 31)), market, date(2026, 1, 1)).verdict == \
        "unverifiable"
