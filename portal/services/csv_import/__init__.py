"""CSV migration of customers, products, price tiers and stock.

`parse` reads a file strictly (refusing it as a whole when it cannot be trusted); `cells`
parses one cell; `customers`, `products` and `prices_stock` check rows and write them; `jobs`
runs the dry run in chunks with progress, then the all-or-nothing commit.
"""

# `cells` is public: the catalog admin's forms parse their fields with the same cell rules.
from portal.services.csv_import import cells
from portal.services.csv_import.jobs import (
    KINDS,
    ImportFailed,
    advance,
    is_running,
    mark_failed,
    request_commit,
    start,
)
from portal.services.csv_import.parse import MAX_ROWS, ImportRefused

__all__ = ["KINDS", "cells", "MAX_ROWS", "ImportFailed", "ImportRefused", "advance", "is_running",
           "mark_failed", "request_commit", "start"]
