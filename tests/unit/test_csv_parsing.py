"""Reading an uploaded CSV strictly: encodings, separators, headers, refusals, rows."""

import pytest

from portal.services.csv_import import parse
from portal.services.csv_import.parse import ImportRefused, Spec

SPEC = Spec(columns=("sku", "warehouse_code", "quantity"),
            required=frozenset({"sku", "warehouse_code", "quantity"}))
CUSTOMER_LIKE = Spec(columns=("company_name", "legal_id", "user_role"),
                     required=frozenset({"company_name"}))


def table(raw: bytes, spec=SPEC, max_rows=parse.MAX_ROWS):
    return parse.open_table(parse.decode(raw), spec, max_rows=max_rows)


def refusal(raw: bytes, spec=SPEC, **kw) -> str:
    with pytest.raises(ImportRefused) as caught:
        table(raw, spec, **kw)
    return str(caught.value)


@pytest.mark.parametrize(("raw", "delimiter"), [
    (b"sku,warehouse_code,quantity\nA,LYO,1\n", ","),
    (b"sku;warehouse_code;quantity\nA;LYO;1\n", ";"),
    (b"sku\twarehouse_code\tquantity\nA\tLYO\t1\n", "\t"),
    (b"sku;warehouse_code;quantity\r\nA;LYO;1\r\n", ";"),
    (b"\xef\xbb\xbfsku;warehouse_code;quantity\nA;LYO;1\n", ";"),
    (b"sku;warehouse_code;quantity\n\"A,B\";LYO;1\n", ";"),
])
def test_the_separator_is_found_from_the_header_line(raw, delimiter):
    found = table(raw)
    assert found.delimiter == delimiter
    assert found.columns == ("sku", "warehouse_code", "quantity")
    assert found.row_count == 1


def test_a_utf8_bom_is_not_part_of_the_first_column_name():
    found = table("\ufeffsku;warehouse_code;quantity\nÉ1;LYO;1\n".encode())
    row = next(parse.rows(found))
    assert row.cells == {"sku": "É1", "warehouse_code": "LYO", "quantity": "1"}


def test_header_names_are_matched_whatever_their_case_and_spaces():
    found = table(b"SKU ; Warehouse Code ; Quantity\nA;LYO;1\n")
    assert found.columns == ("sku", "warehouse_code", "quantity")


@pytest.mark.parametrize(("raw", "words"), [
    (b"", ["empty"]),
    (b"   \n\n", ["empty"]),
    (b"\xef\xbb\xbf", ["empty"]),
    (b"sku;warehouse_code;quantity\n", ["no rows"]),
    (b"sku;warehouse_code;quantity\n;;\n\n", ["no rows"]),
    ("sku;warehouse_code;quantity\nÉTÉ;LYO;1\n".encode("cp1252"), ["Windows-1252", "line 2"]),
    (b"sku;warehouse_code;quantity\n\x81\x8d;LYO;1\n", ["not UTF-8"]),
    (b"sku;wh\x00\x01\x02", ["binary"]),
    (b"PK\x03\x04\x14\x00\x06\x00", [".xlsx"]),
    (b"<!DOCTYPE html><html><body>x</body></html>", ["web page"]),
    (b"  <html><head></head></html>", ["web page"]),
    (b"sku;warehouse_code;quantity\nA;LYO;1\x07\n", ["control character", "Line 2"]),
    (b"skuwarehousequantity\nA\n", ["separator"]),
    (b"sku;warehouse_code;quantity;colour;size\nA;LYO;1;red;L\n",
     ["Unknown columns", "colour, size"]),
    (b"sku;warehouse_code;quantity;sku\nA;LYO;1;A\n", ["twice", "sku"]),
    (b"sku;warehouse_code;quantity;id\nA;LYO;1;4\n", ["cannot be imported", "id"]),
    (b"sku;warehouse_code;quantity;product_id\nA;LYO;1;4\n", ["cannot be imported", "product_id"]),
    (b"sku;warehouse_code;quantity;status\nA;LYO;1;x\n", ["cannot be imported", "status"]),
    (b"sku;warehouse_code;quantity;password\nA;LYO;1;x\n", ["cannot be imported", "password"]),
    (b"sku;warehouse_code\nA;LYO\n", ["missing", "quantity"]),
    (b"sku;;quantity\nA;LYO;1\n", ["Column 2"]),
    (b"sku;warehouse_code;quantity\n\"A;LYO;1\n", ["CSV"]),
])
def test_an_unusable_file_is_refused_with_the_reason(raw, words):
    message = refusal(raw)
    for word in words:
        assert word in message


def test_role_and_password_columns_are_refused_for_customers_by_name():
    message = refusal(b"company_name;role;password_hash\nACME;staff_admin;x\n", CUSTOMER_LIKE)
    assert "role" in message and "password_hash" in message


def test_legal_id_is_a_column_of_the_customers_file_not_a_forbidden_id():
    assert table(b"company_name;legal_id\nACME;FR123\n", CUSTOMER_LIKE).row_count == 1


def test_more_rows_than_the_limit_are_refused_with_the_limit():
    body = b"sku;warehouse_code;quantity\n" + b"A;LYO;1\n" * 11
    assert "more than 10 rows" in refusal(body, max_rows=10)
    assert table(b"sku;warehouse_code;quantity\n" + b"A;LYO;1\n" * 10, max_rows=10).row_count == 10


def test_rows_carry_the_line_number_where_they_start_in_the_file():
    raw = b'sku;warehouse_code;quantity\nA;LYO;1\n\nB;"LY\nO";2\nC;LYO;3\n'
    found = [(r.index, r.line, r.cells["sku"]) for r in parse.rows(table(raw))]
    assert found == [(0, 2, "A"), (1, 4, "B"), (2, 6, "C")]


def test_short_rows_read_as_empty_cells_and_long_rows_are_flagged():
    raw = b"sku;warehouse_code;quantity\nA;LYO\nB;LYO;1;;\nC;LYO;1;extra\n"
    rows = list(parse.rows(table(raw)))
    assert rows[0].cells["quantity"] == "" and not rows[0].extra
    assert not rows[1].extra
    assert rows[2].extra


@pytest.mark.parametrize("cell", ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)",
                                  "=HYPERLINK(\"http://x\")"])
def test_formula_cells_are_read_as_plain_text(cell):
    quoted = '"' + cell.replace('"', '""') + '"'
    raw = f"sku;warehouse_code;quantity\nA;{quoted};1\n".encode()
    row = next(parse.rows(table(raw)))
    assert row.cells["warehouse_code"] == cell


def test_trailing_empty_header_cells_are_ignored():
    assert table(b"sku;warehouse_code;quantity;;\nA;LYO;1;;\n").columns == (
        "sku", "warehouse_code", "quantity")
