"""Each customer sees its own price; nobody else sees a price at all."""

from portal.extensions import db
from portal.models import CompanyStatus, Role
from tests import factories as f
from tests.conftest import login


def _screws_page(client, world):
    return client.get(f"/catalog/p/{world.products['screws'].id}").get_data(as_text=True)


def test_company_a_on_the_pro_list_sees_screws_at_its_group_price(client, world):
    login(client, world.a.buyer)
    html = _screws_page(client, world)
    assert "0,80\xa0€" in html
    assert "0,95" not in html and "1,00\xa0€" not in html


def test_company_b_on_the_chr_list_sees_screws_at_its_own_price(client, world):
    login(client, world.b.buyer)
    html = _screws_page(client, world)
    assert "0,95\xa0€" in html
    assert "0,80" not in html


def test_search_rows_show_the_price_of_one_full_case(client, world):
    login(client, world.a.buyer)
    html = client.get("/catalog/search?q=VIS-440").get_data(as_text=True)
    assert "8,00\xa0€" in html  # 10 × 0.80, a case of 10
    assert 'value="10"' in html


def test_contract_price_beats_the_group_price(client, world):
    contract = f.price_list("CONTRACT-A")
    from portal.models import PriceTier

    db.session.add(PriceTier(price_list_id=contract.id, product_id=world.products["screws"].id,
                             min_qty=1, unit_price_cents=70))
    world.a.company.price_list_id = contract.id
    db.session.commit()
    login(client, world.a.buyer)
    assert "0,70\xa0€" in _screws_page(client, world)


def test_a_product_only_on_the_base_list_shows_the_base_price(client, world):
    login(client, world.a.buyer)
    html = client.get(f"/catalog/p/{world.products['cement'].id}").get_data(as_text=True)
    assert "8,50\xa0€" in html


def test_anonymous_visitors_see_no_price_and_an_invitation_to_sign_in(client, world):
    for url in ("/catalog/search?q=", f"/catalog/p/{world.products['screws'].id}",
                f"/catalog/c/{world.categories['tools'].id}"):
        html = client.get(url).get_data(as_text=True)
        assert "€" not in html, url
        assert "Sign in to see your price" in html or "Connectez-vous" in html, url
        assert "/cart" not in html.replace("/cart/", "")  # no add-to-cart form


def test_a_pending_company_sees_no_price_and_is_told_its_account_is_reviewed(client, world):
    pending = f.company("Pending SARL", status=CompanyStatus.PENDING,
                        customer_group_id=world.a.company.customer_group_id)
    buyer = f.user(pending, Role.BUYER)
    db.session.commit()
    login(client, buyer)
    html = client.get("/catalog/search?q=").get_data(as_text=True)
    assert "€" not in html
    assert 'name="qty"' not in html
    assert "being reviewed" in html or "en cours de validation" in html


def test_a_viewer_sees_prices_but_cannot_add_to_cart(client, world):
    login(client, world.a.viewer)
    html = _screws_page(client, world)
    assert "0,80\xa0€" in html
    assert 'name="qty"' not in html


def test_the_tiers_table_names_unit_half_case_full_case_and_volume(client, world):
    product = f.product(world.categories["tools"], "TIER-1", price_list=world.base, case_pack=10,
                        order_multiple=1, tiers={1: 100, 5: 97, 10: 90, 50: 80})
    db.session.commit()
    client.post("/language", data={"lang": "en"})
    login(client, world.a.buyer)
    html = client.get(f"/catalog/p/{product.id}").get_data(as_text=True)
    table = html.split('class="tiers"', 1)[1].split("</table>", 1)[0]
    for label, unit, case in (("Unit", "€1.00", "€10.00"), ("Half case (5)", "€0.97", "€9.70"),
                              ("Full case (10)", "€0.90", "€9.00"), ("From 50", "€0.80", "€8.00")):
        assert label in table and unit in table and case in table


def test_staff_browse_the_catalog_without_customer_prices(client, world):
    login(client, world.staff)
    html = _screws_page(client, world)
    assert "€" not in html and 'name="qty"' not in html
