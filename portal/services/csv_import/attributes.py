"""Product attributes: one value of one attribute of one product per row.

The product must exist; its attribute is looked up by code in its category, then in the
category's ancestors (as the catalog filters and the back office do). A code unknown there is
created in the product's category when its row gives `attribute_name_fr` and
`attribute_name_en` (once per category: later rows of the same code need no names); without
names it is refused, so a typo never makes an attribute. An empty `value_fr` removes the value.
The values follow the back office's rules (`content.value_problem`, `content.value_key`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select, tuple_, update

from portal.extensions import db
from portal.models import Attribute, Category, Product, ProductAttribute
from portal.services import content
from portal.services.csv_import import cells
from portal.services.csv_import.base import Checker, RowCheck, Writer, also_on
from portal.services.csv_import.parse import Row, Spec
from portal.services.text import clean_line

SPEC = Spec(columns=("sku", "attribute_code", "value_fr", "value_en", "attribute_name_fr",
                     "attribute_name_en"),
            required=frozenset({"sku", "attribute_code", "value_fr"}))


@dataclass(frozen=True)
class ValuePlan:
    product_id: int
    category_id: int
    code: str
    attribute_id: int | None  # None: an attribute this file creates in `category_id`
    value_fr: str
    value_en: str
    names: tuple[str, str] | None = None  # (French, English) of an attribute to create


class AttributesChecker(Checker):
    key_columns = ("sku", "attribute_code")

    def __init__(self):
        super().__init__()
        self.seen: dict[tuple[str, str], int] = {}
        self.parents = dict(db.session.execute(select(Category.id, Category.parent_id)).all())
        self.codes: dict[tuple[int, str], int] = {
            (category_id, code): attribute_id for attribute_id, category_id, code in
            db.session.execute(select(Attribute.id, Attribute.category_id, Attribute.code))}

    @staticmethod
    def _key(row: Row) -> tuple[str, str]:
        return row.cells.get("sku", "").upper(), row.cells.get("attribute_code", "")

    def remember(self, row: Row) -> None:
        self.seen.setdefault(self._key(row), row.line)

    def _attribute(self, category_id: int, code: str) -> tuple[int | None, bool]:
        """(the attribute's id, found): the nearest on the category's path; a new one of this
        file (in `carry`, kept between the dry run's requests) is found without an id."""
        current, walked = category_id, set()
        while current is not None and current not in walked:
            walked.add(current)
            if (current, code) in self.codes:
                return self.codes[current, code], True
            if f"{current}:{code}" in self.carry.get("new", {}):
                return None, True
            current = self.parents.get(current)
        return None, False

    def check(self, chunk: list[Row]):
        skus = {r.cells.get("sku", "").upper() for r in chunk} - {""}
        products = {sku: (pid, cid) for sku, pid, cid in db.session.execute(
            select(Product.sku, Product.id, Product.category_id).where(Product.sku.in_(skus)))}
        errors, plans, counts = [], [], Counter()
        for row in chunk:
            c = RowCheck(row)
            plan = self._check_row(c, products, counts)
            if self._key(row) in self.seen:
                c.fail("attribute_code", also_on(self.seen[self._key(row)]))
            self.remember(row)
            errors.extend(c.errors)
            if c.ok and plan is not None:
                plans.append(plan)
                counts["set" if plan.value_fr else "removed"] += 1
        return errors, plans, counts

    def _check_row(self, c: RowCheck, products, counts: Counter) -> ValuePlan | None:
        sku = c.need("sku", cells.sku)
        code = c.raw("attribute_code")
        problem = content.code_problem(code)
        if problem:
            c.fail("attribute_code", problem)
        value_fr, value_en = clean_line(c.raw("value_fr")), clean_line(c.raw("value_en"))
        problem = content.value_problem(value_fr, value_en)
        if problem:
            c.fail(f"value_{problem[0]}", problem[1])
        if sku and sku not in products:
            c.fail("sku", _("unknown SKU"))
        if not c.ok:
            return None
        product_id, category_id = products[sku]
        attribute_id, found = self._attribute(category_id, code)
        if not found and not self._new(c, category_id, code):
            return None
        if not found:
            counts["attributes"] += 1
        names = None if attribute_id else tuple(self.carry["new"][f"{category_id}:{code}"])
        return ValuePlan(product_id, category_id, code, attribute_id, value_fr, value_en, names)

    def _new(self, c: RowCheck, category_id: int, code: str) -> bool:
        """Register an attribute this row names; False (the row refused) without names."""
        names = [clean_line(c.raw(column)) for column in ("attribute_name_fr",
                                                          "attribute_name_en")]
        if not all(names):
            c.fail("attribute_code", _("unknown attribute for this product's category: give "
                                       "attribute_name_fr and attribute_name_en to create it"))
            return False
        for column, name in zip(("attribute_name_fr", "attribute_name_en"), names,
                                strict=True):
            if len(name) > content.MAX_NAME:
                c.fail(column, _("too long (at most %(n)s characters)", n=content.MAX_NAME))
        if c.ok:
            self.carry.setdefault("new", {})[f"{category_id}:{code}"] = names
        return c.ok


class AttributesWriter(Writer):
    def __init__(self, actor, now):
        self.actor = actor
        self.created = self.updated = self.removed = self.attributes_created = 0
        self.made: dict[tuple[int, str], int] = {}

    def _attribute_id(self, plan: ValuePlan) -> int:
        """The id of an attribute this file creates, made (and audited) on its first row."""
        key = (plan.category_id, plan.code)
        if key not in self.made:
            found = db.session.scalar(select(Attribute.id).where(
                Attribute.category_id == plan.category_id, Attribute.code == plan.code))
            if found is None:
                name_fr, name_en = plan.names
                found = content.create_attribute(plan.category_id, plan.code, name_fr, name_en,
                                                 True, self.actor, by="csv_import").id
                self.attributes_created += 1
            self.made[key] = found
        return self.made[key]

    def write(self, plans: list[ValuePlan]) -> None:
        rows = [(p.product_id, p.attribute_id or self._attribute_id(p), p) for p in plans]
        keys = [(product_id, attribute_id) for product_id, attribute_id, _p in rows]
        existing = set()
        if keys:
            existing = {(r[0], r[1]) for r in db.session.execute(
                select(ProductAttribute.product_id, ProductAttribute.attribute_id)
                .where(tuple_(ProductAttribute.product_id, ProductAttribute.attribute_id)
                       .in_(keys)))}
        inserts, updates, removals = [], [], []
        for product_id, attribute_id, p in rows:
            if not p.value_fr:
                if (product_id, attribute_id) in existing:
                    removals.append((product_id, attribute_id))
                continue
            values = {"product_id": product_id, "attribute_id": attribute_id,
                      "value_fr": p.value_fr, "value_en": p.value_en,
                      "value_key": content.value_key(p.value_fr)}
            (updates if (product_id, attribute_id) in existing else inserts).append(values)
        if inserts:
            db.session.execute(insert(ProductAttribute), inserts)
        if updates:
            db.session.execute(update(ProductAttribute), updates)
        if removals:
            db.session.execute(delete(ProductAttribute).where(
                tuple_(ProductAttribute.product_id, ProductAttribute.attribute_id)
                .in_(removals)))
        self.created += len(inserts)
        self.updated += len(updates)
        self.removed += len(removals)

    def finish(self) -> dict:
        done = {"created": self.created, "updated": self.updated, "removed": self.removed}
        if self.attributes_created:
            done["attributes_created"] = self.attributes_created
        return done
