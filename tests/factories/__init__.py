"""Test data, built straight in the database (no pages in between), grouped by domain.

The one front door for tests, e2e and benchmarks: `from tests import factories as f`, then
`f.company()`, `f.order()`, ... Builders flush and return the object unless they say they
commit; readers of pages and CSV helpers live here too, so no test file keeps its own copy.

    accounts   PASSWORD, company, unit, user, assign (rep), application (sign-up request)
    catalog    category, price_list, group, product, warehouse, restrict_to_category
    ordering   order (the one order builder), cart_with, shopping_list, event, shipment,
               orders_of, T0, BACKORDER_DATE
    approvals  rule, approval_over_limit, pending_approval, requests_of
    backoffice CSV texts and in-memory uploads for the import tests
    pages      main_of, row_ids, checkout_token: reading what a page answered
    storefronts consumer_storefront (its host DIRECT, a public price list)
"""

from tests.factories.accounts import PASSWORD, application, assign, company, unit, user
from tests.factories.approvals import approval_over_limit, pending_approval, requests_of, rule
from tests.factories.backoffice import CUSTOMER_HEADER, csv_bytes, customer_rows, multipart
from tests.factories.catalog import (
    category,
    group,
    price_list,
    product,
    restrict_to_category,
    warehouse,
)
from tests.factories.ordering import (
    BACKORDER_DATE,
    T0,
    cart_with,
    event,
    order,
    orders_of,
    shipment,
    shopping_list,
)
from tests.factories.pages import TOKEN, checkout_token, main_of, row_ids
from tests.factories.quotes import QUOTE_NOW, quote_request, sent_quote
from tests.factories.storefronts import DIRECT, consumer_storefront

__all__ = [
    "BACKORDER_DATE", "CUSTOMER_HEADER", "PASSWORD", "T0", "TOKEN", "application",
    "approval_over_limit", "assign", "cart_with", "category", "checkout_token", "company",
    "csv_bytes", "customer_rows", "event", "group", "main_of", "multipart", "order",
    "orders_of", "pending_approval", "price_list", "product", "requests_of",
    "restrict_to_category", "row_ids", "rule", "shipment", "shopping_list", "unit", "user",
    "warehouse",
    "QUOTE_NOW", "quote_request", "sent_quote", "DIRECT", "consumer_storefront",
]
