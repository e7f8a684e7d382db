"""Companies, their units and people; staff assignments and sign-up requests."""

import itertools

from portal.extensions import db
from portal.models import (
    AccountApplication,
    Address,
    ApplicationStatus,
    Company,
    CompanyStatus,
    RepAssignment,
    Role,
    Unit,
    UnitKind,
    User,
)
from portal.services.accounts.passwords import hash_password

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def company(name=None, status=CompanyStatus.ACTIVE, **kw) -> Company:
    c = Company(name=name or f"Company {next(_seq)}", status=status, **kw)
    db.session.add(c)
    db.session.flush()
    return c


def unit(company, name, kind=UnitKind.BRANCH, parent=None, **kw) -> Unit:
    """A unit; a jobsite gets its own delivery address, as the unit pages require."""
    address = None
    if kind == UnitKind.JOBSITE:
        address = Address(company_id=company.id, label=name, line1="1 rue du Test",
                          postal_code="69002", city="Lyon")
        db.session.add(address)
        db.session.flush()
    u = Unit(company_id=company.id, name=name, kind=kind, parent_id=parent.id if parent else None,
             address_id=address.id if address else None, **kw)
    db.session.add(u)
    db.session.flush()
    return u


def user(company=None, role=Role.BUYER, email=None, password=PASSWORD, **kw) -> User:
    u = User(email=email or f"user{next(_seq)}@test.example", name=kw.pop("name", "Test User"),
             company_id=company.id if company else None, role=role,
             password_hash=hash_password(password) if password else "", **kw)
    db.session.add(u)
    db.session.flush()
    return u


def assign(rep, company) -> RepAssignment:
    """Sales rep `rep` looks after `company`."""
    row = RepAssignment(rep_id=rep.id, company_id=company.id)
    db.session.add(row)
    db.session.flush()
    return row


def application(name="Durand Bâtiment", trade="building_contractor",
                email="julien@durand.example", legal_id="73282932000074") -> AccountApplication:
    """A pending sign-up request: the company, its future admin, the request itself."""
    pending = Company(name=name, legal_id=legal_id, trade=trade, status=CompanyStatus.PENDING)
    db.session.add(pending)
    db.session.flush()
    db.session.add(User(email=email, name="Julien Moreau", company_id=pending.id,
                        role=Role.COMPANY_ADMIN, password_hash="", language="fr"))
    row = AccountApplication(company_id=pending.id, contact_name="Julien Moreau",
                             contact_email=email, contact_phone="0612345678",
                             status=ApplicationStatus.PENDING)
    db.session.add(row)
    db.session.flush()
    return row
