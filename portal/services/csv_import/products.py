"""Products: a known SKU is updated, a new SKU is created.

On an update, an empty cell leaves the current value as it is; a new product needs its two
names and its category. Writes go through bulk INSERT/UPDATE statements in chunks (tens of
thousands of rows fit in one transaction in seconds); replacements are linked at the end, once
every SKU of the file exists.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import insert, select, update

from portal.extensions import db
from portal.models import Category, Product
from portal.models.catalog import TaxClass
from portal.services import DomainError, selling
from portal.services import catalog as packs
from portal.services.csv_import import cells
from portal.services.csv_import.base import Checker, RowCheck, RowError, Writer, also_on
from portal.services.csv_import.parse import Row, Spec

SPEC = Spec(
    columns=("sku", "gtin", "name_fr", "name_en", "description_fr", "description_en", "brand",
             "category_slug", "uom", "case_pack", "order_multiple", "lead_time_days",
             "discontinued", "replacement_sku", "pack_kind", "tax_class",
             "service_interval_months"),
    required=frozenset({"sku"}),
)
TEXT_FIELDS = ("sku", "gtin", "name_fr", "name_en", "brand", "description_fr", "description_en")
_FACT_COLUMNS = (Product.id, Product.sku, Product.gtin, Product.name_fr, Product.name_en,
                 Product.brand, Product.description_fr, Product.description_en,
                 Product.case_pack, Product.order_multiple)


def search_text(values: dict) -> str:
    """The search module's text when it exists (so its index agrees), else the same idea."""
    try:
        from portal.services.catalog import search_text_for
    except ImportError:
        search_text_for = None
    if search_text_for is not None:
        return search_text_for(SimpleNamespace(**{k: values.get(k) for k in TEXT_FIELDS}))
    import unicodedata

    joined = " ".join(str(values.get(k) or "") for k in TEXT_FIELDS)
    decomposed = unicodedata.normalize("NFKD", joined)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch))
                    .casefold().split())


@dataclass
class ProductPlan:
    line: int
    sku: str
    existing: SimpleNamespace | None
    values: dict = field(default_factory=dict)
    replacement_sku: str | None = None


class ProductsChecker(Checker):
    def __init__(self):
        super().__init__()
        self.skus: dict[str, int] = {}
        self.gtins: dict[str, int] = {}
        self._categories: dict[str, int] | None = None

    def categories(self) -> dict[str, int]:
        if self._categories is None:
            self._categories = {slug.lower(): cid for cid, slug in
                                db.session.execute(select(Category.id, Category.slug))}
        return self._categories

    key_columns = ("sku", "gtin")

    def final_errors(self) -> list[RowError]:
        # A replacement that was neither in the database nor earlier in the file must have
        # come later in the file.
        return [RowError(line, "replacement_sku", _("unknown SKU"))
                for line, sku in self.carry.get("later", []) if sku not in self.skus]

    def remember(self, row: Row) -> None:
        sku, gtin = row.cells.get("sku", "").upper(), row.cells.get("gtin", "")
        if sku:
            self.skus.setdefault(sku, row.line)
        if gtin:
            self.gtins.setdefault(gtin, row.line)

    def check(self, chunk: list[Row]):
        skus = {r.cells.get("sku", "").upper() for r in chunk} - {""}
        wanted = skus | {r.cells.get("replacement_sku", "").upper() for r in chunk} - {""}
        existing = {r.sku: SimpleNamespace(**r._mapping) for r in db.session.execute(
            select(*_FACT_COLUMNS).where(Product.sku.in_(wanted)))}
        gtins = {r.cells.get("gtin", "") for r in chunk} - {""}
        gtin_owner = dict(db.session.execute(
            select(Product.gtin, Product.sku).where(Product.gtin.in_(gtins))).all())
        errors, plans, counts = [], [], Counter()
        for row in chunk:
            c = RowCheck(row)
            plan = self._check_row(c, existing, gtin_owner)
            self.remember(row)
            errors.extend(c.errors)
            if c.ok and plan is not None:
                plans.append(plan)
                counts["updated" if plan.existing else "created"] += 1
        return errors, plans, counts

    def _check_row(self, c: RowCheck, existing, gtin_owner) -> ProductPlan | None:
        sku = c.need("sku", cells.sku)
        if not sku:
            return None
        if sku in self.skus:
            c.fail("sku", also_on(self.skus[sku]))
            return None
        current = existing.get(sku)
        values = self._values(c, current)
        gtin = values.get("gtin")
        if gtin:
            if gtin in self.gtins:
                c.fail("gtin", also_on(self.gtins[gtin]))
            elif gtin_owner.get(gtin, sku) != sku:
                c.fail("gtin", _("already used by SKU %(sku)s", sku=gtin_owner[gtin]))
        replacement = c.get("replacement_sku", cells.sku)
        if replacement:
            if replacement == sku:
                c.fail("replacement_sku", _("a product cannot replace itself"))
            elif replacement not in self.skus and replacement not in existing:
                self.carry.setdefault("later", []).append([c.row.line, replacement])
        return ProductPlan(c.row.line, sku, current, values, replacement) if c.ok else None

    def _values(self, c: RowCheck, current) -> dict:
        values = {}
        for column, size in (("name_fr", 200), ("name_en", 200), ("brand", 80),
                             ("description_fr", 5000), ("description_en", 5000)):
            value = c.get(column, cells.text, size)
            if value:
                values[column] = value
        gtin = c.get("gtin", cells.gtin)
        if gtin:
            values["gtin"] = gtin
        uom = c.get("uom", cells.code, 12)
        if uom:
            values["uom"] = uom.lower()
        slug = c.get("category_slug", cells.text, 80)
        if slug:
            category_id = self.categories().get(slug.lower())
            if category_id is None:
                c.fail("category_slug", _("unknown category"))
            values["category_id"] = category_id
        for column, low, high in (("case_pack", 1, 10_000), ("order_multiple", 1, 10_000),
                                  ("lead_time_days", 0, 365),
                                  ("service_interval_months", *cells.INTERVAL_MONTHS)):
            number = c.get(column, cells.integer, low, high)
            if number is not None:
                values[column] = number
        kind = packs.normalize_kind(c.raw("pack_kind"))
        if kind is None:
            c.fail("pack_kind", _("must be one of %(kinds)s", kinds=", ".join(packs.PACK_KINDS)))
        elif kind:
            values["pack_kind"] = kind
        discontinued = c.get("discontinued", cells.boolean)
        if discontinued is not None:
            values["discontinued"] = discontinued
        if c.raw("tax_class"):
            try:  # a class the storefront has no VAT rate for is refused, not guessed
                values["tax_class"] = selling.parse_tax_class(c.raw("tax_class"))
                selling.rate_of(values["tax_class"], selling.storefront_country())
            except DomainError as error:
                c.fail("tax_class", str(error))
        if current is None:
            for column in ("name_fr", "name_en", "category_slug"):
                if not c.raw(column):
                    c.fail(column, _("required for a new product"))
        self._check_multiple(c, current, values)
        return values

    def _check_multiple(self, c: RowCheck, current, values: dict) -> None:
        if "case_pack" not in values and "order_multiple" not in values:
            return
        case_pack = values.get("case_pack", current.case_pack if current else 1)
        default_multiple = current.order_multiple if current else case_pack
        multiple = values.get("order_multiple", default_multiple)
        problem = cells.order_multiple_problem(case_pack, multiple)
        if problem:
            c.fail("order_multiple", problem)


class ProductsWriter(Writer):
    CHUNK = 1000

    def __init__(self, actor, now: datetime):
        self.now = now
        self.replacements: list[tuple[str, str]] = []
        self.created = self.updated = 0
        self.written: list[str] = []

    def write(self, plans: list[ProductPlan]) -> None:
        inserts, updates = [], []
        self.written.extend(plan.sku for plan in plans)
        for plan in plans:
            if plan.existing is None:
                inserts.append(self._new(plan))
            else:
                updates.append(self._changed(plan))
            if plan.replacement_sku:
                self.replacements.append((plan.sku, plan.replacement_sku))
        if inserts:
            db.session.execute(insert(Product), inserts)
        if updates:
            db.session.execute(update(Product), updates)
        self.created += len(inserts)
        self.updated += len(updates)

    def _new(self, plan: ProductPlan) -> dict:
        v = plan.values
        case_pack = v.get("case_pack", 1)
        row = {
            "sku": plan.sku, "gtin": v.get("gtin"), "name_fr": v["name_fr"],
            "name_en": v["name_en"], "description_fr": v.get("description_fr", ""),
            "description_en": v.get("description_en", ""), "brand": v.get("brand", ""),
            "category_id": v["category_id"], "uom": v.get("uom", "each"),
            "case_pack": case_pack, "order_multiple": v.get("order_multiple", case_pack),
            "pack_kind": v.get("pack_kind", packs.DEFAULT_KIND),
            "tax_class": v.get("tax_class", TaxClass.STANDARD),
            "lead_time_days": v.get("lead_time_days", 2),
            "discontinued": v.get("discontinued", False), "active": True,
            "service_interval_months": v.get("service_interval_months"),
            "updated_at": self.now,
        }
        row["search_text"] = search_text(row)
        return row

    def _changed(self, plan: ProductPlan) -> dict:
        merged = {k: getattr(plan.existing, k) for k in TEXT_FIELDS}
        merged.update({k: v for k, v in plan.values.items() if k in TEXT_FIELDS})
        return {"id": plan.existing.id, **plan.values, "search_text": search_text(merged),
                "updated_at": self.now}

    def finish(self) -> dict:
        skus = {s for pair in self.replacements for s in pair}
        ids: dict[str, int] = {}
        ordered = sorted(skus)
        for start in range(0, len(ordered), self.CHUNK):
            part = ordered[start:start + self.CHUNK]
            ids.update(db.session.execute(
                select(Product.sku, Product.id).where(Product.sku.in_(part))).all())
        links = [{"id": ids[sku], "replacement_id": ids[repl]} for sku, repl in self.replacements]
        if links:
            db.session.execute(update(Product), links)
        _refresh_search_entries(self.written)
        return {"created": self.created, "updated": self.updated}


def _refresh_search_entries(skus: list[str]) -> None:
    """The search entries of the products written (bulk writes bypass the ORM events that
    keep them in step); only those, so an import's or an API request's cost follows its own
    size and not the catalog's."""
    from portal.services.catalog import refresh_search_entries

    refresh_search_entries(skus)
