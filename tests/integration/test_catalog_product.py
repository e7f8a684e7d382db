"""The product page: facts, availability per warehouse, backorder, replacement, SKU/GTIN."""

from portal.extensions import db
from portal.models import Stock
from tests import factories as f
from tests.conftest import login
from tests.factories import row_ids


def test_product_page_shows_names_pack_multiple_and_description_in_the_users_language(
        client, world):
    p = f.product(world.categories["tools"], "DESC-1", name_fr="Cheville", name_en="Wall plug",
                  description_fr="Pour béton", description_en="For concrete", brand="Fixo",
                  case_pack=100, order_multiple=50, price_list=world.base)
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    html = client.get(f"/catalog/p/{p.id}").get_data(as_text=True)
    assert "Wall plug" in html and "For concrete" in html and "Fixo" in html
    assert "Cheville" not in html and "Pour béton" not in html
    assert "case of 100" in html and "50 units" in html


def test_availability_is_detailed_per_warehouse(client, world):
    second = f.warehouse("PAR")
    db.session.add(Stock(product_id=world.products["cement"].id, warehouse_id=second.id,
                         quantity=3))
    db.session.commit()
    login(client, world.a.buyer)  # visitors see no counts (test_public_stock.py)
    html = client.get(f"/catalog/p/{world.products['cement'].id}").get_data(as_text=True)
    assert "Entrepôt LYO" in html and "Entrepôt PAR" in html
    assert "43" in html  # 40 + 3 available


def test_an_out_of_stock_product_is_a_backorder_expected_after_its_lead_time(client, world):
    gloves = world.products["gloves"]
    gloves.lead_time_days = 6
    db.session.commit()
    client.post("/language", data={"lang": "en"})
    html = client.get(f"/catalog/p/{gloves.id}").get_data(as_text=True)
    assert "Backorder, expected in 6 days" in html


def test_low_stock_shows_how_many_are_left(client, world):
    stock = db.session.get(Stock, (world.products["screws"].id, world.warehouse.id))
    stock.quantity = 3
    db.session.commit()
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    html = client.get("/catalog/search?q=VIS-440").get_data(as_text=True)
    assert "3 left" in html


def test_a_discontinued_product_links_to_its_replacement_with_an_add_to_cart(client, world):
    old, new = world.products["cement"], world.products["screws"]
    old.discontinued = True
    old.replacement_id = new.id
    db.session.commit()
    login(client, world.a.buyer)
    html = client.get(f"/catalog/p/{old.id}").get_data(as_text=True)
    assert f'href="/catalog/p/{new.id}"' in html
    assert row_ids(html) == [new.id]
    assert f'action="/catalog/p/{new.id}/cart"' in html
    assert f'action="/catalog/p/{old.id}/cart"' not in html


def test_an_invisible_replacement_is_not_offered(client, world):
    from tests.factories import restrict_to_category

    old = f.product(world.categories["food"], "OLD-1", price_list=world.base, discontinued=True,
                    replacement_id=world.products["screws"].id)
    db.session.commit()
    restrict_to_category(world.a.company, world.categories["food"])
    login(client, world.a.buyer)
    html = client.get(f"/catalog/p/{old.id}").get_data(as_text=True)
    assert f'/catalog/p/{world.products["screws"].id}"' not in html


def test_the_round_up_hint_shows_the_saving_of_a_full_case(client, world):
    p = f.product(world.categories["tools"], "CASE-12", price_list=world.base, case_pack=12,
                  order_multiple=1, tiers={1: 500, 12: 465})
    db.session.commit()
    login(client, world.a.buyer)
    client.post("/language", data={"lang": "en"})
    html = client.get(f"/catalog/p/{p.id}?qty=10").get_data(as_text=True)
    # What really changes: the unit price, and what the line costs more (not a "saving").
    assert ("Full case: the unit price falls from €5.00 to €4.65; +2 units cost +€5.80."
            in html)
    assert 'name="use" value="12"' in html
    whole = client.get(f"/catalog/p/{p.id}?qty=12").get_data(as_text=True)
    assert "Full case:" not in whole
    far = client.get(f"/catalog/p/{p.id}?qty=2").get_data(as_text=True)
    assert "Full case:" not in far and 'name="use" value="12"' not in far  # +10 units


def test_sku_urls_redirect_to_the_product_page(client, world):
    cement = world.products["cement"]
    for sku in ("CIM-35", "cim-35"):
        response = client.get(f"/catalog/sku/{sku}")
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/catalog/p/{cement.id}")
    assert client.get("/catalog/sku/NOPE-1").status_code == 404
    assert client.get("/catalog/sku/" + "X" * 60).status_code == 404


def test_gtin_lookup_answers_json_for_scanners(client, world):
    cement = world.products["cement"]
    cement.gtin = "3000000000017"
    db.session.commit()
    found = client.get("/catalog/gtin/3000000000017")
    assert found.status_code == 200
    assert found.json == {"sku": "CIM-35", "url": f"/catalog/p/{cement.id}"}
    for unknown in ("3000000000024", "abc", "1" * 20):
        missing = client.get(f"/catalog/gtin/{unknown}")
        assert missing.status_code == 404 and missing.json == {"error": "not_found"}


def test_unknown_product_ids_are_404(client, world):
    assert client.get("/catalog/p/999999").status_code == 404
    assert client.get("/catalog/p/abc").status_code == 404
