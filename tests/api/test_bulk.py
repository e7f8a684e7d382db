"""Bulk upserts: 1,000 products in one request, price tiers and stock; all or nothing, every
rejected item named with its reason; the CSV import's rules apply."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import PriceTier, Product, Stock
from tests.api.conftest import assert_problem


@pytest.fixture
def pim(make_caller, world):
    caller = make_caller("catalog:write", "prices:write", "stock:write", name="PIM")
    caller.slug = world.categories["tools"].slug
    return caller


def _product(n: int, slug: str, **extra) -> dict:
    return {"sku": f"API-{n:05d}", "name_fr": f"Produit {n}", "name_en": f"Product {n}",
            "category_slug": slug, "case_pack": 6, "order_multiple": 6, **extra}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_thousand_products_in_one_request_then_updated(app, pim):
    before = _count(Product)
    items = [_product(n, pim.slug, brand="Acme") for n in range(1000)]
    answer = pim.post("/api/v1/products/bulk", {"items": items})
    assert answer.status_code == 200, answer.data[:500]
    assert answer.get_json() == {"created": 1000, "updated": 0}
    assert _count(Product) == before + 1000
    again = pim.post("/api/v1/products/bulk", {"items": [
        {"sku": "API-00007", "name_en": "Renamed", "discontinued": True,
         "replacement_sku": "API-00008"}]})
    assert again.get_json() == {"created": 0, "updated": 1}
    product = db.session.scalar(select(Product).where(Product.sku == "API-00007"))
    assert (product.name_en, product.name_fr, product.brand, product.discontinued) == (
        "Renamed", "Produit 7", "Acme", True)
    assert product.replacement.sku == "API-00008"


def test_one_bad_item_rejects_the_request_and_every_bad_item_is_named(app, pim):
    before = _count(Product)
    items = [_product(1, pim.slug), _product(2, "no-such-category"), _product(1, pim.slug),
             {"sku": "API-00004", "name_fr": "Sans catégorie"}]
    problem = assert_problem(pim.post("/api/v1/products/bulk", {"items": items}), 422,
                             "rejected_items")
    pointers = {e["pointer"] for e in problem["errors"]}
    assert {"/items/1/category_slug", "/items/2/sku"} <= pointers
    assert any(p.startswith("/items/3/") for p in pointers)
    assert "/items/0/sku" not in pointers
    assert _count(Product) == before


@pytest.mark.parametrize(("item", "pointer"), [
    ({"case_pack": -1}, "/items/0/case_pack"),
    ({"case_pack": 1.5}, "/items/0/case_pack"),
    ({"case_pack": "6"}, "/items/0/case_pack"),
    ({"colour": "red"}, "/items/0/colour"),
    ({"sku": ""}, "/items/0/sku"),
])
def test_wrong_types_and_unknown_fields_are_refused_by_field(app, pim, item, pointer):
    problem = assert_problem(pim.post("/api/v1/products/bulk", {
        "items": [{**_product(1, pim.slug), **item}]}), 422, "invalid_fields")
    assert pointer in [e["pointer"] for e in problem["errors"]]


def test_price_tiers_in_bulk_with_currency_and_money_rules(app, pim, world):
    sku = world.products["screws"].sku
    code = world.pro.code
    before = _count(PriceTier)
    ok = pim.post("/api/v1/price-tiers/bulk", {"items": [
        {"price_list_code": code, "sku": sku, "min_qty": 50, "unit_price_cents": 75,
         "currency": "EUR"},
        {"price_list_code": code, "sku": sku, "min_qty": 1, "unit_price_cents": 79,
         "currency": "EUR"}]})
    assert ok.get_json() == {"created": 1, "updated": 1}, ok.data
    assert _count(PriceTier) == before + 1
    for bad, pointer in (({"unit_price_cents": 12.5}, "/items/0/unit_price_cents"),
                         ({"unit_price_cents": "12,50"}, "/items/0/unit_price_cents"),
                         ({"currency": "USD"}, "/items/0/currency"),
                         ({"sku": "NOPE-1"}, "/items/0/sku"),
                         ({"price_list_code": "NOPE"}, "/items/0/price_list_code")):
        item = {"price_list_code": code, "sku": sku, "min_qty": 5, "unit_price_cents": 70,
                "currency": "EUR", **bad}
        answer = pim.post("/api/v1/price-tiers/bulk", {"items": [item]})
        problem = assert_problem(answer, 422)
        assert pointer in [e["pointer"] for e in problem["errors"]], problem
    assert _count(PriceTier) == before + 1


def test_stock_per_warehouse_in_bulk(app, pim, world):
    cement = world.products["cement"]
    answer = pim.post("/api/v1/stock/bulk", {"items": [
        {"sku": cement.sku, "warehouse_code": world.warehouse.code, "quantity": 7}]})
    assert answer.get_json() == {"created": 0, "updated": 1}
    level = db.session.get(Stock, (cement.id, world.warehouse.id))
    db.session.refresh(level)
    assert level.quantity == 7
    problem = assert_problem(pim.post("/api/v1/stock/bulk", {"items": [
        {"sku": cement.sku, "warehouse_code": "NOWHERE", "quantity": 1}]}), 422)
    assert problem["errors"][0]["pointer"] == "/items/0/warehouse_code"


def test_each_bulk_needs_its_own_scope(app, make_caller, world):
    catalog_only = make_caller("catalog:write")
    assert_problem(catalog_only.post("/api/v1/stock/bulk", {"items": [
        {"sku": "X", "warehouse_code": "LYO", "quantity": 1}]}), 403, "insufficient_scope")


def test_upserted_products_are_found_by_search_without_rebuilding_the_catalog(
        app, pim, world, client, monkeypatch):
    from portal.services import catalog
    from tests.factories import row_ids

    def no_rebuild():
        raise AssertionError("a bulk upsert refreshes only what it wrote")

    monkeypatch.setattr(catalog, "rebuild_search_index", no_rebuild)
    made = pim.post("/api/v1/products/bulk", {"items": [
        _product(1, pim.slug, name_fr="Brouette renforcée", brand="Haemmerlin"),
        _product(2, pim.slug, name_fr="Truelle italienne")]})
    assert made.status_code == 200, made.data

    def found(words: str) -> list[int]:
        return row_ids(client.get(f"/catalog/search?q={words}").get_data(as_text=True))

    barrow = db.session.scalar(select(Product).where(Product.sku == "API-00001"))
    assert found("brouette renforcee") == [barrow.id]
    assert found("haemmerlin") == [barrow.id]
    renamed = pim.post("/api/v1/products/bulk", {"items": [
        {"sku": "API-00001", "name_fr": "Diable de manutention"}]})
    assert renamed.status_code == 200, renamed.data
    assert found("diable manutention") == [barrow.id]
    assert found("brouette") == []
    assert len(found("truelle")) == 1  # a product not written keeps its entry
