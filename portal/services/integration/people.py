"""A customer company's units, jobsites and users written by the CRM or ERP by its own
references, through the company admin's own use cases (`accounts.save_unit`, `invite_user`,
`update_user`): the same checks, the same invitation email, the same audit rows, plus one row
per request naming the client.

Merge semantics: an absent field keeps its value (a new one takes the admin form's default),
a null one clears it. A parent unit or a user's unit is named by its reference within the
same company: a reference of another company's unit is unknown here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Company, Role, Unit, UnitKind, User
from portal.services import DomainError, accounts
from portal.services.integration.audit import audit
from portal.services.integration.customers import company_units_by_ref, duplicates, each_item

JOBSITE_FIELDS = ("project_code", "site_contact_name", "site_contact_phone", "delivery_window",
                  "delivery_notes")
ADDRESS_FIELDS = ("line1", "line2", "postal_code", "city")


@dataclass(frozen=True)
class CompanyActor:
    """What the company admin's use cases ask of an actor: its company. No user id: the audit
    rows they write name no person (the request's own row names the client)."""

    company_id: int
    id: None = None
    role: Role = Role.COMPANY_ADMIN


def _unit_ref(units: dict[str, Unit], ref: str | None, field: str) -> int | None:
    if ref is None:
        return None
    unit = units.get(ref)
    if unit is None or unit.archived:
        raise DomainError(_("No unit of this company has the reference %(ref)s.", ref=ref),
                          field=field)
    return unit.id


def upsert_units(client, company: Company, items: list[dict], *, jobsites: bool) -> dict:
    """Create or update units (divisions, branches) or jobsites by reference, in order: a
    parent comes before its children in the request, or exists already."""
    errors = duplicates(items, "external_ref")
    units = company_units_by_ref(company)
    actor = CompanyActor(company.id)

    def apply(item: dict) -> str:
        unit = units.get(item["external_ref"])
        if unit is not None and (unit.kind == UnitKind.JOBSITE) != jobsites:
            raise DomainError(_("This reference is a jobsite's.") if not jobsites
                              else _("This reference is a unit's, not a jobsite's."),
                              field="external_ref")
        parent_id = (_unit_ref(units, item["parent_ref"], "parent_ref") if "parent_ref" in item
                     else unit.parent_id if unit else None)
        address = unit.address if unit is not None else None

        def kept(name: str, source, default=""):
            if name in item:
                return item[name] if item[name] is not None else default
            return getattr(source, name) if source is not None else default

        data = accounts.UnitData(
            kind=UnitKind.JOBSITE.value if jobsites else kept("kind", unit, ""),
            name=kept("name", unit), parent_id=parent_id,
            budget_cents=kept("budget_cents", unit, None),
            **{name: kept(name, unit) for name in JOBSITE_FIELDS},
            **{name: kept(name, address) for name in ADDRESS_FIELDS})
        created = unit is None
        unit = accounts.save_unit(actor, data, unit)
        unit.external_ref = item["external_ref"]
        units[unit.external_ref] = unit
        return "created" if created else "updated"

    counts = each_item(items, errors, apply)
    audit(client, "api.jobsites.upsert" if jobsites else "api.units.upsert", company,
          {"items": len(items), **counts})
    return counts


def upsert_users(client, company: Company, items: list[dict]) -> dict:
    """Create (and invite) or update a company's users by reference, or else by email."""
    errors = duplicates(items, "external_ref") + duplicates(items, "email", str.lower)
    refs = [i["external_ref"] for i in items if i.get("external_ref")]
    emails = [i["email"].strip().lower() for i in items if i.get("email")]
    by_ref = {u.external_ref: u for u in db.session.scalars(
        select(User).where(User.company_id == company.id, User.external_ref.in_(refs)))}
    by_email = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    units = company_units_by_ref(company)
    actor = CompanyActor(company.id)

    def apply(item: dict) -> str:
        ref = item.get("external_ref")
        email = (item.get("email") or "").strip().lower()
        user = by_ref.get(ref) if ref else None
        if user is None and email:
            user = _claim_by_email(by_email.get(email), company, ref)
        if user is not None and email and user.email != email:
            raise DomainError(_("This user signs in as %(email)s: the API does not change a "
                                "sign-in email.", email=user.email), field="email")
        unit_id = (_unit_ref(units, item["unit_ref"], "unit_ref") if "unit_ref" in item
                   else user.unit_id if user else None)
        if user is None:
            if not email:
                raise DomainError(_("A new user needs an email."), field="email")
            user = accounts.invite_user(actor, accounts.UserData(
                name=item.get("name") or "", role=item.get("role") or Role.BUYER.value,
                unit_id=unit_id, order_limit_cents=item.get("order_limit_cents"),
                monthly_budget_cents=item.get("monthly_budget_cents"), email=email),
                signed=False)
            outcome = "created"
        else:
            accounts.update_user(actor, user, accounts.UserData(
                name=item.get("name") or user.name, role=item.get("role") or user.role.value,
                unit_id=unit_id,
                order_limit_cents=item.get("order_limit_cents", user.order_limit_cents),
                monthly_budget_cents=item.get("monthly_budget_cents",
                                              user.monthly_budget_cents),
                # Not in the API's person: the allowance set in the portal stays.
                yearly_allowance_cents=user.yearly_allowance_cents))
            outcome = "updated"
        if ref:
            user.external_ref = ref
            by_ref[ref] = user
        by_email[user.email] = user
        return outcome

    counts = each_item(items, errors, apply)
    counts["invitations"] = counts.get("created", 0)
    audit(client, "api.users.upsert", company, {"items": len(items), **counts})
    return counts


def _claim_by_email(user: User | None, company: Company, ref: str | None) -> User | None:
    """The account with this email, if it is this company's and holds no other reference."""
    if user is None:
        return None
    if user.company_id != company.id:
        raise DomainError(_("An account with this email exists outside this company."),
                          field="email")
    if ref and user.external_ref and user.external_ref != ref:
        raise DomainError(_("This email's user has the reference %(ref)s.",
                            ref=user.external_ref), field="email")
    return user


def describe_units(company: Company) -> list[dict]:
    units = accounts.company_units(company.id)
    refs = {u.id: u.external_ref for u in units}
    return [{"id": u.id, "external_ref": u.external_ref, "kind": u.kind.value, "name": u.name,
             "parent_ref": refs.get(u.parent_id), "archived": u.archived} for u in units]


def describe_users(company: Company) -> list[dict]:
    units = {u.id: u.external_ref for u in accounts.company_units(company.id)}
    return [{"id": u.id, "external_ref": u.external_ref, "email": u.email, "name": u.name,
             "role": u.role.value, "unit_ref": units.get(u.unit_id), "disabled": u.disabled}
            for u in accounts.company_users(company.id)]
