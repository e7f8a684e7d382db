"""Exports: formula neutralization, French decimals, the BOM and the separator."""

import pytest

from portal.services.backoffice.csv_export import euros, neutralize, stream


@pytest.mark.parametrize(("cell", "written"), [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
    ("-5", "'-5"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("ACME =1", "ACME =1"),
    ("12,50", "12,50"),
    ("", ""),
    (None, ""),
    (42, "42"),
    ("'already", "'already"),
])
def test_cells_a_spreadsheet_would_run_are_prefixed_with_an_apostrophe(cell, written):
    assert neutralize(cell) == written


@pytest.mark.parametrize(("cents", "text"), [
    (0, "0,00"), (5, "0,05"), (1250, "12,50"), (123456, "1234,56"), (-150, "-1,50"),
    (None, ""),
])
def test_amounts_are_written_with_a_decimal_comma(cents, text):
    assert euros(cents) == text


def test_a_stream_starts_with_a_bom_and_uses_semicolons():
    body = "".join(stream(["a", "b"], [["=x", "1;2"], ["y", "z"]]))
    assert body == "\ufeffa;b\r\n'=x;\"1;2\"\r\ny;z\r\n"


def test_a_long_stream_comes_in_several_parts():
    parts = list(stream(["n"], ([str(i)] for i in range(1200))))
    assert len(parts) >= 3
    assert "".join(parts).count("\r\n") == 1201
