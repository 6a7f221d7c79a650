"""The command line. Each command parses its options, calls the library, prints.

This is the only module that turns errors into messages: ``Error: <problem>`` on
stderr and exit status 1. Heavy modules (the ingest readers, spaCy, the classifier)
are imported inside the commands, so ``extractor --help`` starts fast.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import settings
from .errors import ExtractorError
from .schema import EXTRACTOR_VERSION

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
KINDS = ("flows", "returns", "quotes", "sentiment")
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
def ingest(paths: tuple[Path, ...], db_path: Path, force: bool, quiet: bool) -> None:
    """Extract the claims from articles and store them in the database.

    PATHS are files (.txt, .md, .html, .jsonl) or folders; the default is the corpus
    folder ($EXTRACTOR_CORPUS or corpus/). An article stored before with the same
    text is skipped. A file that cannot be read is reported and the others go on;
    the exit status is 1 if any failed.

    Example:

    \b
        extractor ingest corpus/examples --db extractor.db
    """
    from tqdm import tqdm

    from .ingest import expand_paths, iter_articles
    from .store import ingest_articles, open_db, summary

    paths = paths or (Path(str(settings.get("corpus"))),)
    bar_wanted = not quiet and sys.stderr.isatty()
    total = None
    if bar_wanted:
        files, _ = expand_paths(paths)
        bar_wanted = len(files) >= PROGRESS_MIN_FILES
        total = None if any(f.suffix.lower() == ".jsonl" for f in files) else len(files)
    tally: Counter[str] = Counter()
    run_tickers: set[str] = set()
    try:
        db = open_db(db_path)
        with tqdm(total=total, unit="article", file=sys.stderr, disable=not bar_wanted,
                  leave=False) as bar:
            items = iter_articles(paths, max_bytes=int(settings.get("max_bytes")))
            for outcome in ingest_articles(db, items, force=force):
                tally[outcome.status] += 1
                bar.update(1)
                if outcome.status == "failed":
                    bar.write(f"Error: {outcome.error}", file=sys.stderr)
                elif outcome.status == "ingested":
                    tally.update({k: v for k, v in outcome.facts.counts().items() if k in KINDS})
                    run_tickers.update(outcome.facts.tickers)
        stored = summary(db)
        db.close()
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    if not quiet:
        click.echo(_ingest_table(tally, len(run_tickers), stored))
    if tally["failed"]:
        sys.exit(1)


def _ingest_table(tally: Counter[str], run_tickers: int, stored: dict[str, Any]) -> str:
    from .report import format_table

    rows: list[list[Any]] = [
        ["articles ingested", tally["ingested"], stored["articles"]],
        ["articles skipped", tally["skipped"], None],
        ["articles failed", tally["failed"], None],
        *[[kind, tally[kind], stored["claims"][kind]] for kind in KINDS],
        ["tickers", run_tickers, stored["tickers"]],
    ]
    table = format_table(["", "this run", "in database"], rows)
    top = ", ".join(f"{t} ({n})" for t, n in stored["top_tickers"]) or "(none yet)"
    return f"{table}\n\ntop tickers (articles): {top}"


# --------------------------------------------------------------------------- extract

_JSONL_LINE = re.compile(r"^(?P<file>.+\.jsonl):(?P<line>\d+)$", re.I)


def output_name(path: str | None) -> str:
    """The NAME of NAME.json: the file's stem, ``stem-N`` for line N of a JSONL file."""
    path = path or "article"
    m = _JSONL_LINE.match(path)
    if m:
        return f"{Path(m['file']).stem}-{m['line']}"
    return Path(path).stem


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "gold", "table"]), default="json",
              show_default=True,
              help="json: every field with spans; gold: the shared/eval/SCHEMA.md form; "
                   "table: readable.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for one NAME.json (NAME.txt for table) per article, created if "
                   "missing. Without it, everything goes to stdout.")
def extract(files: tuple[Path, ...], fmt: str, out: Path | None) -> None:
    """Print the claims found in files, as JSON, gold JSON or tables (no database).

    FILES are files or folders. NAME is the file's stem (d01.txt -> d01.json), or
    stem-N for line N of a .jsonl file. Unreadable files are reported and the others
    go on; the exit status is 1 if any failed.

    Example:

    \b
        extractor extract ../shared/corpus-dev/*.txt --format gold --out out/
    """
    from .ingest import iter_articles
    from .report import facts_table
    from .schema import to_gold, to_json
    from .store import extract_each

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


# --------------------------------------------------------------------------- query


@cli.command()
@click.argument("sql")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("-p", "--param", "params", multiple=True, type=(str, str), metavar="NAME VALUE",
              help="A named parameter: -p ticker IWM fills :ticker.")
def query(sql: str, db_path: Path, fmt: str, params: tuple[tuple[str, str], ...]) -> None:
    """Run a read-only SQL query against the database.

    Tables: articles, mentions, flows, returns, quotes, sentiment, corrections; the
    view claims has one row per flow and return with its article. Statements that
    change the database are refused.

    Example:

    \b
        extractor query "select ticker, count(*) from claims group by ticker" --format csv
    """
    from .report import format_csv, format_json, format_table
    from .store import query as run_query

    try:
        columns, rows = run_query(db_path, sql, dict(params) if params else ())
    except ExtractorError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "csv":
        click.echo(format_csv(columns, rows), nl=False)
    elif fmt == "json":
        click.echo(format_json(columns, rows))
    elif columns:
        click.echo(format_table(columns, rows))


if __name__ == "__main__":  # pragma: no cover
    cli()
