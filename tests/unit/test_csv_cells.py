"""One cell at a time: money without floats, integers, yes/no, GTIN, SKU, order steps."""

import pytest

from portal.services.csv_import import cells
from portal.services.csv_import.cells import CellProblem


@pytest.mark.parametrize(("raw", "cents"), [
    ("12,50", 1250), ("12.50", 1250), ("12.5", 1250), ("12", 1200), ("0,01", 1),
    ("0", 0), ("9999999,99", 999_999_999), ("0.10", 10), ("007,5", 750),
])
def test_amounts_in_euros_become_exact_cents(raw, cents):
    assert cells.money(raw) == cents


@pytest.mark.parametrize("raw", [
    "12,505", "1.234,50", "1,234.50", "1 234,50", "-3", "+3", "12,", ",5", "1e3", "NaN",
    "sNaN", "Infinity", "12 €", "€12", "１２", "١٢", "12_0", "", "10000000",
])
def test_ambiguous_or_foreign_amounts_are_refused(raw):
    with pytest.raises(CellProblem):
        cells.money(raw)


@pytest.mark.parametrize(("raw", "low", "high", "expected"), [
    ("1", 1, 10, 1), ("10", 1, 10, 10), ("007", 0, 10, 7),
    ("0", 1, 10, CellProblem), ("11", 1, 10, CellProblem), ("-1", 0, 10, CellProblem),
    ("1.0", 0, 10, CellProblem), ("１", 0, 10, CellProblem), ("1_0", 0, 100, CellProblem),
    ("9999999999", 0, 10**12, CellProblem),
])
def test_integers_are_ascii_digits_within_bounds(raw, low, high, expected):
    if expected is CellProblem:
        with pytest.raises(CellProblem):
            cells.integer(raw, low, high)
    else:
        assert cells.integer(raw, low, high) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("yes", True), ("Oui", True), ("1", True), ("TRUE", True), ("x", True),
    ("no", False), ("non", False), ("0", False), ("False", False),
])
def test_yes_no_cells_in_both_languages(raw, expected):
    assert cells.boolean(raw) is expected


def test_an_unclear_yes_no_cell_is_refused():
    with pytest.raises(CellProblem):
        cells.boolean("maybe")


@pytest.mark.parametrize(("raw", "ok"), [
    ("4006381333931", True), ("96385074", True), ("036000291452", True),
    ("10614141000415", True), ("4006381333932", False), ("400638133393", False),
    ("40063813339３1", False), ("abc", False),
])
def test_gtins_need_a_valid_check_digit(raw, ok):
    if ok:
        assert cells.gtin(raw) == raw
    else:
        with pytest.raises(CellProblem):
            cells.gtin(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("vis-440", "VIS-440"), ("A1/B.2_C", "A1/B.2_C"),
    ("", CellProblem), ("VIS 440", CellProblem), ("=CMD", CellProblem), ("X" * 41, CellProblem),
])
def test_skus_are_upper_case_codes(raw, expected):
    if expected is CellProblem:
        with pytest.raises(CellProblem):
            cells.sku(raw)
    else:
        assert cells.sku(raw) == expected


@pytest.mark.parametrize(("raw", "ok"), [
    ("a@b.fr", True), ("A.B@Example.COM", True), ("a@b", False), ("a b@c.fr", False),
    ("@b.fr", False), ("a@@b.fr", False),
])
def test_emails_are_checked_and_lower_cased(raw, ok):
    if ok:
        assert cells.email(raw) == raw.lower()
    else:
        with pytest.raises(CellProblem):
            cells.email(raw)


def test_text_cells_keep_formulas_as_data_but_respect_their_length():
    assert cells.text("=1+1", 10) == "=1+1"
    with pytest.raises(CellProblem):
        cells.text("x" * 11, 10)
    with pytest.raises(CellProblem):
        cells.text("", 10, True)


@pytest.mark.parametrize(("case_pack", "step", "ok"), [
    (1, 1, True), (10, 1, True), (10, 5, True), (10, 10, True), (10, 2, False),
    (10, 20, False), (9, 1, True), (9, 9, True), (9, 4, False), (12, 6, True), (2, 1, True),
])
def test_a_product_step_is_one_unit_half_a_case_or_a_case(case_pack, step, ok):
    assert (cells.order_multiple_problem(case_pack, step) is None) is ok
