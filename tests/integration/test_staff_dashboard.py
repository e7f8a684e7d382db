"""The staff dashboard on a small known data set: today, 12 weeks, what waits, the top 5."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.models import OrderStatus
from portal.services.backoffice import dashboard
from tests import factories as f
from tests.conftest import login

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)  # a Wednesday
PARIS = ZoneInfo("Europe/Paris")
EN = {"Accept-Language": "en"}


@pytest.fixture
def sales(world):
    """Orders of A and B around NOW; only submitted-and-beyond count as revenue."""
    p, a, b = world.products, world.a, world.b
    hour_ago = NOW - timedelta(hours=1)
    f.order(a.buyer, [(p["cement"], 2, 850)], placed_at=hour_ago)
    f.order(a.buyer, [(p["screws"], 10, 90)], status=OrderStatus.CONFIRMED, placed_at=hour_ago)
    f.order(b.buyer, [(p["flour"], 20, 120)], status=OrderStatus.SHIPPED, placed_at=hour_ago)
    f.order(a.buyer, [(p["cement"], 1, 850)], status=OrderStatus.PENDING_APPROVAL,
            placed_at=hour_ago)
    f.order(b.buyer, [(p["cement"], 6, 850)], status=OrderStatus.CANCELLED, placed_at=hour_ago)
    # Yesterday evening in Paris but today in UTC would be wrong: 23:30 UTC on the 11th is
    # already the 12th in Paris, so it counts as today.
    f.order(b.buyer, [(p["screws"], 1, 100)], placed_at=datetime(2025, 3, 11, 23, 30, tzinfo=UTC))
    f.order(b.buyer, [(p["cement"], 10, 850)], status=OrderStatus.DELIVERED,
            placed_at=NOW - timedelta(days=10))
    f.order(a.buyer, [(p["screws"], 100, 90)], status=OrderStatus.DELIVERED,
            placed_at=NOW - timedelta(days=50))
    f.order(a.buyer, [(p["screws"], 1000, 90)], status=OrderStatus.DELIVERED,
            placed_at=NOW - timedelta(days=100))
    f.application()
    db.session.commit()
    return world


def test_a_staff_admin_sees_every_customers_figures(sales):
    data = dashboard.build(sales.staff, NOW, PARIS, "en")
    assert (data.today_count, data.today_cents) == (4, 1700 + 900 + 2400 + 100)
    assert data.waiting_approval == 1
    assert data.pending_applications == 1
    weeks = dict(data.weeks)
    assert len(data.weeks) == 12
    assert data.weeks[0][0] == date(2024, 12, 23) and data.weeks[-1][0] == date(2025, 3, 10)
    assert weeks[date(2025, 3, 10)] == 5100
    assert weeks[date(2025, 2, 24)] == 8500  # Sunday 2 March belongs to the week of 24 Feb
    assert weeks[date(2025, 1, 20)] == 9000
    assert sum(weeks.values()) == 5100 + 8500 + 9000  # 100 days ago is out of the window
    assert [(r.detail, r.cents) for r in data.top_products] == [
        ("CIM-35", 10200), ("FAR-T55", 2400), ("VIS-440", 1000)]
    assert [(r.label, r.cents) for r in data.top_customers] == [
        ("Company B", 11000), ("Company A", 2600)]


def test_a_reps_dashboard_covers_only_their_customers(sales):
    f.assign(sales.rep, sales.a.company)
    db.session.commit()
    data = dashboard.build(sales.rep, NOW, PARIS, "en")
    assert (data.today_count, data.today_cents) == (2, 2600)
    assert data.waiting_approval == 1 and data.pending_applications is None
    assert sum(c for _d, c in data.weeks) == 2600 + 9000
    assert [r.detail for r in data.top_products] == ["CIM-35", "VIS-440"]
    assert [r.label for r in data.top_customers] == ["Company A"]


def test_a_rep_without_customers_sees_zeros(sales):
    data = dashboard.build(sales.rep, NOW, PARIS, "en")
    assert (data.today_count, data.today_cents, data.waiting_approval) == (0, 0, 0)
    assert data.top_products == [] and data.top_customers == []


def test_the_dashboard_runs_a_fixed_number_of_aggregate_queries(app, sales):
    statements = []

    def count(*_args):
        statements.append(1)

    engine = db.engine
    staff_id = sales.staff.id  # loaded now, not during the count
    event.listen(engine, "before_cursor_execute", count)
    try:
        dashboard.build(sales.staff, NOW, PARIS, "fr")
        few = len(statements)
        for _ in range(30):
            f.order(sales.a.buyer, [(sales.products["cement"], 1, 850)],
                    placed_at=NOW - timedelta(days=3))
        db.session.commit()
        assert sales.staff.id == staff_id
        statements.clear()
        dashboard.build(sales.staff, NOW, PARIS, "fr")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == few == 6


def test_the_page_draws_labelled_svg_charts_for_staff(client, sales):
    # The charts cover the weeks before today: this order is placed today.
    f.order(sales.a.buyer, [(sales.products["cement"], 3, 850)], placed_at=datetime.now(UTC))
    db.session.commit()
    login(client, sales.staff)
    page = client.get("/staff/", headers=EN)
    assert page.status_code == 200
    text = page.text
    assert text.count('role="img"') == 3
    assert "<title id=\"chart-weeks-title\">Revenue by week, last 12 weeks</title>" in text
    assert "Top 5 products by revenue, last 30 days" in text
    assert "Applications to review" in text and "Account applications" in text
    assert "style=" not in text and "<script>" not in text


def test_fulfilment_sees_the_dashboard_but_not_the_customer_tools(client, sales):
    login(client, sales.fulfilment)
    page = client.get("/staff/", headers=EN)
    assert page.status_code == 200
    assert "Applications to review" not in page.text
    assert 'href="/staff/customers"' not in page.text


def test_customers_cannot_open_the_back_office(app, sales):
    for user in (sales.a.buyer, sales.a.admin, sales.a.approver, sales.a.viewer):
        client = app.test_client()
        login(client, user)
        assert client.get("/staff/").status_code == 403


def test_staff_home_shows_the_back_office_card(client, sales):
    login(client, sales.staff)
    page = client.get("/", headers=EN)
    assert page.status_code == 200
    assert "Open the back office" in page.text and "1 application to review" in page.text


def test_amounts_in_another_currency_are_shown_apart_never_added(client, sales):
    """A Swiss storefront's orders in francs: the euro dashboard leaves them out, the franc
    one shows only them (issue 22: reports per currency, never summed across)."""
    from portal.models import Storefront, StorefrontKind
    from portal.services.storefronts import forget

    swiss = Storefront(code="ch", kind=StorefrontKind.TRADE, name="Pro Suisse", hosts="ch.test",
                       currency="CHF")
    db.session.add(swiss)
    db.session.flush()
    francs = f.order(sales.b.buyer, [(sales.products["cement"], 4, 1000)],
                     placed_at=NOW - timedelta(hours=2))
    francs.currency, francs.storefront_id = "CHF", swiss.id
    db.session.commit()
    forget()
    euros = dashboard.build(sales.staff, NOW, PARIS, "en")
    assert (euros.today_count, euros.today_cents) == (4, 1700 + 900 + 2400 + 100)
    chf = dashboard.build(sales.staff, NOW, PARIS, "en", "CHF")
    assert (chf.currency, chf.today_count, chf.today_cents) == ("CHF", 1, 4000)
    assert [(r.label, r.cents) for r in chf.top_customers] == [("Company B", 4000)]
    login(client, sales.staff)
    page = client.get("/staff/?currency=CHF", headers=EN).text
    assert 'aria-current="page">CHF</a>' in page and "CHF" in page
    assert client.get("/staff/?currency=XYZ", headers=EN).status_code == 200  # falls to EUR
