"""Where a buyer buys: their storefront's country (whose VAT rates apply) and currency (the
only price lists that may price anything there).

The trade portal sells at the seller's own rates (SELLER_COUNTRY, `storefront_country`);
another storefront at its own country's (a Swiss storefront: CH, 8.1 / 3.8 / 2.6 %). Each
storefront sells in its currency: a price list in another currency never prices anything
there (`Shelf.chain` drops it), so a storefront in CHF never shows nor charges a EUR price,
nor the trade portal a CHF one. No exchange rate is ever applied. A buyer's storefront is
their own (a crew member's), else their company's (a visitor's terms name theirs); it is read
from the storefronts each process keeps in memory, once per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.services.selling.memo import per_request
from portal.services.selling.tax import mention

TRADE_ID = 1


@dataclass(frozen=True)
class Market:
    country: str  # two letters: the VAT rates of `tax.RATES_BP` that apply
    currency: str  # three letters: the only price lists that apply


def storefront_id_of(buyer) -> int:
    own = getattr(buyer, "storefront_id", None)
    company = getattr(buyer, "company", None)
    return own or getattr(company, "storefront_id", None) or TRADE_ID


def market_of(buyer) -> Market:
    """The country and currency `buyer` buys in (a user, a visitor or staff: the trade
    portal's)."""
    return market_at(storefront_id_of(buyer))


def market_at(storefront_id: int) -> Market:
    return per_request(("market", storefront_id), lambda: _market(storefront_id))


def legal_mention(scheme, storefront_id: int | None) -> str:
    """The VAT mention of an order under `scheme` on that storefront, in its country's words
    (no French law cited on the Swiss storefront); None: the trade portal."""
    return mention(scheme, market_at(storefront_id or TRADE_ID).country)


def _market(storefront_id: int) -> Market:
    from portal.services.selling.offers import storefront_country
    from portal.services.storefronts import by_id

    front = by_id(storefront_id)
    if front.is_trade:
        return Market(storefront_country(), front.currency)
    return Market(front.country, front.currency)
