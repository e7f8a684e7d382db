"""Card payment of an order waiting for its payment, on a real provider's hosted page
(Stripe Checkout), offered only when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set.

- `checkout`: `offered`, `start` (a Checkout Session for exactly what the order owes; the
  URL of the provider's page), `checkout_origin` (where that page lives, for the CSP).
- `notices`: `receive` (the provider's webhook: signature checked with its own library, a
  paid session settles its order through the credit queue's `record_provider_payment`, once).
- `provider`: the only module that talks to the `stripe` library.
"""

from portal.services.card_payments.checkout import (
    NoLongerWaiting,
    ProviderDown,
    offered,
    start,
)
from portal.services.card_payments.notices import BadNotice, receive
from portal.services.card_payments.provider import checkout_origin

__all__ = ["BadNotice", "NoLongerWaiting", "ProviderDown", "checkout_origin", "offered",
           "receive", "start"]
