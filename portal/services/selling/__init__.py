"""The selling policy: can this buyer order this quantity of this product now, at what price,
with what tax, and what do we suggest. Every ordering path calls this front door.

- `offers_for(buyer).load(products)` -> {product id: `Offer`} (visibility, tiers, stock and
  lead time, the quantity rule, the tax), a fixed number of statements for any batch, once
  per request.
- `offer.verdict(quantity)` -> `Verdict` (`Reason`: one vocabulary), or `judge(...)` on plain
  values.
- Pure parts: `QuantityRule`, `quote`/`best_tier`, `round_up_hint`/`suggested_case`;
  dated prices in `deals` (a list in force between its dates, a promotion against the usual
  price, a contract price first), read for a batch with the tiers in one statement
  (`pricing`); `local_today` is the day they are judged at.
- VAT (`tax`): the rate of a tax class at the storefront (`rule_for`, `RATES_BP`), domestic /
  reverse charge / export (`scheme_for`), its legal mention in the words of the storefront's
  country (`legal_mention`, `market`), the one rounding rule (`totals_by_rate`: per rate).
- Framework contracts of public-sector buyers (`framework`): the contract in force is their
  whole assortment and price book (`standing`, `is_public`).
- Who may see and order what: `visible_products`, `can_order`, `visible_category_ids`
  (`visibility`); stock and lead time shown to a buyer: `availability` (`availability`), the
  stock itself read with the offers' prices (`Offer.availability`, per warehouse too).
"""

from portal.services.selling.availability import (
    Availability,
    availability,
    presence_only,
)
from portal.services.selling.framework import Framework, Standing, is_public, standing
from portal.services.selling.market import legal_mention, market_of
from portal.services.selling.memo import (
    REFERENCE_STAMP,
    forget,
    per_process,
    per_request,
    stamp_read,
)
from portal.services.selling.offers import (
    Offer,
    ProductPrices,
    Shelf,
    offers_for,
    storefront_country,
)
from portal.services.selling.pricing import local_today
from portal.services.selling.refusals import (
    QuantityNotOrderable,
    quantity_message,
    require_quantity,
)
from portal.services.selling.rules import (
    MAX_QUANTITY,
    ORDERABLE,
    ROUND_UP_MAX_EXTRA_BP,
    QuantityRule,
    Quote,
    Reason,
    RoundUpHint,
    Tier,
    Verdict,
    best_tier,
    chain_ids,
    default_quantity,
    judge,
    quote,
    resolve_tiers,
    round_up_hint,
    saving_at,
    scaled_tax,
    snap_quantity,
    step_quantity,
    suggested_case,
)
from portal.services.selling.tax import (
    EU_COUNTRIES,
    RATES_BP,
    STANDARD_TAX,
    STOREFRONT_COUNTRY,
    TAX_CLASS_LABELS,
    VAT_RATE_BP,
    RateTotal,
    TaxRule,
    UnknownTaxClass,
    mention,
    normalize_vat_number,
    order_rates,
    parse_tax_class,
    rate_label,
    rate_of,
    retaxed,
    rule_for,
    scheme_for,
    tax_class_choices,
    tax_total,
    totals_by_rate,
    vat_cents,
    vat_number_problem,
)
from portal.services.selling.visibility import (
    can_order,
    find_visible,
    proven_visible,
    restriction_clause,
    visible_category_ids,
    visible_products,
)

__all__ = [
    "Availability", "availability", "can_order", "find_visible", "presence_only",
    "restriction_clause", "visible_category_ids", "visible_products",
    "MAX_QUANTITY", "ORDERABLE", "ROUND_UP_MAX_EXTRA_BP", "STANDARD_TAX", "VAT_RATE_BP",
    "Offer", "ProductPrices", "QuantityNotOrderable", "QuantityRule", "Quote", "Reason",
    "RoundUpHint", "Shelf", "TaxRule", "Tier", "Verdict", "best_tier", "chain_ids",
    "default_quantity", "forget", "judge", "offers_for", "per_process", "per_request",
    "proven_visible", "quantity_message", "REFERENCE_STAMP", "stamp_read",
    "quote", "require_quantity", "resolve_tiers", "round_up_hint", "saving_at", "scaled_tax",
    "snap_quantity", "step_quantity", "suggested_case", "vat_cents",
    "EU_COUNTRIES", "RATES_BP", "STOREFRONT_COUNTRY", "TAX_CLASS_LABELS", "RateTotal",
    "UnknownTaxClass", "legal_mention", "market_of", "mention", "normalize_vat_number",
    "order_rates", "parse_tax_class",
    "rate_label", "rate_of", "rule_for", "scheme_for", "tax_total", "totals_by_rate",
    "vat_number_problem", "storefront_country", "tax_class_choices", "retaxed", "local_today",
    "Framework", "Standing", "is_public", "standing",
]
