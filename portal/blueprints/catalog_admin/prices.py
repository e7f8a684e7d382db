"""The seller's price management: a price list's settings, and time-limited promotions."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.catalog_admin import bp
from portal.models import Role
from portal.rendering import render
from portal.services import catalog as service
from portal.services.selling import local_today
from portal.usecases import moved_on, run

ADMIN = (Role.STAFF_ADMIN,)


def _errors(problem) -> dict:
    if not getattr(problem, "errors", None):
        flash(str(problem), "error")
    return getattr(problem, "errors", {})


def _settings_page(list_id: int, status_code: int = 200, errors=None, typed=None):
    price_list = service.find_price_list(list_id) or abort(404)
    groups, companies = service.audience_choices()
    if typed is None:
        typed = {"name": price_list.name, "currency": price_list.currency,
                 "valid_from": price_list.valid_from or "",
                 "valid_until": price_list.valid_until or ""}
    return render("catalog_admin/price_list_edit.html", status_code=status_code,
                  price_list=price_list, errors=errors or {}, typed=typed, groups=groups,
                  companies=companies, audience=service.audience_of(price_list))


@bp.route("/price-lists/<int:list_id>/edit", methods=["GET", "POST"])
@allow(ADMIN)
def price_list_edit(list_id: int):
    price_list = service.find_price_list(list_id) or abort(404)
    if request.method != "POST":
        return _settings_page(list_id)
    return run(lambda: service.update_price_list(price_list, current_user, request.form,
                                                 local_today()),
               refused=lambda problem: _settings_page(list_id, errors=_errors(problem),
                                                      typed=request.form),
               done=lambda _changed: moved_on(_("Price list %(code)s saved.",
                                                code=price_list.code),
                                              url_for(".price_list", list_id=list_id)))


@bp.get("/promotions")
@allow(ADMIN)
def promotions():
    return render("catalog_admin/promotions.html", promotions=service.promotions(local_today()),
                  today=local_today())


def _new_promotion_page(status_code: int = 200, errors=None, typed=None):
    groups, _companies = service.audience_choices()
    today = local_today().isoformat()
    return render("catalog_admin/promotion_new.html", status_code=status_code,
                  errors=errors or {}, groups=groups,
                  typed=typed or {"kind": "percent", "starts_on": today,
                                  "sku": request.args.get("sku", "")[:40]})


@bp.route("/promotions/new", methods=["GET", "POST"])
@allow(ADMIN)
def promotion_new():
    if request.method != "POST":
        return _new_promotion_page()
    return run(lambda: service.create_promotion(current_user, request.form, local_today()),
               refused=lambda problem: _new_promotion_page(errors=_errors(problem),
                                                           typed=request.form),
               done=lambda promotion: moved_on(_("Promotion on %(sku)s saved.",
                                                 sku=promotion.product.sku),
                                               url_for(".promotions")))


@bp.route("/promotions/<int:promotion_id>/end", methods=["GET", "POST"])
@allow(ADMIN)
def promotion_end(promotion_id: int):
    """A confirmation page that works without JavaScript, then the change."""
    promotion = service.find_promotion(promotion_id) or abort(404)
    if request.method != "POST":
        return render("catalog_admin/promotion_end.html", promotion=promotion)
    return run(lambda: service.end_promotion(promotion, current_user, local_today()),
               refused=lambda problem: render("catalog_admin/promotion_end.html",
                                              promotion=promotion, status_code=422),
               done=lambda _r: moved_on(_("Promotion ended."), url_for(".promotions")))
