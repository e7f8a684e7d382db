"""Small request helpers shared by the catalog's views."""

from urllib.parse import urlsplit

from flask import abort, current_app, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal.services.selling import find_visible


def lang() -> str:
    return str(get_locale())


def page_size() -> int:
    return int(current_app.config.get("CATALOG_PAGE_SIZE", 20))


def visible_or_404(product_id: int):
    """The product if this user may see it; otherwise the same 404 as an unknown id."""
    product = find_visible(current_user, product_id=product_id)
    if product is None:
        abort(404)
    return product


def here() -> str:
    """The current page, as a local path with its query string."""
    return request.full_path.rstrip("?")


def safe_next(target: str | None, product_id: int | None = None) -> str:
    """A local path to go back to; anything else falls back to the product or the catalog."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    if product_id is not None:
        return url_for("catalog.product", product_id=product_id)
    return url_for("catalog.index")


def lenient_quantity(raw) -> int | None:
    """A quantity from a link (?qty=24): digits only, else None (the default is shown)."""
    raw = raw if isinstance(raw, str) else ""
    if raw.isascii() and raw.isdigit() and len(raw) <= 5 and int(raw) >= 1:
        return int(raw)
    return None
