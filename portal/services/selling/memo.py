"""What the selling policy remembers for one request, and when it forgets it.

`per_request(key, build)` memoises on flask.g for the current request; a flush that writes
anything an offer is made of (products, prices, promotions, contract prices, stock,
visibility, companies) drops the memo, so a page never reads its own stale offers.
"""

from __future__ import annotations

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

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
    Stock,
    VisibilityRule,
)


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
