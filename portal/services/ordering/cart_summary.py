"""The cart priced now: what the cart page, checkout and place_order all read.

`summarize` asks the selling policy for each line's verdict (one batch of offers for every
line), prices the orderable lines at the tier their quantity reaches, keeps the others but marks
them with the verdict's reason, adds the tax and asks the approval rules what the order would
need. A bounded number of queries, whatever the number of lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.models import CartLine, Product, User
from portal.services import approvals
from portal.services.ordering.cart import cart_lines
from portal.services.selling import Reason, RoundUpHint, TaxRule, offers_for

AVAILABLE = ""  # a line's `problem` when it can be ordered; otherwise a selling Reason


@dataclass(frozen=True)
class LineView:
    line: CartLine
    product: Product
    quantity: int
    problem: str
    unit_price_cents: int | None
    line_total_cents: int | None
    in_stock: int
    hint: RoundUpHint | None = None
    tax: TaxRule | None = None

    @property
    def available(self) -> bool:
        return self.problem == AVAILABLE

    @property
    def step(self) -> int:
        return max(self.product.order_multiple, 1)

    @property
    def backordered(self) -> int:
        return max(0, self.quantity - self.in_stock)


@dataclass
class CartSummary:
    lines: list[LineView]
    currency: str
    subtotal_cents: int = 0
    tax_cents: int = 0
    total_cents: int = 0
    needs: list = field(default_factory=list)

    @property
    def orderable(self) -> list[LineView]:
        return [v for v in self.lines if v.available]

    @property
    def unavailable(self) -> list[LineView]:
        return [v for v in self.lines if not v.available]

    @property
    def count(self) -> int:
        return len(self.lines)

    def view_of(self, line_id: int) -> LineView | None:
        return next((v for v in self.lines if v.line.id == line_id), None)


def tax_on(views: list[LineView]) -> int:
    """The tax of these lines: each rule on the subtotal of its own lines (today one rule, so
    the VAT of the whole subtotal, rounded once)."""
    by_rule: dict[TaxRule, int] = {}
    for v in views:
        by_rule[v.tax] = by_rule.get(v.tax, 0) + v.line_total_cents
    return sum(rule.on(subtotal) for rule, subtotal in by_rule.items())


def summarize(user: User, now, jobsite_id: int | None = None,
              lines: list[CartLine] | None = None) -> CartSummary:
    """The cart priced now: each line at the tier its quantity reaches, lines that can no
    longer be ordered kept but marked, totals with VAT, and the approval the order would
    need. A bounded number of queries, whatever the number of lines."""
    lines = cart_lines(user) if lines is None else lines
    offers = offers_for(user).load(line.product for line in lines)
    currency = user.company.currency if user.company else "EUR"
    views = []
    for line in lines:
        offer = offers[line.product_id]
        verdict = offer.verdict(line.quantity)
        problem = AVAILABLE if verdict.orderable else verdict.reason
        if problem == Reason.DISCONTINUED:
            problem = Reason.UNAVAILABLE  # the cart offers no replacement: one word for both
        if offer.sellable:
            currency = offer.currency
        views.append(LineView(line, line.product, line.quantity, problem,
                              verdict.unit_price_cents, verdict.line_total_cents,
                              offer.in_stock, verdict.round_up, offer.tax))
    summary = CartSummary(views, currency)
    summary.subtotal_cents = sum(v.line_total_cents for v in summary.orderable)
    summary.tax_cents = tax_on(summary.orderable)
    summary.total_cents = summary.subtotal_cents + summary.tax_cents
    if summary.orderable:
        summary.needs = approvals.needs_for_cart(
            user, summary.subtotal_cents,
            [(v.product.id, v.product.category_id, v.quantity, v.line_total_cents)
             for v in summary.orderable],
            jobsite_id if jobsite_id is not None else user.last_jobsite_id, now)
    return summary
