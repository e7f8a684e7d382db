"""What the speed work must not change: sessions still end at the next request, the idle
timeout still holds although "seen" is stored once a minute, and the cheaper per-request
loads (user, company and jobsite in one statement, and the process's kept copy of them used
only while their rows are unchanged; no liveness ping per request) are right."""

import time

import psycopg
from sqlalchemy import func, select, update

from portal import identity, security
from portal.extensions import db
from portal.models import Cart, CartLine, Company, CompanyStatus, Role, Unit, User
from portal.services import ordering
from tests.conftest import counting, htmx_headers, login


def _session_cookie_set(response) -> bool:
    return any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))


def _clock(monkeypatch, start: float):
    now = [start]
    monkeypatch.setattr(security.time, "time", lambda: now[0])
    return now


def test_the_session_cookie_is_sent_again_only_once_a_minute(client, world, monkeypatch):
    now = _clock(monkeypatch, float(int(time.time())))
    login(client, world.a.buyer)
    client.get("/account/")  # the first signed-in page stores "seen"
    now[0] += 30
    assert not _session_cookie_set(client.get("/account/"))
    now[0] += 31
    assert _session_cookie_set(client.get("/account/"))
    with client.session_transaction() as session:
        assert session["seen"] == int(now[0])


def test_the_idle_timeout_still_ends_a_session_on_time(client, world, monkeypatch):
    now = _clock(monkeypatch, float(int(time.time())))
    login(client, world.a.buyer)
    limit = client.application.config["BUYER_SESSION_HOURS"] * 3600
    start = now[0]
    # A request within the minute does not move "seen": the limit counts from the stored
    # one, so an idle session ends at most a minute early, never late.
    now[0] += 59
    assert client.get("/account/").status_code == 200
    now[0] = start + limit
    assert client.get("/account/").status_code == 200
    now[0] = start + 2 * limit + 1
    response = client.get("/account/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_password_change_made_elsewhere_ends_the_session_at_the_next_request(client, world):
    """Another worker process bumps the session version with its own statement: the copy of
    the user this process kept no longer matches the row, so the next request is refused."""
    login(client, world.a.buyer)
    assert client.get("/account/").status_code == 200
    db.session.execute(update(User).where(User.id == world.a.buyer.id)
                       .values(session_version=User.session_version + 1))
    db.session.commit()
    response = client.get("/account/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_user_disabled_elsewhere_is_signed_out_at_the_next_request(client, world):
    login(client, world.a.buyer)
    assert client.get("/account/").status_code == 200
    db.session.execute(update(User).where(User.id == world.a.buyer.id).values(disabled=True))
    db.session.commit()
    response = client.get("/account/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_company_suspended_elsewhere_loses_its_prices_at_the_next_request(client, world):
    login(client, world.a.buyer)
    product = world.products["screws"]
    assert client.get(f"/catalog/p/{product.id}").status_code == 200
    assert 'id="buy"' in client.get(f"/catalog/p/{product.id}").get_data(as_text=True)
    db.session.execute(update(Company).where(Company.id == world.a.company.id)
                       .values(status=CompanyStatus.SUSPENDED))
    db.session.commit()
    page = client.get(f"/catalog/p/{product.id}").get_data(as_text=True)
    assert "Add to cart" not in page and "Ajouter au panier" not in page


def test_a_role_changed_elsewhere_applies_at_the_next_request(client, world):
    login(client, world.a.buyer)
    assert client.get("/cart/").status_code == 200
    db.session.execute(update(User).where(User.id == world.a.buyer.id).values(role=Role.VIEWER))
    db.session.commit()
    assert client.get("/cart/").status_code == 403


def test_a_company_or_jobsite_renamed_elsewhere_shows_at_the_next_request(client, world):
    buyer, site = world.a.buyer, world.a.sites[0]
    buyer.last_jobsite_id = site.id
    db.session.commit()
    login(client, buyer)
    page = client.get("/account/").get_data(as_text=True)
    assert "Company A" in page and site.name in page
    # Bulk statements, as an import or another process would send: no flush event here.
    db.session.execute(update(Company).where(Company.id == world.a.company.id)
                       .values(name="Renamed Builders"))
    db.session.execute(update(Unit).where(Unit.id == site.id).values(name="Quai Nord"))
    db.session.commit()
    page = client.get("/account/").get_data(as_text=True)
    assert "Renamed Builders" in page and "Quai Nord" in page
    assert "Company A" not in page


def test_what_a_request_changes_on_its_user_never_reaches_the_kept_copy(app, world):
    """A request that changes its user's objects and never commits leaves the next request
    with the user as stored: the kept copy is its own object, never the request's."""
    buyer_id, name = world.a.buyer.id, world.a.buyer.name
    db.session.expunge_all()
    with app.test_request_context("/"):
        user, _lines, _stamp = identity.load(buyer_id)  # loaded by the ORM, a copy kept
        user.name, user.company.name = "Changed In Memory", "Changed Company"
        db.session.expunge_all()  # the request ends without a commit
    with app.test_request_context("/"), counting() as statements:
        user, _lines, _stamp = identity.load(buyer_id)
        assert (user.name, user.company.name) == (name, "Company A")
        assert user in db.session  # the request's own object, lazy loads work
        assert len(user.company.units) == 3
    assert len(statements) == 2, statements  # the rows checked, then the units


def test_user_company_and_jobsite_of_the_header_cost_one_statement(client, world):
    buyer = world.a.buyer
    buyer.last_jobsite_id = world.a.sites[0].id
    site = world.a.sites[0].name
    db.session.commit()
    login(client, buyer)
    db.session.expunge_all()  # nothing of the test's own session helps the request
    # The first page after signing in builds the user (its sign-in time changed): the rows
    # checked, then the ORM's statement.
    with counting() as statements:
        client.get("/no-such-page")
    assert len(statements) == 2, statements
    db.session.expunge_all()
    with counting() as statements:
        page = client.get("/no-such-page").get_data(as_text=True)
    assert "Company A" in page and site in page
    # The user's rows with company and jobsite, the cart badge's count and the reference
    # stamp; the objects come from the process's copy of those same rows.
    assert len(statements) == 1, statements
    assert "cart_lines" in statements[0] and "reference_stamp" in statements[0]


def test_the_badge_after_a_cart_add_is_the_carts_lines_counted_without_a_statement(
        client, world):
    """The add derives the count from its own statements (the lines before it, plus the line
    it made): a new product counts one more, the same product again none."""
    screws, cement = world.products["screws"], world.products["cement"]
    login(client, world.a.buyer)

    def add(product, quantity: str) -> str:
        with counting() as statements:
            html = client.post(f"/catalog/p/{product.id}/cart",
                               data={"qty": quantity, "view": "row"},
                               headers=htmx_headers(f"p-{product.id}")).get_data(as_text=True)
        assert not any(s.lstrip().startswith("SELECT count") for s in statements)
        return html.split('id="cart-badge"', 1)[1].split("<span", 1)[0]

    for product, quantity, badge in ((screws, "10", ">1"), (screws, "10", ">1"),
                                     (cement, "1", ">2"), (cement, "2", ">2")):
        assert add(product, quantity).endswith(badge)
    lines = db.session.scalar(select(func.count(CartLine.id)).join(Cart)
                              .where(Cart.user_id == world.a.buyer.id))
    assert lines == 2


def test_the_count_after_an_add_is_kept_once_committed_and_only_then(app, world):
    """A rolled-back add, or a line removed after it, leaves the header to count again."""
    buyer, screws, cement = world.a.buyer, world.products["screws"], world.products["cement"]

    def counted(expected: int, read: bool):
        assert buyer.company_id  # loaded again after a commit, before counting
        with counting() as statements:
            assert ordering.cart_line_count(buyer) == expected
        assert len(statements) == (1 if read else 0)

    with app.test_request_context("/"):
        ordering.add_to_cart(buyer, screws, 10)
        db.session.commit()
        counted(1, read=False)
    with app.test_request_context("/"):
        ordering.add_to_cart(buyer, cement, 1)  # a reorder refused at its next line
        db.session.rollback()
        counted(1, read=True)
    with app.test_request_context("/"):
        line = ordering.add_to_cart(buyer, cement, 1)
        ordering.remove_cart_line(line)
        db.session.commit()
        counted(1, read=True)


def test_an_idle_server_connection_that_died_is_replaced_without_an_error(app, world,
                                                                            monkeypatch):
    if db.engine.dialect.name != "postgresql":
        return  # SQLite has no server connection to lose
    client = app.test_client()
    login(client, world.a.buyer)
    db.session.remove()  # the test's own connection goes back to the pool, idle
    # Every pooled connection is killed from outside the pool, as a server restart would.
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as outside:
        killed = outside.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
    assert killed
    later = time.monotonic() + 3600
    monkeypatch.setattr("portal.database.time.monotonic", lambda: later)
    try:
        assert client.get("/account/").status_code == 200
    finally:
        # The other killed connections stay in the pool, idle for less than the check's
        # threshold once the clock is back: the next test must not inherit them.
        db.session.remove()
        db.engine.dispose()


def test_a_connection_the_server_closed_a_moment_ago_is_replaced_without_an_error(app, world):
    """A database restart or a network cut seconds ago: the idle connections' sockets have
    the server's end of file to read, which the checkout sees without a round trip, so the
    next request gets a fresh connection instead of a 503 (no clock jump here)."""
    if db.engine.dialect.name != "postgresql":
        return  # SQLite has no server connection to lose
    client = app.test_client()
    login(client, world.a.buyer)
    db.session.remove()
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as outside:
        assert outside.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
    time.sleep(0.2)  # the server's goodbye reaches the sockets
    try:
        assert client.get("/account/").status_code == 200
    finally:
        db.session.remove()
        db.engine.dispose()
