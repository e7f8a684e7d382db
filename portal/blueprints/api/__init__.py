"""/api/v1: the JSON API for the seller's systems and customers' procurement systems.

Bearer tokens, no cookies: CSRF does not apply (a browser cannot attach the token by itself).
Every answer that is not a success is application/problem+json (see `problems`).
"""

from flask import Blueprint

from portal.extensions import csrf
from portal.security import limit_blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from portal.blueprints.api import (  # noqa: E402
    carts,
    catalog,
    customers,
    docs,
    fulfilment,
    invoices,
    media,
    orders,
    problems,
    webhooks,
)
from portal.blueprints.api.operations import rate_key, rate_limit  # noqa: E402

limit_blueprint(bp, rate_limit, rate_key)
problems.answer_refusals(bp)


@bp.record_once
def _answer_problems(state):
    problems.install(state.app)


__all__ = ["bp", "carts", "catalog", "customers", "docs", "fulfilment", "invoices", "media",
           "orders", "webhooks"]
