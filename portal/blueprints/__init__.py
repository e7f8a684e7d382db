"""Every feature's blueprint, registered in one place."""

from importlib import import_module

# Module names under portal.blueprints; each exposes `bp`.
FEATURES = (
    "storefronts",  # first: every request is for one storefront
    "home",
    "auth",
    "account",
    "catalog",
    "cart",
    "quick_order",
    "checkout",
    "orders",
    "lists",
    "approvals",
    "company",
    "apply",
    "staff",
    "fulfilment",
    "claims",
    "imports",
    "jobs",
    "catalog_admin",
    "api",
    "api_admin",
    "billing",
    "quotes",
    "media",
    "pages",
    "delivery",
    "offline",
    "contracts",
    "card_payments",
)


def register_blueprints(app):
    for name in FEATURES:
        module = import_module(f"portal.blueprints.{name}")
        app.register_blueprint(module.bp)
