"""Who may see which products and prices.

A product a user may not see behaves exactly like one that does not exist: every lookup goes
through `visible_products()` / `find_visible()`, so pages, search, SKU lookups and fragments
all answer the same 404 or "unknown SKU".
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, false, or_, select

from portal.database import prepared, read
from portal.extensions import db
from portal.models import Category, Company, PriceTier, Product, VisibilityRule
from portal.services.selling.framework import framework_clause, is_public


def can_see_prices(user) -> bool:
    """Prices: signed-in users of an active company, and the visitors of a storefront that
    shows its public prices (their `company` is the storefront's visitor terms). Ordering
    needs a signed-in buyer (`can_order`)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        return getattr(user, "company", None) is not None
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and user.company_id
        and user.company is not None and user.company.is_active and not user.disabled
    )


def can_order(user) -> bool:
    from portal.models import Role

    return can_see_prices(user) and getattr(user, "is_authenticated", False) and \
        user.role in (Role.BUYER, Role.COMPANY_ADMIN, Role.APPROVER)


def _category_rows() -> tuple[tuple[int, int | None], ...]:
    from portal.services.selling.memo import per_process

    # Read on most pages (rules, breadcrumbs), changed a few times a year: kept per process.
    return per_process(("category parents",), lambda: tuple(
        (cid, parent) for cid, parent in db.session.execute(
            select(Category.id, Category.parent_id))))


def _descendants(category_ids: set[int]) -> set[int]:
    rows = _category_rows()
    children: dict[int | None, list[int]] = {}
    for cid, parent in rows:
        children.setdefault(parent, []).append(cid)
    found, stack = set(), list(category_ids)
    while stack:
        cid = stack.pop()
        if cid in found:
            continue
        found.add(cid)
        stack.extend(children.get(cid, []))
    return found


class _Rule(NamedTuple):
    category_id: int | None
    product_id: int | None


def _rules_for(company: Company, storefront_id: int | None = None) -> tuple[_Rule, ...]:
    from portal.services.selling.memo import per_process

    # Search, the tree and the offers of every page ask: the rules are kept per process as
    # plain values, under the reference stamp (a rule's edit anywhere is seen at once).
    return per_process(("visibility", company.id, company.customer_group_id, storefront_id),
                       lambda: tuple(_read_rules(company, storefront_id)))


# The company's own rules and its group's in one statement (built once); the company's win.
# Rules scoped to a storefront are the company's choice for its people on that storefront
# (its crew on the employee store): they apply only to a person who belongs there.
_RULES = select(VisibilityRule.company_id, VisibilityRule.category_id,
                VisibilityRule.product_id, VisibilityRule.storefront_id).where(or_(
                    VisibilityRule.company_id == bindparam("company_id"),
                    VisibilityRule.customer_group_id == bindparam("group_id")))


def _read_rules(company: Company, storefront_id: int | None = None) -> list[_Rule]:
    rows = read(
        _RULES, {"company_id": company.id, "group_id": company.customer_group_id}).all()
    scoped = [_Rule(r.category_id, r.product_id) for r in rows
              if storefront_id is not None and r.storefront_id == storefront_id
              and r.company_id == company.id]
    if scoped:
        return scoped
    rows = [r for r in rows if r.storefront_id is None]
    own = [_Rule(r.category_id, r.product_id) for r in rows if r.company_id == company.id]
    if own:
        return own
    return [_Rule(r.category_id, r.product_id) for r in rows if r.company_id != company.id]


def own_list_of(company) -> int | None:
    """The price list a storefront other than the trade portal sells from (its visitors' terms,
    or one of its customers: a guest on a consumer storefront): its assortment is what that
    list prices, since nothing else can be priced there (offers.py, `_off_trade`). None: the
    trade portal's assortment rules apply."""
    from portal.services.selling.offers import _off_trade

    if company is None or not _off_trade(company):
        return None
    return getattr(company, "price_list_id", None)


def _priced_by(price_list_id: int):
    return Product.id.in_(select(PriceTier.product_id)
                          .where(PriceTier.price_list_id == price_list_id))


def restriction_clause(user):
    """A WHERE clause limiting Product to what this user may see, or None for no limit."""
    company = getattr(user, "company", None)
    own_list = own_list_of(company)
    if not getattr(user, "is_authenticated", False):
        # Anonymous visitors: the public catalog, or what their storefront's list prices.
        return _priced_by(own_list) if own_list is not None else None
    if company is None:
        return None  # seller staff see the assortment
    if is_public(company):
        return framework_clause(company)  # the framework contract in force is all they see
    rules = _rules_for(company, getattr(user, "storefront_id", None))
    if not rules:
        return _priced_by(own_list) if own_list is not None else None
    categories = _descendants({r.category_id for r in rules if r.category_id})
    products = {r.product_id for r in rules if r.product_id}
    parts = []
    if categories:
        parts.append(Product.category_id.in_(categories))
    if products:
        parts.append(Product.id.in_(products))
    clause = or_(*parts) if parts else false()
    return and_(clause, _priced_by(own_list)) if own_list is not None else clause


def visible_products(user) -> Select:
    """SELECT Product limited to active products this user may see."""
    stmt = select(Product).where(Product.active.is_(True))
    clause = restriction_clause(user)
    if clause is not None:
        stmt = stmt.where(clause)
    return stmt


def find_visible(user, *, product_id: int | None = None, sku: str | None = None,
                 gtin: str | None = None) -> Product | None:
    stmt = visible_products(user)
    if product_id is not None:
        stmt = stmt.where(Product.id == product_id)
    elif sku is not None:
        stmt = stmt.where(Product.sku == sku.strip().upper())
    elif gtin is not None:
        stmt = stmt.where(Product.gtin == gtin.strip())
    else:
        return None
    product = db.session.scalar(prepared(stmt))  # one product by a unique key
    if product is not None:
        proven_visible(user).add(product.id)
    return product


def proven_visible(user) -> set[int]:
    """Ids of products this request found through `visible_products(user)`: the offers need
    not ask again. Kept in the selling policy's per-request memo, so a write to a product,
    a company or a visibility rule in the request forgets them with everything else."""
    from portal.services.selling.offers import per_request

    return per_request(("proven visible", getattr(user, "id", None),
                        getattr(user, "company_id", None)), set)


def visible_category_ids(user) -> set[int] | None:
    """Categories this user may browse (None: all). On a storefront selling from its own
    list, only the categories holding a product that list prices (and their parents)."""
    company = getattr(user, "company", None)
    own_list = own_list_of(company)
    if not getattr(user, "is_authenticated", False) and own_list is None:
        company = None
    if company is None:
        return None
    # A public buyer: the categories of their framework contract's products.
    public = getattr(user, "is_authenticated", False) and is_public(company)
    rules = _rules_for(company) if getattr(user, "is_authenticated", False) and not public \
        else []
    if not rules and own_list is None and not public:
        return None
    cats = _descendants({r.category_id for r in rules if r.category_id})
    product_ids = [r.product_id for r in rules if r.product_id]
    if product_ids:
        cats |= set(db.session.scalars(
            select(Product.category_id).where(Product.id.in_(product_ids))
        ))
    if own_list is not None or public:
        # The categories of the products this user may see, which the list prices (read once
        # a request: the menu, the page and its breadcrumbs all ask).
        from portal.services.selling.offers import per_request

        cats = set(per_request(
            ("priced categories", own_list, getattr(company, "id", None)),
            lambda: set(db.session.scalars(visible_products(user).with_only_columns(
                Product.category_id).distinct()))))
    # Parents of visible categories stay browsable so the tree can be walked.
    parents = dict(_category_rows())
    for cid in list(cats):
        parent = parents.get(cid)
        while parent is not None and parent not in cats:
            cats.add(parent)
            parent = parents.get(parent)
    return cats
