"""Staff open a category's attributes on the phone, see how many products carry each, and
the delete confirmation says what would go (kept here: other walks filter by them)."""

import re

from playwright.sync_api import expect

from e2e.conftest import sign_in


def test_staff_see_a_category_s_attributes_and_the_delete_confirmation(page, live_server,
                                                                       shot):
    sign_in(page, live_server, "staff@demo.test")
    page.goto(live_server + "/staff/catalog/attributes")
    page.get_by_role("link", name=re.compile("Blocs, briques et cloisons")).click()
    fire = page.get_by_role("region", name=re.compile("Résistance au feu"))
    expect(fire.get_by_text(re.compile(r"\d+ produits? (a|ont) une valeur"))).to_be_visible()
    expect(fire.get_by_label("Nom (anglais)")).to_have_value("Fire resistance")
    shot("attributes_category")
    fire.get_by_role("link", name="Supprimer Résistance au feu").click()
    expect(page.get_by_role("heading", name=re.compile("Supprimer « Résistance au feu »"))
           ).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d+ produits? en (a|ont) une valeur"))).to_be_visible()
    shot("attributes_delete_confirmation")
    page.get_by_role("link", name="Garder la caractéristique").click()
    expect(page.get_by_role("region", name=re.compile("Résistance au feu"))).to_be_visible()
