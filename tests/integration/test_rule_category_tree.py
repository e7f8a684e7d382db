"""The approval rule form offers the company's own part of the catalog tree, in tree order,
each category indented under its parent."""

import re

from portal.extensions import db
from portal.models import ApprovalRule, VisibilityRule
from tests import factories as f
from tests.conftest import login

SELECT = re.compile(r'<select[^>]*name="category"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option[^>]*value="(\d*)"[^>]*>([^<]*)</option>')


def category_options(client) -> list[tuple[str, str]]:
    page = client.get("/company/rules/new", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    return [(value, label) for value, label in OPTION.findall(
        SELECT.search(page.get_data(as_text=True)).group(1)) if value]


def builders_tree(world):
    """Tools > (Screws, Anchors > Chemical); a builder's group sees Tools only."""
    tools = world.categories["tools"]
    tools.position = 2
    paint = f.category("Peinture")
    paint.position = 1
    screws = f.category("Vis", parent=tools)
    anchors = f.category("Chevilles", parent=tools)
    chemical = f.category("Scellement chimique", parent=anchors)
    screws.position, anchors.position = 2, 1
    db.session.add(VisibilityRule(customer_group_id=world.a.company.customer_group_id,
                                  category_id=tools.id))
    db.session.commit()
    return tools, paint, screws, anchors, chemical


def test_the_category_list_is_the_companys_visible_tree_in_order(client, world):
    tools, _paint, screws, anchors, chemical = builders_tree(world)
    login(client, world.a.admin)
    options = category_options(client)
    assert options == [
        (str(tools.id), "Outillage (en)"),
        (str(anchors.id), "– Chevilles (en)"),
        (str(chemical.id), "– – Scellement chimique (en)"),
        (str(screws.id), "– Vis (en)"),
    ]
    food = world.categories["food"]
    assert str(food.id) not in dict(options)


def test_a_category_the_company_cannot_see_is_refused(client, world):
    builders_tree(world)
    login(client, world.a.admin)
    food = world.categories["food"]
    page = client.get("/company/rules/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    data = {"name": "Food", "position": "1", "category": str(food.id), "step1": "approver"}
    if token:
        data["csrf_token"] = token.group(1)
    answer = client.post("/company/rules/new", data=data)
    assert answer.status_code == 422
    assert db.session.query(ApprovalRule).count() == 0
