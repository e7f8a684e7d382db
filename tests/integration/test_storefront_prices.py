"""A consumer storefront's public prices (issue 22): visitors of its host see its own price
list, with VAT; the trade portal's prices never show there, and the trade portal still asks
its visitors to sign in."""

from portal.extensions import db
from tests import factories as f

DIRECT = f.DIRECT


def _direct(world):
    return f.consumer_storefront({world.products["cement"]: 1000})


def test_visitors_see_the_storefronts_public_price_with_vat(app, client, world):
    _direct(world)
    cement = world.products["cement"]
    page = client.get(f"/catalog/p/{cement.id}", base_url=DIRECT).get_data(as_text=True)
    # 10,00 € excl. VAT on the public list, 20 % VAT: 12,00 € shown, said to include VAT.
    assert "12,00\u00a0€" in page or "12,00 €" in page
    assert "TTC" in page
    assert "8,50" not in page  # the trade base list's price of cement
    assert "Connectez-vous pour voir votre prix" not in page


def test_a_product_the_public_list_does_not_price_has_no_price_there(app, client, world):
    _direct(world)
    screws = world.products["screws"]  # priced on the trade base list only
    page = client.get(f"/catalog/p/{screws.id}", base_url=DIRECT).get_data(as_text=True)
    assert "1,00" not in page and "0,97" not in page and "0,90" not in page


def test_the_trade_portal_still_asks_its_visitors_to_sign_in(app, client, world):
    _direct(world)
    page = client.get(f"/catalog/p/{world.products['cement'].id}").get_data(as_text=True)
    assert "Connectez-vous pour voir votre prix" in page and "8,50" not in page


def test_a_trade_promotion_never_lowers_a_consumer_price(app, client, world):
    """A promotion "for everyone" is the trade portal's: its price (excl. VAT, for trade
    buyers) must not show on the consumer storefront, nor be what a consumer pays."""
    from datetime import timedelta

    from portal.models import Promotion
    from portal.services.selling.pricing import local_today

    _direct(world)
    cement = world.products["cement"]
    today = local_today()  # the selling policy's own day: the promotion runs on it
    db.session.add(Promotion(product_id=cement.id, customer_group_id=None,
                             unit_price_cents=500, starts_on=today - timedelta(days=3),
                             ends_on=today + timedelta(days=3)))
    db.session.commit()
    page = client.get(f"/catalog/p/{cement.id}", base_url=DIRECT).get_data(as_text=True)
    assert "12,00" in page and "6,00" not in page and "5,00" not in page
