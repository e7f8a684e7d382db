"""Finding products from a code as typed or scanned: the code normalised, a GTIN (the number
under a barcode) turned into its product's SKU, suggestions while typing, and "did you mean"
for an unknown code. Only what this buyer may see is offered.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence

from sqlalchemy import and_, case, or_, select, union

from portal.extensions import db
from portal.models import Product
from portal.services.ordering import gtin
from portal.services.selling import offers_for, visible_products

SUGGESTIONS = 8
# "Did you mean": close SKUs offered for an unknown one. Only the first unknown lines get
# them, so a pasted list of junk costs one bounded query, not one per line.
NEAR_PER_LINE = 3
NEAR_LINES = 20
NEAR_CANDIDATES = 1000
NEAR_RATIO = 0.6


def normalize_sku(raw: str) -> str:
    return "".join((raw or "").split()).upper()


def skus_for_gtins(user, codes) -> dict[str, str]:
    """For each code that is no SKU but the GTIN of a product this buyer sees: its SKU.

    One query whatever the number of codes. A GTIN matches at any length (a UPC-A read as
    EAN-13, a GTIN-14 with a leading 0); a SKU that happens to be all digits wins.
    """
    codes = {normalize_sku(c) for c in codes} - {""}
    lengths = {code: gtin.equivalents(code) for code in codes if gtin.is_valid(code)}
    if not lengths:
        return {}
    wanted = {form for forms in lengths.values() for form in forms}
    rows = db.session.execute(
        visible_products(user).where(or_(Product.gtin.in_(wanted), Product.sku.in_(lengths)))
        .with_only_columns(Product.sku, Product.gtin)).all()
    skus = {row.sku for row in rows}
    by_gtin = {row.gtin: row.sku for row in rows if row.gtin}
    found = {}
    for code, forms in lengths.items():
        sku = next((by_gtin[f] for f in forms if f in by_gtin), None)
        if sku is not None and code not in skus:
            found[code] = sku
    return found


def bad_check_digit(code: str) -> bool:
    """A code that looks like a GTIN (digits, barcode length) whose last digit is wrong."""
    return gtin.looks_like_gtin(code) and not gtin.is_valid(code)


def rank_near(typed: str, words: Sequence[str], candidates: Sequence,
              limit: int = NEAR_PER_LINE) -> list:
    """The candidates (anything with `sku` and `search_text`) closest to what was typed,
    best first; far ones left out.

    Close means a SKU that differs by a typo or two, or a name holding every word typed
    (a name typed in the SKU field).
    """
    scored = []
    for product in candidates:
        ratio = difflib.SequenceMatcher(None, typed, product.sku).ratio()
        if words and all(w in (product.search_text or "") for w in words):
            ratio = max(ratio, 0.9)
        if ratio >= NEAR_RATIO and product.sku != typed:
            scored.append((-ratio, product.sku, product))
    return [product for _r, _sku, product in sorted(scored, key=lambda x: x[:2])[:limit]]


def _words(text: str) -> list[str]:
    folded = "".join(c for c in unicodedata.normalize("NFKD", (text or "").lower()[:60])
                     if not unicodedata.combining(c))
    return [w for w in folded.split() if len(w) >= 3][:3]


def near_skus(user, typed: Sequence[tuple[str, str]],
              lang: str = "fr") -> dict[str, tuple[tuple[str, str], ...]]:
    """For each unknown (SKU, text as typed), up to 3 (sku, name) this buyer can order.

    Candidates share the first or the last half of the SKU (one typo spoils only one half)
    or hold every word typed in their name; only visible, current, priced products are
    offered. One query for the candidates and one for their prices, whatever the lines.
    """
    wanted = {sku: _words(text) for sku, text in typed if len(sku) >= 3}
    wanted = dict(list(wanted.items())[:NEAR_LINES])
    if not wanted:
        return {}
    patterns, named = set(), []
    for sku, words in wanted.items():
        half = max(3, len(sku) // 2)
        patterns |= {_like(sku[:half]) + "%", "%" + _like(sku[-half:])}
        if words:
            named.append(and_(*[Product.search_text.like(f"%{_like(w)}%", escape="\\")
                                for w in words]))
    # The codes and the names are matched apart, then joined: in one OR the database read
    # the whole catalog in SKU order, a row at a time (SQLite: 58 ms for one unknown code
    # among 50,000 products), where each part alone is a plain scan or an index.
    found = select(Product.id).where(or_(*[Product.sku.like(pattern, escape="\\")
                                           for pattern in sorted(patterns)]))
    if named:
        found = union(found, select(Product.id).where(or_(*named)))
    # Plain rows, not ORM objects: up to a thousand candidates are read to offer a few.
    pool = db.session.execute(
        visible_products(user).where(Product.id.in_(found), Product.discontinued.is_(False))
        .with_only_columns(Product.id, Product.sku, Product.search_text)
        .order_by(Product.sku).limit(NEAR_CANDIDATES)).all()
    ranked = {sku: rank_near(sku, words, pool) for sku, words in wanted.items()}
    ids = {row.id for found in ranked.values() for row in found}
    if not ids:
        return {}
    offers = offers_for(user).load(ids)
    return {sku: tuple((row.sku, offers[row.id].product.name(lang)) for row in found
                       if offers[row.id].sellable)
            for sku, found in ranked.items() if found}


def suggest(user, text: str, lang: str = "fr") -> list[tuple[str, str]]:
    """Up to 8 visible products whose SKU starts with, or whose name holds, what was typed."""
    text = (text or "").strip()[:60]
    if len(text) < 2:
        return []
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower())
                     if not unicodedata.combining(c))
    sku_match = Product.sku.like(_like(normalize_sku(text)) + "%", escape="\\")
    name_match = and_(*[Product.search_text.like(f"%{_like(w)}%", escape="\\")
                        for w in folded.split()[:5]])
    stmt = (visible_products(user)
            .where(or_(sku_match, name_match), Product.discontinued.is_(False))
            .order_by(case((sku_match, 0), else_=1), Product.sku)
            .limit(SUGGESTIONS))
    return [(p.sku, p.name(lang)) for p in db.session.scalars(stmt)]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
