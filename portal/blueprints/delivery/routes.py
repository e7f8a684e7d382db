"""Swap a cart line for its substitute (buyers); substitutes and warehouse calendars (staff)."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.access import BUYERS, allow
from portal.blueprints.delivery import bp
from portal.models import Role
from portal.rendering import render, wants_fragment
from portal.services import catalog, delivery, ordering
from portal.services.selling import can_order
from portal.usecases import moved_on, run

ADMIN = (Role.STAFF_ADMIN,)


@bp.post("/cart/line/<int:line_id>/swap")
@allow(BUYERS)
def swap(line_id: int):
    if not can_order(current_user):
        abort(403)
    line = ordering.find_line(current_user, line_id) or abort(404)
    name = line.product.name_fr
    return run(lambda: delivery.swap_line(current_user, line, request.form.get("product_id")),
               refused=lambda problem: moved_on(str(problem), url_for("cart.index"), "error"),
               done=lambda new: _swapped(new, name))


def _swapped(line, old_name: str):
    """The whole cart changes (totals, dates, maybe a merged line): htmx reloads the page
    (a 303 would be followed inside the XHR and swapped into the line)."""
    message = _("Substitute put in place of %(name)s.", name=old_name)
    if wants_fragment():
        flash(message, "success")
        return "", 200, {"HX-Redirect": url_for("cart.index")}
    return moved_on(message, url_for("cart.index"))


def _product_or_404(product_id: int):
    return catalog.find_product(product_id) or abort(404)


def _substitutes_page(product, status_code=200, error="", typed=None):
    return render("delivery/substitutes.html", status_code=status_code, product=product,
                  chosen=delivery.substitutes_of(product), error=error, typed=typed)


@bp.route("/staff/catalog/products/<int:product_id>/substitutes", methods=["GET", "POST"])
@allow(ADMIN)
def substitutes(product_id: int):
    product = _product_or_404(product_id)
    if request.method != "POST":
        return _substitutes_page(product)
    typed = request.form.get("substitutes", "")[:2000]
    return run(lambda: delivery.set_substitutes(product, current_user, typed),
               refused=lambda problem: _substitutes_page(
                   _product_or_404(product_id), error=str(problem), typed=typed),
               done=lambda _r: moved_on(_("Substitutes of %(sku)s saved.", sku=product.sku),
                                        url_for(".substitutes", product_id=product_id)))


def _warehouses_page(status_code=200, errors=None, typed=None, editing=None):
    """`editing` names the form the errors belong to: a warehouse id, ("zone", id) or
    ("new zone", warehouse id)."""
    return render("delivery/warehouses.html", status_code=status_code,
                  warehouses=delivery.warehouse_rows(), zones=delivery.zones_by_warehouse(),
                  errors=errors or {}, typed=typed or {}, editing=editing)


@bp.get("/staff/warehouses")
@allow(ADMIN)
def warehouses():
    return _warehouses_page()


@bp.post("/staff/warehouses/<int:warehouse_id>")
@allow(ADMIN)
def warehouse_edit(warehouse_id: int):
    warehouse = delivery.find_warehouse(warehouse_id) or abort(404)
    form = {k: request.form.get(k, "")[:40] for k in ("cutoff", "working_days", "holidays",
                                                      "collection_point")}
    form["opening_hours"] = request.form.get("opening_hours", "")[:400]
    return run(lambda: delivery.set_calendar(warehouse, current_user, form),
               refused=lambda problem: _warehouses_page(
                   errors=getattr(problem, "errors", {}) or {"cutoff": str(problem)},
                   typed=form, editing=warehouse_id),
               done=lambda _r: moved_on(_("Warehouse %(code)s saved.", code=warehouse.code),
                                        url_for(".warehouses")))


ZONE_FIELDS = ("name", "transit_days", "cutoff", "delivery_days")


def _save_zone(warehouse, zone, editing):
    form = {k: request.form.get(k, "")[:80] for k in ZONE_FIELDS}
    return run(lambda: delivery.save_zone(warehouse, current_user, form, zone),
               refused=lambda problem: _warehouses_page(
                   errors=getattr(problem, "errors", {}) or {"name": str(problem)},
                   typed=form, editing=editing),
               done=lambda saved: moved_on(_("Zone %(name)s saved.", name=saved.name),
                                           url_for(".warehouses")))


@bp.post("/staff/warehouses/<int:warehouse_id>/zones")
@allow(ADMIN)
def zone_add(warehouse_id: int):
    warehouse = delivery.find_warehouse(warehouse_id) or abort(404)
    return _save_zone(warehouse, None, ("new zone", warehouse_id))


@bp.post("/staff/warehouses/zones/<int:zone_id>")
@allow(ADMIN)
def zone_edit(zone_id: int):
    zone = delivery.find_zone(zone_id) or abort(404)
    return _save_zone(delivery.find_warehouse(zone.warehouse_id), zone, ("zone", zone_id))


@bp.route("/staff/warehouses/zones/<int:zone_id>/delete", methods=["GET", "POST"])
@allow(ADMIN)
def zone_delete(zone_id: int):
    """A confirmation page (how many jobsites are in the zone); only a POST deletes."""
    zone = delivery.find_zone(zone_id) or abort(404)
    if request.method != "POST":
        return render("delivery/zone_delete.html", zone=zone, jobsites=delivery.jobsites_in(zone),
                      warehouse=delivery.find_warehouse(zone.warehouse_id))
    name = zone.name
    return run(lambda: delivery.delete_zone(zone, current_user),
               refused=lambda problem: moved_on(str(problem), url_for(".warehouses"), "error"),
               done=lambda moved: moved_on(ngettext(
                   "Zone %(name)s deleted; %(num)s jobsite is back in its warehouse's own area.",
                   "Zone %(name)s deleted; %(num)s jobsites are back in their warehouse's own "
                   "area.", moved, name=name), url_for(".warehouses")))
