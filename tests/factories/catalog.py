"""Categories, price lists, customer groups, products with tiers and stock; visibility."""

import itertools

from portal.extensions import db
from portal.models import (
    Category,
    CustomerGroup,
    PriceList,
    PriceTier,
    Product,
    Stock,
    VisibilityRule,
    Warehouse,
)

_seq = itertools.count(1)


def category(name="Outillage", parent=None) -> Category:
    n = next(_seq)
    c = Category(slug=f"cat-{n}", name_fr=name, name_en=name + " (en)",
                 parent_id=parent.id if parent else None)
    db.session.add(c)
    db.session.flush()
    return c


def price_list(code=None, is_base=False) -> PriceList:
    pl = PriceList(code=code or f"PL{next(_seq)}", name=code or "List", currency="EUR",
                   is_base=is_base)
    db.session.add(pl)
    db.session.flush()
    return pl


def group(code="BTP", price_list=None) -> CustomerGroup:
    g = CustomerGroup(code=code, name=code, price_list_id=price_list.id if price_list else None)
    db.session.add(g)
    db.session.flush()
    return g


def product(category, sku=None, *, tiers=None, price_list=None, case_pack=1,
            order_multiple=None, stock=100, warehouse=None, **kw) -> Product:
    """A product; tiers {min_qty: cents} go on `price_list`, stock in `warehouse`."""
    n = next(_seq)
    p = Product(sku=sku or f"SKU-{n}", gtin=kw.pop("gtin", None),
                name_fr=kw.pop("name_fr", f"Produit {n}"),
                name_en=kw.pop("name_en", f"Product {n}"), category_id=category.id,
                case_pack=case_pack,
                order_multiple=order_multiple if order_multiple is not None else case_pack, **kw)
    p.search_text = f"{p.sku} {p.name_fr} {p.name_en}".lower()
    db.session.add(p)
    db.session.flush()
    if price_list is not None:
        for min_qty, cents in (tiers or {1: 1000}).items():
            db.session.add(PriceTier(price_list_id=price_list.id, product_id=p.id,
                                     min_qty=min_qty, unit_price_cents=cents))
    if warehouse is not None:
        db.session.add(Stock(product_id=p.id, warehouse_id=warehouse.id, quantity=stock))
    db.session.flush()
    return p


def warehouse(code="LYO") -> Warehouse:
    w = Warehouse(code=code, name=f"Entrepôt {code}", city="Lyon")
    db.session.add(w)
    db.session.flush()
    return w


def restrict_to_category(company, category) -> None:
    """Company `company` may see only `category` (and what is under it). Commits."""
    db.session.add(VisibilityRule(company_id=company.id, category_id=category.id))
    db.session.commit()
