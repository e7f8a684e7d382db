"""Shipment tracking: the carrier's tracking page for a number, and a customer's latest
shipment.

Carriers' tracking pages are listed in one place. A carrier not listed (a local haulier,
the seller's own vans) shows the number as plain text; the seller may add or replace
carriers with the `CARRIER_TRACKING_URLS` setting ({name: "https://...{number}"}).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from sqlalchemy import Select, select

from portal.extensions import db
from portal.models import Order, Shipment

# "{number}" is replaced by the tracking number, percent-encoded.
CARRIER_URLS: dict[str, str] = {
    "DHL": "https://www.dhl.com/fr-fr/home/tracking/tracking-parcel.html"
           "?submit=1&tracking-id={number}",
    "UPS": "https://www.ups.com/track?loc=fr_FR&tracknum={number}",
    "Chronopost": "https://www.chronopost.fr/tracking-no-cms/suivi-page"
                  "?listeNumerosLT={number}",
    "Colissimo": "https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
    "DB Schenker": "https://www.dbschenker.com/app/tracking-public/?refNumber={number}",
    "Geodis": "https://geodis.com/fr/suivi-expedition?reference={number}",
    "Kuehne+Nagel": "https://onlineservices.kuehne-nagel.com/public-tracking/shipments"
                    "?query={number}",
}
ALIASES = {"schenker": "dbschenker", "laposte": "colissimo", "kn": "kuehnenagel"}


def _key(carrier: str) -> str:
    """"DB Schenker", "db-schenker", "DBSCHENKER" are one carrier."""
    key = re.sub(r"[^a-z0-9]", "", (carrier or "").casefold())
    return ALIASES.get(key, key)


def tracking_url(carrier: str, number: str,
                 extra: Mapping[str, str] | None = None) -> str | None:
    """The carrier's page for this tracking number, or None (unknown carrier, no number)."""
    number = (number or "").strip()
    if not number:
        return None
    templates = {_key(name): url for name, url in {**CARRIER_URLS, **(extra or {})}.items()}
    template = templates.get(_key(carrier))
    if not template or not template.startswith("https://"):
        return None
    return template.replace("{number}", quote(number, safe=""))


def latest_shipment(orders: Select, since) -> tuple[Shipment, Order] | None:
    """The newest shipment, with its order, of the orders in `orders` (a SELECT Order
    already scoped to the reader) placed since `since`: the window keeps the home page's
    query on the orders index, whatever the size of the history."""
    scoped = (orders.where(Order.placed_at >= since).with_only_columns(Order.id)
              .scalar_subquery())
    row = db.session.execute(
        select(Shipment, Order).join(Order, Order.id == Shipment.order_id)
        .where(Shipment.order_id.in_(scoped))
        .order_by(Shipment.shipped_at.desc(), Shipment.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else None
