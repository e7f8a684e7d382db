"""Customers: list and search, one customer's page, and (staff admins only) their terms."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms import CustomerForm, term_choices
from portal.models import Role
from portal.rendering import render
from portal.services import DomainError, backoffice, delivery, storefronts
from portal.usecases import form_page, moved_on, run

MANAGERS = (Role.STAFF_ADMIN, Role.SALES_REP)


def customer_or_404(company_id: int):
    company = backoffice.find_customer(current_user, company_id)
    if company is None:
        abort(404)
    return company


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1


@bp.get("/customers")
@allow(*MANAGERS)
def customers():
    result = backoffice.search_customers(current_user, request.args.get("q", ""), _page_number())
    return render("staff/customers.html", block="customer_results", result=result)


def _order_links(orders) -> dict:
    """Links to the fulfilment order page."""
    return {order.id: url_for("fulfilment.order_detail", order_id=order.id) for order in orders}


@bp.get("/customers/<int:company_id>")
@allow(*MANAGERS)
def customer(company_id: int):
    return _customer_page(customer_or_404(company_id))


def _customer_page(company, zone_error: tuple | None = None, store_error: str = ""):
    """`zone_error`: (jobsite id, message) of a refused zone; `store_error`: a refused
    employee store."""
    overview = backoffice.customer_overview(company)
    return render("staff/customer.html", company=company, overview=overview,
                  order_links=_order_links(overview.recent_orders),
                  may_edit=backoffice.may_edit(current_user),
                  categories=backoffice.top_level_categories(),
                  allowed=backoffice.allowed_category_ids(company),
                  contract_list=backoffice.contract_list(company),
                  jobsites=delivery.jobsites_of(company.id), zones=delivery.zone_choices(),
                  zone_error=zone_error, crew_stores=storefronts.stores_of(company.id),
                  openable=storefronts.openable(company.id), store_error=store_error)


@bp.post("/customers/<int:company_id>/crew-stores")
@allow(Role.STAFF_ADMIN)
def open_crew_store(company_id: int):
    """The seller opens an employee store for this customer: its company admin may then put
    people there (README "Employee store")."""
    company = customer_or_404(company_id)
    return run(lambda: storefronts.open_store(current_user, company,
                                              request.form.get("storefront", "")),
               refused=lambda problem: _customer_page(customer_or_404(company_id),
                                                      store_error=str(problem)),
               done=lambda store: moved_on(
                   _("%(store)s is open for %(company)s: their company admin can put people "
                     "there.", store=store.name, company=company.name),
                   url_for("staff.customer", company_id=company_id) + "#crew-stores-title"))


@bp.post("/customers/<int:company_id>/jobsites/<int:unit_id>/zone")
@allow(Role.STAFF_ADMIN)
def jobsite_zone(company_id: int, unit_id: int):
    """The seller puts a customer's jobsite in a delivery zone (the dates it promises)."""
    company = customer_or_404(company_id)
    site = delivery.jobsite_of(company.id, unit_id) or abort(404)
    return run(lambda: delivery.set_jobsite_zone(site, current_user,
                                                 request.form.get("zone", "")[:12]),
               refused=lambda problem: _customer_page(customer_or_404(company_id),
                                                      zone_error=(unit_id, str(problem))),
               done=lambda saved: moved_on(
                   _("Delivery zone of %(name)s saved.", name=saved.name),
                   url_for("staff.customer", company_id=company_id) + "#jobsites-title"))


def _edit_form(company, choices) -> CustomerForm:
    form = CustomerForm().use_choices(choices)
    if company.status not in backoffice.EDITABLE_STATUSES:
        del form.status  # pending/rejected accounts change status through the applications
    if not form.is_submitted():
        form.fill_company(company)
    return form


def _chosen_categories() -> frozenset[int] | None:
    raw = request.form.getlist("category")
    if not all(r.isascii() and r.isdigit() and len(r) < 10 for r in raw):
        return None
    return frozenset(int(r) for r in raw)


@bp.route("/customers/<int:company_id>/edit", methods=["GET", "POST"])
@allow(Role.STAFF_ADMIN)
def edit_customer(company_id: int):
    company = customer_or_404(company_id)
    form = _edit_form(company, term_choices())

    def save():
        chosen = _chosen_categories()
        if chosen is None:
            raise DomainError(_("Choose categories from the list."))
        backoffice.update_customer(company, current_user, backoffice.CustomerChanges(
            **form.values(), po_required=bool(form.po_required.data),
            po_rule=form.po_rule.data or None,
            status=form.status_value(company) if "status" in form else None,
            category_ids=chosen, **form.tax_identity()))

    def page(error: str):
        if error:
            flash(error, "error")
        # What the checkboxes show: what was sent back, else what the company has now.
        allowed = (_chosen_categories() or set()) if form.is_submitted() \
            else backoffice.allowed_category_ids(company)
        return render("staff/edit_customer.html", company=company, form=form, allowed=allowed,
                      categories=backoffice.top_level_categories())

    return form_page(form, save, page, done=lambda _result: moved_on(
        _("The changes to %(company)s are saved.", company=company.name),
        url_for("staff.customer", company_id=company.id)))
