"""Proof of delivery and a claim, on a phone (360 x 640): the warehouse records the delivery
of a shipped order with the receiver's name and a photo; the customer's admin sees it on the
order and reports one damaged line with a photo (a file that is not a photo is refused first,
what was typed kept); the warehouse settles the claim by reshipping, and the customer sees it.
"""

import re

from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, sign_in
from tests.factories.files import jpeg

SHOTS = SCREENSHOTS / "claims"


def _photo(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _phone(browser, live_server, email: str):
    page = browser.new_context(viewport={"width": 360, "height": 640}, locale="fr-FR",
                               is_mobile=True, has_touch=True).new_page()
    sign_in(page, live_server, email)
    return page


def test_delivery_proof_then_a_damaged_line_reshipped(browser, live_server, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    warehouse = _phone(browser, live_server, "warehouse@demo.test")
    warehouse.goto(live_server + "/staff/fulfilment/?status=shipped")
    warehouse.get_by_role("link", name=re.compile("Durand Bâtiment")).first.click()
    order_id = re.search(r"/orders/(\d+)", warehouse.url).group(1)
    warehouse.get_by_role("link", name=re.compile("^Enregistrer la livraison du")).first.click()
    warehouse.get_by_label("Reçue par (nom)").fill("Paul Martin")
    warehouse.get_by_label("Photo de la livraison (facultative)").set_input_files(
        _photo(tmp_path, "livraison.jpg", jpeg()))
    warehouse.screenshot(path=str(SHOTS / "1-delivery-form.png"))
    warehouse.get_by_role("button", name="Enregistrer la livraison").click()
    expect(warehouse.get_by_text("Livraison enregistrée")).to_be_visible()

    buyer = _phone(browser, live_server, "admin@demo.test")
    buyer.goto(f"{live_server}/orders/{order_id}")
    expect(buyer.get_by_text(re.compile("reçue par Paul Martin")).first).to_be_visible()
    proof = buyer.get_by_role("img", name=re.compile("Photo de la livraison"))
    proof.scroll_into_view_if_needed()
    expect(proof).to_be_visible()
    buyer.screenshot(path=str(SHOTS / "2-order-delivered.png"))
    report = buyer.get_by_role("link", name=re.compile("^Signaler un problème avec"))
    sku = report.first.inner_text().rsplit(" ", 1)[-1]
    report.first.click()

    buyer.get_by_role("radio", name="Endommagé").check()
    buyer.get_by_label(re.compile("Combien d'unités")).fill("1")
    buyer.get_by_label("Note pour le vendeur (facultatif)").fill("Carton écrasé")
    buyer.get_by_label("Photo (facultative)").set_input_files(
        _photo(tmp_path, "pas-une-photo.jpg", b"<svg onload=alert(1)>"))
    buyer.get_by_role("button", name="Envoyer le signalement").click()
    expect(buyer.get_by_text("JPEG, PNG ou WebP")).to_be_visible()
    expect(buyer.get_by_label("Note pour le vendeur (facultatif)")).to_have_value("Carton écrasé")
    expect(buyer.get_by_role("radio", name="Endommagé")).to_be_checked()
    buyer.screenshot(path=str(SHOTS / "3-claim-refused-photo.png"), full_page=True)
    buyer.get_by_label("Photo (facultative)").set_input_files(
        _photo(tmp_path, "carton.jpg", jpeg(color=(90, 60, 30))))
    buyer.get_by_role("button", name="Envoyer le signalement").click()
    expect(buyer.get_by_text(re.compile(r"Problème signalé\W+: le vendeur"))).to_be_visible()
    expect(buyer.get_by_role("heading", name="Problèmes signalés")).to_be_visible()

    warehouse.goto(live_server + "/staff/claims/")
    warehouse.screenshot(path=str(SHOTS / "4-claims-queue.png"))
    warehouse.get_by_role("link", name=re.compile(sku)).first.click()
    photo = warehouse.get_by_role("img", name=re.compile("Photo jointe"))
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    warehouse.screenshot(path=str(SHOTS / "5-claim.png"), full_page=True)
    warehouse.get_by_role("button", name="Réexpédier 1 unité").click()
    expect(warehouse.get_by_text("Réexpédition enregistrée")).to_be_visible()

    buyer.goto(f"{live_server}/orders/{order_id}")
    expect(buyer.get_by_text("Réexpédié", exact=True)).to_be_visible()
    expect(buyer.get_by_text(re.compile("Remplacement de la réclamation"))).to_be_visible()
    buyer.get_by_role("heading", name="Problèmes signalés").scroll_into_view_if_needed()
    buyer.screenshot(path=str(SHOTS / "6-order-reshipped.png"))
    assert buyer.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_demo_has_a_delivered_order_with_a_claim_to_settle(browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    buyer = _phone(browser, live_server, "buyer@demo.test")
    buyer.goto(live_server + "/orders/?status=delivered")
    buyer.get_by_role("link", name=re.compile("^CMD-")).first.click()
    expect(buyer.get_by_text(re.compile("reçue par Karim Benali")).first).to_be_visible()
    proof = buyer.get_by_role("img", name=re.compile("Photo de la livraison")).first
    proof.scroll_into_view_if_needed()
    expect(proof).to_be_visible()
    buyer.screenshot(path=str(SHOTS / "demo-1-proof.png"))
    expect(buyer.get_by_role("heading", name="Problèmes signalés")).to_be_visible()
    photo = buyer.get_by_role("img", name=re.compile("Photo jointe à la réclamation"))
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    buyer.screenshot(path=str(SHOTS / "demo-2-claim.png"))

    staff = _phone(browser, live_server, "warehouse@demo.test")
    staff.goto(live_server + "/staff/claims/")
    expect(staff.get_by_role("link", name=re.compile("Durand Bâtiment|CMD-")).first).to_be_visible()
    staff.screenshot(path=str(SHOTS / "demo-3-queue.png"))
