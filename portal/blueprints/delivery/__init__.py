"""The delivery promise: a buyer swaps a short cart line for its substitute; staff keep the
substitute lists and the warehouses' cut-offs and working days."""

from flask import Blueprint

bp = Blueprint("delivery", __name__)

from portal.blueprints.delivery import routes  # noqa: E402,F401


@bp.app_template_global()
def order_line_parts(line) -> tuple:
    """An order line's remaining units, dated as promised (services/delivery)."""
    from portal.services.delivery import order_parts

    return order_parts(line.quantity, line.shipped_qty, line.backordered_qty,
                       line.promised_date, line.backorder_date)


@bp.app_template_global()
def collect_from(order):
    """The day every unit of an order collected at a branch is there (its last line's
    promised or backorder date)."""
    days = [day for line in order.lines
            for day in (line.promised_date, line.backorder_date if line.backordered_qty else None)
            if day is not None]
    return max(days) if days else None


@bp.app_template_global()
def collect_label(place: str) -> str:
    """"Retrait en agence : Lyon" (services/ordering)."""
    from portal.services.ordering import collect_label

    return collect_label(place)


@bp.app_template_global("cutoff_text")
def _cutoff_text(minutes: int) -> str:
    from portal.services.delivery import cutoff_text

    return cutoff_text(minutes)


@bp.app_template_global()
def stock_reserved(product_id: int) -> dict[int, int]:
    """{warehouse id: units reserved for orders} of one product (staff pages)."""
    from portal.services.delivery import reserved_of

    return reserved_of(product_id)


@bp.app_template_global()
def order_holdings(held) -> dict[int, list[tuple[str, int]]]:
    """{order line id: [(warehouse code, units reserved)]} from {line id: [(warehouse id,
    units)]} (the fulfilment page)."""
    from portal.services.delivery import sites

    codes = {wid: site.code for wid, site in sites().items()}
    return {lid: [(codes.get(wid, "?"), units) for wid, units in line_held]
            for lid, line_held in held.items()}


@bp.app_template_global()
def buyer_countdown():
    """The signed-in buyer's cut-off countdown (home page), or None when they cannot order."""
    from flask_login import current_user

    from portal.services.delivery import countdown_for
    from portal.services.selling import can_order

    if not current_user.is_authenticated or not can_order(current_user):
        return None
    return countdown_for(current_user.company, current_user.last_jobsite)


@bp.app_template_global()
def weekday_names(digits: str) -> str:
    """"24" -> "Tuesday, Thursday" in the reader's language (ISO digits, Monday = 1)."""
    from babel.dates import get_day_names
    from flask_babel import get_locale

    names = get_day_names("wide", locale=get_locale() or "fr")  # 0 = Monday
    return ", ".join(names[int(d) - 1] for d in digits if d in "1234567")
