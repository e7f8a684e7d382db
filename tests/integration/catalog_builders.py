"""Builders and helpers for the catalog's integration tests."""

import re

from portal.extensions import db
from portal.models import ShoppingList, ShoppingListLine, VisibilityRule


def restrict_to_category(company, category):
    """Company `company` may see only `category` (and what is under it)."""
    db.session.add(VisibilityRule(company_id=company.id, category_id=category.id))
    db.session.commit()


def shopping_list(owner, *products, shared=False, name="Chantier"):
    sl = ShoppingList(company_id=owner.company_id, owner_id=owner.id, name=name, shared=shared)
    db.session.add(sl)
    db.session.flush()
    for i, p in enumerate(products):
        db.session.add(ShoppingListLine(list_id=sl.id, product_id=p.id, quantity=p.order_multiple,
                                        position=i))
    db.session.commit()
    return sl


def main_of(response) -> str:
    """The page's <main> (or the whole fragment), without per-request tokens."""
    html = response.get_data(as_text=True)
    if '<main id="main"' in html:
        html = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r'value="[^"]*\.[^"]*\.[^"]*"', 'value="TOKEN"', html)


def row_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<article id="p-(\d+)"', html)]
