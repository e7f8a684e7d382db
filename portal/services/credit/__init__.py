"""Credit control: a company's exposure against its credit limit, orders on credit hold, and
the seller's credit queue.

- `control`: `exposure_cents` (open orders on account + the seam for unpaid invoices),
  `preview` (what the buyer is told at checkout), `hold_if_over` (checkout and the last
  approval call it, company row locked), `check_limit` (a limit must be more than zero).
- `payment`: prepayment (`await_payment`, the proforma's `payment_details`).
- `queue`: `held_orders`, and the staff's decisions `release`, `raise_limit`,
  `ask_prepayment`, `record_payment` (each audited, each e-mailing the buyer);
  `record_provider_payment`, the same payment told by a card provider's verified notice.
- `after_approval` is what checkout and the last approval call: payment first for
  prepayment terms, else the credit check.
"""

from portal.services.credit.control import (
    OPEN_ON_ACCOUNT,
    CreditView,
    after_approval,
    check_limit,
    exposure_cents,
    hold_if_over,
    preview,
    unpaid_invoices_cents,
)
from portal.services.credit.payment import (
    PaymentDetails,
    await_payment,
    awaiting_payment,
    payment_details,
    remind_and_expire,
)
from portal.services.credit.queue import (
    Conflict,
    HeldOrder,
    ask_prepayment,
    held_orders,
    may_decide,
    raise_limit,
    record_payment,
    record_provider_payment,
    release,
)

__all__ = [
    "OPEN_ON_ACCOUNT", "Conflict", "CreditView", "HeldOrder", "ask_prepayment", "check_limit",
    "exposure_cents", "held_orders", "hold_if_over", "may_decide", "preview", "raise_limit",
    "release", "unpaid_invoices_cents", "PaymentDetails", "after_approval", "await_payment",
    "awaiting_payment", "payment_details", "record_payment", "record_provider_payment",
    "remind_and_expire",
]
