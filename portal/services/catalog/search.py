"""Product search: an exact SKU or GTIN first, then words, with filters, sort and paging.

One entry point, `search(user, query, lang)`, with two backends chosen by the database:

- SQLite: the FTS5 table `product_fts` (see catalog.search_index), ranked by bm25. When the
  SQLite build has no FTS5, search falls back to the LIKE backend.
- PostgreSQL (and the fallback): every word must occur in `Product.search_text`, which holds
  the accent-free, case-folded text of the product. Note: at 50k+ products this wants a
  trigram index, `CREATE EXTENSION pg_trgm; CREATE INDEX ix_products_search_trgm ON products
  USING gin (search_text gin_trgm_ops);`, which serves these `LIKE '%word%'` conditions as is.

Words are normalized the same way on both sides (NFKD, accents dropped, case-folded), user
input only ever travels as bound parameters, and FTS5 tokens are quoted string literals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import Float, Integer, case, exists, or_, select, text
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from portal.models import Product, ShoppingList, ShoppingListLine, Stock
from portal.services.catalog.facets import Requested, filter_args, read_filters, without
from portal.services.catalog.search_index import (
    fold,
    uses_fts,
)
from portal.services.selling import proven_visible, visible_products

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
MAX_WORD_CHARS = 40
MAX_PAGE = 500
PER_PAGE = 20
SORTS = ("relevance", "name", "sku")

_WORD = re.compile(r"[^\W_]+")
# Control, surrogate, private-use and unassigned code points never reach a query or a page.
_DROPPED_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}


# --- Words -------------------------------------------------------------------------------


def clean_query(raw) -> str:
    """What the user typed, without control characters, squeezed and cut to a sane length."""
    text_ = raw if isinstance(raw, str) else ""
    text_ = text_[: MAX_QUERY_CHARS * 4]
    kept = "".join(" " if unicodedata.category(ch) in _DROPPED_CATEGORIES else ch
                   for ch in text_)
    return " ".join(kept.split())[:MAX_QUERY_CHARS].strip()


def words(value: str) -> list[str]:
    """The distinct search words of a text, in order, at most MAX_WORDS."""
    found: list[str] = []
    for word in _WORD.findall(fold(value)):
        word = word[:MAX_WORD_CHARS]
        if word not in found:
            found.append(word)
        if len(found) == MAX_WORDS:
            break
    return found


def fts_match(found_words: list[str]) -> str:
    """An FTS5 query where every word is a quoted literal used as a prefix."""
    quoted = ['"' + w.replace('"', "") + '"*' for w in found_words if w.replace('"', "")]
    return " AND ".join(quoted)


# --- The query ---------------------------------------------------------------------------


def _positive_int(raw, maximum: int) -> int | None:
    raw = (raw or "").strip() if isinstance(raw, str) else ""
    if not raw or len(raw) > 9 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 1 <= value <= maximum else None


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    category_id: int | None = None
    brand: str = ""
    in_stock: bool = False
    on_my_lists: bool = False
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    filters: Requested = ()  # attribute filters as asked (see catalog.facets)

    @classmethod
    def from_args(cls, args: Mapping, per_page: int = PER_PAGE) -> SearchQuery:
        """Read a query string leniently: anything odd becomes the default, never an error."""
        sort = args.get("sort") or "relevance"
        return cls(
            text=clean_query(args.get("q", "")),
            category_id=_positive_int(args.get("category"), 2**31 - 1),
            brand=clean_query(args.get("brand", ""))[:80],
            in_stock=args.get("in_stock") == "1",
            on_my_lists=args.get("on_list") == "1",
            sort=sort if sort in SORTS else "relevance",
            page=_positive_int(args.get("page"), MAX_PAGE) or 1,
            per_page=per_page,
            filters=read_filters(args),
        )

    @property
    def filtered(self) -> bool:
        return bool(self.category_id or self.brand or self.in_stock or self.on_my_lists
                    or self.filters)

    def args(self, **changes) -> dict:
        """Query-string arguments for a link to this search with some changes (next page...)."""
        values = {"q": self.text, "category": self.category_id, "brand": self.brand,
                  "in_stock": "1" if self.in_stock else None,
                  "on_list": "1" if self.on_my_lists else None,
                  "sort": None if self.sort == "relevance" else self.sort, "page": self.page,
                  **filter_args(self.filters)}
        values.update(changes)
        if values.get("page") == 1:
            values["page"] = None
        return {k: v for k, v in values.items() if v not in (None, "")}

    def args_without(self, code: str | None = None, key: str | None = None, **changes) -> dict:
        """Arguments for this listing back on page 1, less one attribute filter's value (code
        and key), one attribute's filter (code) or all of them (neither)."""
        rest = () if code is None else without(self.filters, code, key)
        return replace(self, filters=rest).args(**{"page": 1, **changes})


@dataclass(frozen=True)
class SearchResult:
    query: SearchQuery
    exact: Product | None
    products: list[Product] = field(default_factory=list)
    has_more: bool = False

    @property
    def all_products(self) -> list[Product]:
        return ([self.exact] if self.exact else []) + self.products

    @property
    def empty(self) -> bool:
        return not self.exact and not self.products


def exact_match(user, raw: str, visible=None) -> Product | None:
    """The visible product whose SKU or GTIN is exactly what was typed or scanned."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 40:
        return None
    condition = Product.sku == raw.upper()
    if is_gtin(raw):
        condition = or_(condition, Product.gtin == raw)
    visible = visible if visible is not None else visible_products(user)
    return db.session.scalars(visible.where(condition).limit(1)).first()


def is_gtin(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and 8 <= len(raw) <= 14


def search(user, query: SearchQuery, lang: str, category_ids: set[int] | None = None,
           conditions: tuple = ()) -> SearchResult:
    """A page of visible products for this query.

    `category_ids` is the category filter with its sub-categories (see catalog.CategoryTree),
    `conditions` the attribute filters in force (catalog.facets); an exact SKU/GTIN hit comes
    first on page 1 and is left out of the word results.
    """
    visible = visible_products(user)
    # What is found through visible_products(user): the page's offers need not ask again.
    proven = proven_visible(user)
    exact = exact_match(user, query.text, visible) if query.text else None
    if exact is not None:
        proven.add(exact.id)
    wanted = words(query.text)
    if query.text and not wanted:
        return SearchResult(query, exact if query.page == 1 else None)
    use_fts = bool(wanted) and uses_fts()
    try:
        rows = _page(visible, user, query, lang, category_ids, exact, wanted, use_fts,
                     conditions)
    except OperationalError:
        if not use_fts:
            raise
        # An FTS5 surprise (a damaged index...): answer with LIKE rather than a 500.
        rows = _page(visible, user, query, lang, category_ids, exact, wanted, False, conditions)
    proven.update(p.id for p in rows)
    return SearchResult(query, exact if query.page == 1 else None, rows[: query.per_page],
                        len(rows) > query.per_page)


def _page(visible, user, query, lang, category_ids, exact, wanted, use_fts,
          conditions=()) -> list[Product]:
    stmt = filtered(visible, user, query, category_ids).where(*conditions)
    if exact is not None:
        stmt = stmt.where(Product.id != exact.id)
    name = Product.name_en if lang == "en" else Product.name_fr
    order: list = []
    if wanted:
        stmt, order = _match_words(stmt, wanted, query.sort == "relevance", use_fts)
    order += {"sku": [Product.sku]}.get(query.sort, [name, Product.sku])
    stmt = (stmt.order_by(*order).offset((query.page - 1) * query.per_page)
            .limit(query.per_page + 1))
    return list(db.session.scalars(stmt))


def filtered(stmt, user, query: SearchQuery, category_ids):
    """`stmt` (a SELECT of Product) narrowed by the query's filters, words and attributes
    aside: the category, brand, stock and "on my lists"."""
    if category_ids is not None:
        stmt = stmt.where(Product.category_id.in_(category_ids))
    if query.brand:
        stmt = stmt.where(Product.brand == query.brand)
    if query.in_stock:
        stmt = stmt.where(exists().where(Stock.product_id == Product.id,
                                         Stock.quantity > Stock.reserved))
    company_id = getattr(user, "company_id", None) if getattr(user, "is_authenticated",
                                                              False) else None
    if query.on_my_lists and company_id:
        on_lists = (
            select(ShoppingListLine.product_id)
            .join(ShoppingList, ShoppingList.id == ShoppingListLine.list_id)
            .where(ShoppingList.company_id == company_id,
                   or_(ShoppingList.owner_id == user.id, ShoppingList.shared.is_(True)))
        )
        stmt = stmt.where(Product.id.in_(on_lists))
    return stmt


def _match_words(stmt, wanted: list[str], by_relevance: bool, use_fts: bool):
    if use_fts:
        fts = (
            text("SELECT rowid AS product_id, bm25(product_fts) AS rank FROM product_fts "
                 "WHERE product_fts MATCH :match")
            .bindparams(match=fts_match(wanted))
            .columns(product_id=Integer, rank=Float)
            .subquery("fts")
        )
        stmt = stmt.join(fts, fts.c.product_id == Product.id)
        return stmt, ([fts.c.rank] if by_relevance else [])
    for word in wanted:
        stmt = stmt.where(Product.search_text.contains(word, autoescape=True))
    if not by_relevance:
        return stmt, []
    # Without a ranking function: products whose name holds the first word come first.
    in_name = case((Product.name_fr.ilike(f"%{wanted[0]}%"), 0),
                   (Product.name_en.ilike(f"%{wanted[0]}%"), 0), else_=1)
    return stmt, [in_name]


