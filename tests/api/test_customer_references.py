"""The CRM keeps customers in step by its own references: companies, their units, jobsites
and users (a new user is invited to choose a password), all or nothing, every refused item
named; a replayed request does the work once."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEntry,
    Company,
    OutboxMessage,
    PaymentTerms,
    Role,
    Unit,
    UnitKind,
    User,
)
from tests.api.conftest import assert_problem

COMPANIES = "/api/v1/companies/bulk"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def crm(make_caller, world):
    return make_caller("customers:write", "customers:read", name="CRM Salesforce")


def _by_ref(ref: str) -> Company:
    db.session.expire_all()
    return db.session.scalar(select(Company).where(Company.external_ref == ref))


def test_companies_are_created_then_updated_by_the_crms_reference(app, crm, world):
    answer = crm.post(COMPANIES, {"items": [
        {"external_ref": "SF-001", "name": "Martin Rénovation", "legal_id": "732 829 320 00074",
         "customer_group": "btp", "price_list": "PRO", "payment_terms": "net60",
         "credit_limit_cents": 500000, "po_required": True},
        {"external_ref": "SF-002", "name": "Hôtel du Parc", "country": "BE",
         "legal_id": "BE0123456749"}]})
    assert answer.status_code == 200, answer.data
    assert answer.get_json() == {"created": 2, "updated": 0, "unchanged": 0}
    martin = _by_ref("SF-001")
    assert (martin.name, martin.legal_id, martin.customer_group_id, martin.price_list_id) == (
        "Martin Rénovation", "73282932000074", world.a.company.customer_group_id, world.pro.id)
    assert (martin.payment_terms, martin.credit_limit_cents, martin.po_required) == (
        PaymentTerms.NET60, 500000, True)
    assert martin.is_active
    again = crm.post(COMPANIES, {"items": [
        {"external_ref": "SF-001", "credit_limit_cents": None, "customer_group": None},
        {"external_ref": "SF-002", "name": "Hôtel du Parc"}]})
    assert again.get_json() == {"created": 0, "updated": 1, "unchanged": 1}
    martin = _by_ref("SF-001")
    assert (martin.name, martin.credit_limit_cents, martin.customer_group_id) == (
        "Martin Rénovation", None, None)  # absent kept, null cleared
    audited = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.detail["api_client"].as_string() == "CRM Salesforce")).all()
    assert audited.count("customer.created") == 2 and "customer.updated" in audited
    listed = crm.get("/api/v1/companies?limit=2").get_json()
    assert listed["has_more"] is True and len(listed["data"]) == 2
    rest = crm.get(f"/api/v1/companies?cursor={listed['next_cursor']}").get_json()
    refs = [c["external_ref"] for c in listed["data"] + rest["data"]]
    assert refs[-2:] == ["SF-001", "SF-002"] and not rest["has_more"]
    assert_problem(crm.get("/api/v1/companies?cursor=nope"), 400, "bad_parameter")


def test_bad_companies_are_all_named_and_nothing_is_written(app, crm, world):
    before = _count(Company)
    problem = assert_problem(crm.post(COMPANIES, {"items": [
        {"external_ref": "OK-1", "name": "Fine SARL"},
        {"external_ref": "X-2", "name": "Groupless", "customer_group": "NOPE"},
        {"external_ref": "OK-1", "name": "Twice"},
        {"external_ref": "X-4", "name": "Bad SIRET", "legal_id": "123"},
        {"external_ref": "X-5"},
        {"external_ref": "X-6", "name": "No list", "price_list": "BASE"}]}),
        422, "rejected_items")
    pointers = {e["pointer"] for e in problem["errors"]}
    assert pointers == {"/items/1/customer_group", "/items/2/external_ref", "/items/3/legal_id",
                        "/items/4/name", "/items/5/price_list"}, problem
    assert _count(Company) == before
    wrong = assert_problem(crm.post(COMPANIES, {"items": [
        {"external_ref": "T-1", "name": "Typed", "credit_limit_cents": "5000"},
        {"external_ref": "T 2", "name": "Spaced"},
        {"external_ref": "T-3", "name": "Zero", "credit_limit_cents": 0}]}), 422, "invalid_fields")
    assert {"/items/0/credit_limit_cents", "/items/1/external_ref",
            "/items/2/credit_limit_cents"} <= {e["pointer"] for e in wrong["errors"]}
    assert _count(Company) == before


def _company(crm, ref="SF-100"):
    crm.post(COMPANIES, {"items": [{"external_ref": ref, "name": f"Client {ref}"}]})
    return _by_ref(ref)


def test_units_and_jobsites_by_reference_parent_first(app, crm, world):
    company = _company(crm)
    base = "/api/v1/companies/SF-100"
    made = crm.post(f"{base}/units/bulk", {"items": [
        {"external_ref": "DIV-S", "kind": "division", "name": "Sud"},
        {"external_ref": "BR-LYO", "kind": "branch", "name": "Agence Lyon",
         "parent_ref": "DIV-S", "budget_cents": 2_000_000}]})
    assert made.get_json()["created"] == 2, made.data
    sites = crm.post(f"{base}/jobsites/bulk", {"items": [
        {"external_ref": "CH-9", "name": "Chantier Confluence", "parent_ref": "BR-LYO",
         "line1": "12 quai Perrache", "postal_code": "69002", "city": "Lyon",
         "site_contact_name": "Léa", "delivery_window": "7h-10h"}]})
    assert sites.status_code == 200, sites.data
    site = db.session.scalar(select(Unit).where(Unit.external_ref == "CH-9"))
    assert (site.kind, site.company_id, site.parent.external_ref, site.address.city) == (
        UnitKind.JOBSITE, company.id, "BR-LYO", "Lyon")
    crm.post(f"{base}/jobsites/bulk", {"items": [{"external_ref": "CH-9", "name": "Confluence"}]})
    db.session.expire_all()
    assert (site.name, site.address.line1, site.delivery_window) == (
        "Confluence", "12 quai Perrache", "7h-10h")
    detail = crm.get(base).get_json()
    assert [u["external_ref"] for u in detail["units"]] == ["BR-LYO", "CH-9", "DIV-S"]
    units = _count(Unit)
    problem = assert_problem(crm.post(f"{base}/jobsites/bulk", {"items": [
        {"external_ref": "CH-10", "name": "Sans adresse", "parent_ref": "BR-LYO"},
        {"external_ref": "CH-11", "name": "Orphelin", "parent_ref": "NOWHERE", "line1": "1 rue",
         "postal_code": "69001", "city": "Lyon"},
        {"external_ref": "DIV-S", "name": "Not a jobsite"}]}), 422, "rejected_items")
    assert {e["pointer"] for e in problem["errors"]} == {
        "/items/0", "/items/1/parent_ref", "/items/2/external_ref"}
    assert _count(Unit) == units
    assert_problem(crm.post("/api/v1/companies/UNKNOWN/units/bulk", {"items": [
        {"external_ref": "U", "kind": "branch", "name": "U"}]}), 404)


def _invitations() -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.to_address)
                                   .where(OutboxMessage.kind == "invite")))


def test_users_are_invited_then_updated_by_reference_or_email(app, crm, world):
    company = _company(crm)
    base = "/api/v1/companies/SF-100"
    crm.post(f"{base}/units/bulk", {"items": [
        {"external_ref": "BR-1", "kind": "branch", "name": "Agence"}]})
    answer = crm.post(f"{base}/users/bulk", {"items": [
        {"external_ref": "C-1", "email": "Paul@Martin.example", "name": "Paul Martin",
         "role": "company_admin"},
        {"email": "lea@martin.example", "name": "Léa Martin", "unit_ref": "BR-1",
         "order_limit_cents": 150000}]})
    assert answer.get_json() == {"created": 2, "updated": 0, "unchanged": 0, "invitations": 2}
    assert sorted(_invitations()) == ["lea@martin.example", "paul@martin.example"]
    lea = db.session.scalar(select(User).where(User.email == "lea@martin.example"))
    assert (lea.company_id, lea.role, lea.unit.external_ref, lea.order_limit_cents,
            lea.password_hash) == (company.id, Role.BUYER, "BR-1", 150000, "")
    claimed = crm.post(f"{base}/users/bulk", {"items": [
        {"external_ref": "C-2", "email": "lea@martin.example", "role": "approver"},
        {"external_ref": "C-1", "name": "Paul M."}]})
    assert claimed.get_json()["updated"] == 2, claimed.data
    db.session.expire_all()
    assert (lea.external_ref, lea.role, lea.name, lea.unit.external_ref) == (
        "C-2", Role.APPROVER, "Léa Martin", "BR-1")
    assert len(_invitations()) == 2  # nobody is invited twice
    users = [u["external_ref"] for u in crm.get(base).get_json()["users"]]
    assert sorted(users) == ["C-1", "C-2"]


def test_bad_users_are_named_and_nobody_is_written_or_invited(app, crm, world):
    _company(crm)
    users = _count(User)
    problem = assert_problem(crm.post("/api/v1/companies/SF-100/users/bulk", {"items": [
        {"email": "new@client.example", "name": "Fine"},
        {"email": world.a.buyer.email, "name": "Taken elsewhere"},
        {"email": "site@client.example", "name": "Their unit",
         "unit_ref": "B-UNIT"},
        {"email": "NEW@client.example", "name": "Twice"},
        {"external_ref": "R-9", "name": "No email"},
        {"email": "not-an-email", "name": "Typo"}]}), 422, "rejected_items")
    assert {e["pointer"] for e in problem["errors"]} == {
        "/items/1/email", "/items/2/unit_ref", "/items/3/email", "/items/4/email",
        "/items/5/email"}, problem
    outside = next(e for e in problem["errors"] if e["pointer"] == "/items/1/email")
    assert "autre" in outside["detail"] or "outside" in outside["detail"]
    assert _count(User) == users and _invitations() == []


def test_another_companys_unit_is_unknown_to_a_user(app, crm, world):
    _company(crm)
    theirs = world.b.branch
    theirs.external_ref = "B-UNIT"
    db.session.commit()
    problem = assert_problem(crm.post("/api/v1/companies/SF-100/users/bulk", {"items": [
        {"email": "x@client.example", "name": "X", "unit_ref": "B-UNIT"}]}),
        422, "rejected_items")
    assert problem["errors"][0]["pointer"] == "/items/0/unit_ref"
    assert db.session.scalar(select(User).where(User.email == "x@client.example")) is None


def test_a_replayed_request_creates_once_and_another_body_is_409(app, crm, world):
    key = {"Idempotency-Key": "crm-sync-42"}
    body = {"items": [{"external_ref": "SF-7", "name": "Once SARL"}]}
    first = crm.post(COMPANIES, body, headers=key)
    second = crm.post(COMPANIES, body, headers=key)
    assert first.get_json() == second.get_json() and first.get_json()["created"] == 1
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert db.session.scalar(select(func.count()).where(Company.external_ref == "SF-7")) == 1
    other = {"items": [{"external_ref": "SF-8", "name": "Other"}]}
    assert_problem(crm.post(COMPANIES, other, headers=key), 409, "idempotency_key_reused")


def test_customer_operations_need_their_scope(app, make_caller, world):
    reader = make_caller("customers:read")
    assert_problem(reader.post(COMPANIES, {"items": [{"external_ref": "A", "name": "A"}]}),
                   403, "insufficient_scope")
    customer = make_caller("cart:write", company=world.a.company)
    assert_problem(customer.get("/api/v1/companies"), 403, "insufficient_scope")


def test_the_same_new_reference_sent_at_once_makes_one_company_on_postgresql(pg_app, figure):
    import threading
    from datetime import UTC, datetime

    from portal.services import integration

    _client, token = integration.create_client("CRM race", ["customers:write"],
                                               now=datetime.now(UTC))
    db.session.commit()
    per_trial, answers = 6, []
    barrier = threading.Barrier(per_trial)
    results: list = [None] * per_trial

    def send(n):
        with pg_app.app_context():
            try:
                barrier.wait()
                results[n] = pg_app.test_client().post(COMPANIES, json={"items": [
                    {"external_ref": "RACE-1", "name": f"Race {n}"}]},
                    headers={"Authorization": f"Bearer {token}"})
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(per_trial)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    answers = sorted(r.status_code for r in results)
    made = db.session.scalar(select(func.count()).where(Company.external_ref == "RACE-1"))
    figure(f"company upsert race: {per_trial} concurrent creations of one reference -> "
           f"{made} company, answers {answers}")
    assert made == 1 and set(answers) <= {200, 409} and 500 not in answers
    conflict = next((r for r in results if r.status_code == 409), None)
    if conflict is not None:
        assert conflict.get_json()["code"] == "concurrent_write"


def test_a_company_made_in_the_portal_is_claimed_once_by_its_id(app, crm, world):
    ours = world.a.company
    claimed = crm.post(COMPANIES, {"items": [{"external_ref": "SF-A", "id": ours.id,
                                              "po_required": True}]})
    assert claimed.get_json() == {"created": 0, "updated": 1, "unchanged": 0}, claimed.data
    company = _by_ref("SF-A")
    assert (company.id, company.name, company.po_required) == (ours.id, "Company A", True)
    problem = assert_problem(crm.post(COMPANIES, {"items": [
        {"external_ref": "SF-OTHER", "id": ours.id},
        {"external_ref": "SF-GHOST", "id": 999999}]}), 422, "rejected_items")
    assert {e["pointer"] for e in problem["errors"]} == {"/items/0/id", "/items/1/id"}
    assert _by_ref("SF-OTHER") is None and _by_ref("SF-A").id == ours.id
