"""Small builders for test data. Each returns the flushed object."""

import itertools

from portal.extensions import db
from portal.models import (
    Address,
    Category,
    Company,
    CompanyStatus,
    CustomerGroup,
    PriceList,
    PriceTier,
    Product,
    Role,
    Stock,
    Unit,
    UnitKind,
    User,
    Warehouse,
)
from portal.services.accounts.passwords import hash_password

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def company(name=None, status=CompanyStatus.ACTIVE, **kw) -> Company:
    c = Company(name=name or f"Company {next(_seq)}", status=status, **kw)
    db.session.add(c)
    db.session.flush()
    return c


def unit(company, name, kind=UnitKind.BRANCH, parent=None, **kw) -> Unit:
    address = None
    if kind == UnitKind.JOBSITE:
        address = Address(company_id=company.id, label=name, line1="1 rue du Test",
                          postal_code="69002", city="Lyon")
        db.session.add(address)
        db.session.flush()
    u = Unit(company_id=company.id, name=name, kind=kind, parent_id=parent.id if parent else None,
             address_id=address.id if address else None, **kw)
    db.session.add(u)
    db.session.flush()
    return u


def user(company=None, role=Role.BUYER, email=None, password=PASSWORD, **kw) -> User:
    u = User(email=email or f"user{next(_seq)}@test.example", name=kw.pop("name", "Test User"),
             company_id=company.id if company else None, role=role,
             password_hash=hash_password(password) if password else "", **kw)
    db.session.add(u)
    db.session.flush()
    return u


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
