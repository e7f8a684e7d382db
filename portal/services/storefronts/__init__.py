"""Which storefront a request is for, and who may sign in on it.

A storefront is chosen by the request's host name, never by anything the visitor sends in a
form or cookie. The trade portal (row 1) answers every host no other storefront claims as long
as no host is set for it, which is how a single-site seller runs; once it names its hosts, an
unknown host is a 404 that shows no storefront's content.

Storefronts change a few times a year and are read on every request, so each process keeps
them in memory (`Front`, frozen). An edit (`forget`) touches a stamp file in the instance
folder, which every process of this machine checks (one stat, no query) before using its
copy; other machines read them again after STOREFRONTS_REFRESH_SECONDS (0: only on a stamp
change). Hosts are compared lowercase, without port or trailing dot.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g
from sqlalchemy import select

from portal.extensions import db
from portal.models import Company, Storefront, StorefrontKind, User
from portal.models.storefronts import TRADE_ID

_CACHE_KEY = "portal.storefronts"


@dataclass(frozen=True)
class Front:
    id: int
    code: str
    kind: StorefrontKind
    name: str
    hosts: tuple[str, ...]
    language: str
    country: str
    currency: str
    prices_with_vat: bool
    brand_colour: str
    price_list_id: int | None
    active: bool
    legal_mentions: str = ""  # its footer's and its invoices' (the seller in that country)
    logo: Logo | None = None  # its header's (storefronts/logo.py): URLs and size, no query
    path_prefix: str = ""  # "/direct": its path on a shared host (storefronts/paths.py)

    @property
    def is_trade(self) -> bool:
        return self.id == TRADE_ID

    @property
    def is_consumer(self) -> bool:
        return self.kind == StorefrontKind.CONSUMER


# Used when the table is empty (a database made by create_all, before any row): the trade
# portal as it always was.
TRADE = Front(TRADE_ID, "trade", StorefrontKind.TRADE, "Pro Fournitures", (), "fr", "FR", "EUR",
              False, "#0b4f6c", None, True)


def normal_host(raw: str) -> str:
    """"Shop.Example.fr:8443" -> "shop.example.fr"; IPv6 literals keep their brackets."""
    host = (raw or "").strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.split(":", 1)[0].rstrip(".")


def choose(host: str, fronts: tuple[Front, ...]) -> Front | None:
    """The storefront that names this host (None when it is closed: its host never shows
    another storefront); else the trade portal if it names no host. Storefronts on a path
    of their own (`paths.mounted`) answer only under it."""
    host = normal_host(host)
    fallback = None
    for front in fronts:
        if front.path_prefix:
            continue
        if host in front.hosts:
            return front if front.active else None
        if front.is_trade and not front.hosts:
            fallback = front
    return fallback


def _front(row: Storefront) -> Front:
    return Front(row.id, row.code, StorefrontKind(row.kind), row.name,
                 tuple(normal_host(h) for h in row.host_names()), row.language, row.country,
                 row.currency, row.prices_with_vat, row.brand_colour, row.price_list_id,
                 row.active, row.legal_mentions or "", logo=header_logo(row.logo),
                 path_prefix=row.path_prefix or "")


def _stamp(app=None) -> str:
    """The stamp file's path, as a string: every request stats it twice (the mounts, then the
    request's storefronts), and building a Path cost more than the stat."""
    app = app or current_app
    return (app.config.get("STOREFRONTS_STAMP_FILE")
            or os.path.join(app.instance_path, "storefronts.stamp"))


def _stamp_time(app=None) -> int:
    try:
        return os.stat(_stamp(app)).st_mtime_ns
    except OSError:
        return 0


def _remembered(app) -> tuple[tuple[Front, ...] | None, int]:
    """This process's copy if it is fresh (else None), and the stamp's time."""
    cached = app.extensions.get(_CACHE_KEY)
    refresh = app.config.get("STOREFRONTS_REFRESH_SECONDS", 60)
    stamp = _stamp_time(app)
    if cached is not None and cached[1] == stamp and (
            not refresh or time.monotonic() - cached[0] < refresh):
        return cached[2], stamp
    return None, stamp


def fronts_of(app) -> tuple[Front, ...]:
    """`all_fronts` for code outside any app context (the WSGI middleware that mounts the
    storefronts on their paths): from memory, one stat; a context only to read them again."""
    fronts, _stamp_ns = _remembered(app)
    if fronts is not None:
        return fronts
    with app.app_context():
        return all_fronts()


def all_fronts() -> tuple[Front, ...]:
    """Every storefront, from this process's memory (read again when it is stale), checked
    once per request or task: a page asks for them several times."""
    checked = g.get(_CACHE_KEY)
    if checked is not None:
        return checked
    fronts, stamp = _remembered(current_app)
    if fronts is None:
        rows = db.session.scalars(select(Storefront).order_by(Storefront.id)).all()
        fronts = tuple(_front(row) for row in rows) or (TRADE,)
        current_app.extensions[_CACHE_KEY] = (time.monotonic(), stamp, fronts)
    setattr(g, _CACHE_KEY, fronts)
    return fronts


def forget() -> None:
    """Read the storefronts again at the next request, in every process of this machine
    (after an edit is committed, or a test's reset)."""
    current_app.extensions.pop(_CACHE_KEY, None)
    g.pop(_CACHE_KEY, None)
    try:
        stamp = Path(_stamp())
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:
        pass  # a read-only instance folder: the other processes wait for the refresh delay


def for_host(host: str) -> Front | None:
    return choose(host, all_fronts())


def by_id(storefront_id: int) -> Front:
    return next((f for f in all_fronts() if f.id == storefront_id), TRADE)


def currencies() -> list[str]:
    """The currencies the storefronts sell in, the trade portal's first (reports show one at
    a time)."""
    fronts = all_fronts()
    seen = [fronts[0].currency] if fronts else ["EUR"]
    seen += sorted({f.currency for f in fronts} - set(seen))
    return seen


@dataclass(frozen=True)
class VisitorTerms:
    """The terms a storefront shows visitors who are not signed in, shaped like a customer
    company for the selling policy: its public price list, its country, no contract, no
    group, no visibility rules (the public assortment)."""

    storefront_id: int
    price_list_id: int
    country: str
    id: None = None
    customer_group_id: None = None
    legal_id: str = ""
    is_active: bool = True


def visitor_terms(front: Front | None) -> VisitorTerms | None:
    """A storefront's public prices (None: it shows none; visitors sign in to see theirs)."""
    if front is None or front.price_list_id is None:
        return None
    return VisitorTerms(front.id, front.price_list_id, front.country)


def storefront_of(user: User) -> int:
    """The storefront a person signs in and orders on: their own (a crew member on their
    company's employee store), else their company's; staff: the trade portal."""
    if user.storefront_id is not None:
        return user.storefront_id
    company: Company | None = user.company
    return company.storefront_id if company is not None else TRADE_ID


def may_sign_in(user: User, front: Front) -> bool:
    """Staff work on the trade portal's hosts (the back office serves every storefront);
    a customer's people sign in on their own storefront only."""
    if user.company_id is None:
        return front.is_trade
    return user.company is not None and storefront_of(user) == front.id


# The back office's edits, the employee stores' crews and the guests' checkout (they use the
# rules above).
from portal.services.storefronts.admin import (  # noqa: E402
    CURRENCIES,
    Row,
    StorefrontInvalid,
    find,
    list_currency_problem,
    price_list_choices,
    rows,
    save,
    white_text_contrast,
)
from portal.services.storefronts.crew import (  # noqa: E402
    assortment_choices,
    assortment_of,
    crew_counts,
    crew_of,
    invite_member,
    movable,
    move_member,
    open_store,
    openable,
    remove_member,
    set_assortment,
    store_of,
    stores_of,
)
from portal.services.storefronts.guests import (  # noqa: E402
    Details,
    DetailsInvalid,
    add_as_visitor,
    collects_somewhere,
    details_of,
    forget_abandoned_guests,
    is_guest,
    save_details,
    sells_to_visitors,
)
from portal.services.storefronts.logo import (  # noqa: E402
    Logo,
    header_logo,
    remove_logo,
    set_logo,
)
from portal.services.storefronts.paths import mounted  # noqa: E402

__all__ = ["CURRENCIES", "TRADE", "Details", "DetailsInvalid", "Front", "Logo", "Row",
           "assortment_choices", "assortment_of", "crew_counts", "crew_of",
           "invite_member", "move_member", "movable", "open_store", "openable",
           "remove_member", "set_assortment", "store_of", "stores_of",
           "StorefrontInvalid", "add_as_visitor", "all_fronts", "by_id", "choose",
           "collects_somewhere", "currencies",
           "details_of", "find", "for_host", "forget", "forget_abandoned_guests", "header_logo",
           "is_guest",
           "list_currency_problem",
           "fronts_of", "may_sign_in", "mounted", "normal_host",
           "price_list_choices", "remove_logo", "rows", "save", "save_details",
           "sells_to_visitors", "set_logo",
           "storefront_of", "visitor_terms", "white_text_contrast"]
