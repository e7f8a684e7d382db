"""Bulk upserts of products, price tiers and stock through the CSV import's own rules.

The API and the CSV import are two doors to one set of rules: each JSON item becomes a row of
cells and goes through the import's checker and writer (same parsing of every field, same
duplicate and unknown-SKU checks, same bulk statements). Every rejected item is reported with
its reasons; if any is rejected nothing is written (the caller rolls back).
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import PriceList
from portal.services import DomainError
from portal.services.csv_import import KINDS
from portal.services.integration.audit import audit

CHUNK = 1000
# The import's column names for what the API sends in cents.
API_FIELDS = {"unit_price": "unit_price_cents", "credit_limit": "credit_limit_cents"}


class BulkRejected(DomainError):
    """Some items were refused; `errors` lists (index, field, reason) for every one."""

    code = "rejected_items"

    def __init__(self, message: str, errors: list[tuple[int, str, str]]):
        super().__init__(message)
        self.errors = errors

    @property
    def pointers(self) -> list[tuple[str, str]]:
        """(JSON pointer into the request's `items`, reason) for every refusal."""
        return [(f"/items/{index}/{field}" if field else f"/items/{index}", reason)
                for index, field, reason in self.errors]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _cells(kind: str, item: dict) -> dict[str, str]:
    if kind == "customers" and "credit_limit_cents" in item:
        item = dict(item)
        cents = item.pop("credit_limit_cents")
        item["credit_limit"] = "" if cents is None else _euros(cents)
    if kind == "prices":
        cells = {k: _cell(item[k]) for k in ("price_list_code", "sku", "min_qty")}
        cells["unit_price"] = _euros(item["unit_price_cents"])
        return cells
    return {k: _cell(v) for k, v in item.items()}


def _currency_errors(items: list[dict]) -> list[tuple[int, str, str]]:
    """A tier's currency must be its list's: a price is never converted."""
    codes = {i["price_list_code"] for i in items}
    currencies = dict(db.session.execute(
        select(PriceList.code, PriceList.currency).where(PriceList.code.in_(codes))).all())
    return [(n, "currency", _("The list %(code)s is in %(currency)s.",
                              code=i["price_list_code"], currency=currencies[i["price_list_code"]]))
            for n, i in enumerate(items)
            if i["price_list_code"] in currencies
            and i["currency"] != currencies[i["price_list_code"]]]


def upsert(kind: str, items: list[dict], client, now: datetime) -> dict:
    """Check every item, then write them all, or raise BulkRejected having written nothing."""
    spec = KINDS[kind]
    checker, writer = spec.checker(), spec.writer(SimpleNamespace(id=None), now)
    errors: list[tuple[int, str, str]] = []
    if kind == "prices":
        errors.extend(_currency_errors(items))
    rows = [SimpleNamespace(index=n, line=n, cells=_cells(kind, item), extra=False)
            for n, item in enumerate(items)]
    for start in range(0, len(rows), CHUNK):
        found, plans, _counts = checker.check(rows[start:start + CHUNK])
        errors.extend((e.line, API_FIELDS.get(e.column, e.column), e.reason) for e in found)
        if not errors:
            writer.write(plans)
    errors.extend((e.line, API_FIELDS.get(e.column, e.column), e.reason)
                  for e in checker.final_errors())
    if errors:
        raise BulkRejected(_("Nothing was written: %(count)s items need a fix.",
                             count=len({e[0] for e in errors})), sorted(errors))
    result = writer.finish()
    audit(client, f"api.{kind}.upsert", None, {"items": len(items), **result})
    return result
