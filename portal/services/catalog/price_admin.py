"""The seller's price management: a price list's settings (name, currency, validity dates, the
customer group or company it is given to) and time-limited promotions. Every change is audited
with who and when; bad input raises `FormInvalid` with a message per field, nothing written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from portal.extensions import db
from portal.models import Company, CustomerGroup, PriceList, Product, Promotion
from portal.services import text
from portal.services.accounts import record
from portal.services.catalog.admin import FormInvalid, _parse
from portal.services.csv_import import cells

NAME_MAX = 120
MAX_DAYS_AHEAD = 3 * 366
_PERCENT = re.compile(r"(\d{1,2})(?:[.,](\d{1,2}))?")


@dataclass(frozen=True)
class Audience:
    groups: list[CustomerGroup]
    companies: list[Company]


def audience_of(price_list: PriceList) -> Audience:
    """The groups and companies this list is given to."""
    return Audience(
        list(db.session.scalars(select(CustomerGroup).where(
            CustomerGroup.price_list_id == price_list.id).order_by(CustomerGroup.code))),
        list(db.session.scalars(select(Company).where(
            Company.price_list_id == price_list.id).order_by(Company.name))))


def audience_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    groups = db.session.execute(select(CustomerGroup.id, CustomerGroup.name)
                                .order_by(CustomerGroup.name)).all()
    companies = db.session.execute(select(Company.id, Company.name)
                                   .order_by(Company.name).limit(500)).all()
    return [tuple(g) for g in groups], [tuple(c) for c in companies]


def parse_day(errors: dict, name: str, raw: str | None, required: bool = False) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        if required:
            errors[name] = _("Enter a date such as %(example)s.", example="2026-12-31")
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Enter a date such as %(example)s.", example="2026-12-31")
        return None


def _dates(errors: dict, form: Mapping[str, str], today: date, first: str, last: str,
           required: bool) -> tuple[date | None, date | None]:
    start = parse_day(errors, first, form.get(first), required)
    end = parse_day(errors, last, form.get(last), required)
    if end and end < today:
        errors[last] = _("This date is past: choose today or later.")
    elif end and end > today + timedelta(days=MAX_DAYS_AHEAD):
        errors[last] = _("Choose a date within three years.")
    elif start and end and start > end:
        errors[last] = _("The end comes before the start.")
    return start, end


def _pick(model, raw: str | None):
    raw = (raw or "").strip()
    return db.session.get(model, int(raw)) \
        if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _customer(raw: str | None, errors: dict) -> Company | None:
    """The customer typed by its name as listed (any case) or its SIRET/VAT number: a seller
    has more customers than a list on a phone can hold."""
    typed = text.clean_line(raw or "")
    if not typed:
        return None
    found = db.session.scalars(
        select(Company).where(or_(func.lower(Company.name) == typed.lower(),
                                  Company.legal_id == typed.replace(" ", "")))
        .order_by(Company.id).limit(2)).all()
    if len(found) == 1:
        return found[0]
    errors["company"] = (_("Several customers are named %(name)s: type the SIRET of the one "
                           "you mean.", name=typed) if found else
                         _("No customer is named %(name)s: type its name as listed, or its "
                           "SIRET.", name=typed))
    return None


@dataclass(frozen=True)
class ListSettings:
    name: str
    currency: str
    valid_from: date | None
    valid_until: date | None
    group: CustomerGroup | None
    company: Company | None


def list_settings(form: Mapping[str, str], today: date, current: PriceList | None = None,
                  errors: dict | None = None) -> ListSettings:
    """The settings form read strictly; FormInvalid lists every field to fix (with `errors`
    found before, such as the code's)."""
    errors = dict(errors or {})
    name = text.clean_line(form.get("name") or "")
    if not name or len(name) > NAME_MAX:
        errors["name"] = _("Enter a name of %(max)s characters at most.", max=NAME_MAX)
    currency = (form.get("currency") or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        errors["currency"] = _("A currency is a three-letter ISO code such as EUR.")
    valid_from, valid_until = _dates(errors, form, today, "valid_from", "valid_until", False)
    if current is not None and valid_until is not None and current.valid_until == valid_until:
        errors.pop("valid_until", None)  # an ended list may be saved as it is
    group = _pick(CustomerGroup, form.get("group_id"))
    if (form.get("group_id") or "").strip() and group is None:
        errors["group_id"] = _("Choose a customer group from the list.")
    company = _customer(form.get("company"), errors)
    if current is not None and current.is_base and (valid_from or valid_until):
        errors["valid_from"] = _("The base list prices everyone at any date: no dates.")
    if "currency" not in errors and (current is not None or company is not None):
        # A list prices only where its currency is the storefront's (storefronts.admin).
        from portal.services.storefronts import list_currency_problem

        problem = list_currency_problem(current or PriceList(is_base=False), currency, company)
        if problem:
            errors["currency"] = problem
    if errors:
        raise FormInvalid(errors)
    return ListSettings(name, currency, valid_from, valid_until, group, company)


def update_price_list(price_list: PriceList, actor, form: Mapping[str, str],
                      today: date) -> dict:
    """Name, currency, validity and who gets the list; returns what changed (audited)."""
    return apply_settings(price_list, actor, list_settings(form, today, price_list))


def apply_settings(price_list: PriceList, actor, settings: ListSettings) -> dict:
    changed = {}
    for field in ("name", "currency", "valid_from", "valid_until"):
        old, value = getattr(price_list, field), getattr(settings, field)
        if old != value:
            changed[field] = [_plain(old), _plain(value)]
            setattr(price_list, field, value)
    for target, key, label in ((settings.group, "group", "code"),
                               (settings.company, "company", "name")):
        if target is not None and target.price_list_id != price_list.id:
            changed[key] = [target.price_list_id, getattr(target, label)]
            target.price_list_id = price_list.id
    if changed:
        record(actor, "price_list.update", price_list, {"changed": changed})
    return changed


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


# --- Promotions --------------------------------------------------------------------------


def promotions(today: date) -> list[Promotion]:
    """Promotions running or to come, soonest end first (ended ones stay in the audit)."""
    return list(db.session.scalars(select(Promotion).where(Promotion.ends_on >= today)
                                   .order_by(Promotion.ends_on, Promotion.id)))


def find_promotion(promotion_id: int) -> Promotion | None:
    return db.session.get(Promotion, promotion_id)


def _percent_bp(errors: dict, raw: str) -> int | None:
    match = _PERCENT.fullmatch(raw.strip().removesuffix("%").strip())
    bp = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0")) \
        if match else None
    if bp is None or not 0 < bp < 10_000:
        errors["value"] = _("A share off is between 0,01 and 99,99 %.")
        return None
    return bp


def create_promotion(actor, form: Mapping[str, str], today: date) -> Promotion:
    """A promotion from the form: SKU, a price or a share off, who, from and until."""
    errors: dict[str, str] = {}
    sku = _parse(errors, "sku", cells.sku, (form.get("sku") or "").strip())
    product = db.session.scalar(select(Product).where(Product.sku == sku)) if sku else None
    if sku and product is None:
        errors["sku"] = _("unknown SKU")
    kind, raw = form.get("kind"), (form.get("value") or "").strip()
    price = bp = None
    if kind == "percent":
        bp = _percent_bp(errors, raw)
    elif kind == "price":
        price = _parse(errors, "value", cells.money, raw)
    else:
        errors["kind"] = _("Choose a price or a share off.")
    group = _pick(CustomerGroup, form.get("group_id"))
    if (form.get("group_id") or "").strip() and group is None:
        errors["group_id"] = _("Choose a customer group from the list.")
    starts, ends = _dates(errors, form, today, "starts_on", "ends_on", True)
    if errors:
        raise FormInvalid(errors)
    promotion = Promotion(product_id=product.id, customer_group_id=group.id if group else None,
                          unit_price_cents=price, percent_off_bp=bp, starts_on=starts,
                          ends_on=ends, created_by_id=getattr(actor, "id", None))
    db.session.add(promotion)
    record(actor, "promotion.create", promotion, {
        "sku": product.sku, "group": group.code if group else None, "unit_price_cents": price,
        "percent_off_bp": bp, "starts_on": starts.isoformat(), "ends_on": ends.isoformat()})
    return promotion


def end_promotion(promotion: Promotion, actor, today: date) -> None:
    """Stop a promotion now: it ends yesterday (one not started yet is removed)."""
    detail = {"sku": promotion.product.sku, "ends_on": promotion.ends_on.isoformat()}
    if promotion.starts_on >= today:
        record(actor, "promotion.delete", promotion, detail)
        db.session.delete(promotion)
        return
    promotion.ends_on = today - timedelta(days=1)
    record(actor, "promotion.end", promotion, {**detail, "now_ends_on":
                                               promotion.ends_on.isoformat()})
