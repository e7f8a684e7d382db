"""The shapes of invoices in the API: read (with lines, per-rate VAT, status, what is left and
payments), a payment recorded, and an invoice the ERP issued. Money is integer cents."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, model_validator

from portal.blueprints.api.schemas import Strict

NUMBER = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$"


class InvoiceListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cursor: str | None = Field(default=None, max_length=200,
                               description="`next_cursor` of the previous page.")
    updated_since: datetime | None = Field(
        default=None, description="Only invoices issued, paid or credited at or after this "
                                  "instant (ISO 8601).")
    limit: int = Field(default=100, ge=1, le=500)


class VatOut(BaseModel):
    rate_bp: int
    base_cents: int
    tax_cents: int


class InvoiceLineOut(BaseModel):
    position: int
    order_line_id: int | None = None
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    line_total_cents: int
    tax_rate_bp: int


class PaymentOut(BaseModel):
    amount_cents: int
    received_on: date
    reference: str


class InvoiceOut(BaseModel):
    number: str
    kind: str = Field(description="invoice or credit_note")
    issued_by: str = Field(description="portal, or erp (registered by the ERP)")
    order_id: int
    order_number: str
    company_id: int
    po_number: str
    credits: str | None = Field(default=None, description="A credit note: the invoice it "
                                                          "corrects.")
    reason: str
    issued_on: date
    due_on: date | None = None
    currency: str
    tax_scheme: str
    status: str = Field(description="open, partly_paid, paid, overdue, credit_note")
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    paid_cents: int
    credited_cents: int
    outstanding_cents: int = Field(description="What is left to pay.")
    vat: list[VatOut]
    lines: list[InvoiceLineOut]
    payments: list[PaymentOut]
    changed_at: datetime | None = None


class InvoicePage(BaseModel):
    data: list[InvoiceOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; keep the "
                                                "last one to poll for changes later.")
    has_more: bool


class PaymentIn(Strict):
    amount_cents: int = Field(gt=0, le=2_000_000_000,
                              description="At most what is left to pay on the invoice.")
    received_on: date = Field(strict=False, description="YYYY-MM-DD, not in the future.")
    reference: str = Field(default="", max_length=80, description="The bank's reference.")


class ErpLineIn(Strict):
    line_id: int | None = Field(default=None, gt=0, le=2_147_483_647,
                                description="The order line's id.")
    sku: str | None = Field(default=None, min_length=1, max_length=40,
                            description="Else the order line by its SKU.")
    quantity: int = Field(gt=0, le=1_000_000)
    unit_price_cents: int = Field(ge=0, le=100_000_000, description="Excluding VAT.")
    tax_rate_bp: int = Field(ge=0, le=10_000, description="550 = 5.5 %.")

    @model_validator(mode="after")
    def _names_a_line(self):
        if self.line_id is None and self.sku is None:
            raise ValueError(_("Give line_id or sku."))
        return self


class ErpVatIn(Strict):
    rate_bp: int = Field(ge=0, le=10_000)
    base_cents: int = Field(ge=0, le=2_000_000_000)
    tax_cents: int = Field(ge=0, le=2_000_000_000)


class ErpInvoiceIn(Strict):
    number: str = Field(pattern=NUMBER, description="The ERP's own invoice number.")
    issued_on: date = Field(strict=False, description="YYYY-MM-DD, not in the future.")
    due_on: date = Field(strict=False, description="YYYY-MM-DD, not before issued_on.")
    lines: list[ErpLineIn] = Field(min_length=1, max_length=500)
    vat: list[ErpVatIn] = Field(min_length=1, max_length=10,
                                description="One entry per rate, as printed: checked against "
                                            "the lines by the portal's rounding (per rate, "
                                            "half up).")
    total_cents: int = Field(ge=0, le=2_000_000_000, description="Including VAT.")
