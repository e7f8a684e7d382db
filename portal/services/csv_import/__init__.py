"""CSV migration of customers, products, price tiers, stock and product attributes.

`parse` reads a file strictly (refusing it as a whole when it cannot be trusted); `cells`
parses one cell; `customers`, `products`, `prices_stock`, `attributes` and `media` (with a
ZIP of files) check rows and write them; `jobs`
checks in chunks with progress and commits all or nothing; `running` is how the
worker takes a job (a lease) and runs it to rest.
"""

# `cells` is public: the catalog admin's forms parse their fields with the same cell rules.
from portal.services.csv_import import cells
from portal.services.csv_import.jobs import (
    KINDS,
    ImportFailed,
    NotImportable,
    find_job,
    is_running,
    mark_failed,
    recent_jobs,
    request_commit,
    start,
)
from portal.services.csv_import.media import MAX_ARCHIVE_BYTES
from portal.services.csv_import.parse import MAX_ROWS, ImportRefused
from portal.services.csv_import.running import run_import, waiting_imports

__all__ = ["KINDS", "cells", "MAX_ARCHIVE_BYTES", "MAX_ROWS",
           "ImportFailed", "ImportRefused", "NotImportable",
           "find_job", "is_running", "mark_failed", "recent_jobs", "request_commit",
           "run_import", "start", "waiting_imports"]
