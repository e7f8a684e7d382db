"""A batch's prices and stock for one buyer in one statement: the tiers of their price-list
chain, their company's contract prices in force, and the promotions in force for their group
or everyone (for a public-sector buyer, the fixed prices of their framework contract in force
instead); and what each warehouse holding the products has available to promise.

They are read together (UNION ALL) so an offer's batch costs one statement whatever it holds;
`deals.apply_deals` then decides what the buyer pays, `availability` what they are told.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import (
    Date,
    Integer,
    String,
    bindparam,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)

from portal.database import dialect_of, ids_in, prepared, read
from portal.extensions import db
from portal.models import (
    ContractPrice,
    CustomerGroup,
    FrameworkContractLine,
    PriceList,
    PriceTier,
    Promotion,
    Stock,
    Warehouse,
)
from portal.services.selling.deals import Promo
from portal.services.selling.memo import per_process
from portal.services.selling.rules import Tier

_TIER, _CONTRACT, _PROMO, _FRAMEWORK, _STOCK = 0, 1, 2, 3, 4


def local_today() -> date:
    """Today where the seller is (the portal's timezone): promotions and lists change at
    local midnight."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris") \
        if has_app_context() else "Europe/Paris"
    return datetime.now(ZoneInfo(name)).date()


class Held(NamedTuple):
    """One warehouse's row of stock for a product: on hand - reserved (0 or less too)."""

    warehouse_id: int
    code: str
    name: str
    units: int


@dataclass
class Batch:
    tiers: dict[int, dict[int, list[Tier]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    contracts: dict[int, tuple[int, date]] = field(default_factory=dict)
    promos: dict[int, list[Promo]] = field(default_factory=lambda: defaultdict(list))
    framework: dict[int, int] = field(default_factory=dict)  # product id: fixed unit price
    stock: dict[int, list[Held]] = field(default_factory=lambda: defaultdict(list))
    priced: bool = False  # False: the stock alone was read (a buyer who sees no price)


_NO_INT, _NO_DATE, _NO_TEXT = cast(None, Integer), cast(None, Date), cast(None, String)


def _stock_rows(dialect: str):
    """Every warehouse's row of stock for the batch, in the union's columns: the warehouse as
    `ref`, what it has available to promise as `cents`, its code and name last."""
    return (select(literal(_STOCK).label("kind"), Stock.product_id,
                   Stock.warehouse_id.label("ref"), _NO_INT.label("min_qty"),
                   (Stock.quantity - Stock.reserved).label("cents"), _NO_INT.label("pct"),
                   _NO_DATE.label("starts_on"), _NO_DATE.label("ends_on"),
                   Warehouse.code.label("code"), Warehouse.name.label("name"))
            .join(Warehouse, Warehouse.id == Stock.warehouse_id)
            .where(ids_in(Stock.product_id, "ids", dialect)))


@cache
def _batch_statement(dialect: str):
    """The four reads as one UNION ALL, built once (per dialect) with parameters: building and
    keying a statement of this size costs more than running it on a product page. Kept
    prepared: it reads by lists of ids (and the company's contract prices by product)."""
    no_int, no_date, no_text = _NO_INT, _NO_DATE, _NO_TEXT
    today = bindparam("today", type_=Date)
    tiers = select(literal(_TIER).label("kind"), PriceTier.product_id,
                   PriceTier.price_list_id.label("ref"), PriceTier.min_qty,
                   PriceTier.unit_price_cents.label("cents"), no_int.label("pct"),
                   no_date.label("starts_on"), no_date.label("ends_on"), no_text.label("code"),
                   no_text.label("name")).where(
        ids_in(PriceTier.product_id, "ids", dialect),
        ids_in(PriceTier.price_list_id, "chain", dialect))
    contracts = select(literal(_CONTRACT), ContractPrice.product_id, no_int, no_int,
                       ContractPrice.unit_price_cents, no_int, no_date,
                       ContractPrice.valid_until, no_text, no_text).where(
        ContractPrice.company_id == bindparam("company_id"),
        ids_in(ContractPrice.product_id, "ids", dialect), ContractPrice.valid_until >= today)
    promos = select(literal(_PROMO), Promotion.product_id, no_int, no_int,
                    Promotion.unit_price_cents, Promotion.percent_off_bp, Promotion.starts_on,
                    Promotion.ends_on, no_text, no_text).where(
        ids_in(Promotion.product_id, "ids", dialect), Promotion.starts_on <= today,
        Promotion.ends_on >= today,
        or_(Promotion.customer_group_id.is_(None),
            Promotion.customer_group_id == bindparam("group_id")))
    return prepared(union_all(tiers, contracts, promos, _stock_rows(dialect)))


@cache
def _framework_batch(dialect: str):
    """A framework contract's fixed prices (public-sector buyers) instead of the three above,
    with the stock."""
    return prepared(union_all(select(
        literal(_FRAMEWORK).label("kind"), FrameworkContractLine.product_id,
        _NO_INT.label("ref"), _NO_INT.label("min_qty"),
        FrameworkContractLine.unit_price_cents.label("cents"), _NO_INT.label("pct"),
        _NO_DATE.label("starts_on"), _NO_DATE.label("ends_on"), _NO_TEXT.label("code"),
        _NO_TEXT.label("name")).where(
        FrameworkContractLine.contract_id == bindparam("framework_id"),
        ids_in(FrameworkContractLine.product_id, "ids", dialect)), _stock_rows(dialect)))


@cache
def _stock_only(dialect: str):
    """A buyer who sees no price (a visitor, a company not yet active): the stock alone."""
    return prepared(_stock_rows(dialect))


def read_batch(ids: set[int], chain: list[int] | None, company_id: int | None = None,
               group_id: int | None = None, today: date | None = None,
               framework_id: int | None = None) -> Batch:
    """The batch's stock, with its tiers by product and list, contract prices and promotions
    (`chain`: the buyer's price lists) or, with `framework_id`, that framework contract's
    fixed prices; neither when `chain` is None. One statement."""
    params: dict = {"ids": list(ids)}
    dialect, priced = dialect_of(db.session), True
    if framework_id is not None:
        statement, params["framework_id"] = _framework_batch(dialect), framework_id
    elif chain is not None:
        statement = _batch_statement(dialect)
        params.update(chain=list(chain), today=today, company_id=company_id or -1,
                      group_id=group_id or -1)
    else:
        statement, priced = _stock_only(dialect), False
    out = Batch(priced=priced)
    for kind, pid, ref, min_qty, cents, pct, starts, ends, code, name in read(
            statement, params):
        if kind == _STOCK:
            out.stock[pid].append(Held(ref, code, name, int(cents)))
        elif kind == _FRAMEWORK:
            out.framework[pid] = cents
        elif kind == _TIER:
            out.tiers[pid][ref].append(Tier(min_qty, cents))
        elif kind == _CONTRACT:
            out.contracts[pid] = (cents, _day(ends))
        else:
            out.promos[pid].append(Promo(_day(ends), cents, pct, _day(starts)))
    return out


def _day(value) -> date | None:
    """A union's date column comes back as text on SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# The lists a company's prices may come from, in one statement built once: its contract list,
# its group's list (flagged) and the base list.
_GROUP_LIST = (select(CustomerGroup.price_list_id)
               .where(CustomerGroup.id == bindparam("group_id")).scalar_subquery())
_CHAIN_LISTS = (select(PriceList.id, PriceList.code, PriceList.currency, PriceList.is_base,
                       PriceList.valid_from, PriceList.valid_until,
                       func.coalesce(PriceList.id == _GROUP_LIST, False))
                .where(or_(PriceList.is_base.is_(True),
                           PriceList.id == bindparam("contract_id"),
                           PriceList.id == _GROUP_LIST))
                .order_by(PriceList.id))


class ListTerms(NamedTuple):
    """A price list as the chain reads it: plain values, kept by the process."""

    id: int
    code: str
    currency: str
    is_base: bool
    valid_from: date | None
    valid_until: date | None


def chain_lists(contract_id: int | None, group_id: int | None
                ) -> tuple[tuple[ListTerms, bool], ...]:
    # Every priced page asks; price lists change a few times a year (per_process).
    return per_process(("price chain", contract_id, group_id), lambda: tuple(
        (ListTerms(*row[:6]), bool(row[6])) for row in db.session.execute(
            _CHAIN_LISTS, {"contract_id": contract_id, "group_id": group_id})))
