"""The selling policy loads in a fixed number of SQL statements, once per request.

Counted with SQLAlchemy's `before_cursor_execute`: offers for any batch cost the same, and the
pages that ask about a product (product page, search page, cart add, quick-order check) are
pinned at their count, so a new per-path check or a second load shows up here.
"""


import pytest
from sqlalchemy import event, select

from portal.extensions import db
from portal.models import PriceTier, Product
from portal.services.selling import Reason, offers_for
from portal.services.storefronts import all_fronts
from tests import factories as f
from tests.conftest import counting, htmx_headers, login
from tests.factories import cart_with


@pytest.fixture(autouse=True)
def _storefronts_in_memory(app):
    """Each process keeps the storefronts in memory (services/storefronts), read at its first
    request: read here, so the counts are those of any later request."""
    all_fronts()


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
    # chain (1), rules (1), [products by id], visible ones and replacements, tiers with stock
    assert few == (4 if given == "objects" else 5)
    assert len(large) == 40
    first = large[products[0].id]
    assert first.replacement.id == products[1].id
    assert first.verdict(10).reason == Reason.DISCONTINUED
    assert large[products[1].id].verdict(1).reason == Reason.OK  # 1 in stock


def test_a_batch_of_40_is_read_with_the_same_statements_as_a_batch_of_2(app, world):
    """On PostgreSQL the ids travel as one array (`= ANY`): the text, which psycopg converts
    and the server plans, must not grow with the batch. SQLite writes one `?` per id."""
    products = _bulk(world, 40)
    buyer = world.a.buyer
    ids = [p.id for p in products]  # read back after the commit: only the loads are counted
    assert buyer.company.is_active
    with counting() as few:
        small = offers_for(buyer).load(ids[:2])
    with counting() as many:
        large = offers_for(buyer).load(ids)
    assert small[products[1].id].verdict(10).unit_price_cents == 90  # the 10+ tier
    assert sorted(o.product.sku for o in large.values()) == [p.sku for p in products]
    assert large[products[39].id].verdict(40).backordered == 1  # 39 in stock
    if db.engine.dialect.name == "postgresql":
        assert few == many
        assert "ANY" in " ".join(many)
    else:
        assert len(few) == len(many) and few != many
    with counting() as none:
        assert offers_for(buyer).load([]) == {}
    assert none == []


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


# -- Pages: each asks the policy once, whatever it shows --------------------------------------

def _priced_reads(seen):
    """Statements that read tiers or the price-list chain, or visibility rules."""
    return (sum("FROM price_tiers" in s for s in seen),
            sum("price_lists.is_base IS" in s and "WHERE" in s for s in seen),
            sum("WHERE visibility_rules.company_id" in s for s in seen))


def _request(client, method, url, **kwargs):
    db.session.expire_all()  # each request reads what it needs, as in production
    with counting() as seen:
        response = getattr(client, method)(url, **kwargs)
    # A quick-order check with lines to fix answers 422 (the form again, marked).
    assert response.status_code in (200, 422), response.status_code
    return seen


# Pinned counts, with the process's reference data warm: a new per-path check or a second
# load of the offers shows here. The user's statement carries the header's cart count and the
# reference stamp; the offers' prices and stock (per warehouse too) are one statement. The
# cart add reads its cart's id, next position and line count in one statement, gets its line
# back from its upsert, answers with the user and product it read (no reload after its
# commit) and the badge from the count, and renders the row from the same offers. The
# product page reads its pictures, documents, videos and attributes in one more (a union); a
# list of results and a row answered to the stepper read their thumbnails in one more. A
# quick-order check dates its lines: one more for the warehouses' calendars. The buy box's add
# reads its lists instead of the row's thumbnail.
PINS = {"product page": 6, "search page": 5, "cart add": 6, "cart add, buy box": 6,
        "quick-order check": 6}


@pytest.fixture
def pages(world, client):
    screws = world.products["screws"]
    old = f.product(world.categories["tools"], "VIS-OLD", price_list=world.base,
                    warehouse=world.warehouse, discontinued=True, replacement_id=screws.id)
    db.session.commit()
    login(client, world.a.buyer)
    return {
        "product page": ("get", f"/catalog/p/{old.id}", {}),
        "search page": ("get", "/catalog/search?q=vis", {}),
        "cart add": ("post", f"/catalog/p/{screws.id}/cart",
                     {"data": {"qty": "10", "view": "row", "next": "/catalog/search?q=vis"},
                      "headers": htmx_headers(f"p-{screws.id}")}),
        "cart add, buy box": ("post", f"/catalog/p/{screws.id}/cart",
                              {"data": {"qty": "10", "view": "page"},
                               "headers": htmx_headers("buy")}),
        "quick-order check": ("post", "/quick-order/check",
                              {"data": {"paste": f"VIS-440 9\nGANT-9 13\n{old.sku} 2\nNOPE 1"}}),
    }


@pytest.mark.parametrize("page", list(PINS))
def test_each_page_reads_the_selling_policy_once_and_is_pinned(app, client, pages, page):
    method, url, kwargs = pages[page]
    _request(client, method, url, **kwargs)  # warm up: the search index, the session
    app.extensions.pop("portal.reference", None)  # a process that kept no reference data
    cold = _request(client, method, url, **kwargs)
    assert _priced_reads(cold) == (1, 1, 1)
    # The price-list chain and the visibility rules are then kept by the process, under the
    # reference stamp read with the user (test_reference_cache.py): the tiers alone are read.
    seen = _request(client, method, url, **kwargs)
    assert _priced_reads(seen) == (1, 0, 0)
    pinned = PINS[page]
    if isinstance(pinned, dict):
        pinned = pinned[db.engine.dialect.name]
    assert len(seen) == pinned


def test_a_cart_add_answers_from_its_own_transaction(client, world):
    """The buy box's lists are read before the add commits: no transaction of their own after
    it (on PostgreSQL a BEGIN and a ROLLBACK more)."""
    f.shopping_list(world.a.buyer, "Chantier Nord")
    db.session.commit()
    login(client, world.a.buyer)
    screws = world.products["screws"]
    db.session.expire_all()
    sent: list[str] = []

    def statement(_conn, _cursor, text, *_args):
        sent.append(text)

    def commit(_conn):
        sent.append("COMMIT")

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(db.engine, "commit", commit)
    try:
        html = client.post(f"/catalog/p/{screws.id}/cart", data={"qty": "10", "view": "page"},
                           headers=htmx_headers("buy")).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(db.engine, "commit", commit)
    assert "Chantier Nord" in html and 'id="cart-badge"' in html
    assert sent[-1] == "COMMIT"
    assert any("FROM shopping_lists" in s for s in sent)


def test_a_price_written_in_the_request_is_read_again_and_a_cart_write_is_not(app, world):
    screws = world.products["screws"]
    buyer = world.a.buyer
    with app.test_request_context("/"):
        assert offers_for(buyer).get(screws).verdict(10).unit_price_cents == 80
        shelf = offers_for(buyer)
        tier = db.session.scalar(select(PriceTier).where(PriceTier.price_list_id == world.pro.id,
                                                         PriceTier.product_id == screws.id))
        tier.unit_price_cents = 70
        db.session.flush()
        assert offers_for(buyer) is not shelf
        assert offers_for(buyer).get(screws).verdict(10).unit_price_cents == 70
        shelf = offers_for(buyer)
        cart_with(buyer, (world.products["cement"], 2))  # commits a cart line
        assert offers_for(buyer) is shelf


def test_a_cart_line_off_the_selling_unit_is_kept_but_not_ordered(client, world):
    """The unit changed after the line was added: the cart says so instead of pricing it."""
    cement = world.products["cement"]
    cart_with(world.a.buyer, (cement, 3), (world.products["screws"], 10))
    cement.order_multiple = 2
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get("/cart/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sold in steps of 2." in body
    assert "€8.00" in body and "€25.50" not in body  # the screws alone: 10 × 0.80
