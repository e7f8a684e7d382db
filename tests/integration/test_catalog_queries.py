"""A page of results costs the same number of SQL statements whatever its length."""

import pytest
from sqlalchemy import event

from portal.extensions import db
from tests import factories as f
from tests.conftest import login
from tests.factories import row_ids


def _products(world, n):
    wh2 = f.warehouse("PAR")
    for i in range(n):
        f.product(world.categories["tools"], f"BULK-{i:03d}", name_fr=f"Boulon {i:03d}",
                  price_list=world.base, tiers={1: 100, 10: 90}, case_pack=10,
                  warehouse=world.warehouse if i % 2 else wh2, stock=i)
    db.session.commit()


def _count_statements(client, url):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen), len(row_ids(response.get_data(as_text=True)))


@pytest.mark.parametrize("who", ["buyer", "anonymous"])
def test_a_search_page_of_40_rows_costs_no_more_queries_than_one_of_20(app, client, world, who):
    app.config["CATALOG_PAGE_SIZE"] = 50
    _products(world, 40)
    if who == "buyer":
        login(client, world.a.buyer)
    client.get("/catalog/search?q=boulon")  # warm up: the search index, the session
    few, shown_few = _count_statements(client, "/catalog/search?q=boulon&category="
                                       f"{world.categories['tools'].id}&sort=sku&in_stock=1"
                                       "&page=1")
    # Page 1 of 20 rows vs all 40 rows: the same filters, a smaller page size.
    app.config["CATALOG_PAGE_SIZE"] = 20
    twenty, shown_twenty = _count_statements(client, "/catalog/search?q=boulon&sort=sku")
    app.config["CATALOG_PAGE_SIZE"] = 50
    forty, shown_forty = _count_statements(client, "/catalog/search?q=boulon&sort=sku")
    assert (shown_twenty, shown_forty) == (20, 40)
    assert forty == twenty
    assert shown_few == 39 and few <= forty + 2  # stock filter: one more subquery at most


def test_a_category_page_is_bounded_too(app, client, world):
    _products(world, 40)
    login(client, world.a.buyer)
    tools = world.categories["tools"].id
    app.config["CATALOG_PAGE_SIZE"] = 20
    client.get(f"/catalog/c/{tools}")
    twenty, _ = _count_statements(client, f"/catalog/c/{tools}")
    app.config["CATALOG_PAGE_SIZE"] = 50
    forty, shown = _count_statements(client, f"/catalog/c/{tools}")
    assert shown == 43 and forty == twenty
