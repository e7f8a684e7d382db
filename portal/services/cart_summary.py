"""The cart priced now: what the cart page, checkout and place_order all read.

`summarize` prices each line at the tier its current quantity reaches (one PriceBook query for
every line), keeps lines that can no longer be ordered but marks them, adds VAT and asks the
approval rules what the order would need. A bounded number of queries, whatever the number of
lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.extensions import db
from portal.models import CartLine, Product, User
from portal.services import approval
from portal.services.availability import stock_totals
from portal.services.cart import cart_lines, vat_cents
from portal.services.pricing import PriceBook, RoundUpHint, round_up_hint
from portal.services.visibility import visible_products

AVAILABLE = ""
UNAVAILABLE = "unavailable"  # not visible, inactive, discontinued or not priced any more
NO_TIER = "no_tier"  # priced, but not at this quantity (below the smallest tier)


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


def summarize(user: User, now, jobsite_id: int | None = None,
              lines: list[CartLine] | None = None) -> CartSummary:
    """The cart priced now: each line at the tier its quantity reaches, lines that can no
    longer be ordered kept but marked, totals with VAT, and the approval the order would
    need. A bounded number of queries, whatever the number of lines."""
    lines = cart_lines(user) if lines is None else lines
    ids = {line.product_id for line in lines}
    visible = set(db.session.scalars(
        visible_products(user).with_only_columns(Product.id).where(Product.id.in_(ids))
    )) if ids else set()
    book = PriceBook(user.company).load(ids)
    stock = stock_totals(ids)
    currency = user.company.currency if user.company else "EUR"
    views = []
    for line in lines:
        product, prices = line.product, book.get(line.product_id)
        problem, quoted, hint = AVAILABLE, None, None
        if line.product_id not in visible or product.discontinued or prices is None:
            problem = UNAVAILABLE
        else:
            currency = prices.currency
            quoted = prices.quote(line.quantity)
            if quoted is None:
                problem = NO_TIER
            else:
                found = round_up_hint(line.quantity, product.case_pack, prices.tiers)
                if found and found.saving_cents > 0 \
                        and found.to_quantity % max(product.order_multiple, 1) == 0:
                    hint = found
        views.append(LineView(line, product, line.quantity, problem,
                              quoted.unit_price_cents if quoted else None,
                              quoted.line_total_cents if quoted else None,
                              stock.get(line.product_id, 0), hint))
    summary = CartSummary(views, currency)
    summary.subtotal_cents = sum(v.line_total_cents for v in summary.orderable)
    summary.tax_cents = vat_cents(summary.subtotal_cents)
    summary.total_cents = summary.subtotal_cents + summary.tax_cents
    if summary.orderable:
        summary.needs = approval.needs_for_cart(
            user, summary.subtotal_cents,
            [(v.product.id, v.product.category_id, v.quantity, v.line_total_cents)
             for v in summary.orderable],
            jobsite_id if jobsite_id is not None else user.last_jobsite_id, now)
    return summary
