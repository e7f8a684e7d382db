"""Pricing rules, as tables: tiers, list resolution, quantities, rounding up to a case."""

import pytest

from portal.services.selling import (
    QuantityRule,
    Reason,
    Tier,
    best_tier,
    chain_ids,
    default_quantity,
    quote,
    resolve_tiers,
    round_up_hint,
    snap_quantity,
    step_quantity,
)


def check_quantity(quantity, multiple, case_pack, tiers):
    found = QuantityRule.of(case_pack, multiple, tiers).problem(quantity)
    return found[0] if found else None


SCREWS = (Tier(1, 100), Tier(5, 97), Tier(10, 90))  # unit, half case, full case of 10
GLOVES = (Tier(12, 300),)  # sold by the case of 12 only


@pytest.mark.parametrize(("tiers", "quantity", "expected"), [
    (SCREWS, 1, Tier(1, 100)),
    (SCREWS, 4, Tier(1, 100)),
    (SCREWS, 5, Tier(5, 97)),
    (SCREWS, 9, Tier(5, 97)),
    (SCREWS, 10, Tier(10, 90)),
    (SCREWS, 500, Tier(10, 90)),
    (GLOVES, 11, None),
    (GLOVES, 12, Tier(12, 300)),
    ((), 3, None),
    # A volume tier dearer than a smaller one never makes a larger order cost more per unit.
    ((Tier(1, 100), Tier(10, 120)), 10, Tier(1, 100)),
    # Equal prices: the larger tier is reported (it is the one the buyer reached).
    ((Tier(1, 100), Tier(10, 100)), 10, Tier(10, 100)),
    # Order of the tuple does not matter.
    ((Tier(10, 90), Tier(1, 100)), 10, Tier(10, 90)),
])
def test_best_tier_is_the_cheapest_reached_tier(tiers, quantity, expected):
    assert best_tier(tiers, quantity) == expected


@pytest.mark.parametrize(("quantity", "unit", "total", "tier_min"), [
    (1, 100, 100, 1),
    (7, 97, 679, 5),
    (20, 90, 1800, 10),
])
def test_quote_multiplies_the_tier_price_in_integer_cents(quantity, unit, total, tier_min):
    q = quote(SCREWS, quantity)
    assert (q.unit_price_cents, q.line_total_cents, q.tier_min_qty) == (unit, total, tier_min)
    assert isinstance(q.line_total_cents, int)


def test_quote_below_the_smallest_tier_is_none():
    assert quote(GLOVES, 6) is None


@pytest.mark.parametrize(("contract", "group", "base", "expected"), [
    (7, 3, 1, [7, 3, 1]),
    (None, 3, 1, [3, 1]),
    (None, None, 1, [1]),
    (7, None, None, [7]),
    (None, None, None, []),
    (3, 3, 1, [3, 1]),  # a company on its group's list: no repeat
    (1, None, 1, [1]),
])
def test_list_chain_is_contract_then_group_then_base(contract, group, base, expected):
    assert chain_ids(contract, group, base) == expected


@pytest.mark.parametrize(("chain", "by_list", "expected"), [
    # The contract prices it: the contract wins.
    ([7, 3, 1], {7: [Tier(1, 70)], 3: [Tier(1, 80)], 1: [Tier(1, 100)]}, (7, (Tier(1, 70),))),
    # No contract price: the group's list.
    ([7, 3, 1], {3: [Tier(1, 80)], 1: [Tier(1, 100)]}, (3, (Tier(1, 80),))),
    # Only the base list prices it.
    ([7, 3, 1], {1: [Tier(10, 90), Tier(1, 100)]}, (1, (Tier(1, 100), Tier(10, 90)))),
    # The first list pricing the product replaces the others entirely (no tier mixing),
    # even when a later list has a cheaper volume tier.
    ([3, 1], {3: [Tier(1, 80)], 1: [Tier(1, 100), Tier(10, 50)]}, (3, (Tier(1, 80),))),
    # Nobody prices it.
    ([3, 1], {}, None),
    ([3, 1], {3: []}, None),
    # A list outside the chain (another group's) is never used.
    ([3, 1], {9: [Tier(1, 10)]}, None),
])
def test_first_list_of_the_chain_pricing_the_product_is_used(chain, by_list, expected):
    assert resolve_tiers(chain, by_list) == expected


@pytest.mark.parametrize(("quantity", "multiple", "tiers", "expected"), [
    (1, 1, SCREWS, None),
    (7, 1, SCREWS, None),
    (0, 1, SCREWS, Reason.MINIMUM),
    (-3, 1, SCREWS, Reason.MINIMUM),
    (12, 12, GLOVES, None),
    (24, 12, GLOVES, None),
    (6, 12, GLOVES, Reason.MINIMUM),
    (13, 12, GLOVES, Reason.MULTIPLE),
    (5, 5, (Tier(5, 97),), None),
    (15, 5, (), None),
    (7, 5, (), Reason.MULTIPLE),
    (3, 0, (), None),  # a bad order multiple in data counts as 1
])
def test_check_quantity_refuses_below_the_minimum_and_off_the_selling_unit(
        quantity, multiple, tiers, expected):
    assert check_quantity(quantity, multiple, 10, tiers) == expected


@pytest.mark.parametrize(("quantity", "multiple", "expected"), [
    (1, 1, 1), (7, 1, 7), (0, 1, 1), (1, 12, 12), (12, 12, 12), (13, 12, 24), (0, 12, 12),
    (-5, 12, 12), (5, 5, 5), (6, 5, 10), (7, 0, 7),
])
def test_snap_quantity_goes_up_to_the_next_orderable_quantity(quantity, multiple, expected):
    assert snap_quantity(quantity, multiple) == expected


@pytest.mark.parametrize(("quantity", "multiple", "up", "expected"), [
    (12, 12, True, 24), (24, 12, False, 12), (12, 12, False, 12),
    (1, 1, False, 1), (1, 1, True, 2), (7, 5, True, 10), (7, 5, False, 5),
    (99_996, 12, True, 99_996), (99_999, 1, True, 99_999), (10, 0, True, 11),
])
def test_step_quantity_moves_by_the_selling_unit_within_bounds(quantity, multiple, up, expected):
    assert step_quantity(quantity, multiple, up) == expected


@pytest.mark.parametrize(("case_pack", "multiple", "tiers", "expected"), [
    (10, 1, SCREWS, 10),  # one full case
    (1, 1, (Tier(1, 850),), 1),
    (12, 12, GLOVES, 12),
    (10, 4, (), 12),  # a case snapped to the selling unit
    (1, 1, (Tier(6, 100),), 6),  # at least the smallest priced quantity
    (0, 1, (), 1),
])
def test_default_quantity_is_one_full_case(case_pack, multiple, tiers, expected):
    assert default_quantity(case_pack, multiple, tiers) == expected


@pytest.mark.parametrize(("quantity", "case_pack", "tiers", "expected"), [
    # 8 screws at 0.97 vs a case of 10 at 0.90: +2 units, the case costs 9.00, saving 0.70.
    (8, 10, SCREWS, (10, 2, 900, 70)),
    (3, 10, SCREWS, None),  # +7 units tripling the line: not suggested (test_round_up_rule)
    (13, 10, SCREWS, None),  # already at the case price: nothing saved, nothing suggested
    (10, 10, SCREWS, None),  # whole cases
    (3, 1, SCREWS, None),  # sold by the unit
    (6, 12, GLOVES, None),  # 6 is not priced at all
    # The worked example of the domain: +2 units = full case, save 4.20 EUR.
    (10, 12, (Tier(1, 500), Tier(12, 465)), (12, 2, 5580, 420)),
])
def test_round_up_hint_tells_what_the_next_full_case_saves(quantity, case_pack, tiers, expected):
    hint = round_up_hint(quantity, case_pack, tiers)
    if expected is None:
        assert hint is None
    else:
        assert (hint.to_quantity, hint.extra_units, hint.new_total_cents,
                hint.saving_cents) == expected
