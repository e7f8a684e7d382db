"""Hostile CSV files through the quick-order upload and each staff import kind.

Empty files, a header alone, binary bytes, UTF-16 with and without a byte order mark,
Windows-1252, NUL bytes, 10 kB cells, a line of 100,000 columns, unclosed quotes, formula
cells, mixed separators, CR-only line ends, too many rows, a file over the size limit: each
answers a clear message (with the line and column when there is one), never a 5xx, and
nothing is half-imported. Formula cells are data: stored as typed, neutralized on export.
"""

import csv
import io
from collections import Counter

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Attribute,
    CartLine,
    Company,
    ImportJob,
    ImportStatus,
    PriceTier,
    Product,
    ProductAttribute,
    Stock,
    User,
)
from tests.conftest import login
from tests.factories import multipart
from tests.integration.test_imports_customers import run_to_rest

EN = {"Accept-Language": "en"}
TALLY: Counter = Counter()

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
FORMULAS = ['=HYPERLINK("http://evil.test","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


def utf16_without_bom(text: str) -> bytes:
    return text.encode("utf-16-le")


def count_of(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def tally(response) -> str:
    TALLY["files"] += 1
    TALLY["5xx"] += response.status_code >= 500
    body = response.get_data(as_text=True)
    response.close()
    assert response.status_code < 500, body[:500]
    return body


# -- Quick order ---------------------------------------------------------------------------

def quick_order_upload(client, raw: bytes, action: str = "check", name: str = "order.csv"):
    boundary = "----hostile-csv-boundary"
    body = b"".join([
        (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
         f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n').encode(),
        raw, f"\r\n--{boundary}--\r\n".encode()])
    return client.post(f"/quick-order/{action}", data=body, headers=EN,
                       content_type=f"multipart/form-data; boundary={boundary}")


REFUSED = "refused"  # the whole file: a message, no line read
LINES_TO_FIX = "to fix"  # read, some lines marked in red: nothing can be added
ADDED = "added"  # every line read and added

QUICK_ORDER_FILES = [
    ("empty", b"", REFUSED, "Enter at least one SKU and quantity."),
    ("header only", b"SKU;Qty\r\n", REFUSED, "Enter at least one SKU and quantity."),
    ("png", PNG, REFUSED, "This file is not a text (CSV) file."),
    ("nul bytes", b"VIS-440;5\n\x00\x00CIM-35;2\n", REFUSED, "not a text (CSV) file"),
    ("utf-16 with bom", "Référence\tQuantité\r\nVIS-440\t5\r\nCIM-35\t2\r\n".encode("utf-16"),
     ADDED, "read as UTF-16"),
    ("utf-16 without bom", utf16_without_bom("VIS-440;5\r\nCIM-35;2\r\n"), REFUSED,
     "not a text (CSV) file"),
    ("windows-1252", "Référence;Quantité\r\nVIS-440;5\r\nCIM-35;2\r\n".encode("cp1252"),
     ADDED, "read as Windows-1252"),
    ("10 kB cell", b"VIS-440;5\n" + b"X" * 10_000 + b";2\n", LINES_TO_FIX, "To fix: 1"),
    ("200 kB cell", b"VIS-440;5\n" + b"X" * 200_000 + b";2\n", REFUSED,
     "This CSV file cannot be read"),
    ("100k-column line", b"VIS-440;5\nCIM-35;2" + b";x" * 100_000 + b"\n", ADDED,
     "Ready to order: 2"),
    ("unclosed quote", b'VIS-440;"5\nCIM-35;2\n', LINES_TO_FIX, "To fix: 1"),
    ("formula cells", ";1\n".join(FORMULAS[:2]).encode() + b";1\nVIS-440;-2+3\nCIM-35;@SUM(1)\n",
     LINES_TO_FIX, "To fix: 4"),
    ("mixed separators", b"VIS-440;5\nCIM-35,2\nGANT-9;12\n", LINES_TO_FIX, "To fix: 1"),
    ("crlf", b"VIS-440;5\r\nCIM-35;2\r\n", ADDED, "Ready to order: 2"),
    ("cr only", b"VIS-440;5\rCIM-35;2\r", ADDED, "Ready to order: 2"),
    ("501 lines", b"VIS-440;1\n" * 501, REFUSED, "Up to 500 lines at a time: this had 501"),
    ("over 2 MB", b"VIS-440;1\n" + b"#" * (2 * 1024 * 1024), REFUSED,
     "The file is too large (2 MB at most)."),
]


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # reading files: one backend
@pytest.mark.parametrize(("raw", "outcome", "message"),
                         [pytest.param(*case[1:], id=case[0]) for case in QUICK_ORDER_FILES])
def test_a_hostile_file_in_quick_order_gets_a_clear_answer_and_adds_all_or_nothing(
        app, world, raw, outcome, message):
    client = app.test_client()
    login(client, world.a.buyer)
    checked = quick_order_upload(client, raw)
    body = tally(checked)
    assert message in body, body[:3000]
    assert checked.status_code == (200 if outcome == ADDED else 422)
    if outcome != ADDED:
        assert 'role="alert"' in body
    added = quick_order_upload(client, raw, "add")
    tally(added)
    db.session.expire_all()
    lines = dict(db.session.execute(select(CartLine.product_id, CartLine.quantity)).all())
    if outcome == ADDED:
        assert added.status_code == 303
        assert lines == {world.products["screws"].id: 5, world.products["cement"].id: 2}
    else:
        TALLY["half-imported"] += bool(lines)
        assert added.status_code == 422 and lines == {}
        TALLY["refused"] += 1


def test_formula_cells_in_quick_order_are_shown_as_text(app, world):
    client = app.test_client()
    login(client, world.a.buyer)
    raw = "\n".join(f"{f};1" for f in FORMULAS).encode()
    body = tally(quick_order_upload(client, raw))
    assert "To fix: 4" in body
    assert "=HYPERLINK(&#34;HTTP://EVIL.TEST&#34;,&#34;X&#34;)" in body  # the SKU, upper case
    assert '=HYPERLINK("' not in body.upper()


def test_a_body_over_the_request_limit_is_a_413_page(app, world):
    client = app.test_client()
    login(client, world.a.buyer)
    # Highly compressible, like a zip bomb's content: 9 MB of one line repeated.
    answer = quick_order_upload(client, b"VIS-440;1\n" * 900_000)
    body = tally(answer)
    assert answer.status_code == 413 and "What you sent is too large." in body
    assert count_of(CartLine) == 0


# -- Staff imports -------------------------------------------------------------------------

HEADERS = {
    "customers": "company_name;legal_id;trade;customer_group;payment_terms;credit_limit;"
                 "po_required;address_line;postal_code;city;user_email;user_name;user_role",
    "products": "sku;name_fr;name_en;brand;category_slug;case_pack;order_multiple",
    "prices": "price_list_code;sku;min_qty;unit_price",
    "stock": "sku;warehouse_code;quantity",
    "attributes": "sku;attribute_code;value_fr;value_en;attribute_name_fr;attribute_name_en",
}
# The smallest valid table of each kind (a header and one short row), for very long files.
SMALLEST = {"customers": ("company_name;user_email;user_name", "A;a@b.fr;A"),
            "products": ("sku;brand", "A;B"), "prices": ("price_list_code;sku;min_qty;unit_price",
                                                 "P;A;1;1"),
            "stock": ("sku;warehouse_code;quantity", "A;B;1"),
            "attributes": ("sku;attribute_code;value_fr", "A;b;c")}


def row_for(kind: str, world, i: int, cell: str | None = None) -> tuple[str, str]:
    """A valid row whose keys are its own (row i), or, given `cell`, the same row with that
    text in its checked column; and that column's name."""
    slug = world.categories["tools"].slug
    return {
        "customers": ((f"Client {i};;;BTP;net30;{cell or '5000'};non;;;;u{i}@client.test;"
                       f"Ugo {i};company_admin"), "credit_limit"),
        "products": (f"NEW-{i};Nom {i};Name {i};;{slug};{cell or '1'};1", "case_pack"),
        "prices": (f"PRO;CIM-35;{i + 1};{cell or '8,50'}", "unit_price"),
        "stock": (f"HX-{i};LYO;{cell or '12'}", "quantity"),
        # A code that is not one ("1e3" is, but unknown and not named: refused all the same).
        "attributes": (f"HX-{i};{cell or 'fire'};EI 60;;" + ("" if cell else "Feu;Fire"),
                       "attribute_code"),
    }[kind]


def text_of(kind: str, rows: list[str]) -> str:
    return "\n".join([HEADERS[kind], *rows]) + "\n"


def snapshot() -> tuple:
    return (count_of(Company), count_of(User), count_of(Product), count_of(PriceTier),
            count_of(Stock), tuple(db.session.execute(select(Stock.quantity)).scalars()),
            count_of(Attribute), count_of(ProductAttribute))


def upload(client, kind: str, raw: bytes, name: str = "data.csv"):
    body, content_type = multipart(kind, raw, name)
    return client.post("/staff/imports/", data=body, content_type=content_type, headers=EN)


def refused_files(kind: str, world) -> list[tuple[str, bytes, str]]:
    header, good = HEADERS[kind], text_of(kind, [row_for(kind, world, 1)[0]])
    small_header, small_row = SMALLEST[kind]
    return [
        ("empty", b"", "The file is empty."),
        ("header only", f"{header}\r\n".encode(), "The file has a header but no rows."),
        ("png", PNG, "it contains binary data"),
        ("nul bytes", good.replace("\n", "\n\x00", 1).encode(), "it contains binary data"),
        ("utf-16 with bom", good.encode("utf-16"), "UTF-16"),
        ("utf-16 without bom", utf16_without_bom(good), "UTF-16"),
        ("windows-1252", (good + "é;\n").encode("cp1252"), "it looks like Windows-1252 (line 3)"),
        ("control character", good.replace(";", ";\x07", 1).encode(),
         "Line 1 contains a control character"),
        ("xlsx", b"PK\x03\x04" + b"\x14\x00" * 20, "spreadsheet workbook (.xlsx)"),
        ("web page", b"<!DOCTYPE html><html><body>x</body></html>", "This is a web page"),
        ("100k-column header", (header + ";x" * 100_000 + "\n").encode() + good.encode(),
         "These columns appear twice: x"),
        ("100k new columns", (header + "".join(f";c{i}" for i in range(100_000)) + "\n"
                              + good.split("\n", 1)[1]).encode(), "Unknown columns: c0, c1"),
        ("unclosed quote", (good + '"never closed;x\n').encode(),
         "cannot be read as CSV near line"),
        ("mixed separators", (header.replace(";", ",", 1) + "\n" + good.split("\n", 1)[1]
                              ).encode(), "The first line mixes separators"),
        ("forbidden column", (header + ";password_hash\n" + good.split("\n", 1)[1]).encode(),
         "These columns cannot be imported: password_hash"),
        ("too many rows", (small_header + "\n" + (small_row + "\n") * 100_001).encode(),
         "more than 100 000 rows"),
        ("no kind", good.encode(), "Choose what the file contains."),
    ]


KINDS = ["customers", "products", "prices", "stock", "attributes"]
REFUSED_CASES = ["empty", "header only", "png", "nul bytes", "utf-16 with bom",
                 "utf-16 without bom", "windows-1252", "control character", "xlsx", "web page",
                 "100k-column header", "100k new columns", "unclosed quote", "mixed separators",
                 "forbidden column", "too many rows", "no kind"]


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # nothing reaches the database
@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_file_is_refused_whole_with_a_clear_message(app, world, kind):
    client = app.test_client()
    login(client, world.staff)
    before = snapshot()
    cases = refused_files(kind, world)
    assert [name for name, _raw, _message in cases] == REFUSED_CASES
    for name, raw, message in cases:
        answer = upload(client, "" if name == "no kind" else kind, raw)
        body = tally(answer)
        assert answer.status_code == 422, (name, answer.status_code)
        assert message in body, (name, body[:3000])
        assert len(body) < 60_000, (name, "the message names a few columns, not all")
        TALLY["refused"] += 1
    TALLY["half-imported"] += snapshot() != before
    assert count_of(ImportJob) == 0 and snapshot() == before


def checked(client, kind: str, raw: bytes) -> ImportJob:
    answer = upload(client, kind, raw)
    tally(answer)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:3000]
    return run_to_rest(client, int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1]))


@pytest.mark.parametrize("kind", KINDS)
def test_bad_cells_are_reported_by_line_and_column_and_nothing_is_imported(app, world, kind):
    from tests import factories as f

    for i in range(12):
        f.product(world.categories["tools"], f"HX-{i}")  # stock rows need products
    db.session.commit()
    client = app.test_client()
    login(client, world.staff)
    before = snapshot()
    rows, expected = [row_for(kind, world, 0)[0]], []
    for i, cell in enumerate(("X" * 10_000, *FORMULAS[1:], "１２", "NaN", "1e3"), start=1):
        row, column = row_for(kind, world, i, cell)
        rows.append(row)
        expected.append((len(rows) + 1, column))
    rows.append(row_for(kind, world, 11)[0] + ";" + ";".join(["x"] * 50))  # more cells
    expected.append((len(rows) + 1, ""))
    job = checked(client, kind, text_of(kind, rows).encode())
    assert job.status == ImportStatus.CHECKED
    found = [(line, column) for line, column, _reason in job.report["errors"]]
    assert found == expected, job.report["errors"]
    assert all(reason for _l, _c, reason in job.report["errors"])
    page = tally(client.get(f"/staff/imports/{job.id}", headers=EN))
    for line, column in expected:
        assert f'<td class="num">{line}</td><td><code>{column}</code></td>' in page
    refused = client.post(f"/staff/imports/{job.id}/commit", headers=EN)
    body = tally(refused)
    assert refused.status_code == 409 and "Only a checked file without errors" in body
    TALLY["refused"] += 1
    TALLY["half-imported"] += snapshot() != before
    assert snapshot() == before


def exported_cells(client, what: str) -> set[str]:
    """Every cell of a staff CSV export, as a spreadsheet reads them."""
    export = client.get(f"/staff/imports/export/{what}.csv")
    text = export.get_data(as_text=True).removeprefix("\ufeff")
    export.close()
    TALLY["files"] += 1
    return {cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row}


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_formula_cells_are_stored_as_text_and_neutralized_on_export(app, world, line_end):
    client = app.test_client()
    login(client, world.staff)
    slug = world.categories["tools"].slug
    rows = [f"FX-{i};{formula};Name {i};{formula};{slug};1;1"
            for i, formula in enumerate(FORMULAS)]
    raw = (HEADERS["products"] + line_end + line_end.join(rows) + line_end).encode()
    job = checked(client, "products", raw)
    assert job.report["error_count"] == 0, job.report["errors"]
    assert client.post(f"/staff/imports/{job.id}/commit").status_code == 303
    assert run_to_rest(client, job.id).status == ImportStatus.DONE
    db.session.expire_all()
    stored = dict(db.session.execute(
        select(Product.sku, Product.name_fr).where(Product.sku.like("FX-%"))).all())
    assert stored == {f"FX-{i}": formula for i, formula in enumerate(FORMULAS)}
    written = exported_cells(client, "products")
    assert {"'" + formula for formula in FORMULAS} <= written
    assert not set(FORMULAS) & written
    page = tally(client.get("/staff/catalog/", query_string={"q": "FX-"}))
    assert '=HYPERLINK("http://evil.test"' not in page


def test_customers_with_formula_names_are_exported_neutralized(app, world):
    client = app.test_client()
    login(client, world.staff)
    rows = [f"{formula};;;BTP;net30;;non;;;;f{i}@client.test;{formula};company_admin"
            for i, formula in enumerate(FORMULAS)]
    job = checked(client, "customers", text_of("customers", rows).encode())
    assert job.report["error_count"] == 0, job.report["errors"]
    assert client.post(f"/staff/imports/{job.id}/commit").status_code == 303
    assert run_to_rest(client, job.id).status == ImportStatus.DONE
    db.session.expire_all()
    names = set(db.session.scalars(select(Company.name)))
    assert set(FORMULAS) <= names
    written = exported_cells(client, "customers")
    assert {"'" + formula for formula in FORMULAS} <= written
    assert not set(FORMULAS) & written


def test_a_csv_over_its_limit_is_refused_before_any_import(app, world):
    """The import form takes up to 50 MB (a media import's ZIP rides along), the CSV itself
    8 MB: over that, the file field says so and no job is made."""
    client = app.test_client()
    login(client, world.staff)
    raw = (HEADERS["stock"] + "\n").encode() + b"CIM-35;LYO;1\n" * 700_000  # 9 MB
    answer = upload(client, "stock", raw)
    body = tally(answer)
    assert answer.status_code == 422 and "The CSV file is larger than 8 MB." in body
    assert count_of(ImportJob) == 0


def test_zz_figures(figure):
    figure(f"hostile CSV files: {TALLY['files']} uploads and pages (quick order and 4 import "
           f"kinds), refused with a message {TALLY['refused']}, 5xx {TALLY['5xx']}, "
           f"half-imported {TALLY['half-imported']}")
