"""Reviewed claims out of the database: gold files, JSONL, and how often a claim recurs.

What a person decided on (status ``accepted``, ``edited`` or ``added``) is exported in
the gold form of ``shared/eval/SCHEMA.md`` (the form ``extractor extract --format gold``
writes), so ``score.py`` can score the extractor against the reviewers. Rejected claims
are never exported; claims nobody looked at (``extracted``) only when asked. Each record
also carries the article's sha256 (``id``) and, per claim, its ``status``, ``fact_id``,
``source`` and character span (``start``, ``end``), extra keys the scorer ignores.

The second half counts "the same claim in N other articles": a flow or return with the
same ticker, the same value and the same resolved window in another article, for telling
a fresh figure from one copied around the news.

Everything here only reads: a read-only connection (``store.open_db(path, readonly=True)``)
is enough.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from sqlite_utils import Database

from .errors import ExtractorError
from .kinds import all_kinds
from .store import FACT_TABLES

REVIEWED_STATUSES = ("accepted", "edited", "added")  # a person's claim, as they left it
DECIDED_STATUSES = (*REVIEWED_STATUSES, "rejected")  # an article a person has looked at
UNREVIEWED_STATUS = "extracted"
NOVELTY_TABLES = ("flows", "returns")
RETURN_TOLERANCE_PCT = 0.005  # percentage points: 2.700 and 2.704 are the same return
FLOW_TOLERANCE = 0.005  # relative: $700 million and $703 million are the same flow
_EPS = 1e-9  # floats: "within 0.005" must hold for 2.7 vs 2.705

# line N of a JSONL file ("file.jsonl:N"), or the line whose "id" is ID ("file.jsonl#ID")
_JSONL_LINE = re.compile(r"^(?P<file>.+\.jsonl)(?::(?P<line>\d+)|#(?P<key>.+))$", re.I | re.S)


class ExportError(ExtractorError):
    """An export that cannot be written as asked; the message says what to do."""


# --------------------------------------------------------------------------- names

def output_name(path: str | None) -> str:
    """The NAME of NAME.json, the rule of ``extractor extract --out`` (cli.output_name):
    the file's stem, ``stem-N`` for line N of a JSONL file, and ``stem-ID`` for the line
    whose "id" is ID (characters other than letters, digits, ``.``, ``-`` and ``_``
    replaced by ``_``, so an ID never makes a path)."""
    path = path or "article"
    m = _JSONL_LINE.match(path)
    if m and m["line"] is not None:
        return f"{Path(m['file']).stem}-{m['line']}"
    if m:
        return f"{Path(m['file']).stem}-{re.sub(r'[^A-Za-z0-9._-]+', '_', m['key'])}"
    return Path(path).stem


def article_name(path: str | None) -> str | None:
    """The gold record's ``article``: the file name ("d01.txt"), or for a line of a JSONL
    file the NAME of its gold file ("briefs-3", "briefs-ID"): it has no file of its own."""
    if path is None:
        return None
    if _JSONL_LINE.match(path):
        return output_name(path)
    return path.replace("\\", "/").rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- reading

def _statuses(include_unreviewed: bool) -> tuple[str, ...]:
    return (*REVIEWED_STATUSES, UNREVIEWED_STATUS) if include_unreviewed else REVIEWED_STATUSES


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def _has_column(db: Database, table: str, column: str) -> bool:
    return any(r[1] == column for r in db.execute(f"PRAGMA table_info({table})"))


def _articles(db: Database, include_unreviewed: bool, include_superseded: bool
              ) -> list[dict[str, Any]]:
    """The articles to export (without their text), in path order: those with at least
    one claim a person decided on (a rejection counts: an article whose every claim was
    rejected is gold with nothing in it), or every article with ``include_unreviewed``.
    An article whose path now holds another text (``superseded_by``) only with
    ``include_superseded``."""
    where: list[str] = []
    params: list[Any] = []
    superseded = "a.superseded_by" if _has_column(db, "articles", "superseded_by") else "NULL"
    if not include_superseded:
        where.append(f"{superseded} IS NULL")
    if not include_unreviewed:
        where.append("(" + " OR ".join(
            f"EXISTS (SELECT 1 FROM {t} WHERE {t}.article_id = a.id AND {t}.status IN "
            f"({_marks(DECIDED_STATUSES)}))" for t in FACT_TABLES) + ")")
        params = list(DECIDED_STATUSES) * len(FACT_TABLES)
    cursor = db.execute(f"SELECT a.id, a.path, a.title, a.published, a.tickers, "
                        f"{superseded} AS superseded_by FROM articles a "
                        f"{'WHERE ' + ' AND '.join(where) if where else ''} "
                        f"ORDER BY a.path, a.id", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _rows(db: Database, table: str, article_id: str, statuses: Sequence[str]) -> list[dict[str, Any]]:
    cursor = db.execute(f'SELECT * FROM {table} WHERE article_id = ? AND status IN ({_marks(statuses)}) '
                        f'ORDER BY start IS NULL, start, id', [article_id, *statuses])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _evidence(row: dict[str, Any], text: str | None) -> str:
    raw = row.get("evidence")
    if raw is None and text is not None and row.get("start") is not None and row.get("end") is not None:
        raw = text[row["start"]:row["end"]]
    return " ".join(str(raw or "").split())


def _claim(row: dict[str, Any], article_text: str | None, **fields: Any) -> dict[str, Any]:
    return {**fields, "evidence": _evidence(row, article_text), "status": row["status"],
            "fact_id": row["id"], "source": row.get("source"), "start": row.get("start"),
            "end": row.get("end")}


def _tickers(db: Database, art: dict[str, Any], claims: dict[str, list[dict[str, Any]]],
             include_unreviewed: bool) -> list[str]:
    """The article's tickers as reviewed: symbols of the mentions a person kept or added
    and the tickers of the exported claims; with ``include_unreviewed`` also the
    machine's list, less any symbol whose every mention was rejected."""
    mentions = db.execute("SELECT symbol, status FROM mentions WHERE article_id = ? ORDER BY start, id",
                          [art["id"]]).fetchall()
    keep = set(_statuses(include_unreviewed))
    live = [s for s, status in mentions if status in keep and s]
    ordered: list[str] = []
    if include_unreviewed:
        rejected = {s for s, status in mentions if status == "rejected"} - set(live)
        try:
            machine = json.loads(art["tickers"] or "[]")
        except ValueError:
            machine = []
        ordered += [s for s in machine if s not in rejected]
    ordered += live
    ordered += [c["ticker"] for kind in claims if kind != "quotes" for c in claims[kind] if c.get("ticker")]
    return list(dict.fromkeys(ordered))


# What the export adds to a kind's gold form: the quoted words, a stance's score.
_EXTRAS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "quotes": lambda r: {"text": r["quote_text"]} if r.get("quote_text") else {},
    "sentiment": lambda r: {"score": r["score"]},
}


def _record(db: Database, art: dict[str, Any], *, include_unreviewed: bool, include_neutral: bool,
            with_text: bool) -> dict[str, Any]:
    statuses = _statuses(include_unreviewed)
    # the text: for ``with_text``, and for evidence when a row has none stored
    found = db.execute("SELECT text FROM articles WHERE id = ?", [art["id"]]).fetchone()
    text = found[0] if found else None
    claims: dict[str, list[dict[str, Any]]] = {}
    for kind in all_kinds():
        if not kind.gold_form:
            continue  # tickers: listed on their own
        claims[kind.table] = [
            _claim(r, text, **kind.gold_row(r), **_EXTRAS.get(kind.table, lambda r: {})(r))
            for r in _rows(db, kind.table, art["id"], statuses)
            if kind.in_gold(r) or (include_neutral and kind.table == "sentiment")]
    record: dict[str, Any] = {
        "id": art["id"],
        "article": article_name(art["path"]),
        "path": art["path"],
        "title": art["title"],
        "published": art["published"],
        "tickers": _tickers(db, art, claims, include_unreviewed),
        **claims,
        "superseded_by": art["superseded_by"],
    }
    if with_text:
        record["text"] = text
    return record


def iter_reviewed(db: Database, *, include_unreviewed: bool = False,
                  include_superseded: bool = False, include_neutral: bool = False,
                  with_text: bool = False) -> Iterator[dict[str, Any]]:
    """One gold record (shared/eval/SCHEMA.md) per article, with the claims people
    decided on: ``accepted``, ``edited`` (exported with the reviewer's values) and
    ``added``; rejected claims are left out.

    Only articles a person has looked at (at least one claim accepted, edited, added or
    rejected) are yielded; ``include_unreviewed`` yields every article and adds the
    claims nobody decided on (status ``extracted``), i.e. the database as it stands.
    An article whose file has changed since (``superseded_by``: its path now holds a
    newer text, and its reviewed claims stayed with the old one) is the gold of no file
    on disk and is left out unless ``include_superseded``. Neutral sentiment is left out
    as ``--format gold`` leaves it out, unless ``include_neutral``; ``with_text`` adds
    the article text under ``text``.

    Besides the gold keys each record has ``id`` (sha256 of the text), ``path``,
    ``title``, ``superseded_by`` and each claim ``status``, ``fact_id``, ``source``,
    ``start`` and ``end``.

    Example (the intended command)::

        extractor export --db extractor.db --format gold --out gold/
    """
    for art in _articles(db, include_unreviewed, include_superseded):
        yield _record(db, art, include_unreviewed=include_unreviewed,
                      include_neutral=include_neutral, with_text=with_text)


# --------------------------------------------------------------------------- writing

def _check_names(db: Database, include_unreviewed: bool, include_superseded: bool) -> None:
    seen: dict[str, str] = {}
    for art in _articles(db, include_unreviewed, include_superseded):
        name = output_name(art["path"])
        if name in seen:
            raise ExportError(f"{art['path']} and {seen[name]} would both be written to {name}.json: "
                              "rename one of the two files and ingest it again, or export as JSONL "
                              "(--format jsonl), which keeps every article on its own line")
        seen[name] = str(art["path"])


def write_gold_dir(db: Database, out_dir: Path, **kw: Any) -> int:
    """Write one ``NAME.json`` per exported article into ``out_dir`` (created if missing)
    and return how many were written. NAME is the one ``extractor extract --format gold
    --out`` uses (``output_name``), so the folder can be scored against an extract run:
    ``python ../shared/eval/score.py gold/ out/``. Keyword options are those of
    ``iter_reviewed``. Files already in the folder are overwritten or left alone.

    Refused (ExportError) when ``out_dir`` is a file, or when two articles would get
    the same NAME; nothing is written then.

    Example (the intended command)::

        extractor export --db extractor.db --format gold --out gold/
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} is a file, not a folder: give --out a folder name "
                          "(it is created if missing), or --format jsonl to write one file")
    _check_names(db, bool(kw.get("include_unreviewed", False)),
                 bool(kw.get("include_superseded", False)))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    count = 0
    for record in iter_reviewed(db, **kw):
        target = out_dir / f"{output_name(record['path'])}.json"
        target.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        count += 1
    return count


def write_jsonl(db: Database, fh: TextIO, **kw: Any) -> int:
    """Write one JSON object per line per exported article to ``fh`` (interchange and
    training data, like Prodigy's ``db-out``) and return how many lines were written.
    Each line is the ``iter_reviewed`` record with the article's text under ``text``
    (claims' ``start``/``end`` index into it). Unless given as False, it also holds
    neutral sentiment (``include_neutral``: a reviewer's "neutral" is a label worth
    training on) and articles whose file has changed since (``include_superseded``:
    their text and its reviewed claims still belong together; see ``superseded_by``).

    Example (the intended command)::

        extractor export --db extractor.db --format jsonl > reviewed.jsonl
    """
    kw = {"include_neutral": True, "include_superseded": True, **kw, "with_text": True}
    count = 0
    for record in iter_reviewed(db, **kw):
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


# --------------------------------------------------------------------------- novelty

_SAME_VALUE = {
    "flows": (f"o.direction = {{c}}.direction "
              f"AND coalesce(o.aggregation, 'total') = coalesce({{c}}.aggregation, 'total') "
              f"AND abs(o.amount_usd - {{c}}.amount_usd) <= {FLOW_TOLERANCE} * abs({{c}}.amount_usd) "
              f"+ {_EPS}"),
    "returns": (f"coalesce(o.kind, 'realized') = coalesce({{c}}.kind, 'realized') "
                f"AND abs(o.value_pct - {{c}}.value_pct) <= {RETURN_TOLERANCE_PCT} + {_EPS}"),
}


def same_claim_sql(table: str, alias: str = "c") -> str:
    """A correlated subquery (a SQL expression) counting the other articles that hold
    the same claim as row ``alias`` of ``table`` (flows or returns): a live claim (not
    rejected) of the same table with the same ticker, the same value (returns: same kind,
    ``value_pct`` within 0.005 points; flows: same direction and aggregation,
    ``amount_usd`` within 0.5 %) and the same window (``window_start`` and ``window_end``
    equal, both set: ``=`` is never true on NULL). Uses the ticker index.

    Example (every live claim with its count, through ``NOVELTY_SQL``)::

        extractor query "$(python -c 'from extractor.export import NOVELTY_SQL; print(NOVELTY_SQL)')"
    """
    if table not in NOVELTY_TABLES:
        raise ExportError(f"the same claim is counted for {' and '.join(NOVELTY_TABLES)} only, "
                          f"not {table!r}")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", alias) or alias == "o":
        raise ExportError(f"alias {alias!r}: give a plain SQL name other than 'o'")
    return (f"(SELECT count(DISTINCT o.article_id) FROM live_{table} o "
            f"WHERE o.ticker = {alias}.ticker AND o.article_id != {alias}.article_id "
            f"AND o.window_start = {alias}.window_start AND o.window_end = {alias}.window_end "
            f"AND {_SAME_VALUE[table].format(c=alias)})")


def same_claim_counts(db: Database, table: str, fact_id: int) -> int:
    """In how many other articles the claim ``table`` #``fact_id`` appears (see
    ``same_claim_sql``): 0 for a claim without both window dates. Raises ExportError
    when the claim is not in the database.

    Example (every live claim with its count, through ``NOVELTY_SQL``)::

        extractor query "$(python -c 'from extractor.export import NOVELTY_SQL; print(NOVELTY_SQL)')"
    """
    sql = f"SELECT {same_claim_sql(table)} FROM {table} c WHERE c.id = ?"
    row = db.execute(sql, [int(fact_id)]).fetchone()
    if row is None:
        raise ExportError(f"{table} #{fact_id} is not in the database (its article may have been "
                          "ingested again): look the claim up again")
    return int(row[0])


def _novelty_sql() -> str:
    def part(table: str, claim_type: str) -> str:
        if table == "flows":
            values = "c.direction, c.amount_usd, NULL AS value_pct, NULL AS kind"
        else:
            values = "NULL, NULL, c.value_pct, c.kind"
        return (f"SELECT '{claim_type}' AS claim_type, c.id AS fact_id, a.path, a.published, "
                f"c.ticker, {values}, c.window_label, c.window_start, c.window_end, c.status, "
                f"{same_claim_sql(table)} AS other_articles\n"
                f"FROM live_{table} c JOIN articles a ON a.id = c.article_id")
    return (f"{part('flows', 'flow')}\nUNION ALL\n{part('returns', 'return')}\n"
            "ORDER BY other_articles DESC, ticker, window_end, claim_type, fact_id")


# Every live flow and return with the number of other articles holding the same claim,
# most repeated first; paste it into `extractor query` (read-only).
NOVELTY_SQL = _novelty_sql()
