"""The seller's systems set what a customer group or one company may see (a product not
allowed is as missing to its buyers); a customer's system fills its company's shopping
lists with the list owner's rules, and another company's list is 404."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ShoppingListLine, VisibilityRule
from portal.services import selling
from tests import factories as f
from tests.api.conftest import assert_problem


def _visible(user, sku: str) -> bool:
    db.session.expire_all()
    with db.session.no_autoflush:
        return selling.find_visible(user, sku=sku) is not None


def test_a_group_and_a_company_get_their_assortment(app, make_caller, world):
    pim = make_caller("catalog:write", "catalog:read", name="PIM Akeneo")
    tools, food = world.categories["tools"], world.categories["food"]
    answer = pim.put("/api/v1/visibility/groups/btp", {"categories": [tools.slug]})
    assert answer.get_json() == {"categories": [tools.slug], "products": []}, answer.data
    with app.test_request_context():
        assert not _visible(world.a.buyer, "FAR-T55")  # flour is food: as if missing
        assert _visible(world.a.buyer, "VIS-440") and _visible(world.b.buyer, "FAR-T55")
    world.b.company.external_ref = "SF-B"
    db.session.commit()
    pim.put("/api/v1/visibility/companies/SF-B", {"products": ["far-t55"]})
    with app.test_request_context():
        assert _visible(world.b.buyer, "FAR-T55") and not _visible(world.b.buyer, "VIS-440")
    assert pim.get("/api/v1/visibility/companies/SF-B").get_json() == {
        "categories": [], "products": ["FAR-T55"]}
    lifted = pim.put("/api/v1/visibility/groups/BTP", {"categories": [], "products": []})
    assert lifted.status_code == 200
    with app.test_request_context():
        assert _visible(world.a.buyer, "FAR-T55")
    assert food.id not in db.session.scalars(select(VisibilityRule.category_id)).all()


def test_unknown_slugs_and_skus_are_named_and_nothing_changes(app, make_caller, world):
    pim = make_caller("catalog:write")
    f.restrict_to_category(world.a.company, world.categories["tools"])
    rules = db.session.scalar(select(func.count()).select_from(VisibilityRule))
    world.a.company.external_ref = "SF-A"
    db.session.commit()
    problem = assert_problem(pim.put("/api/v1/visibility/companies/SF-A", {
        "categories": ["nowhere"], "products": ["VIS-440", "NOPE-1"]}), 422, "rejected_items")
    assert {e["pointer"] for e in problem["errors"]} == {"/categories/0", "/products/1"}
    assert db.session.scalar(select(func.count()).select_from(VisibilityRule)) == rules
    assert_problem(pim.put("/api/v1/visibility/groups/NOPE", {"categories": []}), 404)
    assert_problem(pim.put("/api/v1/visibility/companies/SF-A", {"categories": "x"}), 422,
                   "invalid_fields")


def test_a_customer_token_fills_its_companys_list_not_anothers(app, make_caller, world):
    ours = f.shopping_list(world.a.buyer, "Chantier 1")
    theirs = f.shopping_list(world.b.buyer, "Their list", shared=True)
    db.session.commit()
    caller = make_caller("cart:write", company=world.a.company, name="Ariba")
    screws = world.products["screws"]
    answer = caller.post(f"/api/v1/lists/{ours.id}/lines", {"sku": "vis-440", "quantity": 20})
    assert answer.get_json() == {"list_id": ours.id, "sku": screws.sku, "quantity": 20}
    again = caller.post(f"/api/v1/lists/{ours.id}/lines", {"sku": "VIS-440", "quantity": 10})
    assert again.get_json()["quantity"] == 30
    assert_problem(caller.post(f"/api/v1/lists/{theirs.id}/lines",
                               {"sku": "VIS-440", "quantity": 10}), 404)
    gloves = assert_problem(caller.post(f"/api/v1/lists/{ours.id}/lines",
                                        {"sku": "GANT-9", "quantity": 5}), 422, "refused")
    assert gloves["errors"][0]["pointer"] == "/quantity"
    unknown = assert_problem(caller.post(f"/api/v1/lists/{ours.id}/lines",
                                         {"sku": "NOPE-0", "quantity": 1}), 422, "refused")
    assert unknown["errors"][0]["pointer"] == "/sku"
    seller = make_caller("catalog:write")
    assert_problem(seller.post(f"/api/v1/lists/{ours.id}/lines",
                               {"sku": "VIS-440", "quantity": 10}), 403, "insufficient_scope")
    lines = db.session.scalars(select(ShoppingListLine.list_id)).all()
    assert lines == [ours.id]
