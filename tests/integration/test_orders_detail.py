"""Order detail and tracking, the home card, and 404s for orders outside the user's scope."""

import pytest

from portal.extensions import db
from portal.models import OrderStatus, Role
from tests import factories as f
from tests.conftest import htmx_headers, login


@pytest.fixture
def tracked(world):
    p = world.products
    a = world.a
    order = f.order(a.buyer, [
        (p["screws"], 20, 80),
        (p["gloves"], 24, 300, {"backordered_qty": 12, "backorder_date": f.BACKORDER_DATE}),
    ], jobsite=a.sites[0], po="PO-4471", status=OrderStatus.PARTIALLY_SHIPPED, number="A-7001")
    f.event(order, "status", status=OrderStatus.CONFIRMED, actor=world.fulfilment)
    f.event(order, "trim", actor=a.approver, message="Gloves 36 → 24")
    f.shipment(order, [(order.lines[0], 20), (order.lines[1], 12)], carrier="Geodis",
                tracking="GEO-99-12345")
    f.event(order, "shipment", status=OrderStatus.PARTIALLY_SHIPPED, actor=world.fulfilment,
             message="Geodis GEO-99-12345")
    db.session.commit()
    return order


def test_detail_shows_lines_with_ordered_shipped_and_backordered_quantities(client, world,
                                                                           tracked):
    login(client, world.a.buyer)
    page = client.get(f"/orders/{tracked.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "A-7001" in body and "PO-4471" in body and "Site 1" in body
    assert "En reliquat" in body
    assert "1 avr. 2026" in body  # the backorder date, in the French medium format
    assert "0,80" in body and "3,00" in body  # frozen unit prices


def test_tracking_number_is_shown_as_copyable_text(client, world, tracked):
    login(client, world.a.buyer)
    body = client.get(f"/orders/{tracked.id}").get_data(as_text=True)
    assert '<code class="tracking-number">GEO-99-12345</code>' in body
    assert "Geodis" in body


def test_timeline_lists_status_changes_trims_and_shipments_with_who(client, world, tracked):
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    body = client.get(f"/orders/{tracked.id}").get_data(as_text=True)
    timeline = body[body.index('class="timeline"'):]
    for text in ("Order placed", "Confirmed", "Line trimmed", "Gloves 36 → 24",
                 "Partially shipped", world.a.approver.name):
        assert text in timeline


def test_timeline_and_status_are_in_french_by_default(client, world, tracked):
    login(client, world.a.buyer)
    body = client.get(f"/orders/{tracked.id}").get_data(as_text=True)
    assert "Commande passée" in body
    assert "Partiellement expédiée" in body


def test_pending_order_says_who_it_waits_for(client, world):
    a = world.a
    sophie = f.user(a.company, Role.APPROVER, unit_id=a.branch.id, name="Sophie Durand",
                    email="sophie@test.example")
    order = f.order(a.buyer, [(world.products["cement"], 2, 850)],
                     status=OrderStatus.PENDING_APPROVAL)
    f.pending_approval(order, approver=sophie)
    db.session.commit()
    login(client, a.buyer)
    body = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Sophie Durand" in body


def test_pending_order_waiting_for_a_role_names_the_people_of_that_unit(client, world):
    a = world.a
    order = f.order(a.buyer, [(world.products["cement"], 2, 850)],
                     status=OrderStatus.PENDING_APPROVAL)
    f.pending_approval(order, role=Role.APPROVER, unit=a.branch)
    db.session.commit()
    login(client, a.buyer)
    body = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert a.approver.name in body


def test_an_approver_named_on_a_request_sees_the_order_outside_their_unit(client, world):
    a = world.a
    other = f.unit(a.company, "Other branch")
    far_buyer = f.user(a.company, Role.BUYER, unit_id=other.id, email="far@test.example")
    order = f.order(far_buyer, [(world.products["cement"], 2, 850)], unit=other,
                     status=OrderStatus.PENDING_APPROVAL)
    f.pending_approval(order, approver=a.approver)
    db.session.commit()
    login(client, a.approver)
    assert client.get(f"/orders/{order.id}").status_code == 200


def test_detail_offers_reorder_to_buyers_and_not_to_viewers(client, world, tracked):
    login(client, world.a.buyer)
    assert ">Commander à nouveau<" in client.get(f"/orders/{tracked.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, world.a.viewer)
    body = client.get(f"/orders/{tracked.id}").get_data(as_text=True)
    assert "Commander à nouveau" not in body and "Ajouter à une liste" in body
    assert client.get(f"/orders/{tracked.id}/reorder").status_code == 403


def test_home_card_shows_and_repeats_one_order_my_last_one_to_my_jobsite(client, world):
    a, p = world.a, world.products
    to_site1 = f.order(a.buyer, [(p["cement"], 1, 850)], jobsite=a.sites[0], number="A-1",
                        status=OrderStatus.CONFIRMED)
    newest = f.order(a.buyer, [(p["cement"], 2, 850)], jobsite=a.sites[1], number="A-2")
    a.buyer.last_jobsite_id = a.sites[0].id
    a.buyer.language = "en"
    db.session.commit()
    login(client, a.buyer)
    body = client.get("/").get_data(as_text=True)
    card = body[body.index('class="card orders-card"'):]
    card = card[:card.index("</section>")]
    assert f'href="/orders/{to_site1.id}"' in card and "Confirmed" in card
    assert f'href="/orders/{to_site1.id}/reorder"' in card and "placed by you" in card
    assert "Repeat my last order to Site 1" in card and f"/orders/{newest.id}" not in card


def test_the_admins_home_card_is_about_his_own_last_order_and_says_whose(client, world):
    """An admin sees every order of the company: the card used to show the newest one (a
    buyer's) while its button repeated the admin's own."""
    a, p = world.a, world.products
    mine = f.order(a.admin, [(p["cement"], 1, 850)], number="ADM-1")
    theirs = f.order(a.buyer, [(p["cement"], 2, 850)], number="BUY-2")
    a.admin.language = a.viewer.language = "en"
    db.session.commit()
    login(client, a.admin)
    body = client.get("/").get_data(as_text=True)
    card = body[body.index('class="card orders-card"'):]
    card = card[:card.index("</section>")]
    assert "ADM-1" in card and "BUY-2" not in card and "placed by you" in card
    assert f'href="/orders/{mine.id}/reorder"' in card
    client.post("/logout")
    login(client, a.viewer)  # never ordered: the company's newest, whose it is, no repeat
    body = client.get("/").get_data(as_text=True)
    card = body[body.index('class="card orders-card"'):]
    card = card[:card.index("</section>")]
    assert "BUY-2" in card and f"placed by {a.buyer.name}" in card
    assert "/reorder" not in card and f"/orders/{theirs.id}" in card


def test_home_card_is_hidden_without_orders(client, world):
    login(client, world.a.buyer)
    assert "orders-card" not in client.get("/").get_data(as_text=True)


ORDER_ROUTES = [
    ("get", "/orders/{id}"),
    ("get", "/orders/{id}/reorder"),
    ("post", "/orders/{id}/reorder"),
    ("get", "/orders/{id}/to-list"),
    ("post", "/orders/{id}/to-list"),
]


@pytest.mark.parametrize(("verb", "route"), ORDER_ROUTES)
@pytest.mark.parametrize("as_htmx", [False, True])
def test_another_companys_order_is_a_404_on_every_route(client, world, verb, route, as_htmx):
    foreign = f.order(world.b.buyer, [(world.products["screws"], 10, 95)])
    db.session.commit()
    login(client, world.a.admin)
    headers = htmx_headers() if as_htmx else {}
    data = {"line": str(foreign.lines[0].id), "action": "add", "new_name": "x"}
    response = getattr(client, verb)(route.format(id=foreign.id), headers=headers,
                                     **({"data": data} if verb == "post" else {}))
    assert response.status_code == 404
    assert db.session.get(type(foreign), foreign.id).lines[0].quantity == 10


@pytest.mark.parametrize(("verb", "route"), ORDER_ROUTES)
def test_a_colleagues_order_is_a_404_for_a_buyer(client, world, verb, route):
    colleague = f.user(world.a.company, Role.BUYER, email="colleague@test.example")
    theirs = f.order(colleague, [(world.products["cement"], 1, 850)])
    db.session.commit()
    login(client, world.a.buyer)
    response = getattr(client, verb)(route.format(id=theirs.id),
                                     **({"data": {"new_name": "x"}} if verb == "post" else {}))
    assert response.status_code == 404


def test_a_missing_order_is_a_404(client, world):
    login(client, world.a.admin)
    assert client.get("/orders/999999").status_code == 404
