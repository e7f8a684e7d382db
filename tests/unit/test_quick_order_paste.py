"""Reading pasted text and CSV files into SKU + quantity lines (pure, no app)."""

import codecs

import pytest

from portal.services import DomainError
from portal.services.ordering.paste import (
    MAX_LINES,
    RawLine,
    decode_bytes,
    parse_csv,
    parse_text,
    sniff_delimiter,
    split_cells,
)
from portal.services.ordering.quick_order import too_many


def pairs(parsed):
    return [(line.sku, line.quantity) for line in parsed.lines]


@pytest.mark.parametrize("text, expected", [
    ("VIS-440 10", [("VIS-440", "10")]),
    ("VIS-440;10", [("VIS-440", "10")]),
    ("VIS-440,10", [("VIS-440", "10")]),
    ("VIS-440\t10", [("VIS-440", "10")]),
    ("VIS-440   10", [("VIS-440", "10")]),
    ("  VIS-440 ; 10  ", [("VIS-440", "10")]),
    ("VIS-440\t10\tVis inox 4x40", [("VIS-440", "10")]),  # extra spreadsheet columns
    ('"VIS-440";"10"', [("VIS-440", "10")]),
    ('"VIS;440",3', [("VIS;440", "3")]),  # a quoted delimiter stays in its cell
    ('"VIS-440" 10', [("VIS-440", "10")]),
    ("VIS-440", [("VIS-440", "")]),  # kept, so its missing quantity can be said
    ("VIS-440 dix", [("VIS-440", "dix")]),
    ("VIS-440 10\nCIM-35;3\nGANT-9,12\nFAR-T55\t20",
     [("VIS-440", "10"), ("CIM-35", "3"), ("GANT-9", "12"), ("FAR-T55", "20")]),
])
def test_each_pasted_line_picks_its_own_separator(text, expected):
    assert pairs(parse_text(text)) == expected


@pytest.mark.parametrize("text", [
    "SKU;Qty\nVIS-440;10",
    "sku qty\nVIS-440 10",
    "Référence,Quantité\nVIS-440,10",
    "Article\tQté\nVIS-440\t10",
    "Ref.\tQte.\nVIS-440\t10",
    "\n\nSKU;Quantity\nVIS-440;10",
])
def test_a_first_line_naming_the_columns_is_skipped(text):
    parsed = parse_text(text)
    assert parsed.header is True
    assert pairs(parsed) == [("VIS-440", "10")]


def test_a_header_in_another_order_sets_the_columns():
    parsed = parse_text("Quantité;Référence\n10;VIS-440\n3;CIM-35")
    assert pairs(parsed) == [("VIS-440", "10"), ("CIM-35", "3")]


@pytest.mark.parametrize("text", ["CODE 5", "ITEM;3", "VIS-440;abc"])
def test_a_first_data_line_is_never_taken_for_a_header(text):
    parsed = parse_text(text)
    assert parsed.header is False
    assert len(parsed.lines) == 1


def test_blank_lines_are_ignored_and_line_numbers_kept():
    parsed = parse_text("\nVIS-440 10\n   \n\t\nCIM-35 3\n")
    assert [(line.line_no, line.sku) for line in parsed.lines] == [(2, "VIS-440"), (5, "CIM-35")]


def test_windows_line_endings_are_read_like_any_other():
    assert pairs(parse_text("VIS-440;10\r\nCIM-35;3\r\n")) == [("VIS-440", "10"), ("CIM-35", "3")]


@pytest.mark.parametrize("count, refused", [(1, False), (MAX_LINES, False),
                                            (MAX_LINES + 1, True)])
def test_up_to_500_lines_are_taken_and_501_refused(count, refused):
    text = "\n".join(f"SKU-{n} 1" for n in range(count))
    parsed = parse_text(text)
    assert len(parsed.lines) == count
    assert too_many(parsed.lines) is refused


@pytest.mark.parametrize("line, cells", [
    ("a\tb;c", ["a", "b;c"]),
    ("a;b,c", ["a", "b,c"]),
    ("a,b c", ["a", "b c"]),
    ("a b", ["a", "b"]),
    ('"a,b";c', ["a,b", "c"]),
])
def test_tab_wins_over_semicolon_which_wins_over_comma(line, cells):
    assert split_cells(line) == cells


# -- CSV files -------------------------------------------------------------------------------

@pytest.mark.parametrize("data, text, encoding", [
    (b"VIS-440;10", "VIS-440;10", "utf-8"),
    (codecs.BOM_UTF8 + b"VIS-440;10", "VIS-440;10", "utf-8"),
    ("Réf;Qté".encode(), "Réf;Qté", "utf-8"),
    ("Réf;Qté".encode("cp1252"), "Réf;Qté", "cp1252"),
    ("Œuf;3 €".encode("cp1252"), "Œuf;3 €", "cp1252"),
    (b"R\x81f;1", "R\x81f;1", "latin-1"),  # undefined in cp1252: Latin-1 reads every byte
    ("Réf\tQté".encode("utf-16"), "Réf\tQté", "utf-16"),
])
def test_files_are_decoded_and_the_encoding_is_told(data, text, encoding):
    assert decode_bytes(data) == (text, encoding)


def test_a_binary_file_is_refused_with_a_reason():
    with pytest.raises(DomainError):
        decode_bytes(b"PK\x03\x04\x00\x00binary")


@pytest.mark.parametrize("text, delimiter", [
    ("a;b\nc;d", ";"),
    ("a,b\nc,d", ","),
    ("a\tb\nc\td", "\t"),
    ('"x;y",1\n"z;w",2', ","),
    ("a b\nc d", None),
])
def test_the_delimiter_of_a_file_is_sniffed(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_a_utf8_csv_with_bom_and_header_gives_its_lines():
    data = codecs.BOM_UTF8 + "Référence;Quantité\r\nVIS-440;10\r\n\r\nCIM-35;3\r\n".encode()
    parsed = parse_csv(data)
    assert parsed.header and parsed.encoding == "utf-8"
    assert parsed.lines == (RawLine("file", 2, "VIS-440", "10"), RawLine("file", 4, "CIM-35", "3"))


def test_a_cp1252_csv_from_excel_is_read_and_said_so():
    parsed = parse_csv("Référence;Quantité\r\nÉCROU-8;20\r\n".encode("cp1252"))
    assert parsed.encoding == "cp1252"
    assert pairs(parsed) == [("ÉCROU-8", "20")]


def test_quoted_csv_fields_may_hold_the_delimiter_and_line_breaks():
    parsed = parse_csv(b'sku,qty\n"VIS,440","10"\n"CIM\n35",3\n')
    assert pairs(parsed) == [("VIS,440", "10"), ("CIM\n35", "3")]


def test_a_file_without_delimiter_is_read_like_pasted_text():
    assert pairs(parse_csv(b"VIS-440 10\nCIM-35 3")) == [("VIS-440", "10"), ("CIM-35", "3")]


def test_an_oversized_file_is_refused():
    parsed = parse_csv(b"A;1\n" * 600_000)
    assert parsed.lines == () and "too large" in parsed.error
