"""VAT rules as a seller's accountant reads them: rates by class at the storefront, domestic /
reverse charge / export, and the one rounding rule (per rate, half up)."""

import pytest

from portal.models.catalog import TaxClass
from portal.models.orders import TaxScheme
from portal.services import DomainError
from portal.services.selling import (
    RateTotal,
    UnknownTaxClass,
    mention,
    parse_tax_class,
    rate_of,
    rule_for,
    scheme_for,
    tax_total,
    totals_by_rate,
    vat_number_problem,
)


@pytest.mark.parametrize("tax_class, rate_bp", [
    (TaxClass.STANDARD, 2000), (TaxClass.INTERMEDIATE, 1000), (TaxClass.REDUCED, 550),
    (TaxClass.SUPER_REDUCED, 210), (TaxClass.EXEMPT, 0),
])
def test_french_rates_by_class(tax_class, rate_bp):
    assert rate_of(tax_class, "FR") == rate_bp


def test_a_class_the_country_has_no_rate_for_is_refused_not_guessed(app):
    with app.test_request_context():
        with pytest.raises(UnknownTaxClass):
            rate_of(TaxClass.INTERMEDIATE, "DE")
        with pytest.raises(UnknownTaxClass):
            rule_for(TaxClass.SUPER_REDUCED, TaxScheme.REVERSE_CHARGE, "DE")


def test_rounding_is_per_rate_not_per_line():
    # Three 5.5 % lines of 0.10 €: per line each VAT would round to 0.01 (0.03 in all); per
    # rate, 5.5 % of 0.30 € is 0.0165, so 0.02.
    lines = [(550, 10), (550, 10), (550, 10), (2000, 1234)]
    assert totals_by_rate(lines) == [RateTotal(2000, 1234, 247), RateTotal(550, 30, 2)]
    assert tax_total(lines) == 249


def test_half_a_cent_rounds_up():
    assert totals_by_rate([(550, 100)]) == [RateTotal(550, 100, 6)]  # 5.5 cents -> 6
    assert totals_by_rate([(210, 50)]) == [RateTotal(210, 50, 1)]  # 1.05 cents -> 1


@pytest.mark.parametrize("country, vat, expected", [
    ("FR", "", TaxScheme.DOMESTIC),
    ("FR", "FR40123456789", TaxScheme.DOMESTIC),
    ("BE", "BE0123456789", TaxScheme.REVERSE_CHARGE),
    ("BE", "BE 0123.456.789", TaxScheme.REVERSE_CHARGE),
    ("DE", "DE123456789", TaxScheme.REVERSE_CHARGE),
    ("GR", "EL123456789", TaxScheme.REVERSE_CHARGE),
    ("BE", "", TaxScheme.DOMESTIC),  # an EU business without a VAT number pays French VAT
    ("BE", "FR40123456789", TaxScheme.DOMESTIC),  # another country's number does not count
    ("DE", "DE12345678", TaxScheme.DOMESTIC),  # one digit short
    ("CH", "", TaxScheme.EXPORT),
    ("US", "", TaxScheme.EXPORT),
])
def test_scheme_from_country_and_vat_number(country, vat, expected):
    assert scheme_for(country, vat, "FR") == expected


@pytest.mark.parametrize("country, vat, expected", [
    ("CH", "CHE-286.514.903", TaxScheme.DOMESTIC),
    ("LI", "", TaxScheme.DOMESTIC),  # Liechtenstein shares Switzerland's VAT territory
    ("FR", "FR40123456789", TaxScheme.EXPORT),  # a French company buys from Switzerland
    ("DE", "", TaxScheme.EXPORT),
])
def test_the_swiss_storefront_exports_outside_its_vat_area(country, vat, expected):
    assert scheme_for(country, vat, "CH") == expected


def test_the_export_mention_cites_french_law_on_a_french_storefront_only():
    assert "262 I" in mention(TaxScheme.EXPORT, "FR")
    assert mention(TaxScheme.EXPORT, "CH") == "VAT exempt: export of goods."
    assert "French" not in mention(TaxScheme.REVERSE_CHARGE, "BE")
    assert mention(TaxScheme.DOMESTIC, "CH") == ""


def test_no_vat_outside_the_domestic_scheme():
    assert rule_for(TaxClass.REDUCED, TaxScheme.DOMESTIC).rate_bp == 550
    assert rule_for(TaxClass.REDUCED, TaxScheme.REVERSE_CHARGE).rate_bp == 0
    assert rule_for(TaxClass.STANDARD, TaxScheme.EXPORT).rate_bp == 0


def test_vat_number_format_messages(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert vat_number_problem("NL123456789B01", "NL") is None
        assert "NL" in vat_number_problem("NL123456789", "NL")
        assert "not in the European Union" in vat_number_problem("CHE123", "CH")


def test_tax_class_parsing(app):
    assert parse_tax_class(" Super-Reduced ") == TaxClass.SUPER_REDUCED
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(DomainError, match="Unknown tax class"):
            parse_tax_class("food")
