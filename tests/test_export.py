"""Exporting reviewed claims from a real SQLite file: gold files the scorer reads, JSONL
that round-trips, and the count of other articles holding the same claim."""
import dataclasses
import importlib.util
import io
import json
from datetime import date

import pytest

from conftest import facts_for, shared_path
from extractor import export, review, store
from extractor.errors import ExtractorError
from extractor.schema import Window

A_TEXT = ("date 2017-08-18\nSmall caps slip\n\nMore than $700 million has left IWM in the past "
          "couple sessions. IWM is up just 2.7 percent year-to-date, said Jane Doe. "
          "Traders are bearish on IWM. Investors put $450 million into QQQ.\n")
B_TEXT = ("date 2017-08-19\nSmall caps, again\n\nThe Russell fund IWM has gained 2.7 percent "
          "this year, according to John Roe. SPY is up 10 percent.\n")
C_TEXT = ("date 2017-08-21\nNobody read this\n\nIWM rose 2.7 percent so far this year.\n")
YTD = Window("year-to-date", date(2016, 12, 30), date(2017, 8, 17), source="claim")
WEEK = Window("past week", date(2017, 8, 10), date(2017, 8, 17), source="claim")
COUPLE = Window("past couple sessions", date(2017, 8, 14), date(2017, 8, 16), source="claim")


def with_windows(facts, flows=(), returns=()):
    """facts_for's facts with the given windows on their flows and returns, in order."""
    return dataclasses.replace(
        facts,
        flows=tuple(dataclasses.replace(f, window=w) for f, w in zip(facts.flows, flows)),
        returns=tuple(dataclasses.replace(r, window=w) for r, w in zip(facts.returns, returns)))


def a_facts(path="corpus/a.txt"):
    facts = facts_for(
        A_TEXT, path=path,
        flows=[("More than $700 million has left IWM", "IWM", "outflow", 7e8),
               ("Investors put $450 million into QQQ", "QQQ", "inflow", 4.5e8)],
        returns=[("IWM is up just 2.7 percent", "IWM", 2.7)],
        quotes=[("said Jane Doe", "Jane Doe")],
        sentiment=[("Traders are bearish on IWM.", "IWM", "bearish", -0.8)],
        mentions=[("IWM", "IWM"), ("QQQ", "QQQ")], tickers=["IWM", "QQQ"])
    return with_windows(facts, flows=[COUPLE, Window()], returns=[YTD])


def b_facts(return_window=YTD, path="corpus/b.txt"):
    facts = facts_for(
        B_TEXT, path=path,
        returns=[("IWM has gained 2.7 percent", "IWM", 2.7), ("SPY is up 10 percent", "SPY", 10.0)],
        quotes=[("according to John Roe", "John Roe")],
        sentiment=[("SPY is up 10 percent.", "SPY", "neutral", 0.0)],
        mentions=[("IWM", "IWM"), ("SPY", "SPY")], tickers=["IWM", "SPY"])
    return with_windows(facts, returns=[return_window, YTD])


def c_facts():
    facts = facts_for(C_TEXT, path="corpus/c.txt", returns=[("IWM rose 2.7 percent", "IWM", 2.7)],
                      mentions=[("IWM", "IWM")], tickers=["IWM"])
    return with_windows(facts, returns=[YTD])


def fid(db, table, **where):
    cond = " AND ".join(f"{k} = ?" for k in where) or "1"
    return db.execute(f"SELECT id FROM {table} WHERE {cond} ORDER BY id", list(where.values())
                      ).fetchone()[0]


@pytest.fixture
def db(db_path):
    """Three articles: a and b reviewed, c untouched."""
    db = store.open_db(db_path)
    for facts in (a_facts(), b_facts(), c_facts()):
        store.write_article(db, facts)
    # a: accept the IWM outflow and the return, reject the QQQ flow, edit the quote's title,
    #    accept the IWM mention, reject the QQQ mention; the sentiment stays unreviewed
    review.accept(db, "flows", fid(db, "flows", ticker="IWM"))
    review.reject(db, "flows", fid(db, "flows", ticker="QQQ"))
    review.accept(db, "returns", fid(db, "returns", ticker="IWM"))
    review.edit(db, "quotes", fid(db, "quotes", speaker="Jane Doe"),
                {"title": "Strategist", "organization": "Example Capital"})
    review.accept(db, "mentions", fid(db, "mentions", symbol="IWM"))
    review.reject(db, "mentions", fid(db, "mentions", symbol="QQQ"))
    # b: the SPY return edited to 9.5, the IWM return accepted, neutral SPY accepted,
    #    a sentiment the extractor missed added
    b_id = db.execute("SELECT id FROM articles WHERE path = 'corpus/b.txt'").fetchone()[0]
    review.accept(db, "returns", fid(db, "returns", ticker="IWM", article_id=b_id))
    review.edit(db, "returns", fid(db, "returns", ticker="SPY"), {"value_pct": 9.5})
    review.accept(db, "sentiment", fid(db, "sentiment", ticker="SPY"))
    start = B_TEXT.index("The Russell fund")
    review.add(db, b_id, "sentiment", start, start + 40, {"ticker": "IWM", "label": "bullish"})
    yield db
    db.close()


def by_article(records):
    return {r["article"]: r for r in records}


# --------------------------------------------------------------------------- iter_reviewed


def test_only_reviewed_articles_and_claims_are_exported(db):
    recs = by_article(export.iter_reviewed(db))
    assert sorted(recs) == ["a.txt", "b.txt"]  # c: nobody looked at it
    a = recs["a.txt"]
    assert a["id"] == a_facts().article.id and a["published"] == "2017-08-18"
    assert [(f["ticker"], f["direction"], f["amount_usd"], f["status"]) for f in a["flows"]] == [
        ("IWM", "outflow", 7e8, "accepted")]  # the rejected QQQ flow is gone
    flow = a["flows"][0]
    assert flow["window"] == {"label": "past couple sessions", "start": "2017-08-14",
                              "end": "2017-08-16"}
    assert flow["evidence"] == "More than $700 million has left IWM"
    assert flow["fact_id"] == fid(db, "flows", ticker="IWM") and flow["aggregation"] == "total"
    assert A_TEXT[flow["start"]:flow["end"]] == flow["evidence"]
    assert a["sentiment"] == []  # extracted, not reviewed
    assert a["tickers"] == ["IWM"]  # the QQQ mention was rejected
    [quote] = a["quotes"]
    assert (quote["speaker"], quote["title"], quote["organization"], quote["status"]) == (
        "Jane Doe", "Strategist", "Example Capital", "edited")


def test_edited_values_are_exported_as_edited_and_added_claims_are_there(db):
    b = by_article(export.iter_reviewed(db))["b.txt"]
    assert [(r["ticker"], r["value_pct"], r["kind"], r["status"]) for r in b["returns"]] == [
        ("IWM", 2.7, "realized", "accepted"), ("SPY", 9.5, "realized", "edited")]
    # gold leaves neutral sentiment out, as --format gold does
    assert [(s["ticker"], s["label"], s["status"]) for s in b["sentiment"]] == [
        ("IWM", "bullish", "added")]
    assert b["tickers"] == ["IWM", "SPY"]  # no mention reviewed: the claims' tickers


def test_include_unreviewed_adds_extracted_claims_and_articles(db):
    recs = by_article(export.iter_reviewed(db, include_unreviewed=True))
    assert sorted(recs) == ["a.txt", "b.txt", "c.txt"]
    assert [s["status"] for s in recs["a.txt"]["sentiment"]] == ["extracted"]
    assert [f["ticker"] for f in recs["a.txt"]["flows"]] == ["IWM"]  # still no rejected claim
    assert recs["a.txt"]["tickers"] == ["IWM"]
    assert [r["status"] for r in recs["c.txt"]["returns"]] == ["extracted"]
    assert recs["c.txt"]["tickers"] == ["IWM"]


def test_an_article_whose_claims_were_all_rejected_is_exported_empty(db_path):
    db = store.open_db(db_path)
    store.write_article(db, c_facts())
    review.reject(db, "returns", fid(db, "returns"))
    [rec] = export.iter_reviewed(db)
    assert rec["article"] == "c.txt" and rec["returns"] == [] and rec["flows"] == []
    db.close()


def test_a_read_only_connection_is_enough(db, db_path):
    ro = store.open_db(db_path, readonly=True)
    try:
        assert len(list(export.iter_reviewed(ro))) == 2
    finally:
        ro.close()


# --------------------------------------------------------------------------- gold files


def _scorer():
    spec = importlib.util.spec_from_file_location("score", shared_path("eval", "score.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gold_dir_has_one_file_per_article_that_scores_perfectly_against_itself(db, tmp_path):
    out = tmp_path / "gold" / "reviewed"  # parents created
    assert export.write_gold_dir(db, out) == 2
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    a = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert a == by_article(export.iter_reviewed(db))["a.txt"]
    report = _scorer().score_dirs(out, out)
    summary = report["summary"]
    assert summary["articles"] == 2
    for kind in ("tickers", "flows", "returns", "quotes", "sentiment"):
        assert summary[kind]["f1"] == 1.0, kind
    assert summary["flows"]["tp"] == 1 and summary["returns"]["tp"] == 3
    assert summary["quotes"]["tp"] == 1 and summary["sentiment"]["tp"] == 1
    assert summary["facts_f1"] == 1.0
    assert summary["window_accuracy"] == 1.0
    assert summary["window_exact"]["accuracy"] == 1.0
    assert summary["quote_attribution"]["title"]["accuracy"] == 1.0


def test_gold_dir_scores_the_machine_against_the_reviewers(db, tmp_path):
    """Reviewed gold against everything stored: the rejected QQQ flow counts as extra."""
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    export.write_gold_dir(db, gold)
    export.write_gold_dir(db, pred, include_unreviewed=True)
    summary = _scorer().score_dirs(gold, pred)["summary"]
    assert summary["flows"]["precision"] == 1.0  # include_unreviewed never brings back a rejection
    assert summary["sentiment"]["pred"] == 2  # a's unreviewed bearish IWM, b's added bullish IWM


def test_gold_dir_names_are_those_of_extract(db_path, tmp_path):
    from extractor.cli import output_name

    for path in ("corpus/d01.txt", "news/briefs.jsonl:3", "x/Y.JSONL:12", "a.b.md", None):
        assert export.output_name(path) == output_name(path)
    db = store.open_db(db_path)
    store.write_article(db, c_facts())
    jsonl = facts_for("A line about IWM, up 1 percent.", path="news/briefs.jsonl:3",
                      returns=[("up 1 percent", "IWM", 1.0)])
    store.write_article(db, jsonl)
    review.accept(db, "returns", fid(db, "returns", ticker="IWM", value_pct=1.0))
    out = tmp_path / "out"
    assert export.write_gold_dir(db, out) == 1
    rec = json.loads((out / "briefs-3.json").read_text())
    assert rec["article"] == "briefs-3" and rec["path"] == "news/briefs.jsonl:3"
    db.close()


def test_a_jsonl_line_named_by_its_id_gets_a_file_of_its_own():
    assert export.output_name("news/briefs.jsonl#abc-1") == "briefs-abc-1"
    assert export.output_name("news/briefs.jsonl#a/b c") == "briefs-a_b_c"  # never a path
    assert export.article_name("news/briefs.jsonl#abc-1") == "briefs-abc-1"
    assert export.article_name("corpus/sub/d01.txt") == "d01.txt"


def test_an_article_whose_file_changed_is_left_out_of_the_gold_but_kept_in_jsonl(db, tmp_path):
    old_id = a_facts().article.id
    changed = A_TEXT.replace("Small caps slip", "Small caps slip further")
    store.write_article(db, facts_for(changed, path="corpus/a.txt",
                                      returns=[("IWM is up just 2.7 percent", "IWM", 2.7)]))
    new_id = facts_for(changed).article.id
    assert db.execute("SELECT superseded_by FROM articles WHERE id = ?", [old_id]).fetchone()[0] == new_id
    # the new text at corpus/a.txt has no reviewed claim yet: no a.json
    out = tmp_path / "gold"
    assert export.write_gold_dir(db, out) == 1
    assert sorted(p.name for p in out.iterdir()) == ["b.json"]
    review.accept(db, "returns", fid(db, "returns", article_id=new_id))
    assert export.write_gold_dir(db, out) == 2
    a = json.loads((out / "a.json").read_text())
    assert (a["id"], a["superseded_by"], len(a["returns"]), a["flows"]) == (new_id, None, 1, [])
    with pytest.raises(ExtractorError, match="would both be written to a.json"):
        export.write_gold_dir(db, tmp_path / "all", include_superseded=True)
    fh = io.StringIO()
    assert export.write_jsonl(db, fh) == 3
    recs = [json.loads(x) for x in fh.getvalue().splitlines()]
    old = next(r for r in recs if r["id"] == old_id)
    assert old["superseded_by"] == new_id and old["text"] == A_TEXT
    assert [f["status"] for f in old["flows"]] == ["accepted"]  # the old text keeps its review
    assert export.write_jsonl(db, io.StringIO(), include_superseded=False) == 2


def test_gold_dir_refuses_a_file_and_says_what_to_do(db, tmp_path):
    target = tmp_path / "gold.json"
    target.write_text("{}")
    with pytest.raises(ExtractorError, match=r"gold\.json is a file, not a folder: give --out a folder"):
        export.write_gold_dir(db, target)
    assert target.read_text() == "{}"


def test_gold_dir_refuses_two_articles_with_one_name_and_writes_nothing(db, tmp_path):
    store.write_article(db, facts_for(C_TEXT + "More.\n", path="more/a.md",
                                      returns=[("IWM rose 2.7 percent", "IWM", 2.7)]))
    review.reject(db, "returns", db.execute(
        "SELECT r.id FROM returns r JOIN articles a ON a.id = r.article_id "
        "WHERE a.path = 'more/a.md'").fetchone()[0])
    out = tmp_path / "out"
    with pytest.raises(ExtractorError, match=r"more/a\.md and corpus/a\.txt would both be written "
                                             r"to a\.json: rename one"):
        export.write_gold_dir(db, out)
    assert not out.exists()
    fh = io.StringIO()  # JSONL has no file names to clash
    assert export.write_jsonl(db, fh) == 3


# --------------------------------------------------------------------------- JSONL


def test_jsonl_round_trips_with_the_text_and_neutral_labels(db):
    fh = io.StringIO()
    assert export.write_jsonl(db, fh) == 2
    lines = fh.getvalue().splitlines()
    assert len(lines) == 2
    recs = by_article(json.loads(line) for line in lines)
    assert recs["a.txt"]["text"] == A_TEXT and recs["b.txt"]["text"] == B_TEXT
    for rec in recs.values():
        for kind in ("flows", "returns", "quotes", "sentiment"):
            for claim in rec[kind]:
                assert " ".join(rec["text"][claim["start"]:claim["end"]].split()) == claim["evidence"]
    assert sorted((s["ticker"], s["label"]) for s in recs["b.txt"]["sentiment"]) == [
        ("IWM", "bullish"), ("SPY", "neutral")]  # a reviewer's neutral is a label to train on
    gold = by_article(export.iter_reviewed(db))
    for name, rec in recs.items():
        assert {k: v for k, v in rec.items() if k not in ("text", "sentiment")} == \
            {k: v for k, v in gold[name].items() if k != "sentiment"}


def test_jsonl_with_include_unreviewed_has_every_article(db):
    fh = io.StringIO()
    assert export.write_jsonl(db, fh, include_unreviewed=True) == 3
    assert [json.loads(x)["article"] for x in fh.getvalue().splitlines()] == ["a.txt", "b.txt", "c.txt"]


# --------------------------------------------------------------------------- novelty


def test_the_same_claim_in_another_article_is_counted(db):
    a_ret = fid(db, "returns", ticker="IWM")
    b_id = db.execute("SELECT id FROM articles WHERE path = 'corpus/b.txt'").fetchone()[0]
    c_id = db.execute("SELECT id FROM articles WHERE path = 'corpus/c.txt'").fetchone()[0]
    b_ret = fid(db, "returns", ticker="IWM", article_id=b_id)
    c_ret = fid(db, "returns", ticker="IWM", article_id=c_id)
    # IWM +2.7 % year-to-date in a, b and c (c unreviewed is live too)
    assert export.same_claim_counts(db, "returns", a_ret) == 2
    review.reject(db, "returns", c_ret)  # a rejected claim is no one's claim
    assert export.same_claim_counts(db, "returns", a_ret) == 1
    assert export.same_claim_counts(db, "returns", b_ret) == 1
    assert export.same_claim_counts(db, "returns", fid(db, "returns", ticker="SPY")) == 0
    assert export.same_claim_counts(db, "flows", fid(db, "flows", ticker="IWM")) == 0


def test_a_different_window_or_value_is_another_claim(db_path):
    db = store.open_db(db_path)
    store.write_article(db, a_facts())
    store.write_article(db, b_facts(return_window=WEEK))
    a_ret = fid(db, "returns", ticker="IWM")
    assert export.same_claim_counts(db, "returns", a_ret) == 0
    b_ret = db.execute("SELECT id FROM returns WHERE ticker = 'IWM' AND id != ?", [a_ret]).fetchone()[0]
    review.edit(db, "returns", b_ret, {"window_start": "2016-12-30", "window_end": "2017-08-17"})
    assert export.same_claim_counts(db, "returns", a_ret) == 1
    review.edit(db, "returns", b_ret, {"value_pct": 2.704})  # within 0.005 points
    assert export.same_claim_counts(db, "returns", a_ret) == 1
    review.edit(db, "returns", b_ret, {"value_pct": 2.71})
    assert export.same_claim_counts(db, "returns", a_ret) == 0
    db.close()


def test_flows_match_on_direction_and_amount_within_half_a_percent(db_path):
    db = store.open_db(db_path)
    store.write_article(db, a_facts())
    text = "date 2017-08-18\nIWM bleeds\n\nAbout $702 million left IWM.\n"
    other = with_windows(facts_for(text, path="corpus/d.txt",
                                   flows=[("$702 million left IWM", "IWM", "outflow", 7.02e8)]),
                         flows=[COUPLE])
    store.write_article(db, other)
    a_flow = fid(db, "flows", ticker="IWM")
    d_flow = db.execute("SELECT id FROM flows WHERE amount_usd = 7.02e8").fetchone()[0]
    assert export.same_claim_counts(db, "flows", a_flow) == 1
    assert export.same_claim_counts(db, "flows", d_flow) == 1
    review.edit(db, "flows", d_flow, {"amount_usd": 7.05e8})  # 0.7 % off
    assert export.same_claim_counts(db, "flows", a_flow) == 0
    review.edit(db, "flows", d_flow, {"amount_usd": 7e8, "direction": "inflow"})
    assert export.same_claim_counts(db, "flows", a_flow) == 0
    db.close()


def test_claims_without_a_window_are_never_the_same(db_path):
    db = store.open_db(db_path)
    store.write_article(db, a_facts())
    text = "date 2017-08-18\nQQQ\n\nInvestors put $450 million into QQQ, again.\n"
    store.write_article(db, facts_for(text, path="corpus/e.txt",
                                      flows=[("$450 million into QQQ", "QQQ", "inflow", 4.5e8)]))
    assert export.same_claim_counts(db, "flows", fid(db, "flows", ticker="QQQ")) == 0
    db.close()


def test_same_claim_counts_errors(db):
    with pytest.raises(ExtractorError, match="flows and returns only"):
        export.same_claim_counts(db, "quotes", 1)
    with pytest.raises(ExtractorError, match="returns #99999 is not in the database"):
        export.same_claim_counts(db, "returns", 99999)


def test_novelty_sql_runs_through_extractor_query(db, db_path):
    review.reject(db, "returns", fid(db, "returns", article_id=c_facts().article.id))
    columns, rows = store.query(db_path, export.NOVELTY_SQL)
    got = [dict(zip(columns, r)) for r in rows]
    assert columns[:2] == ["claim_type", "fact_id"] and columns[-1] == "other_articles"
    assert all(g["status"] != "rejected" for g in got)
    assert len(got) == 4  # a: IWM flow, IWM return; b: IWM return, SPY return
    assert [(g["claim_type"], g["path"], g["ticker"], g["other_articles"]) for g in got[:2]] == [
        ("return", "corpus/a.txt", "IWM", 1), ("return", "corpus/b.txt", "IWM", 1)]
    assert {g["ticker"]: g["other_articles"] for g in got[2:]} == {"IWM": 0, "SPY": 0}
    for g in got:
        table = "flows" if g["claim_type"] == "flow" else "returns"
        assert g["other_articles"] == export.same_claim_counts(db, table, g["fact_id"])


def test_novelty_sql_through_the_cli(db, db_path):
    from click.testing import CliRunner

    from extractor.cli import cli

    result = CliRunner().invoke(cli, ["query", export.NOVELTY_SQL, "--db", str(db_path),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert {r["other_articles"] for r in json.loads(result.stdout)} == {0, 2}  # c is live


def test_quoted_words_are_exported_with_the_quote(db):
    """A quote that keeps the words it quotes (``quotes.quote_text``) is exported with them."""
    db.execute("UPDATE quotes SET quote_text = 'We see more room to run'")
    db.conn.commit()
    quotes = [q for r in export.iter_reviewed(db, include_unreviewed=True) for q in r["quotes"]]
    assert quotes and all(q["text"] == "We see more room to run" for q in quotes)
