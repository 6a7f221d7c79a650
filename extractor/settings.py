"""Declared settings: one table of (name, default, environment variable, help).

The CLI reads its defaults from here, and a test checks that each one is documented
in the README, so a setting cannot exist without a user being able to find it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | int | None
    env: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "extractor.db", "EXTRACTOR_DB",
            "SQLite file the claims are stored in (created on first use)."),
    Setting("corpus", "corpus", "EXTRACTOR_CORPUS",
            "Folder `extractor ingest` reads when no path is given."),
    Setting("symbols", None, "EXTRACTOR_SYMBOLS",
            "Extra symbols CSV (symbol,name,aliases,kind) merged over the built-in table."),
    Setting("max_bytes", 10_000_000, "EXTRACTOR_MAX_BYTES",
            "Largest article file read, in bytes; larger files are reported and skipped."),
    Setting("max_seconds", 20, "EXTRACTOR_MAX_SECONDS",
            "Longest an article's extraction may take, in seconds; past it the article is "
            "reported as too complex and skipped, and the batch goes on (0: no limit)."),
    Setting("max_chars", 2_000_000, "EXTRACTOR_MAX_CHARS",
            "Longest article text extracted, in characters; a longer one is reported as too "
            "complex and skipped."),
    Setting("model", None, "EXTRACTOR_MODEL",
            "Classifier folder (model.onnx, tokenizer.json, labels.json); default extractor/models/minilm-finance."),
    Setting("data", "../shared/data", "EXTRACTOR_DATA",
            "Folder of labelled sentiment and number sets that `extractor train` and `evaluate` read."),
    Setting("classifier", "model", "EXTRACTOR_CLASSIFIER",
            "`model` (the transformer classifier) or `lexicon` (rules only: no model needed)."),
    Setting("attach", None, "EXTRACTOR_ATTACH",
            "Which ticker a number is about: `rules`, or `model` (the learned ranker of "
            "extractor/models/attach-v1); default: whichever its card says measured better."),
    Setting("reviewer", None, "EXTRACTOR_REVIEWER",
            "Name written with each correction in the review app (`extractor review --reviewer`); "
            "default: your login name."),
    Setting("online", "0", "EXTRACTOR_ONLINE",
            "1: `extractor check` first fetches the prices its claims need from Yahoo Finance "
            "(yfinance, the `online` extra); 0: only imported prices are used."),
    Setting("query_timeout", 10, "EXTRACTOR_QUERY_TIMEOUT",
            "Seconds (whole) a query of `extractor query` or the review app's SQL page may run "
            "before it is stopped (`extractor query --timeout`)."),
    Setting("query_max_rows", 10_000, "EXTRACTOR_QUERY_MAX_ROWS",
            "Rows of a query result shown at most by `extractor query` and the SQL page; "
            "a longer result is cut, saying so (`extractor query --max-rows`)."),
    Setting("query_max_bytes", 50_000_000, "EXTRACTOR_QUERY_MAX_BYTES",
            "Bytes of data (text, blobs, numbers) a query result may hold; fetching stops "
            "there, and a single larger value is refused."),
)


def get(name: str) -> str | int | None:
    """The setting's value: its environment variable when set, else the default."""
    for s in SETTINGS:
        if s.name == name:
            raw = os.environ.get(s.env)
            if raw is None or raw == "":
                return s.default
            return int(raw) if isinstance(s.default, int) else raw
    raise KeyError(f"unknown setting {name!r}")


def flag(name: str) -> bool:
    """A yes/no setting: 1, true, yes, on (any case) are yes."""
    return str(get(name) or "").strip().lower() in ("1", "true", "yes", "on")
