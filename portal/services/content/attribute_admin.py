"""A category's attributes managed by staff: listed with how many products carry a value,
renamed per language (and offered as a filter or not), reordered, deleted with their values.
Every change is audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.models import Attribute, Category, ProductAttribute
from portal.services.accounts import record
from portal.services.content.attributes import AttributesInvalid, name_errors
from portal.services.text import clean_line


@dataclass(frozen=True)
class Listed:
    attribute: Attribute
    products: int  # products carrying a value of it


def categories_with_attributes() -> list[tuple[Category, int]]:
    """Every category and how many attributes it has (one statement)."""
    counts = (select(Attribute.category_id, func.count().label("n"))
              .group_by(Attribute.category_id).subquery())
    return [(c, n or 0) for c, n in db.session.execute(
        select(Category, counts.c.n).outerjoin(counts, counts.c.category_id == Category.id)
        .order_by(Category.position, Category.name_fr, Category.id))]


def category_attributes(category_id: int) -> list[Listed]:
    """The category's own attributes in their order, with their product counts."""
    used = (select(ProductAttribute.attribute_id, func.count().label("n"))
            .group_by(ProductAttribute.attribute_id).subquery())
    return [Listed(a, n or 0) for a, n in db.session.execute(
        select(Attribute, used.c.n).outerjoin(used, used.c.attribute_id == Attribute.id)
        .where(Attribute.category_id == category_id)
        .order_by(Attribute.position, Attribute.id))]


def find_attribute(attribute_id: int) -> Attribute | None:
    return db.session.get(Attribute, attribute_id)


def find_category(category_id: int) -> Category | None:
    return db.session.get(Category, category_id)


def products_with_value(attribute: Attribute) -> int:
    return db.session.scalar(select(func.count()).where(
        ProductAttribute.attribute_id == attribute.id)) or 0


def rename_attribute(attribute: Attribute, actor, form: Mapping[str, str]) -> Attribute:
    """New names (both required) and whether the listing offers it as a filter."""
    names = {name: clean_line(form.get(name, "")) for name in ("name_fr", "name_en")}
    errors = name_errors(names)
    if errors:
        raise AttributesInvalid(errors)
    filterable = form.get("filterable") in ("1", "on", "yes")
    before = [attribute.name_fr, attribute.name_en, attribute.filterable]
    attribute.name_fr, attribute.name_en = names["name_fr"], names["name_en"]
    attribute.filterable = filterable
    after = [attribute.name_fr, attribute.name_en, attribute.filterable]
    if before != after:
        record(actor, "attribute.update", attribute, {"code": attribute.code,
                                                       "before": before, "after": after})
    return attribute


def move_attribute(attribute: Attribute, step: int, actor) -> Attribute:
    """Up (-1) or down (+1) one place among its category's attributes."""
    rows = [item.attribute for item in category_attributes(attribute.category_id)]
    index = rows.index(attribute)
    target = min(max(index + step, 0), len(rows) - 1)
    rows.insert(target, rows.pop(index))
    for position, row in enumerate(rows, start=1):
        row.position = position
    record(actor, "attribute.move", attribute, {"code": attribute.code, "position": target + 1})
    return attribute


def delete_attribute(attribute: Attribute, actor) -> int:
    """The attribute and every product's value of it; answers how many values went."""
    removed = db.session.execute(delete(ProductAttribute).where(
        ProductAttribute.attribute_id == attribute.id)).rowcount
    record(actor, "attribute.delete", attribute, {
        "category_id": attribute.category_id, "code": attribute.code,
        "names": [attribute.name_fr, attribute.name_en], "values_removed": removed})
    db.session.delete(attribute)
    return removed
