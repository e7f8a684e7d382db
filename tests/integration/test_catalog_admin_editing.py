"""Staff admins edit products, stock per warehouse and price tiers; every change is audited."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, PriceTier, Product, Stock
from tests.conftest import htmx_headers, login

BASE = "/staff/catalog"


def form_of(product: Product, **changes) -> dict:
    data = {
        "name_fr": product.name_fr, "name_en": product.name_en, "brand": product.brand,
        "description_fr": product.description_fr, "description_en": product.description_en,
        "case_pack": str(product.case_pack), "order_multiple": str(product.order_multiple),
        "lead_time_days": str(product.lead_time_days), "replacement_sku": "",
    }
    if product.discontinued:
        data["discontinued"] = "1"
    data.update(changes)
    return data


def audits(action: str) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_the_product_list_finds_by_sku_and_name_with_an_htmx_fragment(client, world):
    login(client, world.staff)
    page = client.get(f"{BASE}/?q=vis").get_data(as_text=True)
    assert "VIS-440" in page and "CIM-35" not in page
    fragment = client.get(f"{BASE}/?q=cim", headers=htmx_headers("results"))
    body = fragment.get_data(as_text=True)
    assert "CIM-35" in body and "<html" not in body and 'id="results"' in body


def test_a_product_edit_is_saved_and_audited(client, world):
    screws = world.products["screws"]
    login(client, world.staff)
    assert client.get(f"{BASE}/products/{screws.id}").status_code == 200
    answer = client.post(f"{BASE}/products/{screws.id}", data=form_of(
        screws, name_en="Wood screw 4x40", brand="Spax", case_pack="12", order_multiple="6",
        lead_time_days="5", discontinued="1", replacement_sku="cim-35"))
    assert answer.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Product, screws.id)
    assert (saved.name_en, saved.brand, saved.case_pack, saved.order_multiple) == (
        "Wood screw 4x40", "Spax", 12, 6)
    assert saved.discontinued and saved.replacement_id == world.products["cement"].id
    entry = audits("product.update")[0]
    assert entry.actor_id == world.staff.id and entry.object_id == screws.id
    assert entry.detail["changed"]["brand"] == ["", "Spax"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"case_pack": "10", "order_multiple": "3"}, "order_multiple"),
    ({"case_pack": "0"}, "case_pack"),
    ({"case_pack": "１０"}, "case_pack"),
    ({"lead_time_days": "-1"}, "lead_time_days"),
    ({"name_fr": ""}, "name_fr"),
    ({"replacement_sku": "VIS-440"}, "replacement_sku"),
    ({"replacement_sku": "NOPE-1"}, "replacement_sku"),
    ({"name_en": "x" * 201}, "name_en"),
])
def test_an_invalid_product_edit_answers_422_and_changes_nothing(client, world, changes, field):
    screws = world.products["screws"]
    login(client, world.staff)
    answer = client.post(f"{BASE}/products/{screws.id}", data=form_of(screws, **changes))
    assert answer.status_code == 422
    assert f'id="f-{field}-error"' in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, screws.id).case_pack == 10
    assert audits("product.update") == []


def test_stock_per_warehouse_is_set_and_audited(client, world):
    from tests import factories as f

    other = f.warehouse("PAR")
    db.session.commit()
    cement = world.products["cement"]
    login(client, world.staff)
    answer = client.post(f"{BASE}/products/{cement.id}/stock",
                         data={f"stock-{world.warehouse.id}": "35", f"stock-{other.id}": "8"})
    assert answer.status_code == 303
    db.session.expire_all()
    assert db.session.get(Stock, (cement.id, world.warehouse.id)).quantity == 35
    assert db.session.get(Stock, (cement.id, other.id)).quantity == 8
    assert audits("stock.update")[0].detail["changed"] == {"LYO": [40, 35], "PAR": [None, 8]}
    bad = client.post(f"{BASE}/products/{cement.id}/stock",
                      data={f"stock-{world.warehouse.id}": "1.5"})
    assert bad.status_code == 422


def test_price_tiers_are_added_edited_and_removed(client, world):
    cement = world.products["cement"]
    login(client, world.staff)
    page = client.get(f"{BASE}/products/{cement.id}/prices").get_data(as_text=True)
    assert "PRO" in page and "8,50" in page

    added = client.post(f"{BASE}/products/{cement.id}/prices",
                        data={"price_list": str(world.pro.id), "min_qty": "10",
                              "unit_price": "7,95"})
    assert added.status_code == 303
    tier = db.session.scalar(select(PriceTier).where(PriceTier.price_list_id == world.pro.id,
                                                     PriceTier.product_id == cement.id))
    assert (tier.min_qty, tier.unit_price_cents) == (10, 795)

    clash = client.post(f"{BASE}/products/{cement.id}/prices",
                        data={"price_list": str(world.pro.id), "min_qty": "10",
                              "unit_price": "7"})
    assert clash.status_code == 422
    assert client.post(f"{BASE}/tiers/{tier.id}",
                       data={"min_qty": "20", "unit_price": "7.5"}).status_code == 303
    db.session.expire_all()
    assert (tier.min_qty, tier.unit_price_cents) == (20, 750)
    assert client.post(f"{BASE}/tiers/{tier.id}",
                       data={"min_qty": "20", "unit_price": "7,505"}).status_code == 422

    confirm = client.get(f"{BASE}/tiers/{tier.id}/delete")
    assert confirm.status_code == 200
    assert client.post(f"{BASE}/tiers/{tier.id}/delete").status_code == 303
    assert db.session.get(PriceTier, tier.id) is None
    assert [len(audits(a)) for a in ("price_tier.create", "price_tier.update",
                                     "price_tier.delete")] == [1, 1, 1]


def test_price_lists_show_their_products(client, world):
    login(client, world.staff)
    page = client.get(f"{BASE}/price-lists").get_data(as_text=True)
    assert "BASE" in page and "PRO" in page
    listing = client.get(f"{BASE}/price-lists/{world.base.id}").get_data(as_text=True)
    assert "VIS-440" in listing and "FAR-T55" in listing


@pytest.mark.parametrize("path", ["/products/9999", "/products/9999/prices",
                                  "/tiers/9999/delete", "/price-lists/9999"])
def test_unknown_objects_are_404(client, world, path):
    login(client, world.staff)
    assert client.get(BASE + path).status_code == 404
    assert client.get(BASE + path, headers=htmx_headers()).status_code == 404


@pytest.mark.parametrize("who", ["fulfilment", "rep"])
def test_only_staff_admins_edit_the_catalog(client, world, who):
    login(client, getattr(world, who))
    screws = world.products["screws"]
    assert client.get(f"{BASE}/").status_code == 403
    assert client.post(f"{BASE}/products/{screws.id}", data=form_of(screws)).status_code == 403
    tier_id = db.session.scalar(select(PriceTier.id))
    assert client.post(f"{BASE}/tiers/{tier_id}/delete").status_code == 403
    assert db.session.get(PriceTier, tier_id) is not None


def test_a_buyer_cannot_reach_the_catalog_editor(client, world):
    login(client, world.a.buyer)
    assert client.get(f"{BASE}/products/{world.products['screws'].id}").status_code == 403
