"""The API's request and response shapes (pydantic v2): spectree validates with them and turns
them into the OpenAPI 3.1 document. Inputs forbid unknown fields; money is integer cents."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    # strict: "12" is not 12 and 1.0 is not 1 (an ERP sending floats for cents is told so).
    model_config = ConfigDict(extra="forbid", strict=True)


class FieldError(BaseModel):
    detail: str
    pointer: str | None = None
    parameter: str | None = None


class Problem(BaseModel):
    """RFC 9457 problem details (sent as application/problem+json)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str | None = None
    code: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class Me(BaseModel):
    name: str
    scopes: list[str]
    company_id: int | None = None


class OrderListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cursor: str | None = Field(default=None, max_length=200,
                               description="`next_cursor` of the previous page.")
    updated_since: datetime | None = Field(
        default=None, description="Only orders changed at or after this instant (ISO 8601).")
    status: str | None = Field(default=None, max_length=24)
    limit: int = Field(default=100, ge=1, le=500)


class Party(BaseModel):
    id: int
    name: str


class Person(BaseModel):
    name: str
    email: str


class Branch(Party):
    code: str
    city: str


class Delivery(BaseModel):
    jobsite: Party | None = None
    ship_to: str
    site_contact: str
    window: str
    notes: str
    requested_date: date | None = None
    collect_at: Branch | None = Field(default=None, description="Click-and-collect: the "
                                      "branch it is collected at (null: delivered).")
    pay_at_collection: bool = Field(default=False, description="Paid at the branch's counter.")


class OrderLineOut(BaseModel):
    id: int
    position: int
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    line_total_cents: int
    note: str
    shipped_qty: int
    backordered_qty: int
    backorder_date: date | None = None
    no_substitute: bool = Field(
        default=False, description="The buyer wants this product and no other: never "
                                   "substitute it.")


class ApprovalOut(BaseModel):
    step: int
    status: str
    reason: str
    decided_by: str | None = None
    decided_at: datetime | None = None
    comment: str


class ShipmentOut(BaseModel):
    id: int
    carrier: str
    tracking_number: str
    shipped_at: datetime
    lines: dict[str, int] = Field(description="Order line id → quantity shipped.")


class OrderSummary(BaseModel):
    id: int
    number: str
    erp_number: str | None = None
    status: str
    company: Party
    unit: Party | None = None
    po_number: str = Field(description="The buyer's PO number; on a public-sector order, the "
                           "legal commitment number (Chorus Pro BT-13).")
    service_code: str = Field("", description="A public-sector buyer's service code (Chorus "
                              "Pro BT-10); empty on other orders.")
    currency: str
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    placed_at: datetime
    updated_at: datetime


class OrderOut(OrderSummary):
    placed_by: Person
    notes: str
    delivery: Delivery
    lines: list[OrderLineOut]
    approvals: list[ApprovalOut]
    shipments: list[ShipmentOut]


class OrderPage(BaseModel):
    data: list[OrderOut]
    next_cursor: str | None = Field(
        description="Pass it as `cursor` for the next page (null only for an empty first page). "
                    "Keep the "
                    "last one to poll for changes later.")
    has_more: bool


class ErpNumberIn(Strict):
    erp_number: str = Field(min_length=1, max_length=40)


class ShipLine(Strict):
    line_id: int = Field(gt=0, le=2_147_483_647)
    quantity: int = Field(gt=0, le=1_000_000)


class ShipmentIn(Strict):
    lines: list[ShipLine] = Field(min_length=1, max_length=500)
    carrier: str = Field(default="", max_length=80)
    tracking_number: str = Field(default="", max_length=80)
    warehouse_id: int | None = Field(default=None, gt=0, le=2_147_483_647)


class BackorderIn(Strict):
    line_id: int = Field(gt=0, le=2_147_483_647)
    quantity: int = Field(ge=0, le=1_000_000, description="0 clears the backorder.")
    # JSON has no date type: an ISO string is the date (strict mode would refuse any string).
    expected_date: date | None = Field(
        default=None, strict=False, description="YYYY-MM-DD; required when quantity > 0.")


class CancelIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


class Empty(Strict):
    """No fields: the action needs none."""


class IdempotencyHeader(BaseModel):
    # Other headers pass; only this one is described and checked.
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    idempotency_key: str | None = Field(
        default=None, alias="Idempotency-Key", min_length=1, max_length=255,
        description="Any unique string per intended write (a UUID): a retry with the same key "
                    "and body gets the first answer again (Idempotent-Replayed: true); the same "
                    "key with another body is 409.")


class SubscriptionIn(Strict):
    url: str = Field(min_length=1, max_length=500,
                     description="https:// (http:// only on loopback or when allowed).")
    events: list[str] = Field(min_length=1, max_length=20)


class SubscriptionOut(BaseModel):
    id: int
    url: str
    events: list[str]
    created_at: datetime
    secret: str | None = Field(default=None, description="Only in the answer that created it.")


class SubscriptionList(BaseModel):
    data: list[SubscriptionOut]


class DeliveryOut(BaseModel):
    id: int
    message_id: str
    event: str
    state: str = Field(description="pending, sent or dead")
    attempts: int
    last_status: int | None = None
    last_error: str
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None = None


class DeliveryList(BaseModel):
    data: list[DeliveryOut]


MAX_ITEMS = 5000


class ProductItem(Strict):
    """A product by SKU: a known SKU is updated (an absent or null field keeps its value), a
    new one is created and needs both names and a category."""

    sku: str = Field(min_length=1, max_length=40)
    gtin: str | None = Field(default=None, max_length=14)
    name_fr: str | None = Field(default=None, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    description_fr: str | None = Field(default=None, max_length=5000)
    description_en: str | None = Field(default=None, max_length=5000)
    brand: str | None = Field(default=None, max_length=80)
    category_slug: str | None = Field(default=None, max_length=80)
    uom: str | None = Field(default=None, max_length=12)
    case_pack: int | None = Field(default=None, ge=1, le=100_000)
    order_multiple: int | None = Field(default=None, ge=1, le=100_000)
    lead_time_days: int | None = Field(default=None, ge=0, le=365)
    discontinued: bool | None = None
    replacement_sku: str | None = Field(default=None, max_length=40)
    pack_kind: str | None = Field(default=None, max_length=12)
    tax_class: str | None = Field(default=None, max_length=24)


class ProductsIn(Strict):
    items: list[ProductItem] = Field(min_length=1, max_length=MAX_ITEMS)


class TierItem(Strict):
    price_list_code: str = Field(min_length=1, max_length=40)
    sku: str = Field(min_length=1, max_length=40)
    min_qty: int = Field(ge=1, le=1_000_000)
    unit_price_cents: int = Field(ge=0, le=100_000_000, description="Integer cents.")
    currency: str = Field(min_length=3, max_length=3, description="Must be the list's.")


class TiersIn(Strict):
    items: list[TierItem] = Field(min_length=1, max_length=MAX_ITEMS)


class StockItem(Strict):
    sku: str = Field(min_length=1, max_length=40)
    warehouse_code: str = Field(min_length=1, max_length=12)
    quantity: int = Field(ge=0, le=100_000_000, description="Replaces the current level.")


class StockIn(Strict):
    items: list[StockItem] = Field(min_length=1, max_length=MAX_ITEMS)


class UpsertResult(BaseModel):
    created: int
    updated: int


class CartLineIn(Strict):
    sku: str = Field(min_length=1, max_length=40)
    quantity: int = Field(gt=0, le=100_000)
    note: str = Field(default="", max_length=500)


class CartLineOut(BaseModel):
    user_id: int
    sku: str
    quantity: int = Field(description="The line's quantity after the addition.")


class PriceListIn(Strict):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=120)
    currency: str = Field(min_length=3, max_length=3)


class PriceListOut(BaseModel):
    id: int
    code: str
    name: str
    currency: str


class CategoryIn(Strict):
    name_fr: str = Field(min_length=1, max_length=120)
    name_en: str = Field(min_length=1, max_length=120)
    parent_slug: str | None = Field(default=None, max_length=80)
    position: int = Field(default=0, ge=0, le=10_000)


class CategoryOut(BaseModel):
    slug: str
    name_fr: str
    name_en: str
    parent_slug: str | None = None
    position: int
    created: bool


class CustomerItem(Strict):
    """One user of a company; the company is created with its first user (by company_name),
    and each new user is invited by email to choose a password."""

    company_name: str = Field(min_length=1, max_length=200)
    legal_id: str | None = Field(default=None, max_length=40)
    trade: str | None = Field(default=None, max_length=40)
    customer_group: str | None = Field(default=None, max_length=40)
    payment_terms: str | None = Field(default=None, max_length=24)
    credit_limit_cents: int | None = Field(default=None, ge=0, le=10**11)
    po_required: bool | None = None
    address_line: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=12)
    city: str | None = Field(default=None, max_length=120)
    user_email: str = Field(min_length=3, max_length=254)
    user_name: str = Field(min_length=1, max_length=120)
    user_role: str | None = Field(default=None, max_length=24)


class CustomersIn(Strict):
    items: list[CustomerItem] = Field(min_length=1, max_length=MAX_ITEMS)


class CustomersResult(BaseModel):
    companies: int
    users: int
    invitations: int
