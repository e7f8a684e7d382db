"""Faults: an exception at any step of checkout leaves no orphan rows and the cart intact,
and a retry with the same form then places the order exactly once."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ApprovalRequest, CartLine, Order, OrderEvent, OrderLine, OutboxMessage
from tests.conftest import login
from tests.factories import checkout_token

# The steps of place_order, each made to fail in turn (module, attribute).
STEPS = [
    ("portal.services.ordering.checkout", "order_number"),
    ("portal.services.approvals", "route_new_order"),
    ("portal.services.ordering.checkout", "queue_email"),
    ("portal.services.approvals.routing", "notify_approvers"),
]


def _counts() -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Order, OrderLine, OrderEvent, ApprovalRequest, OutboxMessage))


@pytest.mark.parametrize(("module", "name"), STEPS)
def test_a_failure_at_any_checkout_step_leaves_nothing_behind_and_a_retry_works(
        figure, app, client, world, monkeypatch, module, name):
    import importlib

    login(client, world.a.buyer)
    # Over the 1,000 EUR limit with a rule: the approval path runs too.
    from tests.factories import approval_over_limit

    approval_over_limit(world.a.company)
    db.session.commit()
    assert client.post("/quick-order/add", data={"paste": "CIM-35;150"}).status_code == 303
    cart_before = [(line.product_id, line.quantity) for line in
                   db.session.scalars(select(CartLine))]
    rows_before = _counts()
    token = checkout_token(client)
    form = {"token": token, "place": f"jobsite:{world.a.sites[0].id}", "po_number": "PO-1"}

    target = importlib.import_module(module)
    original = getattr(target, name)

    def broken(*args, **kwargs):
        raise RuntimeError(f"injected fault in {name}")

    monkeypatch.setattr(target, name, broken)
    failed = client.post("/checkout/", data=form)
    assert failed.status_code == 500
    db.session.expire_all()
    assert _counts() == rows_before
    assert [(line.product_id, line.quantity) for line in
            db.session.scalars(select(CartLine))] == cart_before

    monkeypatch.setattr(target, name, original)
    retried = client.post("/checkout/", data=form)
    again = client.post("/checkout/", data=form)
    assert retried.status_code == again.status_code == 303
    assert retried.headers["Location"] == again.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Order)) == rows_before[0] + 1
    figure(f"fault in {name}: no orphan rows, cart intact, retry placed one order")


def test_database_unreachable_answers_503_with_retry_after_and_keeps_the_cart(
        app, client, world, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import portal.services.ordering as ordering

    login(client, world.a.buyer)
    assert client.post("/quick-order/add", data={"paste": "CIM-35;2"}).status_code == 303
    form = {"token": checkout_token(client), "place": f"jobsite:{world.a.sites[0].id}",
            "po_number": "PO-2"}

    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(ordering, "place_order", unreachable)
    page = client.post("/checkout/", data=form)
    fragment = client.post("/checkout/", data=form, headers={"HX-Request": "true"})
    assert page.status_code == fragment.status_code == 503
    assert page.headers["Retry-After"] == "10"
    assert fragment.headers["HX-Retarget"] == "#alerts"
    assert db.session.scalar(select(func.count()).select_from(CartLine)) == 1
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0
