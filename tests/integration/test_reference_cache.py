"""Reference data (categories, visibility rules, price lists, customer groups) is kept by each
process and read again when the reference stamp changes: a change made by another process,
an import or a hand-written SQL statement shows at the next request, for the right company
only, and a change rolled back is never kept."""

import pytest
from flask import g
from sqlalchemy import create_engine, text

from portal.extensions import db
from portal.models import Category, ReferenceStamp
from portal.models.stamps import REFERENCE_TABLES
from portal.services.catalog import CategoryTree
from tests.conftest import login


@pytest.fixture
def elsewhere(app):
    """A connection of another process: it writes and commits behind this app's back."""
    engine = create_engine(db.engine.url)

    def run(sql: str, **params):
        with engine.begin() as connection:
            connection.execute(text(sql), params)

    yield run
    engine.dispose()


def _stamp() -> int:
    db.session.rollback()  # a fresh snapshot: what another connection committed
    return db.session.get(ReferenceStamp, 1, populate_existing=True).value


def test_a_category_renamed_elsewhere_shows_at_the_next_request(client, world, elsewhere):
    login(client, world.a.buyer)
    page = f"/catalog/p/{world.products['screws'].id}"
    assert "Outillage" in client.get(page).get_data(as_text=True)
    assert "Outillage" in client.get(page).get_data(as_text=True)  # now from memory

    elsewhere("UPDATE categories SET name_fr = 'Quincaillerie' WHERE id = :id",
              id=world.categories["tools"].id)

    html = client.get(page).get_data(as_text=True)
    assert "Quincaillerie" in html and "Outillage" not in html


def test_a_rule_added_elsewhere_hides_the_product_from_that_company_only(client, world,
                                                                        elsewhere):
    screws = f"/catalog/p/{world.products['screws'].id}"
    login(client, world.a.buyer)
    assert client.get(screws).status_code == 200
    other = client.application.test_client()
    login(other, world.b.buyer)
    assert other.get(screws).status_code == 200

    elsewhere("INSERT INTO visibility_rules (company_id, category_id) VALUES (:company, :cat)",
              company=world.a.company.id, cat=world.categories["food"].id)

    assert client.get(screws).status_code == 404
    assert client.get(f"/catalog/p/{world.products['flour'].id}").status_code == 200
    assert other.get(screws).status_code == 200  # company B's assortment is its own


def test_a_group_moved_to_another_list_elsewhere_reprices_at_the_next_request(client, world,
                                                                              elsewhere):
    login(client, world.a.buyer)
    page = f"/catalog/p/{world.products['screws'].id}"
    assert "0,80" in client.get(page).get_data(as_text=True)  # the BTP group's list, PRO

    elsewhere("UPDATE customer_groups SET price_list_id = :chr WHERE code = 'BTP'",
              chr=world.chr.id)

    html = client.get(page).get_data(as_text=True)
    assert "0,95" in html and "0,80" not in html


def test_a_list_out_of_its_dates_elsewhere_stops_pricing(client, world, elsewhere):
    login(client, world.a.buyer)
    page = f"/catalog/p/{world.products['screws'].id}"
    assert "0,80" in client.get(page).get_data(as_text=True)

    elsewhere("UPDATE price_lists SET valid_until = '2000-01-31' WHERE id = :id", id=world.pro.id)

    html = client.get(page).get_data(as_text=True)
    assert "0,80" not in html and "1,00" in html  # the base list prices it again


@pytest.mark.parametrize("table", REFERENCE_TABLES)
def test_every_write_to_reference_data_changes_the_stamp(app, world, elsewhere, table):
    ids = {"categories": world.categories["food"].id, "customer_groups":
           world.a.company.customer_group_id, "price_lists": world.chr.id}
    writes = {
        "categories": (("INSERT INTO categories (slug, name_fr, name_en, position) "
                       "VALUES ('neuve', 'Neuve', 'New', 9)"),
                       "UPDATE categories SET position = 3 WHERE id = :id",
                       "DELETE FROM categories WHERE slug = 'neuve'"),
        "customer_groups": ("INSERT INTO customer_groups (code, name) VALUES ('NEW', 'New')",
                            "UPDATE customer_groups SET name = 'Renamed' WHERE id = :id",
                            "DELETE FROM customer_groups WHERE code = 'NEW'"),
        "price_lists": (("INSERT INTO price_lists (code, name, currency, is_base) "
                        "VALUES ('NEW', 'New', 'EUR', false)"),
                        "UPDATE price_lists SET name = 'Renamed' WHERE id = :id",
                        "DELETE FROM price_lists WHERE code = 'NEW'"),
        "visibility_rules": (("INSERT INTO visibility_rules (company_id, category_id) "
                             "VALUES (:company, :id)"),
                             "UPDATE visibility_rules SET category_id = :id",
                             "DELETE FROM visibility_rules"),
    }[table]
    seen = [_stamp()]
    for sql in writes:
        elsewhere(sql, id=ids.get(table, world.categories["food"].id),
                  company=world.a.company.id)
        seen.append(_stamp())
    assert len(set(seen)) == len(seen), seen  # each write: a value never seen before


def test_a_write_rolled_back_leaves_the_stamp_and_is_never_kept(app, world):
    before = _stamp()
    tools = world.categories["tools"]
    with app.test_request_context("/"):
        db.session.get(Category, tools.id).name_fr = "Brouillon"
        db.session.flush()
        names = [c.name("fr") for c in CategoryTree(world.a.buyer, "fr").top()]
        assert "Brouillon" in names  # this transaction sees its own change...
        db.session.rollback()
    assert _stamp() == before
    with app.test_request_context("/"):
        g.pop("_selling_memo", None)
        names = [c.name("fr") for c in CategoryTree(world.a.buyer, "fr").top()]
    assert "Brouillon" not in names and "Outillage" in names  # ...which no request keeps


def test_a_change_made_in_the_same_request_is_read_back_at_once(app, world):
    """A flush of reference data in a request: the rest of that request reads the new
    rows, not the copy kept before."""
    with app.test_request_context("/"):
        assert [c.name("fr") for c in CategoryTree(world.a.buyer, "fr").top()]
        db.session.get(Category, world.categories["tools"].id).name_fr = "Quincaillerie"
        db.session.flush()
        names = [c.name("fr") for c in CategoryTree(world.a.buyer, "fr").top()]
        db.session.rollback()
    assert "Quincaillerie" in names
