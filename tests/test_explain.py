"""`extractor extract --explain`: every candidate number ends kept or rejected, with why."""
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from conftest import shared_path
from extractor.cli import cli
from extractor.facts import Explainer, assemble
from extractor.pipeline import article_from_text, explain_article

STORY = ("Small caps lag\n\n"
         "The iShares Russell 2000 ETF (NYSEArca: IWM) is up just 2.7 percent year-to-date, while the "
         "S&P 500 is higher by 11 percent. More than $700 million has vacated IWM in the past couple "
         "sessions. The ETF allocates over 32 percent of its weight to technology. Its expense ratio "
         "is 0.19 percent.\n")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_every_candidate_number_is_kept_or_rejected_with_a_reason(tmp_path: Path):
    article = article_from_text(STORY, published=date(2017, 8, 18), path="s.txt")
    facts, decisions, _ = explain_article(article)
    numbers = {article.text[d.start:d.end]: d for d in decisions}
    assert set(numbers) >= {"2.7 percent", "11 percent", "$700 million", "32 percent", "0.19 percent"}
    assert all(d.reason and d.rule for d in decisions)
    kept = {(d.ticker, article.text[d.start:d.end]) for d in decisions if d.kept}
    assert kept == {("IWM", "2.7 percent"), ("^GSPC", "11 percent"), ("IWM", "$700 million")}
    # what was kept is what was extracted
    assert {(r.ticker, r.value_pct) for r in facts.returns} == {("IWM", 2.7), ("^GSPC", 11.0)}
    assert not numbers["32 percent"].kept and "share of something" in numbers["32 percent"].reason
    assert not numbers["0.19 percent"].kept and numbers["0.19 percent"].rule.startswith("rules:")


def test_explain_says_which_ticker_and_window_and_why_not_the_others(tmp_path: Path):
    (tmp_path / "s.txt").write_text(" date 2017-08-18 " + STORY, encoding="utf-8")
    result = run("extract", tmp_path / "s.txt", "--explain")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "'$700 million'" in out and "KEPT as flow" in out
    block = out[out.index("'$700 million'"):]
    block = block[:block.index("\n   '")]
    assert "ticker: IWM: named after the amount by “vacated”" in block
    assert "window: “past couple sessions” 2017-08-15 .. 2017-08-17" in block  # flows: through the session before publication
    eleven = out[out.index("'11 percent'"):]
    assert "not IWM: farther from the number than ^GSPC" in eleven[:eleven.index("\n   '")]
    assert "'32 percent'" in out and "not a return" in out


def test_a_missing_file_is_one_line_and_the_others_are_explained(tmp_path: Path):
    (tmp_path / "s.txt").write_text(STORY, encoding="utf-8")
    result = run("extract", tmp_path / "nope.txt", tmp_path / "s.txt", "--explain")
    assert result.exit_code == 1
    assert "nope.txt" in result.output and "'2.7 percent'" in result.output


def test_explaining_changes_nothing_in_the_facts():
    from extractor.pipeline import default_nlp, extract_article

    article = article_from_text(STORY, published=date(2017, 8, 18), path="s.txt")
    plain = extract_article(article)
    nlp = default_nlp()
    explained = assemble(nlp(nlp.make_doc(article.text)), article, explain=Explainer())
    assert plain.flows == explained.flows and plain.returns == explained.returns


def test_seed_000_shows_why_the_weight_is_not_a_return_and_where_the_700_million_sits(real_classifier):
    path = shared_path("corpus-dev", "seed-000.txt")
    result = run("extract", path, "--explain")
    out = result.output
    weight = out[out.index("'32 percent'"):]
    assert weight.startswith("'32 percent' @") and "not a return" in weight.splitlines()[0]
    assert "weight" in weight.splitlines()[0]
    flow = out[out.index("'$700 million'"):].splitlines()
    assert "KEPT as flow" in flow[0] and "outflow" in flow[0]
    assert any(line.strip().startswith("window: “past couple sessions” 2017-08-14 .. 2017-08-16") for line in flow[:5])
