"""PostgreSQL goes away while a buyer is browsing and checking out on a phone, then returns.

The demo portal runs under gunicorn on its own PostgreSQL database, reached through a
loopback proxy the test cuts (listener and live connections closed: the server is gone) and
restores. While it is away every page is a readable 503 with Retry-After, every htmx tap
shows the message in the page's alert region and the page stays; the checkout keeps what
was typed, and once PostgreSQL is back the same tap places exactly one order, without a
restart of the portal and without a single 500 on the way.
"""

import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from e2e.conftest import CHROMIUM, PHONE, sign_in
from tests.conftest import figure
from tests.faults.live_pg import PORTAL, gunicorn, portal_env, scratch_database
from tests.faults.tcp_proxy import CuttableProxy

__all__ = ["figure"]  # the fixture, imported for pytest

GLOVES = "GAN-NIT-M-SEC"
UNAVAILABLE = "Le portail est momentanément indisponible."


@pytest.fixture(scope="module")
def outage(tmp_path_factory):
    """The demo portal on PostgreSQL behind a cuttable proxy; `direct` reads the database."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")  # e2e/conftest.py fails CI on this
    instance = tmp_path_factory.mktemp("outage")
    with scratch_database("portal_outage") as url:
        proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
        env = portal_env(instance, url.set(host="127.0.0.1", port=proxy.port),
                         LOGIN_RATE_LIMIT="200 per minute")
        subprocess.run([*PORTAL, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([*PORTAL, "seed-demo"], env=env, check=True, capture_output=True)
        direct = create_engine(url)
        try:
            with gunicorn(env, instance / "server.log", workers=2, threads=2) as base:
                yield SimpleNamespace(url=base, proxy=proxy, direct=direct,
                                      log=instance / "server.log")
        finally:
            proxy.close()
            direct.dispose()


def _scalar(outage, sql: str, **params):
    with outage.direct.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def _statuses(page) -> list[int]:
    """Every answer the portal gives this page, recorded as it comes."""
    seen: list[int] = []
    page.on("response", lambda response: seen.append(response.status))
    return seen


@pytest.fixture
def back_up(outage):
    yield
    outage.proxy.restore()  # even when the test failed during the outage


def _cart_with_gloves(page, outage) -> int:
    gloves = _scalar(outage, "SELECT id FROM products WHERE sku = :sku", sku=GLOVES)
    page.goto(f"{outage.url}/catalog/p/{gloves}")
    page.get_by_role("region", name="Prix et commande").get_by_role(
        "button", name="Ajouter au panier").click()
    expect(page.get_by_role("status").filter(has_text="Ajouté")).to_be_visible()
    return gloves


def test_browsing_and_taps_while_the_database_is_away_show_a_503_and_keep_the_page(
        page, outage, back_up, shot, figure):
    seen = _statuses(page)
    sign_in(page, outage.url, "buyer@demo.test")
    gloves = _cart_with_gloves(page, outage)
    pages = ["/catalog/", f"/catalog/p/{gloves}", "/orders/"]

    outage.proxy.cut()
    for path in pages:
        response = page.goto(outage.url + path)
        assert response.status == 503, path
        assert response.headers["retry-after"] == "10"
        expect(page.get_by_role("alert")).to_contain_text(UNAVAILABLE)
        expect(page.get_by_role("alert")).to_contain_text("Rien n'est perdu.")
    shot("outage-page")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    outage.proxy.restore()
    page.goto(f"{outage.url}/catalog/p/{gloves}")
    buy = page.get_by_role("region", name="Prix et commande")
    quantity = buy.get_by_role("textbox", name="Quantité")
    typed = quantity.input_value()
    page.evaluate("window.__same_page = true")  # gone if the page reloads
    outage.proxy.cut()
    taps = 0
    for button in ("Plus", "Ajouter au panier"):
        page.evaluate("document.getElementById('alerts').replaceChildren()")
        buy.get_by_role("button", name=button).click()
        taps += 1
        alert = page.get_by_role("status").get_by_role("alert")
        expect(alert).to_contain_text(UNAVAILABLE)
        expect(buy.get_by_role("button", name="Ajouter au panier")).to_be_visible()
        expect(quantity).to_have_value(typed)
    assert page.evaluate("window.__same_page === true"), "the page was replaced"
    shot("outage-tap")

    outage.proxy.restore()
    first = page.goto(outage.url + "/catalog/")
    assert first.status == 200  # the first request after the return, no restart
    assert 500 not in seen
    figure(f"database outage (browser): {len(pages)} pages answered 503 + Retry-After: 10, "
           f"{taps} htmx taps showed the message in place, first page after the return: "
           f"{first.status}, 500s seen: {seen.count(500)}")


def test_checkout_during_the_outage_keeps_the_form_and_places_one_order_when_back(
        page, outage, back_up, shot, figure):
    seen = _statuses(page)
    sign_in(page, outage.url, "buyer@demo.test")
    _cart_with_gloves(page, outage)
    page.goto(outage.url + "/checkout/")
    po = page.get_by_label("N° de bon de commande (obligatoire)")
    notes = page.get_by_label(re.compile("^Remarques pour la livraison"))
    po.fill("BC-PANNE-1")
    notes.fill("Grue sur place, portail B")
    count = "SELECT COUNT(*) FROM orders WHERE po_number = 'BC-PANNE-1'"

    outage.proxy.cut()
    place = page.get_by_role("button", name="Passer la commande")
    place.click()
    expect(page.get_by_role("status").get_by_role("alert")).to_contain_text(UNAVAILABLE)
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    expect(po).to_have_value("BC-PANNE-1")
    expect(notes).to_have_value("Grue sur place, portail B")
    expect(place).to_be_enabled()
    shot("outage-checkout")
    assert _scalar(outage, count) == 0

    outage.proxy.restore()
    place.click()
    expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    expect(page.get_by_text(re.compile(r"Commande CMD-\S+ passée"))).to_be_visible()
    assert _scalar(outage, count) == 1
    assert 500 not in seen
    figure("database outage (browser checkout): Place order during the outage answered 503, "
           "PO number and notes kept in their fields; the same tap after the return placed "
           f"{_scalar(outage, count)} order, 500s seen: {seen.count(500)}")


def test_without_javascript_the_503_page_sends_the_typed_checkout_again(
        browser, outage, back_up, figure):
    context = browser.new_context(**PHONE, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, outage.url, "buyer@demo.test")
        gloves = _scalar(outage, "SELECT id FROM products WHERE sku = :sku", sku=GLOVES)
        page.goto(f"{outage.url}/catalog/p/{gloves}")
        page.get_by_role("button", name="Ajouter au panier").click()
        page.goto(outage.url + "/checkout/")
        page.get_by_label("N° de bon de commande (obligatoire)").fill("BC-PANNE-2")
        outage.proxy.cut()
        page.get_by_role("button", name="Passer la commande").click()
        expect(page.get_by_role("alert")).to_contain_text(UNAVAILABLE)
        expect(page.get_by_text("Ce que vous avez saisi est conservé")).to_be_visible()
        outage.proxy.restore()
        page.get_by_role("button", name="Renvoyer").click()
        expect(page).to_have_url(re.compile(r"/orders/\d+$"))
        placed = _scalar(outage, "SELECT COUNT(*) FROM orders WHERE po_number = 'BC-PANNE-2'")
        assert placed == 1
        figure(f"database outage (no JavaScript): the 503 page kept the checkout; Renvoyer "
               f"after the return placed {placed} order")
    finally:
        context.close()
