"""The demo data set shows promotions: one for everyone, one for the BTP group only."""

from unittest import mock

from sqlalchemy import select

from portal.extensions import db
from portal.models import Product, User
from portal.services.selling import offers_for
from tests.integration.test_demo_seed import SEEDED_AT, _seeded


def test_the_demo_has_a_promotion_for_everyone_and_one_for_the_btp_group(tmp_path):
    app, counts = _seeded(tmp_path / "demo.sqlite3")
    with app.app_context(), mock.patch("portal.services.selling.offers.local_today",
                                       return_value=SEEDED_AT.date()):
        assert counts["promotions"] == 2
        durand = db.session.scalar(select(User).where(User.email == "buyer@demo.test"))
        martin = db.session.scalar(select(User).where(User.email == "dealer@demo.test"))
        hinge, fitting = (db.session.scalar(select(Product).where(Product.sku == sku))
                          for sku in ("PAU-140-ZN", "RAC-CP-16"))
        for buyer in (durand, martin):
            assert offers_for(buyer).get(hinge).prices.promo_at(1) is not None
        assert offers_for(durand).get(fitting).prices.promo_at(1)[1] > 290
        assert offers_for(durand).get(fitting).verdict(1).unit_price_cents == 290
        assert offers_for(martin).get(fitting).prices.promo_at(1) is None
        db.session.remove()
