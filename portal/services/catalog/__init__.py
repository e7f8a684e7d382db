"""The catalog: what the seller offers and how a buyer finds it.

- `browse`: the category tree, category and search listings, the product page, rows of the
  catalog with their offers (prices, tax and visibility come from `services.selling`).
- `search` and `search_index`: the query language, full-text search (FTS5 on SQLite, trigram
  on PostgreSQL) and the search text kept with each product.
- `admin`: the seller's product, price-tier and stock editing; `creation`: a new product or
  price list; `price_admin`: a price list's dates and audience, promotions; `packs`: pack
  kinds and labels.

Front door: `listing`, `product_page`, `product_row`, `CategoryTree`, `SearchQuery`,
`rebuild_search_index` (every product, after seeding) and `refresh_search_entries` (the
products a bulk upsert wrote), the admin use cases, pack labels.
"""

from portal.services.catalog.admin import (
    FormInvalid,
    add_tier,
    delete_tier,
    find_price_list,
    find_product,
    find_tier,
    list_products,
    price_lists,
    search_products,
    set_stock,
    stock_levels,
    tiers_by_list,
    update_product,
    update_tier,
)
from portal.services.catalog.browse import (
    CategoryTree,
    choose_quantity,
    listing,
    product_page,
    product_row,
)
from portal.services.catalog.creation import (
    category_choices,
    create_price_list,
    create_product,
)
from portal.services.catalog.packs import (
    DEFAULT_KIND,
    PACK_KINDS,
    case_label,
    kind_choices,
    normalize_kind,
)
from portal.services.catalog.price_admin import (
    audience_choices,
    audience_of,
    create_promotion,
    end_promotion,
    find_promotion,
    promotions,
    update_price_list,
)
from portal.services.catalog.search import SearchQuery, is_gtin
from portal.services.catalog.search_index import (
    ensure_search_index,
    rebuild_search_index,
    refresh_search_entries,
    search_text_for,
)

__all__ = [
    "find_price_list", "find_product", "find_tier",
    "CategoryTree", "DEFAULT_KIND", "FormInvalid", "PACK_KINDS", "SearchQuery", "add_tier",
    "case_label", "choose_quantity", "delete_tier", "ensure_search_index", "is_gtin",
    "kind_choices", "list_products", "listing", "normalize_kind", "price_lists", "product_page",
    "product_row", "rebuild_search_index", "refresh_search_entries", "search_products",
    "search_text_for", "set_stock", "stock_levels", "tiers_by_list", "update_product",
    "update_tier", "category_choices", "create_price_list", "create_product",
    "audience_choices", "audience_of", "create_promotion", "end_promotion", "find_promotion",
    "promotions", "update_price_list",
]
