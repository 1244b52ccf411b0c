from decimal import Decimal

import pytest

from evaluations.decimals import DecimalParseError, exact, grouped, parse_amount, parse_score


def test_a_binary_double_becomes_the_decimal_that_was_typed():
    assert parse_amount(476.604) == Decimal("476.604000")
    assert exact(parse_amount(98.86676)) == "98.86676"
    assert parse_score(80.2) == Decimal("80.20")


@pytest.mark.parametrize("text", [" 85.41 ", "８５.４１", "\u300085.41\u3000", "85.410"])
def test_numbers_stored_as_text_are_read(text):
    assert parse_score(text) == Decimal("85.41")


def test_thousands_separators_in_amounts_are_read():
    assert parse_amount("1,033.496") == Decimal("1033.496")


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", True])
def test_non_numbers_are_refused(raw):
    with pytest.raises(DecimalParseError):
        parse_score(raw)


def test_display_rounding_is_half_up_and_the_exact_figure_keeps_every_place():
    total = Decimal("9298.222760")
    assert grouped(total) == "9,298.22276"
    assert grouped(total, 2) == "9,298.22"
    assert grouped(Decimal("1033.495"), 2) == "1,033.50"
