"""A contractor on a phone narrows the plasterboard category by fire rating, sees only the
boards with it, shares the URL, goes back, and removes the filter; without JavaScript too."""

import re

from playwright.sync_api import expect

from e2e.conftest import PHONE, sign_in
from e2e.ordering_helpers import demo_db
from e2e.test_accessibility import AXE, BLOCKING, OPTIONS
from e2e.test_ergonomics import TARGETS_JS, duplicate_names, target_problems

__all__ = ["demo_db"]  # the fixture, imported for pytest

CONTRACTOR = "buyer@demo.test"
CATEGORY = "Blocs, briques et cloisons"
RATING = "EI 60"


def _boards_rated(db, rating: str) -> set[str]:
    rows = db.execute(
        "SELECT p.name_fr FROM products p JOIN product_attributes pa ON pa.product_id = p.id "
        "JOIN attributes a ON a.id = pa.attribute_id WHERE a.code = 'fire' AND p.active "
        "AND pa.value_fr = ?", (rating,)).fetchall()
    return {row[0] for row in rows}


def _category_id(db) -> int:
    return db.execute("SELECT id FROM categories WHERE slug = 'blocs-cloisons'").fetchone()[0]


def _names(page) -> set[str]:
    results = page.get_by_role("region", name="Produits")
    expect(results.get_by_role("article").first).to_be_visible()
    return set(results.get_by_role("heading", level=2).all_inner_texts())


def _panel(page):
    return page.get_by_role("group", name=re.compile(r"^Filtres( \(\d+ actifs?\))?$"))


def _fits_a_gloved_thumb(page):
    """The open panel with a filter in force: big targets, one name per control, no
    serious axe violation, nothing wider than the phone."""
    assert target_problems(page.evaluate(TARGETS_JS)) == []
    assert duplicate_names(page) == []
    violations = AXE.run(page, options=OPTIONS).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in BLOCKING] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]


def test_contractor_filters_plasterboards_by_fire_rating_and_removes_the_filter(
        page, live_server, shot, demo_db):
    rated = _boards_rated(demo_db, RATING)
    others = _boards_rated(demo_db, "EI 30")
    assert len(rated) >= 2 and others, "the demo needs several fire ratings"
    sign_in(page, live_server, CONTRACTOR)
    page.goto(live_server + "/catalog/")
    page.get_by_role("link", name="Gros œuvre").click()
    page.get_by_role("link", name=CATEGORY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CATEGORY)
    assert not _names(page) <= rated  # blocks, bricks, studs... before filtering
    shot("catalog-filters-closed")

    _panel(page).locator("summary").click()
    fire = page.get_by_role("group", name="Résistance au feu")
    expect(fire.get_by_role("checkbox")).to_have_count(3)
    shot("catalog-filters-open")
    fire.get_by_role("checkbox", name=re.compile(rf"^{RATING} \(\d+\)$")).check()
    expect(page).to_have_url(re.compile(r"f\.fire=ei(\+|%20)60"))
    expect(page.get_by_role("region", name="Produits").get_by_role("heading", level=2)
           ).to_have_count(len(rated))
    assert _names(page) == rated
    expect(_panel(page)).to_have_attribute("open", "")  # still open to tick another
    shot("catalog-filters-ticked")
    _fits_a_gloved_thumb(page)
    page.get_by_role("button", name="Voir les produits").click()
    expect(_panel(page)).not_to_have_attribute("open", "")  # closed: the rows come up
    expect(page.get_by_role("region", name="Produits").get_by_role("article").first
           ).to_be_in_viewport()
    assert _names(page) == rated
    shot("catalog-filters-applied")

    chips = page.get_by_role("group", name="Filtres appliqués")
    expect(chips.get_by_role("link", name=f"Retirer le filtre Résistance au feu\u202f: {RATING}")
           ).to_be_visible()
    filtered_url = page.url
    chips.get_by_role("link", name=re.compile("^Retirer le filtre")).click()
    expect(page).not_to_have_url(re.compile(r"f\.fire"))
    expect(page.get_by_role("group", name="Filtres appliqués")).to_have_count(0)
    assert not _names(page) <= rated
    shot("catalog-filters-removed")

    page.go_back()  # the filtered listing again, from its URL
    expect(page).to_have_url(filtered_url)
    assert _names(page) == rated


def test_the_filters_work_without_javascript(no_js_page, live_server, demo_db):
    page = no_js_page
    rated = _boards_rated(demo_db, RATING)
    sign_in(page, live_server, CONTRACTOR)
    page.goto(f"{live_server}/catalog/c/{_category_id(demo_db)}")
    _panel(page).locator("summary").click()
    page.get_by_role("checkbox", name=re.compile(rf"^{RATING} \(\d+\)$")).check()
    page.get_by_role("button", name="Voir les produits").click()
    expect(page).to_have_url(re.compile(r"f\.fire=ei(\+|%20)60"))
    assert _names(page) == rated
    page.get_by_role("link", name="Effacer tous les filtres").click()
    expect(page).not_to_have_url(re.compile(r"f\.fire"))
    assert not _names(page) <= rated
