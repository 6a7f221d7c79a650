"""The symbol table: which securities and indices exist, and what news calls them.

News rarely writes a clean ticker. It writes "the iShares Russell 2000 ETF", "the
blue-chip Dow", "BofA" or "BRK-B". This module turns the table in
``extractor/data/symbols.csv`` (columns ``symbol,name,aliases,kind``) into lookups the
ticker finder can use:

* ``SymbolTable.get`` answers "is this a symbol we know?" for any common spelling
  ("brk-b", "BRK/B", "$SPY", "^gspc");
* ``SymbolTable.alias_items`` lists every name text that stands for one symbol,
  including simple variants generated from fund names ("iShares Russell 2000" from
  "iShares Russell 2000 ETF"), so the table does not have to spell each one out;
* ``SymbolTable.is_not_ticker`` is the stoplist (``extractor/data/not_tickers.txt``) of
  upper-case words such as CEO, ETF or GDP that look like tickers but must not be read
  as one when they stand bare in the text.

A user's own CSV (same columns; setting ``symbols`` / ``EXTRACTOR_SYMBOLS``) is merged
over the built-in table, so a missing fund can be added without editing the package.
Everything here is pure: no network, no database, and the default table is read once
per process.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from .. import settings
from ..errors import ExtractorError

KINDS: tuple[str, ...] = ("index", "etf", "etn", "stock", "fund")
"""Allowed values of the ``kind`` column (the same vocabulary as ``Mention.kind``)."""

COLUMNS: tuple[str, ...] = ("symbol", "name", "aliases", "kind")

BUILTIN_SYMBOLS = "data/symbols.csv"
BUILTIN_NOT_TICKERS = "data/not_tickers.txt"

# Trailing words that news drops from a fund's full name: "the SPDR Gold Shares" is
# also "SPDR Gold", "Invesco DB Oil Fund" also "Invesco DB Oil". The compound forms
# that end in "Index ..." go first and are stripped whole, so no variant ever ends in
# "Index" (that would name the index the fund tracks, not the fund).
_SUFFIXES: tuple[str, ...] = (
    "Index Fund ETF",
    "Index Fund",
    "Index ETF",
    "Index ETN",
    "ETF",
    "ETN",
    "Fund",
    "Trust",
    "Shares",
    "Portfolio",
)

# A generated variant made only of these words is an ordinary phrase, not a name:
# "United States Oil" (from "United States Oil Fund") would otherwise match a headline
# about U.S. oil output. Words with a digit, and brand words, are never generic.
_GENERIC_WORDS = frozenset(
    """
    a an and & the of for in on to
    u.s. us usa united states america american national international global world
    oil crude brent gas natural gasoline gold silver platinum palladium copper metals
    commodity commodities agriculture dollar euro yen currency
    short long term intermediate bond bonds treasury treasuries municipal corporate
    index fund trust total return market markets stock stocks equity emerging
    real estate high yield month daily bull bear energy income growth value dividend
    small mid large cap
    """.split()
)

_CLASS_SHARE = re.compile(r"^([A-Z]{1,6})[-/.]([A-Z])$")
_VALID_SYMBOL = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-=]*$")


@dataclass(frozen=True)
class SymbolInfo:
    """One row of the table. ``symbol`` is Yahoo-style (``^GSPC``, ``BRK.B``);
    ``kind`` is one of ``KINDS``; ``aliases`` are the other names news uses."""

    symbol: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


# --------------------------------------------------------------------------- pure helpers


_LISTING_SUFFIX = re.compile(r"(?<=[A-Z])(?:[-\s]US|\.(?:N|O|OQ|K))$")


def normalize_symbol(s: str) -> str:
    """The table's spelling of a symbol as written anywhere.

    Upper-cases, drops a cashtag ``$`` and writes class shares with a dot, because
    sources disagree: Yahoo writes ``BRK-B``, some brokers ``BRK/B``, the exchange
    ``BRK.B``. Index carets stay (``^gspc`` -> ``^GSPC``).

    A listing suffix is dropped: ``IVV-US`` (FactSet) and ``C.N`` (Reuters) are IVV and C.

    >>> normalize_symbol("brk-b"), normalize_symbol("$spy"), normalize_symbol("^gspc"), normalize_symbol("IVV-US")
    ('BRK.B', 'SPY', '^GSPC', 'IVV')
    """
    out = s.strip()
    if out.startswith("$"):
        out = out[1:].strip()
    out = out.upper()
    # a listing's place written onto the symbol: FactSet's "IVV-US", Reuters' "C.N" / "AAPL.O"
    out = _LISTING_SUFFIX.sub("", out)
    m = _CLASS_SHARE.match(out)
    if m:
        out = f"{m.group(1)}.{m.group(2)}"
    return out


def name_variants(name: str) -> list[str]:
    """``name`` followed by the shorter forms news uses for it.

    Trailing "ETF", "ETN", "Fund", "Trust", "Shares", "Portfolio", "Index Fund",
    "Index ETF" (and "Index ETN", "Index Fund ETF") are stripped one after another,
    so "SPDR S&P 500 ETF Trust" gives "SPDR S&P 500 ETF" and "SPDR S&P 500". Only
    variants of two words or more are kept: a single left-over word ("Sequoia" from
    "Sequoia Fund") is too often an ordinary word or a person.

    >>> name_variants("iShares Russell 2000 ETF")
    ['iShares Russell 2000 ETF', 'iShares Russell 2000']
    """
    full = " ".join(name.split())
    out = [full] if full else []
    current = full
    while True:
        for suffix in _SUFFIXES:
            if current.endswith(" " + suffix):
                shorter = current[: -len(suffix) - 1].rstrip(" ,")
                break
        else:
            return out
        if len(shorter.split()) < 2:
            return out
        if shorter not in out:
            out.append(shorter)
        current = shorter


def is_generic(text: str) -> bool:
    """True when every word of ``text`` is an ordinary word (see ``_GENERIC_WORDS``)."""
    for word in text.split():
        w = word.casefold()
        if any(ch.isdigit() for ch in w) or w not in _GENERIC_WORDS:
            return False
    return True


def _alias_key(text: str) -> str:
    """Key under which two alias texts count as the same name.

    Multi-word names differ only in capitalisation in real text ("Nasdaq Composite"
    and "Nasdaq composite"), so they are compared case-folded. Single words are
    compared exactly: "Apple" is the company, "APPLE" in a headline need not be.
    """
    return text.casefold() if " " in text else text


# --------------------------------------------------------------------------- the table


class SymbolTable:
    """Symbols, their names and the stoplist, with the lookups the ticker finder needs.

    Build one with ``load_symbols()``; the constructor takes already-validated rows.
    ``rows`` are given in priority order (built-in rows first, then the user's rows);
    ``user_symbols`` names the rows that came from the user's file, whose aliases win
    any clash with a built-in alias.
    """

    def __init__(
        self,
        rows: Iterable[SymbolInfo],
        not_tickers: Iterable[str] = (),
        *,
        user_symbols: Iterable[str] = (),
    ) -> None:
        self._rows: dict[str, SymbolInfo] = {}
        for info in rows:
            self._rows[info.symbol] = info  # a later row with the same symbol replaces
        self._stop = frozenset(w.strip().upper() for w in not_tickers if w.strip())
        self._user = frozenset(user_symbols)
        self._aliases, self._conflicts = self._build_aliases()

    # -- lookups ---------------------------------------------------------------------

    def get(self, symbol: str) -> SymbolInfo | None:
        """The row for ``symbol`` in any common spelling ("spy", "$SPY", "BRK-B",
        "brk/b", "^gspc"), or None when the table does not know it."""
        if not isinstance(symbol, str):
            return None
        return self._rows.get(normalize_symbol(symbol))

    def __contains__(self, symbol: object) -> bool:
        return isinstance(symbol, str) and self.get(symbol) is not None

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[SymbolInfo]:
        return iter(self._rows.values())

    def is_not_ticker(self, word: str) -> bool:
        """True when ``word`` is on the stoplist: a bare "CEO", "ETF", "GDP" or "ALL"
        in running text is never a ticker. Explicit forms ("NYSE: ALL", "(ALL)",
        "$ALL") are still recognised by the finder; only bare words are blocked."""
        w = word.strip()
        if w.startswith("$"):
            w = w[1:]
        return w.upper() in self._stop

    @property
    def not_tickers(self) -> frozenset[str]:
        """The stoplist, upper-case."""
        return self._stop

    def alias_items(self) -> list[tuple[str, str]]:
        """Every ``(text, symbol)`` pair the name matcher should look for.

        For each row: its name, each alias, and the ``name_variants`` of both (for an
        index also the form without a trailing "Index"). Texts are as written in the
        table; no text appears twice. A generated variant made only of ordinary words
        ("United States Oil") is left out.

        When one name is claimed by two symbols, the stronger claim wins: a row from
        the user's file beats a built-in row, and a name or alias written in the
        table beats a generated variant. Claims of equal strength are ambiguous and
        the text is dropped for both (see ``conflicts``), so an unclear name never
        resolves to the wrong ticker.
        """
        return list(self._aliases)

    @property
    def conflicts(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Alias texts dropped as ambiguous, each with the symbols that claimed it."""
        return self._conflicts

    # -- construction ----------------------------------------------------------------

    def _claims(self, info: SymbolInfo) -> Iterator[tuple[str, bool]]:
        """(text, explicit) for every name text of one row."""
        for text in (info.name, *info.aliases):
            text = " ".join(text.split())
            if not text:
                continue
            yield text, True
            variants = name_variants(text)[1:]
            if info.kind == "index":
                for suffix in (" Index", " index"):
                    if text.endswith(suffix) and len(text[: -len(suffix)].split()) >= 2:
                        variants.append(text[: -len(suffix)])
            for v in variants:
                if not is_generic(v):
                    yield v, False

    def _build_aliases(
        self,
    ) -> tuple[list[tuple[str, str]], tuple[tuple[str, tuple[str, ...]], ...]]:
        # key -> {symbol: (rank, [texts in order])}; a lower rank is a stronger claim
        claims: dict[str, dict[str, tuple[int, list[str]]]] = {}
        order: list[str] = []
        for info in self._rows.values():
            source_rank = 0 if info.symbol in self._user else 2
            for text, explicit in self._claims(info):
                rank = source_rank + (0 if explicit else 1)
                key = _alias_key(text)
                by_symbol = claims.get(key)
                if by_symbol is None:
                    by_symbol = claims[key] = {}
                    order.append(key)
                best, texts = by_symbol.get(info.symbol, (rank, []))
                if text not in texts:
                    texts.append(text)
                by_symbol[info.symbol] = (min(best, rank), texts)

        items: list[tuple[str, str]] = []
        conflicts: list[tuple[str, tuple[str, ...]]] = []
        for key in order:
            by_symbol = claims[key]
            top = min(rank for rank, _ in by_symbol.values())
            winners = [s for s, (rank, _) in by_symbol.items() if rank == top]
            if len(winners) > 1:
                text = by_symbol[winners[0]][1][0]
                conflicts.append((text, tuple(sorted(by_symbol))))
                continue
            symbol = winners[0]
            for text in by_symbol[symbol][1]:
                items.append((text, symbol))
        return items, tuple(conflicts)


# --------------------------------------------------------------------------- loading


def _read_rows(text: str, where: str) -> list[SymbolInfo]:
    """Parse and validate one symbols CSV. ``where`` names the file in errors.

    Blank lines and lines whose first cell starts with ``#`` are skipped. Every
    problem raises ``ExtractorError`` naming the file, the line and the fix, because
    a silently skipped row would show up much later as a ticker that is never found.
    """
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    rows: list[SymbolInfo] = []
    first_line: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            missing = [c for c in ("symbol", "name", "kind") if c not in header]
            if missing:
                raise ExtractorError(
                    f"{where}, line {line}: the header has no {', '.join(missing)} column. "
                    f"Fix: make the first line '{','.join(COLUMNS)}'."
                )
            continue
        if len(cells) > len(header):
            raise ExtractorError(
                f"{where}, line {line}: {len(cells)} cells but the header has {len(header)}. "
                "Fix: separate aliases with '|', not ',', and put a name that contains a "
                'comma in double quotes ("Becton, Dickinson and Co.").'
            )
        row = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(header)}
        raw_symbol = row.get("symbol", "")
        if not raw_symbol:
            raise ExtractorError(
                f"{where}, line {line}: the symbol column is empty. "
                "Fix: give the row a ticker symbol (e.g. SPY, BRK.B, ^GSPC) or delete the line."
            )
        symbol = normalize_symbol(raw_symbol)
        if not _VALID_SYMBOL.match(symbol):
            raise ExtractorError(
                f"{where}, line {line}: {raw_symbol!r} is not a ticker symbol. "
                "Fix: use letters, digits, '.', '-' or a leading '^' only (e.g. BRK.B, ^GSPC)."
            )
        kind = row.get("kind", "").lower()
        if kind not in KINDS:
            raise ExtractorError(
                f"{where}, line {line}: kind {row.get('kind', '')!r} for {symbol} is not one of "
                f"{', '.join(KINDS)}. Fix: set the kind column to one of those."
            )
        name = " ".join(row.get("name", "").split())
        if not name:
            raise ExtractorError(
                f"{where}, line {line}: {symbol} has no name. "
                "Fix: fill in the name column with the security's full name."
            )
        if symbol in first_line:
            raise ExtractorError(
                f"{where}, line {line}: {symbol} is already defined on line "
                f"{first_line[symbol]}. Fix: keep one row per symbol."
            )
        first_line[symbol] = line
        aliases: list[str] = []
        for a in row.get("aliases", "").split("|"):
            a = " ".join(a.split())
            if a and a != name and a not in aliases:
                aliases.append(a)
        rows.append(SymbolInfo(symbol=symbol, name=name, kind=kind, aliases=tuple(aliases)))
    if header is None:
        raise ExtractorError(
            f"{where}: the file is empty. Fix: start it with the header line "
            f"'{','.join(COLUMNS)}' followed by one row per symbol."
        )
    return rows


def _builtin_text(relative: str) -> str:
    return resources.files("extractor").joinpath(relative).read_text(encoding="utf-8")


def _read_not_tickers(text: str) -> list[str]:
    """Stoplist lines: one word each; ``#`` starts a comment."""
    words = []
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word.upper())
    return words


def _read_user_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExtractorError(
            f"{path}: symbols file not found. Fix: check the path in the symbols "
            "setting (environment variable EXTRACTOR_SYMBOLS)."
        ) from None
    except UnicodeDecodeError as exc:
        raise ExtractorError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}). "
            "Fix: save the CSV as UTF-8."
        ) from None
    except OSError as exc:
        raise ExtractorError(f"{path}: cannot read the symbols file ({exc.strerror}).") from None


def _build(extra: str | None) -> SymbolTable:
    rows = _read_rows(_builtin_text(BUILTIN_SYMBOLS), f"extractor/{BUILTIN_SYMBOLS}")
    user_rows: list[SymbolInfo] = []
    if extra is not None:
        path = Path(extra).expanduser()
        user_rows = _read_rows(_read_user_file(path), str(path))
    stop = _read_not_tickers(_builtin_text(BUILTIN_NOT_TICKERS))
    return SymbolTable(
        [*rows, *user_rows], stop, user_symbols=[r.symbol for r in user_rows]
    )


@functools.lru_cache(maxsize=4)
def _cached(extra: str | None) -> SymbolTable:
    return _build(extra)


def load_symbols(extra: str | Path | None = None) -> SymbolTable:
    """The built-in table with the user's CSV (same columns) merged over it.

    A user row replaces the built-in row with the same symbol (its name, aliases and
    kind), and new symbols are added. With ``extra=None`` the file named by the
    ``symbols`` setting (``EXTRACTOR_SYMBOLS``) is used, if any; that default table is
    built once per process and shared, since every article needs it. An explicit
    ``extra`` is read afresh each call, so an edited file is picked up.

    Raises ``ExtractorError`` (file, line, fix) for a missing file or a bad row.
    """
    if extra is None:
        configured = settings.get("symbols")
        return _cached(str(configured) if configured else None)
    return _build(str(extra))
