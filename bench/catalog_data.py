"""Rows of the catalog side of the bench data set: categories, products, stock, prices.

Every builder draws from the one `random.Random(7)` of the run, in a fixed order, so the
same scale always gives the same rows (only absolute dates follow the day of generation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from bench import words


@dataclass(frozen=True)
class Scale:
    name: str
    products: int
    companies: int
    users: int
    orders: int
    mean_lines: float
    big_orders: int
    big_users: int
    pending: int
    big_pending: int
    carts: int
    contract_products: int
    big_pool: int
    pool: int


FULL = Scale("full", products=50_000, companies=1_000, users=10_000, orders=200_000,
             mean_lines=10.0, big_orders=20_000, big_users=60, pending=2_000, big_pending=150,
             carts=1_500, contract_products=750, big_pool=1_500, pool=150)
SMALL = Scale("small", products=2_500, companies=50, users=500, orders=10_000, mean_lines=10.0,
              big_orders=1_000, big_users=30, pending=100, big_pending=30, carts=75,
              contract_products=150, big_pool=400, pool=80)
SCALES = {"full": FULL, "small": SMALL}

WAREHOUSES = [(1, "LYO", "Entrepôt Lyon Sud", "Saint-Fons"),
              (2, "PAR", "Entrepôt Paris Nord", "Gennevilliers"),
              (3, "MRS", "Entrepôt Marseille", "Vitrolles")]
BASE_LIST, BTP_LIST, CHR_LIST = 1, 2, 3
FIRST_CONTRACT_LIST = 4
CONTRACT_LISTS = 20
BTP_GROUP, CHR_GROUP = 1, 2


def gtin13(n: int) -> str:
    """A valid EAN-13 in the French range: 376, nine digits, check digit."""
    body = f"376{n:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


@dataclass
class Catalog:
    """What the later builders need to know about the products, by product id (index 0 unused)."""

    leaf_ids: list[int] = field(default_factory=list)
    chr_leaf_ids: set[int] = field(default_factory=set)
    chr_top_ids: list[int] = field(default_factory=list)
    category: list[int] = field(default_factory=lambda: [0])
    sku: list[str] = field(default_factory=lambda: [""])
    name_fr: list[str] = field(default_factory=lambda: [""])
    order_multiple: list[int] = field(default_factory=lambda: [1])
    case_pack: list[int] = field(default_factory=lambda: [1])
    price: list[int] = field(default_factory=lambda: [0])
    orderable: list[bool] = field(default_factory=lambda: [False])
    chr_visible: list[int] = field(default_factory=list)  # ids a CHR company may see
    by_leaf: dict[int, list[int]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.sku) - 1


def categories(w, cat: Catalog) -> None:
    rows, next_id = [], len(words.CATEGORIES) + 1
    for top_index, (slug, fr, en, _prefix, subs) in enumerate(words.CATEGORIES, start=1):
        rows.append((top_index, None, slug, fr, en, top_index))
        if slug in words.CHR_TOPS:
            cat.chr_top_ids.append(top_index)
        for position, (sub_slug, sub_fr, sub_en, _nouns, _sizes) in enumerate(subs, start=1):
            rows.append((next_id, top_index, f"{slug}-{sub_slug}", sub_fr, sub_en, position))
            cat.leaf_ids.append(next_id)
            if slug in words.CHR_TOPS:
                cat.chr_leaf_ids.add(next_id)
            next_id += 1
    w.write("categories", ("id", "parent_id", "slug", "name_fr", "name_en", "position"), rows)


def _leaves():
    for _slug, _fr, _en, prefix, subs in words.CATEGORIES:
        for sub in subs:
            yield prefix, sub


def products(w, rng, scale: Scale, cat: Catalog, now, search_text_for) -> None:
    leaves = list(zip(cat.leaf_ids, _leaves(), strict=True))
    columns = ("id", "sku", "gtin", "name_fr", "name_en", "description_fr", "description_en",
               "brand", "category_id", "uom", "case_pack", "order_multiple", "lead_time_days",
               "discontinued", "replacement_id", "active", "search_text", "updated_at")
    stamp = w.ts(now)
    rows = []
    for pid in range(1, scale.products + 1):
        leaf_id, (prefix, (_s, _fr, _en, nouns, sizes)) = leaves[rng.randrange(len(leaves))]
        noun_fr, noun_en = nouns[rng.randrange(len(nouns))]
        mat_fr, mat_en = words.MATERIALS[rng.randrange(len(words.MATERIALS))]
        fin_fr, fin_en = words.FINISHES[rng.randrange(len(words.FINISHES))]
        size = sizes[rng.randrange(len(sizes))]
        brand = words.BRANDS[rng.randrange(len(words.BRANDS))]
        name_fr = " ".join(x for x in (noun_fr, mat_fr, size, fin_fr) if x)
        name_en = " ".join(x for x in (mat_en, noun_en, size, fin_en) if x)
        case_pack = rng.choice((1, 1, 4, 6, 10, 12, 20, 25, 50, 100))
        roll = rng.random()
        if case_pack == 1 or roll < 0.35:
            order_multiple = 1
        elif roll < 0.5 and case_pack % 2 == 0:
            order_multiple = case_pack // 2
        else:
            order_multiple = case_pack
        siblings = cat.by_leaf.setdefault(leaf_id, [])
        discontinued = rng.random() < 0.02
        replacement = None
        if discontinued and siblings:
            replacement = next((s for s in reversed(siblings[-20:]) if cat.orderable[s]), None)
        active = rng.random() > 0.005
        sku = f"{prefix}-{pid:06d}"
        gtin = gtin13(pid) if rng.random() < 0.9 else None
        desc_fr = " ".join(
            f"{noun_fr} {mat_fr} {size}, marque {brand}, vendu par {case_pack}.".split())
        desc_en = " ".join(
            f"{mat_en} {noun_en} {size}, by {brand}, sold in packs of {case_pack}.".split())
        text = search_text_for(SimpleNamespace(
            sku=sku, gtin=gtin, name_fr=name_fr, name_en=name_en, brand=brand,
            description_fr=desc_fr, description_en=desc_en))
        rows.append((pid, sku, gtin, name_fr, name_en, desc_fr, desc_en, brand, leaf_id,
                     words.UOMS[rng.randrange(len(words.UOMS))], case_pack, order_multiple,
                     rng.choice((1, 1, 2, 2, 2, 3, 5, 7, 10, 15)), w.flag(discontinued),
                     replacement, w.flag(active), text, stamp))
        siblings.append(pid)
        cat.category.append(leaf_id)
        cat.sku.append(sku)
        cat.name_fr.append(name_fr)
        cat.order_multiple.append(order_multiple)
        cat.case_pack.append(case_pack)
        # Log-uniform-ish unit prices from 0.30 EUR to about 400 EUR.
        cat.price.append(int(30 * (1.27 ** rng.randrange(31))) + rng.randrange(30))
        cat.orderable.append(active and not discontinued)
        if leaf_id in cat.chr_leaf_ids:
            cat.chr_visible.append(pid)
        if len(rows) >= 10_000:
            w.write("products", columns, rows)
            rows = []
    w.write("products", columns, rows)


def stock(w, rng, cat: Catalog) -> None:
    rows = []
    for pid in range(1, cat.count + 1):
        for wid, *_rest in WAREHOUSES:
            roll = rng.random()
            qty = 0 if roll < 0.15 else rng.randrange(1, 60) * cat.case_pack[pid]
            rows.append((pid, wid, qty))
        if len(rows) >= 15_000:
            w.write("stock", ("product_id", "warehouse_id", "quantity"), rows)
            rows = []
    w.write("stock", ("product_id", "warehouse_id", "quantity"), rows)


def price_lists(w) -> None:
    rows = [(BASE_LIST, "BASE", "Tarif de base", "EUR", w.flag(True)),
            (BTP_LIST, "GRP-BTP", "Tarif BTP", "EUR", w.flag(False)),
            (CHR_LIST, "GRP-CHR", "Tarif CHR", "EUR", w.flag(False))]
    rows += [(FIRST_CONTRACT_LIST + i, f"CONTRACT-{i + 1:03d}", f"Contrat {i + 1:03d}", "EUR",
              w.flag(False)) for i in range(CONTRACT_LISTS)]
    w.write("price_lists", ("id", "code", "name", "currency", "is_base"), rows)
    w.write("customer_groups", ("id", "code", "name", "price_list_id"),
            [(BTP_GROUP, "BTP", "Bâtiment et travaux publics", BTP_LIST),
             (CHR_GROUP, "CHR", "Cafés, hôtels, restaurants", CHR_LIST)])


class TierWriter:
    columns = ("id", "price_list_id", "product_id", "min_qty", "unit_price_cents")

    def __init__(self, w):
        self.w, self.rows, self.next_id = w, [], 1

    def add(self, list_id: int, pid: int, price: int, case_pack: int, volume: bool) -> None:
        self._row(list_id, pid, 1, price)
        if case_pack > 1:
            self._row(list_id, pid, case_pack, price * 95 // 100)
        if volume:
            self._row(list_id, pid, 10 * case_pack, price * 88 // 100)

    def _row(self, list_id, pid, min_qty, price) -> None:
        self.rows.append((self.next_id, list_id, pid, min_qty, max(price, 1)))
        self.next_id += 1
        if len(self.rows) >= 20_000:
            self.flush()

    def flush(self) -> None:
        self.w.write("price_tiers", self.columns, self.rows)
        self.rows = []


def base_and_group_tiers(w, rng, cat: Catalog) -> TierWriter:
    tiers = TierWriter(w)
    for pid in range(1, cat.count + 1):
        price, case_pack = cat.price[pid], cat.case_pack[pid]
        tiers.add(BASE_LIST, pid, price, case_pack, rng.random() < 0.3)
        if rng.random() < 0.3:
            tiers.add(BTP_LIST, pid, price * 92 // 100, case_pack if rng.random() < 0.5 else 1,
                      False)
        if cat.category[pid] in cat.chr_leaf_ids and rng.random() < 0.3:
            tiers.add(CHR_LIST, pid, price * 90 // 100, case_pack if rng.random() < 0.5 else 1,
                      False)
    return tiers


def contract_tiers(tiers: TierWriter, rng, cat: Catalog, list_id: int, product_ids) -> None:
    for pid in product_ids:
        tiers.add(list_id, pid, cat.price[pid] * 85 // 100,
                  cat.case_pack[pid] if rng.random() < 0.2 else 1, False)


def visibility(w, cat: Catalog) -> None:
    rows = [(i + 1, CHR_GROUP, None, top_id, None) for i, top_id in enumerate(cat.chr_top_ids)]
    w.write("visibility_rules",
            ("id", "customer_group_id", "company_id", "category_id", "product_id"), rows)
