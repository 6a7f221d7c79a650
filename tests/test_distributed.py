"""`extractor ingest --dask local:2`: the same rows as a serial ingest, every table."""
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("distributed")

from extractor.cli import cli  # noqa: E402
from extractor.schema import from_json, to_json  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "examples"
VOLATILE = {"id", "ingested_at", "seen_at", "checked_at", "fact_id"}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def tables(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                       "'sqlite_%' AND name NOT LIKE 'articles_fts%' AND name != '_migrations'")]
    out = {}
    for name in names:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({name})") if r[1] not in VOLATILE]
        out[name] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {name}").fetchall(), key=repr)
    con.close()
    return out


@pytest.mark.slow
def test_a_local_cluster_stores_exactly_what_a_serial_run_stores(tmp_path, real_classifier):
    serial, dask = tmp_path / "serial.db", tmp_path / "dask.db"
    assert run("ingest", SAMPLES, "--db", serial, "--no-check").exit_code == 0
    result = run("ingest", SAMPLES, "--db", dask, "--no-check", "--dask", "local:2")
    assert result.exit_code == 0, result.output
    a, b = tables(serial), tables(dask)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], name
    assert len(a["articles"]) == 10 and len(a["flows"]) > 10 and len(a["article_tickers"]) > 10
    again = run("ingest", SAMPLES, "--db", dask, "--no-check", "--dask", "local:2")
    assert "articles skipped" in again.stdout and tables(dask) == b


def test_a_bad_dask_target_is_one_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["ingest", str(SAMPLES), "--db", str(tmp_path / "x.db"), "--dask", "local:0"])
    assert result.exit_code == 1 and "expected local:N with N >= 1" in result.output
    result = CliRunner().invoke(cli, ["ingest", str(SAMPLES), "--db", str(tmp_path / "x.db"), "--dask", "nowhere"])
    assert result.exit_code == 1 and "tcp://host:8786" in result.output


def test_facts_go_to_json_and_back_unchanged():
    import extractor

    text = (SAMPLES / "small-caps-pullback.txt").read_text(encoding="utf-8")
    facts = extractor.extract(text)
    assert from_json(to_json(facts), facts.article) == facts
