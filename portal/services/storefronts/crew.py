"""Employee stores opened for a customer company, and who of its people shop there.

The seller opens an employee store for a company (`open_store`, staff admins, on the
customer's page). The company admin, on the trade portal, then puts people on it: invites a
new crew member (`invite_member`) or moves one of the company's buyers there
(`move_member`), each with an optional yearly allowance, takes them off again
(`remove_member`) and chooses the crew's categories there (`set_assortment`: visibility
entries scoped to the store; none chosen, the crew sees what the office sees). A store that
was not opened for the admin's company, or a person of another company, is not found.
Everything is checked before anything is written; use cases change the session, never
commit.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.models import (
    Category,
    Company,
    Role,
    Storefront,
    StorefrontKind,
    User,
    VisibilityRule,
)
from portal.models.storefronts import CrewStore
from portal.security import end_all_sessions
from portal.services import DomainError, accounts


def stores_of(company_id: int) -> list[Storefront]:
    """The employee stores opened for this company, by name."""
    return list(db.session.scalars(
        select(Storefront).join(CrewStore, CrewStore.storefront_id == Storefront.id)
        .where(CrewStore.company_id == company_id).order_by(Storefront.name, Storefront.id)))


def store_of(company_id: int, storefront_id: int) -> Storefront | None:
    """One of them, or None (not opened for this company: the caller answers 404)."""
    return db.session.scalar(
        select(Storefront).join(CrewStore, CrewStore.storefront_id == Storefront.id)
        .where(CrewStore.company_id == company_id, Storefront.id == storefront_id))


def openable(company_id: int) -> list[Storefront]:
    """Employee stores the seller could still open for this company."""
    opened = select(CrewStore.storefront_id).where(CrewStore.company_id == company_id)
    return list(db.session.scalars(
        select(Storefront).where(Storefront.kind == StorefrontKind.EMPLOYEE,
                                 Storefront.id.not_in(opened))
        .order_by(Storefront.name, Storefront.id)))


def open_store(staff: User, company: Company, raw_id: str) -> Storefront:
    """A staff admin opens an employee store for a customer company."""
    found = db.session.get(Storefront, int(raw_id)) \
        if raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 10 else None
    if found is None or found.kind != StorefrontKind.EMPLOYEE:
        raise DomainError(_("Choose an employee store from the list."), field="storefront")
    if store_of(company.id, found.id) is not None:
        raise DomainError(_("%(store)s is already open for %(company)s.", store=found.name,
                            company=company.name), field="storefront")
    db.session.add(CrewStore(company_id=company.id, storefront_id=found.id))
    accounts.record(staff, "crew.store_opened", company, {"storefront": found.name},
                    company_id=company.id)
    return found


def crew_of(company_id: int, storefront_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.company_id == company_id, User.storefront_id == storefront_id)
        .order_by(User.name, User.id)))


def movable(company_id: int) -> list[User]:
    """The company's buyers who shop on its own storefront (they may be moved to a store)."""
    return list(db.session.scalars(
        select(User).where(User.company_id == company_id, User.role == Role.BUYER,
                           User.storefront_id.is_(None), User.disabled.is_(False))
        .order_by(User.name, User.id)))


def invite_member(admin: User, store: Storefront, name: str, email: str,
                  unit_id: int | None, allowance_cents: int | None) -> User:
    """A new buyer of the admin's company who signs in on the store; the invitation's link
    names the store's host."""
    _own_store(admin, store)
    return accounts.invite_user(admin, accounts.UserData(
        name=name, role=Role.BUYER.value, unit_id=unit_id, email=email,
        yearly_allowance_cents=allowance_cents, storefront_id=store.id))


def move_member(admin: User, store: Storefront, raw_user_id: str,
                allowance_cents: int | None) -> User:
    """One of the company's buyers now shops on the store only (signed out everywhere)."""
    _own_store(admin, store)
    person = next((p for p in movable(admin.company_id) if str(p.id) == raw_user_id), None)
    if person is None:
        raise DomainError(_("Choose a buyer of your company from the list."), field="person")
    _moved(admin, person, store.id, allowance_cents)
    return person


def remove_member(admin: User, store: Storefront, person: User) -> None:
    """Back on the company's own storefront, without a yearly allowance."""
    _own_store(admin, store)
    if person.company_id != admin.company_id or person.storefront_id != store.id:
        raise DomainError(_("%(name)s does not shop on %(store)s.", name=person.name,
                            store=store.name))
    _moved(admin, person, None, None)


def _moved(admin: User, person: User, storefront_id: int | None,
           allowance_cents: int | None) -> None:
    before = _snapshot(person)
    person.storefront_id, person.yearly_allowance_cents = storefront_id, allowance_cents
    end_all_sessions(person)  # the old storefront's session must not outlive the move
    accounts.record(admin, "user.update", person, {"before": before,
                                                   "after": _snapshot(person)})


def _snapshot(person: User) -> dict:
    return {"name": person.name, "storefront_id": person.storefront_id,
            "yearly_allowance_cents": person.yearly_allowance_cents}


def assortment_choices() -> list[Category]:
    """The top categories (a choice covers its sub-categories)."""
    return list(db.session.scalars(select(Category).where(Category.parent_id.is_(None))
                                   .order_by(Category.position, Category.id)))


def assortment_of(company_id: int, storefront_id: int) -> set[int]:
    return set(db.session.scalars(select(VisibilityRule.category_id).where(
        VisibilityRule.company_id == company_id, VisibilityRule.storefront_id == storefront_id,
        VisibilityRule.category_id.is_not(None))))


def set_assortment(admin: User, store: Storefront, raw_ids: list[str]) -> set[int]:
    """The crew's categories on the store: exactly these (none: the office's assortment)."""
    _own_store(admin, store)
    offered = {c.id for c in assortment_choices()}
    if not all(r.isascii() and r.isdigit() and len(r) < 10 and int(r) in offered
               for r in raw_ids):
        raise DomainError(_("Choose categories from the list."), field="category")
    chosen = {int(r) for r in raw_ids}
    db.session.execute(delete(VisibilityRule).where(
        VisibilityRule.company_id == admin.company_id,
        VisibilityRule.storefront_id == store.id))
    for category_id in sorted(chosen):
        db.session.add(VisibilityRule(company_id=admin.company_id, storefront_id=store.id,
                                      category_id=category_id))
    db.session.flush()
    accounts.record(admin, "crew.assortment", store,
                    {"name": store.name, "categories": sorted(chosen)},
                    company_id=admin.company_id)
    return chosen


def crew_counts(company_id: int) -> dict[int, int]:
    """How many people of the company shop on each of its stores (one grouped count)."""
    return dict(db.session.execute(
        select(User.storefront_id, func.count()).where(User.company_id == company_id,
                                                       User.storefront_id.is_not(None))
        .group_by(User.storefront_id)).all())


def _own_store(admin: User, store: Storefront) -> None:
    if admin.company_id is None or store_of(admin.company_id, store.id) is None:
        raise DomainError(_("This employee store is not open for your company."))
