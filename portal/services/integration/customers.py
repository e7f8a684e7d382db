"""Customer companies written and read by the seller's CRM or ERP by its own reference.

A company item is upserted by `external_ref` (merge semantics: an absent field keeps its
value, a null one clears it, a new company takes the back office's defaults). The checks are
the back office's own (`backoffice.check_tax_identity`, `credit.check_limit`); group and
price list are named by code. All or nothing: every refused item is reported, and the caller
rolls back unless none was.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import Company, CompanyStatus, CustomerGroup, PaymentTerms, PriceList, Unit
from portal.services import DomainError, backoffice, credit, selling
from portal.services.integration.audit import audit
from portal.services.integration.bulk import BulkRejected
from portal.services.integration.orders import BadCursor
from portal.services.text import clean_line

# Fields the back office's checks name as its forms do, and the API's name for them.
API_FIELDS = {"credit_limit": "credit_limit_cents", "unit_id": "unit_ref",
              "parent_id": "parent_ref"}
Error = tuple[int, str, str]


def duplicates(items: list[dict], key: str, fold: Callable[[str], str] = str) -> list[Error]:
    """An item whose `key` an earlier item of the request already holds."""
    seen: dict[str, int] = {}
    errors = []
    for n, item in enumerate(items):
        value = item.get(key)
        if value is None:
            continue
        if fold(value) in seen:
            errors.append((n, key, _("Also on item %(n)s.", n=seen[fold(value)])))
        else:
            seen[fold(value)] = n
    return errors


def each_item(items: list[dict], errors: list[Error], apply: Callable[[dict], str]) -> dict:
    """Apply every item not already refused; count what `apply` says ("created"...); collect
    each refusal at its item and field. Raises BulkRejected if any item was refused."""
    refused = {e[0] for e in errors}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for n, item in enumerate(items):
        if n in refused:
            continue
        try:
            outcome = apply(item)
        except DomainError as e:
            errors.append((n, API_FIELDS.get(e.field or "", e.field or ""), str(e)))
            continue
        counts[outcome] = counts.get(outcome, 0) + 1
    if errors:
        raise BulkRejected(_("Nothing was written: %(count)s items need a fix.",
                             count=len({e[0] for e in errors})), sorted(errors))
    return counts


def _by_code(model, codes: Iterable[str | None], **where) -> dict[str, int]:
    wanted = {c.strip().upper() for c in codes if c}
    query = select(model.code, model.id).where(model.code.in_(wanted))
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return {code.upper(): ident for code, ident in db.session.execute(query)}


def upsert_companies(client, items: list[dict], now: datetime) -> dict:
    """Create or update companies by external reference, all or nothing."""
    errors = duplicates(items, "external_ref")
    refs = [item["external_ref"] for item in items]
    found = {c.external_ref: c for c in db.session.scalars(
        select(Company).where(Company.external_ref.in_(refs)))}
    groups = _by_code(CustomerGroup, (i.get("customer_group") for i in items))
    lists = _by_code(PriceList, (i.get("price_list") for i in items), is_base=False)

    def apply(item: dict) -> str:
        company = found.get(item["external_ref"]) or _claimed(item)
        changes = _company_changes(item, company, groups, lists)
        created = company is None
        claimed = company is not None and company.external_ref is None
        if claimed:
            company.external_ref = item["external_ref"]
        if created:
            company = Company(name=changes.pop("name"), status=CompanyStatus.ACTIVE,
                              created_at=now, external_ref=item["external_ref"])
            db.session.add(company)
        diff = {}
        for name, new in changes.items():
            old = getattr(company, name)
            if old != new:
                diff[name] = [str(old) if isinstance(old, PaymentTerms) else old,
                              str(new) if isinstance(new, PaymentTerms) else new]
                setattr(company, name, new)
        db.session.flush()
        found[company.external_ref] = company
        if created or diff or claimed:
            audit(client, "customer.created" if created else "customer.updated", company,
                  {"external_ref": company.external_ref, **({} if created else diff)})
        return "created" if created else ("updated" if diff or claimed else "unchanged")

    counts = each_item(items, errors, apply)
    audit(client, "api.companies.upsert", None, {"items": len(items), **counts})
    return counts


def _claimed(item: dict) -> Company | None:
    """A company made in the portal (`id`) that the CRM now names by its reference."""
    if item.get("id") is None:
        return None
    company = db.session.get(Company, item["id"])
    if company is None:
        raise DomainError(_("No company has this id."), field="id")
    if company.external_ref is not None:
        raise DomainError(_("This company has the reference %(ref)s.", ref=company.external_ref),
                          field="id")
    return company


def _company_changes(item: dict, company: Company | None, groups: dict, lists: dict) -> dict:
    """The new values of the item's fields, checked as the back office checks them."""
    changes: dict = {}
    if "name" in item or company is None:
        name = clean_line(item.get("name"))[:160]
        if not name:
            raise DomainError(_("Enter a name."), field="name")
        changes["name"] = name
    if company is None or "country" in item or "legal_id" in item:
        country = item.get("country") if "country" in item else (
            company.country if company else selling.storefront_country())
        legal_id = item.get("legal_id") if "legal_id" in item else (
            company.legal_id if company else "")
        changes["country"], changes["legal_id"] = backoffice.check_tax_identity(country, legal_id)
    for key, codes, attribute, message in (
            ("customer_group", groups, "customer_group_id", _("No customer group has this code.")),
            ("price_list", lists, "price_list_id", _("No contract price list has this code."))):
        if key in item:
            code = item[key]
            if code is not None and code.strip().upper() not in codes:
                raise DomainError(message, field=key)
            changes[attribute] = codes[code.strip().upper()] if code is not None else None
    if "payment_terms" in item:
        changes["payment_terms"] = PaymentTerms(item["payment_terms"])
    if "credit_limit_cents" in item:
        changes["credit_limit_cents"] = credit.check_limit(item["credit_limit_cents"],
                                                           field="credit_limit_cents")
    if "po_required" in item:
        changes["po_required"] = bool(item["po_required"])
    return changes


# -- reading ------------------------------------------------------------------------------------

def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"company:{last_id}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _sep, number = raw.partition(":")
        if kind != "company" or not number.isascii() or not number.isdigit():
            raise ValueError(raw)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadCursor(_("This cursor is not valid: pass the next_cursor of a page.")) from None


def companies_page(cursor: str | None, limit: int) -> tuple[list[Company], str | None, bool]:
    """Companies in id order (new companies come last): a page, the cursor after it, more."""
    query = select(Company).order_by(Company.id).limit(limit + 1)
    if cursor:
        query = query.where(Company.id > _decode(cursor))
    rows = list(db.session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    after = _encode(rows[-1].id) if rows else cursor
    return rows, after, more


def company_by_ref(external_ref: str) -> Company | None:
    return db.session.scalar(select(Company).where(Company.external_ref == external_ref))


def describe_companies(companies: list[Company]) -> list[dict]:
    """Companies as the API shows them (codes, not ids, for group and price list)."""
    group_ids = {c.customer_group_id for c in companies} - {None}
    list_ids = {c.price_list_id for c in companies} - {None}
    groups = dict(db.session.execute(select(CustomerGroup.id, CustomerGroup.code)
                                     .where(CustomerGroup.id.in_(group_ids))).all())
    lists = dict(db.session.execute(select(PriceList.id, PriceList.code)
                                    .where(PriceList.id.in_(list_ids))).all())
    return [{"id": c.id, "external_ref": c.external_ref, "name": c.name, "legal_id": c.legal_id,
             "country": c.country, "status": c.status.value,
             "customer_group": groups.get(c.customer_group_id),
             "price_list": lists.get(c.price_list_id), "payment_terms": c.payment_terms.value,
             "credit_limit_cents": c.credit_limit_cents, "po_required": c.po_required}
            for c in companies]


def company_units_by_ref(company: Company) -> dict[str, Unit]:
    return {u.external_ref: u for u in db.session.scalars(
        select(Unit).where(Unit.company_id == company.id, Unit.external_ref.is_not(None)))}
