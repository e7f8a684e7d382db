"""Quotes: the buyer asks, the seller answers in versions, the buyer accepts into an order.

- `rules`: pure rules (typed prices and discounts, validity dates, what changed between
  versions); `access`: who may see which quote (customer side, seller side) and the
  seller's queue.
- `requests`: asking from the cart, a shopping list or a product page, or staff starting
  one for a buyer.
- `answers`: the seller prices and sends a version; the thread's messages.
- `accepting`: accept all or some lines into one order (checkout's own path: approval
  routing, credit check), renew an expired quote, cancel, and the hourly expiry.
- `pages`: a version beside the one before, for the pages; `notify`: the emails.

Prices come from the selling policy (`services.selling`); a quoted price lives on its quote
line and on the order it became, nowhere else.
"""

from portal.services.quotes.accepting import (
    Acceptance,
    accept,
    ask_renewal,
    cancel,
    expire_due,
    is_expired,
)
from portal.services.quotes.access import (
    customer_quotes,
    find_for_customer,
    find_for_staff,
    recent_orders,
    staff_queue,
    waiting_count,
)
from portal.services.quotes.answers import (
    Answer,
    LineAnswer,
    QuoteConflict,
    Upload,
    attachment_of,
    post_message,
    send_version,
)
from portal.services.quotes.pages import QuoteFacts, facts
from portal.services.quotes.requests import (
    RequestDetails,
    Wanted,
    ask_for,
    ask_for_product,
    ask_from_cart,
    ask_from_list,
    ask_from_quick_order,
    askable,
    customer_buyers,
    list_rows,
    start_for_customer,
)
from portal.services.quotes.rules import (
    MAX_PRICE_CENTS,
    LineChange,
    clean_valid_until,
    compare,
    discounted,
    parse_discount,
    parse_price,
    quote_number,
)

__all__ = [
    "Acceptance", "Answer", "LineAnswer", "LineChange", "MAX_PRICE_CENTS", "QuoteConflict",
    "QuoteFacts", "RequestDetails", "Wanted", "accept", "ask_for", "ask_for_product",
    "ask_from_cart", "ask_from_list", "ask_renewal", "list_rows", "ask_from_quick_order",
    "Upload", "attachment_of",
    "askable", "cancel", "clean_valid_until", "compare", "customer_buyers", "customer_quotes",
    "discounted", "expire_due", "facts", "find_for_customer", "find_for_staff", "is_expired",
    "parse_discount", "parse_price", "post_message", "quote_number", "recent_orders",
    "send_version", "staff_queue", "start_for_customer", "waiting_count",
]
