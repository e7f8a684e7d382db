"""Amounts typed by a company admin: strict decimals to integer cents, never floats."""

import pytest

from portal.services.accounts.company_admin import AmountError, parse_amount_cents


@pytest.mark.parametrize("raw, cents", [
    ("1000", 100_000),
    ("1 000,50", 100_050),
    ("1000.5", 100_050),
    ("1000,05", 100_005),
    ("0", 0),
    ("0,01", 1),
    (" 12 ", 1_200),
    ("1\u00a0000", 100_000),
    ("1\u202f000,5", 100_050),
    ("10 000 000", 1_000_000_000),
    ("10000000.00", 1_000_000_000),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_valid_amounts_become_cents(raw, cents):
    assert parse_amount_cents(raw) == cents


@pytest.mark.parametrize("raw, code", [
    ("NaN", "format"), ("sNaN", "format"), ("Infinity", "format"), ("inf", "format"),
    ("1e3", "format"), ("1E3", "format"), ("-5", "negative"), ("+5", "format"),
    ("1000.505", "decimals"), ("1,000", "decimals"), ("10000000.01", "range"),
    ("99999999999", "range"), ("１０００", "format"), ("١٠٠٠", "format"), ("1_000", "format"),
    ("12 34", "format"), ("1,2,3", "format"), ("1.", "format"), (",5", "format"),
    ("0x10", "format"), ("1" * 30, "format"), ("10 €", "format"),
])
def test_anything_else_is_refused_with_its_reason(raw, code):
    with pytest.raises(AmountError) as caught:
        parse_amount_cents(raw)
    assert caught.value.code == code
