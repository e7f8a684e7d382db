"""The restricted assortment of a customer group or of one company, written by the seller's
systems: the allow-list the selling policy reads (`VisibilityRule`: categories, covering their
sub-categories, and single products). An empty list lifts the restriction; a company's own
list wins over its group's (services/selling/visibility.py)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, delete, select

from portal.extensions import db
from portal.models import Category, Company, CustomerGroup, Product, VisibilityRule
from portal.services import DomainError
from portal.services.integration.audit import audit


class AssortmentRejected(DomainError):
    """Unknown category slugs or SKUs; a pointer to each."""

    code = "rejected_items"

    def __init__(self, message: str, pointers: list[tuple[str, str]]):
        super().__init__(message)
        self.pointers = pointers


def group_by_code(code: str) -> CustomerGroup | None:
    return db.session.scalar(select(CustomerGroup).where(CustomerGroup.code == code.upper()))


def _audience(audience: Company | CustomerGroup):
    if isinstance(audience, Company):
        # The company's own storefront's list; its crew's (a storefront's) is not the API's.
        return (and_(VisibilityRule.company_id == audience.id,
                     VisibilityRule.storefront_id.is_(None)), {"company_id": audience.id})
    return VisibilityRule.customer_group_id == audience.id, {"customer_group_id": audience.id}


def assortment(audience: Company | CustomerGroup) -> dict:
    """The audience's own allow-list: category slugs and SKUs (both empty: no restriction)."""
    where, _fields = _audience(audience)
    categories = db.session.scalars(select(Category.slug).join(
        VisibilityRule, VisibilityRule.category_id == Category.id).where(where)
        .order_by(Category.slug))
    products = db.session.scalars(select(Product.sku).join(
        VisibilityRule, VisibilityRule.product_id == Product.id).where(where)
        .order_by(Product.sku))
    return {"categories": list(categories), "products": list(products)}


def _ids(model, column, values: list[str], key: str, fold) -> tuple[list[int], list]:
    wanted = [fold(v.strip()) for v in values]
    known = dict(db.session.execute(select(column, model.id).where(column.in_(wanted))).all())
    missing = [(f"/{key}/{n}", _("Unknown: %(value)s.", value=values[n]))
               for n, value in enumerate(wanted) if value not in known]
    return sorted({known[v] for v in wanted if v in known}), missing


def set_assortment(client, audience: Company | CustomerGroup, categories: list[str],
                   products: list[str]) -> dict:
    """Replace the audience's allow-list; every unknown slug or SKU is named, nothing set."""
    category_ids, missing = _ids(Category, Category.slug, categories, "categories", str.lower)
    product_ids, unknown = _ids(Product, Product.sku, products, "products", str.upper)
    if missing or unknown:
        raise AssortmentRejected(_("Nothing was changed: each entry named is unknown."),
                                 missing + unknown)
    before = assortment(audience)
    where, fields = _audience(audience)
    db.session.execute(delete(VisibilityRule).where(where))
    db.session.add_all([VisibilityRule(category_id=cid, **fields) for cid in category_ids]
                       + [VisibilityRule(product_id=pid, **fields) for pid in product_ids])
    db.session.flush()
    after = assortment(audience)
    audit(client, "visibility.set", audience if isinstance(audience, Company) else None,
          {"group": getattr(audience, "code", None), "before": before, "after": after})
    return after
