"""The SQLite store: real files in tmp_path, reopened and asserted on row by row."""
from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from dataclasses import replace

import pytest

from extractor import kinds, store
from extractor.errors import IngestError, ReadOnlyQueryError, StoreError
from extractor import pipeline
from extractor.pipeline import article_from_text
from extractor.store import MIGRATIONS, open_db, query, write_article
from extractor.schema import EXTRACTOR_VERSION
from _db import rows


TEXT = ("date 2017-08-18\nSmall caps lose their footing\n\n"
        "More than $700 million has vacated IWM in the past couple sessions. "
        "IWM is up just 2.7 percent year-to-date, said Paul Weisbruch of Street One. "
        "Options traders are turning bearish on IWM. IWM closed at $138.21.\n")
FLOW = "More than $700 million has vacated IWM"
RETURN = "IWM is up just 2.7 percent"
QUOTE = "said Paul Weisbruch"
SENT = "Options traders are turning bearish on IWM."
LEVEL = "IWM closed at $138.21"


@pytest.fixture
def iwm_facts(make_facts):
    """The IWM article with one fact of every kind."""
    def build(text: str = TEXT, path: str = "corpus/iwm.txt"):
        return make_facts(text, path, tickers=["IWM"],
                          flows=[(FLOW, "IWM", "outflow", 7e8)],
                          returns=[(RETURN, "IWM", 2.7)],
                          quotes=[(QUOTE, "Paul Weisbruch")],
                          sentiment=[(SENT, "IWM", "bearish", -0.6)],
                          mentions=[("IWM", "IWM")],
                          levels=[(LEVEL, "IWM", 138.21)])
    return build




def write(path, facts):
    db = open_db(path)
    try:
        return write_article(db, facts)
    finally:
        db.close()


# --------------------------------------------------------------------------- schema


def test_migrations_are_applied_once(db_path):
    open_db(db_path).close()
    open_db(db_path).close()
    applied = rows(db_path, "SELECT name, applied_at FROM _migrations")
    assert [r["name"] for r in applied] == [fn.__name__ for fn in MIGRATIONS]
    tables = {r["name"] for r in rows(db_path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "mentions", "flows", "returns", "quotes", "sentiment",
            "corrections", "articles_fts"} <= tables
    views = {r["name"] for r in rows(db_path, "SELECT name FROM sqlite_master WHERE type='view'")}
    assert views == {"claims", *(f"live_{t}" for t in store.FACT_TABLES)}


def test_a_migration_added_later_keeps_the_data(db_path, iwm_facts):
    write(db_path, iwm_facts())

    def m900_add_note(db):
        db["flows"].add_column("note", str)

    db = open_db(db_path, migrations=[*MIGRATIONS, m900_add_note])
    db.close()
    assert [r["name"] for r in rows(db_path, "SELECT name FROM _migrations ORDER BY name")] == \
        [*(fn.__name__ for fn in MIGRATIONS), "m900_add_note"]
    flows = rows(db_path, "SELECT ticker, amount_usd, note FROM flows")
    assert flows == [{"ticker": "IWM", "amount_usd": 7e8, "note": None}]
    assert rows(db_path, "SELECT count(*) AS n FROM articles") == [{"n": 1}]


def test_a_database_of_version_0_2_gains_the_checks_and_keeps_its_claims(db_path, iwm_facts):
    db = open_db(db_path, migrations=MIGRATIONS[:1])  # the schema 0.2.0 wrote
    facts = iwm_facts()
    def old(table, row):  # only the columns 0.2.0 had
        return {k: v for k, v in row.items() if k in db[table].columns_dict}
    db["articles"].insert(old("articles", store.article_row(facts.article, facts.tickers)))
    db["flows"].insert_all([old("flows", r) for r in store.fact_rows(facts)["flows"]])
    db.close()
    db = open_db(db_path)
    db.close()
    assert rows(db_path, "SELECT claim_type, ticker, verdict FROM claims") == [
        {"claim_type": "flow", "ticker": "IWM", "verdict": None}]
    tables = {r["name"] for r in rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"prices", "corporate_actions", "fund_flows", "checks"} <= tables


def test_wal_busy_timeout_and_foreign_keys(db_path):
    db = open_db(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO flows (article_id, ticker) VALUES ('nope', 'IWM')")
    db.close()


def test_status_and_source_are_checked_by_the_database(db_path, iwm_facts):
    write(db_path, iwm_facts())
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("UPDATE flows SET status = 'acepted'")
    conn.close()


# --------------------------------------------------------------------------- writing


def test_write_article_stores_rows_whose_spans_slice_the_text(db_path, iwm_facts):
    facts = iwm_facts()
    result = write(db_path, facts)
    assert result.inserted == {**dict.fromkeys(store.FACT_TABLES, 0), "mentions": 1, "flows": 1, "returns": 1,
                               "quotes": 1, "sentiment": 1, "levels": 1}
    article = rows(db_path, "SELECT * FROM articles")[0]
    assert article["id"] == facts.article.id
    assert (article["path"], article["title"], article["published"], article["tickers"]) == \
        ("corpus/iwm.txt", "Small caps lose their footing", "2017-08-18", '["IWM"]')
    text = article["text"]
    for table in [t for t in store.FACT_TABLES if kinds.get(t).records(facts)]:
        (row,) = rows(db_path, f"SELECT * FROM {table}")
        assert text[row["start"]:row["end"]] == row["evidence"]
        assert (row["article_id"], row["source"], row["status"], row["extractor_version"]) == \
            (facts.article.id, "rules", "extracted", EXTRACTOR_VERSION)
        assert row["fact_key"]
    flow = rows(db_path, "SELECT evidence, direction, amount_usd FROM flows")[0]
    assert flow == {"evidence": FLOW, "direction": "outflow", "amount_usd": 7e8}


def test_writing_the_same_article_again_adds_no_duplicates(db_path, iwm_facts):
    facts = iwm_facts()
    write(db_path, facts)
    write(db_path, iwm_facts())
    for table in store.FACT_TABLES:
        n = len(kinds.get(table).records(facts))
        assert rows(db_path, f"SELECT count(*) AS n FROM {table}") == [{"n": n}], table
    assert rows(db_path, "SELECT count(*) AS n FROM articles") == [{"n": 1}]


def test_a_human_decision_survives_reextraction(db_path, iwm_facts):
    write(db_path, iwm_facts())
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE flows SET status = 'edited', amount_usd = 7.5e8")
        conn.execute("UPDATE returns SET status = 'rejected'")
    conn.close()
    before = rows(db_path, "SELECT * FROM flows")[0]

    result = write(db_path, iwm_facts())

    assert result.kept == 2 and result.skipped == 2
    assert rows(db_path, "SELECT * FROM flows") == [before]  # untouched, no machine copy
    assert rows(db_path, "SELECT status FROM returns") == [{"status": "rejected"}]
    assert rows(db_path, "SELECT count(*) AS n FROM quotes") == [{"n": 1}]


def _review_first(db_path):
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE flows SET status = 'accepted'")
        conn.execute("UPDATE quotes SET status = 'rejected'")
    conn.close()
    return rows(db_path, "SELECT id FROM flows")[0]["id"]


def _changed(make_facts, path="corpus/iwm.txt", key=None):
    changed = TEXT.replace("Small caps lose their footing", "Small caps stumble again")
    changed = changed.replace("said Paul Weisbruch of Street One", "analysts said")
    facts = make_facts(changed, path, tickers=["IWM"], flows=[(FLOW, "IWM", "outflow", 7e8)],
                       returns=[(RETURN, "IWM", 2.7)])
    return replace(facts, article=replace(facts.article, key=key)), changed


def test_a_changed_file_keeps_reviewed_rows_on_the_text_they_were_reviewed_on(db_path, iwm_facts, make_facts):
    first = iwm_facts()
    write(db_path, first)
    accepted_id = _review_first(db_path)
    second, changed = _changed(make_facts)
    result = write(db_path, second)

    assert result.replaced == [] and result.superseded == [first.article.id]
    assert rows(db_path, "SELECT id, superseded_by FROM articles ORDER BY ingested_at, id") == sorted(
        [{"id": first.article.id, "superseded_by": second.article.id},
         {"id": second.article.id, "superseded_by": None}], key=lambda r: r["id"] != first.article.id)
    assert rows(db_path, "SELECT path, article_id FROM article_paths") == [
        {"path": "corpus/iwm.txt", "article_id": second.article.id}]
    flows = rows(db_path, "SELECT id, article_id, status FROM flows ORDER BY id")
    assert flows[0] == {"id": accepted_id, "article_id": first.article.id, "status": "accepted"}
    assert flows[1]["article_id"] == second.article.id and flows[1]["status"] == "extracted"
    # the old text's machine rows are gone, its decisions are not
    assert rows(db_path, "SELECT article_id, status FROM quotes") == [
        {"article_id": first.article.id, "status": "rejected"}]
    assert rows(db_path, "PRAGMA foreign_key_check") == []


def test_an_unreviewed_old_text_at_a_changed_path_goes(db_path, iwm_facts, make_facts):
    first = iwm_facts()
    write(db_path, first)
    second, _ = _changed(make_facts)
    result = write(db_path, second)
    assert result.superseded == [] and rows(db_path, "SELECT id FROM articles") == [{"id": second.article.id}]


def test_a_keyed_article_moves_its_reviewed_rows_to_its_new_text(db_path, iwm_facts, make_facts):
    first = iwm_facts()
    first = replace(first, article=replace(first.article, path="feed.jsonl#a-17", key="a-17"))
    write(db_path, first)
    accepted_id = _review_first(db_path)
    second, changed = _changed(make_facts, path="feed.jsonl#a-17", key="a-17")
    result = write(db_path, second)

    assert result.replaced == [first.article.id]
    assert rows(db_path, "SELECT id, title FROM articles") == \
        [{"id": second.article.id, "title": "Small caps stumble again"}]
    flows = rows(db_path, "SELECT id, article_id, status, start, end, evidence FROM flows")
    assert len(flows) == 1
    assert flows[0]["id"] == accepted_id and flows[0]["status"] == "accepted"
    assert flows[0]["article_id"] == second.article.id
    assert changed[flows[0]["start"]:flows[0]["end"]] == FLOW  # span re-found in the new text
    # The rejected quote's words are gone from the text: kept, with no span.
    assert rows(db_path, "SELECT article_id, status, start, end FROM quotes") == \
        [{"article_id": second.article.id, "status": "rejected", "start": None, "end": None}]
    assert rows(db_path, "SELECT count(*) AS n FROM sentiment") == [{"n": 0}]
    assert rows(db_path, "SELECT article_id FROM returns") == [{"article_id": second.article.id}]


def test_the_same_text_under_two_paths_is_one_article_stored_once(db_path, iwm_facts):
    first = iwm_facts()
    write(db_path, first)
    copy = replace(first, article=replace(first.article, path="elsewhere/iwm-copy.txt"))
    write(db_path, copy)
    assert rows(db_path, "SELECT id, path FROM articles") == [{"id": first.article.id, "path": "corpus/iwm.txt"}]
    assert {r["path"] for r in rows(db_path, "SELECT path FROM article_paths")} == {
        "corpus/iwm.txt", "elsewhere/iwm-copy.txt"}
    db = store.open_db(db_path)
    assert store.article_state(db, "elsewhere/iwm-copy.txt") == first.article.id  # skipped next run
    db.close()


def test_a_database_from_a_newer_extractor_is_refused_with_one_line(db_path):
    db = store.open_db(db_path)
    db.execute("INSERT INTO _migrations (migration_set, name, applied_at) VALUES "
               "('extractor', 'm099_from_the_future', '2030-01-01')")
    db.conn.commit()
    db.close()
    with pytest.raises(StoreError, match=r"written by a newer extractor \(its schema has m099_from_the_future"):
        store.open_db(db_path)


def test_a_column_can_be_renamed_after_the_migrations(db_path):
    # the bogus idx_quotes_ticker (on the string 'ticker') made every RENAME/DROP COLUMN fail
    old = store.open_db(db_path, migrations=MIGRATIONS[:4])
    with pytest.raises(sqlite3.OperationalError):
        old.execute("ALTER TABLE quotes RENAME COLUMN stance TO stance_label")
    old.close()
    db = store.open_db(db_path)  # m005 drops it
    db.execute("ALTER TABLE quotes RENAME COLUMN stance TO stance_label")
    db.execute("ALTER TABLE quotes DROP COLUMN quote_text")
    db.close()


def test_fact_key_ignores_what_a_reviewer_may_edit():
    base = {"ticker": "IWM", "direction": "outflow", "amount_usd": 7e8, "qualifier": "more than"}
    assert store.fact_key("flows", base) == store.fact_key("flows", {**base, "qualifier": None,
                                                                     "ticker": "iwm"})
    assert store.fact_key("flows", base) != store.fact_key("flows", {**base, "amount_usd": 8e8})
    assert store.fact_key("quotes", {"speaker": "Paul Weisbruch"}) == \
        store.fact_key("quotes", {"speaker": "Mr. Weisbruch"})
    with pytest.raises(ValueError, match="unknown kind of claim 'prices'"):
        store.fact_key("prices", {})


# --------------------------------------------------------------------------- reading


def test_article_state_and_summary(db_path, iwm_facts, make_facts):
    db = open_db(db_path)
    assert store.article_state(db, "corpus/iwm.txt") is None
    facts = iwm_facts()
    write_article(db, facts)
    write_article(db, make_facts("QQQ and IWM rose.", "b.txt", tickers=["QQQ", "IWM"]))
    assert store.article_state(db, "corpus/iwm.txt") == facts.article.id
    s = store.summary(db)
    db.close()
    assert s["articles"] == 2
    assert s["claims"] == {**dict.fromkeys(store.FACT_TABLES, 0), "mentions": 1, "flows": 1, "returns": 1,
                           "quotes": 1, "sentiment": 1, "levels": 1}
    assert s["tickers"] == 2
    assert s["top_tickers"] == [("IWM", 2), ("QQQ", 1)]


def test_claims_view_has_one_row_per_checked_claim(db_path, iwm_facts):
    write(db_path, iwm_facts())
    claims = rows(db_path, "SELECT * FROM claims ORDER BY claim_type")
    assert [(c["claim_type"], c["ticker"], c["amount_usd"], c["value_pct"], c["value"]) for c in claims] == \
        [("flow", "IWM", 7e8, None, None), ("level", "IWM", None, None, 138.21),
         ("return", "IWM", None, 2.7, None)]
    flow = claims[0]
    assert flow["title"] == "Small caps lose their footing" and flow["published"] == "2017-08-18"
    assert flow["path"] == "corpus/iwm.txt" and flow["direction"] == "outflow"
    assert flow["evidence"] == FLOW and flow["status"] == "extracted" and flow["verdict"] is None
    assert {"fact_id", "article_id", "kind", "qualifier", "window_label", "window_start",
            "window_end", "value_pct_high", "source"} <= set(flow)


def test_full_text_search_finds_an_article(db_path, iwm_facts, make_facts):
    db = open_db(db_path)
    write_article(db, iwm_facts())
    write_article(db, make_facts("Gold funds shed assets.", "gold.txt"))
    hits = store.search(db, "vacated")
    assert [h["path"] for h in hits] == ["corpus/iwm.txt"]
    assert [h["path"] for h in store.search(db, "gold")] == ["gold.txt"]
    db.close()
    fts = rows(db_path, "SELECT a.path FROM articles_fts JOIN articles a ON a.rowid = "
                        "articles_fts.rowid WHERE articles_fts MATCH 'footing'")
    assert fts == [{"path": "corpus/iwm.txt"}]


def test_query_returns_columns_and_rows(db_path, iwm_facts):
    write(db_path, iwm_facts())
    columns, result = query(db_path, "SELECT ticker, direction FROM flows WHERE ticker = :t",
                            {"t": "IWM"})
    assert columns == ["ticker", "direction"]
    assert result == [("IWM", "outflow")]


@pytest.mark.parametrize("sql", [
    "INSERT INTO corrections (fact_table, fact_id, created_at) VALUES ('flows', 1, 'now')",
    "DROP TABLE flows",
    "  -- a comment first\n update flows set status = 'accepted'",
    "WITH x AS (SELECT 1) DELETE FROM flows",
    "ATTACH DATABASE 'other.db' AS other",
])
def test_query_refuses_writes_and_leaves_the_database_unchanged(db_path, sql, tmp_path, monkeypatch, iwm_facts):
    monkeypatch.chdir(tmp_path)
    write(db_path, iwm_facts())
    before = rows(db_path, "SELECT * FROM flows"), rows(db_path, "SELECT * FROM sqlite_master")
    with pytest.raises(ReadOnlyQueryError) as info:
        query(db_path, sql)
    assert str(info.value) == ("extractor query is read-only: INSERT/UPDATE/DELETE/DROP are "
                               "refused; use the review app to change claims")
    assert (rows(db_path, "SELECT * FROM flows"), rows(db_path, "SELECT * FROM sqlite_master")) \
        == before
    assert not (tmp_path / "other.db").exists()


def test_query_sql_error_gives_sqlites_message(db_path):
    open_db(db_path).close()
    with pytest.raises(StoreError, match=r"^no such table: nope \(tables and views: .*claims"):
        query(db_path, "SELECT * FROM nope")
    with pytest.raises(StoreError, match='near "SELEC": syntax error'):
        query(db_path, "SELEC 1")


def test_query_without_a_database_says_to_ingest_first(tmp_path):
    missing = tmp_path / "missing.db"
    with pytest.raises(StoreError) as info:
        query(missing, "SELECT 1")
    assert str(info.value) == f"no database at {missing}: run `extractor ingest` first"
    assert not missing.exists()


ENDLESS = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) SELECT count(*) FROM r"
ENDLESS_ROWS = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) SELECT x FROM r"


def test_query_past_its_timeout_is_stopped_with_a_limit_error(db_path):
    open_db(db_path).close()
    started = time.monotonic()
    with pytest.raises(store.QueryLimitError) as info:
        query(db_path, ENDLESS, timeout=0.3)
    assert time.monotonic() - started < 3
    assert isinstance(info.value, StoreError) and info.value.limit == "timeout"
    assert str(info.value) == ("the query ran longer than 0.3 s and was stopped; add a LIMIT or "
                               "raise --timeout (EXTRACTOR_QUERY_TIMEOUT)")
    assert query(db_path, "SELECT 1", timeout=0.3) == (["1"], [(1,)])  # a quick one is untouched


def test_query_max_rows_fetches_one_row_more_and_says_cut(db_path):
    open_db(db_path).close()
    columns, result = query(db_path, ENDLESS_ROWS, max_rows=5, timeout=5)
    assert columns == ["x"] and result == [(1,), (2,), (3,), (4,), (5,), (6,)]
    assert result.cut == "rows"
    assert query(db_path, "SELECT 1", max_rows=5)[1].cut is None


def test_query_max_bytes_refuses_a_huge_value_and_cuts_a_long_result(db_path):
    open_db(db_path).close()
    with pytest.raises(store.QueryLimitError) as info:
        query(db_path, "SELECT randomblob(200000000)", max_bytes=50_000_000)
    assert info.value.limit == "bytes"
    assert str(info.value).startswith("the query made a value larger than the 50,000,000-byte "
                                      "limit and was stopped; ")
    # an endless result of 1,000-byte rows stops before 10,500 bytes: 10 rows, not 11
    _, result = query(db_path, "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) "
                               "SELECT printf('%.*c', 1000, 'x') FROM r", max_bytes=10_500, timeout=5)
    assert len(result) == 10 and result.cut == "bytes"
    with pytest.raises(store.QueryLimitError, match="one row of the result is larger than the 1,000"):
        query(db_path, "SELECT randomblob(600), randomblob(600)", max_bytes=1_000)
    assert query(db_path, "SELECT 'é' AS e", max_bytes=1_000) == (["e"], [("é",)])
    # the schema (the claims view's long CREATE VIEW) is read before the limit is set
    assert query(db_path, "SELECT count(*) FROM claims", max_bytes=100) == (["count(*)"], [(0,)])


def test_a_stopped_query_leaves_no_read_snapshot_behind(db_path, iwm_facts):
    """While a query reads, a checkpoint cannot truncate the WAL past its snapshot; once it
    is stopped (time limit, or a result cut mid-way) a writer commits and TRUNCATE succeeds."""
    write(db_path, iwm_facts())
    reading = ("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) "
               "SELECT count(*) FROM r, flows")
    errors: list[Exception] = []

    def run() -> None:
        try:
            query(db_path, reading, timeout=1.5)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    reader = threading.Thread(target=run)
    reader.start()
    writer = sqlite3.connect(db_path, timeout=0)  # a checkpoint reports busy instead of waiting
    busy_while_reading = False
    for n in range(100):  # until the reader holds its snapshot
        # the reader's open can hold a lock for a moment (WAL recovery): the write may wait,
        # the checkpoint may not
        writer.execute("PRAGMA busy_timeout = 5000")
        writer.execute("INSERT INTO corrections (fact_table, fact_id, created_at) VALUES ('flows', ?, 'now')", [n])
        writer.commit()
        writer.execute("PRAGMA busy_timeout = 0")
        if writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 1:
            busy_while_reading = True
            break
        time.sleep(0.02)
    reader.join()
    assert busy_while_reading and [type(e) for e in errors] == [store.QueryLimitError]
    writer.execute("INSERT INTO corrections (fact_table, fact_id, created_at) VALUES ('flows', 1, 'now')")
    writer.commit()
    assert writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    _, result = query(db_path, "SELECT f.* FROM flows f, corrections", max_rows=1)
    assert result.cut == "rows"
    with pytest.raises(store.QueryLimitError) as info:  # its traceback keeps query's frame alive
        query(db_path, "SELECT randomblob(600), randomblob(600) FROM corrections", max_bytes=1_000)
    writer.execute("DELETE FROM corrections")
    writer.commit()
    assert writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone() == (0, 0, 0)
    assert info.value.limit == "bytes"
    writer.close()


def test_a_locked_database_is_a_store_error(db_path, iwm_facts):
    open_db(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        db = open_db(db_path, timeout=0.2)
        with pytest.raises(StoreError) as info:
            write_article(db, iwm_facts())
        db.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert isinstance(info.value, store.DatabaseLocked)
    assert str(info.value) == (f"database is locked: {db_path} (another program is writing to "
                               "it; try again when it finishes)")
    assert rows(db_path, "SELECT count(*) AS n FROM articles") == [{"n": 0}]


def test_not_a_database_file_is_a_store_error(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="is not a SQLite database"):
        open_db(bogus)


def test_datasette_opens_the_file(db_path, iwm_facts):
    datasette_app = pytest.importorskip("datasette.app")
    write(db_path, iwm_facts())
    ds = datasette_app.Datasette([str(db_path)])

    async def fetch():
        return await ds.client.get(f"/{db_path.stem}/claims.json?_shape=array")

    response = asyncio.run(fetch())
    assert response.status_code == 200
    assert [(r["claim_type"], r["ticker"]) for r in response.json()] == \
        [("flow", "IWM"), ("return", "IWM"), ("level", "IWM")]


# --------------------------------------------------------------------------- ingest loop


def test_ingest_articles_keeps_going_past_bad_items(db_path, fake_extract):
    good = article_from_text("$5 million left IWM today.", path="good.txt")
    bad = article_from_text("EXPLODE", path="bad.txt")
    err = IngestError("empty.txt", "empty file")
    db = open_db(db_path)
    outcomes = list(pipeline.ingest_articles(db, [good, bad, err], extract=fake_extract))
    again = list(pipeline.ingest_articles(db, [good], extract=fake_extract))
    db.close()
    by_path = {o.path: o for o in outcomes}
    assert by_path["good.txt"].status == "ingested"
    assert by_path["bad.txt"].status == "failed"
    assert by_path["bad.txt"].error == \
        "bad.txt: extraction failed: RuntimeError: rules crashed on two lines"
    assert by_path["empty.txt"].error == "empty.txt: empty file"
    assert [o.status for o in again] == ["skipped"]
    assert rows(db_path, "SELECT path FROM articles") == [{"path": "good.txt"}]
    assert rows(db_path, "SELECT ticker, amount_usd FROM flows") == [{"ticker": "IWM",
                                                                       "amount_usd": 5e6}]
