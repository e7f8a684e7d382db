"""Invoices: read by the seller's systems (all companies) and a customer's system (its own
company only, another's answers 404); payments recorded by the seller's bank reconciliation
(`payments:write`); invoices the ERP issued, registered on their order when
INVOICES_ISSUED_BY is "erp" (`fulfilment:write`: the same system that ships, which in the
portal's mode is what issues an invoice)."""

from flask import g, jsonify

from portal.blueprints.api import bp
from portal.blueprints.api.invoice_schemas import (
    ErpInvoiceIn,
    InvoiceListQuery,
    InvoiceOut,
    InvoicePage,
    PaymentIn,
)
from portal.blueprints.api.operations import now, operation
from portal.blueprints.api.problems import ApiProblem
from portal.blueprints.api.schemas import IdempotencyHeader
from portal.services import integration

REFUSALS = ("HTTP_400", "HTTP_404", "HTTP_409", "HTTP_415")


def _invoice_or_404(number: str):
    invoice = integration.invoice_for(g.api_client.company_id, number)
    if invoice is None:
        raise ApiProblem(404, code="not_found")
    return invoice


@bp.get("/invoices")
@operation("orders:read", query=InvoiceListQuery, resp={"HTTP_200": InvoicePage},
           tags=["invoices"], status_codes=("HTTP_400",))
def list_invoices(query: InvoiceListQuery):
    """Invoices and credit notes issued, paid or credited since a cursor or an instant."""
    data, after, more = integration.invoices_page(
        g.api_client.company_id, cursor=query.cursor, updated_since=query.updated_since,
        limit=query.limit)
    return jsonify(data=data, next_cursor=after, has_more=more)


@bp.get("/invoices/<string:number>")
@operation("orders:read", resp={"HTTP_200": InvoiceOut}, tags=["invoices"],
           status_codes=("HTTP_404",))
def get_invoice(number: str):
    """One invoice or credit note: lines, VAT per rate, status, what is left, payments."""
    return jsonify(integration.describe_invoice(_invoice_or_404(number)))


@bp.post("/invoices/<string:number>/payments")
@operation("payments:write", headers=IdempotencyHeader, json=PaymentIn,
           resp={"HTTP_201": InvoiceOut}, tags=["invoices"], status_codes=REFUSALS)
def record_payment(number: str, json: PaymentIn):
    """Record money received: at most what is left to pay (more is 422, nothing written)."""
    invoice = _invoice_or_404(number)
    integration.record_invoice_payment(invoice, g.api_client, json.amount_cents,
                                       json.received_on, json.reference, now())
    return jsonify(integration.describe_invoice(invoice)), 201


@bp.post("/orders/<int:order_id>/invoices")
@operation("fulfilment:write", headers=IdempotencyHeader, json=ErpInvoiceIn,
           resp={"HTTP_201": InvoiceOut}, tags=["invoices"], status_codes=REFUSALS)
def register_invoice(order_id: int, json: ErpInvoiceIn):
    """Register the invoice the ERP issued for this order (INVOICES_ISSUED_BY = "erp")."""
    order = integration.order_for(g.api_client.company_id, order_id)
    if order is None:
        raise ApiProblem(404, code="not_found")
    invoice = integration.register_invoice(order, g.api_client, json, now())
    return jsonify(integration.describe_invoice(invoice)), 201
