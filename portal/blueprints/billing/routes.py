"""The customer's side: the statement (balance, overdue, every invoice with its status), one
invoice, its Factur-X PDF and its XML. Readers: company admins, approvers, the billing contact;
a buyer opens the invoices of their own orders. Another company's invoice is a 404 on every
path, like a missing one."""

from datetime import UTC, datetime

from flask import abort, make_response, url_for
from flask_login import current_user

from portal.access import CUSTOMERS, allow
from portal.blueprints.billing import bp
from portal.home_cards import home_card
from portal.models import Role
from portal.rendering import render
from portal.services import billing

DOWNLOADERS = (*CUSTOMERS, Role.STAFF_ADMIN, Role.SALES_REP)


def _today():
    return datetime.now(UTC).date()


@home_card(3, CUSTOMERS, "billing/_home_card.html")
def billing_card(user):
    if not billing.may_read_statement(user):
        return None
    found = billing.statement(user.company, _today())
    if not found.rows:
        return None
    return {"statement": found, "url": url_for("billing.statement")}


@bp.get("/billing/")
@allow(*CUSTOMERS)
def statement():
    # Only for the company's admins, approvers and billing contact: to anyone else of the
    # company there is no statement here (the role alone does not say it: the contact may be
    # a buyer or a viewer from accounting).
    if not billing.may_read_statement(current_user):
        abort(404)
    company = current_user.company
    return render("billing/statement.html", statement=billing.statement(company, _today()),
                  profile=billing.profile_of(company.id), company=company)


@bp.get("/billing/statement.pdf")
@allow(*CUSTOMERS)
def statement_pdf():
    if not billing.may_read_statement(current_user):
        abort(404)
    company = current_user.company
    today = _today()
    body = billing.statement_pdf(company, billing.statement(company, today), today)
    return _download(body, "application/pdf", f"releve-{today.isoformat()}.pdf")


def _readable(invoice_id: int):
    if current_user.is_staff:
        invoice = billing.invoice_for_staff(current_user, invoice_id)
    else:
        invoice = billing.invoice_for(current_user, invoice_id)
    if invoice is None:
        abort(404)
    return invoice


@bp.get("/billing/invoices/<int:invoice_id>")
@allow(*CUSTOMERS)
def invoice(invoice_id: int):
    found = _readable(invoice_id)
    [row] = billing.rows_for([found], _today())
    return render("billing/invoice.html", invoice=found, row=row)


def _download(body: bytes, mimetype: str, filename: str):
    response = make_response(body)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/billing/invoices/<int:invoice_id>/factur-x.pdf")
@allow(*DOWNLOADERS)
def invoice_pdf(invoice_id: int):
    found = _readable(invoice_id)
    return _download(billing.invoice_pdf(found), "application/pdf", f"{found.number}.pdf")


@bp.get("/billing/invoices/<int:invoice_id>/factur-x.xml")
@allow(*DOWNLOADERS)
def invoice_xml(invoice_id: int):
    found = _readable(invoice_id)
    return _download(billing.invoice_xml(found), "application/xml", f"{found.number}.xml")
