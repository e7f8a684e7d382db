"""`portal seed-demo`: what someone trying the demo would notice, and that it is repeatable."""

from collections import defaultdict
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.demo.catalog import ean13_is_valid
from portal.demo.seed import seed_demo
from portal.extensions import db
from portal.models import (
    AccountApplication,
    ApplicationStatus,
    ApprovalRequest,
    ApprovalStatus,
    Category,
    Company,
    CompanyStatus,
    CustomerGroup,
    Order,
    OrderLine,
    OrderStatus,
    PriceList,
    PriceTier,
    Product,
    Role,
    Shipment,
    ShoppingList,
    Stock,
    Unit,
    UnitKind,
    User,
)
from portal.services.accounts.passwords import verify_password
from portal.services.selling import tax_total

DEMO_ROLES = {
    "buyer@demo.test": Role.BUYER,
    "manager@demo.test": Role.APPROVER,
    "admin@demo.test": Role.COMPANY_ADMIN,
    "chef@demo.test": Role.BUYER,
    "dealer@demo.test": Role.BUYER,
    "staff@demo.test": Role.STAFF_ADMIN,
    "rep@demo.test": Role.SALES_REP,
    "warehouse@demo.test": Role.FULFILMENT,
    "petit@demo.test": Role.COMPANY_ADMIN,
}


# A fixed day: what these tests check must not depend on the calendar (the scenarios that
# could are checked on many dates in test_demo_scenarios.py).
SEEDED_AT = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def _make_app(path):
    return create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 8,
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
    })


def _seeded(path):
    app = _make_app(path)
    with app.app_context():
        db.create_all()
        counts = seed_demo(SEEDED_AT)
    return app, counts


def _price_snapshot() -> list[tuple]:
    return db.session.execute(
        select(Product.sku, Product.gtin, Product.name_fr, Product.order_multiple,
               PriceList.code, PriceTier.min_qty, PriceTier.unit_price_cents)
        .join(PriceTier, PriceTier.product_id == Product.id)
        .join(PriceList, PriceList.id == PriceTier.price_list_id)
        .order_by(Product.sku, PriceList.code, PriceTier.min_qty)
    ).all()


def _chain(company: Company) -> list[str]:
    """Price list codes for a company, most specific first (contract, group, base)."""
    codes = []
    if company.price_list_id:
        codes.append(db.session.get(PriceList, company.price_list_id).code)
    if company.customer_group_id:
        group = db.session.get(CustomerGroup, company.customer_group_id)
        if group.price_list_id:
            codes.append(db.session.get(PriceList, group.price_list_id).code)
    base = db.session.scalar(select(PriceList.code).where(PriceList.is_base.is_(True)))
    if base not in codes:
        codes.append(base)
    return codes


def _unit_price(chain: list[str], product_id: int, quantity: int) -> int:
    for code in chain:
        tiers = db.session.execute(
            select(PriceTier.min_qty, PriceTier.unit_price_cents)
            .join(PriceList, PriceList.id == PriceTier.price_list_id)
            .where(PriceList.code == code, PriceTier.product_id == product_id)
        ).all()
        if tiers:
            return min(cents for min_qty, cents in tiers if min_qty <= quantity)
    raise AssertionError("no price")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    app, counts = _seeded(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    with app.app_context():
        yield counts
        db.session.remove()


def test_the_catalog_is_large_bilingual_and_clean(demo):
    assert demo["products"] == db.session.scalar(select(func.count()).select_from(Product))
    assert demo["products"] >= 2000
    used = db.session.scalar(select(func.count(func.distinct(Product.category_id))))
    assert used >= 20
    assert db.session.scalar(select(func.count()).select_from(Category)) >= 20
    products = db.session.scalars(select(Product)).all()
    assert len({p.sku for p in products}) == len(products)
    assert len({p.gtin for p in products}) == len(products)
    for p in products:
        assert ean13_is_valid(p.gtin), p.gtin
        assert p.sku == p.sku.upper() and set(p.sku) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        assert p.name_fr and p.name_en and p.description_fr and p.description_en and p.brand
        assert p.active and 1 <= p.lead_time_days <= 21
        assert p.order_multiple in (1, p.case_pack // 2, p.case_pack)
        assert p.search_text == p.search_text.lower() and p.sku.lower() in p.search_text
    assert any(p.name_fr != p.name_en for p in products)
    boards = next(p for p in products if p.sku.startswith("PLQ-BA13-"))
    assert "plaque de platre" in boards.search_text  # accents folded
    assert {p.uom for p in products} >= {"each", "bag", "box", "roll", "m2"}
    assert {p.order_multiple == 1 for p in products} == {True, False}


def test_discontinued_products_point_to_an_active_replacement(demo):
    old = db.session.scalars(select(Product).where(Product.discontinued.is_(True))).all()
    assert len(old) >= 20
    for p in old:
        assert p.replacement_id is not None
        new = db.session.get(Product, p.replacement_id)
        assert not new.discontinued and new.active and new.category_id == p.category_id


def test_each_demo_replacement_is_the_same_kind_of_product(demo):
    """Same category and same use: the SKU's family and first option (ADJ-ACC is a set
    accelerator in any can size; ADJ-ANT an antifreeze) match; only a size, a pack or the
    brand differs."""
    replaced = db.session.execute(
        select(Product.sku, Product.category_id, Product.replacement_id)
        .where(Product.discontinued.is_(True))).all()
    assert len(replaced) >= 20
    for sku, category_id, replacement_id in replaced:
        new = db.session.get(Product, replacement_id)
        assert new.category_id == category_id, (sku, new.sku)
        assert new.sku.split("-")[:2] == sku.split("-")[:2], (sku, new.sku)


def test_stock_has_out_of_stock_and_low_items(demo):
    totals = dict(db.session.execute(
        select(Stock.product_id, func.sum(Stock.quantity)).group_by(Stock.product_id)).all())
    assert len(totals) == demo["products"]
    empty = sum(1 for v in totals.values() if v == 0)
    low = sum(1 for v in totals.values() if 1 <= v <= 5)
    assert 0.05 * demo["products"] <= empty <= 0.12 * demo["products"]
    assert low > 20


def test_every_demo_account_exists_with_its_role(demo):
    for email, role in DEMO_ROLES.items():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None, email
        assert user.role == role, email
        if email == "petit@demo.test":
            assert user.password_hash == ""
        else:
            assert verify_password(user.password_hash, "demo-password"), email
    staff = db.session.scalars(select(User).where(User.company_id.is_(None))).all()
    assert {u.role for u in staff} == {Role.STAFF_ADMIN, Role.SALES_REP, Role.FULFILMENT}


def test_buyer_has_a_limit_and_two_lyon_jobsites(demo):
    buyer = db.session.scalar(select(User).where(User.email == "buyer@demo.test"))
    assert buyer.name == "Julien Moreau"
    assert buyer.order_limit_cents == 100_000
    assert buyer.monthly_budget_cents == 800_000
    assert buyer.company.name == "Durand Bâtiment" and buyer.company.po_required
    assert buyer.unit.name == "Agence Lyon"
    jobsites = db.session.scalars(
        select(Unit).where(Unit.parent_id == buyer.unit_id, Unit.kind == UnitKind.JOBSITE)
    ).all()
    assert {j.name for j in jobsites} == {"Chantier Confluence",
                                          "Chantier Villeurbanne Gratte-Ciel"}
    for j in jobsites:
        assert j.address is not None and j.site_contact_name and j.site_contact_phone
        assert j.delivery_window and j.delivery_notes and j.project_code
    assert buyer.last_jobsite.name == "Chantier Confluence"
    manager = db.session.scalar(select(User).where(User.email == "manager@demo.test"))
    assert manager.unit_id == buyer.unit_id


def test_chef_and_buyer_see_different_prices(demo):
    buyer = db.session.scalar(select(User).where(User.email == "buyer@demo.test"))
    chef = db.session.scalar(select(User).where(User.email == "chef@demo.test"))
    buyer_chain, chef_chain = _chain(buyer.company), _chain(chef.company)
    assert buyer_chain[:2] == ["CONTRAT-DURAND", "PRO-BTP"]
    assert chef_chain[0] == "CHR"
    # Safety gear is on both group lists, at different prices.
    gloves = db.session.scalar(select(Product).where(Product.sku.like("GAN-NIT-M-%")))
    qty = gloves.order_multiple
    assert _unit_price(buyer_chain, gloves.id, qty) != _unit_price(chef_chain, gloves.id, qty)
    covered = db.session.scalar(
        select(func.count(func.distinct(PriceTier.product_id))).join(PriceList)
        .where(PriceList.code == "CONTRAT-DURAND"))
    assert 250 <= covered <= 350


def test_order_history_covers_every_status(demo):
    statuses = set(db.session.scalars(select(Order.status).distinct()))
    assert statuses == set(OrderStatus)
    assert 1200 <= demo["orders"] <= 1800
    # Totals add up; VAT is each line's frozen rate, rounded once per rate (food at 5.5 %).
    line_sums = dict(db.session.execute(
        select(OrderLine.order_id, func.sum(OrderLine.line_total_cents))
        .group_by(OrderLine.order_id)).all())
    rows = db.session.execute(select(OrderLine.order_id, OrderLine.tax_rate_bp,
                                     OrderLine.line_total_cents)).all()
    assert {rate for _, rate, _ in rows} == {550, 2000}
    by_order = defaultdict(list)
    for order_id, rate, cents in rows:
        by_order[order_id].append((rate, cents))
    for order in db.session.scalars(select(Order)):
        assert order.subtotal_cents == line_sums[order.id]
        assert order.tax_cents == tax_total(by_order[order.id])
        assert order.total_cents == order.subtotal_cents + order.tax_cents
    # Unique, and in the order placed on each storefront (the public storefront's history is
    # seeded after the trade portal's: portal/demo/public.py).
    for storefront_id in set(db.session.scalars(select(Order.storefront_id))):
        numbers = db.session.scalars(select(Order.number).where(
            Order.storefront_id == storefront_id).order_by(Order.placed_at, Order.id)).all()
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert db.session.scalar(select(func.count(func.distinct(Order.number)))) == \
        db.session.scalar(select(func.count(Order.id)))


def test_the_canteen_has_spent_part_of_its_contract_with_its_numbers_and_invoices(demo):
    from portal.models import FrameworkContract, Invoice
    from portal.services.contracts import WARNING_BP, spent_by_contract

    contract = db.session.scalar(select(FrameworkContract))
    orders = db.session.scalars(select(Order).where(
        Order.framework_contract_id == contract.id).order_by(Order.placed_at)).all()
    assert len(orders) == 4
    assert all(o.po_number.startswith("EJ-") and o.service_code == "RESTO-SCOL" for o in orders)
    assert contract.starts_on < orders[0].placed_at.date() and \
        orders[-1].placed_at < SEEDED_AT
    spent = spent_by_contract([contract.id])[contract.id]
    # Real spend on her gauge, well below the 80 % warning.
    assert contract.ceiling_cents * 15 // 100 < spent < contract.ceiling_cents * WARNING_BP \
        // 10_000
    delivered = [o for o in orders if o.status == OrderStatus.DELIVERED]
    assert len(delivered) == 3
    invoices = db.session.scalars(select(Invoice).where(
        Invoice.order_id.in_([o.id for o in delivered]))).all()
    assert {i.po_number for i in invoices} == {o.po_number for o in delivered}


def test_manager_inbox_and_dealer_shipments(demo):
    manager = db.session.scalar(select(User).where(User.email == "manager@demo.test"))
    waiting = db.session.scalars(select(ApprovalRequest).where(
        ApprovalRequest.status == ApprovalStatus.PENDING,
        ApprovalRequest.approver_role == Role.APPROVER,
        ApprovalRequest.approver_unit_id == manager.unit_id)).all()
    assert len(waiting) >= 3
    for request in waiting:
        order = db.session.get(Order, request.order_id)
        assert order.status == OrderStatus.PENDING_APPROVAL and request.reason
    dealer = db.session.scalar(select(User).where(User.email == "dealer@demo.test"))
    per_order = defaultdict(int)
    for (order_id,) in db.session.execute(
            select(Shipment.order_id).join(Order).where(Order.company_id == dealer.company_id)):
        per_order[order_id] += 1
    assert max(per_order.values()) >= 2


def test_repeat_last_order_shows_changes(demo):
    buyer = db.session.scalar(select(User).where(User.email == "buyer@demo.test"))
    last = db.session.scalars(
        select(Order).where(Order.placed_by_id == buyer.id,
                            Order.jobsite_id == buyer.last_jobsite_id)
        .order_by(Order.placed_at.desc())).first()
    assert last.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
    assert 6 <= len(last.lines) <= 10
    products = [line.product for line in last.lines]
    assert any(p.discontinued and p.replacement_id for p in products)
    stock = {p.id: db.session.scalar(select(func.sum(Stock.quantity))
                                     .where(Stock.product_id == p.id)) for p in products}
    assert any(stock[p.id] == 0 and not p.discontinued for p in products)
    assert last.ship_to and last.site_contact and last.delivery_window and last.po_number


def test_pending_company_and_lists(demo):
    pending = db.session.scalar(select(Company).where(Company.status == CompanyStatus.PENDING))
    assert pending.name == "Menuiserie Petit"
    application = db.session.scalar(
        select(AccountApplication).where(AccountApplication.company_id == pending.id))
    assert application.status == ApplicationStatus.PENDING and application.contact_email
    active = db.session.scalar(select(func.count()).select_from(Company)
                               .where(Company.status == CompanyStatus.ACTIVE))
    assert active >= 6
    lists = {sl.name: sl for sl in db.session.scalars(select(ShoppingList))}
    assert len(lists["Chantier Confluence – gros œuvre"].lines) >= 10
    assert lists["Chantier Confluence – gros œuvre"].shared
    assert not lists["Consommables"].shared
    assert len(lists["Mise en place hebdo"].lines) >= 12


def test_seed_refuses_a_database_that_is_not_empty(demo):
    with pytest.raises(RuntimeError):
        seed_demo()


def test_two_fresh_databases_get_the_same_catalog_and_prices(demo, tmp_path):
    first = _price_snapshot()
    app, counts = _seeded(tmp_path / "again.sqlite3")
    with app.app_context():
        second = _price_snapshot()
        db.session.remove()
    assert counts["products"] == demo["products"]
    assert first == second


def test_a_builder_is_offered_no_food_category(demo):
    from portal.services.approvals.rule_admin import category_choices
    from portal.services.catalog.browse import CategoryTree

    admin = db.session.scalar(select(User).where(User.email == "admin@demo.test"))
    chef = db.session.scalar(select(User).where(User.email == "chef@demo.test"))
    tops = {c.slug for c in CategoryTree(admin, "fr").top()}
    assert {"gros-oeuvre", "quincaillerie", "epi", "hygiene"} <= tops
    assert not tops & {"epicerie", "arts-table", "cuisine", "emballages"}
    labels = [label for _id, label in category_choices(admin, "fr")]
    assert "Épicerie sèche" not in labels and "Gros œuvre" in labels
    assert "epicerie" in {c.slug for c in CategoryTree(chef, "fr").top()}


def test_staff_have_an_open_claim_and_the_buyer_its_proof_of_delivery(demo):
    from portal.models import Claim, ClaimReason, ClaimStatus, OutboxMessage
    from portal.services import claims, storage

    assert demo["claims"] == 1 and demo["delivered_shipments"] >= 1
    (claim,) = claims.queue(ClaimStatus.OPEN)
    julien = db.session.scalar(select(User).where(User.email == "buyer@demo.test"))
    order = claim.order
    assert order.placed_by_id == julien.id and order.status == OrderStatus.DELIVERED
    assert claim.reason == ClaimReason.DAMAGED and claim.quantity == 1 and claim.note
    assert storage.content_type_of(claim.photo_key) == "image/jpeg"
    for shipment in order.shipments:
        assert shipment.received_by == "Karim Benali"
        assert shipment.shipped_at <= shipment.delivered_at <= claim.reported_at <= SEEDED_AT
        assert storage.content_type_of(shipment.proof_key) == "image/jpeg"
    assert claims.for_order(order, SEEDED_AT, 14).claims == [claim]
    assert db.session.scalar(select(func.count()).select_from(Claim)) == 1
    # Seeded like the history: nobody was e-mailed about the delivery or the claim.
    assert not db.session.scalars(select(OutboxMessage.subject)).all()
