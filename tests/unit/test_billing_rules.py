"""The pure rules of billing, as tables: an invoice's status on a day, the overdue reminder
step reached, the number format, the VAT category of a line in the XML, the due date."""

from datetime import date

import pytest

from portal.models import PaymentTerms
from portal.models.orders import TaxScheme
from portal.services.billing import due_date, format_number, status_of, step_reached
from portal.services.billing.cii import amount, category, rate_percent

DUE = date(2026, 12, 31)


@pytest.mark.parametrize(("kind", "paid", "left", "today", "status"), [
    ("invoice", 0, 1000, date(2026, 12, 31), "open"),  # due today: not yet overdue
    ("invoice", 0, 1000, date(2027, 1, 1), "overdue"),
    ("invoice", 400, 600, date(2026, 12, 1), "partly_paid"),
    ("invoice", 400, 600, date(2027, 1, 1), "overdue"),
    ("invoice", 1000, 0, date(2027, 6, 1), "paid"),
    ("invoice", 0, -50, date(2027, 6, 1), "paid"),  # credited beyond: nothing to pay
    ("credit_note", 0, 1000, date(2027, 6, 1), "credit_note"),
])
def test_invoice_status_on_a_day(kind, paid, left, today, status):
    assert status_of(kind, DUE, paid, left, today) == status


@pytest.mark.parametrize(("days", "step"), [(-3, 0), (0, 0), (1, 1), (14, 1), (15, 2),
                                            (29, 2), (30, 3), (400, 3)])
def test_reminder_step_reached(days, step):
    assert step_reached(days, (1, 15, 30)) == step


def test_numbers_are_series_year_and_six_digits():
    assert format_number("FA", 2026, 1) == "FA-2026-000001"
    assert format_number("AV", 2027, 123456) == "AV-2027-123456"


@pytest.mark.parametrize(("scheme", "rate", "code"), [
    (TaxScheme.DOMESTIC, 2000, ("S", None)), (TaxScheme.DOMESTIC, 550, ("S", None)),
    (TaxScheme.DOMESTIC, 0, ("Z", None)),
    (TaxScheme.REVERSE_CHARGE, 0, ("K", "VATEX-EU-IC")),
    (TaxScheme.EXPORT, 0, ("G", "VATEX-EU-G")),
])
def test_vat_category_of_a_line(scheme, rate, code):
    assert category(scheme, rate) == code


def test_amounts_and_rates_are_written_with_two_decimals_from_integers():
    assert (amount(0), amount(5), amount(123456)) == ("0.00", "0.05", "1234.56")
    assert (rate_percent(550), rate_percent(2000), rate_percent(210)) == ("5.50", "20.00",
                                                                         "2.10")


@pytest.mark.parametrize(("terms", "due"), [
    (PaymentTerms.NET30, date(2026, 12, 31)), (PaymentTerms.NET60, date(2027, 1, 30)),
    (PaymentTerms.NET90, date(2027, 3, 1)), (PaymentTerms.PREPAY, date(2026, 12, 1)),
])
def test_due_date_follows_the_payment_terms(terms, due):
    assert due_date(terms, date(2026, 12, 1)) == due
