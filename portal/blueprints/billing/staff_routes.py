"""The seller's side: a customer's billing contact and address (from the terms page), the
invoice list, one invoice with its payments, a payment received, a credit note."""

from datetime import UTC, datetime

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.billing import bp
from portal.blueprints.billing.forms import BillingForm, PaymentForm
from portal.models import Role
from portal.rendering import render
from portal.services import backoffice, billing
from portal.usecases import form_page, moved_on, run

MANAGERS = (Role.STAFF_ADMIN, Role.SALES_REP)


def _now():
    return datetime.now(UTC)


def _customer_or_404(company_id: int):
    company = backoffice.find_customer(current_user, company_id)
    if company is None:
        abort(404)
    return company


def _billing_form(company) -> BillingForm:
    form = BillingForm()
    form.contact.choices = [("", _("None: the company admins"))] + [
        (str(u.id), f"{u.name} ({u.email})") for u in billing.contact_choices(company.id)]
    profile = billing.profile_of(company.id)
    if not form.is_submitted():
        form.country.data = company.country
        if profile is not None:
            form.contact.data = str(profile.contact_id or "")
            form.public_sector.data = profile.public_sector
            for name in ("name", "line1", "line2", "postal_code", "city", "country",
                         "service_code"):
                getattr(form, name).data = getattr(profile, name)
    return form


@bp.route("/staff/customers/<int:company_id>/billing", methods=["GET", "POST"])
@allow(Role.STAFF_ADMIN)
def edit_billing(company_id: int):
    company = _customer_or_404(company_id)
    form = _billing_form(company)

    def save():
        return billing.set_billing(current_user, company, billing.BillingChanges(
            contact_id=form.contact_id(), name=form.name.data or "", line1=form.line1.data or "",
            line2=form.line2.data or "", postal_code=form.postal_code.data or "",
            city=form.city.data or "", country=form.country.data or "",
            public_sector=bool(form.public_sector.data),
            service_code=form.service_code.data or ""))

    return form_page(form, save, lambda error: render(
        "billing/edit_billing.html", company=company, form=form, error=error),
        done=lambda _result: moved_on(_("The billing contact and address of %(company)s are "
                                        "saved.", company=company.name),
                                      url_for("staff.customer", company_id=company.id)))


@bp.get("/staff/invoices")
@allow(*MANAGERS)
def staff_invoices():
    raw = request.args.get("company", "")
    company = _customer_or_404(int(raw)) if raw.isascii() and raw.isdigit() \
        and len(raw) < 10 else None
    invoices = billing.invoices_for_staff(current_user, company.id if company else None)
    return render("billing/staff_invoices.html", company=company,
                  rows=billing.rows_for(invoices, _now().date()))


def _staff_invoice_or_404(invoice_id: int):
    found = billing.invoice_for_staff(current_user, invoice_id)
    if found is None:
        abort(404)
    return found


def _staff_page(found, payment_form, error="", credit_error="", status=200):
    [row] = billing.rows_for([found], _now().date())
    return render("billing/staff_invoice.html", invoice=found, row=row, form=payment_form,
                  error=error, credit_error=credit_error,
                  credited=billing.credited_quantities(found.id),
                  may_record=billing.may_record_payments(current_user), status_code=status)


@bp.get("/staff/invoices/<int:invoice_id>")
@allow(*MANAGERS)
def staff_invoice(invoice_id: int):
    return _staff_page(_staff_invoice_or_404(invoice_id), PaymentForm())


@bp.post("/staff/invoices/<int:invoice_id>/payments")
@allow(Role.STAFF_ADMIN)
def record_payment(invoice_id: int):
    found = _staff_invoice_or_404(invoice_id)
    form = PaymentForm()
    return form_page(form, lambda: billing.record_payment(
        current_user, found.id, getattr(form.amount, "cents", None), form.received_on.data,
        form.reference.data or "", _now()),
        lambda error: _staff_page(found, form, error=error),
        done=lambda _payment: moved_on(_("Payment recorded on %(number)s.", number=found.number),
                                       url_for("billing.staff_invoice", invoice_id=found.id)))


@bp.post("/staff/invoices/<int:invoice_id>/credit-note")
@allow(Role.STAFF_ADMIN)
def credit_note(invoice_id: int):
    found = _staff_invoice_or_404(invoice_id)
    quantities = {line.position: request.form.get(f"qty-{line.position}", "")
                  for line in found.lines}
    return run(lambda: billing.credit_note(current_user, found.id, quantities,
                                           request.form.get("reason", ""), _now()),
               lambda problem: _staff_page(found, PaymentForm(), credit_error=str(problem)),
               lambda note: moved_on(_("Credit note %(number)s issued.", number=note.number),
                                     url_for("billing.staff_invoice", invoice_id=note.id)))
