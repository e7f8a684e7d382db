"""Money on the phone (360 × 640): the chef's order of food and cleaning products carries
5.5 % and 20 % lines with a VAT total per rate; the restaurant group is at its credit limit,
so checkout says before submitting that the order will wait for a credit check; staff
release it from the back office in two taps."""

import re

from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, sign_in
from e2e.ordering_helpers import demo_db, empty_cart, new_phone_page, product  # noqa: F401

FOOD = ["FEC-F45-SDM", "FEC-LEN-SDM"]  # flour and lentils: reduced rate
CLEANING = ["NET-SOL-20-NET", "NET-SOL-20-CLA"]  # floor cleaner: standard rate


def _add(page, base_url, row):
    page.goto(f"{base_url}/catalog/p/{row['id']}")
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_role("status").filter(has_text="Ajouté")).to_be_visible()


def test_chef_order_shows_vat_per_rate_waits_for_credit_and_staff_release_it(
        page, browser, live_server, shot, demo_db):  # noqa: F811
    sign_in(page, live_server, "chef@demo.test")
    empty_cart(page, live_server)
    for sku in FOOD + CLEANING:
        _add(page, live_server, product(demo_db, sku))

    page.goto(live_server + "/cart/")
    totals = page.get_by_role("main").locator("dl.totals")
    expect(totals).to_contain_text(re.compile(r"TVA 5,5\s%"))
    expect(totals).to_contain_text(re.compile(r"TVA 20\s%"))
    totals.scroll_into_view_if_needed()
    shot("money-cart-vat-per-rate")

    page.goto(live_server + "/checkout/")
    notice = page.get_by_role("status").filter(has_text="contrôle de crédit")
    expect(notice).to_contain_text("Cette commande attendra un contrôle de crédit")
    expect(notice).to_contain_text("Crédit disponible")
    notice.scroll_into_view_if_needed()
    shot("money-checkout-credit-notice")

    page.get_by_role("button", name="Passer la commande").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    expect(page.get_by_text(re.compile(r"Commande CMD-\S+ passée\. Elle attend un contrôle "
                                       r"de crédit"))).to_be_visible()
    number = page.get_by_role("heading", level=1).inner_text().removeprefix("Commande ")
    main = page.get_by_role("main")
    expect(main).to_contain_text(re.compile(r"TVA 5,5\s% sur"))
    expect(main).to_contain_text(re.compile(r"TVA 20\s% sur"))
    expect(main).to_contain_text("En attente de contrôle de crédit")
    shot("money-order-held")
    main.locator("dl.totals").scroll_into_view_if_needed()
    shot("money-order-vat-per-rate")
    order_id = int(re.search(r"/orders/(\d+)$", page.url).group(1))
    rates = {r[0] for r in demo_db.execute(
        "SELECT tax_rate_bp FROM order_lines WHERE order_id = ?", (order_id,))}
    assert rates == {550, 2000}

    context, staff = new_phone_page(browser, "staff@demo.test", live_server)
    try:
        staff.goto(live_server + "/staff/")
        staff.get_by_role("link", name="Contrôles de crédit").click()  # tap 1
        staff.get_by_role("button", name=f"Libérer {number}").click()  # tap 2
        expect(staff.get_by_text(re.compile(rf"Commande {re.escape(number)}\s: décision "
                                            r"enregistrée"))).to_be_visible()
        expect(staff.get_by_role("button", name=f"Libérer {number}")).to_have_count(0)
        SCREENSHOTS.mkdir(exist_ok=True)  # the staff's phone, for people to look at
        staff.screenshot(path=str(SCREENSHOTS / "money-staff-released.png"))
    finally:
        context.close()
    status = demo_db.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()
    assert status[0] == "submitted"
