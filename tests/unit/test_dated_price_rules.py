"""Dated prices: list validity, promotion against the usual price, contract price first.

Tables over the pure rule (services/selling/deals.py); no database, no date but the ones set.
"""

from datetime import date

import pytest

from portal.services.selling.deals import Promo, apply_deals, in_force
from portal.services.selling.rules import Tier

DAY = date(2026, 12, 10)
BEFORE, AFTER = date(2026, 12, 9), date(2026, 12, 11)


@pytest.mark.parametrize(("valid_from", "valid_until", "applies"), [
    (None, None, True),            # open both ends
    (DAY, DAY, True),              # one day, today: both ends inclusive
    (BEFORE, None, True),
    (AFTER, None, False),          # not started
    (None, BEFORE, False),         # over
    (None, AFTER, True),
    (AFTER, date(2027, 1, 1), False),
])
def test_a_price_list_applies_only_within_its_dates(valid_from, valid_until, applies):
    assert in_force(valid_from, valid_until, DAY) is applies


LIST = (Tier(1, 1000), Tier(10, 900), Tier(50, 800))


@pytest.mark.parametrize(("promos", "paid", "until"), [
    ((), ((1, 1000), (10, 900), (50, 800)), None),
    # 15 % off every tier
    ((Promo(AFTER, percent_off_bp=1500),), ((1, 850), (10, 765), (50, 680)), AFTER),
    # a promotional price below the unit price but above the volume tier: the tier stays,
    # the tier from 10 (no longer lower) goes
    ((Promo(AFTER, unit_price_cents=850),), ((1, 850), (50, 800)), AFTER),
    # a promotion worse than the usual price changes nothing and is not announced
    ((Promo(AFTER, unit_price_cents=1200),), ((1, 1000), (10, 900), (50, 800)), None),
    # two promotions: the better one at each tier
    ((Promo(AFTER, unit_price_cents=870), Promo(date(2026, 12, 31), percent_off_bp=1000)),
     ((1, 870), (10, 810), (50, 720)), AFTER),
    # out of its dates: ignored
    ((Promo(BEFORE, unit_price_cents=1, starts_on=date(2026, 12, 1)),),
     ((1, 1000), (10, 900), (50, 800)), None),
    ((Promo(date(2027, 1, 5), unit_price_cents=1, starts_on=AFTER),),
     ((1, 1000), (10, 900), (50, 800)), None),
    # a share off rounds half up (33.33 %: 333.3 -> 333 off 1000, 266.64 -> 267 off 800)
    ((Promo(AFTER, percent_off_bp=3333),), ((1, 667), (10, 600), (50, 533)), AFTER),
])
def test_the_buyer_pays_the_better_of_promotion_and_usual_price(promos, paid, until):
    dealt = apply_deals(LIST, DAY, promos=promos)
    assert tuple((t.min_qty, t.unit_price_cents) for t in dealt.tiers) == paid
    assert dealt.regular == LIST
    assert dealt.promo_until == until


@pytest.mark.parametrize(("list_tiers", "contract", "promos", "paid", "contract_until",
                          "promo_until"), [
    # the contract replaces the list's tiers, from the list's smallest quantity
    (LIST, (700, AFTER), (), ((1, 700),), AFTER, None),
    (((5, 1000), (20, 500)), (700, AFTER), (), ((5, 700),), AFTER, None),
    # even when a volume tier was lower: a contract is one negotiated price
    (LIST, (950, AFTER), (), ((1, 950),), AFTER, None),
    # expired yesterday: the list again
    (LIST, (700, BEFORE), (), ((1, 1000), (10, 900), (50, 800)), None, None),
    # a contract price for a product no list prices for this buyer
    ((), (700, DAY), (), ((1, 700),), DAY, None),
    # a better promotion still wins over the contract price
    (LIST, (700, AFTER), (Promo(AFTER, unit_price_cents=650),), ((1, 650),), AFTER, AFTER),
    (LIST, (700, AFTER), (Promo(AFTER, unit_price_cents=750),), ((1, 700),), AFTER, None),
    # a share off applies to the list, not on top of the contract: 20 % off 800 from 50
    (LIST, (700, AFTER), (Promo(AFTER, percent_off_bp=2000),), ((1, 700), (50, 640)), AFTER,
     AFTER),
])
def test_a_contract_price_comes_before_the_list(list_tiers, contract, promos, paid,
                                                 contract_until, promo_until):
    tiers = [t if isinstance(t, Tier) else Tier(*t) for t in list_tiers]
    dealt = apply_deals(tiers, DAY, contract=contract, promos=promos)
    assert tuple((t.min_qty, t.unit_price_cents) for t in dealt.tiers) == paid
    assert dealt.contract_until == contract_until
    assert dealt.promo_until == promo_until


def test_a_promotion_never_prices_a_product_the_buyer_has_no_price_for():
    assert apply_deals((), DAY, promos=(Promo(AFTER, unit_price_cents=100),)) is None


def test_a_promotion_never_goes_below_zero():
    assert Promo(AFTER, percent_off_bp=9999).price(1) == 0
