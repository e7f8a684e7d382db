"""Staff admins manage the storefronts: the list (with what each holds), create, edit."""

from flask import abort, request, url_for
from flask_babel import gettext as _

from portal.access import allow
from portal.blueprints.storefronts import bp
from portal.models import Role, StorefrontKind
from portal.rendering import render
from portal.services import storefronts
from portal.usecases import moved_on, run

ADMIN = (Role.STAFF_ADMIN,)
FIELDS = ("code", "kind", "name", "hosts", "language", "country", "currency", "brand_colour",
          "price_list_id", "prices_with_vat", "active", "legal_mentions", "path_prefix")


@bp.app_template_global("storefront_kind_label")
def kind_label(kind) -> str:
    return {StorefrontKind.TRADE: _("Trade portal"), StorefrontKind.CONSUMER: _("Consumers"),
            StorefrontKind.EMPLOYEE: _("Employee store"),
            StorefrontKind.PUBLIC: _("Public sector")}[StorefrontKind(kind)]


@bp.get("/staff/storefronts")
@allow(ADMIN)
def index():
    return render("storefronts/index.html", rows=storefronts.rows())


def _form_page(front, typed=None, error=None, status_code=200):
    return render("storefronts/edit.html", status_code=status_code, front=front,
                  typed=typed, error=error,
                  price_lists=storefronts.price_list_choices(),
                  kinds=[(k.value, kind_label(k)) for k in StorefrontKind],
                  currencies=[(c, c) for c in storefronts.CURRENCIES])


def _typed() -> dict[str, str]:
    return {name: request.form.get(name, "")[:2000] for name in FIELDS}


def _saved(front):
    storefronts.forget()
    return moved_on(_("Storefront %(name)s saved.", name=front.name),
                    url_for(".index"))


@bp.route("/staff/storefronts/new", methods=["GET", "POST"])
@allow(ADMIN)
def new():
    if request.method != "POST":
        return _form_page(None)
    typed = _typed()
    return run(lambda: storefronts.save(None, typed),
               refused=lambda problem: _form_page(None, typed, problem, 422),
               done=_saved)


@bp.route("/staff/storefronts/<int:storefront_id>", methods=["GET", "POST"])
@allow(ADMIN)
def edit(storefront_id: int):
    front = storefronts.find(storefront_id) or abort(404)
    if request.method != "POST":
        return _form_page(front)
    typed = _typed()
    return run(lambda: storefronts.save(storefront_id, typed, request.host),
               refused=lambda problem: _form_page(storefronts.find(storefront_id), typed, problem,
                                                  422),
               done=_saved)
