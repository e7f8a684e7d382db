"""Dated prices through the selling policy: list validity, promotions for a group or everyone,
contract prices for one company; each reaches the right buyers only, and a batch still costs a
fixed number of statements."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ContractPrice, Product, Promotion
from portal.services.selling import offers_for
from portal.services.selling.pricing import local_today
from portal.services.storefronts import all_fronts
from tests import factories as f
from tests.conftest import counting


@pytest.fixture(autouse=True)
def _storefronts_in_memory(app):
    """Each process keeps the storefronts in memory (services/storefronts), read at its first
    request: read here, so the counts are those of any later request."""
    all_fronts()


def _price(user, product, qty=1):
    return offers_for(user).get(product).verdict(qty).unit_price_cents


def test_a_group_list_out_of_its_dates_falls_through_to_the_base_list(app, world):
    screws, buyer = world.products["screws"], world.a.buyer
    today = local_today()
    assert _price(buyer, screws) == 80  # PRO
    world.pro.valid_until = today - timedelta(days=1)
    db.session.commit()
    assert _price(buyer, screws) == 100  # BASE
    world.pro.valid_until, world.pro.valid_from = None, today + timedelta(days=1)
    db.session.commit()
    assert _price(buyer, screws) == 100
    world.pro.valid_from = today
    db.session.commit()
    assert _price(buyer, screws) == 80


def test_a_promotion_for_one_group_reaches_that_group_only(app, world):
    cement, today = world.products["cement"], local_today()
    btp = world.a.company.customer_group_id
    db.session.add(Promotion(product_id=cement.id, customer_group_id=btp, percent_off_bp=2000,
                             starts_on=today, ends_on=today + timedelta(days=10)))
    db.session.commit()
    offer = offers_for(world.a.buyer).get(cement)
    assert offer.verdict(1).unit_price_cents == 680
    assert offer.prices.promo_until == today + timedelta(days=10)
    assert offer.prices.regular_unit_price_cents == 850
    other = offers_for(world.b.buyer).get(cement)
    assert other.verdict(1).unit_price_cents == 850
    assert other.prices.promo_until is None


def test_a_promotion_for_everyone_that_is_over_or_not_started_changes_nothing(app, world):
    cement, today = world.products["cement"], local_today()
    db.session.add_all([
        Promotion(product_id=cement.id, unit_price_cents=500, starts_on=today - timedelta(9),
                  ends_on=today - timedelta(1)),
        Promotion(product_id=cement.id, unit_price_cents=400, starts_on=today + timedelta(1),
                  ends_on=today + timedelta(9))])
    db.session.commit()
    assert _price(world.a.buyer, cement) == 850
    db.session.add(Promotion(product_id=cement.id, unit_price_cents=700, starts_on=today,
                             ends_on=today))
    db.session.commit()
    assert _price(world.a.buyer, cement) == 700
    assert _price(world.b.buyer, cement) == 700


def test_a_contract_price_reaches_its_company_only_and_ends_on_its_date(app, world):
    screws, today = world.products["screws"], local_today()
    contract = ContractPrice(company_id=world.a.company.id, product_id=screws.id,
                             unit_price_cents=70, valid_until=today)
    db.session.add(contract)
    db.session.commit()
    assert _price(world.a.buyer, screws) == 70
    assert _price(world.a.buyer, screws, 50) == 70
    assert offers_for(world.a.approver).get(screws).prices.contract_until == today
    assert _price(world.b.buyer, screws) == 95  # CHR: never company A's price
    contract.valid_until = today - timedelta(days=1)
    db.session.commit()
    assert _price(world.a.buyer, screws) == 80


def _batch(world, n):
    made = [f.product(world.categories["tools"], f"DEAL-{i:03d}", price_list=world.base,
                      tiers={1: 100, 10: 90}, warehouse=world.warehouse, stock=5)
            for i in range(n)]
    today = local_today()
    for i, product in enumerate(made):
        if i % 2:
            db.session.add(Promotion(product_id=product.id, percent_off_bp=1000,
                                     starts_on=today, ends_on=today + timedelta(days=3)))
        if i % 3 == 0:
            db.session.add(ContractPrice(company_id=world.a.company.id, product_id=product.id,
                                         unit_price_cents=60, valid_until=today))
    db.session.commit()
    return made


@pytest.mark.parametrize("given", ["objects", "ids"])
def test_promotions_and_contract_prices_cost_no_statement_per_product(app, world, given):
    made = _batch(world, 40)
    db.session.scalars(select(Product).where(Product.id.in_([p.id for p in made]))).all()
    as_given = (lambda ps: ps) if given == "objects" else (lambda ps: [p.id for p in ps])
    buyer = world.a.buyer
    assert buyer.company.is_active  # read back after the commit: only the loads are counted
    with counting() as few:
        offers_for(buyer).load(as_given(made[:2]))
    with counting() as many:
        offers = offers_for(buyer).load(as_given(made))
    # the same statements as without any promotion (test_selling_statements pins them)
    assert len(few) == len(many) == (4 if given == "objects" else 5)
    assert offers[made[0].id].verdict(1).unit_price_cents == 60  # contract
    assert offers[made[1].id].verdict(1).unit_price_cents == 90  # 10 % off
    assert offers[made[3].id].verdict(1).unit_price_cents == 60  # contract beats the promotion
    assert offers[made[2].id].verdict(10).unit_price_cents == 90  # list
