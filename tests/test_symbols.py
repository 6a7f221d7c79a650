"""The symbol table (extractor/data/symbols.csv), the stoplist, the first-name list and
the loader in extractor.normalize.ticker."""
from __future__ import annotations

import csv
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import pytest

from extractor.errors import ExtractorError
from extractor.normalize import ticker
from extractor.normalize.ticker import (
    KINDS,
    SymbolInfo,
    SymbolTable,
    load_symbols,
    name_variants,
    normalize_symbol,
)

DATA = resources.files("extractor") / "data"
SYMBOLS_CSV = DATA / "symbols.csv"
FIRST_NAMES = resources.files("extractor") / "rules" / "patterns" / "first_names.txt"

INDICES = (
    "^GSPC", "^DJI", "^IXIC", "^NDX", "^RUT", "^VIX", "^MID", "^SML", "^RUA", "^RUI",
    "^NYA", "^XAX", "^SOX", "^DJT", "^FTSE", "^GDAXI", "^FCHI", "^N225", "^HSI",
    "^STOXX50E", "^STOXX", "^GSPTSE", "^KS11", "000001.SS", "^BSESN", "^AXJO", "^BVSP",
    "^MXX",
)

# Single words that are ordinary English (or mostly something else in market news)
# and so must never be an alias: the name matcher reads them case-sensitively, and
# "Target", "Visa" or "Gap" open plenty of sentences that are not about the company.
AMBIGUOUS_WORDS = frozenset(
    """
    a an the and or of to in on at by for with from as is are be was were it its this
    that these those all any some no not now new one two key so go well low fast cost
    target visa gap ball block square match snap zoom dish discover travelers regions
    citizens southern dominion public general united american first signature popular
    progressive carnival anthem chase morgan ross tiffany harley lilly abbott baxter
    ford dow delta shell total vale mosaic williams cardinal quest align monster carrier
    dover pool ally lennox axon xylem eaton coach tapestry chewy waters equity realty
    energy bank fund trust index group holdings capital financial international global
    market markets stock stocks bond bonds gold silver oil gas dollar yen euro sterling
    """.split()
)


def _csv_rows() -> list[dict[str, str]]:
    with SYMBOLS_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _written_names(row: dict[str, str]) -> list[str]:
    return [row["name"], *[a for a in row["aliases"].split("|") if a]]


@pytest.fixture(scope="module")
def table() -> SymbolTable:
    return ticker._build(None)  # the built-in table alone, whatever the environment says


@pytest.fixture(scope="module")
def alias_map(table: SymbolTable) -> dict[str, str]:
    return dict(table.alias_items())


# --------------------------------------------------------------------------- the CSV


def test_csv_has_exact_columns_and_valid_rows():
    with SYMBOLS_CSV.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == ["symbol", "name", "aliases", "kind"]
    for row in _csv_rows():
        assert row["kind"] in KINDS, row
        assert row["symbol"] == normalize_symbol(row["symbol"]), row
        assert row["name"].strip() == row["name"] and row["name"], row
        for alias in row["aliases"].split("|") if row["aliases"] else []:
            assert alias and alias == " ".join(alias.split()), (row["symbol"], alias)


def test_no_duplicate_symbols():
    counts = Counter(r["symbol"] for r in _csv_rows())
    assert [s for s, n in counts.items() if n > 1] == []


def test_table_loads_with_enough_funds(table: SymbolTable):
    kinds = Counter(info.kind for info in table)
    assert kinds["etf"] + kinds["etn"] >= 300
    assert kinds["etn"] >= 15
    assert kinds["stock"] >= 500
    assert len(table) == len(_csv_rows())


@pytest.mark.parametrize("symbol", INDICES)
def test_index_present(table: SymbolTable, symbol: str):
    info = table.get(symbol)
    assert info is not None and info.kind == "index"


def test_no_written_alias_names_two_symbols():
    """The same name (compared case-folded when it has several words) may appear in
    one row only; otherwise it could never resolve."""
    claims: dict[str, set[str]] = defaultdict(set)
    for row in _csv_rows():
        for text in _written_names(row):
            claims[ticker._alias_key(text)].add(row["symbol"])
    assert {k: v for k, v in claims.items() if len(v) > 1} == {}


def test_alias_items_are_unique_and_conflicts_are_only_generated(table: SymbolTable):
    items = table.alias_items()
    texts = [t for t, _ in items]
    assert len(texts) == len(set(texts))
    by_key: dict[str, set[str]] = defaultdict(set)
    for text, symbol in items:
        by_key[ticker._alias_key(text)].add(symbol)
    assert {k: v for k, v in by_key.items() if len(v) > 1} == {}
    written = {ticker._alias_key(t) for row in _csv_rows() for t in _written_names(row)}
    for text, _symbols in table.conflicts:
        assert ticker._alias_key(text) not in written, text


def test_aliases_are_not_stopwords_lowercase_words_or_first_names(table: SymbolTable):
    first_names = set(FIRST_NAMES.read_text(encoding="utf-8").split())
    problems = []
    for text, symbol in table.alias_items():
        if text in table.not_tickers:
            problems.append((text, symbol, "in the stoplist"))
        if text == text.lower():
            problems.append((text, symbol, "has no capital letter"))
        if " " not in text:
            if text.lower() in AMBIGUOUS_WORDS:
                problems.append((text, symbol, "ordinary word"))
            if text in first_names:
                problems.append((text, symbol, "a first name"))
    assert problems == []


def test_no_alias_is_another_rows_symbol(table: SymbolTable):
    symbols = {info.symbol for info in table}
    clashes = [(t, s) for t, s in table.alias_items() if t in symbols and t != s]
    assert clashes == []


# --------------------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    "text, symbol",
    [
        ("iShares Russell 2000 ETF", "IWM"),
        ("iShares Russell 2000", "IWM"),
        ("iShares Russell 2000 Index Fund", "IWM"),
        ("S&P 500", "^GSPC"),
        ("Standard & Poor’s 500", "^GSPC"),
        ("Standard & Poor's 500 Index", "^GSPC"),
        ("the Dow", "^DJI"),
        ("Dow Jones industrial average", "^DJI"),
        ("blue-chip Dow", "^DJI"),
        ("Nasdaq", "^IXIC"),
        ("NASDAQ Composite Index", "^IXIC"),
        ("Nasdaq-100", "^NDX"),
        ("Russell 2000 index", "^RUT"),
        ("Cboe Volatility Index", "^VIX"),
        ("British FTSE index", "^FTSE"),
        ("DAX", "^GDAXI"),
        ("Shanghai Composite", "000001.SS"),
        ("SPDR Gold Shares", "GLD"),
        ("SPDR Gold", "GLD"),
        ("iShares Gold Trust", "IAU"),
        ("SPDR S&P 500 ETF Trust", "SPY"),
        ("SPDR S&P 500 ETF", "SPY"),
        ("iShares Core S&P 500 ETF", "IVV"),
        ("Vanguard 500 Index Fund ETF", "VOO"),
        ("Invesco QQQ Trust", "QQQ"),
        ("PowerShares QQQ", "QQQ"),
        ("Direxion Daily Small Cap Bull 3X Shares", "TNA"),
        ("Direxion Daily Small Cap Bear 3X Shares", "TZA"),
        ("ProShares Ultra Russell2000", "UWM"),
        ("ProShares UltraPro QQQ", "TQQQ"),
        ("ProShares UltraPro Short QQQ", "SQQQ"),
        ("ProShares Ultra DJ-UBS Crude Oil", "UCO"),
        ("ProShares Ultra Bloomberg Crude Oil", "UCO"),
        ("iPath S&P GSCI Crude Oil Total Return Index ETN", "OIL"),
        ("PowerShares DB Oil Fund", "DBO"),
        ("PowerShares DB U.S. Dollar Index Bullish Fund", "UUP"),
        ("United States Oil Fund", "USO"),
        ("U.S. Oil Fund", "USO"),
        ("iShares MSCI Brazil Index ETF", "EWZ"),
        ("iShares MSCI Brazil Capped ETF", "EWZ"),
        ("ProShares UltraShort MSCI Brazil Capped", "BZQ"),
        ("ProShares Ultra MSCI Brazil Capped", "UBR"),
        ("Direxion Daily MSCI Brazil Bull 2X Shares", "BRZU"),
        ("SPDR Barclays High Yield Bond ETF", "JNK"),
        ("SPDR Bloomberg High Yield Bond ETF", "JNK"),
        ("iShares iBoxx $ High Yield Corporate Bond ETF", "HYG"),
        ("iShares iBoxx $ Investment Grade Corporate Bond ETF", "LQD"),
        ("iShares 20+ Year Treasury Bond ETF", "TLT"),
        ("Financial Select Sector SPDR", "XLF"),
        ("Financial Select Sector SPDR Fund", "XLF"),
        ("SPDR S&P Bank", "KBE"),
        ("SPDR S&P Regional Banking ETF", "KRE"),
        ("iShares U.S. Regional Banks ETF", "IAT"),
        ("Vanguard REIT ETF", "VNQ"),
        ("iShares US Real Estate ETF", "IYR"),
        ("Vanguard FTSE Emerging Markets ETF", "VWO"),
        ("iShares MSCI Emerging Markets ETF", "EEM"),
        ("SPDR Portfolio Long Term Treasury ETF", "SPTL"),
        ("Vanguard Long-Term Treasury Index ETF", "VGLT"),
        ("Ark Innovation ETF", "ARKK"),
        ("ARK Innovation ETF", "ARKK"),
        ("VanEck Vectors Russia ETF", "RSX"),
        ("Market Vectors Gold Miners ETF", "GDX"),
        ("iPath S&P 500 VIX Short-Term Futures ETN", "VXX"),
        ("VelocityShares Daily Inverse VIX Short-Term ETN", "XIV"),
        ("MicroSectors FANG+ Index 3X Leveraged ETN", "FNGU"),
        ("Xtrackers USD High Yield Corporate Bond ETF", "HYLB"),
        ("Citigroup", "C"),
        ("Citi", "C"),
        ("Bank of America", "BAC"),
        ("BofA", "BAC"),
        ("BankAmerica", "BAC"),
        ("JPMorgan Chase", "JPM"),
        ("J.P. Morgan Chase", "JPM"),
        ("J.P. Morgan", "JPM"),
        ("Goldman Sachs", "GS"),
        ("Morgan Stanley", "MS"),
        ("Wells Fargo", "WFC"),
        ("Deutsche Bank", "DB"),
        ("Nvidia", "NVDA"),
        ("Apple", "AAPL"),
        ("Microsoft", "MSFT"),
        ("Simon Property Group", "SPG"),
        ("Public Storage", "PSA"),
        ("Ventas", "VTR"),
        ("Prologis", "PLD"),
        ("HCP", "HCP"),
        ("Silicon Valley Bank", "SIVB"),
        ("Signature Bank", "SBNY"),
        ("SunTrust", "STI"),
        ("Berkshire Hathaway", "BRK.B"),
        ("Visa Inc.", "V"),
        ("Target Corp.", "TGT"),
    ],
)
def test_alias_lookup(alias_map: dict[str, str], text: str, symbol: str):
    assert alias_map.get(text) == symbol


@pytest.mark.parametrize(
    "text",
    ["Target", "Visa", "Gap", "Ball", "Dow", "United States Oil", "U.S. Oil", "PIMCO Total Return"],
)
def test_ambiguous_text_is_not_an_alias(alias_map: dict[str, str], text: str):
    assert text not in alias_map


def test_alias_clashes_resolve_by_strength():
    """Equal claims are dropped; a written alias beats a generated variant; a user row
    beats a built-in row."""
    rows = [
        SymbolInfo("AAA1", "Acme Growth ETF", "etf"),
        SymbolInfo("AAA2", "Acme Growth Fund", "fund"),
        SymbolInfo("BBB1", "Bolt Value ETF", "etf"),
        SymbolInfo("BBB2", "Bolt Value Trust", "fund", ("Bolt Value",)),
        SymbolInfo("CCC1", "Cobalt Corp.", "stock", ("Cobalt",)),
        SymbolInfo("CCC2", "Cobalt Mining Inc.", "stock", ("Cobalt",)),
    ]
    t = SymbolTable(rows, user_symbols=["CCC2"])
    items = dict(t.alias_items())
    assert "Acme Growth" not in items
    assert ("Acme Growth", ("AAA1", "AAA2")) in t.conflicts
    assert items["Bolt Value"] == "BBB2"
    assert items["Cobalt"] == "CCC2"
    assert items["Acme Growth ETF"] == "AAA1" and items["Acme Growth Fund"] == "AAA2"


@pytest.mark.parametrize(
    "raw, symbol",
    [
        ("brk-b", "BRK.B"),
        ("BRK/B", "BRK.B"),
        ("BRK.B", "BRK.B"),
        ("$SPY", "SPY"),
        ("spy", "SPY"),
        (" $spy ", "SPY"),
        ("^gspc", "^GSPC"),
        ("bf-b", "BF.B"),
        ("000001.ss", "000001.SS"),
    ],
)
def test_get_accepts_common_spellings(table: SymbolTable, raw: str, symbol: str):
    info = table.get(raw)
    assert info is not None and info.symbol == symbol
    assert raw in table


def test_get_unknown(table: SymbolTable):
    assert table.get("NOPEX") is None
    assert "NOPEX" not in table
    assert 42 not in table


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("brk-b", "BRK.B"),
        ("BRK/B", "BRK.B"),
        ("$spy", "SPY"),
        ("^gspc", "^GSPC"),
        ("iwm", "IWM"),
        ("DX-Y.NYB", "DX-Y.NYB"),
        ("", ""),
    ],
)
def test_normalize_symbol(raw: str, expected: str):
    assert normalize_symbol(raw) == expected


@pytest.mark.parametrize(
    "name, expected",
    [
        ("iShares Russell 2000 ETF", ["iShares Russell 2000 ETF", "iShares Russell 2000"]),
        ("SPDR S&P 500 ETF Trust", ["SPDR S&P 500 ETF Trust", "SPDR S&P 500 ETF", "SPDR S&P 500"]),
        ("iShares Russell 2000 Index Fund", ["iShares Russell 2000 Index Fund", "iShares Russell 2000"]),
        ("iShares MSCI Brazil Index ETF", ["iShares MSCI Brazil Index ETF", "iShares MSCI Brazil"]),
        ("SPDR Gold Shares", ["SPDR Gold Shares", "SPDR Gold"]),
        ("Sequoia Fund", ["Sequoia Fund"]),
        ("Morgan Stanley", ["Morgan Stanley"]),
        ("  Invesco   DB Oil Fund ", ["Invesco DB Oil Fund", "Invesco DB Oil"]),
    ],
)
def test_name_variants(name: str, expected: list[str]):
    assert name_variants(name) == expected


# --------------------------------------------------------------------------- stoplist


def test_stoplist(table: SymbolTable):
    assert len(table.not_tickers) >= 300
    # "NASDAQ" is not here: written in capitals it is the composite's name (an alias, which
    # the exchange guards keep from "(NASDAQ: AAPL)" and "trades on NASDAQ")
    for word in ("CEO", "CFO", "ETF", "ETN", "US", "GDP", "CPI", "NYSE", "SEC",
                 "FED", "FOMC", "OPEC", "IPO", "EPS", "AUM", "NAV", "USD", "AI", "IT",
                 "ALL", "ON", "ARE", "SO", "GO", "NOW", "KEY", "CAT", "BPS", "YTD",
                 "MTD", "QTD", "TTM", "YOY", "ESG", "REIT", "REITS", "MLP", "ADR"):
        assert table.is_not_ticker(word), word
    assert table.is_not_ticker("ceo") and table.is_not_ticker("$ALL")
    for word in ("SPY", "IWM", "JPM", "C", "SIVB", "BRK.B"):
        assert not table.is_not_ticker(word), word


def test_stoplisted_symbols_still_resolve(table: SymbolTable):
    """The stoplist blocks bare words only; "(NYSE: ALL)" still needs ALL in the table."""
    for symbol in ("ALL", "CAT", "KEY", "NOW", "ETN", "IPO"):
        assert table.is_not_ticker(symbol) and symbol in table


# --------------------------------------------------------------------------- first names


def test_first_names():
    names = FIRST_NAMES.read_text(encoding="utf-8").splitlines()
    assert len(names) >= 1500
    assert len(names) == len(set(names))
    assert all(n and n[0].isupper() and n == n.strip() for n in names)
    for n in ("Mohamed", "Nouriel", "Yuriy", "Binky", "Cathie", "Sumit", "Jurrien", "Ed", "Liz"):
        assert n in names
    for word in ("May", "April", "Morgan", "Sterling", "Freddie"):
        assert word not in names


# --------------------------------------------------------------------------- user CSV


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_csv_extends_and_overrides(tmp_path: Path):
    user = _write(
        tmp_path / "mine.csv",
        "symbol,name,aliases,kind\n"
        "xyzq,Example Widget Fund ETF,Widget Fund|Nasdaq,etf\n"
        "SPY,State Street SPY Tracker,SPY Tracker,etf\n"
        "brk-b,Berkshire Class B Shares,,stock\n",
    )
    t = load_symbols(user)
    base = ticker._build(None)
    assert len(t) == len(base) + 1
    assert t.get("XYZQ") == SymbolInfo("XYZQ", "Example Widget Fund ETF", "etf", ("Widget Fund", "Nasdaq"))
    items = dict(t.alias_items())
    assert items["Example Widget Fund ETF"] == "XYZQ"
    assert items["Example Widget Fund"] == "XYZQ"
    assert items["Nasdaq"] == "XYZQ"  # a user alias beats the built-in ^IXIC alias
    assert items["Nasdaq Composite"] == "^IXIC"
    assert t.get("SPY").name == "State Street SPY Tracker"
    assert items["SPY Tracker"] == "SPY"
    assert "SPDR S&P 500 ETF Trust" not in items  # the replaced row's aliases are gone
    assert t.get("BRK.B").name == "Berkshire Class B Shares"
    assert "Berkshire Hathaway" not in items


def test_default_table_uses_setting_and_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    user = _write(tmp_path / "env.csv", "symbol,name,aliases,kind\nQWERT,Qwert Global Fund,,fund\n")
    monkeypatch.setenv("EXTRACTOR_SYMBOLS", str(user))
    first = load_symbols()
    assert "QWERT" in first
    assert load_symbols() is first
    monkeypatch.delenv("EXTRACTOR_SYMBOLS")
    plain = load_symbols()
    assert "QWERT" not in plain and "SPY" in plain
    assert load_symbols() is plain


@pytest.mark.parametrize(
    "body, expected",
    [
        ("symbol,name,aliases,kind\nSPY,Fine,,etf\n,No Symbol Fund,,etf\n",
         ["line 3", "symbol column is empty", "Fix:"]),
        ("symbol,name,aliases,kind\nABCD,Some Bond Fund,,bond\n",
         ["line 2", "kind 'bond' for ABCD", "index, etf, etn, stock, fund", "Fix:"]),
        ("symbol,name,aliases,kind\nABCD,,,etf\n",
         ["line 2", "ABCD has no name", "Fix:"]),
        ("symbol,name,aliases,kind\nABCD,A Fund,,etf\nabcd,Again,,etf\n",
         ["line 3", "already defined on line 2", "Fix:"]),
        ("ticker,name,kind\nABCD,A Fund,etf\n",
         ["line 1", "no symbol column", "Fix:"]),
        ("symbol,name,aliases,kind\nAB CD!,A Fund,,etf\n",
         ["line 2", "not a ticker symbol", "Fix:"]),
        ("symbol,name,aliases,kind\nABCD,A Fund,One,Two,etf\n",
         ["line 2", "5 cells but the header has 4", "separate aliases with '|'"]),
        ("", ["the file is empty", "Fix:"]),
    ],
)
def test_bad_user_csv_gives_clear_error(tmp_path: Path, body: str, expected: list[str]):
    path = _write(tmp_path / "bad.csv", body)
    with pytest.raises(ExtractorError) as exc:
        load_symbols(path)
    message = str(exc.value)
    assert message.startswith(str(path))
    for part in expected:
        assert part in message


def test_missing_user_csv(tmp_path: Path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(ExtractorError, match="symbols file not found.*EXTRACTOR_SYMBOLS"):
        load_symbols(missing)


def test_user_csv_comments_blank_lines_and_bom(tmp_path: Path):
    path = tmp_path / "bom.csv"
    path.write_text(
        "\ufeffsymbol,name,aliases,kind\n# my additions\n\nLMNOP,Lmnop Holdings Inc.,Lmnop,STOCK\n",
        encoding="utf-8",
    )
    t = load_symbols(path)
    assert t.get("lmnop") == SymbolInfo("LMNOP", "Lmnop Holdings Inc.", "stock", ("Lmnop",))
