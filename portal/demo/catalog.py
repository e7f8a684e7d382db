"""Turns the word lists of catalog_data into products, price tiers and stock levels.

Pure functions of a `random.Random`: the same seed gives the same catalog, byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from portal.demo.catalog_data import FAMILIES, UOM_EN, UOM_FR

SKU_RE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
# Price factors of the 1st, 2nd, 3rd brand of a family sold under several brands.
BRAND_FACTORS = (1.0, 1.12, 0.94)
# Tier discounts in basis points of the unit price: half case, full case, volume (5 cases).
HALF_BP, CASE_BP, VOLUME_BP = 9700, 9300, 8800


@dataclass(frozen=True)
class Option:
    code: str
    fr: str
    en: str
    factor: float
    case_pack: int | None


@dataclass
class ProductSpec:
    sku: str
    gtin: str
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    brand: str
    category: str  # leaf slug
    family: str  # SKU prefix of its family
    uom: str
    case_pack: int
    order_multiple: int
    lead_time_days: int
    unit_price_cents: int
    discontinued: bool = False
    replacement_sku: str | None = None
    kind: str = ""  # family and first option: what the product is for (all sizes, brands)
    variant: int = 0  # position of its second option (a size, a pack) in the family


def percent_bp(cents: int, basis_points: int) -> int:
    """cents × basis_points / 10000, rounded half up, in integers only."""
    return (cents * basis_points + 5000) // 10000


def fold(text: str) -> str:
    """Lower-case and accent-free (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_text(*parts: str) -> str:
    folded = fold(" ".join(p for p in parts if p))
    folded = re.sub(r"\s+", " ", folded).strip()
    # "œ", "æ" and "×" are not accents: keep them and add the words as people type them
    # too, so "oeufs" finds "œufs" and "4x40" finds "4×40".
    typed = str.maketrans({"œ": "oe", "æ": "ae", "×": "x"})
    spelled = {w.translate(typed) for w in folded.split() if w.translate(typed) != w}
    if spelled:
        folded += " " + " ".join(sorted(spelled))
    return folded


def ean13(first12: str) -> str:
    """Append the EAN-13 check digit."""
    assert len(first12) == 12 and first12.isdigit()
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def ean13_is_valid(code: str) -> bool:
    return len(code) == 13 and code.isdigit() and ean13(code[:12]) == code


def parse_options(specs: list[str], step: float) -> list[Option]:
    options = []
    for i, spec in enumerate(specs):
        parts = spec.split("|") + [""] * 5
        code, fr, en, factor, cp = (p.strip() for p in parts[:5])
        options.append(Option(
            code=(code or f"{i + 1:02d}").upper().replace(".", ""),
            fr=fr,
            en=en or fr,
            factor=float(factor) if factor else step ** i,
            case_pack=int(cp) if cp else None,
        ))
    return options


def brand_code(brand: str) -> str:
    words = [w for w in re.split(r"[^a-z0-9]+", fold(brand)) if len(w) >= 2]
    if len(words) >= 2:
        return "".join(w[0] for w in words).upper()[:4]
    return words[0][:3].upper()


def round_price(cents: float) -> int:
    if cents < 200:
        return max(5, round(cents))
    if cents < 2000:
        return int(round(cents / 5) * 5)
    return int(round(cents / 10) * 10)


def _order_multiple(rng, sell: str, case_pack: int) -> int:
    mode = rng.choice(sell)
    if case_pack == 1:
        return 1
    if mode == "h":
        return case_pack // 2 if case_pack >= 4 and case_pack % 2 == 0 else 1
    if mode == "c":
        return case_pack
    return 1


def _packaging(uom: str, case_pack: int) -> tuple[str, str]:
    if case_pack <= 1:
        return "", ""
    if uom == "bag" and case_pack >= 20:
        return f"Palette de {case_pack} sacs.", f"Pallet of {case_pack} bags."
    if uom == "m":
        return f"Touret de {case_pack} m.", f"Drum of {case_pack} m."
    return (f"Colis de {case_pack} {UOM_FR.get(uom, uom)}.",
            f"Case of {case_pack} {UOM_EN.get(uom, uom)}.")


def build_products(rng) -> list[ProductSpec]:
    """Every product of the catalog, in a stable order."""
    products: list[ProductSpec] = []
    brand_numbers: dict[str, int] = {}
    brand_sequences: dict[str, int] = {}
    seen_skus: set[str] = set()

    def gtin_for(brand: str) -> str:
        if brand not in brand_numbers:
            brand_numbers[brand] = 1000 + 37 * len(brand_numbers)
        brand_sequences[brand] = brand_sequences.get(brand, 0) + 1
        return ean13(f"376{brand_numbers[brand]:04d}{brand_sequences[brand]:05d}")

    for fam in FAMILIES:
        step = fam.get("step", 1.0)
        a_opts = parse_options(fam["a"], step)
        b_opts = parse_options(fam["b"], 1.0) if fam.get("b") else [None]
        brands = fam["brands"]
        per_brand = list(enumerate(brands)) if fam.get("multi_brand") else [(None, None)]
        lo, hi = fam.get("lead", (1, 5))
        for a in a_opts:
            for b in b_opts:
                for brand_index, fixed_brand in per_brand:
                    brand = fixed_brand if fixed_brand is not None else rng.choice(brands)
                    values = {"a_fr": a.fr, "a_en": a.en,
                              "b_fr": b.fr if b else "", "b_en": b.en if b else ""}
                    name_fr = fam["fr"].format(a=values["a_fr"], b=values["b_fr"], brand=brand)
                    name_en = fam["en"].format(a=values["a_en"], b=values["b_en"], brand=brand)
                    if fixed_brand is not None and "{brand}" not in fam["fr"]:
                        name_fr = f"{name_fr} – {brand}"
                        name_en = f"{name_en} – {brand}"
                    name_en = name_en[:1].upper() + name_en[1:]
                    name_fr = name_fr[:1].upper() + name_fr[1:]
                    parts = [fam["sku"], a.code] + ([b.code] if b else [])
                    if fixed_brand is not None:
                        parts.append(brand_code(brand))
                    sku = "-".join(parts)
                    assert SKU_RE.match(sku) and len(sku) <= 40, sku
                    assert sku not in seen_skus, sku
                    seen_skus.add(sku)

                    case_pack = (b.case_pack if b and b.case_pack else None) or a.case_pack \
                        or fam["cp"]
                    factor = a.factor * (b.factor if b else 1.0)
                    if brand_index is not None:
                        factor *= BRAND_FACTORS[brand_index % len(BRAND_FACTORS)]
                    price = round_price(fam["price"] * factor * rng.uniform(0.96, 1.04))
                    desc_fr, desc_en = rng.choice(fam["desc"])
                    pack_fr, pack_en = _packaging(fam["uom"], case_pack)
                    products.append(ProductSpec(
                        sku=sku,
                        gtin=gtin_for(brand),
                        name_fr=name_fr,
                        name_en=name_en,
                        description_fr=f"{desc_fr} {pack_fr}".strip(),
                        description_en=f"{desc_en} {pack_en}".strip(),
                        brand=brand,
                        category=fam["cat"],
                        family=fam["sku"],
                        uom=fam["uom"],
                        case_pack=case_pack,
                        order_multiple=_order_multiple(rng, fam["sell"], case_pack),
                        lead_time_days=rng.randint(lo, hi),
                        unit_price_cents=price,
                        kind=f"{fam['sku']}-{a.code}",
                        variant=b_opts.index(b) if b else 0,
                    ))
    return products


def replacement_candidates(old: ProductSpec, products: list[ProductSpec]) -> list[ProductSpec]:
    """Products that can stand in for `old`, best first: the same kind only (a set accelerator
    is never replaced by an antifreeze), the same size from another brand before the nearest
    other size or pack."""
    same_kind = [p for p in products if p.kind == old.kind and p is not old
                 and not p.discontinued and p.replacement_sku is None]
    same_kind.sort(key=lambda p: (abs(p.variant - old.variant), p.sku))
    best = [p for p in same_kind if p.variant == same_kind[0].variant] if same_kind else []
    return best


def choose_discontinued(rng, products: list[ProductSpec], count: int) -> None:
    """Mark `count` products discontinued, each replaced by an active one of the same kind."""
    by_family: dict[str, list[ProductSpec]] = {}
    for p in products:
        by_family.setdefault(p.family, []).append(p)
    families = [f for f, members in by_family.items() if len(members) >= 4
                and any(replacement_candidates(p, members) for p in members)]
    chosen = 0
    for family in rng.sample(families, min(count, len(families))):
        members = by_family[family]
        old = rng.choice([p for p in members if replacement_candidates(p, members)])
        new = rng.choice(replacement_candidates(old, members))
        old.discontinued = True
        old.replacement_sku = new.sku
        chosen += 1
    assert chosen == count


def base_tiers(unit_price: int, order_multiple: int, case_pack: int) -> list[tuple[int, int]]:
    """(min_qty, unit price) tiers matching how the product is sold."""
    volume = (5 * case_pack, percent_bp(unit_price, VOLUME_BP))
    if order_multiple == 1:
        tiers = [(1, unit_price)]
        if case_pack >= 4:
            tiers.append((case_pack // 2, percent_bp(unit_price, HALF_BP)))
        if case_pack > 1:
            tiers.append((case_pack, percent_bp(unit_price, CASE_BP)))
        tiers.append(volume)
    elif order_multiple * 2 == case_pack:
        tiers = [(order_multiple, percent_bp(unit_price, HALF_BP)),
                 (case_pack, percent_bp(unit_price, CASE_BP)), volume]
    else:
        tiers = [(case_pack, percent_bp(unit_price, CASE_BP)), volume]
    return tiers


def discounted(tiers: list[tuple[int, int]], basis_points: int) -> list[tuple[int, int]]:
    return [(q, percent_bp(c, basis_points)) for q, c in tiers]


def best_price(tiers: list[tuple[int, int]], quantity: int) -> int | None:
    """The cheapest unit price among the tiers whose minimum is reached."""
    reached = [c for q, c in tiers if q <= quantity]
    return min(reached) if reached else None


def stock_levels(rng, products: list[ProductSpec], warehouse_count: int) -> list[list[int]]:
    """Per product, the quantity in each warehouse: ~8 % out everywhere, ~6 % low (1–5)."""
    levels = []
    for p in products:
        roll = rng.random()
        if roll < 0.08 or (p.discontinued and roll < 0.5):
            levels.append([0] * warehouse_count)
        elif roll < 0.14:
            row = [0] * warehouse_count
            row[rng.randrange(warehouse_count)] = rng.randint(1, 5)
            levels.append(row)
        else:
            unit = max(p.case_pack, 1)
            row = []
            for w in range(warehouse_count):
                if rng.random() < 0.12:
                    row.append(0)
                else:
                    cases = rng.randint(2, 60) if w == 0 else rng.randint(0, 25)
                    row.append(cases * unit + rng.randint(0, unit - 1 if unit > 1 else 3))
            if not any(row):
                row[0] = unit * 3
            levels.append(row)
    return levels
