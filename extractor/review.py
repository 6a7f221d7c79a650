"""Reviewer decisions: accept, reject, edit, add and undo.

Each decision is one *change*: the fact row is updated and every field it touched is
written to ``corrections`` (fact, field, old value, new value, when) in the same
transaction, so the audit trail and the facts can never disagree. A changed row's
status is a human one (``accepted``, ``rejected``, ``edited``, ``added``), which
``store.write_article`` never overwrites when the article is ingested again. A change
is undone by a new change that writes the old values back; the first is marked
``undone_by`` the second, and nothing is ever deleted from ``corrections``.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlite_utils import Database

from . import settings
from .errors import ExtractorError
from .normalize.amount import find_money
from . import kinds
from .schema import EXTRACTOR_VERSION, STATUSES
from .store import CHECKED_TABLES, FACT_TABLES, fact_key, write_transaction

# The fields a person may change, per fact table, and what each accepts (a kind of value,
# or the tuple of allowed words); and those a claim cannot do without. Each kind declares
# its own (``extractor/kinds``).
EDITABLE: dict[str, dict[str, Any]] = {k.table: dict(k.editable) for k in kinds.all_kinds()}
REQUIRED: dict[str, tuple[str, ...]] = {k.table: k.required for k in kinds.all_kinds()}
# What a reviewer may set the status to; ``added`` comes only from ``add``.
SETTABLE_STATUSES = ("extracted", "accepted", "rejected", "edited")
_ADDED_NOTE = "added"


class ReviewError(ExtractorError):
    """A change that cannot be made as asked; the message says what to do instead."""


@dataclass(frozen=True)
class Change:
    id: int | None  # corrections.change_id; None when nothing changed
    fact_table: str
    fact_id: int | None
    fields: tuple[str, ...] = ()  # fields written, "status" among them when it moved


# --------------------------------------------------------------------------- values

def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _number(field: str, value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            raise ReviewError(f"{field}: {value!r} is too large") from None
    else:
        raw = str(value).strip().replace(",", "").replace("%", "").replace("\u2212", "-")
        try:
            number = float(raw)
        except ValueError:
            raise ReviewError(f"{field}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ReviewError(f"{field}: {value!r} is not a finite number")
    return number


def _amount(field: str, value: Any) -> float:
    """US dollars: a number, or money as an article writes it ("$700 million", "1.2bn")."""
    try:
        amount = _number(field, value)
    except ReviewError:
        text = str(value).strip()
        if re.fullmatch(r"[\d.,eE+\-\s]+", text):  # a number too big or malformed, not words
            raise
        found = find_money(text if text.startswith("$") else f"${text}")
        if len(found) != 1 or found[0].value is None or not math.isfinite(found[0].value):
            raise ReviewError(f"{field}: {value!r} is not an amount of dollars "
                              "(write 700000000 or $700 million)") from None
        amount = float(found[0].value)
    if amount <= 0:
        raise ReviewError(f"{field}: an amount is positive; the direction says in or out")
    return amount


def _date(field: str, value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        day = (date.fromisoformat(text) if len(text) <= 10 else datetime.fromisoformat(text).date())
    except ValueError:
        raise ReviewError(f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None
    if not 1900 <= day.year <= 2100:
        raise ReviewError(f"{field}: {day.isoformat()} is outside 1900..2100")
    return day.isoformat()


def coerce(table: str, field: str, value: Any) -> Any:
    """``value`` as the column stores it, or ReviewError naming the field and the problem."""
    _check_table(table)
    kind = EDITABLE[table].get(field)
    if kind is None:
        allowed = ", ".join(EDITABLE[table]) or "none"
        raise ReviewError(f"{table}.{field} cannot be edited (editable: {allowed})")
    if _blank(value):
        return None
    if isinstance(kind, tuple):  # the vocabulary's own spelling ("usd" is USD)
        word = {w.casefold(): w for w in kind}.get(str(value).strip().casefold())
        if word is None:
            raise ReviewError(f"{field}: {value!r} is not one of {', '.join(kind)}")
        return word
    if kind == "symbol":
        symbol = str(value).strip().upper()
        if not re.fullmatch(r"[\^A-Z0-9][A-Z0-9.\-=^]{0,14}", symbol):
            raise ReviewError(f"{field}: {value!r} is not a ticker symbol (IWM, ^GSPC, BRK.B)")
        return symbol
    if kind == "number":
        return _number(field, value)
    if kind == "positive":  # a price or a level: a number above 0
        number = _number(field, value)
        if number <= 0:
            raise ReviewError(f"{field}: {value!r} is not a price or a level (a number above 0)")
        return number
    if kind == "amount":
        return _amount(field, value)
    if kind == "score":
        score = _number(field, value)
        if not -1 <= score <= 1:
            raise ReviewError(f"{field}: {value!r} is outside -1..1 (> 0 leans bullish)")
        return score
    if kind == "date":
        return _date(field, value)
    return " ".join(str(value).split())


def as_text(value: Any) -> str | None:
    """How ``corrections`` keeps a value: NULL, or text that ``coerce`` reads back."""
    if value is None:
        return None
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


# --------------------------------------------------------------------------- writing

def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _check_table(table: str) -> None:
    try:
        kinds.get(table)
    except ValueError as exc:  # "unknown kind of claim ...; expected one of ..."
        raise ReviewError(str(exc)) from None


def _fact(db: Database, table: str, fact_id: int) -> dict[str, Any]:
    _check_table(table)
    cursor = db.execute(f"SELECT * FROM {table} WHERE id = ?", [int(fact_id)])
    row = cursor.fetchone()
    if row is None:
        raise ReviewError(f"{table} #{fact_id} is no longer in the database (its article was "
                          "ingested again): reload the article")
    return dict(zip([d[0] for d in cursor.description], row))


def _article_row(db: Database, article_id: str) -> dict[str, Any]:
    cursor = db.execute("SELECT published, asof FROM articles WHERE id = ?", [article_id])
    found = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], found)) if found else {}


def _next_change(db: Database) -> int:
    return db.execute("SELECT coalesce(max(change_id), 0) + 1 FROM corrections").fetchone()[0]


def default_reviewer() -> str | None:
    """Who is deciding: ``EXTRACTOR_REVIEWER`` (``extractor review --reviewer``), else
    the login name."""
    import getpass

    name = settings.get("reviewer")
    if name:
        return str(name)
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): the change is still recorded
        return None


def fact_version(row: Mapping[str, Any]) -> str:
    """A short digest of a fact row as stored: the version a reviewer saw. An action that
    carries it is refused when the claim changed since (another reviewer, a re-ingest)."""
    raw = json.dumps({k: as_text(v) for k, v in sorted(row.items())}, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]


def _record(db: Database, change: int, table: str, fact_id: int, field: str, old: Any, new: Any,
            now: str, note: str | None = None, reviewer: str | None = None) -> None:
    db.execute("INSERT INTO corrections (fact_table, fact_id, field, old_value, new_value, "
               "created_at, note, change_id, reviewer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [table, fact_id, field, as_text(old), as_text(new), now, note, change,
                reviewer if reviewer is not None else default_reviewer()])


def _missing(table: str, row: Mapping[str, Any]) -> list[str]:
    return [f for f in REQUIRED[table] if _blank(row.get(f))]


def resolve_label(db: Database, article_id: str, label: str) -> tuple[str | None, str | None]:
    """A window label a reviewer typed ("year-to-date", "week ended May 24") as the
    extractor resolves it for that article: (start, end) ISO dates, None where it cannot."""
    from datetime import date as _date

    from .normalize.time import resolve
    from .schema import Anchor

    row = _article_row(db, article_id)
    if not row.get("published"):
        return None, None
    published = _date.fromisoformat(row["published"])
    asof = _date.fromisoformat(row["asof"]) if row.get("asof") else None
    w = resolve(label, Anchor(published=published, year=published.year, month=published.month, asof=asof))
    return (w.start.isoformat() if w.start else None, w.end.isoformat() if w.end else None)


def _with_resolved_window(db: Database, table: str, article_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """A typed window label without dates gets the dates the extractor would give it."""
    label = values.get("window_label")
    if kinds.get(table).windowed and label and "window_start" not in values and "window_end" not in values:
        start, end = resolve_label(db, article_id, label)
        if start or end:
            values = {**values, "window_start": start, "window_end": end}
    return values


def _apply(db: Database, change: int, table: str, row: dict[str, Any], values: dict[str, Any],
           status: str | None, now: str, note: str | None, reviewer: str | None = None
           ) -> tuple[str, ...]:
    """Write ``values`` (already coerced) and the status to one fact; the fields written."""
    diff = {f: v for f, v in values.items() if as_text(v) != as_text(row[f])}
    if status is None or (diff and status == "accepted"):  # an edit is acceptance with changes
        status = row["status"] if not diff else "edited"
    if row["status"] == "added" and status in ("edited", "accepted"):
        status = "added"  # a person's own claim stays theirs
    if status not in STATUSES:
        raise ReviewError(f"status {status!r} is not one of {', '.join(SETTABLE_STATUSES)}")
    for source, fields in kinds.get(table).timed_by.items():  # a person's time: sure enough to call it false
        if any(f in diff for f in fields) and source in row and row[source] != "reviewer":
            diff[source] = "reviewer"
    merged = {**row, **diff}
    if merged.get("window_start") and merged.get("window_end") and \
            merged["window_start"] > merged["window_end"]:
        raise ReviewError(f"{table} #{row['id']}: the window ends ({merged['window_end']}) "
                          f"before it starts ({merged['window_start']})")
    missing = _missing(table, merged)
    if missing and status != "rejected":
        raise ReviewError(f"{table} #{row['id']}: {', '.join(missing)} cannot be empty "
                          "(reject the claim instead)")
    if status != row["status"]:
        diff["status"] = status
    for field, value in diff.items():
        _record(db, change, table, row["id"], field, row[field], value, now, note, reviewer)
    if diff:
        sets = ", ".join(f'"{f}" = ?' for f in diff)
        db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*diff.values(), row["id"]])
    return tuple(diff)


def _expect(table: str, row: Mapping[str, Any], expect: str | None) -> None:
    if expect is not None and fact_version(row) != expect:
        raise ReviewError(f"{table} #{row['id']} changed since the page was drawn (another reviewer "
                          "or a re-ingest): nothing was written; look at it again and decide")


def edit(db: Database, table: str, fact_id: int, values: Mapping[str, Any] | None = None, *,
         status: str | None = None, note: str | None = None, expect: str | None = None,
         reviewer: str | None = None) -> Change:
    """Change fields of one fact and/or its status, as one change.

    Changed fields make the status ``edited`` (an ``added`` claim stays ``added``);
    ``status`` alone accepts, rejects or (``extracted``) hands the claim back to the
    machine. Values are coerced as the column stores them (see ``coerce``); a value
    equal to the stored one is no change. ``expect`` is the ``fact_version`` the
    reviewer saw: the change is refused when the claim is no longer that.
    """
    _check_table(table)
    coerced = {f: coerce(table, f, v) for f, v in (values or {}).items()}
    if status is not None and status not in SETTABLE_STATUSES:
        raise ReviewError(f"status {status!r}: a reviewer sets one of {', '.join(SETTABLE_STATUSES)}")
    with write_transaction(db):
        row = _fact(db, table, fact_id)
        _expect(table, row, expect)
        if "window_label" in coerced and coerced["window_label"] != row.get("window_label"):
            coerced = _with_resolved_window(db, table, row["article_id"], coerced)
        change = _next_change(db)
        fields = _apply(db, change, table, row, coerced, status, _now(), note, reviewer)
    return Change(change if fields else None, table, int(fact_id), fields)


def accept(db: Database, table: str, fact_id: int, *, expect: str | None = None,
           reviewer: str | None = None) -> Change:
    return edit(db, table, fact_id, status="accepted", expect=expect, reviewer=reviewer)


def reject(db: Database, table: str, fact_id: int, *, expect: str | None = None,
           reviewer: str | None = None) -> Change:
    return edit(db, table, fact_id, status="rejected", expect=expect, reviewer=reviewer)


def accept_all(db: Database, article_id: str, *, seen: Mapping[tuple[str, int], str] | None = None,
               reviewer: str | None = None) -> list[Change]:
    """Accept every claim of the article nobody has decided on yet, as one change.
    With ``seen`` ({(table, id): fact_version} of the claims on the reviewer's page),
    only those, and only while they are as seen: a claim that appeared or changed since
    is left for the reviewer to look at."""
    changes: list[Change] = []
    with write_transaction(db):
        change, now = _next_change(db), _now()
        for table in FACT_TABLES:
            ids = [r[0] for r in db.execute(
                f"SELECT id FROM {table} WHERE article_id = ? AND status = 'extracted' ORDER BY id",
                [article_id])]
            for fact_id in ids:
                row = _fact(db, table, fact_id)
                if seen is not None and seen.get((table, fact_id)) != fact_version(row):
                    continue
                fields = _apply(db, change, table, row, {}, "accepted", now, "accept all", reviewer)
                changes.append(Change(change, table, fact_id, fields))
    return changes


def add(db: Database, article_id: str, table: str, start: int, end: int,
        values: Mapping[str, Any], *, reviewer: str | None = None) -> Change:
    """A claim the extractor missed: its evidence is ``articles.text[start:end]``."""
    _check_table(table)
    row = {f: coerce(table, f, v) for f, v in values.items()}
    missing = _missing(table, row)
    if missing:
        raise ReviewError(f"a new {table} claim needs {', '.join(missing)}")
    with write_transaction(db):
        found = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
        if found is None:
            raise ReviewError(f"article {article_id[:12]} is no longer in the database: reload")
        text = found[0]
        if not (0 <= start < end <= len(text)):
            raise ReviewError(f"evidence {start}..{end} is outside the article (0..{len(text)})")
        row = _with_resolved_window(db, table, article_id, {k: v for k, v in row.items() if v is not None})
        row.update(article_id=article_id, start=start, end=end, evidence=text[start:end],
                   source="human", status="added", confidence=None,
                   extractor_version=EXTRACTOR_VERSION)
        for source, fields in kinds.get(table).timed_by.items():
            if any(row.get(f) for f in fields):
                row[source] = "reviewer"
        row.update({k: v for k, v in kinds.get(table).added(row, _article_row(db, article_id)).items()
                    if row.get(k) is None})
        if table == "mentions":
            row.setdefault("text", text[start:end])
            row.setdefault("via", "human")
        row["fact_key"] = fact_key(table, row)
        fact_id = db[table].insert(row).last_pk
        change = _next_change(db)
        _record(db, change, table, fact_id, "status", None, "added", _now(),
                json.dumps({k: v for k, v in row.items() if k != "article_id"}, default=str), reviewer)
    return Change(change, table, fact_id, ("status",))


def undo(db: Database, change_id: int, *, reviewer: str | None = None) -> Change:
    """Write back the old values of one change, as a new change that can itself be undone.

    Refused when a field has changed again since (undo the later change first), and when
    the change was undone already. Undoing an add removes the added claim (the add, with
    the claim's fields, stays in ``corrections``).
    """
    with write_transaction(db):
        rows = db.execute("SELECT id, fact_table, fact_id, field, old_value, new_value, undone_by "
                          "FROM corrections WHERE change_id = ? ORDER BY id DESC",
                          [int(change_id)]).fetchall()
        if not rows:
            raise ReviewError(f"there is no change {change_id} in the history")
        if rows[0][6] is not None:
            raise ReviewError(f"change {change_id} was undone already (by change {rows[0][6]})")
        new, now, note = _next_change(db), _now(), f"undo of change {change_id}"
        table = fact_id = None
        fields: list[str] = []
        for _, table, fact_id, field, old, value, _ in rows:
            if field == "status" and old is None:  # an add
                _fact(db, table, fact_id)
                if table in CHECKED_TABLES:
                    db.execute("DELETE FROM checks WHERE fact_table = ? AND fact_id = ?",
                               [table, fact_id])
                db.execute(f"DELETE FROM {table} WHERE id = ?", [fact_id])
                _record(db, new, table, fact_id, "status", value, None, now, note, reviewer)
                fields.append(field)
                continue
            row = _fact(db, table, fact_id)
            if as_text(row[field]) != value:
                raise ReviewError(
                    f"{table} #{fact_id}: {field} is now {as_text(row[field])!r}, changed again "
                    f"after change {change_id}; undo the later change first")
            restored = old if field == "status" else (
                None if old is None else coerce(table, field, old))
            db.execute(f'UPDATE {table} SET "{field}" = ? WHERE id = ?', [restored, fact_id])
            _record(db, new, table, fact_id, field, row[field], restored, now, note, reviewer)
            fields.append(field)
        db.execute("UPDATE corrections SET undone_by = ? WHERE change_id = ?", [new, int(change_id)])
    return Change(new, table, fact_id, tuple(fields))


# --------------------------------------------------------------------------- reading

def _article_facts_sql() -> str:
    return " UNION ALL ".join(f"SELECT '{t}', id FROM {t} WHERE article_id = :article"
                              for t in FACT_TABLES)


def history(db: Database, article_id: str | None = None, *, limit: int = 200
            ) -> list[dict[str, Any]]:
    """Corrections, newest first: all of them, or those of one article's claims."""
    where = f"WHERE (fact_table, fact_id) IN ({_article_facts_sql()})" if article_id else ""
    cursor = db.execute(
        "SELECT change_id, id, created_at, reviewer, fact_table, fact_id, field, old_value, new_value, "
        f"note, undone_by FROM corrections {where} ORDER BY change_id DESC, id DESC LIMIT :limit",
        {"article": article_id, "limit": limit})
    cols = [d[0] for d in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


def refresh_verdicts(db: Database, table: str | None = None) -> None:
    """Re-check the claims a change made stale, when the database holds prices (the check
    skips every claim whose fingerprint did not move, so this costs little). With
    ``table``, only when a change there can move a verdict (flows and returns)."""
    from .crosscheck import check_claims
    from .market import has_prices

    if (table is None or table in CHECKED_TABLES) and has_prices(db):
        check_claims(db)
