"""The home card "À recommander" at 360 × 640: a buyer who orders electrical panels and
nitrile gloves at a regular pace sees both due, with the pace in words, and one tap puts them
in the cart. (The demo plants those two habits relative to the moment it is seeded, away from
the random history, so they are due whatever the day and hour.)"""

from playwright.sync_api import expect

from e2e.ordering_helpers import new_phone_page
from e2e.test_approvals import snap

BUYER = "contact@elec-services-provence.demo.test"


def test_due_products_go_to_the_cart_in_one_tap(browser, live_server):
    context, page = new_phone_page(browser, BUYER, live_server)
    try:
        page.goto(live_server + "/")
        card = page.get_by_role("region", name="À recommander")
        # The demo plants two habits (gloves and a panel every three weeks); his random
        # history may add others on some days, so the card shows at least those two.
        expect(card.get_by_role("listitem").nth(1)).to_be_visible()
        count = card.get_by_role("listitem").count()
        expect(card).to_contain_text("environ toutes les 3 semaines")
        expect(card).to_contain_text("Gants nitrile")
        card.scroll_into_view_if_needed()
        snap(page, "due-home-card")
        card.get_by_role("button", name=f"Ajouter les {count} produits au panier").click()
        expect(page.get_by_role("heading", level=1, name="Panier")).to_be_visible()
        expect(page.get_by_text(f"{count} produits à recommander ajoutés au panier.")
               ).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text("TAB-1R-NU")
        expect(page.get_by_role("main")).to_contain_text("GAN-NIT-S-SEC")
        page.goto(live_server + "/")
        expect(page.get_by_role("region", name="À recommander")).to_have_count(0)
    finally:
        context.close()
