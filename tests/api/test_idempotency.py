"""Idempotency-Key: a replay gets the first answer, a reused key with another body is 409,
and concurrent duplicates on PostgreSQL do the work once."""

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import OrderEvent, OrderStatus, Shipment
from portal.services import integration
from tests import factories as f
from tests.api.conftest import assert_problem


@pytest.fixture
def erp(make_caller, world):
    caller = make_caller("fulfilment:write", "orders:read")
    caller.order = f.order(world.a.buyer, [(world.products["cement"], 4)],
                           status=OrderStatus.CONFIRMED, commit=True)
    caller.path = f"/api/v1/orders/{caller.order.id}/shipments"
    caller.body = {"lines": [{"line_id": caller.order.lines[0].id, "quantity": 1}],
                   "carrier": "Geodis"}
    return caller


def _shipments() -> int:
    return db.session.scalar(select(func.count()).select_from(Shipment))


def test_a_replay_returns_the_first_answer_and_ships_once(app, erp):
    key = {"Idempotency-Key": "ship-0001"}
    first = erp.post(erp.path, erp.body, headers=key)
    again = erp.post(erp.path, erp.body, headers=key)
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert _shipments() == 1
    assert erp.post(erp.path, erp.body, headers={"Idempotency-Key": "ship-0002"}
                    ).status_code == 200
    assert _shipments() == 2  # another key is another shipment


def test_the_same_key_with_another_body_is_409(app, erp):
    key = {"Idempotency-Key": "ship-0001"}
    erp.post(erp.path, erp.body, headers=key)
    other = dict(erp.body, carrier="DHL")
    assert_problem(erp.post(erp.path, other, headers=key), 409, "idempotency_key_reused")
    assert _shipments() == 1


def test_a_refused_write_keeps_no_answer_so_a_fixed_retry_works(app, erp):
    key = {"Idempotency-Key": "ship-0003"}
    too_many = {"lines": [{"line_id": erp.order.lines[0].id, "quantity": 99}]}
    assert erp.post(erp.path, too_many, headers=key).status_code == 422
    assert erp.post(erp.path, too_many, headers=key).status_code == 422  # not a replay
    assert _shipments() == 0


def test_keys_belong_to_their_client(app, erp, make_caller):
    other = make_caller("fulfilment:write")
    key = {"Idempotency-Key": "shared-name"}
    erp.post(erp.path, erp.body, headers=key)
    assert other.post(erp.path, erp.body, headers=key).headers.get(
        "Idempotent-Replayed") is None
    assert _shipments() == 2


def test_concurrent_duplicates_do_the_work_once_on_postgresql(pg_app, figure):
    buyer = f.user(f.company(), email="buyer@race.test")
    product = f.product(f.category(), "RACE-1", tiers={1: 100})
    order = f.order(buyer, [(product, 50)], status=OrderStatus.CONFIRMED, commit=True)
    _client, token = integration.create_client("ERP race", ["fulfilment:write"],
                                               now=datetime.now(UTC))
    db.session.commit()
    path = f"/api/v1/orders/{order.id}/shipments"
    trials, per_trial, answers = 5, 8, []
    for trial in range(trials):
        barrier = threading.Barrier(per_trial)
        results: list = [None] * per_trial

        def send(n, trial=trial, barrier=barrier, results=results):
            with pg_app.app_context():
                try:
                    barrier.wait()
                    results[n] = pg_app.test_client().post(path, json={
                        "lines": [{"line_id": order.lines[0].id, "quantity": 1}]}, headers={
                        "Authorization": f"Bearer {token}", "Idempotency-Key": f"t-{trial}"})
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=send, args=(n,)) for n in range(per_trial)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        answers.extend(results)
    db.session.expire_all()
    shipped = db.session.scalar(select(func.count()).select_from(Shipment))
    events = db.session.scalar(select(func.count()).select_from(OrderEvent))
    statuses = sorted({a.status_code for a in answers})
    figure(f"idempotency race: {trials} keys × {per_trial} concurrent posts -> "
           f"{shipped} shipments, answers {statuses}")
    assert statuses == [200]
    assert shipped == trials and events == trials
    assert len({a.get_data() for a in answers[:per_trial]}) == 1
