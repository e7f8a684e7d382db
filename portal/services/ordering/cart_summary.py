"""The cart priced now: what the cart page, checkout and place_order all read.

`summarize` asks the selling policy for each line's verdict (one batch of offers for every
line), prices the orderable lines at the tier their quantity reaches, keeps the others but marks
them with the verdict's reason, adds the tax and asks the approval rules what the order would
need. A bounded number of queries, whatever the number of lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from portal.extensions import db
from portal.models import CartLine, Product, Unit, User
from portal.models.orders import TaxScheme
from portal.services import approvals, delivery
from portal.services.ordering.cart import cart_lines
from portal.services.selling import (
    RateTotal,
    Reason,
    RoundUpHint,
    TaxRule,
    offers_for,
    totals_by_rate,
)

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
    promo: tuple | None = None  # (until, usual unit price) when a promotion lowers it
    parts: tuple = ()  # delivery.Part: (quantity, date, from stock), earliest first
    substitute: object = None  # delivery.Offered: in stock now, when part of this line waits

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
    rates: list[RateTotal] = field(default_factory=list)  # the VAT table, one row per rate
    tax_scheme: TaxScheme = TaxScheme.DOMESTIC
    countdown: tuple | None = None  # (serving warehouse Site, delivery.Countdown)
    collected: bool = False  # dates are when it may be collected at a branch

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

    @property
    def ready_on(self):
        """The day every orderable unit is there (collected: "à retirer à partir du")."""
        days = [part.on for view in self.orderable for part in view.parts]
        return max(days) if days else None


def rates_of(views: list[LineView]) -> list[RateTotal]:
    """The VAT table of these lines: the selling policy's one rounding rule (per rate)."""
    return totals_by_rate((v.tax.rate_bp, v.line_total_cents) for v in views)


def summarize(user: User, now, jobsite_id: int | None = None,
              lines: list[CartLine] | None = None,
              collect_at: int | None = None) -> CartSummary:
    """The cart priced now: each line at the tier its quantity reaches, lines that can no
    longer be ordered kept but marked, totals with VAT, and the approval the order would
    need. A bounded number of queries, whatever the number of lines."""
    lines = cart_lines(user) if lines is None else lines
    offers = offers_for(user).load(line.product for line in lines)
    jobsite_id = jobsite_id if jobsite_id is not None else user.last_jobsite_id
    jobsite = db.session.get(Unit, jobsite_id) if jobsite_id else None
    if jobsite is not None and jobsite.company_id != user.company_id:
        jobsite = None
    # Collected at a branch: its stock alone, ready with no transit; else the jobsite's route.
    serving = delivery.collection_route(collect_at) if collect_at is not None \
        else delivery.route(user.company, jobsite)
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
                              offer.in_stock, verdict.round_up, offer.tax,
                              offer.prices.promo_at(line.quantity) if offer.prices else None,
                              delivery.line_parts(offer, line.quantity, serving, now)
                              if verdict.orderable else ()))
    short = [(v.product.id, v.quantity) for v in views
             if delivery.offers_substitute(v.parts, v.line.no_substitute)]
    if short:
        instead = delivery.offers_instead(user, short)
        views = [replace(v, substitute=instead.get(v.product.id)) for v in views]
    summary = CartSummary(views, currency)
    summary.countdown = delivery.countdown_on(serving, now)
    summary.collected = collect_at is not None
    summary.subtotal_cents = sum(v.line_total_cents for v in summary.orderable)
    summary.rates = rates_of(summary.orderable)
    summary.tax_cents = sum(row.tax_cents for row in summary.rates)
    if summary.orderable:
        summary.tax_scheme = summary.orderable[0].tax.scheme
    summary.total_cents = summary.subtotal_cents + summary.tax_cents
    if summary.orderable:
        summary.needs = approvals.needs_for_cart(
            user, summary.subtotal_cents,
            [(v.product.id, v.product.category_id, v.quantity, v.line_total_cents)
             for v in summary.orderable],
            jobsite_id, now)
    return summary
