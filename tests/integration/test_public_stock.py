"""What an anonymous visitor learns of stock: "in stock" or "on order", never the counts of
each warehouse, unless the seller sets PUBLIC_STOCK_DETAIL = "quantity"."""

import re

import pytest

from portal.config import check_settings, from_environment
from portal.extensions import db
from portal.models import Stock
from tests import factories as f
from tests.conftest import login
from tests.factories import main_of


def _two_warehouses(world):
    """Cement: 40 units at LYO (the world's) and 3 at PAR."""
    second = f.warehouse("PAR")
    db.session.add(Stock(product_id=world.products["cement"].id, warehouse_id=second.id,
                         quantity=3))
    db.session.commit()
    return world.products["cement"]


def test_a_visitor_sees_in_stock_but_neither_counts_nor_warehouses(client, world):
    cement = _two_warehouses(world)
    html = main_of(client.get(f"/catalog/p/{cement.id}"))
    assert "En stock" in html
    assert "Entrepôt LYO" not in html and "Entrepôt PAR" not in html
    # The count as a number of its own (a product's generated name may hold the digits).
    assert not re.search(r"\b43\b", html) and "disponible" not in html


def test_a_visitor_sees_a_nearly_empty_product_as_in_stock_not_how_many_are_left(
        client, world):
    stock = db.session.get(Stock, (world.products["screws"].id, world.warehouse.id))
    stock.quantity = 3
    db.session.commit()
    client.post("/language", data={"lang": "en"})
    html = main_of(client.get("/catalog/search?q=VIS-440"))
    assert "In stock" in html and "3 left" not in html


def test_a_visitor_sees_an_empty_product_as_on_order(client, world):
    gloves = world.products["gloves"]
    gloves.lead_time_days = 6
    db.session.commit()
    client.post("/language", data={"lang": "en"})
    html = main_of(client.get(f"/catalog/p/{gloves.id}"))
    assert "Backorder, expected in 6 days" in html and "In stock" not in html


def test_a_signed_in_customer_still_sees_each_warehouse(client, world):
    cement = _two_warehouses(world)
    login(client, world.a.buyer)
    html = main_of(client.get(f"/catalog/p/{cement.id}"))
    assert "Entrepôt LYO" in html and "Entrepôt PAR" in html
    assert "43 unités disponibles" in html


@pytest.mark.config(PUBLIC_STOCK_DETAIL="quantity")
def test_the_seller_may_show_visitors_the_counts(client, world):
    cement = _two_warehouses(world)
    html = main_of(client.get(f"/catalog/p/{cement.id}"))
    assert "Entrepôt LYO" in html and "43 unités disponibles" in html


def test_the_setting_is_read_from_the_environment_and_a_misspelt_value_is_refused():
    assert from_environment({"PORTAL_PUBLIC_STOCK_DETAIL": "quantity"}) == {
        "PUBLIC_STOCK_DETAIL": "quantity"}
    check_settings({"PUBLIC_STOCK_DETAIL": "presence"})
    with pytest.raises(RuntimeError, match="PUBLIC_STOCK_DETAIL"):
        check_settings({"PUBLIC_STOCK_DETAIL": "quantities"})
