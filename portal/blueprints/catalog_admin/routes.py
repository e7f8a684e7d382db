"""The seller's catalog: find a product, edit it, its stock per warehouse and its price tiers."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.catalog_admin import bp
from portal.extensions import db
from portal.models import PriceList, PriceTier, Product, Role
from portal.rendering import render
from portal.services import catalog as service

ADMIN = (Role.STAFF_ADMIN,)


def _page_arg() -> int:
    raw = request.args.get("page", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1


def _get_or_404(model, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


@bp.get("/")
@allow(ADMIN)
def index():
    query = request.args.get("q", "")[:100]
    result = service.search_products(query, _page_arg())
    return render("catalog_admin/index.html", block="results", result=result, q=query)


def _edit_page(product: Product, status_code: int = 200, **extra):
    return render("catalog_admin/product.html", status_code=status_code, product=product,
                  levels=service.stock_levels(product), **extra)


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
@allow(ADMIN)
def product_edit(product_id: int):
    product = _get_or_404(Product, product_id)
    if request.method != "POST":
        return _edit_page(product)
    try:
        service.update_product(product, current_user, request.form)
    except service.FormInvalid as exc:
        db.session.rollback()
        return _edit_page(_get_or_404(Product, product_id), 422, errors=exc.errors,
                          typed=request.form)
    db.session.commit()
    flash(_("Product %(sku)s saved.", sku=product.sku), "success")
    return redirect(url_for(".product_edit", product_id=product_id), 303)


@bp.post("/products/<int:product_id>/stock")
@allow(ADMIN)
def product_stock(product_id: int):
    product = _get_or_404(Product, product_id)
    levels = {}
    for key, value in request.form.items():
        number = key.removeprefix("stock-")
        if key.startswith("stock-") and number.isascii() and number.isdigit():
            levels[int(number)] = value
    try:
        service.set_stock(product, current_user, levels)
    except service.FormInvalid as exc:
        db.session.rollback()
        return _edit_page(_get_or_404(Product, product_id), 422, stock_errors=exc.errors,
                          stock_typed=request.form)
    db.session.commit()
    flash(_("Stock of %(sku)s saved.", sku=product.sku), "success")
    return redirect(url_for(".product_edit", product_id=product_id) + "#stock", 303)


def _prices_page(product: Product, status_code: int = 200, **extra):
    return render("catalog_admin/prices.html", status_code=status_code, product=product,
                  lists=service.tiers_by_list(product), **extra)


@bp.get("/products/<int:product_id>/prices")
@allow(ADMIN)
def product_prices(product_id: int):
    return _prices_page(_get_or_404(Product, product_id))


@bp.post("/products/<int:product_id>/prices")
@allow(ADMIN)
def tier_add(product_id: int):
    product = _get_or_404(Product, product_id)
    form = request.form
    try:
        service.add_tier(product, current_user, form.get("price_list", ""),
                         form.get("min_qty", ""), form.get("unit_price", ""))
    except service.FormInvalid as exc:
        db.session.rollback()
        return _prices_page(_get_or_404(Product, product_id), 422, add_errors=exc.errors,
                            add_typed=form)
    db.session.commit()
    flash(_("Price tier added."), "success")
    return redirect(url_for(".product_prices", product_id=product_id), 303)


@bp.post("/tiers/<int:tier_id>")
@allow(ADMIN)
def tier_edit(tier_id: int):
    tier = _get_or_404(PriceTier, tier_id)
    product_id = tier.product_id
    try:
        service.update_tier(tier, current_user, request.form.get("min_qty", ""),
                            request.form.get("unit_price", ""))
    except service.FormInvalid as exc:
        db.session.rollback()
        return _prices_page(_get_or_404(Product, product_id), 422, tier_errors=exc.errors,
                            tier_id=tier_id, tier_typed=request.form)
    db.session.commit()
    flash(_("Price tier saved."), "success")
    return redirect(url_for(".product_prices", product_id=product_id), 303)


@bp.route("/tiers/<int:tier_id>/delete", methods=["GET", "POST"])
@allow(ADMIN)
def tier_delete(tier_id: int):
    """A confirmation page that works without JavaScript, then the removal."""
    tier = _get_or_404(PriceTier, tier_id)
    product_id = tier.product_id
    if request.method != "POST":
        return render("catalog_admin/tier_delete.html", tier=tier,
                      product=_get_or_404(Product, product_id))
    service.delete_tier(tier, current_user)
    db.session.commit()
    flash(_("Price tier removed."), "success")
    return redirect(url_for(".product_prices", product_id=product_id), 303)


@bp.get("/price-lists")
@allow(ADMIN)
def price_lists():
    return render("catalog_admin/price_lists.html", lists=service.price_lists())


@bp.get("/price-lists/<int:list_id>")
@allow(ADMIN)
def price_list(list_id: int):
    price_list = _get_or_404(PriceList, list_id)
    rows, more = service.list_products(price_list, _page_arg())
    return render("catalog_admin/price_list.html", price_list=price_list, rows=rows, more=more,
                  page=_page_arg())
