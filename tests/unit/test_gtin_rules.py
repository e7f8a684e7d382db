"""The number under a barcode: check digit and the lengths one GTIN may be stored at."""

import pytest

from portal.services.ordering import gtin
from portal.services.ordering.sku_lookup import bad_check_digit


@pytest.mark.parametrize(("code", "valid"), [
    ("4006381333931", True),    # EAN-13
    ("4006381333932", False),   # last digit wrong
    ("4006381333913", False),   # two digits swapped
    ("96385074", True),         # EAN-8
    ("96385075", False),
    ("036000291452", True),     # UPC-A
    ("036000291453", False),
    ("10036000291459", True),   # GTIN-14 of a case
    ("400638133393", False),    # 12 digits: no GTIN of that number
    ("40063813339", False),     # 11 digits: not a GTIN length
    ("4006381333931 ", False),  # normalised by the caller, not here
    ("４００６３８１３３３９３１", False),  # full-width digits
    ("VIS-440", False),
    ("", False),
])
def test_a_gtin_is_valid_when_its_check_digit_matches(code, valid):
    assert gtin.is_valid(code) is valid


@pytest.mark.parametrize(("code", "forms"), [
    ("036000291452", ("036000291452", "0036000291452", "00036000291452")),
    ("0036000291452", ("036000291452", "0036000291452", "00036000291452")),
    ("96385074", ("96385074", "000096385074", "0000096385074", "00000096385074")),
    ("4006381333931", ("4006381333931", "04006381333931")),
    ("VIS-440", ()),
])
def test_one_gtin_matches_at_every_length_it_fits(code, forms):
    assert gtin.equivalents(code) == forms


@pytest.mark.parametrize(("code", "bad"), [
    ("4006381333932", True),
    ("4006381333931", False),
    ("12345", False),  # too short for a barcode: just an unknown SKU
    ("VIS-440", False),
])
def test_only_barcode_shaped_codes_are_told_their_check_digit_is_wrong(code, bad):
    assert bad_check_digit(code) is bad
