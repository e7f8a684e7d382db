"""Bulk upserts for the seller's PIM and ERP: products by SKU, price tiers, stock levels.

All or nothing per request: every rejected item comes back with its reasons (a pointer to
its field), and nothing is written unless every item passes.
"""

from flask import g, jsonify

from portal.blueprints.api import bp
from portal.blueprints.api.operations import now, operation
from portal.blueprints.api.schemas import (
    CategoryIn,
    CategoryOut,
    CustomersIn,
    CustomersResult,
    IdempotencyHeader,
    PriceListIn,
    PriceListOut,
    ProductsIn,
    StockIn,
    TiersIn,
    UpsertResult,
)
from portal.services import integration

REFUSALS = ("HTTP_400", "HTTP_409", "HTTP_413", "HTTP_415")


def _upsert(kind: str, items) -> tuple:
    rows = [item.model_dump(exclude_unset=True) for item in items]
    result = integration.bulk_upsert(kind, rows, g.api_client, now())
    return jsonify(created=result.get("created", 0), updated=result.get("updated", 0))


def _bulk(scope: str, body):
    return operation(scope, headers=IdempotencyHeader, json=body, tags=["catalog"],
                     resp={"HTTP_200": UpsertResult}, status_codes=REFUSALS)


@bp.post("/products/bulk")
@_bulk("catalog:write", ProductsIn)
def upsert_products(json: ProductsIn):
    """Create or update up to 5,000 products by SKU, all or nothing."""
    return _upsert("products", json.items)


@bp.post("/price-tiers/bulk")
@_bulk("prices:write", TiersIn)
def upsert_price_tiers(json: TiersIn):
    """Create or update up to 5,000 tiers (list, SKU, minimum quantity), all or nothing."""
    return _upsert("prices", json.items)


@bp.post("/stock/bulk")
@_bulk("stock:write", StockIn)
def upsert_stock(json: StockIn):
    """Set up to 5,000 stock levels (SKU, warehouse), all or nothing."""
    return _upsert("stock", json.items)


@bp.post("/price-lists")
@operation("prices:write", headers=IdempotencyHeader, json=PriceListIn, tags=["catalog"],
           resp={"HTTP_201": PriceListOut}, status_codes=REFUSALS)
def create_price_list(json: PriceListIn):
    """Create a price list (its tiers then come through /price-tiers/bulk)."""
    made = integration.create_price_list(g.api_client, json.code, json.name, json.currency)
    return jsonify(id=made.id, code=made.code, name=made.name, currency=made.currency), 201


@bp.put("/categories/<string:slug>")
@operation("catalog:write", json=CategoryIn, tags=["catalog"], resp={"HTTP_200": CategoryOut},
           status_codes=("HTTP_400", "HTTP_415"))
def put_category(slug: str, json: CategoryIn):
    """Create or rename the category with this slug (under a parent, at a position)."""
    category, created = integration.upsert_category(
        g.api_client, slug, json.name_fr, json.name_en, json.parent_slug, json.position)
    return jsonify(slug=category.slug, name_fr=category.name_fr, name_en=category.name_en,
                   parent_slug=json.parent_slug.lower() if json.parent_slug else None,
                   position=category.position, created=created)


@bp.post("/customers/bulk")
@operation("customers:write", headers=IdempotencyHeader, json=CustomersIn, tags=["customers"],
           resp={"HTTP_200": CustomersResult}, status_codes=REFUSALS)
def create_customers(json: CustomersIn):
    """Create companies and their users (one item per user), all or nothing; every new user
    gets the invitation to choose a password, as with the CSV import."""
    rows = [item.model_dump(exclude_unset=True) for item in json.items]
    result = integration.bulk_upsert("customers", rows, g.api_client, now())
    return jsonify(companies=result["companies"], users=result["users"],
                   invitations=result["invitations"])
