"""Staff manage a category's attributes: listed with how many products carry a value,
renamed per language, reordered, deleted after a confirmation that says how many values go;
every change audited, bad names refused at their field, buyers kept out."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Attribute, AuditEntry, ProductAttribute
from tests.conftest import login

EN = {"Accept-Language": "en"}
BASE = "/staff/catalog"


@pytest.fixture
def tools(world):
    """Fire resistance (two products carry it) and colour (none) on the tools category."""
    category = world.categories["tools"]
    fire = Attribute(category_id=category.id, code="fire", name_fr="Résistance au feu",
                     name_en="Fire resistance", filterable=True, position=1)
    colour = Attribute(category_id=category.id, code="colour", name_fr="Couleur",
                       name_en="Colour", filterable=False, position=2)
    db.session.add_all([fire, colour])
    db.session.flush()
    for key in ("cement", "screws"):
        db.session.add(ProductAttribute(product_id=world.products[key].id, attribute_id=fire.id,
                                        value_fr="EI 30", value_en="EI 30", value_key="ei 30"))
    db.session.commit()
    return category, fire, colour


def test_staff_see_a_category_s_attributes_with_their_counts(client, world, tools):
    category, fire, colour = tools
    login(client, world.staff)
    index = client.get(f"{BASE}/attributes", headers=EN).get_data(as_text=True)
    assert f"{BASE}/categories/{category.id}/attributes" in index and "2 attributes" in index
    page = client.get(f"{BASE}/categories/{category.id}/attributes", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 products have a value" in text and "0 products have a value" in text
    assert text.index("Fire resistance") < text.index("Colour")
    assert 'aria-label="Move Fire resistance down"' in text


def test_an_attribute_is_renamed_per_language_and_reordered(client, world, tools):
    category, fire, colour = tools
    login(client, world.staff)
    answer = client.post(f"{BASE}/attributes/{colour.id}", headers=EN,
                         data={"name_fr": "Teinte", "name_en": "Shade", "filterable": "1"})
    assert answer.status_code == 303
    assert client.post(f"{BASE}/attributes/{colour.id}/up").status_code == 303
    db.session.expire_all()
    assert (colour.name_fr, colour.name_en, colour.filterable) == ("Teinte", "Shade", True)
    assert (colour.position, fire.position) == (1, 2)
    page = client.get(f"{BASE}/categories/{category.id}/attributes",
                      headers=EN).get_data(as_text=True)
    assert page.index("Shade") < page.index("Fire resistance")
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["attribute.update", "attribute.move"]


def test_an_empty_name_is_refused_at_its_field_and_nothing_changes(client, world, tools):
    _category, fire, _colour = tools
    login(client, world.staff)
    answer = client.post(f"{BASE}/attributes/{fire.id}", headers=EN,
                         data={"name_fr": "  ", "name_en": "x" * 200})
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "required" in text and "too long (at most 120 characters)" in text
    db.session.expire_all()
    assert fire.name_en == "Fire resistance"


def test_deleting_says_how_many_values_go_then_removes_them(client, world, tools):
    category, fire, _colour = tools
    login(client, world.staff)
    confirm = client.get(f"{BASE}/attributes/{fire.id}/delete", headers=EN)
    assert "2 products have a value of it" in confirm.get_data(as_text=True)
    assert db.session.get(Attribute, fire.id) is not None  # a GET changes nothing
    done = client.post(f"{BASE}/attributes/{fire.id}/delete", headers=EN)
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"/categories/{category.id}/attributes")
    db.session.expire_all()
    assert db.session.get(Attribute, fire.id) is None
    assert not db.session.scalars(select(ProductAttribute)).all()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "attribute.delete"))
    assert entry.detail["values_removed"] == 2 and entry.detail["code"] == "fire"
    page = client.get(f"{BASE}/categories/{category.id}/attributes", headers=EN)
    assert "deleted (2 product values removed)" in page.get_data(as_text=True)


def test_buyers_may_not_manage_attributes_and_unknown_ones_are_404(client, app, world, tools):
    _category, fire, _colour = tools
    login(client, world.a.buyer)
    assert client.post(f"{BASE}/attributes/{fire.id}/delete").status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Attribute, fire.id) is not None
    staff = app.test_client()
    login(staff, world.staff)
    assert staff.post(f"{BASE}/attributes/999999/delete").status_code == 404
    assert staff.get(f"{BASE}/categories/999999/attributes").status_code == 404
