"""A product a company may not see answers exactly like a missing one, on every path."""

import pytest

from portal.extensions import db
from tests.conftest import htmx_headers, login
from tests.factories import main_of, restrict_to_category, row_ids

MISSING = 999_999


@pytest.fixture
def restricted(world):
    """Company A sees only the food category: the tools (screws, cement...) are hidden."""
    world.products["screws"].gtin = "3000000000017"
    db.session.commit()
    restrict_to_category(world.a.company, world.categories["food"])
    return world


def _same_404(client, hidden_path, missing_path, method="get", **kw):
    hidden = getattr(client, method)(hidden_path, **kw)
    missing = getattr(client, method)(missing_path, **kw)
    assert hidden.status_code == missing.status_code == 404, hidden_path
    assert main_of(hidden).replace(hidden_path, "X") == main_of(missing).replace(missing_path, "X")


@pytest.mark.parametrize("htmx", [False, True])
def test_hidden_product_pages_look_missing(client, restricted, htmx):
    login(client, restricted.a.buyer)
    hidden = restricted.products["screws"].id
    headers = htmx_headers() if htmx else {}
    _same_404(client, f"/catalog/p/{hidden}", f"/catalog/p/{MISSING}", headers=headers)
    _same_404(client, "/catalog/sku/VIS-440", "/catalog/sku/NOPE-1", headers=headers)
    for path in ("cart", "qty", "list"):
        _same_404(client, f"/catalog/p/{hidden}/{path}", f"/catalog/p/{MISSING}/{path}",
                  method="post", data={"qty": "10", "view": "row"}, headers=headers)


def test_hidden_barcodes_look_unknown(client, restricted):
    login(client, restricted.a.buyer)
    hidden = client.get("/catalog/gtin/3000000000017")
    missing = client.get("/catalog/gtin/3000000000024")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.data == missing.data


def test_search_never_shows_hidden_products(client, restricted):
    login(client, restricted.a.buyer)
    p = restricted.products
    assert row_ids(client.get("/catalog/search?q=").get_data(as_text=True)) == [p["flour"].id]
    for q in ("VIS-440", "3000000000017", "vis"):
        response = client.get(f"/catalog/search?q={q}")
        assert response.status_code == 200 and row_ids(response.get_data(as_text=True)) == []


def test_hidden_categories_look_missing_and_leave_the_tree(client, restricted):
    login(client, restricted.a.buyer)
    tools = restricted.categories["tools"].id
    _same_404(client, f"/catalog/c/{tools}", f"/catalog/c/{MISSING}")
    _same_404(client, f"/catalog/search?category={tools}", f"/catalog/search?category={MISSING}")
    html = client.get("/catalog/").get_data(as_text=True)
    assert "Épicerie" in html and "Outillage" not in html


def test_company_b_still_sees_everything(client, restricted):
    login(client, restricted.b.buyer)
    assert client.get(f"/catalog/p/{restricted.products['screws'].id}").status_code == 200
    assert len(row_ids(client.get("/catalog/search?q=").get_data(as_text=True))) == 4


def test_a_group_rule_hides_products_from_every_company_of_the_group(client, world):
    from portal.models import VisibilityRule

    db.session.add(VisibilityRule(customer_group_id=world.b.company.customer_group_id,
                                  product_id=world.products["flour"].id))
    db.session.commit()
    login(client, world.b.buyer)
    assert row_ids(client.get("/catalog/search?q=").get_data(as_text=True)) == [
        world.products["flour"].id]
    assert client.get(f"/catalog/p/{world.products['cement'].id}").status_code == 404
