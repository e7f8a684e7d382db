"""The order API tells which lines the buyer marked "no substitute"."""

from portal.extensions import db
from tests import factories as f


def test_an_order_line_marked_no_substitute_says_so_in_the_api(make_caller, world):
    order = f.order(world.a.buyer, [(world.products["cement"], 2), (world.products["screws"], 1)],
                    commit=True)
    order.lines[0].no_substitute = True
    db.session.commit()
    body = make_caller("orders:read").get(f"/api/v1/orders/{order.id}").get_json()
    assert [line["no_substitute"] for line in body["lines"]] == [True, False]
