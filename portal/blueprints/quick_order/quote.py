"""Quick order: "Ask for a quote" on the rows typed, pasted or uploaded, as the cart has."""

from datetime import UTC, datetime

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import BUYERS, allow
from portal.blueprints.quick_order import bp
from portal.blueprints.quick_order.routes import _checked, _page, _require_ordering
from portal.services import quotes
from portal.usecases import moved_on, run


@bp.post("/quote")
@allow(BUYERS)
def ask_quote():
    _require_ordering()
    collected, result = _checked()
    if result is None:
        return _page(collected, status=422)
    return run(lambda: quotes.ask_from_quick_order(current_user, result, datetime.now(UTC)),
               refused=lambda problem: _page(collected, result, message=str(problem),
                                             status=422),
               done=lambda quote: moved_on(
                   _("Quote request %(number)s sent: we answer here and by e-mail.",
                     number=quote.number), url_for("quotes.detail", quote_id=quote.id)))
