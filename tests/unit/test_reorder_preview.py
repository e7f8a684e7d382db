"""The reorder change preview: what reordering a past line gives today, and why it differs."""

import pytest

from portal.services.ordering.reorder import (
    DISCONTINUED,
    LOW_STOCK,
    NO_PRICE,
    PRICE_DOWN,
    PRICE_UP,
    REPLACED,
    SNAPPED,
    UNAVAILABLE,
    Offer,
    PastLine,
    pick_error,
    preview_line,
)
from portal.services.selling import Reason, Tier

PAST = PastLine(line_id=7, product_id=1, sku="VIS-440", name="Vis", quantity=10,
                unit_price_cents=90)


def offer(product_id=1, sku="VIS-440", multiple=1, stock=500, tiers=((1, 90),),
          discontinued=False):
    return Offer(product_id, sku, f"Product {sku}", multiple, stock,
                 tuple(Tier(q, c) for q, c in tiers), discontinued)


@pytest.mark.parametrize(
    ("current", "replacement", "changes", "selectable", "product_id", "quantity", "price"),
    [
        # Same product, same price, enough stock: nothing to say.
        (offer(), None, (), True, 1, 10, 90),
        # Price moved since then, at the same quantity (volume tier 10+).
        (offer(tiers=((1, 100), (10, 95))), None, (PRICE_UP,), True, 1, 10, 95),
        (offer(tiers=((1, 100), (10, 80))), None, (PRICE_DOWN,), True, 1, 10, 80),
        # Less in stock than the quantity: still orderable, the rest is backordered.
        (offer(stock=4), None, (LOW_STOCK,), True, 1, 10, 90),
        (offer(stock=10), None, (), True, 1, 10, 90),
        # Sold by 12 now: 10 moves up to 12, and says so.
        (offer(multiple=12), None, (SNAPPED,), True, 1, 12, 90),
        # The smallest priced quantity is 20 now (multiple of 4): 10 becomes 20.
        (offer(multiple=4, tiers=((20, 70),)), None, (SNAPPED, PRICE_DOWN), True, 1, 20, 70),
        # Discontinued with a replacement: the replacement is offered instead.
        (offer(discontinued=True), offer(2, "VIS-450", tiers=((1, 90),)), (REPLACED,), True,
         2, 10, 90),
        (offer(discontinued=True), offer(2, "VIS-450", multiple=25, stock=0,
                                         tiers=((1, 120),)),
         (REPLACED, SNAPPED, PRICE_UP, LOW_STOCK), True, 2, 25, 120),
        # Discontinued and nothing (orderable) to replace it: cannot be selected.
        (offer(discontinued=True), None, (DISCONTINUED,), False, None, 0, None),
        (offer(discontinued=True), offer(2, "X", discontinued=True), (DISCONTINUED,), False,
         None, 0, None),
        (offer(discontinued=True), offer(2, "X", tiers=()), (DISCONTINUED,), False, None, 0,
         None),
        # No longer visible to this customer, or gone: said plainly, cannot be selected.
        (None, None, (UNAVAILABLE,), False, None, 0, None),
        # Visible but no price for this customer.
        (offer(tiers=()), None, (NO_PRICE,), False, None, 0, None),
    ],
)
def test_preview_line_says_what_changed_since_the_order(current, replacement, changes,
                                                        selectable, product_id, quantity,
                                                        price):
    change = preview_line(PAST, current, replacement)
    assert change.changes == changes
    assert change.selectable is selectable
    assert change.product_id == product_id
    assert change.quantity == quantity
    assert change.unit_price_cents == price
    # What was bought then is always kept, to be shown next to what changed.
    assert (change.sku_then, change.quantity_then, change.paid_unit_cents) == ("VIS-440", 10, 90)


@pytest.mark.parametrize(
    ("now", "delta"),
    [(90, 0), (95, 5), (80, -10)],
)
def test_price_delta_is_the_price_now_minus_the_price_paid(now, delta):
    change = preview_line(PAST, offer(tiers=((1, now),)))
    assert change.price_delta_cents == delta
    assert change.line_total_cents == now * 10


@pytest.mark.parametrize(
    ("quantity", "multiple", "tiers", "error"),
    [
        (12, 12, (), None),
        (24, 12, ((12, 300),), None),
        (13, 12, ((12, 300),), Reason.MULTIPLE),
        (5, 5, ((10, 100),), Reason.MINIMUM),
        (10, 5, ((10, 100),), None),
        (7, 1, ((1, 100),), None),
    ],
)
def test_a_typed_quantity_must_fit_the_selling_unit_and_the_smallest_tier(quantity, multiple,
                                                                         tiers, error):
    assert pick_error(quantity, multiple, tuple(Tier(q, c) for q, c in tiers)) == error
