"""What the selling policy remembers for one request or one process, and when it forgets it.

`per_request(key, build)` memoises on flask.g for the current request; a flush that writes
anything an offer is made of (products, prices, promotions, contract prices, stock,
visibility, companies) drops the memo, so a page never reads its own stale offers.

`per_process(key, build)` keeps reference data (categories, visibility rules, price lists)
in this process while the reference stamp keeps its value: the database changes it on every
write to those tables (models/stamps.py), so an edit made anywhere is seen by every process
at its next request. The stamp comes with a signed-in user's own statement (security.py);
another request reads it once, and only if it needs reference data.
"""

from __future__ import annotations

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.memory import Kept
from portal.models import (
    Category,
    Company,
    ContractPrice,
    CustomerGroup,
    FrameworkContract,
    FrameworkContractLine,
    PriceList,
    PriceTier,
    Product,
    Promotion,
    ReferenceStamp,
    Stock,
    VisibilityRule,
)
from portal.models.stamps import STAMP_ID


def per_request(key, build):
    """`build()` once per request and key; outside a request, every call builds afresh.

    Tests run requests inside one long app context, so the memo names its request. A flush
    that writes a product, price, stock, visibility or company row drops it (a cart add or an
    order does not), so a page never reads its own stale offers; bulk UPDATEs are not seen.
    """
    if not has_request_context():
        return build()
    current = request._get_current_object()
    memo = g.get("_selling_memo")
    if memo is None or memo[0] is not current:
        memo = (current, {})
        g._selling_memo = memo
    if key not in memo[1]:
        memo[1][key] = build()
    return memo[1][key]


_STAMP = select(ReferenceStamp.value).where(ReferenceStamp.id == STAMP_ID)
_KEPT = "portal.reference"
# Keys are few per company (its rules, its price lists): past this many, start afresh.
MAX_KEPT = 20_000


# The stamp as a column of the signed-in user's own statement (portal/security.py).
REFERENCE_STAMP = _STAMP.scalar_subquery()


def stamp_read(value: int | None) -> None:
    """The stamp read with the user at the start of this request: `per_process` needs no
    statement of its own (a flush of reference data in the request reads it again)."""
    if has_request_context() and value is not None:
        per_request(("reference stamp",), lambda: value)


def _stamp() -> int | None:
    from portal.extensions import db

    return db.session.scalar(_STAMP)


def per_process(key, build):
    """`build()` once per process while the reference stamp stays the same; the value must be
    immutable plain data (never ORM objects: they belong to one session).

    Outside a request (the worker, the CLI), and without a stamp row, every call builds
    afresh. The stamp is read before the data, in the same transaction: what is kept is at
    least as new as the stamp it is kept under."""
    if not has_request_context():
        return build()
    stamp = per_request(("reference stamp",), _stamp)
    if stamp is None:
        return build()
    kept = current_app.extensions.get(_KEPT)
    if kept is None or kept[0] != stamp:
        kept = current_app.extensions[_KEPT] = (stamp, Kept(MAX_KEPT))
    values = kept[1]
    if key in values:
        return values[key]
    return values.keep(key, build())


def forget() -> None:
    """Drop what this request remembered (prices or visibility changed under it)."""
    if has_app_context():
        g.pop("_selling_memo", None)


# What an offer is made of: a write to any of these in the request makes its offers stale.
_SELLING_MODELS = (Product, PriceTier, PriceList, CustomerGroup, Company, Stock, VisibilityRule,
                   Category, Promotion, ContractPrice, FrameworkContract, FrameworkContractLine)


@event.listens_for(Session, "after_flush")
def _forget_after_flush(session, _context):
    if any(isinstance(obj, _SELLING_MODELS)
           for obj in (*session.new, *session.dirty, *session.deleted)):
        forget()


_REFERENCE_TABLES = {model.__table__ for model in (Category, CustomerGroup, PriceList,
                                                   VisibilityRule)}


@event.listens_for(Session, "do_orm_execute")
def _forget_after_bulk_write(state):
    # A bulk UPDATE or DELETE of reference data changes the stamp in this transaction: the
    # request reads it again (a flush of objects is seen by `_forget_after_flush`).
    if (state.is_update or state.is_delete or state.is_insert) and \
            getattr(state.statement, "table", None) in _REFERENCE_TABLES:
        forget()
