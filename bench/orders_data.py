"""Rows of two years of business: orders, lines, events, shipments, approvals; lists, carts."""

from __future__ import annotations

from datetime import timedelta

import bench
from bench.accounts_data import Company, Ids, People
from bench.catalog_data import CHR_GROUP, WAREHOUSES, Catalog, Scale
from bench.words import CARRIERS

YEARS_DAYS = 730
CHUNK = 4_000
QTY_STEPS = (1, 1, 1, 2, 2, 3, 4, 5, 10)
SHIPMENT_DAYS = 120  # orders older than this keep shipped quantities but no shipment rows

ORDER_COLUMNS = ("id", "number", "company_id", "unit_id", "jobsite_id", "ship_to",
                 "site_contact", "delivery_window", "delivery_notes", "placed_by_id",
                 "on_behalf_by_id", "po_number", "requested_date", "notes", "payment_terms",
                 "currency", "subtotal_cents", "tax_cents", "total_cents", "status",
                 "content_version", "submit_token", "placed_at", "updated_at")
LINE_COLUMNS = ("id", "order_id", "position", "product_id", "sku", "name", "quantity",
                "unit_price_cents", "line_total_cents", "note", "shipped_qty", "backordered_qty",
                "backorder_date")
EVENT_COLUMNS = ("id", "order_id", "at", "actor_id", "kind", "status", "message")
REQUEST_COLUMNS = ("id", "order_id", "company_id", "step", "rule_id", "approver_role",
                   "approver_unit_id", "approver_user_id", "reason", "status", "content_version",
                   "decided_by_id", "decided_at", "comment", "created_at", "reminded_at")
SHIPMENT_COLUMNS = ("id", "order_id", "warehouse_id", "carrier", "tracking_number", "shipped_at",
                    "created_by_id")
AUDIT_COLUMNS = ("id", "at", "company_id", "actor_id", "acting_staff_id", "action",
                 "object_type", "object_id", "detail")

MESSAGES = {
    "submitted": "Commande transmise.",
    "pending_approval": "En attente de validation.",
    "confirmed": "Commande confirmée par l'entrepôt.",
    "partially_shipped": "Expédition partielle.",
    "shipped": "Commande expédiée.",
    "delivered": "Commande livrée.",
    "cancelled": "Commande annulée à la demande du client.",
    "rejected": "Refusée : budget du chantier dépassé.",
}


def _status_for(rng, age_days: float) -> str:
    roll = rng.random()
    if age_days > 30:
        table = ((0.92, "delivered"), (0.96, "cancelled"), (0.98, "rejected"), (1, "shipped"))
    elif age_days > 7:
        table = ((0.6, "delivered"), (0.85, "shipped"), (0.9, "partially_shipped"),
                 (0.95, "cancelled"), (1, "confirmed"))
    else:
        table = ((0.3, "submitted"), (0.6, "confirmed"), (0.7, "partially_shipped"),
                 (0.9, "shipped"), (1, "delivered"))
    return next(status for limit, status in table if roll < limit)


class OrderBuilder:
    """Turns order headers into rows of seven tables, chunk by chunk."""

    def __init__(self, w, rng, scale: Scale, now, ids: Ids, cat: Catalog, people: People):
        self.w, self.rng, self.scale, self.now, self.ids = w, rng, scale, now, ids
        self.cat, self.people = cat, people
        self.by_id = {c.id: c for c in people.companies}
        self.sites_of_branch = {
            c.id: {b: [s for s in c.jobsites if c.jobsite_branch[s] == b] for b in c.branches}
            for c in people.companies}
        self.counts = dict.fromkeys(("orders", "order_lines", "order_events",
                                     "approval_requests", "shipments", "shipment_lines",
                                     "audit_entries"), 0)
        self._reset()

    def _reset(self) -> None:
        self.rows = {name: [] for name in self.counts}

    # -- headers -------------------------------------------------------------------------

    def headers(self) -> list[tuple]:
        """(age in days, company id, kind) for every order, oldest first."""
        rng, scale = self.rng, self.scale
        allowed = [c for c in self.people.companies if c.orders_allowed and c.id != 1]
        weights, total = [], 0.0
        for _ in allowed:
            total += rng.paretovariate(1.6)
            weights.append(total)
        others = rng.choices(allowed, cum_weights=weights, k=scale.orders - scale.big_orders)
        found = [(rng.random() * YEARS_DAYS, c.id, "normal") for c in others]
        found += [(rng.random() * YEARS_DAYS, 1, "normal") for _ in range(scale.big_orders - 2)]
        found += [(10.2, 1, "reorder"), (3.3, 1, "detail")]
        found.sort(key=lambda h: -h[0])
        recent = [i for i, h in enumerate(found) if h[0] < 20 and h[2] == "normal"]
        big_recent = [i for i in recent if found[i][1] == 1]
        other_recent = [i for i in recent if found[i][1] != 1]
        pending = set(rng.sample(big_recent, min(scale.big_pending, len(big_recent))))
        pending |= set(rng.sample(other_recent, min(scale.pending - len(pending),
                                                     len(other_recent))))
        return [(age, cid, "pending" if i in pending else kind)
                for i, (age, cid, kind) in enumerate(found)]

    # -- one order -----------------------------------------------------------------------

    def add(self, age: float, company_id: int, kind: str) -> None:
        rng, c = self.rng, self.by_id[company_id]
        placed = self.now - timedelta(days=age)
        placed = placed.replace(hour=6 + rng.randrange(12), minute=rng.randrange(60))
        placed = min(placed, self.now)
        status = {"pending": "pending_approval", "reorder": "delivered",
                  "detail": "partially_shipped"}.get(kind) or _status_for(rng, age)
        placer = self._placer(c, kind, status)
        site = self._site(c, placer)
        oid = self.ids("orders")
        lines, subtotal = self._lines(oid, c, kind, status, placed)
        po = {"reorder": bench.REORDER_ORDER_PO, "detail": bench.DETAIL_ORDER_PO}.get(kind) or (
            f"PO-{oid}" if c.po_required or rng.random() < 0.3 else "")
        events = self._events(oid, c, placer, site, status, placed)
        w = self.w
        self.rows["orders"].append((
            oid, f"CMD-{placed.year}-{oid:06d}", c.id, site, site, c.ship_to.get(site, ""), "",
            "", "", placer, self.people.staff_admin if rng.random() < 0.02 else None, po,
            w.day((placed + timedelta(days=rng.randrange(2, 8))).date()), "", c.terms, "EUR",
            subtotal, subtotal // 5, subtotal + subtotal // 5, status, 1, None, w.ts(placed),
            events[-1][2]))
        if age <= SHIPMENT_DAYS and status in ("partially_shipped", "shipped", "delivered"):
            self._shipment(oid, lines, placed)

    def _placer(self, c: Company, kind: str, status: str) -> int:
        rng = self.rng
        if c.id == 1 and (kind in ("reorder", "detail") or rng.random() < 0.2):
            return self.people.named[bench.BUYER]
        if status == "pending_approval" and c.buyers:
            return c.buyers[rng.randrange(len(c.buyers))]
        return c.orderers[rng.randrange(len(c.orderers))]

    def _site(self, c: Company, placer: int) -> int | None:
        branch = c.user_branch.get(placer)
        sites = self.sites_of_branch[c.id].get(branch) if branch else None
        sites = sites or c.jobsites
        return sites[self.rng.randrange(len(sites))] if sites else None

    def _products(self, c: Company, count: int) -> list[int]:
        rng, cat = self.rng, self.cat
        from_pool = sum(1 for _ in range(count) if rng.random() < 0.85)
        chosen = rng.sample(c.pool, min(from_pool, len(c.pool)))
        seen = set(chosen)
        for _ in range(count - len(chosen)):
            pid = (cat.chr_visible[rng.randrange(len(cat.chr_visible))] if c.group == CHR_GROUP
                   else rng.randrange(1, cat.count + 1))
            if pid not in seen:
                seen.add(pid)
                chosen.append(pid)
        return chosen

    def _lines(self, oid, c: Company, kind: str, status: str, placed) -> tuple[list, int]:
        rng, cat, w = self.rng, self.cat, self.w
        if kind == "reorder":
            products = rng.sample(c.pool, min(100, len(c.pool)))
        elif kind == "detail":
            products = rng.sample(c.pool, 12)
        else:
            # Geometric-like sizes: many small orders, a few long ones; mean ≈ mean_lines.
            count = min(60, 1 + int(rng.expovariate(1 / (self.scale.mean_lines - 1)) + 0.5))
            products = self._products(c, count)
        factor = 85 if c.contract_list else 92
        subtotal, made, backordered = 0, [], False
        for position, pid in enumerate(products):
            qty = cat.order_multiple[pid] * QTY_STEPS[rng.randrange(len(QTY_STEPS))]
            price = cat.price[pid] * factor // 100
            shipped, back, back_date = 0, 0, None
            if status in ("shipped", "delivered"):
                shipped = qty
            elif status == "partially_shipped":
                if position % 2 == 0:
                    shipped = qty
                elif not backordered:
                    backordered, back = True, qty
                    back_date = w.day((placed + timedelta(days=14)).date())
            line_id = self.ids("order_lines")
            made.append((line_id, shipped))
            self.rows["order_lines"].append((line_id, oid, position, pid, cat.sku[pid],
                                             cat.name_fr[pid], qty, price, price * qty, "",
                                             shipped, back, back_date))
            subtotal += price * qty
        return made, subtotal

    def _events(self, oid, c: Company, placer, site, status, placed) -> list[tuple]:
        rng, w = self.rng, self.w
        worker = self.people.fulfilment[rng.randrange(len(self.people.fulfilment))]
        approver = c.approvers[rng.randrange(len(c.approvers))] if c.approvers else placer
        steps: list[tuple] = []
        approval = status in ("pending_approval", "rejected") or rng.random() < 0.08
        if approval:
            steps.append(("status", "pending_approval", placer, 0))
            if status != "pending_approval":
                decision = "rejected" if status == "rejected" else "approved"
                self._decided_request(oid, c, approver, decision, placed)
                steps.append(("approval", "rejected" if decision == "rejected" else "submitted",
                              approver, 2))
            else:
                self._pending_request(oid, c, site, placed)
        elif status != "rejected":
            steps.append(("status", "submitted", placer, 0))
        later = {"confirmed": ("confirmed",), "partially_shipped": ("confirmed",
                                                                     "partially_shipped"),
                 "shipped": ("confirmed", "shipped"), "delivered": ("confirmed", "shipped",
                                                                     "delivered"),
                 "cancelled": ("cancelled",)}.get(status, ())
        hours = {"confirmed": 3, "partially_shipped": 26, "shipped": 30, "delivered": 74,
                 "cancelled": 1}
        for step in later:
            kind = "shipment" if step in ("shipped", "partially_shipped") else "status"
            steps.append((kind, step, worker, hours[step]))
        made = []
        for kind, step, actor, after in steps:
            at = w.ts(placed + timedelta(hours=after))
            made.append((self.ids("order_events"), oid, at, actor, kind, step, MESSAGES[step]))
        self.rows["order_events"].extend(made)
        return made

    def _pending_request(self, oid, c: Company, site, placed) -> None:
        site_branch = c.jobsite_branch.get(site) if site is not None else None
        unit = c.branch_division.get(site_branch) if c.id == 1 else site_branch
        self.rows["approval_requests"].append((
            self.ids("approval_requests"), oid, c.id, 0, c.limit_rule, "approver", unit, None,
            "Au-delà de la limite par commande de l'acheteur.", "pending", 1, None, None, "",
            self.w.ts(placed), None))

    def _decided_request(self, oid, c: Company, approver, decision, placed) -> None:
        at = self.w.ts(placed + timedelta(hours=2))
        self.rows["approval_requests"].append((
            self.ids("approval_requests"), oid, c.id, 0, c.limit_rule, "approver", None, None,
            "Au-delà de la limite par commande de l'acheteur.", decision, 1, approver, at,
            "Budget du chantier dépassé." if decision == "rejected" else "", at, None))
        self.rows["audit_entries"].append((
            self.ids("audit_entries"), at, c.id, approver, None,
            "approval.reject" if decision == "rejected" else "approval.approve", "order", oid,
            self.w.json({})))

    def _shipment(self, oid, lines, placed) -> None:
        rng = self.rng
        sid = self.ids("shipments")
        self.rows["shipments"].append((
            sid, oid, WAREHOUSES[rng.randrange(len(WAREHOUSES))][0],
            CARRIERS[rng.randrange(len(CARRIERS))], f"TRK{rng.randrange(10**9, 10**10)}",
            self.w.ts(placed + timedelta(hours=26)),
            self.people.fulfilment[rng.randrange(len(self.people.fulfilment))]))
        for line_id, shipped in lines:
            if shipped:
                self.rows["shipment_lines"].append((self.ids("shipment_lines"), sid, line_id,
                                                    shipped))

    def flush(self) -> None:
        columns = {"orders": ORDER_COLUMNS, "order_lines": LINE_COLUMNS,
                   "order_events": EVENT_COLUMNS, "approval_requests": REQUEST_COLUMNS,
                   "shipments": SHIPMENT_COLUMNS,
                   "shipment_lines": ("id", "shipment_id", "order_line_id", "quantity"),
                   "audit_entries": AUDIT_COLUMNS}
        for name, rows in self.rows.items():
            if rows:
                self.w.write(name, columns[name], rows)
                self.counts[name] += len(rows)
        self._reset()


def orders(w, rng, scale: Scale, now, ids: Ids, cat: Catalog, people: People) -> dict:
    builder = OrderBuilder(w, rng, scale, now, ids, cat, people)
    headers = builder.headers()
    progress = bench.Progress("orders", len(headers))
    for index, (age, company_id, kind) in enumerate(headers, start=1):
        builder.add(age, company_id, kind)
        if index % CHUNK == 0:
            builder.flush()
            progress.advance(CHUNK)
    builder.flush()
    progress.done = len(headers)
    progress.close()
    return builder.counts
