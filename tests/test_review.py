"""Reviewer decisions through a real SQLite file: every change lands in the fact row and
in ``corrections`` at once, survives re-ingest, and can be undone."""
import sqlite3

import pytest

from _db import rows
from extractor import review, store
from extractor.ui import queries

TEXT = ("date 2017-08-18\nSmall caps slip\n\nMore than $700 million has left IWM in the past "
        "couple sessions. IWM is up just 2.7 percent year-to-date, said Jane Doe. "
        "Traders are bearish on IWM. Investors put $450 million into QQQ.\n")


def _facts(make_facts, text=TEXT):
    return make_facts(
        text, path="corpus/a.txt",
        flows=[("More than $700 million has left IWM", "IWM", "outflow", 7e8)],
        returns=[("IWM is up just 2.7 percent", "IWM", 2.7)],
        quotes=[("said Jane Doe", "Jane Doe")],
        sentiment=[("Traders are bearish on IWM.", "IWM", "bearish", -0.8)],
        mentions=[("IWM", "IWM")], tickers=["IWM"])


@pytest.fixture
def db(db_path, make_facts):
    db = store.open_db(db_path)
    store.write_article(db, _facts(make_facts))
    yield db
    db.close()


def _id(db, table):
    return db.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1").fetchone()[0]


def test_accept_sets_status_and_records_the_change(db, db_path):
    fid = _id(db, "flows")
    change = review.accept(db, "flows", fid)
    assert change.fields == ("status",)
    assert rows(db_path, "SELECT status FROM flows WHERE id = ?", [fid])[0]["status"] == "accepted"
    [c] = rows(db_path, "SELECT * FROM corrections")
    assert (c["fact_table"], c["fact_id"], c["field"], c["old_value"], c["new_value"]) == (
        "flows", fid, "status", "extracted", "accepted")
    assert c["change_id"] == change.id and c["created_at"]


def test_accepting_twice_is_no_second_change(db, db_path):
    fid = _id(db, "flows")
    review.accept(db, "flows", fid)
    assert review.accept(db, "flows", fid).id is None
    assert len(rows(db_path, "SELECT * FROM corrections")) == 1


def test_edit_writes_each_field_and_marks_the_claim_edited(db, db_path):
    fid = _id(db, "flows")
    change = review.edit(db, "flows", fid, {"amount_usd": "$750 million", "ticker": "iwm",
                                            "window_end": "2017-08-17"})
    # ticker unchanged; a window the reviewer set is theirs (sure enough to call a claim false)
    assert set(change.fields) == {"amount_usd", "window_end", "window_source", "status"}
    row = rows(db_path, "SELECT * FROM flows WHERE id = ?", [fid])[0]
    assert (row["amount_usd"], row["ticker"], row["window_end"], row["status"]) == (
        7.5e8, "IWM", "2017-08-17", "edited")
    got = {r["field"]: (r["old_value"], r["new_value"])
           for r in rows(db_path, "SELECT * FROM corrections")}
    assert got["amount_usd"] == ("700000000", "750000000")
    assert got["status"] == ("extracted", "edited")


@pytest.mark.parametrize("table,field,value,message", [
    ("flows", "amount_usd", "lots", "not an amount"),
    ("flows", "amount_usd", -5, "positive"),
    ("flows", "direction", "sideways", "inflow, outflow"),
    ("returns", "value_pct", "abc", "not a number"),
    ("returns", "window_start", "May 24", "not a date"),
    ("sentiment", "score", 3, "outside -1..1"),
    ("flows", "ticker", "not a ticker!", "not a ticker symbol"),
    ("flows", "evidence", "x", "cannot be edited"),
    ("flows", "ticker", "", "cannot be empty"),
])
def test_a_bad_value_is_refused_and_nothing_changes(db, db_path, table, field, value, message):
    fid = _id(db, table)
    before = rows(db_path, f"SELECT * FROM {table} WHERE id = ?", [fid])
    with pytest.raises(review.ReviewError, match=message):
        review.edit(db, table, fid, {field: value})
    assert rows(db_path, f"SELECT * FROM {table} WHERE id = ?", [fid]) == before
    assert rows(db_path, "SELECT * FROM corrections") == []


def test_reject_then_reingest_keeps_the_decision_and_adds_no_copy(db, db_path, make_facts):
    fid = _id(db, "flows")
    review.reject(db, "flows", fid)
    review.edit(db, "returns", _id(db, "returns"), {"value_pct": 2.66})
    store.write_article(db, _facts(make_facts))  # the same claims extracted again
    flows = rows(db_path, "SELECT id, status FROM flows")
    assert flows == [{"id": fid, "status": "rejected"}]
    returns = rows(db_path, "SELECT value_pct, status FROM returns")
    assert returns == [{"value_pct": 2.66, "status": "edited"}]


def test_add_stores_a_human_claim_from_its_evidence(db, db_path):
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    start = TEXT.index("Investors put $450 million into QQQ")
    end = start + len("Investors put $450 million into QQQ")
    change = review.add(db, aid, "flows", start, end,
                        {"ticker": "QQQ", "direction": "inflow", "amount_usd": "450 million"})
    row = rows(db_path, "SELECT * FROM flows WHERE id = ?", [change.fact_id])[0]
    assert (row["source"], row["status"], row["amount_usd"], row["evidence"]) == (
        "human", "added", 4.5e8, "Investors put $450 million into QQQ")
    assert row["fact_key"] == store.fact_key("flows", row)
    [c] = rows(db_path, "SELECT * FROM corrections")
    assert (c["field"], c["old_value"], c["new_value"]) == ("status", None, "added")


def test_add_refuses_a_claim_missing_what_makes_it_checkable(db):
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    with pytest.raises(review.ReviewError, match="needs amount_usd"):
        review.add(db, aid, "flows", 0, 5, {"ticker": "QQQ", "direction": "inflow"})
    with pytest.raises(review.ReviewError, match="outside the article"):
        review.add(db, aid, "flows", 0, 10_000, {"ticker": "QQQ", "direction": "inflow",
                                                  "amount_usd": 1e6})


def test_undo_restores_the_old_values_and_is_recorded(db, db_path):
    fid = _id(db, "flows")
    change = review.edit(db, "flows", fid, {"amount_usd": 7.5e8})
    undo = review.undo(db, change.id)
    row = rows(db_path, "SELECT amount_usd, status FROM flows WHERE id = ?", [fid])[0]
    assert row == {"amount_usd": 7e8, "status": "extracted"}
    first = rows(db_path, "SELECT undone_by FROM corrections WHERE change_id = ?", [change.id])
    assert {r["undone_by"] for r in first} == {undo.id}
    back = rows(db_path, "SELECT field, old_value, new_value, note FROM corrections "
                         "WHERE change_id = ? ORDER BY field", [undo.id])
    assert back == [{"field": "amount_usd", "old_value": "750000000", "new_value": "700000000",
                     "note": f"undo of change {change.id}"},
                    {"field": "status", "old_value": "edited", "new_value": "extracted",
                     "note": f"undo of change {change.id}"}]
    with pytest.raises(review.ReviewError, match="undone already"):
        review.undo(db, change.id)
    review.undo(db, undo.id)  # an undo is a change like any other: redo
    assert rows(db_path, "SELECT amount_usd FROM flows WHERE id = ?", [fid])[0]["amount_usd"] == 7.5e8


def test_undo_refuses_when_the_field_changed_again(db, db_path):
    fid = _id(db, "returns")
    first = review.edit(db, "returns", fid, {"value_pct": 2.6})
    review.edit(db, "returns", fid, {"value_pct": 2.5})
    with pytest.raises(review.ReviewError, match="changed again after change"):
        review.undo(db, first.id)
    assert rows(db_path, "SELECT value_pct FROM returns")[0]["value_pct"] == 2.5


def test_undo_of_an_add_removes_the_claim_and_keeps_the_trail(db, db_path):
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    added = review.add(db, aid, "returns", 0, 4, {"ticker": "QQQ", "value_pct": 1})
    review.undo(db, added.id)
    assert rows(db_path, "SELECT * FROM returns WHERE id = ?", [added.fact_id]) == []
    assert len(rows(db_path, "SELECT * FROM corrections WHERE fact_id = ? AND fact_table = "
                             "'returns'", [added.fact_id])) == 2


def test_accept_all_is_one_change_over_every_unreviewed_claim(db, db_path):
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    review.reject(db, "flows", _id(db, "flows"))
    changes = review.accept_all(db, aid)
    assert len({c.id for c in changes}) == 1 and len(changes) == 4  # return, quote, sentiment, ticker
    for table in ("returns", "quotes", "sentiment", "mentions"):
        assert {r["status"] for r in rows(db_path, f"SELECT status FROM {table}")} == {"accepted"}
    assert rows(db_path, "SELECT status FROM flows")[0]["status"] == "rejected"
    review.undo(db, changes[0].id)
    assert rows(db_path, "SELECT status FROM quotes")[0]["status"] == "extracted"


def test_a_claim_gone_after_reingest_is_a_clear_error(db, make_facts):
    fid = _id(db, "flows")
    store.write_article(db, _facts(make_facts, TEXT + "One more line.\n"))  # new text, new rows
    with pytest.raises(review.ReviewError, match="no longer in the database"):
        review.accept(db, "flows", fid)


def test_history_lists_one_articles_changes_newest_first(db, make_facts):
    other = make_facts("date 2019-10-17\nOther\n\nInvestors put $450 million into QQQ.\n",
                       path="b.txt",
                       flows=[("Investors put $450 million into QQQ", "QQQ", "inflow", 4.5e8)])
    store.write_article(db, other)
    aid = db.execute("SELECT id FROM articles WHERE path = 'corpus/a.txt'").fetchone()[0]
    review.accept(db, "returns", _id(db, "returns"))
    review.reject(db, "quotes", _id(db, "quotes"))
    qqq = db.execute("SELECT id FROM flows WHERE ticker = 'QQQ'").fetchone()[0]
    review.accept(db, "flows", qqq)
    hist = review.history(db, aid)
    assert [(h["fact_table"], h["new_value"]) for h in hist] == [("quotes", "rejected"),
                                                                ("returns", "accepted")]
    assert len(review.history(db)) == 3


def test_an_edited_return_is_checked_again(db, db_path):
    """The verdict follows the edit: the check's fingerprint holds the claim's fields."""
    db.execute("INSERT INTO prices (symbol, date, close, adj_close) VALUES "
               "('IWM', '2016-12-30', 100, 100), ('IWM', '2017-08-17', 102.7, 102.7), "
               "('IWM', '2017-08-18', 102.7, 102.7)")
    db.conn.commit()
    fid = _id(db, "returns")
    db.execute("UPDATE returns SET window_start = '2016-12-30', window_end = '2017-08-18' "
               "WHERE id = ?", [fid])
    db.conn.commit()
    review.refresh_verdicts(db)
    assert rows(db_path, "SELECT verdict FROM checks")[0]["verdict"] == "confirmed"
    review.edit(db, "returns", fid, {"value_pct": 9})
    review.refresh_verdicts(db)
    assert rows(db_path, "SELECT verdict FROM checks")[0]["verdict"] == "contradicted"


def test_a_02_database_gains_the_change_columns(tmp_path):
    path = tmp_path / "old.db"
    old = store.open_db(path, migrations=store.MIGRATIONS[:2])
    old.execute("INSERT INTO corrections (fact_table, fact_id, field, old_value, new_value, "
                "created_at) VALUES ('flows', 1, 'status', 'extracted', 'accepted', 'then')")
    old.conn.commit()
    old.close()
    store.open_db(path).close()
    assert rows(path, "SELECT change_id, undone_by FROM corrections") == [
        {"change_id": 1, "undone_by": None}]


def test_queue_puts_the_contradicted_and_least_confident_first(db, db_path):
    fid = _id(db, "returns")
    db.execute("UPDATE flows SET confidence = 0.4")
    db.execute("UPDATE quotes SET confidence = 0.9")
    db.execute("INSERT INTO checks (fact_table, fact_id, verdict, checked_at) "
               "VALUES ('returns', ?, 'contradicted', 'now')", [fid])
    db.conn.commit()
    total, q = queries.queue(db)
    assert total == 4
    assert [(c["kind"], c["why"]) for c in q[:3]] == [
        ("return", "contradicted by the data"), ("flow", "certainty 0.40"),
        ("sentiment", "certainty 0.80")]
    review.accept(db, "returns", fid)
    assert queries.queue(db)[0] == 3


def test_read_only_connection_refuses_a_change(db, db_path):
    ro = store.open_db(db_path, readonly=True)
    with pytest.raises(Exception) as err:
        review.accept(ro, "flows", _id(db, "flows"))
    assert isinstance(err.value, (store.StoreError, sqlite3.Error))


@pytest.mark.parametrize("values,message", [
    ({"amount_usd": "1e400"}, "not a finite number"),
    ({"amount_usd": "9" * 400}, "not a finite number"),
    ({"amount_usd": 10 ** 400}, "too large"),
    ({"window_start": "9999-12-31"}, "outside 1900..2100"),
    ({"window_end": "2021-01-01T99:99"}, "not a date"),
    ({"window_start": "2022-05-01", "window_end": "2020-01-01"}, "ends .* before it starts"),
])
def test_values_that_would_store_nonsense_are_refused(db, db_path, values, message):
    fid = _id(db, "flows")
    before = rows(db_path, "SELECT * FROM flows")
    with pytest.raises(review.ReviewError, match=message):
        review.edit(db, "flows", fid, values)
    assert rows(db_path, "SELECT * FROM flows") == before


def test_a_typed_window_label_is_resolved_as_the_extractor_resolves_it(db, db_path):
    fid = _id(db, "returns")
    review.edit(db, "returns", fid, {"window_label": "year-to-date"})
    got = db.execute("SELECT window_label, window_start, window_end, window_source FROM returns WHERE id = ?",
                     [fid]).fetchone()
    # the article of 2017-08-18 runs through the session before: 2016-12-30 .. 2017-08-17
    assert got == ("year-to-date", "2016-12-30", "2017-08-17", "reviewer")


def test_an_added_claim_with_a_window_label_gets_its_dates(db):
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    text = db.execute("SELECT text FROM articles").fetchone()[0]
    start = text.index("IWM")
    change = review.add(db, aid, "returns", start, start + 3,
                        {"ticker": "IWM", "value_pct": "2.7", "window_label": "past month"})
    got = db.execute("SELECT window_start, window_end, window_source FROM returns WHERE id = ?",
                     [change.fact_id]).fetchone()
    assert got == ("2017-07-17", "2017-08-17", "reviewer")
