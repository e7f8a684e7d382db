"""Browsing the catalog: the category tree, category pages, the home card, public access."""

import pytest

from portal.extensions import db
from tests import factories as f
from tests.conftest import htmx_headers, login


def test_catalog_home_lists_top_categories_as_rows_with_a_search_box(client, world):
    page = client.get("/catalog/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'role="search"' in html
    assert "Outillage" in html and "Épicerie" in html
    assert f'href="/catalog/c/{world.categories["tools"].id}"' in html


def test_category_page_lists_its_sub_categories_and_products(client, world):
    sub = f.category("Visserie", parent=world.categories["tools"])
    f.product(sub, "VIS-SUB", name_fr="Vis à bois", price_list=world.base)
    db.session.commit()
    html = client.get(f"/catalog/c/{world.categories['tools'].id}").get_data(as_text=True)
    assert "Visserie" in html
    assert "VIS-440" in html and "CIM-35" in html
    assert "Vis à bois" in html  # products of sub-categories are listed too
    assert "FAR-T55" not in html
    sub_page = client.get(f"/catalog/c/{sub.id}").get_data(as_text=True)
    assert "VIS-SUB" in sub_page and "VIS-440" not in sub_page
    assert "Outillage" in sub_page  # breadcrumb


def test_unknown_category_is_a_404(client, world):
    assert client.get("/catalog/c/999999").status_code == 404


@pytest.mark.parametrize("path", ["/catalog/", "/catalog/search?q=vis", "/catalog/p/1"])
def test_without_public_catalog_anonymous_visitors_are_sent_to_sign_in(app, client, world, path):
    app.config["PUBLIC_CATALOG"] = False
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_without_public_catalog_signed_in_users_browse(app, client, world):
    app.config["PUBLIC_CATALOG"] = False
    login(client, world.a.buyer)
    assert client.get("/catalog/").status_code == 200


def test_buyer_home_shows_the_catalog_card_with_a_search_box(client, world):
    login(client, world.a.buyer)
    html = client.get("/").get_data(as_text=True)
    assert 'id="home-q"' in html
    assert "/catalog/search" in html and 'href="/catalog/"' in html


def test_staff_home_has_no_catalog_card(client, world):
    login(client, world.staff)
    assert 'id="home-q"' not in client.get("/").get_data(as_text=True)


def test_category_page_answers_only_its_results_to_htmx(client, world):
    html = client.get(f"/catalog/c/{world.categories['tools'].id}",
                      headers=htmx_headers("results")).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="results"')
    assert "VIS-440" in html and "<html" not in html
