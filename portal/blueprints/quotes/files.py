"""Files on a quote's thread (a plan, a spec sheet, a photo): read from the message form, and
served to the two sides of the quote only (private storage kind; another company: 404)."""

from flask import abort

from portal.access import BUYERS, allow
from portal.blueprints.quotes import bp
from portal.blueprints.quotes.desk import ANSWERING
from portal.blueprints.quotes.desk import _quote_or_404 as _staff_quote_or_404
from portal.blueprints.quotes.routes import _quote_or_404
from portal.media import stored_response
from portal.services import quotes
from portal.services.selling import can_order


def _served(quote, message_id: int):
    message = quotes.attachment_of(quote, message_id) or abort(404)
    return stored_response(message.attachment_key, download_name=message.attachment_name,
                           private=True)


@bp.get("/<int:quote_id>/files/<int:message_id>")
@allow(BUYERS, when=can_order)
def attachment(quote_id: int, message_id: int):
    return _served(_quote_or_404(quote_id), message_id)


@bp.get("/desk/<int:quote_id>/files/<int:message_id>")
@allow(*ANSWERING)
def staff_attachment(quote_id: int, message_id: int):
    return _served(_staff_quote_or_404(quote_id), message_id)
