"""Requests released together by a barrier, each in its own app context (its own database
session and transaction): the way the race tests make several phones tap at once."""

import threading

from portal.extensions import db


def post_together(app, clients, path: str, forms: list[dict], headers=None) -> list:
    """Client n posts forms[n] to `path`; all at the same instant. Returns the answers."""
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def submit(n):
        with app.app_context():
            try:
                barrier.wait()
                answers[n] = clients[n].post(path, data=forms[n], headers=headers)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def decide_together(app, buyer_ids: list[int], product_id: int, cents: int, decide,
                    jobsite_ids: list | None = None) -> list:
    """Each buyer builds an order of one line at `cents` in its own thread (its own session),
    then all call `decide(order, buyer, at)` (approval routing, the credit check) at the same
    instant and commit. Returns each outcome: the order's status, or the error's repr."""
    from portal.models import Product, Unit, User
    from tests import factories as f

    barrier = threading.Barrier(len(buyer_ids))
    outcomes: list = [None] * len(buyer_ids)
    jobsite_ids = jobsite_ids or [None] * len(buyer_ids)

    def place(n):
        with app.app_context(), app.test_request_context():
            try:
                buyer = db.session.get(User, buyer_ids[n])
                jobsite = db.session.get(Unit, jobsite_ids[n]) if jobsite_ids[n] else None
                order = f.order(buyer, [(db.session.get(Product, product_id), 1, cents)],
                                jobsite=jobsite)
                barrier.wait()
                decide(order, buyer, order.placed_at)
                db.session.commit()
                outcomes[n] = str(order.status)
            except Exception as exc:  # noqa: BLE001 - reported by the caller's assertion
                db.session.rollback()
                outcomes[n] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=place, args=(n,)) for n in range(len(buyer_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes
