"""Shopping lists: private and shared lists, who edits them, and 404s on every route."""

import pytest

from portal.extensions import db
from portal.models import Role, ShoppingList
from tests import factories as f
from tests.conftest import htmx_headers, login


@pytest.fixture
def lists(world):
    p = world.products
    a = world.a
    colleague = f.user(a.company, Role.BUYER, email="colleague@test.example", name="Marc")
    made = {
        "mine": f.shopping_list(a.buyer, "Mine", lines=[(p["screws"], 10)]),
        "shared": f.shopping_list(colleague, "Site 1 weekly", shared=True, unit=a.sites[0],
                                   lines=[(p["cement"], 2)]),
        "private": f.shopping_list(colleague, "Marc private", lines=[(p["cement"], 3)]),
        "foreign": f.shopping_list(world.b.buyer, "B list", shared=True,
                                    lines=[(p["screws"], 10)]),
    }
    db.session.commit()
    made["colleague"] = colleague
    return made


def test_index_shows_my_lists_and_the_shared_ones_only(client, world, lists):
    login(client, world.a.buyer)
    body = client.get("/lists/").get_data(as_text=True)
    assert "Mine" in body and "Site 1 weekly" in body
    assert "Marc private" not in body and "B list" not in body


@pytest.mark.parametrize("role", ["buyer", "viewer", "approver", "admin"])
def test_every_customer_of_the_company_sees_a_shared_list(client, world, lists, role):
    login(client, getattr(world.a, role))
    assert client.get(f"/lists/{lists['shared'].id}").status_code == 200


def test_a_buyer_may_order_from_a_shared_list_but_not_change_it(client, world, lists):
    login(client, world.a.buyer)
    shared = lists["shared"]
    body = client.get(f"/lists/{shared.id}").get_data(as_text=True)
    assert "Tout ajouter au panier" in body
    assert f"/lists/{shared.id}/edit" not in body and 'name="qty-' not in body
    line = shared.lines[0]
    assert client.post(f"/lists/{shared.id}/line/{line.id}/remove").status_code == 403
    assert client.post(f"/lists/{shared.id}/edit", data={"name": "Mine now"}).status_code == 403
    assert client.post(f"/lists/{shared.id}/delete").status_code == 403
    assert client.post(f"/lists/{shared.id}/to-cart", data={"all": "1"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(ShoppingList, shared.id).name == "Site 1 weekly"


def test_a_company_admin_edits_a_shared_list_but_cannot_unshare_it(client, world, lists):
    login(client, world.a.admin)
    shared = lists["shared"]
    response = client.post(f"/lists/{shared.id}/edit",
                           data={"name": "Site 1 – weekly", "jobsite": ""})
    assert response.status_code == 303
    db.session.expire_all()
    found = db.session.get(ShoppingList, shared.id)
    assert found.name == "Site 1 – weekly" and found.shared and found.unit_id is None


def test_the_owner_shares_and_unshares_their_list(client, world, lists):
    login(client, world.a.buyer)
    mine = lists["mine"]
    client.post(f"/lists/{mine.id}/edit", data={"name": "Mine", "shared": "1"})
    db.session.expire_all()
    assert db.session.get(ShoppingList, mine.id).shared
    client.post("/logout")
    login(client, lists["colleague"])
    assert client.get(f"/lists/{mine.id}").status_code == 200


def test_create_a_list_for_a_jobsite(client, world, lists):
    login(client, world.a.buyer)
    response = client.post("/lists/new", data={"name": "  Kitchen   2 ", "shared": "1",
                                               "jobsite": str(world.a.sites[1].id)})
    assert response.status_code == 303
    created = db.session.scalar(
        db.select(ShoppingList).where(ShoppingList.name == "Kitchen 2"))
    assert created.shared and created.unit_id == world.a.sites[1].id
    assert created.owner_id == world.a.buyer.id and created.company_id == world.a.company.id
    assert response.headers["Location"].endswith(f"/lists/{created.id}")


@pytest.mark.parametrize(("data", "status"), [
    ({"name": ""}, 422),
    ({"name": "x" * 121}, 422),
    ({"name": "Ok", "jobsite": "abc"}, 422),
])
def test_create_refuses_a_bad_name_or_jobsite(client, world, lists, data, status):
    login(client, world.a.buyer)
    assert client.post("/lists/new", data=data).status_code == status


def test_a_jobsite_of_another_company_is_refused(client, world, lists):
    login(client, world.a.buyer)
    response = client.post("/lists/new", data={"name": "Sneaky",
                                               "jobsite": str(world.b.sites[0].id)})
    assert response.status_code == 422
    assert db.session.scalar(
        db.select(ShoppingList).where(ShoppingList.name == "Sneaky")) is None


def test_delete_asks_for_confirmation_on_a_page_then_deletes(client, world, lists):
    login(client, world.a.buyer)
    mine = lists["mine"]
    page = client.get(f"/lists/{mine.id}/delete")
    assert page.status_code == 200
    assert f'action="/lists/{mine.id}/delete"' in page.get_data(as_text=True)
    assert client.post(f"/lists/{mine.id}/delete").status_code == 303
    db.session.expire_all()
    assert db.session.get(ShoppingList, mine.id) is None


def _routes(sl):
    line = sl.lines[0].id
    return [
        ("get", f"/lists/{sl.id}"),
        ("post", f"/lists/{sl.id}/edit"),
        ("get", f"/lists/{sl.id}/delete"),
        ("post", f"/lists/{sl.id}/delete"),
        ("post", f"/lists/{sl.id}/line/{line}"),
        ("post", f"/lists/{sl.id}/line/{line}/move?dir=up"),
        ("post", f"/lists/{sl.id}/line/{line}/remove"),
        ("post", f"/lists/{sl.id}/line/{line}/swap"),
        ("post", f"/lists/{sl.id}/to-cart"),
    ]


@pytest.mark.parametrize("which", ["foreign", "private"])
@pytest.mark.parametrize("as_htmx", [False, True])
def test_a_foreign_or_private_list_is_a_404_on_every_route(client, world, lists, which,
                                                           as_htmx):
    login(client, world.a.admin)  # even a company admin: a private list is its owner's
    target = lists[which]
    before = [(line.id, line.quantity) for line in target.lines]
    headers = htmx_headers("list_lines") if as_htmx else {}
    data = {"name": "Hacked", "all": "1", "quantity": "99", "shared": "1"}
    for verb, url in _routes(target):
        response = getattr(client, verb)(url, headers=headers,
                                         **({"data": data} if verb == "post" else {}))
        assert response.status_code == 404, (verb, url)
    db.session.expire_all()
    found = db.session.get(ShoppingList, target.id)
    assert found.name != "Hacked"
    assert [(line.id, line.quantity) for line in found.lines] == before


def test_a_line_of_another_list_is_a_404(client, world, lists):
    login(client, world.a.buyer)
    mine, theirs = lists["mine"], lists["private"]
    other_line = theirs.lines[0].id
    for url in (f"/lists/{mine.id}/line/{other_line}",
                f"/lists/{mine.id}/line/{other_line}/remove",
                f"/lists/{mine.id}/line/{other_line}/move?dir=up"):
        assert client.post(url, data={"quantity": "5"}).status_code == 404
