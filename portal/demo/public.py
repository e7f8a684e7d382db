"""The demo's public-sector storefront: "Achats publics" (host collectivites.localhost), where
the school canteen of Villeurbanne orders under its framework contract ("marché public").

The canteen's buyer signs in there only; during the contract (from 90 days before the demo's
today to 275 days after it, computed from the seeding moment) she sees and orders exactly the
contract's kitchen, hygiene and tableware products at its fixed prices (the general list's
less 12 %), each order with her legal commitment number and service code, against a ceiling
of 20 000 EUR excl. VAT. Her past orders under it (`PAST`: four, from 75 to 9 days before the
demo's today, three delivered and invoiced, the invoices due by now paid, the latest confirmed)
commit about a quarter of the ceiling, so her gauge shows real spend. Nothing is drawn at
random, so the rest of the demo draws as before.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Address,
    Category,
    Company,
    CompanyStatus,
    FrameworkContract,
    FrameworkContractLine,
    InvoicePayment,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentTerms,
    PriceList,
    PriceTier,
    Product,
    Role,
    Shipment,
    ShipmentLine,
    Storefront,
    StorefrontKind,
    Unit,
    UnitKind,
    User,
    Warehouse,
)
from portal.services import billing
from portal.services.selling import rate_of, tax_total

HOST = "collectivites.localhost"
BUYER = "n.benali@cantine-villeurbanne.demo.test"
SOLD = ("cuisine", "hygiene", "arts-table")  # top categories the contract draws from
PER_CATEGORY = 4  # products per leaf category, the first by SKU
CONTRACT_BP = 8800  # contract price = general list's smallest-quantity price - 12 %
CEILING_CENTS = 2_000_000
PARIS = ZoneInfo("Europe/Paris")
# Past orders: (days before the demo's today, amount aimed at excl. VAT in cents, status).
PAST = ((75, 142_000, OrderStatus.DELIVERED), (52, 118_000, OrderStatus.DELIVERED),
        (30, 131_000, OrderStatus.DELIVERED), (9, 96_000, OrderStatus.CONFIRMED))
LINES_PER_ORDER = 4
SERVICE_CODE = "RESTO-SCOL"


def seed_public(now: datetime, password_hash: str, siret: str) -> dict[str, int]:
    """The storefront, the canteen (its kitchen as delivery place, its buyer) and its
    framework contract running over the demo's today."""
    front = Storefront(code="collectivites", kind=StorefrontKind.PUBLIC, name="Achats publics",
                       hosts=HOST, language="fr", country="FR", currency="EUR",
                       prices_with_vat=False, brand_colour="#1d4f7c", active=True)
    db.session.add(front)
    db.session.flush()
    canteen = Company(name="Cantine scolaire de Villeurbanne", legal_id=siret,
                      trade="restauration", status=CompanyStatus.ACTIVE, currency="EUR",
                      language="fr", payment_terms=PaymentTerms.NET30, po_required=True,
                      phone="04 78 03 67 00", storefront_id=front.id)
    db.session.add(canteen)
    db.session.flush()
    db.session.add(Address(company_id=canteen.id, label="Mairie de Villeurbanne",
                           line1="Place Lazare-Goujon", line2="", postal_code="69100",
                           city="Villeurbanne", country="FR", is_billing=True))
    kitchen_address = Address(company_id=canteen.id, label="Cuisine centrale",
                              line1="12 rue Francis-de-Pressensé", line2="Quai côté cour",
                              postal_code="69100", city="Villeurbanne", country="FR")
    db.session.add(kitchen_address)
    db.session.flush()
    kitchen = Unit(company_id=canteen.id, kind=UnitKind.JOBSITE, name="Cuisine centrale",
                   address_id=kitchen_address.id, project_code="RS-CC",
                   site_contact_name="Karim Haddad", site_contact_phone="06 72 18 44 10",
                   delivery_window="6 h 30 – 9 h", delivery_notes="Quai de livraison côté cour",
                   archived=False)
    db.session.add(kitchen)
    db.session.flush()
    buyer = User(email=BUYER, name="Nadia Benali", company_id=canteen.id, role=Role.BUYER,
                 language="fr", phone="04 78 03 67 12", password_hash=password_hash,
                 last_jobsite_id=kitchen.id)
    db.session.add(buyer)
    db.session.flush()
    today = now.astimezone(PARIS).date()
    contract = FrameworkContract(
        company_id=canteen.id, storefront_id=front.id, reference="2026-RS-014",
        title="Fournitures de cuisine, d'hygiène et d'arts de la table – restauration scolaire",
        starts_on=today - timedelta(days=90), ends_on=today + timedelta(days=275),
        ceiling_cents=CEILING_CENTS)
    db.session.add(contract)
    db.session.flush()
    lines = _contract_lines()
    for product_id, cents in lines:
        db.session.add(FrameworkContractLine(contract_id=contract.id, product_id=product_id,
                                             unit_price_cents=(cents * CONTRACT_BP + 5000)
                                             // 10000))
    db.session.flush()
    placed = _past_orders(now, contract, buyer, kitchen, kitchen_address)
    return {"framework contract lines": len(lines), "public orders": placed}


def _past_orders(now: datetime, contract: FrameworkContract, buyer: User, kitchen: Unit,
                 address: Address) -> int:
    """The canteen's orders under its contract so far (`PAST`), at its prices, each with its
    commitment number and service code, shipped from Lyon and invoiced as a real shipment is."""
    from portal.services.ordering import order_number

    prices = [(line.product, line.unit_price_cents) for line in
              sorted(contract.lines, key=lambda line: line.product.sku)]
    lyon = db.session.scalar(select(Warehouse).where(Warehouse.code == "LYO"))
    hands = db.session.scalar(select(User).where(User.email == "warehouse@demo.test"))
    ship_to = f"{address.label}\n{address.line1}\n{address.postal_code} {address.city}"
    for n, (days, aim, status) in enumerate(PAST):
        day = now.astimezone(PARIS).date() - timedelta(days=days)
        at = datetime.combine(day, time(8, 30), PARIS).astimezone(UTC)
        order = Order(number=f"T-public-{n}", company_id=buyer.company_id,
                      storefront_id=contract.storefront_id, unit_id=kitchen.id,
                      jobsite_id=kitchen.id, ship_to=ship_to, placed_by_id=buyer.id,
                      po_number=f"EJ-{day.year}-{412 + 37 * n:05d}", service_code=SERVICE_CODE,
                      framework_contract_id=contract.id, payment_terms=PaymentTerms.NET30,
                      currency="EUR", status=status, content_version=1, placed_at=at,
                      updated_at=at, subtotal_cents=0, tax_cents=0, total_cents=0)
        for position in range(LINES_PER_ORDER):
            product, cents = prices[(5 * n + 3 * position) % len(prices)]
            quantity = max(1, aim // LINES_PER_ORDER // cents)
            order.lines.append(OrderLine(
                position=position, product_id=product.id, sku=product.sku,
                name=product.name_fr, name_en=product.name_en, quantity=quantity,
                unit_price_cents=cents, line_total_cents=cents * quantity,
                tax_rate_bp=rate_of(product.tax_class, "FR"), note="", shipped_qty=0,
                backordered_qty=0))
        order.subtotal_cents = sum(line.line_total_cents for line in order.lines)
        order.tax_cents = tax_total((line.tax_rate_bp, line.line_total_cents)
                                    for line in order.lines)
        order.total_cents = order.subtotal_cents + order.tax_cents
        db.session.add(order)
        db.session.flush()
        order.number = order_number(day.year, order.id)
        _timeline(order, buyer, hands, lyon, at, now)
    return len(PAST)


def _timeline(order: Order, buyer: User, hands: User | None, lyon: Warehouse | None,
              at: datetime, now: datetime) -> None:
    """Placed, confirmed within the hour; a delivered order shipped the next day (its
    invoice issued then, paid before it fell due if it has) and delivered the day after."""
    S = OrderStatus
    staff = hands.id if hands else None
    steps = [(at, buyer.id, S.SUBMITTED, None, None),
             (at + timedelta(hours=1), staff, S.CONFIRMED, "confirmed", {})]
    if order.status == S.DELIVERED:
        shipped_at, tracking = at + timedelta(days=1), f"TP{order.id:08d}"
        units = sum(line.quantity for line in order.lines)
        steps += [(shipped_at, staff, S.SHIPPED, "shipped", {
                      "lines": len(order.lines), "units": units, "carrier": "Transports Perrin",
                      "tracking": tracking, "partial": False}),
                  (at + timedelta(days=2), None, S.DELIVERED, "delivered", {})]
        shipment = Shipment(order_id=order.id, warehouse_id=lyon.id if lyon else None,
                            carrier="Transports Perrin", tracking_number=tracking,
                            shipped_at=shipped_at, created_by_id=staff)
        for line in order.lines:
            line.shipped_qty = line.quantity
            shipment.lines.append(ShipmentLine(order_line_id=line.id, quantity=line.quantity))
        db.session.add(shipment)
        db.session.flush()
        invoice = billing.invoice_shipment(order, [(line, line.quantity) for line in order.lines],
                                           shipment, shipped_at, notify=False)
        if invoice is not None and invoice.due_on < now.date():
            paid_on = invoice.due_on - timedelta(days=5)
            db.session.add(InvoicePayment(
                invoice_id=invoice.id, company_id=order.company_id,
                amount_cents=invoice.total_cents, received_on=paid_on,
                reference=f"MANDAT TRESOR PUBLIC {invoice.number}",
                recorded_at=datetime.combine(paid_on, time(9), PARIS).astimezone(UTC)))
    order.updated_at = steps[-1][0]
    for when, actor, status, code, params in steps:
        db.session.add(OrderEvent(order_id=order.id, at=when, actor_id=actor, kind="status",
                                  status=status, code=code, params=params, message=""))


def _contract_lines() -> list[tuple[int, int]]:
    """(product id, the general list's smallest-quantity unit price): the first products by
    SKU of each leaf category sold, current and priced."""
    tops = set(db.session.scalars(select(Category.id).where(Category.slug.in_(SOLD))))
    leaves = list(db.session.scalars(select(Category.id).where(Category.parent_id.in_(tops))
                                     .order_by(Category.id)))
    base_id = db.session.scalar(select(PriceList.id).where(PriceList.is_base.is_(True)))
    smallest = (select(PriceTier.product_id, func.min(PriceTier.min_qty).label("min_qty"))
                .where(PriceTier.price_list_id == base_id).group_by(PriceTier.product_id)
                .subquery())
    out = []
    for leaf in leaves:
        rows = db.session.execute(
            select(Product.id, PriceTier.unit_price_cents)
            .join(smallest, smallest.c.product_id == Product.id)
            .join(PriceTier, (PriceTier.product_id == Product.id)
                  & (PriceTier.price_list_id == base_id)
                  & (PriceTier.min_qty == smallest.c.min_qty))
            .where(Product.category_id == leaf, Product.active.is_(True),
                   Product.discontinued.is_(False), Product.order_multiple == 1)
            .order_by(Product.sku).limit(PER_CATEGORY)).all()
        out.extend((pid, cents) for pid, cents in rows)
    return out
