"""The seller's systems create price lists and keep categories by slug."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Category, PriceList
from tests.api.conftest import assert_problem


def test_a_price_list_is_created_once_and_takes_tiers_in_its_currency(app, make_caller, world):
    erp = make_caller("prices:write")
    made = erp.post("/api/v1/price-lists", {"code": "export-ch", "name": "Export Suisse",
                                            "currency": "CHF"})
    assert made.status_code == 201, made.data
    assert made.get_json()["code"] == "EXPORT-CH"
    assert_problem(erp.post("/api/v1/price-lists", {"code": "EXPORT-CH", "name": "Again",
                                                    "currency": "CHF"}), 422)
    assert_problem(erp.post("/api/v1/price-lists", {"code": "X", "name": "Bad",
                                                    "currency": "euro"}), 422)
    tier = {"price_list_code": "EXPORT-CH", "sku": world.products["cement"].sku, "min_qty": 1,
            "unit_price_cents": 990}
    assert_problem(erp.post("/api/v1/price-tiers/bulk",
                            {"items": [{**tier, "currency": "EUR"}]}), 422)
    assert erp.post("/api/v1/price-tiers/bulk", {"items": [{**tier, "currency": "CHF"}]}
                    ).get_json() == {"created": 1, "updated": 0}
    assert db.session.scalar(select(PriceList.currency).where(PriceList.code == "EXPORT-CH")
                             ) == "CHF"


def test_categories_are_created_then_renamed_by_slug(app, make_caller, world):
    pim = make_caller("catalog:write")
    parent = world.categories["tools"].slug
    made = pim.put("/api/v1/categories/visserie", {"name_fr": "Visserie", "name_en": "Screws",
                                                   "parent_slug": parent, "position": 3})
    assert made.get_json()["created"] is True, made.data
    again = pim.put("/api/v1/categories/visserie", {"name_fr": "Visserie et boulonnerie",
                                                    "name_en": "Screws and bolts"})
    assert again.get_json()["created"] is False
    category = db.session.scalar(select(Category).where(Category.slug == "visserie"))
    db.session.refresh(category)
    assert (category.name_en, category.parent_id) == ("Screws and bolts", None)
    assert_problem(pim.put("/api/v1/categories/Bad%20Slug!", {"name_fr": "x", "name_en": "x"}),
                   422)
    assert_problem(pim.put("/api/v1/categories/ok", {"name_fr": "x", "name_en": "x",
                                                     "parent_slug": "nowhere"}), 422)
