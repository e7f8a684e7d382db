"""The home card "À remplacer" at 360 × 640: the hotel's buyer bought kitchen safety shoes a
little over a year ago (replaced every 12 months) and microfibre mop pads a little over six
months ago (every 6 months); her home page says so in words and one tap puts the shoes in the
cart. (The demo plants both purchases relative to the moment it is seeded.)"""

import re

from playwright.sync_api import expect

from e2e.ordering_helpers import new_phone_page
from e2e.test_approvals import snap

BUYER = "contact@terrasses-vieux-port.demo.test"


def test_a_product_due_for_replacement_goes_to_the_cart_in_one_tap(browser, live_server):
    context, page = new_phone_page(browser, BUYER, live_server)
    try:
        page.goto(live_server + "/")
        card = page.get_by_role("region", name="À remplacer")
        shoes = card.get_by_role("listitem").filter(has_text="Chaussures de cuisine")
        expect(shoes).to_contain_text(re.compile(r"Acheté le \d+ \w+, à changer tous les 12 mois"))
        expect(card.get_by_role("listitem").filter(has_text="Frange microfibre")
               ).to_contain_text("à changer tous les 6 mois")
        shoes.scroll_into_view_if_needed()
        snap(page, "service-due-home-card")
        button = shoes.get_by_role("button", name=re.compile(
            r"^Ajouter \d+ × Chaussures de cuisine antidérapantes S2, pointure \d+ à mon panier$"))
        box = button.bounding_box()
        assert box["height"] >= 48 and box["width"] <= 360
        name = shoes.get_by_role("link").inner_text()
        button.click()
        page.goto(live_server + "/cart")
        expect(page.get_by_role("heading", level=1, name="Panier")).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text(name)
        snap(page, "service-due-cart")
        page.goto(live_server + "/")
        expect(page.get_by_role("region", name="À remplacer")).not_to_contain_text(name)
    finally:
        context.close()
