"""A category's attributes and a product's values of them, as staff set them in the back
office (the CSV import of attributes follows the same rules: `value_key`, `code_problem`,
`value_problem`).

The attributes a product may have are those of its category and of the category's ancestors
(the listing of a category offers those of its path as filters). A value is kept per language;
`value_key`, the lower-cased accent-free French value, is what a filter matches. An empty French
value removes the product's value. Every change is audited.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Attribute, Category, Product, ProductAttribute
from portal.services import DomainError
from portal.services.accounts import record
from portal.services.text import clean_line

MAX_VALUE = 200
MAX_NAME = 120
MAX_CODE = 40
_CODE = re.compile(r"[a-z0-9_-]+")


class AttributesInvalid(DomainError):
    """Some fields need a fix; `errors` holds a message per field name."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Some fields need a fix."))
        self.errors = errors


def value_key(value_fr: str) -> str:
    """What a catalog filter matches: the French value lower-cased, accents dropped."""
    return "".join(c for c in unicodedata.normalize("NFKD", value_fr.lower())
                   if not unicodedata.combining(c))


def code_problem(code: str) -> str | None:
    if not code:
        return _("required")
    if len(code) > MAX_CODE or not _CODE.fullmatch(code):
        return _("lowercase letters, digits, _ and - only, at most %(n)s", n=MAX_CODE)
    return None


def value_problem(value_fr: str, value_en: str) -> tuple[str, str] | None:
    """(field, reason) of what is wrong with a pair of values, None when they may be set."""
    for field, value in (("fr", value_fr), ("en", value_en)):
        if len(value) > MAX_VALUE:
            return field, _("too long (at most %(n)s characters)", n=MAX_VALUE)
    if value_en and not value_fr:
        return "en", _("give the French value too (both empty removes the value)")
    return None


def category_path(category_id: int) -> list[int]:
    """The category's id and its ancestors' (top first)."""
    parents = dict(db.session.execute(select(Category.id, Category.parent_id)).all())
    found, current = [], category_id
    while current is not None and current not in found:
        found.append(current)
        current = parents.get(current)
    return list(reversed(found))


@dataclass(frozen=True)
class AttributeValue:
    attribute: Attribute
    value_fr: str
    value_en: str


def attributes_of(product: Product) -> list[AttributeValue]:
    """The attributes the product may have (its category's, then its ancestors'), each with
    the product's value ("" when none)."""
    path = category_path(product.category_id)
    depth = {category_id: index for index, category_id in enumerate(reversed(path))}
    values = {row.attribute_id: row for row in db.session.scalars(
        select(ProductAttribute).where(ProductAttribute.product_id == product.id))}
    attributes = db.session.scalars(select(Attribute).where(Attribute.category_id.in_(path)))
    ordered = sorted(attributes, key=lambda a: (depth[a.category_id], a.position,
                                                a.name_fr.casefold(), a.id))
    return [AttributeValue(a, values[a.id].value_fr if a.id in values else "",
                           values[a.id].value_en if a.id in values else "") for a in ordered]


def set_values(product: Product, actor, form: Mapping[str, str]) -> dict:
    """Set the product's value of each attribute from `fr-<id>` and `en-<id>` fields (a missing
    pair leaves that attribute alone); returns the changes, audited as one entry."""
    errors: dict[str, str] = {}
    wanted = []
    for item in attributes_of(product):
        key = str(item.attribute.id)
        if f"fr-{key}" not in form and f"en-{key}" not in form:
            continue
        value_fr = clean_line(form.get(f"fr-{key}", ""))
        value_en = clean_line(form.get(f"en-{key}", ""))
        problem = value_problem(value_fr, value_en)
        if problem:
            errors[f"{problem[0]}-{key}"] = problem[1]
        wanted.append((item, value_fr, value_en))
    if errors:
        raise AttributesInvalid(errors)
    changed = {}
    for item, value_fr, value_en in wanted:
        if (item.value_fr, item.value_en) != (value_fr, value_en):
            write_value(product.id, item.attribute.id, value_fr, value_en)
            changed[item.attribute.code] = [[item.value_fr, item.value_en], [value_fr, value_en]]
    if changed:
        record(actor, "product.attributes_update", product, {"changed": changed})
    return changed


def write_value(product_id: int, attribute_id: int, value_fr: str, value_en: str) -> None:
    """Set (or, with an empty French value, remove) one value of one product."""
    row = db.session.get(ProductAttribute, (product_id, attribute_id))
    if not value_fr:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        row = ProductAttribute(product_id=product_id, attribute_id=attribute_id)
        db.session.add(row)
    row.value_fr, row.value_en, row.value_key = value_fr, value_en, value_key(value_fr)


def name_errors(names: Mapping[str, str]) -> dict[str, str]:
    """A message per attribute name that is empty or too long."""
    errors = {}
    for name, value in names.items():
        if not value:
            errors[name] = _("required")
        elif len(value) > MAX_NAME:
            errors[name] = _("too long (at most %(n)s characters)", n=MAX_NAME)
    return errors


def add_attribute(category: Category, actor, form: Mapping[str, str]) -> Attribute:
    """A new attribute of the category, placed after its others; audited."""
    code = (form.get("code") or "").strip()
    names = {name: clean_line(form.get(name, "")) for name in ("name_fr", "name_en")}
    errors: dict[str, str] = {}
    problem = code_problem(code)
    if problem:
        errors["code"] = problem
    elif db.session.scalar(select(Attribute.id).where(Attribute.category_id == category.id,
                                                      Attribute.code == code)):
        errors["code"] = _("this category already has an attribute with this code")
    errors.update(name_errors(names))
    if errors:
        raise AttributesInvalid(errors)
    return create_attribute(category.id, code, names["name_fr"], names["name_en"],
                            form.get("filterable") in ("1", "on", "yes"), actor)


def create_attribute(category_id: int, code: str, name_fr: str, name_en: str,
                     filterable: bool, actor, by: str = "") -> Attribute:
    last = db.session.scalar(select(func.max(Attribute.position)).where(
        Attribute.category_id == category_id))
    made = Attribute(category_id=category_id, code=code, name_fr=name_fr, name_en=name_en,
                     filterable=filterable, position=(last or 0) + 1)
    db.session.add(made)
    db.session.flush()
    detail = {"category_id": category_id, "code": code, "filterable": filterable}
    record(actor, "attribute.create", made, {**detail, "by": by} if by else detail)
    return made
