"""A product's characteristics in the back office: staff set the value of each attribute of the
product's category (and of the categories above it) in one form, and add an attribute to the
category; bad input is refused at its field with nothing changed; every change is audited."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Attribute, AuditEntry, ProductAttribute
from tests import factories as f
from tests.conftest import login

EN = {"Accept-Language": "en"}


@pytest.fixture
def staff_client(client, world):
    login(client, world.staff)
    return client


def _attribute(category, code="fire", filterable=True, position=1):
    made = Attribute(category_id=category.id, code=code, name_fr=f"Nom {code}",
                     name_en=f"Name {code}", filterable=filterable, position=position)
    db.session.add(made)
    db.session.commit()
    return made


def _values(product_id):
    db.session.expire_all()
    return {(row.attribute.code, row.value_fr, row.value_en, row.value_key)
            for row in db.session.scalars(select(ProductAttribute).where(
                ProductAttribute.product_id == product_id))}


def _audits(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_staff_set_change_and_remove_values_in_one_post_audited(staff_client, world):
    cement = world.products["cement"]
    fire = _attribute(world.categories["tools"])
    origin = _attribute(world.categories["tools"], "origin", position=2)
    page = staff_client.get(f"/staff/catalog/products/{cement.id}/media", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="attributes"' in text and "Name fire" in text and f'name="fr-{fire.id}"' in text
    assert "Add an attribute to Outillage (en)" in text
    assert text.index("</main>") > text.index('id="attributes"') > text.index("<main")

    url = f"/staff/catalog/products/{cement.id}/attributes"
    answer = staff_client.post(url, data={f"fr-{fire.id}": " Résistance  ÉLEVÉE ",
                                          f"en-{fire.id}": "High", f"fr-{origin.id}": "France",
                                          f"en-{origin.id}": ""})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("#attributes")
    assert _values(cement.id) == {("fire", "Résistance ÉLEVÉE", "High", "resistance elevee"),
                                  ("origin", "France", "", "france")}
    answer = staff_client.post(url, data={f"fr-{fire.id}": "", f"en-{fire.id}": "",
                                          f"fr-{origin.id}": "Italie", f"en-{origin.id}": "Italy"})
    assert answer.status_code == 303
    assert _values(cement.id) == {("origin", "Italie", "Italy", "italie")}
    audits = _audits("product.attributes_update")
    assert len(audits) == 2 and audits[1].object_id == cement.id
    assert audits[1].detail["changed"]["fire"] == [["Résistance ÉLEVÉE", "High"], ["", ""]]
    assert staff_client.post(url, data={f"fr-{origin.id}": "Italie",
                                        f"en-{origin.id}": "Italy"}).status_code == 303
    assert len(_audits("product.attributes_update")) == 2  # nothing changed, nothing audited


def test_a_parent_category_s_attribute_is_offered_to_its_sub_category_s_product(staff_client,
                                                                                 world):
    parent = world.categories["tools"]
    child = f.category("Perceuses", parent=parent)
    drill = f.product(child, "PER-1")
    db.session.commit()
    on_parent = _attribute(parent, "voltage")
    on_child = _attribute(child, "chuck")
    text = staff_client.get(f"/staff/catalog/products/{drill.id}/media").get_data(as_text=True)
    assert f'name="fr-{on_parent.id}"' in text and f'name="fr-{on_child.id}"' in text
    assert text.index(f'name="fr-{on_child.id}"') < text.index(f'name="fr-{on_parent.id}"')


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"fr": "x" * 201, "en": ""}, "fr", "at most 200 characters"),
    ({"fr": "EI 60", "en": "y" * 201}, "en", "at most 200 characters"),
    ({"fr": "", "en": "High"}, "en", "give the French value too"),
])
def test_a_bad_value_is_refused_at_its_field_and_nothing_changes(staff_client, world, fields,
                                                                  field, message):
    cement = world.products["cement"]
    fire = _attribute(world.categories["tools"])
    origin = _attribute(world.categories["tools"], "origin", position=2)
    answer = staff_client.post(f"/staff/catalog/products/{cement.id}/attributes", headers=EN,
                               data={f"fr-{fire.id}": fields["fr"], f"en-{fire.id}": fields["en"],
                                     f"fr-{origin.id}": "France", f"en-{origin.id}": "France"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert f'id="f-{field}-{fire.id}-error"' in text and message in text
    assert 'value="France"' in text  # what was typed stays
    assert _values(cement.id) == set() and _audits("product.attributes_update") == []


def test_staff_add_an_attribute_to_the_product_s_category_audited(staff_client, world):
    cement, tools = world.products["cement"], world.categories["tools"]
    _attribute(tools, "fire", position=3)
    answer = staff_client.post(f"/staff/catalog/products/{cement.id}/attributes/new",
                               data={"code": "fire_rating-2", "name_fr": "Classement feu",
                                     "name_en": "Fire rating"})
    assert answer.status_code == 303
    made = db.session.scalar(select(Attribute).where(Attribute.code == "fire_rating-2"))
    assert (made.category_id, made.name_en, made.filterable, made.position) == (
        tools.id, "Fire rating", False, 4)
    (audit,) = _audits("attribute.create")
    assert audit.object_id == made.id and audit.detail["code"] == "fire_rating-2"
    staff_client.post(f"/staff/catalog/products/{cement.id}/attributes/new",
                      data={"code": "origin", "name_fr": "Origine", "name_en": "Origin",
                            "filterable": "1"})
    assert db.session.scalar(select(Attribute).where(Attribute.code == "origin")).filterable
    text = staff_client.get(f"/staff/catalog/products/{cement.id}/media").get_data(as_text=True)
    assert "Classement feu" in text and f'name="fr-{made.id}"' in text


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"code": "Fire"}, "code", "lowercase letters, digits"),
    ({"code": "fire rating"}, "code", "lowercase letters, digits"),
    ({"code": "x" * 41}, "code", "at most 40"),
    ({"code": ""}, "code", "required"),
    ({"code": "fire"}, "code", "already has an attribute with this code"),
    ({"name_fr": ""}, "name_fr", "required"),
    ({"name_en": "n" * 121}, "name_en", "at most 120 characters"),
])
def test_a_bad_new_attribute_is_refused_at_its_field_and_nothing_is_made(staff_client, world,
                                                                         fields, field, message):
    cement = world.products["cement"]
    _attribute(world.categories["tools"], "fire")
    data = {"code": "new-one", "name_fr": "Nom", "name_en": "Name", **fields}
    answer = staff_client.post(f"/staff/catalog/products/{cement.id}/attributes/new", data=data,
                               headers=EN)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert f'id="f-new-{field}-error"' in text and message in text
    assert db.session.scalar(select(func.count(Attribute.id))) == 1
    assert _audits("attribute.create") == []


def test_the_same_code_may_be_added_to_another_category(staff_client, world):
    _attribute(world.categories["food"], "origin")
    cement = world.products["cement"]
    answer = staff_client.post(f"/staff/catalog/products/{cement.id}/attributes/new",
                               data={"code": "origin", "name_fr": "Origine", "name_en": "Origin"})
    assert answer.status_code == 303
    assert db.session.scalar(select(func.count(Attribute.id))) == 2


@pytest.mark.parametrize("who", ["rep", "fulfilment", "buyer", "admin"])
def test_other_roles_may_neither_see_nor_change_characteristics(client, world, who):
    user = getattr(world, who, None) or getattr(world.a, who)
    login(client, user)
    cement = world.products["cement"]
    fire = _attribute(world.categories["tools"])
    base = f"/staff/catalog/products/{cement.id}"
    assert client.get(f"{base}/media").status_code in (403, 404)
    assert client.post(f"{base}/attributes", data={f"fr-{fire.id}": "EI 60"}).status_code in (
        403, 404)
    assert client.post(f"{base}/attributes/new", data={
        "code": "x", "name_fr": "X", "name_en": "X"}).status_code in (403, 404)
    assert _values(cement.id) == set()
    assert db.session.scalar(select(func.count(Attribute.id))) == 1


def test_an_unknown_product_is_a_404(staff_client, world):
    assert staff_client.post("/staff/catalog/products/999999/attributes",
                             data={}).status_code == 404
    assert staff_client.post("/staff/catalog/products/999999/attributes/new",
                             data={"code": "x", "name_fr": "X", "name_en": "X"}).status_code == 404
