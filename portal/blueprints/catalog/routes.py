"""Browsing: the catalog's home, category pages, search, product pages, SKU and GTIN lookups."""

from flask import abort, jsonify, redirect, request, url_for
from flask_login import current_user

from portal.access import PUBLIC, allow
from portal.blueprints.catalog import bp
from portal.blueprints.catalog.helpers import (
    here,
    lang,
    lenient_quantity,
    page_size,
    visible_or_404,
)
from portal.extensions import db
from portal.rendering import render, wants_fragment
from portal.services import catalog, content
from portal.services.catalog import SearchQuery, ensure_search_index, is_gtin
from portal.services.ordering import lists_for
from portal.services.selling import can_order, find_visible


@bp.get("/")
@allow(PUBLIC)
def index():
    tree = catalog.CategoryTree(current_user, lang())
    return render("catalog/index.html", tree=tree)


@bp.get("/c/<int:category_id>")
@allow(PUBLIC)
def category(category_id: int):
    args = request.args.copy()  # repeated filter arguments kept: several values of one attribute
    args["category"] = str(category_id)
    query = SearchQuery.from_args(args, per_page=page_size())
    found = catalog.listing(current_user, query, lang())
    if found is None:
        abort(404)
    return _listing_response("catalog/category.html", found, ("results", "listing"))


@bp.get("/search")
@allow(PUBLIC)
def search():
    query = SearchQuery.from_args(request.args, per_page=page_size())
    if ensure_search_index():
        db.session.commit()  # built on the fly once (a migrated database never rebuilt)
    # The listing reads the user many times: the object, not the proxy in front of it.
    found = catalog.listing(current_user._get_current_object(), query, lang(),
                            with_brands=not wants_fragment())
    if found is None:
        abort(404)
    exact = found.result.exact
    if exact is not None and exact.gtin == query.text and not wants_fragment():
        # A scanned barcode names one product: go straight to it.
        return redirect(url_for("catalog.product", product_id=exact.id), 303)
    return _listing_response("catalog/search.html", found)


def _listing_response(template: str, found, blocks=("results",)):
    """The page, or for htmx the block its target names among `blocks` (else the first)."""
    fragment = wants_fragment()
    target = request.htmx.target if fragment else None
    context = {"listing": found, "query": found.result.query, "result": found.result,
               "rows": found.rows, "can_order": can_order(current_user), "next_url": here(),
               "thumbs": content.thumbnails([row.product.id for row in found.rows]),
               # A tick in the open filter panel answers with the panel still open.
               "filters_open": fragment and request.htmx.trigger == "filters"}
    if target == "more":
        return render("catalog/_rows.html", **context)
    return render(template, block=target if target in blocks else blocks[0], **context)


@bp.get("/p/<int:product_id>")
@allow(PUBLIC)
def product(product_id: int):
    item = visible_or_404(product_id)
    page = catalog.product_page(current_user, item, lang(),
                                lenient_quantity(request.args.get("qty")))
    ordering = can_order(current_user)
    return render("catalog/product.html", page=page, row=page.row, can_order=ordering,
                  lists=lists_for(current_user) if ordering else [], next_url=here(),
                  content=content.for_product(item.id, lang()))


@bp.get("/sku/<sku>")
@allow(PUBLIC)
def by_sku(sku: str):
    item = find_visible(current_user, sku=sku) if 0 < len(sku) <= 40 else None
    if item is None:
        abort(404)
    return redirect(url_for("catalog.product", product_id=item.id), 303)


@bp.get("/gtin/<gtin>")
@allow(PUBLIC)
def by_gtin(gtin: str):
    """Barcode lookup for scanners: JSON, the same 404 for unknown and invisible products."""
    item = find_visible(current_user, gtin=gtin) if is_gtin(gtin) else None
    if item is None:
        return jsonify(error="not_found"), 404
    return jsonify(sku=item.sku, url=url_for("catalog.product", product_id=item.id))
