"""Billing: who pays, invoices and credit notes, Factur-X, payments, statements, reminders.

- `contacts`: each company's billing contact and address (`set_billing`, `profile_of`,
  `recipients`: who receives invoices and reminders).
- `numbering`: the unbroken yearly sequences FA-YYYY-NNNNNN and AV-YYYY-NNNNNN (a counter row
  locked FOR UPDATE).
- `issuing`: `invoice_shipment` (called by fulfilment for every shipment), `credit_note`.
- `cii` and `document`: the CII XML (EN 16931) and the Factur-X PDF/A-3 (`invoice_xml`,
  `invoice_pdf`).
- `payments`: `record_payment` (staff) and `record_client_payment` (an API client); never
  more than what is left.
- `erp_invoices`: `register_erp_invoice`, the ERP's own invoice when INVOICES_ISSUED_BY is
  "erp" (checked against the order and `totals_by_rate`, then written like the portal's).
- `statements`: statuses, balance, overdue amount (`statement`), `owed_cents` for the credit
  exposure, and who may read what (`invoice_for`, `may_read_statement`).
- `reminders`: `send_overdue_reminders`, an hourly duty of `portal worker`.
- `statement_pdf`: the statement as a PDF.
"""

from portal.services.billing.contacts import (
    BillingChanges,
    contact_choices,
    is_billing_contact,
    profile_of,
    recipients,
    service_code_of,
    set_billing,
)
from portal.services.billing.document import invoice_pdf, invoice_xml
from portal.services.billing.erp_invoices import (
    ErpInvoice,
    ErpLine,
    invoiced_quantities,
    register_erp_invoice,
)
from portal.services.billing.issuing import (
    credit_note,
    credited_quantities,
    due_date,
    invoice_shipment,
    issued_by_portal,
)
from portal.services.billing.numbering import ERP_SERIES, format_number, take_number
from portal.services.billing.payments import (
    may_record_payments,
    record_client_payment,
    record_payment,
)
from portal.services.billing.reminders import send_overdue_reminders, step_reached
from portal.services.billing.staff import invoice_for_staff, invoices_for_staff
from portal.services.billing.statement_pdf import statement_pdf
from portal.services.billing.statements import (
    InvoiceRow,
    InvoiceStatus,
    Statement,
    invoice_for,
    invoices_of_order,
    may_read_statement,
    owed_cents,
    rows_for,
    statement,
    status_of,
)

__all__ = [
    "BillingChanges", "InvoiceRow", "InvoiceStatus", "Statement", "contact_choices",
    "credit_note", "credited_quantities", "due_date", "format_number", "invoice_for",
    "invoice_for_staff", "invoice_pdf", "invoice_shipment", "invoice_xml", "invoices_for_staff",
    "invoices_of_order", "is_billing_contact", "issued_by_portal", "may_read_statement",
    "may_record_payments", "owed_cents", "profile_of", "recipients", "record_payment",
    "rows_for", "send_overdue_reminders", "service_code_of", "set_billing", "statement",
    "status_of", "statement_pdf", "step_reached", "take_number",
    "ERP_SERIES", "ErpInvoice", "ErpLine", "invoiced_quantities", "record_client_payment",
    "register_erp_invoice",
]
