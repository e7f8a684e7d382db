"""Search: exact SKU/GTIN first, words in any case and accent, filters, sort and paging."""

import pytest
from sqlalchemy import text

from portal.extensions import db
from portal.services.catalog import rebuild_search_index
from tests import factories as f
from tests.conftest import htmx_headers, login
from tests.factories import row_ids, shopping_list


def _ids(client, url, **kw):
    return row_ids(client.get(url, **kw).get_data(as_text=True))


def test_an_exact_sku_comes_first_then_products_mentioning_it(client, world):
    cement = world.products["cement"]
    other = f.product(world.categories["tools"], "ZZZ-1", name_fr="Adjuvant pour CIM-35",
                      price_list=world.base)
    db.session.commit()
    html = client.get("/catalog/search?q=cim-35").get_data(as_text=True)
    assert row_ids(html)[:2] == [cement.id, other.id]
    assert "Exact match" in html or "Correspondance exacte" in html


def test_a_scanned_gtin_of_one_product_opens_its_page(client, world):
    cement = world.products["cement"]
    cement.gtin = "3000000000017"
    db.session.commit()
    response = client.get("/catalog/search?q=3000000000017")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/catalog/p/{cement.id}")
    # The live search (htmx) shows it first instead of leaving the page.
    htmx = client.get("/catalog/search?q=3000000000017", headers=htmx_headers("results"))
    assert htmx.status_code == 200 and row_ids(htmx.get_data(as_text=True)) == [cement.id]


def test_words_match_whatever_the_accents_and_case(client, world):
    square = f.product(world.categories["tools"], "EQ-1", name_fr="Équerre de maçon",
                       name_en="Mason's square", price_list=world.base)
    db.session.commit()
    for q in ("equerre", "ÉQUERRE macon", "Equerre MAÇON", "mason square", "equ"):
        assert _ids(client, f"/catalog/search?q={q}") == [square.id], q
    assert _ids(client, "/catalog/search?q=equerre beton") == []


def test_words_match_brand_and_description(client, world):
    p = f.product(world.categories["tools"], "BR-1", brand="Fixénor",
                  description_fr="Tête fraisée, acier zingué", price_list=world.base)
    db.session.commit()
    assert _ids(client, "/catalog/search?q=fixenor") == [p.id]
    assert _ids(client, "/catalog/search?q=acier zingue") == [p.id]


def test_names_show_in_the_users_language(client, world):
    f.product(world.categories["tools"], "LANG-1", name_fr="Marteau", name_en="Hammer",
              price_list=world.base)
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    html = client.get("/catalog/search?q=marteau").get_data(as_text=True)
    assert "Hammer" in html and "Marteau" not in html


def test_a_renamed_product_is_found_by_its_new_name(client, world):
    assert _ids(client, "/catalog/search?q=pelle") == []
    cement = world.products["cement"]
    cement.name_fr = "Pelle ronde"
    db.session.commit()
    assert _ids(client, "/catalog/search?q=pelle") == [cement.id]
    assert _ids(client, "/catalog/search?q=CIM-35") == [cement.id]


def test_products_inserted_in_bulk_are_found_after_a_rebuild(client, world):
    db.session.execute(text(
        "INSERT INTO products (sku, name_fr, name_en, description_fr, description_en, brand, "
        "category_id, uom, case_pack, order_multiple, lead_time_days, discontinued, active, "
        "search_text, updated_at) VALUES ('BULK-1', 'Brouette renforcée', 'Wheelbarrow', '', "
        "'', '', :cat, 'each', 1, 1, 2, false, true, '', CURRENT_TIMESTAMP)"),
        {"cat": world.categories["tools"].id})
    db.session.commit()
    assert rebuild_search_index() >= 1
    db.session.commit()
    assert len(_ids(client, "/catalog/search?q=brouette renforcee")) == 1


def test_filters_narrow_by_category_brand_and_stock(client, world):
    food = world.categories["food"]
    assert _ids(client, f"/catalog/search?category={food.id}") == [world.products["flour"].id]
    branded = f.product(world.categories["tools"], "BR-2", brand="Acme", price_list=world.base)
    db.session.commit()
    assert _ids(client, "/catalog/search?brand=Acme") == [branded.id]
    in_stock = _ids(client, "/catalog/search?in_stock=1")
    assert world.products["gloves"].id not in in_stock  # stock 0
    assert world.products["screws"].id in in_stock


def test_a_category_filter_covers_its_sub_categories(client, world):
    sub = f.category("Visserie", parent=world.categories["tools"])
    p = f.product(sub, "SUB-1", price_list=world.base)
    db.session.commit()
    assert p.id in _ids(client, f"/catalog/search?category={world.categories['tools'].id}")


def test_on_my_lists_keeps_products_of_my_lists_and_of_lists_shared_in_my_company(client, world):
    p = world.products
    shopping_list(world.a.buyer, lines=[(p["gloves"], 12)])
    shopping_list(world.a.admin, shared=True, lines=[(p["flour"], 10)])
    shopping_list(world.a.approver, lines=[(p["cement"], 1)])  # private to someone else
    shopping_list(world.b.buyer, shared=True, lines=[(p["screws"], 1)])  # another company
    login(client, world.a.buyer)
    assert sorted(_ids(client, "/catalog/search?on_list=1")) == sorted([p["gloves"].id,
                                                                       p["flour"].id])


def test_sort_by_sku(client, world):
    ids = _ids(client, "/catalog/search?sort=sku")
    skus = [db.session.get(type(world.products["cement"]), i).sku for i in ids]
    assert skus == sorted(skus)


def _many(world, n, word="lot"):
    for i in range(n):
        f.product(world.categories["tools"], f"LOT-{i:03d}", name_fr=f"{word} {i:03d}",
                  price_list=world.base)
    db.session.commit()


def test_load_more_appends_the_next_rows_and_a_new_button(client, world):
    _many(world, 25)
    first = client.get("/catalog/search?q=lot&sort=sku").get_data(as_text=True)
    assert len(row_ids(first)) == 20
    assert 'href="/catalog/search?q=lot&amp;sort=sku&amp;page=2"' in first
    assert 'hx-swap="outerHTML"' in first
    more = client.get("/catalog/search?q=lot&sort=sku&page=2", headers=htmx_headers("more"))
    html = more.get_data(as_text=True)
    assert html.lstrip().startswith("<li>") and "<html" not in html
    assert len(row_ids(html)) == 5 and 'id="more"' not in html
    # Without JavaScript the same link is a whole page.
    plain = client.get("/catalog/search?q=lot&sort=sku&page=2").get_data(as_text=True)
    assert "<html" in plain and len(row_ids(plain)) == 5


def test_the_live_search_answers_only_the_results(client, world):
    response = client.get("/catalog/search?q=vis", headers=htmx_headers("results"))
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="results"')
    assert row_ids(html) == [world.products["screws"].id]
    assert "HX-Request" in response.headers["Vary"]


def test_no_match_says_so(client, world):
    html = client.get("/catalog/search?q=introuvable").get_data(as_text=True)
    assert "introuvable" in html and row_ids(html) == []


def test_inactive_products_are_never_found(client, world):
    world.products["cement"].active = False
    db.session.commit()
    assert _ids(client, "/catalog/search?q=CIM-35") == []
    assert client.get(f"/catalog/p/{world.products['cement'].id}").status_code == 404


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # PostgreSQL has no FTS table
def test_a_full_text_table_made_before_its_prefix_indexes_is_made_again_by_a_search(
        client, world):
    """SQLite: a table made by an earlier version (no prefix indexes) is replaced and filled by
    the first search, which finds the same products; the next search leaves it alone."""
    login(client, world.a.buyer)
    before = _ids(client, "/catalog/search?q=vis 4")
    db.session.execute(text("DROP TABLE product_fts"))
    db.session.execute(text("CREATE VIRTUAL TABLE product_fts USING fts5(search_text, "
                            "tokenize = 'unicode61 remove_diacritics 2')"))
    db.session.commit()
    assert before and _ids(client, "/catalog/search?q=vis 4") == before
    definition = db.session.execute(text(
        "SELECT sql FROM sqlite_master WHERE name = 'product_fts'")).scalar()
    assert "prefix = '1 2 3'" in definition
    db.session.commit()
    assert _ids(client, "/catalog/search?q=vis 4") == before
