"""When the portal suggests rounding a line up to a full case, and what it says it changes.

The rule (portal/services/selling/rules.py): only when the full case's unit price is lower and the
line costs at most 20 % more than as typed. "+38 units" on a 2-bag line, or doubling a half
case, is not suggested.
"""

import pytest

from portal.services.selling import Tier, round_up_hint

BAGS = (Tier(1, 1000), Tier(40, 930))  # a pallet of 40 bags
CASE_OF_12 = (Tier(1, 500), Tier(6, 485), Tier(12, 465))


@pytest.mark.parametrize(("quantity", "case_pack", "tiers", "expected"), [
    # (to, +units, unit price before → after, extra cost of the line)
    (35, 40, BAGS, (40, 5, 1000, 930, 2200)),  # 35 000 → 37 200: +6 %
    (2, 40, BAGS, None),  # +38 bags: 2 000 → 37 200, not a nudge
    (20, 40, BAGS, None),  # +20 bags: +86 %
    (10, 12, CASE_OF_12, (12, 2, 485, 465, 730)),  # 4 850 → 5 580: +15 %
    (6, 12, CASE_OF_12, None),  # a half case doubled: +92 %
    (11, 12, CASE_OF_12, (12, 1, 485, 465, 245)),
    (9, 12, (Tier(1, 1000), Tier(12, 900)), (12, 3, 1000, 900, 1800)),  # exactly +20 %
    (9, 12, (Tier(1, 1000), Tier(12, 901)), None),  # just over
    (13, 10, (Tier(1, 100), Tier(10, 90)), None),  # already at the case price
    (12, 12, CASE_OF_12, None),  # whole cases
    (3, 1, CASE_OF_12, None),  # sold by the unit
])
def test_a_full_case_is_suggested_only_when_it_is_near_and_cheaper_per_unit(
        quantity, case_pack, tiers, expected):
    hint = round_up_hint(quantity, case_pack, tiers)
    if expected is None:
        assert hint is None
        return
    assert (hint.to_quantity, hint.extra_units, hint.unit_price_cents,
            hint.new_unit_price_cents, hint.extra_cost_cents) == expected
    # What the buyer is told adds up: the new line total is the old one plus the extra cost.
    assert hint.new_total_cents == quantity * hint.unit_price_cents + hint.extra_cost_cents
