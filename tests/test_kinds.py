"""The registry of fact kinds: what each declares matches its table, the store builds
the tables and views from it (old files upgraded with their rows kept), a kind that
finds its own records travels through JSON, the gold form and the store, and one
definition of "the same claim" serves re-ingest and extraction."""
from __future__ import annotations

from datetime import date

import pytest

from extractor import kinds, review, store
from extractor.kinds.levels import Level
from extractor.schema import ArticleFacts, Flow, Return, from_json, to_gold, to_json
from extractor.store import open_db, write_article

from conftest import facts_for, span


def columns(db, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def test_every_kind_declares_only_columns_its_table_has(db_path):
    db = open_db(db_path)
    for kind in kinds.all_kinds():
        have = columns(db, kind.table)
        assert set(kind.editable) <= have, kind
        assert set(kind.required) <= set(kind.editable), kind
        assert set(kind.shown) <= have, kind
        assert set(kind.claim_columns) <= have, kind
        if kind.symbol_column:
            assert kind.symbol_column in have, kind
    claim_types = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert {"claims", *(f"live_{t}" for t in kinds.tables())} <= claim_types


def test_every_checked_kind_reads_its_claims_and_checks_them():
    """A checked kind that forgot either would be silently skipped by ``extractor check``."""
    for kind in kinds.all_kinds(checked=True):
        assert type(kind).claims is not kinds.Kind.claims and type(kind).check is not kinds.Kind.check, kind
        assert kind.days is not None, kind


def test_an_unknown_kind_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="unknown kind of claim 'trades'; expected one of mentions, flows"):
        kinds.get("trades")
    with pytest.raises(review.ReviewError, match="unknown kind of claim"):
        review.coerce("trades", "ticker", "IWM")


TEXT = "date 2019-04-05\n\nThe S&P 500 rose 13.35 points to 2,892.74.\n"


def wrap_facts() -> ArticleFacts:
    base = facts_for(TEXT, path="wrap.txt", returns=[("rose 13.35 points", "^GSPC", 0.46)])
    level = Level("^GSPC", 2892.74, *span(TEXT, "The S&P 500 rose 13.35 points to 2,892.74"), decimals=2,
                  change=13.35, change_decimals=2, session=date(2019, 4, 5), session_source="claim")
    return ArticleFacts(**{**base.__dict__, "other": {"levels": (level,)}})


def test_a_kind_of_its_own_travels_through_json_gold_and_the_store(db_path):
    facts = wrap_facts()
    assert from_json(to_json(facts), facts.article) == facts
    gold = to_gold(facts)
    assert gold["levels"] == [{"ticker": "^GSPC", "value": 2892.74, "unit": "points", "change": 13.35,
                               "session": "2019-04-05", "intraday": False,
                               "evidence": "The S&P 500 rose 13.35 points to 2,892.74"}]
    db = open_db(db_path)
    write_article(db, facts)
    rows = list(db.query("SELECT claim_type, ticker, value, session FROM claims WHERE claim_type = 'level'"))
    assert rows == [{"claim_type": "level", "ticker": "^GSPC", "value": 2892.74, "session": "2019-04-05"}]
    assert store.summary(db)["claims"]["levels"] == 1
    # a reviewer's rejection takes it out of every reader's live rows, and re-ingest keeps it
    level_id = db.execute("SELECT id FROM levels").fetchone()[0]
    review.reject(db, "levels", level_id)
    assert db.execute("SELECT count(*) FROM live_levels").fetchone()[0] == 0
    write_article(db, facts)
    assert db.execute("SELECT status FROM levels").fetchall() == [("rejected",)]


def test_a_file_from_before_the_registry_is_upgraded_with_its_verdicts_kept(db_path):
    db = open_db(db_path, migrations=store.MIGRATIONS[:7])
    db["articles"].insert({"id": "a1", "text": "IWM lost $700 million. IWM is up 2.7 percent.",
                           "extractor_version": "0.5.0", "ingested_at": "now"})
    db["flows"].insert({"article_id": "a1", "ticker": "IWM", "direction": "outflow", "amount_usd": 7e8})
    db["returns"].insert({"article_id": "a1", "ticker": "IWM", "value_pct": 2.7})
    db.execute("INSERT INTO checks (fact_table, fact_id, verdict, reason, checked_at) "
               "VALUES ('flows', 1, 'confirmed', 'kept', 'now')")
    db.conn.commit()
    assert "levels" not in db.table_names()
    db.close()
    db = open_db(db_path)
    assert "levels" in db.table_names()
    assert list(db.query("SELECT claim_type, verdict, verdict_reason FROM claims ORDER BY claim_type")) == [
        {"claim_type": "flow", "verdict": "confirmed", "verdict_reason": "kept"},
        {"claim_type": "return", "verdict": None, "verdict_reason": None}]
    # and checks takes a level's verdict now
    db.execute("INSERT INTO checks (fact_table, fact_id, verdict, checked_at) VALUES ('levels', 1, 'confirmed', 'now')")


def test_one_definition_of_the_same_claim():
    """fact_key (re-ingest) and the new kinds' extraction (``Kind.distinct``) ask the kind."""
    flows = kinds.get("flows")
    a = Flow("IWM", "outflow", 7e8, 0, 10, qualifier="more than")
    b = Flow("iwm", "outflow", 700_000_000.0, 50, 60)
    assert flows.same(a, b) and not flows.same(a, Flow("IWM", "inflow", 7e8, 0, 10))
    assert kinds.get("returns").same(Return("IWM", 2.7, 0, 5), Return("IWM", 2.7, 9, 20, qualifier="just"))


def test_a_file_from_before_the_registry_read_only_says_how_to_upgrade(db_path):
    """``extractor query``/``signals``/``export`` open read-only and cannot upgrade: one line
    saying what to run, not a traceback about a missing view."""
    from click.testing import CliRunner

    from extractor.cli import cli

    open_db(db_path, migrations=store.MIGRATIONS[:7]).close()
    result = CliRunner().invoke(cli, ["query", "SELECT count(*) FROM live_flows", "--db", str(db_path)])
    assert result.exit_code == 1
    assert "written by an older extractor (it has no m008_checks_for_every_kind, levels, targets" in result.output
    assert f"extractor check --db {db_path}" in result.output
    assert CliRunner().invoke(cli, ["check", "--db", str(db_path)]).exit_code == 0
    again = CliRunner().invoke(cli, ["query", "SELECT count(*) AS n FROM live_flows", "--db", str(db_path)])
    assert again.exit_code == 0, again.output
