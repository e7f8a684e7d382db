"""The employee store's screen (issue 22): staff open an employee store for a customer; its
company admin invites a crew member there or moves a buyer there with a yearly allowance,
takes them off again and chooses the crew's categories. Refusals save nothing; a store not
opened for the company or another company's person is a 404."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEntry,
    OutboxMessage,
    Role,
    Storefront,
    StorefrontKind,
    User,
    VisibilityRule,
)
from portal.models.storefronts import CrewStore
from tests import factories as f
from tests.conftest import login

CREW_HOST = "equipe.example.test"


@pytest.fixture
def store(world):
    front = Storefront(code="equipe", kind=StorefrontKind.EMPLOYEE, name="Équipe A",
                       hosts=CREW_HOST, brand_colour="#1f5f3a")
    db.session.add(front)
    db.session.flush()
    db.session.add(CrewStore(company_id=world.a.company.id, storefront_id=front.id))
    db.session.commit()
    return front


def _reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_staff_open_an_employee_store_for_a_customer_on_its_page(client, world):
    front = Storefront(code="equipe", kind=StorefrontKind.EMPLOYEE, name="Équipe A",
                       hosts=CREW_HOST, brand_colour="#1f5f3a")
    db.session.add(front)
    db.session.commit()
    login(client, world.staff)
    page = client.get(f"/staff/customers/{world.a.company.id}").text
    assert "Équipe A" in page and "Ouvrir cette boutique des salariés" in page
    # A storefront that is not an employee store, or none: refused, nothing opened.
    for wrong in ("1", "abc", "999999"):
        answer = client.post(f"/staff/customers/{world.a.company.id}/crew-stores",
                             data={"storefront": wrong})
        assert answer.status_code == 422
        assert "Choisissez une boutique des salariés dans la liste." in answer.text
    assert _count(CrewStore) == 0
    answer = client.post(f"/staff/customers/{world.a.company.id}/crew-stores",
                         data={"storefront": str(front.id)})
    assert answer.status_code == 303
    assert _count(CrewStore, CrewStore.company_id == world.a.company.id) == 1
    again = client.post(f"/staff/customers/{world.a.company.id}/crew-stores",
                        data={"storefront": str(front.id)})
    assert again.status_code == 422 and "déjà ouverte" in again.text
    # Its company admin now finds it; another company's admin does not.
    client.post("/logout")
    login(client, world.a.admin)
    assert client.get(f"/company/crew/stores/{front.id}").status_code == 200
    client.post("/logout")
    login(client, world.b.admin)
    assert client.get(f"/company/crew/stores/{front.id}").status_code == 404


def test_a_sales_rep_cannot_open_an_employee_store(client, world, store):
    login(client, world.rep)
    answer = client.post(f"/staff/customers/{world.b.company.id}/crew-stores",
                         data={"storefront": str(store.id)})
    assert answer.status_code in (403, 404)
    assert _count(CrewStore, CrewStore.company_id == world.b.company.id) == 0


def test_the_admin_invites_a_crew_member_who_signs_in_on_the_store_only(client, world, store):
    login(client, world.a.admin)
    page = client.get("/company/crew").text
    assert "Équipe A" in page
    answer = client.post(f"/company/crew/stores/{store.id}/invite", data={
        "name": "Inès Morel", "email": "Ines.Morel@crew.test", "unit": str(world.a.branch.id),
        "yearly_allowance": "300"})
    assert answer.status_code == 303
    ines = db.session.scalars(select(User).where(User.email == "ines.morel@crew.test")).one()
    assert (ines.company_id, ines.role, ines.storefront_id, ines.yearly_allowance_cents,
            ines.unit_id) == (world.a.company.id, Role.BUYER, store.id, 30_000,
                              world.a.branch.id)
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert f"://{CREW_HOST}" in mail.body_text  # the link opens the store, not the portal
    listed = client.get(f"/company/crew/stores/{store.id}").text
    assert "Inès Morel" in listed and "300" in listed


def test_an_allowance_on_a_store_in_francs_is_asked_and_shown_in_francs(client, world):
    front = Storefront(code="equipe-ch", kind=StorefrontKind.EMPLOYEE, name="Équipe Genève",
                       hosts="equipe-ch.example.test", country="CH", currency="CHF",
                       brand_colour="#a3141d")
    db.session.add(front)
    db.session.flush()
    db.session.add(CrewStore(company_id=world.a.company.id, storefront_id=front.id))
    db.session.commit()
    login(client, world.a.admin)
    form = client.get(f"/company/crew/stores/{front.id}/invite",
                      headers={"Accept-Language": "en"}).text
    assert "(CHF, " in form and "(EUR, " not in form
    assert client.post(f"/company/crew/stores/{front.id}/invite", data={
        "name": "Inès Morel", "email": "ines.morel@crew.test", "unit": "",
        "yearly_allowance": "300"}).status_code == 303
    ines = db.session.scalars(select(User).where(User.email == "ines.morel@crew.test")).one()
    for page in (f"/company/crew/stores/{front.id}", "/company/crew",
                 f"/company/crew/{ines.id}"):
        text = client.get(page).text.replace("\u202f", " ").replace("\xa0", " ")
        assert "300,00 CHF" in text and "300,00 €" not in text, page
    edit = client.get(f"/company/users/{ines.id}").text.replace("\u202f", " ")
    assert "Allocation annuelle (CHF, vide : aucune)" in edit and "annuelle (EUR" not in edit


@pytest.mark.parametrize("overrides, field", [
    ({"email": "admin-b@test.example"}, "email"),      # has an account elsewhere
    ({"email": "pas-une-adresse"}, "email"),
    ({"yearly_allowance": "-5"}, "yearly_allowance"),
    ({"yearly_allowance": "1e3"}, "yearly_allowance"),
    ({"unit": "999999"}, None),                         # not a unit of the company
    ({"name": ""}, "name"),
])
def test_a_bad_invitation_says_why_and_creates_nobody(client, world, store, overrides, field):
    login(client, world.a.admin)
    data = {"name": "Inès Morel", "email": "ines@crew.test", "unit": "",
            "yearly_allowance": "300"}
    data.update(overrides)
    answer = client.post(f"/company/crew/stores/{store.id}/invite", data=data)
    assert answer.status_code == 422
    if field:
        assert f'id="{field}-error"' in answer.text
    assert _count(User, User.storefront_id == store.id) == 0
    assert _count(OutboxMessage) == 0


def test_the_admin_moves_a_buyer_there_and_takes_them_off_again(client, world, store):
    login(client, world.a.admin)
    page = client.get(f"/company/crew/stores/{store.id}/move").text
    assert world.a.buyer.email in page
    assert world.a.approver.email not in page and world.b.buyer.email not in page
    version = world.a.buyer.session_version
    answer = client.post(f"/company/crew/stores/{store.id}/move", data={
        "person": str(world.a.buyer.id), "yearly_allowance": "250"})
    assert answer.status_code == 303
    buyer = _reload(world.a.buyer)
    assert (buyer.storefront_id, buyer.yearly_allowance_cents) == (store.id, 25_000)
    assert buyer.session_version == version + 1  # signed out of the trade portal
    # The confirmation page first (a GET changes nothing), then the POST.
    confirm = client.get(f"/company/crew/stores/{store.id}/people/{buyer.id}/remove")
    assert confirm.status_code == 200 and _reload(buyer).storefront_id == store.id
    answer = client.post(f"/company/crew/stores/{store.id}/people/{buyer.id}/remove")
    assert answer.status_code == 303
    buyer = _reload(buyer)
    assert (buyer.storefront_id, buyer.yearly_allowance_cents) == (None, None)
    journal = client.get("/company/journal").text
    assert "boutique des salariés" in journal


@pytest.mark.parametrize("who", ["approver", "admin"])
def test_only_a_buyer_of_the_company_may_be_moved(client, world, store, who):
    login(client, world.a.admin)
    for person in (getattr(world.a, who), world.b.buyer):
        answer = client.post(f"/company/crew/stores/{store.id}/move", data={
            "person": str(person.id), "yearly_allowance": "250"})
        assert answer.status_code == 422
        assert _reload(person).storefront_id is None


def test_another_company_cannot_reach_the_store_nor_its_people(client, world, store):
    worker = f.user(world.a.company, Role.BUYER, email="kevin@crew.test",
                    storefront_id=store.id)
    db.session.commit()
    login(client, world.b.admin)
    assert client.get(f"/company/crew/stores/{store.id}").status_code == 404
    for path in (f"/company/crew/stores/{store.id}/invite",
                 f"/company/crew/stores/{store.id}/move",
                 f"/company/crew/stores/{store.id}/categories",
                 f"/company/crew/stores/{store.id}/people/{worker.id}/remove"):
        assert client.get(path).status_code == 404, path
        assert client.post(path, data={"person": str(world.b.buyer.id), "name": "X",
                                       "email": "x@crew.test",
                                       "category": [str(world.categories["tools"].id)]}
                           ).status_code == 404, path
    assert _reload(worker).storefront_id == store.id
    assert _count(VisibilityRule) == 0 and _count(User, User.email == "x@crew.test") == 0
    # Company A's admin: another company's person on a real store is a 404 too.
    client.post("/logout")
    login(client, world.a.admin)
    other = f"/company/crew/stores/{store.id}/people/{world.b.buyer.id}/remove"
    assert client.post(other).status_code == 404


def test_the_admin_chooses_the_crews_categories_and_the_crew_sees_only_those(client, world,
                                                                           store):
    worker = f.user(world.a.company, Role.BUYER, email="kevin@crew.test", unit_id=None,
                    storefront_id=store.id)
    db.session.commit()
    login(client, world.a.admin)
    tools, food = world.categories["tools"], world.categories["food"]
    refused = client.post(f"/company/crew/stores/{store.id}/categories",
                          data={"category": [str(food.id), "999999"]})
    assert refused.status_code == 422
    assert "Choisissez des catégories dans la liste." in refused.text
    assert _count(VisibilityRule) == 0
    answer = client.post(f"/company/crew/stores/{store.id}/categories",
                         data={"category": [str(food.id)]})
    assert answer.status_code == 303
    rules = db.session.scalars(select(VisibilityRule)).all()
    assert [(r.company_id, r.storefront_id, r.category_id) for r in rules] == [
        (world.a.company.id, store.id, food.id)]
    assert db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.action == "crew.assortment")).all() == ["crew.assortment"]
    # The crew member sees the food, not the tools; the office still sees everything.
    client.post("/logout")
    crew = f"http://{CREW_HOST}"
    assert client.post("/login", base_url=crew, data={
        "email": worker.email, "password": f.PASSWORD}).status_code == 303
    assert client.get(f"/catalog/p/{world.products['flour'].id}", base_url=crew).status_code == 200
    assert client.get(f"/catalog/p/{world.products['cement'].id}", base_url=crew).status_code == 404
    # None ticked: the crew sees what the office sees, the tools again.
    client.post("/logout", base_url=crew)
    login(client, world.a.admin)
    assert client.post(f"/company/crew/stores/{store.id}/categories",
                       data={}).status_code == 303
    assert _count(VisibilityRule) == 0
    client.post("/logout")
    client.post("/login", base_url=crew, data={"email": worker.email, "password": f.PASSWORD})
    assert client.get(f"/catalog/p/{world.products['cement'].id}", base_url=crew).status_code == 200
    assert tools.id == world.products["cement"].category_id
