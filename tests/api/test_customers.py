"""The CRM creates customer companies and their users; each user is invited to choose a
password, as with the CSV import; all or nothing."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Company, OutboxMessage, User
from tests.api.conftest import assert_problem


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_companies_and_users_are_created_and_invited(app, make_caller, world):
    crm = make_caller("customers:write", name="CRM")
    answer = crm.post("/api/v1/customers/bulk", {"items": [
        {"company_name": "Martin Rénovation", "user_email": "paul@martin.example",
         "user_name": "Paul Martin", "user_role": "company_admin", "credit_limit_cents": 500000,
         "payment_terms": "net30"},
        {"company_name": "Martin Rénovation", "user_email": "lea@martin.example",
         "user_name": "Léa Martin", "user_role": "buyer"}]})
    assert answer.status_code == 200, answer.data
    assert answer.get_json() == {"companies": 1, "users": 2, "invitations": 2}
    company = db.session.scalar(select(Company).where(Company.name == "Martin Rénovation"))
    assert company.credit_limit_cents == 500000
    assert _count(OutboxMessage) == 2


def test_a_bad_user_rejects_every_row(app, make_caller, world):
    crm = make_caller("customers:write")
    users, companies = _count(User), _count(Company)
    problem = assert_problem(crm.post("/api/v1/customers/bulk", {"items": [
        {"company_name": "Neuve SARL", "user_email": "a@neuve.example", "user_name": "A"},
        {"company_name": "Neuve SARL", "user_email": world.a.buyer.email, "user_name": "B"},
        {"company_name": "Neuve SARL", "user_email": "c@neuve.example", "user_name": "C",
         "user_role": "emperor"}]}), 422, "rejected_items")
    pointers = {e["pointer"] for e in problem["errors"]}
    assert {"/items/1/user_email", "/items/2/user_role"} <= pointers
    assert (_count(User), _count(Company)) == (users, companies)
