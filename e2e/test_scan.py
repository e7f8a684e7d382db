"""Scan to order, tried as a buyer would at 360 × 640: a fake camera (Chromium playing a video
of an EAN-13 barcode drawn by the test) adds the demo product to the cart; without a camera
the button says why and the typed field does the same."""

import re

import pytest
from playwright.sync_api import expect

from e2e.barcodes import ean13_picture, write_y4m
from e2e.conftest import PHONE, SCREENSHOTS, sign_in
from e2e.ordering_helpers import cart_badge, demo_db, empty_cart, product  # noqa: F401

GLOVES = "GAN-NIT-M-SEC"
RECORD_VIBRATIONS = """
window.__vibrations = [];
navigator.vibrate = function (pattern) { window.__vibrations.push(pattern); return true; };
"""


@pytest.fixture(scope="module")
def gloves(demo_db):  # noqa: F811
    row = product(demo_db, GLOVES)
    assert row["gtin"], "the demo gloves have a GTIN"
    return row


@pytest.fixture(scope="module")
def camera_browser(playwright, browser_type_launch_args, tmp_path_factory, gloves):
    """Chromium whose camera films the gloves' barcode (a browser of its own: the flags are
    set at launch)."""
    video = write_y4m(ean13_picture(gloves["gtin"]),
                      tmp_path_factory.mktemp("camera") / "gloves-ean13.y4m")
    args = [*browser_type_launch_args.get("args", []), "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
    browser = playwright.chromium.launch(**{**browser_type_launch_args, "args": args})
    yield browser
    browser.close()


def test_a_camera_filming_a_barcode_adds_its_product_to_the_cart(camera_browser, live_server,
                                                                 gloves):
    context = camera_browser.new_context(**PHONE, locale="fr-FR")
    context.add_init_script(RECORD_VIBRATIONS)
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    sign_in(page, live_server, "buyer@demo.test")
    empty_cart(page, live_server)
    page.goto(live_server + "/catalog/")
    page.get_by_role("button", name="Scanner").click()
    answer = page.locator("#scan-result")
    expect(answer).to_contain_text(f"({GLOVES})", timeout=30_000)
    expect(answer).to_contain_text(re.compile(r"Ajouté\u202f: \d+ × "))
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "scan-catalog.png"))
    page.get_by_role("button", name="Arrêter de scanner").click()
    assert page.evaluate("window.__vibrations.length") >= 1
    wasm = [url for url in fetched if url.endswith(".wasm")]
    assert not wasm or all(url.startswith(live_server + "/static/b/") for url in wasm)
    expect(cart_badge(page)).to_contain_text("1")
    page.goto(live_server + "/cart/")
    expect(page.get_by_role("main")).to_contain_text(gloves["name_fr"])

    # In quick order, a read fills a row (the cart changes when the buyer adds the rows).
    page.goto(live_server + "/quick-order/")
    page.get_by_role("button", name="Scanner").click()
    expect(page.get_by_label("Référence, ligne 1")).to_have_value(GLOVES, timeout=30_000)
    expect(page.locator("#scan-result")).to_contain_text("Ligne 1\u202f: ")
    page.screenshot(path=str(SCREENSHOTS / "scan-quick-order.png"))
    page.get_by_role("button", name="Arrêter de scanner").click()
    expect(page.get_by_label("Référence, ligne 2")).to_have_value("")  # one box, one row
    context.close()


def test_without_a_camera_the_button_says_why_and_the_typed_number_works(page, live_server,
                                                                          gloves):
    sign_in(page, live_server, "buyer@demo.test")
    empty_cart(page, live_server)
    page.goto(live_server + "/quick-order/")
    page.get_by_role("button", name="Scanner").click()
    answer = page.locator("#scan-result")
    expect(answer).to_contain_text("tapez le numéro sous le code-barres")
    field = page.get_by_label("Ajouter une ligne par référence ou numéro de code-barres")
    field.fill(gloves["gtin"])
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(answer).to_contain_text("Ligne 1\u202f: ")
    expect(page.get_by_label("Référence, ligne 1")).to_have_value(GLOVES)
    field.fill(gloves["gtin"][:-1] + str((int(gloves["gtin"][-1]) + 1) % 10))
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(answer).to_contain_text("son dernier chiffre ne correspond pas")
