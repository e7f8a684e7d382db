"""What the bench measures: the pages, the fragments, who asks for them, and their budgets.

`FRAGMENTS` is the one place to change when a feature's fragment URL or form changes. A value
of None means "find it on the page": the quick-order form is the form that holds a
<textarea>, and its check button the one whose name, value, URL or text holds one of the
`button_words`. `discover()` prints what the running app's url_map offers, so the dict can be
checked against portal/blueprints/*/routes.py when features land.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import bench
from bench import forms

FRAGMENTS = {
    # The stepper's "+" on a product (catalog/_macros.html buy_form): the row comes back.
    "stepper": {
        "url": "/catalog/p/{product_id}/qty",
        "data": {"qty": "{qty}", "step": "up", "view": "row", "next": "/catalog/p/{product_id}"},
        "selector": "button.step.plus",  # what the phone taps
    },
    # "Add to cart" on the product page (view=page): the buy box comes back, with the badge.
    "add_to_cart": {
        "url": "/catalog/p/{product_id}/cart",
        "data": {"qty": "{qty}", "view": "page", "next": "/catalog/p/{product_id}"},
        "target": "buy",
    },
    # Quick order: one typed row re-checked as it changes (quick_order/_row.html).
    "quick_order_line": {
        "url": "/quick-order/line?part=status",
        "data": {"sku-0": "{line_sku}", "qty-0": "{line_qty}"},
        "page": "/quick-order/",
        "sku_selector": "#sku-0",  # what the phone types into, then a change event
        "qty_selector": "#qty-0",
    },
    # Quick order: paste "SKU qty" lines and check them (a plain form post, no cart change).
    "quick_order": {
        "page": "/quick-order/",
        "url": None,  # None: the action of the form holding the <textarea>
        "field": None,  # None: that textarea's name
        "button_words": ("check", "vérifier", "verify", "preview"),
        "extra": {},  # fields to add to the post, e.g. {"action": "check"}
    },
}

# Budgets from shared/design/UX.md.
BUDGET_INPROCESS_P95_MS = 25.0
BUDGET_LOAD_P95_MS = 50.0
BUDGET_HTML_GZ = 12 * 1024
BUDGET_FIRST_LOAD_GZ = 45 * 1024
BUDGET_FRAGMENT_GZ = 4 * 1024
BUDGET_REQUESTS = 4
BUDGET_LCP_MS = 1200.0
BUDGET_TAP_MS = 400.0
BUDGET_RSS_MB = 120.0


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    user: str | None
    path: str
    method: str = "GET"
    htmx: bool = False
    budget: bool = False  # under the 25 ms in-process / 50 ms gunicorn budgets
    recipe: str = ""  # how to build a POST: "stepper", "quick_order"
    lines: int = 0  # pasted lines for quick order
    load: bool = False  # part of the gunicorn load test
    phone: bool = False  # LCP measured in Chromium
    weight: bool = True
    tags: tuple = field(default_factory=tuple)
    status: int = 200  # the answer the page gives by design (the layout-only page: a 404)


B, A, V, W = bench.BUYER, bench.APPROVER, bench.VIEWER, bench.WAREHOUSE
PAGES = [
    Page("sign_in", "Sign-in POST (argon2id, production cost)", None, "/login", "POST",
         weight=False),
    Page("home", "Home (buyer)", B, "/", load=True, phone=True),
    Page("search", "Search \"vis 4\"", B, "/catalog/search?q=vis+4", budget=True, load=True,
         phone=True),
    Page("category", "Category page (leaf \"Vis\")", B, "/catalog/c/{category_id}",
         phone=True),
    Page("product", "Product page", B, "/catalog/p/{product_id}", budget=True, load=True,
         phone=True),
    Page("quick_order", "Quick order page", B, "/quick-order/", phone=True),
    Page("quick_order_50", "Quick order check, 50 pasted lines", B, "", "POST", budget=True,
         recipe="quick_order", lines=50, load=True, weight=False),
    Page("quick_order_500", "Quick order check, 500 pasted lines", B, "", "POST",
         recipe="quick_order", lines=500, weight=False),
    Page("cart", "Cart, 100 lines", B, "/cart/", budget=True, load=True, phone=True),
    Page("cart_10", "Cart, 10 lines (N+1 check)", B, "/cart/", weight=False),
    Page("checkout", "Checkout page (100 lines)", B, "/checkout/", phone=True),
    Page("orders_buyer", "Order history, buyer (own orders)", B, "/orders/", budget=True,
         load=True, phone=True),
    Page("orders_viewer", "Order history, viewer (all company orders)", V, "/orders/",
         budget=True, load=True),
    Page("order_detail", "Order detail (12 lines, shipment)", B, "/orders/{detail_order_id}",
         phone=True),
    Page("reorder", "Reorder preview, 100-line order", B, "/orders/{reorder_order_id}/reorder",
         phone=True),
    Page("list", "Shopping list (50 lines)", B, "/lists/{list_id}", phone=True),
    Page("approvals", "Approvals inbox", A, "/approvals/", budget=True, load=True, phone=True),
    Page("fulfilment", "Staff fulfilment queue", W, "/staff/fulfilment/", load=True,
         phone=True),
    # htmx fragments
    Page("search_fragment", "Search results (htmx)", B, "/catalog/search?q=vis+4", htmx=True,
         budget=True),
    Page("stepper", "Stepper + tap (htmx row)", B, "", "POST", htmx=True, budget=True,
         recipe="stepper"),
    Page("quick_order_line", "Quick order row check (htmx)", B, "", "POST", htmx=True,
         budget=True, recipe="quick_order_line"),
    Page("orders_more", "Order history, next page (htmx)", B, "/orders/?cursor={orders_cursor}",
         htmx=True),
    # What every signed-in request costs before any page: the session, the user, the layout.
    Page("add_to_cart", "Add to cart, product page (htmx buy box)", B, "", "POST", htmx=True,
         budget=True, recipe="add_to_cart", load=True, weight=False),
    Page("healthz_signed_in", "Signed-in /healthz (no page)", B, "/healthz", load=True,
         weight=False),
    Page("layout_only", "Signed-in page of the layout only (a 404)", B, "/no-such-page",
         load=True, weight=False, status=404),
]
BY_NAME = {p.name: p for p in PAGES}
FRAGMENT_PAGES = [p for p in PAGES if p.htmx]


class Missing(Exception):
    """The page or fragment does not exist yet (placeholder, no form, no route)."""


@dataclass
class Request:
    method: str
    url: str
    data: dict | None = None
    headers: dict = field(default_factory=dict)

    def body(self) -> str:
        return urlencode(self.data or {}, doseq=True)


def fixtures(app) -> dict:
    """Ids of the objects the pages show, found by the markers the generator left."""
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.models import (
        Cart,
        Category,
        Company,
        Order,
        PriceTier,
        Product,
        ShoppingList,
        User,
    )

    with app.app_context():
        s = db.session
        users = dict(s.execute(select(User.email, User.id).where(User.email.in_(
            [bench.BUYER, bench.APPROVER, bench.VIEWER, bench.WAREHOUSE]))).all())
        if bench.BUYER not in users:
            raise SystemExit("The bench database has no bench buyer: run `python -m bench "
                             "generate` first.")
        big = s.scalar(select(Company).where(Company.name == bench.BIG_COMPANY))
        product_id = s.scalar(
            select(Product.id).join(PriceTier, PriceTier.product_id == Product.id)
            .where(PriceTier.price_list_id == big.price_list_id, Product.active.is_(True),
                   Product.discontinued.is_(False), Product.case_pack >= 10,
                   Product.order_multiple < Product.case_pack)
            .order_by(Product.id).limit(1))
        product = s.get(Product, product_id)
        skus = list(s.execute(
            select(Product.sku, Product.order_multiple, Product.id).where(
                Product.active.is_(True), Product.discontinued.is_(False))
            .order_by(Product.id).offset(100).limit(600)).all())
        gone = list(s.scalars(select(Product.sku).where(Product.discontinued.is_(True))
                              .order_by(Product.id).limit(5)))
        ctx = {
            "users": users,
            "company_id": big.id,
            "category_id": s.scalar(select(Category.id).where(Category.slug == "fixation-vis")),
            "product_id": product_id,
            "qty": product.order_multiple * 2,
            "line_sku": product.sku,
            "line_qty": product.order_multiple * 3,
            "reorder_order_id": s.scalar(select(Order.id).where(
                Order.po_number == bench.REORDER_ORDER_PO)),
            "detail_order_id": s.scalar(select(Order.id).where(
                Order.po_number == bench.DETAIL_ORDER_PO)),
            "list_id": s.scalar(select(ShoppingList.id).where(
                ShoppingList.name == bench.BENCH_LIST_NAME,
                ShoppingList.owner_id == users[bench.BUYER])),
            "cart_id": s.scalar(select(Cart.id).where(Cart.user_id == users[bench.BUYER])),
            "big_orders": s.scalar(select(func.count(Order.id)).where(
                Order.company_id == big.id)),
            "paste_skus": [(sku, om) for sku, om, _pid in skus],
            "paste_ids": [(pid, om) for _sku, om, pid in skus],
            "discontinued_skus": gone,
        }
    return ctx


def paste_text(ctx: dict, count: int) -> str:
    """`count` lines as a buyer pastes them: mostly good, a few unknown, discontinued, doubled."""
    bad = max(1, count // 50)
    good = ctx["paste_skus"][: count - 3 * bad]
    lines = [f"{sku}\t{om * 2}" for sku, om in good]
    lines += [f"ZZZ-{900000 + n}\t5" for n in range(bad)]
    lines += [f"{sku}\t10" for sku in ctx["discontinued_skus"][:bad]]
    lines += [f"{sku}\t{om}" for sku, om in good[:bad]]
    while len(lines) < count:
        lines.append(lines[len(lines) % len(good)])
    return "\n".join(lines[:count])


def resolve(page: Page, ctx: dict, get_html, token: str) -> Request:
    """The request for this page; `get_html(url)` fetches a page as the same user."""
    headers = {"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1/"} if page.htmx else {}
    if page.recipe in ("stepper", "quick_order_line", "add_to_cart"):
        spec = FRAGMENTS[page.recipe]
        data = {k: v.format(**ctx) for k, v in spec["data"].items()}
        data["csrf_token"] = token
        if spec.get("target"):
            headers = {**headers, "HX-Target": spec["target"]}
        return Request("POST", spec["url"].format(**ctx), data,
                       {**headers, "X-CSRFToken": token})
    if page.recipe == "quick_order":
        url, data = quick_order_form(get_html, page.lines and paste_text(ctx, page.lines))
        data["csrf_token"] = token
        return Request("POST", url, data, {**headers, "X-CSRFToken": token})
    try:
        url = page.path.format(**ctx)
    except KeyError as missing:
        raise Missing(f"no {missing.args[0]} found") from None
    if "=None" in url or "/None" in url:
        raise Missing("fixture not found in the database")
    return Request(page.method, url, None, headers)


def quick_order_form(get_html, text: str) -> tuple[str, dict]:
    """(url, fields) of the quick-order check, from FRAGMENTS or found on the page."""
    spec = FRAGMENTS["quick_order"]
    html = get_html(spec["page"])
    if html is None or forms.is_placeholder(html):
        raise Missing("quick order page is a placeholder")
    candidates = [f for f in forms.forms(html) if f.textareas]
    if spec["field"]:
        candidates = [f for f in forms.forms(html) if spec["field"] in f.fields] or candidates
    if not candidates and not spec["url"]:
        raise Missing("no paste form on the quick order page")
    form = candidates[0] if candidates else forms.Form({})
    field_name = spec["field"] or (form.textareas[0] if form.textareas else "lines")
    data = dict(form.fields)
    data.pop("csrf_token", None)
    url = spec["url"] or form.action
    button = form.button_matching(spec["button_words"])
    if button is not None:
        url = spec["url"] or button.hx_post or button.formaction or url
        if button.name:
            data[button.name] = button.value
    data.update(spec["extra"])
    data[field_name] = text
    if not url:
        raise Missing("quick order form has no action")
    return url, data


def discover(app) -> list[str]:
    """POST routes of the features the fragments belong to, from the running app."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("quick_order", "catalog", "cart") and \
                "POST" in (rule.methods or ()):
            found.append(f"{rule.endpoint}: {rule.rule}")
    return sorted(found)
