"""The back office's storefronts: create and edit, each field checked, nothing half-saved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Company, Order, PriceList, Storefront, StorefrontKind
from portal.services import DomainError, selling
from portal.services.storefronts import normal_host
from portal.services.storefronts.paths import clean_prefix

HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}"
                  r"[a-z0-9])?)*$")
CURRENCIES = ("EUR", "CHF", "GBP", "USD")
LANGUAGES = ("fr", "en")


class StorefrontInvalid(DomainError):
    pass


@dataclass(frozen=True)
class Row:
    front: Storefront
    companies: int
    orders: int


def rows() -> list[Row]:
    """Every storefront with how many companies and orders it holds (two grouped counts)."""
    companies = dict(db.session.execute(
        select(Company.storefront_id, func.count()).group_by(Company.storefront_id)).all())
    orders = dict(db.session.execute(
        select(Order.storefront_id, func.count()).group_by(Order.storefront_id)).all())
    fronts = db.session.scalars(select(Storefront).order_by(Storefront.id)).all()
    return [Row(f, companies.get(f.id, 0), orders.get(f.id, 0)) for f in fronts]


def price_list_choices() -> list[tuple[int, str]]:
    return [(p.id, f"{p.name} ({p.currency})")
            for p in db.session.scalars(select(PriceList).order_by(PriceList.name))]


def find(storefront_id: int) -> Storefront | None:
    return db.session.get(Storefront, storefront_id)


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def white_text_contrast(colour: str) -> float:
    """WCAG contrast of white text on this colour (the header's)."""
    return 1.05 / (_luminance(colour) + 0.05)


def _hosts(raw: str, storefront_id: int | None, prefix: str = "") -> str:
    hosts = []
    for word in raw.replace(",", " ").split():
        host = normal_host(word)
        if not HOST.match(host):
            raise StorefrontInvalid(_("%(host)s is not a host name (for example "
                                      "shop.example.fr).", host=word[:80]), field="hosts")
        if host not in hosts:
            hosts.append(host)
    others = select(Storefront).where(Storefront.id != (storefront_id or 0))
    for other in db.session.scalars(others):
        if (other.path_prefix or "") != prefix:
            continue  # one host, several paths: each storefront its own
        taken = set(hosts) & {normal_host(h) for h in other.host_names()}
        if prefix and not hosts and not other.host_names():
            raise StorefrontInvalid(_("%(name)s already answers %(path)s on the trade portal's "
                                      "hosts.", name=other.name, path=prefix), field="path_prefix")
        if taken:
            raise StorefrontInvalid(_("%(host)s already belongs to %(name)s.",
                                      host=sorted(taken)[0], name=other.name), field="hosts")
    return " ".join(hosts)


def save(storefront_id: int | None, form: dict[str, str], used_host: str = "") -> Storefront:
    """Create (id None) or update a storefront from the form's text fields. `used_host` is
    the host the staff member works on: the trade portal (the back office) must keep
    answering it, or the change would shut them out."""
    name = form.get("name", "").strip()
    if not name or len(name) > 80:
        raise StorefrontInvalid(_("Give the storefront a name (80 characters at most)."),
                                field="name")
    colour = form.get("brand_colour", "").strip().lower()
    if not HEX_COLOUR.match(colour):
        raise StorefrontInvalid(_("The colour is written #rrggbb, for example #0b4f6c."),
                                field="brand_colour")
    if white_text_contrast(colour) < 4.5:
        raise StorefrontInvalid(_("White text on this colour is hard to read: choose a "
                                  "darker one."), field="brand_colour")
    currency = form.get("currency", "").strip().upper()
    if currency not in CURRENCIES:
        raise StorefrontInvalid(_("Choose a currency from the list."), field="currency")
    language = form.get("language", "")
    if language not in LANGUAGES:
        raise StorefrontInvalid(_("Choose a language from the list."), field="language")
    country = form.get("country", "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise StorefrontInvalid(_("The country is its two-letter code, for example FR or CH."),
                                field="country")
    if country not in selling.RATES_BP:
        # Its VAT rates are the country's: a country without them could sell nothing.
        raise StorefrontInvalid(_("The portal knows no VAT rates for %(country)s: choose one "
                                  "of %(known)s.", country=country,
                                  known=", ".join(selling.RATES_BP)), field="country")
    base = db.session.scalar(select(PriceList).where(PriceList.is_base.is_(True)).limit(1))
    if storefront_id == 1 and base is not None and base.currency != currency:
        raise StorefrontInvalid(_("The base price list is in %(list)s: the trade portal sells "
                                  "in it.", list=base.currency), field="currency")
    legal = form.get("legal_mentions", "").strip()
    if len(legal) > 2000:
        raise StorefrontInvalid(_("The legal mentions hold 2000 characters at most."),
                                field="legal_mentions")
    price_list_id = None
    if form.get("price_list_id"):
        raw = form["price_list_id"]
        found = db.session.get(PriceList, int(raw)) if raw.isdigit() and len(raw) < 10 else None
        if found is None:
            raise StorefrontInvalid(_("Choose a price list from the list."),
                                    field="price_list_id")
        if found.currency != currency:
            raise StorefrontInvalid(_("This price list is in %(list)s, the storefront in "
                                      "%(front)s.", list=found.currency, front=currency),
                                    field="price_list_id")
        price_list_id = found.id
    try:
        prefix = clean_prefix(form.get("path_prefix", ""), is_trade=storefront_id == 1)
    except ValueError as problem:
        # The trade portal's form has no such field: said above the form.
        raise StorefrontInvalid(str(problem), field="path_prefix" if storefront_id != 1
                                else None) from None
    hosts = _hosts(form.get("hosts", ""), storefront_id, prefix)
    if storefront_id == 1 and hosts and used_host and normal_host(used_host) not in \
            hosts.split():
        raise StorefrontInvalid(_("Add %(host)s, the address you are using: without it the "
                                  "back office would no longer answer you.",
                                  host=normal_host(used_host)), field="hosts")
    if storefront_id is None:
        code = form.get("code", "").strip().lower()
        if not CODE.match(code):
            raise StorefrontInvalid(_("The code is short, in lowercase letters, digits and "
                                      "dashes (for example direct)."), field="code")
        if db.session.scalar(select(Storefront.id).where(Storefront.code == code)):
            raise StorefrontInvalid(_("Another storefront has this code."), field="code")
        kind = form.get("kind", "")
        # Another trade storefront: trade buyers in another country or currency.
        if kind not in {k.value for k in StorefrontKind}:
            raise StorefrontInvalid(_("Choose what kind of storefront it is."), field="kind")
        front = Storefront(code=code, kind=StorefrontKind(kind))
        db.session.add(front)
    else:
        front = find(storefront_id)
        if front is None:
            raise StorefrontInvalid(_("This storefront no longer exists."))
    front.name, front.brand_colour, front.currency = name, colour, currency
    front.language, front.country, front.price_list_id = language, country, price_list_id
    front.hosts, front.legal_mentions = hosts, legal
    front.path_prefix = prefix
    front.prices_with_vat = form.get("prices_with_vat") == "1"
    # The trade portal stays open: it serves the back office.
    front.active = front.id == 1 or form.get("active") == "1"
    db.session.flush()
    return front


def list_currency_problem(price_list: PriceList, currency: str,
                          company: Company | None = None) -> str | None:
    """Why `price_list`, in `currency`, cannot price where it is used (a message), or None.
    A list prices only in its own currency, which must be the currency of the storefront it
    sells on: the base list the trade portal's, a storefront's visitors' list that
    storefront's, a company's contract list its storefront's (`company`: one about to get
    it)."""
    fronts = {f.id: f for f in db.session.scalars(select(Storefront))}
    trade = fronts.get(1)
    if price_list.is_base and trade is not None and trade.currency != currency:
        return _("The base list prices the trade portal, which sells in %(front)s.",
                 front=trade.currency)
    for front in fronts.values():
        if price_list.id is not None and front.price_list_id == price_list.id \
                and front.currency != currency:
            return _("%(name)s shows this list to its visitors in %(front)s.", name=front.name,
                     front=front.currency)
    holders = [company] if company is not None else []
    if price_list.id is not None:
        holders += db.session.scalars(select(Company).where(
            Company.price_list_id == price_list.id).limit(200))
    for holder in holders:
        front = fronts.get(holder.storefront_id)
        if front is not None and front.currency != currency:
            return _("%(company)s buys on %(name)s, in %(front)s: its price list must be in "
                     "%(front)s, not %(list)s.", company=holder.name, name=front.name,
                     front=front.currency, list=currency)
    return None

