"""Attribute filters of a category listing ("Fire resistance: EI 30, EI 60").

A filter is `f.<attribute code>=<value key>` in the query string, repeated for several values:
several values of one attribute widen the listing (OR), several attributes narrow it (AND).
The attributes offered are the filterable ones of the category and of its ancestors; their
values are those present among the products the user may see under the category, each with
the number of products it would show given the other attributes' filters. All of it is read
in one statement, whatever the number of attributes, values or products.

Bad input never fails: a code that is not an attribute of the category (another category's,
or none) is ignored; a value no visible product has stays as asked and matches nothing, so
the page says no product matches, with the filter shown and removable, rather than listing
products that do not have it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import Attribute, Product, ProductAttribute

PREFIX = "f."
MAX_ATTRIBUTES = 8
MAX_VALUES = 20
MAX_CODE_CHARS = 40
MAX_VALUE_CHARS = 200

# What was asked for: ((code, (value key, ...)), ...), codes and keys sorted.
Requested = tuple[tuple[str, tuple[str, ...]], ...]


def _clean(raw, limit: int) -> str:
    text = raw if isinstance(raw, str) else ""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text[:limit * 2])
    return " ".join(text.split())[:limit]


def read_filters(args: Mapping) -> Requested:
    """The attribute filters of a query string, read leniently: at most MAX_ATTRIBUTES codes
    and MAX_VALUES values each, control characters dropped, duplicates merged; sorted, so
    that one choice of filters is one URL."""
    found: dict[str, set[str]] = {}
    for name in list(args.keys()):
        if not isinstance(name, str) or not name.startswith(PREFIX):
            continue
        code = _clean(name[len(PREFIX):], MAX_CODE_CHARS)
        raws = args.getlist(name) if hasattr(args, "getlist") else [args.get(name)]
        keys = {key for key in (_clean(raw, MAX_VALUE_CHARS) for raw in raws[:MAX_VALUES]) if key}
        if code and keys and (code in found or len(found) < MAX_ATTRIBUTES):
            found.setdefault(code, set()).update(keys)
    return tuple((code, tuple(sorted(keys)[:MAX_VALUES])) for code, keys in sorted(found.items()))


def filter_args(requested: Requested) -> dict[str, list[str]]:
    """Query-string arguments for these filters (lists: one argument per value)."""
    return {PREFIX + code: list(keys) for code, keys in requested}


def without(requested: Requested, code: str, key: str | None = None) -> Requested:
    """These filters less one value (or, without `key`, less the whole attribute)."""
    out = []
    for c, keys in requested:
        if c == code:
            keys = tuple(k for k in keys if key is not None and k != key)
        if keys:
            out.append((c, keys))
    return tuple(out)


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    code: str
    name: str
    values: tuple[FacetValue, ...]
    attribute_ids: tuple[int, ...]  # one code may be set on a category and on its parent

    @property
    def selected(self) -> int:
        return sum(1 for v in self.values if v.selected)


@dataclass(frozen=True)
class Chip:
    """One value in force, shown above the results with a way to remove it."""

    code: str
    name: str
    key: str
    label: str


@dataclass(frozen=True)
class Facets:
    facets: tuple[Facet, ...]
    applied: Requested  # the filters in force: codes the category knows
    chips: tuple[Chip, ...]
    conditions: tuple  # one EXISTS per attribute in force, to add to the products' WHERE

    @property
    def active(self) -> bool:
        return bool(self.applied)


NO_FACETS = Facets((), (), (), ())


def _natural(text: str) -> tuple:
    """'EI 30' before 'EI 120': numbers compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.split(r"(\d+)", text) if part)


def _has_value(product_id, code: str, keys: tuple[str, ...], path: list[int]):
    """The product has one of these values for the category's attribute `code`."""
    value, attribute = aliased(ProductAttribute), aliased(Attribute)
    return exists().where(value.product_id == product_id, value.attribute_id == attribute.id,
                          attribute.code == code, attribute.category_id.in_(path),
                          attribute.filterable.is_(True), value.value_key.in_(keys))


def _known(code: str, path: list[int], product_ids):
    """Some visible product of the listing has a value for the attribute `code`."""
    value, attribute = aliased(ProductAttribute), aliased(Attribute)
    return exists().where(value.attribute_id == attribute.id, attribute.code == code,
                          attribute.category_id.in_(path), attribute.filterable.is_(True),
                          value.product_id.in_(product_ids))


def read_facets(base, path: list[int], requested: Requested, lang: str) -> Facets:
    """The filters of a listing whose products are `base` (a SELECT of Product, visibility and
    category already applied), for a category whose ancestry is `path` (ids, top first).

    A value's count is the number of products it would list with the filters of the *other*
    attributes in force: ticking a second value of the same attribute adds its count.
    """
    product_ids = base.with_only_columns(Product.id).order_by(None)
    pav = ProductAttribute
    # Each attribute in force narrows the counts of the others; one the listing does not know
    # (no visible product has it: another category's code) narrows nothing, as it is ignored.
    narrowing = [or_(Attribute.code == code, _has_value(pav.product_id, code, keys, path),
                     ~_known(code, path, product_ids))
                 for code, keys in requested]
    counted = (func.count(case((and_(*narrowing), pav.product_id))) if narrowing
               else func.count(pav.product_id))
    stmt = (
        select(Attribute.id, Attribute.code, Attribute.position, Attribute.name_fr,
               Attribute.name_en, pav.value_key, func.min(pav.value_fr).label("value_fr"),
               func.min(pav.value_en).label("value_en"), counted.label("n"))
        .join(pav, pav.attribute_id == Attribute.id)
        .where(Attribute.category_id.in_(path), Attribute.filterable.is_(True),
               pav.product_id.in_(product_ids))
        .group_by(Attribute.id, Attribute.code, Attribute.position, Attribute.name_fr,
                  Attribute.name_en, pav.value_key)
    )
    english = lang == "en"
    by_code: dict[str, dict] = {}
    for row in db.session.execute(stmt):
        facet = by_code.setdefault(row.code, {
            "name": (row.name_en if english else row.name_fr) or row.name_fr,
            "position": row.position, "ids": set(), "values": {}})
        facet["ids"].add(row.id)
        label = (row.value_en if english else row.value_fr) or row.value_fr
        known = facet["values"].get(row.value_key)
        facet["values"][row.value_key] = (known[0] if known else label,
                                          (known[1] if known else 0) + row.n)
    asked = dict(requested)
    facets = []
    for code, facet in sorted(by_code.items(),
                              key=lambda item: (item[1]["position"], item[1]["name"].casefold())):
        chosen = set(asked.get(code, ()))
        values = sorted((FacetValue(key, label, count, key in chosen)
                         for key, (label, count) in facet["values"].items()),
                        key=lambda v: _natural(v.label))
        facets.append(Facet(code, facet["name"], tuple(values), tuple(sorted(facet["ids"]))))
    return _in_force(tuple(facets), requested)


def _in_force(facets: tuple[Facet, ...], requested: Requested) -> Facets:
    known = {facet.code: facet for facet in facets}
    applied = tuple((code, keys) for code, keys in requested if code in known)
    chips, conditions = [], []
    for code, keys in applied:
        facet = known[code]
        labels = {v.key: v.label for v in facet.values}
        chips.extend(Chip(code, facet.name, key, labels.get(key, key)) for key in keys)
        value = aliased(ProductAttribute)
        conditions.append(exists().where(value.product_id == Product.id,
                                         value.attribute_id.in_(facet.attribute_ids),
                                         value.value_key.in_(keys)))
    return Facets(facets, applied, tuple(chips), tuple(conditions))
