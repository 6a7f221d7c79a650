"""Training and evaluation examples for the classifier, as plain records.

An ``Example`` is one sentence with an optional sentence label and the roles of
some of its numbers (character spans). The readers here turn each source into
examples and never mix splits:

* sentiment CSVs (``text,label[,eval_split]``): the four sets in ``../shared/data``
  or the user's own file; ``eval_split`` decides train / dev / test;
* role JSONL files (training/roles/GUIDELINES.md): sentences we labelled by hand;
* weak role labels (``weak.py``) over the *train* rows of the unlabelled number sets;
* corrections reviewers made in the database.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExtractorError
from .labels import ENTITY_STANCE, ROLES, SENTIMENT, STANCE_TO_SENTIMENT

SPLITS = ("train", "dev", "test")

# folder in ../shared/data -> the name we report it under
SENTIMENT_SETS = {
    "financial_phrasebank": "phrasebank",
    "semeval2017_task5_headlines": "semeval",
    "fiqa2018_task1": "fiqa",
    "twitter_financial_news_sentiment": "twitter",
}
# unlabelled-for-roles sets whose numbers get weak role labels (train rows only)
NUMBER_SETS = ("financial_phrasebank", "numclaim_gtfintechlab", "twitter_financial_news_sentiment")


@dataclass(frozen=True)
class Example:
    text: str
    sentiment: str | None = None                   # one of labels.SENTIMENT
    roles: tuple[tuple[int, int, str], ...] = ()   # (start, end, role) char spans in text
    source: str = ""
    split: str = "train"
    meta: dict = field(default_factory=dict, compare=False, hash=False)
    entities: tuple[tuple[int, int, str], ...] = ()  # (start, end, stance) of entities named (FinEntity)


class DataError(ExtractorError):
    """A training file cannot be read; the message names the file (and line)."""


def hash_split(text: str, train: int = 70, dev: int = 80) -> str:
    """The split rule of ../shared/data: sha1 of the case- and space-folded text."""
    h = int(hashlib.sha1(" ".join(text.lower().split()).encode("utf-8")).hexdigest(), 16) % 100
    return "train" if h < train else "dev" if h < dev else "test"


def _sentiment_label(raw: str, where: str) -> str:
    label = STANCE_TO_SENTIMENT.get(raw.strip().lower())
    if label is None:
        raise DataError(f"{where}: label {raw!r} is not one of {', '.join(SENTIMENT)} (or bullish/bearish)")
    return label


def read_sentiment_csv(path: str | Path, source: str | None = None, default_split: str | None = None
                       ) -> list[Example]:
    """Rows of a ``text,label`` CSV; ``eval_split`` when present, else ``default_split``,
    else the hash split. ``text_repaired`` (mojibake fixed) is preferred over ``text``."""
    path = Path(path)
    source = source or path.stem
    out: list[Example] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
                found = ",".join(reader.fieldnames or []) or "nothing"
                raise DataError(f"{path}: needs a header with the columns text,label (found {found[:80]})")
            for i, row in enumerate(reader, start=2):
                if str(row.get("in_semeval2017_headlines", "")).lower() == "true":
                    continue  # the same headline is in SemEval with its own label
                text = (row.get("text_repaired") or row.get("text") or "").strip()
                if not text:
                    continue
                split = (row.get("eval_split") or "").strip() or default_split or hash_split(text)
                if split not in SPLITS:
                    raise DataError(f"{path}:{i}: eval_split {split!r} is not one of {', '.join(SPLITS)}")
                meta = {"agreement": row["agreement"].strip()} if (row.get("agreement") or "").strip() else {}
                out.append(Example(text, _sentiment_label(row["label"] or "", f"{path}:{i}"),
                                   source=source, split=split, meta=meta))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc
    return out


def read_finentity(data_dir: str | Path) -> list[Example]:
    """FinEntity (``finentity/DATASET.csv``, ODC-BY, Tang et al. 2023): one example per
    paragraph with the stance on each entity span; its own ``eval_split``."""
    path = Path(data_dir) / "finentity" / "DATASET.csv"
    if not path.is_file():
        return []
    by: dict[str, list] = {}
    split: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            try:
                a, b = int(row["start"]), int(row["end"])
            except (KeyError, ValueError) as exc:
                raise DataError(f"{path}:{i}: start/end must be integers") from exc
            label = row.get("label", "").strip().lower()
            if label not in ENTITY_STANCE or not 0 <= a < b <= len(row["text"]):
                raise DataError(f"{path}:{i}: label must be one of {', '.join(ENTITY_STANCE)} and the span "
                                "inside the text")
            by.setdefault(row["text"], []).append((a, b, label))
            split[row["text"]] = row.get("eval_split") or hash_split(row["text"])
    return [Example(text, entities=tuple(sorted(spans)), source="finentity", split=split[text])
            for text, spans in by.items()]


def shared_sentiment(data_dir: str | Path) -> list[Example]:
    """The sentiment sets found in ``data_dir`` (at least one must be there)."""
    data_dir = Path(data_dir)
    out: list[Example] = []
    found = [(data_dir / folder / "DATASET.csv", name) for folder, name in SENTIMENT_SETS.items()]
    found = [(f, name) for f, name in found if f.is_file()]
    if not found:
        raise DataError(f"{data_dir}: none of {', '.join(f + '/DATASET.csv' for f in SENTIMENT_SETS)} is there; "
                        "pass --data with the folder that holds the labelled sets (or --no-shared)")
    for f, name in found:
        out.extend(read_sentiment_csv(f, name))
    return out


def _locate(text: str, mentions: list[dict], where: str) -> tuple[tuple[int, int, str], ...]:
    spans, pos = [], 0
    for m in mentions:
        role, needle = m.get("role"), m.get("text")
        if role not in ROLES:
            raise DataError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
        if "start" in m and "end" in m:
            start, end = m["start"], m["end"]
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                raise DataError(f"{where}: start/end must be integers with 0 <= start < end <= {len(text)}")
        elif not isinstance(needle, str):
            raise DataError(f"{where}: each mention needs a \"text\" string (or start/end offsets)")
        else:
            start = text.find(needle or "\0", pos)
            if not needle or start < 0:
                raise DataError(f"{where}: mention {needle!r} is not in the text (after offset {pos})")
            end = start + len(needle)
        spans.append((start, end, role))
        pos = end
    return tuple(spans)


def read_roles_jsonl(path: str | Path, split: str | None = None, source: str | None = None) -> list[Example]:
    """Hand-labelled number roles. ``split`` forces one split (a held-out file is all
    ``test``); otherwise each line takes the hash split with 85 % train, 15 % dev."""
    path = Path(path)
    out: list[Example] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc
    for i, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{i}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise DataError(f"{where}: not JSON ({exc})") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
            raise DataError(f"{where}: needs a JSON object with a non-empty string \"text\"")
        text = obj["text"]
        mentions = obj.get("mentions") or []
        if not isinstance(mentions, list) or not all(isinstance(m, dict) for m in mentions):
            raise DataError(f"{where}: \"mentions\" must be a list of objects like "
                            f"{{\"text\": \"$1.2 billion\", \"role\": \"flow\"}}")
        roles = _locate(text, mentions, where)
        sentiment = obj.get("sentiment")
        if sentiment is not None and not isinstance(sentiment, str):
            raise DataError(f"{where}: \"sentiment\" must be positive, negative or neutral")
        out.append(Example(text, _sentiment_label(sentiment, f"{path}:{i}") if sentiment else None, roles,
                           source=source or path.stem, split=split or hash_split(text, train=85, dev=100)))
    return out


def weak_roles(data_dir: str | Path, limit_per_set: int | None = None) -> list[Example]:
    """Weak role labels (``weak.label_numbers``) over the train rows of the number-rich
    sets. Sentences where no labelling function fires are left out."""
    from .weak import label_numbers

    out: list[Example] = []
    for folder in NUMBER_SETS:
        f = Path(data_dir) / folder / "DATASET.csv"
        if not f.exists():
            continue
        n = 0
        try:
            with f.open(newline="", encoding="utf-8-sig") as fh:
                rows = list(csv.DictReader(fh))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise DataError(f"{f}: cannot read ({exc})") from exc
        for row in rows:
            if (row.get("eval_split") or "") != "train":
                continue
            text = (row.get("text_repaired") or row.get("text") or "").strip()
            roles = label_numbers(text, forecast_hint=row.get("label") == "in_claim")
            if roles:
                out.append(Example(text, roles=tuple(roles), source=f"weak:{folder}", split="train"))
                n += 1
                if limit_per_set and n >= limit_per_set:
                    break
    return out


def merge(examples: Iterable[Example]) -> list[Example]:
    """One example per (text, split): a sentence labelled for sentiment and for roles
    by two sources trains both heads in one pass."""
    by_key: dict[tuple[str, str], Example] = {}
    for ex in examples:
        key = (ex.text, ex.split)
        old = by_key.get(key)
        if old is None:
            by_key[key] = ex
            continue
        spans = {(s, e): r for s, e, r in old.roles}
        for s, e, r in ex.roles:
            spans.setdefault((s, e), r)
        by_key[key] = Example(ex.text, old.sentiment or ex.sentiment,
                              tuple((s, e, r) for (s, e), r in sorted(spans.items())),
                              source=old.source if old.sentiment else ex.source, split=ex.split,
                              meta=old.meta or ex.meta, entities=old.entities or ex.entities)
    return list(by_key.values())


_SENT_END = re.compile(r"[.!?][\"”’)]?\s+(?=[A-Z\"“$(])|\n")


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding [start, end): after the last sentence end before it, up to
    the first one after it (a line break always ends one)."""
    lo = 0
    for m in _SENT_END.finditer(text, 0, start + 1):  # +1: the lookahead may read text[start]
        if m.end() <= start:
            lo = m.end()
    m = _SENT_END.search(text, max(end - 1, lo))
    hi = (m.start() + (text[m.start()] in ".!?")) if m else len(text)
    return lo, max(hi, end)


def from_corrections(db_path: str | Path) -> Iterator[Example]:
    """Labels reviewers made: an accepted, edited or added flow or return names its
    number's role (forecast for a forecast return); a correction of field ``role``
    names it outright, whatever the fact's status (a rejected "return" corrected to
    ``weight`` is the case the model most needs); an accepted, edited or added
    sentiment row labels its sentence."""
    from ..normalize.amount import find_money, find_percents

    try:
        con = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True)
        con.row_factory = sqlite3.Row
        explicit = {(r["fact_table"], r["fact_id"]): r["new_value"] for r in con.execute(
            "select fact_table, fact_id, new_value from corrections where field = 'role' order by id")}
        reviewed = ("accepted", "edited", "added")
        rows = con.execute("""
            select 'flows' as t, f.id, f.start, f."end", f.status, a.text, 'flow' as role,
                   f.amount_usd as value, null as label, null as sentence
              from flows f join articles a on a.id = f.article_id
            union all
            select 'returns', r.id, r.start, r."end", r.status, a.text,
                   case when r.kind = 'forecast' then 'forecast' else 'return' end, abs(r.value_pct), null, null
              from returns r join articles a on a.id = r.article_id
            union all
            select 'sentiment', s.id, s.start, s."end", s.status, a.text, null, null, s.label, s.sentence
              from sentiment s join articles a on a.id = s.article_id
        """).fetchall()
        con.close()
    except sqlite3.Error as exc:
        raise DataError(f"{db_path}: cannot read corrections ({exc})") from exc
    for r in rows:
        role = explicit.get((r["t"], r["id"]))
        if role is None and r["status"] not in reviewed:
            continue
        if r["t"] == "sentiment":
            label = STANCE_TO_SENTIMENT.get(r["label"] or "")
            if label and r["sentence"]:
                yield Example(r["sentence"].strip(), label, source="corrections", split="train")
            continue
        role = role or r["role"]
        text, start, end = r["text"], r["start"], r["end"]
        if role not in ROLES or start is None or end is None:
            continue
        lo, hi = _sentence_around(text, start, end)
        sentence = text[lo:hi]
        finder = find_money if r["t"] == "flows" else find_percents
        qs = [q for q in finder(sentence) if start <= lo + q.start < end]
        if not qs:
            continue
        value = r["value"]
        match = [q for q in qs if value is not None and q.value is not None and
                 abs(abs(q.value) - value) <= max(1e-6, abs(value) * 0.01)]
        q = match[0] if match else min(qs, key=lambda q: abs(lo + q.end - end))
        yield Example(sentence, roles=((q.start, q.end, role),), source="corrections", split="train")

ROLES_DIR = Path(__file__).resolve().parents[2] / "training" / "roles"


@dataclass(frozen=True)
class Sources:
    """Where ``extractor train`` takes its examples from."""
    data_dir: Path | None = None              # ../shared/data: the four sentiment sets + weak roles
    csvs: tuple[Path, ...] = ()               # the user's own text,label CSVs
    roles: tuple[Path, ...] = ()              # hand-labelled role JSONL (hash split 85/15)
    heldout: tuple[Path, ...] = ()            # role JSONL only ever scored
    heldout_split: str = "test"
    corrections_db: Path | None = None        # reviewers' labels from the database
    role_repeat: int = 3                      # hand-labelled sentences count this many times
    limit: int | None = None                  # at most this many train/dev rows per source (smoke runs)
    csv_split: str | None = None              # split for --csv rows without eval_split (evaluate: all)
    weak: bool = True                         # add weak role labels over the number sets in data_dir
    # How much each source counts in train: 2 = every row twice, 0.5 = half the rows (a
    # fixed hash subset). PhraseBank is the news-sentence set we are judged on; the
    # tweets are many, short and of another register.
    weights: tuple[tuple[str, float], ...] = (("phrasebank", 3.0), ("twitter", 0.5))


def _builtin(f: Path) -> str | None:
    """``written`` / ``heldout`` for the project's own role files, else None."""
    f = Path(f).resolve()
    if f.parent != ROLES_DIR.resolve():
        return None
    return "heldout" if f.stem == "heldout" else "written" if f.stem.startswith("written") else None


def default_sources(data_dir: Path | None) -> Sources:
    """../shared/data (or ``data_dir``) plus the project's role files: every
    training/roles/written*.jsonl to train on, heldout.jsonl to score."""
    roles = tuple(sorted(ROLES_DIR.glob("written*.jsonl")))
    heldout = tuple(p for p in (ROLES_DIR / "heldout.jsonl",) if p.exists())
    return Sources(data_dir=data_dir, roles=roles, heldout=heldout)


def build_examples(src: Sources) -> list[Example]:
    """Every example of every source, with its split, merged per sentence. Hand-
    labelled role sentences are repeated ``role_repeat`` times in train: they are
    few, and the only ones that teach the hard cases."""
    out: list[Example] = []

    def take(rows: list[Example]) -> list[Example]:
        if not src.limit:
            return rows
        kept, seen = [], {}
        for r in rows:
            key = (r.source, r.split)
            if r.split == "test" or seen.get(key, 0) < src.limit:
                seen[key] = seen.get(key, 0) + 1
                kept.append(r)
        return kept

    if src.data_dir:
        out += take(shared_sentiment(src.data_dir))
        out += take(read_finentity(src.data_dir))
        if src.weak:
            out += take(weak_roles(src.data_dir, limit_per_set=src.limit))
    # the user's files are named csv:STEM / roles:STEM, so no file of theirs can take
    # the place (or the weight) of a built-in set
    for f in src.csvs:
        out += take(read_sentiment_csv(f, f"csv:{Path(f).stem}", default_split=src.csv_split))
    for f in src.roles:
        out += take(read_roles_jsonl(f, source=_builtin(f) or f"roles:{Path(f).stem}"))
    for f in src.heldout:
        out += read_roles_jsonl(f, split=src.heldout_split, source=_builtin(f) or f"heldout:{Path(f).stem}")
    if src.corrections_db:
        out += list(from_corrections(src.corrections_db))
    # a sentence of a held-out file is never trained or tuned on, whichever file brings it
    held = {" ".join(e.text.lower().split()) for e in out if e.split == "test" and e.source.startswith("heldout")}
    out = [e for e in out if e.split == "test" or " ".join(e.text.lower().split()) not in held]
    merged = merge(out)
    weights = dict(src.weights)
    for e in merged:
        if e.split == "train" and e.roles and not e.source.startswith("weak") and \
                e.source not in SENTIMENT_SETS.values() and e.source != "corrections":
            weights.setdefault(e.source, float(src.role_repeat))
    weighted: list[Example] = []
    for e in merged:
        w = weights.get(e.source, 1.0) if e.split == "train" else 1.0
        copies = int(w) + (1 if int(hashlib.sha1(e.text.encode("utf-8")).hexdigest(), 16) % 1000
                           < (w - int(w)) * 1000 else 0)
        # a copy differs by trailing spaces only: the tokenizer ignores them
        weighted += [e if i == 0 else Example(e.text + " " * i, e.sentiment, e.roles, e.source, e.split,
                                              entities=e.entities)
                     for i in range(copies)]
    return weighted
