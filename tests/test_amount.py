"""Money and percent phrases -> numbers, as a reader would write them down."""
import pytest

from extractor.normalize.amount import find_money, find_percents, parse_number, word_number


@pytest.mark.parametrize("text, value, sign, qualifier", [
    ("More than $700 million has vacated", 7e8, None, "more than"),
    ("outflows which total over $3.8 billion now", 3.8e9, None, "over"),
    ("a $US1.97 billion inflow", 1.97e9, None, None),
    ("US$2.51 a share", 2.51, None, None),
    ("~$2.1B of creations", 2.1e9, None, "about"),
    ("took in $3B last week", 3e9, None, None),
    ("(SPY, +$2.1 billion)", 2.1e9, 1, None),
    ("(QQQ, -$2.5 billion)", 2.5e9, -1, None),
    ("averaged daily inflows of almost $5.2 million", 5.2e6, None, "almost"),
    ("just over $1.5 million", 1.5e6, None, "just over"),
    ("$892 million", 8.92e8, None, None),
    ("$1.8 trillion has been erased", 1.8e12, None, None),
    ("US$12.5 bn of outflows", 1.25e10, None, None),
    ("roughly $250 million", 2.5e8, None, "roughly"),
])
def test_money(text, value, sign, qualifier):
    (q,) = find_money(text)
    assert q.value == pytest.approx(value)
    assert q.sign == sign
    assert q.qualifier == qualifier


@pytest.mark.parametrize("text, value, high, sign, qualifier, unit", [
    ("is up just 2.7 percent", 2.7, None, None, "just", "pct"),
    ("higher by more than 11 percent", 11.0, None, None, "more than", "pct"),
    ("a correction of 3 to 5 percent", 3.0, 5.0, None, None, "pct"),
    ("between 3 and 5 percent", 3.0, 5.0, None, None, "pct"),
    ("a 5%-10% pullback", 5.0, 10.0, None, None, "pct"),
    ("fallen almost fifteen percent", 15.0, None, None, "almost", "pct"),
    ("up by a fifth of a percent", 0.2, None, None, None, "pct"),
    ("down -3.05%", 3.05, None, -1, None, "pct"),
    ("fell minus 3.02% at the close", 3.02, None, -1, None, "pct"),
    ("RSX is -30.6% this year", 30.6, None, -1, None, "pct"),
    ("IWM +5.17% in past month", 5.17, None, 1, None, "pct"),
    ("up an eye-popping 30%+ today", 30.0, None, None, "more than", "pct"),
    ("lagged by 2 percentage points", 2.0, None, None, None, "pp"),
    ("twenty-five percent", 25.0, None, None, None, "pct"),
    ("rose 1.2 per cent", 1.2, None, None, None, "pct"),
])
def test_percent(text, value, high, sign, qualifier, unit):
    (q,) = find_percents(text)
    assert (q.value, q.value_high, q.sign, q.qualifier, q.unit) == (value, high, sign, qualifier, unit)


def test_two_values_are_not_a_range():
    qs = find_percents("XLE and XLU rose 3.1% and 1.2%, respectively")
    assert [q.value for q in qs] == [3.1, 1.2]
    assert all(q.value_high is None for q in qs)


def test_from_to_levels_are_two_values():
    assert [q.value for q in find_percents("tariffs (from 10% to 25%)")] == [10.0, 25.0]


def test_basis_points_are_not_percents():
    assert find_percents("300 basis points of underperformance") == []


@pytest.mark.parametrize("text, value", [("1,234.5", 1234.5), ("17.8.6", 17.8), ("42", 42.0)])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, value", [("fifteen", 15), ("twenty-five", 25), ("a fifth of a", 0.2), ("banana", None)])
def test_word_number(text, value):
    assert word_number(text) == value
