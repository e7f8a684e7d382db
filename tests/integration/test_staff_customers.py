"""Customers in the back office: who sees which, search, details, and editing the terms."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AuditEntry,
    Company,
    CompanyStatus,
    OrderStatus,
    PaymentTerms,
    Role,
    VisibilityRule,
)
from portal.services.backoffice.customers import parse_money_cents
from tests import factories as f
from tests.conftest import htmx_headers, login

EN = {"Accept-Language": "en"}


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        ("", None), ("  ", None), (None, None),
        ("5000", 500000), ("5000.5", 500050), ("5000,50", 500050), ("5 000,00", 500000),
        ("5\u202f000", 500000), ("0", 0), ("0,07", 7), ("10000000", 1_000_000_000),
    ],
)
def test_a_credit_limit_is_read_as_euros_with_a_comma_or_a_point(raw, cents):
    assert parse_money_cents(raw) == cents


@pytest.mark.parametrize(
    "raw", ["-5", "+5", "1e5", "NaN", "sNaN", "5,000.00", "5.001", "12,", ".5", "١٢",
            "５０００", "1_000", "10000000.01", "inf", "5 €"],
)
def test_anything_else_is_not_an_amount(raw):
    with pytest.raises(ValueError):
        parse_money_cents(raw)


def test_a_staff_admin_lists_every_customer_and_a_rep_only_theirs(app, world):
    f.assign(world.rep, world.a.company)
    db.session.commit()
    client = app.test_client()
    login(client, world.staff)
    page = client.get("/staff/customers").text
    assert "Company A" in page and "Company B" in page
    client = app.test_client()
    login(client, world.rep)
    page = client.get("/staff/customers").text
    assert "Company A" in page and "Company B" not in page


def test_search_finds_by_name_or_legal_id_and_answers_a_fragment_for_htmx(client, world):
    world.b.company.legal_id = "73282932000074"
    db.session.commit()
    login(client, world.staff)
    by_id = client.get("/staff/customers?q=732 829", headers=htmx_headers("customer_results"))
    assert by_id.status_code == 200
    assert by_id.text.lstrip().startswith('<section id="customer_results"')
    assert "Company B" in by_id.text and "Company A" not in by_id.text
    by_name = client.get("/staff/customers?q=company a")
    assert "Company A" in by_name.text and "Company B" not in by_name.text
    assert "<html" in by_name.text
    nothing = client.get("/staff/customers?q=100%25", headers=EN)
    assert "No customer matches" in nothing.text


def test_the_list_is_paged_twenty_at_a_time(client, world):
    for n in range(25):
        f.company(f"Zed {n:02d}")
    db.session.commit()
    login(client, world.staff)
    first = client.get("/staff/customers?q=zed", headers=EN).text
    assert "Zed 19" in first and "Zed 20" not in first and "page=2" in first
    second = client.get("/staff/customers?q=zed&page=2", headers=EN).text
    assert "Zed 20" in second and "Zed 24" in second and "Zed 19" not in second


def test_the_customer_page_shows_users_recent_orders_and_waiting_approvals(client, world):
    placed = f.order(world.a.buyer, [(world.products["cement"], 2, 850)])
    f.order(world.a.buyer, [(world.products["cement"], 1, 850)],
            status=OrderStatus.PENDING_APPROVAL)
    world.a.viewer.disabled = True
    db.session.commit()
    login(client, world.staff)
    page = client.get(f"/staff/customers/{world.a.company.id}", headers=EN)
    assert page.status_code == 200
    text = page.text
    for user in (world.a.admin, world.a.approver, world.a.buyer, world.a.viewer):
        assert user.email in text
    assert "Disabled" in text and "Company admin" in text
    assert placed.number in text and "Waiting for approval" in text and "1 order<" in text
    assert "Order for this customer" in text
    assert f"/staff/customers/{world.a.company.id}/act-as/{world.a.buyer.id}" in text
    # Only buyers are offered: never the approver nor the admin.
    assert f"/act-as/{world.a.approver.id}" not in text
    assert f"/act-as/{world.a.admin.id}" not in text
    assert "Edit terms and access" in text


def test_a_rep_gets_a_404_for_a_customer_not_assigned_to_them_on_every_route(client, world):
    f.assign(world.rep, world.a.company)
    db.session.commit()
    login(client, world.rep)
    b = world.b.company.id
    assert client.get(f"/staff/customers/{world.a.company.id}").status_code == 200
    assert client.get(f"/staff/customers/{b}").status_code == 404
    assert client.get(f"/staff/customers/{b}", headers=htmx_headers()).status_code == 404
    assert client.post(f"/staff/customers/{b}/act-as/{world.b.buyer.id}").status_code == 404
    assert client.post(f"/staff/customers/{b}/act-as/{world.b.buyer.id}",
                       headers=htmx_headers()).status_code == 404
    assert client.get("/staff/customers/999999").status_code == 404


def test_fulfilment_and_customers_cannot_reach_customer_pages(app, world):
    for user in (world.fulfilment, world.a.buyer, world.a.admin):
        client = app.test_client()
        login(client, user)
        assert client.get("/staff/customers").status_code == 403
        assert client.get(f"/staff/customers/{world.a.company.id}").status_code == 403
        assert client.post(f"/staff/customers/{world.a.company.id}/edit").status_code == 403


def _edit_data(world, **overrides):
    data = {"customer_group": "", "price_list": str(world.pro.id), "payment_terms": "net60",
            "credit_limit": "12 000,00", "po_required": "y", "status": "suspended",
            "category": [str(world.categories["tools"].id)]}
    data.update(overrides)
    return data


def test_a_staff_admin_changes_terms_status_and_visible_catalog_and_it_is_audited(
        client, world):
    login(client, world.staff)
    company_id = world.a.company.id
    form = client.get(f"/staff/customers/{company_id}/edit", headers=EN)
    assert form.status_code == 200 and "Visible catalog" in form.text
    response = client.post(f"/staff/customers/{company_id}/edit", data=_edit_data(world))
    assert response.status_code == 303
    db.session.expire_all()
    company = db.session.get(Company, company_id)
    assert company.customer_group_id is None and company.price_list_id == world.pro.id
    assert company.payment_terms == PaymentTerms.NET60
    assert company.credit_limit_cents == 1_200_000 and company.po_required
    assert company.status == CompanyStatus.SUSPENDED
    rules = db.session.scalars(select(VisibilityRule).where(
        VisibilityRule.company_id == company_id)).all()
    assert [r.category_id for r in rules] == [world.categories["tools"].id]
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "customer.updated"))
    assert audit.actor_id == world.staff.id and audit.company_id == company_id
    assert audit.detail["credit_limit_cents"] == [None, 1_200_000]
    assert audit.detail["visible_categories"] == [[], [world.categories["tools"].id]]
    # Ticking nothing lifts the restriction.
    client.post(f"/staff/customers/{company_id}/edit",
                data=_edit_data(world, category=[], status="active"))
    assert db.session.scalars(select(VisibilityRule).where(
        VisibilityRule.company_id == company_id)).all() == []


def test_a_wrong_amount_is_a_422_and_nothing_changes(client, world):
    login(client, world.staff)
    response = client.post(f"/staff/customers/{world.a.company.id}/edit",
                           data=_edit_data(world, credit_limit="-5"), headers=EN)
    assert response.status_code == 422
    assert "Enter an amount in euros" in response.text
    db.session.expire_all()
    assert db.session.get(Company, world.a.company.id).payment_terms == PaymentTerms.NET30
    assert db.session.scalar(select(AuditEntry)) is None


def test_a_category_that_is_not_offered_is_refused(client, world):
    child = f.category("Vis", parent=world.categories["tools"])
    db.session.commit()
    login(client, world.staff)
    response = client.post(f"/staff/customers/{world.a.company.id}/edit",
                           data=_edit_data(world, category=[str(child.id)]), headers=EN)
    assert response.status_code == 422
    assert db.session.scalar(select(VisibilityRule)) is None


def test_a_rep_sees_the_customer_but_cannot_change_terms_or_limits(client, world):
    f.assign(world.rep, world.a.company)
    db.session.commit()
    login(client, world.rep)
    page = client.get(f"/staff/customers/{world.a.company.id}", headers=EN).text
    assert "Edit terms and access" not in page
    assert client.get(f"/staff/customers/{world.a.company.id}/edit").status_code == 403
    assert client.post(f"/staff/customers/{world.a.company.id}/edit",
                       data=_edit_data(world)).status_code == 403
    db.session.expire_all()
    assert db.session.get(Company, world.a.company.id).credit_limit_cents is None


def test_a_pending_company_keeps_its_status_when_its_terms_are_edited(client, world):
    pending = f.company("Pending Co", status=CompanyStatus.PENDING)
    f.user(pending, Role.COMPANY_ADMIN)
    db.session.commit()
    login(client, world.staff)
    form = client.get(f"/staff/customers/{pending.id}/edit", headers=EN)
    assert 'name="status"' not in form.text
    response = client.post(f"/staff/customers/{pending.id}/edit",
                           data=_edit_data(world, status="active", category=[]))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Company, pending.id).status == CompanyStatus.PENDING
