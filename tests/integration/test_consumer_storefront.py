"""The consumer storefront speaks to consumers (issue 22): its cart says "Votre panier" and
"Commander" and offers no quote request, list or quick order; and its visitors see only what
its price list prices (catalog, search and product page agree: an unpriced product is a 404
there, its category is not in the menu), while the trade portal still shows them."""

from tests import factories as f
from tests.conftest import login

DIRECT = f.DIRECT


def _guest_with(client, product, qty="1"):
    assert client.post(f"/shop/cart/{product.id}", base_url=DIRECT,
                       data={"qty": qty}).status_code == 303


def test_the_consumer_cart_has_no_trade_features(app, client, world):
    f.consumer_storefront({world.products["cement"]: 1000})
    _guest_with(client, world.products["cement"])
    cart = client.get("/cart/", base_url=DIRECT).get_data(as_text=True)
    assert "Votre panier" in cart and ">Commander<" in cart
    assert "Demander un devis" not in cart and "/quotes/" not in cart
    assert "Commande rapide" not in cart and 'href="/lists/' not in cart
    product = client.get(f"/catalog/p/{world.products['cement'].id}",
                         base_url=DIRECT).get_data(as_text=True)
    assert "Demander un devis" not in product and "Ajouter à la liste" not in product
    # The trade portal's cart keeps its tools.
    trade = app.test_client()
    f.cart_with(world.a.buyer, (world.products["cement"], 1))
    login(trade, world.a.buyer)
    page = trade.get("/cart/").get_data(as_text=True)
    assert "Demander un devis" in page and "Votre panier" not in page


def test_unpriced_products_do_not_exist_on_the_consumer_storefront(app, client, world):
    f.consumer_storefront({world.products["cement"]: 1000})
    flour, screws = world.products["flour"], world.products["screws"]
    for product in (flour, screws):
        assert client.get(f"/catalog/p/{product.id}", base_url=DIRECT).status_code == 404
    assert client.get(f"/catalog/p/{world.products['cement'].id}",
                      base_url=DIRECT).status_code == 200
    found = client.get("/catalog/search?q=VIS", base_url=DIRECT).get_data(as_text=True)
    assert "VIS-440" not in found
    menu = client.get("/catalog/", base_url=DIRECT).get_data(as_text=True)
    assert "Outillage" in menu and "Épicerie" not in menu  # no priced product in it
    food = world.categories["food"].id
    assert client.get(f"/catalog/c/{food}", base_url=DIRECT).status_code == 404
    # A guest (signed in on the consumer host) is held to the same assortment.
    _guest_with(client, world.products["cement"])
    assert client.get(f"/catalog/p/{flour.id}", base_url=DIRECT).status_code == 404
    # The trade portal still sells them.
    trade = app.test_client()
    login(trade, world.a.buyer)
    assert trade.get(f"/catalog/p/{flour.id}").status_code == 200
    assert "VIS-440" in trade.get("/catalog/search?q=VIS").get_data(as_text=True)
