"""VAT: the rate of a product's tax class, the treatment of the customer's country, and the one
rounding rule. Pure functions over plain values (no database, no request).

Rate: a product carries a tax class (standard, intermediate, reduced, super-reduced, exempt);
its rate is read in `RATES_BP` for the storefront's country (France: 20 / 10 / 5.5 / 2.1 / 0 %;
Switzerland: 8.1 / 3.8 / 2.6 / 2.6 / 0 %), in basis points (550 = 5.5 %). A class the table
does not know for that country has no rate: the product cannot be sold there
(`UnknownTaxClass`), never taxed at a guess. The trade portal's country is the seller's
(SELLER_COUNTRY); another storefront's is its own (`market`).

Treatment (`scheme_for`), decided by the customer company's country and VAT number against
the storefront's country and its VAT area (`vat_area`: the EU for a member state;
Switzerland with Liechtenstein):
- same country as the storefront, or in its VAT area without a valid EU VAT number: the
  storefront's rates (`DOMESTIC`);
- another EU country, on an EU storefront, with a VAT number in that country's format: no
  VAT, the customer accounts for it (`REVERSE_CHARGE`, "autoliquidation");
- outside the storefront's VAT area (a French company on the Swiss storefront, a Swiss one on
  the French): no VAT, export (`EXPORT`).
Outside domestic VAT an order carries a legal mention in the words of its storefront's
country (`mention`): the French tax code's articles on a French storefront, a neutral
wording naming no law elsewhere.

Rounding, the same everywhere totals appear (cart, checkout, order page, e-mails): VAT is
computed per rate, not per line. The line totals excl. VAT (integer cents) at one rate are
added up, the rate is applied once to that base and rounded half up to the cent; the order's
VAT is the sum of these per-rate amounts. `totals_by_rate` is that one function.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.models.catalog import TaxClass
from portal.models.orders import TaxScheme
from portal.services import DomainError

VAT_RATE_BP = 2000  # the French standard rate: 20 % in basis points
STOREFRONT_COUNTRY = "FR"

C = TaxClass
# Rates per storefront country and tax class, in basis points. A missing class has no rate
# in that country (Germany has no intermediate nor super-reduced rate).
RATES_BP: dict[str, dict[TaxClass, int]] = {
    "FR": {C.STANDARD: 2000, C.INTERMEDIATE: 1000, C.REDUCED: 550, C.SUPER_REDUCED: 210,
           C.EXEMPT: 0},
    "BE": {C.STANDARD: 2100, C.INTERMEDIATE: 1200, C.REDUCED: 600, C.EXEMPT: 0},
    "DE": {C.STANDARD: 1900, C.REDUCED: 700, C.EXEMPT: 0},
    # Switzerland (since 2024): 8.1 % normal; 3.8 % the special rate of accommodation (what
    # France's intermediate class holds); 2.6 % reduced (food, books, medicines: France's
    # reduced and super-reduced classes).
    "CH": {C.STANDARD: 810, C.INTERMEDIATE: 380, C.REDUCED: 260, C.SUPER_REDUCED: 260,
           C.EXEMPT: 0},
}

# VAT numbers after their country prefix (Greece's prefix is EL, its ISO code GR).
VAT_FORMATS: dict[str, tuple[str, str]] = {
    "AT": ("AT", r"U\d{8}"), "BE": ("BE", r"[01]\d{9}"), "BG": ("BG", r"\d{9,10}"),
    "CY": ("CY", r"\d{8}[A-Z]"), "CZ": ("CZ", r"\d{8,10}"), "DE": ("DE", r"\d{9}"),
    "DK": ("DK", r"\d{8}"), "EE": ("EE", r"\d{9}"), "ES": ("ES", r"[A-Z0-9]\d{7}[A-Z0-9]"),
    "FI": ("FI", r"\d{8}"), "FR": ("FR", r"[0-9A-HJ-NP-Z]{2}\d{9}"),
    "GR": ("EL", r"\d{9}"), "HR": ("HR", r"\d{11}"), "HU": ("HU", r"\d{8}"),
    "IE": ("IE", r"\d[A-Z0-9+*]\d{5}[A-Z]{1,2}"), "IT": ("IT", r"\d{11}"),
    "LT": ("LT", r"\d{9}|\d{12}"), "LU": ("LU", r"\d{8}"), "LV": ("LV", r"\d{11}"),
    "MT": ("MT", r"\d{8}"), "NL": ("NL", r"\d{9}B\d{2}"), "PL": ("PL", r"\d{10}"),
    "PT": ("PT", r"\d{9}"), "RO": ("RO", r"\d{2,10}"), "SE": ("SE", r"\d{12}"),
    "SI": ("SI", r"\d{8}"), "SK": ("SK", r"\d{10}"),
}
EU_COUNTRIES = frozenset(VAT_FORMATS)
# Countries outside the EU that share one VAT territory.
VAT_AREAS = {"CH": frozenset({"CH", "LI"})}

_SEPARATORS = re.compile(r"[\s.\-]")

# The mentions by storefront country; a country not listed gets the neutral ones.
MENTIONS = {"FR": {
    TaxScheme.REVERSE_CHARGE: _l(
        "Reverse charge: VAT-exempt intra-Community supply (article 262 ter I of the French "
        "tax code, article 138 of directive 2006/112/EC); VAT is due by the customer."),
    TaxScheme.EXPORT: _l(
        "VAT exempt: export outside the European Union (article 262 I of the French tax "
        "code)."),
}}
NEUTRAL_MENTIONS = {
    TaxScheme.REVERSE_CHARGE: _l("Reverse charge: VAT is due by the customer."),
    TaxScheme.EXPORT: _l("VAT exempt: export of goods."),
}

TAX_CLASS_LABELS = {
    C.STANDARD: _l("Standard rate"),
    C.INTERMEDIATE: _l("Intermediate rate"),
    C.REDUCED: _l("Reduced rate"),
    C.SUPER_REDUCED: _l("Super-reduced rate"),
    C.EXEMPT: _l("Exempt"),
}


class UnknownTaxClass(DomainError):
    """The storefront's country has no rate for this tax class."""


def vat_cents(subtotal_cents: int, rate_bp: int = VAT_RATE_BP) -> int:
    """VAT on a base, in integer cents, rounded half up (never through a float)."""
    return (subtotal_cents * rate_bp + 5000) // 10000


def parse_tax_class(raw) -> TaxClass:
    """A tax class from a form or a CSV cell ("reduced", "super-reduced"...); DomainError."""
    value = str(raw or "").strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return TaxClass(value)
    except ValueError:
        raise DomainError(_("Unknown tax class “%(value)s”: use standard, intermediate, "
                             "reduced, super_reduced or exempt.", value=str(raw)[:40])) from None


def rate_of(tax_class: TaxClass | str, country: str = STOREFRONT_COUNTRY) -> int:
    """The rate in basis points of `tax_class` in `country`; UnknownTaxClass if it has none."""
    rate = RATES_BP.get(country, {}).get(TaxClass(tax_class))
    if rate is None:
        raise UnknownTaxClass(_("No VAT rate for the tax class “%(cls)s” in %(country)s.",
                                 cls=str(tax_class), country=country))
    return rate


def normalize_vat_number(raw: str | None) -> str:
    return _SEPARATORS.sub("", raw or "").upper()


def vat_number_problem(raw: str | None, country: str) -> str | None:
    """Why `raw` is not a VAT number of `country` (a message), or None when its format is."""
    value = normalize_vat_number(raw)
    known = VAT_FORMATS.get(country)
    if known is None:
        return _("%(country)s is not in the European Union: no VAT number to check.",
                 country=country)
    prefix, body = known
    if not value.startswith(prefix) or not re.fullmatch(body, value[len(prefix):]):
        return _("This is not a VAT number of %(country)s: it starts with %(prefix)s and "
                 "follows that country's format.", country=country, prefix=prefix)
    return None


def scheme_for(country: str | None, vat_number: str | None,
               storefront: str = STOREFRONT_COUNTRY) -> TaxScheme:
    """How a customer established in `country` with `vat_number` is taxed."""
    country = (country or storefront).upper()
    if country == storefront:
        return TaxScheme.DOMESTIC
    if country not in vat_area(storefront):
        return TaxScheme.EXPORT
    if storefront in EU_COUNTRIES and vat_number_problem(vat_number, country) is None:
        return TaxScheme.REVERSE_CHARGE
    return TaxScheme.DOMESTIC


def vat_area(country: str) -> frozenset[str]:
    """The countries sharing `country`'s VAT territory (the EU's member states)."""
    return EU_COUNTRIES if country in EU_COUNTRIES else VAT_AREAS.get(country,
                                                                      frozenset({country}))


@dataclass(frozen=True)
class TaxRule:
    """The VAT of one line: its rate (0 outside the domestic scheme) and the scheme."""

    rate_bp: int = VAT_RATE_BP
    scheme: TaxScheme = TaxScheme.DOMESTIC

    def on(self, subtotal_cents: int) -> int:
        return vat_cents(subtotal_cents, self.rate_bp)


STANDARD_TAX = TaxRule()


def rule_for(tax_class: TaxClass | str, scheme: TaxScheme = TaxScheme.DOMESTIC,
             storefront: str = STOREFRONT_COUNTRY) -> TaxRule:
    """The rule of a product of `tax_class` sold under `scheme`; UnknownTaxClass if its class
    has no rate at the storefront (checked even when no VAT is charged: the seller's table
    must know every class it sells)."""
    rate = rate_of(tax_class, storefront)
    return TaxRule(rate if scheme == TaxScheme.DOMESTIC else 0, scheme)


@dataclass(frozen=True)
class RateTotal:
    """One line of the VAT table: the base excl. VAT at a rate, and its VAT."""

    rate_bp: int
    base_cents: int
    tax_cents: int


def totals_by_rate(lines: Iterable[tuple[int, int]]) -> list[RateTotal]:
    """The per-rate VAT table of (rate_bp, line_total_cents) pairs, highest rate first: each
    rate applied once to the sum of its lines, rounded half up (the one rounding rule)."""
    bases: dict[int, int] = {}
    for rate_bp, cents in lines:
        bases[rate_bp] = bases.get(rate_bp, 0) + cents
    return [RateTotal(rate, base, vat_cents(base, rate))
            for rate, base in sorted(bases.items(), reverse=True)]


def tax_total(lines: Iterable[tuple[int, int]]) -> int:
    """The VAT of these (rate_bp, line_total_cents) pairs: the sum of the per-rate amounts."""
    return sum(row.tax_cents for row in totals_by_rate(lines))


def retaxed(before: list[tuple[int, int]], old_tax: int,
            after: list[tuple[int, int]]) -> int:
    """An order's VAT once its lines changed (an approver's trim): the lines' frozen rates by
    the one rounding rule, when the stored VAT was theirs; otherwise (an order whose VAT was
    set some other way) the stored VAT follows the subtotal in proportion."""
    if tax_total(before) == old_tax:
        return tax_total(after)
    from portal.services.selling.rules import scaled_tax

    return scaled_tax(sum(c for _, c in before), old_tax, sum(c for _, c in after))


def order_rates(order) -> list[RateTotal]:
    """The VAT table of a placed order, from the rates its lines froze."""
    return totals_by_rate((line.tax_rate_bp, line.line_total_cents) for line in order.lines)


def rate_label(rate_bp: int) -> str:
    """550 -> "5.5 %", 2000 -> "20 %" (the decimal mark follows the reader's language)."""
    from flask_babel import format_decimal

    return f"{format_decimal(Decimal(rate_bp) / 100, format='#,##0.##')} %"


def tax_class_choices(storefront: str = STOREFRONT_COUNTRY) -> list[tuple[str, str]]:
    """(value, label with its rate) of the classes the storefront has a rate for."""
    rates = RATES_BP.get(storefront, {})
    return [(str(cls), f"{label} ({rate_label(rates[cls])})")
            for cls, label in TAX_CLASS_LABELS.items() if cls in rates]


def mention(scheme: TaxScheme | str | None, country: str = STOREFRONT_COUNTRY) -> str:
    """The legal mention an order under `scheme` carries on a storefront of `country` (""
    for domestic VAT)."""
    text = MENTIONS.get(country, NEUTRAL_MENTIONS).get(TaxScheme(scheme)) if scheme else None
    return str(text) if text else ""
