"""Six months of orders: lines priced as the company saw them, timelines, shipments, approvals.

Everything is drafted in memory from plain dicts prepared by seed.py, then flattened into rows
for bulk inserts. Dates are offsets from `now`; every random draw happens whatever the clock
says, so the same seed always draws the same sequence.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from portal.demo.catalog import best_price, percent_bp
from portal.demo.people import (
    CANCEL_MESSAGES,
    CARRIERS,
    NOTES_BTP,
    NOTES_CHR,
    REJECTION_COMMENTS,
)
from portal.demo.replacements import plant_replacements
from portal.models import ApprovalStatus, OrderStatus, Role

HISTORY_DAYS = 182
# Prices went up about 4 % three months ago on one product in four.
PRICE_RISE_DAYS = 90
PRICE_RISE_BP = 9600
CARRIERS_BY_WAREHOUSE = {
    "LYO": ["Transports Perrin", "DB Schenker", "Geodis"],
    "PAR": ["Geodis", "Kuehne+Nagel", "DB Schenker"],
    "MAR": ["DB Schenker", "Kuehne+Nagel", "Geodis"],
}


def euros(cents: int) -> str:
    """French money format: 1 234,50 €."""
    whole, rest = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", "\u202f")
    return f"{'-' if cents < 0 else ''}{grouped},{rest:02d} €"


# What an order that does not go to the warehouse yet waits for (the seed fills the proforma's
# amount and reference once the order has its number).
WAITING = {OrderStatus.CREDIT_HOLD: ("credit_hold", {"available": 0, "currency": "EUR"}),
           OrderStatus.AWAITING_PAYMENT: ("awaiting_payment", {})}


@dataclass
class LineDraft:
    product: dict
    quantity: int
    unit_price_cents: int = 0
    shipped_qty: int = 0
    backordered_qty: int = 0
    backorder_date: date | None = None

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass
class OrderDraft:
    company: dict
    user: dict
    jobsite: dict | None
    placed_at: datetime
    status: OrderStatus
    lines: list[LineDraft]
    on_behalf_by_id: int | None = None
    notes: str = ""
    requested_date: date | None = None
    wants_po: bool = False
    # (at, actor_id, kind, status, what): `what` is (code, params) of services/orders/events,
    # or a text typed by a person (a cancellation reason), kept as written.
    events: list[tuple] = field(default_factory=list)
    shipments: list[dict] = field(default_factory=list)
    approvals: list[dict] = field(default_factory=list)
    scripted: bool = True

    @property
    def subtotal(self) -> int:
        return sum(line.total for line in self.lines)


class HistoryBuilder:
    def __init__(self, rng, now: datetime, products: list[dict], prices: dict,
                 companies: list[dict], staff: dict, rules: dict, warehouses: dict):
        self.rng = rng
        self.now = now
        self.today = now.date()
        self.products = products
        self.prices = prices  # list id -> product id -> [(min_qty, cents)]
        self.companies = companies
        self.staff = staff  # key -> {"id", "name"}
        self.rules = rules  # "limit" / "large" -> rule id
        self.warehouses = warehouses  # code -> {"id", "name"}
        self._late_offset = 0

    # ---------------------------------------------------------------- prices and lines
    def unit_price(self, company: dict, product: dict, quantity: int, days_ago: float) -> int:
        for list_id in company["chain"]:
            tiers = self.prices[list_id].get(product["id"])
            if tiers:
                price = best_price(tiers, quantity)
                if price is None:
                    continue
                if days_ago > PRICE_RISE_DAYS and product["id"] % 4 == 0:
                    price = percent_bp(price, PRICE_RISE_BP)
                return price
        raise LookupError(f"no price for {product['sku']}")

    def quantity(self, product: dict, line_cents: float) -> int:
        rng = self.rng
        om, cp = product["order_multiple"], product["case_pack"]
        target = rng.lognormvariate(math.log(line_cents), 0.7)
        steps = max(1, round(target / (product["unit_price_cents"] * om)))
        qty = steps * om
        if om < cp and rng.random() < 0.35 and qty * 2 >= cp:
            qty = max(1, round(qty / cp)) * cp
        return min(qty, max(om, cp) * 20)

    def pick_products(self, company: dict, count: int, days_ago: float) -> list[dict]:
        rng = self.rng
        chosen, seen = [], set()
        for _ in range(count * 8):
            if len(chosen) >= count:
                break
            pool = company["favorites"] if rng.random() < 0.85 else company["eligible"]
            product = rng.choice(pool)
            # Products discontinued lately were still ordered more than six weeks ago.
            if product["id"] in seen or (product["discontinued"] and days_ago < 45):
                continue
            seen.add(product["id"])
            chosen.append(product)
        return chosen

    def price_lines(self, company: dict, lines: list[LineDraft], days_ago: float) -> None:
        for line in lines:
            line.unit_price_cents = self.unit_price(company, line.product, line.quantity,
                                                    days_ago)

    def trim_to(self, company: dict, lines: list[LineDraft], cap: int, days_ago: float,
                min_lines: int = 3) -> None:
        """Drop or shrink the dearest lines until the subtotal fits under `cap`."""
        while sum(x.total for x in lines) > cap:
            dearest = max(lines, key=lambda x: x.total)
            step = dearest.product["order_multiple"]
            if len(lines) > min_lines and dearest.quantity == step:
                lines.remove(dearest)
                continue
            if dearest.quantity == step:
                break
            dearest.quantity = max(step, (dearest.quantity // 2) // step * step)
            self.price_lines(company, [dearest], days_ago)

    def grow_to(self, company: dict, lines: list[LineDraft], floor: int, days_ago: float) -> None:
        """Raise quantities (by whole cases) until the subtotal exceeds `floor`."""
        i = 0
        while sum(x.total for x in lines) <= floor:
            line = lines[i % len(lines)]
            line.quantity += max(line.product["case_pack"], line.product["order_multiple"])
            self.price_lines(company, [line], days_ago)
            i += 1

    def draft_lines(self, company: dict, days_ago: float, count: int | None = None,
                    ) -> list[LineDraft]:
        profile = company["profile"]
        lo, hi = profile["lines"]
        n = count or self.rng.randint(lo, hi)
        lines = []
        for product in self.pick_products(company, n, days_ago):
            qty = self.quantity(product, profile["line_eur"] * 100)
            lines.append(LineDraft(product, qty))
        self.price_lines(company, lines, days_ago)
        self.trim_to(company, lines, profile["cap_cents"], days_ago)
        return lines

    # ---------------------------------------------------------------- dates
    def placed_at(self, days_ago: int, profile: dict) -> tuple[datetime, float]:
        """A placing time `days_ago` days back (weekdays only unless the profile allows)."""
        rng = self.rng
        lo, hi = profile["hours"]
        hour, minute = rng.randint(lo, hi), rng.randint(0, 59)
        day = self.today - timedelta(days=days_ago)
        if not profile["weekend"]:
            while day.weekday() >= 5:
                day -= timedelta(days=1)
        at = datetime.combine(day, time(hour, minute), UTC)
        if at > self.now - timedelta(minutes=20):
            self._late_offset += 17
            at = self.now - timedelta(minutes=20 + self._late_offset % 300)
        return at, (self.now - at).total_seconds() / 86400

    def status_for_age(self, days: float, may_reject: bool) -> OrderStatus:
        r = self.rng.random()
        S = OrderStatus
        if days < 1:
            return S.SUBMITTED if r < 0.55 else S.CONFIRMED if r < 0.92 else S.CANCELLED
        if days < 3:
            for status, p in ((S.CONFIRMED, 0.40), (S.PARTIALLY_SHIPPED, 0.60),
                              (S.SHIPPED, 0.85), (S.SUBMITTED, 0.95)):
                if r < p:
                    return status
            return S.CANCELLED
        if days < 7:
            for status, p in ((S.SHIPPED, 0.35), (S.PARTIALLY_SHIPPED, 0.50),
                              (S.DELIVERED, 0.95)):
                if r < p:
                    return status
            return S.CONFIRMED
        if days < 14:
            for status, p in ((S.DELIVERED, 0.82), (S.SHIPPED, 0.92), (S.PARTIALLY_SHIPPED, 0.96)):
                if r < p:
                    return status
            return S.CANCELLED
        if r < 0.05:
            return S.CANCELLED
        if r < 0.11 and may_reject:
            return S.REJECTED
        return S.DELIVERED

    # ---------------------------------------------------------------- timeline
    def approval_needed(self, order: OrderDraft) -> bool:
        limit = order.user.get("order_limit_cents")
        return bool(limit and order.company["has_rules"] and order.subtotal > limit)

    def limit_reason_data(self, order: OrderDraft) -> list[dict]:
        return [{"code": "order_limit", "amount_cents": order.user["order_limit_cents"],
                 "currency": "EUR"}]

    def limit_reason(self, order: OrderDraft) -> str:
        return (f"Dépassement du plafond par commande de {order.user['name']} "
                f"({euros(order.user['order_limit_cents'])}) : commande de "
                f"{euros(order.subtotal)} HT.")

    def build_timeline(self, order: OrderDraft, two_shipments_share: float) -> None:
        rng = self.rng
        # A fixed number of draws per order, whatever its status.
        waits = [rng.uniform(0.5, 20), rng.uniform(0.3, 6), rng.uniform(18, 50),
                 rng.uniform(20, 72), rng.uniform(18, 40), rng.uniform(0.5, 20)]
        split_roll, cancel_after_confirm, actor_roll = rng.random(), rng.random(), rng.random()
        carrier_a, carrier_b = rng.random(), rng.random()
        tracking_a, tracking_b = rng.getrandbits(40), rng.getrandbits(40)
        backorder_days = [rng.randint(3, 12) for _ in order.lines]
        backorder_rolls = [rng.random() for _ in order.lines]
        shuffled = list(range(len(order.lines)))
        rng.shuffle(shuffled)

        S = OrderStatus
        final = order.status
        user, company = order.user, order.company
        staff = self.staff
        approver = company.get("approver")
        needs_approval = final in (S.PENDING_APPROVAL, S.REJECTED) or (
            final != S.CANCELLED and self.approval_needed(order))
        steps: list[tuple] = []  # (hours after previous, actor, kind, status, message)
        # Who placed it (and for whom) is on the order itself; the entry says what happened.
        if needs_approval:
            reason = self.limit_reason(order)
            waiting = ("approval_waiting", {
                "who": {"names": approver["name"], "role": str(Role.APPROVER)},
                "reasons": self.limit_reason_data(order)})
            steps.append((0, order.on_behalf_by_id or user["id"], "status", S.PENDING_APPROVAL,
                          waiting))
            request = {"status": ApprovalStatus.PENDING, "reason": reason,
                       "reason_data": self.limit_reason_data(order),
                       "rule": self.rules["limit"], "step": 1, "role": Role.APPROVER,
                       "unit_id": approver["unit_id"], "created_at": order.placed_at,
                       "decided_by_id": None, "decided_at": None, "comment": ""}
            order.approvals.append(request)
            if final == S.REJECTED:
                comment = REJECTION_COMMENTS[int(actor_roll * len(REJECTION_COMMENTS))]
                steps.append((waits[0], approver["id"], "approval", None,
                              ("rejected", {"who": approver["name"], "comment": comment})))
                steps.append((0.01, approver["id"], "status", S.REJECTED, ""))
                request.update(status=ApprovalStatus.REJECTED, comment=comment,
                               decided_by_id=approver["id"], decided_step=1)
            elif final != S.PENDING_APPROVAL:
                steps.append((waits[0], approver["id"], "approval", None,
                              ("step_approved", {"step": 1, "who": approver["name"]})))
                steps.append((0.01, None, "status", S.SUBMITTED, ("approvals_done", {})))
                request.update(status=ApprovalStatus.APPROVED, decided_by_id=approver["id"],
                               decided_step=1)
        elif final in WAITING:  # over the credit limit, or prepaid: not to the warehouse yet
            steps.append((0, order.on_behalf_by_id or user["id"], "status", final,
                          WAITING[final]))
        else:
            steps.append((0, order.on_behalf_by_id or user["id"], "status", S.SUBMITTED, ""))
        if final in WAITING and needs_approval:  # approval first, then payment or credit
            steps.append((0.01, None, "status", final, WAITING[final]))

        warehouse = self.warehouses[company["warehouse"]]
        confirmer = staff["karim"]["id"] if actor_roll < 0.8 else staff["claire"]["id"]
        reached_confirm = final in (S.CONFIRMED, S.PARTIALLY_SHIPPED, S.SHIPPED, S.DELIVERED) or (
            final == S.CANCELLED and cancel_after_confirm < 0.3)
        if reached_confirm:
            steps.append((waits[1], confirmer, "status", S.CONFIRMED, ("confirmed", {})))
        if final == S.CANCELLED:
            who = user["id"] if cancel_after_confirm < 0.6 else staff["claire"]["id"]
            message = CANCEL_MESSAGES[int(carrier_a * len(CANCEL_MESSAGES))]
            steps.append((waits[5], who, "status", S.CANCELLED, message))

        # Shipments: which lines go in the first parcel, and is there a second one.
        n = len(order.lines)
        shipping = final in (S.PARTIALLY_SHIPPED, S.SHIPPED, S.DELIVERED)
        two = shipping and final != S.PARTIALLY_SHIPPED and n >= 2 and \
            split_roll < two_shipments_share
        first_count = max(1, (n * 3) // 5) if (final == S.PARTIALLY_SHIPPED or two) else n
        if final == S.PARTIALLY_SHIPPED and n >= 2:
            first_count = min(first_count, n - 1)
        first = sorted(shuffled[:first_count])
        rest = sorted(shuffled[first_count:])
        carriers = CARRIERS_BY_WAREHOUSE[company["warehouse"]]
        parcels = []
        if shipping:
            parcels.append((waits[2], first, carriers[int(carrier_a * len(carriers))], tracking_a))
            if two:
                parcels.append((waits[3], rest, carriers[int(carrier_b * len(carriers))],
                                tracking_b))
        for k, (wait, indexes, carrier, tracking) in enumerate(parcels):
            complete = k == len(parcels) - 1 and final != S.PARTIALLY_SHIPPED
            status = S.SHIPPED if complete else S.PARTIALLY_SHIPPED
            number = _tracking(carrier, tracking)
            steps.append((wait, staff["karim"]["id"], "status", status, ("shipped", {
                "lines": len(indexes), "units": sum(order.lines[i].quantity for i in indexes),
                "carrier": carrier, "tracking": number, "partial": not complete})))
            order.shipments.append({"step": len(steps) - 1, "carrier": carrier,
                                    "tracking": number, "warehouse_id": warehouse["id"],
                                    "lines": indexes})
        if final == S.DELIVERED:
            steps.append((waits[4], None, "status", S.DELIVERED, ("delivered", {})))

        # Lay the steps on the calendar; squeeze them when they would run past now.
        offsets, total = [], 0.0
        for hours, *_ in steps:
            total += hours
            offsets.append(total)
        latest = self.now - timedelta(minutes=2)
        span = (latest - order.placed_at).total_seconds() / 3600
        scale = min(1.0, span / total) if total > 0 else 1.0
        for (_, actor, kind, status, message), offset in zip(steps, offsets, strict=True):
            at = order.placed_at + timedelta(hours=offset * scale)
            order.events.append((at, actor, kind, status, message))
        for request in order.approvals:
            step = request.pop("decided_step", None)
            if step is not None:
                request["decided_at"] = order.events[step][0]
        for shipment in order.shipments:
            shipment["shipped_at"] = order.events[shipment["step"]][0]

        # Quantities shipped and backordered on the lines.
        shipped_lines = {i for s in order.shipments for i in s["lines"]}
        for i, line in enumerate(order.lines):
            if i in shipped_lines:
                line.shipped_qty = line.quantity
            elif final == S.PARTIALLY_SHIPPED and backorder_rolls[i] < 0.6:
                line.backordered_qty = line.quantity
                line.backorder_date = self.today + timedelta(days=backorder_days[i])
            elif final == S.CONFIRMED and line.product["stock_total"] == 0:
                line.backordered_qty = line.quantity
                line.backorder_date = self.today + timedelta(days=backorder_days[i])

    # ---------------------------------------------------------------- orders
    def random_orders(self) -> list[OrderDraft]:
        rng = self.rng
        drafts = []
        for company in self.companies:
            profile = company["profile"]
            two_share = profile.get("two_shipments", 0.12)
            for user in company["users"]:
                for _ in range(user["orders"]):
                    # One order in ten in the last week, so every queue has work in it.
                    recent = rng.random() < 0.1 and not user.get("recent_scripted")
                    lo = 7 if user.get("recent_scripted") else 0
                    days = rng.randint(0, 6) if recent else rng.randint(lo, HISTORY_DAYS)
                    at, age = self.placed_at(days, profile)
                    may_reject = bool(user.get("order_limit_cents") and company["has_rules"])
                    status = self.status_for_age(age, may_reject)
                    jobsite = self.pick_jobsite(company, user)
                    lines = self.draft_lines(company, age)
                    order = OrderDraft(company, user, jobsite, at, status, lines)
                    if status == OrderStatus.REJECTED:
                        self.grow_to(company, lines, user["order_limit_cents"], age)
                    self.decorate(order, rng)
                    self.build_timeline(order, two_share)
                    drafts.append(order)
        return drafts

    def pick_jobsite(self, company: dict, user: dict) -> dict | None:
        weights = user["jobsites"]
        if not weights:
            return None
        keys = list(weights)
        key = self.rng.choices(keys, weights=[weights[k] for k in keys])[0]
        return company["jobsites"][key]

    def decorate(self, order: OrderDraft, rng) -> None:
        profile = order.company["profile"]
        roll_po, roll_note, roll_date, roll_behalf = (rng.random() for _ in range(4))
        note_index, lead = rng.randrange(1000), rng.randint(1, 4)
        order.wants_po = roll_po < profile.get("po_share", 0)
        if roll_note < 0.1:
            notes = NOTES_CHR if order.company["sector"] == "chr" else NOTES_BTP
            order.notes = notes[note_index % len(notes)]
        if roll_date < 0.35:
            day = order.placed_at.date() + timedelta(days=lead)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            order.requested_date = day
        if roll_behalf < profile.get("on_behalf_share", 0):
            order.on_behalf_by_id = self.staff["thomas"]["id"]

    def scripted_durand(self, company: dict) -> list[OrderDraft]:
        """Julien's last delivery to Confluence (with changes since) and the waiting orders."""
        rng = self.rng
        users = {u["key"]: u for u in company["users"]}
        sites = company["jobsites"]
        S = OrderStatus
        drafts = []

        def at(days: int, hour: int, minute: int) -> datetime:
            moment = datetime.combine(self.today - timedelta(days=days), time(hour, minute), UTC)
            return min(moment, self.now - timedelta(minutes=45 + days))

        # 1. The order "repeat my last order" starts from: 8 lines, one product discontinued
        #    since, one out of stock now.
        placed = at(3, 5, 40)
        age = (self.now - placed).total_seconds() / 86400
        regulars = [p for p in company["favorites"] if not p["discontinued"]
                    and p["stock_total"] > 0 and p["top"] in ("gros-oeuvre", "quincaillerie")]
        chosen = rng.sample(regulars, 6)
        gone = [p for p in company["eligible"] if p["discontinued"] and p["replacement_id"]
                and p["top"] in ("gros-oeuvre", "quincaillerie", "outillage")]
        missing = [p for p in company["eligible"] if not p["discontinued"]
                   and p["stock_total"] == 0 and p["top"] in ("gros-oeuvre", "quincaillerie")]
        chosen.insert(2, rng.choice(gone))
        chosen.insert(5, rng.choice(missing))
        lines = [LineDraft(p, self.quantity(p, 6_000)) for p in chosen]
        self.price_lines(company, lines, age)
        self.trim_to(company, lines, 85_000, age, min_lines=len(lines))
        last = OrderDraft(company, users["julien"], sites["confluence"], placed, S.DELIVERED,
                          lines, notes="Merci de livrer avant 9h, le chef de chantier "
                                       "réceptionne.")
        last.wants_po = True
        self.build_timeline(last, 0.0)
        drafts.append(last)

        # 2. Waiting for Sophie: two of Julien's over his limit, two of Nicolas's, one large
        #    enough for the second step (company admin above 5,000 EUR).
        for user_key, site, days, (hour, minute), floor, cap, n in (
            ("julien", "villeurbanne", 4, (6, 10), 115_000, 380_000, 9),
            ("julien", "confluence", 6, (5, 25), 130_000, 380_000, 12),
            ("nicolas", "villeurbanne", 0, (6, 5), 65_000, 300_000, 7),
            ("nicolas", "villeurbanne", 1, (6, 50), 520_000, 900_000, 12),
        ):
            placed = at(days, hour, minute)
            age = (self.now - placed).total_seconds() / 86400
            lines = self.draft_lines(company, age, count=n)
            self.grow_to(company, lines, floor, age)
            self.trim_to(company, lines, cap, age)
            order = OrderDraft(company, users[user_key], sites[site], placed,
                               S.PENDING_APPROVAL, lines)
            order.wants_po = True
            self.build_timeline(order, 0.0)
            if order.subtotal >= 500_000:
                first = order.approvals[0]
                first["rule"] = self.rules["large"]
                first["reason"] = (f"Commande importante : {euros(order.subtotal)} HT, au-delà "
                                   f"de {euros(500_000)} ; {first['reason'][0].lower()}"
                                   f"{first['reason'][1:]}")
                first["reason_data"] = [{"code": "total", "amount_cents": 500_000,
                                         "currency": "EUR"}, *first["reason_data"]]
                order.approvals.append({
                    "status": ApprovalStatus.WAITING, "reason": first["reason"],
                    "reason_data": first["reason_data"],
                    "rule": self.rules["large"], "step": 2, "role": Role.COMPANY_ADMIN,
                    "unit_id": None, "created_at": placed, "decided_by_id": None,
                    "decided_at": None, "comment": ""})
            drafts.append(order)
        return drafts

    def scripted_martin(self, company: dict) -> list[OrderDraft]:
        """Paul's latest order: on its way in two parcels, each with its tracking number.

        Placed on the last working day at least two days back, so that whatever the day and
        hour of seeding it has had time to be confirmed and shipped (the timeline is squeezed
        to end before now).
        """
        paul = next(u for u in company["users"] if u["key"] == "paul")
        day = self.today - timedelta(days=2)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        placed = datetime.combine(day, time(8, 10), UTC)
        age = (self.now - placed).total_seconds() / 86400
        lines = self.draft_lines(company, age, count=10)
        order = OrderDraft(company, paul, None, placed, OrderStatus.SHIPPED, lines)
        order.wants_po = True
        self.build_timeline(order, 1.0)
        return [order]

    def scripted_saveurs(self, company: dict) -> list[OrderDraft]:
        """Camille's order of this morning, waiting for the seller's credit check."""
        chef = next(u for u in company["users"] if u["key"] == "chef")
        placed = datetime.combine(self.today, time(7, 40), UTC)
        placed = min(placed, self.now - timedelta(minutes=30))
        age = (self.now - placed).total_seconds() / 86400
        lines = self.draft_lines(company, age, count=5)
        order = OrderDraft(company, chef, None, placed, OrderStatus.CREDIT_HOLD, lines)
        self.build_timeline(order, 0.0)
        return [order]

    def scripted_hotel(self, company: dict) -> list[OrderDraft]:
        """Isabelle's order of this morning on prepayment terms, waiting for its transfer."""
        buyer = company["users"][0]
        placed = min(datetime.combine(self.today, time(8, 5), UTC),
                     self.now - timedelta(minutes=25))
        age = (self.now - placed).total_seconds() / 86400
        order = OrderDraft(company, buyer, None, placed, OrderStatus.AWAITING_PAYMENT,
                           self.draft_lines(company, age, count=4))
        self.build_timeline(order, 0.0)
        return [order]

    def habits_elec(self, company: dict, drafts: list[OrderDraft]) -> list[OrderDraft]:
        """Mehdi's two habits for the home card "À recommander": nitrile gloves and a
        two-row panel, each ordered every three weeks, last 20 and 22 days ago.

        The products are ones his random history never picked (what it picks does not depend
        on the clock), so nothing breaks the pace whatever the day and hour of seeding; the
        orders draw from their own generator, so the rest of the demo is drawn as before.
        """
        mehdi = company["users"][0]
        bought = {line.product["id"] for d in drafts if d.user is mehdi for line in d.lines}
        free = [p for p in company["eligible"] if p["id"] not in bought
                and not p["discontinued"] and p["stock_total"] > 0]
        gloves = next(p for p in free if p["name_fr"].startswith("Gants nitrile"))
        panel = next(p for p in free if p["sku"].startswith("TAB-"))
        orders = []
        with self.drawing_from(2126):
            for product, last in ((gloves, 20), (panel, 22)):
                for days in (last + 63, last + 42, last + 21, last):
                    day = self.today - timedelta(days=days)
                    while day.weekday() >= 5:  # his office orders on weekdays
                        day -= timedelta(days=1)
                    orders.append(self.delivered(company, mehdi, company["jobsites"]["euromed"],
                                                 product, datetime.combine(day, time(9, 15), UTC)))
        return orders

    @contextmanager
    def drawing_from(self, seed: int) -> Iterator[None]:
        """Draws inside come from their own generator: the rest of the demo draws as before."""
        saved, self.rng = self.rng, random.Random(seed)
        try:
            yield
        finally:
            self.rng = saved

    def delivered(self, company: dict, user: dict, site: dict | None, product: dict,
                  placed: datetime) -> OrderDraft:
        """A delivered order of one product (a planted purchase), priced as it was then."""
        age = (self.now - placed).total_seconds() / 86400
        lines = [LineDraft(product, self.quantity(product, 12_000))]
        self.price_lines(company, lines, age)
        order = OrderDraft(company, user, site, placed, OrderStatus.DELIVERED, lines)
        self.build_timeline(order, 0.0)
        return order

    def build(self) -> list[OrderDraft]:
        drafts = []
        for company in self.companies:
            if company["key"] == "durand":
                drafts.extend(self.scripted_durand(company))
            elif company["key"] == "martin":
                drafts.extend(self.scripted_martin(company))
            elif company["key"] == "saveurs":
                drafts.extend(self.scripted_saveurs(company))
            elif company["key"] == "hotel":
                drafts.extend(self.scripted_hotel(company))
        scripted = len(drafts)
        drafts.extend(self.random_orders())
        for d in drafts[scripted:]:
            d.scripted = False
        for company in self.companies:
            if company["key"] == "elec":
                drafts.extend(self.habits_elec(company, drafts))
            elif company["key"] == "hotel":
                drafts.extend(plant_replacements(self, company, drafts))
        self.keep_within_budget(drafts)
        self.ensure_dealer_split(drafts)
        drafts.sort(key=lambda d: (d.placed_at, d.company["id"], d.user["id"]))
        return drafts

    def keep_within_budget(self, drafts: list[OrderDraft], share_bp: int = 6000) -> None:
        """Buyers with a monthly budget have used at most 60 % of it this month.

        Only history drafts are dropped (the largest first); what is drawn never changes.
        """
        month_start = self.today.replace(day=1)
        for company in self.companies:
            for user in company["users"]:
                budget = user.get("monthly_budget_cents")
                if not budget:
                    continue
                mine = [d for d in drafts if d.user is user and d.placed_at.date() >= month_start
                        and d.status not in (OrderStatus.CANCELLED, OrderStatus.REJECTED)]
                spent = sum(d.subtotal for d in mine)
                for d in sorted((d for d in mine if not d.scripted), key=lambda d: -d.subtotal):
                    if spent <= percent_bp(budget, share_bp):
                        break
                    drafts.remove(d)
                    spent -= d.subtotal

    def ensure_dealer_split(self, drafts: list[OrderDraft]) -> None:
        dealer = [d for d in drafts if d.company["key"] == "martin"]
        if not any(len(d.shipments) >= 2 for d in dealer):
            raise AssertionError("the dealer has no order in two shipments")


def _tracking(carrier: str, bits: int) -> str:
    for name, prefix, digits in CARRIERS:
        if name == carrier:
            return f"{prefix}{bits % 10 ** digits:0{digits}d}"
    raise KeyError(carrier)
