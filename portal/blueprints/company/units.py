"""Company administration: the units tree (divisions, branches, jobsites) and jobsite details."""

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow, scoped_or_404
from portal.blueprints.company import bp
from portal.blueprints.company.common import (
    amount_input,
    confirm_then_do,
    save_or_render,
    unit_choices,
)
from portal.blueprints.company.forms import UnitForm, int_or_none
from portal.models import Role, Unit, UnitKind
from portal.rendering import render
from portal.services import accounts, delivery
from portal.services.accounts import UnitData

TEXT_FIELDS = ("line1", "line2", "postal_code", "city", "site_contact_name",
               "site_contact_phone", "delivery_window", "delivery_notes", "project_code")


def kind_labels() -> dict[str, str]:
    return {UnitKind.DIVISION: _("Division"), UnitKind.BRANCH: _("Branch"),
            UnitKind.JOBSITE: _("Jobsite")}


def _unit_form(unit: Unit | None = None) -> UnitForm:
    form = UnitForm()
    form.kind.choices = list(kind_labels().items())
    form.parent.choices = unit_choices(current_user.company_id, _("Nothing (top level)"),
                                       kinds=(UnitKind.DIVISION, UnitKind.BRANCH))
    if unit is not None and request.method != "POST":
        form.kind.data, form.name.data = unit.kind.value, unit.name
        form.parent.data = str(unit.parent_id or "")
        form.budget.data = amount_input(unit.budget_cents)
        address = unit.address
        for name in TEXT_FIELDS:
            source = address if name in ("line1", "line2", "postal_code", "city") else unit
            getattr(form, name).data = getattr(source, name, "") if source else ""
    return form


def _unit_data(form: UnitForm) -> UnitData:
    return UnitData(kind=form.kind.data or "", name=form.name.data or "",
                    parent_id=int_or_none(form.parent.data), budget_cents=form.budget.cents,
                    **{name: getattr(form, name).data or "" for name in TEXT_FIELDS})


@bp.get("/units")
@allow(Role.COMPANY_ADMIN)
def units():
    return render("company/units.html", tree=accounts.unit_tree(current_user.company_id),
                  kinds=kind_labels())


@bp.route("/units/new", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def new_unit():
    form = _unit_form()
    return save_or_render(form, "company/unit_form.html",
                          lambda: accounts.save_unit(current_user, _unit_data(form)),
                          _("Unit created."), url_for("company.units"), unit=None)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def edit_unit(unit_id: int):
    unit = scoped_or_404(Unit, unit_id)
    form = _unit_form(unit)
    # The zone is the seller's to choose (it changes the dates they promise): shown only.
    return save_or_render(form, "company/unit_form.html",
                          lambda: accounts.save_unit(current_user, _unit_data(form), unit),
                          _("Unit saved."), url_for("company.units"), unit=unit,
                          zone_name=delivery.zone_name(unit.zone_id))


@bp.route("/units/<int:unit_id>/archive", methods=["GET", "POST"])
@allow(Role.COMPANY_ADMIN)
def archive_unit(unit_id: int):
    unit = scoped_or_404(Unit, unit_id)
    return _archive(unit, True, _("%(name)s is archived.", name=unit.name))


@bp.post("/units/<int:unit_id>/restore")
@allow(Role.COMPANY_ADMIN)
def restore_unit(unit_id: int):
    unit = scoped_or_404(Unit, unit_id)
    return _archive(unit, False, _("%(name)s is restored.", name=unit.name))


def _archive(unit: Unit, archived: bool, success: str):
    return confirm_then_do(
        "company/unit_archive.html",
        lambda: accounts.set_unit_archived(current_user, unit, archived),
        success, url_for("company.units"), unit=unit)
