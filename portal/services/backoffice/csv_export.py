"""CSV exports of order lines, customers and products, streamed row by row.

Files open in a French Excel as they are: UTF-8 with a BOM, ';' between cells, decimal commas.
Every cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with an apostrophe (OWASP ASVS 1.2.10, "CSV injection").
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, func, select, type_coerce
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
    Shipment,
    ShipmentLine,
    Unit,
    User,
)
from portal.models.base import UTCDateTime

BOM = "\ufeff"
DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500


def neutralize(value) -> str:
    """The cell, prefixed with an apostrophe when a spreadsheet could read it as a formula.

    What is checked is what a spreadsheet may make of the cell: compatibility forms folded
    (NFKC: a full-width "＝" becomes "="), invisible format characters and leading spaces
    dropped (a zero-width space before "=" hides nothing from Excel's autocorrect).
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    probe = unicodedata.normalize("NFKC", text)
    probe = "".join(ch for ch in probe if unicodedata.category(ch) not in ("Cf", "Cc")
                    or ch in "\t\r").lstrip(" \u00a0")
    return "'" + text if probe.startswith(FORMULA_STARTS) else text


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


# One row per order line: what an accountant or an ERP reads (an order-level total hides
# what was bought). Dates are local calendar days, amounts excl. VAT in the order's currency.
ORDER_HEADER = ("order_number", "order_date", "status", "po_number", "company", "sku", "name",
                "quantity", "unit_price", "line_total", "currency", "delivery_place",
                "delivery_address", "requested_date", "shipped_quantity", "first_shipped_date",
                "last_shipped_date", "placed_by", "placed_by_email")


def _local_day(moment, tz: tzinfo) -> str:
    return moment.astimezone(tz).date().isoformat() if moment else ""


def order_rows(orders: Select | None = None, tz: tzinfo | None = None) -> Iterator[tuple]:
    """The lines of `orders` (a SELECT Order already scoped to the reader; None: every
    order), oldest order first, streamed from the database in batches."""
    tz = tz or ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris"))
    scope = None if orders is None else orders.with_only_columns(Order.id).scalar_subquery()
    shipped = (
        select(ShipmentLine.order_line_id.label("line_id"),
               type_coerce(func.min(Shipment.shipped_at), UTCDateTime).label("first"),
               type_coerce(func.max(Shipment.shipped_at), UTCDateTime).label("last"))
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .group_by(ShipmentLine.order_line_id)
    )
    if scope is not None:
        shipped = shipped.where(Shipment.order_id.in_(scope))
    shipped = shipped.subquery()
    jobsite = aliased(Unit)
    stmt = (
        select(Order.number, Order.placed_at, Order.status, Order.po_number, Company.name,
               OrderLine.sku, OrderLine.name, OrderLine.quantity, OrderLine.unit_price_cents,
               OrderLine.line_total_cents, Order.currency, jobsite.name, Order.ship_to,
               Order.requested_date, OrderLine.shipped_qty, shipped.c.first, shipped.c.last,
               User.name, User.email)
        .join(Order, Order.id == OrderLine.order_id)
        .join(Company, Company.id == Order.company_id)
        .join(User, User.id == Order.placed_by_id)
        .outerjoin(jobsite, jobsite.id == Order.jobsite_id)
        .outerjoin(shipped, shipped.c.line_id == OrderLine.id)
        .order_by(Order.id, OrderLine.position, OrderLine.id)
        .execution_options(yield_per=BATCH)
    )
    if scope is not None:
        stmt = stmt.where(OrderLine.order_id.in_(scope))
    for r in db.session.execute(stmt):
        yield (r[0], _local_day(r[1], tz), r[2].value, r[3], r[4], r[5], r[6], r[7],
               euros(r[8]), euros(r[9]), r[10], r[11] or "",
               ", ".join(part.strip() for part in (r[12] or "").splitlines() if part.strip()),
               r[13].isoformat() if r[13] else "", r[14], _local_day(r[15], tz),
               _local_day(r[16], tz), r[17], r[18])


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
                  "lead_time_days", "tax_class", "discontinued", "replacement_sku", "pack_kind",
                  "service_interval_months")


def product_rows() -> Iterator[tuple]:
    replacement = aliased(Product)
    stmt = (
        select(Product.sku, Product.gtin, Product.name_fr, Product.name_en,
               Product.description_fr, Product.description_en, Product.brand, Category.slug,
               Product.uom, Product.case_pack, Product.order_multiple, Product.lead_time_days,
               Product.tax_class, Product.discontinued, replacement.sku, Product.pack_kind,
               Product.service_interval_months)
        .join(Category, Category.id == Product.category_id)
        .outerjoin(replacement, replacement.id == Product.replacement_id)
        .order_by(Product.sku)
        .execution_options(yield_per=BATCH)
    )
    for r in db.session.execute(stmt):
        yield (*r[:12], r[12].value, yes_no(r[13]), r[14] or "", r[15],
               "" if r[16] is None else r[16])


EXPORTS = {
    "orders": (ORDER_HEADER, order_rows),
    "customers": (CUSTOMER_HEADER, customer_rows),
    "products": (PRODUCT_HEADER, product_rows),
}
