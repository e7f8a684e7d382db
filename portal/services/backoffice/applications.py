"""Trade account applications: check a SIRET or VAT number, apply, approve or reject.

Pure rules (`check_legal_id`, `approval_defaults`) take plain values and return frozen
dataclasses or codes; the use cases change the session and never commit. A decision is a
conditional update on `status = 'pending'`, so of two staff members deciding at once only the
first wins and the second is told "already decided".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    AccountApplication,
    Address,
    ApplicationStatus,
    Company,
    CompanyStatus,
    CustomerGroup,
    PaymentTerms,
    PriceList,
    Role,
    User,
)
from portal.models.labels import payment_terms_label as terms_label
from portal.services import DomainError, credit
from portal.services.accounts import find_user_by_email, send_invitation
from portal.services.backoffice.customers import write_audit
from portal.services.messaging import email_link, queue_email
from portal.services.text import clean_text

# Trade key -> label, in the order the form offers them.
TRADES = (
    ("building_contractor", _l("Building contractor")),
    ("electrician", _l("Electrician")),
    ("plumber", _l("Plumber")),
    ("restaurant", _l("Restaurant")),
    ("hotel", _l("Hotel")),
    ("dealer", _l("Dealer")),
    ("other", _l("Other")),
)
# The customer group a new account of each trade usually joins (by group code).
GROUP_BY_TRADE = {
    "building_contractor": "BTP",
    "electrician": "BTP",
    "plumber": "BTP",
    "restaurant": "CHR",
    "hotel": "CHR",
    "dealer": "REVENDEURS",
}
DEFAULT_TERMS = PaymentTerms.NET30
# A first credit line the staff can change before approving; prepaid accounts need none.
DEFAULT_CREDIT_LIMIT_CENTS = 500_000


def trade_label(key: str) -> str:
    return str(dict(TRADES).get(key, key))


# ---------------------------------------------------------------- pure rules

@dataclass(frozen=True)
class LegalIdCheck:
    kind: str  # "siret", "vat" or "" when unrecognised
    value: str  # normalised (no spaces, upper case)
    problem: str | None  # None when valid, else a code (see LEGAL_ID_MESSAGES)


_SEPARATORS = re.compile(r"[\s.\-/]+")
_VAT = re.compile(r"FR[0-9A-Z]{2}[0-9]{9}")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def siret_ok(digits: str) -> bool:
    # La Poste's establishments share one SIREN and use a digit-sum rule instead of Luhn.
    if digits.startswith("356000000") and digits != "35600000000048":
        return sum(int(c) for c in digits) % 5 == 0
    return luhn_ok(digits)


def check_legal_id(raw: str | None) -> LegalIdCheck:
    """A SIRET (14 digits, Luhn) or a French VAT number (FR + 2 characters + 9 digits)."""
    value = _SEPARATORS.sub("", (raw or "")).upper()
    if not value:
        return LegalIdCheck("", value, "empty")
    if value.isascii() and value.isdigit():
        if len(value) != 14:
            return LegalIdCheck("siret", value, "siret_length")
        if not siret_ok(value):
            return LegalIdCheck("siret", value, "siret_checksum")
        return LegalIdCheck("siret", value, None)
    if value.startswith("FR"):
        if not _VAT.fullmatch(value):
            return LegalIdCheck("vat", value, "vat_format")
        return LegalIdCheck("vat", value, None)
    return LegalIdCheck("", value, "unknown")


def legal_id_message(check: LegalIdCheck) -> str:
    messages = {
        "empty": _("Enter your SIRET or your VAT number."),
        "siret_length": _("A SIRET number has 14 digits; you typed %(n)s.", n=len(check.value)),
        "siret_checksum": _("This SIRET number is not valid: check its digits."),
        "vat_format": _("A French VAT number is FR, two characters, then the 9 digits of "
                        "the SIREN (for example FR40123456789)."),
        "unknown": _("Enter a SIRET (14 digits) or a French VAT number (FR followed by 11 "
                     "characters)."),
    }
    return messages.get(check.problem or "", "")


@dataclass(frozen=True)
class ApprovalDefaults:
    group_code: str | None
    payment_terms: PaymentTerms
    credit_limit_cents: int | None


def approval_defaults(trade: str, group_codes: set[str] | frozenset[str]) -> ApprovalDefaults:
    """What the approve form proposes: the trade's usual group (if it exists), net 30."""
    code = GROUP_BY_TRADE.get(trade)
    return ApprovalDefaults(code if code in group_codes else None, DEFAULT_TERMS,
                            DEFAULT_CREDIT_LIMIT_CENTS)


# ---------------------------------------------------------------- use cases

@dataclass(frozen=True)
class ApplicationData:
    company_name: str
    legal_id: str
    trade: str
    address_line: str
    postal_code: str
    city: str
    contact_name: str
    email: str
    phone: str


def submit_application(data: ApplicationData, language: str) -> AccountApplication | None:
    """A pending company, its admin user (no password yet) and the application, together.

    An address that already has an account opens nothing (None): the form answers as for any
    application, so it cannot be used to learn who has an account; the owner is told by email.
    """
    check = check_legal_id(data.legal_id)
    if check.problem:
        raise DomainError(legal_id_message(check))
    email = data.email.strip().lower()
    existing = find_user_by_email(email)
    if existing is not None:
        tell_owner_of_application(existing)
        return None
    company = Company(name=data.company_name.strip(), legal_id=check.value, trade=data.trade,
                      status=CompanyStatus.PENDING, language=language, phone=data.phone.strip())
    db.session.add(company)
    db.session.flush()
    # An address label holds 120 characters; a company name up to 160.
    db.session.add(Address(company_id=company.id, label=company.name[:120], is_billing=True,
                           line1=data.address_line.strip(), postal_code=data.postal_code.strip(),
                           city=data.city.strip()))
    user = User(email=email, name=data.contact_name.strip(), company_id=company.id,
                role=Role.COMPANY_ADMIN, password_hash="", language=language,
                phone=data.phone.strip())
    application = AccountApplication(company_id=company.id, contact_name=user.name,
                                     contact_email=email, contact_phone=data.phone.strip(),
                                     status=ApplicationStatus.PENDING)
    db.session.add_all([user, application])
    db.session.flush()
    queue_email("application_received", email, language, "application_received",
                application=application, company=company)
    return application


def find_application(application_id: int) -> AccountApplication | None:
    return db.session.get(AccountApplication, application_id)


def application_queue(pending_shown: int, decided_shown: int):
    """(oldest pending first, latest decided first), each with its company: two statements."""
    pending = db.session.scalars(
        select(AccountApplication).where(AccountApplication.status == ApplicationStatus.PENDING)
        .options(selectinload(AccountApplication.company))
        .order_by(AccountApplication.created_at, AccountApplication.id).limit(pending_shown)
    ).all()
    decided = db.session.scalars(
        select(AccountApplication).where(AccountApplication.status != ApplicationStatus.PENDING)
        .order_by(AccountApplication.decided_at.desc(), AccountApplication.id.desc())
        .options(selectinload(AccountApplication.company)).limit(decided_shown)).all()
    return pending, decided


def tell_owner_of_application(user: User) -> None:
    """The owner of an address someone applied with learns it by email (sign-in and reset
    links), in their own language."""
    queue_email("application_existing", user.email, user.language or "fr",
                "application_existing", user=user,
                login_link=email_link("auth.login"),
                forgot_link=email_link("auth.forgot_password"))


def _claim(application_id: int, status: ApplicationStatus, staff: User, now: datetime,
           reason: str = "") -> AccountApplication:
    """Decide once: the conditional update matches only a still-pending application."""
    claimed = db.session.execute(
        update(AccountApplication)
        .where(AccountApplication.id == application_id,
               AccountApplication.status == ApplicationStatus.PENDING)
        .values(status=status, decided_by_id=staff.id, decided_at=now, reason=reason)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if claimed != 1:
        if db.session.get(AccountApplication, application_id) is None:
            raise LookupError(application_id)
        raise DomainError(_("This application was already decided."))
    application = db.session.get(AccountApplication, application_id)
    db.session.refresh(application)
    return application


def _applicant(application: AccountApplication) -> User | None:
    return db.session.scalar(select(User).where(
        User.company_id == application.company_id, User.email == application.contact_email))


@dataclass(frozen=True)
class ApprovalChoice:
    customer_group_id: int | None
    price_list_id: int | None
    payment_terms: PaymentTerms
    credit_limit_cents: int | None


def approve(application_id: int, staff: User, choice: ApprovalChoice,
            now: datetime) -> AccountApplication:
    """Activate the company with these terms and invite its contact to set a password."""
    if choice.customer_group_id is not None and db.session.get(
            CustomerGroup, choice.customer_group_id) is None:
        raise DomainError(_("Choose a customer group from the list."))
    if choice.price_list_id is not None and db.session.get(
            PriceList, choice.price_list_id) is None:
        raise DomainError(_("Choose a price list from the list."))
    credit.check_limit(choice.credit_limit_cents)
    application = _claim(application_id, ApplicationStatus.APPROVED, staff, now)
    company = application.company
    company.status = CompanyStatus.ACTIVE
    company.customer_group_id = choice.customer_group_id
    company.price_list_id = choice.price_list_id
    company.payment_terms = choice.payment_terms
    company.credit_limit_cents = choice.credit_limit_cents
    user = _applicant(application)
    if user is not None:
        queue_email("application_approved", user.email, user.language or company.language,
                    "application_approved", user=user, company=company,
                    terms_label=terms_label)
        send_invitation(user)
    write_audit("application.approved", application, actor=staff, company_id=company.id,
                detail={"customer_group_id": choice.customer_group_id,
                        "price_list_id": choice.price_list_id,
                        "payment_terms": str(choice.payment_terms),
                        "credit_limit_cents": choice.credit_limit_cents})
    return application


def reject(application_id: int, staff: User, reason: str, now: datetime) -> AccountApplication:
    """Refuse with a reason the applicant reads in the rejection email."""
    reason = clean_text(reason)  # stored by a conditional update, which no listener sees
    if not reason:
        raise DomainError(_("Give a reason: the applicant will read it."))
    application = _claim(application_id, ApplicationStatus.REJECTED, staff, now, reason)
    company = application.company
    company.status = CompanyStatus.REJECTED
    user = _applicant(application)
    language = company.language
    if user is not None:
        language = user.language or language
        user.disabled = True  # never signs in: the account was not opened
    queue_email("application_rejected", application.contact_email, language,
                "application_rejected", application=application, company=company)
    write_audit("application.rejected", application, actor=staff, company_id=company.id,
                detail={"reason": reason[:500]})
    return application
