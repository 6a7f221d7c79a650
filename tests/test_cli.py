"""The command line, driven with CliRunner on real SQLite files in tmp_path."""
from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import pipeline, store
from extractor.cli import cli, output_name
from extractor.schema import EXTRACTOR_VERSION
from _db import rows
from conftest import shared_path

READ_ONLY = ("Error: extractor query is read-only: INSERT/UPDATE/DELETE/DROP are refused; "
             "use the review app to change claims\n")


def run(*args: str) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)




def count(path, table: str) -> int:
    return rows(path, f"SELECT count(*) AS n FROM {table}")[0]["n"]


def summary_line(stdout: str, label: str) -> list[str]:
    """The cells of one row of the ingest summary table."""
    for line in stdout.splitlines():
        if line.startswith(label):
            return line[len(label):].split()
    raise AssertionError(f"no {label!r} row in:\n{stdout}")


# --------------------------------------------------------------------------- help


def test_help_version_and_an_example_in_every_command():
    for args in (["--help"], ["-h"]):
        result = run(*args)
        assert result.exit_code == 0
        assert "ingest" in result.stdout and "extract" in result.stdout and "query" in result.stdout
    assert run("--version").stdout == f"extractor, version {EXTRACTOR_VERSION}\n"
    for command in ("ingest", "extract", "query"):
        result = run(command, "-h")
        assert result.exit_code == 0, result.output
        assert "Example:" in result.stdout and f"extractor {command} " in result.stdout


def test_help_does_not_import_torch():
    code = ("import sys\nfrom click.testing import CliRunner\nfrom extractor.cli import cli\n"
            "for args in (['--help'], ['ingest', '--help'], ['extract', '--help'], "
            "['query', '--help']):\n"
            "    assert CliRunner().invoke(cli, args).exit_code == 0\n"
            "print(sorted(m for m in ('torch', 'transformers', 'spacy', 'thinc', 'onnxruntime') "
            "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"  # help is read without spaCy, its ML layer or the model runtime


def test_extraction_loads_spacy_without_torch():
    code = ("import sys\nimport extractor\nextractor.extract('IWM is up 2.7 percent year-to-date.')\n"
            "print('spacy' in sys.modules, 'torch' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "EXTRACTOR_CLASSIFIER": "lexicon"})
    assert out.stdout.strip() == "True False"


# --------------------------------------------------------------------------- ingest


def test_ingest_a_folder_stores_articles_and_prints_a_summary(corpus, db_path, fake_rules):
    result = run("ingest", corpus, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert summary_line(result.stdout, "articles ingested") == ["3", "3"]
    assert summary_line(result.stdout, "articles failed") == ["0"]
    assert summary_line(result.stdout, "flows") == ["3", "3"]
    assert summary_line(result.stdout, "tickers") == ["3", "3"]
    assert "top tickers (articles): GLD (1), IWM (1), QQQ (1)" in result.stdout
    assert count(db_path, "articles") == 3
    assert rows(db_path, "SELECT ticker, direction, amount_usd FROM flows ORDER BY ticker") == [
        {"ticker": "GLD", "direction": "outflow", "amount_usd": 1.2e8},
        {"ticker": "IWM", "direction": "outflow", "amount_usd": 7e8},
        {"ticker": "QQQ", "direction": "inflow", "amount_usd": 4.5e8}]
    for r in rows(db_path, "SELECT a.text, f.start, f.end, f.evidence FROM flows f "
                           "JOIN articles a ON a.id = f.article_id"):
        assert r["text"][r["start"]:r["end"]] == r["evidence"]


def test_ingest_runs_the_real_pipeline(corpus, db_path):
    result = run("ingest", corpus, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert count(db_path, "articles") == 3
    assert rows(db_path, "SELECT title FROM articles WHERE path LIKE '%small-caps.txt'") == \
        [{"title": "Small caps lose their footing"}]


def test_a_second_run_skips_unchanged_files(corpus, db_path, fake_rules):
    run("ingest", corpus, "--db", db_path)
    before = rows(db_path, "SELECT * FROM flows")
    result = run("ingest", corpus, "--db", db_path)
    assert result.exit_code == 0
    assert summary_line(result.stdout, "articles ingested") == ["0", "3"]
    assert summary_line(result.stdout, "articles skipped") == ["3"]
    assert rows(db_path, "SELECT * FROM flows") == before
    forced = run("ingest", corpus, "--db", db_path, "--force")
    assert summary_line(forced.stdout, "articles ingested") == ["3", "3"]
    assert count(db_path, "flows") == 3


def test_a_changed_file_is_extracted_again_and_reviewed_claims_stay_with_their_text(corpus, db_path, fake_rules):
    run("ingest", corpus, "--db", db_path)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE flows SET status = 'accepted' WHERE ticker = 'IWM'")
    conn.close()
    accepted = rows(db_path, "SELECT id, article_id, evidence FROM flows WHERE ticker = 'IWM'")
    path = corpus / "small-caps.txt"
    path.write_text(path.read_text().replace("2.7 percent", "3.1 percent"), encoding="utf-8")

    result = run("ingest", corpus, "--db", db_path)

    assert result.exit_code == 0, result.output
    assert summary_line(result.stdout, "articles ingested") == ["1", "4"]
    assert summary_line(result.stdout, "articles skipped") == ["2"]
    assert f"Note: {path}: its text changed" in result.stderr
    new_text = path.read_text()
    new_id = rows(db_path, "SELECT article_id FROM article_paths WHERE path = ?", [str(path)])[0]["article_id"]
    assert rows(db_path, "SELECT text FROM articles WHERE id = ?", [new_id]) == [{"text": new_text}]
    # the reviewed flow stays on the text it was reviewed on, which is flagged
    iwm = rows(db_path, "SELECT id, article_id, status FROM flows WHERE ticker = 'IWM' ORDER BY id")
    assert iwm[0] == {"id": accepted[0]["id"], "article_id": accepted[0]["article_id"], "status": "accepted"}
    assert iwm[1]["article_id"] == new_id and iwm[1]["status"] == "extracted"
    assert rows(db_path, "SELECT superseded_by FROM articles WHERE id = ?", [accepted[0]["article_id"]]) == \
        [{"superseded_by": new_id}]
    assert rows(db_path, "SELECT value_pct FROM returns WHERE ticker = 'IWM'") == [{"value_pct": 3.1}]
    assert rows(db_path, "PRAGMA foreign_key_check") == []


def test_bad_inputs_are_reported_one_line_each_and_the_rest_is_ingested(corpus, db_path,
                                                                       fake_rules, tmp_path):
    (corpus / "empty.txt").write_text("")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (corpus / "briefs.jsonl").write_text(
        json.dumps({"text": "Investors pulled $90 million out of SPY.", "published": "2021-03-01"})
        + "\n{not json\n"
        + json.dumps({"text": "About $30 million left EEM in March."}) + "\n")
    (corpus / "crash.txt").write_text("EXPLODE with $5 million left XLF.")
    missing = tmp_path / "missing.txt"

    result = run("ingest", corpus, missing, "--db", db_path)

    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert sorted(errors) == sorted([
        f"Error: {corpus / 'briefs.jsonl'}:2: " + errors_with(errors, "briefs.jsonl:2: "),
        f"Error: {corpus / 'crash.txt'}: extraction failed: RuntimeError: rules crashed on two lines",
        f"Error: {corpus / 'empty.txt'}: empty file",
        f"Error: {corpus / 'image.txt'}: " + errors_with(errors, "image.txt: "),
        f"Error: {missing}: no such file or folder",
    ])
    assert errors_with(errors, "briefs.jsonl:2: ").startswith("not valid JSON")
    assert errors_with(errors, "image.txt: ").startswith("binary file")
    assert summary_line(result.stdout, "articles ingested") == ["5", "5"]
    assert summary_line(result.stdout, "articles failed") == ["5"]
    paths = [r["path"] for r in rows(db_path, "SELECT path FROM articles ORDER BY path")]
    assert paths == sorted([f"{corpus / 'briefs.jsonl'}:1", f"{corpus / 'briefs.jsonl'}:3",
                            *(str(corpus / n) for n in ("gold.md", "small-caps.txt",
                                                        "tech-rally.txt"))])
    assert rows(db_path, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert rows(db_path, "PRAGMA foreign_key_check") == []


def errors_with(lines: list[str], marker: str) -> str:
    """The reason in the one error line that names ``marker``."""
    (line,) = [ln for ln in lines if marker in ln]
    return line.split(marker, 1)[1]


def test_a_locked_database_is_one_line_and_exit_1(corpus, db_path, fake_rules, monkeypatch):
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    store.open_db(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run("ingest", corpus, "--db", db_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.stderr == (f"Error: database is locked: {db_path} (another program is writing "
                             "to it; try again when it finishes)\n")
    assert count(db_path, "articles") == 0


def test_db_option_and_environment_are_honoured(corpus, tmp_path, fake_rules, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("ingest", corpus).exit_code == 0
    assert count(tmp_path / "extractor.db", "articles") == 3  # the default, in the cwd

    env_db = tmp_path / "from-env.db"
    monkeypatch.setenv("EXTRACTOR_DB", str(env_db))
    assert run("ingest", corpus / "gold.md").exit_code == 0
    assert count(env_db, "articles") == 1
    assert run("query", "select count(*) as n from articles").stdout.splitlines()[-1].strip() == "1"

    option_db = tmp_path / "from-option.db"
    assert run("ingest", corpus / "tech-rally.txt", "--db", option_db).exit_code == 0
    assert count(option_db, "articles") == 1 and count(env_db, "articles") == 1
    assert run("query", "select path from articles", "--db", option_db,
               "--format", "csv").stdout == f"path\n{corpus / 'tech-rally.txt'}\n"


def test_without_paths_ingest_reads_the_corpus_setting(corpus, db_path, fake_rules, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_CORPUS", str(corpus))
    result = run("ingest", "--db", db_path, "--quiet")
    assert result.exit_code == 0 and result.stdout == ""
    assert count(db_path, "articles") == 3


# --------------------------------------------------------------------------- extract


def load_score():
    spec = importlib.util.spec_from_file_location("score", shared_path("eval", "score.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_extract_gold_writes_name_json_that_score_reads(corpus, tmp_path, fake_rules):
    (corpus / "briefs.jsonl").write_text(json.dumps({"text": "About $30 million left EEM."}) + "\n")
    out = tmp_path / "out"
    result = run("extract", *sorted(corpus.iterdir()), "--format", "gold", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == \
        ["briefs-1.json", "gold.json", "small-caps.json", "tech-rally.json"]
    pred = json.loads((out / "small-caps.json").read_text())
    assert pred["article"] == "small-caps.txt" and pred["published"] == "2017-08-18"

    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "small-caps.json").write_text(json.dumps({
        "article": "small-caps.txt", "tickers": ["IWM"],
        "flows": [{"ticker": "IWM", "direction": "outflow", "amount_usd": 7e8}],
        "returns": [{"ticker": "IWM", "value_pct": 2.7, "kind": "realized"}],
        "quotes": [{"speaker": "Jane Doe"}], "sentiment": []}))
    summary = load_score().score_dirs(gold_dir, out)["summary"]
    assert summary["articles"] == 1
    assert summary["flows"]["tp"] == summary["returns"]["tp"] == summary["quotes"]["tp"] == 1
    assert summary["facts_f1"] == 1.0


def test_output_names():
    assert output_name("/x/corpus-dev/d01.txt") == "d01"
    assert output_name("/x/briefs.jsonl:12") == "briefs-12"
    assert output_name("page.html") == "page"


def test_extract_json_and_table_to_stdout(corpus, fake_rules):
    result = run("extract", corpus / "small-caps.txt", corpus / "gold.md")
    assert result.exit_code == 0, result.output
    articles = json.loads(result.stdout)
    assert [a["article"]["path"] for a in articles] == [str(corpus / "small-caps.txt"),
                                                        str(corpus / "gold.md")]
    assert articles[0]["flows"][0]["amount_usd"] == 7e8 and "start" in articles[0]["flows"][0]
    gold = json.loads(run("extract", corpus / "gold.md", "--format", "gold").stdout)
    assert gold[0]["article"] == "gold.md" and gold[0]["flows"][0]["ticker"] == "GLD"
    table = run("extract", corpus / "small-caps.txt", "--format", "table").stdout
    assert "Small caps lose their footing  (2017-08-18)" in table
    assert "flows:" in table and "returns:" in table and "quotes:" in table
    assert "More than $700 million has left IWM" not in table  # evidence is the fact's own span
    assert "$700 million has left IWM" in table


def test_extract_reports_each_bad_file_and_goes_on(corpus, tmp_path, fake_rules):
    out = tmp_path / "out"
    (corpus / "empty.txt").write_text("   \n")
    result = run("extract", corpus / "empty.txt", tmp_path / "nope.txt", corpus / "gold.md",
                 "--format", "gold", "--out", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {corpus / 'empty.txt'}: empty file",
        f"Error: {tmp_path / 'nope.txt'}: no such file or folder",
        f"wrote 1 file to {out}"]
    assert [p.name for p in out.iterdir()] == ["gold.json"]


def test_extract_refuses_two_files_with_the_same_output_name(corpus, tmp_path, fake_rules):
    other = tmp_path / "other"
    other.mkdir()
    (other / "gold.txt").write_text("About $1 million left GLD.")
    out = tmp_path / "out"
    result = run("extract", corpus / "gold.md", other / "gold.txt", "--format", "gold", "--out", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"Error: {other / 'gold.txt'}: output gold.json is already taken by {corpus / 'gold.md'}; "
        "rename one of the two files")


@pytest.mark.slow
def test_extract_the_dev_corpus_and_score_it(tmp_path):
    dev, scorer = shared_path("corpus-dev"), shared_path("eval", "score.py")
    files = sorted(dev.glob("*.txt"))
    out = tmp_path / "out"
    result = run("extract", *files, "--format", "gold", "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{f.stem}.json" for f in files)
    scored = subprocess.run([sys.executable, str(scorer), str(dev), str(out), "--json"],
                            capture_output=True, text=True)
    assert scored.returncode == 0, scored.stderr
    gold = list(dev.glob("*.json"))
    assert json.loads(scored.stdout)["articles"] == len(gold)


# --------------------------------------------------------------------------- query


@pytest.fixture
def filled_db(corpus, db_path, fake_rules) -> Path:
    assert run("ingest", corpus, "--db", db_path).exit_code == 0
    return db_path


SQL = "select ticker, amount_usd, direction from claims where claim_type = 'flow' order by ticker"


def test_query_table(filled_db):
    result = run("query", SQL, "--db", filled_db)
    assert result.exit_code == 0
    assert result.stdout == (
        "ticker   amount_usd  direction\n"
        "------  -----------  ---------\n"
        "GLD     120,000,000  outflow\n"
        "IWM     700,000,000  outflow\n"
        "QQQ     450,000,000  inflow\n")


def test_query_csv_and_json(filled_db):
    csv_out = run("query", SQL, "--db", filled_db, "--format", "csv").stdout
    assert csv_out == ("ticker,amount_usd,direction\nGLD,120000000.0,outflow\n"
                       "IWM,700000000.0,outflow\nQQQ,450000000.0,inflow\n")
    data = json.loads(run("query", SQL, "--db", filled_db, "--format", "json").stdout)
    assert data[1] == {"ticker": "IWM", "amount_usd": 7e8, "direction": "outflow"}
    assert len(data) == 3


def test_query_with_a_named_parameter(filled_db):
    result = run("query", "select ticker from flows where ticker = :t", "-p", "t", "QQQ",
                 "--db", filled_db, "--format", "csv")
    assert result.stdout == "ticker\nQQQ\n"


@pytest.mark.parametrize("sql", ["delete from flows", "DROP TABLE articles",
                                 "insert into corrections (fact_table, fact_id, created_at) "
                                 "values ('flows', 1, 'now')"])
def test_query_refuses_to_write(filled_db, sql):
    before = rows(filled_db, "SELECT * FROM flows")
    result = run("query", sql, "--db", filled_db)
    assert result.exit_code == 1
    assert result.stderr == READ_ONLY
    assert rows(filled_db, "SELECT * FROM flows") == before
    assert count(filled_db, "articles") == 3


def test_query_errors_are_one_line(filled_db, tmp_path):
    result = run("query", "select nope from flows", "--db", filled_db)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no such column: nope (tables and views: ")
    assert result.stderr.count("\n") == 1
    missing = tmp_path / "none.db"
    result = run("query", "select 1", "--db", missing)
    assert result.stderr == f"Error: no database at {missing}: run `extractor ingest` first\n"
    assert not missing.exists()


ENDLESS = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) SELECT count(*) FROM r"


def test_query_past_its_timeout_is_one_error_line(filled_db):
    result = run("query", ENDLESS, "--db", filled_db, "--timeout", "0.3")
    assert result.exit_code == 1
    assert result.stderr == ("Error: the query ran longer than 0.3 s and was stopped; add a LIMIT "
                             "or raise --timeout (EXTRACTOR_QUERY_TIMEOUT)\n")
    assert result.stdout == ""


def test_query_timeout_default_comes_from_the_setting(filled_db, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_QUERY_TIMEOUT", "1")
    result = run("query", ENDLESS, "--db", filled_db)
    assert result.exit_code == 1 and "ran longer than 1 s" in result.stderr


def test_query_limits_and_their_defaults_are_in_the_help():
    out = " ".join(run("query", "-h").stdout.split())
    assert "--max-rows N" in out and "$EXTRACTOR_QUERY_MAX_ROWS or 10000" in out
    assert "--timeout SECONDS" in out and "$EXTRACTOR_QUERY_TIMEOUT or 10" in out


def test_a_cut_result_says_so_on_stderr(filled_db, monkeypatch):
    result = run("query", "select ticker from flows order by ticker", "--db", filled_db,
                 "--max-rows", "2", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == "ticker\nGLD\nIWM\n"
    assert result.stderr == "Note: first 2 rows shown; --max-rows to see more\n"
    endless = run("query", ENDLESS.replace("count(*)", "x"), "--db", filled_db, "--max-rows", "3")
    assert endless.stdout.split() == ["x", "-", "1", "2", "3"]
    assert endless.stderr == "Note: first 3 rows shown; --max-rows to see more\n"
    monkeypatch.setenv("EXTRACTOR_QUERY_MAX_ROWS", "1")
    assert run("query", "select 1 union all select 2", "--db", filled_db).stderr == \
        "Note: first 1 rows shown; --max-rows to see more\n"
    assert run("query", "select 1", "--db", filled_db).stderr == ""


def test_query_byte_limit(filled_db, monkeypatch):
    result = run("query", "select randomblob(200000000)", "--db", filled_db)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the query made a value larger than the 50,000,000-byte "
                                    "limit and was stopped; ")
    assert result.stderr.count("\n") == 1
    monkeypatch.setenv("EXTRACTOR_QUERY_MAX_BYTES", "2500")
    result = run("query", "select printf('%.*c', 1000, 'x') as x from flows", "--db", filled_db,
                 "--format", "csv")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 3  # the header and the 2 rows that fit in 2,500 bytes
    assert result.stderr == ("Note: first 2 rows shown: the result passed 2,500 bytes "
                             "(EXTRACTOR_QUERY_MAX_BYTES); add a LIMIT or select fewer columns\n")


@pytest.mark.parametrize("sql", ["-- a comment\nselect count(*) as n from articles",
                                 "--comment, x=1\nselect count(*) as n from articles",
                                 "/* c */ select count(*) as n from articles"])
def test_query_sql_may_start_with_a_comment(filled_db, sql):
    for args in (("query", sql, "--db", filled_db, "--format", "csv"),
                 ("query", "--db", filled_db, "--format", "csv", sql),
                 ("query", "--db", filled_db, "--format", "csv", "--", sql)):
        result = run(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, "n\n3\n", ""), args


def test_a_line_added_at_the_top_of_a_jsonl_file_moves_no_reviewed_claim(tmp_path, db_path, fake_rules):
    feed = tmp_path / "feed.jsonl"
    a = {"text": "About $300 million left SPY in the past week.", "published": "2019-10-17"}
    b = {"text": "Investors put $450 million into QQQ last week.", "published": "2019-10-17"}
    feed.write_text(json.dumps(a) + "\n" + json.dumps(b) + "\n", encoding="utf-8")
    run("ingest", feed, "--db", db_path)
    db = store.open_db(db_path)
    qqq = db.execute("SELECT id, article_id FROM flows WHERE ticker = 'QQQ'").fetchone()
    from extractor import review
    review.edit(db, "flows", qqq[0], {"amount_usd": "$460 million"})
    db.close()
    c = {"text": "Some $90 million left GLD on Friday.", "published": "2019-10-18"}
    feed.write_text("\n".join(json.dumps(x) for x in (c, a, b)) + "\n", encoding="utf-8")

    result = run("ingest", feed, "--db", db_path)

    assert result.exit_code == 0, result.output
    edited = rows(db_path, "SELECT ticker, amount_usd, status, article_id FROM flows WHERE status = 'edited'")
    assert edited == [{"ticker": "QQQ", "amount_usd": 4.6e8, "status": "edited", "article_id": qqq[1]}]
    text = rows(db_path, "SELECT text FROM articles WHERE id = ?", [qqq[1]])[0]["text"]
    assert "QQQ" in text  # still the article about QQQ
    assert rows(db_path, "SELECT count(*) AS n FROM flows WHERE ticker = 'QQQ'") == [{"n": 1}]
    assert count(db_path, "articles") == 3


def test_two_files_swapping_contents_move_nothing(tmp_path, db_path, fake_rules):
    folder = tmp_path / "c"
    folder.mkdir()
    x, y = folder / "x.txt", folder / "y.txt"
    tx, ty = "About $300 million left SPY in the past week.", "Investors put $450 million into QQQ."
    x.write_text(tx, encoding="utf-8")
    y.write_text(ty, encoding="utf-8")
    run("ingest", folder, "--db", db_path)
    db = store.open_db(db_path)
    from extractor import review
    spy = db.execute("SELECT id, article_id FROM flows WHERE ticker = 'SPY'").fetchone()
    review.accept(db, "flows", spy[0])
    db.close()
    x.write_text(ty, encoding="utf-8")
    y.write_text(tx, encoding="utf-8")

    assert run("ingest", folder, "--db", db_path).exit_code == 0
    assert rows(db_path, "SELECT ticker, status, article_id FROM flows WHERE status = 'accepted'") == [
        {"ticker": "SPY", "status": "accepted", "article_id": spy[1]}]
    assert count(db_path, "articles") == 2
    assert {r["path"]: r["article_id"] for r in rows(db_path, "SELECT path, article_id FROM article_paths")} \
        == {str(x): rows(db_path, "SELECT article_id FROM flows WHERE ticker = 'QQQ'")[0]["article_id"],
            str(y): spy[1]}


# --------------------------------------------------------------------------- bad input (#17)

def test_bad_jsonl_lines_are_one_line_each_and_the_rest_is_stored(tmp_path, db_path, fake_rules):
    feed = tmp_path / "feed.jsonl"
    good = json.dumps({"text": "About $300 million left SPY in the past week.", "published": "2019-10-17"})
    lines = [good,
             '{"text": "x", "n": ' + "9" * 4301 + "}",              # more digits than Python parses
             "[" * 100_000,                                          # nested too deep
             json.dumps({"text": "Investors put $450 million into QQQ \ud800 today."}),  # lone surrogate
             json.dumps({"text": "IWM", "title": "\udcff bad", "source": "\ud800"}),
             json.dumps({"text": "GLD rose.", "published": "9999-12-31"})]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    result = run("ingest", feed, "--db", db_path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 3 and all(str(feed) in e for e in errors)
    assert any(":2: not valid JSON: Exceeds the limit" in e for e in errors)
    assert any(":3: not valid JSON: nested too deeply" in e for e in errors)
    assert any(":6: field \"published\" is 9999-12-31, outside 1900..2100" in e for e in errors)
    assert count(db_path, "articles") == 3  # the good line, and the two surrogate lines, cleaned
    assert rows(db_path, "SELECT count(*) AS n FROM articles WHERE text LIKE '%\ufffd%'") == [{"n": 1}]
    assert rows(db_path, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]


def test_a_symlink_loop_and_an_undecodable_file_name_are_one_line(tmp_path, db_path, fake_rules):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "ok.txt").write_text("About $300 million left SPY.", encoding="utf-8")
    weird = os.fsencode(str(folder)) + b"/caf\xe9.txt"  # a Latin-1 name on a UTF-8 file system
    with open(weird, "wb") as fh:
        fh.write(b"Investors put $450 million into QQQ.")
    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    result = run("ingest", folder, loop, "--db", db_path)
    assert "Traceback" not in result.output
    assert f"Error: {loop}:" in result.stderr
    assert count(db_path, "articles") == 2
    assert any("caf\\xe9.txt" in r["path"] for r in rows(db_path, "SELECT path FROM article_paths"))


def test_an_article_over_the_time_budget_is_skipped_and_the_batch_goes_on(corpus, db_path, monkeypatch):
    import time as _time

    from conftest import fake_extract

    def slow(articles):
        for a in articles:
            if "QQQ" in a.text:
                _time.sleep(3)
        return fake_extract(articles)

    monkeypatch.setattr(pipeline, "_default_extract", slow)
    monkeypatch.setenv("EXTRACTOR_MAX_SECONDS", "1")
    result = run("ingest", corpus, "--db", db_path)
    assert result.exit_code == 1
    assert "too complex: skipped (extraction took longer than 1 s" in result.stderr
    assert count(db_path, "articles") == 2


def test_json_output_is_always_valid_json(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("date 2019-01-02\nSPY took in $" + "9" * 400 + " billion. IWM is up 20000000000000000% "
                 "this year.\n", encoding="utf-8")
    result = run("extract", f, "--format", "json")
    assert result.exit_code == 0
    json.loads(result.stdout, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))


# --------------------------------------------------------------------------- the model, loaded when needed

def test_a_rescan_of_unchanged_files_never_loads_the_model(corpus, db_path, fake_rules, monkeypatch):
    assert run("ingest", corpus, "--db", db_path).exit_code == 0
    from extractor import classify

    def boom():
        raise AssertionError("the model was loaded for files that need no extraction")

    monkeypatch.setenv("EXTRACTOR_CLASSIFIER", "model")
    monkeypatch.setattr(classify, "default_classifier", boom)
    result = run("ingest", corpus, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert summary_line(result.stdout, "articles skipped") == ["3"]


def test_a_missing_or_broken_model_is_one_error_for_the_run(corpus, db_path, tmp_path, monkeypatch):
    from extractor.classify import set_default_classifier

    set_default_classifier(None)
    monkeypatch.setenv("EXTRACTOR_CLASSIFIER", "model")
    monkeypatch.setenv("EXTRACTOR_MODEL", str(tmp_path / "nowhere"))
    result = run("ingest", corpus, "--db", db_path)
    assert result.exit_code == 1 and result.stderr.count("Error:") == 1 and "no classifier here" in result.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("model.onnx", "tokenizer.json", "labels.json"):
        (broken / name).write_text("not a model", encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_MODEL", str(broken))
    result = run("ingest", corpus, "--db", db_path)
    assert result.exit_code == 1 and result.stderr.count("Error:") == 1, result.stderr
    assert "labels.json" in result.stderr or "model.onnx" in result.stderr


def test_a_rescan_reads_no_header_and_no_as_of_of_unchanged_files(corpus, db_path, fake_rules, monkeypatch):
    assert run("ingest", corpus, "--db", db_path).exit_code == 0
    import extractor.ingest as ingest

    def boom(*a, **k):
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(ingest, "article_from_text", boom)
    result = run("ingest", corpus, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert summary_line(result.stdout, "articles skipped") == ["3"]
    # a changed file is read whole again
    monkeypatch.undo()
    first = sorted(corpus.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    again = run("ingest", corpus, "--db", db_path)
    assert summary_line(again.stdout, "articles ingested")[0] == "1"
