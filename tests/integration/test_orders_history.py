"""Order history: who sees which orders, filters, paging, and a bounded number of queries."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.models import OrderStatus, Role
from tests import factories as f
from tests.conftest import htmx_headers, login


def numbers_on(page) -> list[str]:
    import re

    return re.findall(r'class="order-number">([^<]+)<', page.get_data(as_text=True))


@pytest.fixture
def orders(world):
    """Orders of company A by several people and units, and one of company B."""
    p = world.products
    a, b = world.a, world.b
    colleague = f.user(a.company, Role.BUYER, unit_id=a.sites[1].id,
                       email="colleague-a@test.example")
    elsewhere_unit = f.unit(a.company, "Other branch")
    outsider = f.user(a.company, Role.BUYER, unit_id=elsewhere_unit.id,
                      email="outsider-a@test.example")
    made = {
        "buyer_site1": f.order(a.buyer, [(p["screws"], 10, 80)], jobsite=a.sites[0],
                                po="PO-SITE1", number="A-0001"),
        "buyer_on_behalf": f.order(a.buyer, [(p["cement"], 2, 850)], on_behalf_by=world.rep,
                                    number="A-0002"),
        "colleague_site2": f.order(colleague, [(p["cement"], 1, 850)], jobsite=a.sites[1],
                                    unit=a.sites[1], number="A-0003",
                                    status=OrderStatus.SHIPPED),
        "outsider": f.order(outsider, [(p["screws"], 5, 97)], unit=elsewhere_unit,
                             number="A-0004", notes="urgent: crane on site"),
        "approver_own": f.order(a.approver, [(p["flour"], 10, 120)], unit=elsewhere_unit,
                                 number="A-0005"),
        "b": f.order(b.buyer, [(p["screws"], 10, 95)], number="B-0001"),
    }
    db.session.commit()
    return made


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("buyer", {"A-0001", "A-0002"}),
        ("viewer", {"A-0001", "A-0002", "A-0003", "A-0004", "A-0005"}),
        ("admin", {"A-0001", "A-0002", "A-0003", "A-0004", "A-0005"}),
        # The approver of "Agence" sees its jobsites' orders and their own, not other branches.
        ("approver", {"A-0001", "A-0002", "A-0003", "A-0005"}),
    ],
)
def test_history_shows_each_role_the_orders_in_its_scope(client, world, orders, role, expected):
    login(client, getattr(world.a, role))
    page = client.get("/orders/")
    assert page.status_code == 200
    assert set(numbers_on(page)) == expected


def test_buyer_sees_orders_placed_on_their_behalf_by_staff(client, world, orders):
    world.rep.name = "Rémi Martin"
    db.session.commit()
    login(client, world.a.buyer)
    page = client.get(f"/orders/{orders['buyer_on_behalf'].id}").get_data(as_text=True)
    assert "saisie par Rémi Martin pour le compte du client" in page


def test_history_is_newest_first(client, world, orders):
    login(client, world.a.admin)
    assert numbers_on(client.get("/orders/")) == ["A-0005", "A-0004", "A-0003", "A-0002",
                                                  "A-0001"]


def test_staff_are_not_served_by_the_customer_order_pages(client, world, orders):
    login(client, world.staff)
    assert client.get("/orders/").status_code == 403
    assert client.get(f"/orders/{orders['b'].id}").status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=shipped", ["A-0003"]),
        ("q=po-site", ["A-0001"]),
        ("q=A-0004", ["A-0004"]),
        ("q=crane", ["A-0004"]),  # notes
        ("q=CIM-35", ["A-0003", "A-0002"]),  # a line's SKU
        ("q=100%25", []),  # a literal "%" is not a wildcard
        ("status=not-a-status", ["A-0005", "A-0004", "A-0003", "A-0002", "A-0001"]),
    ],
)
def test_history_filters_by_status_and_text(client, world, orders, query, expected):
    login(client, world.a.admin)
    assert numbers_on(client.get(f"/orders/?{query}")) == expected


def test_history_text_search_ignores_case_in_any_language_and_follows_line_changes(
        client, world, orders):
    # Lines are renamed here as a trim or a correction would: the search follows the lines.
    from portal.models import Order

    order = db.session.get(Order, orders["colleague_site2"].id)
    order.lines[0].name = "ÉCROU À ŒIL"
    db.session.commit()
    login(client, world.a.admin)
    assert numbers_on(client.get("/orders/?q=écrou à œil")) == [order.number]
    db.session.delete(order.lines[0])
    db.session.commit()
    assert numbers_on(client.get("/orders/?q=écrou")) == []


def test_history_filters_by_jobsite_among_the_visible_ones(client, world, orders):
    login(client, world.a.admin)
    site2 = world.a.sites[1]
    assert numbers_on(client.get(f"/orders/?jobsite={site2.id}")) == ["A-0003"]
    # Another company's jobsite is not a choice: the filter is dropped, nothing leaks.
    page = client.get(f"/orders/?jobsite={world.b.sites[0].id}")
    assert "B-0001" not in page.get_data(as_text=True)
    assert len(numbers_on(page)) == 5


def test_filters_answer_only_the_results_fragment_to_htmx(client, world, orders):
    login(client, world.a.admin)
    response = client.get("/orders/?status=shipped", headers=htmx_headers("order_results"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="order_results"')
    assert "<html" not in body and numbers_on(response) == ["A-0003"]


def test_an_empty_filter_result_says_so(client, world, orders):
    login(client, world.a.admin)
    page = client.get("/orders/?q=nothing-like-this").get_data(as_text=True)
    assert "Aucune commande ne correspond à ces filtres." in page


def _many_orders(world, count, first=0):
    p = world.products
    start = f.T0 + timedelta(days=30)
    for i in range(first, first + count):
        f.order(world.a.buyer, [(p["screws"], 10, 80), (p["cement"], 1, 850)],
                 jobsite=world.a.sites[i % 2], placed_at=start + timedelta(hours=i),
                 number=f"M-{i:05d}")
    db.session.commit()


def test_load_more_pages_through_every_order_once(client, world):
    _many_orders(world, 45)
    login(client, world.a.buyer)
    first = client.get("/orders/")
    seen = numbers_on(first)
    assert len(seen) == 20 and seen[0] == "M-00044"
    import re

    more = re.search(r'id="load_more".*?href="([^"]+)"', first.get_data(as_text=True), re.S)
    url = more.group(1).replace("&amp;", "&")
    while url:
        response = client.get(url, headers=htmx_headers("load_more"))
        body = response.get_data(as_text=True)
        assert "<html" not in body and body.lstrip().startswith('<li class="order-row"')
        seen += numbers_on(response)
        found = re.search(r'id="load_more".*?href="([^"]+)"', body, re.S)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen == [f"M-{i:05d}" for i in range(44, -1, -1)]


def test_load_more_works_as_a_plain_link_without_javascript(client, world):
    _many_orders(world, 25)
    login(client, world.a.buyer)
    first = numbers_on(client.get("/orders/"))
    import re

    body = client.get("/orders/").get_data(as_text=True)
    url = re.search(r'id="load_more".*?href="([^"]+)"', body, re.S).group(1)
    second = client.get(url.replace("&amp;", "&"))
    assert "<html" in second.get_data(as_text=True)
    assert numbers_on(second) == [f"M-{i:05d}" for i in range(4, -1, -1)]
    assert not set(first) & set(numbers_on(second))


def test_a_tampered_cursor_starts_from_the_newest_order(client, world, orders):
    login(client, world.a.admin)
    assert numbers_on(client.get("/orders/?cursor=x'or'1"))[0] == "A-0005"


def _statements_for(client, url) -> int:
    count = 0

    def before(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return count


def test_history_page_costs_the_same_queries_for_20_or_40_orders(client, world):
    login(client, world.a.buyer)
    _many_orders(world, 20)
    with_20 = _statements_for(client, "/orders/")
    _many_orders(world, 20, first=20)
    with_40 = _statements_for(client, "/orders/")
    assert with_20 == with_40
    assert with_40 <= 8


def test_approver_history_costs_the_same_queries_whatever_the_page_length(client, world):
    login(client, world.a.approver)
    _many_orders(world, 5)
    few = _statements_for(client, "/orders/")
    _many_orders(world, 30, first=5)
    many = _statements_for(client, "/orders/?q=M-")
    assert few == many
