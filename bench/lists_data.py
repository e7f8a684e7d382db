"""Rows of what buyers keep between orders: shopping lists, carts; and sent outbox mail."""

from __future__ import annotations

from datetime import timedelta

import bench
from bench.accounts_data import Company, Ids, People
from bench.catalog_data import Catalog, Scale
from bench.orders_data import QTY_STEPS


def lists_and_carts(w, rng, scale: Scale, now, ids: Ids, cat: Catalog, people: People) -> None:
    lists, lines = [], []
    stamp = w.ts(now - timedelta(days=5))
    buyer = people.named[bench.BUYER]

    def add_list(c: Company, owner, name, size, shared, unit) -> None:
        lid = ids("shopping_lists")
        lists.append((lid, c.id, owner, name, w.flag(shared), unit, stamp, stamp))
        for position, pid in enumerate(rng.sample(c.pool, min(size, len(c.pool)))):
            qty = cat.order_multiple[pid] * QTY_STEPS[rng.randrange(len(QTY_STEPS))]
            lines.append((ids("shopping_list_lines"), lid, pid, qty, "", position))

    for c in people.companies:
        if c.status != "active":
            continue
        if c.id == 1:
            add_list(c, buyer, bench.BENCH_LIST_NAME, 50, False, c.jobsites[0])
        for n in range(30 if c.id == 1 else 3):
            owner = c.orderers[rng.randrange(len(c.orderers))]
            site = c.jobsites[rng.randrange(len(c.jobsites))] if c.jobsites else None
            add_list(c, owner, f"Liste {n + 1}", rng.randrange(5, 41), rng.random() < 0.5,
                     site if rng.random() < 0.3 else None)
        if len(lines) >= 20_000:
            _write_lists(w, lists, lines)
            lists, lines = [], []
    _write_lists(w, lists, lines)
    carts(w, rng, scale, now, ids, cat, people)


def _write_lists(w, lists, lines) -> None:
    w.write("shopping_lists", ("id", "company_id", "owner_id", "name", "shared", "unit_id",
                               "created_at", "updated_at"), lists)
    w.write("shopping_list_lines", ("id", "list_id", "product_id", "quantity", "note",
                                    "position"), lines)


def cart_line_rows(cat: Catalog, rng, cart_id: int, pool, count: int, ids=None) -> list[tuple]:
    """`count` orderable products of `pool` as cart lines (ids from `ids`, or none)."""
    chosen = [pid for pid in pool if cat.orderable[pid]][:count]
    return [((ids("cart_lines"),) if ids else ()) + (
        cart_id, pid, cat.order_multiple[pid] * QTY_STEPS[rng.randrange(len(QTY_STEPS))], "",
        position) for position, pid in enumerate(chosen)]


def carts(w, rng, scale: Scale, now, ids: Ids, cat: Catalog, people: People) -> None:
    stamp = w.ts(now - timedelta(hours=3))
    big = people.companies[0]
    buyer = people.named[bench.BUYER]
    cart_rows, line_rows = [], []
    cid = ids("carts")
    cart_rows.append((cid, buyer, big.id, stamp))
    line_rows += cart_line_rows(cat, rng, cid, big.pool, bench.CART_LINES, ids)
    taken = {buyer}
    active = [c for c in people.companies if c.status == "active" and c.buyers]
    for _ in range(scale.carts):
        c = active[rng.randrange(len(active))]
        user = c.buyers[rng.randrange(len(c.buyers))]
        if user in taken:
            continue
        taken.add(user)
        cid = ids("carts")
        cart_rows.append((cid, user, c.id, stamp))
        pool = rng.sample(c.pool, min(20, len(c.pool)))
        line_rows += cart_line_rows(cat, rng, cid, pool, rng.randrange(1, 11), ids)
    w.write("carts", ("id", "user_id", "company_id", "updated_at"), cart_rows)
    w.write("cart_lines", ("id", "cart_id", "product_id", "quantity", "note", "position"),
            line_rows)
    outbox = [(ids("outbox"), "order_status", f"u{n}@bench.test", "Votre commande",
               "Votre commande a été expédiée.", stamp, stamp, stamp, 1, "")
              for n in range(1, 1_001)]
    w.write("outbox", ("id", "kind", "to_address", "subject", "body_text", "created_at",
                       "next_attempt_at", "sent_at", "attempts", "last_error"), outbox)
