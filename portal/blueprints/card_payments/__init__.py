"""Card payment on the provider's hosted page (services/card_payments): the order page's
"Pay by card" and the provider's webhook."""

from flask import Blueprint

bp = Blueprint("card_payments", __name__, url_prefix="/card-payment")

from portal.blueprints.card_payments import routes  # noqa: E402,F401
