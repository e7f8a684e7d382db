"""The fast money formatter writes exactly what Babel writes, in every locale we serve and in
ones whose shape it cannot express (those fall back to Babel)."""

from decimal import Decimal

import pytest
from babel.numbers import format_currency

from portal.formatting import money_in, shape

AMOUNTS = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 12345, 99999, 100000, 123456, 1000000,
           12345678, 987654321, 10**13 + 7, -1, -100, -123456]


@pytest.mark.parametrize("locale", ["fr", "fr_FR", "en", "en_GB", "de", "es", "en_IN", "ja"])
@pytest.mark.parametrize("currency", ["EUR", "USD", "GBP", "CHF", "JPY"])
def test_the_fast_path_matches_babel(locale, currency):
    for cents in AMOUNTS:
        expected = format_currency(Decimal(cents) / 100, currency, locale=locale)
        assert money_in(cents, currency, locale) == expected, (locale, currency, cents)


def test_french_and_english_euros_take_the_fast_path():
    assert shape("fr", "EUR") is not None
    assert shape("en", "EUR") is not None
    assert money_in(123456, "EUR", "fr") == "1\u202f234,56\xa0€"
    assert money_in(123456, "EUR", "en") == "€1,234.56"


def test_shapes_babel_writes_differently_fall_back():
    assert shape("ja", "JPY") is None  # no decimals
    assert shape("en_IN", "EUR") is None  # groups of two digits
