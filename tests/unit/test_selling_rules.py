"""The selling rule's pure parts, as tables: the quantity rule, tier choice, the suggestion,
the tax, and the one verdict every ordering path reads."""

import pytest

from portal.services.selling import (
    MAX_QUANTITY,
    QuantityRule,
    Reason,
    TaxRule,
    Tier,
    best_tier,
    judge,
    suggested_case,
)

SCREWS = (Tier(1, 100), Tier(5, 97), Tier(10, 90))  # unit, half case, full case of 10
GLOVES = (Tier(12, 300),)  # sold by the case of 12 only
FLOUR = (Tier(10, 120),)  # sold by 5, from 10


def rule(case_pack, multiple, tiers=()):
    return QuantityRule.of(case_pack, multiple, tiers)


@pytest.mark.parametrize(("case_pack", "multiple", "tiers", "quantity", "expected"), [
    (10, 1, SCREWS, 7, None),
    (10, 1, SCREWS, 0, (Reason.MINIMUM, 1)),
    (12, 12, GLOVES, 24, None),
    (12, 12, GLOVES, 6, (Reason.MINIMUM, 12)),  # below the minimum and off the grid: minimum
    (12, 12, GLOVES, 13, (Reason.MULTIPLE, 24)),
    (10, 5, FLOUR, 5, (Reason.MINIMUM, 10)),
    (10, 5, FLOUR, 7, (Reason.MINIMUM, 10)),
    (10, 5, FLOUR, 12, (Reason.MULTIPLE, 15)),
    (1, 5, (), 7, (Reason.MULTIPLE, 10)),
    (1, 0, (), 3, None),  # a bad order multiple in data counts as 1
    (1, 7, (), MAX_QUANTITY + 1, (Reason.TOO_MANY, MAX_QUANTITY // 7 * 7)),
    (1, 7, (), MAX_QUANTITY - 1, (Reason.MULTIPLE, MAX_QUANTITY // 7 * 7)),  # never above max
])
def test_the_quantity_rule_names_the_problem_and_an_orderable_fix(case_pack, multiple, tiers,
                                                                 quantity, expected):
    assert rule(case_pack, multiple, tiers).problem(quantity) == expected


@pytest.mark.parametrize(("case_pack", "multiple", "tiers", "expected"), [
    (10, 1, SCREWS, 10),  # one full case
    (12, 12, GLOVES, 12),
    (1, 5, FLOUR, 10),  # at least the smallest priced quantity
    (4, 3, (), 6),  # a case of 4 sold by 3: the next multiple
])
def test_a_stepper_starts_at_a_case_snapped_to_the_selling_unit(case_pack, multiple, tiers,
                                                               expected):
    assert rule(case_pack, multiple, tiers).default() == expected


@pytest.mark.parametrize(("multiple", "tiers", "quantity", "up", "expected"), [
    (5, (), 7, True, 10),
    (5, (), 7, False, 5),
    (5, FLOUR, 10, False, 10),  # a tap never ends below the minimum
    (12, GLOVES, 24, True, 36),
])
def test_a_tap_moves_along_the_selling_unit(multiple, tiers, quantity, up, expected):
    assert rule(1, multiple, tiers).tap(quantity, up) == expected


@pytest.mark.parametrize(("tiers", "quantity", "expected"), [
    (SCREWS, 1, Tier(1, 100)),
    (SCREWS, 7, Tier(5, 97)),
    (SCREWS, 10, Tier(10, 90)),
    (GLOVES, 11, None),
    ((Tier(1, 100), Tier(10, 120)), 10, Tier(1, 100)),  # a dearer volume tier never wins
])
def test_the_cheapest_reached_tier_applies(tiers, quantity, expected):
    assert best_tier(tiers, quantity) == expected


@pytest.mark.parametrize(("case_pack", "multiple", "quantity", "to"), [
    (10, 1, 9, 10),  # 9 at 0.97, a case at 0.90 for 0.27 more
    (10, 1, 7, None),  # +3 units cost a third more: not a nudge
    (10, 1, 10, None),  # a full case already
    (10, 3, 9, None),  # a case of 10 is not orderable by 3: never suggested
])
def test_a_full_case_is_suggested_only_when_it_saves_and_can_be_ordered(case_pack, multiple,
                                                                       quantity, to):
    hint = suggested_case(quantity, rule(case_pack, multiple, SCREWS), SCREWS)
    assert (hint.to_quantity if hint else None) == to


@pytest.mark.parametrize(("subtotal", "rate_bp", "tax"), [
    (1000, 2000, 200),
    (1, 2000, 0),
    (3, 2000, 1),  # 0.6 cent rounds half up
    (12345, 550, 679),
])
def test_tax_is_integer_cents_rounded_half_up(subtotal, rate_bp, tax):
    assert TaxRule(rate_bp).on(subtotal) == tax


@pytest.mark.parametrize(("quantity", "kwargs", "reason", "snap_to", "price"), [
    (3, {}, Reason.OK, None, 300),
    (9, {}, Reason.OK, 10, 873),  # orderable, and a full case suggested
    (600, {}, Reason.BACKORDER, None, 54000),
    (3, {"sellable": False}, Reason.UNAVAILABLE, None, None),
    (3, {"discontinued": True, "replacement_id": 8}, Reason.DISCONTINUED, None, None),
    (0, {}, Reason.MINIMUM, 1, None),
    (MAX_QUANTITY + 1, {}, Reason.TOO_MANY, MAX_QUANTITY, None),
])
def test_one_verdict_answers_can_they_order_it_at_what_price_and_what_to_suggest(
        quantity, kwargs, reason, snap_to, price):
    kwargs = {"in_stock": 500, "lead_time_days": 3, **kwargs}
    verdict = judge(quantity, rule(10, 1, SCREWS), SCREWS, **kwargs)
    assert (verdict.reason, verdict.snap_to, verdict.line_total_cents) == (reason, snap_to, price)
    assert verdict.orderable == (reason in (Reason.OK, Reason.BACKORDER))


def test_a_backorder_says_how_many_wait_and_for_how_long():
    verdict = judge(36, rule(12, 12, GLOVES), GLOVES, in_stock=24, lead_time_days=5)
    assert (verdict.backordered, verdict.lead_time_days) == (12, 5)


def test_a_discontinued_product_suggests_its_replacement():
    verdict = judge(3, rule(1, 1, SCREWS), SCREWS, discontinued=True, replacement_id=8)
    assert (verdict.orderable, verdict.replacement_id) == (False, 8)


def test_no_tier_is_the_same_answer_as_unknown():
    assert judge(3, rule(1, 1), ()).reason == Reason.UNAVAILABLE
