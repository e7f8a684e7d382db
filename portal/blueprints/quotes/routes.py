"""The buyer's side of quotes: ask from the cart or a product page, read a version beside
the one before, write on the thread, accept all or some lines, ask to renew, cancel.

A quote of another company, or of another buyer (unless company admin), is a 404 on every
path. Each action is a real form (post -> 303 -> get); a refusal shows the page again with
the message at its field (422, or 409 when someone else changed the quote first).
"""

from datetime import UTC, datetime

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import BUYERS, allow
from portal.blueprints.quotes import bp
from portal.blueprints.quotes.uploads import upload_of
from portal.models import OrderStatus
from portal.rendering import render
from portal.services import ordering, quotes
from portal.services.selling import can_order
from portal.usecases import moved_on, run
from portal.web import accepts_upload

TYPED_MAX = 2000


def _now() -> datetime:
    return datetime.now(UTC)


def _typed() -> dict[str, str]:
    return {k: v[:TYPED_MAX] for k, v in request.form.items() if k != "csrf_token"}


def errors_of(problem) -> dict[str, str]:
    """A refusal as {field: message} ("form" when it names no field)."""
    found = dict(getattr(problem, "errors", None) or {})
    if found:
        found.setdefault("form", str(problem))  # said at the top too: the form is long
    else:
        found[problem.field or "form"] = str(problem)
    return found


def _quote_or_404(quote_id: int):
    quote = quotes.find_for_customer(current_user, quote_id)
    if quote is None:
        abort(404)
    return quote


def _details() -> quotes.RequestDetails:
    return quotes.RequestDetails(request.form.get("needed_by", ""),
                                 request.form.get("jobsite", ""), request.form.get("note", ""),
                                 upload_of())


def _jobsites():
    return [p for p in ordering.delivery_places(current_user) if p.jobsite_id]


def _earliest():
    return ordering.earliest_date(ordering.local_today(_now()))


@bp.get("/")
@allow(BUYERS, when=can_order)
def index():
    return render("quotes/index.html", quotes=quotes.customer_quotes(current_user))


def _ask_page(typed=None, errors=None, status=200):
    summary = ordering.summarize(current_user, _now())
    rows = [(v.line.id, v.product, v.quantity, v.unit_price_cents) for v in summary.lines]
    return render("quotes/ask.html", status_code=status, rows=rows, currency=summary.currency,
                  action=url_for("quotes.ask_send"), typed=typed or {}, errors=errors or {},
                  jobsites=_jobsites(), earliest=_earliest())


def _targets() -> dict[int, str]:
    """Target prices typed per line (target-<line id>)."""
    targets = {}
    for key, value in request.form.items():
        name, _sep, line_id = key.partition("-")
        if name == "target" and line_id.isascii() and line_id.isdigit() and len(line_id) < 10:
            targets[int(line_id)] = value
    return targets


@bp.get("/ask")
@allow(BUYERS, when=can_order)
def ask():
    if not ordering.cart_lines(current_user):
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("cart.index"), 303)
    return _ask_page()


@bp.post("/ask")
@accepts_upload
@allow(BUYERS, when=can_order)
def ask_send():
    return run(lambda: quotes.ask_from_cart(current_user, _targets(), _details(), _now()),
               refused=lambda problem: _ask_page(_typed(), errors_of(problem)),
               done=_asked)


def _list_or_404(list_id: int):
    shopping_list = ordering.visible_list(current_user, list_id)
    if shopping_list is None:
        abort(404)
    return shopping_list


def _list_page(shopping_list, typed=None, errors=None, status=200):
    rows = [(line.id, product, quantity, price) for line, product, quantity, price
            in quotes.list_rows(current_user, shopping_list)]
    return render("quotes/ask.html", status_code=status, rows=rows,
                  currency=current_user.company.currency or "EUR", list_name=shopping_list.name,
                  action=url_for("quotes.ask_list_send", list_id=shopping_list.id),
                  typed=typed or {}, errors=errors or {}, jobsites=_jobsites(),
                  earliest=_earliest())


@bp.get("/ask/list/<int:list_id>")
@allow(BUYERS, when=can_order)
def ask_list(list_id: int):
    return _list_page(_list_or_404(list_id))


@bp.post("/ask/list/<int:list_id>")
@accepts_upload
@allow(BUYERS, when=can_order)
def ask_list_send(list_id: int):
    shopping_list = _list_or_404(list_id)
    return run(lambda: quotes.ask_from_list(current_user, shopping_list, _targets(), _details(),
                                            _now()),
               refused=lambda problem: _list_page(shopping_list, _typed(), errors_of(problem)),
               done=_asked)


def _asked(quote):
    return moved_on(_("Quote request %(number)s sent: we answer here and by e-mail.",
                      number=quote.number), url_for("quotes.detail", quote_id=quote.id))


def _product_page(offer, typed=None, errors=None, status=200):
    return render("quotes/ask_product.html", status_code=status, offer=offer,
                  typed=typed or {"qty-product": str(offer.rule.default())},
                  errors=errors or {}, jobsites=_jobsites(), earliest=_earliest())


def _askable_or_404(product_id: int):
    offer = quotes.askable(current_user, product_id)
    if offer is None:
        abort(404)
    return offer


@bp.get("/ask/product/<int:product_id>")
@allow(BUYERS, when=can_order)
def ask_product(product_id: int):
    return _product_page(_askable_or_404(product_id))


@bp.post("/ask/product/<int:product_id>")
@accepts_upload
@allow(BUYERS, when=can_order)
def ask_product_send(product_id: int):
    offer = _askable_or_404(product_id)
    return run(lambda: quotes.ask_for_product(
                   current_user, product_id, request.form.get("qty-product", ""),
                   request.form.get("target-product", ""), _details(), _now()),
               refused=lambda problem: _product_page(offer, _typed(), errors_of(problem)),
               done=_asked)


def _detail(quote, typed=None, errors=None, status=200, number=None):
    found = quotes.facts(quote, _now(), number)
    if found is None:
        abort(404)
    places = ordering.delivery_places(current_user)
    typed = typed or {"place": ordering.default_place(current_user, places),
                      "token": ordering.new_submit_token()}
    return render("quotes/detail.html", status_code=status, f=found, quote=quote,
                  typed=typed, errors=errors or {}, places=places, earliest=_earliest(),
                  company=current_user.company, side="customer")


def _version_arg() -> int | None:
    raw = request.args.get("version", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 6):
        abort(404)
    return int(raw)


@bp.get("/<int:quote_id>")
@allow(BUYERS, when=can_order)
def detail(quote_id: int):
    return _detail(_quote_or_404(quote_id), number=_version_arg())


@bp.post("/<int:quote_id>/accept")
@allow(BUYERS, when=can_order)
def accept(quote_id: int):
    quote = _quote_or_404(quote_id)
    form = ordering.CheckoutForm(**{k: request.form.get(k, "") for k in (
        "place", "requested_date", "po_number", "notes", "token")})
    line_ids = frozenset(int(v) for v in request.form.getlist("line")
                         if v.isascii() and v.isdigit() and len(v) < 10)
    seen = request.form.get("version", "")
    acceptance = quotes.Acceptance(line_ids, int(seen) if seen.isascii() and seen.isdigit()
                                   and len(seen) < 6 else None, form)
    typed = _typed()
    typed["lines"] = [str(i) for i in line_ids]
    return run(lambda: quotes.accept(current_user, quote, acceptance, _now()),
               refused=lambda problem: _detail(quote, typed, errors_of(problem)),
               done=_accepted)


def _accepted(order):
    if order.status == OrderStatus.PENDING_APPROVAL:
        message = _("Quote accepted: order %(number)s is waiting for approval.",
                    number=order.number)
    else:
        message = _("Quote accepted: order %(number)s placed.", number=order.number)
    return moved_on(message, url_for("orders.detail", order_id=order.id))


@bp.post("/<int:quote_id>/renew")
@allow(BUYERS, when=can_order)
def renew(quote_id: int):
    quote = _quote_or_404(quote_id)
    return run(lambda: quotes.ask_renewal(current_user, quote, _now()),
               refused=lambda problem: _detail(quote, errors=errors_of(problem)),
               done=lambda q: moved_on(_("Renewal asked: the seller sends a new version."),
                                       url_for("quotes.detail", quote_id=q.id)))


@bp.route("/<int:quote_id>/cancel", methods=["GET", "POST"])
@allow(BUYERS, when=can_order)
def cancel(quote_id: int):
    """GET asks for confirmation (a page, no JavaScript needed); POST cancels."""
    quote = _quote_or_404(quote_id)
    if request.method != "POST":
        return render("quotes/cancel.html", quote=quote)
    return run(lambda: quotes.cancel(current_user, quote, _now()),
               refused=lambda problem: _detail(quote, errors=errors_of(problem)),
               done=lambda q: moved_on(_("Quote %(number)s cancelled.", number=q.number),
                                       url_for("quotes.index")))


@bp.post("/<int:quote_id>/messages")
@accepts_upload
@allow(BUYERS, when=can_order)
def message(quote_id: int):
    quote = _quote_or_404(quote_id)
    return run(lambda: quotes.post_message(current_user, quote, request.form.get("body", ""),
                                           _now(), upload=upload_of()),
               refused=lambda problem: _detail(quote, _typed(), errors_of(problem)),
               done=lambda _m: moved_on(_("Message sent."),
                                        url_for("quotes.detail", quote_id=quote.id)
                                        + "#thread"))
