"""Employee store, the company admin's side: what each crew member spent of their yearly
allowance this year, and their orders; who shops on each employee store the seller opened
for the company (invite a new crew member, move a buyer there, take them off) and the
crew's categories there. A store not opened for the company, or another company's person,
is a 404."""

from datetime import UTC, datetime

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow, scoped_or_404
from portal.blueprints.company import bp
from portal.blueprints.company.common import confirm_then_do, save_or_render, unit_choices
from portal.blueprints.company.forms import (
    CrewInviteForm,
    CrewMoveForm,
    allowance_in,
    int_or_none,
)
from portal.models import Role, User
from portal.rendering import render
from portal.services import accounts, selling, storefronts
from portal.usecases import moved_on, run


@bp.get("/crew")
@allow(Role.COMPANY_ADMIN)
def crew_index():
    company_id = current_user.company_id
    return render("company/crew.html", members=accounts.crew_spending(
        company_id, datetime.now(UTC)), stores=storefronts.stores_of(company_id),
        counts=storefronts.crew_counts(company_id), currency_of=_currency_of)


def _currency_of(person: User) -> str:
    """The currency a person's allowance is spent in: their store's."""
    return selling.market_of(person).currency


@bp.get("/crew/<int:user_id>")
@allow(Role.COMPANY_ADMIN)
def crew_member(user_id: int):
    person = scoped_or_404(User, user_id)
    return render("company/crew_member.html",
                  member=accounts.member_spending(person, datetime.now(UTC)),
                  currency=_currency_of(person))


def _store_or_404(storefront_id: int):
    return storefronts.store_of(current_user.company_id, storefront_id) or abort(404)


@bp.get("/crew/stores/<int:storefront_id>")
@allow(Role.COMPANY_ADMIN)
def crew_store(storefront_id: int):
    store = _store_or_404(storefront_id)
    chosen = storefronts.assortment_of(current_user.company_id, store.id)
    return render("company/crew_store.html", store=store,
                  people=storefronts.crew_of(current_user.company_id, store.id),
                  categories=[c for c in storefronts.assortment_choices() if c.id in chosen],
                  movable=bool(storefronts.movable(current_user.company_id)))


def _to_store(store) -> str:
    return url_for("company.crew_store", storefront_id=store.id)


@bp.route("/crew/stores/<int:storefront_id>/invite", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def crew_invite(storefront_id: int):
    store = _store_or_404(storefront_id)
    form = CrewInviteForm()
    allowance_in(form.yearly_allowance, store.currency)
    form.unit.choices = unit_choices(current_user.company_id, _("No unit (whole company)"))
    return save_or_render(
        form, "company/crew_invite.html",
        lambda: storefronts.invite_member(
            current_user, store, form.name.data or "", form.email.data or "",
            int_or_none(form.unit.data), form.yearly_allowance.cents),
        _("Invitation sent to %(email)s: they sign in on %(store)s.",
          email=(form.email.data or "").strip().lower(), store=store.name),
        _to_store(store), store=store)


@bp.route("/crew/stores/<int:storefront_id>/move", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def crew_move(storefront_id: int):
    store = _store_or_404(storefront_id)
    form = CrewMoveForm()
    allowance_in(form.yearly_allowance, store.currency)
    form.person.choices = [("", _("Choose a buyer"))] + [
        (str(p.id), f"{p.name} ({p.email})")
        for p in storefronts.movable(current_user.company_id)]
    return save_or_render(
        form, "company/crew_move.html",
        lambda: storefronts.move_member(current_user, store, form.person.data or "",
                                        form.yearly_allowance.cents),
        _("Done: they now sign in on %(store)s.", store=store.name), _to_store(store),
        store=store)


@bp.route("/crew/stores/<int:storefront_id>/people/<int:user_id>/remove",
          methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def crew_remove(storefront_id: int, user_id: int):
    store = _store_or_404(storefront_id)
    person = scoped_or_404(User, user_id)
    if person.storefront_id != store.id:
        abort(404)
    return confirm_then_do(
        "company/crew_remove.html",
        lambda: storefronts.remove_member(current_user, store, person),
        _("%(name)s is off %(store)s and signs in on this portal again.", name=person.name,
          store=store.name), _to_store(store), store=store, person=person)


@bp.route("/crew/stores/<int:storefront_id>/categories", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def crew_categories(storefront_id: int):
    store = _store_or_404(storefront_id)
    choices = storefronts.assortment_choices()

    def page(error: str, chosen):
        return render("company/crew_categories.html", store=store, choices=choices,
                      chosen=chosen, error=error)

    if request.method != "POST":
        return page("", storefronts.assortment_of(current_user.company_id, store.id))
    raw = request.form.getlist("category")[:500]
    return run(lambda: storefronts.set_assortment(current_user, store, raw),
               refused=lambda problem: page(str(problem), set()),
               done=lambda chosen: moved_on(
                   _("The crew's categories on %(store)s are saved.", store=store.name)
                   if chosen else _("The crew on %(store)s sees what the office sees.",
                                    store=store.name), _to_store(store)))
