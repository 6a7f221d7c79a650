"""The review app through Streamlit's AppTest, against a real SQLite file: every action
a reviewer takes, asserted in the database afterwards, and no exception on any page."""
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from _db import rows  # noqa: E402
from extractor import store  # noqa: E402

APP = str(Path(__file__).parents[1] / "extractor" / "ui" / "app.py")

A = ("date 2017-08-18\nSmall caps slip\n\nMore than $700 million has left IWM in the past "
     "couple sessions. IWM is up just 2.7 percent year-to-date, said Jane Doe. "
     "Traders are bearish on IWM. Investors put $450 million into QQQ.\n")
B = ("date 2019-10-17\nTech funds draw money\n\nInvestors put $450 million into QQQ last week. "
     "A reader wrote <script>alert(1)</script> here.\n")


@pytest.fixture
def db(db_path, make_facts, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_DB", str(db_path))
    db = store.open_db(db_path)
    store.write_article(db, make_facts(
        A, path="corpus/a.txt",
        flows=[("More than $700 million has left IWM", "IWM", "outflow", 7e8)],
        returns=[("IWM is up just 2.7 percent", "IWM", 2.7)],
        quotes=[("said Jane Doe", "Jane Doe")],
        sentiment=[("Traders are bearish on IWM.", "IWM", "bearish", -0.8)],
        mentions=[("IWM", "IWM")], tickers=["IWM"]))
    store.write_article(db, make_facts(
        B, path="corpus/b.txt",
        flows=[("Investors put $450 million into QQQ", "QQQ", "inflow", 4.5e8)],
        mentions=[("QQQ", "QQQ")], tickers=["QQQ"]))
    yield db
    db.close()


def article_id(db, path):
    return db.execute("SELECT id FROM articles WHERE path = ?", [path]).fetchone()[0]


def app(page=None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def review_page(db, path="corpus/a.txt") -> AppTest:
    return app("review", article=article_id(db, path))


def table(at: AppTest):
    """The page's one read-only table (``st.dataframe`` without selection has no key)."""
    [frame] = [d for d in at.dataframe if d.editing_mode == "read_only"]
    return frame.value


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


# --------------------------------------------------------------------------- empty database

@pytest.mark.parametrize("page", [None, "review", "claim", "signals"])
def test_an_empty_database_says_how_to_ingest(db_path, monkeypatch, page):
    monkeypatch.setenv("EXTRACTOR_DB", str(db_path))
    at = app(page)
    assert any("extractor ingest --db" in i.value for i in at.info)
    assert db_path.exists()  # created, so `extractor ingest` and the app share it


def test_a_file_that_is_not_a_database_is_one_line(tmp_path, monkeypatch):
    bad = tmp_path / "notes.db"
    bad.write_text("not sqlite")
    monkeypatch.setenv("EXTRACTOR_DB", str(bad))
    at = app()
    assert "is not a SQLite database" in at.error[0].value


# --------------------------------------------------------------------------- inbox

def titles(at):
    frames = [d for d in at.dataframe if d.key == "articles"]
    return list(frames[0].value["title"]) if frames else []


def test_inbox_lists_articles_with_counts(db):
    at = app()
    frame = at.dataframe(key="articles").value
    assert list(frame["title"]) == ["Tech funds draw money", "Small caps slip"]
    small = frame[frame["title"] == "Small caps slip"].iloc[0]
    assert (small["flow"], small["return"], small["quote"], small["unreviewed"]) == (1, 1, 1, 4)


def test_inbox_filters_by_ticker_status_kind_verdict_and_search(db):
    at = app()
    at.selectbox(key="ticker").set_value("QQQ").run()
    assert titles(ok(at)) == ["Tech funds draw money"]
    at.selectbox(key="ticker").set_value("(any)").run()
    at.multiselect(key="kinds").set_value(["quote"]).run()
    assert titles(ok(at)) == ["Small caps slip"]
    at.multiselect(key="kinds").set_value([]).run()
    at.text_input(key="q").set_value("script alert").run()
    assert titles(ok(at)) == ["Tech funds draw money"]
    at.text_input(key="q").set_value("").run()
    store_id = db.execute("SELECT id FROM flows WHERE ticker = 'IWM'").fetchone()[0]
    from extractor import review
    review.reject(db, "flows", store_id)
    at.selectbox(key="status").set_value("rejected").run()
    assert titles(ok(at)) == ["Small caps slip"]
    at.selectbox(key="status").set_value("(any)").run()
    at.selectbox(key="verdict").set_value("contradicted").run()
    assert titles(ok(at)) == [] and any("No article matches" in i.value for i in at.info)


def test_inbox_open_button_goes_to_the_article(db):
    at = app()
    at.selectbox(key="open_choice").set_value(1)
    at.button(key="open").click().run()
    ok(at)
    assert at.title[0].value == "Small caps slip"


def test_review_queue_shows_the_least_certain_first(db):
    db.execute("UPDATE flows SET confidence = 0.3 WHERE ticker = 'QQQ'")
    db.execute("UPDATE returns SET confidence = 0.9")
    db.conn.commit()
    at = app()
    queue = at.dataframe(key="queue").value
    assert (queue.iloc[0]["ticker"], queue.iloc[0]["why"]) == ("QQQ", "certainty 0.30")


# --------------------------------------------------------------------------- article review

def test_the_article_text_is_escaped_and_spans_highlighted(db):
    at = review_page(db, "corpus/b.txt")
    page = at.html[0].value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert 'class="ex-flow"' in page and 'class="ex-flow ex-ticker"' in page


def test_accept_a_claim(db, db_path):
    at = review_page(db)
    at.button(key="accept-flows").click().run()
    ok(at)
    assert rows(db_path, "SELECT status FROM flows WHERE ticker = 'IWM'")[0]["status"] == "accepted"
    assert rows(db_path, "SELECT field, new_value FROM corrections") == [
        {"field": "status", "new_value": "accepted"}]
    assert any("Accepted flows" in s.value for s in at.success)


def kind(at, table):
    at.radio(key="kind").set_value(table).run()
    return ok(at)


def test_reject_a_claim(db, db_path):
    at = kind(review_page(db), "quotes")
    at.button(key="reject-quotes").click().run()
    ok(at)
    assert rows(db_path, "SELECT status FROM quotes")[0]["status"] == "rejected"


def _edit(at, table, cells):
    kind(at, table)
    [editor] = [e for e in at.data_editor if e.key.startswith(f"claims-{table}-")]
    at.session_state[editor.key] = {"edited_rows": {0: cells}, "added_rows": [], "deleted_rows": []}
    return ok(at.run())


def test_edit_a_field_in_the_claims_table(db, db_path):
    at = _edit(review_page(db), "flows", {"amount_usd": 750_000_000, "window_end": "2017-08-17"})
    row = rows(db_path, "SELECT amount_usd, window_end, window_source, status FROM flows WHERE ticker = 'IWM'")[0]
    assert row == {"amount_usd": 7.5e8, "window_end": "2017-08-17", "window_source": "reviewer",
                   "status": "edited"}
    fields = {r["field"] for r in rows(db_path, "SELECT field FROM corrections")}
    assert fields == {"amount_usd", "window_end", "window_source", "status"}
    # the table is drawn again from the database, clean
    [editor] = [e for e in at.data_editor if e.key.startswith("claims-flows-")]
    assert editor.value.iloc[0]["amount_usd"] == 7.5e8 and editor.value.iloc[0]["status"] == "edited"


def test_set_a_status_and_a_speaker_in_the_tables(db, db_path):
    at = _edit(review_page(db), "returns", {"status": "rejected"})
    _edit(at, "quotes", {"speaker": "Jane Q. Doe", "organization": "Example Capital"})
    assert rows(db_path, "SELECT status FROM returns")[0]["status"] == "rejected"
    assert rows(db_path, "SELECT speaker, organization, status FROM quotes")[0] == {
        "speaker": "Jane Q. Doe", "organization": "Example Capital", "status": "edited"}


def test_a_bad_edit_is_reported_and_nothing_changes(db, db_path):
    at = _edit(review_page(db), "sentiment", {"score": 5})
    assert any("outside -1..1" in e.value for e in at.error)
    assert rows(db_path, "SELECT score, status FROM sentiment")[0] == {"score": -0.8, "status": "extracted"}
    assert rows(db_path, "SELECT * FROM corrections") == []


def test_add_a_claim_from_its_evidence(db, db_path):
    at = review_page(db)
    at.selectbox(key="add-kind-flow").set_value("flow").run()
    sentence = [i for i, label in enumerate(at.selectbox(key="add-sentence").options)
                if label.startswith("Investors put")][0]
    at.selectbox(key="add-sentence").set_value(sentence).run()
    evidence = [t for t in at.text_input if t.key.startswith("add-evidence-")][0]
    evidence.set_value("Investors put $450 million into QQQ").run()
    ok(at)
    fields = {t.label: t for t in at.text_input if t.key.startswith("add-flows-")}
    assert fields["amount_usd"].value == "450000000"  # read from the evidence
    assert fields["ticker"].value == ""  # no ticker span inside: the person types it
    fields["ticker"].set_value("QQQ")
    at.button(key="add-submit").click().run()
    ok(at)
    added = rows(db_path, "SELECT ticker, direction, amount_usd, evidence, status, source "
                          "FROM flows WHERE status = 'added'")
    assert added == [{"ticker": "QQQ", "direction": "inflow", "amount_usd": 4.5e8,
                      "evidence": "Investors put $450 million into QQQ", "status": "added",
                      "source": "human"}]


def test_evidence_not_in_the_article_is_refused(db, db_path):
    at = review_page(db)
    [t for t in at.text_input if t.key.startswith("add-evidence-")][0].set_value("words not there").run()
    assert any("not in the article" in w.value for w in ok(at).warning)
    assert not [b for b in at.button if b.key == "add-submit"]


def test_undo_a_change_from_the_history(db, db_path):
    at = review_page(db)
    at.button(key="accept-flows").click().run()
    assert rows(db_path, "SELECT status FROM flows WHERE ticker = 'IWM'")[0]["status"] == "accepted"
    at.button(key="undo").click().run()
    ok(at)
    assert rows(db_path, "SELECT status FROM flows WHERE ticker = 'IWM'")[0]["status"] == "extracted"
    history = table(at)
    assert list(history["note"])[0] == "undo of change 1" and history["undone_by"].iloc[-1] == 2


def test_accept_all_and_next(db, db_path):
    at = review_page(db)
    at.button(key="accept-all").click().run()
    ok(at)
    statuses = {r["status"] for t in ("flows", "returns", "quotes", "sentiment", "mentions")
                for r in rows(db_path, f"SELECT status FROM {t} WHERE article_id = ?",
                              [article_id(db, "corpus/a.txt")])}
    assert statuses == {"accepted"}
    assert at.title[0].value == "Tech funds draw money"  # the next article with work left
    assert {r["status"] for r in rows(db_path, "SELECT status FROM flows WHERE ticker = 'QQQ'")} == {"extracted"}


def test_an_article_gone_after_reingest_says_so(db):
    at = app("review", article="0" * 64)
    assert any("no longer in the database" in w.value for w in at.warning)


# --------------------------------------------------------------------------- claim detail

@pytest.fixture
def checked(db):
    db.execute("INSERT INTO prices (symbol, date, close, adj_close) VALUES "
               "('IWM', '2016-12-30', 100, 100), ('IWM', '2017-06-30', 104, 104), "
               "('IWM', '2017-08-17', 102.7, 102.7), ('IWM', '2017-08-18', 102.7, 102.7)")
    db.execute("UPDATE returns SET window_label = 'year-to-date', window_start = '2016-12-30', "
               "window_end = '2017-08-18', window_source = 'claim'")
    db.conn.commit()
    from extractor.review import refresh_verdicts
    refresh_verdicts(db)
    return db


def test_claim_detail_shows_claimed_actual_verdict_and_chart(checked):
    fid = checked.execute("SELECT id FROM returns").fetchone()[0]
    at = app("claim", claim=f"returns-{fid}")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Claimed"] == "+2.7%" and metrics["Actual"] == "+2.70%"
    assert metrics["Verdict"] == "confirmed"
    assert at.success[0].value.startswith("claimed up 2.7% over the window “year-to-date”")
    assert any("read from the claim's own clause" in c.value for c in at.caption)  # where the window came from
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_claim_detail_button_from_the_review_page(checked):
    at = kind(review_page(checked), "returns")
    at.button(key="detail-returns").click().run()
    ok(at)
    assert at.title[0].value == "Claim detail"
    assert {m.label: m.value for m in at.metric}["Verdict"] == "confirmed"


def test_claim_detail_without_prices_says_what_to_import(db):
    fid = db.execute("SELECT id FROM flows WHERE ticker = 'IWM'").fetchone()[0]
    at = app("claim", claim=f"flows-{fid}")
    assert any("extractor prices import" in i.value for i in at.info)


# --------------------------------------------------------------------------- SQL

def test_sql_query_shows_a_table_and_offers_csv(db):
    at = app("sql")
    at.text_area(key="sql").set_value("SELECT ticker, amount_usd FROM flows ORDER BY ticker")
    at.button(key="run").click().run()
    ok(at)
    assert list(table(at)["ticker"]) == ["IWM", "QQQ"]
    assert at.get("download_button")


def test_sql_write_attempt_is_refused(db, db_path):
    at = app("sql")
    for sql in ("DELETE FROM flows", "UPDATE flows SET ticker = 'X'",
                "WITH x AS (SELECT 1) DELETE FROM flows"):
        at.text_area(key="sql").set_value(sql)
        at.button(key="run").click().run()
        ok(at)
        assert "read-only" in at.error[0].value
    assert len(rows(db_path, "SELECT * FROM flows")) == 2


def test_saved_examples_run(db):
    at = app("sql")
    for name in at.selectbox(key="example").options[1:]:
        at.selectbox(key="example").set_value(name).run()
        at.button(key="run").click().run()
        ok(at)
        assert not at.error, (name, at.error[0].value)
        assert table(at) is not None


# --------------------------------------------------------------------------- signals

def test_signals_page_shows_tickers_and_downloads(db):
    at = app("signals")
    frame = table(at)
    assert set(frame["ticker"]) == {"IWM", "QQQ"}
    assert frame[frame["ticker"] == "QQQ"].iloc[0]["net_flow_usd"] == 4.5e8
    at.multiselect(key="tickers").set_value(["IWM"]).run()
    assert set(table(ok(at))["ticker"]) == {"IWM"}
    assert at.get("download_button")


def test_a_malformed_search_is_one_line_on_both_tabs(db):
    at = app()
    for q in ('"', "*", "NEAR("):
        at.text_input(key="q").set_value(q).run()
        ok(at)
        assert any("cannot be run" in e.value for e in at.error)


def test_sql_result_with_repeated_column_names(db):
    at = app("sql")
    at.text_area(key="sql").set_value("SELECT 1 AS a, 2 AS a")
    at.button(key="run").click().run()
    assert list(table(ok(at)).columns) == ["a", "a_2"]


# --------------------------------------------------------------------------- identity (#14)

def test_a_pick_under_another_kind_then_reject_changes_only_that_claim(db, db_path):
    at = kind(review_page(db), "sentiment")
    at.button(key="reject-sentiment").click().run()
    ok(at)
    assert rows(db_path, "SELECT status FROM sentiment") == [{"status": "rejected"}]
    assert {r["status"] for r in rows(db_path, "SELECT status FROM flows")} == {"extracted"}
    assert at.radio(key="kind").value == "sentiment"  # the kind on screen survives the rerun


def test_a_claim_changed_since_the_page_was_drawn_is_refused(db, db_path):
    at = review_page(db)
    flow = db.execute("SELECT id FROM flows WHERE ticker = 'IWM'").fetchone()[0]
    from extractor import review
    review.edit(db, "flows", flow, {"amount_usd": "$710 million"})  # another reviewer, meanwhile
    at.button(key="accept-flows").click().run()
    assert any("changed since the page was drawn" in e.value for e in ok(at).error)
    assert rows(db_path, "SELECT status, amount_usd FROM flows WHERE id = ?", [flow]) == [
        {"status": "edited", "amount_usd": 7.1e8}]


def test_a_claim_gone_after_a_forced_reingest_is_refused_not_replaced(db, db_path, make_facts):
    at = review_page(db)
    old = db.execute("SELECT id FROM flows WHERE ticker = 'IWM'").fetchone()[0]
    store.write_article(db, make_facts(  # ingest --force: the machine rows come back with new ids
        A, path="corpus/a.txt",
        flows=[("More than $700 million has left IWM", "IWM", "outflow", 7e8),
               ("Investors put $450 million into QQQ", "QQQ", "inflow", 4.5e8)],
        mentions=[("IWM", "IWM")], tickers=["IWM"]))
    at.button(key="accept-flows").click().run()
    assert any("no longer in the database" in e.value for e in ok(at).error)
    assert {r["status"] for r in rows(db_path, "SELECT status FROM flows")} == {"extracted"}
    assert old not in {r["id"] for r in rows(db_path, "SELECT id FROM flows")}


def test_accept_all_accepts_only_the_claims_the_page_showed(db, db_path, make_facts):
    at = review_page(db)
    from extractor import review
    aid = article_id(db, "corpus/a.txt")
    added = review.add(db, aid, "flows", A.index("Investors put"), A.index("Investors put") + 35,
                       {"ticker": "QQQ", "direction": "inflow", "amount_usd": "450000000"})
    review.edit(db, "flows", added.fact_id, status="extracted")  # a claim nobody saw on this page
    at.button(key="accept-all").click().run()
    ok(at)
    assert rows(db_path, "SELECT status FROM flows WHERE id = ?", [added.fact_id]) == [{"status": "extracted"}]
    assert rows(db_path, "SELECT status FROM flows WHERE ticker = 'IWM'") == [{"status": "accepted"}]


def test_article_words_are_shown_as_written_not_as_markdown(db_path, make_facts, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_DB", str(db_path))
    text = "date 2020-01-02\n**Gold** :red[soars] $x^2$ ![p](http://example.invalid/p.png)\n\nGLD rose 1%.\n"
    db = store.open_db(db_path)
    store.write_article(db, make_facts(text, path="corpus/md.txt", mentions=[("GLD", "GLD")], tickers=["GLD"]))
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    db.close()
    at = app("review", article=aid)
    shown = at.title[0].value
    assert shown.startswith(r"\*\*Gold\*\* :red\[soars\] \$x^2\$ !\[p\](http")
    assert "](" not in shown.replace(r"\](", "")  # no link or image left for Markdown to follow


def test_the_reviewer_is_written_with_each_correction(db, db_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_REVIEWER", "alice")
    at = review_page(db)
    at.button(key="accept-flows").click().run()
    ok(at)
    assert rows(db_path, "SELECT reviewer FROM corrections") == [{"reviewer": "alice"}]


def test_markdown_marks_at_the_start_are_escaped_too():
    from extractor.ui.common import md
    assert md("# Not a heading") == r"\# Not a heading"
    assert md("12. Not a list") == r"12\. Not a list"
    assert md("- not a bullet\nand one line") == r"\- not a bullet and one line"


def sql_run(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="sql").set_value(sql)
    at.button(key="run").click().run()
    return ok(at)


def test_sql_never_ending_query_is_stopped_and_the_page_works_after(db, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_QUERY_TIMEOUT", "1")
    at = sql_run(app("sql"), "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) "
                             "SELECT count(*) FROM r")
    assert [e.value for e in at.error] == [
        "the query ran longer than 1 s and was stopped; add a LIMIT or raise --timeout "
        "(EXTRACTOR_QUERY_TIMEOUT)"]
    at.selectbox(key="example").set_value(at.selectbox(key="example").options[0]).run()
    assert not ok(at).error  # a rerun does not start the stopped query again
    at = sql_run(at, "SELECT ticker FROM flows ORDER BY ticker")
    assert not at.error and list(table(at)["ticker"]) == ["IWM", "QQQ"]


def test_sql_huge_value_is_refused_by_the_byte_limit(db):
    at = sql_run(app("sql"), "SELECT randomblob(200000000)")
    [error] = at.error
    assert error.value.startswith("the query made a value larger than the 50,000,000-byte limit "
                                  "and was stopped; ")
    at = sql_run(at, "SELECT ticker FROM flows ORDER BY ticker")
    assert not at.error and list(table(at)["ticker"]) == ["IWM", "QQQ"]


def test_sql_cut_results_say_so(db, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_QUERY_MAX_ROWS", "1")
    at = sql_run(app("sql"), "SELECT ticker FROM flows ORDER BY ticker")
    assert list(table(at)["ticker"]) == ["IWM"]
    assert any("the first 1; add LIMIT/OFFSET" in c.value for c in at.caption)
    monkeypatch.setenv("EXTRACTOR_QUERY_MAX_ROWS", "100")
    monkeypatch.setenv("EXTRACTOR_QUERY_MAX_BYTES", "2500")
    at = sql_run(at, "SELECT printf('%.*c', 1000, 'x') AS x FROM claims")
    assert len(table(at)) == 2
    assert any("passed 2,500 bytes" in c.value for c in at.caption)


# --------------------------------------------------------------------------- a kind of its own: levels

C = "date 2019-04-05\nStocks end higher\n\nThe S&P 500 rose 13.35 points to 2,892.74 on Friday.\n"


@pytest.fixture
def leveled(db, make_facts):
    store.write_article(db, make_facts(C, path="corpus/c.txt", levels=[(
        "The S&P 500 rose 13.35 points to 2,892.74", "^GSPC", 2892.74)], mentions=[("S&P 500", "^GSPC")]))
    db.execute("UPDATE levels SET session = '2019-04-05', session_source = 'claim', decimals = 2")
    db.execute("INSERT INTO prices (symbol, date, close, adj_close, high, low) VALUES "
               "('^GSPC', '2019-04-04', 2879.39, 2879.39, 2881.28, 2867.14), "
               "('^GSPC', '2019-04-05', 2892.74, 2892.74, 2893.24, 2882.99)")
    db.conn.commit()
    return db


def test_a_level_is_highlighted_edited_checked_and_shown_in_detail(leveled, db_path):
    at = kind(review_page(leveled, "corpus/c.txt"), "levels")
    assert 'ex-level' in at.html[0].value
    _edit(at, "levels", {"value": 2895.1})
    row = rows(db_path, "SELECT value, status FROM levels")[0]
    assert row == {"value": 2895.1, "status": "edited"}
    assert rows(db_path, "SELECT verdict FROM claims WHERE claim_type = 'level'") == [{"verdict": "contradicted"}]
    fid = leveled.execute("SELECT id FROM levels").fetchone()[0]
    detail = app("claim", claim=f"levels-{fid}")
    metrics = {m.label: m.value for m in detail.metric}
    assert (metrics["Claimed"], metrics["Actual"], metrics["Verdict"]) == ("2,895.1", "2,892.74", "contradicted")
    assert any("The close of the session 2019-04-05" in c.value for c in detail.caption)


def test_add_a_level_from_its_evidence(leveled, db_path):
    at = review_page(leveled, "corpus/c.txt")
    at.selectbox(key="add-kind-flow").set_value("level").run()
    evidence = [t for t in at.text_input if t.key.startswith("add-evidence-")][0]
    evidence.set_value("rose 13.35 points to 2,892.74").run()
    fields = {t.label: t for t in at.text_input if t.key.startswith("add-levels-")}
    fields["ticker"].set_value("^GSPC")
    fields["value"].set_value("2892.74")
    fields["session"].set_value("2019-04-05")
    at.button(key="add-submit").click().run()
    ok(at)
    assert rows(db_path, "SELECT ticker, value, session, status FROM levels WHERE status = 'added'") == [
        {"ticker": "^GSPC", "value": 2892.74, "session": "2019-04-05", "status": "added"}]
