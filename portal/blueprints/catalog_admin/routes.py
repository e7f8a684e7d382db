"""The seller's catalog: find a product, edit it, its stock per warehouse and its price tiers."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.catalog_admin import bp
from portal.extensions import db
from portal.models import Product, Role
from portal.rendering import render
from portal.services import catalog as service
from portal.services.selling import local_today
from portal.usecases import moved_on, run

ADMIN = (Role.STAFF_ADMIN,)


def _page_arg() -> int:
    raw = request.args.get("page", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1


def _get_or_404(find, object_id: int):
    """`find` is one of the catalog's finders (product, tier, price list)."""
    return find(object_id) or abort(404)


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
    product = _get_or_404(service.find_product, product_id)
    if request.method != "POST":
        return _edit_page(product)
    return run(lambda: service.update_product(product, current_user, request.form),
               refused=lambda problem: _edit_page(_get_or_404(service.find_product, product_id),
                                                  errors=_errors(problem), typed=request.form),
               done=lambda _result: moved_on(_("Product %(sku)s saved.", sku=product.sku),
                                             url_for(".product_edit", product_id=product_id)))


def _errors(problem) -> dict:
    """The fields to fix (FormInvalid); any other refusal is said above the page."""
    if not getattr(problem, "errors", None):
        flash(str(problem), "error")
    return getattr(problem, "errors", {})


@bp.post("/products/<int:product_id>/stock")
@allow(ADMIN)
def product_stock(product_id: int):
    product = _get_or_404(service.find_product, product_id)
    levels = {}
    for key, value in request.form.items():
        number = key.removeprefix("stock-")
        if key.startswith("stock-") and number.isascii() and number.isdigit():
            levels[int(number)] = value
    return run(lambda: service.set_stock(product, current_user, levels),
               refused=lambda problem: _edit_page(_get_or_404(service.find_product, product_id),
                                                  stock_errors=_errors(problem),
                                                  stock_typed=request.form),
               done=lambda _result: moved_on(
                   _("Stock of %(sku)s saved.", sku=product.sku),
                   url_for(".product_edit", product_id=product_id) + "#stock"))


def _prices_page(product: Product, status_code: int = 200, **extra):
    return render("catalog_admin/prices.html", status_code=status_code, product=product,
                  lists=service.tiers_by_list(product), **extra)


@bp.get("/products/<int:product_id>/prices")
@allow(ADMIN)
def product_prices(product_id: int):
    return _prices_page(_get_or_404(service.find_product, product_id))


@bp.post("/products/<int:product_id>/prices")
@allow(ADMIN)
def tier_add(product_id: int):
    product = _get_or_404(service.find_product, product_id)
    form = request.form
    return run(lambda: service.add_tier(product, current_user, form.get("price_list", ""),
                                        form.get("min_qty", ""), form.get("unit_price", "")),
               refused=lambda problem: _prices_page(_get_or_404(service.find_product, product_id),
                                                    add_errors=_errors(problem), add_typed=form),
               done=lambda _result: moved_on(_("Price tier added."),
                                             url_for(".product_prices", product_id=product_id)))


@bp.post("/tiers/<int:tier_id>")
@allow(ADMIN)
def tier_edit(tier_id: int):
    tier = _get_or_404(service.find_tier, tier_id)
    product_id = tier.product_id
    return run(lambda: service.update_tier(tier, current_user, request.form.get("min_qty", ""),
                                           request.form.get("unit_price", "")),
               refused=lambda problem: _prices_page(
                   _get_or_404(service.find_product, product_id), tier_errors=_errors(problem),
                   tier_id=tier_id, tier_typed=request.form),
               done=lambda _result: moved_on(_("Price tier saved."),
                                             url_for(".product_prices", product_id=product_id)))


@bp.route("/tiers/<int:tier_id>/delete", methods=["GET", "POST"])
@allow(ADMIN)
def tier_delete(tier_id: int):
    """A confirmation page that works without JavaScript, then the removal."""
    tier = _get_or_404(service.find_tier, tier_id)
    product_id = tier.product_id
    if request.method != "POST":
        return render("catalog_admin/tier_delete.html", tier=tier,
                      product=_get_or_404(service.find_product, product_id))
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
    price_list = _get_or_404(service.find_price_list, list_id)
    rows, more = service.list_products(price_list, _page_arg())
    return render("catalog_admin/price_list.html", price_list=price_list, rows=rows, more=more,
                  page=_page_arg(), audience=service.audience_of(price_list),
                  today=local_today())


# --- Creating: a product, a price list -----------------------------------------------------

def _new_product_page(status_code: int = 200, errors=None, typed=None):
    return render("catalog_admin/product_new.html", status_code=status_code,
                  categories=service.category_choices(str(get_locale())),
                  errors=errors or {}, typed=typed or {"case_pack": "1", "order_multiple": "1",
                                                       "lead_time_days": "2"})


@bp.route("/products/new", methods=["GET", "POST"])
@allow(ADMIN)
def product_new():
    if request.method != "POST":
        return _new_product_page()
    return run(lambda: service.create_product(current_user, request.form),
               refused=lambda problem: _new_product_page(errors=_errors(problem),
                                                         typed=request.form),
               done=lambda product: moved_on(
                   _("Product %(sku)s created: add its prices.", sku=product.sku),
                   url_for(".product_prices", product_id=product.id)))


def _new_list_page(status_code: int = 200, errors=None, typed=None):
    groups, companies = service.audience_choices()
    return render("catalog_admin/price_list_new.html", status_code=status_code,
                  errors=errors or {}, typed=typed or {"currency": "EUR"}, groups=groups,
                  companies=companies)


@bp.route("/price-lists/new", methods=["GET", "POST"])
@allow(ADMIN)
def price_list_new():
    if request.method != "POST":
        return _new_list_page()
    return run(lambda: service.create_price_list(current_user, request.form, local_today()),
               refused=lambda problem: _new_list_page(errors=_errors(problem),
                                                      typed=request.form),
               done=lambda price_list: moved_on(
                   _("Price list %(code)s created.", code=price_list.code),
                   url_for(".price_list", list_id=price_list.id)))
