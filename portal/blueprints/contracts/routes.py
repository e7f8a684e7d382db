"""Staff admins create and edit a public-sector customer's framework contracts (reference,
title, dates, ceiling, lines by SKU and price); the customer page lists them with their spend.
Another customer's contract, or a customer a rep does not look after, is a 404."""

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.contracts import bp
from portal.models import Role
from portal.rendering import render
from portal.services import backoffice, contracts
from portal.usecases import moved_on, run

ADMIN = (Role.STAFF_ADMIN,)
FIELDS = {"reference": 200, "title": 400, "starts_on": 20, "ends_on": 20, "ceiling": 40,
          "lines": 40_000}


def _customer(company_id: int):
    company = backoffice.find_customer(current_user, company_id)
    if company is None or not contracts.takes_contracts(company):
        abort(404)
    return company


def _page(company, contract, form, problem=None, status_code=200):
    errors = getattr(problem, "errors", None) or (
        {problem.field or "": str(problem)} if problem else {})
    return render("contracts/edit.html", status_code=status_code, company=company,
                  contract=contract, form=form, errors=errors)


def _typed() -> contracts.ContractForm:
    return contracts.ContractForm(**{k: request.form.get(k, "")[:n] for k, n in FIELDS.items()})


def _saved(company):
    return lambda contract: moved_on(
        _("Contract %(reference)s saved.", reference=contract.reference),
        url_for("staff.customer", company_id=company.id) + "#contracts-title")


@bp.route("/staff/customers/<int:company_id>/contracts/new", methods=["GET", "POST"])
@allow(ADMIN)
def new(company_id: int):
    company = _customer(company_id)
    if request.method != "POST":
        return _page(company, None, contracts.ContractForm())
    form = _typed()
    return run(lambda: contracts.save_contract(current_user, company, form),
               refused=lambda problem: _page(company, None, form, problem, 422),
               done=_saved(company))


@bp.route("/staff/customers/<int:company_id>/contracts/<int:contract_id>",
          methods=["GET", "POST"])
@allow(ADMIN)
def edit(company_id: int, contract_id: int):
    company = _customer(company_id)
    contract = contracts.find_contract(company, contract_id) or abort(404)
    if request.method != "POST":
        return _page(company, contract, contracts.form_of(contract))
    form = _typed()
    return run(lambda: contracts.save_contract(current_user, company, form, contract),
               refused=lambda problem: _page(
                   company, contracts.find_contract(company, contract_id), form, problem, 422),
               done=_saved(company))
