"""CSV exports of orders, customers and products, streamed row by row.

Files open in a French Excel as they are: UTF-8 with a BOM, ';' between cells, decimal commas.
Every cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with an apostrophe (OWASP ASVS 1.2.10, "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import (
    Address,
    Category,
    Company,
    CustomerGroup,
    Order,
    OrderLine,
    Product,
    User,
)

BOM = "\ufeff"
DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500


def neutralize(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def euros(cents: int | None) -> str:
    """Cents as a French decimal ("1234,50"), without going through a float."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole},{rest:02d}"


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def stream(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The BOM, the header, then the rows in batches, each cell neutralized."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([neutralize(h) for h in header])
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, 1):
        writer.writerow([neutralize(cell) for cell in row])
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


ORDER_HEADER = ("number", "company", "status", "placed_at", "placed_by", "po_number",
                "requested_date", "lines", "subtotal", "tax", "total", "currency")


def order_rows() -> Iterator[tuple]:
    counts = (select(OrderLine.order_id, func.count(OrderLine.id).label("n"))
              .group_by(OrderLine.order_id).subquery())
    stmt = (
        select(Order.number, Company.name, Order.status, Order.placed_at, User.email,
               Order.po_number, Order.requested_date, counts.c.n, Order.subtotal_cents,
               Order.tax_cents, Order.total_cents, Order.currency)
        .join(Company, Company.id == Order.company_id)
        .join(User, User.id == Order.placed_by_id)
        .outerjoin(counts, counts.c.order_id == Order.id)
        .order_by(Order.id)
        .execution_options(yield_per=BATCH)
    )
    for r in db.session.execute(stmt):
        yield (r[0], r[1], r[2].value, r[3].isoformat(timespec="seconds"), r[4], r[5],
               r[6].isoformat() if r[6] else "", r[7] or 0, euros(r[8]), euros(r[9]),
               euros(r[10]), r[11])


# The same columns as the customers import, so an export can be edited and imported again.
CUSTOMER_HEADER = ("company_name", "legal_id", "trade", "customer_group", "payment_terms",
                   "credit_limit", "po_required", "address_line", "postal_code", "city",
                   "user_email", "user_name", "user_role")


def customer_rows() -> Iterator[tuple]:
    billing = (select(Address.company_id, func.min(Address.id).label("address_id"))
               .where(Address.is_billing.is_(True)).group_by(Address.company_id).subquery())
    address = aliased(Address)
    stmt = (
        select(Company.name, Company.legal_id, Company.trade, CustomerGroup.code,
               Company.payment_terms, Company.credit_limit_cents, Company.po_required,
               address.line1, address.postal_code, address.city, User.email, User.name,
               User.role)
        .outerjoin(CustomerGroup, CustomerGroup.id == Company.customer_group_id)
        .outerjoin(billing, billing.c.company_id == Company.id)
        .outerjoin(address, address.id == billing.c.address_id)
        .outerjoin(User, User.company_id == Company.id)
        .order_by(Company.name, Company.id, User.id)
        .execution_options(yield_per=BATCH)
    )
    for r in db.session.execute(stmt):
        yield (r[0], r[1], r[2], r[3] or "", r[4].value, euros(r[5]), yes_no(r[6]),
               r[7] or "", r[8] or "", r[9] or "", r[10] or "", r[11] or "",
               r[12].value if r[12] else "")


# The same columns as the products import.
PRODUCT_HEADER = ("sku", "gtin", "name_fr", "name_en", "description_fr", "description_en",
                  "brand", "category_slug", "uom", "case_pack", "order_multiple",
                  "lead_time_days", "discontinued", "replacement_sku")


def product_rows() -> Iterator[tuple]:
    replacement = aliased(Product)
    stmt = (
        select(Product.sku, Product.gtin, Product.name_fr, Product.name_en,
               Product.description_fr, Product.description_en, Product.brand, Category.slug,
               Product.uom, Product.case_pack, Product.order_multiple, Product.lead_time_days,
               Product.discontinued, replacement.sku)
        .join(Category, Category.id == Product.category_id)
        .outerjoin(replacement, replacement.id == Product.replacement_id)
        .order_by(Product.sku)
        .execution_options(yield_per=BATCH)
    )
    for r in db.session.execute(stmt):
        yield (*r[:12], yes_no(r[12]), r[13] or "")


EXPORTS = {
    "orders": (ORDER_HEADER, order_rows),
    "customers": (CUSTOMER_HEADER, customer_rows),
    "products": (PRODUCT_HEADER, product_rows),
}
