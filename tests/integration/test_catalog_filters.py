"""Filtering a category's listing by its attributes: values of one attribute widen (OR),
attributes narrow (AND), what a customer may not see stays unseen, bad URLs never fail."""

import re
from urllib.parse import quote

import pytest

from portal.extensions import db
from portal.models import Attribute, ProductAttribute, VisibilityRule
from tests import factories as f
from tests.conftest import counting, htmx_headers, login
from tests.factories import row_ids

EN = {"Accept-Language": "en"}
# sku: (fire rating, edge French, edge English); None: no value
BOARDS = {
    "PLQ-STD": ("EI 30", "Bords amincis", "Tapered edges"),
    "PLQ-ACO": ("EI 60", "Bords amincis", "Tapered edges"),
    "PLQ-FEU": ("EI 90", "Bords droits", "Square edges"),
    "PLQ-DUR": ("EI 60", "Bords droits", "Square edges"),
    "PLQ-NUE": None,
}


def _fold(text: str) -> str:
    return text.lower().replace("è", "e")


@pytest.fixture
def boards(world):
    """A plasterboard category with two filterable attributes (fire rating, edge), one that
    is not a filter (colour), and a food attribute that belongs to another category."""
    category = f.category("Plaques de plâtre", parent=world.categories["tools"])
    fire = Attribute(category_id=category.id, code="fire", name_fr="Résistance au feu",
                     name_en="Fire resistance", filterable=True, position=1)
    edge = Attribute(category_id=category.id, code="edge", name_fr="Bords",
                     name_en="Edges", filterable=True, position=2)
    colour = Attribute(category_id=category.id, code="colour", name_fr="Couleur",
                       name_en="Colour", filterable=False, position=3)
    allergens = Attribute(category_id=world.categories["food"].id, code="allergens",
                          name_fr="Allergènes", name_en="Allergens", filterable=True)
    db.session.add_all([fire, edge, colour, allergens])
    db.session.flush()
    products = {}
    for sku, values in BOARDS.items():
        product = f.product(category, sku, name_fr=f"Plaque {sku}", name_en=f"Board {sku}",
                            price_list=world.base, tiers={1: 690}, warehouse=world.warehouse)
        products[sku] = product
        db.session.add(ProductAttribute(product_id=product.id, attribute_id=colour.id,
                                        value_fr="Blanc", value_en="White", value_key="blanc"))
        if values:
            rating, edge_fr, edge_en = values
            db.session.add_all([
                ProductAttribute(product_id=product.id, attribute_id=fire.id, value_fr=rating,
                                 value_en=rating, value_key=_fold(rating)),
                ProductAttribute(product_id=product.id, attribute_id=edge.id, value_fr=edge_fr,
                                 value_en=edge_en, value_key=_fold(edge_fr))])
    flour = world.products["flour"]
    db.session.add(ProductAttribute(product_id=flour.id, attribute_id=allergens.id,
                                    value_fr="Gluten", value_en="Gluten", value_key="gluten"))
    db.session.commit()
    world.boards, world.board_category = products, category
    return world


def _url(world, *pairs, **extra) -> str:
    args = [f"f.{code}={quote(key)}" for code, key in pairs]
    args += [f"{k}={quote(str(v))}" for k, v in extra.items()]
    base = f"/catalog/c/{world.board_category.id}"
    return base + ("?" + "&".join(args) if args else "")


def _shown(world, html: str) -> set[str]:
    by_id = {p.id: sku for sku, p in world.boards.items()}
    return {by_id[i] for i in row_ids(html)}


def _counts(html: str, code: str) -> dict[str, int]:
    """The values offered for one attribute and their counts, as the panel shows them."""
    found = re.findall(r'name="f\.' + code + r'"\s+value="[^"]*"(?: checked)?>'
                       r'\s*<span>([^<]+)</span>\s*<span class="facet-count">\((\d+)\)</span>',
                       html)
    return {label: int(count) for label, count in found}


@pytest.fixture
def buyer(client, boards):
    login(client, boards.a.buyer)
    return client


def test_the_panel_offers_each_filterable_attribute_with_the_values_present(buyer, boards):
    html = buyer.get(_url(boards)).get_data(as_text=True)
    assert "Résistance au feu" in html and "Bords" in html
    assert _counts(html, "fire") == {"EI 30": 1, "EI 60": 2, "EI 90": 1}
    assert _counts(html, "edge") == {"Bords amincis": 2, "Bords droits": 2}
    assert "Couleur" not in html and "Allergènes" not in html  # not a filter; another category
    assert _shown(boards, html) == set(BOARDS)


def test_two_values_of_one_attribute_show_products_with_either(buyer, boards):
    html = buyer.get(_url(boards, ("fire", "ei 30"), ("fire", "ei 90"))).get_data(as_text=True)
    assert _shown(boards, html) == {"PLQ-STD", "PLQ-FEU"}
    # Both ticked, each still counted as if alone: ticking a value of the same attribute adds.
    assert _counts(html, "fire") == {"EI 30": 1, "EI 60": 2, "EI 90": 1}
    assert html.count('class="chip"') == 2


def test_two_attributes_show_products_with_both(buyer, boards):
    html = buyer.get(_url(boards, ("fire", "ei 60"), ("edge", "bords droits"))
                     ).get_data(as_text=True)
    assert _shown(boards, html) == {"PLQ-DUR"}
    # Each attribute's counts follow the other attribute's filter.
    assert _counts(html, "fire") == {"EI 30": 0, "EI 60": 1, "EI 90": 1}
    assert _counts(html, "edge") == {"Bords amincis": 1, "Bords droits": 1}


def test_each_chip_removes_its_value_and_clear_all_removes_every_filter(buyer, boards):
    html = buyer.get(_url(boards, ("fire", "ei 30"), ("fire", "ei 90"), ("edge", "bords droits"),
                          sort="sku")).get_data(as_text=True)
    assert _shown(boards, html) == {"PLQ-FEU"}
    chips = dict(re.findall(r'<a class="chip" href="([^"]+)"[^>]*aria-label="([^"]+)"', html))
    by_label = {label: href.replace("&amp;", "&") for href, label in chips.items()}
    off_fire_90 = by_label["Retirer le filtre Résistance au feu\u202f: EI 90"]
    assert "f.fire=ei+30" in off_fire_90 and "ei+90" not in off_fire_90
    assert "sort=sku" in off_fire_90  # the order chosen stays
    after = buyer.get(off_fire_90).get_data(as_text=True)
    assert _shown(boards, after) == set()
    assert "Aucun produit ne correspond à ces filtres." in after
    clear = re.search(r'<a class="chip-clear" href="([^"]+)"', after).group(1)
    assert clear.replace("&amp;", "&") == f"/catalog/c/{boards.board_category.id}?sort=sku"
    assert _shown(boards, buyer.get(clear.replace("&amp;", "&")).get_data(as_text=True)) == set(
        BOARDS)


def test_a_filtered_listing_keeps_paging_sorting_and_the_buyers_prices(app, buyer, boards):
    app.config["CATALOG_PAGE_SIZE"] = 2
    url = _url(boards, ("fire", "ei 60"), ("fire", "ei 90"), sort="sku")
    html = buyer.get(url).get_data(as_text=True)
    assert row_ids(html) == [boards.boards[s].id for s in ("PLQ-ACO", "PLQ-DUR")]
    assert "6,90" in html  # the buyer's price on each row
    more = re.search(r'<li class="more" id="more">\s*<a class="btn block" href="([^"]+)"', html)
    next_page = more.group(1).replace("&amp;", "&")
    assert "page=2" in next_page and "sort=sku" in next_page and "f.fire=ei+60" in next_page
    rest = buyer.get(next_page, headers=htmx_headers("more")).get_data(as_text=True)
    assert row_ids(rest) == [boards.boards["PLQ-FEU"].id]


def test_products_and_values_the_customer_may_not_see_stay_unseen(buyer, boards):
    for sku in ("PLQ-STD", "PLQ-ACO"):
        db.session.add(VisibilityRule(company_id=boards.a.company.id,
                                      product_id=boards.boards[sku].id))
    db.session.commit()
    html = buyer.get(_url(boards)).get_data(as_text=True)
    assert _counts(html, "fire") == {"EI 30": 1, "EI 60": 1}
    assert "EI 90" not in html and "Bords droits" not in html
    hidden = buyer.get(_url(boards, ("fire", "ei 90"))).get_data(as_text=True)
    assert _shown(boards, hidden) == set() and "EI 90" not in hidden
    assert "Aucun produit ne correspond à ces filtres." in hidden
    both = buyer.get(_url(boards, ("fire", "ei 60"), ("fire", "ei 90"))).get_data(as_text=True)
    assert _shown(boards, both) == {"PLQ-ACO"}


def test_values_are_shown_in_english_to_an_english_reader(buyer, boards):
    html = buyer.get(_url(boards, ("edge", "bords amincis")), headers=EN).get_data(as_text=True)
    assert "Fire resistance" in html and "Filters (1 active)" in html
    assert _counts(html, "edge") == {"Square edges": 2, "Tapered edges": 2}
    assert 'aria-label="Remove the filter Edges: Tapered edges"' in html
    assert _shown(boards, html) == {"PLQ-STD", "PLQ-ACO"}


@pytest.mark.parametrize("query", [
    "f.nope=x",                       # no such attribute
    "f.allergens=gluten",             # another category's attribute
    "f.colour=blanc",                 # an attribute that is not a filter
    "f.=x&f.fire=&f.%00=%01",         # empty and control characters
    "f." + "x" * 500 + "=" + "y" * 5000,
    "&".join(f"f.a{i}=v{i}" for i in range(50)),
])
def test_an_unknown_filter_is_ignored(buyer, boards, query):
    url = f"/catalog/c/{boards.board_category.id}?{query}"
    for headers in ({}, htmx_headers("listing")):
        response = buyer.get(url, headers=headers)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert _shown(boards, html) == set(BOARDS) and 'class="chip"' not in html


@pytest.mark.parametrize("value", ["ei 240", "EI 60", "x" * 300, "ei 60; drop table"])
def test_an_unknown_value_says_no_product_matches_with_a_way_back(buyer, boards, value):
    response = buyer.get(_url(boards, ("fire", value)))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _shown(boards, html) == set()
    assert "Aucun produit ne correspond à ces filtres." in html
    assert f'class="chip-clear" href="/catalog/c/{boards.board_category.id}"' in html


def test_many_values_never_fail(buyer, boards):
    query = "&".join(f"f.fire=ei+{i}" for i in range(200)) + "&f.fire=ei+60"
    response = buyer.get(f"/catalog/c/{boards.board_category.id}?{query}")
    assert response.status_code == 200


def test_htmx_answers_the_listing_with_the_panel_open_after_a_tick(buyer, boards):
    headers = {**htmx_headers("listing"), "HX-Trigger": "filters"}
    html = buyer.get(_url(boards, ("fire", "ei 60")), headers=headers).get_data(as_text=True)
    assert html.lstrip().startswith('<div id="listing">') and "<html" not in html
    assert re.search(r"<details class=\"filters\"[^>]* open>", html)
    assert _shown(boards, html) == {"PLQ-ACO", "PLQ-DUR"}
    closed = buyer.get(_url(boards, ("fire", "ei 60")),
                       headers=htmx_headers("listing")).get_data(as_text=True)
    assert re.search(r"<details class=\"filters\"[^>]*>", closed) and " open>" not in closed


def test_search_accepts_the_same_filters_in_a_category(buyer, boards):
    cid = boards.board_category.id
    html = buyer.get(f"/catalog/search?q=plaque&category={cid}&f.fire=ei+90"
                     ).get_data(as_text=True)
    assert _shown(boards, html) == {"PLQ-FEU"}


def test_a_category_without_attributes_shows_no_filters(buyer, boards):
    html = buyer.get(f"/catalog/c/{boards.categories['food'].id}").get_data(as_text=True)
    assert 'id="filters"' in html  # allergens are a filter of the food category
    html = buyer.get(f"/catalog/c/{boards.categories['tools'].id}").get_data(as_text=True)
    assert 'id="filters"' not in html


def test_a_filtered_listing_costs_the_statements_of_an_unfiltered_one(app, buyer, boards):
    buyer.get(_url(boards))  # warm up
    with counting() as plain:
        assert buyer.get(_url(boards)).status_code == 200
    with counting() as filtered:
        response = buyer.get(_url(boards, ("fire", "ei 60"), ("fire", "ei 30"),
                                  ("edge", "bords amincis"), ("nope", "x")))
    assert response.status_code == 200
    assert _shown(boards, response.get_data(as_text=True)) == {"PLQ-STD", "PLQ-ACO"}
    assert len(filtered) == len(plain)
    facet_reads = [s for s in filtered if "product_attributes" in s]
    assert len(facet_reads) == 2  # the values with their counts; the products' EXISTS


def test_search_shows_the_filters_in_force_and_keeps_them_for_the_next_search(buyer, boards):
    cid = boards.board_category.id
    html = buyer.get(f"/catalog/search?q=plaque&category={cid}&f.fire=ei+90&f.nope=x"
                     ).get_data(as_text=True)
    assert '<input type="hidden" name="f.fire" value="ei 90">' in html
    assert 'name="f.nope"' not in html
    chip = re.search(r'<a class="chip" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert chip == f"/catalog/search?q=plaque&category={cid}"
    everywhere = buyer.get("/catalog/search?q=plaque&f.fire=ei+90").get_data(as_text=True)
    assert _shown(boards, everywhere) == set(BOARDS) and 'name="f.fire"' not in everywhere
