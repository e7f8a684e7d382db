"""Framework contracts in the selling policy: what a public-sector buyer sees and pays.

A company of a storefront of kind `public` buys under its framework contract ("marché
public"): while the contract is in force (its first to its last day, inclusive, the seller's
local day) its lines are the buyer's whole assortment (`framework_clause`, read by
`visibility`) and price book (one fixed unit price per product, read with the other prices
in `pricing.read_batch`; no list, promotion or quote price applies). Out of its dates
nothing is visible nor orderable. Contracts of one company never overlap (services/contracts
refuses it), so at most one is in force on a day.

`standing(company, today)` reads the company's contracts once a request (one statement):
the one in force, the last one ended, the next one to start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, select

from portal.extensions import db
from portal.models import FrameworkContract, FrameworkContractLine, Product, StorefrontKind
from portal.models.storefronts import TRADE_ID
from portal.services.selling.memo import per_request


@dataclass(frozen=True)
class Framework:
    id: int
    reference: str
    title: str
    starts_on: date
    ends_on: date
    ceiling_cents: int


@dataclass(frozen=True)
class Standing:
    """A public buyer's contracts as seen on one day."""

    current: Framework | None = None  # in force today
    ended: Framework | None = None  # the last one that ended before today
    upcoming: Framework | None = None  # the next one to start after today


def is_public(company) -> bool:
    """A customer company of a public-sector storefront (not its visitors' terms)."""
    storefront_id = getattr(company, "storefront_id", None)
    if company is None or getattr(company, "id", None) is None or \
            storefront_id in (None, TRADE_ID):
        return False
    from portal.services.storefronts import by_id

    return by_id(storefront_id).kind == StorefrontKind.PUBLIC


def contracts_of(company_id: int) -> list[Framework]:
    """The company's contracts, oldest first (one statement)."""
    rows = db.session.scalars(select(FrameworkContract).where(
        FrameworkContract.company_id == company_id).order_by(FrameworkContract.starts_on,
                                                             FrameworkContract.id))
    return [Framework(c.id, c.reference, c.title, c.starts_on, c.ends_on, c.ceiling_cents)
            for c in rows]


def standing_in(contracts: list[Framework], today: date) -> Standing:
    """Pure: which contract is in force on `today`, which ended last, which starts next."""
    current = next((c for c in contracts if c.starts_on <= today <= c.ends_on), None)
    ended = max((c for c in contracts if c.ends_on < today), key=lambda c: c.ends_on,
                default=None)
    upcoming = min((c for c in contracts if c.starts_on > today), key=lambda c: c.starts_on,
                   default=None)
    return Standing(current, ended, upcoming)


def standing(company, today: date | None = None) -> Standing:
    """`company`'s contracts on `today` (the seller's today): read once a request."""
    from portal.services.selling.pricing import local_today

    day = today or local_today()
    return per_request(("framework", company.id, day),
                       lambda: standing_in(contracts_of(company.id), day))


def framework_clause(company):
    """Product limited to the lines of the contract in force (nothing when there is none)."""
    current = standing(company).current
    if current is None:
        return false()
    return Product.id.in_(select(FrameworkContractLine.product_id)
                          .where(FrameworkContractLine.contract_id == current.id))

