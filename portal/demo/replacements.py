"""Service intervals in the demo, and the purchases that make "À remplacer" show.

A few products wear out at a known pace (staff set it on the product's back-office page): fall
arrest harnesses (inspected and replaced yearly), respirator filters, kitchen safety shoes,
microfibre mop pads. Isabelle Fontaine (contact@terrasses-vieux-port.demo.test, the hotel's
buyer) bought mop pads a little over six months ago and kitchen shoes a little over a year ago,
so her home page suggests both again whatever the day the demo is seeded: each is shown from a
week before its interval has passed until a second one has, and the dates are counted back
from the seeding `now`. The products are ones her random history never picked; the purchases
draw from their own generator, so the rest of the demo draws as before.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.demo.history import HistoryBuilder, OrderDraft

# SKU prefix -> months between replacements.
INTERVALS = (("ANC-H", 12), ("ANC-KIT", 12), ("PRT-A2P3-", 6), ("CHS-CUI-", 12),
             ("MNT-FMF-", 6))
# SKU prefix -> days ago: past the interval by a week or so, well before twice it.
PLANTED = (("MNT-FMF-", 190), ("CHS-CUI-4", 375))
SEED = 2128


def interval_of(sku: str) -> int | None:
    return next((months for prefix, months in INTERVALS if sku.startswith(prefix)), None)


def plant_replacements(builder: HistoryBuilder, company: dict,
                       drafts: list[OrderDraft]) -> list[OrderDraft]:
    buyer = company["users"][0]
    bought = {line.product["id"] for d in drafts if d.user is buyer for line in d.lines}
    free = [p for p in builder.products if p["id"] not in bought and not p["discontinued"]
            and p["stock_total"] > 0]
    site = next(iter(company["jobsites"].values()), None)
    orders = []
    with builder.drawing_from(SEED):
        for prefix, days in PLANTED:
            product = next(p for p in free if p["sku"].startswith(prefix))
            placed = datetime.combine(builder.today - timedelta(days=days), time(10, 30), UTC)
            orders.append(builder.delivered(company, buyer, site, product, placed))
    return orders
