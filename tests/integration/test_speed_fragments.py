"""Fragments build only what they send back: adding to the cart from the product page answers
the buy box without rebuilding the rest of the page (breadcrumb tree, tier table)."""

from portal.extensions import db
from portal.services.selling import find_visible, offers_for
from tests.conftest import counting, htmx_headers, login


def test_adding_from_the_product_page_builds_only_the_buy_box(client, world):
    login(client, world.a.buyer)
    pid = world.products["screws"].id
    with counting() as statements:
        html = client.post(f"/catalog/p/{pid}/cart", data={"qty": "5", "view": "page"},
                           headers=htmx_headers("buy")).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="buy"')
    assert 'id="cart-badge"' in html and "crumbs" not in html
    # The buy box of an exact stock count: per warehouse, as on the page itself.
    assert "500" in html
    assert not [s for s in statements if "FROM categories" in s]


def test_a_product_found_visible_then_hidden_in_the_same_request_is_not_offered(app, world):
    """The offers skip asking again for a product the request already found visible; a write
    to the product in the request forgets that, like every other selling fact."""
    buyer, screws = world.a.buyer, world.products["screws"]
    with app.test_request_context("/"):
        assert find_visible(buyer, product_id=screws.id) is screws
        assert offers_for(buyer).get(screws).visible
        screws.active = False
        db.session.flush()
        offer = offers_for(buyer).get(screws)
        assert offer is None or not offer.visible
    db.session.rollback()
