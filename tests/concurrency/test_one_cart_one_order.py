"""One cart makes one order, even from two checkouts of one buyer at the same instant.

Two tabs or two phones of the same buyer open checkout (each form gets its own single-use
token, so the token does not help) and submit together. Exactly one order per trial; every
answer leads to it, and the late one says the cart was already ordered.

Both databases: SQLite (the embedded default) and PostgreSQL; prints the figure.
"""


from sqlalchemy import func, select

from portal.extensions import db
from portal.models import CartLine, Order
from tests.concurrency.bursts import post_together
from tests.conftest import login
from tests.factories import cart_with, checkout_token

TRIALS = 15
SESSIONS = 3
EN = {"Accept-Language": "en"}


def test_two_checkouts_of_one_cart_at_once_make_one_order(figure, app, world):
    buyer, site = world.a.buyer, world.a.sites[0]
    clients = [app.test_client() for _ in range(SESSIONS)]
    for client in clients:
        login(client, buyer)
    extra, problems = 0, []
    for trial in range(TRIALS):
        cart_with(buyer, (world.products["cement"], 2), (world.products["screws"], 5))
        before = db.session.scalar(select(func.count(Order.id)))
        forms = [{"token": checkout_token(c), "place": f"jobsite:{site.id}"} for c in clients]
        answers = post_together(app, clients, "/checkout/", forms, headers=EN)
        db.session.expire_all()
        placed = db.session.scalars(select(Order).where(Order.id > 0).order_by(Order.id)
                                    ).all()[before:]
        extra += len(placed) - 1
        codes = [a.status_code for a in answers]
        if len(placed) != 1 or codes != [303] * SESSIONS:
            problems.append((trial, len(placed), codes))
            continue
        order = placed[0]
        locations = {a.headers["Location"] for a in answers}
        assert locations == {f"/orders/{order.id}"}, locations
        assert db.session.scalar(select(func.count(CartLine.id))) == 0
        # The late checkouts land on the same order and say why.
        pages = [c.get(f"/orders/{order.id}", headers=EN).get_data(as_text=True)
                 for c in clients]
        late = [p for p in pages if f"already ordered a moment ago: order {order.number}" in p]
        assert len(late) == SESSIONS - 1, trial
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    figure(f"one cart, one order ({backend}): {TRIALS} trials × {SESSIONS} checkouts, "
           f"{extra} extra orders, {len(problems)} trials wrong")
    assert problems == [], problems[:5]
