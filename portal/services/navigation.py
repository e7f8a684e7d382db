"""Facts shown on every page for a signed-in user: company, current jobsite, cart count, and
the tabs of the bottom bar."""

from dataclasses import dataclass

from flask import g, has_app_context, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, event, func, select
from sqlalchemy.orm import Session

from portal.access import may_open
from portal.extensions import db
from portal.models import Cart, CartLine, User


@dataclass(frozen=True)
class Tab:
    endpoint: str
    label: object  # a lazy string: the bar is rendered in the reader's language
    icon: str
    # Endpoint prefixes of the pages this tab is "current" on (the longest match wins).
    sections: tuple[str, ...]
    spare: bool = False  # left out when the bar would hold more than MAX_TABS
    trade: bool = False  # a trade buyer's tool, not shown on a consumer storefront


# Five French labels fit side by side at 360 px ("Validations", "Commandes" need ~70 px);
# a sixth overlaps its neighbours.
MAX_TABS = 5


CUSTOMER_TABS = (
    Tab("catalog.index", _l("Catalog"), "search", ("catalog.",)),
    Tab("quick_order.index", _l("Quick order"), "bolt", ("quick_order.",), trade=True),
    # Deciders get Approvals instead; the catalog page links to their lists.
    Tab("lists.index", _l("Lists"), "list", ("lists.",), spare=True, trade=True),
    Tab("orders.index", _l("Orders"), "orders", ("orders.",)),
    Tab("approvals.index", _l("Approvals"), "check", ("approvals.",), trade=True),
    Tab("cart.index", _l("Cart"), "cart", ("cart.", "checkout.")),
)
STAFF_TABS = (
    Tab("home.index", _l("Home"), "home", ("home.",)),
    Tab("staff.index", _l("Back office"), "orders",
        ("staff.", "catalog_admin.", "imports.", "storefronts.")),
    Tab("staff.customers", _l("Customers"), "users", ("staff.customer", "staff.edit_customer")),
    Tab("fulfilment.index", _l("Fulfilment"), "truck", ("fulfilment.",)),
    Tab("catalog.index", _l("Catalog"), "search", ("catalog.",)),
)


def bottom_tabs(user: User) -> tuple[Tab, ...]:
    """The tabs of pages this user may open: asked of the views' own `@allow` declarations,
    so a tab never leads to "you may not do that"."""
    tabs = STAFF_TABS if user.is_staff else CUSTOMER_TABS
    if not user.is_staff and consumer(user):
        tabs = tuple(tab for tab in tabs if not tab.trade)
    shown = tuple(tab for tab in tabs if may_open(user, tab.endpoint))
    if len(shown) > MAX_TABS:
        shown = tuple(tab for tab in shown if not tab.spare)
    return shown


def current_tab(tabs, endpoint: str | None) -> str | None:
    """The endpoint of the tab the page at `endpoint` belongs to, if any."""
    best, length = None, 0
    for tab in tabs:
        for prefix in tab.sections:
            if endpoint and endpoint.startswith(prefix) and len(prefix) > length:
                best, length = tab.endpoint, len(prefix)
    return best


# Built once: every page's header asks (SQLAlchemy keeps the cache key of a statement object).
_CART_LINES = select(func.count(CartLine.id)).join(Cart, Cart.id == CartLine.cart_id)
_CART_COUNT = _CART_LINES.where(Cart.user_id == bindparam("user_id"))
# The same count as a column of the signed-in user's own statement (portal/security.py): the
# header costs no statement of its own.
CART_COUNT_OF_USER = _CART_LINES.where(Cart.user_id == User.id).scalar_subquery()
_READ = "_cart_count_read"


def cart_count_read(user_id: int, count: int) -> None:
    """The count read with the user at the start of this request (until its cart changes)."""
    if has_request_context():
        setattr(g, _READ, (request._get_current_object(), user_id, count))


def cart_count(user: User) -> int:
    if user.company_id is None:
        return 0
    read = g.get(_READ) if has_request_context() else None
    if read is not None and read[0] is request._get_current_object() and read[1] == user.id:
        return read[2]
    return db.session.scalar(_CART_COUNT, {"user_id": user.id}) or 0


def _forget_count() -> None:
    if has_app_context():
        g.pop(_READ, None)


@event.listens_for(Session, "after_flush")
def _cart_flushed(session, _context):
    if any(isinstance(obj, (Cart, CartLine))
           for obj in (*session.new, *session.dirty, *session.deleted)):
        _forget_count()


_CART_TABLES = {Cart.__table__, CartLine.__table__}


@event.listens_for(Session, "do_orm_execute")
def _cart_written(state):
    # The cart's add is one INSERT ... ON CONFLICT: a bulk statement no flush shows.
    if (state.is_insert or state.is_update or state.is_delete) and \
            getattr(state.statement, "table", None) in _CART_TABLES:
        _forget_count()


def consumer(user: User) -> bool:
    """A person of a consumer storefront (a guest, a private customer): consumer wording, no
    trade tools (quick order, lists, approvals, jobsites)."""
    from portal.services import storefronts

    return user.company_id is not None and \
        storefronts.by_id(storefronts.storefront_of(user)).is_consumer


def header_facts(user: User) -> dict:
    private = consumer(user)
    return {
        "company": user.company.name if user.company and not private else None,
        "jobsite": user.last_jobsite.name if user.last_jobsite and not private else None,
        "cart_count": cart_count(user),
        "tabs": bottom_tabs(user),
    }
