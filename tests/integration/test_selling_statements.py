"""The selling policy loads in a fixed number of SQL statements, once per request.

Counted with SQLAlchemy's `before_cursor_execute`: offers for any batch cost the same, and the
pages that ask about a product (product page, search page, cart add, quick-order check) are
pinned at their count, so a new per-path check or a second load shows up here.
"""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from portal.extensions import db
from portal.models import Product
from portal.services.selling import Reason, offers_for
from tests import factories as f


@contextmanager
def counting():
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _bulk(world, n, start=0):
    """`n` products, every third one discontinued and replaced by the next one."""
    made = []
    for i in range(start, start + n):
        made.append(f.product(world.categories["tools"], f"BULK-{i:03d}", price_list=world.base,
                              tiers={1: 100, 10: 90}, case_pack=10, order_multiple=1,
                              warehouse=world.warehouse, stock=i))
    for i, product in enumerate(made[:-1]):
        if i % 3 == 0:
            product.discontinued = True
            product.replacement_id = made[i + 1].id
    db.session.commit()
    return made


def _load_cost(user, products):
    with counting() as seen:
        offers = offers_for(user).load(products)
    return len(seen), offers


@pytest.mark.parametrize("given", ["objects", "ids"])
def test_offers_cost_the_same_statements_for_2_or_40_products(app, world, given):
    products = _bulk(world, 40)
    buyer = world.a.buyer
    # Read everything back after the commit, so only the load itself is counted.
    db.session.scalars(select(Product).where(Product.id.in_([p.id for p in products]))).all()
    assert buyer.company.is_active
    as_given = (lambda ps: ps) if given == "objects" else (lambda ps: [p.id for p in ps])
    few, small = _load_cost(buyer, as_given(products[:2]))
    many, large = _load_cost(buyer, as_given(products))
    assert few == many
    # chain (3), rules (2), [products by id], visible ones and replacements, tiers, stock
    assert few == (8 if given == "objects" else 9)
    assert len(large) == 40
    first = large[products[0].id]
    assert first.replacement.id == products[1].id
    assert first.verdict(10).reason == Reason.DISCONTINUED
    assert large[products[1].id].verdict(1).reason == Reason.OK  # 1 in stock


def test_offers_outside_a_request_are_fresh_and_inside_one_are_read_once(app, client, world):
    screws = world.products["screws"]
    buyer = world.a.buyer
    first = offers_for(buyer).get(screws)
    assert first.verdict(10).unit_price_cents == 80  # group list PRO before the base list
    assert offers_for(buyer) is not offers_for(buyer)  # no request: nothing remembered
    with app.test_request_context("/"):
        shelf = offers_for(buyer)
        shelf.load([screws])
        with counting() as seen:
            assert offers_for(buyer) is shelf
            offers_for(buyer).load([screws])
        assert seen == []
