"""Employee store (issue 22): a crew member orders within their yearly allowance, an order
beyond it waits for their site manager with the reason in words, they see only the
assortment the company chose for its crew, and the company admin sees what each one spent."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ApprovalStatus,
    Order,
    OrderStatus,
    Role,
    Storefront,
    StorefrontKind,
    VisibilityRule,
)
from tests import factories as f
from tests.conftest import login
from tests.factories.pages import TOKEN

CREW_HOST = "equipe.example.test"
CREW = f"http://{CREW_HOST}"


@pytest.fixture
def crew(world):
    front = Storefront(code="equipe", kind=StorefrontKind.EMPLOYEE, name="Équipe A",
                       hosts=CREW_HOST, brand_colour="#1f5f3a")
    db.session.add(front)
    db.session.flush()
    worker = f.user(world.a.company, Role.BUYER, email="kevin@crew.test", name="Kévin Martin",
                    unit_id=world.a.branch.id, storefront_id=front.id,
                    yearly_allowance_cents=25_000)
    db.session.commit()
    return worker


def _sign_in_on_crew_host(client, worker):
    answer = client.post("/login", base_url=CREW,
                         data={"email": worker.email, "password": f.PASSWORD})
    assert answer.status_code == 303


def _place(client, worker, world, quantity):
    f.cart_with(worker, (world.products["cement"], quantity))
    page = client.get("/checkout/", base_url=CREW)
    assert page.status_code == 200
    token = TOKEN.search(page.text).group(1)
    answer = client.post("/checkout/", base_url=CREW, data={
        "token": token, "place": f"jobsite:{world.a.sites[0].id}"})
    assert answer.status_code == 303, answer.text[:800]
    return page.text, db.session.scalars(
        select(Order).where(Order.placed_by_id == worker.id).order_by(Order.id.desc())).first()


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("\u202f", " ").replace("\xa0", " ")


def test_boots_within_the_allowance_are_placed_and_a_jacket_beyond_it_waits(client, world,
                                                                           crew):
    _sign_in_on_crew_host(client, crew)
    _page, boots = _place(client, crew, world, 10)  # 85 €
    assert boots.status == OrderStatus.SUBMITTED and boots.storefront_id == crew.storefront_id
    page, jacket = _place(client, crew, world, 20)  # 170 €: 255 € in all
    # Told before placing it, in words, and told again on the order.
    assert "dépasse votre allocation annuelle de 250 € (85 € déjà dépensés)" in _plain(page)
    assert jacket.status == OrderStatus.PENDING_APPROVAL
    [req] = f.requests_of(jacket)
    assert (req.status, req.approver_role, req.approver_unit_id, req.rule_id) == (
        ApprovalStatus.PENDING, Role.APPROVER, world.a.branch.id, None)
    assert _plain(req.reason) == (
        "dépasse l'allocation annuelle du salarié de 250 € (85 € déjà dépensés)")
    detail = client.get(f"/orders/{jacket.id}", base_url=CREW)
    assert "En attente de validation" in _plain(detail.text)


def test_a_rejected_order_gives_its_amount_back_and_last_year_does_not_count(client, world,
                                                                            crew):
    now = datetime.now(UTC)
    f.order(crew, [(world.products["cement"], 1, 20_000)], status=OrderStatus.REJECTED,
            placed_at=now - timedelta(minutes=5))
    f.order(crew, [(world.products["cement"], 1, 20_000)], placed_at=now - timedelta(days=400))
    db.session.commit()
    _sign_in_on_crew_host(client, crew)
    _page, order = _place(client, crew, world, 20)
    assert order.status == OrderStatus.SUBMITTED


def test_a_crew_member_cannot_sign_in_on_the_trade_portal(client, crew):
    refused = client.post("/login", data={"email": crew.email, "password": f.PASSWORD})
    assert refused.status_code == 422


def test_the_crew_sees_only_the_assortment_chosen_for_it_and_the_office_is_unchanged(
        client, app, world, crew):
    db.session.add(VisibilityRule(company_id=world.a.company.id, storefront_id=crew.storefront_id,
                                  category_id=world.categories["tools"].id))
    db.session.commit()
    _sign_in_on_crew_host(client, crew)
    assert client.get(f"/catalog/p/{world.products['flour'].id}",
                      base_url=CREW).status_code == 404
    assert client.get(f"/catalog/p/{world.products['cement'].id}",
                      base_url=CREW).status_code == 200
    office = app.test_client()
    login(office, world.a.buyer)
    assert office.get(f"/catalog/p/{world.products['flour'].id}").status_code == 200


def test_the_admin_sees_each_crew_members_allowance_spent_and_left(client, world, crew):
    now = datetime.now(UTC)
    f.order(crew, [(world.products["cement"], 1, 9_000)], placed_at=now - timedelta(minutes=9))
    f.order(crew, [(world.products["cement"], 1, 4_000)], status=OrderStatus.PENDING_APPROVAL,
            placed_at=now - timedelta(minutes=8))
    f.order(crew, [(world.products["cement"], 1, 7_000)], status=OrderStatus.CANCELLED,
            placed_at=now - timedelta(minutes=7))
    f.order(world.a.buyer, [(world.products["cement"], 1, 50_000)], placed_at=now)  # office
    db.session.commit()
    login(client, world.a.admin)
    page = _plain(client.get("/company/crew").text)
    assert "Dépenses de l'équipe" in page and "Kévin Martin" in page
    assert page.count('class="card admin-row') == 1  # the office buyer is not crew
    assert 'Allocation annuelle</dt> <dd class="num">250,00 €' in page
    assert 'Dépensé cette année</dt><dd class="num">130,00 €' in page.replace("> <", "><")
    assert 'Reste cette année</dt><dd class="num">120,00 €' in page.replace("> <", "><")
    member = _plain(client.get(f"/company/crew/{crew.id}").text)
    # This year's three, the cancelled one shown too.
    assert len(re.findall(r'href="/orders/[0-9]+"', member)) == 3


def test_another_companys_admin_gets_a_404_for_a_crew_member(client, world, crew):
    login(client, world.b.admin)
    assert client.get(f"/company/crew/{crew.id}").status_code == 404
    assert "Kévin" not in client.get("/company/crew").text


def test_the_admin_sets_an_allowance_and_bad_input_changes_nothing(client, world, crew):
    login(client, world.a.admin)
    form = {"name": crew.name, "role": "buyer", "unit": str(world.a.branch.id),
            "order_limit": "", "monthly_budget": ""}
    refused = client.post(f"/company/users/{crew.id}", data={**form, "yearly_allowance": "abc"})
    assert refused.status_code == 422
    db.session.refresh(crew)
    assert crew.yearly_allowance_cents == 25_000
    saved = client.post(f"/company/users/{crew.id}", data={**form, "yearly_allowance": "300"})
    assert saved.status_code == 303
    db.session.refresh(crew)
    assert crew.yearly_allowance_cents == 30_000
