"""The portal without a signal (issue 19): installable (manifest, icons, service worker), the
page shown offline, nothing kept after sign-out, and a change sent again (the offline queue's
replay, or a retry after a lost answer) done once."""

import json
from datetime import UTC, datetime, timedelta
from io import BytesIO

from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import CartLine, ReplayedChange
from portal.services import ordering
from tests.conftest import login

HTMX = {"HX-Request": "true"}


def _add(client, product, qty: str, key: str | None):
    headers = dict(HTMX, **({"Idempotency-Key": key} if key is not None else {}))
    return client.post(f"/catalog/p/{product.id}/cart", data={"qty": qty}, headers=headers)


def _in_cart(product) -> int:
    line = db.session.scalar(select(CartLine).where(CartLine.product_id == product.id))
    return line.quantity if line else 0


def test_the_portal_installs_on_the_home_screen(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest.mimetype == "application/manifest+json"
    data = json.loads(manifest.data)
    assert data["start_url"] == "/" and data["display"] == "standalone"
    assert data["short_name"] == "Pro Fournitures"
    for icon in data["icons"]:
        answer = client.get(icon["src"])
        size = int(icon["sizes"].split("x")[0])
        assert Image.open(BytesIO(answer.data)).size == (size, size)
    assert client.get("/app-icon-64.png").status_code == 404
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'data-sw="/sw.js"' in page


def test_the_service_worker_keeps_this_builds_bundles_and_is_checked_at_every_visit(client):
    answer = client.get("/sw.js")
    body = answer.get_data(as_text=True)
    assert answer.mimetype == "text/javascript"
    assert answer.headers["Cache-Control"] == "no-cache"
    page = client.get("/login").get_data(as_text=True)
    bundle_js = page.split('<script src="')[1].split('"')[0]
    assert bundle_js in body and '"/offline"' in body
    assert '"/cart/"' in body and '"/lists/"' in body and '"/orders/"' in body


def test_the_offline_page_holds_nothing_of_the_user(client, world):
    login(client, world.a.buyer)
    page = client.get("/offline").get_data(as_text=True)
    assert "Pas de connexion" in page and "Passer une commande demande le réseau" in page
    assert world.a.company.name not in page
    assert "bottom-nav" not in page


def test_signing_out_clears_what_the_phone_kept(client, world):
    login(client, world.a.buyer)
    answer = client.post("/logout")
    assert answer.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_a_change_sent_twice_with_its_key_is_done_once(client, world):
    screws = world.products["screws"]
    login(client, world.a.buyer)
    assert _add(client, screws, "5", "k-1").status_code == 200
    again = _add(client, screws, "5", "k-1")
    assert again.status_code == 204 and again.data == b""
    assert _in_cart(screws) == 5
    # Another change (another key) is done, as is one sent without a key.
    assert _add(client, screws, "5", "k-2").status_code == 200
    assert _add(client, screws, "5", None).status_code == 200
    assert _in_cart(screws) == 15


def test_a_refused_change_leaves_its_key_free_so_the_corrected_one_is_done(client, world):
    gloves = world.products["gloves"]  # sold by 12
    login(client, world.a.buyer)
    assert _add(client, gloves, "5", "k-1").status_code == 422
    assert _in_cart(gloves) == 0
    assert db.session.scalar(select(ReplayedChange.id)) is None
    assert _add(client, gloves, "12", "k-1").status_code == 200
    assert _in_cart(gloves) == 12


def test_keys_belong_to_one_user(client, world):
    screws = world.products["screws"]
    login(client, world.a.buyer)
    _add(client, screws, "5", "same")
    client.post("/logout")
    login(client, world.a.admin)
    assert _add(client, screws, "5", "same").status_code == 200
    lines = db.session.scalars(select(CartLine).where(CartLine.product_id == screws.id)).all()
    assert sorted(line.quantity for line in lines) == [5, 5]


def test_a_bad_key_is_refused_with_a_message_and_nothing_done(client, world):
    screws = world.products["screws"]
    login(client, world.a.buyer)
    answer = _add(client, screws, "5", "x" * 65)
    assert answer.status_code == 400
    assert "rechargez la page" in answer.get_data(as_text=True)
    assert _in_cart(screws) == 0


def test_old_keys_are_forgotten_after_thirty_days(app, world):
    now = datetime(2026, 12, 10, tzinfo=UTC)
    db.session.add_all([
        ReplayedChange(user_id=world.a.buyer.id, key="old", created_at=now - timedelta(days=31)),
        ReplayedChange(user_id=world.a.buyer.id, key="new", created_at=now - timedelta(days=29)),
    ])
    db.session.commit()
    assert ordering.forget_replay_keys(now) == 1
    assert db.session.scalars(select(ReplayedChange.key)).all() == ["new"]


def test_a_replay_for_a_product_gone_meanwhile_is_refused_and_keeps_nothing(client, world):
    """The queue shows the server's refusal; the key is not spent, nothing is in the cart."""
    login(client, world.b.buyer)
    answer = client.post("/catalog/p/999999/cart", data={"qty": "1"},
                         headers=dict(HTMX, **{"Idempotency-Key": "gone"}))
    assert answer.status_code == 404
    db.session.rollback()  # the request's end (teardown): nothing of it was committed
    assert db.session.scalar(select(ReplayedChange.id)) is None
    assert db.session.scalar(select(CartLine.id)) is None


def test_an_add_refused_because_the_product_was_withdrawn_says_why(client, world):
    """Sent again after a time offline: the row has no buy form any more, yet says why."""
    screws = world.products["screws"]
    screws.discontinued = True
    db.session.commit()
    login(client, world.a.buyer)
    answer = _add(client, screws, "5", "late")
    assert answer.status_code == 422
    assert 'role="alert">Ce produit est arrêté.</p>' in answer.get_data(as_text=True)
    assert _in_cart(screws) == 0
