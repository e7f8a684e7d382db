"""The staff's side of framework contracts: a public-sector customer's contracts with their
spend against the ceiling, and the form that creates or edits one.

The form is typed text, checked field by field before anything is written (`ContractInvalid`:
a message per field, nothing saved): a reference unique for the customer, a title, the first
and last day, the ceiling in euros excl. VAT, and the catalog as lines "SKU price" (one
product a line, its fixed unit price excl. VAT: "PLQ-BA13 7,90"). Two contracts of one
customer never overlap, so one at most is in force on a day (the selling policy relies on
it). Only a customer of a public-sector storefront has contracts; every change is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Company,
    FrameworkContract,
    FrameworkContractLine,
    Product,
    StorefrontKind,
)
from portal.services import DomainError
from portal.services.contracts.spend import percent_of, spent_by_contract
from portal.services.text import clean_line

REFERENCE_MAX, TITLE_MAX, LINES_MAX = 40, 200, 500
CEILING_MAX_CENTS = 100_000_000_000  # one billion euros: above, a typing mistake
_AMOUNT = re.compile(r"(\d{1,12})(?:[.,](\d{1,2}))?")
_SPACES = re.compile(r"[\s\u00a0\u202f€]+")
_LINE = re.compile(r"^\s*(\S+)[\s;,\t]+(.+?)\s*$")


class ContractInvalid(DomainError):
    """Fields to fix: `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), field=next(iter(errors)))
        self.errors = errors


@dataclass(frozen=True)
class ContractForm:
    reference: str = ""
    title: str = ""
    starts_on: str = ""
    ends_on: str = ""
    ceiling: str = ""
    lines: str = ""


@dataclass(frozen=True)
class ContractRow:
    contract: FrameworkContract
    spent_cents: int
    line_count: int

    @property
    def percent(self) -> int:
        return percent_of(self.spent_cents, self.contract.ceiling_cents)


def takes_contracts(company: Company) -> bool:
    """A customer of a public-sector storefront."""
    from portal.services.storefronts import by_id

    return by_id(company.storefront_id).kind == StorefrontKind.PUBLIC


def contract_rows(company: Company) -> list[ContractRow]:
    """The customer's contracts, latest first, with their spend (two statements)."""
    contracts = list(db.session.scalars(select(FrameworkContract).where(
        FrameworkContract.company_id == company.id).order_by(FrameworkContract.starts_on.desc(),
                                                             FrameworkContract.id.desc())))
    spent = spent_by_contract(c.id for c in contracts)
    counts = dict(db.session.execute(
        select(FrameworkContractLine.contract_id, func.count())
        .where(FrameworkContractLine.contract_id.in_([c.id for c in contracts]))
        .group_by(FrameworkContractLine.contract_id)).all()) if contracts else {}
    return [ContractRow(c, spent.get(c.id, 0), int(counts.get(c.id, 0))) for c in contracts]


def find_contract(company: Company, contract_id: int) -> FrameworkContract | None:
    """The contract if it is this customer's (another customer's: None, a 404)."""
    return db.session.scalar(select(FrameworkContract).where(
        FrameworkContract.id == contract_id, FrameworkContract.company_id == company.id))


def form_of(contract: FrameworkContract) -> ContractForm:
    """The form filled with a contract as stored (prices as the staff typed them)."""
    lines = "\n".join(f"{line.product.sku} {_decimal(line.unit_price_cents)}"
                      for line in contract.lines)
    return ContractForm(contract.reference, contract.title, contract.starts_on.isoformat(),
                        contract.ends_on.isoformat(), _decimal(contract.ceiling_cents), lines)


def _decimal(cents: int) -> str:
    units, rest = divmod(cents, 100)
    return f"{units},{rest:02d}" if rest else str(units)


def _day(raw: str, errors: dict, field: str) -> date | None:
    text = (raw or "").strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = _("Enter a date such as %(example)s.", example="2027-01-31")
        return None


def parse_amount(raw) -> int:
    """'20 000', '20000,50' -> cents; ValueError with the message otherwise."""
    text = _SPACES.sub("", str(raw or ""))
    match = _AMOUNT.fullmatch(text) if text.isascii() else None
    if match is None:
        raise ValueError(_("Enter the ceiling in euros excl. VAT, such as 20 000."))
    cents = int(match.group(1)) * 100 + int((match.group(2) or "").ljust(2, "0"))
    if cents <= 0 or cents > CEILING_MAX_CENTS:
        raise ValueError(_("Enter a ceiling above zero and below one billion euros."))
    return cents


def parse_lines(raw: str, errors: dict) -> dict[int, int]:
    """{product id: unit price cents} from "SKU price" lines; the first bad line's message
    in errors["lines"] (its line number and SKU)."""
    from portal.services.quotes import parse_price

    wanted: list[tuple[int, str, int]] = []
    rows = [r for r in (raw or "").replace("\r\n", "\n").split("\n") if r.strip()]
    if not rows:
        errors["lines"] = _("Enter at least one line: a SKU and its price, such as "
                            "\"PLQ-BA13 7,90\".")
        return {}
    if len(rows) > LINES_MAX:
        errors["lines"] = _("A contract has %(max)s lines at most.", max=LINES_MAX)
        return {}
    for number, row in enumerate(rows, start=1):
        match = _LINE.match(row)
        if match is None:
            errors["lines"] = _("Line %(number)s: enter a SKU then its price, such as "
                                "\"PLQ-BA13 7,90\".", number=number)
            return {}
        sku = match.group(1).upper()
        try:
            cents = parse_price(match.group(2))
        except ValueError as e:
            errors["lines"] = _("Line %(number)s (%(sku)s): %(message)s", number=number,
                                sku=sku, message=str(e))
            return {}
        wanted.append((number, sku, cents))
    products = dict(db.session.execute(select(Product.sku, Product.id).where(
        Product.sku.in_({sku for _n, sku, _c in wanted}), Product.active.is_(True))).all())
    out: dict[int, int] = {}
    for number, sku, cents in wanted:
        if sku not in products:
            errors["lines"] = _("Line %(number)s: no product has the SKU %(sku)s.",
                                number=number, sku=sku)
            return {}
        if products[sku] in out:
            errors["lines"] = _("Line %(number)s: %(sku)s is already on an earlier line.",
                                number=number, sku=sku)
            return {}
        out[products[sku]] = cents
    return out


def _check(company: Company, form: ContractForm, contract_id: int | None) -> dict:
    errors: dict[str, str] = {}
    reference = clean_line(form.reference)
    if not reference or len(reference) > REFERENCE_MAX:
        errors["reference"] = _("Enter the contract's reference (%(max)s characters at most).",
                                max=REFERENCE_MAX)
    elif db.session.scalar(select(FrameworkContract.id).where(
            FrameworkContract.company_id == company.id, FrameworkContract.reference == reference,
            FrameworkContract.id != (contract_id or -1))) is not None:
        errors["reference"] = _("This customer already has a contract %(reference)s.",
                                reference=reference)
    title = clean_line(form.title)
    if not title or len(title) > TITLE_MAX:
        errors["title"] = _("Enter the contract's title (%(max)s characters at most).",
                            max=TITLE_MAX)
    starts, ends = _day(form.starts_on, errors, "starts_on"), _day(form.ends_on, errors,
                                                                    "ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = _("The last day comes on or after the first day.")
    elif starts and ends:
        other = db.session.scalar(select(FrameworkContract).where(
            FrameworkContract.company_id == company.id,
            FrameworkContract.id != (contract_id or -1),
            FrameworkContract.starts_on <= ends, FrameworkContract.ends_on >= starts))
        if other is not None:
            errors["starts_on"] = _("These dates overlap contract %(reference)s: one contract "
                                    "at a time.", reference=other.reference)
    try:
        ceiling = parse_amount(form.ceiling)
    except ValueError as e:
        errors["ceiling"], ceiling = str(e), 0
    lines = parse_lines(form.lines, errors)
    if errors:
        raise ContractInvalid(errors)
    return {"reference": reference, "title": title, "starts_on": starts, "ends_on": ends,
            "ceiling_cents": ceiling, "lines": lines}


def save_contract(staff, company: Company, form: ContractForm,
                  contract: FrameworkContract | None = None) -> FrameworkContract:
    """Create (contract None) or edit the customer's contract; audited. ContractInvalid,
    nothing written, on any bad field; a customer not on a public-sector storefront: a
    DomainError."""
    if not takes_contracts(company):
        raise DomainError(_("Only a customer of a public-sector storefront has framework "
                            "contracts."))
    values = _check(company, form, contract.id if contract else None)
    lines = values.pop("lines")
    before = _snapshot(contract) if contract else {}
    if contract is None:
        contract = FrameworkContract(company_id=company.id, storefront_id=company.storefront_id)
        db.session.add(contract)
    for name, value in values.items():
        setattr(contract, name, value)
    kept = {line.product_id: line for line in contract.lines}
    for product_id, line in kept.items():
        if product_id not in lines:
            contract.lines.remove(line)
    for product_id, cents in lines.items():
        if product_id in kept:
            kept[product_id].unit_price_cents = cents
        else:
            contract.lines.append(FrameworkContractLine(product_id=product_id,
                                                        unit_price_cents=cents))
    db.session.flush()
    from portal.services.accounts import record

    record(staff, "contract.update" if before else "contract.create", contract,
                    {"before": before, "after": _snapshot(contract)}, company_id=company.id)
    return contract


def _snapshot(contract: FrameworkContract) -> dict:
    return {"reference": contract.reference, "title": contract.title,
            "starts_on": contract.starts_on.isoformat(), "ends_on": contract.ends_on.isoformat(),
            "ceiling_cents": contract.ceiling_cents,
            "lines": {str(line.product_id): line.unit_price_cents for line in contract.lines}}
