"""Integration with the seller's ERP, PIM and CRM and with customers' procurement systems.

- `clients`: API clients, their hashed bearer tokens and scopes (`create_client`,
  `rotate_client`, `revoke_client`, `authenticate`).
- `orders`: orders as the API shows them (`orders_page` by opaque cursor, `order_for`,
  `serialize`, `set_erp_number`).
- `idempotency`: the first answer to a POST with an Idempotency-Key, replayed
  (`claim_key`, `remember_answer`).
- `fulfilment`: the ERP moves orders on through the staff's own fulfilment rules
  (`confirm_order`, `ship_order`, `backorder_line`, `deliver_order`, `cancel_order`).
- `webhooks`: subscriptions, and the session hook that writes a `webhook_deliveries` row
  per event and subscription in the transaction of the change; `delivery`:
  `deliver_due_webhooks`, for the worker (signed, retried with backoff, then dead).
- `bulk`: products, price tiers and stock upserted in bulk through the CSV import's rules,
  all or nothing (`bulk_upsert`).
- `catalog`: price lists created and categories upserted by the seller's systems.
- `carts`: a customer's system fills its users' carts and its company's shopping lists
  (`company_user`, `add_cart_line`, `company_list`, `add_list_line`).
- `customers`: companies upserted and read by the CRM's own reference (`upsert_companies`,
  `companies_page`, `company_by_ref`); `people`: their units, jobsites and users through the
  company admin's use cases (`upsert_units`, `upsert_users`; new users are invited);
  `visibility`: the allow-list of a customer group or company (`assortment`,
  `set_assortment`).
- `invoices`: invoices as the API shows them (`invoices_page` by opaque cursor over the
  instant each was issued, paid or credited, `invoice_for` by number, `describe_invoice`),
  payments recorded (`record_invoice_payment`) and the ERP's own invoices registered
  (`register_invoice`), through billing's use cases.
- `media`: a product's photos, documents and video links by SKU, through the back office's
  `content` services (`product_media`, `add_media`, `remove_media`).
- `audit`: every API write is audited with the client's name.
"""

from portal.services.integration.audit import audit
from portal.services.integration.bulk import BulkRejected
from portal.services.integration.bulk import upsert as bulk_upsert
from portal.services.integration.carts import (
    add_cart_line,
    add_list_line,
    company_list,
    company_user,
)
from portal.services.integration.catalog import create_price_list, upsert_category
from portal.services.integration.clients import (
    CUSTOMER_SCOPES,
    SCOPES,
    SELLER_SCOPES,
    authenticate,
    client_by_name,
    client_of,
    clients,
    create_client,
    hash_token,
    revoke_client,
    rotate_client,
)
from portal.services.integration.customers import (
    companies_page,
    company_by_ref,
    describe_companies,
    upsert_companies,
)
from portal.services.integration.delivery import backoff, deliver_due_webhooks, sign
from portal.services.integration.fulfilment import backorder as backorder_line
from portal.services.integration.fulfilment import cancel as cancel_order
from portal.services.integration.fulfilment import confirm as confirm_order
from portal.services.integration.fulfilment import deliver as deliver_order
from portal.services.integration.fulfilment import ship as ship_order
from portal.services.integration.idempotency import InvalidKey, KeyReused, request_hash
from portal.services.integration.idempotency import claim as claim_key
from portal.services.integration.idempotency import remember as remember_answer
from portal.services.integration.invoices import describe as describe_invoice
from portal.services.integration.invoices import invoice_for, invoices_page, register_invoice
from portal.services.integration.invoices import record_payment as record_invoice_payment
from portal.services.integration.media import add_media, product_media, remove_media
from portal.services.integration.orders import (
    BadCursor,
    erp_numbers,
    expire,
    order_for,
    orders_page,
    serialize,
    set_erp_number,
)
from portal.services.integration.people import (
    describe_units,
    describe_users,
    upsert_units,
    upsert_users,
)
from portal.services.integration.visibility import assortment, group_by_code, set_assortment
from portal.services.integration.webhooks import (
    EVENTS,
    deliveries_of,
    delivery_of,
    send_again,
    subscribe,
    subscription_of,
    subscriptions_of,
    unsubscribe,
    watch_changes,
)

__all__ = [
    "client_of", "delivery_of",
    "describe_invoice", "invoice_for", "invoices_page", "record_invoice_payment",
    "register_invoice",
    "create_price_list", "upsert_category", "add_media", "product_media", "remove_media",
    "add_cart_line", "company_user", "add_list_line", "company_list",
    "companies_page", "company_by_ref", "describe_companies", "upsert_companies",
    "describe_units", "describe_users", "upsert_units", "upsert_users",
    "assortment", "group_by_code", "set_assortment",
    "BulkRejected", "bulk_upsert",
    "EVENTS", "backoff", "deliver_due_webhooks", "deliveries_of", "send_again", "sign",
    "subscribe", "subscription_of", "subscriptions_of", "unsubscribe",
    "InvalidKey", "KeyReused", "backorder_line", "cancel_order", "confirm_order",
    "deliver_order", "ship_order", "claim_key", "remember_answer", "request_hash",
    "CUSTOMER_SCOPES", "SCOPES", "SELLER_SCOPES", "BadCursor", "audit", "authenticate",
    "client_by_name", "clients", "create_client", "erp_numbers", "expire", "hash_token",
    "order_for", "orders_page", "revoke_client", "rotate_client", "serialize", "set_erp_number",
]

# The outbox rows follow every change made through any session of this process.
watch_changes()
