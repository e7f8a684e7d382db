"""Who pays: each company's billing contact (one of its users) and billing address.

Staff set them on the customer's terms page; the company admin reads them on the company
pages. Invoices and overdue reminders go to the billing contact, or to the company admins when
there is none (or the contact was disabled): the person who ordered is rarely the one who pays.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import BillingProfile, Company, Role, User
from portal.services import DomainError, accounts
from portal.services.text import clean_line


@dataclass(frozen=True)
class BillingChanges:
    """What staff typed on the billing form."""

    contact_id: int | None
    name: str
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str
    public_sector: bool = False
    service_code: str = ""


def profile_of(company_id: int) -> BillingProfile | None:
    return db.session.scalar(select(BillingProfile).where(BillingProfile.company_id == company_id))


def contact_choices(company_id: int) -> list[User]:
    """The users staff may name as billing contact: the company's, enabled."""
    return list(db.session.scalars(select(User).where(
        User.company_id == company_id, User.disabled.is_(False)).order_by(User.name, User.id)))


def is_billing_contact(user) -> bool:
    if user is None or getattr(user, "company_id", None) is None:
        return False
    return db.session.scalar(select(BillingProfile.id).where(
        BillingProfile.company_id == user.company_id,
        BillingProfile.contact_id == user.id)) is not None


def set_billing(staff, company: Company, changes: BillingChanges) -> BillingProfile:
    """Save the billing contact and address of `company` (audited); DomainError at a field."""
    if changes.contact_id is not None:
        contact = db.session.get(User, changes.contact_id)
        if contact is None or contact.company_id != company.id or contact.disabled:
            raise DomainError(_("Choose the billing contact among this company's users."),
                              field="contact")
    values = {}
    for name, limit in (("name", 160), ("line1", 200), ("line2", 200), ("postal_code", 20),
                        ("city", 120)):
        values[name] = clean_line(getattr(changes, name))
        if len(values[name]) > limit:
            raise DomainError(_("Keep this under %(count)d characters.", count=limit),
                              field=name)
    country = clean_line(changes.country).upper() or company.country
    if not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise DomainError(_("Enter a two-letter country code, for example FR."), field="country")
    if values["line1"] and not (values["postal_code"] and values["city"]):
        raise DomainError(_("Enter the postal code and city of the billing address."),
                          field="city")
    service_code = clean_line(changes.service_code)
    if changes.public_sector and not service_code:
        raise DomainError(_("Enter the Chorus Pro service code of this public-sector customer."),
                          field="service_code")
    if len(service_code) > 100:
        raise DomainError(_("Keep this under %(count)d characters.", count=100),
                          field="service_code")
    profile = profile_of(company.id)
    before = _snapshot(profile)
    if profile is None:
        profile = BillingProfile(company_id=company.id)
        db.session.add(profile)
    profile.contact_id = changes.contact_id
    profile.country = country
    profile.public_sector = bool(changes.public_sector)
    profile.service_code = service_code if changes.public_sector else ""
    if changes.public_sector:
        # Chorus Pro wants the legal commitment number on every invoice: it is the order's PO
        # number, so checkout asks for it.
        company.po_required = True
    for name, value in values.items():
        setattr(profile, name, value)
    accounts.record(staff, "billing.update", company,
                    {"before": before, "after": _snapshot(profile)}, company_id=company.id)
    return profile


def _snapshot(profile: BillingProfile | None) -> dict:
    if profile is None:
        return {}
    return {"contact_id": profile.contact_id, "name": profile.name, "line1": profile.line1,
            "line2": profile.line2, "postal_code": profile.postal_code, "city": profile.city,
            "country": profile.country, "public_sector": profile.public_sector,
            "service_code": profile.service_code}


def recipients(company_id: int) -> list[User]:
    """Who receives invoices and reminders: the billing contact, else the company admins."""
    profile = profile_of(company_id)
    if profile is not None and profile.contact is not None and not profile.contact.disabled:
        return [profile.contact]
    return list(db.session.scalars(select(User).where(
        User.company_id == company_id, User.role == Role.COMPANY_ADMIN,
        User.disabled.is_(False)).order_by(User.id)))


@dataclass(frozen=True)
class BillTo:
    """The buyer as printed on an invoice."""

    name: str
    address: str
    postal_code: str
    city: str
    country: str


def service_code_of(company_id: int) -> str:
    """The Chorus Pro service code invoices of this company carry ("" if not public sector)."""
    profile = profile_of(company_id)
    return profile.service_code if profile is not None and profile.public_sector else ""


def bill_to(company: Company) -> BillTo:
    """The billing profile's name and address; else the company's billing (or first) address."""
    profile = profile_of(company.id)
    if profile is not None and profile.line1:
        address = "\n".join(p for p in (profile.line1, profile.line2) if p)
        return BillTo(profile.name or company.name, address, profile.postal_code, profile.city,
                      profile.country or company.country)
    addresses = sorted(company.addresses, key=lambda a: (not a.is_billing, a.id))
    name = profile.name if profile is not None and profile.name else company.name
    if not addresses:
        return BillTo(name, "", "", "", company.country)
    first = addresses[0]
    address = "\n".join(p for p in (first.line1, first.line2) if p)
    return BillTo(name, address, first.postal_code, first.city, first.country or company.country)
