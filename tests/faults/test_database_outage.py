"""PostgreSQL goes away under a running portal, then comes back: 503 pages with Retry-After
while it is away (never a 500), the user's cart untouched, and the very first request after
it returns answered normally, without a restart (the pool pings its connections).

The app reaches PostgreSQL through a loopback proxy that the test cuts: live connections
drop and new ones are refused, as when the server stops. PostgreSQL only.
"""

import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, make_url, select
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from portal.models import CartLine, Order
from tests.conftest import _make_app, _truncate_all, base_config, htmx_headers, login
from tests.factories import cart_with, checkout_token
from tests.faults.tcp_proxy import CuttableProxy


@pytest.fixture
def proxy(request):
    url = make_url(request.getfixturevalue("_pg_schema"))  # skips without PostgreSQL
    found = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    yield found
    found.close()


@pytest.fixture
def app(request, proxy):
    """The `app` of the other tests, on PostgreSQL through the proxy (world, client use it)."""
    url = make_url(request.getfixturevalue("_pg_schema")).set(host="127.0.0.1", port=proxy.port)
    application = _make_app(base_config(
        SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False)))
    with application.app_context():
        _truncate_all()
        yield application
        proxy.restore()  # when the test failed during the outage
        try:
            db.session.remove()
        except OperationalError:  # the test's own session was on a connection it cut
            db.session.registry.clear()
        _truncate_all()
        db.engine.dispose()


PAGES = ["/", "/catalog/", "/catalog/p/{product}", "/orders/", "/cart/", "/checkout/",
         "/quick-order/", "/account/"]


def _pages(world) -> list[str]:
    return [p.format(product=world.products["cement"].id) for p in PAGES]


@pytest.mark.postgres
def test_pages_and_taps_during_an_outage_answer_503_and_the_portal_recovers_alone(
        figure, app, client, proxy, world):
    login(client, world.a.buyer)
    cart_with(world.a.buyer, (world.products["cement"], 2))
    cement = world.products["cement"].id
    assert all(client.get(p).status_code == 200 for p in _pages(world))
    form = {"token": checkout_token(client), "place": f"jobsite:{world.a.sites[0].id}",
            "po_number": "PO-OUTAGE", "notes": "Grue sur place"}

    proxy.cut()
    answers = {p: client.get(p) for p in _pages(world)}
    taps = {
        "stepper": client.post(f"/catalog/p/{cement}/qty", data={"qty": "3", "step": "1"},
                               headers=htmx_headers()),
        "add to cart": client.post(f"/catalog/p/{cement}/cart", data={"qty": "1"},
                                   headers=htmx_headers()),
        "place order (htmx)": client.post("/checkout/", data=form,
                                          headers={"HX-Request": "true", "HX-Boosted": "true"}),
        "place order (no JS)": client.post("/checkout/", data=form),
        "sign in (no JS)": app.test_client().post(
            "/login", data={"email": "x@test.example", "password": "typed-secret"}),
    }
    statuses = {k: r.status_code for k, r in {**answers, **taps}.items()}
    assert set(statuses.values()) == {503}, statuses
    for response in (*answers.values(), *taps.values()):
        assert response.headers["Retry-After"] == "10"
        assert "briefly unavailable" in response.get_data(as_text=True) or \
            "momentanément indisponible" in response.get_data(as_text=True)
    for name in ("stepper", "add to cart", "place order (htmx)"):
        assert taps[name].headers["HX-Retarget"] == "#alerts", name
    no_js = taps["place order (no JS)"].get_data(as_text=True)
    assert 'value="PO-OUTAGE"' in no_js and "Grue sur place" in no_js  # sent again on a tap
    assert "typed-secret" not in taps["sign in (no JS)"].get_data(as_text=True)

    proxy.restore()
    first = client.get("/catalog/")
    assert first.status_code == 200
    placed = client.post("/checkout/", data=form)
    again = client.post("/checkout/", data=form)
    assert placed.status_code == again.status_code == 303
    assert placed.headers["Location"] == again.headers["Location"]
    db.session.expire_all()
    [order] = db.session.scalars(select(Order)).all()
    assert (order.po_number, order.notes) == ("PO-OUTAGE", "Grue sur place")
    assert db.session.scalar(select(func.count()).select_from(CartLine)) == 0
    figure(f"database outage (in-process): {len(answers)} pages and {len(taps)} taps answered "
           "503 + Retry-After: 10 while PostgreSQL was away, 0 answers 500; first request "
           "after it returned: 200; the same checkout then placed 1 order")


@pytest.mark.postgres
def test_a_connection_lost_once_the_page_is_built_still_sends_the_page(
        figure, app, client, proxy, world):
    """The cut lands between the view's last statement and the end of the request, where the
    rollback that closes the read transaction fails: the buyer still gets the page."""
    cut_after_the_view = threading.Event()

    @app.after_request
    def _cut(response):
        if cut_after_the_view.is_set():
            proxy.cut()
        return response

    login(client, world.a.buyer)

    def browse(path: str):
        """In a thread of its own, the request gets its own app context and its teardown, as
        under gunicorn (the test's context is not shared); FlaskClient.open, since the test
        client's own open() clears the test's `g`."""
        answers: list = []

        def get():
            try:
                answers.append(FlaskClient.open(client, path).status_code)
            except Exception as error:  # noqa: BLE001 - what the server would have made a 500
                answers.append(error)

        worker = threading.Thread(target=get)
        worker.start()
        worker.join(timeout=30)
        return answers

    cut_after_the_view.set()
    answers = browse("/catalog/")
    cut_after_the_view.clear()
    assert answers == [200]
    proxy.restore()
    assert browse("/orders/") == [200]  # the dead connection left the pool
    figure("database outage (in-process): connection cut after the catalog page was built: "
           f"answered {answers[0]}; the next page after the return: 200")
