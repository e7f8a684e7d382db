"""The applications queue: approve in one tap with proposed terms, reject with a reason."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AccountApplication,
    ApplicationStatus,
    AuditEntry,
    Company,
    CompanyStatus,
    CustomerGroup,
    OutboxMessage,
    PaymentTerms,
    User,
    UserToken,
)
from tests import factories as f
from tests.conftest import htmx_headers, login

EN = {"Accept-Language": "en"}


def _pending(world):
    application = f.application()
    db.session.commit()
    return application


def _defaults(application, **overrides):
    """The form as the queue page proposes it (prefix a<id>)."""
    btp = db.session.scalar(select(CustomerGroup).where(CustomerGroup.code == "BTP"))
    data = {"customer_group": str(btp.id), "price_list": "", "payment_terms": "net30",
            "credit_limit": "5000.00"}
    data.update(overrides)
    return {f"a{application.id}-{k}": v for k, v in data.items()}


def test_the_queue_shows_pending_applications_with_the_trades_group_proposed(client, world):
    application = _pending(world)
    login(client, world.staff)
    page = client.get("/staff/applications", headers=EN)
    assert page.status_code == 200
    text = page.text
    assert "Durand Bâtiment" in text and "Building contractor" in text
    assert "BTP" in text and "On account, net 30 days" in text and "credit €5,000.00" in text
    assert f'action="/staff/applications/{application.id}/approve"' in text
    assert ">Approve<" in text and ">Reject<" in text


def test_approving_activates_the_company_with_its_terms_and_queues_the_invitation(client, world):
    application = _pending(world)
    login(client, world.staff)
    response = client.post(f"/staff/applications/{application.id}/approve",
                           data=_defaults(application, credit_limit="7 500,50",
                                          price_list=str(world.pro.id), payment_terms="net60"))
    assert response.status_code == 303
    db.session.expire_all()
    application = db.session.get(AccountApplication, application.id)
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_by_id == world.staff.id and application.decided_at is not None
    company = application.company
    assert company.status == CompanyStatus.ACTIVE
    assert company.group.code == "BTP" and company.price_list_id == world.pro.id
    assert company.payment_terms == PaymentTerms.NET60 and company.credit_limit_cents == 750050
    kinds = {m.kind: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(kinds) == {"invite", "application_approved"}
    assert kinds["invite"].to_address == "julien@durand.example"
    assert "https://portal.test/password/set/" in kinds["invite"].body_text
    assert db.session.scalar(select(UserToken)).purpose == "invite"
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "application.approved"))
    assert audit.actor_id == world.staff.id and audit.company_id == company.id


def test_approving_with_htmx_swaps_the_card_to_approved(client, world):
    application = _pending(world)
    login(client, world.staff)
    response = client.post(f"/staff/applications/{application.id}/approve",
                           data=_defaults(application), headers={**htmx_headers(), **EN})
    assert response.status_code == 200
    assert f'id="application-{application.id}"' in response.text
    assert "Approved" in response.text and "<html" not in response.text


def test_a_bad_credit_limit_is_answered_422_and_nothing_is_decided(client, world):
    application = _pending(world)
    login(client, world.staff)
    response = client.post(f"/staff/applications/{application.id}/approve",
                           data=_defaults(application, credit_limit="1e5"),
                           headers={**htmx_headers(), **EN})
    assert response.status_code == 422
    assert "Enter an amount in euros" in response.text
    db.session.expire_all()
    assert db.session.get(AccountApplication, application.id).status == ApplicationStatus.PENDING
    assert db.session.scalar(select(OutboxMessage)) is None


def test_rejecting_needs_a_reason(client, world):
    application = _pending(world)
    login(client, world.staff)
    response = client.post(f"/staff/applications/{application.id}/reject",
                           data={f"r{application.id}-reason": "  "}, headers=EN)
    assert response.status_code == 422
    assert "Give a reason" in response.text
    db.session.expire_all()
    assert db.session.get(AccountApplication, application.id).status == ApplicationStatus.PENDING


def test_rejecting_closes_the_company_and_emails_the_reason(client, world):
    application = _pending(world)
    login(client, world.staff)
    form = client.get(f"/staff/applications/{application.id}/reject", headers=EN)
    assert form.status_code == 200 and "Reason (sent to the applicant)" in form.text
    response = client.post(f"/staff/applications/{application.id}/reject",
                           data={f"r{application.id}-reason": "SIRET closed since 2019"})
    assert response.status_code == 303
    db.session.expire_all()
    application = db.session.get(AccountApplication, application.id)
    assert application.status == ApplicationStatus.REJECTED
    assert application.reason == "SIRET closed since 2019"
    assert application.company.status == CompanyStatus.REJECTED
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.kind == "application_rejected" and mail.to_address == "julien@durand.example"
    assert "SIRET closed since 2019" in mail.body_text
    user = db.session.scalar(select(User).where(User.email == "julien@durand.example"))
    assert user.disabled


def test_a_second_decision_is_told_already_decided_and_changes_nothing(client, world):
    application = _pending(world)
    login(client, world.staff)
    assert client.post(f"/staff/applications/{application.id}/reject",
                       data={f"r{application.id}-reason": "Duplicate"}).status_code == 303
    late = client.post(f"/staff/applications/{application.id}/approve",
                       data=_defaults(application), headers={**htmx_headers(), **EN})
    assert late.status_code == 409
    assert "This application was already decided." in late.text
    plain = client.post(f"/staff/applications/{application.id}/approve",
                        data=_defaults(application), headers=EN)
    assert plain.status_code == 303
    assert "already decided" in client.get("/staff/applications", headers=EN).text
    db.session.expire_all()
    company = db.session.get(Company, application.company_id)
    assert company.status == CompanyStatus.REJECTED
    assert [m.kind for m in db.session.scalars(select(OutboxMessage))] == ["application_rejected"]


def test_an_unknown_application_is_a_404(client, world):
    login(client, world.staff)
    assert client.post("/staff/applications/999/approve", data={}).status_code == 404
    assert client.get("/staff/applications/999/reject").status_code == 404


def test_only_staff_admins_see_or_decide_applications(app, world):
    application = _pending(world)
    for user in (world.a.buyer, world.a.admin, world.rep, world.fulfilment):
        client = app.test_client()
        login(client, user)
        assert client.get("/staff/applications").status_code == 403
        assert client.post(f"/staff/applications/{application.id}/approve",
                           data=_defaults(application)).status_code == 403
        assert client.post(f"/staff/applications/{application.id}/reject",
                           data={f"r{application.id}-reason": "x"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(AccountApplication, application.id).status == ApplicationStatus.PENDING
